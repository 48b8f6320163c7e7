"""Third-party rule plugins, configuration files and suppressions."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from conftest import SEED

PLUGIN_PYPROJECT = """\
[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "contentkit-rules-demo"
version = "1.0"

[project.entry-points."contentkit.rules"]
demo = "contentkit_rules_demo"
"""

PLUGIN_MODULE = '''\
"""A third-party rule package."""
from contentkit.rule import Rule


class NoDraftTitle(Rule):
    """A title must not start with DRAFT.

    Fail::

        ---
        title: DRAFT a post
        date: 2021-04-20
        ---

    Pass::

        ---
        title: A post
        date: 2021-04-20
        ---
    """

    code = "XY001"
    name = "no-draft-title"
    summary = "Title starts with DRAFT"

    def check(self, doc, ctx):
        entry = doc.front_matter.entry("title") if doc.front_matter else None
        if entry is not None and str(doc.metadata.get("title", "")).startswith("DRAFT"):
            yield self.diagnostic(doc, entry.value_start, entry.value_end, "title is a draft")


RULES = [NoDraftTitle]
'''


def test_pip_installed_plugin_is_picked_up(tmp_path: Path) -> None:
    src = tmp_path / "plugin"
    (src / "contentkit_rules_demo").mkdir(parents=True)
    (src / "pyproject.toml").write_text(PLUGIN_PYPROJECT)
    (src / "contentkit_rules_demo" / "__init__.py").write_text(PLUGIN_MODULE)
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "--target",
            str(target),
            str(src),
        ],
        check=True,
        capture_output=True,
    )
    assert list(target.glob("contentkit_rules_demo-1.0.dist-info"))
    env = {**os.environ, "PYTHONPATH": str(target), "NO_COLOR": "1"}
    rules = subprocess.run(
        [sys.executable, "-m", "contentkit", "rules"], env=env, capture_output=True, text=True
    )
    assert rules.returncode == 0, rules.stderr
    assert "XY001      no-draft-title" in rules.stdout
    post = tmp_path / "post.md"
    post.write_text("---\ntitle: DRAFT a post\ndate: 2021-04-20\n---\n")
    lint = subprocess.run(
        [sys.executable, "-m", "contentkit", "lint", str(post)],
        env=env,
        capture_output=True,
        text=True,
    )
    assert lint.returncode == 1
    assert f"{post}:2:8: XY001 [no-draft-title] title is a draft" in lint.stdout
    # Without the plugin on the path the rule does not exist.
    plain = subprocess.run(
        [sys.executable, "-m", "contentkit", "lint", str(post)], capture_output=True, text=True
    )
    assert "XY001" not in plain.stdout


def test_pyproject_config_found_walking_up(run_cli, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.contentkit]\nignore = ["FM002"]\n')
    posts = tmp_path / "site" / "posts"
    posts.mkdir(parents=True)
    (posts / "p.md").write_bytes(SEED.read_bytes())
    proc = run_cli("lint", "site", cwd=tmp_path)
    assert "FM011" in proc.stdout and "FM002" not in proc.stdout


def test_contentkit_toml_wins_over_pyproject_in_same_folder(run_cli, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.contentkit]\nignore = ["FM002"]\n')
    (tmp_path / "contentkit.toml").write_text('ignore = ["FM011"]\n')
    (tmp_path / "p.md").write_bytes(SEED.read_bytes())
    proc = run_cli("lint", "p.md", cwd=tmp_path)
    assert "FM002" in proc.stdout and "FM011" not in proc.stdout


def test_unknown_config_key_names_key_and_file(run_cli, tmp_path: Path) -> None:
    cfg = tmp_path / "contentkit.toml"
    cfg.write_text('selct = ["FM"]\n')
    (tmp_path / "p.md").write_bytes(SEED.read_bytes())
    proc = run_cli("lint", "p.md", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"contentkit: error: {cfg}:1:1: unknown key 'selct' in {cfg}")
    assert "Traceback" not in proc.stderr


def test_unknown_rule_option_is_an_error(run_cli, tmp_path: Path) -> None:
    cfg = tmp_path / "contentkit.toml"
    cfg.write_text("[rules.non-iso-date]\nallow-spaces = true\n")
    (tmp_path / "p.md").write_bytes(SEED.read_bytes())
    proc = run_cli("lint", "p.md", cwd=tmp_path)
    assert proc.returncode == 2
    assert f"unknown option 'allow-spaces' for rule non-iso-date in {cfg}" in proc.stderr


def test_invalid_toml_config(run_cli, tmp_path: Path) -> None:
    cfg = tmp_path / "contentkit.toml"
    cfg.write_text("select = [\n")
    (tmp_path / "p.md").write_bytes(SEED.read_bytes())
    proc = run_cli("lint", "p.md", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"contentkit: error: {cfg}:1:1: invalid TOML")


def test_per_file_ignores(run_cli, tmp_path: Path) -> None:
    (tmp_path / "contentkit.toml").write_text('[per-file-ignores]\n"legacy/*.md" = ["FM011"]\n')
    for folder in ("legacy", "new"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "p.md").write_bytes(SEED.read_bytes())
    proc = run_cli("lint", ".", cwd=tmp_path)
    assert "new/p.md:11:7: FM011" in proc.stdout
    assert "legacy/p.md:11:7" not in proc.stdout
    assert "legacy/p.md:1:1: FM002" in proc.stdout


def test_rule_options_of_each_config_apply_to_its_own_posts(run_cli, tmp_path: Path) -> None:
    """Two configs in one run, one process: each folder's posts get its own rule options."""
    post = "---\ntitle: Hi\ndate: 2021-04-20 02:55:35\n---\nText.\n"
    for folder, config in (
        ("a", ""),
        ("b", "[rules.non-iso-date]\nallow-space-separator = false\n"),
        ("c", "[rules.non-iso-date]\nallow-space-separator = true\n"),
        ("d", 'extend-ignore = ["FM011"]\n[rules.non-iso-date]\nallow-space-separator = false\n'),
    ):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "contentkit.toml").write_text(config)
        (tmp_path / folder / "p.md").write_text(post)
    proc = run_cli("lint", "--no-cache", "-j", "1", "a", "b", "c", "d", "b", cwd=tmp_path)
    assert proc.stdout == (
        "b/p.md:3:7: FM011 [non-iso-date] [*] 'date' is not ISO 8601: '2021-04-20 02:55:35'"
        " (ISO 8601: 2021-04-20T02:55:35)\n"
        * 2
        + "Found 2 findings in 5 files.\n[*] 2 fixable with --fix.\n"
    )


def test_json_schema_from_config_relative_to_config_file(run_cli, tmp_path: Path) -> None:
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "post.json").write_text(
        '{"type": "object", "required": ["title", "slug"], "additionalProperties": true}'
    )
    (tmp_path / "contentkit.toml").write_text('schema = "schemas/post.json"\n')
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "p.md").write_text("---\ntitle: Hi\ndate: 2021-04-20\n---\n")
    proc = run_cli("lint", "p.md", cwd=tmp_path / "posts")
    assert proc.stdout.startswith("p.md:1:1: FM006 [missing-required-key] required key 'slug'")


def test_missing_schema_file_is_a_config_error(run_cli, tmp_path: Path) -> None:
    (tmp_path / "p.md").write_text("---\ntitle: Hi\ndate: 2021-04-20\n---\n")
    proc = run_cli("lint", "--schema", "nope.json", "p.md", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr == "contentkit: error: nope.json:1:1: schema file not found\n"


def test_inline_suppressions(run_cli, tmp_path: Path) -> None:
    post = tmp_path / "p.md"
    post.write_text(
        textwrap.dedent("""\
        ---
        title: Hi
        # contentkit-disable-next-line non-iso-date
        date: Tue, 20 Apr 2021 02:55:35 GMT
        updated: Tue, 20 Apr 2021 02:55:35 GMT
        ---
        <!-- contentkit-disable FM012 -->
        <!-- contentkit-enable FM012 -->
        """)
    )
    proc = run_cli("lint", "p.md", cwd=tmp_path)
    assert "p.md:4:" not in proc.stdout
    assert "p.md:5:10: FM011 [non-iso-date]" in proc.stdout


def test_front_matter_switches_rules_off_for_one_post(run_cli, tmp_path: Path) -> None:
    post = tmp_path / "p.md"
    post.write_text(
        "---\ntitle: Hi\ndate: Tue, 20 Apr 2021 02:55:35 GMT\ncontentkit:\n  ignore: [FM011]\n---\n"
    )
    proc = run_cli("lint", "p.md", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout


def test_body_range_suppression_in_html(tmp_path: Path) -> None:
    from contentkit.document import Document
    from contentkit.engine import find_suppressions

    doc = Document.from_text(
        "---\ntitle: a\n---\n<!-- contentkit-disable LK001 -->\n<p>x</p>\n"
        "<!-- contentkit-enable LK001 -->\n<p>y</p>\n"
    )
    [s] = find_suppressions(doc)
    assert (s.selectors, s.first_line, s.last_line) == (["LK001"], 4, 6)
