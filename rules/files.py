"""The file itself: problems that stop a post from being read at all."""

from __future__ import annotations

import re
from collections.abc import Iterable

from contentkit.diagnostics import Diagnostic, Edit, Fix
from contentkit.document import Document
from contentkit.rule import Rule, RuleContext


class UnreadableFile(Rule):
    """A file that cannot be read as a post: missing, unreadable, binary, too large, or not
    in the expected encoding.

    The engine reports it in place of every other rule, at the position of the problem
    (for an encoding error, the first byte that does not decode), and goes on to the next
    file. ``--encoding gb18030`` reads GBK and GB18030 posts.
    """

    code = "CK001"
    name = "unreadable-file"
    summary = "The file cannot be read as a post"

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Diagnostic]:
        return ()  # reported by the engine, which never gets a Document for such a file


class InternalError(Rule):
    """contentkit itself failed on this file (a bug, or input deep enough to exhaust the stack).

    The engine reports it in place of the file's findings, writes nothing, and goes on to the
    next file; the message names the exception. Please report it with the file.
    """

    code = "CK003"
    name = "internal-error"
    summary = "contentkit failed on this file"

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Diagnostic]:
        return ()  # reported by the engine when linting the file raised


class NestingTooDeep(Rule):
    """HTML nested deeper than contentkit follows (10,000 elements).

    The engine reports it in place of every other rule, at the first tag past the limit, and
    ``convert`` refuses the post with the same message: walking a tree that deep costs time
    and memory for every level, and no real post needs it. Usually markup pasted without its
    closing tags (``<div>`` after ``<div>``).
    """

    code = "CK005"
    name = "nesting-too-deep"
    summary = "HTML nested more than 10,000 elements deep"

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Diagnostic]:
        return ()  # reported by the engine, before any rule walks the post


_NEWLINE = re.compile(r"\r\n|\r|\n")
_SHOWN = {"\r\n": "CRLF", "\n": "LF", "\r": "CR"}


class MixedNewlines(Rule):
    """The file mixes line endings (CRLF, LF, CR).

    Usually a post edited on two systems or assembled from pieces. Diffs show every line
    as changed and some tools split lines differently. The fix rewrites the minority endings
    to the file's most common one; a file with one style throughout (CRLF included) is fine,
    and ``--fix`` keeps whatever style a file has.

    Fail::

        ---\r
        title: Hello
        ---

    Pass::

        ---
        title: Hello
        ---
    """

    code = "CK004"
    name = "mixed-newlines"
    summary = "The file mixes CRLF, LF and CR line endings"
    fix_applicability = "safe"

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Diagnostic]:
        if not doc.mixed_newlines:
            return
        counts: dict[str, int] = {}
        edits: list[Edit] = []
        first = None
        for m in _NEWLINE.finditer(doc.text):
            counts[m.group(0)] = counts.get(m.group(0), 0) + 1
            if m.group(0) != doc.newline:
                edits.append(Edit(m.start(), m.end(), doc.newline))
                if first is None:
                    first = m
        if first is None:
            return
        tally = ", ".join(f"{n} {_SHOWN[k]}" for k, n in counts.items())
        yield self.diagnostic(
            doc,
            first.start(),
            first.end(),
            f"mixed line endings ({tally}); this line ends in {_SHOWN[first.group(0)]}",
            Fix(tuple(edits), "safe", f"Use {_SHOWN[doc.newline]} throughout"),
        )


RULES = [UnreadableFile, InternalError, MixedNewlines, NestingTooDeep]
