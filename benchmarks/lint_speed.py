"""Cold ``contentkit lint`` CPU cost per post on one core, quickly, for iterating on the linter.

    python benchmarks/lint_speed.py                  # 1,000 posts of the scale.py corpus, best of 3
    python benchmarks/lint_speed.py --fresh-memo     # as if every post were new (see below)
    python benchmarks/lint_speed.py --real --runs 5  # the 56 real posts, each linted once per run
    python benchmarks/lint_speed.py --profile        # pyinstrument profile of one run

The lint part of scale.py without processes, cache or output: every post is read and linted
in this process exactly as a ``contentkit lint --no-cache`` worker does (``batch.lint_chunk``),
and the CPU time of this process is divided by the number of posts. Each run lints every post
once; the fastest run is printed, which on a shared machine is the least disturbed one.

scale.py's corpus reshuffles the paragraphs of 56 real posts, so a link's surrounding words
repeat far more often than in a real feed, and the per-process memos of parsed attributes and
segmented link windows hit more often than they would on unseen posts. ``--fresh-memo`` empties
them before every post, which gives the cost of a post none of whose windows was seen before.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import DEFAULT_SOURCE, build_corpus


def _forget() -> None:
    from contentkit import html_scan, links

    links._SEG_MEMO.clear()
    html_scan._ATTR_MEMO.clear()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--posts", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=3, help="fastest of this many runs")
    ap.add_argument("--seed", type=int, default=20261128)
    ap.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    ap.add_argument("--real", action="store_true", help="lint the real posts in --source instead")
    ap.add_argument("--fresh-memo", action="store_true", help="empty the memos before every post")
    ap.add_argument("--profile", action="store_true", help="pyinstrument profile of one run")
    args = ap.parse_args()

    from contentkit import batch

    work = Path(tempfile.mkdtemp(prefix="contentkit-lint-speed-"))
    try:
        if args.real:
            paths = sorted(str(p) for p in args.source.glob("*.md"))
        else:
            build_corpus(work, args.posts, args.seed, args.source)
            paths = sorted(str(p) for p in work.rglob("*.md"))
        batch.start(batch.LintJob(use_cache=False, rendered_ok=True))
        batch.lint_chunk(paths[:10])  # imports, dictionary, config: paid once per worker

        def one_run() -> float:
            start = time.process_time()
            if args.fresh_memo:
                for p in paths:
                    _forget()
                    batch.lint_chunk([p])
            else:
                batch.lint_chunk(paths)
            return time.process_time() - start

        if args.profile:
            from pyinstrument import Profiler

            _forget()
            with Profiler(interval=0.0005) as prof:
                one_run()
            print(prof.output_text(unicode=True, color=False, show_all=False))
            return 0
        best = float("inf")
        for _ in range(args.runs):
            _forget()
            best = min(best, one_run())
        what = "real posts" if args.real else "scale.py posts"
        memo = ", memos emptied before every post" if args.fresh_memo else ""
        print(
            f"lint, one core, {len(paths)} {what}{memo}: {best / len(paths) * 1000:.3f} "
            f"CPU-ms/post ({len(paths) / best:.0f} posts/CPU-s), fastest of {args.runs}"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
