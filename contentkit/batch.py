"""Linting many files: one file at a time in whichever process runs it, through the cache.

``lint_paths_parallel`` is the engine behind ``contentkit lint FOLDER``: paths are discovered
lazily, linted on every core (``contentkit.parallel.ordered_map``) and yielded in discovery
order, each result holding only what the reporters need (no document, no text unless a diff
asked for it), so memory does not grow with the corpus.
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from contentkit.api import (
    LintResult,
    clean_folder_once,
    guarded,
    input_error_diagnostic,
    internal_error_diagnostic,
    lint_document_result,
    lint_file,
)
from contentkit.cache import (
    LintCache,
    RenderedFindings,
    cache_dir_for,
    entry_key,
    path_key,
    render_findings,
    settings_fingerprint,
    stat_signature,
)
from contentkit.config import Settings, load_settings
from contentkit.document import document_from_bytes
from contentkit.engine import applicable
from contentkit.errors import ContentkitError, InputError
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
    cache_dir: str | None = None  # --cache-dir: one cache folder for every file
    # The caller prints the plain text report and needs nothing else of a cached post: its
    # findings may come back as RenderedFindings (LintResult.rendered), not as Diagnostics.
    rendered_ok: bool = False


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


def settings_for(path: str) -> Settings:
    # Every file in a folder has the same nearest config: look it up once per folder.
    folder = os.path.dirname(path) or "."
    found = _State.settings_by_dir.get(folder)
    if found is None:
        job = _State.job
        found = load_settings(Path(path), config_file=job.config, overrides=job.overrides)
        _State.settings_by_dir[folder] = found
    return found


def cache_for(settings: Settings) -> tuple[LintCache, str]:
    # Settings objects live as long as the process (config.load_settings keeps them).
    found = _State.by_settings.get(id(settings))
    if found is None:
        folder = cache_dir_for(settings, _State.job.cache_dir)
        cache = _State.caches.get(folder)
        if cache is None:
            cache = _State.caches[folder] = LintCache(folder)
        found = _State.by_settings[id(settings)] = (cache, settings_fingerprint(settings))
    return found


def flush_caches() -> None:
    for cache in _State.caches.values():
        cache.flush()


def _stat(path: str, settings: Settings) -> os.stat_result | None:
    """The file's stat if it is a regular file within the size limit; otherwise None, and
    lint_file reports it exactly as it would without a cache."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    if settings.max_file_size and st.st_size > settings.max_file_size:
        return None
    return st


def _read(path: str) -> bytes | None:
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError:
        return None


@dataclass
class _Item:
    path: str
    shown: str
    settings: Settings
    data: bytes | None = None
    key: bytes | None = None  # content key
    file_key: bytes | None = None
    signature: tuple[int, int, int, int] | None = None


def lint_chunk(paths: list[str]) -> list[LintResult]:
    """Lint a chunk of discovered files, each with its nearest config, through the cache.

    The cache is asked twice for the whole chunk: which content each file had when last
    seen with the same size, mtime, ctime and inode (those files are not even read), then the
    findings for each content. What was linted is written once at the end of the chunk.
    """
    job = _State.job
    now = time.time_ns()
    items = [_Item(p, p, settings_for(p)) for p in paths]
    if job.fix and job.write:
        # Temporary files a killed fix run left go now, even in folders with nothing to fix.
        for parent in {os.path.dirname(os.path.abspath(p)) for p in paths}:
            clean_folder_once(parent)
    payloads: dict[bytes, bytes] = {}
    rendered: dict[bytes, RenderedFindings] = {}
    if job.use_cache:
        by_cache: dict[Path, list[_Item]] = {}
        for item in items:
            st = _stat(item.path, item.settings)
            if st is None:
                continue
            cache, fp = cache_for(item.settings)
            item.signature = stat_signature(st)
            item.file_key = path_key(fp, item.shown)
            by_cache.setdefault(cache.folder, []).append(item)
        for folder, group in by_cache.items():
            cache = _State.caches[folder]
            known = cache.known_files(
                [i.file_key for i in group if i.file_key], rendered=job.rendered_ok
            )
            for item in group:
                seen = known.get(item.file_key or b"")
                if seen is not None and seen[0] == item.signature:
                    item.key = seen[1]
                    if seen[2] is not None:
                        rendered[item.key] = seen[2]
                    continue
                item.data = _read(item.path)
                if item.data is not None:
                    item.key = entry_key(cache_for(item.settings)[1], item.shown, item.data)
            keys = [i.key for i in group if i.key is not None]
            if job.rendered_ok:
                rendered.update(cache.get_rendered([k for k in keys if k not in rendered]))
            else:
                payloads.update(cache.get_many(keys))
    results = [_lint_one(item, payloads, rendered, now) for item in items]
    flush_caches()
    return results


def _lint_one(
    item: _Item, payloads: dict[bytes, bytes], rendered: dict[bytes, RenderedFindings], now: int
) -> LintResult:
    job = _State.job
    settings, shown, path = item.settings, item.shown, item.path
    unsafe = job.unsafe_fixes or settings.unsafe_fixes
    if item.key is None:
        result = lint_file(
            path, settings=settings, fix=job.fix, write=job.write, unsafe_fixes=unsafe
        )
        return _slim(result, job)
    cache, fp = cache_for(settings)
    if job.rendered_ok:
        found = rendered.get(item.key)
        cache.count_hit(found is not None)
        if found is not None:
            if item.data is not None and item.file_key and item.signature:
                cache.remember_file(item.file_key, item.signature, item.key, now)
            return LintResult(shown, cached=True, rendered=found)
        cached = None
    else:
        cached = cache.decode(payloads.get(item.key), shown)
    # With --fix a cached entry answers only when there is nothing it would fix.
    if cached is not None and not (job.fix and any(applicable(d.fix, unsafe) for d in cached)):
        if item.data is not None and item.file_key and item.signature:
            cache.remember_file(item.file_key, item.signature, item.key, now)
        return LintResult(shown, cached, cached=True)
    data = item.data if item.data is not None else _read(path)
    if data is None:
        result = lint_file(
            path, settings=settings, fix=job.fix, write=job.write, unsafe_fixes=unsafe
        )
        return _slim(result, job)
    key = item.key if item.data is not None else entry_key(fp, shown, data)
    if job.fix:
        # lint_file writes fixes safely (encoding, atomic, unwritable files): the cache only
        # records what it found, under the bytes the file holds now.
        result = lint_file(path, settings=settings, fix=True, write=job.write, unsafe_fixes=unsafe)
        if not _troubled(result):
            if not result.changed:
                cache.put(key, result.diagnostics)
            elif job.write and (written := _read(path)) is not None:
                cache.put(entry_key(fp, shown, written), result.diagnostics)
        return _slim(result, job)
    try:
        doc = document_from_bytes(data, shown, encoding=settings.encoding)
    except InputError as exc:
        return LintResult(shown, [input_error_diagnostic(exc)])
    except (ContentkitError, KeyboardInterrupt):
        raise
    except (Exception, RecursionError, MemoryError) as exc:
        return LintResult(shown, [internal_error_diagnostic(shown, exc)])
    result = guarded(shown, lambda: lint_document_result(doc, settings))
    if job.rendered_ok:
        result.rendered = render_findings(result.diagnostics)
    if not _troubled(result):  # a crash is reported, never remembered
        cache.put(key, result.diagnostics, result.rendered)
        if item.file_key and item.signature:
            cache.remember_file(item.file_key, item.signature, key, now)
    return _slim(result, job)


def _troubled(result: LintResult) -> bool:
    return any(d.code in ("CK001", "CK003") for d in result.diagnostics)


def _slim(result: LintResult, job: LintJob) -> LintResult:
    result.document = None
    if job.rendered_ok:
        # The caller prints only the text report: a worker sends that, not every Diagnostic
        # with its source line, through the pipe.
        if result.rendered is None:
            result.rendered = render_findings(result.diagnostics)
        result.diagnostics = []
    if not job.keep_text:
        result.original = None
        result.fixed = None
    return result


# Files actually linted in this process before the rest goes to a worker pool. The first
# chunk is small: a cold run learns after a few files that it needs the pool, and each file
# linted here before that runs on one core.
SERIAL_LINT_BUDGET = 8
FIRST_CHUNK = 16


def close_caches() -> None:
    for cache in _State.caches.values():
        cache.close()


def lint_paths_parallel(paths: Iterable[str], job: LintJob, jobs: int) -> Iterator[LintResult]:
    """Lint ``paths`` on ``jobs`` processes; results come back in the order of ``paths``.

    The first chunks are answered in this process. With the cache on, a warm run (or one where
    a few posts changed) never pays for starting workers and shipping results between
    processes. Once more than a few files needed real linting, the rest goes to the pool, and
    what those first posts loaded (jieba's dictionary, the link tagger) is loaded once here and
    inherited by the forked workers instead of once in each of them, cache or no cache.
    """
    it = iter(paths)
    if jobs > 1:
        start(job)
        linted = 0
        size = FIRST_CHUNK
        while linted <= SERIAL_LINT_BUDGET:
            chunk = list(islice(it, size))
            size = 64
            if not chunk:
                close_caches()
                return
            results = lint_chunk(chunk)
            linted += sum(1 for r in results if not r.cached)
            yield from results
        close_caches()  # a SQLite connection must not be shared with forked workers
    yield from ordered_map(lint_chunk, it, jobs, initializer=start, initargs=(job,))
    if jobs > 1 and job.use_cache:
        for cache in _State.caches.values():  # the folders this process has seen
            cache.checkpoint()
    close_caches()
