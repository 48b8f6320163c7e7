"""Suppression comments themselves: the ones that no longer suppress anything."""

from __future__ import annotations

from collections.abc import Iterable

from contentkit.diagnostics import Diagnostic
from contentkit.document import Document
from contentkit.rule import Rule, RuleContext


class UnusedSuppression(Rule):
    """A ``contentkit-disable…`` comment that suppresses no finding, like ruff's RUF100.

    Once the defect a suppression comment was written for is fixed, the comment only hides
    the next real finding on that line. The engine reports it at the comment; when only some
    of the rules it names are unused, the message names those. Rules that did not run on the
    post (not selected, or ignored for it) are never called unused, since they were not
    checked. The safe fix deletes the comment (with its line, when it stands alone), or just
    the unused names from it; deleting an unused ``contentkit-disable`` also deletes the
    ``contentkit-enable`` that closes it.

    Fail (extend-select = ["non-iso-date"])::

        ---
        title: Hello
        # contentkit-disable-next-line non-iso-date
        date: 2021-04-20T02:55:35Z
        ---

    Pass (extend-select = ["non-iso-date"])::

        ---
        title: Hello
        # contentkit-disable-next-line non-iso-date
        date: Tue, 20 Apr 2021 02:55:35 GMT
        ---
    """

    code = "CK002"
    name = "unused-suppression"
    summary = "A suppression comment that suppresses nothing"
    fix_applicability = "safe"

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Diagnostic]:
        return ()  # reported by the engine, which alone knows what each comment suppressed


RULES = [UnusedSuppression]
