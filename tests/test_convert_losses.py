"""Content convert used to lose on pages nobody here wrote (issue 15): one real-shaped case each.

Each case is judged by what a CommonMark reader makes of the Markdown (markdown-it, as the
fidelity scorer does), not by the Markdown's exact spelling.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from lxml import html as lxml_html

from contentkit.convert import NEARLY_EMPTY_MIN_CHARS, convert_document
from contentkit.convert.fidelity import score
from contentkit.convert.markdown import html_to_markdown, link_destination
from contentkit.document import Document
from contentkit.markdown import parser


def render(markdown: str) -> str:
    return parser().render(markdown)


def tree(markdown: str) -> lxml_html.HtmlElement:
    return lxml_html.fragment_fromstring(render(markdown) or "<p></p>", create_parent="div")


def faithful(source: str) -> str:
    """The Markdown of ``source``, checked against it by the project's fidelity scorer."""
    md = html_to_markdown(source)
    s = score(source, md)
    bad = {d: s.differences(d) for d, v in s.scores.items() if v < 1.0}
    assert not bad, f"{md!r}: {bad}"
    assert s.raw_html == 0 and s.unsafe_links == 0
    return md


# ---- stray table parts, list items and inline wrappers ---------------------------------------


def test_a_cell_outside_any_table_keeps_its_content() -> None:
    # A scraped article: the page's <table> was cut off, its cell kept (two whole pages lost).
    src = (
        '<div class="post"><h1>Title</h1><td><p>First paragraph of the story.</p>'
        '<p>See <a href="/more">more</a> and <img src="/a.png" alt="chart"></p></td></div>'
    )
    md = faithful(src)
    t = tree(md)
    assert "First paragraph of the story." in t.text_content()
    assert t.xpath("//a/@href") == ["/more"]
    assert t.xpath("//img/@src") == ["/a.png"]


def test_stray_rows_and_sections_keep_their_cells() -> None:
    md = faithful("<div><tbody><tr><td>alpha</td><th>beta</th></tr></tbody><p>after</p></div>")
    text = tree(md).text_content()
    assert "alpha" in text and "beta" in text and "after" in text


def test_cells_directly_under_a_table_are_a_row() -> None:
    md = faithful("<table><td>left</td><td>right</td></table>")
    assert tree(md).xpath("//td/text()") == ["left", "right"]


def test_a_list_item_outside_any_list_is_still_an_item() -> None:
    md = faithful("<div><li>stray item</li><p>text</p></div>")
    assert tree(md).xpath("//li/text()") == ["stray item"]


@pytest.mark.parametrize(
    "src",
    [
        '<a href="/post"><div><h2>Heading</h2><p>Teaser text</p></div></a>',
        "<span><p>para in span</p><ul><li>item</li></ul></span>",
        "<em><p>first</p><p>second</p></em>",
        "<strong><blockquote><p>quoted</p></blockquote></strong>",
    ],
)
def test_inline_elements_wrapping_blocks_keep_every_block(src: str) -> None:
    faithful(src)


# ---- MathML ------------------------------------------------------------------------------------


def test_mathml_is_kept_as_its_text() -> None:
    md = faithful("<p>Given <math><mi>a</mi><mo>≠</mo><mn>0</mn></math>, there are two.</p>")
    assert tree(md).text_content().strip() == "Given a≠0, there are two."


def test_mathml_with_a_tex_annotation_is_tex() -> None:
    src = (
        "<p>Area <math><semantics><mrow><mi>π</mi><msup><mi>r</mi><mn>2</mn></msup></mrow>"
        '<annotation encoding="application/x-tex">\\pi r^2</annotation></semantics></math>.</p>'
        '<math display="block"><semantics><mi>x</mi>'
        '<annotation encoding="application/x-tex">x_1</annotation></semantics></math>'
    )
    md = html_to_markdown(src)
    paragraphs = [p.text_content() for p in tree(md).xpath("//p")]
    assert paragraphs == ["Area $\\pi r^2$.", "$$x_1$$"]


# ---- code is bytes -----------------------------------------------------------------------------


def code_blocks(md: str) -> list[str]:
    return [t.content for t in parser().parse(md) if t.type in ("fence", "code_block")]


@pytest.mark.parametrize(
    "code",
    [
        "def f():\n\n\n    return 1",  # two blank lines (PEP 8) stay two
        "\tindented\n\t\tby tabs\n",
        "\n\nstarts with blank lines",
        "a ``` b\n```\n~~~\n````` five",  # fences of either kind inside
        "trailing spaces   \n  \n end",
    ],
)
@pytest.mark.parametrize("around", ["{}", "<ul><li>{}</li></ul>", "<blockquote>{}</blockquote>"])
def test_pre_content_is_kept_exactly(code: str, around: str) -> None:
    # (the code starts inside <code>: only a newline right after <pre> is the parser's)
    from html import escape

    src = around.format(f"<pre><code>{escape(code)}</code></pre>")
    md = html_to_markdown(src)
    expected = code[:-1] if code.endswith("\n") else code
    assert code_blocks(md) == [expected + "\n"], md


# ---- lists, links, small elements --------------------------------------------------------------


def test_a_list_item_holding_only_a_rule_stays_an_item() -> None:
    for tag in ("ul", "ol"):
        md = html_to_markdown(f"<{tag}><li><hr></li><li>next</li></{tag}>")
        t = tree(md)
        assert len(t.xpath(f"//{tag}/li")) == 2, md
        assert len(t.xpath(f"//{tag}/li/hr")) == 1, md


@pytest.mark.parametrize(
    "href",
    [
        "https://en.wikipedia.org/wiki/Processing_(programming_language)",
        "https://en.wikipedia.org/wiki/Smiley_:)",
        "/docs/a(b",
        "/with space/file.pdf",
        "https://example.com/search?q=a&b=(c)",
        "/path\\with\\backslashes",
        "/ends-with\\",
        "https://example.com/a&amp;b",  # an entity-like run in a URL stays as written
    ],
)
def test_hrefs_are_kept_byte_for_byte(href: str) -> None:
    from html import escape

    md = html_to_markdown(f'<p><a href="{escape(href)}">link</a></p>')
    (got,) = tree(md).xpath("//a/@href")
    assert got == parser().normalizeLink(href), md


def test_balanced_parentheses_are_not_encoded() -> None:
    url = "https://en.wikipedia.org/wiki/Processing_(programming_language)"
    assert link_destination(url) == url


def test_a_code_span_of_one_space_is_kept() -> None:
    md = html_to_markdown("<p>press <code> </code> to continue</p>")
    assert tree(md).xpath("//code/text()") == [" "]


def test_a_one_cell_table_is_its_content() -> None:
    # A box (an e-mail's button, a note): as a GFM table it had an empty header row above it.
    md = faithful("<table><tr><td>Note: prices include tax.</td></tr></table>")
    assert md == "Note: prices include tax.\n"
    # With a header cell it is a table of data.
    md = faithful("<table><tr><th>Price</th></tr><tr><td>3</td></tr></table>")
    assert tree(md).xpath("//th/text()") == ["Price"]


def test_a_data_table_inside_a_layout_table_survives() -> None:
    src = (
        "<table><tr><td><ul><li>Home</li><li>About</li></ul></td><td><h2>Results</h2>"
        "<table><tr><th>Team</th><th>Score</th></tr><tr><td>Red</td><td>3</td></tr></table>"
        "</td></tr></table>"
    )
    md = faithful(src)
    t = tree(md)
    assert t.xpath("//th/text()") == ["Team", "Score"]
    assert t.xpath("//td/text()") == ["Red", "3"]
    assert t.xpath("//li/text()") == ["Home", "About"]


# ---- what is dropped is reported ---------------------------------------------------------------

HOSTILE_PAGE = (
    "<p>Intro</p>\n"
    '<p>A <img src="data:image/png;base64,iVBORw0KGgo=" alt="inline chart"> and '
    '<a href="javascript:alert(1)">a link</a>.</p>\n'
    '<script>track()</script><iframe src="https://video.example/embed"></iframe>\n'
)


def test_dropped_elements_are_counted_and_located() -> None:
    doc = Document.from_text(HOSTILE_PAGE, "page.html", body_kind="html")
    conv = convert_document(doc)
    where = {(d.element, d.line, d.column, d.reason) for d in conv.dropped}
    assert where == {
        ("img", 2, 6, "image without a safe source"),
        ("a", 2, 76, "link target not safe (text kept)"),
        ("script", 3, 1, "not shown"),
        ("iframe", 3, 25, "not convertible"),
    }
    assert "a link" in conv.markdown  # the text of an unsafe link stays
    assert not conv.warnings


def test_verbose_and_json_say_what_was_dropped(run_cli, tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(HOSTILE_PAGE)
    quiet = run_cli("convert", "page.html")
    assert quiet.returncode == 0 and quiet.stderr == ""
    loud = run_cli("convert", "--verbose", "page.html")
    assert loud.returncode == 0
    assert "page.html:3:1: dropped <script>: not shown" in loud.stderr
    assert "page.html:2:6: dropped <img>: image without a safe source (inline chart)" in (
        loud.stderr.replace("'", "")
    )
    obj = json.loads(run_cli("convert", "--to", "json", "page.html").stdout)
    jsonschema.validate(obj, json.loads(run_cli("schema").stdout))
    assert obj["counts"]["dropped"] == 4
    assert {d["element"] for d in obj["dropped"]} == {"img", "a", "script", "iframe"}


def test_a_page_that_converts_to_nearly_nothing_is_a_warning(run_cli, tmp_path: Path) -> None:
    # The article was pasted into a form control a browser shows but Markdown cannot hold.
    words = "lorem ipsum dolor sit amet " * (NEARLY_EMPTY_MIN_CHARS // 10)
    (tmp_path / "page.html").write_text(f'<form><input type="text" value="{words}"></form>')
    proc = run_cli("convert", "page.html")
    assert proc.returncode == 0  # a warning, not a failure: the output is still written
    assert "page.html:1:1: warning: converted to nearly nothing" in proc.stderr
    ok = tmp_path / "ok.html"
    ok.write_text(f"<p>{words}</p><script>x()</script>")
    assert run_cli("convert", "ok.html").stderr == ""


@pytest.mark.parametrize(
    "page",
    [
        "<pre>" + "+----+----+\n|    |    |\n" * 40 + "</pre>",  # a diagram in ASCII art
        "<p>" + "→ ★ ※ " * 100 + "</p>",
    ],
)
def test_a_page_of_symbols_converted_whole_is_no_warning(
    run_cli, tmp_path: Path, page: str
) -> None:
    # It shows few letters and digits, and its Markdown keeps them all: nothing was lost.
    (tmp_path / "art.html").write_text(page, "utf-8")
    proc = run_cli("convert", "art.html")
    assert proc.returncode == 0 and proc.stderr == ""


def test_links_inside_a_code_block_keep_their_targets() -> None:
    # API reference pages (gtk-doc, javadoc) link every type name inside <pre>.
    src = (
        '<pre class="programlisting">void\t<a href="#xsltFree">xsltFree</a>\t(<a '
        'href="libxslt-xsltInternals.html#xsltStylesheetPtr">xsltStylesheetPtr</a> style);'
        "<br/>\n</pre>"
    )
    md = html_to_markdown(src)
    assert code_blocks(md) == ["void\txsltFree\t(xsltStylesheetPtr style);\n\n"]
    assert tree(md).xpath("//a/@href") == [
        "#xsltFree",
        "libxslt-xsltInternals.html#xsltStylesheetPtr",
    ]
