"""``path:line:col: CODE [name] message``, the line every editor and CI log can jump to."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from contentkit.diagnostics import Diagnostic

if TYPE_CHECKING:
    from contentkit.reporters import ReportOptions

_BOLD, _RED, _CYAN, _DIM, _RESET = "\x1b[1m", "\x1b[31m", "\x1b[36m", "\x1b[2m", "\x1b[0m"


def _line(d: Diagnostic, color: bool, with_name: bool = True) -> str:
    name = f" [{d.name}]" if with_name else ""
    fixable = " [*]" if d.fix is not None and d.fix.applicability == "safe" else ""
    if not color:
        return f"{d.path}:{d.line}:{d.column}: {d.code}{name}{fixable} {d.message}"
    sep = f"{_CYAN}:{_RESET}"
    return (
        f"{_BOLD}{d.path}{_RESET}{sep}{d.line}{sep}{d.column}{sep} "
        f"{_BOLD}{_RED}{d.code}{_RESET}{_DIM}{name}{_RESET}{fixable} {d.message}"
    )


SOURCE_WIDTH = 100  # terminal columns of source shown; longer lines are cut around the caret
_LEFT_CONTEXT = 30


def _width(ch: str) -> int:
    from wcwidth import wcwidth

    w = wcwidth(ch)
    return 1 if w < 0 else w  # a control character still takes a cell once expanded


def source_excerpt(d: Diagnostic) -> str:
    """The offending line and a caret under the column; wide (CJK) characters count as two.

    A long line (whole HTML bodies often are one line) is cut to about SOURCE_WIDTH columns
    around the caret, with ``…`` where text was left out.
    """
    line = d.source_line.expandtabs(4)
    caret = len(d.source_line[: max(d.column - 1, 0)].expandtabs(4))
    widths = [_width(ch) for ch in line]
    start, end = 0, len(line)
    if sum(widths) > SOURCE_WIDTH:
        start, room = caret, _LEFT_CONTEXT
        while start > 0 and room - widths[start - 1] >= 0:
            start -= 1
            room -= widths[start]
        end, room = start, SOURCE_WIDTH
        while end < len(line) and room - widths[end] >= 0:
            room -= widths[end]
            end += 1
    head = "…" if start > 0 else ""
    tail = "…" if end < len(line) else ""
    offset = sum(widths[start:caret]) + len(head)
    gutter = f"{d.line} | "
    return f"{gutter}{head}{line[start:end]}{tail}\n{' ' * (len(gutter) - 2)}| {' ' * offset}^"


def report(diagnostics: Sequence[Diagnostic], options: ReportOptions) -> str:
    out = []
    for d in diagnostics:
        out.append(_line(d, options.color))
        if options.show_source and d.source_line:
            out.append(source_excerpt(d))
    return "\n".join(out) + ("\n" if out else "")


def report_concise(diagnostics: Sequence[Diagnostic], options: ReportOptions) -> str:
    out = [_line(d, options.color, with_name=False) for d in diagnostics]
    return "\n".join(out) + ("\n" if out else "")
