"""HTML to CommonMark that renders as the source showed: markdownify's converter, corrected.

``ArticleConverter`` subclasses :class:`markdownify.MarkdownConverter` (as its documentation
describes) and fixes each failure where it arises:

* text escaping needs the characters around it, so ``process_text`` escapes inline syntax with
  the neighbours it can see, and marks a possible block marker (``1.``, ``#``, ``-``, ``>``) with
  a placeholder that is resolved once the line it lands on is known;
* emphasis needs the characters outside the span, so ``<strong>``/``<em>``/``<del>`` write
  placeholders that :func:`contentkit.commonmark.resolve_emphasis` turns into delimiters that
  flank (the CJK + punctuation case);
* a ``<br>`` is a placeholder too, dropped where a hard break would show a stray backslash;
* tree problems (block elements inside links, lazy images, layout tables, nesting deeper than any
  reader renders, invisible and unsafe elements) are fixed by one iterative pass over the tree
  before conversion, so the recursive converter only ever sees a shallow, clean tree.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from bs4.element import PreformattedString
from markdownify import MarkdownConverter

from contentkit import commonmark as cm
from contentkit.convert.html import (
    BLOCK,
    HEADINGS,
    INVISIBLE,
    LAYOUT_CONTENT,
    TABLE_PARTS,
    TEX_ENCODINGS,
    image_source,
    is_hidden,
    is_layout_table,
    safe_url,
    style_emphasis,
    url_scheme,
)
from contentkit.convert.soup import parse as parse_html

LINE_START = "\ufdd6"  # "a block marker may follow": escaped only if it lands at a line start
BREAK = "\ufdd7"  # a <br>: written as a backslash hard break unless it ends a block
BLANK_LINE = "\ufddc"  # an empty line of code: kept through the collapsing of blank lines
_NONCHAR = re.compile("[\ufdd0-\ufdef]")
_NO_FN = object()  # "no conversion function looked up yet" (None means "there is none")


def _clean(text: str) -> str:
    """Drop Unicode noncharacters (our placeholders) from input text; none is valid text."""
    return _NONCHAR.sub("", text) if _NONCHAR.search(text) else text


_WS = re.compile(r"[ \t\n\r\f]+")
_NEWLINES = re.compile(r"[ \t]*[\n\r\f][ \t\n\r\f]*")
_LEADING_MARKER = re.compile(r"[#>+=*_~|:-]|\d")
_INLINE_ESC = re.compile(r"[\\`\[\]<&*_~!]")
_ENTITY_LIKE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_ASCII_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_EMPH = frozenset(cm.MARKERS)
# Inline elements whose Markdown cannot hold a block: pushed down into the blocks they contain.
# (sub and sup too: markdownify trims the blank lines around a block inside them, which ran a
# code fence into the text before it.)
_PUSH_DOWN = frozenset({"a", "strong", "b", "em", "i", "cite", "del", "s", "strike", "sub", "sup"})
_CONTAINERS_ONLY = frozenset({"ul", "ol", "dl", "table", "thead", "tbody", "tfoot", "tr"})
# Beyond this many nested quotes/lists no CommonMark reader renders the nesting (markdown-it
# stops at 20 levels), and beyond MAX_DEPTH elements markdownify's recursion would overflow.
MAX_BLOCK_NESTING = 12
MAX_DEPTH = 120
_NESTING = frozenset({"blockquote", "ul", "ol"})
_WS_INSIDE = BLOCK - {"pre"}
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
_BLANK_LINES = re.compile(r"\n{3,}")


def _strip_block(text: str) -> str:
    return text.strip(" \t\r\n" + BREAK)


def _is_ws(ch: str) -> bool:
    return ch in " \t\n\r\f\u00a0" or (ch != "" and cm.is_whitespace(ch))


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


@dataclass(frozen=True)
class Dropped:
    """An element left out of the Markdown: the ``ordinal``-th ``element`` of the page."""

    element: str
    reason: str
    ordinal: int
    text: str = ""  # the start of the text it held, if a browser would have shown any
    target: str = ""  # its src/href, shortened


class ArticleConverter(MarkdownConverter):
    """markdownify's converter with CommonMark-faithful escaping, emphasis, lists and tables."""

    class Options:  # read by markdownify on top of its DefaultOptions
        autolinks = False
        bullets = "-"
        escape_asterisks = False
        escape_underscores = False
        escape_misc = False
        heading_style = "atx"
        newline_style = "backslash"
        strong_em_symbol = "*"
        # lxml builds the tree fastest; class lists stay plain strings (we split the one we read).
        bs4_options = {"features": "lxml", "multi_valued_attributes": None}

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._cells: dict[int, tuple[str, bool, int]] = {}
        self._li_number: dict[int, int] = {}
        self._alt_list: set[int] = set()
        self._tag_sets: dict[tuple[frozenset[str], str], frozenset[str]] = {}
        self._conv_fns: dict[str, Any] = {}
        self.dropped: list[Dropped] = []
        self.visible_chars = 0  # text characters a browser shows, as read before converting

    # ---- entry point ------------------------------------------------------------------------
    def convert(self, html: str) -> str:
        # The tree BeautifulSoup(html, **bs4_options) builds, built in a fraction of its time.
        soup = parse_html(html)
        try:
            return self.convert_soup(soup)
        finally:
            _dismantle(soup)

    def convert_soup(self, soup: Any) -> str:
        # One converter may convert many documents (html_to_markdown reuses one per thread).
        self._cells.clear()
        self._li_number.clear()
        self._alt_list.clear()
        self._tag_sets.clear()
        self.dropped = []
        self.visible_chars = 0
        self.prepare(soup)
        text: str = self.process_tag(soup, parent_tags=frozenset())
        return finish(text)

    # ---- the one pass over the tree ---------------------------------------------------------
    def prepare(self, soup: BeautifulSoup) -> None:
        """Clean and reshape the tree iteratively (no recursion: 10,000 nested divs are fine)."""
        drop: list[Tag] = []
        too_deep: list[Tag] = []
        push: list[Tag] = []
        lists: list[Tag] = []
        tables: list[Tag] = []
        code: list[Tag] = []  # code-like elements in document order
        math: list[Tag] = []
        seen: dict[str, int] = {}  # elements met so far by name: where a drop is in the source
        # (element, depth, block nesting, inside a <table>, mode: 0 walk, 1 drop, 2 math, 3 deep)
        stack: list[tuple[Tag, int, int, bool, int]] = [(soup, 0, 0, False, 0)]
        while stack:
            el, depth, nesting, in_table, mode = stack.pop()
            name = el.name
            ordinal = seen[name] = seen.get(name, 0) + 1
            if mode:
                if mode == 1:
                    self._record_drop(el, ordinal)
                    drop.append(el)
                else:
                    (math if mode == 2 else too_deep).append(el)
                # Elements inside are counted too, in document order, for the drops after them.
                for d in el.descendants:
                    if type(d) is Tag:
                        seen[d.name] = seen.get(d.name, 0) + 1
                continue
            if name in TABLE_PARTS and not in_table:
                # A stray cell or row (scraped pages): a browser shows its content as a block.
                el.name = name = "div"
            if "style" in el.attrs and name not in ("strong", "b", "em", "i", "[document]"):
                self._css_emphasis(el, push)
            if name == "img":
                src = el.attrs.get("src")
                if not self._prepare_img(el):
                    self._record_drop(el, ordinal, "image without a safe source", src)
            elif name in _CODE_LIKE:
                code.append(el)
            elif name in _PUSH_DOWN:
                push.append(el)
                if name == "a":
                    href = el.attrs.get("href")
                    if isinstance(href, str) and safe_url(href) is None:
                        self._record_drop(el, ordinal, "link target not safe (text kept)")
            elif name in ("ul", "ol"):
                lists.append(el)
            elif name == "table":
                tables.append(el)
            elif name == "p" and "img-desc" in str(el.get("class") or "").split():
                _caption_as_alt(el)
            elif name == "figcaption":
                fig = el.find_parent("figure")
                if fig is not None:
                    _caption_as_alt(el, fig.find("img"))
            child_in_table = in_table or name == "table"
            for child in reversed(el.contents):
                if not isinstance(child, Tag):
                    if type(child) is NavigableString and child != "\n":
                        self.visible_chars += len(child)
                    continue
                cname = child.name
                child_nesting = nesting + (cname in _NESTING)
                if cname == "math":
                    mode = 2
                # (is_hidden needs attributes: most elements have none)
                elif cname in INVISIBLE or (child.attrs and is_hidden(child.attrs)):
                    mode = 1
                elif depth + 1 >= MAX_DEPTH or child_nesting > MAX_BLOCK_NESTING:
                    mode = 3
                else:
                    mode = 0
                stack.append((child, depth + 1, child_nesting, child_in_table, mode))
        for el in drop:
            el.decompose()
        for el in math:
            _math_as_text(el)
        for el in too_deep:
            self._flatten(el)
        for table in tables:
            if table.parent is not None and _is_layout_table(table):
                parts = [p for p in _own_parts(table) if p.name in _TABLE_LAYOUT_PARTS]
                for part in [table, *parts]:
                    part.name = "div"
        self._push_down(push)
        # The reshaping above neither makes nor renames code elements, nor reorders them: the
        # ones seen on the walk are those a search of the tree would find now.
        _merge_adjacent_code(code)
        for lst in lists:
            if lst.parent is None:
                continue
            prev = _previous_block(lst)
            if prev is not None and prev.name == lst.name and id(prev) not in self._alt_list:
                self._alt_list.add(id(lst))
            n = 0
            for li in (c for c in lst.contents if type(c) is Tag and c.name == "li"):
                self._li_number[id(li)] = n
                n += 1

    @staticmethod
    def _css_emphasis(el: Tag, push: list[Tag]) -> None:
        """``<span style="font-weight:bold">`` is bold to a reader: make it <strong>."""
        bold, italic = style_emphasis(el.attrs)
        tags = [t for t, wanted in (("strong", bold), ("em", italic)) if wanted]
        if not tags:
            return
        if el.name in ("span", "font"):
            el.name = tags.pop(0)
            push.append(el)
        for name in tags:
            wrap = Tag(name=name)
            for child in list(el.contents):
                wrap.append(child.extract())
            el.append(wrap)
            push.append(wrap)

    def _flatten(self, top: Tag) -> None:
        """Replace a too-deep subtree by its text, images and block breaks, in one flat run."""
        items: list[Any] = []
        stack: list[Any] = list(reversed(top.contents))
        while stack:
            node = stack.pop()
            if node is None:
                items.append(_marker("ck-break"))
            elif isinstance(node, Tag):
                if node.name in INVISIBLE or is_hidden(node.attrs):
                    continue
                if node.name in ("img", "br"):
                    if node.name == "img":
                        self._prepare_img(node)  # (its drop, if any, is not located here)
                    items.append(node)
                    continue
                if node.name in BLOCK:
                    items.append(_marker("ck-break"))
                    stack.append(None)
                stack.extend(reversed(node.contents))
            elif not isinstance(node, PreformattedString):
                items.append(NavigableString(str(node)))
        top.clear()
        for item in items:
            top.append(item)

    @staticmethod
    def _prepare_img(img: Tag) -> bool:
        """Point the image at its real source; False if it has none that may be written."""
        src = image_source(img.get)
        if src is None:
            img.attrs.pop("src", None)
            return False
        img["src"] = src
        return True

    def _record_drop(
        self, el: Tag, ordinal: int, reason: str | None = None, src: object = None
    ) -> None:
        """Note what is left out of the Markdown, and where (the n-th element of its name)."""
        if reason is None:
            if el.name in INVISIBLE:
                reason = "not shown" if el.name in _NOT_SHOWN else "not convertible"
            else:
                reason = "hidden"
        text = ""
        if el.name == "img":
            text = _WS.sub(" ", str(el.get("alt") or "")).strip()
        elif el.name not in _NOT_SHOWN:
            text = _WS.sub(" ", el.get_text()).strip()
            if reason == "not convertible":
                # shown by a browser but not written: it counts in what the page showed
                self.visible_chars += len(text)
        target = ""
        for value in (src, *(el.attrs.get(a) for a in ("src", "href", "data"))):
            if isinstance(value, str) and value.strip():
                target = value.strip()
                if url_scheme(target) == "data":
                    target = target[: target.find(",") + 1 or 40] + "…"
                break
        self.dropped.append(Dropped(el.name, reason, ordinal, text[:80], target[:200]))

    def _push_down(self, inlines: list[Tag]) -> None:
        """``<a><h2>T</h2></a>`` -> ``<h2><a>T</a></h2>``: Markdown links hold no blocks."""
        work = list(reversed(inlines))  # innermost first
        while work:
            el = work.pop()
            if el.parent is None or not any(
                isinstance(c, Tag) and c.name in BLOCK for c in el.contents
            ):
                continue
            run: list[Any] = []
            pieces: list[Any] = []

            def flush(run: list[Any] = run, pieces: list[Any] = pieces, el: Tag = el) -> None:
                if any(not isinstance(x, NavigableString) or x.strip() for x in run):
                    wrap = _clone(el)
                    for x in run:
                        wrap.append(x.extract())
                    pieces.append(wrap)
                else:
                    pieces.extend(x.extract() for x in run)
                run.clear()

            for child in list(el.contents):
                if isinstance(child, Tag) and child.name in BLOCK:
                    flush()
                    new = self._wrap_inside(child.extract(), el)
                    work.extend(new)
                    pieces.append(child)
                else:
                    run.append(child)
            flush()
            for piece in pieces:
                el.insert_before(piece)
            el.decompose()

    def _wrap_inside(self, block: Tag, like: Tag) -> list[Tag]:
        if block.name in _CONTAINERS_ONLY:
            made: list[Tag] = []
            for c in block.find_all(recursive=False):
                made.extend(self._wrap_inside(c, like))
            return made
        if block.name in ("pre", "hr") or not block.contents:
            return []
        wrap = _clone(like)
        for child in list(block.contents):
            wrap.append(child.extract())
        block.append(wrap)
        return [wrap]

    # ---- the walk ---------------------------------------------------------------------------
    def process_tag(self, node: Any, parent_tags: Any = None) -> str:
        """markdownify's walk, minus its per-node ``find_parent('pre')`` (a climb to the root
        through bs4's filter machinery for every element: most of its run time)."""
        if type(parent_tags) is not frozenset:
            parent_tags = frozenset(parent_tags or ())
        name = node.name
        # The tags seen from inside this element: one frozenset per (context, name), shared by
        # every element in the same context instead of a new set per element.
        tags = self._tag_sets.get((parent_tags, name))
        if tags is None:
            inner = set(parent_tags)
            inner.add(name)
            if name in HEADINGS or name in ("td", "th"):
                inner.add("_inline")
            if name in ("pre", "code", "kbd", "samp", "tt"):
                inner.add("_noformat")
                if name != "pre" and "pre" not in parent_tags:
                    # A code span holds no block: a <div> inside <code> is written inline, or
                    # its blank lines would end the span and leave its text unescaped.
                    inner.add("_inline")
            tags = self._tag_sets[(parent_tags, name)] = frozenset(inner)
        in_pre = "pre" in tags
        remove_inside = name in _WS_INSIDE
        contents = node.contents
        last = len(contents) - 1
        strings = []
        for i, el in enumerate(contents):
            kind = type(el)
            if kind is Tag or (kind is not NavigableString and isinstance(el, Tag)):
                out = self.process_tag(el, tags)
            elif kind is not NavigableString and (
                isinstance(el, PreformattedString) or not isinstance(el, NavigableString)
            ):
                continue  # comments, doctypes, processing instructions, CDATA: never shown
            elif el.strip():
                out = self.process_text(el, tags)
            elif remove_inside and (i == 0 or i == last):
                continue
            elif _is_block(el.previous_sibling) or _is_block(el.next_sibling):
                continue
            else:
                out = self.process_text(el, tags)
            if out:
                strings.append(out)
        if in_pre:
            text = "".join(strings)
        else:
            # Collapse newlines at child boundaries to at most two (markdownify's rule).
            parts: list[str] = []
            for out in strings:
                if parts and out[0] == "\n":
                    body = out.lstrip("\n")
                    lead = len(out) - len(body)
                    prev = parts[-1]
                    if prev.endswith("\n"):
                        stripped = prev.rstrip("\n")
                        trail = len(prev) - len(stripped)
                        keep = min(2, max(trail, lead))
                        parts[-1] = stripped + "\n" * keep
                        out = body
                parts.append(out)
            text = "".join(parts)
        fn = self._conv_fns.get(name, _NO_FN)
        if fn is _NO_FN:
            fn = self._conv_fns[name] = self.get_conv_fn_cached(name)  # type: ignore[attr-defined]
        if fn is not None:
            text = fn(node, text, parent_tags)
        return text

    # ---- text -------------------------------------------------------------------------------
    def process_text(self, el: Any, parent_tags: Any = None) -> str:
        if parent_tags is None:
            parent_tags = set()
        text = _clean(str(el))
        if "pre" in parent_tags:
            return text
        text = _WS.sub(" ", text)
        if "_noformat" not in parent_tags:
            nxt = el.next_sibling
            text = escape_text(
                text,
                in_link="a" in parent_tags,
                before_link=isinstance(nxt, Tag) and nxt.name in ("a", "img"),
                at_end=nxt is None and el.parent is not None and el.parent.name in BLOCK,
            )
            lead = len(text) - len(text.lstrip(" "))
            if lead < len(text) and _LEADING_MARKER.match(text, lead):
                text = text[:lead] + LINE_START + text[lead:]
        prev, nxt = el.previous_sibling, el.next_sibling
        parent = el.parent
        inside = parent is not None and (parent.name in BLOCK or parent.name == "[document]")
        if _is_block(prev) or (inside and prev is None):
            text = text.lstrip(" ")
        if _is_block(nxt) or (inside and nxt is None):
            text = text.rstrip(" ")
        return text

    # ---- inline elements --------------------------------------------------------------------
    def _span(self, el: Any, text: str, parent_tags: Any, kind: str, tags: Iterable[str]) -> str:
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

    def convert_b(self, el: Any, text: str, parent_tags: Any) -> str:
        # Headings and header cells are bold already; bold inside them is noise.
        return self._span(el, text, parent_tags, "strong", ("strong", "b", "th", *HEADINGS))

    convert_strong = convert_b

    def convert_em(self, el: Any, text: str, parent_tags: Any) -> str:
        return self._span(el, text, parent_tags, "em", ("em", "i", "cite"))

    convert_i = convert_em
    convert_cite = convert_em

    def convert_del(self, el: Any, text: str, parent_tags: Any) -> str:
        return self._span(el, text, parent_tags, "del", ("del", "s", "strike"))

    convert_s = convert_del
    convert_strike = convert_del

    def convert_a(self, el: Any, text: str, parent_tags: Any) -> str:
        if "_noformat" in parent_tags or "a" in parent_tags:
            return text
        href = safe_url(el.get("href"))
        prefix, body, suffix = _chomp(text)
        if href is None:
            return text
        if not body and (prefix or suffix or "_inline" in parent_tags):
            return prefix + suffix  # a link of nothing but spaces: the spaces
        # (an empty link is kept: it shows nothing, but its target is the author's)
        return f"{prefix}[{body}]({link_destination(href)}{_title(el)}){suffix}"

    def convert_img(self, el: Any, text: str, parent_tags: Any) -> str:
        src = el.get("src")
        if not src or "_noformat" in parent_tags:  # a code span cannot hold an image
            return ""
        alt = escape_text(_WS.sub(" ", str(el.get("alt") or "")).strip(), in_link=True)
        return f"![{_clean(alt)}]({link_destination(src)}{_title(el)})"

    def convert_br(self, el: Any, text: str, parent_tags: Any) -> str:
        if "pre" in parent_tags:
            return "\n"
        if "_inline" in parent_tags or "_noformat" in parent_tags:
            return " "  # a heading, a table cell or a code span holds one line
        return BREAK + "\n"

    def convert_code(self, el: Any, text: str, parent_tags: Any) -> str:
        if "pre" in parent_tags or "_noformat" in parent_tags:
            return text
        if el.contents and _has_tag(el, _CODE_SPLITTERS):
            return _code_segments(el, parent_tags)
        return _code_span(text)

    convert_kbd = convert_code
    convert_samp = convert_code
    convert_tt = convert_code

    def convert_q(self, el: Any, text: str, parent_tags: Any) -> str:
        return f"“{text}”"

    # ---- blocks -----------------------------------------------------------------------------
    def convert_p(self, el: Any, text: str, parent_tags: Any) -> str:
        if "_inline" in parent_tags:
            return " " + _strip_block(text) + " "
        text = _strip_block(text)
        # (an empty block still ends the line before it: "a<p></p>b" shows two lines)
        return f"\n\n{text}\n\n" if text else "\n\n"

    def convert_div(self, el: Any, text: str, parent_tags: Any) -> str:
        if "_inline" in parent_tags:
            return " " + _strip_block(text) + " "
        text = _strip_block(text)
        return f"\n\n{text}\n\n" if text else "\n\n"

    convert_article = convert_div
    convert_section = convert_div
    convert_header = convert_div
    convert_footer = convert_div
    convert_main = convert_div
    convert_aside = convert_div
    convert_nav = convert_div
    convert_figure = convert_div
    convert_figcaption = convert_div
    convert_center = convert_div
    convert_address = convert_div
    convert_details = convert_div
    convert_summary = convert_div
    convert_hgroup = convert_div
    convert_fieldset = convert_div
    convert_form = convert_div
    convert_dl = convert_div
    convert_dt = convert_div
    convert_dd = convert_div
    convert_caption = convert_div

    def convert_ck_break(self, el: Any, text: str, parent_tags: Any) -> str:
        return "\n\n"

    def convert_blockquote(self, el: Any, text: str, parent_tags: Any) -> str:
        text = _strip_block(text)
        if "_inline" in parent_tags:
            return " " + text + " "
        if not text:
            return ""
        lines = ["> " + line if line else ">" for line in text.split("\n")]
        return "\n\n" + "\n".join(lines) + "\n\n"

    def convert_hN(self, n: int, el: Any, text: str, parent_tags: Any) -> str:
        if "_inline" in parent_tags:
            return " " + _strip_block(text) + " "
        text = _NEWLINES.sub(" ", text.replace(BREAK, " ").replace(LINE_START, "")).strip()
        if not text:
            return "\n\n"
        # A closing run of '#' would be eaten as the heading's closing sequence.
        text = _TRAILING_HASHES.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
        return f"\n\n{'#' * max(1, min(6, n))} {text}\n\n"

    def convert_hr(self, el: Any, text: str, parent_tags: Any) -> str:
        return "\n\n---\n\n"

    def convert_pre(self, el: Any, text: str, parent_tags: Any) -> str:
        text = _clean(text)
        # A browser drops a newline right after <pre> (lxml keeps it); nor does it show a final one.
        first = el.contents[0] if el.contents else None
        if isinstance(first, NavigableString) and first.startswith("\n") and text[:1] == "\n":
            text = text[1:]
        text = text[:-1] if text.endswith("\n") else text
        if "pre" in parent_tags:  # the outer <pre>'s fence holds this text as it is
            return text
        if not text.strip() and ("_noformat" in parent_tags or "_inline" in parent_tags):
            return text
        if "_noformat" in parent_tags:  # inside <code>, whose one span holds this text
            return f" {_WS.sub(' ', text)} "
        if "_inline" in parent_tags:
            return self.convert_code(el, _WS.sub(" ", text), set())
        longest = max((len(m) for m in _BACKTICKS.findall(text)), default=0)
        fence = "`" * max(3, longest + 1)
        if not text:  # an empty code block is still a block
            return f"\n\n{fence}{_language(el)}\n{fence}\n\n"
        if "\n\n" in text or text.startswith("\n") or text.endswith("\n"):
            # Blank lines are code: held by a placeholder so that no pass collapses them.
            text = "\n".join(line or BLANK_LINE for line in text.split("\n"))
        return f"\n\n{fence}{_language(el)}\n{text}\n{fence}\n\n" + _code_links(el)

    def convert_list(self, el: Any, text: str, parent_tags: Any) -> str:
        text = text.strip("\n")
        if not text:
            return ""
        if "li" in parent_tags and _can_interrupt(el):
            # A blank line after it keeps the item's next text out of the last nested item.
            return "\n" + text + "\n\n"
        return "\n\n" + text + "\n\n"

    convert_ul = convert_list
    convert_ol = convert_list
    convert_menu = convert_list
    convert_dir = convert_list

    def convert_li(self, el: Any, text: str, parent_tags: Any) -> str:
        text = _strip_block(text)
        parent = el.parent
        alt = parent is not None and id(parent) in self._alt_list
        if parent is not None and parent.name == "ol":
            start = parent.get("start")
            first = int(start) if isinstance(start, str) and start.strip().isdigit() else 1
            number = min(first + self._li_number.get(id(el), 0), 999_999_999)
            bullet = f"{number}{')' if alt else '.'} "
        else:
            bullet = "* " if alt else "- "
        if not text:
            return bullet.rstrip() + "\n"
        if text == "---" or text.startswith("---\n"):
            # "- ---" is itself a rule, not an item holding one: a rule of another character.
            text = ("- - -" if bullet[0] == "*" else "* * *") + text[3:]
        pad = " " * len(bullet)
        lines = text.split("\n")
        body = "\n".join([lines[0]] + [pad + line if line else "" for line in lines[1:]])
        return f"{bullet}{body}\n"

    # ---- tables -----------------------------------------------------------------------------
    def convert_td(self, el: Any, text: str, parent_tags: Any) -> str:
        cell = _NEWLINES.sub(" ", text.replace(BREAK, " ")).strip()
        cell = cell.replace("|", "\\|")
        span = el.get("colspan")
        colspan = int(span) if isinstance(span, str) and span.strip().isdigit() else 1
        self._cells[id(el)] = (cell, el.name == "th", max(1, min(colspan, 100)))
        return ""

    convert_th = convert_td

    def convert_tr(self, el: Any, text: str, parent_tags: Any) -> str:
        return ""

    def convert_table(self, el: Any, text: str, parent_tags: Any) -> str:
        rows: list[tuple[list[str], bool]] = []
        for tr in _own_parts(el):
            if tr.name != "tr":
                continue
            cells: list[str] = []
            header = tr.parent is not None and tr.parent.name == "thead"
            all_th = True
            for cell in tr.contents:
                if type(cell) is not Tag or cell.name not in ("td", "th"):
                    continue
                value, is_th, colspan = self._cells.pop(id(cell), ("", False, 1))
                all_th = all_th and is_th
                cells.extend([value] + [""] * (colspan - 1))
            if cells:
                rows.append((cells, header or all_th))
        if self._cells:
            # Cells outside any row of this table (<table><td>, or a wrapper inside <tr>): kept,
            # one row per parent.
            loose: dict[int, list[str]] = {}
            for cell in _own_parts(el):
                if id(cell) in self._cells:
                    value, _, colspan = self._cells.pop(id(cell))
                    loose.setdefault(id(cell.parent), []).extend([value] + [""] * (colspan - 1))
            rows.extend((cells, False) for cells in loose.values())
        caption = _strip_block(text)
        if not rows:
            return f"\n\n{caption}\n\n" if caption else ""
        if "_inline" in parent_tags:
            flat = " ".join(c for cells, _ in rows for c in cells if c)
            return f" {caption} {flat} "
        width = max(len(cells) for cells, _ in rows)
        if rows[0][1]:
            head, body = rows[0][0], rows[1:]
        else:
            head, body = [""] * width, rows
        lines = [_row(head, width), "|" + " --- |" * width]
        lines.extend(_row(cells, width) for cells, _ in body)
        table = "\n".join(lines)
        return f"\n\n{caption}\n\n{table}\n\n" if caption else f"\n\n{table}\n\n"

    convert_thead = convert_tr
    convert_tbody = convert_tr
    convert_tfoot = convert_tr


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
    longest = max((len(m) for m in _BACKTICKS.findall(text)), default=0)
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
_CODE_SPLITTERS = frozenset(["a", "img", *_SPAN_MARKERS])
_TABLE_LAYOUT_PARTS = frozenset({"tbody", "thead", "tfoot", "tr", "td", "th", "caption"})


def _code_segments(code: Tag, parent_tags: set[str]) -> str:
    """``<code>see <a>x</a> or <em>y</em></code>``: a code span can hold neither a link, an
    image nor emphasis, so it is cut around them; a link or emphasis holds code of its own."""
    out: list[str] = []
    buf: list[str] = []
    inside = set(parent_tags)

    def flush() -> None:
        if buf:
            out.append(_code_span(_WS.sub(" ", _clean("".join(buf)))))
            buf.clear()

    stack: list[Any] = list(reversed(code.contents))
    while stack:
        node = stack.pop()
        if isinstance(node, tuple):  # the end of an emphasis span: (closer, tag name)
            flush()
            out.append(node[0])
            inside.discard(node[1])
        elif isinstance(node, Tag):
            name = node.name
            href = safe_url(str(node.get("href") or "") or None) if name == "a" else None
            if name == "img" and node.get("src"):
                flush()
                alt = escape_text(_WS.sub(" ", str(node.get("alt") or "")).strip(), in_link=True)
                out.append(f"![{_clean(alt)}]({link_destination(str(node['src']))}{_title(node)})")
            elif href is not None and "a" not in inside and node.get_text():
                flush()
                inner = _code_span(_WS.sub(" ", _clean(node.get_text())))
                out.append(f"[{inner}]({link_destination(href)}{_title(node)})")
            elif name == "br":
                buf.append(" ")
            elif name in _SPAN_MARKERS and not inside & set(_SPAN_MARKERS[name][1]):
                flush()
                opener = _SPAN_MARKERS[name][0]
                out.append(opener)
                inside.add(name)
                stack.append((cm.OPENERS[opener], name))
                stack.extend(reversed(node.contents))
            else:
                stack.extend(reversed(node.contents))
        elif isinstance(node, NavigableString) and not isinstance(node, PreformattedString):
            buf.append(str(node))
    flush()
    return "".join(out)


def _code_links(pre: Tag) -> str:
    """The links of a ``<pre>`` (API docs link every type name), which a code block cannot
    hold: listed in a line after it, in order, so that no target the page had is lost."""
    links = []
    for a in _tags_below(pre):
        if a.name != "a":
            continue
        href = safe_url(str(a.get("href") or "") or None)
        text = _WS.sub(" ", _clean(a.get_text())).strip()
        if href is not None and text:
            links.append(f"[{_code_span(text)}]({link_destination(href)}{_title(a)})")
    return "\n\n" + " ".join(links) + "\n\n" if links else ""


def _can_interrupt(lst: Tag) -> bool:
    """Can this list start right under a line of text? CommonMark says no for an ordered list
    not starting at 1 and for an empty first item (``-`` would underline a heading)."""
    first = lst.find("li", recursive=False)
    if first is None or (not first.get_text(strip=True) and first.find("img") is None):
        return False
    start = lst.get("start")
    return lst.name != "ol" or not isinstance(start, str) or start.strip() in ("", "1")


_CODE_LIKE = ("code", "kbd", "samp", "tt")


def _merge_adjacent_code(elements: list[Tag]) -> None:
    """``<code>a</code><code>b</code>`` is one code span: written as two, the closing and the
    opening backticks would touch and fuse into one longer (different) delimiter."""
    merged: set[int] = set()
    for el in elements:
        if id(el) in merged or el.parent is None:
            continue
        nxt = el.next_sibling
        while isinstance(nxt, Tag) and nxt.name in _CODE_LIKE:
            for child in list(nxt.contents):
                el.append(child.extract())
            merged.add(id(nxt))
            nxt.decompose()
            nxt = el.next_sibling


_MATH_TOKEN_EDGE = re.compile(r"\w")


def _math_as_text(math: Tag) -> None:
    """``<math>`` as a reader can read it: ``$TeX$`` from the page's own TeX annotation, else the
    formula's text (its tokens joined as rendered; a space only between two words)."""
    tex = None
    for ann in math.find_all("annotation"):
        if (
            str(ann.get("encoding") or "").strip().lower() in TEX_ENCODINGS
            and ann.get_text().strip()
        ):
            tex = _WS.sub(" ", ann.get_text()).strip()
            break
    block = str(math.get("display") or "").lower() == "block"
    if tex is not None:
        text = f"$${tex}$$" if block else f"${tex}$"
    else:
        parts: list[str] = []
        stack: list[Any] = list(reversed(math.contents))
        while stack:
            node = stack.pop()
            if isinstance(node, Tag):
                if node.name not in INVISIBLE:
                    stack.extend(reversed(node.contents))
            elif type(node) is NavigableString and node.strip():
                piece = _WS.sub(" ", node).strip()
                if (
                    parts
                    and _MATH_TOKEN_EDGE.match(piece[0])
                    and _MATH_TOKEN_EDGE.match(parts[-1][-1])
                ):
                    parts.append(" ")
                parts.append(piece)
        text = "".join(parts)
    if block:
        wrap = Tag(name="div")
        wrap.append(NavigableString(text))
        math.replace_with(wrap)
    elif text:
        math.replace_with(NavigableString(text))
    else:
        math.decompose()


def _row(cells: list[str], width: int) -> str:
    cells = cells + [""] * (width - len(cells))
    return "| " + " | ".join(cells) + " |"


def _marker(name: str) -> Tag:
    return Tag(name=name)


def _clone(el: Tag) -> Tag:
    return Tag(name=el.name, attrs=dict(el.attrs))


def _is_block(node: Any) -> bool:
    return isinstance(node, Tag) and (node.name in BLOCK or node.name == "ck-break")


def _previous_block(el: Tag) -> Tag | None:
    node = el.previous_sibling
    while node is not None:
        if isinstance(node, Tag):
            return node
        if isinstance(node, NavigableString) and not isinstance(node, Comment) and node.strip():
            return None
        node = node.previous_sibling
    return None


def _tags_below(el: Tag, stop: str | None = None) -> Iterable[Tag]:
    """The elements under ``el`` in document order, not entering ``stop`` elements (which are
    given). A plain walk: bs4's find_all builds a matcher per call, most of a page's time."""
    stack = list(reversed(el.contents))
    while stack:
        node = stack.pop()
        if type(node) is Tag:
            yield node
            if node.name != stop and node.contents:
                stack.extend(reversed(node.contents))


def _has_tag(el: Tag, names: frozenset[str]) -> bool:
    return any(t.name in names for t in _tags_below(el))


def _own_parts(table: Tag) -> Iterable[Tag]:
    """The elements of ``table`` that are not inside a table nested in it."""
    return _tags_below(table, stop="table")


def _is_layout_table(table: Tag) -> bool:
    """A table that lays out a page rather than holding data (html.is_layout_table)."""
    cells = 0
    layout = block = False
    for part in _own_parts(table):
        name = part.name
        if name in ("td", "th"):
            cells += 1
            for t in _tags_below(part):
                if t.name in LAYOUT_CONTENT:
                    layout = True
                    break
                block = block or t.name in BLOCK
            if layout:
                return True
    return is_layout_table(cells, layout, block)


def _caption_as_alt(caption: Tag, img: Tag | None = None) -> None:
    """A caption names the image above it: use it as alt text when the image has none."""
    if img is None:
        prev = _previous_block(caption)
        if prev is None or prev.name not in ("p", "div", "figure"):
            return
        img = prev if prev.name == "img" else prev.find("img")
    if img is not None and not str(img.get("alt") or "").strip():
        img["alt"] = caption.get_text(" ", strip=True).lstrip("▲△▼ ")


def _title(el: Any) -> str:
    title = el.get("title")
    if not isinstance(title, str) or not title.strip():
        return ""
    title = _WS.sub(" ", _clean(title)).strip()
    return ' "' + title.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _language(pre: Any) -> str:
    for node in (pre, pre.find("code")):
        if node is None:
            continue
        for cls in str(node.get("class") or "").split():
            for prefix in ("language-", "lang-"):
                if cls.startswith(prefix) and re.fullmatch(r"[\w+#.-]+", cls[len(prefix) :]):
                    return cls[len(prefix) :]
    return ""


def _chomp(text: str) -> tuple[str, str, str]:
    """Whitespace and line breaks at a span's edges go outside it (or it cannot flank)."""
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


def escape_text(
    text: str, *, in_link: bool = False, before_link: bool = False, at_end: bool = False
) -> str:
    """Backslash-escape what a CommonMark reader would read as syntax, and nothing else.

    Text nodes are escaped on their own, so a character at an edge is judged as if the unseen
    neighbour were the worst case.
    """
    if not _INLINE_ESC.search(text):
        return text
    out: list[str] = []
    last = 0
    n = len(text)
    for m in _INLINE_ESC.finditer(text):
        i = m.start()
        ch = text[i]
        before = text[i - 1] if i else None
        after = text[i + 1] if i + 1 < n else None
        esc = False
        if ch == "`":
            esc = True
        elif ch == "[":
            # "[1] and [note]" stay as written: only a bracket that could start a link or a
            # link definition (its "]" followed by "(", "[" or ":", or out of sight) is escaped.
            close = text.find("]", i + 1)
            follow = text[close + 1 : close + 2] if close >= 0 else None
            esc = in_link or close < 0 or follow in ("(", "[", ":") or (follow == "" and not at_end)
        elif ch == "]":
            esc = in_link
        elif ch == "\\":
            # before a space too: the space may move out of an enclosing span (chomp)
            esc = after is None or after in _ASCII_PUNCT or _is_ws(after)
        elif ch == "<":
            esc = after is None or after.isalpha() or after in "/!?"
        elif ch == "&":
            esc = bool(_ENTITY_LIKE.match(text, i))
        elif ch == "!":
            esc = after is None and before_link
        elif ch == "~":
            # "10~20" stays; a tilde at an edge or by a space may meet a "~~" strikethrough.
            esc = before is None or after is None or before in "~ \u00a0" or after in "~ \u00a0"
        else:  # * and _
            b = "a" if before is None else before
            a = "a" if after is None else after
            if before is None and ch == "_":
                b = "."
            esc = cm.can_open(ch, b, a) or cm.can_close(ch, b, a)
            if before is None or after is None:
                esc = esc or not _is_ws(a if before is None else b)
        if esc:
            out.append(text[last:i])
            out.append("\\" + ch)
            last = i + 1
    out.append(text[last:])
    return "".join(out)


def _resolve_line_starts(text: str) -> str:
    if LINE_START not in text:
        return text
    out: list[str] = []
    last = 0
    pos = text.find(LINE_START)
    while pos >= 0:
        out.append(text[last:pos])
        last = pos + 1
        line_start = text.rfind("\n", 0, pos) + 1
        prefix = text[line_start:pos]
        for ch in (LINE_START, *_EMPH):
            prefix = prefix.replace(ch, "")
        if _CONTAINER_PREFIX.fullmatch(prefix):
            line_end = text.find("\n", last)
            line = text[last : line_end if line_end >= 0 else len(text)]
            m = _BLOCK_START.match(line)
            if m is not None:
                if m.group("num") is not None:
                    out.append(m.group("num") + "\\" + m.group("delim"))
                    last += m.end("delim")
                else:
                    out.append("\\")
        pos = text.find(LINE_START, last)
    out.append(text[last:])
    return "".join(out)


def _resolve_breaks(text: str) -> str:
    """A <br> is a backslash hard break, except where the paragraph ends anyway (a blank line,
    the end, or a next line that starts a block of its own), where it would show a backslash."""
    out: list[str] = []
    last = 0
    for m in re.finditer(BREAK, text):
        out.append(text[last : m.start()])
        last = m.end()
        line_start = text.rfind("\n", 0, m.start()) + 1
        here = _PREFIX.match(text, line_start)
        nxt = _PREFIX.match(text, m.end() + 1) if text.startswith("\n", m.end()) else None
        if nxt is None:
            continue
        rest = text[nxt.end() : nxt.end() + 12]
        ends = (
            not rest
            or rest[0] == "\n"
            or nxt.group(0).count(">") != (here.group(0).count(">") if here else 0)
            or _NEW_BLOCK.match(rest) is not None
        )
        if not ends:
            out.append("\\")
    out.append(text[last:])
    return "".join(out)


_PREFIX = re.compile(r"[ \t>]*")
_NEW_BLOCK = re.compile(r"[-*+](?:[ \t]|$)|\d{1,9}[.)](?:[ \t]|$)|#{1,6}(?:[ \t]|$)|```|~~~|\|")


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
    text = cm.resolve_emphasis(text)
    text = text.strip(" \n")  # (a line of spaces at either end is a blank line)
    if "\n\n\n" in text:  # (a substring search is much faster than the regex on CJK text)
        text = _BLANK_LINES.sub("\n\n", text)
    if BLANK_LINE in text:
        text = _INDENTED_BLANK.sub("", text)
    return text + "\n" if text else ""


# A code line that was empty, after a container's indentation (kept: "> " is needed in a quote)
_INDENTED_BLANK = re.compile("(?m)^ +\ufddc|\ufddc")


def _dismantle(soup: Any) -> None:
    """Drop every link of a tree nobody else holds, so that it is freed at once.

    A tree is a web of reference cycles (parent, sibling and document-order links): left to
    itself it waits for the cycle collector, which first walks it over and again while it is
    alive and then holds its memory until a full collection. Clearing each node's attributes
    frees it by reference counting as soon as the conversion ends.
    """
    stack = [soup]
    while stack:
        attrs = stack.pop().__dict__
        contents = attrs.get("contents")
        if contents:
            stack.extend(contents)
        attrs.clear()


_local = threading.local()


def converter() -> ArticleConverter:
    """This thread's converter (its ``dropped`` and ``visible_chars`` are of its last page)."""
    # Making a converter costs markdownify's option merging (a dir() of two classes) and an
    # empty conversion-function cache: one converter per thread does it once.
    conv = getattr(_local, "converter", None)
    if conv is None:
        conv = _local.converter = ArticleConverter()
    return conv


def html_to_markdown(html: str) -> str:
    """Convert an HTML fragment or page to Markdown."""
    return converter().convert(html)


# Start tags, comments, and the raw text of elements whose content is not markup.
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
