"""Losses found on unseen pages (tests/data/convert_losses_unseen.md), one case each, with the
smallest real-shaped HTML that showed it; judged by what markdown-it makes of the Markdown."""

from __future__ import annotations

from test_convert_losses import faithful, tree  # (the same judge as the earlier loss cases)

from contentkit.convert.markdown import converter, html_to_markdown


def paragraphs(md: str) -> list[str]:
    return [p.text_content() for p in tree(md).xpath("//p")]


# ---- 1-3: HTML5 void elements libxml2 does not know ---------------------------------------------


def test_picture_converts_to_its_img() -> None:
    src = (
        '<figure><picture><source media="(min-width: 800px)" srcset="large.jpg">'
        '<source srcset="small.jpg"><img src="fallback.jpg" alt="A harbour at dusk"></picture>'
        "<figcaption>The harbour at dusk.</figcaption></figure>\n<p>The article goes on here.</p>"
    )
    md = faithful(src)
    t = tree(md)
    assert t.xpath("//img/@src") == ["fallback.jpg"]
    assert t.xpath("//img/@alt") == ["A harbour at dusk"]
    assert paragraphs(md)[1:] == ["The harbour at dusk.", "The article goes on here."]
    assert [d.element for d in converter().dropped] == ["source", "source"]


def test_text_after_an_embed_is_kept() -> None:
    src = (
        "<p>Watch the talk:</p>\n"
        '<p><embed src="https://example.org/player.swf" width="400" height="300">The speaker '
        'explains <a href="https://example.org/slides">the slides</a> in detail.</p>\n'
        "<p>Next paragraph.</p>"
    )
    md = faithful(src)
    assert paragraphs(md) == [
        "Watch the talk:",
        "The speaker explains the slides in detail.",
        "Next paragraph.",
    ]
    assert tree(md).xpath("//a/@href") == ["https://example.org/slides"]
    (embed,) = converter().dropped
    assert embed.element == "embed" and embed.text == ""


def test_text_after_a_bare_source_is_kept() -> None:
    src = (
        '<p>Before.</p>\n<div><source src="clip.mp4" type="video/mp4">Your browser shows this '
        'text and <a href="/dl">a link</a>.</div>'
    )
    md = faithful(src)
    assert paragraphs(md) == ["Before.", "Your browser shows this text and a link."]
    assert tree(md).xpath("//a/@href") == ["/dl"]


def test_every_nesting_void_element_is_left_empty() -> None:
    # libxml2 nests each of these around what follows it (a chain, for several in a row).
    src = (
        "<p>a<wbr>b<keygen>c<bgsound>d<track>e<embed>f<source>g</p>"
        "<ul><li>h<wbr>i</li><li>j</li></ul>"
    )
    md = html_to_markdown(src)
    assert paragraphs(md) == ["abcdefg"]
    assert tree(md).xpath("//li/text()") == ["hi", "j"]


# ---- 4: text in a table outside any cell (a browser moves it before the table) -----------------


def _cells(md: str) -> list[str]:
    return [c.text_content() for c in tree(md).xpath("//td")]


def test_text_directly_in_a_row_shows_before_the_table() -> None:
    src = (
        "<table>\n<tr><td>Hallo</td><td>Echo</td></tr>\n<tr>Leer</tr>\n"
        "<tr><td>(1)</td><td>(2)</td></tr>\n</table>"
    )
    md = html_to_markdown(src)
    assert paragraphs(md) == ["Leer"]
    assert md.index("Leer") < md.index("Hallo")
    assert _cells(md) == ["Hallo", "Echo", "(1)", "(2)"]


def test_an_element_in_a_row_keeps_its_link_and_its_tail_text() -> None:
    src = (
        "<p>x</p><table><tr><td>a</td><td>b</td></tr>"
        '<tr><span>side <a href="/s">note</a></span> tail</tr></table><p>y</p>'
    )
    md = html_to_markdown(src)
    assert paragraphs(md) == ["x", "side note tail", "y"]
    assert tree(md).xpath("//p/a/@href") == ["/s"]
    assert _cells(md) == ["a", "b"]


def test_an_element_holding_rows_stays_in_the_table() -> None:
    # libxml2 keeps <form> in the table with the rows inside it; a browser keeps the rows too.
    md = html_to_markdown('<table><form action="/f"><tr><td>a</td><td>b</td></tr></form></table>')
    assert _cells(md) == ["a", "b"] and paragraphs(md) == []
