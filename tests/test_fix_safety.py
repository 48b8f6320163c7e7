"""``lint --fix`` never loses an edit: changed, read-only and linked files, leftover temp files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from fix_race import race

from contentkit.files import FileChanged, FileState, NotWritten, remove_stale_temps, write_atomic

FIXABLE = "---\ntitle: t\ndate: Tue, 20 Apr 2021 02:55:35 GMT\n---\n<p>a</p>\n"
FIXED = "---\ntitle: t\ndate: 2021-04-20T02:55:35Z\n---\n<p>a</p>\n"


def _state(path: Path) -> FileState:
    return FileState.of(path.stat(), path.read_bytes())


def test_a_file_changed_since_it_was_read_is_not_replaced(tmp_path: Path) -> None:
    post = tmp_path / "a.html"
    post.write_bytes(b"old")
    seen = _state(post)
    post.write_bytes(b"new")  # same size, maybe the same mtime tick: the hash tells
    with pytest.raises(FileChanged):
        write_atomic(post, b"fixed", expected=seen)
    assert post.read_bytes() == b"new"
    assert os.listdir(tmp_path) == ["a.html"]
    write_atomic(post, b"fixed", expected=_state(post))
    assert post.read_bytes() == b"fixed"
    assert os.listdir(tmp_path) == ["a.html"]


def test_read_only_post_is_reported_not_written(run_cli, tmp_path: Path) -> None:
    post = tmp_path / "ro.html"
    post.write_text(FIXABLE, "utf-8")
    post.chmod(0o444)
    try:
        proc = run_cli("lint", "--fix", "--no-cache", str(tmp_path))
        assert post.read_text("utf-8") == FIXABLE
        assert "ro.html:1:1: CK001 [unreadable-file] fix not written: the file is read-only" in (
            proc.stdout
        )
        assert proc.returncode == 1
        assert oct(post.stat().st_mode & 0o777) == "0o444"
    finally:
        post.chmod(0o644)
    with pytest.raises(NotWritten):
        post.chmod(0o444)
        write_atomic(post, b"x", keep_read_only=True)
    post.chmod(0o644)


def test_link_out_of_the_tree_is_written_only_when_asked(run_cli, tmp_path: Path) -> None:
    site, elsewhere = tmp_path / "site", tmp_path / "elsewhere"
    site.mkdir()
    elsewhere.mkdir()
    outside = elsewhere / "shared.html"
    outside.write_text(FIXABLE, "utf-8")
    inside = site / "real.html"
    inside.write_text(FIXABLE, "utf-8")
    (site / "out.html").symlink_to(outside)
    (site / "in.html").symlink_to(inside)
    proc = run_cli("lint", "--fix", "--no-cache", "site", cwd=tmp_path)
    assert outside.read_text("utf-8") == FIXABLE
    assert inside.read_text("utf-8") == FIXED  # a link within the tree is fine
    assert (site / "out.html").is_symlink() and (site / "in.html").is_symlink()
    assert "out.html:1:1: CK001 [unreadable-file] fix not written: it is a symbolic link" in (
        proc.stdout
    )
    assert "--follow-symlinks" in proc.stdout
    proc = run_cli("lint", "--fix", "--no-cache", "--follow-symlinks", "site", cwd=tmp_path)
    assert outside.read_text("utf-8") == FIXED, proc.stdout
    assert (site / "out.html").is_symlink()

    outside.write_text(FIXABLE, "utf-8")
    (site / "contentkit.toml").write_text("follow-symlinks = true\n", "utf-8")
    run_cli("lint", "--fix", "--no-cache", "site", cwd=tmp_path)
    assert outside.read_text("utf-8") == FIXED


def test_only_our_own_leftover_temp_files_are_removed(run_cli, tmp_path: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (tmp_path / "a.html").write_text(FIXED, "utf-8")
    ours = f".a.html.{dead.pid}.k2j_9xq0.contentkit-tmp"
    live = f".a.html.{os.getpid()}.abcdefgh.contentkit-tmp"  # a run still writing it
    others = ["a.contentkit-tmp", ".notes.contentkit-tmp", f".a.html.{dead.pid}.x.contentkit-tmp"]
    for name in [ours, live, *others]:
        (tmp_path / name).write_text("x", "utf-8")
    proc = run_cli("lint", "--no-cache", str(tmp_path))  # only a run that writes cleans up
    assert (tmp_path / ours).exists()
    proc = run_cli("lint", "--fix", "--no-cache", str(tmp_path))
    assert proc.returncode == 0, proc.stdout
    assert not (tmp_path / ours).exists()
    assert sorted(os.listdir(tmp_path)) == sorted(["a.html", live, *others])
    assert remove_stale_temps(tmp_path) == 0


def test_an_editor_saving_during_fix_loses_no_edit(tmp_path: Path) -> None:
    # A real second process saves posts (in place, and by rename) while lint --fix runs.
    lost, saved = race(tmp_path / "posts", posts=300, seed=7, fix_args=("-j", "2"))
    assert saved > 0
    assert lost == 0


@pytest.mark.parametrize("newline", ["\r", "\r\n"])
def test_cr_only_and_crlf_posts_convert_with_one_line_ending(
    newline: str, run_cli, tmp_path: Path
) -> None:
    post = tmp_path / "p.html"
    text = "---\ntitle: t\ndate: 2021-04-20\n---\n<p>a</p>\n<ul><li>x</li><li>y</li></ul>\n"
    post.write_bytes(text.replace("\n", newline).encode())
    proc = subprocess.run(
        [sys.executable, "-m", "contentkit", "convert", str(post)], capture_output=True
    )
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.decode()
    assert "a" in out and "- x" in out
    others = out.replace(newline, "")
    assert "\r" not in others and "\n" not in others
