"""The ``contentkit`` command line (Typer).

Exit codes: 0 clean, 1 findings, 2 usage, config or internal error.
"""

from __future__ import annotations

import difflib
import io
import os
import sys
import time
from pathlib import Path
from typing import Annotated, NoReturn, TextIO

import typer

from contentkit import __version__
from contentkit.api import LintResult
from contentkit.config import load_settings, split_selectors
from contentkit.errors import ContentkitError
from contentkit.files import write_atomic
from contentkit.parallel import resolve_jobs
from contentkit.reporters import FORMATS, ReportOptions
from contentkit.reporters.stream import StreamingReport
from contentkit.rule import explain_text, find_rule, registered_rules
from contentkit.runner import lint_targets

app = typer.Typer(
    name="contentkit",
    help="Lint and convert Markdown/HTML posts with front matter.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def use_color(stream: object = sys.stdout, choice: str | None = None) -> bool:
    """``--color always|never|auto``; with auto (the default) colour when FORCE_COLOR is set
    (https://force-color.org), never when NO_COLOR is (https://no-color.org), else only on a
    terminal."""
    if choice not in (None, "auto", "always", "never"):
        raise ValueError(f"--color must be always, never or auto, not {choice!r}")
    if choice == "always":
        return True
    if choice == "never":
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _show_files(targets: list[str], config: Path | None, force_exclude: bool) -> None:
    from contentkit.api import discover_paths
    from contentkit.config import load_settings as settings_for

    try:
        for target in targets:
            if not Path(target).exists():
                fail(f"{target}: no such file or directory")
            for path in discover_paths([target], force_exclude=force_exclude):
                site = settings_for(Path(path), config_file=config).site
                label = f"  ({site.preset.label})" if site is not None else ""
                typer.echo(f"{path}{label}")
    except ContentkitError as exc:
        fail(exc)


def fail(exc: ContentkitError | str, code: int = 2) -> NoReturn:
    typer.echo(f"contentkit: error: {exc}", err=True)
    raise typer.Exit(code)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"contentkit {__version__}")
        raise typer.Exit(0)


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """Lint and convert Markdown/HTML posts with front matter."""


SelectOpt = Annotated[
    list[str] | None,
    typer.Option("--select", help="Rules to enable (codes, names or prefixes), comma separated."),
]
IgnoreOpt = Annotated[
    list[str] | None, typer.Option("--ignore", help="Rules to disable (codes, names or prefixes).")
]
ExtendOpt = Annotated[
    list[str] | None,
    typer.Option("--extend-select", help="Rules to enable on top of the selected ones."),
]


@app.command()
def lint(
    paths: Annotated[
        list[str] | None, typer.Argument(help="Files or folders; '-' reads standard input.")
    ] = None,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    extend_select: ExtendOpt = None,
    fix: Annotated[bool, typer.Option("--fix", help="Apply safe fixes in place.")] = False,
    unsafe_fixes: Annotated[
        bool, typer.Option("--unsafe-fixes", help="Also apply unsafe fixes (with --fix/--diff).")
    ] = False,
    follow_symlinks: Annotated[
        bool,
        typer.Option(
            "--follow-symlinks", help="Let --fix write through links to files outside the project."
        ),
    ] = False,
    diff: Annotated[
        bool, typer.Option("--diff", help="Print fixes as a unified diff; write nothing.")
    ] = False,
    statistics: Annotated[
        bool, typer.Option("--statistics", help="Print the count of findings per rule.")
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print findings only, no summary.")
    ] = False,
    output_format: Annotated[
        str, typer.Option("--output-format", help=f"One of: {', '.join(FORMATS)}.")
    ] = "text",
    show_source: Annotated[
        bool, typer.Option("--show-source", help="Show the offending line with a caret.")
    ] = False,
    config: Annotated[
        Path | None, typer.Option("--config", help="Use this config file instead of searching.")
    ] = None,
    schema: Annotated[
        str | None, typer.Option("--schema", help="'hexo' or a JSON Schema file for front matter.")
    ] = None,
    encoding: Annotated[
        str | None, typer.Option("--encoding", help="Read posts in this encoding (e.g. gb18030).")
    ] = None,
    max_file_size: Annotated[
        int | None,
        typer.Option(
            "--max-file-size", min=0, help="Skip posts larger than this many bytes (0: no limit)."
        ),
    ] = None,
    stdin_filename: Annotated[
        str | None, typer.Option("--stdin-filename", help="Path to report for '-' input.")
    ] = None,
    output_file: Annotated[
        Path | None, typer.Option("--output-file", "-o", help="Write the report to this file.")
    ] = None,
    exit_zero: Annotated[
        bool, typer.Option("--exit-zero", help="Exit 0 even when there are findings.")
    ] = False,
    baseline: Annotated[
        Path | None,
        typer.Option("--baseline", help="Report only findings this baseline file does not hold."),
    ] = None,
    write_baseline: Annotated[
        Path | None,
        typer.Option("--write-baseline", help="Record today's findings in this file; exit 0."),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs", "-j", help="Worker processes (default: config 'jobs', else all cores)."
        ),
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Neither read nor write the lint cache.")
    ] = False,
    cache_dir: Annotated[
        str | None,
        typer.Option("--cache-dir", help="Cache folder (default: .contentkit_cache at the root)."),
    ] = None,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Also print files, jobs and cache use.")
    ] = False,
    show_files: Annotated[
        bool,
        typer.Option(
            "--show-files",
            help="Print the posts that would be linted (with their generator) and exit.",
        ),
    ] = False,
    force_exclude: Annotated[
        bool,
        typer.Option(
            "--force-exclude",
            help="Skip files named on the command line too when excludes, .gitignore or "
            "the site's generator say they are not posts.",
        ),
    ] = False,
    color: Annotated[
        str | None,
        typer.Option("--color", help="always, never or auto (default; FORCE_COLOR, NO_COLOR)."),
    ] = None,
) -> None:
    """Lint posts: front matter, links, HTML hygiene."""
    if show_files:
        _show_files(paths or ["."], config, force_exclude)
        return
    if output_format not in FORMATS:
        fail(f"unknown output format {output_format!r} (choose from {', '.join(FORMATS)})")
    overrides = {
        "select": split_selectors(select),
        "ignore": split_selectors(ignore),
        "extend_select": split_selectors(extend_select),
        "schema": schema,
        "encoding": encoding,
        "max_file_size": max_file_size,
        "unsafe_fixes": unsafe_fixes,
        "follow_symlinks": follow_symlinks,
    }
    targets = paths or ["."]
    # With `--fix -`, stdout carries the fixed post; the findings go to stderr, as ruff does.
    to_stderr = fix and "-" in targets
    sink: TextIO = (
        io.StringIO() if output_file is not None else (sys.stderr if to_stderr else sys.stdout)
    )
    try:
        colored = use_color(sink, color) and output_file is None
    except ValueError as exc:
        fail(str(exc))
    report = StreamingReport(
        output_format, ReportOptions(color=colored, show_source=show_source), sink
    )
    errors: list[ContentkitError] = []
    started = time.perf_counter()
    try:
        from contentkit.baseline import BaselineFilter, BaselineRecorder

        recorder = BaselineRecorder(write_baseline) if write_baseline else None
        known = BaselineFilter(baseline) if baseline else None
        workers = resolve_jobs(
            jobs if jobs is not None else load_settings(None, config_file=config).jobs
        )
        any_diff = False
        for result in lint_targets(
            targets,
            overrides,
            config,
            fix=fix or diff,
            write=fix and not diff,
            stdin_filename=stdin_filename,
            jobs=workers,
            use_cache=not no_cache,
            keep_text=diff,
            rendered_ok=report.prints_rendered and not (fix or diff or write_baseline or baseline),
            cache_dir=cache_dir,
            force_exclude=force_exclude,
        ):
            if result.error is not None:
                errors.append(result.error)
                continue
            if diff:
                text = _unified_diff(result) if result.changed else ""
                sys.stdout.write(text)
                any_diff = any_diff or bool(text)
                continue
            if recorder is not None:
                recorder.add(result.diagnostics)
                continue
            diagnostics = known.filter(result.diagnostics) if known else result.diagnostics
            if result.rendered is not None:
                report.add_rendered(result.rendered, result.cached)
                continue
            report.add(result.path, diagnostics, result.fixes_applied, result.cached)
        if recorder is not None:
            n = recorder.write()
            typer.echo(f"Recorded {n} finding{'s' if n != 1 else ''} in {write_baseline}.")
            _echo_errors(errors)
            raise typer.Exit(2 if errors else 0)
    except ContentkitError as exc:
        report.flush()  # what was found before the error is still printed
        fail(exc)
    except OSError as exc:
        report.flush()
        fail(f"{exc.filename or write_baseline}: cannot write: {exc.strerror}")
    if diff:
        _echo_errors(errors)
        raise typer.Exit(2 if errors else 1 if any_diff and not exit_zero else 0)
    report.finish()
    if output_file is not None:
        assert isinstance(sink, io.StringIO)
        try:
            write_atomic(output_file, sink.getvalue().encode("utf-8"))
        except OSError as exc:
            fail(f"{output_file}: cannot write: {exc.strerror}")
    if verbose:
        elapsed = time.perf_counter() - started
        cache_note = "off" if no_cache else f"{report.cached} of {report.files} files from cache"
        typer.echo(
            f"contentkit: linted {report.files} files in {elapsed:.2f}s "
            f"with {workers} job{'s' if workers != 1 else ''}; cache: {cache_note}",
            err=True,
        )
    if output_format in ("text", "concise"):
        if statistics:
            _print_statistics(report, to_stderr)
        if not quiet and (report.files or not errors):
            _print_summary(report, fix, to_stderr)
            if known is not None and known.hidden:
                hidden = known.hidden
                typer.echo(
                    f"{hidden} finding{'s' if hidden != 1 else ''} in {baseline} hidden.",
                    err=to_stderr,
                )
    if not report.files and not errors and not quiet:
        _warn_if_posts_were_skipped(targets)
    _echo_errors(errors)
    raise typer.Exit(2 if errors else 1 if report.findings and not exit_zero else 0)


def _echo_errors(errors: list[ContentkitError]) -> None:
    for error in errors:
        typer.echo(f"contentkit: error: {error}", err=True)


def _unified_diff(result: LintResult) -> str:
    before = (result.original or "").splitlines(keepends=True)
    after = (result.fixed or "").splitlines(keepends=True)
    return "".join(difflib.unified_diff(before, after, f"a/{result.path}", f"b/{result.path}"))


_MARKDOWN = (".md", ".markdown", ".mdx")
_LOOK_AT_MOST = 20_000  # folder entries looked at for the warning below


def _warn_if_posts_were_skipped(targets: list[str]) -> None:
    """Say so when a lint linted nothing though Markdown files are there: the generator's
    config put them outside its content (a layout contentkit does not read yet), and "All
    checks passed (0 files)" would read as a clean site."""
    from contentkit.site import find_site

    for target in targets:
        if target == "-" or not os.path.isdir(target):
            continue
        found, seen = 0, 0
        for _folder, dirs, files in os.walk(target):
            dirs[:] = [d for d in dirs if not d.startswith(".") and d != "node_modules"]
            found += sum(name.lower().endswith(_MARKDOWN) for name in files)
            seen += len(files) + len(dirs)
            if seen > _LOOK_AT_MOST:
                break
        if not found:
            continue
        site = find_site(target)
        where = f"the {site.preset.label} site at {site.root}" if site else "contentkit"
        content = ", ".join(f"{d}/" for d in site.content_dirs) if site else ""
        reads = f" reads posts from {content} only" if content else " found no post there"
        typer.echo(
            f"contentkit: warning: no post was linted, but {target!r} holds {found} Markdown "
            f"file{'s' if found != 1 else ''}: {where}{reads}. `contentkit lint --show-files` "
            "lists what is linted; `force-include` in contentkit.toml adds files.",
            err=True,
        )


def _print_statistics(report: StreamingReport, err: bool = False) -> None:
    for (code, name), n in sorted(report.counts.items(), key=lambda kv: (-kv[1], kv[0])):
        mark = "[*]" if code in report.fixable_codes else "   "
        typer.echo(f"{n:>6}  {code:<6} {mark} {name}", err=err)


def _print_summary(report: StreamingReport, fix: bool, err: bool = False) -> None:
    fixed = report.fixed
    files = report.files
    if not report.findings:
        msg = f"All checks passed ({files} file{'s' if files != 1 else ''})."
        if fixed:
            msg = f"Fixed {fixed} finding{'s' if fixed != 1 else ''}; all checks passed."
        typer.echo(msg, err=err)
        return
    n = report.findings
    parts = [f"Found {n} finding{'s' if n != 1 else ''} in {files} file{'s' if files != 1 else ''}"]
    if fixed:
        parts.append(f"{fixed} fixed")
    safe, unsafe = report.safe, report.unsafe
    tail = ""
    if safe and not fix:
        tail = f"\n[*] {safe} fixable with --fix."
    if unsafe:
        tail += f"\n{unsafe} more fixable with --fix --unsafe-fixes."
    typer.echo(" (".join(parts) + (")" if fixed else "") + "." + tail, err=err)


@app.command()
def init(
    folder: Annotated[Path, typer.Argument(help="The site's root folder.")] = Path("."),
    file: Annotated[
        str | None,
        typer.Option(
            "--file",
            help="pyproject.toml or contentkit.toml (default: pyproject.toml "
            "if the folder has one).",
        ),
    ] = None,
) -> None:
    """Write a starter config; never overwrites an existing contentkit config."""
    from contentkit.init_config import init_config

    try:
        written, detected = init_config(folder, file)
    except ContentkitError as exc:
        fail(exc)
    except OSError as exc:
        fail(f"{exc.filename or folder}: cannot write: {exc.strerror}")
    table = " [tool.contentkit]" if written.name == "pyproject.toml" else ""
    typer.echo(
        f"Wrote a starter config to {written}{table} ({detected}); `contentkit lint` will use it."
    )


@app.command()
def clean(
    folder: Annotated[
        Path, typer.Argument(help="A folder of the site (default: the current one).")
    ] = Path("."),
    config: Annotated[
        Path | None, typer.Option("--config", help="Use this config file instead of searching.")
    ] = None,
    cache_dir: Annotated[
        str | None, typer.Option("--cache-dir", help="The cache folder to remove.")
    ] = None,
) -> None:
    """Remove the lint cache that `contentkit lint` uses for FOLDER."""
    from contentkit.cache import cache_dir_for, remove_cache

    try:
        target = cache_dir_for(load_settings(folder, config_file=config), cache_dir)
        removed = remove_cache(target)
    except ContentkitError as exc:
        fail(exc)
    except OSError as exc:
        fail(f"{exc.filename or cache_dir}: cannot remove: {exc.strerror}")
    typer.echo(f"Removed {target}." if removed else f"No contentkit cache at {target}.")


@app.command("rules")
def list_rules(
    output_format: Annotated[str, typer.Option("--output-format", help="text or json.")] = "text",
) -> None:
    """List every rule: code, name, fix availability and summary."""
    rules = registered_rules()
    if output_format == "json":
        import json

        typer.echo(
            json.dumps(
                [
                    {
                        "code": r.code,
                        "name": r.name,
                        "summary": r.summary,
                        "fix": r.fix_applicability,
                        "default": r.default_enabled,
                        "options": dict(r.options),
                        "module": r.__module__,
                    }
                    for r in rules.values()
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    for r in rules.values():
        fixmark = {"safe": "[*]", "unsafe": "[!]"}.get(r.fix_applicability or "", "   ")
        typer.echo(f"{r.code:<6} {fixmark} {r.name:<28} {r.summary}")


@app.command()
def explain(code: Annotated[str, typer.Argument(help="A rule code or name.")]) -> None:
    """Print a rule's documentation, options and examples."""
    rule = find_rule(code)
    if rule is None:
        fail(f"unknown rule {code!r}; `contentkit rules` lists them")
    typer.echo(explain_text(rule))


@app.command()
def server(
    stdio: Annotated[
        bool, typer.Option("--stdio", help="Speak LSP on stdin/stdout (the default and only way).")
    ] = True,
) -> None:
    """Run the language server (LSP over stdio) for editors: lint's findings as you type."""
    from contentkit.server import serve

    raise typer.Exit(serve())


# `convert` and `schema` live in their own module (issue 4).
from contentkit.convert.cli import convert_command, schema_command  # noqa: E402

app.command("convert")(convert_command)
app.command("schema")(schema_command)


def main() -> None:
    """Console entry point: never let a traceback reach the user."""
    code = _run()
    # Leave without tearing the interpreter down, as mypy does: freeing every module and
    # memo took 0.1 s, a tenth of a warm run over 10,000 posts. Everything a command writes
    # (outputs, the cache) is written and closed by the time it returns; what is left in the
    # standard streams' buffers is flushed here.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader that went away (| head), a closed stream
            pass
    os._exit(code)


def _run() -> int:
    try:
        app()
    except SystemExit as exc:
        return _exit_code(exc.code)
    except ContentkitError as exc:
        sys.stderr.write(f"contentkit: error: {exc}\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("contentkit: interrupted\n")
        return 130
    except Exception as exc:  # the last line of defence: a message and exit 2, no traceback
        sys.stderr.write(
            f"contentkit: internal error: {type(exc).__name__}: {exc}\n"
            "Please report this with the file that caused it.\n"
        )
        return 2
    return 0


def _exit_code(code: object) -> int:
    """What ``sys.exit(code)`` would have exited with (a message is printed, exit 1)."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    sys.stderr.write(f"{code}\n")
    return 1


if __name__ == "__main__":
    main()
