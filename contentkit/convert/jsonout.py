"""The JSON object of a converted post, and its JSON Schema (``contentkit schema``).

Blocks, plain text, links and images are read back from our own Markdown with the CommonMark
reader, so the JSON describes exactly what a reader of the Markdown sees.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from html import unescape as html_unescape
from importlib import resources
from typing import TYPE_CHECKING, Any

from markdown_it.token import Token

from contentkit.front_matter import to_json_compatible
from contentkit.limits import MAX_BODY_WORK, body_work
from contentkit.markdown import parser

if TYPE_CHECKING:
    from contentkit.convert import Conversion
    from contentkit.document import Document

SCHEMA_VERSION = 1
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_WORD = re.compile(r"[A-Za-z0-9]+(?:['’.-][A-Za-z0-9]+)*")
# A word of a script written with spaces between words (Latin, Cyrillic, Greek, Arabic,
# Hebrew, Devanagari, Hangul...): a run of non-spaces holding a letter or digit that is no
# Chinese or Japanese character (those are counted one by one, as cjk_characters).
_SPACED_LETTER = re.compile(r"[^\W_\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _spaced_words(text: str) -> int:
    # (one search per run of non-spaces: linear, where a pattern for the whole run would try
    # every start in a long run of punctuation)
    search = _SPACED_LETTER.search
    return sum(1 for run in text.split() if search(run))


_DATE_KEYS = ("date", "updated", "lastmod", "publishDate", "expiryDate")


def check_markdown_work(markdown: str, doc: Document, purpose: str, instead: str = "") -> None:
    """Refuse (ConvertError at the body's start) Markdown too heavy for markdown-it to read.

    The JSON's blocks, text and links are read back from the Markdown by markdown-it: the same
    reading budget as lint's (contentkit.limits) applies to what convert wrote."""
    work, heaviest = body_work(markdown, 0, markdown=True)
    if work > MAX_BODY_WORK:
        from contentkit.convert import ConvertError

        line, column = doc.position(doc.body_start)
        raise ConvertError(
            f"reading its Markdown {purpose} would take some {work / 1e6:.1f} s (most of it "
            f"its {heaviest}), over the {MAX_BODY_WORK / 1e6:g} s that contentkit spends on one "
            f"body; not converted{instead}",
            doc.path,
            line,
            column,
        )


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    data = resources.files("contentkit").joinpath("schemas/convert.schema.json").read_text("utf-8")
    result: dict[str, Any] = json.loads(data)
    return result


def _inline_text(tok: Token) -> str:
    parts: list[str] = []
    for child in tok.children or ():
        if child.type in ("text", "code_inline", "text_special"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n" if child.type == "hardbreak" else " ")
        elif child.type == "image":
            parts.append("")
    text = "".join(parts)
    # A run of spaces shows as one, as a browser collapses it (the Markdown keeps the run the
    # page's nested tags left: "ab   c" shows "ab c"); a no-break space is kept.
    return _SPACE_RUN.sub(" ", text) if "  " in text else text


_SPACE_RUN = re.compile(r"[ \t]{2,}")


_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.I | re.S)


def _page_title(html: str) -> str | None:
    """A page's ``<title>`` (before its body: an ``<svg>``'s title names a drawing), where it
    has no level-one heading: a sidebar's ``<h3>`` at the end of the page was taken instead."""
    found = _TITLE.search(html, 0, 65536)
    if found is None:
        return None
    low = html[: found.start()].lower()
    if "<body" in low or "<svg" in low:
        return None
    text = " ".join(html_unescape(found.group(1)).split())
    return text or None


def _images_alone(kids: list[Token]) -> list[dict[str, Any]] | None:
    """The image blocks of a paragraph that holds only images, each maybe inside a link of its
    own (``[![A](a.jpg)](/wiki/File:A.jpg)``: its ``href`` kept); None for any other."""
    out: list[dict[str, Any]] = []
    i = 0
    while i < len(kids):
        href = None
        if kids[i].type == "link_open" and i + 2 < len(kids) and kids[i + 2].type == "link_close":
            href = str(kids[i].attrs.get("href", ""))
            i += 1
        image = kids[i]
        if image.type != "image":
            return None
        block: dict[str, Any] = {"type": "image", "src": str(image.attrs.get("src", ""))}
        block["alt"] = image.content
        if href is not None:
            block["href"] = href
        out.append(block)
        i += 2 if href is not None else 1
    return out or None


def _collect(tokens: list[Token], i: int, close: str) -> tuple[list[Token], int]:
    """Tokens up to the matching ``close`` token (exclusive), and the index after it."""
    depth = 0
    open_type = close.replace("_close", "_open")
    j = i
    while j < len(tokens):
        t = tokens[j]
        if t.type == open_type:
            depth += 1
        elif t.type == close:
            depth -= 1
            if depth == 0:
                return tokens[i + 1 : j], j + 1
        j += 1
    return tokens[i + 1 :], len(tokens)


def _text_of(tokens: list[Token]) -> str:
    out: list[str] = []
    for t in tokens:
        if t.type == "inline":
            out.append(_inline_text(t))
        elif t.type in ("fence", "code_block"):
            out.append(t.content.rstrip("\n"))
    return "\n".join(x for x in out if x)


def _items(tokens: list[Token]) -> list[str]:
    items: list[str] = []
    i = 0
    while i < len(tokens):
        if tokens[i].type == "list_item_open":
            inner, i = _collect(tokens, i, "list_item_close")
            items.append(_text_of(inner))
        else:
            i += 1
    return items


def blocks(tokens: list[Token]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if t.type == "heading_open":
            out.append(
                {"type": "heading", "level": int(t.tag[1]), "text": _inline_text(tokens[i + 1])}
            )
            i += 3
        elif t.type == "paragraph_open":
            inline = tokens[i + 1]
            kids = [
                c for c in inline.children or () if not (c.type == "text" and not c.content.strip())
            ]
            kids = [c for c in kids if c.type not in ("softbreak", "hardbreak")]
            images = _images_alone(kids)
            if images is not None:
                out.extend(images)
            else:
                out.append({"type": "paragraph", "text": _inline_text(inline)})
            i += 3
        elif t.type in ("bullet_list_open", "ordered_list_open"):
            inner, i = _collect(tokens, i, t.type.replace("_open", "_close"))
            block: dict[str, Any] = {
                "type": "list",
                "ordered": t.type == "ordered_list_open",
                "items": _items(inner),
            }
            if t.type == "ordered_list_open":
                block["start"] = int(t.attrs.get("start", 1) or 1)
            out.append(block)
        elif t.type == "blockquote_open":
            inner, i = _collect(tokens, i, "blockquote_close")
            out.append({"type": "quote", "text": _text_of(inner)})
        elif t.type == "table_open":
            inner, i = _collect(tokens, i, "table_close")
            header: list[str] = []
            rows: list[list[str]] = []
            row: list[str] = []
            in_head = False
            for x in inner:
                if x.type == "thead_open":
                    in_head = True
                elif x.type == "thead_close":
                    in_head = False
                elif x.type == "tr_open":
                    row = []
                elif x.type == "inline":
                    row.append(_inline_text(x))
                elif x.type == "tr_close":
                    if in_head:
                        header = row
                    else:
                        rows.append(row)
            out.append({"type": "table", "header": header, "rows": rows})
        elif t.type in ("fence", "code_block"):
            out.append(
                {"type": "code", "language": t.info.strip() or None, "text": t.content.rstrip("\n")}
            )
            i += 1
        elif t.type == "hr":
            out.append({"type": "rule"})
            i += 1
        else:
            i += 1
    return out


def _links_and_images(tokens: list[Token]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    links: list[dict[str, Any]] = []
    images: list[dict[str, Any]] = []
    for t in tokens:
        if t.type != "inline":
            continue
        stack: list[tuple[str, list[str]]] = []
        for c in t.children or ():
            if c.type == "link_open":
                stack.append((str(c.attrs.get("href", "")), []))
            elif c.type == "link_close" and stack:
                href, parts = stack.pop()
                links.append({"text": "".join(parts), "href": href})
            elif c.type == "image":
                images.append({"src": str(c.attrs.get("src", "")), "alt": c.content})
            elif c.type in ("text", "code_inline") and stack:
                for _, parts in stack:
                    parts.append(c.content)
    return links, images


def post_object(conv: Conversion) -> dict[str, Any]:
    from contentkit.convert import iso_date

    doc = conv.document
    meta = to_json_compatible(dict(doc.metadata))
    for key in _DATE_KEYS:
        if key in doc.metadata:
            meta[key] = iso_date(doc.metadata[key]) or meta[key]
    check_markdown_work(conv.markdown, doc, "to build the JSON", " (--to markdown does)")
    tokens = parser().parse(conv.markdown)
    body_blocks = blocks(tokens)
    text = "\n\n".join(_block_text(b) for b in body_blocks if _block_text(b))
    links, images = _links_and_images(tokens)
    judged = [
        {
            "text": " ".join(v.text.split()),  # (as shown: an anchor's line breaks are spaces)
            "href": v.href,
            "verdict": v.verdict,
            "reason": v.reason,
            "project_link": v.is_project_link,
            "kept": v not in conv.unwrapped,
        }
        for v in conv.verdicts
    ]
    title = meta.get("title")
    if not isinstance(title, str):
        headings = [b for b in body_blocks if b["type"] == "heading"]
        title = next((b["text"] for b in headings if b["level"] == 1), None)
        title = title or _page_title(conv.source_html) or next((b["text"] for b in headings), None)
    return {
        "schema_version": SCHEMA_VERSION,
        "path": doc.path,
        "title": title,
        "date": iso_date(doc.metadata.get("date")),
        "metadata": meta,
        "markdown": conv.markdown,
        "text": text,
        "blocks": body_blocks,
        "links": links,
        "judged_links": judged,
        "images": images,
        "dropped": [d.to_json() for d in conv.dropped],
        "warnings": list(conv.warnings),
        "counts": {
            "characters": len(text),
            "characters_no_spaces": sum(1 for ch in text if not ch.isspace()),
            "cjk_characters": len(_CJK.findall(text)),
            "latin_words": len(_WORD.findall(text)),
            "words": _spaced_words(text),
            "blocks": len(body_blocks),
            "links": len(links),
            "images": len(images),
            "dropped": len(conv.dropped),
        },
    }


def _block_text(block: dict[str, Any]) -> str:
    kind = block["type"]
    if kind == "list":
        return "\n".join(block["items"])
    if kind == "table":
        rows = ([block["header"]] if any(block["header"]) else []) + block["rows"]
        return "\n".join("\t".join(r) for r in rows)
    if kind in ("image", "rule"):
        return ""
    return str(block.get("text", ""))
