"""HTML to CommonMark that renders as the source showed: one walk over lxml's tree.

:class:`ArticleConverter` has lxml's HTML parser (libxml2) read the page and walks the element
tree once, recursively, in markdownify's style: an element's content is converted first, then
its ``convert_<tag>(el, text, parent_tags)`` method (looked up in a dict built once) writes the
element from that text. Subclass it and add or override ``convert_<tag>`` methods to change how
an element is written (README, "Converting": the converter's extension points).

What markdownify gets wrong is fixed where it arises:

* text escaping needs the characters around it, so each text is escaped in one pass that sees
  its neighbours, and a possible block marker (``1.``, ``#``, ``-``, ``>``) is marked with a
  placeholder resolved once the line it lands on is known;
* emphasis needs the characters outside the span, so ``<strong>``/``<em>``/``<del>`` write
  placeholders that :func:`contentkit.commonmark.resolve_emphasis` turns into delimiters that
  flank (the CJK + punctuation case);
* a ``<br>`` is a placeholder too, dropped where a hard break would show a stray backslash;
* tree problems (stray table cells, block elements inside links, lazy images, layout tables,
  nesting deeper than any reader renders, invisible and unsafe elements) are fixed on the way
  down, for an element's children just before they are converted, so the recursion only ever
  sees a clean tree no deeper than ``MAX_DEPTH``.

lxml keeps text in ``el.text`` (before the first child) and ``child.tail`` (after a child);
the walk turns an element's content into a list of *items* (strings and child elements, in
order) and judges each text by the items beside it.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from itertools import islice
from typing import Any

from lxml import etree

from contentkit import commonmark as cm
from contentkit.convert.html import (
    BLOCK,
    CELL_LIST_ITEM_CHARS,
    FRAME_MAX_CELLS,
    HEADING_PERMALINK,
    HEADINGS,
    HIDDEN_REASONS,
    INVISIBLE,
    LAYOUT_CONTENT,
    LAZY_SRC_ATTRS,
    LAZY_SRCSET_ATTRS,
    ORIGINAL_TAG,
    SCRIPT_FORMS,
    TAB_OR_NEWLINE,
    TABLE_PARTS,
    TEX_ENCODINGS,
    browser_end_tags,
    browser_tree,
    drop_stray_table_tags,
    frames_an_article,
    image_source,
    is_cell_list,
    is_heading_permalink,
    is_layout_table,
    one_headerless_column,
    raised_text,
    safe_url,
    set_text,
    style_emphasis,
    url_scheme,
)

LINE_START = "\ufdd6"  # "a block marker may follow": escaped only if it lands at a line start
BREAK = "\ufdd7"  # a <br>: written as a backslash hard break unless it ends a block
BLANK_LINE = "\ufddc"  # an empty line of code: kept through the collapsing of blank lines
# Where a link's "[" starts: a "!" that ends up just before it would make the link an image
# (whatever element held the "!": a <span> around either, emphasis that comes to nothing).
LINK_START = "\ufddd"
_NONCHAR = re.compile("[\ufdd0-\ufdef]")
_NO_FN = object()  # "no conversion function looked up yet" (None means "there is none")

# An lxml element or a string of text: one piece of an element's content.
Item = Any
ConvertFn = Callable[[Any, str, frozenset[str]], str]


def _clean(text: str) -> str:
    """Drop Unicode noncharacters (our placeholders) from input text; none is valid text."""
    if text.isascii():  # (known without reading it)
        return text
    return _NONCHAR.sub("", text) if _NONCHAR.search(text) else text


_WS = re.compile(r"[ \t\n\r\f]+")
_SPACE_RUN = re.compile("  +")


def _collapse_spaces(text: str) -> str:
    """``_WS.sub(" ", text)``: each run of HTML whitespace as one space, as a browser shows it.
    (Each kind replaced, then runs of spaces: searches for one character, many times faster
    than a regular expression that tries a character class at every position.)"""
    for ch in "\n\t\r\f":
        if ch in text:
            text = text.replace(ch, " ")
    return _SPACE_RUN.sub(" ", text) if "  " in text else text


# A character some pass over a text acts on: a noncharacter, whitespace to collapse, or one
# that may need a backslash (with "  ", the texts that need more than their edges trimmed).
_TEXT_WORK = re.compile("[\ufdd0-\ufdef\t\n\r\f\\\\`\\[\\]<&*_~]")
_MARKER_START = frozenset("#>+=*_~|:-")  # (or a digit) a block marker may start with it
# The characters escape_text judges, less those that plainly need nothing (a "<" before a space,
# an "&" before a space): a flood of them is skipped in C. (A "!" before a link: see LINK_START.)
_ESC_CANDIDATE = re.compile(r"\[|\]+|[\\`*_~]|<(?=[^\W\d_]|[/!?]|\Z)|&(?=[#A-Za-z])")
# (and when every "[" is escaped, a run of them is one candidate: a flood is judged at once)
_ESC_CANDIDATE_RUNS = re.compile(r"\[+|\]+|[\\`*_~]|<(?=[^\W\d_]|[/!?]|\Z)|&(?=[#A-Za-z])")
_ENTITY_LIKE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_ASCII_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_EMPH = frozenset(cm.MARKERS)
# Inline elements whose Markdown cannot hold a block: pushed down into the blocks they contain.
# (sub and sup too: trimming the blank lines around a block inside them ran a code fence into
# the text before it.)
_PUSH_DOWN = frozenset({"a", "strong", "b", "em", "i", "cite", "del", "s", "strike", "sub", "sup"})
_PRE_STYLED = frozenset({"div", "p", "section", "article", "blockquote", "figure", "aside"})
_WHITE_SPACE_PRE = re.compile(r"white-space\s*:\s*pre(?:-wrap)?\s*(?:;|!|$)", re.I)
_INLINE_LEVELS = 8  # inline elements between a link (or bold...) and a block it holds, at most
_CONTAINERS_ONLY = frozenset({"ul", "ol", "dl", "table", "thead", "tbody", "tfoot", "tr"})
_LISTS = frozenset({"ul", "ol", "menu", "dir"})
# Beyond this many nested quotes/lists no CommonMark reader renders the nesting (markdown-it
# stops at 20 levels), and beyond MAX_DEPTH elements the recursive walk stops: deeper content
# is flattened to its text, images and line breaks.
MAX_BLOCK_NESTING = 12
MAX_DEPTH = 120
_NESTING = frozenset({"blockquote", "ul", "ol"})
_WS_INSIDE = BLOCK - {"pre"}
_BLOCKISH = BLOCK | {"ck-break"}
_CODE_LIKE = frozenset({"code", "kbd", "samp", "tt"})
_PREPARED = frozenset({"table", "img", "ul", "ol"})  # elements the walk prepares first
_BOLD_ITALIC = frozenset({"strong", "b", "em", "i"})  # (CSS emphasis adds nothing to these)
_SPACES = " \n\t\f\r"
# Elements whose own strings Beautiful Soup's get_text() never counted (and browsers show as
# annotations at most): left out of an element's text.
_NO_TEXT = frozenset({"script", "style", "template", "rt", "rp"})
_CONTAINER_PREFIX = re.compile(r"(?:[ \t]*(?:>|[-+*](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$)))*[ \t]*")
_BLOCK_START = re.compile(
    r"(?P<hash>#{1,6}(?=[ \t]|$))"
    r"|(?P<gt>>)"
    r"|(?P<bullet>[-+*](?=[ \t]|$))"
    r"|(?P<num>\d{1,9})(?P<delim>[.)])(?=[ \t]|$)"
    r"|(?P<rule>(?:[-*_=][ \t]*)+$)"
    # a GFM table delimiter row ("--- | ---"), or any line that starts with a pipe
    r"|(?P<table>\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)+\|?[ \t]*$|\|)",
    re.M,
)
_TRAILING_HASHES = re.compile(r"(^|[ \t])(#+)[ \t]*$")
_BACKTICKS = re.compile(r"`+")
_BLANK_LINES = re.compile(r"\n\n\n+")  # (not "\n{3,}": a literal start is searched for fast)
_DISPLAY_NONE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
# h1 to h6 (markdownify's rule took any h<N>; a browser shows <h7> as an unknown inline element)
_HEADING_TAG = re.compile(r"h([1-6])$")
_FN_NAME = re.compile(r"[\[\]:-]")  # markdownify's rule: <ck-break> -> convert_ck_break


def _strip_block(text: str) -> str:
    return text.strip(_BLOCK_EDGE)


_BLOCK_EDGE = " \t\r\n" + BREAK
# The indent a paragraph opens with (首行缩进, a Word spacer of no-break spaces): written as
# references, since markdown-it, Hexo's renderer, trims every white space at a paragraph's
# start, and a browser shows them.
_INDENTS = {"\u3000": "&#12288;", "\u00a0": "&nbsp;"}


def _kept_indent(text: str) -> str:
    end = 0
    while end < len(text) and text[end] in _INDENTS:
        end += 1
    return "".join(_INDENTS[ch] for ch in text[:end]) + text[end:]


def _is_ws(ch: str) -> bool:
    if ch and not ch.isspace():  # (every whitespace a reader counts is whitespace to Python)
        return False
    return ch in " \t\n\r\f\u00a0" or (ch != "" and cm.is_whitespace(ch))


# Invisible elements a browser may show something of (shown_instead says what); html's
# browser_tree already turned the others (<object>, <dialog open>, buttons) into what shows.
_FALLBACK_SHOWN = frozenset({"select"})
_TEXT_BOXES = frozenset({"text", "search", "email", "url", "tel", "number", ""})


def shown_instead(el: Any) -> str | None:
    """The text a browser shows of a ``<select>`` (the converter and the fidelity scorer read it
    alike), or None."""
    return _selected_options(el) if el.tag == "select" else None


def _selected_options(select: Any) -> str | None:
    """The option a closed ``<select>`` shows (the last one marked ``selected``, else the first
    that is not disabled); every option of a list box (``multiple``, ``size`` > 1), "; " apart."""
    options = [o for o in select.iter("option") if not _hidden(o)]
    if not options:
        return None
    size = _html_integer(select.get("size"))
    if select.get("multiple") is not None or (size is not None and size > 1):
        shown = options
    else:
        marked = [o for o in options if o.get("selected") is not None]
        enabled = [o for o in options if o.get("disabled") is None]
        shown = marked[-1:] or enabled[:1] or options[:1]
    texts = [_WS.sub(" ", _clean(o.get("label") or _text(o))).strip() for o in shown]
    return "; ".join(t for t in texts if t) or None


# Never visible in a browser: dropping them loses nothing a reader saw (no text is reported).
_NOT_SHOWN = frozenset(
    {
        "script",
        "style",
        "head",
        "title",
        "meta",
        "link",
        "base",
        "template",
        "noscript",
        "param",
        "source",
        "track",
        "annotation",
        "annotation-xml",
    }
)


class _TooDeep(Exception):
    """The tree reaches libxml2's depth limit: it may have dropped what lies deeper."""


_LIBXML2_DEPTH = 2000  # (libxml2 keeps 2,048 levels with huge_tree; a margin below that)
_END = object()  # the end of an element, on the flattening walk's stack


@dataclass(frozen=True)
class Dropped:
    """An element left out of the Markdown: the ``ordinal``-th ``element`` of the page."""

    element: str
    reason: str
    ordinal: int
    text: str = ""  # the start of the text it held, if a browser would have shown any
    target: str = ""  # its src/href, shortened


# ---- reading the page ---------------------------------------------------------------------
_local = threading.local()


def parse_html(html: str, deep: bool = False) -> Any:
    """The root element lxml's HTML parser makes of ``html`` (None if it holds no element).

    The parser is libxml2's, with the options Beautiful Soup's "lxml" builder gave it, fed the
    same way (so trees are those the converter was tuned on); one parser per thread is reused.
    ``deep``: the page nests elements more than ~2,000 deep (a slower parse keeps them all).
    """
    if html[:1] == "\ufeff":
        html = html[1:]  # a byte-order mark is not text
    if deep:
        # libxml2 builds trees at most ~2,000 elements deep (and drops what is deeper), but
        # hands every element to a parser target: lxml's TreeBuilder builds the whole tree.
        parser = etree.HTMLParser(recover=True, huge_tree=True, target=etree.TreeBuilder())
        html = browser_end_tags(html, ("</br",))  # (this builder keeps what follows </html>)
    else:
        parser = getattr(_local, "parser", None)
        if parser is None:
            parser = _local.parser = etree.HTMLParser(recover=True, huge_tree=True)
        html = browser_end_tags(html)
    try:
        parser.feed(html)
        return parser.close()
    except (etree.LxmlError, ValueError):
        _local.parser = None  # a parser that failed half-way is not reused
        return None


def _is_hidden_style(style: str) -> bool:
    low = style.lower()  # (a substring test first: most styles hide nothing)
    return ("none" in low or "hidden" in low) and _DISPLAY_NONE.search(style) is not None


def _safe_url(url: str | None) -> str | None:
    """html.safe_url, without its scan for a scheme when the first character rules out every
    unsafe one (javascript:, vbscript:, data:)."""
    if url is None:
        return None
    trimmed = url.strip()
    if not trimmed.isprintable():  # (one look: a tab or line break is not printable)
        trimmed = trimmed.translate(TAB_OR_NEWLINE)  # (as a browser reads a URL)
    first = trimmed[:1]
    if first and first not in "jJvVdD" and first > " " and first != "\x7f":
        return trimmed
    return safe_url(url)


def _hidden(el: Any) -> bool:
    """``hidden`` attribute or an inline ``display:none``: the browser does not show it."""
    if el.get("hidden") is not None:
        return True
    style = el.get("style")
    return style is not None and _is_hidden_style(style)


def _shown(el: Any) -> bool:
    """An element (not a comment) that is converted, not dropped."""
    tag = el.tag
    return type(tag) is str and tag not in INVISIBLE and not _hidden(el)


def _shows_content(el: Any) -> bool:
    """A shown element with words or an image in it."""
    if not _shown(el):
        return False
    return (
        el.tag == "img"
        or bool(_text(el, shown_only=True).strip())
        or any(_shown(img) for img in el.iter("img"))
    )


def _text_beside_item(li: Any) -> tuple[bool, bool]:
    """Whether text, or an element that is not an item, shows just before and just after the
    list item ``li`` inside its list (scraped lists have words between their items)."""
    prev, nxt = li.getprevious(), li.getnext()
    if prev is None:
        parent = li.getparent()
        before = bool((parent.text or "").strip()) if parent is not None else False
    else:
        before = bool((prev.tail or "").strip()) or (prev.tag != "li" and _shows_content(prev))
    after = bool((li.tail or "").strip()) or (
        nxt is not None and nxt.tag != "li" and _shows_content(nxt)
    )
    return before, after


def _push_children(stack: list[Item], el: Any) -> None:
    """Push ``el``'s children and their tails so that popping gives them in document order."""
    for child in reversed(el):
        tail = child.tail
        if tail:
            stack.append(tail)
        stack.append(child)


def _strings(el: Any, skip: frozenset[str] = _NO_TEXT, shown_only: bool = False) -> list[str]:
    """The strings under ``el`` in document order (what Beautiful Soup's get_text joined)."""
    out = [el.text] if el.text else []
    stack: list[Item] = []
    _push_children(stack, el)
    while stack:
        node = stack.pop()
        if node.__class__ is str:
            out.append(node)
            continue
        tag = node.tag
        if type(tag) is not str or tag in skip or (shown_only and not _shown(node)):
            continue
        if node.text:
            out.append(node.text)
        _push_children(stack, node)
    return out


def _text(el: Any, shown_only: bool = False) -> str:
    return "".join(_strings(el, shown_only=shown_only))


def _tags_below(el: Any, stop: str | None = None) -> Iterator[Any]:
    """The shown elements under ``el`` in document order, not entering ``stop`` elements
    (which are given) nor a formula (written as its text)."""
    stack = list(reversed(el))
    while stack:
        node = stack.pop()
        if not _shown(node):
            continue
        yield node
        if node.tag != stop and node.tag != "math" and len(node):
            stack.extend(reversed(node))


def _has_tag(el: Any, names: frozenset[str]) -> bool:
    return any(t.tag in names for t in _tags_below(el))


def _own_parts(table: Any) -> Iterator[Any]:
    """The elements of ``table`` that are not inside a table nested in it."""
    return _tags_below(table, stop="table")


# Anything under a table that makes the layout question more than counting its cells.
_UNUSUAL_IN_TABLE = tuple(sorted(LAYOUT_CONTENT | INVISIBLE | {"math"}))


def _shown_below(el: Any, top: Any) -> bool:
    while el is not None and el is not top:
        if _hidden(el):
            return False
        el = el.getparent()
    return True


def _is_layout_table(table: Any) -> bool:
    """A table that lays out a page rather than holding data (html.is_layout_table)."""
    if next(table.iterdescendants(*_UNUSUAL_IN_TABLE), None) is None:
        # No nested table nor any cell content a GFM cell cannot hold: two cells that show
        # make it a data table (found by lxml's own search: the walk below is much slower),
        # unless it frames an article.
        shown = 0
        for cell in table.iterdescendants("td", "th"):
            if _shown_below(cell, table):
                shown += 1
                if shown == 2:
                    first = list(islice(table.iter("td", "th"), FRAME_MAX_CELLS + 1))
                    if frames_an_article(first):
                        return True
                    return one_headerless_column(list(table.iter("td", "th")))
    cells = 0
    block = False
    lists = header = False
    own: list[Any] = []
    for part in _own_parts(table):
        if part.tag in ("td", "th"):
            cells += 1
            own.append(part)
            header = header or part.tag == "th"
            for t in _tags_below(part):
                if t.tag in LAYOUT_CONTENT:
                    if (t.tag == "ul" or t.tag == "ol") and is_cell_list(t):
                        lists = True  # (kept in a table of data: one with a header cell)
                        continue
                    return True
                block = block or t.tag in BLOCK
    return (lists and not header) or is_layout_table(
        cells, False, block, one_headerless_column(own)
    )


def _is_comment(item: Item) -> bool:
    return item is not None and item.__class__ is not str and type(item.tag) is not str


def _between_blocks(items: list[Item], i: int, edges_are_blocks: bool) -> bool:
    """Does white space ``items[i]`` stand between blocks once the comments beside it (which
    show nothing) are passed over (``</div> <!-- a --> <!-- b --> <div>``)?"""
    for step in (-1, 1):
        k = i + step
        while 0 <= k < len(items) and (
            _is_comment(items[k]) or (items[k].__class__ is str and items[k].isspace())
        ):
            k += step
        if 0 <= k < len(items):
            if not _is_block(items[k]):
                return False
        elif not edges_are_blocks:
            return False
    return True


def _indents(nxt: Item) -> bool:
    """Is white space that a browser shows (no-break or ideographic spaces), first in a
    paragraph, an indent: before an inline element (首行缩进 before a bold lead-in)?"""
    return nxt is not None and not _is_block(nxt)


def _is_block(item: Item) -> bool:
    return item is not None and item.__class__ is not str and item.tag in _BLOCKISH


# What lxml's API refuses to store though libxml2's parser keeps it (C0 controls, U+FFFE/F).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _set(el: Any, attr: str, value: str | None) -> None:
    """``el.text`` or ``el.tail`` = ``value``, without the characters lxml will not store
    (no browser shows them either)."""
    try:
        setattr(el, attr, value)
    except ValueError:
        setattr(el, attr, _NOT_XML.sub("", value or ""))


def _append(parent: Any, item: Item) -> None:
    """Append a string or an element to ``parent``'s content."""
    if item.__class__ is str:
        if len(parent):
            last = parent[-1]
            _set(last, "tail", (last.tail or "") + item)
        else:
            _set(parent, "text", (parent.text or "") + item)
    else:
        parent.append(item)


def _previous_block(el: Any, skip_dropped: bool = True) -> Any:
    """The element before ``el`` with nothing but blank text (and comments) between, or None."""
    node = el.getprevious()
    while node is not None:
        if node.tail and node.tail.strip():
            return None
        if type(node.tag) is str and (not skip_dropped or _shown(node)):
            return node
        node = node.getprevious()
    return None


# Blocks that write no line of their own: a list in one, right after a list in another, meets
# it in the Markdown (Wikipedia's and Docusaurus' lists each in a <div>).
_WRAPPERS = frozenset(
    "div section article main aside header footer nav figure center hgroup details".split()
)


def _block_before(el: Any) -> Any:
    """The block whose Markdown ends right before ``el``'s: the element before it with nothing
    but blank text between, or, where there is none, the one before the wrapper ``el`` starts;
    inside a wrapper before it, that wrapper's last block. None where words come between."""
    node = el
    for _ in range(_WRAPPER_DEPTH):
        before = node.getprevious()
        while before is not None and not (type(before.tag) is str and _shown(before)):
            if before.tail and before.tail.strip():
                return None
            before = before.getprevious()
        if before is not None:
            if before.tail and before.tail.strip():
                return None
            for _ in range(_WRAPPER_DEPTH):
                if before.tag not in _WRAPPERS:
                    break
                last = next((c for c in reversed(before) if type(c.tag) is str and _shown(c)), None)
                if last is None or (last.tail and last.tail.strip()):
                    break
                before = last
            return before
        parent = node.getparent()
        if parent is None or parent.tag not in _WRAPPERS or (parent.text and parent.text.strip()):
            return None
        node = parent
    return None


_WRAPPER_DEPTH = 8  # wrappers looked through, up or down (a page nests a few)


_IMAGE_SOURCES = frozenset((*LAZY_SRC_ATTRS, *LAZY_SRCSET_ATTRS, "srcset"))


def _prepare_img(img: Any) -> bool:
    """Point the image at its real source; False if it has none that may be written."""
    if _IMAGE_SOURCES.isdisjoint(img.keys()):
        # (no lazy loader's attribute: what html.image_source decides, without looking)
        src = img.get("src")
        src = _safe_url(src) if src else None  # (None for a data: URL too)
    else:
        src = image_source(img.get)
    if src is None:
        if "src" in img.attrib:
            del img.attrib["src"]
        return False
    img.set("src", src)
    return True


_ALT_SHOWN = "ck-alt-shown"  # (set on an image a browser shows as its alt text)


def _shows_its_alt(img: Any, src: str | None) -> bool:
    """An image with no source at all (no src, no lazy loader's) shows its alt text instead,
    in a browser: that text is written. (One whose source is unsafe shows a picture: dropped.)"""
    if (src or "").strip() or not (img.get("alt") or "").strip():
        return False
    return _IMAGE_SOURCES.isdisjoint(img.keys())


def _caption_as_alt(caption: Any, img: Any = None) -> None:
    """A caption names the image above it: use it as alt text when the image has none."""
    if img is None:
        prev = _previous_block(caption, skip_dropped=False)
        if prev is None or prev.tag not in ("p", "div", "figure"):
            return
        img = next(prev.iter("img"), None)
    if img is not None and not (img.get("alt") or "").strip():
        alt = " ".join(s.strip() for s in _strings(caption) if s.strip()).lstrip("▲△▼ ")
        try:
            img.set("alt", alt)
        except ValueError:  # (a string lxml cannot store: the caption is not used)
            pass


def _captions(root: Any) -> None:
    """Captions name the images before them: read before the walk reaches the images."""
    for el in root.iter("p", "figcaption"):
        if el.tag == "p":
            if "img-desc" in (el.get("class") or "").split():
                _caption_as_alt(el)
            continue
        fig = next(el.iterancestors("figure"), None)
        if fig is not None:
            _caption_as_alt(el, next(fig.iter("img"), None))


_IN_TABLE = TABLE_PARTS | {"table"}


def _stray_table_part(root: Any) -> bool:
    """Does the tree hold a table part outside any table (libxml2 keeps one where its tag
    stood)? A part whose parent is a table or a table part is inside one (its parent, if
    stray, is looked at itself); only the others' ancestors are walked."""
    for el in root.iter(*TABLE_PARTS):
        parent = el.getparent()
        if parent is None or parent.tag in _IN_TABLE:
            continue
        if next(el.iterancestors("table"), None) is None:
            return True
    return False


def _nest_lists_in_items(root: Any) -> None:
    """A list written straight inside a list, after an item (``<ol><li>One</li><ol>…</ol>``,
    as hand-written and CMS pages have it), shows as that item's sub-list, indented under it:
    it is moved into the item. (Left where it is, its items joined the outer list, numbered on.)"""
    for lst in list(root.iter("ul", "ol")):
        parent, item = lst.getparent(), lst.getprevious()
        if parent is None or parent.tag not in ("ul", "ol") or item is None or item.tag != "li":
            continue
        if item.tail and item.tail.strip():
            continue  # words between them: not the item's
        tail, lst.tail = lst.tail, None
        item.append(lst)  # (lxml moves an element's tail with it: kept back above)
        set_text(item, True, (item.tail or "") + (tail or ""))


_MATH_TOKEN_EDGE = re.compile(r"\w")


def _math_as_text(math: Any) -> Item:
    """``<math>`` as a reader can read it: ``$TeX$`` from the page's own TeX annotation, else the
    formula's text (its tokens joined as rendered; a space only between two words). A string,
    a ``<div>`` holding it (``display="block"``), or None for an empty formula."""
    tex = None
    for ann in math.iter("annotation"):
        text = _text(ann)
        if (ann.get("encoding") or "").strip().lower() in TEX_ENCODINGS and text.strip():
            tex = _WS.sub(" ", text).strip()
            break
    block = (math.get("display") or "").lower() == "block"
    if tex is not None:
        text = f"$${tex}$$" if block else f"${tex}$"
    else:
        text = _formula_text(math, 0)
    if block:
        div = etree.Element("div")
        _set(div, "text", text)
        return div
    return text or None


_FORMULA_DEPTH = 64  # deeper than any formula a page draws: below it, the tokens' text only


def _formula_text(el: Any, depth: int) -> str:
    """A MathML element as a line of text draws it: scripts raised or lowered (``b²``, ``x₁``,
    else ``e^(iπ)``), fractions ``1/n``, roots ``√(b²+c²)``; tokens side by side as rendered."""
    tag = el.tag if type(el.tag) is str else ""
    if tag in INVISIBLE or tag in ("rt", "rp", "mphantom", "none", "mprescripts"):
        return ""
    kids = [k for k in el if type(k.tag) is str and k.tag not in INVISIBLE]
    # A token (<mtext> may hold HTML), or words written straight in a layout element: the text
    # as it stands.
    own_text = (el.text or "").strip() or any((k.tail or "").strip() for k in el)
    if tag in _MATH_TOKENS or own_text or depth >= _FORMULA_DEPTH or not kids:
        if tag == "mfenced":
            return el.get("open", "(") + el.get("close", ")")
        return _joined([_WS.sub(" ", t).strip() for t in _strings(el, skip=INVISIBLE)])
    parts = [_formula_text(k, depth + 1) for k in kids]
    # An operand is written bare when it is one token (x, 12, sin), else in parentheses.
    ops = [p if k.tag in _MATH_TOKENS else _grouped(p) for k, p in zip(kids, parts, strict=True)]
    if tag in ("msup", "msub") and len(parts) == 2:
        return ops[0] + _script(parts[1], ops[1], "sup" if tag == "msup" else "sub")
    if tag == "msubsup" and len(parts) == 3:
        return ops[0] + _script(parts[1], ops[1], "sub") + _script(parts[2], ops[2], "sup")
    if tag == "mfrac" and len(parts) == 2:
        if (el.get("linethickness") or "").strip().rstrip("pxemt") in ("0", "0."):
            return f"{ops[0]} {ops[1]}"  # no bar: a binomial coefficient's (n k)
        return f"{ops[0]}/{ops[1]}"
    if tag in ("munder", "mover", "munderover") and len(parts) in (2, 3):
        # Limits (∏ with j=0 under it) read as scripts; an accent over a letter (E with →
        # over it) follows it.
        if tag == "mover" and (el.get("accent") == "true" or len(parts[1]) == 1):
            return ops[0] + parts[1]
        if tag == "munderover" and len(parts) == 3:
            return ops[0] + _script(parts[1], ops[1], "sub") + _script(parts[2], ops[2], "sup")
        return ops[0] + _script(parts[1], ops[1], "sub" if tag == "munder" else "sup")
    if tag == "msqrt":
        return "√" + _grouped(_joined(parts))
    if tag == "mroot" and len(parts) == 2:
        index = raised_text(parts[1], "sup") or f"{ops[1]}-th "
        return index + "√" + _grouped(parts[0])
    if tag == "mfenced":
        opening, closing = el.get("open", "("), el.get("close", ")")
        separator = (el.get("separators", ",").strip() or ",")[:1]
        return opening + (separator + " ").join(parts) + closing
    if tag == "mtr" or tag == "mlabeledtr":
        return "  ".join(parts)
    if tag == "mtable":
        return "; ".join(parts)
    return _joined(parts)


_MATH_TOKENS = frozenset({"mi", "mn", "mo", "mtext", "ms"})
_SCRIPT_CHARS = "".join(sorted(SCRIPT_FORMS))


def _joined(parts: list[str]) -> str:
    """Tokens as a formula draws them: side by side (``4ac``, ``iπ``), but a space between a
    word and what follows it (``sin x``) and between two numbers (``12 3``, not ``123``)."""
    out: list[str] = []
    for piece in parts:
        if not piece:
            continue
        if out:
            last = out[-1]
            a, b = last[-1], piece[0]
            if _MATH_TOKEN_EDGE.match(a) and _MATH_TOKEN_EDGE.match(b):
                base = last.rstrip(_SCRIPT_CHARS)  # (a script's letters are no word: ∑ⱼ₌₀ⁿqʲ)
                words = _word_edge(base[-2:]) or _word_edge(piece[:2])
                if words or (a.isdigit() and b.isdigit()):
                    out.append(" ")
        out.append(piece)
    return "".join(out)


def _word_edge(pair: str) -> bool:
    """Are these two characters (at the end of what came before, or the start of what follows)
    letters of a word (sin, log, a <mtext>'s words), which stands a space apart?"""
    return len(pair) == 2 and all(ch.isalpha() and ch not in SCRIPT_FORMS for ch in pair)


def _script(text: str, operand: str, kind: str) -> str:
    """A sub- or superscript in its Unicode form where every character has one, else after
    ``^`` or ``_`` as an operand."""
    if not text:
        return ""
    return raised_text(text, kind) or ("^" if kind == "sup" else "_") + operand


def _grouped(text: str) -> str:
    """``text`` as one operand: as it is when it is one character or already one bracketed
    group (``(a+b)``), else in parentheses (``(n+1)``)."""
    if len(text) <= 1 or _one_group(text) or len(text.rstrip(_SCRIPT_CHARS)) == 1:
        return text  # (x, (a+b), q², xᵢ²)
    return f"({text})"


def _one_group(text: str) -> bool:
    """Does ``text`` open with a bracket that closes at its very end (``(a+b)``, not
    ``(a)+(b)``)?"""
    if len(text) < 2 or text[0] not in "([{" or text[-1] not in ")]}":
        return False
    level = 0
    for i, ch in enumerate(text):
        if ch in "([{":
            level += 1
        elif ch in ")]}":
            level -= 1
            if level == 0:
                return i == len(text) - 1
    return False


def _tag_set(parent_tags: frozenset[str], name: str) -> frozenset[str]:
    """The names an element's content sees: its ancestors', its own, and markdownify's
    ``_inline`` (one line: headings, cells, code) and ``_noformat`` (code) markers."""
    inner = set(parent_tags)
    inner.add(name)
    if name in HEADINGS or name in ("td", "th"):
        inner.add("_inline")
    if name in ("pre", "code", "kbd", "samp", "tt"):
        inner.add("_noformat")
        if name != "pre" and "pre" not in parent_tags:
            # A code span holds no block: a <div> inside <code> is written inline, or its
            # blank lines would end the span and leave its text unescaped.
            inner.add("_inline")
    return frozenset(inner)


class ArticleConverter:
    """HTML to CommonMark, in markdownify's style: ``convert_<tag>(el, text, parent_tags)``.

    ``el`` is the lxml element (``el.tag``, ``el.get(name)``, ``el.getparent()``, iterating it
    gives its children), ``text`` its content already converted, ``parent_tags`` the frozenset
    of the names of its ancestors plus markdownify's ``_inline`` (inside a heading, a table cell
    or code: one line) and ``_noformat`` (inside code: no Markdown). A method returns the
    element's Markdown; a tag with no method is written as its content.
    """

    def __init__(self) -> None:
        # The dispatch table, built once: tag name -> bound convert_<tag> method (or None).
        self._fns: dict[str, ConvertFn | None] = {}
        for attr in dir(type(self)):
            if attr.startswith("convert_") and attr != "convert_hN":
                self._fns[attr[len("convert_") :]] = getattr(self, attr)
        for n in range(1, 7):
            self._fns.setdefault(f"h{n}", partial(self.convert_hN, n))
        self._tag_sets: dict[tuple[frozenset[str], str], frozenset[str]] = {}
        self._reset()

    def _reset(self) -> None:
        self._cells: dict[Any, tuple[str, bool, int, int]] = {}  # text, th?, colspan, rowspan
        self._li_number: dict[Any, int] = {}
        self._li_run: dict[Any, int] = {}  # <ol> item -> which run of consecutive numbers
        self._alt_list: set[Any] = set()
        self._flat: set[Any] = set()  # elements nested too deep: converted flattened
        self._made: set[Any] = set()  # elements the walk made (not in the source)
        self._renamed: dict[Any, str] = {}  # element -> its tag in the source
        self._stand_in: dict[Any, Any] = {}  # first copy of a pushed-down element -> it
        self._copied: set[Any] = set()  # pushed-down elements that have a stand-in
        self._drops: list[tuple[Any, str, str, str]] = []  # (element, reason, text, target)
        self._tables = 0  # <table> elements (of the source) around the walk
        # per data table open: its rows (cells, header row?, (cell index, rowspan, colspan))
        self._rows: list[list[tuple[list[str], bool, list[tuple[int, int, int]]]]] = []
        if len(self._tag_sets) > 4096:  # (kept from page to page, but never without bound)
            self._tag_sets.clear()
        self._reparsed = False
        self.dropped: list[Dropped] = []
        self.visible_chars = 0  # text characters a browser shows, as read before converting

    def _conversion_fn(self, name: str) -> ConvertFn | None:
        """markdownify's lookup, for a tag without an entry in the table: cached there."""
        fn = getattr(self, "convert_" + _FN_NAME.sub("_", name.lower()), None)
        if fn is None:
            m = _HEADING_TAG.match(name.lower())
            if m is not None:
                fn = partial(self.convert_hN, int(m.group(1)))
        self._fns[name] = fn
        return fn

    # ---- entry point ------------------------------------------------------------------------
    def convert(self, html: str) -> str:
        """The Markdown of an HTML page or fragment."""
        self._reset()
        root = parse_html(html)
        if root is not None and _stray_table_part(root):
            # A table part outside any table: a browser ignores its tags (where libxml2
            # closed the paragraph and link around it); read again without them.
            html = drop_stray_table_tags(html)
            root = parse_html(html)
        if root is None:
            return ""
        browser_tree(root, html)
        _captions(root)
        _nest_lists_in_items(root)
        self._css(root)
        try:
            text = self._walk(root, frozenset({"[document]"}), 1, 0)
        except _TooDeep:
            # libxml2's tree stopped at its depth limit: read again, keeping every element.
            self._reset()
            self._reparsed = True
            root = parse_html(html, deep=True)
            browser_tree(root, html)
            _captions(root)
            _nest_lists_in_items(root)
            self._css(root)
            text = self._walk(root, frozenset({"[document]"}), 1, 0)
        if self._drops:
            self._locate_drops(root)
        return finish(text)

    def process_tag(self, node: Any, parent_tags: frozenset[str]) -> str:
        """The Markdown of ``node`` and its content (for a ``convert_<tag>`` that wants to
        convert an element of its own)."""
        return self._walk(node, frozenset(parent_tags), 1, 0)

    def _row_as_a_line(self, row: Any) -> None:
        """A layout table's row of short cells holding only words, links and images is shown
        on one line, the cells side by side: it is written so, a space between cells
        (Doxygen's member tables: a type, then its name and what it is), not a paragraph per
        cell. (Columns of prose stay a paragraph each.)"""
        cells = [c for c in row if type(c.tag) is str and self._renamed.get(c) in ("td", "th")]
        if len(cells) < 2 or any(
            len(_text(c)) > CELL_LIST_ITEM_CHARS
            or any(
                type(d.tag) is str and (d.tag in BLOCK or d.tag in _BLOCKISH)
                for d in c.iterdescendants()
            )
            for c in cells
        ):
            return
        for cell in cells:
            cell.tag = "span"
        for cell in cells[:-1]:
            if not (cell.tail or "").strip(_SPACES):
                set_text(cell, True, " ")

    # ---- the walk ---------------------------------------------------------------------------
    def _walk(self, node: Any, parent_tags: frozenset[str], depth: int, nesting: int) -> str:
        name = node.tag
        is_table = False
        if name in _PREPARED:
            if name == "table":
                is_table = True
                if _is_layout_table(node):
                    own = [node, *_own_parts(node)]
                    for part in own:
                        if part is node or part.tag in _TABLE_LAYOUT_PARTS:
                            self._renamed.setdefault(part, part.tag)
                            part.tag = "div"
                    for row in own:
                        if self._renamed.get(row) == "tr":
                            self._row_as_a_line(row)
                    name = "div"
                else:
                    self._rows.append([])
                self._tables += 1
            elif name == "img":
                src = node.get("src")
                if not _prepare_img(node):
                    if _shows_its_alt(node, src):
                        node.set(_ALT_SHOWN, "")
                    else:
                        self._drop(node, "image without a safe source", src)
            else:  # ul, ol: alternate bullets after a list of the same kind; number the items
                before = _block_before(node)
                if before is not None and before.tag == name and before not in self._alt_list:
                    self._alt_list.add(node)
                if name == "ol":  # (a bullet list needs no numbers)
                    self._number_items(node)
        tags = self._tag_sets.get((parent_tags, name))
        if tags is None:
            tags = self._tag_sets[(parent_tags, name)] = _tag_set(parent_tags, name)
        strings: list[str] = []
        if self._flat and node in self._flat:
            items = self._flat_items(node, depth)
        elif len(node):
            items = self._items(node, depth, nesting)
        else:  # (most elements hold one text and nothing else: written without the loop below)
            items = []
            text = node.text
            if text:
                self.visible_chars += (
                    len(text) if not text.isspace() or text.strip(_SPACES) else "\n" not in text
                )
                if "pre" in tags or name not in _WS_INSIDE or not text.isspace():
                    out = self._convert_text(text, tags, None, None, name)
                    if out:
                        strings.append(out)
        in_pre = "pre" in tags
        last = len(items) - 1
        if last >= 0:
            remove_inside = name in _WS_INSIDE
            walk = self._walk
            convert_text = self._convert_text
            prev: Item = None
            for i, item in enumerate(items):
                if item.__class__ is str:
                    nxt = items[i + 1] if i < last else None
                    if (
                        not in_pre
                        and item.isspace()
                        and (
                            (
                                remove_inside
                                and (i == 0 or i == last)
                                and not (item.strip(_SPACES) and _indents(nxt))
                            )
                            or _is_block(prev)
                            or _is_block(nxt)
                            or (
                                (_is_comment(prev) or _is_comment(nxt))
                                and _between_blocks(items, i, remove_inside)
                            )
                        )
                    ):
                        prev = item
                        continue
                    out = convert_text(item, tags, prev, nxt, name)
                else:
                    tag = item.tag
                    if type(tag) is not str:
                        prev = item
                        continue  # a comment: never shown
                    out = walk(item, tags, depth + 1, nesting + (tag in _NESTING))
                    if (
                        out
                        and not in_pre
                        and not out.strip(_SPACES)
                        and not _is_block(item)
                        and _between_blocks(items, i, remove_inside)
                    ):
                        out = ""  # (an icon-only button between blocks: a paragraph of a space)
                prev = item
                if out:
                    strings.append(out)
        if len(strings) < 2:
            text = strings[0] if strings else ""
        elif in_pre:
            text = "".join(strings)
        else:
            # Collapse newlines at child boundaries to at most two (markdownify's rule).
            parts: list[str] = []
            for out in strings:
                if parts and out[0] == "\n":
                    body = out.lstrip("\n")
                    lead = len(out) - len(body)
                    prev_out = parts[-1]
                    if prev_out.endswith("\n"):
                        stripped = prev_out.rstrip("\n")
                        trail = len(prev_out) - len(stripped)
                        keep = min(2, max(trail, lead))
                        parts[-1] = stripped + "\n" * keep
                        out = body
                parts.append(out)
            text = "".join(parts)
        if is_table:
            self._tables -= 1
        fn = self._fns.get(name, _NO_FN)
        if fn is _NO_FN:
            fn = self._conversion_fn(name)
        if fn is not None:
            text = fn(node, text, parent_tags)  # type: ignore[operator]
        if is_table and name == "table":
            self._rows.pop()
        return text

    def _items(self, node: Any, depth: int, nesting: int) -> list[Item]:
        """``node``'s content as items, its children made ready to convert: stray table parts,
        CSS emphasis, blocks inside inline elements, adjacent code spans; invisible children
        are left out (and counted as dropped), formulas become their text."""
        items: list[Item] = []
        visible = 0
        child = node[0] if len(node) else None
        if child is None:
            text = node.text
            if text:
                items.append(text)
                self.visible_chars += (
                    len(text) if not text.isspace() or text.strip(_SPACES) else "\n" not in text
                )
            return items
        deep = depth + 1 >= MAX_DEPTH
        before = None  # the child before this one (whose tail comes first), None for node.text
        while child is not None:
            tag = child.tag
            kind = 0  # 0 converted, 1 comment, 2 formula, 3 dropped, 4 flattened
            if type(tag) is not str:
                kind = 1
            elif tag == "math":
                kind = 2
            elif tag in INVISIBLE:
                kind = 5 if tag in _FALLBACK_SHOWN and not _hidden(child) else 3
            else:
                attrs = child.keys()  # (one look at the attributes: most have neither)
                style = child.get("style") if "style" in attrs else None
                if "hidden" in attrs or (style is not None and _is_hidden_style(style)):
                    kind = 3
                elif deep or nesting + (tag in _NESTING) > MAX_BLOCK_NESTING:
                    kind = 4
                else:
                    if tag in TABLE_PARTS and not self._tables:
                        # A cell or row libxml2 left outside its table (the tags of those
                        # outside any table were dropped before parsing): shown as a block.
                        self._renamed.setdefault(child, tag)
                        child.tag = tag = "div"
                    if style is not None and tag not in _BOLD_ITALIC and child not in self._made:
                        self._css(child)
                        tag = child.tag
                    if tag in _PUSH_DOWN:
                        if tag == "a" and child not in self._made:
                            href = child.get("href")
                            if href is not None and _safe_url(href) is None:
                                self._drop(child, "link target not safe (text kept)")
                        if len(child) and self._holds_block(child):
                            child = self._push_down(child)
                            continue
                    elif tag in _CODE_LIKE:
                        self._merge_code(node, child)
            # The text before this child (a push-down above may have added to it). After a
            # dropped child it joins the text before that child, as the browser shows them.
            text = before.tail if before is not None else node.text
            if text:
                if items and items[-1].__class__ is str:
                    items[-1] += text
                else:
                    items.append(text)
                visible += (
                    len(text) if not text.isspace() or text.strip(_SPACES) else "\n" not in text
                )
            if kind == 0 or kind == 1:
                items.append(child)
            elif kind == 2:
                math = _math_as_text(child)
                if math is not None:
                    items.append(math)
            elif kind == 3:
                self._drop(child)
            elif kind == 5:
                shown = self._shown_instead(child, items)
                if shown is None:
                    self._drop(child)
                else:
                    items.append(shown)
            else:
                items.append(child)
                self._flat.add(child)
            before = child
            child = child.getnext()
        text = before.tail if before is not None else node.text
        if text:
            if items and items[-1].__class__ is str:
                items[-1] += text
            else:
                items.append(text)
            visible += len(text) if not text.isspace() or text.strip(_SPACES) else "\n" not in text
        self.visible_chars += visible
        return items

    def _shown_instead(self, el: Any, items: list[Item]) -> Item:
        """What a browser shows of an invisible-by-default element (``shown_instead``), as
        text a space apart from the words beside it (a control is a box of its own); None:
        nothing (the element is dropped, and reported)."""
        value = shown_instead(el)
        if value is None:
            return None
        before = items[-1] if items else None
        left = "" if before is None or (before.__class__ is str and before[-1:].isspace()) else " "
        right = "" if (el.tail or "")[:1].isspace() else " "
        return f"{left}{value}{right}"

    def _merge_code(self, parent: Any, code: Any) -> None:
        """<code>a</code><code>b</code> is one code span: written as two, the closing and the
        opening backticks would touch and fuse into one longer delimiter."""
        nxt = code.getnext()
        while not code.tail and nxt is not None and nxt.tag in _CODE_LIKE and _shown(nxt):
            if nxt.text:
                _append(code, nxt.text)
            for grandchild in list(nxt):
                code.append(grandchild)
            _set(code, "tail", nxt.tail)
            parent.remove(nxt)
            nxt = code.getnext()

    def _flat_items(self, top: Any, depth: int) -> list[Item]:
        """The content of a too-deep element as one flat run: its text, images, line breaks,
        and a break between blocks."""
        items: list[Item] = []
        stack: list[Item] = []
        _push_children(stack, top)
        if top.text:
            stack.append(top.text)
        deepest = 0 if self._reparsed else _LIBXML2_DEPTH - depth
        level = 0  # how deep below ``top`` the walk is: each element's end is a marker
        while stack:
            node = stack.pop()
            if node is _END:
                level -= 1
                continue
            if node is None:
                items.append(etree.Element("ck-break"))
                continue
            if node.__class__ is str:
                items.append(node)
                continue
            if not _shown(node):
                continue
            tag = node.tag
            if tag == "img" or tag == "br":
                if tag == "img":
                    _prepare_img(node)  # (its drop, if any, is not located here)
                items.append(node)
                continue
            if tag in BLOCK:
                items.append(etree.Element("ck-break"))
                stack.append(None)
            if len(node):
                level += 1
                if deepest and level >= deepest:
                    raise _TooDeep
                stack.append(_END)
                _push_children(stack, node)
            if node.text:
                stack.append(node.text)
        return items

    def _css(self, el: Any) -> None:
        """``<span style="font-weight:bold">`` is bold to a reader: make it <strong>; a block
        styled ``white-space: pre`` (or ``pre-wrap``) shows as ``<pre>`` does."""
        style = el.get("style")
        if style is None:
            return
        if (
            el.tag in _PRE_STYLED
            and ("white-space" in style or "white-space" in style.lower())
            and _WHITE_SPACE_PRE.search(style)
        ):
            self._renamed.setdefault(el, el.tag)
            el.tag = "pre"
        bold, italic = style_emphasis(el.attrib)
        tags = [t for t, wanted in (("strong", bold), ("em", italic)) if wanted]
        if not tags:
            return
        if el.tag in ("span", "font"):
            self._renamed.setdefault(el, el.tag)
            el.tag = tags.pop(0)
        for name in tags:
            wrap = etree.Element(name)
            self._made.add(wrap)
            _set(wrap, "text", el.text)
            el.text = None
            for child in list(el):
                wrap.append(child)
            el.append(wrap)

    def _clone(self, el: Any) -> Any:
        try:
            copy = etree.Element(el.tag)
        except ValueError:  # a name libxml2's parser takes and lxml's API refuses ("a<")
            copy = etree.Element("span")  # (an unknown element: written as its content anyway)
        for name, value in el.attrib.items():
            try:
                copy.set(name, value)
            except ValueError:  # a name libxml2's HTML parser takes and lxml's API refuses
                continue
        self._made.add(copy)
        if el not in self._copied:
            self._copied.add(el)
            self._stand_in[copy] = el
        return copy

    def _push_down(self, el: Any) -> Any:
        """``<a><h2>T</h2></a>`` -> ``<h2><a>T</a></h2>``: Markdown links hold no blocks.
        Returns the first element now where ``el`` was."""
        parent = el.getparent()
        seq: list[Item] = [el.text] if el.text else []
        el.text = None
        for child in list(el):
            tail, child.tail = child.tail, None
            seq.append(child)
            if tail:
                seq.append(tail)
        pieces: list[Item] = []
        run: list[Item] = []

        def flush() -> None:
            if any(
                x.strip() if x.__class__ is str else (x.text or "").strip() or _shown(x)
                for x in run
            ):
                wrap = self._clone(el)
                for x in run:
                    _append(wrap, x)
                pieces.append(wrap)
            else:
                pieces.extend(run)
            run.clear()

        for x in seq:
            if x.__class__ is not str and type(x.tag) is str and x.tag in BLOCK and _shown(x):
                flush()
                self._wrap_inside(x, el)
                pieces.append(x)
            else:
                run.append(x)
        flush()
        tail = el.tail
        prev = el.getprevious()
        at = parent.index(el)
        parent.remove(el)
        first = None
        for piece in [*pieces, *([tail] if tail else [])]:
            if piece.__class__ is str:
                if prev is None:
                    _set(parent, "text", (parent.text or "") + piece)
                else:
                    _set(prev, "tail", (prev.tail or "") + piece)
            else:
                parent.insert(at, piece)
                at += 1
                prev = piece
                if first is None:
                    first = piece
        return first

    def _holds_block(self, el: Any, depth: int = 0) -> bool:
        """Does ``el`` hold a block? One inside inline children (``<a><span><div>``, a card's
        link) is first made a child of ``el``, the inline elements pushed down into it, so
        that ``el`` can be pushed down in turn (up to a few inline levels: a card's are few)."""
        found = False
        for child in el:
            tag = child.tag
            if type(tag) is not str or not _shown(child):
                continue
            if tag in BLOCK:
                found = True
            elif (
                len(child)
                and tag != "math"
                and depth < _INLINE_LEVELS
                and self._holds_block(child, depth + 1)
            ):
                self._push_down(child)
                found = True
        return found

    def _wrap_inside(self, block: Any, like: Any) -> None:
        if block.tag in _CONTAINERS_ONLY:
            for child in list(block):
                if _shown(child):
                    self._wrap_inside(child, like)
                if (child.tail or "").strip():  # words between a list's items: shown too
                    wrap = self._clone(like)
                    _set(wrap, "text", child.tail)
                    child.tail = None
                    child.addnext(wrap)
            if (block.text or "").strip():
                wrap = self._clone(like)
                _set(wrap, "text", block.text)
                block.text = None
                block.insert(0, wrap)
            return
        if block.tag == "hr" or (not block.text and not len(block)):
            return
        if block.tag == "pre" and like.tag != "a":
            # A code block shows no emphasis; a link goes in, to be listed after the block
            # (as a link written inside a <pre> is): a browser shows the code as the link.
            return
        wrap = self._clone(like)
        _set(wrap, "text", block.text)
        block.text = None
        for child in list(block):
            wrap.append(child)
        block.append(wrap)

    def _drop(self, el: Any, reason: str | None = None, src: object = None) -> None:
        """Note what is left out of the Markdown (located in the source after the walk)."""
        tag = el.tag
        if reason is None:
            if tag in INVISIBLE:
                reason = "not shown" if tag in _NOT_SHOWN else "not convertible"
            else:
                mark = el.get("hidden")
                reason = mark if mark in HIDDEN_REASONS else "hidden"
        text = ""
        if tag == "img":
            text = _WS.sub(" ", el.get("alt") or "").strip()
        elif tag not in _NOT_SHOWN:
            text = _collapse_spaces(_text(el)).strip()
            if tag == "input" and (el.get("type") or "text").strip().lower() in _TEXT_BOXES:
                text = _WS.sub(" ", el.get("value") or "").strip()  # (shown in its box)
            if reason == "not convertible":
                # shown by a browser but not written: it counts in what the page showed
                self.visible_chars += len(text)
        target = ""
        for value in (src, *(el.get(a) for a in ("src", "href", "data"))):
            if isinstance(value, str) and value.strip():
                target = value.strip()
                if url_scheme(target) == "data":
                    target = target[: target.find(",") + 1 or 40] + "…"
                break
        self._drops.append((el, reason, text[:80], target[:200]))

    def _locate_drops(self, root: Any) -> None:
        """Each drop as the n-th element of its name in the source, in document order."""
        wanted = {el: i for i, (el, *_) in enumerate(self._drops)}
        found: dict[int, tuple[int, str, int]] = {}  # drop -> (position, tag, ordinal)
        seen: dict[str, int] = {}
        made, stand_in, renamed = self._made, self._stand_in, self._renamed
        # Only the elements that may count: of a dropped element's tag, or renamed, or made.
        names = {renamed.get(el) or el.tag for el, *_ in self._drops}
        names.update(el.tag for el in renamed)
        names.update(el.tag for el in made)
        for pos, el in enumerate(root.iter(*names)):
            if el in made:
                el = stand_in.get(el)
                if el is None:
                    continue
            tag = renamed.get(el) or el.get(ORIGINAL_TAG) or el.tag
            n = seen[tag] = seen.get(tag, 0) + 1
            i = wanted.get(el)
            if i is not None:
                found[i] = (pos, tag, n)
        order = sorted(range(len(self._drops)), key=lambda i: found.get(i, (1 << 62,))[0])
        for i in order:
            el, reason, text, target = self._drops[i]
            _, tag, n = found.get(i, (0, renamed.get(el) or el.get(ORIGINAL_TAG) or el.tag, 0))
            self.dropped.append(Dropped(tag, reason, n, text, target))

    # ---- text -------------------------------------------------------------------------------
    def _convert_text(
        self, text: str, tags: frozenset[str], prev: Item, nxt: Item, parent: str
    ) -> str:
        """A string of the page as Markdown: whitespace as a browser shows it, escaped where a
        reader would take it as syntax (judged with the items before and after it)."""
        # One scan says whether the text needs any of the work below (most texts need none).
        plain = "  " not in text and _TEXT_WORK.search(text) is None
        if not plain:
            text = _clean(text)
        if "pre" in tags:
            return text
        if not plain and (
            "  " in text or "\n" in text or "\t" in text or "\r" in text or "\f" in text
        ):
            text = _collapse_spaces(text)
        next_tag = None if nxt is None or nxt.__class__ is str else nxt.tag
        if "_noformat" not in tags:
            if not plain:
                text = escape_text(
                    text, in_link="a" in tags, at_end=nxt is None and parent in BLOCK
                )
            body = text.lstrip(" ")
            if body:
                first = body[0]
                if first in _MARKER_START or first.isdecimal():
                    text = text[: len(text) - len(body)] + LINE_START + body
        inside = parent in BLOCK
        if (prev is None and inside) or (
            prev is not None and prev.__class__ is not str and prev.tag in _BLOCKISH
        ):
            text = text.lstrip(" ")
        if (nxt is None and inside) or next_tag in _BLOCKISH:
            text = text.rstrip(" ")
        return text

    # ---- inline elements --------------------------------------------------------------------
    def _span(self, el: Any, text: str, parent_tags: frozenset[str], kind: str, tags: Any) -> str:
        if "_noformat" in parent_tags:
            return text
        if parent_tags & set(tags):  # already bold inside bold: nothing to add
            return text
        opener = {"strong": cm.STRONG_OPEN, "em": cm.EM_OPEN, "del": cm.DEL_OPEN}[kind]
        closer = cm.OPENERS[opener]
        prefix, body, suffix = _chomp(text)
        if not body:
            return prefix + suffix
        return f"{prefix}{opener}{body}{closer}{suffix}"

    def convert_b(self, el: Any, text: str, parent_tags: frozenset[str]) -> str:
        # Headings and header cells are bold already; bold inside them is noise.
        return self._span(el, text, parent_tags, "strong", ("strong", "b", "th", *HEADINGS))

    convert_strong = convert_b

    def convert_em(self, el: Any, text: str, parent_tags: frozenset[str]) -> str:
        return self._span(el, text, parent_tags, "em", ("em", "i", "cite"))

    convert_i = convert_em
    convert_cite = convert_em

    def convert_del(self, el: Any, text: str, parent_tags: frozenset[str]) -> str:
        return self._span(el, text, parent_tags, "del", ("del", "s", "strike"))

    convert_s = convert_del
    convert_strike = convert_del

    def convert_sub(self, el: Any, text: str, parent_tags: frozenset[str]) -> str:
        # No Markdown for sub/superscript: its Unicode form (mc²) where every character has
        # one, else the text; its edge spaces kept as one (markdownify).
        if "_noformat" in parent_tags:
            return text
        prefix = " " if text[:1] == " " else ""
        suffix = " " if text[-1:] == " " else ""
        text = text.strip()
        if text and not len(el):
            raised = raised_text(text.replace(LINE_START, ""), el.tag)
            text = raised or text
        return f"{prefix}{text}{suffix}" if text else ""

    convert_sup = convert_sub

    def convert_a(self, el: Any, text: str, parent_tags: frozenset[str]) -> str:
        if "_noformat" in parent_tags or "a" in parent_tags:
            return text
        href = _safe_url(el.get("href"))
        prefix, body, suffix = _chomp(text)
        if href is None:
            return text
        if not body and href and "_inline" not in parent_tags:
            icon = _icon_font_name(el)
            if icon is not None and is_heading_permalink(el):
                self._drop(el, HEADING_PERMALINK)  # (the hover icon beside a heading)
                return prefix + suffix
            if icon is not None or _unnamed_drawing(el):
                # A logo or an icon font's glyph with no text: its name, or its target, as a
                # screen reader reads such a link, rather than an empty link that shows nothing.
                body = escape_text(icon or _clean(href), in_link=True)
        if not body and (prefix or suffix or "_inline" in parent_tags):
            return prefix + suffix  # a link of nothing but spaces: the spaces
        # (an empty link is kept: it shows nothing, but its target is the author's)
        title = _title(el)
        dest = link_destination(href)
        if not dest and title:
            dest = "<>"  # (`[x]( "t")` is no link: an empty destination before a title is `<>`)
        return f"{prefix}{LINK_START}[{body}]({dest}{title}){suffix}"

    def convert_img(self, el: Any, text: str, parent_tags: frozenset[str]) -> str:
        src = el.get("src")
        if not src and el.get(_ALT_SHOWN) is not None:
            return escape_text(_WS.sub(" ", el.get("alt") or "").strip())
        if not src or "_noformat" in parent_tags:  # a code span cannot hold an image
            return ""
        alt = escape_text(_WS.sub(" ", el.get("alt") or "").strip(), in_link=True)
        return f"![{_clean(alt)}]({link_destination(src)}{_title(el)})"

    def convert_br(self, el: Any, text: str, parent_tags: frozenset[str]) -> str:
        if "pre" in parent_tags:
            return "\n"
        if "_inline" in parent_tags or "_noformat" in parent_tags:
            return " "  # a heading, a table cell or a code span holds one line
        return BREAK + "\n"

    def convert_code(self, el: Any, text: str, parent_tags: frozenset[str]) -> str:
        if "pre" in parent_tags or "_noformat" in parent_tags:
            return text
        if len(el) and _has_tag(el, _CODE_SPLITTERS):
            return _code_segments(el, parent_tags)
        return _code_span(text)

    convert_kbd = convert_code
    convert_samp = convert_code
    convert_tt = convert_code

    def convert_q(self, el: Any, text: str, parent_tags: frozenset[str]) -> str:
        return f"“{text}”"

    # ---- blocks -----------------------------------------------------------------------------
    def convert_p(self, el: Any, text: str, parent_tags: frozenset[str]) -> str:
        if "pre" in parent_tags:
            return _pre_line(el, text)
        if "_inline" in parent_tags:
            return " " + _strip_block(text) + " "
        text = _strip_block(text)
        if text[:1] in _INDENTS:
            text = _kept_indent(text)
        # (an empty block still ends the line before it: "a<p></p>b" shows two lines)
        return f"\n\n{text}\n\n" if text else "\n\n"

    convert_div = convert_p
    convert_article = convert_p
    convert_section = convert_p
    convert_header = convert_p
    convert_footer = convert_p
    convert_main = convert_p
    convert_aside = convert_p
    convert_nav = convert_p
    convert_figure = convert_p
    convert_figcaption = convert_p
    convert_center = convert_p
    convert_address = convert_p
    convert_details = convert_p
    convert_summary = convert_p
    convert_hgroup = convert_p
    convert_fieldset = convert_p
    convert_form = convert_p
    convert_dl = convert_p
    convert_dt = convert_p
    convert_dd = convert_p
    convert_caption = convert_p

    def convert_ck_break(self, el: Any, text: str, parent_tags: frozenset[str]) -> str:
        return "\n\n"

    def convert_blockquote(self, el: Any, text: str, parent_tags: frozenset[str]) -> str:
        if "pre" in parent_tags:
            return _pre_line(el, text)
        text = _strip_block(text)
        if "_inline" in parent_tags:
            return " " + text + " "
        if not text:
            return "\n\n"  # (an empty block still ends the line before it, as <p></p> does)
        lines = ["> " + line if line else ">" for line in text.split("\n")]
        return "\n\n" + "\n".join(lines) + "\n\n"

    def convert_hN(self, n: int, el: Any, text: str, parent_tags: frozenset[str]) -> str:
        if "pre" in parent_tags:
            return _pre_line(el, text)
        if "_inline" in parent_tags:
            return " " + _strip_block(text) + " "
        text = _NEWLINES.sub(" ", text.replace(BREAK, " ").replace(LINE_START, "")).strip()
        if not text:
            return "\n\n"
        # A closing run of '#' would be eaten as the heading's closing sequence.
        text = _TRAILING_HASHES.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
        return f"\n\n{'#' * max(1, min(6, n))} {text}\n\n"

    def convert_hr(self, el: Any, text: str, parent_tags: frozenset[str]) -> str:
        return _pre_line(el, "") if "pre" in parent_tags else "\n\n---\n\n"

    def convert_pre(self, el: Any, text: str, parent_tags: frozenset[str]) -> str:
        if "pre" not in parent_tags and _PRE_EDGES.search(text):
            text = _pre_lines(text)
        text = _clean(text)
        # A browser drops a newline right after <pre> (lxml keeps it); nor does it show a final one.
        if el.text and el.text.startswith("\n") and text[:1] == "\n":
            text = text[1:]
        text = text[:-1] if text.endswith("\n") else text
        if "pre" in parent_tags:  # the outer <pre>'s fence holds this text as it is
            return text
        if not text.strip() and ("_noformat" in parent_tags or "_inline" in parent_tags):
            return text
        if "_noformat" in parent_tags:  # inside <code>, whose one span holds this text
            return f" {_WS.sub(' ', text)} "
        if "_inline" in parent_tags:
            return self.convert_code(el, _WS.sub(" ", text), frozenset())
        longest = max((len(m) for m in _BACKTICKS.findall(text)), default=0) if "`" in text else 0
        fence = "`" * max(3, longest + 1)
        if not text:  # an empty code block is still a block
            return f"\n\n{fence}{_language(el)}\n{fence}\n\n" + _code_links(el)
        if "\n\n" in text or text.startswith("\n") or text.endswith("\n"):
            # Blank lines are code: held by a placeholder so that no pass collapses them.
            text = "\n".join(line or BLANK_LINE for line in text.split("\n"))
        return f"\n\n{fence}{_language(el)}\n{text}\n{fence}\n\n" + _code_links(el)

    def convert_list(self, el: Any, text: str, parent_tags: frozenset[str]) -> str:
        if "pre" in parent_tags:
            return _pre_line(el, text)
        text = text.strip("\n")
        if not text:
            return "\n\n"  # (an empty block still ends the line before it, as <p></p> does)
        if "td" in parent_tags or "th" in parent_tags:  # a data table's cell: one line
            return " " + text.strip().removesuffix(";") + " "
        if "li" in parent_tags and _can_interrupt(el, self._li_number):
            # A blank line after it keeps the item's next text out of the last nested item.
            return "\n" + text + "\n\n"
        return "\n\n" + text + "\n\n"

    convert_ul = convert_list
    convert_ol = convert_list
    convert_menu = convert_list
    convert_dir = convert_list

    def _number_items(self, ol: Any) -> None:
        """The number a browser shows on each item of ``ol`` (its ``start``, ``reversed``, and
        ``value`` on items), and where the numbers stop running on by one."""
        items = [li for li in ol if li.tag == "li" and not _hidden(li)]
        reversed_ = ol.get("reversed") is not None
        start = _html_integer(ol.get("start"))
        if start is None:
            start = len(items) if reversed_ else 1
        step = -1 if reversed_ else 1
        number = start
        run = 0
        for i, li in enumerate(items):
            value = _html_integer(li.get("value"))
            if value is not None:
                number = value
            first_of_run = i > 0 and number != self._li_number[items[i - 1]] + 1
            run += first_of_run  # (the first item's number is the list's start: always kept)
            self._li_number[li] = number
            if run:
                self._li_run[li] = -run if first_of_run else run  # (negative: a run's first)
            number += step

    def convert_li(self, el: Any, text: str, parent_tags: frozenset[str]) -> str:
        if "pre" in parent_tags:  # a line of code (prettify's linenums): no list marker
            return _pre_line(el, text)
        text = _strip_block(text)
        if ("td" in parent_tags or "th" in parent_tags) and text:
            # A GFM cell holds one line: the items in a row, "x; y" (numbered as shown).
            parent = el.getparent()
            shown = ""
            if parent is not None and parent.tag == "ol":
                shown = f"{self._li_number.get(el, 1)}. "
            return f"{shown}{_NEWLINES.sub(' ', text)}; "
        parent = el.getparent()
        alt = parent is not None and parent in self._alt_list
        run = 0
        if parent is not None and parent.tag == "ol":
            # CommonMark numbers a list's items from its first: where the numbers a browser
            # shows do not run on by one (reversed, or a value=), a new list starts, with the
            # other delimiter (or it would continue the list) after a blank line.
            number = max(0, min(self._li_number.get(el, 1), 999_999_999))
            run = self._li_run.get(el, 0)
            bullet = f"{number}{')' if alt != (abs(run) % 2 == 1) else '.'} "
        else:
            bullet = "* " if alt else "- "
        if parent is None or parent.tag not in _LISTS:
            # An item outside any list (scraped pages have them) is a block of its own, as in a
            # browser: it starts its own line and ends a paragraph, and the items next to it
            # make one list with it.
            item = self._item(bullet, text, run)
            prev, nxt = el.getprevious(), el.getnext()
            after_item = prev is not None and prev.tag == "li" and not (prev.tail or "").strip()
            before_item = nxt is not None and nxt.tag == "li" and not (el.tail or "").strip()
            return ("" if after_item else "\n\n") + item + ("" if before_item else "\n")
        before, after = _text_beside_item(el)
        # A browser shows text between a list's items as a line of its own; in Markdown the
        # text before an item would take its marker ("intro- first") and the text after an
        # item would continue it, unless a blank line stands between.
        return ("\n\n" if before else "") + self._item(bullet, text, run) + ("\n" if after else "")

    def _item(self, bullet: str, text: str, run: int) -> str:
        """A list item's Markdown: its marker, and its text indented under the marker."""
        if not text:
            return bullet.rstrip() + "\n"
        if text == "---" or text.startswith("---\n"):
            # "- ---" is itself a rule, not an item holding one: a rule of another character.
            text = ("- - -" if bullet[0] == "*" else "* * *") + text[3:]
        pad = " " * len(bullet)
        lines = text.split("\n")
        body = "\n".join([lines[0]] + [pad + line if line else "" for line in lines[1:]])
        if run < 0:
            return f"\n\n{bullet}{body}\n"
        return f"{bullet}{body}\n"

    # ---- tables -----------------------------------------------------------------------------
    def convert_td(self, el: Any, text: str, parent_tags: frozenset[str]) -> str:
        if "pre" in parent_tags:
            return PRE_CELL + text
        if BREAK in text:
            text = text.replace(BREAK, " ")
        cell = (_NEWLINES.sub(" ", text) if "\n" in text else text).strip()
        cell = cell.replace("|", "\\|")
        span = el.get("colspan")
        colspan = int(span) if isinstance(span, str) and span.strip().isdigit() else 1
        span = el.get("rowspan")
        rowspan = int(span) if isinstance(span, str) and span.strip().isdigit() else 1
        # (rowspan="0" spans the rest of the table)
        self._cells[el] = (cell, el.tag == "th", max(1, min(colspan, 100)), rowspan or 65534)
        return ""

    convert_th = convert_td

    def convert_tr(self, el: Any, text: str, parent_tags: frozenset[str]) -> str:
        if "pre" in parent_tags:  # a line of code: its cells that hold any, tab-separated
            if el.tag != "tr":
                return text
            shown = [c for c in text.split(PRE_CELL) if _PRE_EDGES.sub("", c)]
            return _pre_line(el, "\t".join(shown))
        # A row's cells, converted already, become a row of the table around it.
        if el.tag == "tr" and self._rows:
            cells: list[str] = []
            spans: list[tuple[int, int, int]] = []  # (cell index, rowspan, colspan)
            all_th = True
            pop = self._cells.pop
            for cell in el:
                got = pop(cell, None) if cell.tag in ("td", "th") else None
                if got is not None:
                    value, is_th, colspan, rowspan = got
                    all_th = all_th and is_th
                    if rowspan > 1:
                        spans.append((len(cells), rowspan, colspan))
                    cells.append(value)
                    if colspan > 1:
                        cells.extend([""] * (colspan - 1))
            if cells:
                parent = el.getparent()
                header = parent is not None and parent.tag == "thead"
                self._rows[-1].append((cells, header or all_th, spans))
        return ""

    convert_thead = convert_tr
    convert_tbody = convert_tr
    convert_tfoot = convert_tr

    def convert_table(self, el: Any, text: str, parent_tags: frozenset[str]) -> str:
        if "pre" in parent_tags:  # (a highlighter's table of lines)
            self._cells.clear()
            return _pre_line(el, text.replace(PRE_CELL, ""))
        rows: list[tuple[list[str], bool, list[tuple[int, int, int]]]]
        rows = self._rows[-1] if self._rows else []
        cells_of = self._cells
        if cells_of:
            # Cells outside any row of this table (<table><td>, or a wrapper inside <tr>): kept,
            # one row per parent.
            loose: dict[Any, list[str]] = {}
            for cell in el.iter("td", "th"):  # (a nested table's cells are gone already)
                if cell in cells_of:
                    value, _, colspan, _ = cells_of.pop(cell)
                    loose.setdefault(cell.getparent(), []).extend([value] + [""] * (colspan - 1))
            rows.extend((cells, False, []) for cells in loose.values())
        caption = _strip_block(text)
        if not rows:
            return f"\n\n{caption}\n\n" if caption else ""
        if "_inline" in parent_tags:
            flat = " ".join(c for cells, _, _ in rows for c in cells if c)
            return f" {caption} {flat} "
        grid = _place_rowspans(rows) if any(spans for _, _, spans in rows) else rows
        width = max(len(cells) for cells, _, _ in grid)
        if grid[0][1]:
            head, body = grid[0][0], grid[1:]
        else:
            head, body = [""] * width, grid
        lines = [_row(head, width), "|" + " --- |" * width]
        lines.extend(_row(cells, width) for cells, _, _ in body)
        table = "\n".join(lines)
        return f"\n\n{caption}\n\n{table}\n\n" if caption else f"\n\n{table}\n\n"


# Inside a <pre>, a block starts and ends a line (a <p> and the like: with a blank line), where
# the text has not just ended one; a cell is a tab apart from the one before (a browser's copy).
PRE_LINE, PRE_PARAGRAPH, PRE_CELL = "\ufde0", "\ufde1", "\ufde2"
_PRE_EDGES = re.compile("[\ufde0-\ufde2]+")
_PRE_PARAGRAPHS = frozenset({"p", "blockquote", "ul", "ol", "dl", "hr", "figure", *HEADINGS})


def _pre_line(el: Any, text: str) -> str:
    edge = PRE_PARAGRAPH if el.tag in _PRE_PARAGRAPHS else PRE_LINE
    return f"{edge}{text}{edge}"


def _pre_lines(text: str) -> str:
    """The text of a <pre> whose blocks were written with line edges, as a browser shows it."""
    out: list[str] = []
    pos = 0
    started = False
    done = 0  # line breaks the text written so far ends with
    for m in _PRE_EDGES.finditer(text):
        piece = text[pos : m.start()]
        pos = m.end()
        if piece:
            out.append(piece)
            started = True
            body = piece.rstrip("\n")
            done = done + len(piece) if not body else len(piece) - len(body)
        if not started or pos == len(text):
            continue  # (none at the edges of the code)
        wanted = 2 if PRE_PARAGRAPH in m.group(0) else 1
        if done < wanted:
            out.append("\n" * (wanted - done))
            done = wanted
    out.append(text[pos:])
    return "".join(out)


def _place_rowspans(
    rows: list[tuple[list[str], bool, list[tuple[int, int, int]]]],
) -> list[tuple[list[str], bool, list[tuple[int, int, int]]]]:
    """Rows with an empty cell where a cell above spans down (GFM has no rowspan): each cell
    stays in the column a browser shows it in, its text written once, in its first row."""
    out: list[tuple[list[str], bool, list[tuple[int, int, int]]]] = []
    covered: dict[int, int] = {}  # column -> rows below still covered by a cell above
    for cells, header, spans in rows:
        starts = {i: (rowspan, colspan) for i, rowspan, colspan in spans}
        placed: list[str] = []
        new: dict[int, int] = {}
        i = 0
        while i < len(cells) or any(c >= len(placed) for c in covered):
            col = len(placed)
            if covered.get(col):
                placed.append("")
            else:
                if i >= len(cells):
                    placed.append("")  # (a gap before a spanned column further right)
                    continue
                if i in starts:
                    rowspan, colspan = starts[i]
                    for c in range(col, col + colspan):
                        new[c] = rowspan - 1
                placed.append(cells[i])
                i += 1
        covered = {c: n - 1 for c, n in covered.items() if n > 1}
        covered.update(new)
        out.append((placed, header, []))
    return out


def _code_segments(code: Any, parent_tags: frozenset[str]) -> str:
    """``<code>see <a>x</a> or <em>y</em></code>``: a code span can hold neither a link, an
    image nor emphasis, so it is cut around them; a link or emphasis holds code of its own."""
    out: list[str] = []
    buf: list[str] = [code.text] if code.text else []
    inside = set(parent_tags)

    def flush() -> None:
        if buf:
            out.append(_code_span(_collapse_spaces(_clean("".join(buf)))))
            buf.clear()

    stack: list[Any] = []
    _push_children(stack, code)
    while stack:
        node = stack.pop()
        if node.__class__ is tuple:  # the end of an emphasis span: (closer, tag name)
            flush()
            out.append(node[0])
            inside.discard(node[1])
        elif node.__class__ is str:
            buf.append(node)
        elif _shown(node):
            name = node.tag
            href = safe_url(node.get("href") or None) if name == "a" else None
            if name == "img" and node.get("src"):
                flush()
                alt = escape_text(_WS.sub(" ", node.get("alt") or "").strip(), in_link=True)
                out.append(f"![{_clean(alt)}]({link_destination(node.get('src'))}{_title(node)})")
            elif href is not None and "a" not in inside and _text(node, True):
                flush()
                inner = _code_span(_collapse_spaces(_clean(_text(node, True))))
                out.append(f"[{inner}]({link_destination(href)}{_title(node)})")
            elif name == "br":
                if "_inline" in inside:
                    buf.append(" ")  # (a heading or a cell holds one line)
                else:
                    # A code span holds no line break: a script's lines written in <code>
                    # with <br>s are a code span each, on lines of their own.
                    flush()
                    out.append(BREAK + "\n")
            elif name in _SPAN_MARKERS and not inside & set(_SPAN_MARKERS[name][1]):
                flush()
                opener = _SPAN_MARKERS[name][0]
                out.append(opener)
                inside.add(name)
                stack.append((cm.OPENERS[opener], name))
                _push_children(stack, node)
                if node.text:
                    stack.append(node.text)
            else:
                _push_children(stack, node)
                if node.text:
                    stack.append(node.text)
    flush()
    return "".join(out)


def _code_links(pre: Any) -> str:
    """The links and images of a ``<pre>`` (API docs link every type name), which a code block
    cannot hold: listed in a line after it, in order, so that no target the page had is lost."""
    if next(pre.iter("a", "img"), None) is None:  # (found by lxml: most code holds neither)
        return ""
    links = []
    for a in _tags_below(pre):
        if a.tag == "img" and a.get("src"):  # (an image neither: listed the same way)
            alt = escape_text(_WS.sub(" ", a.get("alt") or "").strip(), in_link=True)
            links.append(f"![{_clean(alt)}]({link_destination(a.get('src'))}{_title(a)})")
        if a.tag != "a":
            continue
        href = safe_url(a.get("href") or None)
        text = _collapse_spaces(_clean(_text(a, True))).strip()
        if href is not None and text:
            links.append(f"[{_code_span(text)}]({link_destination(href)}{_title(a)})")
    return "\n\n" + " ".join(links) + "\n\n" if links else ""


def _can_interrupt(lst: Any, numbers: dict[Any, int]) -> bool:
    """Can this list start right under a line of text? CommonMark says no for an ordered list
    not starting at 1 and for an empty first item (``-`` would underline a heading)."""
    first = next((c for c in lst if c.tag == "li" and _shown(c)), None)
    if first is None or (
        not "".join(_strings(first, shown_only=True)).strip()
        and not any(t.tag == "img" for t in _tags_below(first))
    ):
        return False
    return lst.tag != "ol" or numbers.get(first, 1) == 1


_INTEGER = re.compile(r"[ \t\n\r\f]*([-+]?[0-9]+)")


def _html_integer(value: str | None) -> int | None:
    """An attribute read by HTML's rules for parsing integers (``" 7th"`` is 7), or None."""
    m = _INTEGER.match(value) if value else None
    return int(m.group(1)[:12]) if m else None


def _language(pre: Any) -> str:
    for node in (pre, next(pre.iter("code"), None)):
        if node is None:
            continue
        for cls in (node.get("class") or "").split():
            for prefix in ("language-", "lang-"):
                if cls.startswith(prefix) and re.fullmatch(r"[\w+#.-]+", cls[len(prefix) :]):
                    return cls[len(prefix) :]
    return ""


def _row(cells: list[str], width: int) -> str:
    cells = cells + [""] * (width - len(cells))
    return "| " + " | ".join(cells) + " |"


CODE_OPEN, CODE_CLOSE = "\ufdda", "\ufddb"  # a code span, fenced once its neighbours are known
_CODE_SPAN = re.compile("\ufdda([^\ufdda\ufddb]*)\ufddb")


def _code_span(text: str) -> str:
    if not text:
        return text
    if "\n" in text:
        # A reader shows a line end inside a code span as a space, and a blank line (a list
        # or a rule inside <code>) would end the span and leave the rest unescaped.
        text = _NEWLINES.sub(" ", text)
    return CODE_OPEN + text + CODE_CLOSE


_NEWLINES = re.compile(r"\n+")


def _fenced(text: str) -> str:
    longest = max((len(m) for m in _BACKTICKS.findall(text)), default=0) if "`" in text else 0
    fence = "`" * (longest + 1)
    # A space pad keeps a leading/trailing backtick (or space) from being read as the fence;
    # a span of nothing but spaces is shown as it is (a reader strips none).
    if longest or (text[0] == " " and text[-1] == " " and text.strip(" ")):
        text = f" {text} "
    return f"{fence}{text}{fence}"


_SPAN_MARKERS = {
    "strong": (cm.STRONG_OPEN, ("strong", "b", "th", *HEADINGS)),
    "b": (cm.STRONG_OPEN, ("strong", "b", "th", *HEADINGS)),
    "em": (cm.EM_OPEN, ("em", "i", "cite")),
    "i": (cm.EM_OPEN, ("em", "i", "cite")),
    "del": (cm.DEL_OPEN, ("del", "s", "strike")),
    "s": (cm.DEL_OPEN, ("del", "s", "strike")),
}
_CODE_SPLITTERS = frozenset(["a", "img", "br", *_SPAN_MARKERS])
_TABLE_LAYOUT_PARTS = frozenset({"tbody", "thead", "tfoot", "tr", "td", "th", "caption"})


# Class names of icon fonts (Font Awesome, Bootstrap Icons, Material, Octicons, Remix,
# IcoMoon, iconfont.cn...): an element so classed draws a glyph through CSS.
_ICON_CLASS = re.compile(
    r"(?:^|[\s_-])(?:fa[bsrl]?|fa-[\w-]+|icon[\w-]*|[\w-]*-icon|bi|bi-[\w-]+|glyphicon[\w-]*|"
    r"material-(?:icons|symbols)[\w-]*|octicon[\w-]*|ri-[\w-]+|mdi[\w-]*|iconfont)(?:$|\s)",
    re.I,
)


def _icon_font_name(a: Any) -> str | None:
    """The name of a link that shows only an icon font's glyph (``<i class="fab fa-github">``):
    its ``aria-label`` or ``title``, or the icon's, "" for none (then its target names it);
    None when the link shows no such icon."""
    icon = next(
        (
            d
            for d in a.iterdescendants("i", "span", "em")
            if _ICON_CLASS.search(d.get("class") or "") and not _hidden(d)
        ),
        None,
    )
    if icon is None or next(a.iter("img", "svg"), None) is not None:
        return None
    for name in (a.get("aria-label"), a.get("title"), icon.get("aria-label"), icon.get("title")):
        if name and name.strip():
            return " ".join(name.split())
    return ""


def _unnamed_drawing(a: Any) -> bool:
    """Does the link ``a``, which shows no text, show an ``<svg>`` (not a hidden icon)?"""
    if not len(a) or a.get("aria-hidden") == "true":
        return False
    svg = next(a.iter("svg"), None)
    return svg is not None and not _hidden(svg)


def _title(el: Any) -> str:
    title = el.get("title")
    if not isinstance(title, str) or not title.strip():
        return ""
    title = _WS.sub(" ", _clean(title)).strip()
    return ' "' + title.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _chomp(text: str) -> tuple[str, str, str]:
    """Whitespace and line breaks at a span's edges go outside it (or it cannot flank)."""
    if text and text[0].isalnum() and text[-1].isalnum():  # (no edge to look at)
        return "", text, ""
    i, j = 0, len(text)
    while i < j and (_is_ws(text[i]) or text[i] == BREAK):
        i += 1
    while j > i and (_is_ws(text[j - 1]) or text[j - 1] == BREAK):
        j -= 1
    return text[:i], text[i:j], text[j:]


_DEST_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_DEST_PLAIN_UNSAFE = re.compile(r"[ \x00-\x1f\x7f<>]")
_DEST_BACKSLASH = re.compile(r"\\(?=[!-/:-@\[-`{-~]|$)")


def _balanced(url: str) -> bool:
    depth = 0
    for ch in url:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def link_destination(url: str) -> str:
    """A URL as a Markdown link destination that a reader gives back byte for byte.

    Written as it is where CommonMark allows (balanced parentheses included); a URL with spaces
    or unbalanced parentheses goes in ``<...>``. Only what would be read as syntax is escaped:
    a backslash before punctuation, ``&`` that starts an entity, ``<``/``>``; line breaks and
    other control characters (which a browser would not keep as they are) are percent-encoded.
    """
    url = _clean(url).strip(" \t\n\r\f")
    if "\\" in url:
        url = _DEST_BACKSLASH.sub(r"\\\\", url)
    if "&" in url:
        url = _ENTITY_LIKE.sub(lambda m: "\\" + m.group(0), url)
    if ("(" not in url and ")" not in url) or _balanced(url):
        if not _DEST_PLAIN_UNSAFE.search(url):
            return url
    url = _DEST_CONTROL.sub(lambda m: f"%{ord(m.group(0)):02X}", url)
    return "<" + url.replace("<", "\\<").replace(">", "\\>") + ">"


def escape_text(text: str, *, in_link: bool = False, at_end: bool = False) -> str:
    """Backslash-escape what a CommonMark reader would read as syntax, and nothing else.

    Text nodes are escaped on their own, so a character at an edge is judged as if the unseen
    neighbour were the worst case.
    """
    if not _ESC_CANDIDATE.search(text):
        return text
    out: list[str] = []
    last = 0
    n = len(text)
    literal = None if in_link or "[" not in text else _literal_brackets(text, at_end)
    run_start = run_end = 0  # the characters text[run_start:run_end] are to be escaped
    candidates = _ESC_CANDIDATE_RUNS if literal is None else _ESC_CANDIDATE
    first_seen: int | None = None  # (found on the first "*" or "_")
    last_seen = n
    for m in candidates.finditer(text):
        i, end = m.span()  # (more than one character: a run of "[" or of "]")
        ch = text[i]
        before = text[i - 1] if i else None
        after = text[i + 1] if i + 1 < n else None
        esc = False
        if ch == "`":
            esc = True
        elif ch == "[":
            # "[1] and [note]" stay as written: only a bracket that could start a link or a
            # link definition is escaped (_literal_brackets).
            esc = literal is None or not literal[i]
        elif ch == "]":
            esc = in_link
        elif ch == "\\":
            # before a space too: the space may move out of an enclosing span (chomp)
            esc = after is None or after in _ASCII_PUNCT or _is_ws(after)
        elif ch == "<":
            esc = after is None or after.isalpha() or after in "/!?"
        elif ch == "&":
            esc = bool(_ENTITY_LIKE.match(text, i))
        elif ch == "~":
            # "10~20" stays; a tilde at an edge or by a space may meet a "~~" strikethrough.
            esc = before is None or after is None or before in "~ \u00a0" or after in "~ \u00a0"
        else:  # * and _
            # Only spaces between it and an edge: they may move out of an enclosing span
            # (``<em> * </em>`` is written ``*`` + ``*`` + ``*``), so that side is unseen too.
            if first_seen is None:
                prefix, _, suffix = _chomp(text)  # (what a span around the text moves out)
                first_seen, last_seen = len(prefix), n - len(suffix) - 1
            at_start, at_end = i <= first_seen, i >= last_seen
            b = "a" if at_start or before is None else before
            a = "a" if at_end or after is None else after
            if at_start and ch == "_":
                b = "."
            esc = cm.can_open(ch, b, a) or cm.can_close(ch, b, a)
            if at_start or at_end:
                esc = esc or not _is_ws(a if at_start else b)
        if esc:
            # A run of characters to escape is written at once (a flood of "[" or "<" would
            # otherwise make two small strings per character).
            if i == run_end:
                run_end = end
            else:
                if run_end:
                    out.append(text[last:run_start])
                    out.append("\\" + "\\".join(text[run_start:run_end]))
                    last = run_end
                run_start, run_end = i, end
    if run_end:
        out.append(text[last:run_start])
        out.append("\\" + "\\".join(text[run_start:run_end]))
        last = run_end
    out.append(text[last:])
    return "".join(out)


def _literal_brackets(text: str, at_end: bool) -> bytearray | None:
    """1 at each "[" of ``text`` that a reader cannot take as the start of a link (None: no
    "[" is one).

    A reader pairs each "]" with the nearest "[" before it not yet paired (so "[a [b] c]" is
    one pair around another), and a pair is a link, or a link definition, when its "]" is
    followed by "(", "[" or ":" (or by what comes after this text, unless nothing does). Such
    a "]" is risky: every "[" still open before it is escaped, so none can pair with it, and
    the brackets before it pair among themselves. A "[" is literal if it pairs with a "]" that
    is not risky before the next risky one; one never closed in this text is escaped (a later
    text could close it). Found from the right in one pass: ``spare`` counts the "]" not yet
    paired since the last risky one, and a "[" pairs with one of them if there is any.
    """
    # At the end of a block nothing follows to close a "[" after the text's last "]".
    tail = text.rfind("]") + 1 if at_end and "[" in text[text.rfind("]") + 1 :] else len(text)
    if _PLAIN_CLOSER.search(text) is None and not (at_end and text.endswith("]")):
        if tail == len(text):
            return None  # every "]" is risky (or there is none): no "[" pairs as plain text
        literal = bytearray(len(text))
        _never_closed(text, tail, literal)
        return literal
    literal = bytearray(len(text))
    _never_closed(text, tail, literal)
    spare = 0
    opener = text.rfind("[")
    closer = text.rfind("]")
    while opener >= 0:
        if closer > opener:
            follow = text[closer + 1 : closer + 2]
            if follow in ("(", "[", ":") or (follow == "" and not at_end):
                spare = 0
            else:
                spare += 1
            closer = text.rfind("]", 0, closer)
        elif spare:
            spare -= 1
            literal[opener] = 1
            opener = text.rfind("[", 0, opener)
        else:  # nothing to pair with: every "[" back to the next "]" stays escaped
            opener = text.rfind("[", 0, closer) if closer >= 0 else -1
    return literal


def _never_closed(text: str, tail: int, literal: bytearray) -> None:
    """Mark every "[" of ``text[tail:]`` literal: nothing after it can close it."""
    i = text.find("[", tail)
    while i >= 0:
        literal[i] = 1
        i = text.find("[", i + 1)


_PLAIN_CLOSER = re.compile(r"\](?=[^(\[:])")  # a "]" that is not risky (but at the end)


_MAX_PREFIX = 4 * MAX_DEPTH + 16 * MAX_BLOCK_NESTING


_PREFIX_MARKS = (LINE_START, *_EMPH)


def _resolve_line_starts(text: str) -> str:
    if LINE_START not in text:
        return text
    out: list[str] = []
    last = 0
    pos = text.find(LINE_START)
    line_start = 0  # of the line the last marker was on (markers come in order: no rescan)
    while pos >= 0:
        out.append(text[last:pos])
        last = pos + 1
        line_start = max(line_start, text.rfind("\n", line_start, pos) + 1)
        # (what precedes a block marker is container markers and emphasis placeholders, no
        # more than the walk nests: a longer prefix is text, and is not copied)
        prefix = text[line_start:pos] if pos - line_start <= _MAX_PREFIX else "x"
        if prefix:
            for ch in _PREFIX_MARKS:
                if ch in prefix:
                    prefix = prefix.replace(ch, "")
        if not prefix or _CONTAINER_PREFIX.fullmatch(prefix):
            m = _BLOCK_START.match(text, last)  # (re.M: "$" is the end of this line)
            if m is not None:
                if m.group("num") is not None:
                    out.append(m.group("num") + "\\" + m.group("delim"))
                    last = m.end("delim")
                else:
                    out.append("\\")
        pos = text.find(LINE_START, last)
    out.append(text[last:])
    return "".join(out)


def _resolve_breaks(text: str) -> str:
    """A <br> is a backslash hard break, except where the paragraph ends anyway (a blank line,
    the end, or a next line that starts a block of its own), where it would show a backslash.

    The breaks are decided last to first: a line that holds only a break which is dropped is
    a blank line, so the break before it ends its paragraph too (``a<br><br>`` before a block).
    """
    matches = list(re.finditer(BREAK, text))
    kept = [False] * len(matches)
    dropped_at: set[int] = set()  # where the dropped breaks stand
    for k in range(len(matches) - 1, -1, -1):
        m = matches[k]
        line_start = text.rfind("\n", 0, m.start()) + 1
        here = _PREFIX.match(text, line_start)
        nxt = _PREFIX.match(text, m.end() + 1) if text.startswith("\n", m.end()) else None
        if nxt is None:
            dropped_at.add(m.start())
            continue
        rest = text[nxt.end() : nxt.end() + 12]
        after_next = text[nxt.end() + 1 : nxt.end() + 2]
        only_a_dropped_break = nxt.end() in dropped_at and after_next in ("\n", "")
        # A line of nothing but no-break spaces is blank to markdown-it, which trims a
        # paragraph's Unicode whitespace: the backslash before it would show.
        line_end = text.find("\n", nxt.end())
        only_spaces = text[nxt.end() : line_end if line_end >= 0 else len(text)].isspace()
        ends = (
            not rest
            or rest[0] == "\n"
            or only_a_dropped_break
            or only_spaces
            or nxt.group(0).count(">") != (here.group(0).count(">") if here else 0)
            or _NEW_BLOCK.match(rest) is not None
            or _BACKTICK_FENCE.match(text, nxt.end()) is not None
        )
        if ends:
            dropped_at.add(m.start())
        else:
            kept[k] = True
    out: list[str] = []
    last = 0
    for m, keep in zip(matches, kept, strict=True):
        out.append(text[last : m.start()])
        if keep:
            out.append("\\")
        last = m.end()
    out.append(text[last:])
    return "".join(out)


_PREFIX = re.compile(r"[ \t>]*")
_NEW_BLOCK = re.compile(r"[-*+](?:[ \t]|$)|\d{1,9}[.)](?:[ \t]|$)|#{1,6}(?:[ \t]|$)|~~~|\|")
# A backtick fence: its info string holds no backtick (```` ``` y`` ``` ```` is a code span).
_BACKTICK_FENCE = re.compile(r"`{3,}[^`\n]*(?:\n|$)")


_BANG_BEFORE_LINK = re.compile(f"!(?=[\ufdd0-\ufdd9]*{LINK_START})")


def finish(text: str) -> str:
    """Resolve the placeholders now that every line is where it will stay."""
    text = cm.merge_spans(text)
    if CODE_OPEN in text:
        # Code spans that touch would fuse their backtick fences: they are one span to a reader.
        text = text.replace(CODE_CLOSE + CODE_OPEN, "")
        text = _CODE_SPAN.sub(lambda m: _fenced(m.group(1)), text)
    text = _resolve_line_starts(text)
    if BREAK in text:
        text = _resolve_breaks(text)
    if LINK_START in text:
        # A "!" before a link, or before emphasis around one (which may come to nothing), is
        # escaped: "![" starts an image. (Text never escapes a "!" itself, so this one is bare.)
        text = _BANG_BEFORE_LINK.sub("\\\\!", text).replace(LINK_START, "")
    text = cm.resolve_emphasis(text, merged=True)  # (merged above; nothing since makes spans touch)
    text = text.strip(" \n")  # (a line of spaces at either end is a blank line)
    if text.startswith("---") and text[3:4] in ("\n", ""):
        # A first line of "---" opens front matter to Jekyll, Hugo, Hexo and lint: a page
        # that starts with <hr> would lose the words up to its next one into metadata.
        text = "***" + text[3:]
    if "\n\n\n" in text:  # (a substring search is much faster than the regex on CJK text)
        text = _BLANK_LINES.sub("\n\n", text)
    if BLANK_LINE in text:
        text = _without_blank_line_marks(text)
    return text + "\n" if text else ""


def _without_blank_line_marks(text: str) -> str:
    """Drop each empty code line's mark, with the spaces of a container's indentation before it
    (kept: the "> " a line in a quote needs)."""
    parts = text.split(BLANK_LINE)
    for k in range(len(parts) - 1):
        part = parts[k]
        body = part.rstrip(" ")
        # (only spaces that start a line: the part before holds the line's start)
        if len(body) < len(part) and (body.endswith("\n") or (not body and k == 0)):
            parts[k] = body
    return "".join(parts)


def converter() -> ArticleConverter:
    """This thread's converter (its ``dropped`` and ``visible_chars`` are of its last page)."""
    # One converter per thread builds its dispatch table and caches once.
    conv = getattr(_local, "converter", None)
    if conv is None:
        conv = _local.converter = ArticleConverter()
    return conv


def html_to_markdown(html: str) -> str:
    """Convert an HTML fragment or page to Markdown."""
    return converter().convert(html)


_TAG_SCAN = re.compile(
    r"<!--.*?(?:-->|\Z)|<([A-Za-z][^\s/>\x00]*)(?:[^>\"']|\"[^\"]*\"|'[^']*')*", re.S
)
_RAW_TEXT = frozenset({"script", "style", "textarea", "title", "xmp", "plaintext", "iframe"})


def locate_tags(html: str, wanted: set[tuple[str, int]]) -> dict[tuple[str, int], int]:
    """Offsets in ``html`` of the n-th start tag of each (name, n), as the parser met them."""
    found: dict[tuple[str, int], int] = {}
    seen: dict[str, int] = {}
    low = ""
    pos = 0
    while len(found) < len(wanted):
        m = _TAG_SCAN.search(html, pos)
        if m is None:
            break
        pos = m.end()
        if m.group(1) is None:
            continue
        name = m.group(1).lower()
        n = seen[name] = seen.get(name, 0) + 1
        if (name, n) in wanted:
            found[(name, n)] = m.start()
        if name in _RAW_TEXT:
            low = low or html.lower()
            end = low.find("</" + name, pos)
            pos = len(html) if end < 0 else end
    return found
