"""Precision and recall of the link rules against the labelled corpus, judged as a user would.

    python benchmarks/link_quality.py [--corpus ../shared/corpus] [--labels FILE]

Runs ``contentkit lint --select LK --output-format json`` on the corpus posts, maps each
finding to a row of ``links.tsv`` (the row's file, and the order of the ``project-link``
anchors in that file, found here by a plain scan of the file independent of contentkit),
and prints precision, recall and F1 for ``spurious`` and for ``broken``, and the confusion.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JSON_OUT = ("--output-format", "json")
CODE_TO_VERDICT = {"LK001": "spurious", "LK002": "broken"}
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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--labels", type=Path, help="links.tsv to score against (default: corpus's)")
    args = ap.parse_args()
    posts = (args.corpus / "posts").resolve()
    labels_path = args.labels or args.corpus / "links.tsv"
    with open(labels_path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))

    proc = subprocess.run(
        [sys.executable, "-m", "contentkit", "lint", "--select", "LK", *JSON_OUT, str(posts)],
        capture_output=True,
        env={**os.environ, "NO_COLOR": "1"},
        cwd=ROOT,
    )
    if proc.returncode not in (0, 1):
        sys.exit(f"contentkit lint failed ({proc.returncode}):\n{proc.stderr.decode()}")
    findings = json.loads(proc.stdout)

    predicted: dict[tuple[str, int, int], str] = {}
    for f in findings:
        verdict = CODE_TO_VERDICT.get(f["code"])
        if verdict:
            predicted[(Path(f["path"]).name, f["line"], f["column"])] = verdict

    confusion: Counter[tuple[str, str]] = Counter()
    matched: set[tuple[str, int, int]] = set()
    positions: dict[str, list[tuple[int, int]]] = {}
    for row in rows:
        name = row["file"]
        if name not in positions:
            positions[name] = anchor_positions((posts / name).read_text(encoding="utf-8"))
        idx = int(row["index"])
        if idx >= len(positions[name]):
            print(f"warning: {name} has no project-link #{idx}", file=sys.stderr)
            continue
        key = (name, *positions[name][idx])
        guess = predicted.get(key, "legit")
        matched.add(key)
        confusion[(row["label"], guess)] += 1
    unmatched = [k for k in predicted if k not in matched]

    print(f"{len(rows)} labelled anchors, {len(findings)} LK findings on {posts}")
    for cls in ("spurious", "broken"):
        tp = confusion[(cls, cls)]
        fp = sum(n for (gold, guess), n in confusion.items() if guess == cls and gold != cls)
        fn = sum(n for (gold, guess), n in confusion.items() if gold == cls and guess != cls)
        p = f"{tp / (tp + fp):.3f}" if tp + fp else "n/a"
        r = f"{tp / (tp + fn):.3f}" if tp + fn else "n/a"
        f1 = f"{2 * tp / (2 * tp + fp + fn):.3f}" if tp else "n/a"
        print(f"{cls:9} precision {p}  recall {r}  F1 {f1}  (tp {tp} fp {fp} fn {fn})")
    other = Counter(CODE_TO_VERDICT.get(f["code"]) for f in findings)
    print(f"all links of all posts: {other['spurious']} spurious, {other['broken']} broken")
    labels = ("legit", "spurious", "broken")
    print("confusion (rows: label, columns: contentkit's verdict)")
    print(" " * 10 + "".join(f"{c:>10}" for c in labels))
    for gold in labels:
        print(f"{gold:10}" + "".join(f"{confusion[(gold, g)]:>10}" for g in labels))
    if unmatched:
        print(f"{len(unmatched)} findings on links that links.tsv does not label:")
        for name, line, col in sorted(unmatched):
            print(f"  {name}:{line}:{col} {predicted[(name, line, col)]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
