"""``contentkit convert`` and ``contentkit schema``: the command-line shell over the convert API.

Output paths come only from the input paths (never from a post's slug, permalink or title), are
checked to stay inside ``--output-dir`` after resolving symbolic links, never name an input, and
an existing output is replaced only with ``--force``. Nothing is written until every output has
been checked, so a refused run leaves the tree as it was.
"""

from __future__ import annotations

import json
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


def _inputs(paths: list[str]) -> list[tuple[Path | None, str, Path]]:
    """(file, shown path, path relative to the output folder) for every input post."""
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
            help="keep: as written; clean: unwrap spurious and broken ones (as lint judges); "
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
) -> None:
    """Convert HTML posts to Markdown (front matter kept) or to JSON."""
    from contentkit.convert import PROJECT_LINK_MODES, TARGETS, convert_document
    from contentkit.document import document_from_bytes, read_document
    from contentkit.files import write_atomic

    if to not in TARGETS:
        raise _fail(f"unknown --to {to!r} (choose from {', '.join(TARGETS)})")
    if project_links not in PROJECT_LINK_MODES:
        modes = ", ".join(PROJECT_LINK_MODES)
        raise _fail(f"unknown --project-links {project_links!r} (choose from {modes})")
    try:
        jobs = _plan(_inputs(paths), output_dir, to, force)
    except ContentkitError as exc:
        raise _fail(str(exc)) from None
    failed = 0
    stream: list[str] = []  # jsonl lines bound for one file
    show_progress = len(jobs) > 1 and sys.stderr.isatty()
    bar = typer.progressbar(jobs, label="Converting", file=sys.stderr) if show_progress else None
    items = bar.__enter__() if bar is not None else jobs
    try:
        for job in items:
            try:
                if job.source is None:
                    doc = document_from_bytes(sys.stdin.buffer.read(), job.shown, encoding=encoding)
                else:
                    doc = read_document(job.source, display_path=job.shown, encoding=encoding)
                conv = convert_document(
                    doc, project_links=project_links, normalize_dates=normalize_dates
                )
                output = conv.render(to)
            except ContentkitError as exc:
                typer.echo(f"contentkit: error: {exc}", err=True)
                failed += 1
                continue
            except (Exception, RecursionError) as exc:
                # A bug on one post must not stop the others (nor print a traceback).
                typer.echo(
                    f"contentkit: error: {job.shown}:1:1: internal error while converting "
                    f"({type(exc).__name__}: {exc}); please report it with the file",
                    err=True,
                )
                failed += 1
                continue
            if job.out is None:
                sys.stdout.write(output)
            elif to == "jsonl":
                stream.append(output)
            else:
                try:
                    job.out.parent.mkdir(parents=True, exist_ok=True)
                    write_atomic(job.out, output.encode("utf-8"))
                except OSError as exc:
                    typer.echo(
                        f"contentkit: error: {job.out}: cannot write: {exc.strerror or exc}",
                        err=True,
                    )
                    failed += 1
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    if stream and jobs and jobs[0].out is not None:
        jobs[0].out.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(jobs[0].out, "".join(stream).encode("utf-8"))
    if output_dir not in (None, "-"):
        done = len(jobs) - failed
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
