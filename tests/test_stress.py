"""Adversarial posts (benchmarks/stress_inputs.py): clean refusals, capped findings, no crash.

Behaviour only, never time: benchmarks/stress.py measures time and memory at full size.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from stress_inputs import LIMIT, SHAPES, build

from contentkit.config import settings_from_table
from contentkit.engine import MAX_FINDINGS_PER_RULE, lint_document
from contentkit.limits import MAX_NESTING

ROOT = Path(__file__).resolve().parent.parent
POSITION = re.compile(r"^contentkit: error: .+:\d+:\d+: ", re.M)


def test_every_shape_fits_the_size_limit() -> None:
    for name in SHAPES:
        assert len(build(name)) <= LIMIT, name


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_small_shapes_lint_and_convert_without_a_crash(name: str, tmp_path: Path) -> None:
    from contentkit.api import lint_file
    from contentkit.convert import convert_file
    from contentkit.errors import ContentkitError

    post = tmp_path / f"post{SHAPES[name].suffix}"
    post.write_bytes(build(name, scale=0.002))
    settings = settings_from_table({"select": ["ALL"]}, None, tmp_path)
    result = lint_file(post, settings=settings)
    assert not [d for d in result.diagnostics if d.code == "CK003"], result.diagnostics
    counts: dict[str, int] = {}
    for d in result.diagnostics:
        counts[d.code] = counts.get(d.code, 0) + 1
    assert all(n <= MAX_FINDINGS_PER_RULE + 1 for n in counts.values()), counts
    for to in ("json", "markdown"):
        try:
            out = convert_file(post, to=to)
        except ContentkitError as exc:
            assert exc.path and exc.line >= 1 and exc.column >= 1
        else:
            assert not SHAPES[name].refused, f"{name} converted to {to} instead of refused"
            assert out.strip()


def test_findings_of_one_rule_are_capped_with_a_summary(tmp_path: Path) -> None:
    from contentkit.document import Document

    text = "---\ntitle: t\ndate: 2021-04-20\n---\n" + "<p>a\x07</p>\n" * 5000
    doc = Document.from_text(text, "post.html")
    settings = settings_from_table({"select": ["ALL"]}, None, tmp_path)
    found = lint_document(doc, settings).diagnostics
    codes = {d.code for d in found}
    for code in codes:
        mine = [d for d in found if d.code == code]
        assert len(mine) <= MAX_FINDINGS_PER_RULE + 1
    capped = [d for d in found if "findings in this file: the first" in d.message]
    assert capped, found[-3:]
    summary = capped[0]
    assert len([d for d in found if d.code == summary.code]) == MAX_FINDINGS_PER_RULE + 1
    assert summary.fix is None
    # It stands where the first finding not shown would have been.
    assert summary.line == 4 + MAX_FINDINGS_PER_RULE + 1


def test_suppressions_still_apply_to_many_findings(tmp_path: Path) -> None:
    from contentkit.document import Document

    text = "---\ntitle: t\ndate: 2021-04-20\n---\n" + (
        "<!-- contentkit-disable-next-line -->\n<p>a\x07</p>\n" * 3000
    )
    doc = Document.from_text(text, "post.html")
    settings = settings_from_table({}, None, tmp_path)
    assert lint_document(doc, settings).diagnostics == []


def test_too_deep_nesting_is_reported_not_walked(run_cli, tmp_path: Path) -> None:
    post = tmp_path / "deep.html"
    post.write_text(
        "---\ntitle: t\ndate: 2021-04-20\n---\n" + "<div>" * (MAX_NESTING + 50), "utf-8"
    )
    proc = run_cli("lint", "--no-cache", str(post))
    assert proc.returncode == 1
    assert f"deep.html:5:{5 * MAX_NESTING + 1}: CK005 [nesting-too-deep]" in proc.stdout
    assert "Traceback" not in proc.stderr
    for to in ("json", "markdown"):
        proc = run_cli("convert", "--to", to, str(post))
        assert proc.returncode == 1 and proc.stdout == ""
        assert f"deep.html:5:{5 * MAX_NESTING + 1}: HTML nested more than" in proc.stderr


def test_closed_and_sibling_tags_do_not_count_as_nesting() -> None:
    from contentkit.limits import nesting_too_deep

    n = MAX_NESTING + 10
    assert nesting_too_deep("<p>a" * n + "<li>b" * n + "<br>" * n) is None
    assert nesting_too_deep("<div></div>" * n + "<!-- " + "<div>" * n + " -->") is None
    assert nesting_too_deep("<script>" + "if (a<b) {}" * n + "</script>") is None
    assert nesting_too_deep("<span>" * n) == 6 * MAX_NESTING


@pytest.mark.parametrize(
    "name", [n for n, s in sorted(SHAPES.items()) if s.refused and s.family == "front-matter"]
)
@pytest.mark.parametrize("to", ["json", "markdown"])
def test_refused_front_matter_fails_convert_with_lints_message(
    name: str, to: str, run_cli, tmp_path: Path
) -> None:
    post = tmp_path / f"post{SHAPES[name].suffix}"
    post.write_bytes(build(name, scale=0.01))
    lint = run_cli("lint", "--no-cache", "--output-format", "concise", str(post))
    assert lint.returncode == 1
    finding = next(line for line in lint.stdout.splitlines() if " FM004 " in line)
    where, message = re.match(r"^(.+?:\d+:\d+): FM004 (?:\[[a-z-]+\] )?(.*)$", finding).groups()
    proc = run_cli("convert", "--to", to, str(post))
    assert proc.returncode == 1
    assert proc.stdout == ""  # no record, empty or copied
    assert f"contentkit: error: {where}: {message}" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_one_refused_post_does_not_stop_the_others(run_cli, tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text("---\ntitle: !foo t\n---\n<p>x</p>\n", "utf-8")
    (tmp_path / "b.html").write_text("---\ntitle: fine\n---\n<p>y</p>\n", "utf-8")
    out = tmp_path / "out"
    proc = run_cli(
        "convert",
        "--to",
        "json",
        "-o",
        str(out),
        str(tmp_path / "a.html"),
        str(tmp_path / "b.html"),
    )
    assert proc.returncode == 1
    assert POSITION.search(proc.stderr)
    assert (out / "b.json").exists() and not (out / "a.json").exists()


def test_unused_suppressions_are_capped_too(tmp_path: Path) -> None:
    from contentkit.document import Document

    text = "---\ntitle: t\ndate: 2021-04-20\n---\n" + (
        "<!-- contentkit-disable-next-line HT102 -->\n<p>a</p>\n" * 500
    )
    found = lint_document(
        Document.from_text(text, "p.html"), settings_from_table({}, None, tmp_path)
    )
    assert [d.code for d in found.diagnostics] == ["CK002"] * (MAX_FINDINGS_PER_RULE + 1)
    assert "more than 100 CK002 findings" in found.diagnostics[-1].message
    assert found.diagnostics[-1].line == 5 + 2 * MAX_FINDINGS_PER_RULE
