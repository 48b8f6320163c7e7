"""What a CommonMark reader does with emphasis delimiters: the one place that knows it.

CommonMark decides whether ``*``/``_``/``~`` runs open or close emphasis from the two
characters around the run ("left-/right-flanking", spec section 6.2). A run squeezed between
punctuation and a letter fails: ``**“直播一哥”**李佳琦`` shows its asterisks, because the closing
run follows ``”`` (punctuation) and precedes ``李`` (neither space nor punctuation).

The classification below mirrors markdown-it (the reader contentkit trusts), so what we predict
is what readers render. The repair keeps the visible text byte for byte: the neighbour that
spoils the run is written as a numeric character reference (``李`` -> ``&#26446;``); the reader
sees ``&``, which is punctuation, so the run flanks, and it still displays ``李``.

Users: the converter (:func:`resolve_emphasis` over its placeholder markers) and the lint rule
``cjk-emphasis`` (:func:`unrendered_emphasis` over hand-written Markdown).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from markdown_it.common.utils import isMdAsciiPunct, isWhiteSpace

__all__ = [
    "EmphasisProblem",
    "can_close",
    "can_open",
    "char_reference",
    "code_span_ranges",
    "flanking",
    "is_punctuation",
    "is_whitespace",
    "resolve_emphasis",
    "unrendered_emphasis",
]


def is_whitespace(ch: str) -> bool:
    """Unicode whitespace as CommonMark counts it; the start or end of a line counts too."""
    return ch == "" or isWhiteSpace(ord(ch))


def is_punctuation(ch: str) -> bool:
    """ASCII punctuation, or a Unicode P* or S* character (CommonMark 0.31)."""
    if not ch:
        return False
    return isMdAsciiPunct(ord(ch)) or unicodedata.category(ch)[0] in "PS"


def flanking(before: str, after: str) -> tuple[bool, bool]:
    """(left_flanking, right_flanking) of a delimiter run between ``before`` and ``after``.

    Pass ``""`` for the start or end of the line.
    """
    ws_b, ws_a = is_whitespace(before), is_whitespace(after)
    p_b, p_a = is_punctuation(before), is_punctuation(after)
    left = not (ws_a or (p_a and not (ws_b or p_b)))
    right = not (ws_b or (p_b and not (ws_a or p_a)))
    return left, right


def can_open(marker: str, before: str, after: str) -> bool:
    left, right = flanking(before, after)
    if marker == "_":
        return left and (not right or is_punctuation(before))
    return left


def can_close(marker: str, before: str, after: str) -> bool:
    left, right = flanking(before, after)
    if marker == "_":
        return right and (not left or is_punctuation(after))
    return right


def _wide(ch: str) -> bool:
    """A Chinese, Japanese or Korean character, or a full-width form (no spaces between words)."""
    return bool(ch) and unicodedata.east_asian_width(ch) in ("W", "F")


def char_reference(ch: str) -> str:
    """``ch`` as a numeric character reference, which renders as ``ch`` and reads as ``&``."""
    return f"&#{ord(ch)};"


def _plain(ch: str) -> bool:
    """A character that is literal text whatever surrounds it (so it may become a reference)."""
    return bool(ch) and not is_whitespace(ch) and not is_punctuation(ch)


# ---- the converter's side ------------------------------------------------------------------
# The converter writes emphasis as placeholder characters (Unicode noncharacters, which no
# valid input contains) and resolves them here once the text around them is final.
STRONG_OPEN, STRONG_CLOSE = "\ufdd0", "\ufdd1"
EM_OPEN, EM_CLOSE = "\ufdd2", "\ufdd3"
DEL_OPEN, DEL_CLOSE = "\ufdd4", "\ufdd5"
MARKERS = {
    STRONG_OPEN: "**",
    STRONG_CLOSE: "**",
    EM_OPEN: "*",
    EM_CLOSE: "*",
    DEL_OPEN: "~~",
    DEL_CLOSE: "~~",
    "\ufdd8": "_",  # emphasis written with "_": chosen by resolve_emphasis only
    "\ufdd9": "_",
}
OPENERS = {STRONG_OPEN: STRONG_CLOSE, EM_OPEN: EM_CLOSE, DEL_OPEN: DEL_CLOSE, "\ufdd8": "\ufdd9"}
_UNDERSCORE = {EM_OPEN: "\ufdd8", EM_CLOSE: "\ufdd9"}
_STRONG = frozenset({STRONG_OPEN, STRONG_CLOSE})
_EM = frozenset({EM_OPEN, EM_CLOSE})
_MARKER_CHARS = tuple(MARKERS)
# A span closed and at once reopened (``**a****b**``) is one span; an empty span is nothing.
_MERGE = (
    "\ufdd1\ufdd0",
    "\ufdd3\ufdd2",
    "\ufdd5\ufdd4",
    "\ufdd0\ufdd1",
    "\ufdd2\ufdd3",
    "\ufdd4\ufdd5",
)


def merge_spans(text: str) -> str:
    """Join a span closed and at once reopened (``**a****b**``); drop empty spans.

    Removing a touching pair can make two others touch, so pairs are removed until none is
    left; the order does not change the result (as cancelling ``x`` against ``x⁻¹``).
    """
    if all(end - start == 1 for start, end in _marker_runs(text)):
        return text  # no two markers touch: nothing to merge
    while True:
        before = text
        for pair in _MERGE:
            if pair in text:  # (a substring search: far faster than a regular expression)
                text = text.replace(pair, "")
        if text is before:
            return text


def _marker_runs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each run of placeholder markers, in order.

    Markers are few and the text long (and rarely ASCII): a search per marker character with
    ``str.find`` is many times faster than a regular expression scanning every character.
    """
    found: list[int] = []
    for ch in _MARKER_CHARS:
        i = text.find(ch)
        while i >= 0:
            found.append(i)
            i = text.find(ch, i + 1)
    found.sort()
    runs: list[tuple[int, int]] = []
    for i in found:
        if runs and runs[-1][1] == i:
            runs[-1] = (runs[-1][0], i + 1)
        else:
            runs.append((i, i + 1))
    return runs


def resolve_emphasis(text: str, merged: bool = False) -> str:
    """Turn placeholder markers into delimiters that a CommonMark reader will honour.

    Where a run would not flank, the spoiling neighbour becomes a character reference; where
    nothing can make it flank (whitespace inside the span), both ends of the span are dropped,
    so the reader never shows stray asterisks. ``merged``: the caller ran :func:`merge_spans`.
    """
    if not any(ch in text for ch in _MARKER_CHARS):
        return text
    if not merged:
        text = merge_spans(text)
    # The runs stay where they are from here on: markers are only swapped for other markers.
    runs = _marker_runs(text)
    # Pair the markers (they nest properly: the converter writes them around whole elements).
    partner: dict[int, int] = {}
    stack: list[int] = []
    for start, end in runs:
        for i in range(start, end):
            ch = text[i]
            if ch in OPENERS:
                stack.append(i)
            elif stack and OPENERS[text[stack[-1]]] == ch:
                j = stack.pop()
                partner[i], partner[j] = j, i
    # "*a*" closing right where "**b**" opens would fuse into one run "***" that the reader
    # may split the wrong way: such an emphasis is written with "_" instead.
    swaps: dict[int, str] = {}  # marker position -> the "_" marker written there instead
    for start, end in runs:
        if end - start == 1:
            continue  # (one marker is one kind)
        run = [i for i in range(start, end) if i in partner]
        kinds = {text[i] for i in run}
        # ("***" is also ambiguous: a later "*" may close its "**" part.)
        if not kinds.isdisjoint(_STRONG) and not kinds.isdisjoint(_EM):
            for i in run:
                if text[i] in _UNDERSCORE:
                    swaps[i] = _UNDERSCORE[text[i]]
                    swaps[partner[i]] = _UNDERSCORE[text[partner[i]]]
    # An emphasis run between two punctuation characters can both open and close, and the
    # reader may pair it with a neighbouring bold run: written with "_", it pairs only with "_".
    for start, end in runs:
        before = text[start - 1] if start else ""
        after = text[end] if end < len(text) else ""
        if is_punctuation(before) and is_punctuation(after) and before not in "*_":
            for i in range(start, end):
                if i in partner and text[i] in _UNDERSCORE and i not in swaps:
                    swaps[i] = _UNDERSCORE[text[i]]
                    swaps[partner[i]] = _UNDERSCORE[text[partner[i]]]
    if swaps:
        pieces: list[str] = []
        last = 0
        for i in sorted(swaps):
            pieces.append(text[last:i])
            pieces.append(swaps[i])
            last = i + 1
        pieces.append(text[last:])
        text = "".join(pieces)
    drop: set[int] = set()
    refs: set[int] = set()  # positions of characters to write as references
    # Where each run is, by its first and one-past-last offsets and by its markers: a fix made
    # while judging one run can change what an earlier one was judged with (below).
    run_ending_at = {end: k for k, (_, end) in enumerate(runs)}
    run_of = {i: k for k, (start, end) in enumerate(runs) for i in range(start, end)}

    def judge(k: int) -> list[int]:
        """Judge run ``k`` as the reader will see it now; returns the runs already judged that
        its fixes changed."""
        start, end = runs[k]
        changed: list[int] = []
        # Markers of different characters ("*" then "~~") are separate delimiter runs to the
        # reader: each is judged with the characters really around it.
        groups: list[tuple[str, list[int]]] = []
        for i in range(start, end):
            if i not in partner or i in drop:
                continue
            c = MARKERS[text[i]][0]
            if groups and groups[-1][0] == c:
                groups[-1][1].append(i)
            else:
                groups.append((c, [i]))
        for g, (c, idxs) in enumerate(groups):
            first, last_group = g == 0, g == len(groups) - 1
            if first:
                before = ";" if start - 1 in refs else (text[start - 1] if start else "")
            else:
                before = groups[g - 1][0]
            if last_group:
                after = "&" if end in refs else (text[end] if end < len(text) else "")
            else:
                after = groups[g + 1][0]
            opens = any(text[i] in OPENERS for i in idxs)
            closes = not all(text[i] in OPENERS for i in idxs)
            ok = True
            if opens and not can_open(c, before, after):
                if first and not is_whitespace(after) and _plain(before):
                    refs.add(start - 1)
                    before = ";"
                    # The character was also what the run before it saw after itself
                    # ("x**a_y_**": "a" -> "&#97;" stops the "**" from opening).
                    if start - 1 in run_ending_at:
                        changed.append(run_ending_at[start - 1])
                else:
                    ok = False
            if ok and closes and not can_close(c, before, after):
                if last_group and not is_whitespace(before) and _plain(after):
                    refs.add(end)
                else:
                    ok = False
            if ok and opens and closes and not can_open(c, before, after):
                ok = False
            if not ok:
                for i in idxs:
                    drop.add(i)
                    drop.add(partner[i])
                    # A dropped partner changes the run it was in, if that was judged.
                    changed.append(run_of[partner[i]])
        return [j for j in changed if j != k]

    # Left to right, as a reader pairs them; a run whose neighbourhood a later fix changed is
    # judged again. Each new judgement follows a new reference or a new dropped marker, and
    # there are at most as many of those as characters, so this ends.
    judged: set[int] = set()
    pending: list[int] = []
    for k in range(len(runs)):
        pending.append(k)
        while pending:
            j = pending.pop()
            judged.add(j)
            pending.extend(i for i in judge(j) if i in judged)
    # "\李" -> "\&#26446;" would print the reference: the backslash goes as a reference too.
    for i in list(refs):
        if i > 0 and text[i - 1] == "\\" and (i < 2 or text[i - 2] != "\\"):
            refs.add(i - 1)
    # A literal "_" or "*" left unescaped beside a character written as a reference now has
    # ";" or "&" as its neighbour, which can let it open or close ("1_1" -> "&#49;_1"): escape it.
    escapes = {
        j
        for i in refs
        for j in (i - 1, i + 1)
        if 0 <= j < len(text) and text[j] in "*_" and not (j and text[j - 1] == "\\")
    }
    out: list[str] = []
    last = 0
    spots = sorted(refs.union(escapes, *(range(a, b) for a, b in runs)))
    for i in spots:
        ch = text[i]
        out.append(text[last:i])
        last = i + 1
        if i in escapes:
            out.append("\\" + ch)
        elif i in refs:
            out.append(char_reference(ch))
        elif i in partner and i not in drop:
            out.append(MARKERS[ch])
    out.append(text[last:])
    return "".join(out)


# ---- the lint rule's side ------------------------------------------------------------------


@dataclass
class EmphasisProblem:
    """A delimiter run meant to close (or open) emphasis that a CommonMark reader leaves as text."""

    start: int  # offset of the run in the scanned text
    end: int
    marker: str
    side: str  # "open" or "close"
    fix_at: int  # offset of the character that spoils the run
    fix_char: str
    opener: tuple[int, int] = (0, 0)  # the pair of runs meant as one emphasis
    closer: tuple[int, int] = (0, 0)


_DELIMS = re.compile(r"(?<!\\)(\*+|_+)")


def code_span_ranges(text: str) -> list[tuple[int, int]]:
    """Code spans of one inline run (CommonMark 6.1), in one pass: a backtick run opens a span
    closed by the next run of the same length; one with no such run is literal."""
    runs: list[tuple[int, int]] = []
    i = text.find("`")
    while i >= 0:
        j = i + 1
        while j < len(text) and text[j] == "`":
            j += 1
        runs.append((i, j))
        i = text.find("`", j)
    # For each run, the next run of the same length (from the right, one pass).
    following: list[int] = [-1] * len(runs)
    last: dict[int, int] = {}
    for k in range(len(runs) - 1, -1, -1):
        n = runs[k][1] - runs[k][0]
        following[k] = last.get(n, -1)
        last[n] = k
    spans: list[tuple[int, int]] = []
    k = 0
    while k < len(runs):
        close = following[k]
        if close < 0:
            k += 1
            continue
        spans.append((runs[k][0], runs[close][1]))
        k = close + 1
    return spans


def unrendered_emphasis(
    text: str, code: list[tuple[int, int]] | None = None
) -> list[EmphasisProblem]:
    """Emphasis in one paragraph of Markdown that the reader will not render, with the fix.

    Looks for a pair of equal runs (``**…**``) where one side flanks and the other fails only
    because punctuation inside meets a letter outside — the CJK case, where no space is written.
    ``code`` are the paragraph's code spans (markdown-it's, when the caller has them).

    Each run pairs with the first later run of the same characters that could close it, as
    the earliest open run goes first: one pass, with a queue of open runs per delimiter.
    The problems come in the text's order.
    """
    if code is None:
        code = code_span_ranges(text) if "`" in text else []
    masked = text
    if code:
        parts: list[str] = []
        pos = 0
        for s, e in code:
            parts.append(text[pos:s])
            parts.append(" " * (e - s))
            pos = e
        parts.append(text[pos:])
        masked = "".join(parts)
    problems: list[EmphasisProblem] = []
    waiting: dict[str, list[tuple[int, int, bool, str]]] = {}  # run -> open runs, oldest first
    heads: dict[str, int] = {}  # run -> index of the oldest open run still waiting
    blank = masked.find("\n\n")
    for m in _DELIMS.finditer(masked):
        s, e = m.start(), m.end()
        if 0 <= blank < s:
            waiting.clear()  # a blank line ends the paragraph: nothing pairs across it
            heads.clear()
            blank = masked.find("\n\n", s)
        run = m.group(1)
        marker = run[0]
        before = masked[s - 1] if s else ""
        after = masked[e] if e < len(masked) else ""
        op = can_open(marker, before, after)
        cl = can_close(marker, before, after)
        queue = waiting.get(run)
        head = heads.get(run, 0)
        if queue and head < len(queue) and (cl or (is_punctuation(before) and _plain(after))):
            s1, e1, op1, before1 = queue[head]
            heads[run] = head + 1
            _judge(masked, problems, run, (s1, e1, op1, before1), (s, e, cl, after))
            continue
        # an opener that fails only because of punctuation after it and a letter before it
        if op or (not is_whitespace(after) and is_punctuation(after) and _plain(before)):
            waiting.setdefault(run, []).append((s, e, op, before))
    # Pairs are judged as their closers come, so an inner pair's problem can precede an outer
    # opener's: in the text's order, as findings are reported.
    problems.sort(key=lambda p: p.start)
    return problems


def _judge(
    masked: str,
    problems: list[EmphasisProblem],
    run: str,
    opener: tuple[int, int, bool, str],
    closer: tuple[int, int, bool, str],
) -> None:
    s, e, op, before = opener
    s2, e2, cl2, a2 = closer
    if op and cl2:
        return
    inner = masked[e:s2]
    if not inner.strip() or inner[0].isspace() or inner[-1].isspace():
        return
    # Only where a wide (CJK) character meets the delimiter: in Latin text the same
    # shapes are code-like (``std::{os*, fs*}``, ``[x][stream-_write]``), not emphasis.
    spoiler = before if not op else a2
    if not _wide(spoiler):
        return
    pair = {"opener": (s, e), "closer": (s2, e2)}
    if not op:
        problems.append(EmphasisProblem(s, e, run, "open", s - 1, before, **pair))
    if not cl2:
        problems.append(EmphasisProblem(s2, e2, run, "close", e2, a2, **pair))
