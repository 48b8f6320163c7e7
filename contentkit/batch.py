"""Linting many files: one file at a time in whichever process runs it, through the cache.

``lint_paths_parallel`` is the engine behind ``contentkit lint FOLDER``: paths are discovered
lazily, linted on every core (``contentkit.parallel.ordered_map``) and yielded in discovery
order, each result holding only what the reporters need (no document, no text unless a diff
asked for it), so memory does not grow with the corpus.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from contentkit.api import LintResult, input_error_diagnostic, lint_document_result, lint_file
from contentkit.cache import LintCache, cache_dir_for, entry_key, settings_fingerprint
from contentkit.config import Settings, load_settings
from contentkit.document import document_from_bytes, encode
from contentkit.engine import applicable
from contentkit.errors import InputError
from contentkit.files import write_atomic
from contentkit.parallel import ordered_map


@dataclass(frozen=True)
class LintJob:
    """What every worker needs to lint a file the way the command line asked."""

    overrides: Mapping[str, Any] = field(default_factory=dict)
    config: Path | None = None
    fix: bool = False
    write: bool = False
    unsafe_fixes: bool = False
    use_cache: bool = True
    keep_text: bool = False  # keep original and fixed text in results (for --diff)


class _State:
    job = LintJob()
    settings_by_dir: dict[str, Settings] = {}
    caches: dict[Path, LintCache] = {}
    by_settings: dict[int, tuple[LintCache, str]] = {}


def start(job: LintJob) -> None:
    """Set the job for this process (a worker's initializer, or before running in-process)."""
    _State.job = job
    _State.settings_by_dir = {}
    _State.by_settings = {}


def settings_for(path: Path) -> Settings:
    # Every file in a folder has the same nearest config: look it up once per folder.
    folder = os.path.dirname(path) or "."
    found = _State.settings_by_dir.get(folder)
    if found is None:
        job = _State.job
        found = load_settings(path, config_file=job.config, overrides=job.overrides)
        _State.settings_by_dir[folder] = found
    return found


def cache_for(settings: Settings) -> tuple[LintCache, str]:
    # Settings objects live as long as the process (config.load_settings keeps them).
    found = _State.by_settings.get(id(settings))
    if found is None:
        folder = cache_dir_for(settings)
        cache = _State.caches.get(folder)
        if cache is None:
            cache = _State.caches[folder] = LintCache(folder)
        found = _State.by_settings[id(settings)] = (cache, settings_fingerprint(settings))
    return found


def flush_caches() -> None:
    for cache in _State.caches.values():
        cache.flush()


def cache_stats() -> tuple[int, int]:
    """(hits, misses) of the caches used in this process."""
    return (
        sum(c.hits for c in _State.caches.values()),
        sum(c.misses for c in _State.caches.values()),
    )


def _read(path: Path, settings: Settings) -> bytes | None:
    """The file's bytes, or None when it is anything but a readable regular file within the
    size limit (lint_file then reports it exactly as without a cache)."""
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):
            return None
        if settings.max_file_size and st.st_size > settings.max_file_size:
            return None
        with open(path, "rb") as fh:
            return fh.read()
    except OSError:
        return None


def lint_chunk(paths: list[Path]) -> list[LintResult]:
    """Lint a chunk of discovered files, each with its nearest config, through the cache.

    The cache is asked once for the whole chunk, and written once at its end.
    """
    job = _State.job
    results: list[LintResult | None] = [None] * len(paths)
    todo: list[tuple[int, Path, Settings, bytes | None, bytes | None]] = []
    wanted: dict[Path, list[bytes]] = {}
    for i, path in enumerate(paths):
        settings = settings_for(path)
        data = _read(path, settings) if job.use_cache else None
        key = None
        if data is not None:
            cache, fp = cache_for(settings)
            key = entry_key(fp, str(path), data)
            wanted.setdefault(cache.folder, []).append(key)
        todo.append((i, path, settings, data, key))
    payloads: dict[bytes, bytes] = {}
    for folder, keys in wanted.items():
        payloads.update(_State.caches[folder].get_many(keys))
    for i, path, settings, data, key in todo:
        results[i] = _lint_one(path, settings, data, key, payloads)
    flush_caches()
    return [r for r in results if r is not None]


def _lint_one(
    path: Path,
    settings: Settings,
    data: bytes | None,
    key: bytes | None,
    payloads: dict[bytes, bytes],
) -> LintResult:
    job = _State.job
    shown = str(path)
    unsafe = job.unsafe_fixes or settings.unsafe_fixes
    if data is None or key is None:
        result = lint_file(
            path, settings=settings, fix=job.fix, write=job.write, unsafe_fixes=unsafe
        )
        return _slim(result, job)
    cache, fp = cache_for(settings)
    cached = cache.decode(payloads.get(key), shown)
    # With --fix a cached entry answers only when there is nothing it would fix.
    if cached is not None and not (job.fix and any(applicable(d.fix, unsafe) for d in cached)):
        return LintResult(shown, cached, cached=True)
    try:
        doc = document_from_bytes(data, shown, encoding=settings.encoding)
    except InputError as exc:
        return LintResult(shown, [input_error_diagnostic(exc)])
    result = lint_document_result(doc, settings, fix=job.fix, unsafe_fixes=unsafe)
    if result.changed and result.fixed is not None:
        if job.write:
            new_data = encode(doc, result.fixed)
            write_atomic(path, new_data)
            # The remaining findings are those of the file as now written.
            cache.put(entry_key(fp, shown, new_data), result.diagnostics)
    else:
        cache.put(key, result.diagnostics)
    return _slim(result, job)


def _slim(result: LintResult, job: LintJob) -> LintResult:
    result.document = None
    if not job.keep_text:
        result.original = None
        result.fixed = None
    return result


def lint_paths_parallel(paths: Iterable[Path], job: LintJob, jobs: int) -> Iterator[LintResult]:
    """Lint ``paths`` on ``jobs`` processes; results come back in the order of ``paths``."""
    yield from ordered_map(lint_chunk, paths, jobs, initializer=start, initargs=(job,))
