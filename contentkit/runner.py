"""Running lint over the command line's targets: discovery, stdin, per-file settings."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping
from functools import partial
from itertools import chain
from pathlib import Path

from contentkit.api import (
    LintResult,
    discover_paths,
    guarded,
    input_error_diagnostic,
    lint_document_result,
)
from contentkit.batch import LintJob, lint_paths_parallel
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
    jobs: int = 1,
    use_cache: bool = False,
    keep_text: bool = True,
    cache_dir: str | None = None,
    rendered_ok: bool = False,
    force_exclude: bool = False,
) -> Iterator[LintResult]:
    """Lint every target (file, folder or '-'), each file with its nearest config.

    Results stream in discovery order; files run on ``jobs`` processes (see batch.py).
    """
    missing: set[str] = set()
    for target in targets:
        if target != "-" and not Path(target).exists() and not Path(target).is_symlink():
            # A usage error, but the other targets are still linted (as `ls a missing b` does).
            missing.add(target)
    unsafe = bool(overrides.get("unsafe_fixes"))
    job = LintJob(
        dict(overrides), config, fix, write, unsafe, use_cache, keep_text, cache_dir, rendered_ok
    )
    # Consecutive file/folder targets share one worker pool; '-' is read here, in order.
    run: list[str] = []
    pending: list[str | None] = [*targets, None]
    for item in pending:
        if item is not None and item != "-" and item not in missing:
            run.append(item)
            continue
        if run:
            paths = chain.from_iterable(
                discover_paths([t], force_exclude=force_exclude) for t in run
            )
            yield from lint_paths_parallel(paths, job, jobs)
            run = []
        if item == "-":
            yield _lint_stdin(overrides, config, fix, write, unsafe, stdin_filename)
        elif item is not None:
            yield LintResult(item, error=InputError("no such file or directory", item))


def _lint_stdin(
    overrides: Mapping[str, object],
    config: Path | None,
    fix: bool,
    write: bool,
    unsafe: bool,
    stdin_filename: str | None,
) -> LintResult:
    shown = stdin_filename or "-"
    anchor = Path(stdin_filename).parent if stdin_filename else None
    settings = load_settings(anchor, config_file=config, overrides=overrides)
    data = sys.stdin.buffer.read()
    try:
        doc = document_from_bytes(data, shown, encoding=settings.encoding)
    except InputError as exc:
        return LintResult(shown, [input_error_diagnostic(exc)])
    result = guarded(
        shown, partial(lint_document_result, doc, settings, fix=fix, unsafe_fixes=unsafe)
    )
    if write:  # the whole post, fixed or not: a pipe must never come out empty
        # stdin fixes go to stdout, as ruff does: in the input's encoding, BOM included.
        sys.stdout.flush()
        fixed = result.fixed if result.fixed is not None else doc.text
        sys.stdout.buffer.write(encode(doc, fixed))
        sys.stdout.buffer.flush()
    return result
