"""Generators known, not guessed: each fixture under fixtures/sites/ is shaped like a real site
of one generator; the CLI runs on a copy, as a user runs it from the site's root."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES

SITES = FIXTURES / "sites"


@pytest.fixture
def site(tmp_path: Path):
    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(SITES / name, target)
        return target

    return copy


def shown_files(run_cli, folder: Path, *args: str) -> list[str]:
    proc = run_cli("lint", "--show-files", *args, cwd=folder)
    assert proc.returncode == 0, proc.stderr
    return [line.split("  (")[0] for line in proc.stdout.splitlines()]


def findings(run_cli, folder: Path, *args: str) -> list[tuple[str, str, str]]:
    proc = run_cli("lint", ".", "--no-cache", "--output-format", "json", *args, cwd=folder)
    assert proc.returncode in (0, 1), proc.stderr
    return [(d["path"], d["code"], d["message"]) for d in json.loads(proc.stdout)]


FRONT_MATTER = ("FM",)


def fm_findings(run_cli, folder: Path) -> list[tuple[str, str, str]]:
    return [f for f in findings(run_cli, folder) if f[1].startswith(FRONT_MATTER)]


EXPECTED_POSTS = {
    "hexo": [
        "source/_drafts/草稿.md",
        "source/_posts/hello-world.md",
        "source/_posts/java-泛型.md",
        "source/_posts/旧文章.md",
        "source/about/index.md",
    ],
    "jekyll": [
        "_docs/contributing.md",
        "_docs/installation.md",
        "_posts/2021-04-20-welcome-to-jekyll.md",
        "_posts/2021-05-01-release.md",
        "about.md",
        "index.md",
    ],
    "hugo": [
        "content/_index.md",
        "content/about.md",
        "content/posts/bundle/index.md",
        "content/posts/my-first-post.md",
    ],
    "zola": [
        "content/_index.md",
        "content/blog/first.md",
        "content/blog/forgot.md",
        "content/blog/second.md",
    ],
    "vitepress": ["docs/guide/intro.md", "docs/index.md"],
    "mkdocs": ["docs/README.md", "docs/guide/setup.md", "docs/index.md"],
    "docusaurus": ["blog/2021-08-26-welcome.md", "docs/intro.md", "src/pages/markdown-page.md"],
    "astro": ["src/content/blog/first-post.md", "src/pages/about.md"],
    "eleventy": ["index.md", "posts/first.md"],
    "markdown": ["工具/pkg/README.md", "笔记/README.md", "笔记/第一章.md", "笔记/第二章.md"],
    # (_sidebar.md is rendered on every page: linted, as the cover page and navbar are)
    "docsify": [
        "docs/README.md",
        "docs/_sidebar.md",
        "docs/java/CHANGELOG.md",
        "docs/java/基础.md",
    ],
    "mdbook": ["src/SUMMARY.md", "src/chapter_1.md"],
}


@pytest.mark.parametrize("name", sorted(EXPECTED_POSTS))
def test_only_posts_are_linted(run_cli, site, name: str) -> None:
    # Templates, partials, theme folders, build output, ignored files, files the site's own
    # config excludes and repository documents are not posts.
    assert shown_files(run_cli, site(name), ".") == EXPECTED_POSTS[name]


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("hexo", "Hexo"),
        ("jekyll", "Jekyll"),
        ("hugo", "Hugo"),
        ("zola", "Zola"),
        ("mkdocs", "MkDocs"),
        ("docusaurus", "Docusaurus"),
        ("astro", "Astro"),
        ("eleventy", "Eleventy"),
        ("mdbook", "mdBook"),
    ],
)
def test_init_writes_the_detected_generator(run_cli, site, name: str, label: str) -> None:
    folder = site(name)
    proc = run_cli("init", cwd=folder)
    assert proc.returncode == 0, proc.stderr
    assert f"detected {label}" in proc.stdout
    assert f'generator = "{name}"' in (folder / "contentkit.toml").read_text()
    # The written config lints the same files as no config at all.
    assert shown_files(run_cli, folder, ".") == EXPECTED_POSTS[name]


def test_init_in_a_repository_whose_site_is_in_a_subfolder(run_cli, site) -> None:
    folder = site("vitepress")
    proc = run_cli("init", cwd=folder)
    assert proc.returncode == 0, proc.stderr
    assert "VitePress (docs/)" in proc.stdout
    assert 'generator = "auto"' in (folder / "contentkit.toml").read_text()
    assert shown_files(run_cli, folder, ".") == EXPECTED_POSTS["vitepress"]


def test_hexo_stock_posts_are_fine_and_real_problems_still_found(run_cli, site) -> None:
    # No date (Hexo takes the file's), empty `tags:` as `hexo new` writes it, the layout
    # Hexo's own docs show (2013/7/13 20:46:25), `cover: false` as themes turn a cover off
    # (Butterfly's docs): none of that is a finding. A blank line
    # before the front matter and an RFC 2822 date still are.
    assert fm_findings(run_cli, site("hexo")) == [
        (
            "source/_posts/旧文章.md",
            "FM002",
            "front matter starts on line 2, after blank line; Jekyll and Hexo only read it on "
            "line 1",
        ),
        (
            "source/_posts/旧文章.md",
            "FM011",
            "'date' is not ISO 8601: 'Tue, 20 Apr 2021 02:55:35 GMT' "
            "(ISO 8601: 2021-04-20T02:55:35Z)",
        ),
    ]


def test_jekyll_posts_take_their_date_from_the_file_name(run_cli, site) -> None:
    # No `date` anywhere, pages without front matter: fine. A post without front matter is
    # copied as a static file by Jekyll: that one is a finding.
    assert fm_findings(run_cli, site("jekyll")) == [
        (
            "_posts/2021-05-01-release.md",
            "FM001",
            "no front matter: Jekyll reads this file as a page only with a '---' block on "
            "line 1 (without one it is copied as a static file)",
        )
    ]


def test_hugo_needs_no_front_matter_and_reads_toml_and_json(run_cli, site) -> None:
    assert fm_findings(run_cli, site("hugo")) == []


def test_zola_pages_need_front_matter(run_cli, site) -> None:
    assert fm_findings(run_cli, site("zola")) == [
        (
            "content/blog/forgot.md",
            "FM001",
            "no front matter: Zola reads this file as a page only with a '+++' (TOML) or "
            "'---' (YAML) block on the first line",
        )
    ]


@pytest.mark.parametrize(
    "name", ["vitepress", "mkdocs", "docusaurus", "astro", "eleventy", "docsify", "mdbook"]
)
def test_docs_generators_need_no_front_matter(run_cli, site, name: str) -> None:
    assert fm_findings(run_cli, site(name)) == []


def test_plain_markdown_repository_has_no_front_matter_anywhere(run_cli, site) -> None:
    folder = site("markdown")
    assert fm_findings(run_cli, folder) == []


def test_folder_of_posts_still_expects_front_matter(run_cli, tmp_path: Path) -> None:
    for i in range(3):
        (tmp_path / f"p{i}.md").write_text(f"---\ntitle: P{i}\ndate: 2021-04-20\n---\n")
    (tmp_path / "lost.md").write_text("# lost its block\n")
    got = fm_findings(run_cli, tmp_path)
    assert got == [
        ("lost.md", "FM001", "no front matter: expected a '---' block on the first line")
    ]


def test_templates_in_front_matter_values_are_not_invalid(run_cli, site) -> None:
    # An archetype named on the command line is linted (explicit paths win), and its
    # `date = '{{ .Date }}'` is a template expression, not an invalid date.
    folder = site("hugo")
    proc = run_cli("lint", "archetypes/default.md", "--no-cache", cwd=folder)
    assert proc.returncode == 0, proc.stdout
    assert proc.stdout == "All checks passed (1 file).\n"


def test_force_exclude_skips_explicit_files_that_are_not_posts(run_cli, site) -> None:
    folder = site("hugo")
    files = ["archetypes/default.md", "layouts/partials/head.html", "content/about.md"]
    assert shown_files(run_cli, folder, *files) == files
    assert shown_files(run_cli, folder, "--force-exclude", *files) == ["content/about.md"]


def test_nested_gitignore_and_ignore_files(run_cli, tmp_path: Path) -> None:
    post = "---\ntitle: T\ndate: 2021-04-20\n---\n"
    for rel in [
        "a.md",
        "gen/x.md",
        "notes/keep.md",
        "notes/skip.md",
        "notes/sub/deep.md",
        "out/y.md",
        "draft.md",
    ]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(post)
    (tmp_path / ".gitignore").write_text("gen/\n/out\n*.md\n!a.md\n!notes/\n")
    # A nested .gitignore is read relative to its folder, and the nearer file wins.
    (tmp_path / "notes" / ".gitignore").write_text("!keep.md\n!sub/\n!deep.md\n")
    (tmp_path / ".ignore").write_text("!draft.md\n")
    assert shown_files(run_cli, tmp_path, ".") == [
        "a.md",
        "draft.md",
        "notes/keep.md",
        "notes/sub/deep.md",
    ]
    (tmp_path / "contentkit.toml").write_text("respect-gitignore = false\n")
    assert len(shown_files(run_cli, tmp_path, ".")) == 7


def test_force_include_lints_what_the_generator_would_skip(run_cli, site) -> None:
    folder = site("hugo")
    (folder / "contentkit.toml").write_text('force-include = ["archetypes/*.md"]\n')
    assert "archetypes/default.md" in shown_files(run_cli, folder, ".")


def test_schema_messages_in_words_one_per_key(run_cli, site) -> None:
    folder = site("hexo")
    post = folder / "source" / "_posts" / "typed.md"
    post.write_text("---\ntitle: T\ncomments: 'no'\ntags: {a: 1}\n---\n")
    got = [f for f in fm_findings(run_cli, folder) if f[0].endswith("typed.md")]
    assert got == [
        ("source/_posts/typed.md", "FM007", "'comments' must be boolean or null, not string"),
        (
            "source/_posts/typed.md",
            "FM009",
            "'tags' must be empty, a string, a number or a list of strings, numbers or lists, "
            'not a table of keys ({"a": 1})',
        ),
    ]


def test_explicit_schema_still_wins_over_the_preset(run_cli, site) -> None:
    folder = site("hexo")
    (folder / "contentkit.toml").write_text('schema = "hexo"\n')
    got = {(p, c) for p, c, _ in fm_findings(run_cli, folder)}
    assert ("source/_posts/hello-world.md", "FM006") in got  # the built-in schema needs date


def test_rule_options_are_typed(run_cli, tmp_path: Path) -> None:
    cfg = tmp_path / "contentkit.toml"
    cfg.write_text('[rules.non-iso-date]\nallow-space-separator = "no"\n')
    (tmp_path / "p.md").write_text("---\ntitle: T\ndate: 2021-04-29 04:02:14\n---\n")
    proc = run_cli("lint", "p.md", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr == (
        f"contentkit: error: {cfg}:1:1: rules.non-iso-date.allow-space-separator in {cfg} "
        'must be true or false, not "no"\n'
    )
    cfg.write_text("[rules.non-iso-date]\nallow_space_separator = false\n")
    proc = run_cli("lint", "p.md", cwd=tmp_path)
    assert proc.returncode == 2
    assert "write it allow-space-separator" in proc.stderr
    cfg.write_text("respect-gitignore = 1\n")
    proc = run_cli("lint", "p.md", cwd=tmp_path)
    assert proc.returncode == 2
    assert f"'respect-gitignore' in {cfg} must be true or false, not 1" in proc.stderr


def test_explain_is_dedented_and_spells_options_as_the_config_does(run_cli) -> None:
    proc = run_cli("explain", "non-iso-date")
    assert proc.returncode == 0
    lines = proc.stdout.splitlines()
    assert "  allow-space-separator = true" in lines
    assert (
        "Option ``allow-space-separator`` (default true) accepts ``2021-04-29 04:02:14``, the"
        in (lines)
    )
    body = lines[lines.index("") + 1 :]
    assert body[0].startswith("A date that parses")
    assert not any(line.startswith("    A ") for line in body)


def test_color_choice(run_cli, tmp_path: Path) -> None:
    (tmp_path / "p.md").write_text("\n---\ntitle: T\ndate: 2021-04-20\n---\n")
    plain = run_cli("lint", "p.md", cwd=tmp_path)
    assert "\x1b[" not in plain.stdout
    forced = run_cli("lint", "p.md", cwd=tmp_path, env={"FORCE_COLOR": "1", "NO_COLOR": ""})
    assert "\x1b[" in forced.stdout
    always = run_cli("lint", "p.md", "--color", "always", cwd=tmp_path)
    assert "\x1b[" in always.stdout
    never = run_cli("lint", "p.md", "--color", "never", cwd=tmp_path, env={"FORCE_COLOR": "1"})
    assert "\x1b[" not in never.stdout
    bad = run_cli("lint", "p.md", "--color", "sometimes", cwd=tmp_path)
    assert bad.returncode == 2 and "--color must be always, never or auto" in bad.stderr


def test_shell_completion_is_offered(run_cli) -> None:
    proc = run_cli("--help")
    assert "--install-completion" in proc.stdout and "--show-completion" in proc.stdout


def test_empty_text_link_to_a_fragment_is_a_permalink_not_a_broken_link(run_cli, tmp_path):
    (tmp_path / "p.md").write_text(
        '---\ntitle: T\n---\n## 安装 <a href="#安装"></a>\n\n'
        "[](#安装) and [](https://example.com/x) and [ ](#)\n"
    )
    proc = run_cli("lint", "p.md", "--select", "LK002", "--output-format", "concise", cwd=tmp_path)
    found = [line for line in proc.stdout.splitlines() if "LK002" in line]
    # The external one and the bare "#" (no fragment) are broken; the permalinks are not.
    assert [line.split(":")[1:3] for line in found] == [["6", "13"], ["6", "43"]], proc.stdout


def test_hexo_post_asset_folders_hold_assets_not_posts(run_cli, site) -> None:
    folder = site("hexo")
    config = folder / "_config.yml"
    config.write_text(config.read_text(encoding="utf-8") + "post_asset_folder: true\n")
    assets = folder / "source" / "_posts" / "hello-world"
    assets.mkdir()
    (assets / "demo.html").write_text("<div><script>alert(1)</script>\n")
    (folder / "source" / "_posts" / "series").mkdir()
    (folder / "source" / "_posts" / "series" / "part-1.md").write_text("---\ntitle: 1\n---\n")
    shown = shown_files(run_cli, folder, ".")
    assert "source/_posts/hello-world/demo.html" not in shown
    assert "source/_posts/series/part-1.md" in shown


@pytest.mark.parametrize("name", ["hexo", "jekyll", "hugo", "zola", "eleventy", "docusaurus"])
def test_templates_code_and_more_markers_give_no_body_findings(run_cli, site, name) -> None:
    # Liquid/Go/Tera/Nunjucks expressions in hrefs, Hugo shortcodes, a body opening with
    # <!--more-->, `List<String>` and `<a href>` in code fences and code spans: nothing for
    # the HTML and link rules; only the front-matter findings the tests above expect.
    folder = site(name)
    assert [f for f in findings(run_cli, folder) if not f[1].startswith("FM")] == []
    proc = run_cli("lint", ".", "--fix", "--unsafe-fixes", "--no-cache", "-q", cwd=folder)
    assert proc.returncode in (0, 1)
    for path in (SITES / name).rglob("*"):
        if path.is_file() and "旧文章" not in path.name:  # the one post with a real fix
            assert (folder / path.relative_to(SITES / name)).read_bytes() == path.read_bytes()


# ---- found by a first lint of unseen real sites (hugo-book, academicpages, PaperMod, Chirpy) --


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, "utf-8")
    return root


POST = "---\ntitle: Hi\n---\n\nSee <b>this.\n"


@pytest.mark.parametrize(
    "config",
    [
        {
            "hugo.toml": "baseURL = 'https://example.org/'\n"
            "[languages.en]\ncontentDir = 'content.en'\n[languages.zh]\ncontentDir = 'content.zh'\n"
        },
        {
            "config/_default/hugo.yaml": "baseURL: https://example.org/\n",
            "config/_default/languages.yaml": "en:\n  contentDir: content.en\n"
            "zh:\n  contentdir: content.zh\n",
        },
    ],
)
def test_a_multilingual_hugo_site_s_content_directories_are_linted(
    run_cli, tmp_path: Path, config: dict[str, str]
) -> None:
    # Hugo's "translation by content directory": every page is under content.<lang>/, and
    # the whole site was "All checks passed (0 files)".
    posts = {"content.en/docs/a.md": POST, "content.zh/docs/a.md": POST}
    root = _write(tmp_path, {**config, **posts, "layouts/_default/single.html": ""})
    assert shown_files(run_cli, root, ".") == sorted(posts)
    assert [f[:2] for f in findings(run_cli, root)] == [(p, "HT104") for p in sorted(posts)]


def test_a_folder_jekyll_is_told_to_include_is_linted(run_cli, tmp_path: Path) -> None:
    root = _write(
        tmp_path,
        {
            "_config.yml": "title: Site\ninclude:\n  - _pages\n",
            "_posts/2020-01-01-p.md": POST,
            "_pages/about.md": POST,
            "_drafts_old/x.md": POST,  # another "_" folder: still skipped
            "Gemfile": "",
        },
    )
    assert shown_files(run_cli, root, ".") == ["_pages/about.md", "_posts/2020-01-01-p.md"]


def test_hugo_reads_front_matter_after_blank_lines(run_cli, tmp_path: Path) -> None:
    # Hugo's page lexer skips white space before the block (PaperMod's markdown-syntax.zh.md).
    root = _write(
        tmp_path,
        {"hugo.toml": "baseURL = 'https://example.org/'\n", "content/posts/a.md": "\n" + POST},
    )
    assert [f[1] for f in findings(run_cli, root)] == ["HT104"]


def test_an_image_given_as_a_table_of_keys_is_checked_by_its_address(
    run_cli, tmp_path: Path
) -> None:
    # Chirpy documents `image: {path, alt}`, PaperMod `cover: {image, alt, caption}`.
    ok = "---\ntitle: A\nimage:\n  path: /img/a.png\n  alt: A\ncover:\n  image: b.png\n---\n"
    bad = "---\ntitle: B\nimage:\n  path: ftp://example.org/b.png\n---\n"
    root = _write(
        tmp_path,
        {"_config.yml": "title: S\n", "Gemfile": "", "_posts/2020-01-01-a.md": ok,
         "_posts/2020-01-02-b.md": bad},
    )  # fmt: skip
    assert fm_findings(run_cli, root) == [
        (
            "_posts/2020-01-02-b.md",
            "FM012",
            "'image' is not an absolute http(s) URL: 'ftp://example.org/b.png'",
        )
    ]


def test_a_date_of_the_wrong_type_is_one_finding(run_cli, tmp_path: Path) -> None:
    # `date: 2023` was both wrong-type (FM007) and invalid-date (FM010).
    root = _write(tmp_path, {"a.md": "---\ntitle: A\ndate: 2023\n---\n"})
    assert fm_findings(run_cli, root) == [("a.md", "FM010", "'date' must be a date, not integer")]


def test_hugo_module_mounts_put_a_folder_at_content(run_cli, tmp_path: Path) -> None:
    config = (
        "baseURL = 'https://example.org/'\n[[module.mounts]]\nsource = 'docs'\ntarget = 'content'\n"
    )
    root = _write(tmp_path, {"hugo.toml": config, "docs/a.md": POST})
    assert shown_files(run_cli, root, ".") == ["docs/a.md"]


def test_a_lint_of_nothing_says_where_the_markdown_files_were(run_cli, tmp_path: Path) -> None:
    # A layout contentkit does not read (here: content in a folder no config names) must not
    # pass as a clean site.
    root = _write(
        tmp_path,
        {"hugo.toml": "baseURL = 'https://example.org/'\n", "pages/a.md": POST, "pages/b.md": POST},
    )
    proc = run_cli("lint", ".", "--no-cache", cwd=root)
    assert proc.returncode == 0 and "All checks passed (0 files)." in proc.stdout
    assert "warning: no post was linted, but '.' holds 2 Markdown files" in proc.stderr
    assert "reads posts from content/ only" in proc.stderr
    (root / "content").mkdir()
    (root / "content" / "c.md").write_text("---\ntitle: C\n---\nFine.\n", "utf-8")
    assert run_cli("lint", ".", "--no-cache", cwd=root).stderr == ""


def test_hexo_front_matter_without_its_opening_dashes_is_read(run_cli, tmp_path: Path) -> None:
    # hexo-front-matter: "prefixing separators are optional" (the Icarus theme's own posts);
    # only as a mapping of keys, as Hexo takes it, and only on a Hexo site.
    post = "title: No leading dashes\ndate: Thu, 29 Apr 2021 04:02:14 +0800\n---\n\nBody.\n"
    prose = "Hello there\n---\n\nA setext heading, no front matter.\n"
    root = _write(
        tmp_path,
        {"_config.yml": "title: x\n", "source/_posts/a.md": post, "source/_posts/b.md": prose},
    )
    assert fm_findings(run_cli, root) == [
        (
            "source/_posts/a.md",
            "FM011",
            "'date' is not ISO 8601: 'Thu, 29 Apr 2021 04:02:14 +0800' "
            "(ISO 8601: 2021-04-29T04:02:14+08:00)",
        )
    ]
    proc = run_cli("lint", "--fix", ".", "--no-cache", cwd=root)
    assert proc.returncode == 0, proc.stdout
    assert (root / "source/_posts/a.md").read_text("utf-8") == post.replace(
        "Thu, 29 Apr 2021 04:02:14 +0800", "2021-04-29T04:02:14+08:00"
    )
    converted = json.loads(
        run_cli("convert", "source/_posts/a.md", "--to", "json", cwd=root).stdout
    )
    assert (converted["title"], converted["markdown"]) == ("No leading dashes", "Body.\n")
    # Elsewhere those lines are a paragraph and a heading rule, as CommonMark reads them.
    other = _write(tmp_path / "plain", {"a.md": post})
    assert fm_findings(run_cli, other) == []


def test_hexo_json_front_matter_between_semicolons_is_read(run_cli, tmp_path: Path) -> None:
    # Hexo's docs: "You can also use JSON to write Front Matter. Just replace --- with ;;;"
    # (members without braces; the opening ;;; is optional too). It had been read as body.
    date = '"date": "Thu, 29 Apr 2021 04:02:14 +0800"'
    opened = f';;;\n"title": "Opened",\n{date}\n;;;\nBody.\n'
    bare = f'"title": "No opener",\n{date}\n;;;\nBody.\n'
    broken = ';;;\n"title": "Broken",\n"date": 2021-04-29\n;;;\nBody.\n'
    root = _write(
        tmp_path,
        {
            "_config.yml": "title: x\n",
            "source/_posts/a.md": opened,
            "source/_posts/b.md": bare,
            "source/_posts/c.md": broken,
        },
    )
    lines = run_cli("lint", ".", "--no-cache", cwd=root).stdout.splitlines()
    assert [line.split(" [")[0] for line in lines if ": FM" in line] == [
        "source/_posts/a.md:3:9: FM011",
        "source/_posts/b.md:2:9: FM011",
        # An opened block that is no JSON is reported where it breaks, not taken as body.
        "source/_posts/c.md:3:13: FM004",
    ]
    assert run_cli("lint", "--fix", ".", "--no-cache", cwd=root).returncode == 1  # c.md stays
    fixed = '"date": "2021-04-29T04:02:14+08:00"'
    assert (root / "source/_posts/a.md").read_text("utf-8") == opened.replace(date, fixed)
    assert (root / "source/_posts/b.md").read_text("utf-8") == bare.replace(date, fixed)
    converted = json.loads(
        run_cli("convert", "source/_posts/a.md", "--to", "json", cwd=root).stdout
    )
    assert (converted["title"], converted["markdown"]) == ("Opened", "Body.\n")


def test_an_mdbook_draft_chapter_is_no_broken_link(run_cli, tmp_path: Path) -> None:
    # mdBook's SUMMARY.md lists a chapter with no file yet as `[Title]()`; --fix unwrapped it,
    # and mdBook accepts only links as a summary's list items (`mdbook build` failed).
    summary = "# Summary\n\n- [Intro](intro.md)\n- [Draft chapter]()\n"
    root = _write(
        tmp_path,
        {
            "book.toml": '[book]\ntitle = "x"\n',
            "src/SUMMARY.md": summary,
            "src/intro.md": "# Intro\n\nSee [the docs]().\n",
        },
    )
    assert [f[:2] for f in findings(run_cli, root)] == [("src/intro.md", "LK002")]
    run_cli("lint", "--fix", ".", "--no-cache", cwd=root)
    assert (root / "src/SUMMARY.md").read_text("utf-8") == summary


def test_hugo_s_ignore_files_are_not_linted(run_cli, tmp_path: Path) -> None:
    # kubernetes/website's ignoreFiles: regular expressions searched in a file's path.
    root = _write(
        tmp_path,
        {
            "hugo.toml": 'ignoreFiles = ["content/docs/tools", "\\\\.draft\\\\.md$", "("]\n',
            "content/docs/tools/README.md": "# Tools\n\nSee [x]().\n",
            "content/docs/a.draft.md": "# Draft\n",
            "content/docs/a.md": "# A\n",
        },
    )
    assert shown_files(run_cli, root, ".") == ["content/docs/a.md"]


def test_docusaurus_locales_it_does_not_build_are_not_linted(run_cli, tmp_path: Path) -> None:
    # Docusaurus builds only the locales of i18n.locales; a translation folder of another
    # (kept for later, or left behind) is never a page.
    config = 'module.exports = { i18n: { defaultLocale: "en", locales: ["en", "fr"] } };\n'
    page = "docusaurus-plugin-content-docs/current/intro.md"
    root = _write(
        tmp_path,
        {
            "docusaurus.config.js": config,
            "docs/intro.md": "# Intro\n",
            f"i18n/fr/{page}": "# Intro\n",
            f"i18n/zh-Hans/{page}": "# Intro\n",
        },
    )
    assert shown_files(run_cli, root, ".") == ["docs/intro.md", f"i18n/fr/{page}"]


@pytest.mark.parametrize(
    "config",
    [
        "theme: minima\ncollections:\n  articles:\n    output: true\n",
        "remote_theme: pages-themes/cayman@v0.2.0\n",
        "plugins:\n  - jekyll-feed\n",
    ],
)
def test_a_jekyll_site_with_only_a_theme_gem_is_known(run_cli, tmp_path: Path, config) -> None:
    # A GitHub Pages site has no _layouts, _includes or Gemfile of its own: its _config.yml
    # says Jekyll (it had been plain Markdown, and `image: /assets/a.png` an FM012).
    root = _write(
        tmp_path,
        {
            "_config.yml": "title: x\n" + config,
            "_articles/a.md": "---\ntitle: A\nimage: /assets/a.png\n---\nText.\n",
            "index.md": "---\nlayout: home\n---\n",
        },
    )
    files = shown_files(run_cli, root, ".")
    assert files == (["_articles/a.md", "index.md"] if "collections" in config else ["index.md"])
    assert findings(run_cli, root) == []


def test_a_site_s_own_html_pages_and_mdx_keep_their_scripts(run_cli, tmp_path: Path) -> None:
    # kubernetes/website's content/_index.html calls its own JavaScript (onclick), a Jekyll
    # theme's 404.html runs its own script, an MDX page's onClick is JSX: all meant. A
    # Markdown post's script (a scraped page's leftover, or a real risk) is still reported.
    handler = '<button onclick="site.showVideo()">Watch</button>\n'
    script = "<script>window.go()</script>\n"
    hugo = _write(
        tmp_path / "hugo",
        {
            "hugo.toml": 'baseURL = "https://example.org"\n',
            "content/_index.html": "---\ntitle: Home\n---\n" + handler,
            "content/post.md": "---\ntitle: Post\n---\n\n" + script + "\n" + handler,
            "content/page.mdx": "---\ntitle: P\n---\n\n<Tabs onclick={go}>x</Tabs>\n",
        },
    )
    assert [f[:2] for f in findings(run_cli, hugo)] == [
        ("content/post.md", "HT101"),
        ("content/post.md", "HT102"),
    ]
    jekyll = _write(
        tmp_path / "jekyll",
        {"_config.yml": "title: x\n", "_layouts/default.html": "", "404.html": script},
    )
    assert findings(run_cli, jekyll) == []


def test_mkdocs_lints_only_the_markdown_it_renders(run_cli, tmp_path: Path) -> None:
    # MkDocs copies other files as they are: typer's theme overrides (custom_dir in docs/)
    # were linted as posts (FM004 on `{% extends "base.html" %}`).
    root = _write(
        tmp_path,
        {
            "mkdocs.yml": "site_name: X\ntheme:\n  name: material\n  custom_dir: docs/overrides\n",
            "docs/index.md": "# Home\n",
            "docs/overrides/main.html": '{% extends "base.html" %}\n<div>\n',
            "docs/overrides/partials/note.md": "<div>\n",
            "docs/page.html": "<div>x\n",
        },
    )
    assert shown_files(run_cli, root, ".") == ["docs/index.md"]


def test_a_jekyll_post_without_a_date_in_its_name_is_not_read(run_cli, tmp_path: Path) -> None:
    # Jekyll's post reader skips a _posts file not named YYYY-MM-DD-title: a notes file
    # there drew "Jekyll reads this file as a page only with a '---' block" (it reads none).
    root = _write(
        tmp_path,
        {
            "_config.yml": "title: x\n",
            "_layouts/default.html": "",
            "_posts/2020-01-01-ok.md": "---\ntitle: ok\n---\nok\n",
            "_posts/notes/todo.md": "draft notes, no front matter\n",
            "_posts/notes/2021-2-3-in-a-category.md": "---\ntitle: c\n---\nok\n",
            "_drafts/undated.md": "---\ntitle: d\n---\nok\n",
        },
    )
    assert shown_files(run_cli, root, ".") == [
        "_drafts/undated.md",
        "_posts/2020-01-01-ok.md",
        "_posts/notes/2021-2-3-in-a-category.md",
    ]


def test_hexo_skips_underscore_files_but_posts_drafts_and_include(run_cli, tmp_path) -> None:
    # Hexo ignores "_" files and folders in source/ but _posts and _drafts; `include:` globs
    # render others (cypress-documentation's api/utilities/_.md). A partial was linted.
    post = "---\ntitle: t\n---\nx\n"
    names = [
        "source/docs/_partial.md",
        "source/docs/page.md",
        "source/api/utilities/_.md",
        "source/_posts/a.md",
        "source/_drafts/b.md",
        "source/_partials/c.md",
    ]
    config = "title: x\ninclude:\n  - api/utilities/**\n"
    root = _write(tmp_path, {"_config.yml": config, **dict.fromkeys(names, post)})
    (root / "scaffolds").mkdir()
    assert shown_files(run_cli, root, ".") == [
        "source/_drafts/b.md",
        "source/_posts/a.md",
        "source/api/utilities/_.md",
        "source/docs/page.md",
    ]


def test_a_docusaurus_site_in_website_reads_the_docs_beside_it(run_cli, tmp_path) -> None:
    # Jest's repository: website/docusaurus.config.js reads docs from '../docs'. At the
    # repository's root the docs were plain Markdown, and an MDX partial drew an FM001.
    config = (
        "module.exports = { presets: [['@docusaurus/preset-classic', "
        "{docs: {path: '../docs', sidebarPath: require.resolve('./sidebars.json')}}]] };\n"
    )
    root = _write(
        tmp_path,
        {
            "website/docusaurus.config.js": config,
            "docs/a.md": "---\nid: a\n---\n\nA\n",
            "docs/b.md": "---\nid: b\n---\n\nB\n",
            "docs/_note.md": ":::info\n\nShared note.\n\n:::\n",
            "website/blog/2020-01-01-p.md": "---\ntitle: p\n---\nx\n",
            "README.md": "# The project\n",
        },
    )
    assert shown_files(run_cli, root, ".") == [
        "docs/a.md",
        "docs/b.md",
        "website/blog/2020-01-01-p.md",
    ]
    assert findings(run_cli, root) == []


def test_hugo_reads_only_the_languages_folders_when_each_has_one(run_cli, tmp_path) -> None:
    # mosuke5's blog: every language has its contentDir, so Hugo reads content/ no more;
    # an old post left there was linted. A language without one reads the site's folder.
    config = (
        'baseURL: "https://example.org/"\nlanguages:\n  ja:\n    contentDir: content/ja/\n'
        "  en:\n    contentDir: content/en/\n"
    )
    post = "---\ntitle: ok\n---\n\nok\n"
    files = {"content/ja/a.md": post, "content/en/b.md": post, "content/old/stray.md": post}
    root = _write(tmp_path / "each", {"config.yaml": config, **files})
    assert shown_files(run_cli, root, ".") == ["content/en/b.md", "content/ja/a.md"]
    partly = config.replace("    contentDir: content/en/\n", "    weight: 2\n")
    root = _write(tmp_path / "partly", {"config.yaml": partly, **files})
    assert "content/old/stray.md" in shown_files(run_cli, root, ".")


def test_an_empty_image_is_unset_on_a_generator_s_site(run_cli, tmp_path) -> None:
    # TOML has no null: Hugo's archetypes write `image = ""`, which its templates read as
    # unset. It drew "'image' is empty".
    post = '+++\ntitle = "Hello"\nimage = ""\n+++\n\nBody.\n'
    root = _write(tmp_path, {"hugo.toml": 'title = "x"\n', "content/posts/a.md": post})
    assert fm_findings(run_cli, root) == []


def test_vitepress_src_exclude_is_not_linted(run_cli, tmp_path) -> None:
    # vitest's docs keep snippets that <!--@include--> pulls in under srcExclude.
    config = "export default defineConfig({\n  srcExclude: ['**/guide/examples/*'],\n})\n"
    page = "---\ntitle: ok\n---\n\n# ok\n"
    root = _write(
        tmp_path,
        {
            "docs/.vitepress/config.ts": config,
            "docs/guide/index.md": page,
            "docs/guide/examples/snippet.md": page,
        },
    )
    assert shown_files(run_cli, root, ".") == ["docs/guide/index.md"]


def test_a_vuepress_site_is_known(run_cli, tmp_path: Path) -> None:
    # Its README.md is the home page, <script setup> is the page's Vue component, and front
    # matter is optional (it was plain Markdown: the home page skipped, HT101 on the script).
    root = _write(
        tmp_path,
        {
            "docs/.vuepress/config.js": "export default {}\n",
            "docs/README.md": "---\nhome: true\n---\n\n<b>unclosed\n",
            "docs/guide.md": "# Guide\n\n<script setup>\nconst n = 1\n</script>\n",
        },
    )
    assert shown_files(run_cli, root, ".") == ["docs/README.md", "docs/guide.md"]
    assert [f[:2] for f in findings(run_cli, root)] == [("docs/README.md", "HT104")]
