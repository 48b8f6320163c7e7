"""The Python API as README's "Python API" section documents it."""

from __future__ import annotations

import shutil
from pathlib import Path

import contentkit
from contentkit import convert_file, convert_text, discover, lint_file, lint_paths, lint_text

POSTS = Path(__file__).resolve().parent / "fixtures" / "integrations"


def test_lint_text_reports_and_fixes_without_writing() -> None:
    text = "---\ntitle: Hi\ndate: Tue, 20 Apr 2021 02:55:35 GMT\n---\n"
    result = lint_text(text, "post.md")
    (d,) = result.diagnostics
    assert (d.path, d.line, d.column, d.code, d.name) == ("post.md", 3, 7, "FM011", "non-iso-date")
    assert d.fix is not None and d.fix.applicability == "safe"
    assert d.to_dict()["code"] == "FM011"
    fixed = lint_text(text, "post.md", fix=True)
    assert fixed.fixed == "---\ntitle: Hi\ndate: 2021-04-20T02:55:35Z\n---\n"
    assert fixed.diagnostics == [] and fixed.fixes_applied == 1


def test_an_html_file_name_makes_an_html_body() -> None:
    """A body is HTML in a .html/.htm/.xhtml file (any case); elsewhere it is Markdown, whose
    HTML is what CommonMark reads as HTML (``<b`` in a code span is code)."""
    from contentkit.document import Document

    text = "---\ntitle: Hi\ndate: 2021-04-20\n---\nHello `<b>`world <i>x\n"
    for path in ("post.html", "a/POST.Htm", "post.xhtml", "x.htm.d/post.xhtml"):
        assert Document.from_text(text, path).body_kind == "html", path
        assert [d.code for d in lint_text(text, path).diagnostics] == ["HT104", "HT104"], path
    for path in ("post.md", "post.html.md", "post.htmlx", ".html", "post.htm/x.md", "<stdin>"):
        assert Document.from_text(text, path).body_kind == "markdown", path
        found = [(d.code, d.column) for d in lint_text(text, path).diagnostics]
        assert found == [("HT104", 18)], path


def test_lint_file_and_lint_paths(tmp_path: Path) -> None:
    posts = tmp_path / "source" / "_posts"
    posts.mkdir(parents=True)
    shutil.copy(POSTS / "bad-post.md", posts / "a.md")
    shutil.copy(POSTS / "good-post.md", posts / "b.md")
    assert [p.name for p in discover([tmp_path])] == ["a.md", "b.md"]
    results = {Path(r.path).name: r for r in lint_paths([posts])}
    assert [d.code for d in results["a.md"].diagnostics] == ["FM002", "FM011"]
    assert results["b.md"].diagnostics == []
    result = lint_file(posts / "a.md", fix=True)
    assert result.changed and result.fixes_applied == 2
    assert lint_file(posts / "a.md").diagnostics == []
    missing = lint_file(tmp_path / "nope.md")
    assert [d.code for d in missing.diagnostics] == ["CK001"]


def test_convert_text_and_convert_file(tmp_path: Path) -> None:
    html = "<p><strong>“直播一哥”</strong>李佳琦</p>"
    assert convert_text(html) == "**“直播一哥”**&#26446;佳琦\n"
    post = tmp_path / "post.html"
    post.write_text("---\ntitle: T\n---\n" + html + "\n", encoding="utf-8")
    assert convert_file(post).endswith("**“直播一哥”**&#26446;佳琦\n")
    assert convert_file(post).startswith("---\ntitle: T\n---\n")
    assert '"title": "T"' in convert_file(post, to="json")
    assert post.read_text(encoding="utf-8").endswith(html + "\n")  # nothing written


def test_public_names_are_documented() -> None:
    for name in (
        "lint_text",
        "lint_file",
        "lint_paths",
        "discover",
        "convert_text",
        "convert_file",
    ):
        func = getattr(contentkit, name)
        assert func.__doc__ and len(func.__doc__.split()) > 10, name
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Python API", 1)[1].split("\n## ", 1)[0]
    for name in (
        "lint_text",
        "lint_file",
        "lint_paths",
        "discover",
        "LintResult",
        "convert_text",
        "convert_file",
    ):
        assert f"`{name}" in section, name
