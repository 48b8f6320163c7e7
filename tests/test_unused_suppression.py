"""CK002 unused-suppression: comments that no longer suppress anything, and their fix."""

from __future__ import annotations

from pathlib import Path

from contentkit import lint_text
from contentkit.rule import find_rule

POST = """\
---
title: Hello
# contentkit-disable-next-line non-iso-date
date: 2021-04-20T02:55:35Z
updated: Tue, 20 Apr 2021 02:55:35 GMT  # contentkit-disable-line non-iso-date, invalid-url
---

<!-- contentkit-disable FM011 -->
Text
<!-- contentkit-enable FM011 -->
<!-- contentkit-disable-next-line -->
More
"""

FIXED = """\
---
title: Hello
date: 2021-04-20T02:55:35Z
updated: Tue, 20 Apr 2021 02:55:35 GMT  # contentkit-disable-line non-iso-date
---

Text
More
"""


def test_rule_examples() -> None:
    rule = find_rule("unused-suppression")
    assert rule is not None and rule.code == "CK002"
    examples = list(rule.examples())
    assert {kind for kind, _, _ in examples} == {"fail", "pass"}
    for kind, text, config in examples:
        assert config == {"extend-select": ["non-iso-date"]}
        # With the default config: every rule runs.
        found = [d.code for d in lint_text(text, "example.md").diagnostics]
        assert ("CK002" in found) == (kind == "fail"), (kind, text, found)


def test_reports_each_unused_comment_and_name(run_cli, tmp_path: Path) -> None:
    (tmp_path / "post.md").write_text(POST, encoding="utf-8")
    proc = run_cli("lint", "post.md")
    assert proc.returncode == 1
    lines = [line for line in proc.stdout.splitlines() if "CK002" in line]
    assert lines == [
        "post.md:3:1: CK002 [unused-suppression] [*] "
        "'contentkit-disable-next-line non-iso-date' suppresses nothing here",
        "post.md:5:41: CK002 [unused-suppression] [*] "
        "'contentkit-disable-line' names invalid-url, which suppresses nothing here",
        "post.md:8:1: CK002 [unused-suppression] [*] "
        "'contentkit-disable FM011' suppresses nothing here",
        "post.md:11:1: CK002 [unused-suppression] [*] "
        "'contentkit-disable-next-line' suppresses nothing here",
    ]
    # The used half of line 5's comment hides the date finding: nothing else is reported.
    assert ": FM011" not in proc.stdout


def test_fix_removes_unused_comments_and_keeps_used_names(run_cli, tmp_path: Path) -> None:
    post = tmp_path / "post.md"
    post.write_text(POST, encoding="utf-8")
    proc = run_cli("lint", "--fix", "post.md")
    assert proc.returncode == 0, proc.stdout
    assert post.read_text(encoding="utf-8") == FIXED
    assert run_cli("lint", "post.md").returncode == 0


def test_unknown_rule_name_is_unused(run_cli, tmp_path: Path) -> None:
    text = "---\ntitle: T\ndate: 2021-04-20\n---\n<!-- contentkit-disable-next-line XY999 -->\nA\n"
    (tmp_path / "p.md").write_text(text, encoding="utf-8")
    proc = run_cli("lint", "p.md")
    assert "p.md:5:1: CK002" in proc.stdout
    assert "unknown rule: XY999" in proc.stdout


def test_rules_that_did_not_run_are_not_called_unused(run_cli, tmp_path: Path) -> None:
    (tmp_path / "post.md").write_text(POST, encoding="utf-8")
    proc = run_cli("lint", "--ignore", "FM011", "post.md")
    flagged = [line.split(":")[1] for line in proc.stdout.splitlines() if "CK002" in line]
    # FM011 did not run, so only the bare comment and the invalid-url name are unused.
    assert flagged == ["5", "11"]
    proc = run_cli("lint", "--ignore", "CK002", "post.md")
    assert proc.returncode == 0


def test_a_comment_can_suppress_ck002_itself(run_cli, tmp_path: Path) -> None:
    text = (
        "---\ntitle: T\ndate: 2021-04-20\n---\n"
        "<!-- contentkit-disable-next-line unused-suppression -->\n"
        "<!-- contentkit-disable-next-line FM011 -->\nA\n"
    )
    (tmp_path / "p.md").write_text(text, encoding="utf-8")
    assert run_cli("lint", "p.md").returncode == 0
