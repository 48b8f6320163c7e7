"""Kill a real ``contentkit lint --fix`` over a folder mid-way: nothing may be half-written.

Every file must afterwards be byte-identical either to what it was or to what a clean,
uninterrupted fix run makes of it. The run is slowed down by giving it many files; each kill
waits until a chosen file (a random one in the first half, in the order files are fixed) has
been rewritten, then lands after a random short delay, so kills fall at different points
of the run: between files, inside the write of one, in the middle of the rename.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

N_FILES = 150
ROUNDS = 5
TEMP = re.compile(r"^\.p\d{4}\.html\..+\.contentkit-tmp$")


def _post(i: int) -> str:
    # Three fixable defects per post (blank lines before ---, an RFC 2822 date, a BEL), and a
    # body long enough that writing it is not instantaneous.
    return (
        f"\n\n---\ntitle: 第{i}篇\ndate: Tue, 20 Apr 2021 02:55:35 GMT\n---\n"
        f"<p>正文\x07 {i}</p>\n" + "<p>段落内容。</p>\n" * 200
    )


def _fix(folder: Path) -> subprocess.Popen[bytes]:
    # In a session of its own, so that the kill reaches its worker processes too, as a
    # terminal's Ctrl-C or a cancelled CI job does (the whole process group).
    return subprocess.Popen(
        [sys.executable, "-m", "contentkit", "lint", "--fix", "-q", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "NO_COLOR": "1"},
        start_new_session=True,
    )


# Files are fixed by this many processes at once (the workers; the main process writes only
# before it starts them): a kill interrupts at most one write in each.
WRITERS = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def test_killed_fix_run_leaves_every_file_whole(tmp_path: Path) -> None:
    original_dir = tmp_path / "original"
    original_dir.mkdir()
    names = [f"p{i:04d}.html" for i in range(N_FILES)]
    for i, name in enumerate(names):
        (original_dir / name).write_text(_post(i), encoding="utf-8")
    original = {n: (original_dir / n).read_bytes() for n in names}

    clean_dir = tmp_path / "clean"
    shutil.copytree(original_dir, clean_dir)
    proc = _fix(clean_dir)
    _, err = proc.communicate(timeout=600)
    assert err == b"" and proc.returncode == 0
    fixed = {n: (clean_dir / n).read_bytes() for n in names}
    assert all(fixed[n] != original[n] for n in names)

    rng = random.Random(20260428)
    mixed_rounds = 0
    for round_no in range(ROUNDS):
        work = tmp_path / f"round{round_no}"
        shutil.copytree(original_dir, work)
        # Round 0 is killed at a random moment before the first write can have happened.
        target = None if round_no == 0 else rng.randrange(0, N_FILES // 2)
        proc = _fix(work)
        try:
            if target is None:
                time.sleep(rng.uniform(0.0, 0.3))
            else:
                watched = work / names[target]
                while proc.poll() is None and watched.read_bytes() == original[names[target]]:
                    time.sleep(0.002)
                time.sleep(rng.uniform(0.0, 0.05))
        finally:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=60)

        states = {"original": 0, "fixed": 0}
        for name in names:
            data = (work / name).read_bytes()
            if data == original[name]:
                states["original"] += 1
            elif data == fixed[name]:
                states["fixed"] += 1
            else:
                raise AssertionError(f"round {round_no}: {name} is neither original nor fixed")
        # The only other thing a kill may leave is the hidden temporary file of a write it
        # interrupted, one per writing process; it never has a post's name, so no later run
        # reads it.
        extra = sorted(set(os.listdir(work)) - set(names))
        assert all(TEMP.match(e) for e in extra), extra
        assert len(extra) <= max(1, WRITERS or 1)
        if states["original"] and states["fixed"]:
            mixed_rounds += 1
        if target is not None:
            assert states["fixed"] >= 1

        # And a new run over what the kill left finishes the job exactly like a clean run.
        if round_no == ROUNDS - 1 or extra:
            proc = _fix(work)
            _, err = proc.communicate(timeout=600)
            assert err == b"" and proc.returncode == 0
            assert {n: (work / n).read_bytes() for n in names} == fixed
            # The temporary files the kills left are gone too.
            assert sorted(os.listdir(work)) == sorted(names)

    # The kills did land mid-way (not all before the start or after the end).
    assert mixed_rounds >= 1
