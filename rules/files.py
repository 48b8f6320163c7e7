"""The file itself: problems that stop a post from being read at all."""

from __future__ import annotations

from collections.abc import Iterable

from contentkit.diagnostics import Diagnostic
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


RULES = [UnreadableFile, InternalError]
