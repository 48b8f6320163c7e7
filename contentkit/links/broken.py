"""Structural checks: what makes a link broken whatever its words."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit

from contentkit.links.anchors import _Link
from contentkit.markdown import has_template

_PROJECT_DETAILS_ID = re.compile(r"/projectDetails/(\d+)(?:[/?#]|$)")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
# Characters no host name has (a literal character class over all of Unicode costs
# 25 ms to compile at every start-up).
_BAD_HOST_CHARS = frozenset(" \t\r\n<>\"'{}|\\^`!$&()*+,;=%/?#@")


# Pure, and a feed links the same project pages over and over: remembered per process.
@lru_cache(maxsize=8192)
def _href_problem(href: str | None, kind: str) -> str | None:
    if href is None:
        return "the link has no href"
    value = href.strip()
    if not value:
        return "the link's href is empty"
    if "{" in value and has_template(value):
        return None  # a template expression: the generator writes the URL, not the author
    scheme = _SCHEME.match(value)
    if scheme and scheme.group(1).lower() in ("javascript", "vbscript", "data"):
        return f"the link's href is a {scheme.group(1).lower()}: URL, not a place to go"
    if any(c in value for c in "\n\r\t") or (kind == "html" and " " in value):
        return f"the link's href {href!r} contains whitespace"
    if value.startswith("#") or value.startswith("?"):
        return None
    try:
        parts = urlsplit(value)
        _ = parts.port  # raises on a port that is not a number
    except ValueError as exc:
        return f"the link's href {href!r} is malformed ({exc})"
    if parts.scheme.lower() in ("http", "https"):
        if not parts.netloc or parts.netloc.startswith(".") or ".." in parts.netloc:
            return f"the link's href {href!r} has no valid host"
        host = parts.hostname or ""
        if not host or any(c in _BAD_HOST_CHARS for c in host):
            return f"the link's href {href!r} has no valid host"
    elif value.startswith(("http:", "https:", "http/", "https/", "htp:", "htps:")):
        return f"the link's href {href!r} is malformed"
    return None


def _broken_reason(link: _Link) -> str | None:
    if link.nested:
        return "an anchor inside another anchor: browsers split them apart"
    if not link.closed:
        return "the anchor is never closed with '</a>'"
    if link.duplicate_href:
        return "the anchor has two href attributes"
    if not link.text.strip() and not link.has_media:
        href = (link.href or "").strip()
        if len(href) > 1 and href.startswith("#"):
            # `[](#heading)`: a heading's permalink anchor whose icon was dropped (by a
            # scraper, or styled in by CSS). Nobody sees it and it goes where it says: fine.
            return None
        return "the link has no text a reader could click"
    problem = (
        None
        if link.href is None and _bound_href(link.attrs)
        else _href_problem(link.href, link.kind)
    )
    if problem:
        return problem
    attrs = link.attrs
    data_id = attrs.get("data-id", "").strip()
    href = (link.href or "").strip()
    m = _PROJECT_DETAILS_ID.search(href)
    # data-refer-type="1" links point into another site whose ids are another id space.
    if m and data_id and attrs.get("data-refer-type", "").strip() != "1" and m.group(1) != data_id:
        return f"the href points to project {m.group(1)} but data-id says {data_id}"
    name = attrs.get("data-name")
    if name is not None and not (name == link.text and not name.isspace() and name):
        # (Text equal to a data-name with a visible character passes both tests below.)
        shown = _norm_space(link.text)
        want = _norm_space(name)  # attribute values arrive decoded
        if not want:
            return "data-name is empty"
        if shown.casefold() != want.casefold():
            return f"the link text '{shown}' differs from its data-name '{want}'"
    return None


# Vue's bindings (VitePress, VuePress pages are Vue templates): the href is an expression the
# page sets when it renders, like a template expression, not a missing href.
_BOUND_HREF = (":href", "v-bind:href")


def _bound_href(attrs: dict[str, str]) -> bool:
    return any(name in attrs for name in _BOUND_HREF)


def _norm_space(s: str) -> str:
    return " ".join(s.split())
