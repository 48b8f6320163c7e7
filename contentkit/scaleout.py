"""Converting many posts: on every core of this machine, or on a Dask cluster.

Both engines run the same per-post function, :func:`convert_bytes` (bytes of a post in, the
converted text or an error message out), so a post converts to the same bytes wherever it
runs. Results stream back in input order and nothing holds the whole corpus:

>>> from contentkit.scaleout import ConvertOptions, convert_many  # doctest: +SKIP
>>> for item in convert_many(["posts/"], ConvertOptions(to="jsonl")):
...     sys.stdout.write(item.output or "")
>>> # the same on a cluster (pip install 'contentkit[dask]'):
>>> for item in convert_many(["posts/"], ConvertOptions(to="jsonl"),
...                          engine="dask", scheduler="tcp://scheduler:8786"):
...     ...

- ``engine="local"``: worker processes read and convert the files (``jobs``, default all
  cores); see :mod:`contentkit.parallel`.
- ``engine="dask"``: this process reads each file and ships its bytes to the cluster in
  batches (workers need contentkit installed, not the files), keeping a bounded number of
  batches in flight, and gets the converted text back. ``scheduler`` is the address of a
  running Dask scheduler (``tcp://host:8786``) or a ``distributed.Client``.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from contentkit.document import read_post_bytes
from contentkit.errors import ContentkitError
from contentkit.parallel import ordered_map, resolve_jobs

ENGINES = ("local", "dask")
DASK_BATCH = 32  # posts a Dask task converts: amortises the scheduler's per-task cost


@dataclass(frozen=True)
class ConvertOptions:
    """How to convert: the same options as ``contentkit convert``."""

    to: str = "markdown"
    project_links: str = "clean"
    normalize_dates: bool = False
    encoding: str | None = None
    max_bytes: int = 10 * 1024 * 1024


@dataclass
class Converted:
    """One post's outcome: ``output`` (the converted text) or ``error`` (a message)."""

    shown: str
    output: str | None = None
    error: str | None = None
    warnings: list[str] = field(default_factory=list)  # path:line:column: lines for stderr
    dropped: list[str] = field(default_factory=list)  # one line per element left out


# ---- the per-post function, the same on every engine --------------------------------------


def convert_bytes(shown: str, data: bytes, options: ConvertOptions) -> Converted:
    """Convert the post whose file holds ``data``; ``shown`` is the path used in messages."""
    from contentkit.convert import convert_document
    from contentkit.document import document_from_bytes

    try:
        doc = document_from_bytes(data, shown, encoding=options.encoding)
        conv = convert_document(
            doc, project_links=options.project_links, normalize_dates=options.normalize_dates
        )
        notes = conv.notes()
        n = len(conv.warnings)
        return Converted(shown, conv.render(options.to), warnings=notes[:n], dropped=notes[n:])
    except ContentkitError as exc:
        return Converted(shown, error=str(exc))
    except Exception as exc:  # a converter bug on one post must not stop a million-post run
        detail = f"{type(exc).__name__}: {exc}"
        return Converted(shown, error=f"{shown}:1:1: internal error while converting: {detail}")


def convert_path(path: Path, shown: str, options: ConvertOptions) -> Converted:
    try:
        data = read_post_bytes(path, shown, options.max_bytes)
    except ContentkitError as exc:
        return Converted(shown, error=str(exc))
    return convert_bytes(shown, data, options)


def convert_batch(batch: list[tuple[str, bytes]], options: ConvertOptions) -> list[Converted]:
    """What one Dask task runs: :func:`convert_bytes` over a batch of posts."""
    return [convert_bytes(shown, data, options) for shown, data in batch]


# ---- local engine ---------------------------------------------------------------------------


class _Local:
    options = ConvertOptions()


def _start_local(options: ConvertOptions) -> None:
    _Local.options = options


def _convert_chunk(items: list[tuple[str, str]]) -> list[Converted]:
    return [convert_path(Path(path), shown, _Local.options) for path, shown in items]


def convert_sources_local(
    sources: Iterable[tuple[Path, str]], options: ConvertOptions, jobs: int | None = None
) -> Iterator[Converted]:
    """(path, shown) pairs converted on ``jobs`` processes (default: all cores), in order."""
    items = ((str(p), shown) for p, shown in sources)
    yield from ordered_map(
        _convert_chunk, items, resolve_jobs(jobs), initializer=_start_local, initargs=(options,)
    )


# ---- Dask engine ----------------------------------------------------------------------------


def _client(scheduler: Any) -> tuple[Any, bool]:
    try:
        from distributed import Client
    except ImportError:
        raise ContentkitError(
            "the dask engine needs Dask: pip install 'contentkit[dask]'"
        ) from None
    if isinstance(scheduler, Client):
        return scheduler, False
    if not scheduler:
        raise ContentkitError("--engine dask needs --scheduler ADDRESS (e.g. tcp://host:8786)")
    try:
        return Client(scheduler, timeout="20s"), True
    except (OSError, TimeoutError) as exc:
        raise ContentkitError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None


def convert_sources_dask(
    sources: Iterable[tuple[Path, str]],
    options: ConvertOptions,
    scheduler: Any,
    *,
    batch_size: int = DASK_BATCH,
) -> Iterator[Converted]:
    """(path, shown) pairs converted on the Dask cluster at ``scheduler``, in input order.

    Files are read here and their bytes sent in batches of ``batch_size``; at most a few
    batches per worker thread are in flight, so memory here stays bounded.
    """
    client, owned = _client(scheduler)
    try:
        threads = sum(client.nthreads().values()) or 1
        window = max(2, threads * 3)
        pending: deque[tuple[Any, list[Converted | None]]] = deque()
        source = iter(sources)
        while True:
            chunk = list(islice(source, batch_size))
            if not chunk:
                break
            slots: list[Converted | None] = []
            batch: list[tuple[str, bytes]] = []
            for path, shown in chunk:
                try:
                    batch.append((shown, read_post_bytes(path, shown, options.max_bytes)))
                    slots.append(None)
                except ContentkitError as exc:
                    slots.append(Converted(shown, error=str(exc)))
            future = client.submit(convert_batch, batch, options, pure=False) if batch else None
            pending.append((future, slots))
            while len(pending) >= window:
                yield from _collect(*pending.popleft())
        while pending:
            yield from _collect(*pending.popleft())
    finally:
        if owned:
            client.close()


def _collect(future: Any, slots: list[Converted | None]) -> Iterator[Converted]:
    done = iter(future.result() if future is not None else [])
    for slot in slots:
        yield slot if slot is not None else next(done)


# ---- the one entry point --------------------------------------------------------------------


def convert_many(
    paths: Iterable[str | os.PathLike[str]],
    options: ConvertOptions | None = None,
    *,
    engine: str = "local",
    jobs: int | None = None,
    scheduler: Any = None,
) -> Iterator[Converted]:
    """Convert every post under ``paths`` (files, or folders searched as ``lint`` does).

    ``engine`` is ``"local"`` (``jobs`` processes, default all cores) or ``"dask"`` (the
    cluster at ``scheduler``). Results come in discovery order whichever engine runs them.
    """
    from contentkit.api import discover

    if engine not in ENGINES:
        raise ContentkitError(f"unknown engine {engine!r} (choose from {', '.join(ENGINES)})")
    options = options or ConvertOptions()
    sources = ((p, str(p)) for p in discover(list(paths)))
    return convert_sources(sources, options, engine=engine, jobs=jobs, scheduler=scheduler)


def convert_sources(
    sources: Iterable[tuple[Path, str]],
    options: ConvertOptions,
    *,
    engine: str = "local",
    jobs: int | None = None,
    scheduler: Any = None,
) -> Iterator[Converted]:
    """(path, shown) pairs converted on ``engine``; what the CLI calls after planning."""
    if engine == "dask":
        return convert_sources_dask(sources, options, scheduler)
    if engine != "local":
        raise ContentkitError(f"unknown engine {engine!r} (choose from {', '.join(ENGINES)})")
    return convert_sources_local(sources, options, jobs)
