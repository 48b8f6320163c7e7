"""The lint command as a user runs it: seeds, corpus fixtures, fixes, formats, exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import FIXTURES, ROOT, SEED

SEED_DATE_LINE = "date: Tue, 20 Apr 2021 02:55:35 GMT\n"


def test_seed_reports_date_and_leading_blank_line(run_cli) -> None:
    proc = run_cli("lint", str(ROOT / "seeds"))
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.splitlines()
    seed = str(ROOT / "seeds" / "shanghai-internet-map.md")
    assert (
        f"{seed}:1:1: FM002 [front-matter-not-at-start] [*] front matter starts on line 2, "
        "after blank line; Jekyll and Hexo only read it on line 1"
    ) in lines
    assert (
        f"{seed}:11:7: FM011 [non-iso-date] [*] 'date' is not ISO 8601: "
        "'Tue, 20 Apr 2021 02:55:35 GMT' (ISO 8601: 2021-04-20T02:55:35Z)"
    ) in lines


def test_fix_changes_only_the_date_line_and_leading_blank(run_cli, tmp_path: Path) -> None:
    post = tmp_path / "post.md"
    shutil.copy(SEED, post)
    before = SEED.read_bytes()
    # FM only: the seed's spurious auto-links (LK) are fixed in tests/test_links.py.
    proc = run_cli("lint", "--fix", "--select", "FM", str(post))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    after = post.read_bytes()
    expected = before.replace(b"\n", b"", 1).replace(
        SEED_DATE_LINE.encode(), b"date: 2021-04-20T02:55:35Z\n"
    )
    assert after == expected
    # A second run has nothing left to do and writes nothing.
    mtime = post.stat().st_mtime_ns
    proc = run_cli("lint", "--fix", "--select", "FM", str(post))
    assert proc.returncode == 0
    assert post.stat().st_mtime_ns == mtime


def test_diff_prints_unified_diff_and_writes_nothing(run_cli, tmp_path: Path) -> None:
    post = tmp_path / "post.md"
    shutil.copy(SEED, post)
    proc = run_cli("lint", "--diff", str(post))
    assert proc.returncode == 1
    assert f"--- a/{post}" in proc.stdout
    assert "-date: Tue, 20 Apr 2021 02:55:35 GMT" in proc.stdout
    assert "+date: 2021-04-20T02:55:35Z" in proc.stdout
    assert post.read_bytes() == SEED.read_bytes()


def test_json_output_fields(run_cli) -> None:
    proc = run_cli("lint", "--output-format", "json", str(SEED))
    assert proc.returncode == 1
    findings = json.loads(proc.stdout)
    date = next(f for f in findings if f["code"] == "FM011")
    assert date["name"] == "non-iso-date"
    assert (date["line"], date["column"], date["end_line"], date["end_column"]) == (11, 7, 11, 36)
    assert date["severity"] == "error"
    assert date["path"] == str(SEED)
    assert date["fix"]["applicability"] == "safe"
    assert date["fix"]["edits"] == [
        {
            "content": "2021-04-20T02:55:35Z",
            "location": {"row": 11, "column": 7},
            "end_location": {"row": 11, "column": 36},
        }
    ]


def test_corpus_fixtures_lint_without_traceback(run_cli) -> None:
    proc = run_cli("lint", "--output-format", "json", str(FIXTURES / "corpus"))
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    findings = json.loads(proc.stdout)
    by_file = {Path(f["path"]).name for f in findings}
    assert by_file == {p.name for p in (FIXTURES / "corpus").iterdir()}
    # googlesites-01 has `thumbnail: ''`: an empty URL is reported at the value.
    empty = [f for f in findings if f["code"] == "FM012"]
    assert [(Path(f["path"]).name, f["line"], f["message"]) for f in empty] == [
        ("googlesites-01.md", 12, "'thumbnail' is empty")
    ]


def test_multiline_title_date_position(run_cli) -> None:
    proc = run_cli("lint", "--select", "FM011", str(FIXTURES / "corpus" / "mastodon-02.md"))
    assert proc.returncode == 1
    assert ":15:7: FM011 [non-iso-date]" in proc.stdout


def test_select_ignore_by_code_name_and_prefix(run_cli) -> None:
    proc = run_cli("lint", "--select", "non-iso-date", str(SEED))
    assert "FM011" in proc.stdout and "FM002" not in proc.stdout
    proc = run_cli("lint", "--select", "FM", "--ignore", "FM01", str(SEED))
    assert "FM002" in proc.stdout and "FM011" not in proc.stdout
    proc = run_cli("lint", "--select", "FM002", "--extend-select", "FM011", str(SEED))
    assert "FM002" in proc.stdout and "FM011" in proc.stdout
    proc = run_cli("lint", "--select", "XX999", str(SEED))
    assert proc.returncode == 2
    assert "unknown rule selector 'XX999'" in proc.stderr


def test_clean_post_exits_zero(run_cli, tmp_path: Path) -> None:
    post = tmp_path / "good.md"
    post.write_text("---\ntitle: Hello\ndate: 2021-04-20T02:55:35Z\n---\n\nBody.\n")
    proc = run_cli("lint", str(post))
    assert proc.returncode == 0
    assert proc.stdout == "All checks passed (1 file).\n"
    proc = run_cli("lint", "--quiet", str(post))
    assert proc.stdout == ""


def test_stdin_with_filename(run_cli) -> None:
    proc = run_cli("lint", "-", "--stdin-filename", "posts/a.md", input=SEED.read_bytes())
    assert proc.returncode == 1
    assert "posts/a.md:11:7: FM011" in proc.stdout


def test_statistics(run_cli) -> None:
    proc = run_cli("lint", "--statistics", str(FIXTURES / "corpus"))
    assert "     5  FM002  [*] front-matter-not-at-start" in proc.stdout
    assert "     4  FM011  [*] non-iso-date" in proc.stdout


def test_folder_discovery_globs_and_explicit_files(run_cli, tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("no front matter\n")
    # A folder of posts that have front matter: one without is a finding (see test_sites.py
    # for a notes folder where none has one).
    (tmp_path / "p.md").write_text("---\ntitle: P\ndate: 2021-04-20\n---\n")
    (tmp_path / "b.txt").write_text("no front matter\n")
    (tmp_path / "node_modules").mkdir()
    (tmp_path / "node_modules" / "c.md").write_text("no front matter\n")
    proc = run_cli("lint", ".", cwd=tmp_path)
    assert "a.md:1:1: FM001" in proc.stdout
    assert "b.txt" not in proc.stdout and "c.md" not in proc.stdout
    # A file named on the command line is linted whatever its extension.
    proc = run_cli("lint", "b.txt", cwd=tmp_path)
    assert "b.txt:1:1: FM001 [missing-front-matter]" in proc.stdout
    (tmp_path / "contentkit.toml").write_text('include = ["*.txt"]\n')
    proc = run_cli("lint", ".", cwd=tmp_path)
    assert "b.txt:1:1: FM001" in proc.stdout and "a.md" not in proc.stdout


def test_version_rules_explain(run_cli) -> None:
    proc = run_cli("--version")
    assert proc.returncode == 0 and proc.stdout.startswith("contentkit ")
    proc = run_cli("rules")
    assert "FM011  [*] non-iso-date" in proc.stdout
    proc = run_cli("explain", "non-iso-date")
    assert proc.returncode == 0
    assert proc.stdout.startswith("FM011 non-iso-date: A date not written in ISO 8601\n")
    assert "Fail::" in proc.stdout and "Pass::" in proc.stdout
    assert "date: Tue, 20 Apr 2021 02:55:35 GMT" in proc.stdout
    assert run_cli("explain", "FM011").stdout == proc.stdout
    proc = run_cli("explain", "nope")
    assert proc.returncode == 2 and "unknown rule 'nope'" in proc.stderr


def test_color_only_on_terminal_and_never_with_no_color(run_cli) -> None:
    proc = run_cli("lint", str(SEED))
    assert "\x1b[" not in proc.stdout  # piped: no colour


def test_usage_error_exits_two(run_cli) -> None:
    proc = run_cli("lint", "--output-format", "yaml", str(SEED))
    assert proc.returncode == 2
    assert "unknown output format 'yaml'" in proc.stderr
    proc = run_cli("lint", "--no-such-flag")
    assert proc.returncode == 2
    proc = run_cli("lint", "missing.md")
    assert proc.returncode == 2
    assert proc.stderr == "contentkit: error: missing.md:1:1: no such file or directory\n"
