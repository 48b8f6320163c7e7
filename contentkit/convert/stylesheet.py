"""What a page's own ``<style>`` rules hide: a browser does not show an element that a rule of
the page's stylesheet sets to ``display: none`` (or ``visibility: hidden``), as it does not
show one whose inline ``style`` does.

Medium's exports hide their header and subtitle so (``header, section[data-field=subtitle]
{display: none}``), and they came out twice. The rules are read with tinycss2 (a CSS parser)
and their selectors matched with cssselect (CSS selectors as XPath, lxml's own companion);
both are imported only for a page whose ``<style>`` hides anything.

Only what applies on any screen is taken: top-level rules of a ``<style>`` for all media,
never one inside ``@media``, ``@supports`` or another at-rule, nor one in ``<noscript>``. A
selector cssselect cannot match without a browser's state (``:hover``, ``::before``) is left
out. A page that hides its whole body until a script shows it (``body {display: none}``)
would convert to nothing: a rule never hides the root, ``<html>``, ``<body>``, nor an
element that holds most of the page's text.
"""

from __future__ import annotations

import re
from typing import Any

# The value of ``hidden`` an element hidden by the stylesheet gets: dropped, reported so.
HIDDEN_BY_STYLESHEET = "hidden by the page's stylesheet"

_HIDING = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_NEVER_HIDDEN = frozenset({"html", "body", "head"})
_ALL_MEDIA = frozenset({"", "all", "screen"})
# Rules matched at most (each is one search of the tree): a site's whole framework inlined
# holds a few dozen that set display outside @media; beyond these they are not read.
_MAX_RULES = 300


def hide_by_stylesheet(root: Any, styles_from: Any = None) -> None:
    """Mark ``hidden`` the elements of ``root`` that its ``<style>`` rules hide (those of
    ``styles_from``, a tree of the whole page, where ``root`` is a part without its head)."""
    styles = [
        s
        for s in (root if styles_from is None else styles_from).iter("style")
        if s.text
        and _HIDING.search(s.text)
        and (s.get("media") or "").strip().lower() in _ALL_MEDIA
        and next(s.iterancestors("noscript"), None) is None
    ]
    if not styles:
        return
    rules = [rule for style in styles for rule in _display_rules(style.text)][:_MAX_RULES]
    if not any(hides for _, hides in rules):
        return
    from cssselect import HTMLTranslator, parse
    from cssselect.parser import SelectorError
    from cssselect.xpath import ExpressionError
    from lxml.etree import XPathError

    translator = HTMLTranslator()
    shown = "//text()[not(ancestor::style or ancestor::script or ancestor::head)]"
    page = len("".join(root.xpath(shown)))
    for group, hides in rules:
        try:
            selectors = parse(group)
        except SelectorError:
            continue
        for selector in selectors:
            try:
                found = root.xpath(translator.selector_to_xpath(selector))
            except (SelectorError, ExpressionError, XPathError, ValueError):
                continue  # (:hover, ::before and the like: a browser's state, not the page's)
            if hides:
                _hide(root, found, page)
            elif isinstance(found, list):
                # A later rule shows it again (the later rule wins here, whatever the
                # specificity: where the two differ, an element is shown, not lost).
                for el in found:
                    if getattr(el, "get", None) and el.get("hidden") == HIDDEN_BY_STYLESHEET:
                        del el.attrib["hidden"]


def _hide(root: Any, found: Any, page: int) -> None:
    if isinstance(found, list):
        for el in found:
            if not hasattr(el, "tag") or type(el.tag) is not str:
                continue
            if el is root or el.tag in _NEVER_HIDDEN or "hidden" in el.attrib:
                continue
            if 2 * len("".join(el.itertext())) > page:
                continue  # (most of the page, hidden until a script shows it)
            el.set("hidden", HIDDEN_BY_STYLESHEET)


def _display_rules(css: str) -> list[tuple[str, bool]]:
    """The selector group of each top-level rule of ``css`` that sets ``display`` or
    ``visibility``, in order, and whether it hides what it selects."""
    import tinycss2

    out: list[tuple[str, bool]] = []
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type != "qualified-rule":
            continue  # (an at-rule: @media, @supports, @font-face...)
        hides: bool | None = None
        for decl in tinycss2.parse_declaration_list(
            rule.content, skip_comments=True, skip_whitespace=True
        ):
            if decl.type != "declaration" or decl.lower_name not in ("display", "visibility"):
                continue
            value = tinycss2.serialize(decl.value).strip().lower()
            # (the last declaration wins)
            hides = value == ("none" if decl.lower_name == "display" else "hidden")
        if hides is not None:
            out.append((tinycss2.serialize(rule.prelude).strip(), hides))
    return out
