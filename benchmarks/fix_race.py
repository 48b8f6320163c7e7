#!/usr/bin/env python3
"""An editor saving posts while ``contentkit lint --fix`` rewrites them: how many edits are lost.

    python benchmarks/fix_race.py                   # 5 runs over 3,000 posts
    python benchmarks/fix_race.py --posts 500 --runs 2

Each run writes the posts (each with a fixable RFC 2822 date), starts a real
``contentkit lint --fix`` over the folder, and at the same time a second process (the
"editor") saves random posts again and again, each save appending a new numbered line, half
of them in place (truncate and write, as VS Code does) and half through a temporary file
renamed over the post (as vim and most editors do). When both are done, every post must
hold its last save: a fix written over a save the fixer never read is a lost edit.
tests/test_fix_race.py runs a small version of this.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

EDITOR = r"""
import json, os, random, sys, time
folder, names, stop = sys.argv[1], sys.argv[2].split(","), sys.argv[3]
rng = random.Random(int(sys.argv[4]))
last, saves = {}, 0
while not os.path.exists(stop):
    name = rng.choice(names)
    path = os.path.join(folder, name)
    with open(path, "rb") as fh:
        text = fh.read()
    saves += 1
    text += b"<p>edit %d</p>\n" % saves
    if saves % 2:
        fd = os.open(path, os.O_WRONLY | os.O_TRUNC)
        os.write(fd, text)
        os.close(fd)
    else:
        tmp = path + ".edit~"
        with open(tmp, "wb") as fh:
            fh.write(text)
        os.replace(tmp, path)
    last[name] = saves
    time.sleep(rng.uniform(0, 0.002))
print(json.dumps(last))
"""


def post(i: int) -> str:
    return (
        f"---\ntitle: 第{i}篇\ndate: Tue, 20 Apr 2021 02:55:35 GMT\n---\n"
        + f"<p>正文 {i}</p>\n" * 20
    )


def race(folder: Path, posts: int, seed: int, fix_args: tuple[str, ...] = ()) -> tuple[int, int]:
    """(edits lost, posts saved by the editor) of one run in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    names = [f"p{i:05d}.html" for i in range(posts)]
    for i, name in enumerate(names):
        (folder / name).write_text(post(i), encoding="utf-8")
    stop = folder.parent / f"{folder.name}.stop"
    env = {**os.environ, "NO_COLOR": "1"}
    editor = subprocess.Popen(
        [sys.executable, "-c", EDITOR, str(folder), ",".join(names), str(stop), str(seed)],
        stdout=subprocess.PIPE,
        text=True,
    )
    time.sleep(0.2)  # the editor is saving before the fixer reads its first post
    fixer = subprocess.run(
        [
            sys.executable,
            "-m",
            "contentkit",
            "lint",
            "--fix",
            "-q",
            "--no-cache",
            *fix_args,
            str(folder),
        ],
        capture_output=True,
        text=True,
        env=env,
    )
    stop.touch()
    out, _ = editor.communicate(timeout=120)
    stop.unlink()
    if "Traceback" in fixer.stderr or fixer.returncode not in (0, 1):
        raise RuntimeError(f"lint --fix failed ({fixer.returncode}): {fixer.stderr[-2000:]}")
    last: dict[str, int] = json.loads(out)
    lost = sum(
        1 for name, n in last.items() if f"<p>edit {n}</p>" not in (folder / name).read_text()
    )
    return lost, len(last)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--posts", type=int, default=3000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--dir", type=Path, default=None, help="work folder (default: a temp one)")
    args = ap.parse_args()
    import tempfile

    total = 0
    with tempfile.TemporaryDirectory(prefix="contentkit-race-", dir=args.dir) as tmp:
        for run in range(args.runs):
            start = time.perf_counter()
            lost, edited = race(Path(tmp) / f"run{run}", args.posts, seed=run)
            total += lost
            print(
                f"run {run + 1}: {args.posts} posts, {edited} saved during the fix, "
                f"{lost} edits lost ({time.perf_counter() - start:.1f} s)",
                flush=True,
            )
    print(f"{total} edits lost in {args.runs} runs over {args.posts} posts")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
