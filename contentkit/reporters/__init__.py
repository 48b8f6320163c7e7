"""Reporters: small functions from findings to text. Adding a format touches one file."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from contentkit.diagnostics import Diagnostic

Reporter = Callable[[Sequence[Diagnostic], "ReportOptions"], str]


class ReportOptions:
    def __init__(
        self, color: bool = False, show_source: bool = False, files: Sequence[str] = ()
    ) -> None:
        self.color = color
        self.show_source = show_source
        # Every file that was linted, clean or not (JUnit reports clean files as passing).
        self.files = list(files)


# format -> (module, function); a run imports only the reporter it prints with.
_REPORTERS = {
    "text": ("text", "report"),
    "concise": ("text", "report_concise"),
    "json": ("json_format", "report"),
    "github": ("github", "report"),
    "sarif": ("sarif", "report"),
    "junit": ("junit", "report"),
}


def get_reporter(name: str) -> Reporter:
    import importlib

    module, function = _REPORTERS[name]
    reporter: Reporter = getattr(importlib.import_module(f"{__name__}.{module}"), function)
    return reporter


FORMATS = ("text", "concise", "json", "github", "sarif", "junit")
