"""The HTML hygiene rules on the ways a browser still reads a script into an attribute."""

from __future__ import annotations

import pytest
from contentkit_rules.html import unsafe_scheme

from contentkit import lint_text

HEAD = "---\ntitle: Hi\ndate: 2021-04-20\n---\n"


@pytest.mark.parametrize(
    ("url", "scheme"),
    [
        ("javascript:alert(1)", "javascript"),
        ("  \tJaVa\nScRiPt:alert(1)", "javascript"),
        ("\x00\x7f java\x01script:x", "javascript"),
        ("VBScript:msgbox(1)", "vbscript"),
        ("DATA:text/html,<script>", "data"),
        ("d\x0ba\tt a:x", "data"),
        ("https://example.com/javascript:x", None),
        ("/javascript:x", None),
        ("\u00a0javascript:x", None),  # a no-break space is not noise: a relative URL
        ("ｊavascript:x", None),  # a full-width letter is no scheme
        ("javascript", None),
        ("dat:x", None),
        ("", None),
        (" \t\n", None),
    ],
)
def test_unsafe_scheme_reads_the_url_as_a_browser_does(url: str, scheme: str | None) -> None:
    assert unsafe_scheme(url) == scheme


def test_event_handlers_and_unsafe_urls_in_one_post() -> None:
    body = (
        '<p onclick="x()" ONMOUSEOVER=y on="z" onx="w">a</p>\n'
        '<a href=" jav&#x09;ascript:alert(1)" onclick="a()" onclick="b()">b</a>\n'
        '<img src="data:image/png;base64,AAAA" lowsrc="data:image/png;base64,AAAA">\n'
        '<a href="https://example.com/" data="vbscript:x">c</a>\n'
    )
    found = [
        (d.line, d.column, d.code, d.message)
        for d in lint_text(HEAD + body, "p.html").diagnostics
        if d.code.startswith("HT")
    ]
    assert found == [
        (5, 4, "HT102", "event-handler attribute onclick on <p>"),
        (5, 18, "HT102", "event-handler attribute onmouseover on <p>"),
        (6, 4, "HT103", "javascript: URL in href of <a>"),
        (6, 38, "HT102", "event-handler attribute onclick on <a>"),
        (7, 39, "HT103", "data: URL in lowsrc of <img>"),
        (8, 32, "HT103", "vbscript: URL in data of <a>"),
    ]


def test_data_images_are_allowed_unless_the_option_says_no(tmp_path) -> None:
    from contentkit.config import settings_from_table

    body = (
        '<img src="data:image/png;base64,AAAA" srcset="DATA:image/webp;base64,AA 2x">\n'
        '<source srcset="data:image/svg+xml;base64,AA"><img src=" data:image/gif,x">\n'
        "<script src='https://example.com/a.js'></script><script>x()</script>\n"
        '<a href="data:image/png;base64,AAAA">d</a>\n'
    )
    found = {}
    for allow in (True, False):
        table = {"rules": {"unsafe-url-scheme": {"allow-data-images": allow}}}
        settings = settings_from_table(table, None, tmp_path)
        found[allow] = [
            (d.line, d.column, d.code, d.message)
            for d in lint_text(HEAD + body, "p.html", settings=settings).diagnostics
            if d.code.startswith("HT")
        ]
    scripts = [
        (7, 1, "HT101", "<script> in a post loads 'https://example.com/a.js'"),
        (7, 49, "HT101", "<script> in a post runs inline code"),
    ]
    assert found[True] == [
        (6, 9, "HT103", "data: URL in srcset of <source>"),
        *scripts,
        (8, 4, "HT103", "data: URL in href of <a>"),
    ]
    assert found[False] == [
        (5, 6, "HT103", "data: URL in src of <img>"),
        (5, 39, "HT103", "data: URL in srcset of <img>"),
        (6, 9, "HT103", "data: URL in srcset of <source>"),
        (6, 52, "HT103", "data: URL in src of <img>"),
        *scripts,
        (8, 4, "HT103", "data: URL in href of <a>"),
    ]


def test_an_end_tag_whose_start_tag_commonmark_did_not_read_as_html_is_no_finding() -> None:
    # Vue templates in a VitePress page: ``@click``/``:class`` are no attribute names to
    # CommonMark, so only the end tag is inline HTML; the author did write the element.
    body = (
        "\n# Counter\n\n"
        'The count is: {{ count }}\n\n<button @click="count++">Increment</button>\n\n'
        'Inline <span :class="c" @mouseover="x">hi</span> and <b>bold</b> text.\n\n'
        "Stray </em> here, and `<i @x>` in code.\n\n</i>\n"
    )
    found = [
        (d.line, d.code, d.message)
        for d in lint_text(HEAD + body, "p.md").diagnostics
        if d.code.startswith("HT")
    ]
    # A stray end tag with no opening anywhere is still one, and code opens nothing.
    assert found == [
        (14, "HT105", "</em> closes no open <em>"),
        (16, "HT105", "</i> closes no open <i>"),
    ]


def test_each_unread_opening_excuses_one_end_tag_after_it() -> None:
    body = '\n</button> first\n\n<button @click="a">A</button> then </button> again\n'
    found = [
        (d.line, d.column, d.code)
        for d in lint_text(HEAD + body, "p.md").diagnostics
        if d.code.startswith("HT")
    ]
    assert found == [(6, 1, "HT105"), (8, 36, "HT105")]


def test_a_void_element_written_with_its_end_tag_is_harmless_a_stray_one_is_not() -> None:
    # A notes repository's footer, XHTML-style; browsers drop the </img> and show the image.
    body = (
        '\n<div align="center"><img width="320px" src="https://example.com/qr.png"></img></div>\n'
        '\n<p><input type="checkbox"> </input>done</p>\n'
        "\n<p>text</img> and</p>\n"
    )
    found = [
        (d.line, d.code, d.message)
        for d in lint_text(HEAD + body, "notes.md").diagnostics
        if d.code.startswith("HT")
    ]
    assert found == [(10, "HT105", "</img>: <img> is a void element and has no end tag")]


def test_a_script_data_block_is_no_script() -> None:
    # A <script> whose type is not JavaScript is a data block: neither fetched nor run
    # (structured data, a theme's text/plain placeholder). Found on an unseen Hexo blog.
    page = (
        "---\ntitle: t\n---\n\n"
        '<script type="text/plain" src="http://example.org/widget.js"></script>\n'
        '<script type="application/ld+json">{"@context": "https://schema.org"}</script>\n'
        '<script type="text/javascript">run()</script>\n'
        '<script type="module" src="/m.js"></script>\n'
        '<script language="JavaScript">old()</script>\n'
    )
    found = [(d.line, d.code) for d in lint_text(page, "posts/a.md").diagnostics]
    assert found == [(7, "HT101"), (8, "HT101"), (9, "HT101")]


ICON_LINKS = """---
title: t
---

Cite this [<i class="fas fa-bookmark"></i>](https://doi.org/10.1186/x) and
<a href="https://github.com/example"><i class="fab fa-github"></i></a>, or
embed [](_media/example.html ':include :type=code') (docsify).

But [](https://example.org/) and <a href="/x"></a> show nothing to click.
"""


def test_an_icon_is_something_to_click_and_an_empty_link_is_not() -> None:
    found = [(d.line, d.column, d.code) for d in lint_text(ICON_LINKS, "a.md").diagnostics]
    assert found == [(9, 5, "LK002"), (9, 34, "LK002")]


def test_unwrapping_an_author_s_mistyped_link_is_no_safe_fix() -> None:
    # A button whose href is still a placeholder (Docsy's example site) wants its href mended;
    # a link that goes nowhere (javascript:) and an auto-linker's broken anchor are unwrapped.
    page = (
        "---\ntitle: t\n---\n\n"
        '<a class="btn" href="<link to the group>">Join</a>\n'
        '<a href="javascript:void(0)">Menu</a>\n'
    )
    fixes = [d.fix.applicability for d in lint_text(page, "a.md").diagnostics if d.fix]
    assert fixes == ["unsafe", "safe"]


def test_an_unclosed_placeholder_says_how_to_write_it_as_text(tmp_path) -> None:
    # A Hexo post's "hs_err_pid<pid>.log": the browser hides <pid> as an unknown tag.
    from contentkit.api import lint_text

    text = (
        "---\ntitle: x\n---\nJVM wrote hs_err_pid<pid>.log\n\n<div>open\n\n<my-box>x\n\n<Tabs>y\n"
    )
    found = lint_text(text, "post.md").diagnostics
    messages = [d.message for d in found if d.code == "HT104"]
    assert messages == [
        "<pid> is never closed; <pid> is no HTML element: if it is meant as text, write "
        "\\<pid> or put it in code",
        "<div> is never closed",
        "<my-box> is never closed",  # (a custom element: a hyphen in its name)
        "<tabs> is never closed",  # (a JSX component: a capital in its name)
    ]
