"""``contentkit init``: a starter config that loads, written without clobbering anything."""

from __future__ import annotations

import shutil
from pathlib import Path

POSTS = Path(__file__).resolve().parent / "fixtures" / "integrations"

PYPROJECT = """\
[project]
name = "my-site"   # a comment that must survive
version = "1.0"

[tool.black]
line-length = 88

[build-system]
requires = ["setuptools"]
"""


def test_init_appends_to_pyproject_and_keeps_the_rest(run_cli, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    proc = run_cli("init")
    assert proc.returncode == 0, proc.stderr
    assert "pyproject.toml [tool.contentkit]" in proc.stdout
    text = (tmp_path / "pyproject.toml").read_text(encoding="utf-8")
    assert text.startswith(PYPROJECT)
    assert "\n[tool.contentkit]\n" in text[len(PYPROJECT) :]
    assert not (tmp_path / "contentkit.toml").exists()

    # The written config is one contentkit reads (an unknown key would be an error).
    shutil.copy(POSTS / "bad-post.md", tmp_path / "post.md")
    proc = run_cli("lint", "post.md")
    assert proc.returncode == 1 and "FM011" in proc.stdout, proc.stderr

    # Again: refused, file untouched.
    proc = run_cli("init")
    assert proc.returncode == 2
    assert "already configured" in proc.stderr
    assert (tmp_path / "pyproject.toml").read_text(encoding="utf-8") == text


def test_init_writes_contentkit_toml_when_there_is_no_pyproject(run_cli, tmp_path: Path):
    proc = run_cli("init")
    assert proc.returncode == 0
    assert (tmp_path / "contentkit.toml").is_file()
    shutil.copy(POSTS / "good-post.md", tmp_path / "post.md")
    assert run_cli("lint", "post.md").returncode == 0
    before = (tmp_path / "contentkit.toml").read_bytes()
    proc = run_cli("init", "--file", "pyproject.toml")
    assert proc.returncode == 2
    assert "contentkit.toml" in proc.stderr
    assert (tmp_path / "contentkit.toml").read_bytes() == before
    assert not (tmp_path / "pyproject.toml").exists()


def test_init_into_a_pyproject_with_a_tool_table_and_no_final_newline(run_cli, tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool]\nx = 1", encoding="utf-8")
    assert run_cli("init").returncode == 0
    text = (tmp_path / "pyproject.toml").read_text(encoding="utf-8")
    assert text.startswith("[tool]\nx = 1\n\n[tool.contentkit]\n")


def test_init_refuses_a_broken_pyproject(run_cli, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project\nname = 1\n", encoding="utf-8")
    proc = run_cli("init")
    assert proc.returncode == 2
    assert proc.stderr.startswith("contentkit: error: pyproject.toml:1:")
    assert "Traceback" not in proc.stderr
    assert (tmp_path / "pyproject.toml").read_text(encoding="utf-8") == "[project\nname = 1\n"
