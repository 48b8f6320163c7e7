"""Does the Markdown show what the HTML showed? A scorer used by the benchmark and the tests.

Both sides are read the same way: the source HTML as a browser shows it, and the Markdown as
rendered by markdown-it (CommonMark + GFM tables). From each we take the visible text, links
(text and target), bold and italic spans, images, headings, list items and data-table cells;
every dimension scores 1.0 when the two agree exactly (F1 of the multisets; a sequence ratio
for the text). ``raw_html`` and ``unsafe_links`` count what must never reach the Markdown.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from lxml import etree
from lxml import html as lxml_html

from contentkit.convert.html import (
    BLOCK,
    HEADINGS,
    INVISIBLE,
    LAYOUT_CONTENT,
    UNSAFE_SCHEMES,
    browser_end_tags,
    browser_tree,
    drop_stray_table_tags,
    frames_an_article,
    holds_layout,
    image_source,
    is_hidden,
    is_layout_table,
    one_headerless_column,
    raised_text,
    safe_url,
    style_emphasis,
    url_scheme,
)

DIMENSIONS = ("text", "links", "bold", "italic", "images", "headings", "list_items", "cells")
_WS = re.compile(r"[\s\u00a0\u200b\x1e]+")
_BLOCK_SEP = "\x1e"  # a block boundary: a link across blocks shows as one link per block
_TOKEN = re.compile(r"[A-Za-z0-9]+|\S")
_GAP = re.compile(r"[ \t\n\r\f\u00a0\u3000]+")


def norm(text: str) -> str:
    return _WS.sub(" ", text).strip()


@dataclass
class Features:
    text: str = ""
    links: Counter[tuple[str, str]] = field(default_factory=Counter)
    bold: Counter[str] = field(default_factory=Counter)
    italic: Counter[str] = field(default_factory=Counter)
    images: Counter[str] = field(default_factory=Counter)
    headings: Counter[tuple[int, str]] = field(default_factory=Counter)
    list_items: Counter[str] = field(default_factory=Counter)
    cells: Counter[str] = field(default_factory=Counter)


def _url(u: str) -> str:
    """A URL as the reader writes it (percent-encoded, punycode host), then decoded."""
    from contentkit.markdown import parser

    return unquote(parser().normalizeLink(u.strip()))


def _layout_tables(root: Any) -> set[Any]:
    layout = set()
    for table in root.iter("table"):
        cells = [c for c in table.iter("td", "th") if next(c.iterancestors("table")) is table]
        tags = {d.tag for c in cells for d in c.iterdescendants()}
        layout_content = bool(tags & LAYOUT_CONTENT) and holds_layout(cells)
        layout_content = layout_content or frames_an_article(cells)
        one = one_headerless_column(cells)
        if is_layout_table(len(cells), layout_content, bool(tags & BLOCK), one):
            layout.add(table)
    return layout


def features(root: Any) -> Features:
    """What a reader sees in an lxml tree (iterative: deep trees are fine)."""
    out: list[str] = []
    bold_flags: list[bool] = []
    italic_flags: list[bool] = []
    f = Features()
    layout = _layout_tables(root)
    # per open element: (tag, start offset, skip, bold, italic)
    stack: list[tuple[Any, int, bool, int, int]] = []
    bold = italic = plain_bold = 0
    skip = 0
    in_pre = 0  # inside a <pre>, headings, items and cells are lines of code (a highlighter's)
    length = 0
    spans: list[tuple[str, Any, int, int]] = []  # (kind, key, start, end) resolved at the end

    def emit(s: str | None, b: bool, i: bool) -> None:
        nonlocal length
        if s and not skip:
            out.append(s)
            length += len(s)
            bold_flags.extend([b] * len(s))
            italic_flags.extend([i] * len(s))

    for event, el in etree.iterwalk(root, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            hidden = not tag or tag in INVISIBLE or is_hidden(el.attrib)
            if tag == "select" and not skip and not is_hidden(el.attrib):
                from contentkit.convert.markdown import shown_instead

                emit(f" {shown_instead(el) or ''} ", bool(bold and not plain_bold), bool(italic))
            stack.append((el, length, hidden, bold, italic))
            if hidden:
                skip += 1
                continue
            css_bold, css_italic = style_emphasis(el.attrib)
            if tag in ("b", "strong") or css_bold:
                bold += 1
            if tag in ("em", "i", "cite") or css_italic:
                italic += 1
            if tag in HEADINGS or tag == "th":
                plain_bold += 1
            if tag == "pre":
                in_pre += 1
            if tag in BLOCK:
                emit(_BLOCK_SEP, False, False)
            elif tag == "br":
                emit("\n", False, False)
            if tag == "q":
                emit("“", bool(bold and not plain_bold), bool(italic))
            if tag == "img" and not skip:
                src = image_source(el.get)
                if src:
                    f.images[_url(src)] += 1
            emit(el.text, bool(bold and not plain_bold), bool(italic))
        else:
            _, start, hidden, bold_before, italic_before = stack.pop()
            if hidden:
                skip -= 1
            elif tag:
                if tag == "q":
                    emit("”", bool(bold and not plain_bold), bool(italic))
                if tag == "a":
                    href = safe_url(el.get("href"))
                    if href is not None and not any(a.tag == "a" for a in el.iterancestors()):
                        spans.append(("links", _url(href), start, length))
                elif in_pre:
                    in_pre -= tag == "pre"
                elif tag in HEADINGS:
                    spans.append(("headings", int(tag[1]), start, length))
                elif tag == "li":
                    spans.append(("list_items", None, start, length))
                elif tag in ("td", "th"):
                    table = next(el.iterancestors("table"), None)
                    if table is not None and table not in layout:
                        spans.append(("cells", None, start, length))
                if tag in HEADINGS or tag == "th":
                    plain_bold -= 1
                bold, italic = bold_before, italic_before
                if tag in BLOCK:
                    emit(_BLOCK_SEP, False, False)
            b, i = bool(bold and not plain_bold), bool(italic)
            emit(el.tail, b, i)
    text = "".join(out)
    f.text = norm(text)
    for kind, key, start, end in spans:
        if kind == "links":
            for piece in text[start:end].split(_BLOCK_SEP):
                if norm(piece):
                    f.links[(norm(piece), key)] += 1
            continue
        value = norm(text[start:end])
        if value:
            counter = getattr(f, kind)
            counter[(key, value) if key else value] += 1
    for flags, counter in ((bold_flags, f.bold), (italic_flags, f.italic)):
        # A space between two bold words looks the same bold or not: it joins them.
        for m in _GAP.finditer(text):
            lo, hi = m.start(), m.end()
            if lo and hi < len(flags) and flags[lo - 1] and flags[hi]:
                flags[lo:hi] = [True] * (hi - lo)
        for m in re.finditer(r"1+", "".join("1" if x else "0" for x in flags)):
            span = norm(text[m.start() : m.end()])
            if span:
                counter[span] += 1
    return f


def parse_html(source: str) -> Any:
    parser = lxml_html.HTMLParser(huge_tree=True, remove_comments=True)
    source = drop_stray_table_tags(source)
    try:
        root = lxml_html.fragment_fromstring(
            browser_end_tags(source) or "<p></p>", create_parent="div", parser=parser
        )
        browser_tree(root, source)  # (read as a browser does, as the converter reads it)
        for el in root.iter("sup", "sub"):
            raised = None if len(el) or not el.text else raised_text(el.text, el.tag)
            if raised:
                el.text = raised  # (mc<sup>2</sup> shows mc², as the converter writes it)
        return root
    except (etree.ParserError, ValueError):
        return lxml_html.fragment_fromstring("<p></p>", create_parent="div")


def _f1(expected: Counter[Any], got: Counter[Any]) -> float:
    if not expected and not got:
        return 1.0
    tp = sum((expected & got).values())
    if tp == 0:
        return 0.0
    p, r = tp / sum(got.values()), tp / sum(expected.values())
    return 2 * p * r / (p + r)


def _text_score(a: str, b: str) -> float:
    if a == b:
        return 1.0
    ta, tb = _TOKEN.findall(a), _TOKEN.findall(b)
    if ta == tb:
        return 1.0
    return difflib.SequenceMatcher(None, ta, tb, autojunk=False).ratio()


@dataclass
class Score:
    scores: dict[str, float]
    raw_html: int
    unsafe_links: int
    expected: Features
    got: Features

    def differences(self, dimension: str) -> tuple[list[Any], list[Any]]:
        """(missing from the Markdown, extra in the Markdown) for one dimension."""
        if dimension == "text":
            return [self.expected.text], [self.got.text]
        a, b = getattr(self.expected, dimension), getattr(self.got, dimension)
        return sorted((a - b).elements(), key=str), sorted((b - a).elements(), key=str)


def _markdown_parsers() -> tuple[Any, Any]:
    from contentkit.markdown import parser

    trusting = parser().__class__("commonmark").enable(["table", "strikethrough"])
    trusting.validateLink = lambda url: True  # type: ignore[method-assign]
    return parser(), trusting


def score(source_html: str, markdown: str) -> Score:
    """Score ``markdown`` against the ``source_html`` it was made from."""
    md, trusting = _markdown_parsers()
    expected = features(parse_html(source_html))
    got = features(parse_html(md.render(markdown)))
    raw = unsafe = 0
    for tok in trusting.parse(markdown):
        if tok.type == "html_block":
            raw += 1
        for child in tok.children or ():
            if child.type == "html_inline":
                raw += 1
            elif child.type in ("link_open", "image"):
                url = str(child.attrs.get("href") or child.attrs.get("src") or "")
                if url_scheme(url) in UNSAFE_SCHEMES:
                    unsafe += 1
    scores = {
        "text": _text_score(expected.text, got.text),
        **{d: _f1(getattr(expected, d), getattr(got, d)) for d in DIMENSIONS[1:]},
    }
    return Score(scores, raw, unsafe, expected, got)
