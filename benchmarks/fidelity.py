"""Fidelity of HTML -> Markdown converters, judged by a CommonMark reader (markdown-it-py).

    python benchmarks/fidelity.py                      # corpus + hard cases, all converters
    python benchmarks/fidelity.py --details contentkit # also list what contentkit got wrong

Scores (1.00 = the rendered Markdown shows exactly what the HTML showed) come from
``contentkit.convert.fidelity``, the same scorer the tests use. Peers (markdownify, html2text,
html-to-markdown, pandoc) are in the ``bench`` extra: ``pip install -e '.[bench]'``; a peer that
is not installed is skipped. Every converter sees the same HTML body. ``contentkit`` keeps
project links as written (like the peers); ``contentkit (clean)`` is the default
``--project-links clean``, scored against the source with the judged-spurious anchors unwrapped.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from peers import peers  # noqa: E402

from contentkit.convert import convert_document  # noqa: E402
from contentkit.convert.fidelity import DIMENSIONS, Score, score  # noqa: E402
from contentkit.document import Document, read_document  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "posts"
HARD = ROOT / "tests" / "fixtures" / "convert"


Row = tuple[str, dict[str, float], int, int, int, float]  # name, scores, raw, unsafe, perfect, s


def load(paths: list[Path]) -> list[Document]:
    docs = []
    for p in paths:
        if p.suffix == ".cases":  # many small hard cases, one per block
            blocks = p.read_text("utf-8").split("\n====\n")
            for i, block in enumerate(blocks):
                if block.strip():
                    docs.append(Document.from_text(block, f"{p}#{i}", body_kind="html"))
        elif p.suffix in (".html", ".htm"):
            docs.append(Document.from_text(p.read_text("utf-8"), str(p), body_kind="html"))
        else:
            doc = read_document(p)
            if doc.starts_with_html:  # convert reads such a body as HTML
                docs.append(doc)
    return docs


def run(docs: list[Document], details: str | None) -> list[Row]:
    rows: list[Row] = []
    converters: dict[str, Callable[[Document], tuple[str, str]]] = {
        "contentkit": lambda d: (
            d.body,
            convert_document(d, project_links="keep").markdown,
        ),
    }

    def clean(d: Document) -> tuple[str, str]:
        conv = convert_document(d)
        return conv.source_html, conv.markdown

    converters["contentkit (clean)"] = clean
    for name, fn in peers().items():
        if isinstance(fn, str):
            print(f"{name}: {fn}", file=sys.stderr)
            continue
        converters[name] = lambda d, fn=fn: (d.body, fn(d.body))
    for name, conv in converters.items():
        totals = dict.fromkeys(DIMENSIONS, 0.0)
        raw = unsafe = perfect = 0
        elapsed = 0.0
        for d in docs:
            t0 = time.perf_counter()
            try:
                source, md = conv(d)
            except Exception as exc:  # a peer that crashes scores zero on that post
                print(f"  {name} failed on {d.path}: {type(exc).__name__}: {exc}", file=sys.stderr)
                continue
            finally:
                elapsed += time.perf_counter() - t0
            s: Score = score(source, md)
            for k, v in s.scores.items():
                totals[k] += v
            raw += s.raw_html
            unsafe += s.unsafe_links
            perfect += min(s.scores.values()) == 1.0 and not s.raw_html and not s.unsafe_links
            if details == name and (min(s.scores.values()) < 1.0 or s.raw_html or s.unsafe_links):
                print(f"\n== {d.path}")
                for dim, v in s.scores.items():
                    if v < 1.0:
                        missing, extra = s.differences(dim)
                        print(
                            f"  {dim} {v:.3f}\n    missing: {missing[:5]}\n    extra:   {extra[:5]}"
                        )
                if s.raw_html or s.unsafe_links:
                    print(f"  raw_html={s.raw_html} unsafe={s.unsafe_links}")
        n = max(1, len(docs))
        rows.append((name, {k: v / n for k, v in totals.items()}, raw, unsafe, perfect, elapsed))
    return rows


def table(title: str, rows: list[Row]) -> str:
    head = ["converter", *DIMENSIONS, "raw_html", "unsafe", "perfect", "seconds"]
    lines = [f"### {title}", "", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name, scores, raw, unsafe, perfect, elapsed in rows:
        cells = [
            name,
            *(f"{scores[d]:.2f}" for d in DIMENSIONS),
            str(raw),
            str(unsafe),
            str(perfect),
        ]
        lines.append("| " + " | ".join([*cells, f"{elapsed:.2f}"]) + " |")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument(
        "paths", nargs="*", type=Path, help="posts or folders (default: corpus + hard cases)"
    )
    ap.add_argument(
        "--details", metavar="CONVERTER", help="list each imperfect post for one converter"
    )
    args = ap.parse_args()
    sets: list[tuple[str, list[Path]]] = []
    if args.paths:
        files = [q for p in args.paths for q in (sorted(p.glob("*")) if p.is_dir() else [p])]
        sets.append(("given posts", files))
    else:
        if CORPUS.is_dir():
            sets.append((f"corpus ({CORPUS})", sorted(CORPUS.glob("*.md"))))
        hard = sorted(HARD.glob("*.html")) + sorted(HARD.glob("*.cases"))
        sets.append(("hard cases (tests/fixtures/convert)", hard))
    for title, files in sets:
        docs = load(files)
        print(table(f"{title}: {len(docs)} HTML posts", run(docs, args.details)))
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
