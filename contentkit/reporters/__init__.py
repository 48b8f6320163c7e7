"""Reporters: small functions from findings to text. Adding a format touches one file."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from contentkit.diagnostics import Diagnostic

Reporter = Callable[[Sequence[Diagnostic], "ReportOptions"], str]


class ReportOptions:
    def __init__(self, color: bool = False, show_source: bool = False) -> None:
        self.color = color
        self.show_source = show_source


def get_reporter(name: str) -> Reporter:
    from contentkit.reporters import json_format, text

    reporters: dict[str, Reporter] = {
        "text": text.report,
        "concise": text.report_concise,
        "json": json_format.report,
    }
    return reporters[name]


FORMATS = ("text", "concise", "json")
