"""Hypothesis strategies for posts: front matter (good and broken) and HTML (nested, broken,
hostile), joined with any newline style, BOM or none. Shared by the property tests."""

from __future__ import annotations

import datetime as dt
import json

import yaml
from hypothesis import strategies as st

TAGS = [
    "div",
    "p",
    "span",
    "b",
    "i",
    "em",
    "strong",
    "a",
    "ul",
    "ol",
    "li",
    "table",
    "tr",
    "td",
    "th",
    "tbody",
    "pre",
    "code",
    "blockquote",
    "h1",
    "h2",
    "h3",
    "img",
    "br",
    "hr",
    "script",
    "style",
    "iframe",
    "figure",
    "figcaption",
    "dl",
    "dt",
    "dd",
    "section",
    "sup",
    "svg",
]
ATTRS = ["href", "src", "class", "id", "title", "alt", "onclick", "onerror", "style", "data-id"]
URLS = [
    "https://example.com/a?b=c&d=e",
    "/relative/path",
    "#frag",
    "javascript:alert(1)",
    " JaVa\tScRiPt:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD4=",
    "data:image/png;base64,iVBORw0KGgo=",
    "mailto:a@b.c",
    "",
]
# Characters that break naive code: controls, quotes, markup, CJK, emoji, surrogates-adjacent.
CHARS = [
    *"abc xyz<>&\"'=/;:#*_`[]()!\\-\t",
    *"\n\r\x00\x07\x1b\x85\u2028\ufeff",
    *"中文「」，😀",
]
ENTITIES = st.sampled_from(["&amp;", "&#x3c;", "&nbsp;", "&lt;script&gt;", "&#106;avascript:"])
TEXT = st.lists(st.one_of(st.text(alphabet=CHARS, max_size=12), ENTITIES), max_size=3).map("".join)
GARBAGE = st.sampled_from(
    [
        "<",
        ">",
        "</",
        "<!--",
        "-->",
        "<![CDATA[",
        "]]>",
        "<!DOCTYPE html>",
        "<?xml?>",
        "&",
        "&#",
        "&#xZZ;",
        "'",
        '"',
        "</div>",
        "</p>",
        "<p",
        "<a href='",
        "<<>>",
        "<br/>",
        "</br>",
    ]
)


@st.composite
def attributes(draw: st.DrawFn) -> str:
    out = []
    for name in draw(st.lists(st.sampled_from(ATTRS), max_size=3)):
        value = draw(st.sampled_from(URLS)) if name in ("href", "src") else draw(TEXT)
        quote = draw(st.sampled_from(['"', "'", ""]))
        if quote:
            value = value.replace(quote, "")
        out.append(f" {name}={quote}{value}{quote}" if value or quote else f" {name}")
    return "".join(out)


def html(max_leaves: int = 25) -> st.SearchStrategy[str]:
    """HTML fragments: nested elements, sometimes missing or crossing end tags, with garbage."""

    @st.composite
    def element(draw: st.DrawFn, children: st.SearchStrategy[str]) -> str:
        tag = draw(st.sampled_from(TAGS))
        inner = "".join(draw(st.lists(children, max_size=4)))
        close = draw(st.sampled_from(["normal", "normal", "normal", "none", "wrong", "self"]))
        start = f"<{tag}{draw(attributes())}>"
        if close == "none":
            return start + inner
        if close == "wrong":
            return start + inner + f"</{draw(st.sampled_from(TAGS))}>"
        if close == "self":
            return f"<{tag}{draw(attributes())}/>"
        return start + inner + f"</{tag}>"

    leaves = st.one_of(TEXT, GARBAGE)
    return st.recursive(leaves, lambda children: element(children), max_leaves=max_leaves)


SCALARS = st.one_of(
    TEXT,
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True),
    st.booleans(),
    st.none(),
    st.dates(min_value=dt.date(1, 1, 1)),
    st.datetimes(min_value=dt.datetime(1, 1, 1)),
)
KEYS = st.one_of(
    st.sampled_from(["title", "date", "tags", "categories", "permalink", "slug", "contentkit"]),
    TEXT.filter(lambda s: s.strip() != ""),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(KEYS, inner, max_size=3)),
    max_leaves=10,
)


@st.composite
def front_matter(draw: st.DrawFn) -> str:
    """A front matter block: valid YAML/TOML/JSON, YAML with anchors, or broken text."""
    data = draw(st.dictionaries(KEYS, VALUES, max_size=5))
    kind = draw(st.sampled_from(["yaml", "yaml", "anchors", "json", "toml", "raw", "none"]))
    if kind == "none":
        return ""
    if kind == "json":
        return json.dumps(data, default=str, ensure_ascii=draw(st.booleans())) + "\n"
    if kind == "toml":
        lines = [f"{json.dumps(str(k))} = {json.dumps(str(v))}" for k, v in data.items()]
        return "+++\n" + "\n".join(lines) + "\n+++\n"
    if kind == "raw":
        lines = draw(
            st.lists(
                st.one_of(
                    TEXT,
                    GARBAGE,
                    st.sampled_from(
                        [
                            "key: value",
                            "- item",
                            "a: &x [1, 2]",
                            "b: *x",
                            "c: *undefined",
                            "  : :",
                            "? ",
                            "!!python/object:os.system",
                            "d: !!binary aGk=",
                            "date: 2021-24-20T02:55:35Z",
                            "date: 2021-02-30",
                            "n: !!int abc",
                            "t: !!timestamp x",
                            "e: !!set {a}",
                            "'unclosed",
                        ]
                    ),
                ),
                max_size=6,
            )
        )
        closing = draw(st.sampled_from(["---\n", "...\n", ""]))
        return "---\n" + "\n".join(lines) + "\n" + closing
    try:
        dumped = yaml.safe_dump(data, allow_unicode=draw(st.booleans()), sort_keys=False)
    except yaml.YAMLError:
        dumped = "title: x\n"
    if kind == "anchors":
        n = draw(st.integers(1, 6))
        dumped += "base: &b0 [x, y]\n" + "".join(
            f"l{i}: &b{i} [*b{i - 1}, *b{i - 1}, *b{i - 1}]\n" for i in range(1, n)
        )
    return "---\n" + dumped + "---\n"


@st.composite
def posts(draw: st.DrawFn, body: st.SearchStrategy[str] | None = None) -> str:
    """A whole post as text (BOM and newline style included), as it could come off a disk."""
    blank = draw(st.sampled_from(["", "", "\n", "\n\n"]))
    text = blank + draw(front_matter()) + draw(body if body is not None else html())
    newline = draw(st.sampled_from(["\n", "\r\n", "\r", "mixed"]))
    if newline == "mixed":
        text = text.replace("\n", "\r\n", draw(st.integers(0, 3)))
    elif newline != "\n":
        text = text.replace("\n", newline)
    if draw(st.booleans()):
        text = "\ufeff" + text
    return text
