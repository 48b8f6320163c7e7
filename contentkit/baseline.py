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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from contentkit.diagnostics import Diagnostic
from contentkit.document import Document
from contentkit.errors import ConfigError
from contentkit.files import write_atomic

FORMAT_VERSION = 1
CONTEXT = 24  # characters of context each side of the offending text, on its own line
_SPAN_KEEP = 100  # of a long span, the fingerprint reads this much of each end

Key = tuple[str, str, str]  # (path, code, fingerprint)


def _norm(text: str) -> str:
    return " ".join(text.split())


def fingerprint(diag: Diagnostic, doc: Document | None) -> str:
    """A hash of the rule code, the offending text and its context on the same line."""
    if doc is None or not doc.text:
        basis = "\0".join((diag.code, _norm(diag.source_line), _norm(diag.message)))
    else:
        text = doc.text
        start, end = max(0, min(diag.start, len(text))), max(0, min(diag.end, len(text)))
        line_start = doc.offset_of(diag.line, 1)
        end_line_start = doc.offset_of(diag.end_line, 1)
        end_line_end = end_line_start + len(doc.line_text(diag.end_line))
        before = text[max(line_start, start - CONTEXT) : start]
        after = text[end : max(end, min(end_line_end, end + CONTEXT))]
        span = text[start:end]
        if len(span) > 2 * _SPAN_KEEP:
            span = span[:_SPAN_KEEP] + "\0" + span[-_SPAN_KEEP:]
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


def keyed(
    results: Iterable[tuple[Sequence[Diagnostic], Document | None]], base: Path
) -> list[Finding]:
    out: list[Finding] = []
    for diagnostics, doc in results:
        for d in diagnostics:
            path = _relative_path(d.path, base)
            out.append(Finding(path, d, (path, d.code, fingerprint(d, doc))))
    return out


def write_baseline(
    file: Path, results: Iterable[tuple[Sequence[Diagnostic], Document | None]]
) -> int:
    """Record every finding in ``file`` (atomically); returns how many were recorded."""
    findings = keyed(results, file.parent)
    counts = Counter(f.key for f in findings)
    first: dict[Key, Diagnostic] = {}
    for f in findings:
        first.setdefault(f.key, f.diagnostic)
    entries = [
        {
            "path": key[0],
            "code": key[1],
            "name": first[key].name,
            "fingerprint": key[2],
            "count": counts[key],
            "message": first[key].message,  # for the reader of a diff; not part of the key
        }
        for key in sorted(counts)
    ]
    data = {"contentkit-baseline": FORMAT_VERSION, "findings": entries}
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    write_atomic(file, text.encode("utf-8"))
    return len(findings)


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


def new_findings(
    file: Path, results: Iterable[tuple[Sequence[Diagnostic], Document | None]]
) -> tuple[list[Diagnostic], int]:
    """The findings the baseline in ``file`` does not record, and how many it hid."""
    remaining = load_baseline(file)
    kept: list[Diagnostic] = []
    hidden = 0
    for f in keyed(results, file.parent):
        if remaining[f.key] > 0:
            remaining[f.key] -= 1
            hidden += 1
        else:
            kept.append(f.diagnostic)
    kept.sort(key=Diagnostic.sort_key)
    return kept, hidden
