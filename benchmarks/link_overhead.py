"""How much time the link rules (LK) add to ``contentkit lint`` on the corpus.

    python benchmarks/link_overhead.py [--corpus ../shared/corpus] [--runs 7]

Runs the CLI as a user would, alternating ``lint`` (every default rule, LK included) and
``lint --ignore LK``, and prints the best wall-clock and CPU time of each and their ratio.
The best of several runs is the least disturbed by other work on the machine. One warm-up
run first builds the word-dictionary cache (a one-time cost per machine, reported apart).
The target: ratio <= 1.30.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(args: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one CLI run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "contentkit", "lint", "--output-format", "json", *args],
        capture_output=True,
        cwd=ROOT,
        env={**os.environ, "NO_COLOR": "1"},
    )
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        sys.exit(f"contentkit lint failed ({proc.returncode}):\n{proc.stderr.decode()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    posts = str((args.corpus / "posts").resolve())
    warm_wall, _ = run([posts])
    print(f"warm-up run (builds the dictionary cache if missing): {warm_wall:.2f}s")
    with_lk: list[tuple[float, float]] = []
    without: list[tuple[float, float]] = []
    for _ in range(args.runs):
        without.append(run(["--ignore", "LK", posts]))
        with_lk.append(run([posts]))
    w_wall, w_cpu = min(w for w, _ in with_lk), min(c for _, c in with_lk)
    o_wall, o_cpu = min(w for w, _ in without), min(c for _, c in without)
    print(f"lint without LK: best wall {o_wall:.3f}s, best CPU {o_cpu:.3f}s ({args.runs} runs)")
    print(f"lint with LK:    best wall {w_wall:.3f}s, best CPU {w_cpu:.3f}s ({args.runs} runs)")
    print(
        f"ratio (wall): {w_wall / o_wall:.2f}   ratio (CPU): {w_cpu / o_cpu:.2f}   target <= 1.30"
    )
    mw = statistics.median(w for w, _ in with_lk) / statistics.median(w for w, _ in without)
    mc = statistics.median(c for _, c in with_lk) / statistics.median(c for _, c in without)
    print(f"ratio of medians (wall): {mw:.2f}   (CPU): {mc:.2f}   (more exposed to machine load)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
