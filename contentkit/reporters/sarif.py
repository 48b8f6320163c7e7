"""``--output-format sarif``: SARIF 2.1.0, the format code-scanning dashboards read.

Every registered rule is described in ``tool.driver.rules`` (id = code, name, summary,
documentation); each finding is a result pointing at its rule by id and index, with a region
in 1-based lines and columns. Columns count Unicode code points, as contentkit's do, and the
run says so (``columnKind``): SARIF's default would be UTF-16 code units. ``endColumn`` is the
column after the last character, as SARIF and contentkit both define it. Fixes are included as
SARIF ``fixes`` with their replacements.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from contentkit import __version__
from contentkit.diagnostics import Diagnostic, Edit, Severity
from contentkit.rule import Rule, registered_rules

if TYPE_CHECKING:
    from contentkit.reporters import ReportOptions

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
SRCROOT = "%SRCROOT%"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def artifact_location(path: str) -> dict[str, Any]:
    """A relative path stays relative to %SRCROOT% (the working directory); others are URIs."""
    p = Path(path)
    if p.is_absolute():
        return {"uri": p.as_uri()}
    posix = PurePosixPath(*p.parts).as_posix() if p.parts else path
    return {"uri": quote(posix, safe="/-._~!$&'()*+,;=@"), "uriBaseId": SRCROOT}


def _region(line: int, column: int, end_line: int, end_column: int) -> dict[str, int]:
    start_line, start_column = max(line, 1), max(column, 1)
    end_line = max(end_line, start_line)
    end_column = max(end_column, 1)
    if end_line == start_line:
        end_column = max(end_column, start_column)
    return {
        "startLine": start_line,
        "startColumn": start_column,
        "endLine": end_line,
        "endColumn": end_column,
    }


def _first_paragraph(text: str) -> str:
    return " ".join(text.split("\n\n", 1)[0].split())


def rule_descriptor(rule: type[Rule]) -> dict[str, Any]:
    doc = inspect.getdoc(rule) or ""  # dedented; the first docstring line is not indented
    descriptor: dict[str, Any] = {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "defaultConfiguration": {"level": _LEVEL.get(rule.severity, "error")},
        "properties": {"fix": rule.fix_applicability or "none"},
    }
    if doc:
        descriptor["fullDescription"] = {"text": _first_paragraph(doc)}
        descriptor["help"] = {"text": doc, "markdown": doc}
    return descriptor


def _replacement(edit: Edit) -> dict[str, Any]:
    return {
        "deletedRegion": _region(edit.line, edit.column, edit.end_line, edit.end_column),
        "insertedContent": {"text": edit.text},
    }


def result(d: Diagnostic, rule_index: dict[str, int]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ruleId": d.code,
        "level": _LEVEL.get(d.severity, "error"),
        "message": {"text": d.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": artifact_location(d.path),
                    "region": _region(d.line, d.column, d.end_line, d.end_column),
                }
            }
        ],
    }
    if d.code in rule_index:
        out["ruleIndex"] = rule_index[d.code]
    if d.fix is not None and d.fix.edits:
        out["fixes"] = [
            {
                "description": {"text": d.fix.message or f"Fix {d.name}"},
                "artifactChanges": [
                    {
                        "artifactLocation": artifact_location(d.path),
                        "replacements": [_replacement(e) for e in d.fix.edits],
                    }
                ],
                "properties": {"applicability": d.fix.applicability},
            }
        ]
    return out


def sarif_log(diagnostics: Sequence[Diagnostic]) -> dict[str, Any]:
    rules = list(registered_rules().values())
    rule_index = {r.code: i for i, r in enumerate(rules)}
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "contentkit",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": [rule_descriptor(r) for r in rules],
                    }
                },
                "originalUriBaseIds": {SRCROOT: {"uri": Path.cwd().as_uri() + "/"}},
                "columnKind": "unicodeCodePoints",
                "results": [result(d, rule_index) for d in diagnostics],
            }
        ],
    }


def report(diagnostics: Sequence[Diagnostic], options: ReportOptions) -> str:
    return json.dumps(sarif_log(diagnostics), ensure_ascii=False, indent=2) + "\n"
