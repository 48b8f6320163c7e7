"""Run a per-item function over many items on all CPU cores, streaming results in input order.

``ordered_map`` is what ``lint`` and ``convert`` use for folders. It differs from
``Pool.imap`` in the one way that matters for a corpus of millions of posts: it never runs
ahead of the consumer by more than a fixed window of chunks, so neither the input (paths,
discovered lazily) nor the results are ever all held in memory.

Workers are forked on Linux: they inherit the parent's imports and anything it loaded, so a
worker costs milliseconds to start. Elsewhere (or when fork is unavailable) they are spawned.
A small input is run in this process: starting workers would cost more than it saves.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import chain, islice
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Fewer items than this run in-process (a worker pool costs ~50 ms to start and feed).
MIN_PARALLEL_ITEMS = 16
_PEEK = 1024


def available_cores() -> int:
    """CPU cores this process may run on (respects affinity masks and container limits)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def resolve_jobs(jobs: int | None) -> int:
    """``--jobs``: None or 0 means every core."""
    if jobs is None or jobs <= 0:
        return available_cores()
    return jobs


_INHERITED: list[Any] = []


def _worker_start(initializer: Callable[..., None] | None, initargs: tuple[Any, ...]) -> None:
    # An SQLite connection must not be used across fork(): a forked worker drops the link
    # judge's dictionary handle it inherited (kept referenced, never closed here) and opens
    # its own on first use.
    segment = sys.modules.get("contentkit.segment")
    if segment is not None and getattr(segment, "_LEXICON", None) is not None:
        _INHERITED.append(segment._LEXICON)
        segment._LEXICON = None  # type: ignore[attr-defined]
    if initializer is not None:
        initializer(*initargs)


def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def ordered_map(
    func: Callable[[list[T]], list[R]],
    items: Iterable[T],
    jobs: int,
    *,
    initializer: Callable[..., None] | None = None,
    initargs: tuple[Any, ...] = (),
    chunksize: int | None = None,
) -> Iterator[R]:
    """``func(chunk)`` for consecutive chunks of ``items`` on ``jobs`` processes, flattened,
    in order. ``func`` takes a list of items and returns one result per item; working on a
    chunk lets it batch what is cheaper in bulk (cache look-ups and writes).

    ``func`` and ``initializer`` must be module-level functions (they are pickled to spawned
    workers). ``initializer(*initargs)`` runs once in each worker, and in this process when
    the work runs here. An exception raised by ``func`` is re-raised here.
    """
    it = iter(items)
    head = list(islice(it, _PEEK))
    exhausted = len(head) < _PEEK
    source = chain(head, it)
    if jobs <= 1 or (exhausted and len(head) < MIN_PARALLEL_ITEMS):
        if initializer is not None:
            initializer(*initargs)
        while chunk := list(islice(source, chunksize or 64)):
            yield from func(chunk)
        return
    if chunksize is None:
        if exhausted:  # we know the size: about four chunks a worker balances the load
            chunksize = max(1, min(64, -(-len(head) // (jobs * 4))))
        else:
            chunksize = 64
    window = jobs * 3  # chunks in flight: enough to keep every worker busy, no more
    with _context().Pool(jobs, _worker_start, (initializer, initargs)) as pool:
        pending: deque[Any] = deque()
        try:
            while chunk := list(islice(source, chunksize)):
                pending.append(pool.apply_async(func, (chunk,)))
                while len(pending) >= window:
                    yield from pending.popleft().get()
            while pending:
                yield from pending.popleft().get()
        except Exception:
            # An error here (a bad config met while finding the next files) or in a chunk:
            # let the chunks in flight finish before the pool goes. Pool.terminate() kills
            # workers that may hold the task queue's lock, and then waits for it forever.
            for result in pending:
                result.wait()
            pool.close()
            pool.join()
            raise
        pool.close()
        pool.join()
