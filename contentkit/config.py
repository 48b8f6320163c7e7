"""Configuration: ``[tool.contentkit]`` in pyproject.toml or the top level of contentkit.toml.

Found by walking up from each target; the nearest file wins, as with ruff. An unknown key is
an error naming the key and the file, because a typo that silently does nothing is worse.
"""

from __future__ import annotations

import codecs
import fnmatch
import json
import os
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any

from contentkit import rule as rule_mod
from contentkit.errors import ConfigError
from contentkit.site import (
    GENERATORS,
    OWN_CODE_IGNORES,
    PRESETS,
    SITE_SCHEMA_PREFIX,
    Site,
    find_site,
    plain_site,
    repository_root,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CONFIG_FILES = ("contentkit.toml", "pyproject.toml")
DEFAULT_INCLUDE = ("*.md", "*.markdown", "*.mdx", "*.html", "*.htm")
DEFAULT_EXCLUDE = (
    ".git",
    ".hg",
    ".svn",
    ".venv",
    "venv",
    "node_modules",
    "__pycache__",
    ".contentkit_cache",
    ".tox",
    ".nox",
    "build",
    "dist",
    "site-packages",
)

# key -> (expected python types, description for the error message)
_KEYS: dict[str, tuple[tuple[type, ...], str]] = {
    "select": ((list,), "a list of rule codes, names or prefixes"),
    "ignore": ((list,), "a list of rule codes, names or prefixes"),
    "extend-select": ((list,), "a list of rule codes, names or prefixes"),
    "extend-ignore": ((list,), "a list of rule codes, names or prefixes"),
    "per-file-ignores": ((dict,), "a table of glob = [codes]"),
    "include": ((list,), "a list of file-name globs"),
    "exclude": ((list,), "a list of path globs"),
    "extend-exclude": ((list,), "a list of path globs"),
    "schema": (
        (str,),
        '"hexo", "hexo-strict" or the path of a JSON Schema file (default: the generator\'s)',
    ),
    "generator": ((str,), '"auto" or one of: ' + ", ".join(GENERATORS)),
    "respect-gitignore": ((bool,), "true or false"),
    "force-include": ((list,), "a list of path globs that are posts whatever the generator"),
    "encoding": ((str,), "an encoding name such as gb18030"),
    "max-file-size": ((int,), "a number of bytes"),
    "unsafe-fixes": ((bool,), "true or false"),
    "rules": ((dict,), "a table of rule-name = {option = value}"),
    "cache-dir": ((str,), "a folder path"),
    "jobs": ((int,), "a number of worker processes"),
    "follow-symlinks": ((bool,), "true or false"),
}


@dataclass
class Settings:
    """The effective configuration for the files under one config file."""

    root: Path
    source: Path | None = None
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    extend_select: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    include: list[str] = field(default_factory=lambda: list(DEFAULT_INCLUDE))
    exclude: list[str] = field(default_factory=lambda: list(DEFAULT_EXCLUDE))
    schema: str = "hexo"
    encoding: str | None = None
    max_file_size: int = 10 * 1024 * 1024
    unsafe_fixes: bool = False
    # --fix writes through a symbolic link to a file outside the project (files.write_atomic).
    follow_symlinks: bool = False
    rule_options: dict[str, dict[str, Any]] = field(default_factory=dict)
    cache_dir: str | None = None
    jobs: int | None = None
    raw: dict[str, Any] = field(default_factory=dict)
    # "auto": each file's generator is the one of the nearest site root above it.
    generator: str = "auto"
    schema_given: bool = False
    respect_gitignore: bool = True
    force_include: list[str] = field(default_factory=list)
    # The site the files under these settings belong to (None: not looked up, as for
    # settings made from a table in code; then the schema alone decides).
    site: Site | None = None

    @property
    def where(self) -> str:
        return str(self.source) if self.source else "the command line"

    def enabled_codes(self) -> set[str]:
        # Asked once per file: memoised on the values it depends on.
        return set(
            _enabled_codes(
                tuple(self.select), tuple(self.extend_select), tuple(self.ignore), self.where
            )
        )

    def ignored_for(self, path: str) -> set[str]:
        """Codes switched off for ``path`` by per-file-ignores."""
        if not self.per_file_ignores:
            return set()
        rel = relative_path(path, self.root)
        out: set[str] = set()
        for pattern, selectors in self.per_file_ignores.items():
            if _glob_match(rel, pattern):
                out |= rule_mod.expand(selectors, f"per-file-ignores of {self.where}")
        return out

    def options_for(self, rule: type[rule_mod.Rule]) -> dict[str, Any]:
        opts = dict(rule.options)
        for key in (rule.name, rule.code):
            given = self.rule_options.get(key)
            if given:
                for k, v in given.items():
                    norm = k.replace("-", "_")
                    if norm not in opts or "_" in k:
                        known = ", ".join(sorted(option_name(o) for o in opts)) or "none"
                        hint = f"; write it {option_name(norm)}" if norm in opts else ""
                        raise ConfigError(
                            f"unknown option {k!r} for rule {rule.name} in {self.where} "
                            f"(known: {known}){hint}",
                            self.where,
                        )
                    check_option_type(k, v, rule.options[norm], rule.name, self.where)
                    opts[norm] = v
        return opts

    def is_excluded(self, path: Path) -> bool:
        return self.is_excluded_rel(relative_path(str(path), self.root))

    def is_excluded_rel(self, rel: str) -> bool:
        matcher = glob_matcher(tuple(self.exclude))
        # A pattern matches any one component of the path, or the whole relative path.
        if any(matcher.match(part) for part in rel.split("/") if part):
            return True
        return matcher.match(rel) is not None

    def is_included(self, path: Path) -> bool:
        return glob_matcher(tuple(self.include)).match(path.name) is not None


def option_name(python_name: str) -> str:
    """How an option is spelled in the config, README and ``explain``: kebab-case."""
    return python_name.replace("_", "-")


def toml_value(value: Any) -> str:
    """``value`` as it is written in TOML: true, 3, "x", ["a", "b"]."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + " }"
    return json.dumps(value, ensure_ascii=False, default=str)


def check_option_type(name: str, value: Any, default: Any, rule: str, where: str) -> None:
    """An option takes the type of its default: ``allow-space-separator = "no"`` is an error
    naming the file and the key, not a true value."""
    expected: str | None = None
    if isinstance(default, bool):
        if not isinstance(value, bool):
            expected = "true or false"
    elif isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, int):
            expected = "a whole number"
    elif isinstance(default, float):
        if isinstance(value, bool) or not isinstance(value, int | float):
            expected = "a number"
    elif isinstance(default, str):
        if not isinstance(value, str):
            expected = "a string"
    elif isinstance(default, list | tuple):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            expected = "a list of strings"
    if expected is not None:
        raise ConfigError(
            f"rules.{rule}.{name} in {where} must be {expected}, not {toml_value(value)}", where
        )


@lru_cache(maxsize=256)
def _enabled_codes(
    select: tuple[str, ...], extend_select: tuple[str, ...], ignore: tuple[str, ...], where: str
) -> frozenset[str]:
    rules = rule_mod.registered_rules()
    if select:
        codes = rule_mod.expand(select, where)
    else:
        codes = {c for c, r in rules.items() if r.default_enabled}
    codes |= rule_mod.expand(extend_select, where)
    codes -= rule_mod.expand(ignore, where)
    return frozenset(codes)


# Matching is on the hot path of discovery (once per file), so the globs are compiled once
# into one regex each, and folders are resolved once, not once per file.
@lru_cache(maxsize=64)
def glob_matcher(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """One compiled regex matching what any of the fnmatch ``patterns`` matches."""
    if not patterns:
        return re.compile(r"(?!)")
    return re.compile("|".join(f"(?:{fnmatch.translate(p)})" for p in patterns))


@lru_cache(maxsize=4096)
def _resolved(folder: str) -> str:
    return os.path.realpath(folder)


def relative_path(path: str, root: Path) -> str:
    """``path`` relative to ``root`` as a POSIX string (folders resolved), or as given."""
    try:
        head, name = os.path.split(path)
        full = os.path.join(_resolved(head or "."), name) if name else _resolved(path)
        base = _resolved(str(root))
    except (ValueError, OSError):
        return Path(path).as_posix()
    if full == base:
        return "."
    prefix = base.rstrip("/") + "/"
    if full.startswith(prefix):
        return full[len(prefix) :]
    return Path(path).as_posix()


def _glob_match(rel: str, pattern: str) -> bool:
    if fnmatch.fnmatch(rel, pattern):
        return True
    return "/" not in pattern and fnmatch.fnmatch(PurePosixPath(rel).name, pattern)


def _check_list_of_str(value: Any, key: str, where: Path) -> list[str]:
    if not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{key} must be a list of strings", str(where))
    return list(value)


def settings_from_table(table: Mapping[str, Any], source: Path | None, root: Path) -> Settings:
    where = str(source) if source else "the command line"
    s = Settings(root=root, source=source, raw=dict(table))
    for key, value in table.items():
        if key not in _KEYS:
            known = ", ".join(sorted(_KEYS))
            raise ConfigError(f"unknown key {key!r} in {where} (known keys: {known})", where)
        types, what = _KEYS[key]
        if not isinstance(value, types) or (bool in types) != isinstance(value, bool):
            raise ConfigError(f"{key!r} in {where} must be {what}, not {toml_value(value)}", where)
    path = source or root
    if "select" in table:
        s.select = _check_list_of_str(table["select"], "select", path)
    s.ignore = _check_list_of_str(table.get("ignore", []), "ignore", path)
    s.ignore += _check_list_of_str(table.get("extend-ignore", []), "extend-ignore", path)
    s.extend_select = _check_list_of_str(table.get("extend-select", []), "extend-select", path)
    for pattern, codes in dict(table.get("per-file-ignores", {})).items():
        if not isinstance(codes, list):
            raise ConfigError(f"per-file-ignores.{pattern!r} in {where} must be a list", where)
        s.per_file_ignores[pattern] = _check_list_of_str(codes, "per-file-ignores", path)
    if "include" in table:
        s.include = _check_list_of_str(table["include"], "include", path)
    if "exclude" in table:
        s.exclude = _check_list_of_str(table["exclude"], "exclude", path)
    s.exclude += _check_list_of_str(table.get("extend-exclude", []), "extend-exclude", path)
    if "generator" in table:
        if table["generator"] != "auto" and table["generator"] not in PRESETS:
            known = ", ".join(GENERATORS)
            raise ConfigError(
                f"'generator' in {where} must be \"auto\" or one of: {known}, "
                f"not {table['generator']!r}",
                where,
            )
        s.generator = table["generator"]
    s.respect_gitignore = table.get("respect-gitignore", True)
    s.force_include = _check_list_of_str(table.get("force-include", []), "force-include", path)
    if "schema" in table:
        s.schema_given = True
        schema = table["schema"]
        if schema not in ("hexo", "hexo-strict"):
            schema_path = Path(schema)
            if not schema_path.is_absolute():
                schema_path = root / schema_path
            schema = str(schema_path)
        s.schema = schema
    s.encoding = table.get("encoding")
    if s.encoding is not None:
        check_encoding(s.encoding, "the 'encoding' key", where)
    s.max_file_size = int(table.get("max-file-size", s.max_file_size))
    if s.max_file_size < 0:
        raise ConfigError(f"'max-file-size' in {where} must be 0 (no limit) or more", where)
    s.unsafe_fixes = bool(table.get("unsafe-fixes", False))
    s.follow_symlinks = bool(table.get("follow-symlinks", False))
    s.cache_dir = table.get("cache-dir")
    s.jobs = table.get("jobs")
    for rule_key, opts in dict(table.get("rules", {})).items():
        if not isinstance(opts, dict):
            raise ConfigError(f"rules.{rule_key} in {where} must be a table of options", where)
        rule = rule_mod.find_rule(rule_key)
        if rule is None:
            raise ConfigError(f"unknown rule {rule_key!r} under rules in {where}", where)
        s.rule_options[rule.name] = dict(opts)
        s.options_for(rule)  # validates option names now, not on the first file
    # Validate selectors now so a typo fails the run before any file is read.
    s.enabled_codes()
    for selectors in s.per_file_ignores.values():
        rule_mod.expand(selectors, f"per-file-ignores of {where}")
    return s


def read_config_file(path: Path) -> Mapping[str, Any] | None:
    """The contentkit table of ``path``, or None when a pyproject.toml has none."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML: {exc}", str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config: {exc}", str(path)) from None
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("contentkit")
        return table if isinstance(table, dict) else None
    return data


@lru_cache(maxsize=256)
def find_config_file(directory: Path) -> Path | None:
    for folder in (directory, *directory.parents):
        for name in CONFIG_FILES:
            candidate = folder / name
            if candidate.is_file():
                if name == "pyproject.toml" and read_config_file(candidate) is None:
                    continue
                return candidate
    return None


_SETTINGS_CACHE: dict[tuple[Path | None, tuple[tuple[str, Any], ...]], Settings] = {}


def load_settings(
    target: Path | None = None,
    *,
    config_file: Path | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Settings:
    """Settings for ``target``: nearest config file (or ``config_file``), then CLI overrides,
    then the site ``target`` belongs to (its generator's preset, see contentkit.site)."""
    start = (target or Path.cwd()).resolve()
    directory = start if start.is_dir() else start.parent
    if config_file is None:
        config_file = find_config_file(directory)
    frozen = tuple(sorted((k, _freeze(v)) for k, v in (overrides or {}).items()))
    key = (config_file.resolve() if config_file else None, frozen)
    base = _SETTINGS_CACHE.get(key)
    if base is None:
        table: dict[str, Any] = {}
        root = Path.cwd()
        if config_file is not None:
            if not config_file.is_file():
                raise ConfigError("config file not found", str(config_file))
            table = dict(read_config_file(config_file) or {})
            root = config_file.resolve().parent
        base = settings_from_table(table, config_file, root)
        if overrides:
            _apply_overrides(base, overrides)
        _SETTINGS_CACHE[key] = base
    return with_site(base, str(directory))


_SITE_SETTINGS: dict[tuple[int, str, str], Settings] = {}


def forget_settings() -> None:
    """Read config files and site markers afresh on the next ``load_settings`` (a process
    that lives on, like ``contentkit server``, calls it when one was created or changed)."""
    from contentkit import site as site_mod

    _SETTINGS_CACHE.clear()
    _SITE_SETTINGS.clear()
    find_config_file.cache_clear()
    site_mod.find_site.cache_clear()
    site_mod.habitually_front_matter.cache_clear()


def site_of(folder: str, settings: Settings) -> Site:
    """The site ``folder`` belongs to under ``settings``' ``generator``."""
    found = find_site(folder)
    if settings.generator == "auto":
        if found is not None:
            return found
        top = repository_root(folder)
        if top is None and settings.source is not None:
            top = str(settings.root)
        return plain_site(top or folder)
    if found is not None and found.name == settings.generator:
        return found
    preset = PRESETS[settings.generator]
    return Site(str(settings.root.resolve()), preset, preset.content_dirs)


def with_site(base: Settings, folder: str) -> Settings:
    """``base`` for the files of ``folder``: with its site, and the site's schema unless the
    config or command line named one."""
    site = site_of(folder, base)
    key = (id(base), site.root, site.name)
    found = _SITE_SETTINGS.get(key)
    if found is None:
        schema = base.schema if base.schema_given else SITE_SCHEMA_PREFIX + site.preset.name
        chosen = {*base.select, *base.extend_select}
        quiet = [c for c in site.preset.ignore if c not in chosen]
        per_file = dict(base.per_file_ignores)
        ignores = dict(site.preset.file_ignores)
        if site.name != "markdown":
            ignores.update(OWN_CODE_IGNORES)
        for name, codes in ignores.items():
            per_file[name] = [*per_file.get(name, []), *(c for c in codes if c not in chosen)]
        found = _SITE_SETTINGS[key] = replace(
            base,
            site=site,
            schema=schema,
            ignore=[*base.ignore, *quiet],
            per_file_ignores=per_file,
        )
    return found


def _freeze(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return tuple(_freeze(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _freeze(v)) for k, v in value.items()))
    return value


def _apply_overrides(s: Settings, overrides: Mapping[str, Any]) -> None:
    """Command-line options replace (select) or extend (ignore, extend-select) the file's."""
    if overrides.get("select"):
        s.select = list(overrides["select"])
    s.ignore = s.ignore + list(overrides.get("ignore") or [])
    s.extend_select = s.extend_select + list(overrides.get("extend_select") or [])
    if overrides.get("schema"):
        s.schema = str(overrides["schema"])
        s.schema_given = True
    if overrides.get("encoding"):
        s.encoding = check_encoding(str(overrides["encoding"]), "--encoding")
    if overrides.get("max_file_size") is not None:
        s.max_file_size = int(str(overrides["max_file_size"]))
    if overrides.get("unsafe_fixes"):
        s.unsafe_fixes = True
    if overrides.get("follow_symlinks"):
        s.follow_symlinks = True
    s.enabled_codes()


def check_encoding(name: str, what: str, where: str = "") -> str:
    """``name`` if Python can decode text with it; an unknown one fails before any file is read."""
    try:
        info = codecs.lookup(name)
    except LookupError:
        raise ConfigError(f"unknown encoding {name!r} ({what})", where) from None
    if not info._is_text_encoding:
        raise ConfigError(f"{name!r} is not a text encoding ({what})", where)
    return name


def split_selectors(values: Sequence[str] | None) -> list[str]:
    """``--select A,B --select C`` → [A, B, C]."""
    out: list[str] = []
    for value in values or []:
        out.extend(v.strip() for v in value.split(",") if v.strip())
    return out
