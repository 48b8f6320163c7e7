"""Markdown that a CommonMark reader will not render as its author meant."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from contentkit.diagnostics import Diagnostic, Edit, Fix
from contentkit.document import Document
from contentkit.rule import Rule, RuleContext

if TYPE_CHECKING:
    from contentkit.commonmark import EmphasisProblem
    from contentkit.markdown import InlineSource

# Opening and closing punctuation that belong together: ``**“名字”**`` becomes ``“**名字**”``.
_PAIRED = {
    "“": "”",
    "‘": "’",
    "「": "」",
    "『": "』",
    "《": "》",
    "〈": "〉",
    "（": "）",
    "【": "】",
    "〔": "〕",
    '"': '"',
    "'": "'",
    "(": ")",
    "[": "]",
}
_TAGS = {1: ("<em>", "</em>"), 2: ("<strong>", "</strong>"), 3: ("<em><strong>", "</strong></em>")}


def _rendered(source: str) -> tuple[str, int, int]:
    """(visible text, emphasis count, strong count) of one inline run, as markdown-it reads it."""
    from contentkit.markdown import parser

    text: list[str] = []
    em = strong = 0
    for block in parser().parseInline(source):
        for child in block.children or ():
            kind = child.type
            if kind in ("text", "code_inline", "image"):
                text.append(child.content)
            elif kind in ("softbreak", "hardbreak"):
                text.append("\n")
            elif kind == "em_open":
                em += 1
            elif kind == "strong_open":
                strong += 1
    return "".join(text), em, strong


def _pair_fix(content: str, problem: EmphasisProblem, open_ok: bool, close_ok: bool) -> Fix | None:
    """A readable fix for one unrendered pair, checked with markdown-it; None if none checks.

    First choice: the punctuation that spoils a delimiter moves outside it (``**重要。**后文``
    -> ``**重要**。后文``; a pair of quotes moves out together, ``“**名字**”``): plain Markdown, the
    same visible text. Else the pair becomes ``<strong>``/``<em>``, which renders exactly as meant.
    """
    (s, e), (s2, e2) = problem.opener, problem.closer
    # Checked on the lines around the pair (at most a few hundred characters either side): a
    # paragraph can be a whole post, and it would be read again for every finding.
    low = max(content.rfind("\n", max(0, s - _CONTEXT), s) + 1, s - _CONTEXT, 0)
    high = content.find("\n", e2, e2 + _CONTEXT)
    high = min(len(content), e2 + _CONTEXT) if high < 0 else high
    fix = _pair_fix_in(
        content[low:high], (s - low, e - low), (s2 - low, e2 - low), open_ok, close_ok
    )
    if fix is None:
        return None
    return Fix(
        tuple(Edit(x.start + low, x.end + low, x.text) for x in fix.edits),
        fix.applicability,
        fix.message,
    )


_CONTEXT = 300


def _pair_fix_in(
    content: str, opener: tuple[int, int], closer: tuple[int, int], open_ok: bool, close_ok: bool
) -> Fix | None:
    (s, e), (s2, e2) = opener, closer
    run = content[s:e]
    inner = content[e:s2]
    want_text, _, _ = _rendered(content[:s] + inner + content[e2:])
    _, em0, strong0 = _rendered(content)
    more_em, more_strong = len(run) in (1, 3), len(run) in (2, 3)
    candidates: list[tuple[str, str, str, str]] = []  # (before opener, opener, closer, after)
    lead, trail = inner[0], inner[-1]
    if _PAIRED.get(lead) == trail and len(inner) > 2:
        candidates.append((lead, run, run, trail))
    candidates.append(("" if open_ok else lead, run, run, "" if close_ok else trail))
    if len(run) in _TAGS:
        candidates.append(("", *_TAGS[len(run)], ""))
    for pre, left, right, post in candidates:
        core = inner[len(pre) : len(inner) - len(post)]
        if not core.strip() or core[0].isspace() or core[-1].isspace():
            continue
        fixed = content[:s] + pre + left + core + right + post + content[e2:]
        text, em1, strong1 = _rendered(fixed)
        if text != want_text:
            continue
        if left == run and (em1 != em0 + more_em or strong1 != strong0 + more_strong):
            continue
        edits = ((s, e + len(pre), pre + left), (s2 - len(post), e2, right + post))
        how = "Write the emphasis as inline HTML"
        if left == run:
            moved = "".join(dict.fromkeys(pre + post))
            how = f"Move '{moved}' outside the '{run}'"
        changed = tuple(Edit(a, b, t) for a, b, t in edits if content[a:b] != t)
        return Fix(changed, "safe", how)
    return None


class CjkEmphasis(Rule):
    """Emphasis that a CommonMark reader shows as asterisks, not as bold or italic.

    CommonMark lets ``**`` close emphasis after punctuation only if a space or more
    punctuation follows. Chinese and Japanese put no space between words, so
    ``**重要。**后文`` and ``**“直播一哥”**李佳琦`` are printed with their asterisks by every
    CommonMark reader (markdown-it, GitHub, Hugo's goldmark). The same holds for an opening
    ``**`` between a letter and punctuation (``他说**“不要”**``).

    The safe fix moves the punctuation that spoils the delimiter outside it (a pair of quotes
    or brackets moves out together): the text reads the same, and the emphasis renders. Where
    that cannot work (bold punctuation alone, ``**？**``) the emphasis becomes ``<strong>``
    (``<em>``) inline HTML. Every fix is checked with the CommonMark reader before it is offered.

    Fail::

        ---
        title: Hello
        ---
        这很**重要。**后文继续，**“直播一哥”**李佳琦。

    Pass::

        ---
        title: Hello
        ---
        这很**重要**。后文继续，“**直播一哥**”李佳琦。
    """

    code = "MD001"
    name = "cjk-emphasis"
    summary = "Emphasis next to punctuation that CommonMark will not render"
    body_kinds = frozenset({"markdown"})
    fix_applicability = "safe"

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Diagnostic]:
        # Imported here: every run loads every rule module to learn the codes, and a warm
        # (cached) run never checks a post, so it should not pay for markdown-it's import.
        from contentkit.commonmark import unrendered_emphasis

        for source in doc.markdown.inlines:
            content = source.content
            if "*" not in content and "_" not in content:
                continue
            code = [(s, e) for _, s, e in source.spans("code_inline")]
            problems = unrendered_emphasis(content, code)
            sides: dict[tuple[int, int], set[str]] = {}
            for problem in problems:
                sides.setdefault(problem.opener, set()).add(problem.side)
            for problem in problems:
                failing = sides[problem.opener]
                fix = _pair_fix(content, problem, "open" not in failing, "close" not in failing)
                yield self._diagnostic(doc, source, problem, fix)

    def _diagnostic(
        self, doc: Document, source: InlineSource, problem: EmphasisProblem, fix: Fix | None
    ) -> Diagnostic:
        start, end = source.raw_span(problem.start, problem.end)
        side = "close" if problem.side == "close" else "open"
        where = "after" if side == "close" else "before"
        if fix is not None:
            fix = Fix(
                tuple(Edit(*source.raw_span(e.start, e.end), e.text) for e in fix.edits),
                fix.applicability,
                fix.message,
            )
        return self.diagnostic(
            doc,
            start,
            end,
            f"'{problem.marker}' cannot {side} emphasis here: CommonMark readers show "
            f"it as text because of the punctuation inside and "
            f"'{problem.fix_char}' {where} it",
            fix,
        )


class MarkdownTooComplex(Rule):
    """A Markdown body too costly to read as CommonMark within contentkit's time budget.

    Reading Markdown costs time for every line and every character that may start markup:
    list markers (``-``, ``+``, ``1.``), ``#``, ``>``, ``|``, brackets and parentheses,
    ``*``, ``_``, backticks, ``<``… Before a body is parsed these are counted (at C speed) and
    weighted by what each costs at most; a body whose estimate is over 2.5 s (some 125,000
    lines of prose, 40,000 list items, 30,000 links or 60,000 ``**``; four times the largest
    real post seen) is not read, so that one file can never hold a lint run for minutes. The
    Markdown and HTML rules skip it and this finding says so, naming what weighs most; the
    front matter is still checked, and ``convert`` refuses the post with the same message
    (the weights are listed in the README, under Limits). Split the post to have it checked
    (``--ignore MD002`` only hides the finding). A post whose body is ``**a`` written
    3,000,000 times fails.

    Pass::

        ---
        title: Hello
        ---
        Any post of ordinary size.
    """

    code = "MD002"
    name = "markdown-too-complex"
    summary = "A Markdown body too costly to read as CommonMark, so its body was not checked"
    body_kinds = frozenset({"markdown"})

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Diagnostic]:
        from contentkit.limits import work_message

        body = doc.markdown
        if body.skipped:
            yield self.diagnostic(
                doc,
                doc.body_start,
                doc.body_start,
                work_message(body.work, body.heaviest, markdown=True),
            )


RULES = [CjkEmphasis, MarkdownTooComplex]
