"""A position-keeping scan of HTML tags.

lxml builds a tree but only knows source *lines*, and it repairs bad markup (nested
anchors vanish) before a rule could see it. Rules that point at ``<a`` or fix a tag
byte for byte need the tags as written, with offsets into the raw text: this module
yields them once per document, skipping comments and the insides of raw-text elements.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

# Elements whose content is raw text: a ``<a`` inside a script is not a tag.
RAW_TEXT_ELEMENTS = frozenset({"script", "style", "textarea", "title", "xmp", "plaintext"})
VOID_ELEMENTS = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    }
)

# The elements of the HTML standard (html.spec.whatwg.org/multipage/indices.html#elements-3),
# with the obsolete ones browsers still draw, and SVG's and MathML's roots: a lower-case name
# outside them, with no hyphen (a custom element has one), is text that reads as a tag
# (``hs_err_pid<pid>.log``).
HTML_ELEMENTS = frozenset(
    """a abbr address area article aside audio b base bdi bdo blockquote body br button canvas
    caption cite code col colgroup data datalist dd del details dfn dialog div dl dt em embed
    fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 head header hgroup hr html i iframe
    img input ins kbd label legend li link main map mark menu meta meter nav noscript object ol
    optgroup option output p param picture pre progress q rp rt ruby s samp script search
    section select slot small source span strong style sub summary sup table tbody td template
    textarea tfoot th thead time title tr track u ul var video wbr
    acronym applet basefont bgsound big blink center dir font frame frameset image isindex
    keygen listing marquee menuitem multicol nextid nobr noembed noframes plaintext rb rtc
    spacer strike tt xmp svg math""".split()
)

# One pattern for every token that starts with '<', searched for once per token: the
# branches are tried in this order (a comment before a declaration, as ``<!--`` is both).
# The attributes are matched possessively (``*+``): a greedy loop kept a backtracking frame
# per attribute, 1.2 KB each (1.8 GB for one tag of 1.5 million), and no shorter run of
# attributes could ever be followed by the tag's ``>`` where the longest one was not.
# ``m.lastgroup`` names the branch: "comment", "decl", "end_name", or "selfclose" (a start tag).
_TOKEN = re.compile(
    r"""
    <(?:
      (?P<comment>!--.*?(?:-->|\Z))
    | (?P<decl>![^>]*>|\?[^>]*>)
    | /(?P<end_name>[A-Za-z][A-Za-z0-9:_-]*)\s*>
    | (?P<name>[A-Za-z][A-Za-z0-9:_-]*)
        (?P<attrs>(?:\s+[^\s/>"'=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?|\s*/(?!>))*+)
        \s*(?P<selfclose>/?)>
    )
    """,
    re.S | re.X,
)
# Group numbers of _TOKEN: ``m.lastindex`` is the last group to close, which names the branch.
_COMMENT, _END, _NAME, _ATTRS, _START = (
    _TOKEN.groupindex[g] for g in ("comment", "end_name", "name", "attrs", "selfclose")
)
_ATTR = re.compile(r"""([^\s/>"'=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""", re.S)
# Closing tags of the raw-text elements, compiled once each.
_RAW_TEXT_CLOSE = {name: re.compile(rf"</{name}\s*>", re.I) for name in RAW_TEXT_ELEMENTS}
# Parsed attributes by their source text: posts of one feed repeat the same attribute strings
# (class="image-wrapper", the same project link) thousands of times. Bounded; cleared when full.
_ATTR_MEMO: dict[str, tuple[dict[str, str], list[str]]] = {}
_ATTR_MEMO_LIMIT = 20_000


# Shared by every tag written without attributes (most end tags): a post can hold millions of
# tags, and an empty dict and list each cost more than the tag. Never changed in place.
_NONE: dict[str, str] = {}
_NO_NAMES: list[str] = []


@dataclass(slots=True)
class Tag:
    """One start or end tag as written. ``start``/``end`` are offsets into the raw text."""

    name: str
    start: int
    end: int
    is_end: bool = False
    self_closing: bool = False
    attrs: dict[str, str] = field(default_factory=dict)
    # Attribute names in source order, duplicates included (attrs keeps the first, as browsers do).
    attr_names: list[str] = field(default_factory=list)


@dataclass
class Comment:
    start: int
    end: int
    text: str


def parse_attrs(source: str) -> tuple[dict[str, str], list[str]]:
    """Attributes (first of each name wins, as in browsers; values decoded) and all names."""
    if not source:
        return {}, []
    known = _ATTR_MEMO.get(source)
    if known is None:
        attrs: dict[str, str] = {}
        names: list[str] = []
        # findall builds every match first: a tuple of four strings per attribute, 200 bytes
        # each, too many for one tag of a million; past a few thousand, one at a time.
        found = _ATTR.findall(source) if len(source) < 8192 else _each_attr(source)
        for name, double, single, bare in found:
            name = name.lower()
            names.append(name)
            if name not in attrs:
                # An unmatched value group is '' in findall, as is an empty value.
                raw = double or single or bare
                attrs[name] = html.unescape(raw) if "&" in raw else raw
        if len(_ATTR_MEMO) >= _ATTR_MEMO_LIMIT:
            _ATTR_MEMO.clear()
        known = _ATTR_MEMO[source] = (attrs, names)
    # Copies: a rule may change a tag's attributes without touching another post's tags.
    return dict(known[0]), list(known[1])


def _each_attr(source: str) -> Iterator[tuple[str, str, str, str]]:
    for m in _ATTR.finditer(source):
        name, double, single, bare = m.groups("")  # (findall's '' for an unmatched group)
        yield name, double, single, bare


def attrs_as_written(text: str, read: str, tag: Tag) -> tuple[dict[str, str], list[str]]:
    """The attributes of ``tag``, found in ``read`` (``text`` with its template expressions
    blanked out) but with their values as ``text`` has them at the same offsets."""
    attrs: dict[str, str] = {}
    names: list[str] = []
    start = tag.start + 1 + len(tag.name)
    for m in _ATTR.finditer(read, start, tag.end - 1):
        name = m.group(1).lower()
        names.append(name)
        if name not in attrs:
            group = next((g for g in (2, 3, 4) if m.start(g) >= 0), None)
            raw = text[m.start(group) : m.end(group)] if group is not None else ""
            attrs[name] = html.unescape(raw) if "&" in raw else raw
    return attrs, names


def scan(text: str, start: int = 0, end: int | None = None) -> tuple[list[Tag], list[Comment]]:
    """Tags and comments of ``text[start:end]`` in source order, offsets into ``text``."""
    if end is None:
        end = len(text)
    tags: list[Tag] = []
    comments: list[Comment] = []
    append = tags.append
    pos = start
    while pos < end:
        # One pass of finditer up to the next raw-text element, whose content is skipped.
        for m in _TOKEN.finditer(text, pos, end):
            kind = m.lastindex
            if kind == _START:
                lt, pos = m.span()
                name = m[_NAME].lower()
                attr_source = m[_ATTRS]
                if attr_source:
                    attrs, names = parse_attrs(attr_source)
                    append(Tag(name, lt, pos, False, bool(m[_START]), attrs, names))
                else:
                    append(Tag(name, lt, pos, False, bool(m[_START]), _NONE, _NO_NAMES))
                if name in RAW_TEXT_ELEMENTS:
                    close = _RAW_TEXT_CLOSE[name].search(text, pos, end)
                    if close is None:
                        return tags, comments
                    append(Tag(name, close.start(), close.end(), True, False, _NONE, _NO_NAMES))
                    pos = close.end()
                    break
            elif kind == _END:
                lt, pos = m.span()
                append(Tag(m[_END].lower(), lt, pos, True, False, _NONE, _NO_NAMES))
            elif kind == _COMMENT:
                body = m[_COMMENT]
                text_of = body[3:-3] if body.endswith("-->") else body[3:]
                comments.append(Comment(m.start(), m.end(), text_of))
        else:
            break
    return tags, comments
