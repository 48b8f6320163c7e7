"""A position-keeping scan of HTML tags.

lxml builds a tree but only knows source *lines*, and it repairs bad markup (nested
anchors vanish) before a rule could see it. Rules that point at ``<a`` or fix a tag
byte for byte need the tags as written, with offsets into the raw text: this module
yields them once per document, skipping comments and the insides of raw-text elements.
"""

from __future__ import annotations

import html
import re
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

_TOKEN = re.compile(
    r"""
    (?P<comment><!--.*?(?:-->|\Z))
  | (?P<decl><![^>]*>|<\?[^>]*>)
  | (?P<end></(?P<end_name>[A-Za-z][A-Za-z0-9:_-]*)\s*>)
  | (?P<start><(?P<name>[A-Za-z][A-Za-z0-9:_-]*)
        (?P<attrs>(?:\s+[^\s/>"'=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?|\s*/(?!>))*)
        \s*(?P<selfclose>/?)>)
    """,
    re.S | re.X,
)
_ATTR = re.compile(r"""([^\s/>"'=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""", re.S)


@dataclass
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
    attrs: dict[str, str] = {}
    names: list[str] = []
    for m in _ATTR.finditer(source):
        name = m.group(1).lower()
        raw = m.group(2) if m.group(2) is not None else m.group(3)
        if raw is None:
            raw = m.group(4) if m.group(4) is not None else ""
        names.append(name)
        attrs.setdefault(name, html.unescape(raw))
    return attrs, names


def scan(text: str, start: int = 0, end: int | None = None) -> tuple[list[Tag], list[Comment]]:
    """Tags and comments of ``text[start:end]`` in source order, offsets into ``text``."""
    if end is None:
        end = len(text)
    tags: list[Tag] = []
    comments: list[Comment] = []
    pos = start
    while True:
        lt = text.find("<", pos, end)
        if lt < 0:
            break
        m = _TOKEN.match(text, lt, end)
        if m is None:
            pos = lt + 1
            continue
        if m.group("comment") is not None:
            body = m.group("comment")
            comments.append(Comment(lt, m.end(), body[4:-3] if body.endswith("-->") else body[4:]))
        elif m.group("end") is not None:
            tags.append(Tag(m.group("end_name").lower(), lt, m.end(), is_end=True))
        elif m.group("start") is not None:
            name = m.group("name").lower()
            attrs, names = parse_attrs(m.group("attrs") or "")
            tags.append(
                Tag(
                    name,
                    lt,
                    m.end(),
                    self_closing=bool(m.group("selfclose")),
                    attrs=attrs,
                    attr_names=names,
                )
            )
            if name in RAW_TEXT_ELEMENTS:
                close = re.compile(rf"</{name}\s*>", re.I).search(text, m.end(), end)
                if close is None:
                    pos = end
                    break
                tags.append(Tag(name, close.start(), close.end(), is_end=True))
                pos = close.end()
                continue
        pos = m.end()
    return tags, comments
