"""A lint run remembers work across posts (segmented windows, parsed attributes, href checks,
YAML tags): what a post gets must not depend on what the same process linted before it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import FIXTURES


def _findings(stdout: str, prefix: str) -> list[dict[str, object]]:
    out = []
    for f in json.loads(stdout):
        path = str(f["path"]).replace("\\", "/")
        if path.startswith(prefix):
            out.append({**f, "path": path.removeprefix(prefix)})
    return out


def test_a_post_gets_the_same_findings_first_and_after_others(run_cli, tmp_path: Path) -> None:
    sources = sorted((FIXTURES / "perf").glob("*.md")) + sorted((FIXTURES / "links").glob("*.md"))
    # The same posts three times over, in three folders linted in order by one process: the
    # second and third copies are judged with everything the first left behind.
    for copy in ("a", "b", "c"):
        folder = tmp_path / "posts" / copy
        folder.mkdir(parents=True)
        for src in sources:
            shutil.copy(src, folder / src.name)
    proc = run_cli("lint", "--no-cache", "--output-format", "json", "-j", "1", "posts")
    assert proc.returncode == 1, proc.stderr
    first = _findings(proc.stdout, "posts/a/")
    assert {f["code"] for f in first} >= {"LK001", "LK002"}  # the link judge ran
    assert _findings(proc.stdout, "posts/b/") == first
    assert _findings(proc.stdout, "posts/c/") == first
    # A post linted alone, by a fresh process that remembers nothing, agrees too.
    alone = run_cli("lint", "--no-cache", "--output-format", "json", "posts/c/36kr-zixun-01.md")
    expected = [f for f in first if f["path"] == "36kr-zixun-01.md"]
    assert expected
    assert _findings(alone.stdout, "posts/c/") == expected
