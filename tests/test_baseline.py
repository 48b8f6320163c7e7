"""--write-baseline / --baseline: an archive adopts contentkit and sees only new findings."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

POSTS = Path(__file__).resolve().parent / "fixtures" / "integrations"


def test_baseline_hides_old_findings_and_survives_edits_elsewhere(run_cli, tmp_path: Path):
    posts = tmp_path / "posts"
    posts.mkdir()
    shutil.copy(POSTS / "bad-post.md", posts / "old.md")
    shutil.copy(POSTS / "good-post.md", posts / "fine.md")
    # Front-matter findings are enough to show the mechanism; link findings would only add noise.
    (tmp_path / "contentkit.toml").write_text('select = ["FM"]\n')

    proc = run_cli("lint", "--write-baseline", "contentkit-baseline.json", "posts")
    assert proc.returncode == 0, proc.stderr
    assert "Recorded 2 findings in contentkit-baseline.json" in proc.stdout
    data = json.loads((tmp_path / "contentkit-baseline.json").read_text(encoding="utf-8"))
    assert sorted(e["code"] for e in data["findings"]) == ["FM002", "FM011"]
    assert {e["path"] for e in data["findings"]} == {"posts/old.md"}
    assert all("line" not in e for e in data["findings"])

    proc = run_cli("lint", "--baseline", "contentkit-baseline.json", "posts")
    assert proc.returncode == 0, proc.stdout
    assert "2 findings in contentkit-baseline.json hidden" in proc.stdout

    # Edit elsewhere: new lines above the date shift it from line 11 to line 14.
    old = posts / "old.md"
    text = old.read_text(encoding="utf-8")
    text = text.replace("author: 36kr\n", "author: 36kr\ntags:\n  - 上海\n  - 数字经济\n")
    text = text.replace(
        "<p><strong>文丨西部菌</strong></p>", "<p><strong>文丨西部菌（改）</strong></p>"
    )
    old.write_text(text, encoding="utf-8")
    assert "old.md:14:7: FM011" in run_cli("lint", "posts").stdout
    proc = run_cli("lint", "--baseline", "contentkit-baseline.json", "posts")
    assert proc.returncode == 0, proc.stdout

    # A new defect in the same post, and the same kind of defect in a new post, are reported.
    old.write_text(
        text.replace("comments: false\n", "comments: false\nupdated: 20/04/2021\n"),
        encoding="utf-8",
    )
    shutil.copy(POSTS / "bad-post.md", posts / "new.md")
    proc = run_cli("lint", "--baseline", "contentkit-baseline.json", "posts")
    assert proc.returncode == 1
    reported = [line for line in proc.stdout.splitlines() if ": FM" in line]
    assert [line.split(":")[0] for line in reported] == [
        "posts/new.md",
        "posts/new.md",
        "posts/old.md",
    ]
    assert "updated" in reported[2]
    assert "2 findings in contentkit-baseline.json hidden" in proc.stdout

    # The baseline's paths are relative to the baseline file: it works from another folder.
    proc = run_cli("lint", "--baseline", "../contentkit-baseline.json", ".", cwd=posts)
    assert [line.split(":")[0] for line in proc.stdout.splitlines() if ": FM" in line] == [
        "new.md",
        "new.md",
        "old.md",
    ]


def test_baseline_counts_duplicates(run_cli, tmp_path: Path) -> None:
    # Identical lines give identical fingerprints: the baseline counts them.
    post = tmp_path / "dup.md"
    post.write_text("---\ntitle: T\ndate: 2021-04-20\nx: 1\nx: 1\nx: 1\n---\n", "utf-8")
    proc = run_cli("lint", "--write-baseline", "b.json", "dup.md")
    assert "Recorded 2 findings" in proc.stdout
    (entry,) = json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))["findings"]
    assert (entry["code"], entry["count"]) == ("FM005", 2)
    assert run_cli("lint", "--baseline", "b.json", "dup.md").returncode == 0
    post.write_text("---\ntitle: T\ndate: 2021-04-20\nx: 1\nx: 1\nx: 1\nx: 1\n---\n", "utf-8")
    proc = run_cli("lint", "--baseline", "b.json", "--output-format", "json", "dup.md")
    assert proc.returncode == 1
    assert [(f["code"], f["line"]) for f in json.loads(proc.stdout)] == [("FM005", 7)]


def test_bad_baseline_file_is_a_clear_error(run_cli, tmp_path: Path) -> None:
    shutil.copy(POSTS / "bad-post.md", tmp_path / "post.md")
    (tmp_path / "b.json").write_text('{"contentkit-baseline": 1,\n "findings": [}', "utf-8")
    proc = run_cli("lint", "--baseline", "b.json", "post.md")
    assert proc.returncode == 2
    assert proc.stderr.startswith("contentkit: error: b.json:2:")
    assert "Traceback" not in proc.stderr
    proc = run_cli("lint", "--baseline", "nope.json", "post.md")
    assert proc.returncode == 2
    assert "nope.json" in proc.stderr and "not found" in proc.stderr
