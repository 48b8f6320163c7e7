"""``contentkit init``: a starter configuration, written without clobbering anything.

Into ``pyproject.toml`` when the folder has one (a ``[tool.contentkit]`` table is appended
with tomlkit, so every other byte of the file stays as it was), else into a new
``contentkit.toml``. A folder already configured for contentkit is left alone.
"""

from __future__ import annotations

from pathlib import Path

import tomlkit

from contentkit.config import read_config_file
from contentkit.errors import ConfigError
from contentkit.files import write_atomic
from contentkit.site import Site, describe, sites_below

# Every key here is one the config loader knows; a test loads the result.
STARTER = """\
# The site's generator, which says which files are posts and what their front matter must
# hold: {choices}.
# "auto" takes each file's from the nearest site root above it. {found}
generator = "{generator}"
# Rules to run: codes (FM011), names (non-iso-date) or code prefixes (FM); "ALL" for all.
select = ["ALL"]
ignore = []
# Front-matter schema: the generator's own by default; "hexo" (title and date required),
# "hexo-strict" or the path of a JSON Schema file.
# schema = "hexo"
# Folders and files to skip, on top of .gitignore, .git, node_modules, build, dist and the
# generator's templates and build output.
extend-exclude = []
# Paths that are posts even where the generator says they are not (templates, READMEs).
force-include = []
# Switch rules off for some files: "legacy/*.md" = ["FM011"]
per-file-ignores = {{}}
"""


def starter(folder: Path) -> tuple[str, str]:
    """The starter config for ``folder`` and a sentence on the site(s) detected there."""
    from contentkit.site import GENERATORS

    sites: list[Site] = sites_below(folder)
    root = [s for s in sites if Path(s.root) == folder.resolve()]
    if root:
        generator = root[0].name
        note = f"detected {describe(root[0], folder)}"
    else:
        generator = "auto"
        note = (
            "detected " + ", ".join(describe(s, folder) for s in sites)
            if sites
            else "no generator detected: a plain Markdown folder"
        )
    found = f"Detected: {note.removeprefix('detected ')}."
    text = STARTER.format(
        choices=", ".join(f'"{g}"' for g in GENERATORS), found=found, generator=generator
    )
    return text, note


def _has_table(path: Path) -> bool:
    return read_config_file(path) is not None


def init_config(folder: Path, target: str | None = None) -> tuple[Path, str]:
    """Write the starter config into ``folder``; returns the file written and what was
    detected there.

    ``target`` is "pyproject.toml", "contentkit.toml" or None (pyproject.toml if present).
    """
    pyproject = folder / "pyproject.toml"
    standalone = folder / "contentkit.toml"
    if standalone.exists():
        raise ConfigError("contentkit is already configured here; nothing written", str(standalone))
    if pyproject.is_file() and _has_table(pyproject):
        raise ConfigError(
            "[tool.contentkit] is already configured here; nothing written", str(pyproject)
        )
    if target is None:
        target = "pyproject.toml" if pyproject.is_file() else "contentkit.toml"
    text_of_starter, note = starter(folder)
    if target == "contentkit.toml":
        write_atomic(standalone, text_of_starter.encode("utf-8"))
        return standalone, note
    if target != "pyproject.toml":
        raise ConfigError(
            f"cannot write a config to {target!r}: use pyproject.toml or contentkit.toml"
        )
    existing = pyproject.read_text(encoding="utf-8") if pyproject.is_file() else ""
    try:
        tomlkit.parse(existing)
    except tomlkit.exceptions.ParseError as exc:
        raise ConfigError(f"invalid TOML: {exc}", str(pyproject), exc.line, exc.col) from None
    # Appended as text, so that every byte already in the file stays where it was; tomlkit
    # then checks that the result is one valid document with the new table in it.
    sep = (
        ""
        if not existing or existing.endswith("\n\n")
        else ("\n" if existing.endswith("\n") else "\n\n")
    )
    newline = "\r\n" if "\r\n" in existing else "\n"
    text = existing + f"{sep}[tool.contentkit]\n{text_of_starter}".replace("\n", newline)
    try:
        parsed = tomlkit.parse(text)
    except tomlkit.exceptions.ParseError as exc:
        raise ConfigError(f"cannot add [tool.contentkit]: {exc}", str(pyproject)) from None
    if "contentkit" not in parsed.get("tool", {}):
        raise ConfigError("cannot add [tool.contentkit]", str(pyproject))
    write_atomic(pyproject, text.encode("utf-8"))
    return pyproject, note
