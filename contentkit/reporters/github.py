"""``--output-format github``: GitHub Actions workflow commands that become annotations.

One line per finding, ``::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message``,
escaped as the Actions toolkit escapes them: ``%``, CR and LF everywhere, and also ``:`` and
``,`` inside the properties, where they would end a value.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from contentkit.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from contentkit.reporters import ReportOptions

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(d: Diagnostic) -> str:
    line = max(d.line, 1)
    col = max(d.column, 1)
    if d.end_line == d.line and d.end_column >= col:
        end_column = d.end_column
    else:
        # GitHub takes columns only for a span on one line: a longer span is shown from its
        # start to the end of its first line.
        end_column = max(len(d.source_line) + 1, col)
    props = [
        ("file", d.path),
        ("line", str(line)),
        ("col", str(col)),
        ("endLine", str(line)),
        ("endColumn", str(end_column)),
        ("title", f"{d.code} {d.name}"),
    ]
    head = ",".join(f"{k}={escape_property(v)}" for k, v in props)
    command = _COMMAND.get(d.severity, "error")
    return f"::{command} {head}::{escape_data(f'{d.code} [{d.name}] {d.message}')}"


def report(diagnostics: Sequence[Diagnostic], options: ReportOptions) -> str:
    return "".join(annotation(d) + "\n" for d in diagnostics)
