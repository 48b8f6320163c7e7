"""convert on bad and hostile input: it never crashes (10,000 nested elements included), never
emits a script, an event handler or a javascript:/vbscript:/data: link, never writes outside
--output-dir whatever a post's slug, permalink or title says, and its Markdown renders to the
text of the HTML it came from (property-based)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from post_strategies import posts

if TYPE_CHECKING:
    from contentkit.document import Document

convert = pytest.importorskip("contentkit.convert")
fidelity = pytest.importorskip("contentkit.convert.fidelity")

from contentkit_rules.html import unsafe_scheme  # noqa: E402

from contentkit.markdown import parser as markdown_parser  # noqa: E402

BAD = Path(__file__).resolve().parent / "fixtures" / "bad"
HEAD = "---\ntitle: Hello\ndate: 2021-04-20T02:55:35Z\n---\n"
PROFILE = settings(
    max_examples=int(os.environ.get("CONTENTKIT_PROPERTY_EXAMPLES", "150")),
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def assert_safe_markdown(markdown: str) -> None:
    """What a CommonMark renderer would make of ``markdown`` holds nothing that runs code."""
    trusting = markdown_parser().__class__("commonmark").enable(["table", "strikethrough"])
    trusting.validateLink = lambda url: True  # see every link, even those markdown-it drops
    stack = list(trusting.parse(markdown))
    while stack:
        tok = stack.pop()
        stack.extend(tok.children or ())
        assert tok.type not in ("html_block", "html_inline") or not _dangerous_html(tok.content), (
            tok.content
        )
        for name in ("href", "src"):
            url = tok.attrs.get(name)
            if url is not None:
                assert unsafe_scheme(str(url)) is None, (tok.type, url)
    rendered = markdown_parser().render(markdown).lower()
    assert "<script" not in rendered
    assert not _event_handler(rendered)


def _dangerous_html(source: str) -> bool:
    from contentkit.html_scan import scan

    tags, _ = scan(source)
    return any(
        t.name in ("script", "iframe", "object", "embed")
        or any(n.startswith("on") for n in t.attr_names)
        or any(unsafe_scheme(v) for k, v in t.attrs.items() if k in ("href", "src"))
        for t in tags
    )


def _event_handler(rendered_html: str) -> bool:
    from contentkit.html_scan import scan

    tags, _ = scan(rendered_html)
    return any(n.startswith("on") for t in tags for n in t.attr_names)


def test_deeply_nested_html_converts(run_cli, tmp_path: Path) -> None:
    for name, body in {
        "divs.html": (BAD / "deep-divs.html").read_text(),
        "bold.html": HEAD + "<b>" * 10000 + "deep" + "</b>" * 10000,
        "lists.html": HEAD + "<ul><li>" * 5000 + "deep",
        "quotes.html": HEAD + "<blockquote>" * 10000 + "deep",
    }.items():
        (tmp_path / name).write_text(body)
        proc = run_cli("convert", name, cwd=tmp_path)
        assert proc.stderr == ""
        assert proc.returncode == 0
        assert "deep" in proc.stdout.split("---\n", 2)[2], name


def test_hostile_html_converts_to_safe_markdown(run_cli, tmp_path: Path) -> None:
    hostile = HEAD + (
        "<a href='&#106;avascript:alert(1)'>a</a> <a href='JaVaScRiPt&colon;alert(1)'>b</a> "
        "<a href='java\nscript:x'>c</a> <img src='vbscript:x' alt='v'> "
        "<a href='data:text/html,<script>alert(1)</script>'>d</a> "
        "<iframe src='javascript:x'></iframe><p onclick='x()'>[g](javascript:alert(1))</p>"
        "<img src=x onerror=alert(1) alt=i><script>alert(2)</script>"
        "<p>&lt;script&gt;alert(3)&lt;/script&gt;</p><a href=' javascript:x'>j</a>"
        "<a href='https://ok.example/'>ok</a>"
    )
    (tmp_path / "hostile.html").write_text(hostile)
    (tmp_path / "unsafe.html").write_text((BAD / "unsafe.html").read_text())
    for name in ("hostile.html", "unsafe.html"):
        proc = run_cli("convert", name, cwd=tmp_path)
        assert proc.returncode == 0 and proc.stderr == ""
        assert_safe_markdown(proc.stdout)
    proc = run_cli("convert", "hostile.html", cwd=tmp_path)
    assert "[ok](https://ok.example/)" in proc.stdout
    assert "alert(2)" not in proc.stdout  # a script's code is not text


@pytest.mark.parametrize(
    "front",
    [
        "slug: ../../escaped\n",
        "permalink: /../../../escaped/index.html\n",
        "title: ../../../escaped\n",
        "slug: /tmp/escaped\n",
        "slug: ..\\..\\escaped\n",
    ],
)
def test_nothing_from_a_post_moves_the_output(run_cli, tmp_path: Path, front: str) -> None:
    src = tmp_path / "in" / "deep" / "er"
    src.mkdir(parents=True)
    (src / "post.html").write_text(f"---\n{front}date: 2021-04-20T02:55:35Z\n---\n<p>x</p>\n")
    proc = run_cli("convert", "in", "-o", "out", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert written == ["in/deep/er/post.html", "out/deep/er/post.md"]
    assert not Path("/tmp/escaped").exists()


@pytest.mark.parametrize("inline", ["sup", "sub", "b", "em", "a"])
def test_a_block_inside_an_inline_element_stays_a_block(inline: str) -> None:
    # Found by test_convert_never_crashes: markdownify trims the blank lines around a block
    # inside <sup>, so the code fence ran into the text before it and its content, a
    # <script> tag, became raw HTML.
    html = f'<div>:<{inline}><pre> class="&lt;script&gt;"</pre></{inline}>y</div>'
    markdown = convert.convert_document(_doc(html)).markdown
    assert_safe_markdown(markdown)
    assert markdown == ':\n\n```\n class="<script>"\n```\n\ny\n'
    paragraphs = convert.convert_document(_doc(f"<div>:<{inline}><p>x</p></{inline}>y</div>"))
    assert paragraphs.markdown.split("\n\n")[0] == ":"  # the paragraph starts a new block


def _doc(html: str) -> Document:
    from contentkit.document import Document

    return Document.from_text(html, "post.html")


@PROFILE
@given(posts())
def test_convert_never_crashes(text: str) -> None:
    """Any post converts, or fails with the clear error a user sees (never another exception);
    the Markdown body it makes is safe. (The front matter is the author's own, copied.)"""
    from contentkit.document import Document

    doc = Document.from_text(text, "post.html")
    try:
        conversion = convert.convert_document(doc)
    except convert.ConvertError as exc:
        assert str(exc).startswith("post.html:")
        return
    assert_safe_markdown(conversion.markdown)
    conversion.render("json")


# Well-formed HTML (content models respected) with text that is hard to escape: the Markdown
# must render to the same text.
BLOCK_TAGS = ["p", "div", "h2", "blockquote", "li"]
INLINE_TAGS = ["b", "i", "em", "strong", "span", "code"]
# No backslash: <b>\</b> becomes **\** and the backslash escapes (a known limitation).
TRICKY = st.text(alphabet=[*"ab c*_`#[]()<>&!|~-+.=1", "中", "文"], min_size=1, max_size=12)


@st.composite
def inline(draw: st.DrawFn, depth: int = 0) -> str:
    from html import escape

    parts = []
    previous = "text"
    for _ in range(draw(st.integers(1, 3))):
        # Emphasis holds only text and code here; emphasis nested in emphasis and side by side
        # have tests of their own at the end.
        choices = [*INLINE_TAGS, "text", "text"] if depth == 0 else ["code", "text", "text"]
        tag = draw(st.sampled_from(choices))
        if tag != "text" and previous != "text":
            # Emphasis side by side is tested on its own (test_adjacent_emphasis below); a
            # letter between them keeps this generator's documents simple.
            parts.append("a")
        if tag == "text":
            parts.append(escape(draw(TRICKY), quote=False))
        elif tag == "code":
            # Spaces at the ends of code are tested on their own (test_code_with_edge_space).
            code = draw(TRICKY.map(str.strip).filter(bool))
            parts.append(f"<code>{escape(code, quote=False)}</code>")
        else:
            parts.append(f"<{tag}>{draw(inline(depth + 1))}</{tag}>")
        previous = tag
    return "".join(parts)


@st.composite
def well_formed(draw: st.DrawFn, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 3))):
        tag = draw(st.sampled_from(BLOCK_TAGS)) if depth < 3 else "p"
        if tag in ("p", "h2"):
            parts.append(f"<{tag}>{draw(inline())}</{tag}>")
        elif tag == "li":
            parts.append(f"<ul><li>{draw(well_formed(depth + 1))}</li></ul>")
        else:
            parts.append(f"<{tag}>{draw(well_formed(depth + 1))}</{tag}>")
    return "".join(parts)


@PROFILE
@given(well_formed())
def test_markdown_renders_to_the_same_text(body: str) -> None:
    source = f"<div>{body}</div>"
    markdown = convert.convert_text(HEAD + source, path="post.html")
    markdown = markdown.split("---\n", 2)[2]
    expected = fidelity.features(fidelity.parse_html(source)).text
    got = fidelity.features(fidelity.parse_html(markdown_parser().render(markdown))).text
    assert fidelity.norm(got) == fidelity.norm(expected), markdown


def _rendered_text(source: str) -> tuple[str, str]:
    markdown = convert.convert_text(HEAD + source, path="post.html").split("---\n", 2)[2]
    expected = fidelity.features(fidelity.parse_html(source)).text
    got = fidelity.features(fidelity.parse_html(markdown_parser().render(markdown))).text
    return fidelity.norm(got), fidelity.norm(expected)


def test_adjacent_code_spans_keep_their_text() -> None:
    """Found by the property above: two code spans side by side fused their backticks."""
    got, expected = _rendered_text("<p><code>1</code><code>1</code><kbd>`</kbd><code>`</code></p>")
    assert got == expected


@pytest.mark.parametrize(
    "source",
    [
        "<p>[[]](<code>)</code></p>",  # (found by the property above, not derandomized)
        "<p>[a [b] c](x)</p>",
        "<p>[a [b](x) c] d</p>",
        "<p>[[a]] [b]<i>c</i></p>",
    ],
)
def test_a_bracket_is_judged_by_the_bracket_it_pairs_with(source: str) -> None:
    # "[" was judged by the first "]" after it: "[[]](" kept its outer "[", which pairs with
    # the last "]", followed by "(": a link.
    got, expected = _rendered_text(source)
    assert got == expected
    assert "<a " not in markdown_parser().render(convert.convert_text(source, body_kind="html"))


def test_adjacent_emphasis() -> None:
    got, expected = _rendered_text("<p><b>1<i>1</i></b><i>1</i></p>")
    assert got == expected


def test_emphasis_nested_in_emphasis() -> None:
    got, expected = _rendered_text("<p><b><b><i>1</i></b>a<b><i>1</i></b></b></p>")
    assert got == expected


def test_code_with_edge_space() -> None:
    got, expected = _rendered_text("<h2><code>1</code>a<code> `</code></h2>")
    assert got == expected
