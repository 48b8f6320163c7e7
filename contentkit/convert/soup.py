"""Beautiful Soup's lxml tree, built without Beautiful Soup's per-node overhead.

``BeautifulSoup(html, "lxml")`` lets lxml's HTML parser (libxml2) read the markup and builds its
tree from the parser's events in Python; that building (a general ``Tag.__init__``, namespace
bookkeeping, a linkage fixer per string) was over half of a conversion. :func:`parse` feeds the
same parser, with the same options, the same markup, and turns the same events into the same
tree (same classes, names, attributes, strings and linkage) with the minimum of work per node.

Anything out of the ordinary for an HTML document (a namespaced tag, a byte-order mark, a
parser error) goes to ``BeautifulSoup`` itself, so the result never differs from what it builds.
tests/test_convert_soup.py compares both trees on the corpus and on hard cases.
"""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

from bs4 import BeautifulSoup, Comment, Doctype, NavigableString, Tag
from bs4.element import ProcessingInstruction
from lxml import etree

try:
    from bs4.element import XMLAttributeDict
except ImportError:  # Beautiful Soup before 4.13: BeautifulSoup builds every tree itself
    XMLAttributeDict = None  # type: ignore[assignment,misc]

BS4_OPTIONS: dict[str, Any] = {"features": "lxml", "multi_valued_attributes": None}
_ASCII_SPACES = "\x20\x0a\x09\x0c\x0d"  # BeautifulSoup.ASCII_SPACES


class _Unusual(Exception):
    """An event this builder does not reproduce: BeautifulSoup builds the tree instead."""


class _Target:
    """lxml parser target: the work of bs4's LXMLTreeBuilder + BeautifulSoup.handle_* per event,
    for the events an HTML parse produces."""

    def __init__(self, template: BeautifulSoup) -> None:
        self.template = template
        builder = template.builder
        self.string_containers: dict[str, type[NavigableString]] = dict(builder.string_containers)
        self.preserve = frozenset(builder.preserve_whitespace_tags or ())
        self.main_types = Tag.MAIN_CONTENT_STRING_TYPES
        self.container_types = {n: {c} for n, c in self.string_containers.items()}
        self.value_list_class = builder.attribute_value_list_class
        self.void = frozenset(builder.empty_element_tags or ())
        # Per tag name: (can_be_empty_element, interesting_string_types, whitespace-preserving,
        # string container), as Tag.__init__ and BeautifulSoup.pushTag would work them out.
        self.kinds: dict[str, tuple[bool, Any, bool, bool]] = {}
        self.begin()

    def _kind(self, tag: str) -> tuple[bool, Any, bool, bool]:
        kind = self.kinds[tag] = (
            tag in self.void,
            self.container_types.get(tag, self.main_types),
            tag in self.preserve,
            tag in self.string_containers,
        )
        return kind

    def begin(self) -> None:
        soup = BeautifulSoup.__new__(BeautifulSoup)
        state = dict(self.template.__dict__)
        soup.__dict__ = state
        state["contents"] = []
        state["next_element"] = state["previous_element"] = None
        state["next_sibling"] = state["previous_sibling"] = state["parent"] = None
        state["attrs"] = XMLAttributeDict()
        state["_namespaces"] = dict(self.template._namespaces)
        state["current_data"] = []
        state["currentTag"] = soup
        state["tagStack"] = [soup]
        state["open_tag_counter"] = Counter()
        state["preserve_whitespace_tag_stack"] = []
        state["string_container_stack"] = []
        state["markup"] = None
        self.soup = soup
        self.namespaces = state["_namespaces"]
        self.stack: list[Tag] = [soup]  # open elements, the root first
        # The element parsed most recently (bs4's _most_recent_element). bs4 starts it at None,
        # not at the root: the root's next_element stays None and the first element has none
        # before it.
        self.last: Any = None
        self.data_parts: list[str] = []
        self.preserving = 0  # open <pre>/<textarea> elements
        self.containers: list[str] = []  # open string-container elements (script, style, ...)
        self.counter: dict[str, int] = {}  # open elements by name

    # ---- events -----------------------------------------------------------------------------
    def start(self, tag: str, attrib: Any, nsmap: Any = None) -> None:
        if nsmap or tag[0] == "{":
            raise _Unusual(tag)
        if self.data_parts:
            self._flush(NavigableString)
        parent = self.stack[-1]
        siblings = parent.contents
        prev = self.last
        kind = self.kinds.get(tag) or self._kind(tag)
        el = Tag.__new__(Tag)
        if attrib:
            # Values are strings: bs4's per-item __setitem__ would store them unchanged.
            attrs = XMLAttributeDict(attrib)
            for k in attrs:
                if k[0] == "{":
                    raise _Unusual(k)
        else:
            attrs = XMLAttributeDict()
        el.__dict__ = {
            "parser_class": BeautifulSoup,
            "name": tag,
            "namespace": None,
            "_namespaces": self.namespaces,
            "prefix": None,
            "sourceline": None,
            "sourcepos": None,
            "attribute_value_list_class": self.value_list_class,
            "attrs": attrs,
            "known_xml": False,
            "contents": [],
            "parent": parent,
            "previous_element": prev,
            "next_element": None,
            "next_sibling": None,
            "previous_sibling": siblings[-1] if siblings else None,
            "hidden": False,
            "can_be_empty_element": kind[0],
            "cdata_list_attributes": None,
            "preserve_whitespace_tags": self.preserve,
            "interesting_string_types": kind[1],
        }
        if siblings:
            siblings[-1].next_sibling = el
        if prev is not None:
            prev.next_element = el
        siblings.append(el)
        self.last = el
        self.stack.append(el)
        counter = self.counter
        counter[tag] = counter.get(tag, 0) + 1
        if kind[2]:
            self.preserving += 1
        if kind[3]:
            self.containers.append(tag)

    def end(self, tag: str) -> None:
        if self.data_parts:
            self._flush(NavigableString)
        stack = self.stack
        if len(stack) > 1 and self.counter.get(tag):
            # bs4's _popToTag: pop up to and including the innermost open element of this name
            # (lxml's events are balanced: nearly always just the element on top).
            while len(stack) > 1:
                name = stack.pop().name
                self.counter[name] -= 1
                kind = self.kinds[name]
                if kind[2]:
                    self.preserving -= 1
                if kind[3]:
                    self.containers.pop()  # always the innermost open container
                if name == tag:
                    break

    def data(self, data: str) -> None:
        self.data_parts.append(data)

    def comment(self, text: str) -> None:
        if self.data_parts:
            self._flush(NavigableString)
        self.data_parts.append(text)
        self._flush(Comment)

    def pi(self, target: str, data: str) -> None:
        if self.data_parts:
            self._flush(NavigableString)
        self.data_parts.append(target + " " + data)
        self._flush(ProcessingInstruction)

    def doctype(self, name: str, pubid: str, system: str) -> None:
        if self.data_parts:
            self._flush(NavigableString)
        self.data_parts.append(Doctype._string_for_name_and_ids(name, pubid, system))
        self._flush(Doctype)

    def close(self) -> BeautifulSoup:
        if self.data_parts:
            self._flush(NavigableString)
        soup = self.soup
        soup.__dict__["_most_recent_element"] = self.last
        return soup

    # ---- strings ----------------------------------------------------------------------------
    def _flush(self, cls: type[NavigableString]) -> None:
        text = "".join(self.data_parts)
        self.data_parts = []
        if not self.preserving and not text.strip(_ASCII_SPACES):
            # bs4's endData: a run of nothing but ASCII whitespace becomes one newline or space.
            text = "\n" if "\n" in text else " "
        if cls is NavigableString and self.containers:
            cls = self.string_containers[self.containers[-1]]
        parent = self.stack[-1]
        siblings = parent.contents
        prev = self.last
        s = str.__new__(cls, text)
        s.__dict__ = {
            "hidden": False,
            "parent": parent,
            "previous_element": prev,
            "next_element": None,
            "next_sibling": None,
            "previous_sibling": siblings[-1] if siblings else None,
        }
        if siblings:
            siblings[-1].next_sibling = s
        if prev is not None:
            prev.next_element = s
        siblings.append(s)
        self.last = s


_local = threading.local()


def _template() -> BeautifulSoup:
    soup = getattr(_local, "template", None)
    if soup is None:
        soup = _local.template = BeautifulSoup("", **BS4_OPTIONS)
    return soup


# Every kind of node and attribute the builder makes, once: checked against BeautifulSoup on
# first use, so that another Beautiful Soup version, whose trees differ, is never imitated.
_PROBE = (
    "<!DOCTYPE html><html><head><title>t</title><style>s{}</style></head><body>\n"
    '<div class="a b" id="c"> x <b>y</b><!--c--><br><img src="i"></div> <pre> p\n </pre>'
    "<script>1<2</script><ruby>r<rt>t</rt></ruby><p>&amp; z<p>q</body></html>"
)
_LINKS = ("parent", "next_element", "previous_element", "next_sibling", "previous_sibling")
_fast: list[bool] = []  # [whether parse may build trees itself], decided on first use


def _shape(soup: BeautifulSoup) -> list[Any]:
    nodes = [soup, *soup.descendants]
    index = {id(n): i for i, n in enumerate(nodes)}
    out: list[Any] = []
    for node in nodes:
        for key, value in sorted(vars(node).items()):
            if key in _LINKS:
                value = None if value is None else index.get(id(value), -1)
            elif key == "contents":
                value = [index.get(id(c), -1) for c in value]
            elif key == "attrs":
                value = (type(value), sorted(value.items()))
            elif key in ("builder", "_most_recent_element", "currentTag", "tagStack"):
                continue
            elif isinstance(value, Counter):
                value = {k: v for k, v in value.items() if v}
            out.append((type(node), str(node) if not isinstance(node, Tag) else "", key, value))
    return out


def _fast_is_exact() -> bool:
    if XMLAttributeDict is None:
        return False
    try:
        return _shape(_parse_fast(_PROBE)) == _shape(BeautifulSoup(_PROBE, **BS4_OPTIONS))
    except Exception:
        _local.parser = None
        return False


def parse(html: str) -> BeautifulSoup:
    """``BeautifulSoup(html, features="lxml", multi_valued_attributes=None)``, faster."""
    if not _fast:
        _fast.append(_fast_is_exact())
    if html[:1] == "\ufeff" or not _fast[0]:
        return BeautifulSoup(html, **BS4_OPTIONS)
    return _parse_fast(html)


def _parse_fast(html: str) -> BeautifulSoup:
    state = getattr(_local, "parser", None)
    if state is None:
        target = _Target(_template())
        # The options bs4's LXMLTreeBuilder gives the parser; one parser per thread is reused
        # (making one inspects the target's methods, a measurable cost per document).
        parser = etree.HTMLParser(target=target, recover=True, huge_tree=False, encoding=None)
        state = _local.parser = (parser, target)
    parser, target = state
    target.begin()
    try:
        parser.feed(html)
        soup: BeautifulSoup = parser.close()
    except Exception:
        _local.parser = None  # a parser that failed half-way is not reused
        return BeautifulSoup(html, **BS4_OPTIONS)
    return soup
