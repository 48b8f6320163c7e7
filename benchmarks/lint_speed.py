"""Cold ``contentkit lint`` CPU cost per post on one core, quickly, for iterating on the linter.

    python benchmarks/lint_speed.py                  # 1,000 posts of the scale.py corpus, best of 3
    python benchmarks/lint_speed.py --fresh-memo     # as if every post were new (see below)
    python benchmarks/lint_speed.py --real --runs 5  # the 56 real posts, each linted once per run
    python benchmarks/lint_speed.py --profile        # pyinstrument profile of one run
    python benchmarks/lint_speed.py --instructions   # CPU instructions per post (valgrind)
    python benchmarks/lint_speed.py --baseline-model OLD.json  # and the ratio to another model
    python benchmarks/lint_speed.py --cli --posts 2000 --baseline-model OLD.json  # the CLI itself

The lint part of scale.py without processes, cache or output: every post is read and linted
in this process exactly as a ``contentkit lint --no-cache`` worker does (``batch.lint_chunk``),
and the CPU time of this process is divided by the number of posts. Each run lints every post
once; the fastest run is printed, which on a shared machine is the least disturbed one.

On a busy machine CPU time still varies by tens of percent from run to run. ``--instructions``
counts the instructions executed instead (valgrind's callgrind; some 50 times slower, so it
lints 100 posts): the same code on the same posts gives the same count whatever else runs, so
it tells whether a change made linting cheaper. It lints 20 posts and then 120 (fewer of the
real posts), and divides the difference by 100, so start-up is not counted.

``--cli`` runs ``contentkit lint --no-cache`` itself on the corpus instead (``--jobs`` workers,
default all cores) and prints the CPU time of the command and its workers per post: what a user
pays for a cold lint, with every worker's start-up and its loading of the tagger. With
``--cold-cache`` it runs a user's first ``contentkit lint`` (the cache on, an empty
``--cache-dir``), which also writes the cache.

scale.py's corpus reshuffles the paragraphs of 56 real posts, so a link's surrounding words
repeat far more often than in a real feed, and the per-process memos of parsed attributes and
segmented link windows hit more often than they would on unseen posts. ``--fresh-memo`` empties
them before every post, which gives the cost of a post none of whose windows was seen before.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import DEFAULT_SOURCE, build_corpus

WARM_UP = 10  # posts linted before timing: imports, dictionary, config, paid once per worker


def _forget() -> None:
    from contentkit import html_scan
    from contentkit.links import segmentation, tagger

    segmentation._SEG_MEMO.clear()
    tagger._MEMO.clear()
    html_scan._ATTR_MEMO.clear()


def _use_model(path: Path | None) -> None:
    """Judge links with the model in ``path`` from now on (None: the shipped one)."""
    from contentkit.links import model

    if path is None:
        os.environ.pop(model.MODEL_ENV, None)
    else:
        os.environ[model.MODEL_ENV] = str(path)
    model.load_model.cache_clear()


def _tagger_use(paths: list[str]) -> str:
    """How often the cascade asks the tagger on these posts, in words."""
    from contentkit.document import read_document
    from contentkit.links import analyse, load_model, tagger

    lo, hi = load_model().band
    posts_with = posts_asking = judged = asked = beside_a_dot = 0
    for p in paths:
        analysis = analyse(read_document(Path(p)))
        # The judge sets ``tagger`` on the evidence of every anchor it asked the tagger about:
        # those the fast stage is unsure of, and those beside an interpunct.
        reached = [ev for ev in analysis.evidence.values() if ev.tagger is not None]
        posts_with += bool(analysis.evidence)
        posts_asking += bool(reached)
        judged += len(analysis.evidence)
        asked += len(reached)
        beside_a_dot += sum(1 for ev in reached if not lo <= ev.fast_probability <= hi)
    n = len(paths)
    return (
        f"tagger: asked about {asked} of {judged} auto-links ({asked / n:.2f} a post; "
        f"{beside_a_dot} of them beside an interpunct, outside the band), "
        f"in {posts_asking} of {n} posts ({posts_with} with auto-links); band {lo}-{hi}; "
        f"load {tagger.load_seconds():.2f} s once per worker"
    )


def _lint(paths: list[str], fresh_memo: bool) -> None:
    from contentkit import batch

    if fresh_memo:
        for p in paths:
            _forget()
            batch.lint_chunk([p])
    else:
        batch.lint_chunk(paths)


def _start(paths: list[str]) -> None:
    from contentkit import batch

    batch.start(batch.LintJob(use_cache=False, rendered_ok=True))
    batch.lint_chunk(paths[:WARM_UP])


def _instructions(paths: list[str], fresh_memo: bool, model: Path | None = None) -> tuple[int, int]:
    """Instructions per post and the posts counted: two runs under callgrind that lint 20
    and 120 posts (fewer when there are fewer), the difference divided by 100."""
    if shutil.which("valgrind") is None:
        sys.exit("--instructions needs valgrind (apt install valgrind)")
    big = min(120, len(paths) - WARM_UP)
    small = min(20, big // 4)
    if big - small < 10:
        sys.exit(f"--instructions needs at least {WARM_UP + 14} posts")
    counts = []
    for n in (small, big):
        cmd = [
            "valgrind",
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            sys.executable,
            __file__,
            "--child",
            str(n),
            *(["--fresh-memo"] if fresh_memo else []),
            *paths[: WARM_UP + n],
        ]
        env = dict(os.environ)
        env.pop("CONTENTKIT_LINK_MODEL", None)
        if model is not None:
            env["CONTENTKIT_LINK_MODEL"] = str(model)
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False, env=env)
        m = re.search(r"Collected : (\d+)", proc.stderr)
        if proc.returncode != 0 or m is None:
            sys.exit(f"valgrind failed:\n{proc.stderr[-2000:]}")
        counts.append(int(m.group(1)))
    return (counts[1] - counts[0]) // (big - small), big - small


def _cli_seconds(folder: Path, jobs: int, model: Path | None, cold_cache: bool = False) -> float:
    """CPU seconds of one ``contentkit lint --no-cache`` of ``folder`` (command and workers),
    or with ``cold_cache`` of a first ``contentkit lint``, its cache on and still empty."""
    import resource
    import tempfile

    env = dict(os.environ)
    env.pop("CONTENTKIT_LINK_MODEL", None)
    if model is not None:
        env["CONTENTKIT_LINK_MODEL"] = str(model)
    cmd = [sys.executable, "-m", "contentkit", "lint", str(folder), "-q", "-j", str(jobs)]
    with tempfile.TemporaryDirectory() as cache:
        cmd += ["--cache-dir", cache] if cold_cache else ["--no-cache"]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(cmd, env=env, capture_output=True, check=False)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _cli(folder: Path, n: int, args: argparse.Namespace) -> None:
    base_model = args.baseline_model
    models: list[Path | None] = [None] if base_model is None else [None, base_model]
    best = {m: float("inf") for m in models}
    for _ in range(args.runs):
        for m in models:  # alternating, so that both see the same machine
            best[m] = min(best[m], _cli_seconds(folder, args.jobs, m, args.cold_cache))
    jobs = args.jobs or os.cpu_count()
    how = "(cache on, empty)" if args.cold_cache else "--no-cache"
    print(
        f"contentkit lint {how} -j {jobs}, {n} scale.py posts: "
        f"{best[None] / n * 1000:.3f} CPU-ms/post (command and workers), fastest of {args.runs}"
    )
    if args.baseline_model is not None:
        base = best[args.baseline_model]
        print(
            f"  with {args.baseline_model.name}: {base / n * 1000:.3f} CPU-ms/post; "
            f"ratio {best[None] / base:.3f}"
        )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--posts", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=3, help="fastest of this many runs")
    ap.add_argument("--seed", type=int, default=20261128)
    ap.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    ap.add_argument("--real", action="store_true", help="lint the real posts in --source instead")
    ap.add_argument("--fresh-memo", action="store_true", help="empty the memos before every post")
    ap.add_argument("--profile", action="store_true", help="pyinstrument profile of one run")
    ap.add_argument(
        "--instructions", action="store_true", help="instructions per post, under valgrind"
    )
    ap.add_argument(
        "--baseline-model",
        type=Path,
        help="also measure lint with this link model (the previous one, say) and print the ratio",
    )
    ap.add_argument(
        "--cli", action="store_true", help="time the contentkit lint command itself, cold"
    )
    ap.add_argument("--jobs", type=int, default=0, help="--cli: workers (default: all cores)")
    ap.add_argument(
        "--cold-cache",
        action="store_true",
        help="--cli: a first lint with the cache on (an empty --cache-dir), not --no-cache",
    )
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)  # one run under valgrind
    ap.add_argument("paths", nargs="*", help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.child is not None:
        _start(args.paths)
        _lint(args.paths[WARM_UP:], args.fresh_memo)
        return 0

    memo = ", memos emptied before every post" if args.fresh_memo else ""
    work = Path(tempfile.mkdtemp(prefix="contentkit-lint-speed-"))
    try:
        if args.real:
            paths = sorted(str(p) for p in args.source.glob("*.md"))
        else:
            build_corpus(work, max(args.posts, WARM_UP + 120), args.seed, args.source)
            paths = sorted(str(p) for p in work.rglob("*.md"))[: max(args.posts, WARM_UP + 120)]
        what = "real posts" if args.real else "scale.py posts"
        baseline = args.baseline_model
        if baseline is not None and not baseline.is_file():
            sys.exit(f"--baseline-model: no such file: {baseline}")
        if args.cli:
            folder = work / "cli"
            folder.mkdir()
            for p in paths[: args.posts]:
                (folder / Path(p).relative_to(work).as_posix().replace("/", "-")).write_bytes(
                    Path(p).read_bytes()
                )
            _cli(folder, min(args.posts, len(paths)), args)
            return 0
        if args.instructions:
            per_post, counted = _instructions(paths, args.fresh_memo)
            print(
                f"lint, {counted} {what}{memo}: {per_post / 1e6:.3f} M instructions/post "
                "(callgrind)"
            )
            if baseline is not None:
                base, _ = _instructions(paths, args.fresh_memo, baseline)
                print(
                    f"  with {baseline.name}: {base / 1e6:.3f} M instructions/post; "
                    f"ratio {per_post / base:.3f}"
                )
            return 0
        paths = paths[: args.posts] if not args.real else paths
        _start(paths)

        def one_run() -> float:
            start = time.process_time()
            _lint(paths, args.fresh_memo)
            return time.process_time() - start

        if args.profile:
            from pyinstrument import Profiler

            _forget()
            with Profiler(interval=0.0005) as prof:
                one_run()
            print(prof.output_text(unicode=True, color=False, show_all=False))
            return 0
        models: list[Path | None] = [None] if baseline is None else [None, baseline]
        best = {m: float("inf") for m in models}
        for _ in range(args.runs):
            for m in models:  # alternating, so that both see the same machine
                _use_model(m)
                _forget()
                best[m] = min(best[m], one_run())
        _use_model(None)
        ms = best[None] / len(paths) * 1000
        print(
            f"lint, one core, {len(paths)} {what}{memo}: {ms:.3f} "
            f"CPU-ms/post ({len(paths) / best[None]:.0f} posts/CPU-s), fastest of {args.runs}"
        )
        if baseline is not None:
            base_ms = best[baseline] / len(paths) * 1000
            print(
                f"  with {baseline.name}: {base_ms:.3f} CPU-ms/post "
                f"({len(paths) / best[baseline]:.0f} posts/CPU-s); ratio {ms / base_ms:.3f}"
            )
        print(_tagger_use(paths))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
