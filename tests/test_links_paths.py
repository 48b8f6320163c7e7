"""The link judge's shortcuts give what the plain definitions give.

An HTML body's links and plain text are found in one pass over its tags; the Markdown path
finds the links and then builds the plain text from the markup spans. Context features test
a first or last character before a tuple of prefixes or a regex. These tests hold each
shortcut to the plain way on any input.
"""

from __future__ import annotations

import re
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contentkit.document import Document
from contentkit.links import anchors, context, evidence

_HTML_PIECES = st.sampled_from(
    [
        "<a class='project-link' data-id='1' data-name='得到' "
        "href='https://36kr.com/projectDetails/1'>",
        "<a href='https://example.com/'>",
        "<a href='x' href='y'>",
        "<a name='top'>",
        "<a/>",
        "<a>",
        "</a>",
        "<p>",
        "</p>",
        "<div>",
        "</div>",
        "<br>",
        "<img src=x>",
        "<span>",
        "</span>",
        "<script>var a = '<a>';</script>",
        "<!-- <a> -->",
        "得到",
        "贸易优势",
        "&amp;",
        "&lt;",
        "&#x5f97;",
        "&nbsp;",
        "&",
        "、",
        "\n",
        " ",
        "elements",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_HTML_PIECES, max_size=30))
def test_one_pass_over_an_html_body_finds_what_the_markup_spans_give(pieces: list[str]) -> None:
    text = "---\ntitle: t\n---\n" + "".join(pieces)
    fast_doc = Document.from_text(text, "post.md", body_kind="html")
    slow_doc = Document.from_text(text, "post.md", body_kind="html")
    fast, fast_plain = anchors._links_and_plain_text(fast_doc)
    slow, markup = anchors._find_links(slow_doc)
    slow_plain = anchors._plain_text(slow_doc, slow, markup)
    assert fast_plain == slow_plain
    assert [vars(lk) for lk in fast] == [vars(lk) for lk in slow]


# The context features as first written: a prefix tuple, a regex, Unicode categories.
_LATIN_AFTER = re.compile(r"(?:\s?的)?\s?[A-Za-z]{2,}")
_STOCK_CODE = context._STOCK_CODE


def _latin_char(ch: str) -> bool:
    if not ch or evidence._is_han(ch):
        return False
    return unicodedata.category(ch)[0] in ("L", "N") or ch == "_"


def _plain_context(left: str, anchor: str, right: str) -> dict[str, float]:
    prev_ch = left[-1:] if left else ""
    next_ch = right[:1]
    left_trimmed, right_trimmed = left.rstrip(), right.lstrip()
    glued = (_latin_char(anchor[:1]) and _latin_char(prev_ch)) or (
        _latin_char(anchor[-1:]) and _latin_char(next_ch)
    )
    latin = bool(anchor) and _latin_char(anchor[0]) and _latin_char(anchor[-1])
    return {
        "follower": float(right_trimmed.startswith(context._FOLLOWERS)),
        "leader": float(left_trimmed.endswith(context._LEADERS)),
        "stock_code": float(bool(_STOCK_CODE.match(right))),
        "on_platform": float(left_trimmed.endswith("在") and right_trimmed.startswith("上")),
        "latin_follows": float(bool(_LATIN_AFTER.match(right))),
        "latin": float(latin),
        "latin_cut": float(bool(anchor) and glued),
    }


_CONTEXT_CHARS = (
    "在上公司集团创始人联合CEOAppapp据根如比例包括收购投资的 \u3000\t（(002594.SZ)）AbZé9_·、得到"
)


@settings(max_examples=500, deadline=None)
@given(
    st.text(alphabet=_CONTEXT_CHARS, max_size=12),
    st.text(alphabet=_CONTEXT_CHARS, min_size=1, max_size=5),
    st.text(alphabet=_CONTEXT_CHARS, max_size=12),
)
def test_context_shortcuts_agree_with_the_plain_tests(left: str, anchor: str, right: str) -> None:
    plain = left + anchor + right
    link = anchors._Link(0, 0, 0, 0, None, {}, "html", text=anchor)
    link.plain_start, link.plain_end = len(left), len(left) + len(anchor)
    ev = evidence.Evidence()
    context._context_evidence(plain, link, left, right, [link], ev)
    want = _plain_context(left, anchor, right)
    assert {k: ev.features[k] for k in want} == want
    assert ev.latin_cut == bool(want["latin_cut"])
