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


def get_reporter(name: str) -> Reporter:
    from contentkit.reporters import github, json_format, junit, sarif, text

    reporters: dict[str, Reporter] = {
        "text": text.report,
        "concise": text.report_concise,
        "json": json_format.report,
        "github": github.report,
        "sarif": sarif.report,
        "junit": junit.report,
    }
    return reporters[name]


FORMATS = ("text", "concise", "json", "github", "sarif", "junit")
