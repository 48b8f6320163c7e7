"""The converter's walk over lxml's tree: whatever the page's shape, nothing shown is lost, and
the ``convert_<tag>`` methods are the extension points a subclass uses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt

from contentkit.convert.markdown import ArticleConverter, converter, html_to_markdown

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def render(md: str) -> str:
    return MarkdownIt("commonmark").enable("table").render(md)


def _sources() -> list[str]:
    out: list[str] = []
    for path in sorted((FIXTURES / "convert").glob("*.html")):
        out.append(path.read_text("utf-8"))
    for path in sorted((FIXTURES / "convert").glob("*.cases")):
        out.extend(b for b in path.read_text("utf-8").split("\n====\n") if b.strip())
    for path in sorted((FIXTURES / "corpus").glob("*.md")):
        out.append(path.read_text("utf-8"))
    out += [
        "",
        " ",
        "<!-- only a comment -->",
        "<?php echo 1 ?><p>x</p>",
        "<pre>\n\n  x  \n</pre> \n <textarea> a </textarea>\n\n<p> </p>",
        "<script>a<b</script><style>x{}</style><template><p>t</p></template>",
        "<ruby>漢<rt>kan <b>x</b></rt><rp>(</rp></ruby>",
        "<table><tr><td>a<td>b</table><p>a<p>b<div>c</p><b><i>x</b>y</i>",
        "<svg:rect/><p xmlns:a='urn:x' a:b='c'>ns</p>",
        "\ufeff<p>byte-order mark</p>",
        "<![CDATA[x]]><p>&nbsp;&amp;&lt;</p><br/><img src=x><hr>",
        "<p>" * 300 + "deep",
        "<p>\x00nul</p>",
    ]
    return out


def test_converting_many_documents_in_a_row_is_the_same_as_one_each() -> None:
    # The parser and the converter are reused across documents: nothing may leak between them.
    htmls = _sources()
    first = [html_to_markdown(h) for h in htmls]
    assert [html_to_markdown(h) for h in reversed(htmls)] == list(reversed(first))


def test_text_after_the_end_of_the_body_is_kept() -> None:
    # A browser shows what follows </body> or </html> (scraped pages end with such text).
    md = html_to_markdown("<html><body><p>first</p></body></html><p>after the end</p>tail")
    assert "first" in md and "after the end" in md and "tail" in md


def test_nesting_deeper_than_libxml2_builds_keeps_the_text() -> None:
    # libxml2's tree stops at 2,048 levels and drops what is deeper: the walk notices and reads
    # the page again keeping every element.
    for depth in (2_100, 5_000):
        html = "<div>" * depth + "deep <b>text</b><img src=i.png>" + "</div>" * depth
        md = html_to_markdown(html)  # (flattened to its text and images: nesting that deep
        assert "deep text" in md and "![](i.png)" in md  # is not rendered by any reader)


def test_a_subclass_changes_how_an_element_is_written() -> None:
    class Marked(ArticleConverter):
        def convert_mark(self, el: Any, text: str, parent_tags: frozenset[str]) -> str:
            return f"=={text}=="

        def convert_a(self, el: Any, text: str, parent_tags: frozenset[str]) -> str:
            # the default, with the link's class noted after it
            out = super().convert_a(el, text, parent_tags)
            return f"{out}{{.{el.get('class')}}}" if el.get("class") else out

    html = '<p>a <mark>hit</mark> and <a class="ext" href="https://x.org/">x</a></p>'
    assert Marked().convert(html) == "a ==hit== and [x](https://x.org/){.ext}\n"
    # the module's own converter is unchanged
    assert html_to_markdown(html) == "a hit and [x](https://x.org/)\n"


def test_parent_tags_tell_a_method_where_it_is() -> None:
    seen: list[frozenset[str]] = []

    class Spy(ArticleConverter):
        def convert_span(self, el: Any, text: str, parent_tags: frozenset[str]) -> str:
            seen.append(parent_tags)
            return text

    Spy().convert("<h2><span>a</span></h2><pre><code><span>b</span></code></pre>")
    assert {"h2", "_inline"} <= seen[0]
    assert {"pre", "code", "_noformat"} <= seen[1]


def test_drops_are_listed_in_document_order_with_their_place() -> None:
    conv = converter()
    conv.convert(
        '<p>x<script>1</script><a href="javascript:alert(1)">y</a></p>'
        '<div hidden>z</div><img src="data:image/png;base64,AAAA" alt="pic"><script>2</script>'
    )
    assert [(d.element, d.ordinal, d.reason) for d in conv.dropped] == [
        ("script", 1, "not shown"),
        ("a", 1, "link target not safe (text kept)"),
        ("div", 1, "hidden"),
        ("img", 1, "image without a safe source"),
        ("script", 2, "not shown"),
    ]


def test_inline_elements_around_blocks_still_render() -> None:
    html = '<a href="/u"><h2>Title</h2><p>para</p></a><strong><div>bold</div>tail</strong>'
    out = render(html_to_markdown(html))
    assert '<h2><a href="/u">Title</a></h2>' in out
    assert '<p><a href="/u">para</a></p>' in out
    assert "<p><strong>bold</strong></p>" in out and "<strong>tail</strong>" in out


def test_an_attribute_name_lxml_refuses_does_not_stop_a_push_down() -> None:
    # Found by test_convert_never_crashes: libxml2 reads `href='https:...'` after a broken
    # quote as an attribute named "https:", which lxml will not set on a copy of the link.
    html = "<div><p><div><a href='</div><div href='https://example.com/a?b=c&d=e'>:</p></div>"
    assert "[:](" in html_to_markdown(html)


def test_control_characters_lxml_will_not_store_do_not_stop_a_push_down() -> None:
    # Found by test_convert_never_crashes: libxml2 keeps a BEL in text; moving that text into
    # the copy of <b> pushed into the <div> goes through lxml's API, which refuses it.
    assert "**x**" in html_to_markdown("<b><div>\x07x</div>y</b>")
