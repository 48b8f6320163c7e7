"""``contentkit convert`` and ``contentkit schema``: the command-line shell over the convert API.

Output paths come only from the input paths (never from a post's slug, permalink or title), are
checked to stay inside ``--output-dir`` after resolving symbolic links, never name an input, and
an existing output is replaced only with ``--force``. Nothing is written until every output has
been checked, so a refused run leaves the tree as it was.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer

from contentkit.errors import ContentkitError, InputError

SUFFIX = {"markdown": ".md", "json": ".json"}


@dataclass
class Job:
    source: Path | None  # None: standard input
    shown: str
    out: Path | None  # None: standard output


def _fail(message: str, code: int = 2) -> typer.Exit:
    typer.echo(f"contentkit: error: {message}", err=True)
    return typer.Exit(code)


def _inputs(paths: list[str], skip: Path | None = None) -> list[tuple[Path | None, str, Path]]:
    """(file, shown path, path relative to the output folder) for every input post.

    A folder's walk skips ``skip`` (the output folder), so converting ``.`` into ``./md``
    twice does not convert the first run's output.
    """
    from contentkit.api import discover

    found: list[tuple[Path | None, str, Path]] = []
    for raw in paths:
        if raw == "-":
            found.append((None, "-", Path("stdin")))
            continue
        p = Path(raw)
        if not p.exists() and not p.is_symlink():
            raise InputError("no such file or directory", raw)
        if p.is_dir():
            for f in discover([p]):
                if skip is not None and skip in f.resolve().parents:
                    continue
                found.append((f, str(f), f.relative_to(p)))
        else:
            found.append((p, raw, Path(p.name)))
    return found


def _plan(
    inputs: list[tuple[Path | None, str, Path]], output_dir: str | None, to: str, force: bool
) -> list[Job]:
    if output_dir in (None, "-"):
        if to != "jsonl" and len(inputs) > 1:
            raise ContentkitError(
                f"{len(inputs)} posts but one standard output: "
                "give --output-dir DIR, or use --to jsonl for one stream"
            )
        return [Job(src, shown, None) for src, shown, _ in inputs]
    root = Path(output_dir)
    if root.exists() and not root.is_dir():
        raise ContentkitError(f"--output-dir {output_dir}: not a folder")
    root_real = root.resolve()
    sources = {src.resolve() for src, _, _ in inputs if src is not None}
    jobs: list[Job] = []
    seen: dict[Path, str] = {}
    existing: list[str] = []
    for src, shown, rel in inputs:
        if to == "jsonl":
            out = root / "posts.jsonl"
        else:
            out = root / rel.with_suffix(SUFFIX[to])
        real = out.resolve()
        if real != root_real and root_real not in real.parents:
            raise ContentkitError(f"{shown}: output {out} would be outside {output_dir}")
        if real in sources:
            raise ContentkitError(f"{shown}: output {out} is an input; choose another --output-dir")
        if to != "jsonl":
            if real in seen:
                raise ContentkitError(f"{shown} and {seen[real]} would both be written to {out}")
            seen[real] = shown
        if (out.exists() or out.is_symlink()) and not force and str(out) not in existing:
            existing.append(str(out))
        jobs.append(Job(src, shown, out))
    if existing:
        more = f" and {len(existing) - 3} more" if len(existing) > 3 else ""
        raise ContentkitError(
            f"output exists: {', '.join(existing[:3])}{more} (use --force to overwrite)"
        )
    return jobs


class _StreamFile:
    """The --to jsonl output: written line by line to a temporary file beside the target (so
    a million posts are never held in memory), renamed over it only when the run is done."""

    def __init__(self, target: Path) -> None:
        import tempfile

        target.parent.mkdir(parents=True, exist_ok=True)
        self.target = target
        fd, name = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".contentkit-tmp", dir=target.parent
        )
        self.tmp = Path(name)
        self.fh = os.fdopen(fd, "w", encoding="utf-8", newline="")

    def write(self, text: str) -> None:
        self.fh.write(text)

    def commit(self) -> None:
        self.fh.flush()
        os.fsync(self.fh.fileno())
        self.fh.close()
        os.replace(self.tmp, self.target)

    def discard(self) -> None:
        self.fh.close()
        self.tmp.unlink(missing_ok=True)


def convert_command(
    paths: Annotated[list[str], typer.Argument(help="Posts or folders; '-' reads standard input.")],
    to: Annotated[str, typer.Option("--to", help="markdown, json or jsonl.")] = "markdown",
    output_dir: Annotated[
        str | None,
        typer.Option(
            "--output-dir",
            "-o",
            help="Write a mirrored tree here ('-' or none: standard output).",
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing outputs.")] = False,
    project_links: Annotated[
        str,
        typer.Option(
            "--project-links",
            help="keep: as written; clean: unwrap the spurious and broken ones that "
            "`lint --fix` would; clean-unsafe: also those `--unsafe-fixes` would; "
            "strip: unwrap them all.",
        ),
    ] = "clean",
    normalize_dates: Annotated[
        bool,
        typer.Option("--normalize-dates", help="Rewrite front-matter dates in ISO 8601."),
    ] = False,
    encoding: Annotated[
        str | None, typer.Option("--encoding", help="Read posts in this encoding.")
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs", "-j", help="Worker processes for --engine local (default: all cores)."
        ),
    ] = None,
    engine: Annotated[
        str,
        typer.Option("--engine", help="local (this machine's cores) or dask (a Dask cluster)."),
    ] = "local",
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler", help="Dask scheduler address for --engine dask (tcp://host:8786)."
        ),
    ] = None,
    verbose: Annotated[
        bool,
        typer.Option(
            "--verbose", "-v", help="List on stderr each element left out, and where it was."
        ),
    ] = False,
) -> None:
    """Convert HTML posts to Markdown (front matter kept) or to JSON."""
    from contentkit.convert import PROJECT_LINK_MODES, TARGETS, convert_document
    from contentkit.document import Document, decode
    from contentkit.files import write_atomic

    if to not in TARGETS:
        raise _fail(f"unknown --to {to!r} (choose from {', '.join(TARGETS)})")
    if project_links not in PROJECT_LINK_MODES:
        modes = ", ".join(PROJECT_LINK_MODES)
        raise _fail(f"unknown --project-links {project_links!r} (choose from {modes})")
    try:
        skip = Path(output_dir).resolve() if output_dir not in (None, "-") else None
        jobs_ = _plan(_inputs(paths, skip), output_dir, to, force)
    except ContentkitError as exc:
        raise _fail(str(exc)) from None
    from contentkit.scaleout import ENGINES, ConvertOptions, convert_sources

    if engine not in ENGINES:
        raise _fail(f"unknown --engine {engine!r} (choose from {', '.join(ENGINES)})")
    if engine == "dask" and not scheduler:
        raise _fail("--engine dask needs --scheduler ADDRESS (e.g. tcp://host:8786)")
    options = ConvertOptions(to, project_links, normalize_dates, encoding)
    failed = 0
    jsonl_out = None  # one stream file, written as results arrive, renamed into place at the end
    made: set[Path] = set()  # output folders known to exist
    show_progress = len(jobs_) > 1 and sys.stderr.isatty()
    bar = (
        typer.progressbar(length=len(jobs_), label="Converting", file=sys.stderr)
        if show_progress
        else None
    )
    if bar is not None:
        bar.__enter__()
    try:
        files = iter(
            convert_sources(
                ((j.source, j.shown) for j in jobs_ if j.source is not None),
                options,
                engine=engine,
                jobs=jobs,
                scheduler=scheduler,
            )
        )
        for job in jobs_:
            if bar is not None:
                bar.update(1)
            if job.source is None:
                try:
                    text, enc, bom = decode(sys.stdin.buffer.read(), job.shown, encoding)
                    doc = Document.from_text(text, job.shown, encoding=enc, bom=bom)
                    conv = convert_document(
                        doc, project_links=project_links, normalize_dates=normalize_dates
                    )
                    output = conv.render(to)
                    notes = conv.notes()
                    warnings, dropped = notes[: len(conv.warnings)], notes[len(conv.warnings) :]
                except ContentkitError as exc:
                    typer.echo(f"contentkit: error: {exc}", err=True)
                    failed += 1
                    continue
            else:
                result = next(files)
                if result.output is None:
                    typer.echo(f"contentkit: error: {result.error}", err=True)
                    failed += 1
                    continue
                output = result.output
                warnings, dropped = result.warnings, result.dropped
            # A warning is not a failure (the exit code stays 0): the output is still written.
            for line in warnings:
                typer.echo(line, err=True)
            if verbose:
                for line in dropped:
                    typer.echo(line, err=True)
            if job.out is None:
                sys.stdout.write(output)
            elif to == "jsonl":
                if jsonl_out is None:
                    jsonl_out = _StreamFile(job.out)
                jsonl_out.write(output)
            else:
                if job.out.parent not in made:
                    job.out.parent.mkdir(parents=True, exist_ok=True)
                    made.add(job.out.parent)
                # Atomic, so no reader sees half a file; not fsynced one by one, as the
                # outputs can be made again from the posts (see write_atomic).
                write_atomic(job.out, output.encode("utf-8"), durable=False)
        if jsonl_out is not None:
            jsonl_out.commit()
            jsonl_out = None
    except ContentkitError as exc:
        raise _fail(str(exc)) from None
    finally:
        if jsonl_out is not None:
            jsonl_out.discard()
        if bar is not None:
            bar.__exit__(None, None, None)
    if output_dir not in (None, "-"):
        done = len(jobs_) - failed
        typer.echo(f"Converted {done} post{'s' if done != 1 else ''} into {output_dir}", err=True)
    if failed:
        raise typer.Exit(1)


def schema_command(
    name: Annotated[
        str, typer.Argument(help="convert (the JSON of `convert --to json`) or hexo.")
    ] = "convert",
) -> None:
    """Print a JSON Schema shipped with contentkit."""
    from importlib import resources

    files = {"convert": "convert.schema.json", "hexo": "hexo.json"}
    if name not in files:
        raise _fail(f"unknown schema {name!r} (choose from {', '.join(files)})")
    data = resources.files("contentkit").joinpath("schemas", files[name]).read_text("utf-8")
    typer.echo(json.dumps(json.loads(data), ensure_ascii=False, indent=2))


__all__ = ["convert_command", "schema_command"]
