"""What a generator's own documentation allows is no finding on its sites (real-shaped pages)."""

from __future__ import annotations

import json
from pathlib import Path

from contentkit import lint_text

# VitePress and VuePress pages are Vue templates: a bound attribute is an expression.
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


ZOLA_PAGE = """
+++
title = "anemone"
description = "A minimalist theme."
template = "theme.html"
date = 2024-08-08T06:22:35+10:00

[extra]
repository = "https://github.com/example/anemone.git"
+++{spaces}

# anemone

![Light and dark](screenshot.png)
""".format(spaces=" " * 8)  # (Zola's own theme pages end the block with trailing spaces)


def test_zola_reads_front_matter_after_leading_blank_lines(run_cli, tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('base_url = "https://example.org"\n', "utf-8")
    (tmp_path / "templates").mkdir()
    page = tmp_path / "content" / "themes" / "anemone"
    page.mkdir(parents=True)
    (page / "index.md").write_text(ZOLA_PAGE, "utf-8")
    (page / "screenshot.png").write_bytes(b"")
    proc = run_cli("lint", ".", "--no-cache", "--output-format", "json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert json.loads(proc.stdout) == []
    # The same page outside a Zola site: Jekyll and Hugo would miss the block.
    codes = [d.code for d in lint_text(ZOLA_PAGE, "index.md").diagnostics]
    assert "FM002" in codes


# Liquid's comment block (Jekyll, Eleventy), Hugo's comment shortcode and kramdown's comment
# extension leave their body out of the page: a draft's half-written HTML there is nothing a
# reader sees.
COMMENTED_PAGE = """---
title: Notes
---

{% comment %}
TODO: an unfinished <b>table
{% endcomment %}

{%- comment -%} <div> {%- endcomment -%}

{{% comment %}}
<section> to rewrite
{{% /comment %}}

{{< comment >}}<span>{{< /comment >}}

{::comment}
kramdown's (Jekyll's Markdown): <a href="draft">not yet
{:/comment}
Said {::comment}an aside <i>{:/} inline, and {::comment /} empty.

Outside them <b>this is unclosed.
"""


def test_a_comment_tag_hides_its_body_and_html_outside_it_is_still_checked() -> None:
    found = [(d.line, d.code) for d in lint_text(COMMENTED_PAGE, "posts/notes.md").diagnostics]
    assert found == [(22, "HT104")]


def test_an_unclosed_kramdown_comment_hides_nothing() -> None:
    page = "---\ntitle: t\n---\n\n{::comment}\nno end, so <b>shown\n"
    found = [(d.line, d.code) for d in lint_text(page, "posts/t.md").diagnostics]
    assert found == [(6, "HT104")]


# A Hugo inline shortcode's body is a Go template (hugo-theme-stack's math page loads KaTeX
# from one): code the generator runs, not the post's HTML. Calling it again has no body.
INLINE_SHORTCODE_PAGE = """---
title: Math
---

{{< math.inline >}}
{{ if .Page.Params.math }}
<script defer src="https://cdn.example/katex.min.js" onload="render(document.body);"></script>
<div class="katex">
{{ end }}
{{</ math.inline >}}

Called again: {{< math.inline />}}, and after it <b>this is unclosed.
"""


def test_an_inline_shortcode_body_is_template_code() -> None:
    found = [(d.line, d.code) for d in lint_text(INLINE_SHORTCODE_PAGE, "post/m.md").diagnostics]
    assert found == [(12, "HT104")]


# A tag at the start of a line renders as nothing, and the HTML after it starts the line: it
# is read as HTML, not indented into a code block by the tag's width (its end tag on the next
# line was then "closes no open <div>"; the real defect, the unclosed <b>, went unseen).
TAG_AT_LINE_START_PAGE = """---
title: Note
---

Some text.

{% if page.note %}<div class="note"><b>Note:
</div>{% endif %}

{{ page.lead }} and <i>this is closed</i>.
"""


def test_html_after_a_tag_at_a_line_start_is_read_as_html() -> None:
    found = [
        (d.line, d.code, d.message)
        for d in lint_text(TAG_AT_LINE_START_PAGE, "_posts/2024-01-01-note.md").diagnostics
    ]
    assert found == [(8, "HT105", "</div> closes <div> while <b> (opened at 7:37) is still open")]
