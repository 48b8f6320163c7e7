"""The converter's fast tree builder builds exactly the tree BeautifulSoup builds.

contentkit.convert.soup.parse replaces ``BeautifulSoup(html, "lxml")`` for speed; the converter
then relies on every detail of that tree (string classes, whitespace strings, sibling and
document-order links, attribute dictionaries). These tests compare the two trees node by node,
attribute by attribute, so a change in Beautiful Soup or lxml that the builder does not follow
fails here rather than as a subtly different conversion.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag

from contentkit.convert import soup as soup_module
from contentkit.convert.markdown import html_to_markdown
from contentkit.convert.soup import BS4_OPTIONS, parse

FIXTURES = Path(__file__).resolve().parent / "fixtures"
_LINKS = ("parent", "next_element", "previous_element", "next_sibling", "previous_sibling")


def _sources() -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for path in sorted((FIXTURES / "convert").glob("*.html")):
        out.append((path.name, path.read_text("utf-8")))
    for path in sorted((FIXTURES / "convert").glob("*.cases")):
        blocks = [b for b in path.read_text("utf-8").split("\n====\n") if b.strip()]
        out.extend((f"{path.name}#{i}", b) for i, b in enumerate(blocks))
    for path in sorted((FIXTURES / "corpus").glob("*.md")):
        out.append((path.name, path.read_text("utf-8")))
    edge = [
        "",
        " ",
        "\n\t\n",
        "plain text",
        "a < b & c",
        "<!DOCTYPE html><html><head><title>t</title></head><body>x</body></html>",
        "<?php echo 1 ?><p>x</p>",
        "<!-- only a comment -->",
        "<pre>\n\n  x  \n</pre> \n <textarea> a </textarea>\n\n<p> </p>",
        "<script>a<b</script><style>x{}</style><template><p>t</p></template>",
        "<ruby>漢<rt>kan <b>x</b></rt><rp>(</rp></ruby>",
        "<table><tr><td>a<td>b</table><p>a<p>b<div>c</p><b><i>x</b>y</i>",
        "<svg:rect/><p xmlns:a='urn:x' a:b='c'>ns</p>",
        "\ufeff<p>byte-order mark</p>",
        "<![CDATA[x]]><p>&nbsp;&amp;&lt;</p><br/><img src=x><hr>",
        "<html><body></body></html>trailing",
        "<head><meta charset=latin1></head>é",
        "<p>" * 300 + "deep",
        "<p>\x00nul</p>",
    ]
    out.extend((f"edge#{i}", html) for i, html in enumerate(edge))
    return out


SOURCES = _sources()


def _dump(soup: BeautifulSoup) -> list[list[Any]]:
    """Every node with every attribute; links to other nodes as their document-order index."""
    nodes = [soup, *soup.descendants]
    index = {id(n): i for i, n in enumerate(nodes)}
    rows: list[list[Any]] = []
    for node in nodes:
        row: list[Any] = [type(node).__name__, node.name if isinstance(node, Tag) else str(node)]
        for key, value in sorted(vars(node).items()):
            if key in _LINKS or key in ("_most_recent_element", "currentTag"):
                value = None if value is None else index.get(id(value), "outside")
            elif key in ("contents", "tagStack"):
                value = [index.get(id(c), "outside") for c in value]
            elif key == "builder":
                value = type(value).__name__
            elif key == "attrs":
                value = (type(value).__name__, list(value.items()))
            elif key == "open_tag_counter":
                value = {k: v for k, v in value.items() if v}
            elif isinstance(value, set | frozenset):
                value = sorted(map(str, value))
            row.append((key, value))
        rows.append(row)
    return rows


@pytest.mark.parametrize(("where", "html"), SOURCES, ids=[w for w, _ in SOURCES])
def test_same_tree_as_beautifulsoup(where: str, html: str) -> None:
    assert _dump(parse(html)) == _dump(BeautifulSoup(html, **BS4_OPTIONS)), where


def test_converting_many_documents_in_a_row_is_the_same_as_one_each() -> None:
    # The parser and the converter are reused across documents: nothing may leak between them.
    htmls = [html for _, html in SOURCES]
    first = [html_to_markdown(h) for h in htmls]
    assert [html_to_markdown(h) for h in reversed(htmls)] == list(reversed(first))


def test_the_installed_beautiful_soup_is_the_one_the_builder_imitates() -> None:
    # parse() checks this itself on first use and otherwise leaves every tree to BeautifulSoup
    # (correct, only slower): this test says when an upgrade has made it do so.
    assert soup_module._fast_is_exact()
