"""Images whose real source only a script would load."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from contentkit.diagnostics import Diagnostic, Edit, Fix
from contentkit.document import Document
from contentkit.rule import Rule, RuleContext

_SRC = re.compile(r"""\ssrc\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+)""", re.I)


class LazyImage(Rule):
    """An ``<img>`` whose real source hides in ``data-src`` behind a placeholder ``src``.

    Lazy-loading scripts swap ``data-src`` (or ``data-original``, ``data-lazy-src``...) into
    ``src`` when the image scrolls into view. Feed readers, static-site mirrors and Markdown
    converters run no script, so they show the placeholder (a grey GIF, a ``data:`` pixel) or
    nothing. The safe fix copies the real source into ``src`` and keeps ``data-src``, so a
    lazy loader still works.

    Fail::

        <p><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-src="https://example.com/a.jpg"></p>

    Pass::

        <p><img src="https://example.com/a.jpg" data-src="https://example.com/a.jpg"></p>
    """

    code = "HT001"
    name = "lazy-image"
    summary = "An image whose real source hides in data-src behind a placeholder"
    fix_applicability = "safe"

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Diagnostic]:
        # Imported here, not at the top: loading the rule (every run does, to learn its code)
        # must not import the whole converter.
        from contentkit.convert.html import LAZY_SRC_ATTRS, is_placeholder_src, safe_url

        # The images first, in one tight pass: most tags of a post are not images.
        for tag in [t for t in doc.html_tags if t.name == "img" and not t.is_end]:
            lazy_attr = next((a for a in LAZY_SRC_ATTRS if (tag.attrs.get(a) or "").strip()), None)
            if lazy_attr is None:
                continue
            real = tag.attrs[lazy_attr].strip()
            src = tag.attrs.get("src")
            if safe_url(real) is None or not is_placeholder_src(src) or real == (src or "").strip():
                continue
            value = '"' + html.escape(real, quote=True) + '"'
            source = doc.text[tag.start : tag.end]
            m = _SRC.search(source)
            if m is not None:
                edit = Edit(tag.start + m.start(1), tag.start + m.end(1), value)
            else:
                at = tag.start + len("<img")
                edit = Edit(at, at, f" src={value}")
            shown = "no src" if src is None else "a placeholder src"
            yield self.diagnostic(
                doc,
                tag.start,
                tag.end,
                f"image has {shown}; its real source is in {lazy_attr} ({real}), "
                "which readers without scripts never load",
                Fix((edit,), "safe", f"Set src to the {lazy_attr} value"),
            )


RULES = [LazyImage]
