"""The one judgement of inline links: legit, spurious (auto-linker noise) or broken.

``lint`` reports these verdicts (rules ``spurious-link`` and ``broken-link``), ``lint --fix``
applies their unwrap fixes, and ``convert`` unwraps the same anchors before converting.
Two copies of this logic would drift apart, so there is only this one.

INTERFACE CONTRACT (kept stable for the converter and the rules):

* ``judge_links(doc, options) -> list[LinkVerdict]``, in source order, for every inline link
  of the document's body (HTML anchors, and Markdown links in a Markdown body).
* Offsets are into ``doc.text``. Unwrapping a link = deleting ``[start, open_end)`` and
  ``[close_start, end)``, which keeps the link text byte for byte.

How a verdict is reached
------------------------

*Broken* is structural and checked first, for every link: empty text, a missing, empty,
malformed or ``javascript:`` href, a project-page href whose id disagrees with ``data-id``,
text that differs from ``data-name`` beyond letter case, an anchor inside an anchor.

*Spurious* is only asked of auto-linker anchors (``a.project-link`` and the like, or a
Markdown link to a project page): an author's own link is never "matched by accident".
The evidence, all of it general (no word lists of any corpus):

* a Latin-script anchor with a letter or digit glued to either side cuts a word
  (Unicode word boundaries), as does text that matches ``data-name`` only up to case;
* jieba's dictionary on a window of about a dozen characters either side: how much less
  likely the window becomes when word boundaries are forced at the anchor's edges (a big
  drop means the anchor cuts through a word), and which word it cuts;
* the anchor's own part of speech and frequency in that dictionary (得到 is a verb),
  and the parts of speech of the words just before and after it;
* the company-name context: an enumeration with 、, a stock code, words that typically
  follow a company name (公司, 集团, 创始人, App…), a sentence start, a neighbouring link;
* how the same name fares elsewhere in the post (linked again? cutting words there too?).

A logistic regression weighs these (weights in ``contentkit/data/link_model.json``,
trained by ``benchmarks/link_train.py`` with leave-one-file-out cross-validation).
"""

from __future__ import annotations

import bisect
import html as html_mod
import json
import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, Literal, NamedTuple
from urllib.parse import urlsplit

from contentkit.document import Document
from contentkit.html_scan import VOID_ELEMENTS
from contentkit.markdown import has_template

Verdict = Literal["legit", "spurious", "broken"]


@dataclass
class LinkVerdict:
    start: int  # offset of '<a' (HTML) or '[' (Markdown)
    open_end: int  # offset just past the opening tag '>' (HTML) or the '[' (Markdown)
    close_start: int  # offset of '</a>' (HTML) or of '](' (Markdown); == end if unclosed
    end: int  # offset just past '</a>' (HTML) or the ')' (Markdown)
    text: str  # the visible link text
    href: str | None
    verdict: Verdict
    reason: str  # why, in words a reader understands
    # How safe unwrapping is: "safe" (cuts through a word, broken), "unsafe" (a judgement
    # about ordinary words), None (legit: nothing to fix).
    fix: Literal["safe", "unsafe"] | None
    is_project_link: bool  # an auto-linker anchor (36kr's a.project-link and the like)


DEFAULT_OPTIONS: Mapping[str, Any] = {"allow": [], "deny": []}

# ---------------------------------------------------------------------------------------
# Finding the links
# ---------------------------------------------------------------------------------------

# Tags after which text is a new block: a word never runs across them.
_BLOCK_TAGS = frozenset(
    "address article aside blockquote br dd details div dl dt figcaption figure footer form "
    "h1 h2 h3 h4 h5 h6 header hr iframe img li main nav ol p pre section summary table tbody "
    "td tfoot th thead tr ul video audio picture source".split()
)
# Inner content that makes a link visible although it has no text.
_MEDIA_TAGS = frozenset({"img", "svg", "picture", "video", "audio", "iframe", "object", "embed"})
# Project pages of auto-linkers: 36kr's own, and the 36dianping spaces it also links to.
_PROJECT_HREF = re.compile(
    r"^(?:https?:)?//(?:www\.)?(?:36kr\.com/(?:projectDetails|project)/\d+"
    r"|36dianping\.com/space/\d+)",
    re.I,
)
_PROJECT_DETAILS_ID = re.compile(r"/projectDetails/(\d+)(?:[/?#]|$)")
_MD_LINK = re.compile(
    r"""(?<![!\\])\[(?P<text>(?:[^\[\]\\\n]|\\.)*)\]\(\s*
        (?P<href><[^<>\n]*>|(?:[^\s()\\]|\\.|\([^\s()]*\))*)
        (?:\s+(?P<title>"[^"\n]*"|'[^'\n]*'|\([^)\n]*\)))?\s*\)""",
    re.X,
)
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
# Characters no host name has (a literal character class over all of Unicode costs
# 25 ms to compile at every start-up).
_BAD_HOST_CHARS = frozenset(" \t\r\n<>\"'{}|\\^`!$&()*+,;=%/?#@")
_LATIN_AFTER = re.compile(r"(?:\s?的)?\s?[A-Za-z]{2,}")
_WORD_TAIL = re.compile(r"[^\W_]*$")
_WORD_HEAD = re.compile(r"[^\W_]*")


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
            if name in _MEDIA_TAGS and not tag.is_end:
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
                if name in _MEDIA_TAGS and not tag.is_end:
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


# ---------------------------------------------------------------------------------------
# Broken links
# ---------------------------------------------------------------------------------------


# Pure, and a feed links the same project pages over and over: remembered per process.
@lru_cache(maxsize=8192)
def _href_problem(href: str | None, kind: str) -> str | None:
    if href is None:
        return "the link has no href"
    value = href.strip()
    if not value:
        return "the link's href is empty"
    if "{" in value and has_template(value):
        return None  # a template expression: the generator writes the URL, not the author
    scheme = _SCHEME.match(value)
    if scheme and scheme.group(1).lower() in ("javascript", "vbscript", "data"):
        return f"the link's href is a {scheme.group(1).lower()}: URL, not a place to go"
    if any(c in value for c in "\n\r\t") or (kind == "html" and " " in value):
        return f"the link's href {href!r} contains whitespace"
    if value.startswith("#") or value.startswith("?"):
        return None
    try:
        parts = urlsplit(value)
        _ = parts.port  # raises on a port that is not a number
    except ValueError as exc:
        return f"the link's href {href!r} is malformed ({exc})"
    if parts.scheme.lower() in ("http", "https"):
        if not parts.netloc or parts.netloc.startswith(".") or ".." in parts.netloc:
            return f"the link's href {href!r} has no valid host"
        host = parts.hostname or ""
        if not host or any(c in _BAD_HOST_CHARS for c in host):
            return f"the link's href {href!r} has no valid host"
    elif value.startswith(("http:", "https:", "http/", "https/", "htp:", "htps:")):
        return f"the link's href {href!r} is malformed"
    return None


def _broken_reason(link: _Link) -> str | None:
    if link.nested:
        return "an anchor inside another anchor: browsers split them apart"
    if not link.closed:
        return "the anchor is never closed with '</a>'"
    if link.duplicate_href:
        return "the anchor has two href attributes"
    if not link.text.strip() and not link.has_media:
        return "the link has no text a reader could click"
    problem = _href_problem(link.href, link.kind)
    if problem:
        return problem
    attrs = link.attrs
    data_id = attrs.get("data-id", "").strip()
    href = (link.href or "").strip()
    m = _PROJECT_DETAILS_ID.search(href)
    # data-refer-type="1" links point into another site whose ids are another id space.
    if m and data_id and attrs.get("data-refer-type", "").strip() != "1" and m.group(1) != data_id:
        return f"the href points to project {m.group(1)} but data-id says {data_id}"
    name = attrs.get("data-name")
    if name is not None and not (name == link.text and not name.isspace() and name):
        # (Text equal to a data-name with a visible character passes both tests below.)
        shown = _norm_space(link.text)
        want = _norm_space(name)  # attribute values arrive decoded
        if not want:
            return "data-name is empty"
        if shown.casefold() != want.casefold():
            return f"the link text '{shown}' differs from its data-name '{want}'"
    return None


def _norm_space(s: str) -> str:
    return " ".join(s.split())


# ---------------------------------------------------------------------------------------
# Spurious links: evidence
# ---------------------------------------------------------------------------------------

WINDOW = 12  # characters of context each side, as a reader of a sentence would look
# Characters each side that the segmenter sees: enough for any word that crosses an edge
# (jieba's words are rarely longer than 4) and for its neighbours.
SEG_WINDOW = 4


def _is_han(ch: str) -> bool:
    """A CJK ideograph (tested by code point: a regex class over them is slow to compile)."""
    o = ord(ch)
    return 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF


def _has_han(text: str) -> bool:
    for ch in text:  # _is_han inline: no call per character
        o = ord(ch)
        if 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF:
            return True
    return False


_SENTENCE_END = set("。！？!?；;\n")
_ENUM_SEP = set("、")
_OPEN_QUOTES = set("“「『《〈\"'‘（(【[")
_CLOSE_QUOTES = set("”」』》〉\"'’）)】]")
# Words that typically follow a company, product or organisation name. General company
# vocabulary (the examples and their kin), not words that happen to be in a corpus.
_FOLLOWERS = (
    "公司",
    "集团",
    "创始人",
    "联合创始人",
    "董事长",
    "总裁",
    "首席",
    "高管",
    "CEO",
    "CTO",
    "COO",
    "CFO",
    "App",
    "APP",
    "app",
    "旗下",
    "官方",
    "官网",
    "官微",
    "股价",
    "股份",
    "市值",
    "财报",
    "上市",
    "平台",
    "公众号",
    "小程序",
    "研究院",
    "控股",
    "品牌",
    "门店",
    "员工",
    "发布",
    "推出",
    "宣布",
    "表示",
    "显示",
    "报道",
    "等",
)
_LEADERS = (
    *("据", "根据", "来自", "如", "像", "比如", "例如"),
    *("包括", "除了", "联合", "收购", "投资"),
)
# A stock code in (full-width) parentheses: 比亚迪(002594.SZ).
_STOCK_CODE = re.compile(
    r"\s*(?:\(|\uff08)\s*(?:[0-9]{4,6}|[A-Z]{1,5})(?:\.[A-Z]{1,3})?\s*(?:\)|\uff09)"
)
_NUMERAL = set("0123456789０１２３４５６７８９一二三四五六七八九十百千万亿两几多第这那每某另半")

POS_CLASSES = ("name", "noun", "idiom", "verb", "adv", "adj", "num", "pron", "func", "none")


def pos_class(tag: str | None) -> str:
    """Coarse part of speech of a jieba dictionary tag."""
    if not tag:
        return "none"
    t = tag.lower()
    if t in ("nr", "nrt", "nrfg", "ns", "nt", "nz", "j"):
        return "name"
    if t in ("i", "l"):
        return "idiom"
    if t.startswith("n") or t in ("vn", "an", "s", "f", "g"):
        return "noun"
    if t.startswith("v"):
        return "verb"
    if t in ("d", "dg", "zg"):
        return "adv"
    if t.startswith("a") or t in ("b", "z"):
        return "adj"
    if t in ("m", "mq", "q", "qg", "t", "tg"):
        return "num"
    if t.startswith("r"):
        return "pron"
    return "func"


_POS_CLASS_OF: dict[str, str] = {}


def _pos_class(tag: str) -> str:
    """pos_class, remembered: jieba has a few dozen tags and the judge asks thousands of times."""
    known = _POS_CLASS_OF.get(tag)
    if known is None:
        known = _POS_CLASS_OF[tag] = pos_class(tag)
    return known


def _is_latin_word_char(ch: str) -> bool:
    """A letter, digit or '_' that is no CJK ideograph: what glues a Latin word together."""
    if not ch:
        return False
    o = ord(ch)
    if o < 128:  # ASCII's letters and digits are its only characters of category L or N
        return ch.isalnum() or ch == "_"
    if 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF:  # _is_han
        return False
    return unicodedata.category(ch)[0] in ("L", "N")


@dataclass
class Evidence:
    """Features of one auto-linker anchor, with what a reader needs to explain them."""

    features: dict[str, float] = field(default_factory=dict)
    cut_word: str | None = None  # the word the anchor cuts through, if any
    latin_cut: bool = False
    anchor_tag: str | None = None
    anchor_freq: int = 0
    swallowed: str | None = None  # a function word or pronoun at the anchor's edge
    swallowed_kind: str = "func"


def _window(plain: str, start: int, end: int) -> tuple[str, str]:
    left = plain[max(0, start - WINDOW) : start]
    right = plain[end : end + WINDOW]
    nl = left.rfind("\n")
    if nl >= 0:
        left = left[nl + 1 :]
    nl = right.find("\n")
    if nl >= 0:
        right = right[:nl]
    return left, right


@dataclass
class _Words:
    """Dictionary entries for every window of one post, looked up in one query."""

    entries: Mapping[str, Any]  # the words (frequency > 0) of the windows
    total: int
    pieces: Mapping[str, Any]  # see segment.Lexicon.lookup_pieces
    windows: frozenset[str] = frozenset()  # the windows whose words these are
    lattice: Any = None  # segment.Lattice (imported with the dictionary, not per window)


def _dictionary_for(windows: list[str]) -> _Words:
    from contentkit import segment

    lex = segment.lexicon()
    entries, pieces = lex.lookup_pieces(windows)
    return _Words(entries, lex.total, pieces, frozenset(windows), segment.Lattice)


# Feature names by part-of-speech class, made once rather than per anchor.
_NEIGHBOUR_CLASSES = (*POS_CLASSES, "punct", "edge")
_ANCHOR_POS = {c: f"anchor_pos_{c}" for c in POS_CLASSES}
_PREV_POS = {c: f"prev_pos_{c}" for c in _NEIGHBOUR_CLASSES}
_NEXT_POS = {c: f"next_pos_{c}" for c in _NEIGHBOUR_CLASSES}
_INNER_POS = {
    side: {c: f"inner_{side}_{c}" for c in ("verb", "adv", "adj", "num", "pron", "noun")}
    for side in ("first", "last")
}


def _segmentation_evidence(left: str, anchor: str, right: str, words: _Words) -> _SegmentationFacts:
    """How strongly jieba's dictionary wants a word across the anchor's edges."""
    f: dict[str, float] = {}
    window = left + anchor + right
    n = len(window)
    a = len(left)
    b = a + len(anchor)
    entries = words.entries
    entry = entries.get(anchor)
    if entry is not None:
        anchor_tag, anchor_freq = entry.tag, entry.freq
        f["anchor_logfreq"] = math.log1p(anchor_freq) / 10
        f["anchor_in_dict"] = 1.0
        pc = _pos_class(anchor_tag)
    else:
        anchor_tag, anchor_freq = None, 0
        f["anchor_logfreq"] = 0.0
        f["anchor_in_dict"] = 0.0
        pc = "none"
    f[_ANCHOR_POS[pc]] = 1.0  # one-hot: absent features are 0 for the model
    lattice = words.lattice(window, None, words.total, None, words.pieces)
    free_logp = lattice.fwd[n]
    # Cost of forcing a boundary, in nats; capped so that one huge number cannot dominate.
    lc = max(0.0, free_logp - lattice.through(a)) if a > 0 else 0.0
    rc = max(0.0, free_logp - lattice.through(b)) if b < n else 0.0
    left_cost = f["left_cut_cost"] = min(lc, 12.0) / 4
    right_cost = f["right_cut_cost"] = min(rc, 12.0) / 4
    f["max_cut_cost"] = max(left_cost, right_cost)
    # Which words of the free segmentation (jieba's best path, walked back from the end)
    # cross an edge, and is the anchor one of its words?
    back = lattice.back
    left_crossed = right_crossed = is_word = False
    s0, e0 = a, b
    e = n
    while e > 0:
        s = back[e]
        if s < a < e:
            left_crossed = True
            if s < b < e:
                right_crossed = True
        elif s < b < e:
            right_crossed = True
        else:
            if s == a and e == b:
                is_word = True
            e = s
            continue
        if s < s0:
            s0 = s
        if e > e0:
            e0 = e
        e = s
    f["left_crossed"] = 1.0 if left_crossed else 0.0
    f["right_crossed"] = 1.0 if right_crossed else 0.0
    cut_word = window[s0:e0] if left_crossed or right_crossed else None
    # The anchor inside the free segmentation: is it one word, or pieces of other words?
    f["anchor_is_word"] = 1.0 if is_word else 0.0
    # The anchor's own words: a name jieba does not know splits into rare pieces (微/博),
    # an ordinary phrase into common words (上线/了, 出门/找/我, 简单/任务).
    if entry is not None:
        pieces = [anchor]  # a dictionary word is its own best segmentation
        f["inner_pieces"] = 0.0
    else:
        pieces = [anchor[s:e] for s, e in lattice.words_within(a, b)]
        f["inner_pieces"] = min(len(pieces), 4) / 4
    multi = len(pieces) >= 2  # never for a dictionary word
    if multi:
        freqs = [entries[p].freq if p in entries else 1 for p in pieces]
        f["inner_min_logfreq"] = math.log(min(freqs)) / 10
        f["inner_all_words"] = 1.0 if all(len(p) >= 2 for p in pieces) else 0.0
    else:
        f["inner_min_logfreq"] = 0.0
        f["inner_all_words"] = 0.0
    # A very common one-character word at an edge: the anchor swallows a function word
    # (天地和, 志愿时, 靠我, 上线了).
    edge = 0.0
    swallowed: str | None = None
    swallowed_kind = "func"
    if multi:
        for p in (pieces[0], pieces[-1]):
            ent = entries.get(p)
            if len(p) == 1 and ent is not None:
                kind = _pos_class(ent.tag)
                if kind in ("func", "pron") and math.log(ent.freq) / 10 > edge:
                    edge = math.log(ent.freq) / 10
                    swallowed = p
                    swallowed_kind = kind
    f["edge_function_char"] = edge
    # Parts of speech of the first and last piece of an anchor jieba does not know whole:
    # 非常/完美 (adverb, adjective) and 一条/视频 (numeral) are phrases, not names.
    if multi:
        for side, p in (("first", pieces[0]), ("last", pieces[-1])):
            ent = entries.get(p)
            if ent is not None and len(p) >= 2:
                key = _INNER_POS[side].get(_pos_class(ent.tag))
                if key is not None:
                    f[key] = 1.0
    # Parts of speech of the neighbouring words (with the anchor as one word).
    if a > 0:
        word = window[back[a] : a]
        ent = entries.get(word)
        prev_c = _pos_class(ent.tag) if ent else ("none" if _is_han(word[0]) else "punct")
    else:
        prev_c = "edge"
    f[_PREV_POS[prev_c]] = 1.0
    next_word = lattice.word_starting_at(b)
    if next_word is not None:
        word = window[b : next_word[1]]
        ent = entries.get(word)
        next_c = _pos_class(ent.tag) if ent else ("none" if _is_han(word[0]) else "punct")
    else:
        next_c = "edge"
    f[_NEXT_POS[next_c]] = 1.0
    # A dictionary noun inside a noun compound is the compound's ordinary part (潮玩爱好者).
    noun = pc == "noun"
    f["noun_before_noun"] = 1.0 if noun and next_c == "noun" else 0.0
    f["noun_after_noun"] = 1.0 if noun and prev_c == "noun" else 0.0
    # A frequent dictionary noun is an everyday thing (人物, 浪潮); a rare one may be a name.
    f["noun_logfreq"] = f["anchor_logfreq"] if noun else 0.0
    f["verb_after_adv"] = 1.0 if pc == "verb" and prev_c == "adv" else 0.0
    return _SegmentationFacts(f, cut_word, anchor_tag, anchor_freq, swallowed, swallowed_kind)


# First characters of the followers, last characters of the leaders: most anchors are
# followed and preceded by neither, and one set lookup says so.
_FOLLOWER_FIRST = frozenset(w[0] for w in _FOLLOWERS)
_LEADER_LAST = frozenset(w[-1] for w in _LEADERS)
# What _LATIN_AFTER can match first: a space, 的, or a Latin letter.
_LATIN_AFTER_FIRST = frozenset("的ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


def _context_evidence(
    plain: str, link: _Link, left: str, right: str, links: list[_Link], ev: Evidence
) -> None:
    f = ev.features
    anchor = link.text
    prev_ch = left[-1:]
    next_ch = right[:1]
    left_trimmed = left.rstrip()
    right_trimmed = right.lstrip()
    prev_visible = left_trimmed[-1:]
    f["enumeration"] = 1.0 if (prev_ch in _ENUM_SEP or next_ch in _ENUM_SEP) else 0.0
    follower = right_trimmed[:1] in _FOLLOWER_FIRST and right_trimmed.startswith(_FOLLOWERS)
    f["follower"] = 1.0 if follower else 0.0
    leader = prev_visible in _LEADER_LAST and left_trimmed.endswith(_LEADERS)
    f["leader"] = 1.0 if leader else 0.0
    # (No parenthesis in the window, no stock code: the regex need not run.)
    stock = ("(" in right or "\uff08" in right) and _STOCK_CODE.match(right) is not None
    f["stock_code"] = 1.0 if stock else 0.0
    # 在微博上, 在小红书上: a platform is a place where things happen.
    on = prev_visible == "在" and right_trimmed.startswith("上")
    f["on_platform"] = 1.0 if on else 0.0
    # A transliterated personal name (布鲁玛·紫格尼克) is joined by an interpunct.
    f["interpunct_name"] = 1.0 if "·" in right[:3] or "·" in left[-3:] else 0.0
    # Products of a company follow its name in Latin script (微软 Azure, 阿里云MVP).
    latin_after = (next_ch in _LATIN_AFTER_FIRST or next_ch.isspace()) and (
        _LATIN_AFTER.match(right) is not None
    )
    f["latin_follows"] = 1.0 if latin_after else 0.0
    # (left.strip() is empty exactly when left.rstrip() is.)
    f["sentence_start"] = 1.0 if (not left_trimmed or prev_visible in _SENTENCE_END) else 0.0
    f["after_numeral"] = 1.0 if prev_visible and prev_visible in _NUMERAL else 0.0
    f["quoted"] = 1.0 if (prev_ch in _OPEN_QUOTES and next_ch in _CLOSE_QUOTES) else 0.0
    f["len1_2"] = 1.0 if len(anchor) <= 2 else 0.0
    f["len4_plus"] = 1.0 if len(anchor) >= 4 else 0.0
    # A neighbouring auto-link within two characters (lists of companies come linked).
    near = 0.0
    start, end = link.plain_start, link.plain_end
    for other in links:
        if other is not link and (
            abs(other.plain_start - end) <= 2 or abs(start - other.plain_end) <= 2
        ):
            near = 1.0
    f["near_link"] = near
    name = link.attrs.get("data-name")
    case_only = name is not None and name != anchor and name.casefold() == anchor.casefold()
    f["case_mismatch"] = 1.0 if case_only else 0.0
    # Latin script: Unicode word boundaries. A letter glued to either side is a cut.
    first_latin = _is_latin_word_char(anchor[:1])
    last_latin = _is_latin_word_char(anchor[-1:])
    f["latin"] = 1.0 if first_latin and last_latin else 0.0
    glued = (first_latin and _is_latin_word_char(prev_ch)) or (
        last_latin and _is_latin_word_char(next_ch)
    )
    ev.latin_cut = glued
    f["latin_cut"] = 1.0 if glued else 0.0
    if glued:
        m1 = _WORD_TAIL.search(left)
        m2 = _WORD_HEAD.match(right)
        ev.cut_word = (m1.group(0) if m1 else "") + anchor + (m2.group(0) if m2 else "")


def _occurrences(plain: str, text: str) -> tuple[list[int], list[int]]:
    """Where ``text`` occurs in the post: the first two places, and the first two places
    where it looks like a name (a company-name follower or an enumeration comma)."""
    anywhere: list[int] = []
    namelike: list[int] = []
    if len(text) < 2:
        return anywhere, namelike
    at = plain.find(text)
    while at >= 0 and (len(anywhere) < 2 or len(namelike) < 2):
        if len(anywhere) < 2:
            anywhere.append(at)
        after = plain[at + len(text) : at + len(text) + 4]
        before = plain[max(0, at - 1) : at]
        if after.startswith(_FOLLOWERS) or before in _ENUM_SEP or after[:1] in _ENUM_SEP:
            namelike.append(at)
        at = plain.find(text, at + 1)
    return anywhere, namelike


def _elsewhere_evidence(
    plain: str, link: _Link, ev: Evidence, memo: dict[str, tuple[list[int], list[int]]]
) -> None:
    """How the same name is used elsewhere in the post, outside this anchor."""
    if link.text not in memo:  # once per name and post: a long post repeats names
        memo[link.text] = _occurrences(plain, link.text)
    anywhere, namelike = memo[link.text]
    own = link.plain_start
    f = ev.features
    # At most two places each: comparing the lists is cheaper than a generator.
    f["elsewhere_any"] = 1.0 if anywhere and anywhere != [own] * len(anywhere) else 0.0
    f["elsewhere_namelike"] = 1.0 if namelike and namelike != [own] * len(namelike) else 0.0


class _SegmentationFacts(NamedTuple):
    """What _segmentation_evidence found for one window: it depends on the window's text
    and the dictionary only, so a window met again (a feed's boilerplate sentence, a name
    in its usual phrase) is not segmented again."""

    features: dict[str, float]  # in the order they were set (never changed after)
    cut_word: str | None
    anchor_tag: str | None
    anchor_freq: int
    swallowed: str | None
    swallowed_kind: str

    def apply(self, ev: Evidence) -> None:
        # The context evidence sets none of these features: the merged dict has the same
        # keys in the same order as when both were computed into it directly.
        ev.features.update(self.features)
        if self.cut_word is not None:
            ev.cut_word = self.cut_word
        ev.anchor_tag, ev.anchor_freq = self.anchor_tag, self.anchor_freq
        if self.swallowed is not None:
            ev.swallowed, ev.swallowed_kind = self.swallowed, self.swallowed_kind


# (left, anchor, right) -> its segmentation facts, for the process. Bounded: emptied (only
# ever between posts, see analyse) once it holds this many windows (a few MB).
_SEG_MEMO: dict[tuple[str, str, str], _SegmentationFacts] = {}
_SEG_MEMO_LIMIT = 4096


def gather_evidence(
    plain: str,
    link: _Link,
    neighbours: list[_Link],
    words: _Words | None = None,
    memo: dict[str, tuple[list[int], list[int]]] | None = None,
) -> Evidence:
    ev = Evidence()
    context = link.context
    if context is None:
        context = link.context = _window(plain, link.plain_start, link.plain_end)
    left, right = context
    _context_evidence(plain, link, left, right, neighbours, ev)
    anchor = link.text
    han = link.han
    if han is None:
        han = link.han = _has_han(anchor)
    if han:
        seg_left, seg_right = left[-SEG_WINDOW:], right[:SEG_WINDOW]
        key = (seg_left, anchor, seg_right)
        known = _SEG_MEMO.get(key)
        if known is None:
            window = seg_left + anchor + seg_right
            if words is None or window not in words.windows:
                words = _dictionary_for([window])
            known = _SEG_MEMO[key] = _segmentation_evidence(seg_left, anchor, seg_right, words)
        known.apply(ev)
    else:
        ev.features["anchor_pos_none"] = 1.0
    _elsewhere_evidence(plain, link, ev, {} if memo is None else memo)
    return ev


# ---------------------------------------------------------------------------------------
# Weighing the evidence
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Model:
    weights: Mapping[str, float]
    bias: float
    threshold: float


@lru_cache(maxsize=1)
def load_model() -> Model:
    data = json.loads(
        resources.files("contentkit").joinpath("data/link_model.json").read_text("utf-8")
    )
    return Model(data["weights"], float(data["bias"]), float(data["threshold"]))


def spurious_probability(features: Mapping[str, float], model: Model | None = None) -> float:
    m = model or load_model()
    weights = m.weights
    get = weights.get
    # The same additions in the same order as sum() over the non-zero features.
    total = 0.0
    for k, v in features.items():
        if v:
            total += v * get(k, 0.0)
    z = m.bias + total
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


_POS_WORDS = {
    "verb": "an ordinary verb",
    "adv": "an ordinary adverb",
    "adj": "an ordinary adjective",
    "num": "a number or measure word",
    "pron": "a pronoun",
    "func": "a function word",
    "noun": "an ordinary noun",
    "idiom": "a set phrase",
}


def _spurious_reason(link: _Link, ev: Evidence) -> tuple[str, Literal["safe", "unsafe"]]:
    text = link.text
    f = ev.features
    if ev.latin_cut and ev.cut_word and ev.cut_word != text:
        return f"'{text}' cuts through the word '{ev.cut_word}'", "safe"
    cut = ev.cut_word and ev.cut_word != text and f.get("max_cut_cost", 0) >= 0.5
    if cut:
        return f"'{text}' cuts through the word '{ev.cut_word}'", "safe"
    if ev.swallowed and f.get("edge_function_char", 0) > 0:
        what = "pronoun" if ev.swallowed_kind == "pron" else "function word"
        return f"'{text}' swallows the {what} '{ev.swallowed}' of the sentence", "unsafe"
    if f.get("case_mismatch"):
        name = link.attrs.get("data-name", "")
        why = f"'{text}' matches the linked name '{name}' only when letter case is ignored"
        return why, "unsafe"
    pc = pos_class(ev.anchor_tag) if ev.anchor_tag else None
    if ev.anchor_tag in ("vn", "an"):  # jieba's verbal and adjectival nouns
        pc = "verb" if ev.anchor_tag == "vn" and f.get("prev_pos_adv") else "other"
    if pc == "other":
        return f"'{text}' is an everyday word here, not the name of a company or product", "unsafe"
    if pc in _POS_WORDS:
        return f"'{text}' is {_POS_WORDS[pc]} here, not the name of a company or product", "unsafe"
    return f"'{text}' is used in its ordinary sense here, not as the name it links to", "unsafe"


def _name_matches(link: _Link, names: list[str]) -> bool:
    wanted = {n.casefold() for n in names}
    return link.text.casefold() in wanted or link.attrs.get("data-name", "").casefold() in wanted


# ---------------------------------------------------------------------------------------
# The judgement
# ---------------------------------------------------------------------------------------


@dataclass
class Analysis:
    """Everything judged about one document's links (features kept for training)."""

    links: list[_Link]
    plain: str
    evidence: dict[int, Evidence]  # by index into links, for auto-linker anchors
    verdicts: list[LinkVerdict]


def analyse(doc: Document, options: Mapping[str, Any] = DEFAULT_OPTIONS) -> Analysis:
    allow = [str(x) for x in options.get("allow", [])]
    deny = [str(x) for x in options.get("deny", [])]
    text, body = doc.text, doc.body_start
    if text.find("<a", body) < 0 and text.find("](", body) < 0:
        return Analysis([], "", {}, [])  # the common fast path: no link at all
    links, plain = _links_and_plain_text(doc)
    if not links:
        return Analysis([], "", {}, [])
    for lk in links:
        lk.is_project = _is_project_link(lk)
    evidence: dict[int, Evidence] = {}
    verdicts: list[LinkVerdict] = []
    words: _Words | None = None
    occurrences: dict[str, tuple[list[int], list[int]]] = {}
    judged = [lk for lk in links if lk.is_project]
    for lk in judged:
        lk.han = _has_han(lk.text)
    han = [lk for lk in judged if lk.han]
    if han:
        # One dictionary query for all windows of the post; nothing at all for posts
        # without Chinese auto-links (the dictionary is never opened for them).
        # Windows segmented before need no dictionary: only the others are looked up. The
        # memo is emptied here, never while a post is judged, so a window found in it now is
        # still there when its link is judged.
        if len(_SEG_MEMO) >= _SEG_MEMO_LIMIT:
            _SEG_MEMO.clear()
        windows = []
        for lk in han:
            left, right = lk.context = _window(plain, lk.plain_start, lk.plain_end)
            seg_left, seg_right = left[-SEG_WINDOW:], right[:SEG_WINDOW]
            if (seg_left, lk.text, seg_right) not in _SEG_MEMO:
                windows.append(seg_left + lk.text + seg_right)
        if windows:
            words = _dictionary_for(windows)
    for i, lk in enumerate(links):
        verdict: Verdict = "legit"
        reason = ""
        fix: Literal["safe", "unsafe"] | None = None
        broken = _broken_reason(lk)
        if broken:
            verdict, reason = "broken", broken
            fix = "safe" if lk.text.strip() and lk.closed and not lk.nested else "unsafe"
            if lk.nested:
                fix = None  # unwrapping one of two nested anchors is a choice for the author
        elif lk.is_project and deny and _name_matches(lk, deny):
            verdict, reason, fix = "spurious", f"'{lk.text}' is on the deny list", "safe"
        elif lk.is_project and allow and _name_matches(lk, allow):
            verdict, reason = "legit", f"'{lk.text}' is on the allow list"
        elif lk.is_project:
            # Neighbours: the auto-links just before and after this one in the post.
            neighbours = [o for o in links[max(0, i - 1) : i + 2] if o is not lk and o.is_project]
            ev = gather_evidence(plain, lk, neighbours, words, occurrences)
            evidence[i] = ev
            p = spurious_probability(ev.features)
            if p >= load_model().threshold or ev.latin_cut:
                verdict = "spurious"
                reason, fix = _spurious_reason(lk, ev)
            else:
                reason = f"'{lk.text}' reads as the name it links to"
        verdicts.append(
            LinkVerdict(
                lk.start,
                lk.open_end,
                lk.close_start,
                lk.end,
                lk.text,
                lk.href,
                verdict,
                reason,
                fix,
                lk.is_project,
            )
        )
    return Analysis(links, plain, evidence, verdicts)


def judge_links(doc: Document, options: Mapping[str, Any] = DEFAULT_OPTIONS) -> list[LinkVerdict]:
    """Every inline link of ``doc`` with its verdict, in source order."""
    return analyse(doc, options).verdicts
