"""``contentkit convert``: a post in, a post out (Markdown) or one JSON object per post.

>>> from contentkit import convert_text
>>> print(convert_text("<p><strong>“直播一哥”</strong>李佳琦</p>"), end="")
**“直播一哥”**&#26446;佳琦
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from itertools import islice
from typing import TYPE_CHECKING, Any, Literal

from contentkit.document import BodyKind, Document, read_document
from contentkit.errors import InputError
from contentkit.limits import nesting_message, nesting_too_deep, work_message

if TYPE_CHECKING:
    from markdown_it.token import Token

    from contentkit.links import LinkVerdict

Target = Literal["markdown", "json", "jsonl"]
ProjectLinks = Literal["keep", "clean", "clean-unsafe", "strip"]
TARGETS: tuple[str, ...] = ("markdown", "json", "jsonl")
_NEWLINES = re.compile(r"\r\n|\r|\n")
PROJECT_LINK_MODES: tuple[str, ...] = ("keep", "clean", "clean-unsafe", "strip")

__all__ = ["Conversion", "convert_document", "convert_file", "convert_text"]


@dataclass
class Conversion:
    """One converted post: the Markdown body, what was unwrapped, and the post as written."""

    document: Document
    markdown: str  # the body as Markdown
    front_matter: str  # the front-matter block as it will be written ("" if none)
    verdicts: list[LinkVerdict] = field(default_factory=list)
    unwrapped: list[LinkVerdict] = field(default_factory=list)
    source_html: str = ""  # the body HTML after unwrapping, as converted
    dropped: list[DroppedElement] = field(default_factory=list)  # left out, and where
    warnings: list[str] = field(default_factory=list)  # e.g. a page that came out nearly empty

    def notes(self) -> list[str]:
        """``path:line:column: ...`` lines for stderr: the warnings, then each drop."""
        path = self.document.path
        out = [f"{path}:1:1: warning: {w}" for w in self.warnings]
        for d in self.dropped:
            what = f" ({d.text!r})" if d.text else (f" ({d.target})" if d.target else "")
            out.append(f"{path}:{d.line}:{d.column}: dropped <{d.element}>: {d.reason}{what}")
        return out

    def post(self) -> str:
        """The whole post in Markdown: front matter, a blank line, the body; with the line
        endings of the post throughout (a CR-only or CRLF post stays one, never mixed)."""
        if not self.front_matter:
            text = self.markdown
        else:
            text = self.front_matter.rstrip("\r\n") + "\n\n" + self.markdown
        if "\r" in text or self.document.newline != "\n":
            text = _NEWLINES.sub(self.document.newline, text)
        return text

    def to_json(self) -> dict[str, Any]:
        from contentkit.convert.jsonout import post_object

        return post_object(self)

    def render(self, to: str) -> str:
        if to == "markdown":
            return self.post()
        obj = self.to_json()
        # default=str: front matter may hold values JSON has no type for (YAML !!binary)
        if to == "jsonl":
            return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), default=str) + "\n"
        return json.dumps(obj, ensure_ascii=False, indent=2, default=str) + "\n"


@dataclass(frozen=True)
class DroppedElement:
    """An element the Markdown leaves out: a script, an inline ``data:`` image, a hidden block."""

    element: str
    reason: str
    line: int  # where its start tag is in the post (1-based); 0 if it could not be found
    column: int
    text: str = ""  # the start of the text it held, if a browser would have shown it
    target: str = ""  # its src/href, shortened

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


# The most HTML elements (start tags) of a post that convert converts: time and memory grow
# with them (some 20-60 microseconds and a few kB each, JSON included), and real posts hold a
# few thousand. Past it a post is refused at the first element over the limit.
MAX_ELEMENTS = 50_000
_START_TAG = re.compile(r"<[A-Za-z]")


def too_many_elements(text: str, start: int = 0, limit: int = MAX_ELEMENTS) -> int | None:
    """The offset of the first start tag past ``limit`` of them in ``text[start:]``, or None."""
    if text.count("<", start) <= limit:  # (nearly every post: one count in C)
        return None
    over = next(islice(_START_TAG.finditer(text, start), limit, None), None)
    return None if over is None else over.start()


# Below this share of a page's visible text, a conversion is "nearly nothing": a warning.
NEARLY_EMPTY_SHARE = 0.1
NEARLY_EMPTY_MIN_CHARS = 200  # visible characters a page needs before the share is judged


def _html_to_markdown(
    doc: Document, html: str, to_post: Callable[[int], int] | None
) -> tuple[str, list[DroppedElement], list[str]]:
    """Convert HTML; what was dropped is located in the post by ``to_post`` (None: not)."""
    from contentkit.convert.markdown import converter, locate_tags

    conv = converter()
    markdown = conv.convert(html)
    dropped: list[DroppedElement] = []
    if conv.dropped:
        wanted = {(d.element, d.ordinal) for d in conv.dropped}
        found = locate_tags(html, wanted) if to_post is not None else {}
        for d in conv.dropped:
            at = found.get((d.element, d.ordinal))
            line, column = doc.position(to_post(at)) if to_post and at is not None else (0, 0)
            dropped.append(DroppedElement(d.element, d.reason, line, column, d.text, d.target))
    warnings: list[str] = []
    visible = conv.visible_chars
    if visible >= NEARLY_EMPTY_MIN_CHARS:
        kept = _letters_and_digits(markdown, NEARLY_EMPTY_SHARE * visible)
        if kept < NEARLY_EMPTY_SHARE * visible and kept < NEARLY_EMPTY_SHARE * _shown_letters(
            html, visible
        ):
            warnings.append(
                f"converted to nearly nothing: {kept} letters and digits kept of a page that "
                f"shows about {visible} characters"
            )
    return markdown, dropped, warnings


def _shown_letters(html: str, visible: int) -> int:
    """About how many of the ``visible`` characters a page shows are letters and digits, read
    again only for a page whose Markdown kept few: a page of ASCII art or of brackets shows
    few, and its faithful Markdown is no loss. The share is taken from the scorer's reading of
    the page; where that sees too little to tell (the text was in a form control's value,
    shown but not convertible), every character counts."""
    from contentkit.convert.fidelity import features, parse_html

    text = features(parse_html(html)).text  # (its spaces collapsed to one)
    seen = len(text) - text.count(" ")
    if seen < NEARLY_EMPTY_MIN_CHARS:
        return visible
    return visible * _letters_and_digits(text, seen) // seen


def _letters_and_digits(text: str, enough: float) -> int:
    """The letters and digits of ``text``, counted until there are ``enough`` (a chunk at a
    time, in C: nearly every page has enough in its first chunk)."""
    kept = 0
    for at in range(0, len(text), 8192):
        kept += sum(map(str.isalnum, text[at : at + 8192]))
        if kept >= enough:
            break
    return kept


def _verdicts(doc: Document, options: Mapping[str, Any] | None) -> list[LinkVerdict]:
    # Imported here: `contentkit lint` loads this package (for the convert command's options)
    # and should not pay for the link judge's import unless it judges links.
    from contentkit.links import DEFAULT_OPTIONS, judge_links

    if options is None:
        options = DEFAULT_OPTIONS
    try:
        return judge_links(doc, options)
    except NotImplementedError:  # judgement not installed: every link is kept as written
        return []


def links_to_unwrap(
    doc: Document, project_links: str, options: Mapping[str, Any] | None
) -> tuple[list[LinkVerdict], list[LinkVerdict]]:
    """(every judged link, the ones to unwrap): the one place convert asks for verdicts."""
    if project_links == "keep":
        return [], []
    verdicts = _verdicts(doc, options)
    if project_links == "strip":
        return verdicts, [v for v in verdicts if v.is_project_link]
    # clean: only auto-inserted anchors are cleaned: an author's own link stays, even a broken
    # one (the converter still drops unsafe targets). clean unwraps what `lint --fix` would,
    # clean-unsafe what `lint --fix --unsafe-fixes` would; neither an uncertain link.
    fixes = ("safe",) if project_links == "clean" else ("safe", "unsafe")
    return verdicts, [
        v
        for v in verdicts
        if v.is_project_link and v.verdict in ("spurious", "broken") and v.fix in fixes
    ]


def _unwrap(text: str, start: int, links: list[LinkVerdict]) -> str:
    """Delete the tags of ``links`` from ``text[start:]`` (the contract of contentkit.links)."""
    cuts = sorted([(v.start, v.open_end) for v in links] + [(v.close_start, v.end) for v in links])
    out: list[str] = []
    pos = start
    for a, b in cuts:
        if a < pos:
            continue
        out.append(text[pos:a])
        pos = b
    out.append(text[pos:])
    return "".join(out)


def _front_matter(doc: Document, normalize_dates: bool) -> str:
    fm = doc.front_matter
    if fm is None:
        return ""
    block = doc.text[fm.start : fm.end]
    if not normalize_dates or fm.error is not None:
        return block
    # The same rewrite as `lint --fix` for non-iso-date, so both write the same dates.
    from contentkit_rules.front_matter import NonIsoDate

    from contentkit.config import Settings
    from contentkit.engine import apply_edits
    from contentkit.rule import RuleContext

    ctx = RuleContext(options=dict(NonIsoDate.options), settings=Settings(root=os.getcwd()))  # type: ignore[arg-type]
    fixes = [d.fix for d in NonIsoDate().check(doc, ctx) if d.fix is not None]
    fixed, _ = apply_edits(doc.text, fixes)
    return fixed[fm.start : fm.end + (len(fixed) - len(doc.text))]


def convert_document(
    doc: Document,
    *,
    project_links: str = "clean",
    normalize_dates: bool = False,
    link_options: Mapping[str, Any] | None = None,  # None: contentkit.links.DEFAULT_OPTIONS
) -> Conversion:
    """Convert a parsed post. HTML bodies become Markdown; Markdown bodies pass through."""

    if project_links not in PROJECT_LINK_MODES:
        raise ValueError(f"project_links must be one of {PROJECT_LINK_MODES}")
    if doc.front_matter is None and os.path.isfile(doc.path):
        # (as lint reads it: Hexo's block without its opening ---, on a Hexo site)
        from contentkit.engine import read_as_the_site_does
        from contentkit.site import find_site

        read_as_the_site_does(doc, find_site(os.path.dirname(os.path.abspath(doc.path))))
    fm = doc.front_matter
    if fm is not None and not fm.terminated:
        # Everything after the opener would pass through as "front matter", unconverted.
        line, column = doc.position(fm.start)
        raise ConvertError(
            "front matter opened here is never closed; not converted", doc.path, line, column
        )
    if fm is not None and fm.error is not None and "<" not in doc.text[fm.start : fm.end]:
        # Front matter lint refuses (a custom or Python tag, an alias bomb) is refused here too,
        # with lint's message: never a record with empty metadata, nor the block copied raw.
        line, column = doc.position(fm.error.offset)
        raise ConvertError(f"{fm.error.message}; not converted", doc.path, line, column)
    too_deep = nesting_too_deep(doc.text, doc.body_start)
    if too_deep is not None:
        # Checked before any tree walk (the converter's walk recurses once per level).
        line, column = doc.position(too_deep)
        raise ConvertError(nesting_message(), doc.path, line, column)
    if doc.body_too_complex:
        # Over the reading budget lint reports (MD002/HT107): refused with its message, never
        # copied through unread nor read for minutes.
        line, column = doc.position(doc.body_start)
        work, heaviest = doc.body_work
        message = work_message(work, heaviest, doc.body_kind == "markdown", converting=True)
        raise ConvertError(message, doc.path, line, column)
    too_many = too_many_elements(doc.text, doc.body_start)
    if too_many is not None:
        line, column = doc.position(too_many)
        raise ConvertError(
            f"HTML has more than {MAX_ELEMENTS:,} elements (the most convert converts in a "
            "post); not converted",
            doc.path,
            line,
            column,
        )
    if fm is not None and fm.error is not None and "<" in doc.text[fm.start : fm.end]:
        # A block we cannot read that holds markup is not copied raw: it is converted as body.
        doc = dataclasses.replace(doc, front_matter=None, body_start=0, body_kind="markdown")
    front = _front_matter(doc, normalize_dates)
    verdicts, unwrapped = links_to_unwrap(doc, project_links, link_options)
    body = _unwrap(doc.text, doc.body_start, unwrapped) if unwrapped else doc.body
    if not doc.starts_with_html:
        # A Markdown body is already Markdown: only the judged links are unwrapped, unless it
        # carries raw HTML, which never reaches the output: then the body is rendered by the
        # CommonMark reader and converted back like any HTML.
        markdown = body.lstrip("\r\n")
        if "<" in markdown:
            from contentkit.convert.jsonout import check_markdown_work
            from contentkit.markdown import parser

            # (it is read to find raw HTML: past the budget, reading it would take minutes)
            check_markdown_work(markdown, doc, "to find its raw HTML")

            # One parse serves both the check and the rendering (md.render(src, env) is
            # md.renderer.render(md.parse(src, env), md.options, env)).
            md = parser()
            env: dict[str, Any] = {}
            tokens = md.parse(markdown, env)
            if _has_raw_html(tokens):
                # (positions are the rendering's, not the post's: drops are listed, not located)
                markdown, dropped, warnings = _html_to_markdown(
                    doc, md.renderer.render(tokens, md.options, env), None
                )
                return Conversion(
                    doc, markdown, front, verdicts, unwrapped, body, dropped, warnings
                )
        return Conversion(doc, markdown, front, verdicts, unwrapped, body)
    if unwrapped:
        to_post = _post_offset(doc, unwrapped)
    else:
        start = doc.body_start
        to_post = lambda offset: start + offset  # noqa: E731
    markdown, dropped, warnings = _html_to_markdown(doc, body, to_post)
    return Conversion(doc, markdown, front, verdicts, unwrapped, body, dropped, warnings)


def _post_offset(doc: Document, links: list[LinkVerdict]) -> Callable[[int], int]:
    """Map an offset in the unwrapped body back to the post (the tags cut out added back)."""
    cuts = sorted([(v.start, v.open_end) for v in links] + [(v.close_start, v.end) for v in links])

    def to_post(offset: int) -> int:
        pos = doc.body_start + offset
        for a, b in cuts:
            if a < doc.body_start:
                continue
            if a > pos:
                break
            pos += b - a
        return pos

    return to_post


def _has_raw_html(tokens: list[Token]) -> bool:
    for tok in tokens:
        if tok.type == "html_block":
            return True
        if any(c.type == "html_inline" for c in tok.children or ()):
            return True
    return False


def convert_text(
    text: str,
    *,
    path: str = "<stdin>",
    to: str = "markdown",
    project_links: str = "clean",
    normalize_dates: bool = False,
    body_kind: BodyKind | None = None,
) -> str:
    """Convert a post (or a bare HTML fragment) given as text; returns the output text.

    The body is HTML when it starts with a tag or ``path`` ends in ``.html``; pass
    ``body_kind="html"`` to convert a fragment that starts with text.
    """
    if to not in TARGETS:
        raise ValueError(f"to must be one of {TARGETS}")
    doc = Document.from_text(text, path, body_kind=body_kind)
    conv = convert_document(doc, project_links=project_links, normalize_dates=normalize_dates)
    return conv.render(to)


def convert_file(
    path: str | os.PathLike[str],
    *,
    to: str = "markdown",
    project_links: str = "clean",
    normalize_dates: bool = False,
    encoding: str | None = None,
) -> str:
    """Convert the post at ``path``; returns the output text (nothing is written)."""
    if to not in TARGETS:
        raise ValueError(f"to must be one of {TARGETS}")
    doc = read_document(path, encoding=encoding)
    conv = convert_document(doc, project_links=project_links, normalize_dates=normalize_dates)
    return conv.render(to)


def iso_date(value: Any) -> str | None:
    """A front-matter date as ISO 8601 (the non-iso-date rule's parser), or None."""
    from contentkit_rules.front_matter import iso, parse_date

    if isinstance(value, dt.date):
        return iso(value)
    if isinstance(value, str) and value.strip():
        try:
            return iso(dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00")))
        except ValueError:
            parsed, _ = parse_date(value)
            return iso(parsed) if parsed is not None else None
    return None


class ConvertError(InputError):
    """A post that cannot be converted, or an output that must not be written."""
