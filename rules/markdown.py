"""Markdown that a CommonMark reader will not render as its author meant."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from contentkit.diagnostics import Diagnostic, Edit, Fix
from contentkit.document import Document
from contentkit.rule import Rule, RuleContext


def _inline_sources(doc: Document) -> Iterator[tuple[str, list[int]]]:
    """(inline source, offset in doc.text of each of its characters) for every inline run.

    markdown-it gives each paragraph, heading and table cell its inline source with the
    container prefixes (``>``, list indentation) removed; each line of it is found again in its
    source line so that positions point into the real file.
    """
    base_line = doc.body_first_line
    for tok in doc.markdown_tokens:
        if tok.type != "inline" or not tok.map or not tok.content:
            continue
        first = base_line + tok.map[0]
        last = base_line + tok.map[1] - 1
        offsets: list[int] = []
        search_from = first
        for k, line in enumerate(tok.content.split("\n")):
            stripped = line.strip()
            found = -1
            for n in range(search_from, last + 1):
                col = doc.line_text(n).find(stripped) if stripped else 0
                if col >= 0:
                    found = doc.offset_of(n, 1) + col
                    search_from = n + 1
                    break
            if found < 0:
                offsets = []
                break
            lead = len(line) - len(line.lstrip())
            offsets.extend(found - lead + i for i in range(len(line)))
            if k < tok.content.count("\n"):
                offsets.append(found - lead + len(line))  # the newline
        if len(offsets) == len(tok.content):
            yield tok.content, offsets


class CjkEmphasis(Rule):
    """Emphasis that a CommonMark reader shows as asterisks, not as bold or italic.

    CommonMark lets ``**`` close emphasis after punctuation only if a space or more
    punctuation follows. Chinese and Japanese put no space between words, so
    ``**重要。**后文`` and ``**“直播一哥”**李佳琦`` are printed with their asterisks by every
    CommonMark reader (markdown-it, GitHub, Hugo's goldmark). The same holds for an opening
    ``**`` between a letter and punctuation (``他说**“不要”**``).

    The safe fix writes the letter next to the delimiter as a character reference
    (``后`` -> ``&#21518;``): readers display the same character, and the delimiter now flanks.
    Nothing visible changes except that the emphasis renders.

    Fail::

        ---
        title: Hello
        ---
        这很**重要。**后文继续。

    Pass::

        ---
        title: Hello
        ---
        这很**重要。**&#21518;文继续。
    """

    code = "MD001"
    name = "cjk-emphasis"
    summary = "Emphasis next to punctuation that CommonMark will not render"
    body_kinds = frozenset({"markdown"})
    fix_applicability = "safe"

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Diagnostic]:
        # Imported here: every run loads every rule module to learn the codes, and a warm
        # (cached) run never checks a post, so it should not pay for markdown-it's import.
        from contentkit.commonmark import char_reference, unrendered_emphasis

        for content, offsets in _inline_sources(doc):
            if "*" not in content and "_" not in content:
                continue
            for problem in unrendered_emphasis(content):
                start, end = offsets[problem.start], offsets[problem.end - 1] + 1
                at = offsets[problem.fix_at]
                ref = char_reference(problem.fix_char)
                side = "close" if problem.side == "close" else "open"
                where = "after" if side == "close" else "before"
                yield self.diagnostic(
                    doc,
                    start,
                    end,
                    f"'{problem.marker}' cannot {side} emphasis here: CommonMark readers show "
                    f"it as text because of the punctuation inside and "
                    f"'{problem.fix_char}' {where} it",
                    Fix(
                        (Edit(at, at + len(problem.fix_char), ref),),
                        "safe",
                        f"Write '{problem.fix_char}' as {ref}",
                    ),
                )


RULES = [CjkEmphasis]
