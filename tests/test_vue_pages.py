"""VitePress and VuePress pages are Vue templates: bound attributes are expressions, not gaps."""

from __future__ import annotations

from contentkit import lint_text

PAGE = """---
title: Links
---

# Links

<a :href="withBase('/foo/')">Foo</a> and <a v-bind:href="url">{{ label }}</a>.

<a>no href at all</a>
"""


def test_a_bound_href_is_an_expression_and_a_bare_anchor_is_still_broken() -> None:
    found = [(d.line, d.code, d.message) for d in lint_text(PAGE, "guide/links.md").diagnostics]
    assert found == [(9, "LK002", "broken link: the link has no href")]
