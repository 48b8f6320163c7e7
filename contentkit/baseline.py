"""Baselines: adopt contentkit on an archive today, and be told only about new findings.

``contentkit lint --write-baseline FILE`` records every current finding; ``--baseline FILE``
then hides the recorded ones and reports the rest. A finding is recorded by the post's path
(relative to the baseline file, so the file can be committed and used from any folder), its
rule code, and a fingerprint of the offending text with a little context on its own line,
never its line number: editing elsewhere in a post moves findings without changing their
fingerprints. Identical findings in one post are counted, so a post with three recorded
copies of a defect reports a fourth.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from contentkit.diagnostics import Diagnostic
from contentkit.errors import ConfigError
from contentkit.files import write_atomic

FORMAT_VERSION = 1
CONTEXT = 24  # characters of context each side of the offending text, on its own line
_SPAN_KEEP = 100  # of a long span, the fingerprint reads this much of each end

Key = tuple[str, str, str]  # (path, code, fingerprint)


def _norm(text: str) -> str:
    return " ".join(text.split())


def fingerprint(diag: Diagnostic) -> str:
    """A hash of the rule code, the offending text and its context on the same line.

    Only what a finding carries is used (its line's text and columns), so a finding from
    the cache or from a worker process keys the same as one computed here.
    """
    line = diag.source_line
    start = max(0, min(diag.column - 1, len(line)))
    end = diag.end_column - 1 if diag.end_line == diag.line else len(line)
    end = max(start, min(end, len(line)))
    before = line[max(0, start - CONTEXT) : start]
    after = line[end : end + CONTEXT]
    span = line[start:end]
    if len(span) > 2 * _SPAN_KEEP:
        span = span[:_SPAN_KEEP] + "\0" + span[-_SPAN_KEEP:]
    if not line:  # nothing on the line to go by (e.g. an unreadable file): the message is all
        span = diag.message
    basis = "\0".join((diag.code, _norm(before), _norm(span), _norm(after)))
    return hashlib.sha256(basis.encode("utf-8", "surrogatepass")).hexdigest()[:20]


def _relative_path(path: str, base: Path) -> str:
    try:
        return Path(path).resolve().relative_to(base.resolve()).as_posix()
    except (ValueError, OSError):
        return Path(path).as_posix()


@dataclass
class Finding:
    path: str
    diagnostic: Diagnostic
    key: Key


def keyed(diagnostics: Iterable[Diagnostic], base: Path) -> list[Finding]:
    out: list[Finding] = []
    for d in diagnostics:
        path = _relative_path(d.path, base)
        out.append(Finding(path, d, (path, d.code, fingerprint(d))))
    return out


class BaselineRecorder:
    """Collects findings file by file (``--write-baseline``), then writes them atomically."""

    def __init__(self, file: Path) -> None:
        self.file = file
        self.counts: Counter[Key] = Counter()
        self.first: dict[Key, Diagnostic] = {}

    def add(self, diagnostics: Iterable[Diagnostic]) -> None:
        for f in keyed(diagnostics, self.file.parent):
            self.counts[f.key] += 1
            self.first.setdefault(f.key, f.diagnostic)

    def write(self) -> int:
        """Write the baseline; returns how many findings it records."""
        entries = [
            {
                "path": key[0],
                "code": key[1],
                "name": self.first[key].name,
                "fingerprint": key[2],
                "count": self.counts[key],
                # For the reader of a diff; not part of the key.
                "message": self.first[key].message,
            }
            for key in sorted(self.counts)
        ]
        data = {"contentkit-baseline": FORMAT_VERSION, "findings": entries}
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        write_atomic(self.file, text.encode("utf-8"))
        return sum(self.counts.values())


def load_baseline(file: Path) -> Counter[Key]:
    shown = str(file)
    try:
        raw = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError("baseline file not found", shown) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read baseline: {exc}", shown) from None
    try:
        data: Any = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"invalid JSON: {exc.msg}", shown, exc.lineno, exc.colno) from None
    if not isinstance(data, dict) or data.get("contentkit-baseline") != FORMAT_VERSION:
        raise ConfigError("not a contentkit baseline (write one with --write-baseline)", shown)
    counts: Counter[Key] = Counter()
    for i, entry in enumerate(data.get("findings") or []):
        try:
            key = (str(entry["path"]), str(entry["code"]), str(entry["fingerprint"]))
            counts[key] += int(entry.get("count", 1))
        except (KeyError, TypeError, ValueError):
            raise ConfigError(f"baseline entry {i + 1} is malformed", shown) from None
    return counts


class BaselineFilter:
    """Drops the findings a baseline records (``--baseline``), file by file as they stream."""

    def __init__(self, file: Path) -> None:
        self.file = file
        self.remaining = load_baseline(file)
        self.hidden = 0

    def filter(self, diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
        kept: list[Diagnostic] = []
        for f in keyed(diagnostics, self.file.parent):
            if self.remaining[f.key] > 0:
                self.remaining[f.key] -= 1
                self.hidden += 1
            else:
                kept.append(f.diagnostic)
        return kept
