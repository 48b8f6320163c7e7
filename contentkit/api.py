"""The Python API. The CLI is a thin shell over these functions.

``lint_text`` lints a string, ``lint_file`` one file, ``lint_paths`` every post under files and
folders; each returns (or yields) a :class:`LintResult` whose ``diagnostics`` are
:class:`contentkit.diagnostics.Diagnostic` objects with 1-based positions.

>>> from contentkit import lint_text
>>> result = lint_text("---\\ntitle: Hi\\ndate: Tue, 20 Apr 2021 02:55:35 GMT\\n---\\n")
>>> [d.code for d in result.diagnostics]
['FM011']
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from contentkit.config import Settings, load_settings
from contentkit.diagnostics import Diagnostic
from contentkit.document import (
    Document,
    document_from_bytes,
    encode,
    read_document,
    read_post_bytes,
)
from contentkit.engine import fix_document, lint_document
from contentkit.errors import ContentkitError, InputError
from contentkit.files import FileChanged, FileState, NotWritten, remove_stale_temps, write_atomic

if TYPE_CHECKING:
    from contentkit.cache import RenderedFindings


@dataclass
class LintResult:
    """What linting one post found, and (with ``fix``) the fixed text."""

    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    original: str | None = None
    fixed: str | None = None  # None when nothing was fixed
    fixes_applied: int = 0
    document: Document | None = None
    # A command-line target that could not be linted at all (it does not exist): reported as
    # an error after the other targets, and the run exits 2.
    error: ContentkitError | None = None
    cached: bool = False  # the findings came from the lint cache
    # Only when the caller asked for it (batch.LintJob.rendered_ok): a cached post's findings
    # as the text report prints them, and then ``diagnostics`` is empty.
    rendered: RenderedFindings | None = None

    @property
    def changed(self) -> bool:
        return self.fixed is not None and self.fixed != self.original


def input_error_diagnostic(exc: ContentkitError) -> Diagnostic:
    return Diagnostic(
        code="CK001",
        name="unreadable-file",
        message=exc.message,
        path=exc.path,
        start=0,
        end=0,
        line=exc.line,
        column=exc.column,
        end_line=exc.line,
        end_column=exc.column,
    )


def internal_error_diagnostic(path: str, exc: BaseException) -> Diagnostic:
    detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return Diagnostic(
        code="CK003",
        name="internal-error",
        message=f"contentkit failed on this file ({detail}); please report it with the file",
        path=path,
        start=0,
        end=0,
        line=1,
        column=1,
        end_line=1,
        end_column=1,
    )


def guarded(path: str, work: Callable[[], LintResult]) -> LintResult:
    """Run ``work``; a bug (or a file deep enough to exhaust the stack) becomes a CK003
    finding for this one file and the run goes on to the next. Nothing is written."""
    try:
        return work()
    except (ContentkitError, KeyboardInterrupt):
        raise
    except (Exception, RecursionError, MemoryError) as exc:
        return LintResult(path, [internal_error_diagnostic(path, exc)])


def lint_document_result(
    doc: Document, settings: Settings, *, fix: bool = False, unsafe_fixes: bool = False
) -> LintResult:
    if fix:
        outcome = fix_document(doc, settings, unsafe=unsafe_fixes or settings.unsafe_fixes)
        fixed = outcome.text if outcome.text != doc.text else None
        return LintResult(
            doc.path, outcome.remaining, doc.text, fixed, outcome.applied, outcome.document
        )
    return LintResult(doc.path, lint_document(doc, settings).diagnostics, doc.text, None, 0, doc)


def lint_text(
    text: str,
    path: str = "<stdin>",
    *,
    settings: Settings | None = None,
    fix: bool = False,
    unsafe_fixes: bool = False,
) -> LintResult:
    """Lint a post given as text and return its findings.

    ``path`` is shown in the findings, picks per-file ignores, and locates the config (the
    nearest ``contentkit.toml``/``pyproject.toml`` above it) unless ``settings`` is given
    (see :func:`contentkit.config.load_settings`). With ``fix`` the safe fixes (and the
    unsafe ones too with ``unsafe_fixes``) are applied to a copy: ``result.fixed`` holds the
    fixed text (None when nothing changed) and ``result.diagnostics`` what is left.
    Nothing is written.
    """
    if settings is None:
        settings = load_settings(Path(path).parent if path != "<stdin>" else None)
    doc = Document.from_text(text, path)
    return lint_document_result(doc, settings, fix=fix, unsafe_fixes=unsafe_fixes)


def lint_file(
    path: str | os.PathLike[str],
    *,
    settings: Settings | None = None,
    fix: bool = False,
    unsafe_fixes: bool = False,
    write: bool = True,
    display_path: str | None = None,
) -> LintResult:
    """Lint one file and return its findings.

    The file is decoded as ``contentkit lint`` does (encoding detected, or the config's
    ``encoding``; BOM and newlines kept). With ``fix`` the fixes are applied and, when
    ``write`` is true, the fixed text replaces the file atomically in its original encoding.
    ``display_path`` is the path shown in findings (default: ``path`` as given).
    A file that cannot be read yields one ``CK001 unreadable-file`` finding, never an exception.
    """
    shown = display_path or str(path)
    if settings is None:
        settings = load_settings(Path(path))
    writing = fix and write
    state: list[FileState] = []
    if writing:
        clean_folder_once(os.path.dirname(os.path.abspath(path)))
    try:
        doc = guarded_read(path, shown, settings, state if writing else None)
    except InputError as exc:
        return LintResult(shown, [input_error_diagnostic(exc)])
    if isinstance(doc, LintResult):
        return doc
    result = guarded(
        shown, lambda: lint_document_result(doc, settings, fix=fix, unsafe_fixes=unsafe_fixes)
    )
    if write and result.changed and result.fixed is not None:
        try:
            data = encode(doc, result.fixed)
        except UnicodeEncodeError as exc:
            # A fix brought in a character the file's encoding cannot hold: keep the file.
            return _unwritten(doc, settings, f"{exc.reason} in {doc.encoding}")
        tree = None if settings.follow_symlinks else _tree(path, settings)
        try:
            write_atomic(
                path,
                data,
                expected=state[0] if state else None,
                keep_read_only=True,
                tree=tree,
            )
        except (FileChanged, NotWritten) as exc:
            return _unwritten(doc, settings, str(exc))
        except OSError as exc:
            return _unwritten(doc, settings, str(exc.strerror or exc))
    return result


_CLEANED: set[str] = set()


def clean_folder_once(folder: str) -> None:
    """Leftover temporary files of a killed fix run are removed by the next one that writes
    in their folder (once per process and folder)."""
    if folder not in _CLEANED:
        if len(_CLEANED) > 65_536:
            _CLEANED.clear()
        _CLEANED.add(folder)
        remove_stale_temps(folder)


def _tree(path: str | os.PathLike[str], settings: Settings) -> Path:
    """The folder a fix may write in through a symbolic link: the project root of the
    config, else the folder the link itself is in."""
    if settings.source is not None:
        return settings.root
    return Path(os.path.abspath(path)).parent


def _unwritten(doc: Document, settings: Settings, why: str) -> LintResult:
    """The findings of the file as it still is, and why the fix could not be written."""
    result = guarded(doc.path, lambda: lint_document_result(doc, settings))
    error = InputError(f"fix not written: {why}", doc.path)
    result.diagnostics.append(input_error_diagnostic(error))
    return result


def guarded_read(
    p: str | os.PathLike[str],
    shown: str,
    settings: Settings,
    state: list[FileState] | None = None,
) -> Document | LintResult:
    """The Document of ``p``, or a LintResult with a CK003 finding when reading it crashed.

    With ``state``, what the file was when read is appended to it (for a safe rewrite).
    """
    try:
        if state is None:
            return read_document(
                p, display_path=shown, encoding=settings.encoding, max_bytes=settings.max_file_size
            )
        try:
            # Before the read: a change between the two shows as a newer mtime at the rewrite.
            before = os.stat(p)
        except OSError:
            before = None
        data = read_post_bytes(p, shown, settings.max_file_size)
        if before is not None:
            state.append(FileState.of(before, data))
        return document_from_bytes(data, shown, encoding=settings.encoding)
    except (ContentkitError, KeyboardInterrupt):
        raise
    except (Exception, RecursionError, MemoryError) as exc:
        return LintResult(shown, [internal_error_diagnostic(shown, exc)])


def discover(
    paths: Sequence[str | os.PathLike[str]], *, force_exclude: bool = False
) -> Iterator[Path]:
    """Files to lint under ``paths``: folders are walked with each folder's include/exclude
    globs, ``.gitignore``/``.ignore`` files and the site generator's contract (templates,
    partials and repository documents are not posts); a file named directly is always
    linted, whatever its extension, unless ``force_exclude`` and an exclusion says no."""
    return map(Path, discover_paths(paths, force_exclude=force_exclude))


def discover_paths(
    paths: Sequence[str | os.PathLike[str]], *, force_exclude: bool = False
) -> Iterator[str]:
    """:func:`discover`, as path strings: making a Path object per file cost a warm run over
    a big site more than looking its findings up in the cache."""
    from contentkit.discovery import is_excluded_file, walk

    for raw in paths:
        p = Path(raw)
        if not p.is_dir():
            if force_exclude and is_excluded_file(str(p), load_settings(p)):
                continue
            yield str(p)
            continue
        yield from walk(str(p), load_settings(p))


def lint_paths(
    paths: Iterable[str | os.PathLike[str]], *, fix: bool = False, unsafe_fixes: bool = False
) -> Iterator[LintResult]:
    """Lint every post under ``paths`` (files and folders, as ``contentkit lint`` takes them),
    each with its nearest config; yields one :class:`LintResult` per post. With ``fix`` the
    fixed posts are written back atomically."""
    for f in discover(list(paths)):
        yield lint_file(f, fix=fix, unsafe_fixes=unsafe_fixes)
