"""Fidelity of HTML -> Markdown converters on HTML nobody here wrote, peers in the same run.

    python benchmarks/fidelity_external.py                  # spec + articles, every converter
    python benchmarks/fidelity_external.py --only spec --failures contentkit
    python benchmarks/fidelity_external.py --articles DIR   # other article pages (*.html)

Two sets:

* **spec**: the 655 examples of the CommonMark spec (``/work/shared/commonmark/spec.json``, or
  ``--spec``). Each example's HTML goes HTML -> converter -> Markdown -> markdown-it-py
  (``commonmark`` preset, plus GFM tables and strikethrough, which every converter here writes)
  -> HTML, and the two HTMLs are compared on what Markdown can express: blocks (paragraphs,
  headings and their level, quotes, lists with their kind and start, items, code blocks with
  their exact text, rules, tables) and inline content (text, emphasis, strong, code, links with
  their exact href, images with src and alt, hard breaks). Other elements count as their
  content; whitespace counts as a browser shows it. Two levels:
  ``tolerant``: the same trees. ``visual``: the same rendering, where spans of text are compared
  with their set of styles, so ``<em><em>x</em></em>`` is ``<em>x</em>`` and nesting order or
  where a span is split does not matter.
* **articles**: real article HTML from public test suites (``benchmarks/articles``; its SOURCES
  names each page's repository, path and license). Per page, and summed: visible words kept
  (each word of the page's text as a browser shows it, found in the rendered Markdown's text),
  links kept with their exact href (not script-running targets, javascript: and the like, which a
  safe converter drops and reports, as it does data: images), images (src), table cells and
  code blocks (exact text, as a browser shows it).
  Pages listed as held out in SOURCES were never looked at while tuning; their figures are
  printed separately too.

CPU time per page (``time.process_time``; pandoc's child processes counted) is each converter's
own time on the article pages, the fastest of ``--runs`` runs of each page. The converters take
turns on each page (one run of each, ``--runs`` times), so that a burst of load on a shared
machine spoils one run of one page, not one converter's whole figure.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from lxml import etree  # noqa: E402
from lxml import html as lxml_html  # noqa: E402
from markdown_it import MarkdownIt  # noqa: E402
from peers import peers  # noqa: E402

from contentkit.convert.html import BLOCK as HTML_BLOCK  # noqa: E402
from contentkit.convert.html import (  # noqa: E402
    LAYOUT_CONTENT,
    LAZY_SRC_ATTRS,
    LAZY_SRCSET_ATTRS,
    TAB_OR_NEWLINE,
    frames_an_article,
    is_heading_permalink,
    is_layout_table,
    is_line_numbers,
    one_headerless_column,
)
from contentkit.convert.markdown import html_to_markdown  # noqa: E402
from contentkit.convert.stylesheet import hide_by_stylesheet  # noqa: E402

SPEC = Path(os.environ.get("COMMONMARK_SPEC", ROOT.parent / "shared/commonmark/spec.json"))
ARTICLES = Path(__file__).resolve().parent / "articles"

_md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
_md.validateLink = lambda url: True  # type: ignore[method-assign]  # compare, not sanitize


def render(markdown: str) -> str:
    return _md.render(markdown)


def href(url: str) -> str:
    """A URL as markdown-it writes it, then decoded: equal when the reader gets the same URL.
    (A browser's URL parser removes tabs and line breaks wherever they stand: so does this.)"""
    return unquote(_md.normalizeLink(url.strip().translate(TAB_OR_NEWLINE)))


# ---- canonical trees ---------------------------------------------------------------------------

BLOCKS = {"p", "blockquote", "ul", "ol", "li", "pre", "hr", "table", "tr", "th", "td"}
BLOCKS |= {f"h{i}" for i in range(1, 7)}
SPANS = {"em": "em", "i": "em", "strong": "strong", "b": "strong", "code": "code"}
SPANS |= {"del": "del", "s": "del", "strike": "del"}
INVISIBLE = {"script", "style", "head", "title", "template", "noscript"}
# elements a browser shows as blocks without a Markdown equivalent: their content is a paragraph
BLOCKISH = {"div", "section", "article", "header", "footer", "main", "aside", "nav", "figure"}
BLOCKISH |= {"figcaption", "dl", "dt", "dd", "address", "details", "summary", "center", "form"}
BLOCKISH |= {"thead", "tbody", "tfoot", "caption", "fieldset", "hgroup"}
_WS = re.compile(r"[ \t\n\r\f]+")


# Void elements of HTML5 that libxml2 (an HTML 4 parser) does not know: it nests what follows
# them inside them (up to the parent's end), where a browser has them empty and shows that text.
_UNKNOWN_VOID = ("embed", "source", "track", "wbr", "keygen", "bgsound")


def parse(source: str) -> Any:
    parser = lxml_html.HTMLParser(remove_comments=True, remove_pis=True)
    try:
        root = lxml_html.fragment_fromstring(
            source or "<p></p>", create_parent="div", parser=parser
        )
    except (etree.ParserError, ValueError):
        return lxml_html.fragment_fromstring("<p></p>", create_parent="div")
    if "<style" in source.lower():  # (what the page's own <style> hides, a browser does not show)
        try:
            page = lxml_html.document_fromstring(source, parser=parser)
        except (etree.ParserError, ValueError):
            page = None
        hide_by_stylesheet(root, page)
    for el in list(root.iter(*_UNKNOWN_VOID, "image", "amp-img", "amp-anim")):
        if el.tag in _AS_IMG:
            # A browser's parser reads <image> as <img> (not inside an <svg>, where it is an SVG
            # image), and the AMP runtime draws an <amp-img> as one: images to count.
            if next(el.iterancestors("svg"), None) is not None:
                continue
            if el.tag == "image":
                _unnest(el)
            el.tag = "img"
            continue
        _unnest(el)
    return root


_AS_IMG = frozenset({"image", "amp-img", "amp-anim"})


def _unnest(el: Any) -> None:
    """Move what libxml2 put inside a void element after it, where a browser has it."""
    parent = el.getparent()
    if parent is None or (el.text is None and not len(el)):
        return
    kids, text, tail = list(el), el.text, el.tail
    el.text = None
    at = parent.index(el)
    for i, kid in enumerate(kids, 1):
        parent.insert(at + i, kid)
    if kids:
        el.tail = text
        kids[-1].tail = (kids[-1].tail or "") + (tail or "")
    else:
        el.tail = (text or "") + (tail or "")


def _kids(el: Any) -> list[Any]:
    """Text and child elements in order: ('text', s) or an element."""
    out: list[Any] = []
    if el.text:
        out.append(el.text)
    for c in el:
        if isinstance(c.tag, str):
            out.append(c)
        if c.tail:
            out.append(c.tail)
    return out


def canon_blocks(el: Any, in_pre: bool = False) -> list[Any]:
    """The block structure of ``el``'s content: a list of blocks, each a tuple."""
    blocks: list[Any] = []
    inline: list[Any] = []

    def flush() -> None:
        spans = _trim(inline)
        if spans:
            blocks.append(("para", tuple(spans)))
        inline.clear()

    for node in _kids(el):
        if isinstance(node, str):
            inline.append(node)
            continue
        tag = node.tag.lower()
        if tag in INVISIBLE:
            continue
        if tag in BLOCKS or tag in BLOCKISH:
            flush()
            blocks.extend(_block(node, tag))
        else:
            inline.append(node)
    flush()
    return blocks


def _block(node: Any, tag: str) -> list[Any]:
    if tag == "pre":
        return [("code", _pre_text(node))]
    if tag == "hr":
        return [("hr",)]
    if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
        spans = _trim(_kids(node))
        return [(tag, tuple(spans))] if spans else []
    if tag == "p" or tag in BLOCKISH:
        return canon_blocks(node)
    if tag == "blockquote":
        inner = canon_blocks(node)
        return [("quote", tuple(inner))] if inner else []
    if tag in ("ul", "ol"):
        items = []
        for c in node:
            if isinstance(c.tag, str) and c.tag == "li":
                items.append(("li", tuple(canon_blocks(c))))
        start = node.get("start", "1") if tag == "ol" else ""
        return [(tag, start.strip() or "1" if tag == "ol" else "", tuple(items))]
    if tag == "li":
        return [("li", tuple(canon_blocks(node)))]
    if tag == "table":
        cells = [c for c in node.iter("td", "th") if next(c.iterancestors("table")) is node]
        tags = {d.tag for c in cells for d in c.iterdescendants()}
        layout = bool(tags & LAYOUT_CONTENT) or frames_an_article(cells)
        one = one_headerless_column(cells)
        if is_layout_table(len(cells), layout, bool(tags & HTML_BLOCK), one):
            return canon_blocks(node)  # a page layout: Markdown shows its content in order
        rows = []
        for tr in node.iter("tr"):
            row = tuple(tuple(_trim(_kids(c))) for c in tr if c.tag in ("td", "th"))
            if any(row):  # (a GFM table's header row may have to be empty)
                rows.append(row)
        return [("table", tuple(rows))]
    if tag in ("tr", "td", "th"):
        return canon_blocks(node)
    return canon_blocks(node)


def _inline(node: Any) -> list[Any]:
    """Inline content as a tree: strings and [kind, attribute, children] for em, strong, del,
    code, links (exact href), images (src, alt) and hard breaks."""
    if isinstance(node, str):
        return [node]
    tag = node.tag.lower()
    if tag in INVISIBLE:
        return []
    if tag == "br":
        return [["br", None, []]]
    if tag == "img":
        alt = _WS.sub(" ", node.get("alt", "")).strip()
        return [["img", (href(node.get("src", "")), alt), []]]
    if tag == "code":
        return [["code", None, [node.text_content()]]]
    inner: list[Any] = []
    for k in _kids(node):
        inner.extend(_inline(k))
    if tag == "a" and node.get("href") is not None:
        return [["a", href(node.get("href", "")), inner]]
    if tag in SPANS:
        return [[SPANS[tag], None, inner]]
    return inner  # any other element counts as its content


def _trim(nodes: list[Any]) -> list[Any]:
    """Inline nodes with whitespace as a browser shows it: runs of it collapsed to one space
    across element boundaries, none at the block's edges or around a hard break."""
    items: list[Any] = []
    for n in nodes:
        items.extend(_inline(n))
    leaves: list[Any] = []  # [list, index] of each string, or "br"/"img"

    def walk(lst: list[Any]) -> None:
        for i, x in enumerate(lst):
            if isinstance(x, str):
                leaves.append((lst, i))
            elif x[0] in ("br", "img"):
                leaves.append(x[0])
            else:
                walk(x[2])

    walk(items)
    last_space = True
    prev: Any = None
    for leaf in leaves:
        if leaf == "br":
            if prev is not None:
                prev[0][prev[1]] = prev[0][prev[1]].rstrip(" ")
            last_space, prev = True, None
        elif leaf == "img":
            last_space, prev = False, None
        else:
            lst, i = leaf
            text = _WS.sub(" ", lst[i])
            if last_space:
                text = text.lstrip(" ")
            lst[i] = text
            if text:
                last_space, prev = text.endswith(" "), leaf
    if prev is not None:
        prev[0][prev[1]] = prev[0][prev[1]].rstrip(" ")
    out = _prune(items)
    while out and out[-1] == ("br", None, ()):
        out.pop()  # a hard break at a block's end shows nothing
    return out


def _prune(items: list[Any]) -> list[Any]:
    """Drop empty strings and spans that show nothing; merge adjacent strings; as tuples."""
    out: list[Any] = []
    for x in items:
        if isinstance(x, str):
            if not x:
                continue
            if out and isinstance(out[-1], str):
                out[-1] += x
            else:
                out.append(x)
            continue
        kids = tuple(_prune(x[2]))
        if x[0] in ("em", "strong", "del", "code") and not kids:
            continue
        out.append((x[0], x[1], kids))
    return out


# ---- the visual level: text runs with their set of styles -----------------------------------


def runs(spans: Any, styles: frozenset[Any] = frozenset()) -> list[tuple[str, frozenset[Any]]]:
    """Text runs with their set of styles, adjacent runs of the same styles merged."""
    out: list[tuple[str, frozenset[Any]]] = []
    for n in spans:
        if isinstance(n, str):
            out.append((n, styles))
        elif n[0] in ("em", "strong", "del", "code"):
            out.extend(runs(n[2], styles | {n[0]}))
        elif n[0] == "a":
            out.extend(runs(n[2], styles | {("a", n[1])}) or [("", styles | {("a", n[1])})])
        else:  # br, img
            out.append(("", styles | {(n[0], n[1])}))
    merged: list[tuple[str, frozenset[Any]]] = []
    for text, st in out:
        if merged and merged[-1][1] == st and text:
            merged[-1] = (merged[-1][0] + text, st)
        elif (
            merged
            and text == " "
            and not st & {"code", "del"}
            and not any(isinstance(x, tuple) and x[0] != "a" for x in st)
        ):
            # a space between two spans looks the same bold or not
            merged[-1] = (merged[-1][0] + text, merged[-1][1])
        else:
            merged.append((text, st))
    return merged


def visual(blocks: Any) -> Any:
    if isinstance(blocks, list):
        return [visual(b) for b in blocks]
    if isinstance(blocks, tuple):
        kind = blocks[0] if blocks else None
        if kind == "para" or (isinstance(kind, str) and re.fullmatch(r"h[1-6]", kind)):
            return (kind, tuple(runs(blocks[1])))
        if kind == "code":
            return blocks
        if kind == "table":
            return ("table", tuple(tuple(tuple(runs(c)) for c in row) for row in blocks[1]))
        return tuple(visual(b) for b in blocks)
    return blocks


# ---- spec round trip ---------------------------------------------------------------------------


@dataclass
class SpecResult:
    tolerant: Counter[str] = field(default_factory=Counter)
    visual: Counter[str] = field(default_factory=Counter)
    total: Counter[str] = field(default_factory=Counter)
    crashed: int = 0
    failures: list[tuple[int, str, str, str]] = field(default_factory=list)


def spec_run(examples: list[dict[str, Any]], convert: Callable[[str], str]) -> SpecResult:
    r = SpecResult()
    for ex in examples:
        section = ex["section"]
        r.total[section] += 1
        source = ex["html"]
        try:
            md = convert(source)
        except Exception:
            r.crashed += 1
            continue
        want = canon_blocks(parse(source))
        got = canon_blocks(parse(render(md)))
        if want == got:
            r.tolerant[section] += 1
        if visual(want) == visual(got):
            r.visual[section] += 1
        else:
            r.failures.append((ex["example"], section, source, md))
    return r


# ---- articles ----------------------------------------------------------------------------------

_WORD = re.compile(r"\w+", re.U)


_INLINE = {"a", "span", "b", "strong", "em", "i", "code", "sub", "sup", "small", "mark", "abbr"}
_INLINE |= {"u", "s", "del", "ins", "q", "cite", "kbd", "samp", "var", "time", "font", "label"}
# (a word broken across a <wbr>, or a ruby's bases, are one word as shown; its reading, drawn
# above them, is words of its own)
_INLINE |= {"wbr", "ruby", "rb", "bdi", "bdo", "dfn", "big", "tt", "nobr"}
# not shown by a browser that runs them (canvas, video and audio show their fallback content
# only where unsupported)
_NEVER_SHOWN = INVISIBLE | {"svg", "iframe", "select", "object", "annotation", "annotation-xml"}
_NEVER_SHOWN |= {"canvas", "video", "audio", "embed"}


def _hidden_self(el: Any) -> bool:
    tag = el.tag.lower() if isinstance(el.tag, str) else ""
    if not tag or tag in _NEVER_SHOWN:
        return True
    if tag == "pre" and is_line_numbers(el):
        return True  # a highlighter's gutter: numbers beside the code, not words or code
    return el.get("hidden") is not None or bool(
        re.search(r"display\s*:\s*none|visibility\s*:\s*hidden", el.get("style") or "")
    )


def visible_text(root: Any, formulas: list[str] | None = None) -> str:
    """The page's text as a browser shows it (block boundaries as spaces); with ``formulas``,
    the text of each shown ``<math>`` goes there instead."""
    parts: list[str] = []
    skip = 0
    hidden: list[bool] = []
    for event, el in etree.iterwalk(root, events=("start", "end")):
        if event == "start":
            h = _hidden_self(el)
            if formulas is not None and el.tag == "math" and not h and not skip:
                tail, el.tail = el.tail, None  # (the formula's own text, not what follows it)
                formulas.append(visible_text(el))
                el.tail = tail
                h = True
            hidden.append(h)
            skip += h
            if not skip:
                if el.tag not in _INLINE:
                    parts.append(" ")
                parts.append(el.text or "")
        else:
            skip -= hidden.pop()
            if not skip:
                if el.tag not in _INLINE:
                    parts.append(" ")
                parts.append(el.tail or "")
    return "".join(parts)


def _hidden_ancestor(el: Any) -> bool:
    while el is not None:
        if _hidden_self(el):
            return True
        el = el.getparent()
    return False


def words(text: str) -> Counter[str]:
    return Counter(unicodedata.normalize("NFKC", w).lower() for w in _WORD.findall(text))


@dataclass
class Page:
    name: str
    html: str
    held_out: bool


@dataclass
class Measure:
    want: Counter[str] = field(default_factory=Counter)
    kept: Counter[str] = field(default_factory=Counter)

    def add(self, kind: str, want: Counter[Any], got: Counter[Any]) -> None:
        self.want[kind] += sum(want.values())
        self.kept[kind] += sum((want & got).values())

    def share(self, kind: str) -> float:
        return self.kept[kind] / self.want[kind] if self.want[kind] else 1.0


KINDS = ("words", "links", "images", "cells", "code")


def _layout(table: Any) -> bool:
    """A table that lays out a page (a browser shows no grid of data): not counted as cells."""
    cells = [c for c in table.iter("td", "th") if next(c.iterancestors("table")) is table]
    tags = {d.tag for c in cells for d in c.iterdescendants()}
    layout = bool(tags & LAYOUT_CONTENT) or frames_an_article(cells)
    return is_layout_table(
        len(cells), layout, bool(tags & HTML_BLOCK), one_headerless_column(cells)
    )


def _pre_text(pre: Any) -> str:
    """A code block's text as shown: a <br> inside it is a line break, and a block inside it
    (highlighters wrap lines in <p> or <div>) starts and ends a line, a <p> with a blank line,
    where the text has not just broken the line itself (none at the block's edges)."""
    parts: list[str | int] = []  # text, or a number of line breaks a block boundary asks for
    for event, el in etree.iterwalk(pre, events=("start", "end")):
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        block = el is not pre and (tag in BLOCKS or tag in BLOCKISH)
        if event == "start":
            if tag == "br":
                parts.append("\n")
            if block:
                parts.append(2 if tag == "p" else 1)
            parts.append(el.text or "")
        elif el is not pre:
            if block:
                parts.append(2 if tag == "p" else 1)
            parts.append(el.tail or "")
    out: list[str] = []
    breaks = 0
    for part in parts:
        if isinstance(part, int):
            breaks = max(breaks, part)
        elif part:
            if breaks and out:
                done = len(out[-1]) - len(out[-1].rstrip("\n"))
                if breaks > done:
                    out.append("\n" * (breaks - done))
            breaks = 0
            out.append(part)
    return "".join(out)


_URL_EDGE = "".join(map(chr, range(0x21)))  # C0 controls and space, stripped by a browser


def _unsafe_url(url: str) -> bool:
    """A script-running link target (javascript:, vbscript:, data:), as a browser reads the
    scheme: a safe converter must not write it (it keeps the text and reports the drop), so it
    is not counted as a link to keep, like a data: image."""
    scheme = re.sub(r"[\t\n\r]", "", url).lstrip(_URL_EDGE).lower()
    return scheme.startswith(("javascript:", "vbscript:", "data:"))


def _drawn(el: Any) -> bool:
    """Is this image or drawing shown (``visible_text`` leaves an ``<svg>`` out as text)?"""
    parent = el.getparent()
    own = el.get("hidden") is not None or re.search(
        r"display\s*:\s*none|visibility\s*:\s*hidden", el.get("style") or ""
    )
    return not own and (parent is None or not _hidden_ancestor(parent))


def _image_sources(img: Any) -> list[str]:
    """Where an ``<img>`` may be shown from: its ``src``, then a lazy loader's real source
    (``data-src``, ``data-original``..., a srcset's first), which a browser shows once the
    page's script runs: an image counts as kept when the Markdown has any of them."""
    out = []
    for name in ("src", *LAZY_SRC_ATTRS, *LAZY_SRCSET_ATTRS, "srcset"):
        value = (img.get(name) or "").strip()
        if name.endswith("srcset") and value:
            value = value.split(",")[0].strip().split(" ")[0]
        if value and not value.startswith("data:"):
            out.append(href(value))
    return out


def page_features(root: Any, found: Counter[Any] | None = None) -> dict[str, Counter[Any]]:
    """What a reader sees of a page; ``found``: the images of its Markdown (an image of the
    page is counted by the source of it that the Markdown has, if any)."""

    def shown(el: Any) -> bool:
        return not _hidden_ancestor(el)

    links = Counter(
        href(a.get("href", ""))
        for a in root.iter("a")
        if a.get("href") is not None
        and not _unsafe_url(a.get("href", ""))
        and shown(a)
        # (what it shows: text, or an image or a drawing; not an <svg>'s <style> or <title>;
        # nor a heading's permalink icon, shown on hover only)
        and (
            visible_text(a).strip()
            or (any(_drawn(x) for x in a.iter("img", "svg")) and not is_heading_permalink(a))
        )
    )
    images: Counter[str] = Counter()
    left = Counter(found or ())
    for img in root.iter("img"):
        sources = _image_sources(img) if shown(img) else []
        if sources:
            chosen = next((u for u in sources if left[u] > 0), sources[0])
            left[chosen] -= 1
            images[chosen] += 1
    data_tables = {t for t in root.iter("table") if not _layout(t)}
    # a cell's text as shown: hidden parts left out, a <br> or a block inside it a space
    cells = Counter(
        text
        for c in root.iter("td", "th")
        if shown(c)
        and next(c.iterancestors("table"), None) in data_tables
        and (text := _WS.sub(" ", visible_text(c)).strip())
    )
    code = Counter(
        _pre_text(p).strip("\n") for p in root.iter("pre") if shown(p) and p.text_content().strip()
    )
    formulas: list[str] = []
    text = visible_text(root, formulas)
    return {
        "words": words(text),
        "formula": Counter(ch for f in formulas for w in words(f).elements() for ch in w),
        "links": links,
        "images": images,
        "cells": cells,
        "code": code,
    }


def _timed(convert: Callable[[str], str], html: str) -> tuple[str | None, float]:
    """(the Markdown, or None if it crashed; the CPU seconds it took, children included)."""
    t0 = time.process_time()
    c0 = os.times()
    try:
        md: str | None = convert(html)
    except Exception:
        md = None
    c1 = os.times()
    spent = (
        time.process_time()
        - t0
        + (c1.children_user - c0.children_user)
        + (c1.children_system - c0.children_system)
    )
    return md, spent


def article_outputs(
    pages: list[Page], convs: dict[str, Callable[[str], str]], runs_: int
) -> dict[str, tuple[list[str | None], float]]:
    """Per converter: its Markdown of each page (None: crashed) and its CPU seconds over all
    pages, each page's fastest run. The converters take turns on each page, run by run."""
    out: dict[str, tuple[list[str | None], float]] = {name: ([], 0.0) for name in convs}
    for page in pages:
        best: dict[str, float] = {}
        got: dict[str, str | None] = {}
        for run in range(runs_):
            for name, convert in convs.items():
                if name in got and (got[name] is None or (name == "pandoc" and run)):
                    continue  # (a crash is not retried; pandoc, slow, runs once)
                md, spent = _timed(convert, page.html)
                got[name] = md
                best[name] = min(best.get(name, spent), spent)
        for name in convs:
            mds, cpu = out[name]
            mds.append(got[name])
            out[name] = (mds, cpu + best[name])
    return out


def article_run(
    pages: list[Page], outputs: list[str | None], cpu: float
) -> tuple[Measure, Measure, list[tuple[str, float]], float, int]:
    total, held = Measure(), Measure()
    per_page: list[tuple[str, float]] = []
    crashed = 0
    for page, md in zip(pages, outputs, strict=True):
        if md is None:
            crashed += 1
            md = ""
        got_root = parse(render(md))
        got = page_features(got_root)
        want = page_features(parse(page.html), got["images"])
        # A formula is drawn, not written in words (b² over a fraction bar): its letters and
        # digits count, found in what the Markdown has besides the page's other words.
        kept = want["words"] & got["words"]
        written = Counter(ch for w in (got["words"] - kept).elements() for ch in w)
        want["words"] += Counter({"\x00" + ch: n for ch, n in want["formula"].items()})
        got["words"] = kept + Counter({"\x00" + ch: n for ch, n in written.items()})
        m = Measure()
        for kind in KINDS:
            m.add(kind, want[kind], got[kind])
            total.add(kind, want[kind], got[kind])
            if page.held_out:
                held.add(kind, want[kind], got[kind])
        per_page.append((page.name, m.share("words")))
    return total, held, per_page, cpu, crashed


def load_pages(folder: Path) -> list[Page]:
    held: set[str] = set()
    sources = folder / "SOURCES"
    if sources.exists():
        for line in sources.read_text("utf-8").splitlines():
            cols = line.split("\t")
            if len(cols) >= 5 and cols[4].strip() == "held-out":
                held.add(cols[0].strip())
    return [
        Page(p.name, p.read_text("utf-8", errors="replace"), p.name in held)
        for p in sorted(folder.glob("*.html"))
    ]


# ---- main --------------------------------------------------------------------------------------


def converters(only: str | None) -> dict[str, Callable[[str], str]]:
    found: dict[str, Callable[[str], str]] = {"contentkit": html_to_markdown}
    for name, fn in peers().items():
        if isinstance(fn, str):
            print(f"{name}: {fn}", file=sys.stderr)
        else:
            found[name] = fn
    if only:
        wanted = set(only.split(","))
        found = {k: v for k, v in found.items() if k in wanted}
    return found


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--spec", type=Path, default=SPEC)
    ap.add_argument("--articles", type=Path, default=ARTICLES)
    ap.add_argument("--only", choices=("spec", "articles"))
    ap.add_argument("--converters", help="comma-separated (default: contentkit and every peer)")
    ap.add_argument(
        "--runs", type=int, default=3, help="timed runs per article page (fastest kept)"
    )
    ap.add_argument(
        "--failures", metavar="CONVERTER", help="print the spec examples it fails (visual)"
    )
    ap.add_argument("--pages", action="store_true", help="print words kept per page")
    args = ap.parse_args()
    convs = converters(args.converters)

    if args.only != "articles":
        examples = json.loads(args.spec.read_text("utf-8"))
        results = {name: spec_run(examples, fn) for name, fn in convs.items()}
        sections = sorted(
            {e["section"] for e in examples}, key=[e["section"] for e in examples].index
        )
        n = len(examples)
        print(
            f"### CommonMark spec round trip: {n} examples "
            "(HTML -> converter -> Markdown -> markdown-it -> HTML)\n"
        )
        print("| converter | tolerant | visual | crashed |")
        print("|---|---|---|---|")
        for name, r in results.items():
            print(
                f"| {name} | {sum(r.tolerant.values()) / n:.1%} | "
                f"{sum(r.visual.values()) / n:.1%} | {r.crashed} |"
            )
        print("\n#### per section (tolerant / visual)\n")
        print("| section | n | " + " | ".join(results) + " |")
        print("|---|---|" + "---|" * len(results))
        for s in sections:
            cells = [
                f"{r.tolerant[s] / r.total[s]:.0%} / {r.visual[s] / r.total[s]:.0%}"
                for r in results.values()
            ]
            print(f"| {s} | {results[next(iter(results))].total[s]} | " + " | ".join(cells) + " |")
        print()
        if args.failures in results:
            for num, section, source, md in results[args.failures].failures:
                print(f"--- example {num} ({section})\n{source}=> {md!r}\n=> {render(md)!r}")

    if args.only != "spec":
        pages = load_pages(args.articles)
        n_held = sum(p.held_out for p in pages)
        print(
            f"### Articles: {len(pages)} pages from public test suites "
            f"({n_held} held out), {args.articles}\n"
        )
        head = (
            "| converter | words | links (exact href) | images | table cells | code blocks "
            "| lowest page (words) | crashed | CPU ms/page |"
        )
        print(head)
        print("|---" * 9 + "|")
        held_rows = []
        outputs = article_outputs(pages, convs, args.runs)
        for name in convs:
            total, held, per_page, cpu, crashed = article_run(pages, *outputs[name])
            low = min(per_page, key=lambda x: x[1]) if per_page else ("-", 1.0)
            shares = " | ".join(f"{total.share(k):.1%}" for k in KINDS)
            print(
                f"| {name} | {shares} | {low[1]:.1%} ({low[0]}) | {crashed} "
                f"| {1000 * cpu / max(1, len(pages)):.2f} |"
            )
            held_rows.append((name, held))
            if args.pages and name == "contentkit":
                for pname, share in per_page:
                    print(f"|   {pname} | {share:.1%} |")
        if n_held:
            print(f"\n#### held-out pages only ({n_held})\n")
            print("| converter | " + " | ".join(KINDS) + " |")
            print("|---" * (len(KINDS) + 1) + "|")
            for name, held in held_rows:
                print(f"| {name} | " + " | ".join(f"{held.share(k):.1%}" for k in KINDS) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
