"""Finding a post's links and its plain text (the visible text, tags and link syntax removed)."""

from __future__ import annotations

import bisect
import html as html_mod
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from contentkit.document import Document
from contentkit.html_scan import VOID_ELEMENTS, Tag

# Tags after which text is a new block: a word never runs across them.
_BLOCK_TAGS = frozenset(
    "address article aside blockquote br dd details div dl dt figcaption figure footer form "
    "h1 h2 h3 h4 h5 h6 header hr iframe img li main nav ol p pre section summary table tbody "
    "td tfoot th thead tr ul video audio picture source".split()
)
# Inner content that makes a link visible although it has no text.
_MEDIA_TAGS = frozenset({"img", "svg", "picture", "video", "audio", "iframe", "object", "embed"})


def _draws(tag: Tag) -> bool:
    """Does this start tag inside a link show something to click besides text: an image or
    other media, or an element with a class, which a style sheet draws (an icon font's
    ``<i class="fab fa-github">``, a caret)?"""
    return tag.name in _MEDIA_TAGS or bool(tag.attrs.get("class", "").strip())


# Project pages of auto-linkers: 36kr's own, and the 36dianping spaces it also links to.
_PROJECT_HREF = re.compile(
    r"^(?:https?:)?//(?:www\.)?(?:36kr\.com/(?:projectDetails|project)/\d+"
    r"|36dianping\.com/space/\d+)",
    re.I,
)
_MD_LINK = re.compile(
    r"""(?<![!\\])\[(?P<text>(?:[^\[\]\\\n]|\\.)*)\]\(\s*
        (?P<href><[^<>\n]*>|(?:[^\s()\\]|\\.|\([^\s()]*\))*)
        (?:\s+(?P<title>"[^"\n]*"|'[^'\n]*'|\([^)\n]*\)))?\s*\)""",
    re.X,
)


@dataclass
class _Link:
    start: int
    open_end: int
    close_start: int
    end: int
    href: str | None
    attrs: dict[str, str]
    kind: Literal["html", "markdown"]
    closed: bool = True
    nested: bool = False
    has_media: bool = False
    duplicate_href: bool = False
    # Block elements opened inside the link and not yet closed, by name.
    blocks_inside: dict[str, int] = field(default_factory=dict)
    text: str = ""
    plain_start: int = 0  # offsets of the link text in the post's plain text
    plain_end: int = 0
    is_project: bool = False
    # Its context in the plain text (see _window), and whether its text has a CJK
    # ideograph, once the judge has asked.
    context: tuple[str, str] | None = None
    han: bool | None = None


def _code_ranges(doc: Document) -> list[tuple[int, int]]:
    """Code and template expressions (the document's one CommonMark parse): links there are
    code, or the generator's, not the author's."""
    return doc.opaque


def _inside(ranges: list[tuple[int, int]], offset: int) -> bool:
    """Whether offset falls in one of the sorted, non-overlapping ranges."""
    i = bisect.bisect_right(ranges, (offset, math.inf)) - 1
    return i >= 0 and ranges[i][0] <= offset < ranges[i][1]


def _find_links(doc: Document) -> tuple[list[_Link], list[tuple[int, int, bool]]]:
    """Links in source order, plus the markup spans that are not visible text.

    Each markup span is (start, end, is_block): the plain text drops it, and a block
    boundary becomes a newline so that no word runs across it.
    """
    code = _code_ranges(doc)
    links: list[_Link] = []
    markup: list[tuple[int, int, bool]] = []
    stack: list[_Link] = []
    body_end = len(doc.text)
    add_markup = markup.append
    for tag in doc.html_tags:
        if code and _inside(code, tag.start):
            continue
        name = tag.name
        add_markup((tag.start, tag.end, name in _BLOCK_TAGS))
        if name != "a":
            if not stack:
                continue  # outside any link, a tag is only markup
            if not tag.is_end and _draws(tag):
                stack[-1].has_media = True
            if name in _BLOCK_TAGS and name not in VOID_ELEMENTS:
                inner = stack[-1].blocks_inside
                if not tag.is_end:
                    inner[tag.name] = inner.get(tag.name, 0) + 1  # a block inside the link
                elif inner.get(tag.name, 0) > 0:
                    inner[tag.name] -= 1
                else:
                    # The block the anchor sits in ends before any '</a>': the anchor
                    # was never closed (browsers close it here).
                    for open_link in stack:
                        open_link.closed = False
                        open_link.close_start = open_link.end = tag.start
                    stack.clear()
            continue
        if tag.is_end:
            if stack:
                link = stack.pop()
                link.close_start, link.end = tag.start, tag.end
            continue
        if tag.self_closing:
            continue
        if "href" not in tag.attrs and ("name" in tag.attrs or "id" in tag.attrs):
            continue  # a link target, not a link
        link = _Link(
            tag.start,
            tag.end,
            body_end,
            body_end,
            tag.attrs.get("href"),
            tag.attrs,
            "html",
            duplicate_href=tag.attr_names.count("href") > 1,
        )
        if stack:
            link.nested = True
            stack[-1].nested = True
        stack.append(link)
        links.append(link)
    for link in stack:  # never closed before the end of the post
        link.closed = False
    if doc.body_kind == "markdown" and not doc.markdown.skipped:
        tag_spans = [(a, b) for a, b, _ in markup]  # in source order, never overlapping
        html_blocks = doc.markdown.html_blocks  # raw HTML: no Markdown link in there
        for m in _MD_LINK.finditer(doc.text, doc.body_start):
            if code and _inside(code, m.start()):
                continue
            if _inside(tag_spans, m.start()) or (html_blocks and _inside(html_blocks, m.start())):
                continue  # inside a tag's attribute value, or in an HTML block
            href = m.group("href")
            if href.startswith("<") and href.endswith(">"):
                href = href[1:-1]
            close = m.start("text") + len(m.group("text"))
            link = _Link(m.start(), m.start() + 1, close, m.end(), href, {}, "markdown")
            if ":include" in (m.group("title") or ""):
                # docsify's embed (`[](page.md ':include')`): the file is shown in its place,
                # the link text is only a fallback (docsify.js.org/#/embed-files).
                link.has_media = True
            elif "<" in m.group("text"):  # inline HTML in its text: `[<i class="fa-x"></i>](…)`
                link.has_media = any(
                    link.open_end <= t.start < close and not t.is_end and _draws(t)
                    for t in doc.html_tags
                )
            links.append(link)
            markup.append((m.start(), m.start() + 1, False))
            markup.append((close, m.end(), False))
        links.sort(key=lambda k: k.start)
        markup.sort()
    return links, markup


def _links_and_plain_text(doc: Document) -> tuple[list[_Link], str]:
    """The links (as :func:`_find_links` finds them) and the plain text (as
    :func:`_plain_text` makes it, link texts and plain offsets filled in).

    An HTML body, whose only markup is its tags, takes one pass over the tags: a link's
    text starts at the plain text's length at its opening tag and ends at its length at the
    tag that closes it.
    """
    if doc.body_kind == "markdown" and not doc.markdown.html_only:
        found, markup = _find_links(doc)
        return found, _plain_text(doc, found, markup)
    text = doc.text
    out: list[str] = []
    add = out.append
    length = 0
    pos = doc.body_start
    links: list[_Link] = []
    stack: list[_Link] = []
    body_end = len(text)
    unescape = html_mod.unescape
    entities = text.find("&", pos) >= 0  # most posts have none: no chunk need be searched
    for tag in doc.html_tags:
        start = tag.start
        # The visible text before the tag (tags come in source order, never overlapping).
        if start > pos:
            chunk = text[pos:start]
            if entities and "&" in chunk:
                chunk = unescape(chunk)
            add(chunk)
            length += len(chunk)
        elif start < pos:  # pragma: no cover - the scanner's tags never overlap
            found, markup = _find_links(doc)
            return found, _plain_text(doc, found, markup)
        pos = tag.end
        name = tag.name
        if name != "a":
            if stack:
                if not tag.is_end and _draws(tag):
                    stack[-1].has_media = True
                if name in _BLOCK_TAGS and name not in VOID_ELEMENTS:
                    inner = stack[-1].blocks_inside
                    if not tag.is_end:
                        inner[name] = inner.get(name, 0) + 1  # a block inside the link
                    elif inner.get(name, 0) > 0:
                        inner[name] -= 1
                    else:
                        # The block the anchor sits in ends before any '</a>': the anchor
                        # was never closed (browsers close it here).
                        for open_link in stack:
                            open_link.closed = False
                            open_link.close_start = open_link.end = start
                            open_link.plain_end = length
                        stack.clear()
            if name in _BLOCK_TAGS:
                add("\n")  # a block boundary: no word runs across it
                length += 1
            continue
        if tag.is_end:
            if stack:
                link = stack.pop()
                link.close_start, link.end = start, pos
                link.plain_end = length
            continue
        if tag.self_closing:
            continue
        attrs = tag.attrs
        if "href" not in attrs and ("name" in attrs or "id" in attrs):
            continue  # a link target, not a link
        link = _Link(
            start,
            pos,
            body_end,
            body_end,
            attrs.get("href"),
            attrs,
            "html",
            duplicate_href=tag.attr_names.count("href") > 1,
            plain_start=length,
        )
        if stack:
            link.nested = True
            stack[-1].nested = True
        stack.append(link)
        links.append(link)
    chunk = text[pos:]
    if chunk:
        if "&" in chunk:
            chunk = unescape(chunk)
        add(chunk)
        length += len(chunk)
    for link in stack:  # never closed before the end of the post
        link.closed = False
        link.plain_end = length
    plain = "".join(out)
    for link in links:
        link.text = plain[link.plain_start : link.plain_end]
    return links, plain


def _plain_text(doc: Document, links: list[_Link], markup: list[tuple[int, int, bool]]) -> str:
    """The body's visible text (tags and link syntax removed, entities decoded).

    Fills each link's ``text`` and its ``plain_start``/``plain_end``.
    """
    text = doc.text
    out: list[str] = []
    length = 0
    pos = doc.body_start
    # Offsets where we need the plain position: each link's text start and end.
    wanted: dict[int, int] = {}
    points = sorted({lk.open_end for lk in links} | {lk.close_start for lk in links})
    points.append(len(text) + 1)  # a sentinel past every chunk: no bounds check in the loop
    pi = 0
    point = points[0]
    unescape = html_mod.unescape
    # Each chunk of text between markup spans is decoded and appended; the wanted points
    # inside a chunk (or inside the markup just before it) get their plain offsets.
    for start, end, is_block in [*markup, (len(text), len(text), False)]:
        if start < pos:
            continue
        chunk = text[pos:start]
        while point <= start:
            if point < pos:
                wanted[point] = length
            else:
                head = chunk[: point - pos]
                wanted[point] = length + len(unescape(head) if "&" in head else head)
            pi += 1
            point = points[pi]
        if chunk:
            decoded = unescape(chunk) if "&" in chunk else chunk
            out.append(decoded)
            length += len(decoded)
        if is_block:
            out.append("\n")
            length += 1
        pos = end
    plain = "".join(out)
    for lk in links:
        lk.plain_start = wanted.get(lk.open_end, 0)
        lk.plain_end = max(lk.plain_start, wanted.get(lk.close_start, lk.plain_start))
        lk.text = plain[lk.plain_start : lk.plain_end]
    return plain


def _class_list(attrs: Mapping[str, str]) -> list[str]:
    return attrs.get("class", "").split()


def _is_project_link(link: _Link) -> bool:
    if "project-link" in _class_list(link.attrs):
        return True
    if "data-name" in link.attrs and "data-id" in link.attrs:
        return True
    return bool(link.href and _PROJECT_HREF.match(link.href.strip()))
