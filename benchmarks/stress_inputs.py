"""Adversarial posts for benchmarks/stress.py and the stress tests: each one at most 10 MiB.

Every shape is a whole post (front matter and body) as bytes, named for the family it belongs
to: long lines, very many short lines, deep nesting, delimiter floods, huge tables, many links,
many findings, entity floods, hostile front matter, odd line endings and bytes. ``scale``
shrinks every shape by the same factor (the tests use small ones; the benchmark full size).

    from stress_inputs import SHAPES, build
    data = build("bracket-flood", scale=0.01)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

LIMIT = 10 * 1024 * 1024  # the default max-file-size: every shape stays under it
FM = "---\ntitle: Stress\ndate: 2021-04-20\n---\n"


@dataclass(frozen=True)
class Shape:
    name: str
    suffix: str  # ".md" or ".html": which body kind lint and convert read it as
    family: str
    make: Callable[[float], str]
    # The post must be refused (front matter that cannot be read as plain data, binary bytes):
    # lint reports it, convert fails for it with a non-zero exit.
    refused: bool = False
    raw: Callable[[float], bytes] | None = None  # bytes that are not UTF-8 text of ``make``


def _n(base: int, scale: float) -> int:
    return max(1, int(base * scale))


def _growing_backticks(scale: float) -> str:
    runs = _n(2000, scale**0.5)  # total size grows with the square of the run count
    return FM + " ".join("`" * k + " a" for k in range(1, runs + 1)) + "\n"


def _nested_list(scale: float) -> str:
    depth = _n(2000, scale**0.5)
    return FM + "".join("  " * i + "- a\n" for i in range(depth))


def _md_table(scale: float) -> str:
    rows = _n(700_000, scale)
    return FM + "| a | b |\n|---|---|\n" + "| x | y |\n" * rows


def _html_table(scale: float) -> str:
    rows = _n(300_000, scale)
    return FM + "<table>" + "<tr><td>a</td><td>b</td></tr>" * rows + "</table>\n"


def _wide_table(scale: float) -> str:
    cols = _n(1_000_000, scale)
    return FM + "| " + "a | " * cols + "\n|" + "-|" * cols + "\n| " + "x | " * cols + "\n"


def _ref_uses(scale: float) -> str:
    return FM + "[a]: http://x.com\n\n" + "[a] " * _n(2_000_000, scale)


def _alias_bomb(scale: float) -> str:
    lines = ["---", "title: bomb", 'a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for i in range(1, 10):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 9)}]")
    return "\n".join([*lines, "---", "<p>body</p>", ""])


def _deep_yaml(scale: float) -> str:
    depth = 100_000  # refused at any scale: no YAML reader follows it
    return "---\ntitle: deep\nx: " + "[" * depth + "]" * depth + "\n---\n<p>body</p>\n"


def _deep_yaml_block(scale: float) -> str:
    depth = _n(2000, scale**0.5)
    body = "".join(" " * i + f"k{i}:\n" for i in range(depth)) + " " * depth + "v: 1\n"
    return "---\ntitle: deep\n" + body + "---\n<p>body</p>\n"


def _huge_front_matter(scale: float) -> str:
    keys = _n(400_000, scale)
    return "---\ntitle: big\n" + "".join(f"k{i}: value {i}\n" for i in range(keys)) + "---\nx\n"


def _many_suppressions(scale: float) -> str:
    n = _n(150_000, scale)
    return FM + "<!-- contentkit-disable-next-line HT102 -->\n<p>\x07</p>\n" * n


def _nul_bytes(scale: float) -> bytes:
    return (FM + "<p>a</p>\n").encode() + b"\x00" * _n(1_000_000, scale)


def _invalid_utf8(scale: float) -> bytes:
    return FM.encode() + b"<p>\xff\xfe\xc3(</p>\n" * _n(700_000, scale)


def _cr_only(scale: float) -> str:
    return (FM + "<p>line</p>\n" * _n(800_000, scale)).replace("\n", "\r")


def _flood(unit: str, count: int, suffix: str = "") -> Callable[[float], str]:
    return lambda scale: FM + unit * _n(count, scale) + suffix


_S: list[Shape] = [
    # Long lines and many lines.
    Shape("long-line", ".md", "lines", _flood("word ", 1_900_000, "\n")),
    Shape("long-line-cjk", ".md", "lines", _flood("中文内容很长", 500_000, "\n")),
    Shape("long-line-html", ".html", "lines", _flood("<b>a</b> ", 1_000_000, "\n")),
    Shape("many-short-lines", ".md", "lines", _flood("a\n", 200_000)),
    Shape("many-lines-4M", ".md", "lines", _flood("a\n", 4_000_000)),
    Shape("many-blank-lines", ".md", "lines", _flood("\n", 9_000_000)),
    Shape("many-short-lines-html", ".html", "lines", _flood("<p>a</p>\n", 1_000_000)),
    Shape("cr-only", ".html", "lines", _cr_only),
    Shape("many-headings", ".md", "lines", _flood("# a\n", 2_000_000)),
    Shape("setext-headings", ".md", "lines", _flood("a\n=\n", 2_000_000)),
    Shape("list-items", ".md", "lines", _flood("- a\n", 2_000_000)),
    Shape("star-list-items", ".md", "lines", _flood("* a\n", 2_000_000)),
    Shape("ordered-list-items", ".md", "lines", _flood("1. a\n", 1_600_000)),
    Shape("hard-breaks", ".md", "lines", _flood("a  \n", 2_000_000)),
    Shape("empty-list-items", ".md", "lines", _flood("-\n", 4_000_000)),
    Shape("empty-numbered-items", ".md", "lines", _flood("1.\n", 3_000_000)),
    Shape("quote-lines", ".md", "lines", _flood("> a\n", 2_000_000)),
    Shape("tab-indented", ".md", "lines", _flood("\t- a\n", 1_600_000)),
    # Deep nesting.
    Shape("div-flood", ".html", "nesting", _flood("<div>", 2_000_000)),
    Shape("div-flood-md", ".md", "nesting", _flood("<div>", 2_000_000)),
    Shape("nested-a", ".html", "nesting", _flood('<a href="x">', 700_000)),
    Shape("nested-span-closed", ".html", "nesting", _flood("<span>", 500_000, "</span>" * 500_000)),
    Shape("nested-b-i", ".html", "nesting", _flood("<b><i>", 800_000)),
    Shape("nested-blockquote", ".md", "nesting", _flood(">", 5_000_000, " a\n")),
    Shape("nested-blockquote-html", ".html", "nesting", _flood("<blockquote>", 700_000)),
    Shape("nested-list-inline", ".md", "nesting", _flood("- ", 4_000_000, "a\n")),
    Shape("nested-list-indented", ".md", "nesting", _nested_list),
    Shape("nested-ul-html", ".html", "nesting", _flood("<ul><li>", 600_000)),
    Shape("nested-table-html", ".html", "nesting", _flood("<table><tr><td>", 400_000)),
    # Delimiter floods.
    Shape("bracket-flood", ".md", "delimiters", _flood("[", 5_000_000)),
    Shape("bracket-flood-html", ".html", "delimiters", _flood("[", 5_000_000)),
    Shape("link-open-flood", ".md", "delimiters", _flood("[a](", 2_000_000)),
    Shape("link-open-flood-html", ".html", "delimiters", _flood("[a](", 2_000_000)),
    Shape("image-open-flood", ".md", "delimiters", _flood("![", 4_000_000)),
    Shape("strong-flood", ".md", "delimiters", _flood("**a", 3_000_000)),
    Shape("underscore-flood", ".md", "delimiters", _flood("_a", 4_000_000)),
    Shape("star-flood", ".md", "delimiters", _flood("*", 9_000_000)),
    Shape("emphasis-pairs", ".md", "delimiters", _flood("*a* ", 2_000_000)),
    Shape("code-spans", ".md", "delimiters", _flood("`a` ", 2_000_000)),
    Shape("strike-pairs", ".md", "delimiters", _flood("~~a~~ ", 1_500_000)),
    Shape("md-inline-html", ".md", "delimiters", _flood("<b>a</b> ", 1_000_000)),
    Shape("md-entities", ".md", "entities", _flood("&amp; ", 1_500_000)),
    Shape("backtick-runs", ".md", "delimiters", _growing_backticks),
    Shape("backtick-runs-html", ".html", "delimiters", lambda s: _growing_backticks(s)),
    Shape("backtick-flood", ".md", "delimiters", _flood("`", 9_000_000)),
    Shape("backtick-pairs", ".md", "delimiters", _flood("`a", 4_000_000)),
    Shape("lt-flood", ".md", "delimiters", _flood("<", 9_000_000)),
    Shape("lt-flood-html", ".html", "delimiters", _flood("<", 9_000_000)),
    Shape("lt-a-flood-html", ".html", "delimiters", _flood("<a", 4_000_000)),
    Shape("comment-open-flood", ".html", "delimiters", _flood("<!--", 2_000_000)),
    Shape("autolink-open-flood", ".md", "delimiters", _flood("<http://a", 1_000_000)),
    Shape("attr-flood", ".html", "delimiters", lambda s: FM + "<p " + 'a="b" ' * _n(1_500_000, s)),
    Shape("quote-flood-html", ".html", "delimiters", _flood('<p title="', 900_000)),
    # Huge tables.
    Shape("table-md", ".md", "tables", _md_table),
    Shape("table-md-wide", ".md", "tables", _wide_table),
    Shape("table-html", ".html", "tables", _html_table),
    # Many links.
    Shape("md-links", ".md", "links", _flood("[a](http://x.com/1) ", 300_000)),
    Shape("md-links-cjk", ".md", "links", _flood("看[阿里巴巴](http://x.com)说", 300_000)),
    Shape("html-links", ".html", "links", _flood('<a href="http://x.com">阿里</a>', 300_000)),
    Shape("ref-definitions", ".md", "links", _flood("[a]: http://x.com\n", 500_000)),
    Shape("bare-urls", ".md", "links", _flood("http://x.com/a ", 600_000)),
    Shape("autolinks", ".md", "links", _flood("<http://x.com/a> ", 600_000)),
    Shape("md-html-links", ".md", "links", _flood('<a href="http://x.com">a</a> ', 300_000)),
    Shape("md-images", ".md", "links", _flood("![a](b.png) ", 800_000)),
    Shape("ref-uses", ".md", "links", _ref_uses),
    # Many findings.
    Shape("bel-flood", ".html", "findings", _flood("\x07", 5_000_000)),
    Shape("img-no-alt", ".html", "findings", _flood('<img src="a.png">\n', 500_000)),
    Shape("javascript-links", ".html", "findings", _flood('<a href="javascript:x">a</a>', 300_000)),
    Shape("cjk-emphasis", ".md", "findings", _flood("**中文。**中", 550_000)),
    Shape("suppression-flood", ".html", "findings", _many_suppressions),
    # Entity floods.
    Shape("entity-amp", ".html", "entities", _flood("&amp;", 2_000_000)),
    Shape("entity-numeric", ".html", "entities", _flood("&#x41;", 1_500_000)),
    Shape("entity-bare-amp", ".md", "entities", _flood("&", 9_000_000)),
    Shape("entity-unknown", ".html", "entities", _flood("&foo;", 2_000_000)),
    # Front matter.
    Shape(
        "yaml-custom-tag",
        ".html",
        "front-matter",
        lambda s: "---\ntitle: !foo t\n---\n<p>x</p>\n",
        True,
    ),
    Shape(
        "yaml-python-tag",
        ".html",
        "front-matter",
        lambda s: "---\ntitle: !!python/object/apply:os.system ['true']\n---\n<p>x</p>\n",
        True,
    ),
    Shape(
        "yaml-python-tag-md",
        ".md",
        "front-matter",
        lambda s: "---\nt: !!python/name:os.system\n---\nx\n",
        True,
    ),
    Shape("yaml-alias-bomb", ".html", "front-matter", _alias_bomb, True),
    Shape("yaml-alias-bomb-md", ".md", "front-matter", _alias_bomb, True),
    Shape("yaml-deep-flow", ".html", "front-matter", _deep_yaml, True),
    Shape("yaml-deep-block", ".html", "front-matter", _deep_yaml_block),
    Shape("yaml-huge", ".html", "front-matter", _huge_front_matter),
    Shape(
        "yaml-long-value",
        ".html",
        "front-matter",
        lambda s: "---\ntitle: " + "a" * _n(9_000_000, s) + "\n---\n<p>x</p>\n",
    ),
    Shape(
        "yaml-unterminated",
        ".html",
        "front-matter",
        lambda s: "---\ntitle: t\n" + "k: v\n" * _n(1_000_000, s),
    ),
    # Bytes.
    Shape("nul-bytes", ".html", "bytes", lambda s: "", True, _nul_bytes),
    Shape("invalid-utf8", ".html", "bytes", lambda s: "", True, _invalid_utf8),
]
SHAPES: dict[str, Shape] = {s.name: s for s in _S}


def build(name: str, scale: float = 1.0) -> bytes:
    """The post of shape ``name`` as bytes (UTF-8 unless the shape is about bytes)."""
    shape = SHAPES[name]
    data = shape.raw(scale) if shape.raw is not None else shape.make(scale).encode("utf-8")
    if len(data) > LIMIT:
        raise ValueError(f"{name}: {len(data)} bytes is over the 10 MiB limit")
    return data
