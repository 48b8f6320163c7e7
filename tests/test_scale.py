"""Parallel, streaming lint and the lint cache, run through the CLI as a user runs them."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import zlib
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "perf"


def make_corpus(root: Path, count: int = 48) -> Path:
    """``count`` real posts spread over three folders (enough to use the worker pool)."""
    posts = sorted(FIXTURES.glob("*.md"))
    folder = root / "posts"
    for i in range(count):
        sub = folder / f"part-{i % 3}"
        sub.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(posts[i % len(posts)], sub / f"post-{i:03d}.md")
    return folder


def cache_line(stderr: str) -> tuple[int, int]:
    m = re.search(r"linted (\d+) files .* cache: (\d+) of \d+ files from cache", stderr)
    assert m, stderr
    return int(m.group(2)), int(m.group(1))


def test_parallel_output_is_the_serial_output(run_cli, tmp_path: Path) -> None:
    posts = make_corpus(tmp_path)
    serial = run_cli("lint", str(posts), "--jobs", "1", "--no-cache")
    parallel = run_cli("lint", str(posts), "--jobs", "2", "--no-cache", "-v")
    assert serial.returncode == parallel.returncode == 1
    assert parallel.stdout == serial.stdout
    assert "with 2 jobs" in parallel.stderr
    # Links judged in workers that inherited this process's tagger (loaded for the first
    # posts, before the fork) are judged as in one process.
    assert "[spurious-link]" in serial.stdout
    # Findings come file by file in discovery order, which is sorted path order.
    paths = [line.split(":")[0] for line in serial.stdout.splitlines() if ": FM" in line]
    assert paths == sorted(paths)
    assert len(set(paths)) == 48


def test_json_output_streams_one_valid_array(run_cli, tmp_path: Path) -> None:
    posts = make_corpus(tmp_path)
    one = run_cli("lint", str(posts), "-j", "1", "--output-format", "json", "--no-cache")
    two = run_cli("lint", str(posts), "-j", "2", "--output-format", "json", "--no-cache")
    assert one.stdout == two.stdout
    findings = json.loads(two.stdout)
    assert {f["code"] for f in findings} >= {"FM002", "FM011"}
    clean = tmp_path / "clean.md"
    clean.write_text("---\ntitle: Hi\ndate: 2021-04-20\n---\nText.\n", encoding="utf-8")
    empty = run_cli("lint", str(clean), "--output-format", "json")
    assert empty.returncode == 0 and json.loads(empty.stdout) == []


def test_second_run_reads_the_cache(run_cli, tmp_path: Path) -> None:
    posts = make_corpus(tmp_path)
    cold = run_cli("lint", str(posts), "-v")
    warm = run_cli("lint", str(posts), "-v")
    assert cache_line(cold.stderr) == (0, 48)
    assert cache_line(warm.stderr) == (48, 48)
    assert warm.stdout == cold.stdout and warm.returncode == cold.returncode == 1
    cache = tmp_path / ".contentkit_cache"
    assert (cache / "CACHEDIR.TAG").is_file()
    assert list(cache.glob("*/lint-v*.sqlite"))
    # The same findings as without any cache, also with --show-source.
    fresh = run_cli("lint", str(posts), "--no-cache", "--show-source")
    assert run_cli("lint", str(posts), "--show-source").stdout == fresh.stdout


def test_no_cache_neither_reads_nor_writes(run_cli, tmp_path: Path) -> None:
    posts = make_corpus(tmp_path, 20)
    result = run_cli("lint", str(posts), "--no-cache", "-v")
    assert "cache: off" in result.stderr
    assert not (tmp_path / ".contentkit_cache").exists()


def test_changed_file_and_changed_config_miss_the_cache(run_cli, tmp_path: Path) -> None:
    posts = make_corpus(tmp_path)
    run_cli("lint", str(posts))
    one = posts / "part-0" / "post-000.md"
    one.write_text(one.read_text(encoding="utf-8") + "\n<p>one more line</p>\n", encoding="utf-8")
    after_edit = run_cli("lint", str(posts), "-v")
    assert cache_line(after_edit.stderr) == (47, 48)

    (tmp_path / "contentkit.toml").write_text('ignore = ["FM011"]\n', encoding="utf-8")
    after_config = run_cli("lint", str(posts), "-v")
    assert cache_line(after_config.stderr) == (0, 48)
    assert "FM011" not in after_config.stdout and "FM002" in after_config.stdout
    # A command-line override is part of the effective settings too.
    override = run_cli("lint", str(posts), "-v", "--ignore", "FM002")
    assert cache_line(override.stderr)[0] == 0 and "FM002" not in override.stdout


@pytest.mark.parametrize("damage", ["garbage", "foreign-sqlite", "tampered-entry"])
def test_corrupt_or_foreign_cache_is_ignored(run_cli, tmp_path: Path, damage: str) -> None:
    posts = make_corpus(tmp_path, 24)
    cold = run_cli("lint", str(posts))
    (db,) = (tmp_path / ".contentkit_cache").glob("*/lint-v*.sqlite")
    if damage != "tampered-entry":
        for extra in db.parent.glob(db.name + "-*"):
            extra.unlink()  # drop the WAL so the damage below is what the next run sees
    if damage == "garbage":
        db.write_bytes(b"this is not a database" * 100)
    elif damage == "foreign-sqlite":
        db.unlink()
        with sqlite3.connect(db) as conn:
            conn.execute("CREATE TABLE entries (key BLOB, payload BLOB, checksum BLOB)")
            conn.execute("CREATE TABLE meta (name TEXT, value TEXT)")
            conn.execute("INSERT INTO meta VALUES ('magic', 'someone-else')")
        conn.close()
    else:
        # Rewrite every entry to claim "no findings" without a matching checksum.
        with sqlite3.connect(db) as conn:
            conn.execute("UPDATE entries SET payload = CAST('[]' AS BLOB)")
            conn.execute("UPDATE rendered SET text = CAST('[]' || char(10) AS BLOB)")
        conn.close()
    again = run_cli("lint", str(posts), "-v")
    assert again.returncode == cold.returncode == 1
    assert again.stdout == cold.stdout
    assert cache_line(again.stderr) == (0, 24)
    rebuilt = run_cli("lint", str(posts), "-v")
    assert rebuilt.stdout == cold.stdout
    assert cache_line(rebuilt.stderr) == (24, 24)


def test_fix_is_not_skipped_by_a_warm_cache(run_cli, tmp_path: Path) -> None:
    posts = make_corpus(tmp_path, 24)
    run_cli("lint", str(posts))
    fixed = run_cli("lint", str(posts), "--fix")
    assert re.search(r"\((\d+) fixed\)|Fixed \d+", fixed.stdout), fixed.stdout
    after = run_cli("lint", str(posts), "-v")
    fresh = run_cli("lint", str(posts), "--no-cache")
    assert after.stdout == fresh.stdout
    assert "FM011" not in fresh.stdout  # the safe fixes were written
    assert cache_line(after.stderr) == (24, 24)  # --fix stored the fixed files' findings


def test_cache_dir_from_config(run_cli, tmp_path: Path) -> None:
    posts = make_corpus(tmp_path, 20)
    (tmp_path / "contentkit.toml").write_text('cache-dir = "build-cache"\n', encoding="utf-8")
    run_cli("lint", str(posts))
    assert (tmp_path / "build-cache" / "CACHEDIR.TAG").is_file()
    assert not (tmp_path / ".contentkit_cache").exists()
    warm = run_cli("lint", str(posts), "-v")
    assert cache_line(warm.stderr) == (20, 20)
    elsewhere = tmp_path / "elsewhere"
    run_cli("lint", str(posts), "--cache-dir", str(elsewhere))
    assert (elsewhere / "CACHEDIR.TAG").is_file()


def test_jobs_from_config_and_bad_subfolder_config(run_cli, tmp_path: Path) -> None:
    posts = make_corpus(tmp_path, 40)
    (tmp_path / "contentkit.toml").write_text("jobs = 2\n", encoding="utf-8")
    result = run_cli("lint", str(posts), "-v", "--no-cache")
    assert "with 2 jobs" in result.stderr
    (posts / "part-2" / "contentkit.toml").write_text("no-such-key = 1\n", encoding="utf-8")
    bad = run_cli("lint", str(posts), "--no-cache")
    assert bad.returncode == 2
    assert "unknown key 'no-such-key'" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_parallel_fix_and_diff_match_serial(run_cli, tmp_path: Path) -> None:
    one = make_corpus(tmp_path / "one", 80)
    two = make_corpus(tmp_path / "two", 80)
    diff_one = run_cli("lint", str(one), "--diff", "-j", "1", "--no-cache", cwd=tmp_path / "one")
    diff_two = run_cli("lint", str(two), "--diff", "-j", "2", "--no-cache", cwd=tmp_path / "two")
    assert diff_one.returncode == diff_two.returncode == 1
    assert diff_one.stdout.replace(str(one), "P") == diff_two.stdout.replace(str(two), "P")
    run_cli("lint", str(one), "--fix", "-j", "1", "--no-cache")
    run_cli("lint", str(two), "--fix", "-j", "2", cwd=tmp_path / "two")  # cache on, in parallel
    for a in sorted(one.rglob("*.md")):
        assert a.read_bytes() == (two / a.relative_to(one)).read_bytes()
    after = run_cli("lint", str(two), "-v", cwd=tmp_path / "two")
    assert "FM011" not in after.stdout
    assert after.stdout == run_cli("lint", str(two), "--no-cache").stdout


def test_findings_nobody_uses_any_more_are_pruned(run_cli, tmp_path: Path) -> None:
    """Rows an older config left behind go after KEEP_DAYS; the ones in use stay."""
    import os
    import time

    from contentkit.cache import KEEP_DAYS

    posts = make_corpus(tmp_path, 12)
    old = time.time() - 3600  # mtimes well in the past, so the stat rows are written
    for post in posts.rglob("*.md"):
        os.utime(post, (old, old))
    run_cli("lint", str(posts), "--ignore", "FM002")  # a config nobody will use again
    current = run_cli("lint", str(posts))
    (db,) = (tmp_path / ".contentkit_cache").glob("*/lint-v*.sqlite")

    def count(table: str) -> int:
        with sqlite3.connect(db) as conn:
            (n,) = conn.execute(f"SELECT count(*) FROM {table}").fetchone()
        conn.close()
        return int(n)

    assert count("files") == 24 and count("entries") == count("rendered") == 24
    # Make every row look KEEP_DAYS + 1 days old, and the last prune a day before that.
    day = int(time.time() // 86400) - KEEP_DAYS - 1
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE files SET used_day = ?", (day,))
        conn.execute("UPDATE entries SET written_day = ?", (day,))
        conn.execute("UPDATE meta SET value = ? WHERE name = 'pruned'", (str(day),))
    conn.close()
    again = run_cli("lint", str(posts), "-v")
    assert again.stdout == current.stdout
    assert cache_line(again.stderr) == (12, 12)  # the current config's rows were used, so kept
    assert count("files") == 12 and count("entries") == count("rendered") == 12


def test_clean_removes_only_a_contentkit_cache(run_cli, tmp_path: Path) -> None:
    posts = make_corpus(tmp_path, 6)
    run_cli("lint", str(posts))
    cache = tmp_path / ".contentkit_cache"
    assert cache.is_dir()
    removed = run_cli("clean", str(tmp_path))
    assert removed.returncode == 0 and f"Removed {cache}" in removed.stdout
    assert not cache.exists()
    again = run_cli("clean", str(tmp_path))
    assert again.returncode == 0 and "No contentkit cache" in again.stdout
    # A --cache-dir that is not a cache contentkit made is never deleted.
    not_ours = run_cli("clean", str(tmp_path), "--cache-dir", str(posts))
    assert not_ours.returncode == 2 and "Traceback" not in not_ours.stderr
    assert f"{posts}:1:1: not a contentkit cache" in not_ours.stderr
    assert len(list(posts.rglob("*.md"))) == 6


def test_cached_findings_round_trip_whether_compressed_or_not() -> None:
    from contentkit.api import lint_text
    from contentkit.cache import decode_diagnostics, encode_diagnostics

    post = sorted(FIXTURES.glob("*.md"))[0]
    found = lint_text(post.read_text("utf-8"), path="p.md").diagnostics
    assert found
    # A post's few findings are stored as JSON; many (their source lines add up) compressed.
    for diagnostics, first in ((found, b"["), (found * 40, b"x")):
        payload = encode_diagnostics(diagnostics)
        assert payload[:1] == first
        back = decode_diagnostics(payload, "p.md")
        assert [(d.code, d.start, d.end, d.message, d.source_line) for d in back] == [
            (d.code, d.start, d.end, d.message, d.source_line) for d in diagnostics
        ]
        with pytest.raises((ValueError, zlib.error)):  # what LintCache.decode counts as a miss
            decode_diagnostics(payload[: len(payload) // 2], "p.md")
