"""CK002 unused-suppression: suppression comments that hid nothing on this run.

The engine records, for each ``contentkit-disable…`` comment, the codes of the findings it
hid; this module turns the comments (or the rule names in them) that hid nothing into
findings with a safe fix that deletes them. A name is only called unused when its rules ran
on the post, since a rule that did not run cannot have been suppressed.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from contentkit import rule as rule_mod
from contentkit.diagnostics import Diagnostic, Edit, Fix

if TYPE_CHECKING:
    from contentkit.document import Document
    from contentkit.engine import Suppression

CODE = "CK002"
NAME = "unused-suppression"
_COMMENT = re.compile(r"(?P<open><!--|#)\s*contentkit-(?P<verb>[a-z-]+)")


def _codes(selector: str) -> set[str]:
    # Memoized per registry: a post may repeat one selector in a hundred thousand comments.
    registry = rule_mod.registered_rules()
    memo = _CODES_MEMO.get(id(registry))
    if memo is None:
        _CODES_MEMO.clear()
        memo = _CODES_MEMO[id(registry)] = {}
    found = memo.get(selector)
    if found is None:
        found = {c for c, r in registry.items() if rule_mod.matches(r, selector)}
        if len(memo) < 4096:
            memo[selector] = found
    return set(found)


_CODES_MEMO: dict[int, dict[str, set[str]]] = {}


def _names_self(selector: str) -> bool:
    return CODE in _codes(selector) and selector.upper() != "ALL"


def _line_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, start) + 1
    nl = text.find("\n", end)
    return line_start, (len(text) if nl < 0 else nl + 1)


def _deletion(text: str, start: int, end: int) -> Edit:
    """Delete a comment: with its whole line when nothing else is on it, else with the
    spaces before it."""
    line_start, line_end = _line_bounds(text, start, end)
    if not text[line_start:start].strip() and not text[end:line_end].strip():
        return Edit(line_start, line_end, "")
    while start > line_start and text[start - 1] in " \t":
        start -= 1
    return Edit(start, end, "")


def rewrite_suppression(text: str, start: int, end: int, selectors: list[str]) -> Edit:
    """The same comment naming only ``selectors``."""
    m = _COMMENT.match(text, start)
    opener, verb = (m.group("open"), m.group("verb")) if m else ("<!--", "disable")
    names = ", ".join(selectors)
    new = (
        f"<!-- contentkit-{verb} {names} -->"
        if opener == "<!--"
        else f"# contentkit-{verb} {names}"
    )
    return Edit(start, end, new)


def _selectors_of(text: str, span: tuple[int, int]) -> list[str]:
    body = text[span[0] : span[1]]
    body = re.sub(r"^(?:<!--|#)\s*contentkit-[a-z-]+", "", body)
    body = re.sub(r"-->\s*$", "", body)
    return [s for s in re.split(r"[\s,]+", body.strip()) if s]


def find_unused(doc: Document, suppressions: list[Suppression], ran: set[str]) -> list[Diagnostic]:
    from contentkit.engine import position

    text = doc.text
    found: list[Diagnostic] = []
    for s in suppressions:
        comment = f"contentkit-{s.verb}"
        if not s.selectors:
            if s.used:
                continue
            unused: list[str] = []
            message = f"'{comment}' suppresses nothing here"
        else:
            unused = []
            for sel in s.selectors:
                if _names_self(sel):
                    continue  # judged below, once CK002's own findings are known
                codes = _codes(sel)
                if not codes:
                    unused.append(sel)
                elif codes & ran and not codes & set(s.suppressed):
                    unused.append(sel)
            if not unused:
                continue
            names = ", ".join(unused)
            if len(unused) == len(s.selectors):
                message = f"'{comment} {names}' suppresses nothing here"
            else:
                verb = "suppresses" if len(unused) == 1 else "suppress"
                message = f"'{comment}' names {names}, which {verb} nothing here"
            unknown = [u for u in unused if not _codes(u)]
            if unknown:
                message += f" (unknown rule{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)})"
        kept = [sel for sel in s.selectors if sel not in unused]
        if not kept:
            edits = [_deletion(text, s.start, s.end)]
            if s.closer is not None:
                edits.append(_deletion(text, *s.closer))
            fix = Fix(tuple(edits), "safe", "Remove the unused suppression comment")
        else:
            edits = [rewrite_suppression(text, s.start, s.end, kept)]
            if s.closer is not None and _selectors_of(text, s.closer) == s.selectors:
                edits.append(rewrite_suppression(text, *s.closer, kept))
            fix = Fix(tuple(edits), "safe", f"Remove {', '.join(unused)} from the comment")
        diag = Diagnostic(CODE, NAME, message, doc.path, s.start, s.end, fix=fix)
        position(doc, diag)
        found.append(diag)
    # A comment that names CK002 itself hides CK002 findings, like any other suppression.
    kept_diags: list[Diagnostic] = []
    naming_self = [s for s in suppressions if any(_names_self(sel) for sel in s.selectors)]
    for diag in found:
        hit = next((s for s in naming_self if s.covers(diag)), None)
        if hit is None:
            kept_diags.append(diag)
        else:
            hit.used = True
            hit.suppressed.append(CODE)
    return kept_diags
