"""Documented limits that keep linting and converting one post linear and bounded in memory.

- ``MAX_NESTING``: HTML elements open inside one another. Past it a post is reported
  (``CK005 nesting-too-deep``) and neither linted further nor converted: every tree walk
  over such a post would recurse (or allocate) once per level. Real posts nest a few dozen
  levels; 10,000 is what the tree walks are tested at (tests/test_convert.py).
- ``engine.MAX_FINDINGS_PER_RULE``: findings of one rule in one file, then one summary.
"""

from __future__ import annotations

import re
from itertools import accumulate, islice, repeat
from operator import itemgetter, sub

MAX_NESTING = 10_000

# An opening or closing tag's name ("div", "/div"), of a tag that ends with ">" before the
# next "<" (text such as "<http://a" or "a<b" opens nothing). Linear: "[^<>]*" stops at the
# next "<" or ">", so each character is looked at from one tag start only.
_TAG = re.compile(r"<(/?[a-z][a-z0-9-]*)(?=[\s/>])[^<>]*>")
_VOID = (
    "area base br col embed hr img input link meta param source track wbr basefont bgsound "
    "frame keygen"
).split()
# Elements whose end tag is optional (<p>a<p>b, <li>…): commonly left open, they are counted
# as neither opening nor closing, or a page of unclosed paragraphs would look deep.
_OPTIONAL_END = (
    "p li dt dd option optgroup tr td th tbody thead tfoot rb rt rp rtc colgroup caption"
)
# How each tag name moves the depth; any other name opens (+1) or closes (-1).
_WEIGHT: dict[str, int] = {n: 0 for n in [*_VOID, *_OPTIONAL_END.split()]}
_WEIGHT.update({"/" + n: 0 for n in list(_WEIGHT)})
_SIGN = {"/": -1}
_ZERO = [*_VOID, *_OPTIONAL_END.split()]
_RAW_NAMES = ("script", "style", "textarea", "title", "xmp")
_RAW_TEXT = re.compile(r"<(script|style|textarea|title|xmp)\b")
_RAW_END: dict[str, re.Pattern[str]] = {}


def nesting_too_deep(text: str, start: int = 0, limit: int = MAX_NESTING) -> int | None:
    """The offset of the first tag opened more than ``limit`` levels deep in
    ``text[start:]``, or None. Linear, and each step runs in C (no Python code per tag).

    The depth is counted as a parser without recovery would: every opening tag but the void
    ones and those whose end tag is optional adds a level, every closing tag removes one
    (never below the top), comments and script/style text count for nothing.
    """
    # A post cannot nest deeper than it has opening tags, and nearly every post has fewer
    # than the limit: the scan is then two string counts.
    if text.count("<", start) - text.count("</", start) <= limit:
        return None
    body = text[start:].lower()
    # Still a bound: less the tags that open no level (<p>, <img>…), counted in C.
    opening = body.count("<") - body.count("</") - body.count("<!")
    opening -= sum(body.count(f"<{n}>") + body.count(f"<{n} ") for n in _ZERO)
    if opening <= limit:
        return None
    body = _blank_opaque(body)
    names = _TAG.findall(body)
    signs = map(_SIGN.get, map(itemgetter(0), names), repeat(1))
    depth = list(accumulate(map(_WEIGHT.get, names, signs)))
    del names
    # Depth with a floor at 0 (a stray closing tag closes nothing): the rise since the
    # lowest point so far.
    floor = accumulate(depth, min, initial=0)
    next(floor)
    rise = list(map(sub, depth, floor))
    del depth
    if not rise or max(rise) <= limit:
        return None
    index = next(i for i, r in enumerate(rise) if r > limit)
    tag = next(islice(_TAG.finditer(_blank_opaque(text[start:].lower())), index, None))
    return start + tag.start()


def _blank_opaque(body: str) -> str:
    """``body`` (lower case) with comments and raw text (script, style…) blanked, offsets
    unchanged."""
    if "<!--" in body:
        # Every comment before the last "-->" ends at the first one after it; one opened
        # after it never ends (the rest of the body is comment): linear either way.
        last = body.rfind("-->")
        cut = body.find("<!--", last + 3 if last >= 0 else 0)
        if cut >= 0:
            body = body[:cut] + " " * (len(body) - cut)
        if last >= 0:
            body = _COMMENT.sub(_blank, body)
    if not any(f"<{name}" in body for name in _RAW_NAMES):
        return body
    out: list[str] = []
    pos = 0
    while (m := _RAW_TEXT.search(body, pos)) is not None:
        name = m.group(1).lower()
        end_tag = _RAW_END.get(name)
        if end_tag is None:
            end_tag = _RAW_END[name] = re.compile(f"</{name}")
        found = end_tag.search(body, m.end())
        stop = len(body) if found is None else found.start()
        out.append(body[pos : m.end()])
        out.append(" " * (stop - m.end()))
        pos = stop
        if found is None:
            break
    out.append(body[pos:])
    return "".join(out)


_COMMENT = re.compile(r"<!--.*?-->", re.S)


def _blank(m: re.Match[str]) -> str:
    return " " * (m.end() - m.start())


def nesting_message(limit: int = MAX_NESTING) -> str:
    return (
        f"HTML nested more than {limit:,} elements deep here; the post is not checked "
        "or converted further (close the elements, or split the post)"
    )
