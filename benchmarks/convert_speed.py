"""``contentkit convert`` throughput on one core against markdownify and pandoc, quickly.

    python benchmarks/convert_speed.py                 # 300 bodies, best of 3
    python benchmarks/convert_speed.py --bodies 500 --runs 5 --peers markdownify
    python benchmarks/convert_speed.py --profile clean # pyinstrument profile of one mode

The convert part of scale.py without the lint and memory parts, for iterating on the
converter: the same bodies (the first N posts of the scale.py corpus, front matter removed),
the same timing (posts per CPU-second of this process; pandoc's child processes counted), but
each rate is the best of several runs, the least disturbed by other work on the machine.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import DEFAULT_SOURCE, build_corpus
from peers import peers
from scale import bodies_of, contentkit_converter, throughput


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--bodies", type=int, default=300, help="bodies timed (scale.py: 300)")
    ap.add_argument("--pandoc-bodies", type=int, default=60, help="bodies timed for pandoc")
    ap.add_argument("--runs", type=int, default=3, help="best of this many runs")
    ap.add_argument("--seed", type=int, default=20261128)
    ap.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    ap.add_argument(
        "--peers",
        default="markdownify,pandoc",
        help="comma-separated peers to time (markdownify, html2text, html-to-markdown, pandoc)",
    )
    ap.add_argument(
        "--profile",
        choices=("clean", "keep"),
        help="profile one --project-links mode with pyinstrument instead of timing",
    )
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="contentkit-convert-speed-"))
    try:
        build_corpus(work, args.bodies, args.seed, args.source)
        bodies = bodies_of(work, args.bodies)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    ours = contentkit_converter()
    if ours is None:
        sys.exit("contentkit.convert_text is not installed in this build")

    if args.profile:
        from pyinstrument import Profiler

        mode = args.profile
        ours(bodies[0], mode)  # imports and first-use caches stay out of the profile
        with Profiler(interval=0.0005) as prof:
            for body in bodies:
                ours(body, mode)
        print(prof.output_text(unicode=True, color=False, show_all=False))
        return 0

    def best(conv: object, sample: list[str]) -> float:
        return max(throughput(conv, sample) for _ in range(args.runs))  # type: ignore[arg-type]

    clean = best(ours, bodies)
    keep = best(lambda h: ours(h, "keep"), bodies)
    print(f"bodies: {len(bodies)}, best of {args.runs} runs, one core")
    print(f"contentkit convert, --project-links clean: {clean:8.0f} posts/CPU-s")
    print(f"contentkit convert, --project-links keep:  {keep:8.0f} posts/CPU-s")
    wanted = [p.strip() for p in args.peers.split(",") if p.strip()]
    for name, conv in peers().items():
        if name not in wanted:
            continue
        if isinstance(conv, str):
            print(f"{name}: {conv}")
            continue
        sample = bodies[: args.pandoc_bodies] if name == "pandoc" else bodies
        rate = best(conv, sample)
        print(
            f"{name:<17} {rate:8.0f} posts/CPU-s   contentkit (clean) is {clean / rate:5.2f}x, "
            f"(keep) {keep / rate:5.2f}x"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
