"""What a browser shows of article HTML: shared by the converter and the fidelity scorer.

Both must agree on which elements are invisible, which tables are layout rather than data, and
where a lazy image really comes from; keeping that here means the scorer measures the converter
against the same reading of the page, not against a second opinion.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from itertools import islice
from typing import Any

from contentkit.convert.stylesheet import HIDDEN_BY_STYLESHEET, hide_by_stylesheet

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
# Table parts. (Outside any table a browser ignores their tags: see drop_stray_table_tags.)
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


# The attribute that keeps the name an element had in the source when the browser's reading
# renames it (a <textarea> shown as a block): a dropped element is located by the n-th
# element of its name in the source, and a renamed one still counts under its own.
ORIGINAL_TAG = "data-contentkit-tag"


def rename(el: Any, tag: str) -> None:
    if ORIGINAL_TAG not in el.attrib:
        el.set(ORIGINAL_TAG, el.tag)
    el.tag = tag


def set_text(el: Any, tail: bool, text: str | None) -> None:
    try:
        setattr(el, "tail" if tail else "text", text)
    except ValueError:
        setattr(el, "tail" if tail else "text", xml_safe(text or ""))


def unnest_void_elements(root: Any) -> None:
    """Give back what libxml2 nested inside HTML5 void elements: it follows them, as in a
    browser's tree (``<p>a<embed>b</p>`` is ``<p>a<embed></embed>b</p>``). One pass in
    document order; each element moves at most once per void element around it. The same
    pass reads ``<listing>``/``<xmp>``/``<plaintext>`` as ``<pre>`` and writes out the text an
    ``<svg>`` draws."""
    svgs = []
    foreign = []
    in_heading = []
    for el in root.iter(
        *NESTING_VOIDS,
        "svg",
        "math",
        "listing",
        "xmp",
        "plaintext",
        "image",
        *HEADINGS,
        *_AMP_IMG,
        *_SHOWN_CONTROLS,
        "ruby",
        "pre",
        "sup",
        "sub",
    ):
        tag = el.tag
        if tag in _SHOWN_CONTROLS:
            _shown_control(el)
            continue
        if tag == "ruby":
            _reading_in_parentheses(el)
            continue
        if tag == "pre":
            if is_line_numbers(el):
                el.set("hidden", LINE_NUMBERS)
            continue
        if tag == "sup" or tag == "sub":
            if len(el):
                _raise_inside(el, tag)
            continue
        if tag in _AMP_IMG:
            if el.get("src") or el.get("srcset"):
                rename(el, "img")  # (the AMP runtime draws one; its <noscript> copy is not shown)
            continue
        if tag in HEADINGS:
            parent = el.getparent()
            if parent is not None and parent.tag in HEADINGS:
                in_heading.append(el)  # (a heading's start tag closes the heading it is in)
            continue
        if tag == "image":
            if next(el.iterancestors("svg", "math"), None) is not None:
                continue  # (SVG's own <image>)
            rename(el, "img")  # HTML5's parser reads <image> as <img>; libxml2 nests in it too
        if tag == "svg" or tag == "math":
            if next(el.iterancestors("svg", "math"), None) is None:  # (an inner one: in it)
                foreign.append(el)
                if tag == "svg":
                    svgs.append(el)
                else:
                    _hide_drawn_copy(el)
            continue
        if tag == "listing" or tag == "xmp" or tag == "plaintext":
            _as_pre(el)
            continue
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
    for heading in in_heading:
        parent = heading.getparent()
        if parent is not None and parent.tag in HEADINGS:
            _move_after(parent, heading)
    for top in foreign:
        _break_out(top)
    for svg in svgs:
        _svg_as_text(svg)


_AMP_IMG = ("amp-img", "amp-anim")  # AMP pages' images
# Elements the converter leaves out that a browser shows in some forms (reported otherwise).
_SHOWN_CONTROLS = ("object", "dialog", "textarea", "input", "button")
_PLUGIN = re.compile(r"shockwave|flash|java|silverlight|\.(?:swf|class|jar|xap)(?:[?#]|$)", re.I)
_IMAGE_DATA = re.compile(r"^image/|\.(?:png|jpe?g|gif|webp|avif|bmp|svg)(?:[?#]|$)", re.I)


def _shown_control(el: Any) -> None:
    """What a browser shows of an ``<object>`` (its fallback content, where no browser has
    the plugin it asks for; its image), an open ``<dialog>``, a ``<textarea>`` (a box of its
    text), a button ``<input>`` (its label) and a task list's checkbox (``[x]``); a
    ``<button>`` is a box of its own, a space apart from the words and buttons beside it (a
    Javadoc page's tabs ran together)."""
    tag = el.tag
    if tag == "button":
        if _shows_a_letter_before(el):
            _space_before(el)
        if el.tail and el.tail[0].isalnum():
            set_text(el, True, " " + el.tail)
    elif tag == "object":
        data, kind = el.get("data") or "", el.get("type") or ""
        if _IMAGE_DATA.search(kind) or (not kind and _IMAGE_DATA.search(data)):
            img = el.makeelement("img", {"src": data})
            _after(el, img)  # (the fallback inside is not shown when the image is)
        elif _PLUGIN.search(kind) or _PLUGIN.search(data) or not (data or kind):
            rename(el, "span")
    elif tag == "dialog":
        if el.get("open") is not None:
            rename(el, "div")
    elif tag == "textarea":
        rename(el, "div")  # (a box: its text is a block of its own, not glued to the label)
    else:
        kind = (el.get("type") or "").lower()
        if kind in ("submit", "button", "reset") and (el.get("value") or "").strip():
            _text_after(el, " ".join(el.get("value", "").split()))
        elif kind == "checkbox" and _first_in_item(el):
            # GFM's task list item: "[x] " then the text (a space kept: "[x]" followed by
            # text is not a task, and a bracket right before a space needs no escape)
            set_text(el, True, (el.tail or "").lstrip())
            _text_after(el, "[x] " if el.get("checked") is not None else "[ ] ")


def _shows_a_letter_before(el: Any) -> bool:
    """Does a letter or digit show right before ``el`` (in the text before it, or at the end
    of the element before it when no text comes between)?"""
    prev = el.getprevious()
    before = prev.tail if prev is not None else el.getparent().text
    if not before and prev is not None and type(prev.tag) is str:
        before = "".join(prev.itertext())
    return bool(before) and before[-1].isalnum()


def _space_before(el: Any) -> None:
    prev = el.getprevious()
    if prev is not None:
        set_text(prev, True, (prev.tail or "") + " ")
    else:
        parent = el.getparent()
        set_text(parent, False, (parent.text or "") + " ")


# The value of ``hidden`` on a formula's drawn copy, and on a highlighter's gutter of line
# numbers: dropped, and reported as that.
DRAWN_COPY = "drawn copy of the formula beside it"
LINE_NUMBERS = "line numbers beside the code"


def is_line_numbers(pre: Any) -> bool:
    """A ``<pre>`` of consecutive line numbers only, in a table cell beside a cell of code: a
    highlighter's gutter (Pygments' ``linenos``, Hexo's ``gutter``, Rouge's). Written as a
    block of its own, it came before the code as a column of bare numbers."""
    numbers = "".join(pre.itertext()).split()
    if not numbers or not all(n.isdigit() and len(n) < 8 for n in numbers):
        return False
    first = int(numbers[0])
    if any(int(n) != first + i for i, n in enumerate(numbers)):
        return False
    cell = next(pre.iterancestors("td", "th"), None)
    if cell is None:
        return False
    # (the code is in the cell beside it, in every highlighter: no walk over a long row)
    return any(
        other is not None and next(other.iter("pre", "code"), None) is not None
        for other in (cell.getnext(), cell.getprevious())
    )


def _hide_drawn_copy(math: Any) -> None:
    """KaTeX and MathJax write a formula twice: as MathML for screen readers (which CSS keeps
    off the screen) and as a drawing for the eye, marked ``aria-hidden``, right beside the
    element that wraps only the MathML (KaTeX's ``katex-mathml``, MathJax's
    ``mjx-assistive-mml``; two levels up at most). One copy is the formula: the drawing, if
    it shows the formula's letters, is hidden."""
    inner = math
    for _ in range(2):
        parent = inner.getparent()
        # A wrapper of the formula alone: its one child, no words beside it (an aria-hidden
        # icon beside a formula in a sentence is no copy of it).
        if (
            parent is None
            or parent[0] is not inner
            or inner.getnext() is not None
            or (parent.text or "").strip()
            or (inner.tail or "").strip()
        ):
            return
        inner = parent
        for sibling in (inner.getprevious(), inner.getnext()):  # (neighbours only: no walk)
            if (
                sibling is not None
                and sibling.get("aria-hidden") == "true"
                and next(sibling.iter("math"), None) is None
                and 0 < len(drawn := _symbols(sibling.itertext()))
                and drawn <= _symbols(_drawn_text(math))
            ):
                sibling.set("hidden", DRAWN_COPY)
                return


def _drawn_text(math: Any) -> list[str]:
    """The text a formula draws: its tokens', not its TeX annotation's."""
    texts = []
    for node in math.iter():
        if type(node.tag) is str and node.tag not in ("annotation", "annotation-xml"):
            texts.append(node.text or "")
        if node is not math:
            texts.append(node.tail or "")
    return texts


def _symbols(texts: Any) -> set[str]:
    """The letters and digits of ``texts`` (what a drawn copy shares with its formula)."""
    return {ch for t in texts for ch in t if ch.isalnum()}


def _raise_inside(el: Any, tag: str) -> None:
    """``5<sup><span>th</span></sup>``, ``10<sup><a href="#fn3">3</a></sup>``: the text inside
    the elements of a super- or subscript raised or lowered as a plain one is (``5ᵗʰ``,
    ``[³](#fn3)``), where Unicode has a form of every character of it; it read 5th and 103."""
    nodes = [d for d in el.iterdescendants() if type(d.tag) is str]
    if any(d.tag in BLOCK or d.tag in ("img", "br", "sup", "sub", "math", "svg") for d in nodes):
        return
    pieces = [el.text or "", *(t for d in nodes for t in (d.text or "", d.tail or ""))]
    if raised_text("".join(pieces), tag) is None:
        return
    forms = _RAISED[tag]

    def raised(text: str | None) -> str | None:
        return "".join(forms.get(ch, ch) for ch in text) if text else text

    set_text(el, False, raised(el.text))
    for d in nodes:
        set_text(d, False, raised(d.text))
        set_text(d, True, raised(d.tail))


def _reading_in_parentheses(ruby: Any) -> None:
    """A browser draws a ruby's reading (``<rt>``) above its base; in a line of text it follows
    the base in parentheses, as the ``<rp>`` fallback writes it (東京（とうきょう）). A ruby with
    ``<rp>`` of its own has them; the bases of a legacy ``<rb>``/``<rtc>`` ruby, and the
    readings of an ``<rtc>``, are a space apart (10 31 2002 (Month Day Year))."""
    if next(ruby.iter("rp"), None) is not None:
        return
    bases = [child for child in ruby if child.tag == "rb"]
    for base in bases[:-1]:
        if not (base.tail or "")[:1].isspace():
            set_text(base, True, " " + (base.tail or ""))
    for group in ruby:
        if group.tag == "rtc":
            readings = [rt for rt in group if rt.tag == "rt"]
            for rt in readings[:-1]:
                if not (rt.tail or "")[:1].isspace():
                    set_text(rt, True, " " + (rt.tail or ""))
        elif group.tag != "rt":
            continue
        reading = "".join(group.itertext())
        if not reading.strip():
            continue
        prev = group.getprevious()
        base = "".join(prev.itertext()) + (prev.tail or "") if prev is not None else ruby.text
        if any(_is_wide(ch) for ch in reading):
            opening, closing = "（", "）"
        else:  # (a space before it after a Latin base: "2002 (Year)", but "漢(kan)")
            opening = "(" if not base or _is_wide(base[-1]) else " ("
            closing = ")"
        set_text(group, False, opening + (group.text or ""))
        if len(group):
            set_text(group[-1], True, (group[-1].tail or "") + closing)
        else:
            set_text(group, False, (group.text or "") + closing)


def _is_wide(ch: str) -> bool:
    """A CJK ideograph, kana or hangul: a reading written in them takes full-width brackets."""
    return unicodedata.east_asian_width(ch) in ("W", "F")


def _text_after(el: Any, text: str) -> None:
    """``text`` right after ``el``, in a ``<span>``, a space apart from words beside it."""
    if _shows_a_letter_before(el):
        text = " " + text
    if el.tail and not el.tail[0].isspace() and not text.endswith(" "):
        text += " "
    span = el.makeelement("span", {})
    set_text(span, False, text)
    _after(el, span)


def _first_in_item(el: Any) -> bool:
    """Is ``el`` the first thing an ``<li>`` shows (a GFM task list's checkbox)?"""
    parent = el.getparent()
    while parent is not None and parent.tag != "li":
        if (
            (parent.tag in BLOCK and parent.tag != "p")
            or el.getprevious() is not None
            or (parent.text or "").strip()
        ):
            return False
        el, parent = parent, parent.getparent()
    return parent is not None and el.getprevious() is None and not (parent.text or "").strip()


# HTML start tags that end an <svg> or <math> where they stand (HTML5 "in foreign content"):
# a browser shows them, and what follows, after it; libxml2 keeps them inside, never shown.
_BREAK_OUT = frozenset(
    "b big blockquote body br center code dd div dl dt em embed h1 h2 h3 h4 h5 h6 head hr i img "
    "li listing menu meta nobr ol p pre ruby s small span strong strike sub sup table tt u ul "
    "var".split()
)
# Where HTML is HTML again inside foreign content (integration points): nothing breaks out.
_SVG_HTML_POINTS = frozenset({"foreignobject", "desc", "title"})
_MATH_TEXT_POINTS = frozenset({"mi", "mo", "mn", "ms", "mtext"})


def _first_break_out(el: Any, math: bool) -> Any:
    if next(el.iter(*_BREAK_OUT, "font"), None) is None:
        return None  # (libxml2's search, in C: a formula is often hundreds of elements)
    stack = list(reversed(el))  # (iterative: foreign content may nest deeper than Python recurses)
    while stack:
        child = stack.pop()
        tag = child.tag
        if not isinstance(tag, str):
            continue
        if tag in _BREAK_OUT or (
            tag == "font" and any(a in child.attrib for a in ("color", "face", "size"))
        ):
            return child
        if math:
            encoding = (child.get("encoding") or "").lower()
            if tag in _MATH_TEXT_POINTS or (
                tag == "annotation-xml" and encoding in ("text/html", "application/xhtml+xml")
            ):
                continue
        elif tag in _SVG_HTML_POINTS:
            continue
        stack.extend(reversed(child))
    return None


def _break_out(top: Any) -> None:
    """Move an HTML element that ends ``top`` (an ``<svg>``/``<math>``) and all that follows it
    inside ``top`` to right after it, in order, as a browser's parser does."""
    first = _first_break_out(top, top.tag == "math")
    if first is not None:
        _move_after(top, first)


def _move_after(top: Any, first: Any) -> None:
    """Move ``first`` (inside ``top``) and all that follows it inside ``top`` to right after
    ``top``, in order: where a browser's parser closed ``top`` at ``first``'s start tag."""
    pieces: list[Any] = [first, *first.itersiblings()]
    node = first.getparent()
    while node is not top:  # then what follows each element around it, up to ``top``
        if node.tail:
            pieces.append(node.tail)
            node.tail = None
        pieces.extend(node.itersiblings())
        node = node.getparent()
    if top.tail:
        pieces.append(top.tail)
        top.tail = None
    anchor = top
    for piece in pieces:
        if isinstance(piece, str):
            set_text(anchor, True, (anchor.tail or "") + piece)
        else:
            anchor.addnext(piece)  # (its tail with it)
            anchor = piece


def browser_tree(root: Any, html: str | None = None) -> None:
    """Make libxml2's tree of ``html`` the tree a browser's HTML5 parser builds and shows,
    where the two differ in what a reader sees: inline elements libxml2 closed before a block
    (``<b><p>``), HTML5 void elements it nests content in, text an ``<svg>`` draws, the old
    preformatted ``<listing>``/``<xmp>``/``<plaintext>``, and content in a table outside any
    cell, and what the page's own ``<style>`` hides. (``html``: the source, which says where
    libxml2 closed an element early.)"""
    if html is not None:
        renest_closed_early(root, html)
    hide_by_stylesheet(root)
    unnest_void_elements(root)
    foster_parent(root)


_CLOSERS: dict[str, frozenset[str]] | None = None
# Inline elements a browser keeps open around blocks, and the blocks that may start in them.
_INLINE_AROUND = tuple(
    "a abbr b bdi bdo big cite code del dfn em font i ins kbd label mark nobr q s samp small "
    "span strike strong sub sup time tt u var".split()
)
_BLOCKS_IN_INLINE = tuple(
    "address article aside blockquote center dd details dialog dir div dl dt fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr main menu nav ol p pre "
    "section summary table ul".split()
) + tuple(sorted(TABLE_PARTS))  # (outside any table: a browser ignores the tags themselves)


def _closers() -> dict[str, frozenset[str]]:
    """block tag -> the inline elements that libxml2 (this version) closes when that block
    starts inside one, where a browser keeps them open around it: asked of libxml2 itself,
    once, in one parse (its table has changed between versions)."""
    global _CLOSERS
    if _CLOSERS is None:
        from lxml import etree

        probe = "".join(
            f"<section><{x}><{y}></{y}></{x}></section>"
            for x in _INLINE_AROUND
            for y in _BLOCKS_IN_INLINE
        )
        found: dict[str, set[str]] = {}
        body = etree.fromstring(f"<html><body>{probe}</body></html>", etree.HTMLParser())[0]
        pairs = [(x, y) for x in _INLINE_AROUND for y in _BLOCKS_IN_INLINE]
        if len(body) == len(pairs):  # (else the probe is not understood: nothing is renested)
            for section, (x, y) in zip(body, pairs, strict=True):
                if len(section) and section[0].tag == x and not len(section[0]):
                    found.setdefault(y, set()).add(x)
        _CLOSERS = {y: frozenset(xs) for y, xs in found.items()}
    return _CLOSERS


_RAW_TEXT = ("script", "style", "textarea", "title", "xmp", "plaintext", "iframe")


class _SourceTags:
    """Where the start and end tags of some names are in ``html`` (comments and raw text
    skipped), and which element of the tree each start tag is: asked for a name at a time, so
    that a page pays for the few names in question, not for every tag it has."""

    def __init__(self, root: Any, html: str) -> None:
        self.root, self.html = root, html
        self.tags: dict[str, list[tuple[int, int]]] = {}  # name -> (offset, +1 start/-1 end)
        self.starts: dict[str, list[int]] = {}
        self.ordinal: dict[Any, int] = {}
        self.count: dict[str, int] = {}

    def _scan(self, names: set[str]) -> None:
        names = {n for n in names if n not in self.tags}
        if not names:
            return
        alternatives = "|".join(
            re.escape(n) for n in sorted(names | set(_RAW_TEXT), key=len, reverse=True)
        )
        tag = re.compile(
            r"<!--.*?(?:-->|\Z)|<(/?)(" + alternatives + r")(?=[\s/>])"
            r"(?:[^>\"']|\"[^\"]*\"|'[^']*')*>?",
            re.S | re.I,
        )
        found: dict[str, list[tuple[int, int]]] = {n: [] for n in names}
        html, low, pos = self.html, "", 0
        while True:
            m = tag.search(html, pos)
            if m is None:
                break
            pos = m.end()
            if m.group(2) is None:
                continue
            name = m.group(2).lower()
            if name in found:
                found[name].append((m.start(), -1 if m.group(1) else 1))
            if name in _RAW_TEXT and not m.group(1):
                low = low or html.lower()
                end = low.find("</" + name, pos)
                pos = len(html) if end < 0 else end
        for name, offsets in found.items():
            self.tags[name] = offsets
            self.starts[name] = [off for off, kind in offsets if kind == 1]
            n = 0
            for n, el in enumerate(self.root.iter(name), 1):
                self.ordinal[el] = n
            self.count[name] = n

    def start_of(self, el: Any) -> int | None:
        """Where ``el``'s start tag is; None unless the source has exactly as many start tags of
        its name as the tree has elements (libxml2 made or dropped one: not trusted)."""
        tag = el.tag
        if not isinstance(tag, str):
            return None
        self._scan({tag})
        starts, n = self.starts[tag], self.ordinal.get(el, 0)
        return starts[n - 1] if n and len(starts) == self.count[tag] else None

    def end_of(self, el: Any, begin: int) -> int | None:
        """Where the end tag that closes the element started at ``begin`` is (None: none)."""
        depth = 0
        for off, kind in self.tags[el.tag]:
            if off > begin:
                depth += kind
                if depth < 0:
                    return off
        return None


def renest_closed_early(root: Any, html: str) -> None:
    """Put back inside an inline element what libxml2 moved out of it: it closes a ``<b>``
    (``<a>``, ``<font>``...) when a block starts inside (``<b><p>x</p><p>y</p></b>`` is
    ``<b></b><p>x</p><p>y</p>``), where a browser keeps it open up to its ``</b>``. Only an
    element right before such a block, with no text between, may have been closed so; the
    source then says where its end tag really is."""
    closers = _closers()
    early = []
    for block in root.iter(*closers):
        prev = block.getprevious()
        if prev is not None and prev.tail is None and prev.tag in closers[block.tag]:
            # A cell or row inside a table is where the table's own rules put it.
            if block.tag not in TABLE_PARTS or next(block.iterancestors("table"), None) is None:
                early.append(prev)
    if not early:
        return
    source = _SourceTags(root, html)
    for inline in early:
        begin, first = source.start_of(inline), source.start_of(inline.getnext())
        if begin is None or first is None or first < begin:
            continue
        end = source.end_of(inline, begin)
        if end is not None and end < first:
            continue  # its end tag came before the block: libxml2 and a browser agree
        moved = []
        sib = inline.getnext()
        while sib is not None:
            at = source.start_of(sib) if isinstance(sib.tag, str) else first
            if at is None or (end is not None and at > end):
                break
            moved.append(sib)
            sib = sib.getnext()
        if not moved:
            continue
        last = moved[-1]
        tail, last.tail = last.tail, None
        for el in moved:
            inline.append(el)
        if tail and end is not None:
            # Text right before the end tag is the last block's tail: up to there, inside.
            gap = html[html.rfind(">", 0, end) + 1 : end]
            text = _unescape(gap)
            cut = tail.find(text) if text.strip() else -1
            if cut >= 0:
                set_text(last, True, tail[: cut + len(text)])
                tail = tail[cut + len(text) :]
        elif end is None:
            set_text(last, True, tail)
            tail = None
        set_text(inline, True, tail)


def _unescape(text: str) -> str:
    import html as html_module

    return html_module.unescape(text)


def _after(el: Any, new: Any) -> None:
    """Put ``new`` right after ``el``, before the text that followed ``el``."""
    tail, el.tail = el.tail, None
    el.addnext(new)
    set_text(new, True, tail)


# Parts of an <svg> that are never drawn where they stand (definitions, metadata, tooltips).
_SVG_NOT_DRAWN = frozenset(
    "defs symbol clippath mask pattern marker lineargradient radialgradient filter metadata "
    "desc title style script".split()
)
_SVG_DISPLAY_NONE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


def _svg_drawn(el: Any) -> bool:
    if el.get("display") == "none" or el.get("visibility") == "hidden":
        return False
    style = el.get("style")
    return not (style and _SVG_DISPLAY_NONE.search(style))


def _svg_text(el: Any, out: list[Any]) -> None:
    """The text an SVG element draws, in document order: each ``<text>`` a piece (a ``<tspan>``
    placed with x or y is a piece of its own); what a ``<foreignObject>`` holds is HTML.
    (Iterative: a drawing may nest deeper than Python recurses.)"""
    stack: list[Any] = list(reversed(el))
    while stack:
        child = stack.pop()
        if isinstance(child, str):
            out.append(child)
            continue
        if isinstance(child, tuple):  # the end of a <tspan>: its tail
            tspan = child[0]
            if tspan.tail:
                out.append(tspan.tail)
                tspan.tail = None
            continue
        tag = child.tag
        if not isinstance(tag, str) or tag in _SVG_NOT_DRAWN or not _svg_drawn(child):
            continue
        if tag == "foreignobject":
            if child.text and child.text.strip():
                out.append(child.text)
            out.extend(list(child))
            continue
        if tag in ("text", "tspan", "textpath"):
            if tag == "text" or child.get("x") is not None or child.get("y") is not None:
                out.append(" ")
            if child.text:
                out.append(child.text)
                child.text = None  # (taken: what the drawing, dropped, still holds is not shown)
            stack.append(" " if tag == "text" else (child,))
        stack.extend(reversed(child))


HEADING_PERMALINK = "icon link to the heading beside it"
# The values of ``hidden`` that say why an element is left out (the converter reports them as
# its reason); any other value is the page's own ``hidden``.
HIDDEN_REASONS = frozenset({DRAWN_COPY, LINE_NUMBERS, HEADING_PERMALINK, HIDDEN_BY_STYLESHEET})


def is_heading_permalink(link: Any) -> bool:
    """An icon link to a fragment, in a heading or right after one: the permalink icon that
    GitHub and docs themes show on hover (``<a class="anchor" aria-label="Permalink: Install"
    href="#install">``). Named by its label, it was a line "Permalink: Install" under every
    heading."""
    if not (link.get("href") or "").startswith("#"):
        return False
    before = link.getprevious()
    return (before is not None and before.tag in HEADINGS) or next(
        link.iterancestors(*HEADINGS), None
    ) is not None


def _icon_link_name(svg: Any) -> str | None:
    """The name of a link whose only content is this drawing (a logo, an icon): the link's
    or the drawing's ``aria-label``, the drawing's ``<title>``, or the link's ``title``, as a
    reader's accessibility tree names it; None where the link shows anything else."""
    link = next(svg.iterancestors("a"), None)
    if link is None or link.get("href") is None or not _svg_drawn(svg) or "hidden" in svg.attrib:
        return None  # (a hidden drawing shows no logo to name)
    if (
        "".join(link.xpath(".//text()[not(ancestor::svg)]")).strip()
        or next(link.iter("img"), None) is not None
    ):
        return None
    if is_heading_permalink(link):
        link.set("hidden", HEADING_PERMALINK)
        return None
    title = next((c for c in svg if c.tag == "title"), None)
    for name in (
        link.get("aria-label"),
        svg.get("aria-label"),
        "".join(title.itertext()) if title is not None else None,
        link.get("title"),
    ):
        if name and name.strip():
            return " ".join(name.split())
    return None


def _svg_as_text(svg: Any) -> None:
    """What an ``<svg>`` draws as text goes right after it, in a ``<span>`` (the drawing
    itself is still dropped, and reported, by the converter)."""
    pieces: list[Any] = []
    if next(svg.iter("text", "foreignobject"), None) is not None:
        _svg_text(svg, pieces)
    if not any(p.strip() if isinstance(p, str) else True for p in pieces):
        name = _icon_link_name(svg)
        if not name:
            return
        pieces = [name]
    prev = svg.getprevious()
    before = prev.tail if prev is not None else svg.getparent().text
    # (a space apart from the text beside the drawing, where there is text beside it)
    pad = [" "] if before and before[-1].isalnum() else []
    after = [" "] if svg.tail and svg.tail[0].isalnum() else []
    while pieces and isinstance(pieces[0], str) and not pieces[0].strip():
        pieces.pop(0)
    while pieces and isinstance(pieces[-1], str) and not pieces[-1].strip():
        pieces.pop()
    span = svg.makeelement("span", {})
    for piece in [*pad, *pieces, *after]:
        if isinstance(piece, str):
            if len(span):
                set_text(span[-1], True, (span[-1].tail or "") + piece)
            else:
                set_text(span, False, (span.text or "") + piece)
        else:
            span.append(piece)
    _after(svg, span)


def _as_pre(el: Any) -> None:
    """``<listing>``, ``<xmp>``, ``<plaintext>`` show as ``<pre>`` does. (A browser drops a
    newline right after ``<pre>`` and ``<listing>`` only: libxml2 keeps it, and so does the
    converter's reading of ``<pre>``, which drops it; for the others it is shown.)"""
    if el.tag != "listing" and el.text and el.text.startswith("\n"):
        set_text(el, False, "\n" + el.text)
    rename(el, "pre")


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
        if part.tag == "tr":
            _cells_out_of_wrappers(part)
        strays = _take_strays(part)
        if strays:
            table.addprevious(_div_of(table, strays))
        if part.tag != "tr":
            _row_for_cells(part)
        if part.tag == "tfoot" or part.tag == "thead":
            _draw_in_place(part)


def _draw_in_place(group: Any) -> None:
    """A ``<tfoot>`` is drawn after the table's other rows and a ``<thead>`` before them,
    wherever the source has it (HTML 4 put ``<tfoot>`` before ``<tbody>``): moved there."""
    table = group.getparent()
    if table is None or table.tag != "table":
        return
    rows = [c for c in table if c.tag in ("tbody", "tr")]
    if not rows:
        return
    tail, group.tail = group.tail, None
    prev = group.getprevious()
    if prev is not None:
        set_text(prev, True, (prev.tail or "") + (tail or ""))
    else:
        set_text(table, False, (table.text or "") + (tail or ""))
    if group.tag == "tfoot" and rows[-1].getnext() is not group:
        rows[-1].addnext(group)
    elif group.tag == "thead" and rows[0].getprevious() is not group:
        rows[0].addprevious(group)


def _row_for_cells(part: Any) -> None:
    """Cells directly in a table (or its head, body, foot) are a row where they stand, as a
    browser's parser opens one for them (``<table><td>a<tr><td>b`` shows a, then b)."""
    row = None
    for child in list(part):
        tag = child.tag
        if tag == "td" or tag == "th":
            if row is None:
                row = part.makeelement("tr", {})
                child.addprevious(row)
            row.append(child)  # (its tail with it)
        elif row is not None and (tag in _TABLE_SCRIPT or not isinstance(tag, str)):
            row.append(child)  # a comment or a script between cells stays between them
        else:
            row = None


def _cells_out_of_wrappers(row: Any) -> None:
    """Cells that an element wraps inside a row (``<tr><td>A</td><form><td>C</td></form>``)
    are the row's own where they stand, as a browser's parser puts them (the wrapper is left
    empty); libxml2 kept them in it, and they came out in a row of their own after the table's
    others. A wrapper left with words of its own is then moved out as a stray."""
    for child in list(row):
        if type(child.tag) is not str or child.tag in ("td", "th"):
            continue
        if next(child.iter("td", "th"), None) is None or next(child.iter("tr"), None) is not None:
            continue
        spot = child
        for cell in [c for c in child if type(c.tag) is str and c.tag in ("td", "th")]:
            tail, cell.tail = cell.tail, None
            prev = cell.getprevious()
            if tail and tail.strip():  # (words between the cells stay in the wrapper)
                if prev is not None:
                    set_text(prev, True, (prev.tail or "") + tail)
                else:
                    set_text(child, False, (child.text or "") + tail)
            spot.addnext(cell)
            spot = cell
        if not (child.text or "").strip() and not len(child):
            tail = child.tail
            before = child.getprevious()
            row.remove(child)
            if tail:
                if before is not None:
                    set_text(before, True, (before.tail or "") + tail)
                else:
                    set_text(row, False, (row.text or "") + tail)


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


def _raised_forms() -> dict[str, dict[str, str]]:
    """For ``sup`` and ``sub``: each ASCII letter, digit and sign that Unicode has a super- or
    subscript form of (whose compatibility form is that character again), mapped to it."""
    forms: dict[str, dict[str, str]] = {"sup": {}, "sub": {}}
    ranges = ((0xB2, 0xBA), (0x2B0, 0x2B9), (0x2E0, 0x2E5), (0x1D2C, 0x1D6B), (0x1D9B, 0x1DC0))
    for cp in (*(c for lo, hi in ranges for c in range(lo, hi)), *range(0x2070, 0x20A0), 0x2C7C):
        kind, _, code = unicodedata.decomposition(chr(cp)).partition(" ")
        if kind in ("<super>", "<sub>"):
            base = chr(int(code, 16))
            base = "-" if base == "\u2212" else base
            if base.isascii() and (base.isalnum() or base in "+-=()"):
                forms["sup" if kind == "<super>" else "sub"].setdefault(base, chr(cp))
    for table in forms.values():
        table[" "] = " "
        if "-" in table:
            table["\u2212"] = table["-"]
    return forms


_RAISED = _raised_forms()
# Every super- and subscript form: what follows a letter as its script (q² is one operand).
SCRIPT_FORMS = frozenset(ch for table in _RAISED.values() for ch in table.values()) - {" "}


def raised_text(text: str, tag: str) -> str | None:
    """``<sup>2</sup>`` as a reader sees it, ``²`` (Markdown has no superscript), when Unicode
    has a form of every character (NFKC gives the text back); None otherwise."""
    forms = _RAISED[tag]
    body = text.strip(" ")
    if not body or len(body) > 40 or any(ch not in forms for ch in body):
        return None
    return "".join(forms[ch] for ch in body)


CELL_LIST_ITEMS = 10  # a list a data table's cell may hold: this many items at most,
CELL_LIST_ITEM_CHARS = 100  # each of at most this many characters


def is_cell_list(lst: Any) -> bool:
    """A list that a data table's cell can hold on its one line (``x; y``): a few short items,
    none holding a block. (A table of data with such a cell stays a table, case 9.)"""
    if lst.text and lst.text.strip():
        return False
    items = 0
    for li in lst:
        if not isinstance(li.tag, str):
            continue
        if li.tag != "li" or (li.tail and li.tail.strip()):
            return False
        items += 1
        if items > CELL_LIST_ITEMS or len("".join(li.itertext())) > CELL_LIST_ITEM_CHARS:
            return False
        if any(isinstance(d.tag, str) and d.tag in BLOCK for d in li.iterdescendants()):
            return False
    return items > 0


def holds_layout(cells: list[Any]) -> bool:
    """Do these cells (a table's own) hold what a GFM cell cannot: a heading, a quote, another
    table, or a list, unless the table has a header cell and its lists are short ones?"""
    header = any(c.tag == "th" for c in cells)
    for cell in cells:
        for d in cell.iterdescendants(*LAYOUT_CONTENT):
            if not (header and d.tag in ("ul", "ol") and is_cell_list(d)):
                return True
    return False


# A table of at most this many cells, one of which holds most of its text, at least this many
# characters of it in paragraphs or lines, frames an article (a club's page laid out in a 3 x 3
# grid with corner images): as a GFM table, its text would be one line of one cell.
FRAME_MAX_CELLS = 16
FRAME_MIN_CHARS = 200


def frames_an_article(cells: list[Any]) -> bool:
    """Do a table's own ``cells`` frame an article (see FRAME_MAX_CELLS) rather than hold data?"""
    if not cells or len(cells) > FRAME_MAX_CELLS:
        return False
    if all(next(cell.iter("p", "br"), None) is None for cell in cells):
        return False  # (no paragraph nor line break in any cell: most tables, at once)
    sizes = [len("".join(cell.itertext()).strip()) for cell in cells]
    biggest = max(sizes)
    if biggest < FRAME_MIN_CHARS or 2 * biggest < sum(sizes):
        return False
    cell = cells[sizes.index(biggest)]
    # Two paragraphs or two line breaks: prose, which a cell's one line would run together.
    return any(len(list(islice(cell.iter(tag), 2))) == 2 for tag in ("p", "br"))


def is_layout_table(
    cells: int, layout_content: bool, any_block: bool, one_column: bool = False
) -> bool:
    """Does a table with this many cells of its own lay out a page rather than hold data?

    A cell holding a heading, a list, a quote or another table cannot be a GFM cell; a table
    of one column and no header cell (``one_column``: an e-mail's boxes, Blogger's image over
    its caption) stacks boxes, which a GFM table would write under an empty header row.
    """
    return cells == 0 or layout_content or one_column


def one_headerless_column(cells: list[Any]) -> bool:
    """Are these cells (a table's own) one column with no header cell: one cell a row that
    shows anything? (A spacer cell, empty, beside each is no column: QQ's link boxes.)"""
    rows: set[Any] = set()
    for cell in cells:
        if cell.tag == "th":
            return False
        if not _shows_something(cell):
            continue
        row = cell.getparent()
        if row in rows:
            return False
        rows.add(row)
    return True


def _shows_something(cell: Any) -> bool:
    if cell.text and cell.text.strip():
        return True
    return len(cell) > 0 and (
        bool("".join(cell.itertext()).strip())
        or next(cell.iter("img", "svg", "input", "iframe", "video"), None) is not None
    )


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
    # (CSS names know no case: Word and old Google Docs exports write FONT-WEIGHT: BOLD)
    if not isinstance(style, str) or ("font-" not in style and "font-" not in style.lower()):
        return False, False
    return bool(_WEIGHT.search(style)), bool(_ITALIC.search(style))


def url_scheme(url: str) -> str:
    """The scheme as a browser reads it (it ignores control characters and whitespace)."""
    m = _SCHEME.match(_CTRL.sub("", url))
    return m.group(1).lower() if m else ""


# A browser's URL parser removes every tab and line break from a URL, wherever it stands.
TAB_OR_NEWLINE = str.maketrans("", "", "\t\n\r")


def safe_url(url: str | None) -> str | None:
    """``url`` as a browser reads it (trimmed, without tabs and line breaks), or None when
    missing or unsafe (javascript:, vbscript:, data:)."""
    if url is None:
        return None
    url = url.strip().translate(TAB_OR_NEWLINE)
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


# Any tag of a table part (most pages have none, and are not scanned further).
_TABLE_PART_TAG = re.compile(r"</?(?:t[dhr]|tbody|thead|tfoot|caption|colgroup|col)[\s/>]", re.I)
_TABLE_RAW_TEXT = ("script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes")


def _tag_scan(names: str) -> re.Pattern[str]:
    """A comment, or a start or end tag of one of ``names`` (a regular expression), whole."""
    return re.compile(
        r"<(?:!--.*?(?:-->|\Z)|(/?)(" + names + r")(?=[\s/>])(?:[^>\"']|\"[^\"]*\"|'[^']*')*>?)",
        re.S | re.I,
    )


_RAW_TEXT_END = {name: re.compile("</" + name, re.I) for name in _TABLE_RAW_TEXT}
_WHERE_PARTS_STAND = "table|template|" + "|".join(_TABLE_RAW_TEXT) + "|plaintext"
# Outside any table every tag of a table part is looked at; inside one, only what ends it.
_SCAN_OUTSIDE = _tag_scan("tbody|thead|tfoot|caption|colgroup|col|tr|td|th|" + _WHERE_PARTS_STAND)
_SCAN_INSIDE = _tag_scan(_WHERE_PARTS_STAND)


def drop_stray_table_tags(html: str) -> str:
    """``html`` without the tags of table parts (``<td>``, ``</tr>``, ``<tbody>``...) that stand
    outside any table: a browser's parser ignores them and shows their content where it is, in
    the paragraph or link around them (``<p>See <a href="/x"><td>the</td></a></p>`` shows "See
    the", linked). libxml2 instead closes the paragraph and the link there, and the link was lost.
    Scraped pages have such tags where an extractor cut a cell out of its table.

    Tables are counted by their tags (comments and raw text skipped); where that count could be
    wrong (a table a browser closes early), it errs towards a table still open, and the tags
    are kept, as before."""
    if _TABLE_PART_TAG.search(html) is None:
        return html
    cuts: list[tuple[int, int]] = []
    tables = 0
    pos = 0
    while True:
        m = (_SCAN_INSIDE if tables else _SCAN_OUTSIDE).search(html, pos)
        if m is None:
            break
        pos = m.end()
        name = m.group(2)
        if name is None:
            continue  # a comment
        name = name.lower()
        closing = bool(m.group(1))
        if name == "plaintext" and not closing:
            break  # the rest of the page is its text
        if name in _TABLE_RAW_TEXT:
            if not closing:
                end = _RAW_TEXT_END[name].search(html, pos)
                pos = len(html) if end is None else end.start()
        elif name in ("table", "template"):
            tables = max(0, tables - 1) if closing else tables + 1
        elif not tables:
            cuts.append((m.start(), m.end()))
    if not cuts:
        return html
    parts: list[str] = []
    pos = 0
    for i, j in cuts:
        parts.append(html[pos:i])
        pos = j
    parts.append(html[pos:])
    return "".join(parts)


# End tags libxml2 reads otherwise than a browser does (the HTML standard's tree construction):
# after </html> it drops the rest, where a browser shows it (as the end of the body), and it
# drops </br>, where a browser breaks the line as for <br>. Each is rewritten to what a browser
# makes of it. (Inside raw text, <xmp> or <textarea>, a "</br>" shown as text reads "<br>".)
_REREAD = {"</html": "", "</br": "<br>"}
# (not "(?i:html)": a pattern that starts with a literal "</" is searched for fast)
_END_TAG = re.compile(r"</([hH][tT][mM][lL]|[bB][rR])[ \t\n\r\f]*>")


def browser_end_tags(html: str, names: tuple[str, ...] = ("</html", "</br")) -> str:
    """``html`` with its end tags ``names`` (of ``_REREAD``) as a browser reads them, for
    libxml2 to parse."""
    if not html.isascii():  # (lower-casing other text is slow, and may change its length)
        if not _END_TAG.search(html):
            return html

        def reread(m: re.Match[str]) -> str:
            name = "</" + m.group(1).lower()
            return _REREAD[name] if name in names else m.group(0)

        return _END_TAG.sub(reread, html)
    low = html.lower()
    cuts: list[tuple[int, int, str]] = []
    for name in names:
        i = low.find(name)
        while i >= 0:
            j = low.find(">", i)
            if j < 0:
                break
            if not low[i + len(name) : j].strip(" \t\n\r\f"):
                cuts.append((i, j + 1, _REREAD[name]))
            i = low.find(name, j)
    if not cuts:
        return html
    cuts.sort()
    parts: list[str] = []
    pos = 0
    for i, j, replacement in cuts:
        parts.append(html[pos:i])
        parts.append(replacement)
        pos = j
    parts.append(html[pos:])
    return "".join(parts)
