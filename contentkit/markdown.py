"""The one CommonMark reader contentkit trusts (markdown-it-py, CommonMark plus GFM tables and
strikethrough), and the one parse of a post's body that every rule shares.

A Markdown body is read once per document (:func:`read_body`). What a rule needs from it is
kept as offsets into the raw text:

* the HTML islands: HTML blocks and inline HTML, the only places where tags are markup;
* the code regions: fenced and indented code blocks and code spans, which are never HTML,
  never links and never edited;
* the template expressions (``{{ … }}``, ``{% … %}``, ``{# … #}``, Hugo shortcodes
  ``{{< … >}}`` and ``{{% … %}}``), opaque for the same reasons;
* each inline run's source (a paragraph, heading or table cell, container prefixes removed)
  with the way back from its characters to the raw text.

Every step is linear in the input: markdown-it is, and no region is searched for twice.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from contentkit.limits import MAX_BODY_WORK, body_work
from contentkit.limits import markdown_work as markdown_work  # (its home was here)

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_inline import StateInline
    from markdown_it.token import Token

Span = tuple[int, int]

_POSITIONED = ("backticks", "html_inline")


def _keep_span(rule: Callable[[StateInline, bool], bool]) -> Callable[[StateInline, bool], bool]:
    """``rule`` that also writes the source span of the token it makes into ``token.meta``:
    markdown-it's inline tokens carry no position, and a rule needs to know where a code span
    or a tag is in the file."""

    def positioned(state: StateInline, silent: bool) -> bool:
        start, count = state.pos, len(state.tokens)
        found = rule(state, silent)
        if found and not silent and len(state.tokens) > count:
            state.tokens[-1].meta["span"] = (start, state.pos)
        return found

    return positioned


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    # Imported here: a warm (cached) run imports this module but parses nothing.
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    for name in _POSITIONED:
        rules = md.inline.ruler.__rules__
        original = next(r.fn for r in rules if r.name == name)
        md.inline.ruler.at(name, _keep_span(original))
    return md


@dataclass
class InlineSource:
    """The source markdown-it gives one inline run, and where each of its lines is in the file."""

    token: Token
    content: str
    line_starts: list[int]  # offset in ``content`` of each of its lines
    raw_starts: list[int]  # offset in the raw text of the same character

    def raw(self, i: int) -> int:
        """Offset in the raw text of ``content[i]`` (``i == len(content)``: just past it)."""
        k = bisect.bisect_right(self.line_starts, i) - 1
        return self.raw_starts[k] + i - self.line_starts[k]

    def raw_span(self, start: int, end: int) -> Span:
        return self.raw(start), (self.raw(end - 1) + 1 if end > start else self.raw(start))

    def spans(self, kind: str) -> Iterator[tuple[Token, int, int]]:
        """(token, start, end) in ``content`` of each top-level child of type ``kind``."""
        for child in self.token.children or ():
            if child.type == kind:
                span = child.meta.get("span")
                if span is not None:
                    yield child, span[0], span[1]


@dataclass
class BodyParse:
    """One Markdown body as a CommonMark reader sees it; every span is sorted and in raw offsets."""

    tokens: list[Token]
    html_blocks: list[Span] = field(default_factory=list)
    html_inline: list[Span] = field(default_factory=list)
    code: list[Span] = field(default_factory=list)
    inlines: list[InlineSource] = field(default_factory=list)
    # The body was not read: reading it would cost more than MAX_MARKDOWN_WORK (see below).
    work: int = 0
    heaviest: str = ""  # what weighs most in ``work`` ("4,000,000 line ends")
    skipped: bool = False
    # Read without markdown-it: every block is an HTML block (a feed's raw-HTML body).
    all_html: bool = False

    @property
    def html_only(self) -> bool:
        """Whether the body is nothing but HTML blocks (a feed post's raw-HTML body)."""
        return self.all_html or (
            bool(self.html_blocks)
            and all(t.type == "html_block" for t in self.tokens if t.level == 0)
        )


_CODE_BLOCKS = frozenset({"fence", "code_block"})


# The reading budget (see contentkit.limits): a body that would cost more is not read, and the
# rule markdown-too-complex (MD002) says so.
MAX_MARKDOWN_WORK = MAX_BODY_WORK


def read_body(text: str, body_start: int, line_starts: Sequence[int]) -> BodyParse:
    """Parse ``text[body_start:]`` once; ``line_starts`` are the raw text's line offsets."""
    work, heaviest = body_work(text, body_start, markdown=True)
    if work > MAX_MARKDOWN_WORK:
        return BodyParse([], work=work, heaviest=heaviest, skipped=True)
    if text.startswith("<", body_start) or text[body_start : body_start + 4].lstrip().startswith(
        "<"
    ):
        blocks = _html_blocks_only(text, body_start, line_starts)
        if blocks is not None:
            return BodyParse([], html_blocks=blocks, all_html=True)
    tokens = parser().parse(text[body_start:])
    parse = BodyParse(tokens)
    first = bisect.bisect_right(line_starts, body_start) - 1  # 0-based line of the body
    n_lines, end_of_text = len(line_starts), len(text)

    def line_offset(body_line: int) -> int:
        line = first + body_line
        if line == first:
            return body_start
        return line_starts[line] if line < n_lines else end_of_text

    # Table cells share their row's line: the next cell is searched for after the previous.
    cell_cursor: dict[int, int] = {}
    previous: Token | None = None
    for tok in tokens:
        kind = tok.type
        if kind in _CODE_BLOCKS or kind == "html_block":
            if tok.map:
                span = (line_offset(tok.map[0]), line_offset(tok.map[1]))
                (parse.code if kind in _CODE_BLOCKS else parse.html_blocks).append(span)
        elif kind == "inline" and tok.map and tok.content:
            in_cell = previous is not None and previous.type in ("th_open", "td_open")
            source = _locate(tok, first, text, line_starts, cell_cursor if in_cell else None)
            if source is not None:
                parse.inlines.append(source)
                for _, s, e in source.spans("code_inline"):
                    parse.code.append(source.raw_span(s, e))
                for _, s, e in source.spans("html_inline"):
                    parse.html_inline.append(source.raw_span(s, e))
        previous = tok
    parse.code.sort()
    return parse


# A start tag's opening as written: ``<name`` then what may follow a tag name.
_OPENER = re.compile(r"(?<!\\)<([A-Za-z][A-Za-z0-9-]*)(?=[\s/>])")


def unread_start_tags(text: str, body_start: int, parse: BodyParse) -> dict[str, list[int]]:
    """Offsets, by lower-case name, of each ``<name`` in a Markdown body's text (not in code)
    that CommonMark did not read as HTML: ``<button @click="go">`` (``@click`` is no attribute
    name to CommonMark), or an opening tag split over lines in a paragraph. Its end tag,
    which CommonMark does read as HTML, closes an element the author did write."""
    if parse.skipped:
        return {}  # not read (markdown-too-complex): no tag of it is looked at
    read = merge([*parse.code, *parse.html_blocks, *parse.html_inline])
    found: dict[str, list[int]] = {}
    pos, k = body_start, 0
    while (m := _OPENER.search(text, pos)) is not None:
        at = m.start()
        while k < len(read) and read[k][1] <= at:
            k += 1
        if k < len(read) and read[k][0] <= at:
            pos = read[k][1]  # read as HTML or code: on past the whole span (a feed's body is one)
            continue
        found.setdefault(m.group(1).lower(), []).append(at)
        pos = m.end()
    return found


def _html_blocks_only(text: str, body_start: int, line_starts: Sequence[int]) -> list[Span] | None:
    """The HTML blocks of a body that is nothing else, as markdown-it would find them (its own
    start and end conditions, CommonMark 4.6), or None as soon as a block is anything else.

    A feed post's body is one run of HTML blocks: read this way it costs a search per block,
    not a whole CommonMark parse."""
    from markdown_it.rules_block.html_block import HTML_SEQUENCES

    end_of_text = len(text)
    blocks: list[Span] = []
    pos = body_start
    while True:
        m = _NONBLANK.search(text, pos)  # the first line of the next block
        if m is None:
            return blocks
        start = m.start()
        lead = m.end() - start
        if lead > 3 or "\t" in text[start : m.end()]:
            return None  # an indented code block (or a tab markdown-it would expand)
        line_end = text.find("\n", start)
        line_end = end_of_text if line_end < 0 else line_end
        rest = text[m.end() : line_end].rstrip("\r")
        closer = next((c for o, c, _ in HTML_SEQUENCES if o.search(rest)), None)
        if closer is None:
            return None  # a paragraph, a heading, a list…: Markdown, read by markdown-it
        if closer.pattern == "^$":  # ends before the next blank line
            blank = _BLANK_LINE.search(text, line_end)
            end = end_of_text if blank is None else blank.start() + 1
        else:  # ends on the line holding its closer
            found = closer.search(text, start)
            if found is None:
                end = end_of_text
            else:
                after = text.find("\n", found.start())  # (no closer holds a line end)
                end = end_of_text if after < 0 else after + 1
        blocks.append((start, end))
        pos = end
        if pos >= end_of_text:
            return blocks


# The start of a line that is not blank, its indentation matched; a blank line after a line end.
_NONBLANK = re.compile(r"(?m)^[ \t]*(?=[^\s])")
_BLANK_LINE = re.compile(r"\n[ \t]*(?:\r?\n|\r|\Z)")


def _locate(
    tok: Token,
    first: int,
    text: str,
    line_starts: Sequence[int],
    cell_cursor: dict[int, int] | None,
) -> InlineSource | None:
    """Where each line of an inline run's source is in the raw text, or None if one is not
    found (a tab that markdown-it expanded into spaces): the run is then skipped, never
    misplaced.

    markdown-it writes line k of the run as line k of its block, container prefixes and leading
    spaces removed, so each line is looked for in one source line only: linear.
    """
    content = tok.content
    assert tok.map is not None
    line = first + tok.map[0]
    n_lines = len(line_starts)
    line_begins: list[int] = []
    raw_begins: list[int] = []
    at = 0
    for piece in content.split("\n"):
        if line >= n_lines:
            return None
        start = line_starts[line]
        end = line_starts[line + 1] if line + 1 < n_lines else len(text)
        while end > start and text[end - 1] in "\r\n":
            end -= 1
        stripped = piece.strip()
        lead = len(piece) - len(piece.lstrip())
        if not stripped:
            found = start + lead
        elif cell_cursor is not None:
            found = text.find(stripped, cell_cursor.get(line, start), end)
            if found >= 0:
                cell_cursor[line] = found + len(stripped)
        else:
            # The line's text ends the source line (trailing spaces aside): the last match.
            found = text.rfind(stripped, start, end)
        if found < 0:
            return None
        line_begins.append(at)
        raw_begins.append(found - lead)
        at += len(piece) + 1
        line += 1
    return InlineSource(tok, content, line_begins, raw_begins)


# ---- template expressions ---------------------------------------------------------------------

# Opener -> closer, longest openers first: ``{{<`` is a shortcode, not ``{{`` then ``<``.
_TEMPLATE_DELIMITERS = (
    ("{{<", ">}}"),
    ("{{%", "%}}"),
    ("{{", "}}"),
    ("{%", "%}"),
    ("{#", "#}"),
)
# A template tag is short: an opener whose closer is further away than this is not one (a
# ``{{`` in prose, a ``{#id}`` heading attribute), and the text between stays text.
_TEMPLATE_MAX = 2000


# kramdown's comment extension (the Markdown reader of Jekyll, https://kramdown.gettalong.org/
# syntax.html#extensions): its body is never shown, and ``{:/}`` ends any extension.
_KRAMDOWN_COMMENT = re.compile(r"\{::comment\s*(/?)\}")
_KRAMDOWN_END = re.compile(r"\{:/(?:comment)?\}")


def _kramdown_comments(text: str, start: int) -> dict[int, int]:
    """Where each kramdown comment starts -> where it ends (past its end tag): one pass."""
    found: dict[int, int] = {}
    pos = start
    while (m := _KRAMDOWN_COMMENT.search(text, pos)) is not None:
        if m.group(1):  # ``{::comment /}``: empty
            found[m.start()] = pos = m.end()
            continue
        end = _KRAMDOWN_END.search(text, m.end())
        if end is None:
            break  # (no later comment is closed either: the text is left as it is)
        found[m.start()] = pos = end.end()
    return found


def template_spans(text: str, start: int = 0) -> list[Span]:
    """Sorted, non-overlapping spans of the template expressions in ``text[start:]``.

    Linear: each kind of closer is searched for once per closer found (the next one is
    remembered), never again from every opener.
    """
    if "{" not in text:
        return []
    spans: list[Span] = []
    next_closer: dict[str, int] = {}
    comments = _kramdown_comments(text, start) if "{::" in text else {}
    pos = text.find("{", start)
    while pos >= 0:
        if pos in comments:
            spans.append((pos, comments[pos]))
            pos = text.find("{", comments[pos])
            continue
        for opener, closer in _TEMPLATE_DELIMITERS:
            if not text.startswith(opener, pos):
                continue
            if opener == "{#" and text[pos + 2 : pos + 3] not in (" ", "-", "\n", "\t"):
                continue  # ``{#id}`` is a heading attribute, not a comment
            after = pos + len(opener)
            at = next_closer.get(closer, -2)
            if at < after and at != -1:
                at = text.find(closer, after)
                next_closer[closer] = at
            if at < 0 or at - pos > _TEMPLATE_MAX:
                continue
            end = at + len(closer)
            spans.append((pos, end))
            pos = end - 1
            break
        pos = text.find("{", pos + 1)
    return _join_code_tags(text, spans)


# Template tags whose body the generator never reads as Markdown or HTML: it prints it as code
# (Hexo's ``{% codeblock %}``/``{% code %}``, https://hexo.io/docs/tag-plugins; Liquid's
# ``{% highlight %}``, https://jekyllrb.com/docs/liquid/tags/; Hugo's ``{{< highlight >}}``,
# https://gohugo.io/shortcodes/highlight/) or leaves it out (Liquid's ``{% comment %}``,
# https://shopify.github.io/liquid/tags/template/, which Jekyll and Eleventy read; Hugo's
# ``{{% comment %}}``, https://gohugo.io/shortcodes/comment/), or runs it as a template (Hugo's
# inline shortcodes, ``{{< name.inline >}}``, https://gohugo.io/content-management/shortcodes/
# #inline-shortcodes: their body is Go template code whose output is the page's).
# ``{% raw %}`` is not one: its body is still HTML.
_CODE_TAGS = r"(codeblock|code|highlight|comment|[\w-]+\.inline)"
_CODE_TAG_OPEN = re.compile(r"\{(?:%-?|\{[<%])\s*" + _CODE_TAGS + r"(?=[\s%>-])")
_CODE_TAG_END = re.compile(r"\{(?:%-?\s*end|\{[<%]\s*/\s*)" + _CODE_TAGS + r"\s*(?:-?%|[>%]\})\}")


def _join_code_tags(text: str, spans: list[Span]) -> list[Span]:
    """``spans`` with each code or comment tag, its body and its end tag joined into one span:
    the body is code or nothing, opaque like the tags around it (``List<String>`` in a Hexo
    codeblock is no tag, nor is a ``<b>`` in a Liquid comment)."""
    joined: list[Span] = []
    opening: tuple[int, str] | None = None  # index in ``joined`` and name of an open code tag
    for start, end in spans:
        if opening is not None:
            m = _CODE_TAG_END.match(text, start)
            if m is not None and m.group(1) == opening[1]:
                begin = joined[opening[0]][0]
                del joined[opening[0] :]
                joined.append((begin, end))
                opening = None
                continue
        else:
            m = _CODE_TAG_OPEN.match(text, start)
            # (``{{< time.inline />}}`` calls an inline shortcode defined before: no body.)
            if m is not None and not text.endswith(("/>}}", "/%}}"), start, end):
                opening = (len(joined), m.group(1))
        joined.append((start, end))
    return joined


def blank_out(text: str, spans: list[Span]) -> str:
    """``text`` as a reader sees it once the generator has replaced its template expressions.

    Same length and same line breaks. Expressions alone on their line, at the start of one, or
    an attribute value (after ``=``), become ``x``s: a line stays a line (a blank one would end
    an HTML block), a value a value, and what follows an expression at a line's start stays
    where CommonMark reads it (as spaces, those would indent it into a code block, and its tags
    would go unread: ``{% if %}<div><b>`` then ``</div>`` was "closes no open <div>"). Anywhere
    else (between attributes, ``<li{% if %} class="x"{% endif %}>``; in prose) they become
    spaces.
    """
    # Whether only spaces, or expressions themselves at the line's start, lie between each
    # span and the start of its line.
    line_start = [False] * len(spans)
    for k, (s, _) in enumerate(spans):
        i = s
        while i > 0 and text[i - 1] in " \t":
            i -= 1
        line_start[k] = (
            i == 0
            or text[i - 1] in "\r\n"
            or (k > 0 and spans[k - 1][1] == i and line_start[k - 1])
        )
    out: list[str] = []
    pos = 0
    for k, (s, e) in enumerate(spans):
        out.append(text[pos:s])
        i = s
        while i > 0 and text[i - 1] in " \t":
            i -= 1
        value = i > 0 and text[i - 1] == "="
        out.append(_BLANK.sub("x" if line_start[k] or value else " ", text[s:e]))
        pos = e
    out.append(text[pos:])
    return "".join(out)


_BLANK = re.compile(r"[^\r\n]")


def has_template(value: str) -> bool:
    """Whether an attribute value or URL holds a template expression (it is then no URL)."""
    return "{" in value and bool(template_spans(value))


def inside(spans: list[Span], offset: int) -> bool:
    """Whether ``offset`` falls in one of the sorted, non-overlapping ``spans``."""
    i = bisect.bisect_right(spans, (offset, _END)) - 1
    return i >= 0 and spans[i][0] <= offset < spans[i][1]


def intersects(spans: list[Span], start: int, end: int) -> bool:
    """Whether the edit of ``[start, end)`` changes text inside one of the sorted spans (an
    insertion, ``start == end``, only if it falls strictly inside)."""
    i = bisect.bisect_right(spans, (start, _END)) - 1
    if i >= 0:
        s, e = spans[i]
        if (start < e) if end > start else (s < start < e):
            return True
    return i + 1 < len(spans) and spans[i + 1][0] < end


_END = 1 << 62


def merge(spans: list[Span]) -> list[Span]:
    """Sorted spans with the overlapping ones joined."""
    out: list[Span] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out
