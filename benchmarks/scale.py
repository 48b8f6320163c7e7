"""contentkit at scale: lint and convert throughput, the cache, memory, and the peers.

    pip install -e '.[bench]'
    python benchmarks/scale.py                # 10,000 posts (and 1,000 for the memory check)
    python benchmarks/scale.py --posts 2000 --peer-sample 100

Builds a corpus from the real posts in ../shared/corpus/posts (see corpus.py: shuffled
paragraphs, varied front matter, fixed seed) in a temporary folder, then runs the CLI as a
user would and prints, in one run:

- lint posts/s cold (empty cache) with 1 job and with all jobs;
- warm lint (nothing changed) wall time, whole command, and the lint part of it;
- convert posts/s (when the convert command is installed);
- peak memory (RSS of the process and its workers) linting 1,000 and 10,000 posts;
- markdownify, html2text, html-to-markdown and pandoc converting the same HTML bodies, as
  throughput ratios to contentkit's converter on one core.

Numbers depend on the machine and on what else runs on it: the script prints the CPU count
and load average with them.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import DEFAULT_SOURCE, build_corpus
from peers import peers

_FRONT = re.compile(r"\A\s*---\r?\n.*?\r?\n---\r?\n", re.S)


def peak_rss_of(cmd: list[str], env: dict[str, str]) -> tuple[float, int, str]:
    """(wall seconds, peak RSS in bytes of the process tree, stderr) for ``cmd``."""
    import psutil

    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    done = threading.Event()
    err: list[bytes] = []

    def drain() -> None:
        assert proc.stderr is not None
        err.append(proc.stderr.read())
        done.set()

    threading.Thread(target=drain, daemon=True).start()
    ps = psutil.Process(proc.pid)
    while proc.poll() is None:
        try:
            total = ps.memory_info().rss
            for child in ps.children(recursive=True):
                try:
                    total += child.memory_info().rss
                except psutil.Error:
                    pass
            peak = max(peak, total)
        except psutil.Error:
            pass
        time.sleep(0.01)
    wall = time.perf_counter() - start
    done.wait(5)
    return wall, peak, b"".join(err).decode("utf-8", "replace")


_CPU = [0.0]  # CPU seconds (user + sys) of the last command run, its workers included


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, str]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    _CPU[0] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode not in (0, 1):
        sys.exit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr.decode()}")
    return wall, proc.stderr.decode("utf-8", "replace")


def inner_seconds(stderr: str) -> float | None:
    m = re.search(r"in ([0-9.]+)s with", stderr)
    return float(m.group(1)) if m else None


def bodies_of(folder: Path, limit: int) -> list[str]:
    out = []
    for path in sorted(folder.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        m = _FRONT.match(text)
        out.append(text[m.end() :] if m else text)
        if len(out) >= limit:
            break
    return out


def throughput(convert: Callable[[str], object], bodies: list[str]) -> float:
    """Posts per CPU-second of this process (not wall time: the machine may be shared).

    pandoc runs as a child process per call, so its children's CPU time is counted too."""
    convert(bodies[0])  # warm up: imports, first-use caches
    before = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    for body in bodies:
        convert(body)
    after = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = sum(
        a.ru_utime - b.ru_utime + a.ru_stime - b.ru_stime
        for a, b in zip(after, before, strict=True)
    )
    return len(bodies) / max(cpu, 1e-9)


def contentkit_converter() -> Callable[..., object] | None:
    try:
        from contentkit import convert_text  # type: ignore[attr-defined]
    except ImportError:
        return None
    return lambda html, links="clean": convert_text(html, to="markdown", project_links=links)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--posts", type=int, default=10_000)
    ap.add_argument("--small", type=int, default=1_000, help="corpus size for the memory check")
    ap.add_argument("--seed", type=int, default=20261128)
    ap.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    ap.add_argument("--peer-sample", type=int, default=300, help="bodies timed for each peer")
    ap.add_argument("--pandoc-sample", type=int, default=60, help="bodies timed for pandoc")
    ap.add_argument("--keep", type=Path, help="build the corpus here and keep it")
    args = ap.parse_args()

    exe = [sys.executable, "-m", "contentkit"]
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    work = args.keep or Path(tempfile.mkdtemp(prefix="contentkit-scale-"))
    big, small = work / f"posts-{args.posts}", work / f"posts-{args.small}"
    try:
        t = time.perf_counter()
        size = build_corpus(big, args.posts, args.seed, args.source)
        build_corpus(small, args.small, args.seed, args.source)
        print(
            f"corpus: {args.posts:,} posts, {size / args.posts / 1024:.1f} KiB mean, "
            f"seed {args.seed}, built in {time.perf_counter() - t:.1f}s in {work}"
        )
        print(
            f"machine: {cores} cores, load average {os.getloadavg()[0]:.2f} at start "
            "(wall-clock rates are shared with whatever else runs; CPU-s are not)"
        )
        env = {**os.environ, "NO_COLOR": "1"}
        # Bytecode as an installed package has it (pip compiles it at install time): with
        # PYTHONDONTWRITEBYTECODE set (some CI images set it), every run would recompile
        # every module, and start-up would measure the compiler, not contentkit.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        n = args.posts

        rows: list[tuple[str, str]] = []
        for jobs in (1, 0):
            cache = work / f"cache-cold-{jobs}"
            shutil.rmtree(cache, ignore_errors=True)
            label = "1 job" if jobs == 1 else f"all jobs ({cores})"
            wall, err = run(
                [*exe, "lint", str(big), "-q", "-v", "-j", str(jobs), "--cache-dir", str(cache)],
                env,
            )
            inner = inner_seconds(err) or wall
            rows.append(
                (
                    f"lint cold, {label}",
                    f"{n / wall:8.0f} posts/s  ({wall:.2f}s wall; {n / inner:.0f} posts/s "
                    f"excluding start-up; {_CPU[0]:.1f} CPU-s, {_CPU[0] / n * 1000:.2f} ms/post)",
                )
            )
        warm = ["--cache-dir", str(work / "cache-cold-0")]
        wall, err = run([*exe, "lint", str(big), "-q", "-v", *warm], env)
        rows.append(
            (
                f"lint warm, {n:,} unchanged",
                f"{wall:8.2f} s       (whole command; lint part {inner_seconds(err):.2f}s; "
                f"{_CPU[0]:.2f} CPU-s)",
            )
        )
        for count, folder in ((args.small, small), (n, big)):
            wall, peak, _ = peak_rss_of([*exe, "lint", str(folder), "-q", "--no-cache"], env)
            rows.append(
                (
                    f"peak memory, lint {count:,} posts",
                    f"{peak / 2**20:8.0f} MiB     (all jobs, process + workers)",
                )
            )
        width = max(len(k) for k, _ in rows)
        print()
        for k, v in rows:
            print(f"{k:<{width}}  {v}")

        bodies = bodies_of(big, args.peer_sample)
        ours = contentkit_converter()
        print()
        if ours is None:
            print("convert: contentkit.convert_text is not installed in this build; skipped")
            return
        ours_rate = throughput(ours, bodies)
        wall, err = run(
            [*exe, "convert", str(big), "--to", "markdown", "--output-dir", str(work / "out")], env
        )
        print(
            f"convert (CLI, all jobs, {n:,} posts): {n / wall:8.0f} posts/s  ({wall:.2f}s wall, "
            f"{_CPU[0] / n * 1000:.2f} CPU-ms/post)"
        )
        print(f"convert (API, one core, {len(bodies)} bodies): {ours_rate:8.0f} posts/CPU-s")
        keep = throughput(lambda h: ours(h, "keep"), bodies)
        print(f"convert (API, --project-links keep, no link judging): {keep:8.0f} posts/CPU-s")
        print()
        print(f"{'peer (one core, same bodies)':<30} {'posts/CPU-s':>11} {'contentkit is':>14}")
        for name, conv in peers().items():
            if isinstance(conv, str):
                print(f"{name:<30} {conv}")
                continue
            sample = bodies[: args.pandoc_sample] if name == "pandoc" else bodies
            rate = throughput(conv, sample)
            print(f"{name:<30} {rate:11.0f} {ours_rate / rate:13.2f}x")
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
