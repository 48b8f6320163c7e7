"""contentkit convert: fidelity judged by a CommonMark reader, safety, files, JSON."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import jsonschema
import pytest

from contentkit import convert_file, convert_text
from contentkit.convert import convert_document
from contentkit.convert.fidelity import DIMENSIONS, score
from contentkit.document import Document, read_document
from contentkit.markdown import parser

FIXTURES = Path(__file__).resolve().parent / "fixtures"
HARD = sorted((FIXTURES / "convert").glob("*.html"))
POSTS = sorted((FIXTURES / "corpus").glob("*.md"))
CASES = [
    (f"{path.stem}#{i}", block)
    for path in sorted((FIXTURES / "convert").glob("*.cases"))
    for i, block in enumerate(path.read_text("utf-8").split("\n====\n"))
    if block.strip()
]


def render(markdown: str) -> str:
    return parser().render(markdown)


def assert_faithful(source: str, markdown: str, where: str) -> None:
    s = score(source, markdown)
    problems = {d: s.differences(d) for d, v in s.scores.items() if v < 1.0}
    assert not problems, f"{where}: {problems}"
    assert s.raw_html == 0, f"{where}: raw HTML in the Markdown"
    assert s.unsafe_links == 0, f"{where}: unsafe link in the Markdown"


@pytest.mark.parametrize("path", HARD, ids=lambda p: p.stem)
def test_hard_cases_render_as_the_source_showed(path: Path) -> None:
    doc = Document.from_text(path.read_text("utf-8"), str(path), body_kind="html")
    kept = convert_document(doc, project_links="keep")
    assert_faithful(doc.body, kept.markdown, path.name)
    cleaned = convert_document(doc)  # the default: spurious project links unwrapped
    assert_faithful(cleaned.source_html, cleaned.markdown, path.name)


@pytest.mark.parametrize(("name", "html"), CASES, ids=[name for name, _ in CASES])
def test_small_hard_cases_render_as_the_source_showed(name: str, html: str) -> None:
    md = convert_text(html, project_links="keep", body_kind="html")
    assert_faithful(html, md, name)


@pytest.mark.parametrize("path", POSTS, ids=lambda p: p.stem)
def test_real_posts_render_as_the_source_showed(path: Path) -> None:
    doc = read_document(path)
    conv = convert_document(doc, project_links="keep")
    assert_faithful(doc.body, conv.markdown, path.name)


def test_every_scored_dimension_is_exercised_by_the_hard_cases() -> None:
    """The hard cases must contain something of each kind, or a 1.00 would mean nothing."""
    seen = dict.fromkeys(DIMENSIONS[1:], 0)
    for path in HARD:
        s = score(path.read_text("utf-8"), "")
        for d in seen:
            seen[d] += sum(getattr(s.expected, d).values())
    assert all(seen.values()), seen


def test_scorer_catches_the_known_failures_of_other_converters() -> None:
    s = score("<p><strong>“直播一哥”</strong>李佳琦</p>", "**“直播一哥”**李佳琦\n")
    assert s.scores["bold"] == 0.0 and s.scores["text"] < 1.0
    assert score("<p>a</p>", "<div>a</div>\n").raw_html == 1
    assert score("<p>a</p>", "[a](javascript:alert(1))\n").unsafe_links == 1


@pytest.mark.parametrize(
    ("html", "shown"),
    [
        ("<p><strong>“直播一哥”</strong>李佳琦</p>", "<strong>“直播一哥”</strong>李佳琦"),
        ("<p>这很<strong>重要。</strong>后文</p>", "这很<strong>重要。</strong>后文"),
        ("<p>他说<em>（玩笑）</em>大家</p>", "他说<em>（玩笑）</em>大家"),
        ("<p><b>a</b><b>b</b></p>", "<strong>ab</strong>"),
    ],
)
def test_cjk_emphasis_renders(html: str, shown: str) -> None:
    assert shown in render(convert_text(html))


def test_text_that_looks_like_markdown_stays_text_and_is_escaped_only_where_needed() -> None:
    html = (
        "<p>1. one</p><p># two</p><p>* three</p><p>+ four</p><p>&gt; five</p>"
        "<p>a_b_c and 5 * 3 and `x` and [y](z)</p>"
    )
    md = convert_text(html)
    out = render(md)
    for text in ("<p>1. one</p>", "<p># two</p>", "<p>* three</p>", "<p>+ four</p>"):
        assert text in out
    assert "<p>&gt; five</p>" in out
    assert "<p>a_b_c and 5 * 3 and `x` and [y](z)</p>" in out
    assert "a_b_c" in md and "5 * 3" in md  # no needless backslashes


def test_heading_of_bold_text_is_a_plain_heading() -> None:
    assert convert_text("<h2><strong>Title</strong></h2>") == "## Title\n"


def test_unsafe_content_never_reaches_the_output() -> None:
    html = (FIXTURES / "convert" / "unsafe.html").read_text("utf-8")
    html += '<p><a href="javascript:alert(1)">x</a><a href="data:text/html,y">y</a></p>'
    md = convert_text(html)
    for bad in ("never shown", "color: red", "youtube", "steal", "track", "Hidden", "javascript"):
        assert bad not in md
    assert "data:" not in md
    assert "Visible text." in md


@pytest.mark.parametrize("tag", ["div", "blockquote", "span", "b", "section"])
def test_ten_thousand_nested_elements_do_not_crash(tag: str) -> None:
    html = f"<{tag}>" * 10_000 + "deep text" + f"</{tag}>" * 10_000
    md = convert_text(html)
    assert "deep text" in render(md)


def test_deep_lists_keep_their_text(run_cli) -> None:
    html = "<ul><li>" * 3000 + "leaf" + "</li></ul>" * 3000
    proc = run_cli("convert", "-", input=html.encode())
    assert proc.returncode == 0, proc.stderr
    assert "leaf" in proc.stdout


def test_python_api_matches_the_cli(run_cli, tmp_path: Path) -> None:
    post = FIXTURES / "corpus" / "36kr-zixun-01.md"
    proc = run_cli("convert", str(post))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == convert_file(post)
    assert proc.stdout.startswith("---\ntitle:")  # front matter kept


def test_folder_in_mirrored_tree_out(run_cli, tmp_path: Path) -> None:
    src = tmp_path / "site"
    (src / "a" / "b").mkdir(parents=True)
    (src / "one.html").write_text("<p>one</p>", "utf-8")
    (src / "a" / "b" / "two.md").write_text("---\ntitle: Two\n---\n<p>two</p>\n", "utf-8")
    proc = run_cli("convert", "site", "--output-dir", "out")
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "out" / "one.md").read_text("utf-8") == "one\n"
    two = (tmp_path / "out" / "a" / "b" / "two.md").read_text("utf-8")
    assert two == "---\ntitle: Two\n---\n\ntwo\n"
    # An existing output is refused without --force, and nothing is written.
    (tmp_path / "out" / "one.md").write_text("mine", "utf-8")
    proc = run_cli("convert", "site", "--output-dir", "out")
    assert proc.returncode == 2 and "--force" in proc.stderr
    assert (tmp_path / "out" / "one.md").read_text("utf-8") == "mine"
    proc = run_cli("convert", "site", "--output-dir", "out", "--force")
    assert proc.returncode == 0
    assert (tmp_path / "out" / "one.md").read_text("utf-8") == "one\n"
    assert "Converting" not in proc.stderr  # no progress bar when not on a terminal


def test_never_overwrites_an_input(run_cli, tmp_path: Path) -> None:
    post = tmp_path / "post.md"
    post.write_text("<p>x</p>\n", "utf-8")
    proc = run_cli("convert", "post.md", "--output-dir", ".", "--force")
    assert proc.returncode == 2 and "is an input" in proc.stderr
    assert post.read_text("utf-8") == "<p>x</p>\n"


def test_nothing_from_a_post_can_move_the_output(run_cli, tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "p.md").write_text(
        "---\ntitle: ../../escape\nslug: ../../../etc/passwd\npermalink: /../../x\n---\n<p>x</p>\n",
        "utf-8",
    )
    proc = run_cli("convert", "in", "-o", "out")
    assert proc.returncode == 0, proc.stderr
    written = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert written == [Path("in/p.md"), Path("out/p.md")]


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links")
def test_symlink_inside_output_dir_cannot_lead_outside(run_cli, tmp_path: Path) -> None:
    (tmp_path / "in" / "sub").mkdir(parents=True)
    (tmp_path / "in" / "sub" / "p.html").write_text("<p>x</p>", "utf-8")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "out").mkdir()
    os.symlink(tmp_path / "elsewhere", tmp_path / "out" / "sub")
    proc = run_cli("convert", "in", "-o", "out")
    assert proc.returncode == 2 and "outside" in proc.stderr
    assert not list((tmp_path / "elsewhere").iterdir())


def test_stdin_to_stdout_and_many_posts_need_a_folder(run_cli, tmp_path: Path) -> None:
    proc = run_cli("convert", "-", input=b"<p>a <em>b</em></p>")
    assert proc.returncode == 0 and proc.stdout == "a *b*\n"
    (tmp_path / "x.html").write_text("<p>x</p>", "utf-8")
    (tmp_path / "y.html").write_text("<p>y</p>", "utf-8")
    proc = run_cli("convert", "x.html", "y.html")
    assert proc.returncode == 2 and "--output-dir" in proc.stderr


def test_unreadable_input_is_reported_with_its_position(run_cli, tmp_path: Path) -> None:
    (tmp_path / "bad.html").write_bytes(b"<p>ok</p>\n<p>\xff</p>")
    (tmp_path / "good.html").write_text("<p>fine</p>", "utf-8")
    proc = run_cli("convert", "bad.html", "good.html", "-o", "out")
    assert proc.returncode == 1
    assert "bad.html:2:4" in proc.stderr and "Traceback" not in proc.stderr
    assert (tmp_path / "out" / "good.md").read_text("utf-8") == "fine\n"


def test_normalize_dates_reuses_the_non_iso_date_fix(run_cli, tmp_path: Path) -> None:
    (tmp_path / "p.md").write_text(
        "---\ntitle: T\ndate: Thu, 09 Jun 2022 11:38:59 GMT\n---\n<p>x</p>\n", "utf-8"
    )
    proc = run_cli("convert", "p.md")
    assert "date: Thu, 09 Jun 2022 11:38:59 GMT" in proc.stdout
    proc = run_cli("convert", "p.md", "--normalize-dates")
    assert "date: 2022-06-09T11:38:59Z" in proc.stdout


def test_json_validates_against_the_shipped_schema(run_cli, tmp_path: Path) -> None:
    proc = run_cli("schema")
    assert proc.returncode == 0
    schema = json.loads(proc.stdout)
    for post in POSTS:
        out = run_cli("convert", str(post), "--to", "json")
        assert out.returncode == 0, out.stderr
        obj = json.loads(out.stdout)
        jsonschema.validate(obj, schema)
        assert obj["markdown"] == convert_document(read_document(post)).markdown
        assert obj["counts"]["characters"] == len(obj["text"])
    hard = run_cli("convert", str(FIXTURES / "convert" / "tables.html"), "--to", "json")
    obj = json.loads(hard.stdout)
    jsonschema.validate(obj, schema)
    kinds = {b["type"] for b in obj["blocks"]}
    assert "table" in kinds and "paragraph" in kinds


def test_jsonl_is_one_line_per_post(run_cli) -> None:
    proc = run_cli("convert", *map(str, POSTS), "--to", "jsonl")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert len(lines) == len(POSTS)
    assert [json.loads(line)["path"] for line in lines] == [str(p) for p in POSTS]


def test_project_link_modes(run_cli) -> None:
    post = str(FIXTURES / "corpus" / "36kr-zixun-01.md")
    doc = read_document(post)
    anchors = doc.body.count('class="project-link"')
    keep = render(convert_text(doc.text, project_links="keep")).count("<a ")
    strip = render(convert_text(doc.text, project_links="strip")).count("<a ")
    clean = render(convert_text(doc.text)).count("<a ")
    assert keep >= anchors > 0
    assert strip == keep - anchors
    assert strip <= clean <= keep
    obj = json.loads(run_cli("convert", post, "--to", "json").stdout)
    judged = [link for link in obj["judged_links"] if link["project_link"]]
    assert len(judged) == anchors
    assert all(link["kept"] == (link["verdict"] == "legit") for link in judged)
    assert keep - clean == sum(1 for link in judged if not link["kept"])


def test_cjk_emphasis_rule_and_fix(run_cli, tmp_path: Path) -> None:
    post = tmp_path / "p.md"
    post.write_text("---\ntitle: T\n---\n这很**重要。**后文。\n\n> 他说**“不要”**好\n", "utf-8")
    proc = run_cli("lint", "p.md", "--select", "MD001")
    assert proc.returncode == 1
    assert "p.md:4:8: MD001" in proc.stdout and "p.md:6:5: MD001" in proc.stdout
    proc = run_cli("lint", "p.md", "--select", "MD001", "--fix")
    assert proc.returncode == 0, proc.stdout
    body = post.read_text("utf-8").split("---\n", 2)[2]
    # The punctuation moves outside the delimiters (quotes together): plain, readable Markdown.
    assert body == "这很**重要**。后文。\n\n> 他说“**不要**”好\n"
    out = render(body)
    assert "<strong>重要</strong>。后文" in out and "“<strong>不要</strong>”好" in out


def test_lazy_image_rule_and_fix(run_cli, tmp_path: Path) -> None:
    post = tmp_path / "p.html"
    post.write_text(
        '<p><img src="data:image/gif;base64,R0lGOD" data-src="https://e.com/a.jpg"></p>\n'
        '<p><img data-original="https://e.com/b.jpg"></p>\n<p><img src="https://e.com/c.jpg"></p>\n',
        "utf-8",
    )
    proc = run_cli("lint", "p.html", "--select", "HT001")
    assert proc.returncode == 1 and proc.stdout.count("HT001") == 2
    assert run_cli("lint", "p.html", "--select", "HT001", "--fix").returncode == 0
    fixed = post.read_text("utf-8")
    assert 'src="https://e.com/a.jpg"' in fixed and 'src="https://e.com/b.jpg"' in fixed


def test_markdown_body_passes_through_with_judged_links_unwrapped() -> None:
    post = "---\ntitle: T\n---\nRead [the docs](https://example.com/docs) and **keep** this.\n"
    out = convert_text(post)
    assert out.endswith("Read [the docs](https://example.com/docs) and **keep** this.\n")


def test_progress_bar_only_on_a_terminal(tmp_path: Path) -> None:
    pty = pytest.importorskip("pty")
    import subprocess

    (tmp_path / "in").mkdir()
    for i in range(3):
        (tmp_path / "in" / f"p{i}.html").write_text(f"<p>{i}</p>", "utf-8")
    master, slave = pty.openpty()
    proc = subprocess.run(
        [sys.executable, "-m", "contentkit", "convert", "in", "-o", "out"],
        cwd=tmp_path,
        stderr=slave,
        stdout=subprocess.PIPE,
        env={**os.environ, "NO_COLOR": "1"},
    )
    os.close(slave)
    shown = os.read(master, 65536).decode("utf-8", "replace")
    os.close(master)
    assert proc.returncode == 0
    assert "Converting" in shown and "Converted 3 posts" in shown


def test_converting_a_folder_into_itself_skips_earlier_output(run_cli, tmp_path: Path) -> None:
    (tmp_path / "p.html").write_text("<p>x</p>", "utf-8")
    assert run_cli("convert", ".", "-o", "md").returncode == 0
    proc = run_cli("convert", ".", "-o", "md", "--force")
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in (tmp_path / "md").rglob("*")) == ["p.md"]


def test_cjk_emphasis_rule_leaves_code_like_latin_text_alone(run_cli, tmp_path: Path) -> None:
    (tmp_path / "p.md").write_text(
        "---\ntitle: T\n---\nMerged std::{os*, fs*} and [`_write()`][stream-_write] and "
        "**bold** text and 5 * 3 and **重要。** 后文.\n",
        "utf-8",
    )
    proc = run_cli("lint", "p.md", "--select", "MD001")
    assert proc.returncode == 0, proc.stdout


def test_underscore_beside_a_character_written_as_a_reference_stays_literal() -> None:
    # "**`1`**1" needs the "1" as "&#49;" for "**" to close; the "_" of "1_1" then follows ";"
    # and could open emphasis with a later "_" (found by test_markdown_renders_to_the_same_text).
    html = "<p><b><code>1</code></b>1_1&lt;<i><code>1</code></i></p>"
    rendered = parser().render(convert_text(html))
    assert rendered == "<p><strong><code>1</code></strong>1_1&lt;<em><code>1</code></em></p>\n"


def test_a_judged_link_s_text_is_as_shown(run_cli, tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text('<p>See <a href="/x">\n  the\n  story</a>.</p>', "utf-8")
    obj = json.loads(run_cli("convert", str(page), "--to", "json").stdout)
    assert [link["text"] for link in obj["judged_links"]] == ["the story"]


def test_json_counts_the_words_of_every_spaced_script(run_cli) -> None:
    # latin_words counts ASCII words only: a Hebrew, Russian or Hindi page counted 0.
    page = "<p>שלום עולם, привет мир! नमस्ते दुनिया. 中文text 中文 Hello world 안녕 세상</p>"
    proc = run_cli("convert", "-", "--to", "json", input=page.encode())
    counts = json.loads(proc.stdout)["counts"]
    assert (counts["words"], counts["latin_words"], counts["cjk_characters"]) == (11, 3, 8)


def test_json_text_shows_a_run_of_spaces_as_one(run_cli) -> None:
    # Nested closing tags leave "ab   c" in the Markdown (rendered "ab c"); the JSON text, for
    # search indexes, is the text as shown. Code keeps its spaces.
    page = "<p><span>a<span>b\n   </span>\n   </span> c</p><pre>x   y</pre>"
    obj = json.loads(run_cli("convert", "-", "--to", "json", input=page.encode()).stdout)
    assert [b["text"] for b in obj["blocks"]] == ["ab c", "x   y"]


def test_json_a_linked_image_is_an_image_block_with_its_link(run_cli) -> None:
    # Wikipedia's images link to their file page: the block was an empty paragraph.
    page = '<p><a href="/wiki/File:A.jpg"><img src="a.jpg" alt="A"></a></p><p><img src="b.jpg"></p>'
    obj = json.loads(run_cli("convert", "-", "--to", "json", input=page.encode()).stdout)
    assert obj["blocks"] == [
        {"type": "image", "src": "a.jpg", "alt": "A", "href": "/wiki/File:A.jpg"},
        {"type": "image", "src": "b.jpg", "alt": ""},
    ]
    jsonschema.validate(obj, json.loads(run_cli("schema").stdout))


def test_json_title_is_the_page_s_own_where_no_heading_names_it(run_cli) -> None:
    # A novel index with no <h1>: the JSON title was a sidebar's <h3> at the end of the page.
    page = (
        "<html><head><title>小说标题 &amp; 更多</title></head><body><p>正文</p>"
        '<div id="recommend"><h3>这部小说的读者也在读</h3></div></body></html>'
    )
    out = json.loads(run_cli("convert", "-", "--to", "json", input=page.encode()).stdout)
    assert out["title"] == "小说标题 & 更多"
    # A level-one heading comes first; then the first heading of any level.
    out = json.loads(
        run_cli("convert", "-", "--to", "json", input=b"<h2>Sub</h2><h1>Main</h1>").stdout
    )
    assert out["title"] == "Main"
    out = json.loads(run_cli("convert", "-", "--to", "json", input=b"<p>x</p><h3>Only</h3>").stdout)
    assert out["title"] == "Only"
