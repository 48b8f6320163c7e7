"""``contentkit convert`` throughput on one core against markdownify and pandoc, quickly.

    python benchmarks/convert_speed.py                 # 300 bodies, fastest of 3 per chunk
    python benchmarks/convert_speed.py --bodies 500 --runs 5 --peers markdownify
    python benchmarks/convert_speed.py --profile clean # pyinstrument profile of one mode

The convert part of scale.py without the lint and memory parts, for iterating on the
converter: the same bodies (the first N posts of the scale.py corpus, front matter removed),
the same timing (posts per CPU-second of this process; pandoc's child processes counted), but
the converters take turns on each chunk of bodies, several times, and each keeps its fastest
time per chunk: on a shared machine that compares them under the same load.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import DEFAULT_SOURCE, build_corpus
from peers import peers
from scale import bodies_of, contentkit_converter, throughput


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--bodies", type=int, default=300, help="bodies timed (scale.py: 300)")
    ap.add_argument("--pandoc-bodies", type=int, default=60, help="bodies timed for pandoc")
    ap.add_argument("--runs", type=int, default=3, help="fastest of this many runs per chunk")
    ap.add_argument("--chunk", type=int, default=50, help="bodies per timed chunk")
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

    convs: dict[str, Callable[[str], object]] = {
        "clean": ours,
        "keep": lambda h: ours(h, "keep"),
    }
    wanted = [p.strip() for p in args.peers.split(",") if p.strip()]
    for name, conv in peers().items():
        if name not in wanted:
            continue
        if isinstance(conv, str):
            print(f"{name}: {conv}")
            continue
        convs[name] = conv
    samples = {n: bodies[: args.pandoc_bodies] if n == "pandoc" else bodies for n in convs}
    # Every converter runs on the same chunk of bodies in turn, several times, and each keeps
    # its fastest time per chunk: a burst of load on the shared machine then spoils one run of
    # one chunk, not one converter's whole figure.
    cpu = dict.fromkeys(convs, 0.0)
    for start in range(0, len(bodies), args.chunk):
        best = dict.fromkeys(convs, float("inf"))
        for _ in range(args.runs):
            for name, conv in convs.items():
                chunk = samples[name][start : start + args.chunk]
                if chunk:
                    best[name] = min(best[name], len(chunk) / throughput(conv, chunk))
        for name in convs:
            if best[name] != float("inf"):
                cpu[name] += best[name]
    rate = {n: len(samples[n]) / max(cpu[n], 1e-9) for n in convs}
    print(
        f"bodies: {len(bodies)} ({args.pandoc_bodies} for pandoc), chunks of {args.chunk}, "
        f"fastest of {args.runs} interleaved runs per chunk, one core"
    )
    print(f"contentkit convert, --project-links clean: {rate['clean']:8.0f} posts/CPU-s")
    print(f"contentkit convert, --project-links keep:  {rate['keep']:8.0f} posts/CPU-s")
    for name in convs:
        if name in ("clean", "keep"):
            continue
        print(
            f"{name:<17} {rate[name]:8.0f} posts/CPU-s   contentkit (clean) is "
            f"{rate['clean'] / rate[name]:5.2f}x, (keep) {rate['keep'] / rate[name]:5.2f}x"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
