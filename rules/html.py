"""HTML hygiene: markup that runs code, or that browsers repair in ways the author did not mean.

Posts scraped from feeds carry whatever the publisher's CMS emitted. These rules read the
position-keeping tag scan (``doc.html_tags``), never a repaired tree, so they see the markup as
written and point at the tag itself.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from contentkit.diagnostics import Diagnostic, Edit, Fix
from contentkit.document import Document
from contentkit.html_scan import HTML_ELEMENTS, VOID_ELEMENTS, Tag
from contentkit.rule import Rule, RuleContext

# ---- shared analyses --------------------------------------------------------------------------


def markup_tags(doc: Document, ctx: RuleContext) -> list[Tag]:
    """The tags that are markup: those of the HTML islands a CommonMark reader sees (never a
    ``<script>`` shown in a code span or a fence, never one inside a template expression)."""
    return doc.html_tags


def _attr_span(doc: Document, tag: Tag, name: str) -> tuple[int, int]:
    """Offsets of attribute ``name`` inside ``tag`` as written (the whole tag if not found)."""
    source = doc.text[tag.start : tag.end]
    m = re.search(rf"(?<=[\s/]){re.escape(name)}(?=[\s=/>])", source, re.I)
    if m is None:
        return tag.start, tag.end
    return tag.start + m.start(), tag.start + m.end()


@dataclass
class _TagFindings:
    """What script-tag, event-handler-attribute and unsafe-url-scheme find, in one walk over
    the markup tags (each rule walked them on its own before): (start, end, message) in tag
    order, and for unsafe URLs whether the URL is a raster image inlined as ``data:image``."""

    scripts: list[tuple[int, int, str]]
    handlers: list[tuple[int, int, str]]
    urls: list[tuple[int, int, str, bool]]


# The type strings of a script a browser runs (the HTML standard's JavaScript MIME types, and
# "module"); any other type makes a data block, which is neither fetched nor run
# (<script type="application/ld+json">, type="text/plain", a template's type="text/x-template").
_SCRIPT_TYPES = frozenset(
    {
        *("", "module", "text/javascript", "application/javascript", "text/ecmascript"),
        *("application/ecmascript", "application/x-ecmascript", "application/x-javascript"),
        *("text/jscript", "text/livescript", "text/x-ecmascript", "text/x-javascript"),
        *(f"text/javascript1.{n}" for n in range(6)),
    }
)


def _runs(script: Tag) -> bool:
    """Whether a browser runs this ``<script>`` (or fetches its src)."""
    kind = script.attrs.get("type")
    if kind is None:
        language = script.attrs.get("language", "").strip()
        kind = f"text/{language}" if language else ""
    return kind.split(";", 1)[0].strip().lower() in _SCRIPT_TYPES


def _tag_findings(doc: Document, ctx: RuleContext) -> _TagFindings:
    def build() -> _TagFindings:
        found = _TagFindings([], [], [])
        for tag in markup_tags(doc, ctx):
            if tag.is_end:
                continue
            if tag.name == "script" and _runs(tag):
                src = tag.attrs.get("src")
                what = f"loads {src!r}" if src else "runs inline code"
                found.scripts.append((tag.start, tag.end, f"<script> in a post {what}"))
            if not tag.attr_names:
                continue
            for name in dict.fromkeys(tag.attr_names):
                if name[:2] == "on" and _EVENT_ATTR.match(name):
                    start, end = _attr_span(doc, tag, name)
                    message = f"event-handler attribute {name} on <{tag.name}>"
                    found.handlers.append((start, end, message))
            for name, value in tag.attrs.items():
                if name not in URL_ATTRIBUTES and name != "srcset":
                    continue
                scheme = unsafe_scheme(value)
                if scheme is None:
                    continue
                image = (
                    scheme == "data"
                    and tag.name in {"img", "source"}
                    and name in {"src", "srcset"}
                    and _SAFE_DATA_IMAGE.match(_SCHEME_NOISE.sub("", value)) is not None
                )
                start, end = _attr_span(doc, tag, name)
                message = f"{scheme}: URL in {name} of <{tag.name}>"
                found.urls.append((start, end, message, image))
        return found

    findings: _TagFindings = ctx.memo("html.tag_findings", build)
    return findings


# ---- rules ------------------------------------------------------------------------------------


class ScriptTag(Rule):
    """A ``<script>`` element in a post body.

    A post is content: a script in it runs with the site's privileges on every page that shows
    the post (a stored XSS when the post came from a feed). Embeds that need a script belong in
    the site's theme, not in the text.

    Fail::

        ---
        title: Hello
        ---
        <p>Hi</p><script>alert(1)</script>

    Pass::

        ---
        title: Hello
        ---
        <p>Hi</p>
    """

    code = "HT101"
    name = "script-tag"
    summary = "A <script> element in a post"

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Diagnostic]:
        for start, end, message in _tag_findings(doc, ctx).scripts:
            yield self.diagnostic(doc, start, end, message)


_EVENT_ATTR = re.compile(r"^on[a-z]{3,}$")


class EventHandlerAttribute(Rule):
    """An event-handler attribute (``onclick``, ``onerror``, ``onload``…) on an element.

    Each one is a script: ``<img src=x onerror=...>`` is the classic way to smuggle code into
    a post that has no ``<script>`` tag.

    Fail::

        ---
        title: Hello
        ---
        <img src="a.png" onerror="alert(1)">

    Pass::

        ---
        title: Hello
        ---
        <img src="a.png" alt="A">
    """

    code = "HT102"
    name = "event-handler-attribute"
    summary = "An on* event-handler attribute"

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Diagnostic]:
        for start, end, message in _tag_findings(doc, ctx).handlers:
            yield self.diagnostic(doc, start, end, message)


# Attributes whose value the browser follows or loads as a URL.
URL_ATTRIBUTES = frozenset(
    {
        "href",
        "src",
        "action",
        "formaction",
        "poster",
        "background",
        "cite",
        "data",
        "xlink:href",
        "lowsrc",
        "dynsrc",
        "longdesc",
        "manifest",
        "codebase",
    }
)
UNSAFE_SCHEMES = ("javascript", "vbscript", "data")
# Browsers drop ASCII whitespace and control characters anywhere in a scheme ("java\tscript:").
_SCHEME_NOISE = re.compile(r"[\x00-\x20\x7f]+")
_NOISE_CHARACTERS = "".join(map(chr, [*range(0x21), 0x7F]))
_SCHEME_INITIALS = frozenset("jJvVdD")
_SAFE_DATA_IMAGE = re.compile(r"^data:image/(?:png|gif|jpe?g|webp|avif|bmp)[;,]", re.I)


def unsafe_scheme(url: str) -> str | None:
    """``javascript``, ``vbscript`` or ``data`` if ``url`` (an attribute value, entities already
    decoded) starts with one, the way a browser reads it; else None."""
    # Nearly every URL is http(s) or relative: its first character that is not noise says so.
    if url.lstrip(_NOISE_CHARACTERS)[:1] not in _SCHEME_INITIALS:
        return None
    squashed = _SCHEME_NOISE.sub("", url).lower()
    for scheme in UNSAFE_SCHEMES:
        if squashed.startswith(scheme + ":"):
            return scheme
    return None


class UnsafeUrlScheme(Rule):
    """A link or embedded resource with a ``javascript:``, ``vbscript:`` or ``data:`` URL.

    ``javascript:`` and ``vbscript:`` URLs run code when followed; a ``data:`` URL can carry a
    whole HTML page with scripts. Browsers ignore spaces, tabs and character references in
    the scheme, and so does this rule (``jav&#x09;ascript:`` is caught). A raster image inlined
    as ``data:image/png`` in an ``<img src>`` cannot run code and is allowed unless
    ``allow-data-images`` is false.

    Fail::

        ---
        title: Hello
        ---
        <a href="javascript:alert(1)">click</a>

    Pass::

        ---
        title: Hello
        ---
        <a href="https://example.com/">click</a>
    """

    code = "HT103"
    name = "unsafe-url-scheme"
    summary = "A javascript:, vbscript: or data: URL in href/src"
    options = {"allow_data_images": True}

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Diagnostic]:
        allow_images = bool(ctx.options.get("allow_data_images", True))
        for start, end, message, image in _tag_findings(doc, ctx).urls:
            if not (image and allow_images):
                yield self.diagnostic(doc, start, end, message)


# ---- tag structure ----------------------------------------------------------------------------

# Elements whose end tag the HTML spec lets an author leave out (13.1.2.4 Optional tags).
OPTIONAL_END = frozenset(
    {
        "html",
        "head",
        "body",
        "p",
        "li",
        "dt",
        "dd",
        "rt",
        "rp",
        "rb",
        "rtc",
        "optgroup",
        "option",
        "colgroup",
        "caption",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "td",
        "th",
    }
)
# A start tag of one of these closes an open <p> (the parser's "close a p element").
CLOSES_P = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "center",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "main",
        "menu",
        "nav",
        "ol",
        "p",
        "pre",
        "search",
        "section",
        "summary",
        "table",
        "ul",
        "li",
        "dd",
        "dt",
        "listing",
        "xmp",
        "plaintext",
    }
)
# Start tag -> open elements it implicitly closes, and the elements that stop the search.
_IMPLIED: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "li": (frozenset({"li"}), frozenset({"ul", "ol", "menu", "table", "div", "section"})),
    "dt": (frozenset({"dt", "dd"}), frozenset({"dl", "table", "div"})),
    "dd": (frozenset({"dt", "dd"}), frozenset({"dl", "table", "div"})),
    "tr": (frozenset({"tr", "td", "th"}), frozenset({"table", "thead", "tbody", "tfoot"})),
    "td": (frozenset({"td", "th"}), frozenset({"tr", "table"})),
    "th": (frozenset({"td", "th"}), frozenset({"tr", "table"})),
    "thead": (frozenset({"thead", "tbody", "tfoot", "tr", "td", "th"}), frozenset({"table"})),
    "tbody": (frozenset({"thead", "tbody", "tfoot", "tr", "td", "th"}), frozenset({"table"})),
    "tfoot": (frozenset({"thead", "tbody", "tfoot", "tr", "td", "th"}), frozenset({"table"})),
    "option": (frozenset({"option"}), frozenset({"select", "datalist", "optgroup"})),
    "optgroup": (frozenset({"option", "optgroup"}), frozenset({"select"})),
    "rt": (frozenset({"rt", "rp", "rb"}), frozenset({"ruby"})),
    "rp": (frozenset({"rt", "rp", "rb"}), frozenset({"ruby"})),
}
# End tags the parser treats as something else, or ignores without harm.
_TOLERATED_END = frozenset({"html", "head", "body"})


@dataclass
class StructureProblem:
    kind: str  # "unclosed" or "mismatched"
    tag: Tag
    message: str


def structure_problems(
    tags: list[Tag], doc: Document, unread: dict[str, list[int]] | None = None
) -> Iterator[StructureProblem]:
    """Walk the tags with a stack of open elements as the HTML parser does, reporting each
    element left open and each end tag that closes nothing or crosses another element.

    ``unread`` holds the offsets of start tags written in a Markdown body that CommonMark did
    not read as HTML (:func:`contentkit.markdown.unread_start_tags`): an end tag that closes
    nothing but has such an opening before it closes what the author wrote, and is no finding.

    Iterative, with a count of open elements per name so that a lookup for an element that is
    not open costs nothing: 10,000 nested or stray tags stay linear.
    """
    stack: list[Tag] = []
    open_count: dict[str, int] = {}
    # Elements closed early by a crossing end tag: their own end tag, later, is expected.
    crossed: dict[str, int] = {}
    # How many of each name's unread openings an end tag has already been matched with.
    matched_unread: dict[str, int] = {}

    def where(tag: Tag) -> str:
        line, col = doc.position(tag.start)
        return f"{line}:{col}"

    def pop_to(index: int) -> list[Tag]:
        popped = stack[index:]
        del stack[index:]
        for t in popped:
            open_count[t.name] -= 1
        return popped

    def find(names: frozenset[str], stops: frozenset[str]) -> int | None:
        for n in names:
            if open_count.get(n):
                break
        else:
            return None  # none of them is open (a plain loop: this runs for every block tag)
        for i in range(len(stack) - 1, max(-1, len(stack) - 1 - _SCOPE_DEPTH), -1):
            open_name = stack[i].name
            if open_name in names:
                return i
            if open_name in stops:
                return None
        return None

    previous: Tag | None = None
    for tag in tags:
        name = tag.name
        if name in VOID_ELEMENTS:
            if tag.is_end and previous is not None and _xml_style_pair(previous, tag, doc.text):
                previous = tag
                continue  # ``<img …></img>``: the XHTML way to write it; browsers drop the end
        previous = tag
        if not tag.is_end:
            if name in VOID_ELEMENTS or tag.self_closing:
                continue
            if name in CLOSES_P and open_count.get("p"):  # (find's own first test, inlined)
                index = find(_P, _P_SCOPE_STOPS)
                if index is not None:
                    for t in pop_to(index)[1:]:
                        if t.name not in OPTIONAL_END:
                            yield StructureProblem(
                                "unclosed",
                                t,
                                f"<{t.name}> is never closed (the <{name}> at {where(tag)} "
                                "ends the paragraph around it)",
                            )
            implied = _IMPLIED.get(name)
            if implied is not None:
                index = find(*implied)
                if index is not None and all(t.name in OPTIONAL_END for t in stack[index + 1 :]):
                    pop_to(index)
            stack.append(tag)
            open_count[name] = open_count.get(name, 0) + 1
            continue
        # An end tag.
        if name in VOID_ELEMENTS:
            if name != "br":  # </br> is read as <br>; the others are dropped
                yield StructureProblem(
                    "mismatched", tag, f"</{name}>: <{name}> is a void element and has no end tag"
                )
            continue
        if not open_count.get(name):
            openings = unread.get(name) if unread else None
            if crossed.get(name):
                crossed[name] -= 1
            elif openings and bisect.bisect_left(openings, tag.start) > matched_unread.get(name, 0):
                matched_unread[name] = matched_unread.get(name, 0) + 1
            elif name not in _TOLERATED_END:
                yield StructureProblem("mismatched", tag, f"</{name}> closes no open <{name}>")
            continue
        index = len(stack) - 1
        if stack[index].name == name:  # closes the innermost element: nothing crossed
            stack.pop()
            open_count[name] -= 1
            continue
        while stack[index].name != name:
            index -= 1
        inner = [t for t in pop_to(index)[1:] if t.name not in OPTIONAL_END]
        if inner:
            first = inner[-1]
            yield StructureProblem(
                "mismatched",
                tag,
                f"</{name}> closes <{name}> while <{first.name}> (opened at {where(first)}) "
                "is still open",
            )
            for t in inner:
                crossed[t.name] = crossed.get(t.name, 0) + 1
    for tag in stack:
        if tag.name not in OPTIONAL_END:
            message = f"<{tag.name}> is never closed"
            # (as written: a capitalised name is a JSX component, <Tabs>, no placeholder)
            written = doc.text[tag.start + 1 : tag.start + 1 + len(tag.name)]
            if tag.name not in HTML_ELEMENTS and "-" not in tag.name and written.islower():
                # A placeholder (hs_err_pid<pid>.log): the browser hides it as an unknown tag.
                message += (
                    f"; <{tag.name}> is no HTML element: if it is meant as text, write "
                    f"\\<{tag.name}> or put it in code"
                )
            yield StructureProblem("unclosed", tag, message)


def _xml_style_pair(start: Tag, end: Tag, text: str) -> bool:
    """Whether ``end`` closes the void element ``start`` right after it (``<img …></img>``,
    ``<input …></input>``): a browser drops such an end tag and shows the page as meant."""
    return (
        not start.is_end
        and start.name == end.name
        and not start.self_closing
        and not text[start.end : end.start].strip()
    )


_P = frozenset({"p"})
# The "button scope" of the spec, less the foreign-content markers: a <p> outside it is not
# closed by a block start tag.
_P_SCOPE_STOPS = frozenset(
    {"button", "table", "td", "th", "caption", "html", "template", "marquee", "object", "applet"}
)
# How far up the stack an implied end tag is looked for; deeper than any real post nests.
_SCOPE_DEPTH = 512


_MAX_PROBLEMS_KEPT = 10_000


def _structure(doc: Document, ctx: RuleContext) -> list[StructureProblem]:
    def build() -> list[StructureProblem]:
        from contentkit.markdown import unread_start_tags

        unread = None
        if doc.body_kind == "markdown":
            unread = unread_start_tags(doc.masked_text, doc.body_start, doc.markdown)
        # Kept up to a bound per kind (the engine shows fewer per rule): a flood of tags must
        # not become a flood of objects held in memory.
        kept: list[StructureProblem] = []
        counts = {"unclosed": 0, "mismatched": 0}
        for problem in structure_problems(markup_tags(doc, ctx), doc, unread):
            counts[problem.kind] += 1
            if counts[problem.kind] <= _MAX_PROBLEMS_KEPT:
                kept.append(problem)
        return kept

    problems: list[StructureProblem] = ctx.memo("html.structure", build)
    return problems


class UnclosedTag(Rule):
    """An element is opened and never closed.

    The browser closes it at the end of the post, or wherever its repair rules decide, so
    everything after it (often the rest of the article) becomes bold, a link or a table cell.
    Elements whose end tag HTML lets you omit (``p``, ``li``, ``td``, ``tr``, ``option``…)
    and void elements (``br``, ``img``…) are not reported. In a Markdown body only its HTML
    (HTML blocks and inline HTML, as CommonMark reads them) is checked: ``List<String>`` in
    a code fence or a code span is code.

    Fail::

        ---
        title: Hello
        ---
        <div class="article">
        <p><b>Bold</b> text.</p>

    Pass::

        ---
        title: Hello
        ---
        <div><p>one<p>two<ul><li>a<li>b</ul></div>
    """

    code = "HT104"
    name = "unclosed-tag"
    summary = "An element that is never closed"

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Diagnostic]:
        for problem in _structure(doc, ctx):
            if problem.kind == "unclosed":
                yield self.diagnostic(doc, problem.tag.start, problem.tag.end, problem.message)


class MismatchedTag(Rule):
    """An end tag that closes nothing, or closes an element while another is still open inside.

    ``<b><i>text</b></i>`` and a stray ``</div>`` are repaired by the browser in ways that
    differ from what the author meant (and between a browser and a converter). In a Markdown
    body only its HTML (HTML blocks and inline HTML) is checked.

    Fail::

        ---
        title: Hello
        ---
        <p><b><i>text</b></i></p></div>

    Pass::

        ---
        title: Hello
        ---
        <p><b><i>text</i></b></p>
    """

    code = "HT105"
    name = "mismatched-tag"
    summary = "An end tag that closes nothing or crosses another element"

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Diagnostic]:
        for problem in _structure(doc, ctx):
            if problem.kind == "mismatched":
                yield self.diagnostic(doc, problem.tag.start, problem.tag.end, problem.message)


# C0 controls except tab, line feed and carriage return; DEL; the C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f]")
_NAMES = {
    0x00: "NUL",
    0x07: "BEL",
    0x08: "BS",
    0x0B: "VT",
    0x0C: "FF",
    0x1B: "ESC",
    0x7F: "DEL",
}


class ControlCharacter(Rule):
    """An invisible control character (``\\x08``, ``\\x1b``, form feed…) in the post.

    They come from copy-paste and terminal output, are invisible in an editor, break YAML
    (which forbids them) and XML feeds, and render as boxes or nothing. The fix deletes C0
    controls and DEL; C1 controls (U+0080-U+009F, usually a Windows-1252 quote read as
    Latin-1) are only removed with ``--unsafe-fixes``, as they may stand for a lost character.

    Fail::

        ---
        title: Hello
        ---
        Text with a bell\x07 in it.

    Pass::

        ---
        title: Hello
        ---
        Text with a tab\tin it.
    """

    code = "HT106"
    name = "control-character"
    summary = "An invisible control character"
    fix_applicability = "safe"

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Diagnostic]:
        for m in _CONTROL.finditer(doc.text):
            code = ord(m.group(0))
            label = f"U+{code:04X}"
            if code in _NAMES:
                label += f" ({_NAMES[code]})"
            safe = code < 0x80
            fix = Fix(
                (Edit(m.start(), m.end(), ""),),
                "safe" if safe else "unsafe",
                f"Delete {label}",
            )
            yield self.diagnostic(doc, m.start(), m.end(), f"control character {label}", fix)


class HtmlTooComplex(Rule):
    """An HTML body too costly to scan within contentkit's time budget.

    Scanning HTML costs time for every tag, attribute and link. Before an HTML body is
    scanned these are counted (``<``, ``=``, ``href``, ``src``, at C speed) and weighted by
    what each costs at most; a body whose estimate is over 2.5 s (some 600,000 tags, or
    120,000 links; far more than any real page) is not scanned, so that one file can never
    hold a lint run for minutes. The HTML and link rules skip it and this finding says so,
    naming what weighs most; the front matter is still checked, and ``convert`` refuses the
    post with the same message (the weights are listed in the README, under Limits). Split
    the post to have it checked (``--ignore HT107`` only hides the finding). A post whose
    body is ``<p>a</p>`` on 1,000,000 lines fails.

    Pass::

        ---
        title: Hello
        ---
        <p>Any post of ordinary size.</p>
    """

    code = "HT107"
    name = "html-too-complex"
    summary = "An HTML body too costly to scan, so its HTML was not checked"
    body_kinds = frozenset({"html"})

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Diagnostic]:
        from contentkit.limits import work_message

        if doc.body_too_complex:
            work, heaviest = doc.body_work
            message = work_message(work, heaviest, markdown=False)
            yield self.diagnostic(doc, doc.body_start, doc.body_start, message)


RULES = [
    ScriptTag,
    EventHandlerAttribute,
    UnsafeUrlScheme,
    UnclosedTag,
    MismatchedTag,
    ControlCharacter,
    HtmlTooComplex,
]
