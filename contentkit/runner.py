"""Running lint over the command line's targets: discovery, stdin, per-file settings."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from functools import partial
from pathlib import Path

from contentkit.api import (
    LintResult,
    discover,
    guarded,
    input_error_diagnostic,
    lint_document_result,
    lint_file,
)
from contentkit.config import load_settings
from contentkit.document import document_from_bytes, encode
from contentkit.errors import InputError


def lint_targets(
    targets: list[str],
    overrides: Mapping[str, object],
    config: Path | None,
    *,
    fix: bool,
    write: bool,
    stdin_filename: str | None,
) -> list[LintResult]:
    """Lint every target (file, folder or '-'), each file with its nearest config."""
    results: list[LintResult] = []
    unsafe = bool(overrides.get("unsafe_fixes"))
    for target in targets:
        if target == "-":
            shown = stdin_filename or "-"
            anchor = Path(stdin_filename).parent if stdin_filename else None
            settings = load_settings(anchor, config_file=config, overrides=overrides)
            data = sys.stdin.buffer.read()
            try:
                doc = document_from_bytes(data, shown, encoding=settings.encoding)
            except InputError as exc:
                results.append(LintResult(shown, [input_error_diagnostic(exc)]))
                continue
            result = guarded(
                shown, partial(lint_document_result, doc, settings, fix=fix, unsafe_fixes=unsafe)
            )
            if write:  # the whole post, fixed or not: a pipe must never come out empty
                # stdin fixes go to stdout, as ruff does: in the input's encoding, BOM included.
                sys.stdout.flush()
                fixed = result.fixed if result.fixed is not None else doc.text
                sys.stdout.buffer.write(encode(doc, fixed))
                sys.stdout.buffer.flush()
            results.append(result)
            continue
        if not Path(target).exists() and not Path(target).is_symlink():
            # A usage error, but the other targets are still linted (as `ls a missing b` does).
            error = InputError("no such file or directory", target)
            results.append(LintResult(target, error=error))
            continue
        for f in discover([target]):
            settings = load_settings(f, config_file=config, overrides=overrides)
            results.append(
                lint_file(f, settings=settings, fix=fix, write=write, unsafe_fixes=unsafe)
            )
    return results
