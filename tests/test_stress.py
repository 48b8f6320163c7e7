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


# ---- the reading budget (MD002 markdown-too-complex, HT107 html-too-complex) -------------------

# Codes a rule reports without reading the body (front matter, the file, the raw text).
_BODY_FREE = {"FM", "CK"}
_BUDGETED_FAMILIES = ("lines", "nesting", "delimiters", "tables", "links", "findings", "entities")


@pytest.mark.parametrize(
    "name", [n for n, s in sorted(SHAPES.items()) if s.family in _BUDGETED_FAMILIES]
)
def test_a_body_over_the_budget_is_one_finding_and_convert_refuses_it(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each shape at a small scale under a small budget: over it, exactly one MD002/HT107 at
    the body's first line in place of every body finding, and convert fails with the same
    estimate; under it the body is read as before."""
    import contentkit.limits as limits
    from contentkit.api import lint_file
    from contentkit.convert import ConvertError, convert_file
    from contentkit.document import read_document

    post = tmp_path / f"post{SHAPES[name].suffix}"
    post.write_bytes(build(name, scale=0.005))
    settings = settings_from_table({"select": ["ALL"]}, None, tmp_path)
    unlimited = lint_file(post, settings=settings).diagnostics
    monkeypatch.setattr(limits, "MAX_BODY_WORK", 20_000)
    doc = read_document(post)
    code = "MD002" if SHAPES[name].suffix == ".md" else "HT107"
    found = lint_file(post, settings=settings).diagnostics
    if not doc.body_too_complex:
        assert [d.code for d in found] == [d.code for d in unlimited]
        return
    if any(d.code == "CK005" for d in unlimited):
        assert [d.code for d in found] == ["CK005"]  # nesting is judged first, as before
        return
    budget = [d for d in found if d.code == code]
    assert len(budget) == 1, found
    assert (budget[0].line, budget[0].column) == (5, 1)
    assert "not checked, its front matter was" in budget[0].message
    others = {d.code[:2] for d in found if d.code != code}
    assert others <= _BODY_FREE | {"HT"} and all(
        d.code == "HT106" for d in found if d.code.startswith("HT") and d.code != code
    ), found
    with pytest.raises(ConvertError) as refused:
        convert_file(post, to="json")
    estimate = budget[0].message.split(": its ")[0]
    assert estimate in str(refused.value) and refused.value.line == 5


def test_over_the_budget_the_front_matter_is_still_checked(run_cli, tmp_path: Path) -> None:
    post = tmp_path / "list.md"
    post.write_text("---\ntitle: t\ndate: 2021/04/20\n---\n" + "- a\n" * 80_000, "utf-8")
    proc = run_cli("lint", "--no-cache", "--output-format", "concise", str(post))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    lines = proc.stdout.splitlines()
    assert any(": FM011 " in line for line in lines)
    (budget,) = [line for line in lines if " MD002 " in line]
    assert "list.md:5:1: MD002" in budget and "80,000 '- ' (list items)" in budget
    for to in ("json", "markdown"):
        conv = run_cli("convert", "--to", to, str(post))
        assert conv.returncode == 1 and conv.stdout == "" and "Traceback" not in conv.stderr
        assert "list.md:5:1: reading this body as CommonMark would take some" in conv.stderr
        assert "not converted" in conv.stderr


def test_an_html_body_over_the_budget_is_reported_not_scanned(run_cli, tmp_path: Path) -> None:
    post = tmp_path / "lines.html"
    post.write_text("---\ntitle: t\ndate: 2021-04-20\n---\n" + "<p>a</p>\n" * 300_000, "utf-8")
    proc = run_cli("lint", "--no-cache", "--output-format", "concise", str(post))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stdout.count(" HT107 ") == 1 and "lines.html:5:1: HT107" in proc.stdout
    assert "600,000 tags ('<')" in proc.stdout


def test_real_posts_are_far_inside_the_budget() -> None:
    """The fixture posts (real feeds and sites) weigh a small part of the budget."""
    import contentkit.limits as limits
    from contentkit.document import Document

    posts = [p for p in (ROOT / "tests" / "fixtures").rglob("*") if p.suffix in (".md", ".html")]
    assert len(posts) > 20
    heaviest = 0
    for p in posts:
        doc = Document.from_text(p.read_text("utf-8", errors="replace"), str(p))
        text, start = doc.text, doc.body_start
        weights = limits._MARKDOWN_WEIGHTS if doc.body_kind == "markdown" else limits._HTML_WEIGHTS
        work = sum(text.count(c, start) * w for c, w, _ in weights)
        heaviest = max(heaviest, work)
        assert not doc.body_too_complex, p
    assert heaviest < limits.MAX_BODY_WORK / 5


def test_the_estimate_names_what_weighs_most() -> None:
    from contentkit.limits import MAX_BODY_WORK, body_work

    assert body_work("a" * 100, 0, markdown=True) == (0, "")  # too short to count
    work, heaviest = body_work("[" * MAX_BODY_WORK, 0, markdown=True)
    assert work == 20 * MAX_BODY_WORK and heaviest == f"{MAX_BODY_WORK:,} '[' (links)"
    # A CR alone ends a line; CRLF is one line end.
    assert body_work("a\r" * 200_000, 0, True) == body_work("a\r\n" * 200_000, 0, True)
    assert body_work("a\r" * 200_000, 0, True)[1] == "200,000 line ends"


# ---- front matter ---------------------------------------------------------------------------


def test_front_matter_with_too_many_nodes_is_refused_before_it_is_read(run_cli, tmp_path) -> None:
    from contentkit.front_matter import MAX_EXPANDED_NODES

    keys = MAX_EXPANDED_NODES // 2 + 10
    post = tmp_path / "big.html"
    post.write_text(
        "---\ntitle: t\n" + "".join(f"k{i}: v{i}\n" for i in range(keys)) + "---\n<p>x</p>\n",
        "utf-8",
    )
    proc = run_cli("lint", "--no-cache", "--output-format", "concise", str(post))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "big.html:2:1: FM004" in proc.stdout
    assert f"more than {MAX_EXPANDED_NODES:,} keys and values" in proc.stdout
    for to in ("json", "markdown"):
        conv = run_cli("convert", "--to", to, str(post))
        assert conv.returncode == 1 and conv.stdout == ""
        assert f"big.html:2:1: front matter holds more than {MAX_EXPANDED_NODES:,}" in conv.stderr


def test_front_matter_under_the_node_limit_is_read() -> None:
    from contentkit.document import Document
    from contentkit.front_matter import MAX_EXPANDED_NODES

    keys = MAX_EXPANDED_NODES // 2 - 10  # a key and its value are two nodes (the root one)
    text = "---\n" + "".join(f"k{i}: v\n" for i in range(keys)) + "---\n<p>x</p>\n"
    doc = Document.from_text(text, "p.html")
    assert doc.front_matter is not None and doc.front_matter.error is None
    assert len(doc.metadata) == keys


# ---- attributes -----------------------------------------------------------------------------

# html_scan._TOKEN as it was before its attribute loop was made possessive.
_GREEDY_TOKEN = re.compile(
    r"""
    <(?:
      (?P<comment>!--.*?(?:-->|\Z))
    | (?P<decl>![^>]*>|\?[^>]*>)
    | /(?P<end_name>[A-Za-z][A-Za-z0-9:_-]*)\s*>
    | (?P<name>[A-Za-z][A-Za-z0-9:_-]*)
        (?P<attrs>(?:\s+[^\s/>"'=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?|\s*/(?!>))*)
        \s*(?P<selfclose>/?)>
    )
    """,
    re.S | re.X,
)


def test_the_possessive_attribute_loop_matches_what_the_greedy_one_did() -> None:
    from contentkit.html_scan import _TOKEN

    tags = [
        "<a>",
        '<a href="x">',
        "<a b='c' d=e f>",
        "<img src=a.png/>",
        "<br/>",
        "<br />",
        "<a b / >",
        "<a b = c >",
        '<a b="x>',
        '<a b="c"d>',
        "<a / b>",
        "<a b=c/>",
        "<p\ntitle='x'\n>",
        '<a b="<">',
        "<a b=`c`>",
        "<x-y:z _a=1 data-q='\"'>",
        "<a b=c d=\"e' f='g\">",
        "<a //>",
        "<a/ b>",
        "<a b='c'/d>",
        '<a b="c"/>',
    ]
    text = " text ".join(tags) + " <a b=" + " <p " + 'q="r" ' * 50 + "> <!-- c --> </a >"
    old = [(m.span(), m.groupdict()) for m in _GREEDY_TOKEN.finditer(text)]
    new = [(m.span(), m.groupdict()) for m in _TOKEN.finditer(text)]
    assert new == old
    assert len(new) >= len(tags) - 5  # (some are no tag: '<a b="x>' is text, as it was)


def test_a_tag_with_a_great_many_attributes_is_read_whole() -> None:
    from contentkit.html_scan import parse_attrs, scan

    source = "".join(f" a{i}=\"v{i}\" b{i}=w c{i}='&amp;{i}' d{i}" for i in range(5000))
    attrs, names = parse_attrs(source)
    assert len(names) == 20_000 and len(attrs) == 20_000
    assert attrs["a7"] == "v7" and attrs["b7"] == "w" and attrs["c7"] == "&7" and attrs["d7"] == ""
    tags, _ = scan("<p" + source + ">x</p>")
    assert [t.name for t in tags] == ["p", "p"] and tags[0].attrs == attrs


@pytest.mark.parametrize(
    "text",
    [
        "",
        "a",
        "\n",
        "a\r\nb\rc\nd",
        "\r\r\n\n\r",
        ("x" * 999 + "\n") * 3000 + "tail",  # past one chunk, lines across its edges
        "\n" * 2_500_000,
        "ab\r" * 500_000,
        "a\r\n" * 400_000 + "b\rc\n" * 200_000,
    ],
)
def test_line_starts_of_long_texts_are_kept_compactly_and_exactly(text: str) -> None:
    from contentkit.document import Document

    expected = [0, *(m.end() for m in re.finditer(r"\r\n|\r|\n", text))]
    doc = Document.from_text(text, "p.html")
    assert list(doc._line_starts) == expected
    if len(text) > 1 << 20:
        assert doc._line_starts.itemsize == 8  # an array of machine integers, not a list
    last = len(expected)
    assert doc.position(len(text)) == (last, len(text) - expected[-1] + 1)
