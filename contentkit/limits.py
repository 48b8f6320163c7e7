"""Documented limits that keep linting and converting one post linear and bounded in memory.

- ``MAX_NESTING``: HTML elements open inside one another. Past it a post is reported
  (``CK005 nesting-too-deep``) and neither linted further nor converted: every tree walk
  over such a post would recurse (or allocate) once per level. Real posts nest a few dozen
  levels; 10,000 is what the tree walks are tested at (tests/test_convert.py).
- ``engine.MAX_FINDINGS_PER_RULE``: findings of one rule in one file, then one summary.
- ``MAX_BODY_WORK``: the estimated cost of reading a body (:func:`markdown_work`,
  :func:`html_work`), counted before anything is parsed. Past it the body is not read and one
  finding says so (``MD002 markdown-too-complex``, ``HT107 html-too-complex``); the front
  matter is still checked.
"""

from __future__ import annotations

import re
from itertools import accumulate, islice, repeat
from operator import itemgetter, sub

MAX_NESTING = 10_000

# ---- the reading budget of one body ------------------------------------------------------------
#
# markdown-it-py spends its time on line ends and on the characters that may start block or
# inline markup; contentkit's HTML scan and rules spend theirs on tags and attributes. Each
# such character is counted here at C speed (str.count) and weighted by about the microseconds
# it costs at most, as measured on floods of it (``python benchmarks/stress.py --at-budget``
# runs each adversarial shape just inside the budget). Everything else (letters, CJK text,
# spaces) is skipped in bulk by both readers. The largest real post in ../shared (a 300 KB
# changelog, linted in 0.46 s) weighs 0.58 s; a body weighing more than MAX_BODY_WORK (four
# times that) is not read.
MAX_BODY_WORK = 2_500_000

# (what is counted, its weight, how a user would name it)
_MARKDOWN_WEIGHTS: tuple[tuple[str, int, str], ...] = (
    ("\n", 20, "line ends"),
    ("- ", 40, "'- ' (list items)"),
    ("-\n", 30, "'-' ending lines (list items, rules)"),
    ("-", 3, "'-'"),
    ("+ ", 40, "'+ ' (list items)"),
    ("* ", 30, "'* ' (list items)"),
    (". ", 45, "'. ' (numbered list items)"),
    (") ", 40, "') ' (numbered list items)"),
    ("#", 18, "'#' (headings)"),
    (">", 8, "'>' (quotes)"),
    ("|", 18, "'|' (table cells)"),
    ("[", 20, "'[' (links)"),
    ("]", 14, "']' (links)"),
    ("(", 9, "'(' (link targets)"),
    (")", 9, "')' (link targets)"),
    ("![", 40, "'![' (images)"),
    ("*", 20, "'*' (emphasis)"),
    ("_", 13, "'_' (emphasis)"),
    ("~", 10, "'~' (strikethrough)"),
    ("`", 9, "backticks (code)"),
    ("<", 14, "'<' (HTML, autolinks)"),
    ("://", 30, "URLs ('://')"),
    ("href", 30, "HTML links (href)"),
    ("&", 9, "'&' (entities)"),
    ("\\", 4, "backslashes"),
    ("=", 4, "'=' (headings, attributes)"),
    ("{", 2, "'{' (template tags)"),
)
_HTML_WEIGHTS: tuple[tuple[str, int, str], ...] = (
    ("<", 4, "tags ('<')"),
    ("=", 4, "attributes ('=')"),
    ("href", 12, "links (href)"),
    ("src", 5, "images (src)"),
    ("\n", 1, "line ends"),
)
# No character weighs more than this: a body shorter than MAX_BODY_WORK / _HEAVIEST characters
# is within the budget whatever it holds, and nothing is counted (nearly every post).
_HEAVIEST = 20


def markdown_work(text: str, start: int = 0) -> int:
    """The estimated cost of reading ``text[start:]`` as CommonMark and running the rules on
    it, in units of MAX_BODY_WORK (0 for a body too short to reach the budget)."""
    return _work(text, start, _MARKDOWN_WEIGHTS)[0]


def html_work(text: str, start: int = 0) -> int:
    """The same estimate for an HTML body: its tags, attributes and links."""
    return _work(text, start, _HTML_WEIGHTS)[0]


def body_work(text: str, start: int, markdown: bool) -> tuple[int, str]:
    """(estimated cost, what weighs most in it) of a body, Markdown or HTML."""
    return _work(text, start, _MARKDOWN_WEIGHTS if markdown else _HTML_WEIGHTS)


def _work(text: str, start: int, weights: tuple[tuple[str, int, str], ...]) -> tuple[int, str]:
    if _HEAVIEST * (len(text) - start) <= MAX_BODY_WORK:
        return 0, ""
    total, heaviest, most = 0, "", -1
    for chars, weight, name in weights:
        count = text.count(chars, start)
        if chars == "\n" and "\r" in text:  # a CR alone ends a line too (CRLF counted once)
            count += text.count("\r", start) - text.count("\r\n", start)
        if count * weight > most:
            most, heaviest = count * weight, f"{count:,} {name}"
        total += count * weight
    return total, heaviest


def work_message(work: int, heaviest: str, markdown: bool, converting: bool = False) -> str:
    """What MD002 / HT107 say, and ``convert`` when it refuses the body (``converting``)."""
    kind = "CommonMark" if markdown else "HTML"
    if converting:
        outcome = "not converted"
    elif markdown:
        outcome = "its Markdown and HTML were not checked, its front matter was"
    else:
        outcome = "its HTML was not checked, its front matter was"
    return (
        f"reading this body as {kind} would take some {work / 1e6:.1f} s (estimated from its "
        f"line ends and markup characters, most of it its {heaviest}), over the "
        f"{MAX_BODY_WORK / 1e6:g} s that contentkit spends on one body: {outcome} "
        "(split the post)"
    )


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
