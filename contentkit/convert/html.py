"""What a browser shows of article HTML: shared by the converter and the fidelity scorer.

Both must agree on which elements are invisible, which tables are layout rather than data, and
where a lazy image really comes from; keeping that here means the scorer measures the converter
against the same reading of the page, not against a second opinion.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

# Never shown, or never safe to pass on: dropped with their content.
INVISIBLE = frozenset(
    {
        "script",
        "style",
        "iframe",
        "frame",
        "frameset",
        "noscript",
        "template",
        "object",
        "embed",
        "applet",
        "head",
        "title",
        "meta",
        "link",
        "base",
        "svg",
        "annotation",  # MathML's source (TeX): the rendered formula is what shows
        "annotation-xml",
        "canvas",
        "audio",
        "video",
        "source",
        "track",
        "param",
        "input",
        "select",
        "dialog",
    }
)
BLOCK = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "center",
        "dd",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "li",
        "main",
        "menu",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
        "caption",
    }
)
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Cell content that a GFM table cell cannot hold: such a table lays out a page.
LAYOUT_CONTENT = frozenset(
    {"h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "blockquote", "pre", "table", "hr", "dl"}
)
LAZY_SRC_ATTRS = (
    "data-src",
    "data-original",
    "data-lazy-src",
    "data-actualsrc",
    "data-original-src",
    "data-lazyload",
    "data-echo",
)
LAZY_SRCSET_ATTRS = ("data-srcset", "data-lazy-srcset")
UNSAFE_SCHEMES = frozenset({"javascript", "vbscript", "data"})
# Table parts: outside any <table> a browser shows them as plain blocks (scraped pages).
TABLE_PARTS = frozenset({"td", "th", "tr", "thead", "tbody", "tfoot", "caption", "colgroup"})
TEX_ENCODINGS = frozenset({"application/x-tex", "application/x-latex", "text/x-tex"})

_DISPLAY_NONE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_CTRL = re.compile(r"[\x00-\x20\x7f]+")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
# Words of a placeholder image's URL (looked for in its lower case: a regular expression with
# these alternatives and IGNORECASE tried every position, 0.1 ms an image).
_PLACEHOLDER_WORDS = (
    "placeholder",
    "blank",
    "spacer",
    "loading",
    "lazy",
    "transparent",
    "pixel",
    "grey.",
    "gray.",
    "default.",
)


# HTML5 void elements that libxml2 (an HTML 4 parser) does not know: it nests everything after
# one, up to its parent's end, inside it, where a browser leaves it empty. (param, area, col,
# img, br, hr, input are known to it and come out empty.)
NESTING_VOIDS = ("embed", "source", "track", "wbr", "keygen", "bgsound")


_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` as lxml lets it be set again: libxml2 keeps C0 controls it read, but lxml refuses
    to store one (each becomes a space, as whitespace a reader collapses)."""
    return _XML_UNSAFE.sub(" ", text)


def set_text(el: Any, tail: bool, text: str | None) -> None:
    try:
        setattr(el, "tail" if tail else "text", text)
    except ValueError:
        setattr(el, "tail" if tail else "text", xml_safe(text or ""))


def unnest_void_elements(root: Any) -> None:
    """Give back what libxml2 nested inside HTML5 void elements: it follows them, as in a
    browser's tree (``<p>a<embed>b</p>`` is ``<p>a<embed></embed>b</p>``). One pass in
    document order; each element moves at most once per void element around it."""
    for el in root.iter(*NESTING_VOIDS):
        text = el.text
        if text is None and not len(el):
            continue
        el.text = None
        tail = el.tail
        set_text(el, True, text)
        last = el
        for child in list(el):
            last.addnext(child)  # (lxml moves a child's tail with it)
            last = child
        if tail:
            set_text(last, True, (last.tail or "") + tail)


# What a browser's parser lets stay inside each part of a table; anything else there is
# "foster-parented": moved before the table (HTML's tree construction, "in table" mode).
# Stray cells stay: the converter gives them a row, as the parser does.
_TABLE_CONTENT = {
    "table": frozenset("caption colgroup col thead tbody tfoot tr td th".split()),
    "thead": frozenset("tr td th".split()),
    "tbody": frozenset("tr td th".split()),
    "tfoot": frozenset("tr td th".split()),
    "tr": frozenset("td th".split()),
}
_TABLE_SCRIPT = frozenset("script template style".split())  # allowed anywhere, and not shown


def foster_parent(root: Any) -> None:
    """Move text and elements that sit in a table outside any cell to just before the table,
    in a ``<div>``, as a browser shows them (``<tr>Leer</tr>`` shows "Leer" above the table).
    libxml2 keeps them where they were written, and a cell-by-cell walk would never reach them.
    """
    for part in list(root.iter(*_TABLE_CONTENT)):
        table = part if part.tag == "table" else next(part.iterancestors("table"), None)
        if table is None:
            continue
        strays = _take_strays(part)
        if strays:
            table.addprevious(_div_of(table, strays))


def _take_strays(part: Any) -> list[Any]:
    """Take out of ``part`` what is shown outside any cell: text, or elements, in order."""
    allowed = _TABLE_CONTENT[part.tag]
    strays: list[Any] = []
    if part.text and part.text.strip():
        strays.append(part.text)
        part.text = None
    for child in list(part):
        tail = child.tail
        if _stray_element(child, allowed):
            child.tail = None  # (lxml would move the tail with the element)
            strays.append(child)
        if tail and tail.strip():
            child.tail = None
            strays.append(tail)
    return strays


def _div_of(table: Any, strays: list[Any]) -> Any:
    div = table.makeelement("div", {})
    for piece in strays:
        if not isinstance(piece, str):
            div.append(piece)
        elif len(div):
            set_text(div[-1], True, (div[-1].tail or "") + piece)
        else:
            set_text(div, False, (div.text or "") + piece)
    return div


def _stray_element(child: Any, allowed: frozenset[str]) -> bool:
    """An element a browser moves out of the table: not table content, and holding no rows
    or cells (``<table><form><tr>…`` keeps its rows where they are, as a browser does)."""
    if not isinstance(child.tag, str) or child.tag in allowed or child.tag in _TABLE_SCRIPT:
        return False
    return next(child.iter("tr", "td", "th"), None) is None


def is_layout_table(cells: int, layout_content: bool, any_block: bool) -> bool:
    """Does a table with this many cells of its own lay out a page rather than hold data?

    A cell holding a heading, a list, a quote or another table cannot be a GFM cell; a single
    cell is data (a one-cell table shows a box) unless it wraps blocks, as a page frame does.
    """
    if cells == 0 or layout_content:
        return True
    return cells == 1 and any_block


def is_hidden(attrs: Mapping[str, object]) -> bool:
    """``hidden`` attribute or an inline ``display:none``: the browser does not show it."""
    if "hidden" in attrs:
        return True
    style = attrs.get("style")
    return isinstance(style, str) and bool(_DISPLAY_NONE.search(style))


_WEIGHT = re.compile(r"font-weight\s*:\s*(bold|bolder|[6-9]00)\b", re.I)
_ITALIC = re.compile(r"font-style\s*:\s*(italic|oblique)\b", re.I)


def style_emphasis(attrs: Mapping[str, object]) -> tuple[bool, bool]:
    """(bold, italic) that an inline ``style`` gives an element, as a browser would show it."""
    style = attrs.get("style")
    if not isinstance(style, str) or "font-" not in style:
        return False, False
    return bool(_WEIGHT.search(style)), bool(_ITALIC.search(style))


def url_scheme(url: str) -> str:
    """The scheme as a browser reads it (it ignores control characters and whitespace)."""
    m = _SCHEME.match(_CTRL.sub("", url))
    return m.group(1).lower() if m else ""


def safe_url(url: str | None) -> str | None:
    """``url`` trimmed, or None when missing or unsafe (javascript:, vbscript:, data:)."""
    if url is None:
        return None
    url = url.strip()
    if url_scheme(url) in UNSAFE_SCHEMES:
        return None
    return url


def is_placeholder_src(src: str | None) -> bool:
    """A ``src`` that is only there until a script swaps in the real image."""
    if not src or not src.strip():
        return True
    s = src.strip()
    if url_scheme(s) == "data" or s == "about:blank":
        return True
    low = s.lower()
    return any(word in low for word in _PLACEHOLDER_WORDS)


def _first_srcset(value: str) -> str | None:
    for part in value.split(","):
        url = part.strip().split(" ")[0]
        if url:
            return url
    return None


def image_source(get: Callable[[str], object]) -> str | None:
    """Where an ``<img>`` really comes from: a lazy loader's ``data-src`` beats a placeholder."""
    src = get("src")
    src = src if isinstance(src, str) else None
    for name in LAZY_SRC_ATTRS:
        lazy = get(name)
        if isinstance(lazy, str) and lazy.strip() and safe_url(lazy):
            if is_placeholder_src(src) or lazy.strip() != (src or "").strip():
                return lazy.strip()
    if is_placeholder_src(src):
        for name in (*LAZY_SRCSET_ATTRS, "srcset"):
            value = get(name)
            if isinstance(value, str):
                first = _first_srcset(value)
                if first and safe_url(first):
                    return first
    return safe_url(src) if src and url_scheme(src) != "data" else None
