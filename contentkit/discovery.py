"""Which files under a folder are posts: what ``contentkit lint FOLDER`` lints.

In this order a file or folder is skipped when: the config's ``exclude`` globs match it; a
``.gitignore`` or ``.ignore`` file says so (git's rules through ``pathspec``, nested files
included, the nearer file winning, as ruff and ripgrep read them); or the site's generator
does not render it as a page: templates and partials (``layouts/``, ``_includes/``,
``themes/``...), folders outside the generator's content folders, files its own config
excludes, and repository documents (README, LICENSE, ``.github/``...). ``force-include``
globs in the config override the generator's contract. A folder that is itself a site root
(a Hugo theme's ``exampleSite/``, a repository's ``docs/`` Jekyll site) is read with its
own generator's contract.
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Iterator
from functools import lru_cache

import pathspec

from contentkit import config as config_mod
from contentkit.config import Settings
from contentkit.site import (
    PRESETS,
    REPO_DOCUMENTS,
    REPO_FOLDERS,
    Site,
    detect,
    find_site,
    plain_site,
    repository_root,
)

IGNORE_FILES = (".gitignore", ".ignore")
# Folder names that hold templates, partials or build output in any generator's layout: not
# posts at a site's top level. The underscore ones are never content, at any depth.
SITE_TOP_TEMPLATES = frozenset(
    {"layouts", "templates", "archetypes", "scaffolds", "themes", "theme", "partials",
     "public", "resources", "_site", "node_modules", "vendor"}
)  # fmt: skip
NEVER_CONTENT = frozenset(
    {"_layouts", "_includes", "_partials", "_sass", "_data", "_site", "node_modules"}
)

_Ignores = tuple[tuple[str, pathspec.PathSpec], ...]


@lru_cache(maxsize=4096)
def _ignore_spec(path: str) -> pathspec.PathSpec | None:
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            lines = fh.read().splitlines()
    except OSError:
        return None
    lines = [line for line in lines if line.strip() and not line.lstrip().startswith("#")]
    return pathspec.GitIgnoreSpec.from_lines(lines) if lines else None


def _folder_ignores(folder: str) -> list[tuple[str, pathspec.PathSpec]]:
    out = []
    for name in IGNORE_FILES:  # .ignore after .gitignore: it wins, as in ripgrep
        spec = _ignore_spec(os.path.join(folder, name))
        if spec is not None:
            out.append((folder, spec))
    return out


def _initial_ignores(folder: str) -> _Ignores:
    """The ignore files that apply to ``folder``: its own and those of the folders above it
    up to the repository's root (with .git/info/exclude), outermost first."""
    folder = os.path.abspath(folder)
    top = repository_root(folder)
    chain = [folder]
    if top is not None:
        current = folder
        while current != top:
            current = os.path.dirname(current)
            chain.append(current)
    out: list[tuple[str, pathspec.PathSpec]] = []
    if top is not None:
        spec = _ignore_spec(os.path.join(top, ".git", "info", "exclude"))
        if spec is not None:
            out.append((top, spec))
    for current in reversed(chain):
        out.extend(_folder_ignores(current))
    return tuple(out)


def _ignored(ignores: _Ignores, path: str, is_dir: bool) -> bool:
    verdict: bool | None = None
    for base, spec in ignores:
        rel = os.path.relpath(path, base).replace(os.sep, "/")
        if rel.startswith("../"):
            continue
        found = spec.check_file(rel + "/" if is_dir else rel).include
        if found is not None:
            verdict = found
    return bool(verdict)


@lru_cache(maxsize=256)
def _site_spec(patterns: tuple[str, ...]) -> pathspec.PathSpec:
    return pathspec.GitIgnoreSpec.from_lines(patterns)


def site_allows(site: Site, rel: str, is_dir: bool) -> bool:
    """Whether the generator of ``site`` renders ``rel`` (relative to its root) as a page,
    or, for a folder, may hold such pages."""
    if not rel or rel == ".":
        return True
    parts = rel.split("/")
    preset = site.preset
    if any(p.startswith(".") for p in parts) or any(p in REPO_FOLDERS for p in parts):
        return False
    if any(p in NEVER_CONTENT for p in parts):
        return False
    for folder in preset.template_dirs:
        if rel == folder or rel.startswith(folder + "/"):
            return False
    inside = ""
    if site.content_dirs:
        for folder in site.content_dirs:
            if rel == folder or rel.startswith(folder + "/"):
                inside = folder
                break
        else:
            return is_dir and any(f.startswith(rel + "/") for f in site.content_dirs)
    elif parts[0] in SITE_TOP_TEMPLATES:
        return False
    if preset.underscore_private:
        keep = {d.rsplit("/", 1)[-1] for d in (*site.post_dirs, *preset.post_dirs)}
        keep.update(site.included)
        within = parts[len(inside.split("/")) :] if inside else parts
        if any(p.startswith("_") and p not in keep for p in within):
            if not _included("/".join(within), is_dir, site.included_globs):
                return False
    if site.excluded and _site_spec(site.excluded).match_file(rel + "/" if is_dir else rel):
        return False
    if preset.dated_post_dirs and not is_dir and not _DATED_NAME.match(parts[-1]):
        if any(part in preset.dated_post_dirs for part in parts[:-1]):
            return False
    if site.ignored_files and not is_dir:
        path = os.path.abspath(os.path.join(site.root, rel)).replace(os.sep, "/")
        if any(re.search(pattern, path) for pattern in site.ignored_files):
            return False
    if site.asset_folders and is_dir and len(parts) > 1:
        # https://hexo.io/docs/asset-folders: `_posts/a.md` keeps its images (and demo
        # pages) in `_posts/a/`; Hexo copies them, it renders none of them.
        base = os.path.join(site.root, *parts)
        if any(os.path.exists(base + ext) for ext in (".md", ".markdown")):
            return False
    if not is_dir and REPO_DOCUMENTS.match(parts[-1]) and not inside:
        # A README or LICENSE at the site's top level is the repository's, not a page. One
        # deeper is a page in a generator's site (Jekyll's _docs/contributing.md); in a
        # folder no generator claims only a README is (a notes repository's chapter), a
        # CHANGELOG or LICENSE there belongs to a package.
        if len(parts) == 1:
            return preset.readme_is_page and parts[-1].lower().startswith("readme")
        return preset.name != "markdown" or parts[-1].lower().startswith("readme")
    return True


def _included(rel: str, is_dir: bool, globs: tuple[str, ...]) -> bool:
    """Does one of the config's include globs (Hexo's, relative to source/) name ``rel``, or,
    for a folder, something inside it?"""
    for glob in globs:
        if fnmatch.fnmatch(rel, glob.replace("**", "*")):
            return True
        if is_dir:
            fixed = re.split(r"[*?\[]", glob, maxsplit=1)[0]  # the glob's literal start
            if not fixed or fixed.startswith(rel + "/") or rel.startswith(fixed.rstrip("/")):
                return True
    return False


_DATED_NAME = re.compile(r"\d{2,4}-\d{1,2}-\d{1,2}-")  # a Jekyll post's name: 2024-01-31-title.md


def site_for_walk(folder: str, settings: Settings) -> Site:
    if settings.site is not None:
        return settings.site
    return find_site(folder) or plain_site(repository_root(folder) or folder)


def walk(root: str, settings: Settings) -> Iterator[str]:
    """Posts under ``root`` in the order of their path strings (so output sorted per file in
    discovery order is sorted overall), skipping excluded folders without entering them."""
    base = config_mod.relative_path(root, settings.root)
    excluded = config_mod.glob_matcher(tuple(settings.exclude))
    if any(excluded.match(part) for part in base.split("/") if part):
        return
    site = site_for_walk(root, settings)
    site_rel = os.path.relpath(os.path.abspath(root), site.root).replace(os.sep, "/")
    site_rel = "" if site_rel == "." else site_rel + "/"
    if site_rel.startswith("../"):
        site, site_rel = plain_site(root), ""
    ignores = _initial_ignores(root) if settings.respect_gitignore else ()
    yield from _walk_folder(
        root, "" if base == "." else base + "/", settings, site, site_rel, ignores
    )


def _walk_folder(
    folder: str, rel: str, settings: Settings, site: Site, site_rel: str, ignores: _Ignores
) -> Iterator[str]:
    # Strings and os.scandir, not Path objects: this runs once per file of the corpus.
    try:
        with os.scandir(folder) as it:
            entries = [(e.name + "/" if _is_dir(e) else e.name, e) for e in it]
    except OSError:
        return
    entries.sort(key=lambda pair: pair[0])
    excluded = config_mod.glob_matcher(tuple(settings.exclude))
    included = config_mod.glob_matcher(tuple(settings.include))
    forced = config_mod.glob_matcher(tuple(settings.force_include))
    auto = settings.generator == "auto"
    # Paths spelled as pathlib spells them ("a.md", not "./a.md"), as users see them reported.
    prefix = "" if folder == "." else folder if folder.endswith("/") else folder + "/"
    for key, entry in entries:
        name = entry.name
        is_dir = key.endswith("/")
        # The folders above were checked already: only this name and the whole path are new.
        if excluded.match(name) or excluded.match(rel + name):
            continue
        path = prefix + name
        if ignores and _ignored(ignores, os.path.abspath(path), is_dir):
            continue
        force = bool(settings.force_include) and forced.match(rel + name) is not None
        if is_dir:
            if entry.is_symlink():  # as os.walk: a linked folder is not entered
                continue
            inner: Site | None = None
            if auto and not name.startswith(".") and site_allows_dir_probe(site, site_rel + name):
                inner = detect(path)
            if inner is None and not force and not site_allows(site, site_rel + name, True):
                if not (settings.force_include and _may_hold_forced(rel + name, settings)):
                    continue
            more = (
                ignores + tuple(_folder_ignores(os.path.abspath(path)))
                if settings.respect_gitignore
                else ()
            )
            if inner is not None:
                yield from _walk_folder(path, rel + name + "/", settings, inner, "", more)
            else:
                yield from _walk_folder(
                    path, rel + name + "/", settings, site, site_rel + name + "/", more
                )
        elif included.match(name) and (force or site_allows(site, site_rel + name, False)):
            yield path


def site_allows_dir_probe(site: Site, rel: str) -> bool:
    """Whether a folder may be a site of its own: not inside the parent's templates/themes."""
    parts = rel.split("/")
    if any(p in NEVER_CONTENT or p in REPO_FOLDERS for p in parts):
        return False
    return not any(rel == f or rel.startswith(f + "/") for f in site.preset.template_dirs)


def _may_hold_forced(rel: str, settings: Settings) -> bool:
    return any(
        p.startswith(rel + "/") or p.startswith("*") or p.startswith("**")
        for p in settings.force_include
    )


def is_excluded_file(path: str, settings: Settings) -> bool:
    """``--force-exclude``: whether a file named on the command line would be skipped had its
    folder been linted (config excludes, ignore files, the generator's contract)."""
    rel = config_mod.relative_path(path, settings.root)
    if settings.is_excluded_rel(rel):
        return True
    folder = os.path.dirname(os.path.abspath(path))
    if settings.respect_gitignore:
        ignores = _initial_ignores(folder)
        # The file, and every folder between the repository's root and it, may be ignored.
        parents = []
        walker = os.path.abspath(path)
        top = repository_root(folder) or folder
        while walker != top and os.path.dirname(walker) != walker:
            parents.append(walker)
            walker = os.path.dirname(walker)
        for p in reversed(parents):
            if _ignored(ignores, p, p != os.path.abspath(path)):
                return True
    if settings.force_include and config_mod.glob_matcher(tuple(settings.force_include)).match(rel):
        return False
    site = site_for_walk(folder, settings)
    site_rel = os.path.relpath(os.path.abspath(path), site.root).replace(os.sep, "/")
    if site_rel.startswith("../"):
        return False
    parts = site_rel.split("/")
    for i in range(1, len(parts)):
        if not site_allows(site, "/".join(parts[:i]), True):
            return True
    return not site_allows(site, site_rel, False)


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


__all__ = ["PRESETS", "is_excluded_file", "site_allows", "walk"]
