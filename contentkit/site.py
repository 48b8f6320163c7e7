"""Which static site generator a site uses, and that generator's front-matter contract.

A site is recognised from the files its generator needs (Hexo's ``_config.yml`` with
``scaffolds/`` or ``source/``, Hugo's ``hugo.toml``, Zola's ``config.toml`` with ``base_url``,
``mkdocs.yml``, ``.vitepress/``, ...). Each generator has a :class:`Preset`, written from its
documentation, that says which folders hold content, which hold templates, whether a
post without front matter is a problem, and which front-matter types the generator reads.
``lint`` with no ``generator`` configured uses the nearest site root above each file;
``init`` writes the detected one into the config.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Preset:
    """One generator's contract, from its documentation (``docs``)."""

    name: str
    label: str
    docs: str
    # Folders (relative to the site root) whose files are content; () = the whole site.
    content_dirs: tuple[str, ...] = ()
    # Folder names that hold templates, partials, data or assets, never posts.
    template_dirs: tuple[str, ...] = ()
    # "required": every content file needs a block; "posts": only files in post_dirs;
    # "optional": never a problem; "inferred": expected when most of the site's files have one.
    front_matter: str = "optional"
    post_dirs: tuple[str, ...] = ()
    # Files and folders whose name starts with "_" are partials the generator does not render.
    underscore_private: bool = False
    # Folders whose files the generator reads only when their name starts with a date.
    dated_post_dirs: tuple[str, ...] = ()
    # Non-ISO date layouts (strptime) the generator documents itself: not worth a finding.
    date_layouts: tuple[str, ...] = ()
    # Keys whose value the generator reads as an image or URL path: relative paths are fine.
    relative_urls: bool = True
    # Keys and types (JSON Schema fragments) the generator reads; others are free.
    types: Mapping[str, Any] = field(default_factory=dict)
    # Rules that contradict the generator's documented syntax (VitePress runs a post's
    # <script setup> as Vue): off for its files unless the config selects them by name.
    ignore: tuple[str, ...] = ()
    # The same for the files of one name: file name -> rules off there.
    file_ignores: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # The site root's README is its home page (docsify), not the repository's document.
    readme_is_page: bool = False
    # How the generator's front matter block opens, for the missing-front-matter message.
    opener: str = "a '---' block on the first line"


_NULLABLE_TERMS = {
    "anyOf": [
        {"type": "null"},
        {"type": "string"},
        {"type": "number"},
        {
            "type": "array",
            "items": {
                "anyOf": [
                    {"type": ["string", "number", "null"]},
                    {"type": "array", "items": {"type": ["string", "number"]}},
                ]
            },
        },
    ]
}
_TEXT = {"type": ["string", "number", "null"]}
_FLAG = {"type": ["boolean", "null"]}
_DATE = {"type": ["string", "null"]}  # dates reach the schema as ISO strings; FM010 reads them
_COMMON = {
    "title": _TEXT,
    "description": _TEXT,
    "tags": _NULLABLE_TERMS,
    "categories": _NULLABLE_TERMS,
    "keywords": _NULLABLE_TERMS,
    "date": _DATE,
    "draft": _FLAG,
}

_VUE_PAGE_TYPES = {
    "title": _TEXT,
    "description": _TEXT,
    "tags": _NULLABLE_TERMS,
    "categories": _NULLABLE_TERMS,
    "date": _DATE,
    "layout": {"type": ["string", "boolean", "null"]},
}

PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset(
            # https://hexo.io/docs/front-matter: every setting has a default (title: the file
            # name, date: the file's creation date); `hexo new` writes an empty `tags:`.
            name="hexo",
            label="Hexo",
            docs="https://hexo.io/docs/front-matter",
            content_dirs=("source",),
            template_dirs=("themes", "scaffolds", "_data", "node_modules", "public"),
            front_matter="optional",
            # hexo.io/docs/configuration#Directory: in source/, files and folders whose name
            # starts with "_" are ignored, but _posts (and _drafts); `include:` may name others.
            underscore_private=True,
            post_dirs=("_posts", "_drafts"),
            date_layouts=("%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d"),
            types={
                **_COMMON,
                "updated": _DATE,
                "comments": _FLAG,
                "published": _FLAG,
                "permalink": _TEXT,
                "layout": {"type": ["string", "boolean", "null"]},
                "disableNunjucks": _FLAG,
            },
        ),
        Preset(
            # https://jekyllrb.com/docs/posts/ and /docs/front-matter/: a post's date comes
            # from its file name (YYYY-MM-DD-title.md); pages need no front matter on GitHub
            # Pages (jekyll-optional-front-matter), posts and collection documents do.
            name="jekyll",
            label="Jekyll",
            docs="https://jekyllrb.com/docs/front-matter/",
            template_dirs=(
                "_layouts",
                "_includes",
                "_sass",
                "_data",
                "_site",
                "_plugins",
                "node_modules",
                "vendor",
                ".jekyll-cache",
            ),
            front_matter="posts",
            post_dirs=("_posts", "_drafts"),
            # Jekyll's PostReader takes a _posts file only named YYYY-MM-DD-title.ext
            # (Document::DATE_FILENAME_MATCHER); it skips the others, neither rendered nor copied.
            dated_post_dirs=("_posts",),
            opener="a '---' block on line 1 (without one it is copied as a static file)",
            underscore_private=True,
            types={**_COMMON, "published": _FLAG, "permalink": _TEXT, "layout": _TEXT},
        ),
        Preset(
            # https://gohugo.io/content-management/front-matter/: no field is required; YAML,
            # TOML or JSON front matter; only content/ is rendered as pages.
            name="hugo",
            label="Hugo",
            docs="https://gohugo.io/content-management/front-matter/",
            content_dirs=("content",),
            template_dirs=(
                "layouts",
                "archetypes",
                "themes",
                "resources",
                "public",
                "assets",
                "static",
                "data",
                "i18n",
                "node_modules",
            ),
            front_matter="optional",
            # Hugo's page lexer skips white space before the block (lexIntroSection in
            # parser/pageparser): blank lines before it are no problem there.
            ignore=("FM002",),
            types={
                **_COMMON,
                "lastmod": _DATE,
                "publishDate": _DATE,
                "expiryDate": _DATE,
                "headless": _FLAG,
                "aliases": {"type": ["array", "string", "null"]},
                "weight": {"type": ["integer", "string", "null"]},
            },
        ),
        Preset(
            # https://www.getzola.org/documentation/content/page/: every page and section has
            # a front matter block (TOML between +++, or YAML between ---); title is optional.
            name="zola",
            label="Zola",
            docs="https://www.getzola.org/documentation/content/page/",
            content_dirs=("content",),
            template_dirs=("templates", "themes", "sass", "static", "public", "node_modules"),
            front_matter="required",
            # Zola reads the block after any leading whitespace (its front-matter regex opens
            # with ``^[[:space:]]*\+\+\+``): blank lines before it are no problem there.
            ignore=("FM002",),
            opener="a '+++' (TOML) or '---' (YAML) block on the first line",
            types={
                "title": {"type": ["string", "null"]},
                "description": {"type": ["string", "null"]},
                "date": _DATE,
                "updated": _DATE,
                "draft": _FLAG,
                "weight": {"type": ["integer", "null"]},
                "aliases": {"type": ["array", "null"], "items": {"type": "string"}},
                "authors": {"type": ["array", "null"], "items": {"type": "string"}},
                "taxonomies": {"type": ["object", "null"]},
                "extra": {"type": ["object", "null"]},
            },
        ),
        Preset(
            # https://www.11ty.dev/docs/data-frontmatter/: front matter is optional;
            # _includes/ and _data/ hold layouts and data; .eleventyignore is read below.
            name="eleventy",
            label="Eleventy",
            docs="https://www.11ty.dev/docs/data-frontmatter/",
            template_dirs=("_includes", "_data", "_site", "node_modules"),
            front_matter="optional",
            types=_COMMON,
        ),
        Preset(
            # https://www.mkdocs.org/user-guide/writing-your-docs/#meta-data: YAML meta-data
            # is optional; pages live in docs_dir (default docs/).
            name="mkdocs",
            label="MkDocs",
            docs="https://www.mkdocs.org/user-guide/writing-your-docs/",
            content_dirs=("docs",),
            template_dirs=("overrides", "site", "node_modules"),
            front_matter="optional",
            types=_COMMON,
        ),
        Preset(
            # https://vitepress.dev/guide/frontmatter: optional YAML front matter; the site
            # is the folder holding .vitepress/, public/ holds static assets.
            name="vitepress",
            label="VitePress",
            docs="https://vitepress.dev/guide/frontmatter",
            template_dirs=(".vitepress", "public", "node_modules", "dist"),
            front_matter="optional",
            # https://vitepress.dev/guide/using-vue: <script setup> in Markdown is Vue.
            ignore=("HT101",),
            # Every .md file is a page, a README.md too (https://vitepress.dev/guide/routing).
            readme_is_page=True,
            types=_VUE_PAGE_TYPES,
        ),
        Preset(
            # https://vuepress.vuejs.org/guide/page.html: every .md file under the folder
            # holding .vuepress/ is a page (README.md is its folder's index); front matter
            # is optional; <script setup> in Markdown is the page's Vue component.
            name="vuepress",
            label="VuePress",
            docs="https://vuepress.vuejs.org/guide/page.html",
            template_dirs=(".vuepress", "node_modules", "dist"),
            front_matter="optional",
            ignore=("HT101",),
            readme_is_page=True,
            types=_VUE_PAGE_TYPES,
        ),
        Preset(
            # https://docusaurus.io/docs/create-doc and /docs/blog: front matter optional;
            # files and folders starting with "_" are partials; blog dates may come from the
            # file name.
            name="docusaurus",
            label="Docusaurus",
            docs="https://docusaurus.io/docs/markdown-features",
            content_dirs=("docs", "blog", "src/pages", "versioned_docs", "i18n"),
            template_dirs=("node_modules", "build", "static", ".docusaurus", "src/theme"),
            front_matter="optional",
            underscore_private=True,
            types={
                "title": _TEXT,
                "description": _TEXT,
                "tags": _NULLABLE_TERMS,
                "keywords": _NULLABLE_TERMS,
                "date": _DATE,
                "draft": _FLAG,
            },
        ),
        Preset(
            # https://docs.astro.build/en/guides/markdown-content/: Markdown pages in
            # src/pages/ and content collections in src/content/; "_" files are not pages.
            name="astro",
            label="Astro",
            docs="https://docs.astro.build/en/guides/markdown-content/",
            content_dirs=("src/pages", "src/content", "src/data"),
            template_dirs=("node_modules", "dist", "public", "src/layouts", "src/components"),
            front_matter="optional",
            underscore_private=True,
            types={"title": _TEXT, "description": _TEXT, "tags": _NULLABLE_TERMS},
        ),
        Preset(
            # https://docsify.js.org/#/more-pages: every .md file is a page, fetched by
            # index.html; other "_" files are partials, but _sidebar.md, _navbar.md and
            # _coverpage.md are Markdown it renders on every page (docsify.js.org/#/cover).
            name="docsify",
            label="docsify",
            docs="https://docsify.js.org/#/more-pages",
            template_dirs=("node_modules",),
            front_matter="optional",
            underscore_private=True,
            readme_is_page=True,
            types=_COMMON,
        ),
        Preset(
            # https://rust-lang.github.io/mdBook/format/: chapters live in src/ (book.src);
            # front matter is not part of the format at all.
            name="mdbook",
            label="mdBook",
            docs="https://rust-lang.github.io/mdBook/format/",
            content_dirs=("src",),
            template_dirs=("theme", "book", "node_modules"),
            front_matter="optional",
            # SUMMARY.md is the book's table of contents, where `[Title]()` is a draft chapter
            # (mdBook's format docs); unwrapping it as a broken link breaks `mdbook build`.
            file_ignores={"SUMMARY.md": ("LK002",)},
            types=_COMMON,
        ),
        Preset(
            # No generator: a folder of Markdown files. A front matter block is expected only
            # when most of the folder's files have one (a notes repository has none at all).
            name="markdown",
            label="plain Markdown",
            docs="https://spec.commonmark.org/",
            template_dirs=("node_modules", "_site", "public"),
            front_matter="inferred",
            relative_urls=False,
            types=_COMMON,
        ),
    )
}

GENERATORS = tuple(PRESETS)
# On a generator's site, a page written in HTML (Hugo's content/_index.html, Jekyll's 404.html)
# is the author's own page, and an MDX page's attributes are JSX code: their scripts and
# event handlers are meant, not a scraped page's leftovers. Rules off there, as file_ignores.
OWN_CODE_IGNORES: Mapping[str, tuple[str, ...]] = {
    "*.html": ("HT101", "HT102"),
    "*.htm": ("HT101", "HT102"),
    "*.mdx": ("HT102",),
}
# The schema of a generator's preset, as Settings.schema names it.
SITE_SCHEMA_PREFIX = "site:"

# Repository documents: not posts, whatever the generator, unless configured.
REPO_DOCUMENTS = re.compile(
    r"^(?:readme|license|licence|copying|changelog|changes|history|contributing|"
    r"code_of_conduct|security|support|authors|contributors|maintainers|notice|"
    r"pull_request_template|issue_template|funding|governance|codeowners)(?:\.[\w.-]+)?$",
    re.IGNORECASE,
)
REPO_FOLDERS = frozenset({".github", ".gitlab", ".gitee", ".circleci", ".vscode", ".idea"})


def preset_schema(name: str) -> dict[str, Any]:
    """The JSON Schema of preset ``name``: open, nothing required, the types it reads."""
    preset = PRESETS[name]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"{preset.label} front matter ({preset.docs})",
        "type": "object",
        "properties": {**preset.types, "contentkit": {"type": "object"}},
        "additionalProperties": True,
    }


@dataclass(frozen=True)
class Site:
    """A site found on disk: its root folder, its generator and what its config adds."""

    root: str
    preset: Preset
    content_dirs: tuple[str, ...]
    # Paths (relative to the root, POSIX) the site's own config excludes or skips.
    excluded: tuple[str, ...] = ()
    # Collections whose documents, like posts, need front matter (Jekyll `_name` folders).
    post_dirs: tuple[str, ...] = ()
    # Hexo's post_asset_folder: a folder next to a post, named as the post, holds its assets.
    asset_folders: bool = False
    # "_" folders the config has rendered all the same (Jekyll's `include:`).
    included: tuple[str, ...] = ()
    # Globs (relative to the content folder) of "_" files and folders the config has rendered
    # all the same (Hexo's `include:`).
    included_globs: tuple[str, ...] = ()
    # Regular expressions of files the generator skips, searched in a file's absolute path
    # (Hugo's `ignoreFiles`).
    ignored_files: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.preset.name

    def needs_front_matter(self, rel: str) -> bool | None:
        """True or False from the contract; None when the folder's habit decides."""
        mode = self.preset.front_matter
        if mode == "required":
            return True
        if mode == "posts":  # Jekyll posts may also sit in a category's own _posts/
            return any(part in self.post_dirs for part in rel.split("/")[:-1])
        if mode == "inferred":
            return None
        return False


def front_matter_expected(site: Site, path: str) -> bool:
    """Whether the file at ``path`` of ``site`` should open with a front matter block."""
    rel = os.path.relpath(os.path.abspath(path), site.root).replace(os.sep, "/")
    need = site.needs_front_matter(rel)
    return habitually_front_matter(site.root) if need is None else need


SAMPLE_FILES = 200
SAMPLE_FOLDERS = 2000
_OPENERS = ("---", "+++")


@lru_cache(maxsize=256)
def habitually_front_matter(root: str) -> bool:
    """Whether most Markdown files under ``root`` (a sample of the first 200 found) open with
    a front matter block: a folder of posts does, a notes repository does not. True when
    there is nothing to go by, as a lone post is expected to have one."""
    seen = with_block = folders = 0
    for folder, dirs, files in os.walk(root):
        folders += 1
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "node_modules")
        for name in sorted(files):
            if not name.lower().endswith((".md", ".markdown", ".mdx")):
                continue
            seen += 1
            head = _read_text(os.path.join(folder, name), 512).lstrip("\ufeff \t\r\n")
            with_block += head.startswith(_OPENERS)
            if seen >= SAMPLE_FILES:
                break
        if seen >= SAMPLE_FILES or folders >= SAMPLE_FOLDERS:
            break
    return seen == 0 or 2 * with_block >= seen


def _read_text(path: str, limit: int = 256 * 1024) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            return fh.read(limit)
    except OSError:
        return ""


def _yaml(path: str) -> dict[str, Any]:
    text = _read_text(path)
    if not text:
        return {}
    import yaml

    try:
        # A custom tag (mkdocs.yml's !!python/name, !ENV) reads as null: not our business.
        data = yaml.load(text, Loader=_lenient_loader())
    except (yaml.YAMLError, ValueError, TypeError):
        return {}
    return data if isinstance(data, dict) else {}


@lru_cache(maxsize=1)
def _lenient_loader() -> Any:
    import yaml

    class Lenient(yaml.SafeLoader):
        pass

    Lenient.add_multi_constructor("", lambda loader, suffix, node: None)
    return Lenient


def _toml(path: str) -> dict[str, Any]:
    import sys

    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    try:
        data = tomllib.loads(_read_text(path))
    except (tomllib.TOMLDecodeError, ValueError):
        return {}
    return data


def _any(folder: str, names: Iterable[str]) -> str | None:
    for name in names:
        if os.path.exists(os.path.join(folder, name)):
            return name
    return None


def _package_uses(folder: str, package: str) -> bool:
    data = _config_file(os.path.join(folder, "package.json"))
    for key in ("dependencies", "devDependencies"):
        deps = data.get(key)
        if isinstance(deps, dict) and package in deps:
            return True
    return False


def detect(folder: str | os.PathLike[str]) -> Site | None:
    """The site whose root is ``folder``, or None when no generator's files are there."""
    return _detect(os.path.abspath(folder))


@lru_cache(maxsize=4096)
def _detect(folder: str) -> Site | None:
    def has(name: str) -> bool:
        return os.path.exists(os.path.join(folder, name))

    def isdir(name: str) -> bool:
        return os.path.isdir(os.path.join(folder, name))

    # Hexo and Jekyll both keep a _config.yml; Hexo's site has scaffolds/ or source/.
    if has("_config.yml") and (
        isdir("scaffolds") or isdir("source") or _package_uses(folder, "hexo")
    ):
        cfg = _yaml(os.path.join(folder, "_config.yml"))
        source = str(cfg.get("source_dir") or "source").strip("/")
        skip = cfg.get("skip_render") or []
        skip = [skip] if isinstance(skip, str) else [s for s in skip if isinstance(s, str)]
        include = cfg.get("include") or []
        include = [include] if isinstance(include, str) else include
        return Site(
            folder,
            PRESETS["hexo"],
            (source,),
            tuple(f"{source}/{s.lstrip('/')}" for s in skip),
            asset_folders=cfg.get("post_asset_folder") is True,
            included_globs=tuple(i.lstrip("/") for i in include if isinstance(i, str) and i),
        )
    jekyll_config = _any(folder, ("_config.yml", "_config.yaml", "_config.toml"))
    if jekyll_config:
        path = os.path.join(folder, jekyll_config)
        cfg = _toml(path) if jekyll_config.endswith(".toml") else _yaml(path)
    if jekyll_config and (
        isdir("_posts")
        or isdir("_layouts")
        or isdir("_includes")
        or has("Gemfile")
        or _jekyll_keys(cfg)
    ):
        collections = cfg.get("collections") or {}
        names = list(collections) if isinstance(collections, dict | list) else []
        posts = ("_posts", "_drafts", *(f"_{n}" for n in names if isinstance(n, str)))
        exclude = cfg.get("exclude") or []
        exclude = [e for e in exclude if isinstance(e, str)] if isinstance(exclude, list) else []
        # `include:` makes Jekyll render folders it would skip (academicpages' _pages/).
        include = cfg.get("include") or []
        included = (
            [i.strip("/") for i in include if isinstance(i, str)]
            if isinstance(include, list)
            else []
        )
        return Site(
            folder,
            PRESETS["jekyll"],
            (),
            tuple(e.strip("/") for e in exclude),
            posts,
            included=tuple(i for i in included if i.startswith("_")),
        )
    if has("zola.toml") or (has("config.toml") and _is_zola(os.path.join(folder, "config.toml"))):
        return Site(folder, PRESETS["zola"], ("content",))
    hugo_config = _any(
        folder, ("hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json", "config/_default")
    )
    if hugo_config is None:
        legacy = _any(folder, ("config.toml", "config.yaml", "config.yml", "config.json"))
        if legacy and (isdir("content") or isdir("archetypes") or isdir("layouts")):
            hugo_config = legacy
    if hugo_config is None and has("theme.toml") and (isdir("layouts") or isdir("archetypes")):
        hugo_config = "theme.toml"  # a Hugo theme repository: its content is exampleSite's
    if hugo_config is not None:
        tables = _hugo_config(folder, hugo_config)
        return Site(
            folder,
            PRESETS["hugo"],
            _hugo_content_dirs(tables),
            ignored_files=_hugo_ignored_files(tables),
        )
    mkdocs = _any(folder, ("mkdocs.yml", "mkdocs.yaml"))
    if mkdocs:
        # MkDocs renders the Markdown files of docs_dir; it copies the rest (an .html file, a
        # theme's custom_dir of templates kept in docs/) as they are (mkdocs.org/user-guide/
        # writing-your-docs/).
        cfg = _yaml(os.path.join(folder, mkdocs))
        docs_dir = str(cfg.get("docs_dir") or "docs").strip("/")
        theme = cfg.get("theme")
        custom = theme.get("custom_dir") if isinstance(theme, dict) else None
        skipped = ["*.html", "*.htm"]
        if isinstance(custom, str) and custom.strip("/"):
            skipped.append(custom.strip("/").removeprefix("./") + "/")
        return Site(folder, PRESETS["mkdocs"], (docs_dir,), tuple(skipped))
    if isdir(".vitepress"):
        return Site(folder, PRESETS["vitepress"], (), _vitepress_excluded(folder))
    if isdir(".vuepress"):
        return Site(folder, PRESETS["vuepress"], ())
    docusaurus = _any(folder, _DOCUSAURUS_CONFIGS)
    if docusaurus:
        preset = PRESETS["docusaurus"]
        unbuilt = _unbuilt_locales(folder, _read_text(os.path.join(folder, docusaurus)))
        return Site(folder, preset, preset.content_dirs, unbuilt)
    website = _any(os.path.join(folder, "website"), _DOCUSAURUS_CONFIGS)
    if website:
        found = _docusaurus_in_website(folder, website)
        if found is not None:
            return found
    if _any(folder, [f"astro.config.{e}" for e in ("mjs", "js", "ts", "mts", "cjs")]):
        return Site(folder, PRESETS["astro"], PRESETS["astro"].content_dirs)
    if has("book.toml"):
        src = _toml(os.path.join(folder, "book.toml")).get("book", {})
        given = src.get("src") if isinstance(src, dict) else None
        content = given.strip("/") if isinstance(given, str) and given.strip("/") else "src"
        return Site(folder, PRESETS["mdbook"], (content,))
    if has("index.html") and "docsify" in _read_text(os.path.join(folder, "index.html"), 65536):
        # index.html is the app that fetches the pages, not a post.
        shown = ("_sidebar.md", "_navbar.md", "_coverpage.md")
        return Site(folder, PRESETS["docsify"], (), ("*.html",), included=shown)
    eleventy = (".eleventy.js", ".eleventy.cjs", "eleventy.config.js", "eleventy.config.mjs",
                "eleventy.config.cjs", "eleventy.config.ts")  # fmt: skip
    if _any(folder, eleventy):
        ignore = _read_text(os.path.join(folder, ".eleventyignore")).splitlines()
        patterns = tuple(
            p.strip().removeprefix("./").strip("/")
            for p in ignore
            if p.strip() and not p.startswith("#")
        )
        return Site(folder, PRESETS["eleventy"], (), patterns)
    return None


def _jekyll_keys(cfg: Mapping[str, Any]) -> bool:
    """Does a ``_config.yml`` say Jekyll of itself: a key only Jekyll reads (collections,
    remote_theme, kramdown, defaults), or a Jekyll theme or plugin named? (A GitHub Pages
    site with a theme gem has no _layouts, _includes or Gemfile of its own.)"""
    if any(key in cfg for key in ("collections", "remote_theme", "kramdown", "defaults")):
        return True
    named = [cfg.get(key) for key in ("theme", "plugins", "gems")]
    words = [w for v in named for w in (v if isinstance(v, list) else [v]) if isinstance(w, str)]
    return any("jekyll" in w.lower() or w == "minima" for w in words)


# A JavaScript config (VitePress', Docusaurus') is read from its text: its literal values are
# what matter, and no JavaScript is run.
_QUOTED = re.compile(r"""["'`]([^"'`]+)["'`]""")


def _js_strings(text: str, key: str) -> list[str] | None:
    """The quoted strings of ``key: [...]`` in a JavaScript config (None: no such key)."""
    found = re.search(rf"\b{key}\s*:\s*\[([^\]]*)\]", text)
    return None if found is None else _QUOTED.findall(found.group(1))


def _js_string(text: str, key: str) -> str | None:
    """The quoted string of ``key: '...'`` in a JavaScript config (None: no such key)."""
    found = re.search(rf"""\b{key}\s*:\s*["'`]([^"'`]+)["'`]""", text)
    return None if found is None else found.group(1)


def _vitepress_excluded(folder: str) -> tuple[str, ...]:
    """The config's ``srcExclude`` globs (vitepress.dev/reference/site-config#srcexclude):
    Markdown kept beside the pages (snippets an ``<!--@include-->`` pulls in), never a page."""
    config = _any(
        os.path.join(folder, ".vitepress"),
        [f"config.{e}" for e in ("ts", "mts", "js", "mjs", "cjs", "cts")],
    )
    if config is None:
        return ()
    text = _read_text(os.path.join(folder, ".vitepress", config))
    globs = _js_strings(text, "srcExclude")
    if globs is None:
        return ()
    base = (_js_string(text, "srcDir") or "").removeprefix("./").strip("/")
    return tuple(f"{base}/{g.lstrip('/')}" if base else g for g in globs)


_DOCUSAURUS_CONFIGS = tuple(f"docusaurus.config.{e}" for e in ("js", "ts", "mjs", "cjs", "mts"))
# The docs plugin's folder in a Docusaurus config: `docs: {..., path: '../docs'}`.
_DOCS_PATH = re.compile(r"""\bdocs\s*:\s*\{[^{}]*?\bpath\s*:\s*["'`]([^"'`]+)["'`]""")


def _docusaurus_in_website(folder: str, config: str) -> Site | None:
    """A repository whose Docusaurus site lives in ``website/`` and reads its docs from
    ``docs.path`` (Jest's: ``path: '../docs'``, docs beside website/): a Docusaurus site at
    the repository's root, so a lint there reads the docs as the site does (they were plain
    Markdown, and an MDX partial drew an FM001)."""
    text = _read_text(os.path.join(folder, "website", config))
    given = _DOCS_PATH.search(text)
    docs = os.path.normpath(os.path.join("website", given.group(1) if given else "docs"))
    if docs.startswith("..") or os.path.isabs(docs):
        return None
    preset = PRESETS["docusaurus"]
    content = (docs.replace(os.sep, "/"), *(f"website/{d}" for d in preset.content_dirs))
    unbuilt = _unbuilt_locales(os.path.join(folder, "website"), text)
    return Site(
        folder, preset, tuple(dict.fromkeys(content)), tuple(f"website/{u}" for u in unbuilt)
    )


def _unbuilt_locales(folder: str, config: str) -> tuple[str, ...]:
    """The folders of ``i18n/`` for locales the config does not list: Docusaurus builds only
    ``i18n.locales`` (docusaurus.io/docs/i18n/introduction); none when it cannot tell."""
    built = set(_js_strings(config, "locales") or ())
    i18n = os.path.join(folder, "i18n")
    if not built or not os.path.isdir(i18n):
        return ()
    return tuple(
        f"i18n/{name}/"
        for name in sorted(os.listdir(i18n))
        if name not in built and os.path.isdir(os.path.join(i18n, name))
    )


def _hugo_config(folder: str, config: str) -> list[Mapping[str, Any]]:
    """A Hugo site's config tables: its TOML, YAML or JSON file, or those of a
    ``config/_default/`` folder (``hugo.*``, ``languages.*``, ``module.*``)."""
    tables: list[Mapping[str, Any]] = []
    path = os.path.join(folder, config)
    if os.path.isdir(path):
        for name in sorted(os.listdir(path)):
            stem = os.path.splitext(name)[0]
            if stem in ("hugo", "config"):
                tables.append(_config_file(os.path.join(path, name)))
            elif stem in ("languages", "module"):
                tables.append({stem: _config_file(os.path.join(path, name))})
    elif config != "theme.toml":
        tables.append(_config_file(path))
    return tables


def _hugo_get(table: Mapping[str, Any], key: str) -> Any:
    """``table[key]``, as Hugo reads keys: whatever their case."""
    return next((v for k, v in table.items() if str(k).lower() == key), None)


def _hugo_ignored_files(tables: list[Mapping[str, Any]]) -> tuple[str, ...]:
    """The config's ``ignoreFiles``: regular expressions of the files Hugo skips
    (gohugo.io/configuration/all/#ignorefiles); one Python cannot compile is left out."""
    out: list[str] = []
    for table in tables:
        given = _hugo_get(table, "ignorefiles")
        for pattern in [given] if isinstance(given, str) else given or []:
            if isinstance(pattern, str) and pattern:
                try:
                    re.compile(pattern)
                except re.error:
                    continue
                out.append(pattern)
    return tuple(out)


def _hugo_content_dirs(tables: list[Mapping[str, Any]]) -> tuple[str, ...]:
    """Where a Hugo site keeps its content: ``content/``, or the config's ``contentDir``, and
    each language's own ``contentDir`` (a multilingual site's "translation by content
    directory", https://gohugo.io/content-management/multilingual/), and the folders a module
    mount puts at ``content``."""
    get = _hugo_get

    def content_dir(table: object) -> str | None:
        if not isinstance(table, Mapping):
            return None
        given = get(table, "contentdir")
        return given.strip("/") if isinstance(given, str) and given.strip("/") else None

    languages = [
        lang
        for table in tables
        if isinstance(found := get(table, "languages"), Mapping)
        for lang in found.values()
        if isinstance(lang, Mapping)
    ]
    own = [content_dir(lang) for lang in languages]
    # The site's folder is read for the languages without a folder of their own: where each
    # has one, Hugo reads only theirs (modules/config.go, ApplyProjectConfigDefaults).
    default = next((d for d in map(content_dir, tables) if d), "content")
    dirs = [] if languages and all(own) else [default]
    dirs.extend(d for d in own if d)
    for table in tables:
        # A module mount can put any folder at content/ (gohugo.io/hugo-modules/configuration).
        module = get(table, "module")
        mounts = get(module, "mounts") if isinstance(module, Mapping) else None
        for mount in mounts if isinstance(mounts, list) else []:
            if isinstance(mount, Mapping):
                source, target = get(mount, "source"), get(mount, "target")
                if isinstance(source, str) and isinstance(target, str) and source.strip("/"):
                    if target.strip("/").split("/")[0] == "content":
                        dirs.append(source.strip("/"))
    return tuple(dict.fromkeys(dirs))


def _config_file(path: str) -> dict[str, Any]:
    """A config file's top-level table, by its extension (TOML, YAML or JSON); {} if unread."""
    if path.endswith(".toml"):
        return _toml(path)
    if path.endswith((".yaml", ".yml")):
        return _yaml(path)
    if path.endswith(".json"):
        try:
            data = json.loads(_read_text(path))
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}
    return {}


def _is_zola(config: str) -> bool:
    # Zola's config names the site's address base_url; Hugo's is baseURL (or baseurl).
    data = _toml(config)
    return "base_url" in data or "compile_sass" in data


@lru_cache(maxsize=4096)
def find_site(folder: str) -> Site | None:
    """The site whose root is ``folder`` or the nearest folder above it, if any."""
    current = os.path.abspath(folder)
    while True:
        found = _detect(current)
        if found is not None:
            return found
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def plain_site(folder: str) -> Site:
    """The site of a folder no generator claims: a plain Markdown folder."""
    return Site(os.path.abspath(folder), PRESETS["markdown"], ())


def repository_root(folder: str) -> str | None:
    current = os.path.abspath(folder)
    while True:
        if os.path.exists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def sites_below(folder: Path, depth: int = 2) -> list[Site]:
    """Sites whose root is ``folder`` or a folder up to ``depth`` levels below it."""
    found: list[Site] = []
    site = detect(folder)
    if site is not None:
        return [site]
    if depth <= 0:
        return found
    try:
        children = sorted(p for p in folder.iterdir() if p.is_dir())
    except OSError:
        return found
    for child in children:
        if child.name.startswith(".") or child.name in ("node_modules", "vendor"):
            continue
        found.extend(sites_below(child, depth - 1))
    return found


def describe(site: Site, base: Path) -> str:
    try:
        where = Path(site.root).relative_to(base.resolve()).as_posix()
    except ValueError:
        where = site.root
    return f"{site.preset.label} ({'the folder itself' if where == '.' else where + '/'})"
