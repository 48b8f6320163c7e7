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
