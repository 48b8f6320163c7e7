"""How well the link judge does on posts it has not seen, judged as a user would.

    python benchmarks/link_quality.py [--corpus ../shared/corpus] [--model FILE] [--quick]

Every number but the learning curve and the reliability table comes from the CLI's output:
``contentkit lint --select LK001,LK002,LK003 --output-format json`` (spurious-link,
broken-link, uncertain-link) and ``contentkit convert --to jsonl`` (default
``--project-links clean``: which auto-links stay links), mapped to the rows of ``links.tsv``
by the order of the ``project-link`` anchors in each file (found by a plain scan here).

1. The shipped model on the whole corpus: in-sample (it was trained on every row), shown
   for reference only.
2. Grouped cross-validation: 10 folds of whole posts (an excerpt joins the article it was
   cut from, see ``link_data.groups_of``); each fold's posts are judged by the CLI with a
   model trained (``link_data.train_model``, threshold chosen inside) on the other folds
   only (``CONTENTKIT_LINK_MODEL``).
   The same folds again with every anchor text of the fold left out of training ("unseen
   anchor texts"): 微信, 得到 and 一起 are a quarter of the anchors, and a post of another
   topic brings names and words the corpus never linked.
3. Topic shift: train on the first batch (cars, batteries, finance, consumer; zixun 01-14,
   excerpts, kuaixun) and judge the second (tech and AI, zixun 15-45), and the reverse.
4. A learning curve (grouped CV with fewer training posts) and a reliability table of the
   grouped-CV probabilities, from the same models computed in this process.

``--model FILE`` judges part 1 with another model file (the previous model, say).
``--no-tagger`` trains models without the tagger stage (the previous design, retrained).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import link_data as D

CODE_TO_VERDICT = {"LK001": "spurious", "LK002": "broken", "LK003": "uncertain"}
_ANCHOR = re.compile(r"<a\s[^>]*>", re.I)
_CLASS = re.compile(r"""\bclass\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""", re.I)


def anchor_positions(text: str) -> list[tuple[int, int]]:
    """(line, column) of every project-link anchor's '<a', 1-based, in file order."""
    out = []
    for m in _ANCHOR.finditer(text):
        cls = _CLASS.search(m.group(0))
        if cls and "project-link" in cls.group(1).strip("\"'").split():
            line = text.count("\n", 0, m.start()) + 1
            col = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
            out.append((line, col))
    return out


def _run(args: list[str], model: Path | None) -> str:
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("CONTENTKIT_LINK_MODEL", None)
    if model is not None:
        env["CONTENTKIT_LINK_MODEL"] = str(model)
    proc = subprocess.run(
        [sys.executable, "-m", "contentkit", *args], capture_output=True, env=env, cwd=D.ROOT
    )
    if proc.returncode not in (0, 1):
        sys.exit(f"contentkit {args[0]} failed ({proc.returncode}):\n{proc.stderr.decode()}")
    return proc.stdout.decode()


def judge_with_cli(
    posts: Path, files: list[str], model: Path | None
) -> dict[tuple[str, int], tuple[str, bool]]:
    """(file, anchor index) -> (the lint verdict, whether default convert keeps it a link)."""
    paths = [str(posts / f) for f in files]
    lint = json.loads(
        _run(
            [
                "lint",
                "--no-cache",
                "--select",
                "LK001,LK002,LK003",
                "--output-format",
                "json",
                *paths,
            ],
            model,
        )
    )
    found = {
        (Path(f["path"]).name, f["line"], f["column"]): CODE_TO_VERDICT[f["code"]]
        for f in lint
        if f["code"] in CODE_TO_VERDICT
    }
    kept: dict[str, list[bool]] = {}
    for line in _run(["convert", "--to", "jsonl", *paths], model).splitlines():
        post = json.loads(line)
        kept[Path(post["path"]).name] = [
            bool(v["kept"]) for v in post["judged_links"] if v["project_link"]
        ]
    out: dict[tuple[str, int], tuple[str, bool]] = {}
    for f in files:
        for i, pos in enumerate(anchor_positions((posts / f).read_text(encoding="utf-8"))):
            ks = kept.get(f, [])
            out[(f, i)] = (found.get((f, *pos), "legit"), ks[i] if i < len(ks) else True)
    return out


class Score:
    def __init__(self) -> None:
        self.confusion: Counter[tuple[str, str]] = Counter()
        self.legit = self.legit_kept = 0

    def add(self, label: str, verdict: str, kept: bool) -> None:
        self.confusion[(label, verdict)] += 1
        if label == "legit":
            self.legit += 1
            self.legit_kept += kept

    def pr(self, cls: str) -> tuple[float | None, float | None, int, int, int]:
        c = self.confusion
        tp = c[(cls, cls)]
        fp = sum(n for (gold, guess), n in c.items() if guess == cls and gold != cls)
        fn = sum(n for (gold, guess), n in c.items() if gold == cls and guess != cls)
        return (
            tp / (tp + fp) if tp + fp else None,
            tp / (tp + fn) if tp + fn else None,
            tp,
            fp,
            fn,
        )

    def line(self, title: str) -> str:
        def f(x: float | None) -> str:
            return "n/a" if x is None else f"{x:.3f}"

        p, r, tp, fp, fn = self.pr("spurious")
        bp, br, btp, bfp, bfn = self.pr("broken")
        unc = sum(n for (_, guess), n in self.confusion.items() if guess == "uncertain")
        unc_sp = self.confusion[("spurious", "uncertain")]
        kept = f"{self.legit_kept}/{self.legit}" + (
            f" = {self.legit_kept / self.legit:.3f}" if self.legit else ""
        )
        return (
            f"{title:34} spurious P {f(p)} R {f(r)} (tp {tp} fp {fp} fn {fn}) | "
            f"uncertain {unc} ({unc_sp} spurious) | broken P {f(bp)} R {f(br)} "
            f"(tp {btp} fp {bfp} fn {bfn}) | default convert keeps legit {kept}"
        )


def score_cli(
    anchors: list[D.Anchor], judged: dict[tuple[str, int], tuple[str, bool]], score: Score
) -> None:
    for a in anchors:
        verdict, kept = judged.get((a.file, a.index), ("legit", True))
        score.add(a.label, verdict, kept)


def train_to_file(train: list[D.Anchor], groups: dict[str, str], folder: Path, name: str) -> Path:
    path = folder / f"{name}.json"
    path.write_text(D.dump(D.train_model(train, groups)), encoding="utf-8")
    return path


# Ways a real anchor is broken (as feeds and hand edits break them), applied to the opening
# tag or the whole anchor source.
_BREAKS = (
    ("javascript href", lambda a: re.sub(r'href="[^"]*"', 'href="javascript:void(0)"', a, count=1)),
    ("empty href", lambda a: re.sub(r'href="[^"]*"', 'href=""', a, count=1)),
    (
        "id mismatch",
        lambda a: re.sub(r"projectDetails/(\d+)", r"projectDetails/\g<1>9", a, count=1),
    ),
    ("empty text", lambda a: re.sub(r">[^<]*</a>", "></a>", a, count=1)),
    ("text differs from data-name", lambda a: re.sub(r">([^<]*)</a>", r">\1x</a>", a, count=1)),
)
_WHOLE_ANCHOR = re.compile(r"<a\s[^>]*>[^<]*</a>", re.I)


def broken_fixtures(posts: Path, files: list[str], folder: Path) -> dict[tuple[str, int], str]:
    """Copies of the posts with every fourth project-link broken one of the ways above;
    returns the labels of the copies' anchors (broken, or None for the untouched ones)."""
    labels: dict[tuple[str, int], str] = {}
    k = 0
    for f in files:
        text = (posts / f).read_text(encoding="utf-8")
        out: list[str] = []
        pos = i = 0
        for m in _WHOLE_ANCHOR.finditer(text):
            cls = _CLASS.search(m.group(0))
            if not (cls and "project-link" in cls.group(1).strip("\"'").split()):
                continue
            src = m.group(0)
            # (data-refer-type="1" links use another id space: no id of theirs is wrong.)
            if i % 4 == 3 and 'data-refer-type="1"' not in src:
                src = _BREAKS[k % len(_BREAKS)][1](src)
                labels[(f, i)] = "broken"
                k += 1
            out.append(text[pos : m.start()] + src)
            pos = m.end()
            i += 1
        out.append(text[pos:])
        (folder / f).write_text("".join(out), encoding="utf-8")
    return labels


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("--corpus", type=Path, default=D.default_corpus())
    ap.add_argument("--model", type=Path, help="judge part 1 with this model file")
    ap.add_argument("--no-tagger", action="store_true", help="train without the tagger stage")
    ap.add_argument("--folds", type=int, default=10)
    args = ap.parse_args()
    if args.no_tagger:
        D.BAND = (1.0, 0.0)  # the fast stage decides alone
    posts = (args.corpus / "posts").resolve()
    anchors = D.load_anchors(args.corpus)
    files = sorted({a.file for a in anchors})
    groups = D.groups_of(args.corpus, files)
    merged = sum(1 for f in files if groups[f] != f)
    print(
        f"{len(anchors)} labelled anchors in {len(files)} posts, {len(set(groups.values()))} "
        f"groups ({merged} excerpts joined to their article)"
    )

    # 1. As shipped (or --model), in-sample.
    shipped = Score()
    score_cli(anchors, judge_with_cli(posts, files, args.model), shipped)
    what = f"model {args.model.name}" if args.model else "shipped model"
    print(shipped.line(f"{what} (in-sample)"))
    for batch in (1, 2):
        s = Score()
        sub = [a for a in anchors if D.batch_of(a.file) == batch]
        score_cli(sub, judge_with_cli(posts, sorted({a.file for a in sub}), args.model), s)
        print(s.line(f"  of which batch {batch}"))

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        # 2. Grouped cross-validation through the CLI.
        cv = Score()
        by_batch = {1: Score(), 2: Score()}
        folds = D.grouped_folds([groups[a.file] for a in anchors], args.folds)
        cv_probs: list[tuple[float, int]] = []
        asked = 0
        for k, fold in enumerate(folds):
            train = [a for a in anchors if groups[a.file] not in fold]
            test = [a for a in anchors if groups[a.file] in fold]
            path = train_to_file(train, groups, folder, f"fold{k}")
            judged = judge_with_cli(posts, sorted({a.file for a in test}), path)
            score_cli(test, judged, cv)
            for b in (1, 2):
                score_cli([a for a in test if D.batch_of(a.file) == b], judged, by_batch[b])
            model = D.model_of(json.loads(path.read_text(encoding="utf-8")))
            for a in test:
                if a.label in ("legit", "spurious"):
                    p, used = D.cascade_probability(model, a)
                    cv_probs.append((p, a.y))
                    asked += used
        print(cv.line(f"grouped {args.folds}-fold CV"))
        for b in (1, 2):
            print(by_batch[b].line(f"  of which batch {b}"))
        print(
            f"  the cascade asked the tagger for {asked} of {len(cv_probs)} anchors "
            f"({asked / max(1, len(cv_probs)):.0%})"
        )
        # 2b. The same folds, but no model is trained on an anchor whose text occurs in its
        # test fold: every name and word is judged unseen, as on posts of other topics.
        cvw = Score()
        for k, fold in enumerate(folds):
            test = [a for a in anchors if groups[a.file] in fold]
            words = {a.row["anchor_text"] for a in test}
            train = [
                a
                for a in anchors
                if groups[a.file] not in fold and a.row["anchor_text"] not in words
            ]
            path = train_to_file(train, groups, folder, f"wfold{k}")
            score_cli(test, judge_with_cli(posts, sorted({a.file for a in test}), path), cvw)
        print(cvw.line("  ... with unseen anchor texts"))

        # 3. Topic shift.
        for tr, te in ((1, 2), (2, 1)):
            train = [a for a in anchors if D.batch_of(a.file) == tr]
            test = [a for a in anchors if D.batch_of(a.file) == te]
            path = train_to_file(train, groups, folder, f"batch{tr}")
            s = Score()
            score_cli(test, judge_with_cli(posts, sorted({a.file for a in test}), path), s)
            print(s.line(f"topic shift: train {tr}, judge {te}"))

        # 3b. Broken links: the corpus has none, so made ones (see broken_fixtures).
        made = folder / "broken"
        made.mkdir()
        labels = broken_fixtures(posts, files, made)
        judged = judge_with_cli(made, files, None)
        s = Score()
        for key, (verdict, kept) in judged.items():
            s.add(labels.get(key, "other"), verdict, kept)
        bp, br, btp, bfp, bfn = s.pr("broken")
        print(
            f"broken links made in copies of the posts ({len(labels)} of {len(judged)} anchors, "
            f"{len(_BREAKS)} kinds): broken P {bp or 0:.3f} R {br or 0:.3f} "
            f"(tp {btp} fp {bfp} fn {bfn})"
        )

    # 4a. Learning curve: grouped CV with n training groups drawn from the other folds.
    labelled = [a for a in anchors if a.label in ("legit", "spurious")]
    print("learning curve (grouped CV, cascade computed here; mean of 3 draws):")
    for n in (8, 16, 32, 48, 10_000):
        items: list[tuple[int, bool]] = []
        for draw in range(3 if n < 10_000 else 1):
            rng = random.Random(1000 * n + draw)
            for fold in folds:
                pool = sorted({groups[a.file] for a in labelled} - fold)
                chosen = set(rng.sample(pool, min(n, len(pool))))
                train = [a for a in labelled if groups[a.file] in chosen]
                model = D.model_of(D.train_model(train, groups, k=5))
                for a in labelled:
                    if groups[a.file] in fold:
                        p, _ = D.cascade_probability(model, a)
                        items.append((a.y, p >= model.spurious or a.latin_cut))
        tp = sum(1 for y, h in items if y and h)
        fp = sum(1 for y, h in items if h and not y)
        fn = sum(1 for y, h in items if y and not h)
        label = "all other" if n >= 10_000 else f"{n:>9}"
        print(
            f"  {label} training posts: spurious P {tp / max(1, tp + fp):.3f} "
            f"R {tp / max(1, tp + fn):.3f}"
        )

    # 4b. Reliability of the grouped-CV probabilities.
    print("reliability (grouped CV): predicted probability vs share actually spurious")
    edges = [0.0, 0.1, 0.2, 0.35, 0.5, 0.65, 0.8, 0.9, 1.0001]
    for lo, hi in itertools.pairwise(edges):
        inside = [(p, y) for p, y in cv_probs if lo <= p < hi]
        if not inside:
            continue
        mean_p = sum(p for p, _ in inside) / len(inside)
        rate = sum(y for _, y in inside) / len(inside)
        print(
            f"  p in [{lo:.2f}, {min(hi, 1.0):.2f}): {len(inside):4} anchors, "
            f"mean p {mean_p:.2f}, spurious {rate:.2f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
