#!/usr/bin/env python3
"""Time and peak memory of ``contentkit lint`` and ``contentkit convert`` on adversarial posts.

    python benchmarks/stress.py                      # every shape of stress_inputs.py, full size
    python benchmarks/stress.py --only bracket,div   # shapes whose name contains a word
    python benchmarks/stress.py --scale 0.1          # every shape at a tenth of its size
    python benchmarks/stress.py --profile div-flood  # cProfile of lint and convert on one shape
    python benchmarks/stress.py --at-budget          # each shape just inside the reading budget

Each post (at most 10 MiB, the default size limit) is written to a temporary folder and the
real CLI is run on it in a subprocess: ``lint --no-cache -j 1`` and ``convert --to json``.
Per run it prints the wall time, the CPU time (user + system) and the peak RSS of the process
and its children (``wait4``), the exit code and the first line of output. The time limit is
judged on CPU time: on a shared machine the wall time measures the neighbours too.
``--at-budget`` shrinks each shape whose body is over the reading budget (contentkit.limits:
MD002/HT107 would refuse it) until it weighs just under it, so the body is read in full: the
budget is right when every one of these runs stays within the limits too.
The limits (issue 16): every run finishes within 5 s and 500 MB with a clear finding or
error, and never a traceback. A run that breaks one is
marked FAIL, and is stopped at ``--cpu-limit`` CPU seconds (SIGXCPU, exit -24), ``--timeout``
wall seconds or ``--memory-cap`` of address space, so one pathology cannot take the machine
down. The script exits 1 when any run failed.
"""

from __future__ import annotations

import argparse
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stress_inputs import SHAPES, build

TIME_LIMIT = 5.0
MEMORY_LIMIT_MB = 500.0
COMMANDS = {
    "lint": ["lint", "--no-cache", "-j", "1"],
    "convert": ["convert", "--to", "json"],
    "convert-md": ["convert", "--to", "markdown"],
}


def _limit(cap_mb: int, cpu_s: float) -> None:
    cap = cap_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    # Stopped by CPU time, not wall time: on a shared machine a run may wait for a core.
    cpu = max(1, int(cpu_s + 0.999))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))


def run(
    cmd: list[str], timeout: float, cap_mb: int, cpu_s: float = 60.0
) -> tuple[float, float, float, int, str, str]:
    """(wall seconds, CPU seconds, peak RSS in MB, exit code, stdout, stderr) of one CLI run."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            cmd,
            stdout=out,
            stderr=err,
            env={**os.environ, "NO_COLOR": "1", "COLUMNS": "200"},
            preexec_fn=lambda: _limit(cap_mb, cpu_s),
            start_new_session=True,
        )
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                os.killpg(proc.pid, signal.SIGKILL)
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.01)
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    # ru_maxrss is in KiB on Linux; it covers the process and the children it waited for.
    cpu = usage.ru_utime + usage.ru_stime
    return seconds, cpu, usage.ru_maxrss / 1024, proc.returncode, stdout, stderr


def _first_line(stdout: str, stderr: str) -> str:
    for text in (stderr, stdout):
        for line in text.splitlines():
            if line.strip():
                return line.strip()
    return ""


def judge(
    seconds: float, rss: float, code: int, stdout: str, stderr: str, refused: bool, kind: str
) -> list[str]:
    """What is wrong with one run (empty: it met every limit)."""
    problems = []
    if seconds > TIME_LIMIT:
        problems.append(f">{TIME_LIMIT:g}s")
    if rss > MEMORY_LIMIT_MB:
        problems.append(f">{MEMORY_LIMIT_MB:g}MB")
    if "Traceback" in stderr or "Traceback" in stdout:
        problems.append("traceback")
    if code < 0 or code > 2:
        problems.append(f"exit {code}")
    if refused and (code == 0 or ":" not in _first_line(stdout, stderr)):
        problems.append("not refused")
    if kind == "convert" and code == 0 and not stdout.strip():
        problems.append("empty output")
    return problems


def _at_budget(name: str, scale: float, share: float = 0.97) -> float:
    """The largest scale (at most ``scale``) at which the body of shape ``name`` weighs at
    most ``share`` of the reading budget, found by a few proportional steps (weight grows
    about linearly with the scale of every shape)."""
    from contentkit.document import Document
    from contentkit.errors import ContentkitError
    from contentkit.limits import MAX_BODY_WORK

    shape = SHAPES[name]
    target = share * MAX_BODY_WORK
    for _ in range(12):
        try:
            text = build(name, scale).decode("utf-8")
            work = Document.from_text(text, f"post{shape.suffix}").body_work[0]
        except (UnicodeDecodeError, ContentkitError):
            return scale
        if work <= target:
            return scale
        scale *= 0.98 * target / work
    return scale


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--only", default="", help="comma-separated words; shapes containing one")
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--commands", default="lint,convert", help=f"of {','.join(COMMANDS)}")
    ap.add_argument("--timeout", type=float, default=120.0, help="wall seconds per run")
    ap.add_argument("--cpu-limit", type=float, default=6.0, help="CPU seconds per run")
    ap.add_argument("--memory-cap", type=int, default=2500, help="MB of address space per run")
    ap.add_argument("--profile", metavar="SHAPE", help="cProfile lint and convert of one shape")
    ap.add_argument(
        "--at-budget", action="store_true", help="shrink each shape to just inside the budget"
    )
    args = ap.parse_args()

    words = [w for w in args.only.split(",") if w]
    names = [n for n in SHAPES if not words or any(w in n for w in words)]
    exe = [sys.executable, "-m", "contentkit"]
    failed = 0
    with tempfile.TemporaryDirectory(prefix="contentkit-stress-") as tmp:
        if args.profile:
            shape = SHAPES[args.profile]
            post = Path(tmp) / f"post{shape.suffix}"
            post.write_bytes(build(shape.name, args.scale))
            for kind in args.commands.split(","):
                prof = Path(tmp) / f"{kind}.prof"
                # Through cli._run, not "-m contentkit": main() leaves with os._exit, before
                # cProfile could write its file.
                code = (
                    "import cProfile, sys; from contentkit.cli import _run; "
                    f"sys.argv = ['contentkit', *{[*COMMANDS[kind], str(post)]!r}]; "
                    f"cProfile.run('_run()', {str(prof)!r})"
                )
                run([sys.executable, "-c", code], args.timeout, args.memory_cap)
                import pstats

                print(f"== {kind} {shape.name}")
                pstats.Stats(str(prof)).sort_stats("cumulative").print_stats(25)
            return 0
        print(
            f"{'shape':<24}{'bytes':>10} {'command':<8}{'wall s':>7}{'cpu s':>7}{'MB':>6} "
            f"{'exit':>4}  result"
        )
        for name in names:
            shape = SHAPES[name]
            post = Path(tmp) / f"{name}{shape.suffix}"
            scale = _at_budget(name, args.scale) if args.at_budget else args.scale
            data = build(name, scale)
            post.write_bytes(data)
            for kind in args.commands.split(","):
                cmd = [*exe, *COMMANDS[kind], str(post)]
                wall, cpu, rss, code, stdout, stderr = run(
                    cmd, args.timeout, args.memory_cap, args.cpu_limit
                )
                if code == -9 and wall >= args.timeout:
                    cpu = max(cpu, wall)  # killed at the timeout: over the limit either way
                problems = judge(cpu, rss, code, stdout, stderr, shape.refused, kind)
                failed += bool(problems)
                first = _first_line(stdout, stderr).replace(tmp + "/", "")
                if kind.startswith("convert") and code == 0:
                    first = f"{len(stdout):,} chars of output"
                verdict = "FAIL " + ",".join(problems) if problems else "ok"
                print(
                    f"{name:<24}{len(data):>10} {kind:<8}{wall:>7.2f}{cpu:>7.2f}{rss:>6.0f} "
                    f"{code:>4}  {verdict}: {first[:90]}",
                    flush=True,
                )
            post.unlink()
    total = len(names) * len(args.commands.split(","))
    print(
        f"{total - failed} of {total} runs within {TIME_LIMIT:g} s of CPU and "
        f"{MEMORY_LIMIT_MB:g} MB, with a clear finding or error and no traceback"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
