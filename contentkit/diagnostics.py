"""What a rule reports: a Diagnostic at a span of the raw text, with an optional Fix."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Literal

Applicability = Literal["safe", "unsafe"]


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass
class Edit:
    """Replace raw[start:end] with ``text`` (offsets are into the decoded file text).

    The engine fills the 1-based line/column fields so reporters need no document.
    """

    start: int
    end: int
    text: str
    line: int = 0
    column: int = 0
    end_line: int = 0
    end_column: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "content": self.text,
            "location": {"row": self.line, "column": self.column},
            "end_location": {"row": self.end_line, "column": self.end_column},
        }


@dataclass(frozen=True)
class Fix:
    edits: tuple[Edit, ...]
    applicability: Applicability = "safe"
    message: str = ""


# Per (code, name): findings, with a safe fix, with an unsafe fix.
FindingCounts = tuple[tuple[str, str, int, int, int], ...]


def count_findings(diagnostics: Iterable[Diagnostic]) -> FindingCounts:
    """What the summary and ``--statistics`` count, per rule, in first-seen order."""
    counts: dict[tuple[str, str], list[int]] = {}
    for d in diagnostics:
        row = counts.setdefault((d.code, d.name), [0, 0, 0])
        row[0] += 1
        if d.fix is not None:
            row[1 if d.fix.applicability == "safe" else 2] += 1
    return tuple(
        (code, name, n, safe, unsafe) for (code, name), (n, safe, unsafe) in counts.items()
    )


@dataclass
class Diagnostic:
    code: str
    name: str
    message: str
    path: str
    start: int
    end: int
    line: int = 0
    column: int = 0
    end_line: int = 0
    end_column: int = 0
    severity: Severity = Severity.ERROR
    fix: Fix | None = None
    # Line text the diagnostic starts on, filled by the engine for --show-source.
    source_line: str = field(default="", repr=False)

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.column, self.code)

    def to_dict(self) -> dict[str, Any]:
        fix: dict[str, Any] | None = None
        if self.fix is not None:
            fix = {
                "applicability": self.fix.applicability,
                "message": self.fix.message,
                "edits": [e.to_dict() for e in self.fix.edits],
            }
        return {
            "code": self.code,
            "name": self.name,
            "message": self.message,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "severity": self.severity.value,
            "fix": fix,
        }
