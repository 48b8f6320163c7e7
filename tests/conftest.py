from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED = ROOT / "seeds" / "shanghai-internet-map.md"


@pytest.fixture
def run_cli(tmp_path: Path):
    """Run the installed ``contentkit`` command as a user would; returns CompletedProcess."""

    def run(
        *args: str,
        input: bytes | None = None,
        cwd: Path | None = None,
        env: dict[str, str] | None = None,
    ) -> subprocess.CompletedProcess[str]:
        full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
        proc = subprocess.run(
            [sys.executable, "-m", "contentkit", *args],
            input=input,
            cwd=cwd or tmp_path,
            env=full_env,
            capture_output=True,
        )
        return subprocess.CompletedProcess(
            proc.args,
            proc.returncode,
            proc.stdout.decode("utf-8", "replace"),
            proc.stderr.decode("utf-8", "replace"),
        )

    return run
