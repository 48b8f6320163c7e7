"""Documented limits that keep linting and converting one post linear and bounded in memory.

- ``MAX_NESTING``: HTML elements open inside one another. Past it a post is reported
  (``CK005 nesting-too-deep``) and neither linted further nor converted: every tree walk
  over such a post would recurse (or allocate) once per level. Real posts nest a few dozen
  levels; 10,000 is what the tree walks are tested at (tests/test_convert.py).
- ``engine.MAX_FINDINGS_PER_RULE``: findings of one rule in one file, then one summary.
"""

from __future__ import annotations

import re

MAX_NESTING = 10_000

# An opening or closing tag, or a comment opener. Only the name is read: attributes and the
# closing ">" do not change the depth.
_TAG = re.compile(r"<(?:(!--)|(/?)([A-Za-z][A-Za-z0-9-]*))")
_VOID = frozenset(
    "area base br col embed hr img input link meta param source track wbr basefont bgsound "
    "frame keygen".split()
)
# Elements an opening tag of the same name closes (<p><p>, <li><li>): siblings, not children.
_SELF_CLOSING_SIBLINGS = frozenset(
    "p li dt dd option optgroup tr td th tbody thead tfoot rb rt rp rtc colgroup caption".split()
)
_RAW_TEXT = frozenset({"script", "style", "textarea", "title", "xmp", "plaintext"})
_RAW_END: dict[str, re.Pattern[str]] = {}


def nesting_too_deep(text: str, start: int = 0, limit: int = MAX_NESTING) -> int | None:
    """The offset of the first tag opened more than ``limit`` levels deep in
    ``text[start:]``, or None. Linear: each tag is looked at once."""
    # A post cannot nest deeper than it has opening tags, and nearly every post has fewer
    # than the limit: the scan is then two string counts.
    if text.count("<", start) - text.count("</", start) <= limit:
        return None
    stack: list[str] = []
    open_count: dict[str, int] = {}
    pos = start
    search = _TAG.search
    while True:
        m = search(text, pos)
        if m is None:
            return None
        pos = m.end()
        if m.group(1):  # a comment: nothing in it counts
            end = text.find("-->", pos)
            if end < 0:
                return None
            pos = end + 3
            continue
        name = m.group(3).lower()
        if m.group(2):  # a closing tag closes its element and whatever is still open in it
            if open_count.get(name):
                while True:
                    top = stack.pop()
                    open_count[top] -= 1
                    if top == name:
                        break
            continue
        if name in _VOID:
            continue
        if name in _SELF_CLOSING_SIBLINGS and stack and stack[-1] == name:
            continue  # closes the previous one and opens itself: the depth is unchanged
        if name in _RAW_TEXT:
            end_tag = _RAW_END.get(name)
            if end_tag is None:
                end_tag = _RAW_END[name] = re.compile(f"</{name}", re.I)
            found = end_tag.search(text, pos)
            if found is None:
                return None
            pos = found.end()
            continue
        stack.append(name)
        open_count[name] = open_count.get(name, 0) + 1
        if len(stack) > limit:
            return m.start()


def nesting_message(limit: int = MAX_NESTING) -> str:
    return (
        f"HTML nested more than {limit} elements deep here; the post is not checked "
        "or converted further (close the elements, or split the post)"
    )
