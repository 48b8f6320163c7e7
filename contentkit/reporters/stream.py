"""Writing findings as each file's results arrive, keeping only counts.

Output is in discovery order, each file's findings sorted by line and column, so a run over
a million posts prints its first finding at once and holds no list of all findings. The
bytes are the same as the batch reporters': text reports concatenate, and JSON is written
as the same indented array, element by element. SARIF and JUnit are single documents with
totals up front, so those two keep the findings and write once at the end.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO

from contentkit.diagnostics import Diagnostic, FindingCounts, count_findings
from contentkit.reporters import ReportOptions, get_reporter

if TYPE_CHECKING:
    from contentkit.cache import RenderedFindings

WHOLE_DOCUMENT_FORMATS = frozenset({"sarif", "junit"})


class StreamingReport:
    def __init__(self, output_format: str, options: ReportOptions, out: TextIO) -> None:
        self.format = output_format
        self.options = options
        self.out = out
        self._reporter: Callable[..., str] = get_reporter(output_format)
        self._json_items = 0
        self.files = 0
        self.findings = 0
        self.safe = 0
        self.unsafe = 0
        self.fixed = 0
        self.cached = 0
        self.counts: Counter[tuple[str, str]] = Counter()
        self.fixable_codes: set[str] = set()
        # Whole-document formats only: every finding and every file linted.
        self._kept: list[Diagnostic] = []
        self._paths: list[str] = []
        # Off a terminal, output is gathered into blocks of about 64 KiB, as Python's own
        # stdout does for a pipe: with PYTHONUNBUFFERED (common on CI) every finding would
        # otherwise be a system call. On a terminal each file's findings show at once.
        isatty = getattr(out, "isatty", None)
        self._interactive = bool(isatty and isatty())
        self._pending: list[str] = []
        self._pending_size = 0

    def _write(self, text: str) -> None:
        if self._interactive:
            self.out.write(text)
            return
        self._pending.append(text)
        self._pending_size += len(text)
        if self._pending_size >= 65536:
            self.flush()

    def flush(self) -> None:
        if self._pending:
            self.out.write("".join(self._pending))
            self._pending.clear()
            self._pending_size = 0
        self.out.flush()

    @property
    def prints_rendered(self) -> bool:
        """Whether cached posts may come as RenderedFindings: the plain text report."""
        return self.format == "text" and not self.options.color and not self.options.show_source

    def add_rendered(self, rendered: RenderedFindings, cached: bool = True) -> None:
        """A post whose findings come already printed (see ``prints_rendered``)."""
        self.files += 1
        self.cached += cached
        self._tally(rendered.counts)
        if rendered.text:
            self._write(rendered.text)

    def _tally(self, counts: FindingCounts) -> None:
        for code, name, n, safe, unsafe in counts:
            self.counts[(code, name)] += n
            self.safe += safe
            self.unsafe += unsafe
            if safe:
                self.fixable_codes.add(code)
            self.findings += n

    @property
    def _whole_document(self) -> bool:
        return self.format in WHOLE_DOCUMENT_FORMATS

    def add(
        self,
        path: str,
        diagnostics: list[Diagnostic],
        fixes_applied: int = 0,
        cached: bool = False,
    ) -> None:
        self.files += 1
        if self._whole_document:
            self._paths.append(path)
        self.fixed += fixes_applied
        self.cached += cached
        if not diagnostics:
            return
        diagnostics = sorted(diagnostics, key=Diagnostic.sort_key)
        self._tally(count_findings(diagnostics))
        if self._whole_document:
            self._kept.extend(diagnostics)
        elif self.format == "json":
            for d in diagnostics:
                item = json.dumps(d.to_dict(), ensure_ascii=False, indent=2)
                sep = "[\n" if self._json_items == 0 else ",\n"
                self._write(sep + "\n".join("  " + ln for ln in item.split("\n")))
                self._json_items += 1
        else:
            self._write(self._reporter(diagnostics, self.options))

    def finish(self) -> None:
        if self._whole_document:
            self.options.files = self._paths
            self._write(self._reporter(self._kept, self.options))
        elif self.format == "json":
            self._write("[]\n" if self._json_items == 0 else "\n]\n")
        self.flush()
