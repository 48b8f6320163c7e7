"""write_atomic: the one way contentkit rewrites a file."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from contentkit.files import write_atomic


@pytest.mark.parametrize("durable", [True, False])
def test_rewrite_keeps_mode_and_leaves_no_temporary_file(tmp_path: Path, durable: bool) -> None:
    post = tmp_path / "post.md"
    post.write_text("old", "utf-8")
    post.chmod(0o640)
    write_atomic(post, b"new", durable=durable)
    assert post.read_bytes() == b"new"
    assert post.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["post.md"]


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links")
def test_through_links_the_target_is_rewritten_and_the_links_stay(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "post.md").write_text("old", "utf-8")
    # A link to the file, a link to that link, and a link to the folder holding the file.
    (tmp_path / "real" / "link.md").symlink_to("post.md")
    (tmp_path / "chain.md").symlink_to(tmp_path / "real" / "link.md")
    (tmp_path / "folder").symlink_to("real")
    write_atomic(tmp_path / "chain.md", b"one", durable=False)
    assert (tmp_path / "chain.md").is_symlink() and (tmp_path / "real" / "link.md").is_symlink()
    assert (tmp_path / "real" / "post.md").read_bytes() == b"one"
    write_atomic(tmp_path / "folder" / "post.md", b"two")
    assert (tmp_path / "folder").is_symlink()
    assert (tmp_path / "real" / "post.md").read_bytes() == b"two"
    assert sorted(os.listdir(tmp_path / "real")) == ["link.md", "post.md"]


def test_a_new_file_is_created(tmp_path: Path) -> None:
    write_atomic(tmp_path / "new.md", b"x", durable=False)
    assert (tmp_path / "new.md").read_bytes() == b"x"
