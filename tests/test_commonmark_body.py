"""A Markdown body is read as CommonMark, once: HTML rules see only its HTML; code and template
expressions are opaque, never findings and never edited by a fix."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contentkit import lint_text
from contentkit.commonmark import code_span_ranges, unrendered_emphasis
from contentkit.config import Settings
from contentkit.diagnostics import Edit, Fix
from contentkit.document import Document
from contentkit.engine import edits_opaque, fix_document
from contentkit.markdown import parser, template_spans

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def findings(text: str, path: str = "post.md") -> list[tuple[int, str, str]]:
    found = lint_text(text, path).diagnostics
    return [(d.line, d.code, d.message) for d in found if not d.code.startswith("FM")]


def codes(text: str, path: str = "post.md", prefix: tuple[str, ...] = ("HT", "LK")) -> list[str]:
    return [code for _, code, _ in findings(text, path) if code.startswith(prefix)]


HEXO_POST = """\
---
title: Java 泛型
date: 2017-03-01 10:00:00
tags:
---
<!--more-->
泛型的写法：

```java
List<String> names = new ArrayList<String>();
Map<String, List<Integer>> index;
```

一个链接的例子：

```html
<a href="javascript:void(0)">点我</a><a href="">空</a>
```

    Iterator<E> it = names.iterator();

行内代码 `Map<K, V>` 和 `<script>alert(1)</script>` 不是标签。
"""


def test_hexo_post_starting_with_more_is_markdown_and_its_code_is_code(tmp_path: Path) -> None:
    doc = Document.from_text(HEXO_POST, "post.md")
    assert doc.body_kind == "markdown"
    assert doc.html_tags == []  # the <!--more--> comment is its only HTML
    assert codes(HEXO_POST) == []
    # and --fix leaves every byte of it alone
    post = tmp_path / "post.md"
    post.write_text(HEXO_POST, "utf-8")
    assert fix_document(doc, Settings(root=str(tmp_path))).text == HEXO_POST


def test_inline_code_holding_a_script_is_no_script() -> None:
    head = "---\ntitle: T\n---\n"
    assert codes(head + "Write `<script>x()</script>` in the page head.\n") == []
    assert codes(head + "``<img src=x onerror=``y``>`` and ```` ` ````\n") == []
    # Outside code the same markup is markup, inline or as an HTML block.
    assert codes(head + "Then <script>x()</script> runs.\n") == ["HT101"]
    assert codes(head + "<script>\nx()\n</script>\n") == ["HT101"]


def test_a_fenced_anchor_is_never_unwrapped_by_the_link_fix(tmp_path: Path) -> None:
    text = (
        "---\ntitle: T\n---\n"
        '<div><p>据<a href="javascript:void(0)">企查查</a>显示。</p></div>\n\n'
        "~~~html\n"
        '<p>据<a href="javascript:void(0)">企查查</a>显示。</p>\n'
        "~~~\n"
    )
    doc = Document.from_text(text, "post.md")
    # The anchor outside the fence is broken (and unsafe); the fenced one is code.
    assert [code for _, code, _ in findings(text)] == ["LK002", "HT103"]
    fixed = fix_document(doc, Settings(root=str(tmp_path))).text
    assert fixed.count('<a href="javascript:void(0)">') == 1
    assert fixed.endswith('~~~html\n<p>据<a href="javascript:void(0)">企查查</a>显示。</p>\n~~~\n')


def test_no_fix_edits_code_or_a_template_whatever_the_rule(tmp_path: Path) -> None:
    # control-character reads the whole file: its fix is kept outside code only.
    text = "---\ntitle: T\n---\nbell\x07 here\n\n```\nprintf '\x07'\n```\n\n`a\x07b`\n"
    doc = Document.from_text(text, "post.md")
    found = [(d.line, d.code, d.fix is not None) for d in lint_text(text, "post.md").diagnostics]
    found = [f for f in found if f[1] != "FM006"]
    assert found == [(4, "HT106", True), (7, "HT106", False), (10, "HT106", False)]
    fixed = fix_document(doc, Settings(root=str(tmp_path))).text
    assert fixed == text.replace("bell\x07", "bell", 1)
    # The guard is the engine's, for any fix: an edit touching a template is dropped too.
    doc = Document.from_text('---\ntitle: T\n---\n<a href="{{ .URL }}">x</a> `c`\n', "p.md")
    inside = doc.text.index(".URL")
    assert edits_opaque(doc, Fix((Edit(inside, inside + 4, ""),)))
    assert edits_opaque(doc, Fix((Edit(inside, inside, "x"),)))  # an insertion inside
    code = doc.text.index("`c`")
    assert edits_opaque(doc, Fix((Edit(code + 1, code + 2, "d"),)))
    assert not edits_opaque(doc, Fix((Edit(code, code, " "),)))  # just before the span
    assert not edits_opaque(doc, Fix((Edit(0, 3, "---"),)))


HUGO_PAGE = """\
---
title: "Gallery"
draft: false
---
{{< figure src="/images/cat.jpg" title="A cat" >}}

Read the [list]({{< ref "posts/_index.md" >}}) or the <a href="{{ .RelPermalink }}">page</a>.
<a href={{ .Permalink }} class="u-url">permalink</a> and {{<figure src="a.png">}}
<img src="{{ .Params.cover }}" data-src="{{ .Params.cover | absURL }}">

{{% notice tip %}}
Shortcodes with **Markdown** inside.
{{% /notice %}}
"""

JEKYLL_PAGE = """\
---
layout: docs
title: Installation
permalink: /docs/installation/
---
See the [quickstart]({{ '/docs/' | relative_url }}) and [posts]({% link _docs/posts.md %}).

<ul>
  {% for item in site.data.docs %}
  <li{% if item.url == page.url %} class="current"{% endif %}><a
    href="{{ item.url | relative_url }}">{{ item.title }}</a></li>
  {% endfor %}
</ul>

{% raw %}
{{ not_rendered }}
{% endraw %}
{# a Jinja-style comment #}
"""


@pytest.mark.parametrize("page", [HUGO_PAGE, JEKYLL_PAGE], ids=["hugo", "jekyll"])
def test_template_expressions_are_not_urls_nor_markup(page: str, tmp_path: Path) -> None:
    assert codes(page, prefix=("HT", "LK", "MD")) == []
    fixed = fix_document(Document.from_text(page, "p.md"), Settings(root=str(tmp_path)))
    assert fixed.text == page and fixed.applied == 0


def test_a_tag_holding_a_template_keeps_its_values_as_written() -> None:
    doc = Document.from_text(JEKYLL_PAGE, "p.md")
    anchors = [t for t in doc.html_tags if t.name == "a" and not t.is_end]
    assert [t.attrs["href"] for t in anchors] == ["{{ item.url | relative_url }}"]
    li = next(t for t in doc.html_tags if t.name == "li" and not t.is_end)
    assert li.attr_names == ["class"]  # the {% if %} around it is not an attribute
    doc = Document.from_text(HUGO_PAGE, "p.md")
    assert [t.attrs.get("href") for t in doc.html_tags if t.name == "a" and not t.is_end] == [
        "{{ .RelPermalink }}",
        "{{ .Permalink }}",
    ]
    assert "figure" not in {t.name for t in doc.html_tags}  # {{<figure …>}} is a shortcode


def test_template_spans() -> None:
    text = 'a {{ x }} {%- if y -%} {{< ref "p" >}} {{% n %}} {# c #} {#id} {{ open'
    found = [text[s:e] for s, e in template_spans(text)]
    assert found == ["{{ x }}", "{%- if y -%}", '{{< ref "p" >}}', "{{% n %}}", "{# c #}"]
    assert template_spans("{{" * 50_000) == []
    assert template_spans("## Heading {#custom-id}\n") == []


CODE_TAGS_POST = """---
title: 泛型
date: 2020-01-01 10:00:00
---
Java 的泛型：

{% codeblock Demo.java lang:java %}
List<String> names = new ArrayList<>();
Map<String, List<Integer>> m = new HashMap<>(); // {{ not a template }}
{% endcodeblock %}

{% code %}
<T extends Comparable<T>> void sort(T[] a)
{% endcode %}

{% highlight java %}
Optional<Foo> f;
{% endhighlight %}

{{< highlight go "linenos=table" >}}
var m map[string]<-chan int
{{< /highlight >}}

{% raw %}
<b>raw stays HTML
{% endraw %}

{% blockquote %}
引用里的 <i>HTML</i> 仍是 HTML。
{% endblockquote %}
"""


def test_code_template_tags_hold_code_not_markup(tmp_path: Path) -> None:
    doc = Document.from_text(CODE_TAGS_POST, "post.md")
    # Each code tag with its body is one opaque span; a raw or quote tag's body is not.
    bodies = [CODE_TAGS_POST[s:e] for s, e in doc.templates]
    assert [b.split(None, 2)[1] for b in bodies[:4]] == [
        "codeblock",
        "code",
        "highlight",
        "highlight",
    ]
    assert all(b.rstrip().endswith(("%}", ">}}")) and "\n" in b for b in bodies[:4])
    assert {t.name for t in doc.html_tags} == {"b", "i"}
    # The <b> left open in the raw tag is still found; nothing in the code bodies is.
    assert [(d.line, d.code) for d in lint_text(CODE_TAGS_POST, "post.md").diagnostics] == [
        (25, "HT104")
    ]
    post = tmp_path / "post.md"
    post.write_text(CODE_TAGS_POST, "utf-8")
    assert fix_document(doc, Settings(root=str(tmp_path))).text == CODE_TAGS_POST
    # An opening code tag with no end tag opens nothing.
    assert template_spans("{% code %} `<T>` and more") == [(0, 10)]


def test_a_feed_post_is_one_run_of_html_blocks_and_keeps_its_findings() -> None:
    post = FIXTURES / "corpus" / "36kr-zixun-01.md"
    doc = Document.from_text(post.read_text("utf-8"), str(post))
    assert doc.body_kind == "markdown" and doc.markdown.html_only
    everything = Document.from_text(doc.text, str(post), body_kind="html")
    assert [(t.name, t.start, t.end, t.attrs) for t in doc.html_tags] == [
        (t.name, t.start, t.end, t.attrs) for t in everything.html_tags
    ]
    text = (
        "---\ntitle: T\n---\n<div>\n<p>具有得天独厚的贸"
        '<a class="project-link" data-id="1" data-name="易优" '
        'href="https://36kr.com/projectDetails/1">易优</a>势。</p>\n\n'
        "<p>[not](a-markdown-link) <b>bold</p>\n"
    )
    assert [(line, code) for line, code, _ in findings(text)] == [
        (4, "HT104"),  # the <div> is never closed
        (5, "LK001"),  # the link cuts through 贸易优势
        (7, "HT105"),  # </p> crosses the <b>; the [text](link) in an HTML block is text
    ]
    assert findings(text) == findings(text, "post.html")


def test_cjk_emphasis_fix_is_readable_and_renders(tmp_path: Path) -> None:
    cases = {
        "这很**重要。**后文。": "这很**重要**。后文。",
        "**“直播一哥”**李佳琦": "“**直播一哥**”李佳琦",
        "他说**“不要”**好": "他说“**不要**”好",
        "一个*强调。*后文": "一个*强调*。后文",
        "另外**？**大家": "另外<strong>？</strong>大家",  # nothing but punctuation to move
        "通过**\\_config.yml**进行": "通过<strong>\\_config.yml</strong>进行",
    }
    md = parser()
    for before, after in cases.items():
        text = f"---\ntitle: T\n---\n{before}\n"
        doc = Document.from_text(text, "p.md")
        assert [code for _, code, _ in findings(text)] and {
            code for _, code, _ in findings(text)
        } == {"MD001"}
        fixed = fix_document(doc, Settings(root=str(tmp_path)))
        assert fixed.text == f"---\ntitle: T\n---\n{after}\n", before
        assert "<strong>" in md.render(after) or "<em>" in md.render(after)
        assert not [d for d in fixed.remaining if d.code == "MD001"]


def test_cjk_emphasis_positions_in_crlf_lists_and_quotes() -> None:
    text = "---\r\ntitle: T\r\n---\r\n- 一项\r\n  说**重要。**后文\r\n\r\n> > 他说**“不要”**好\r\n"
    assert [(line, code) for line, code, _ in findings(text)] == [
        (5, "MD001"),
        (7, "MD001"),
        (7, "MD001"),
    ]
    columns = [d.column for d in lint_text(text, "p.md").diagnostics if d.code == "MD001"]
    assert columns == [9, 7, 13]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="`a \n", max_size=40))
def test_code_spans_are_where_markdown_it_finds_them(text: str) -> None:
    doc = Document.from_text(text.replace("\n\n", "\n") + "\n", "p.md")
    for source in doc.markdown.inlines:
        ours = code_span_ranges(source.content)
        theirs = [(s, e) for _, s, e in source.spans("code_inline")]
        assert ours == theirs, source.content


def _pairs_as_before(text: str) -> list[tuple[int, str]]:
    """The pairing as it was written before it was made linear (every opener scanned ahead
    for its closer): the oracle the one-pass queue must agree with."""
    from contentkit.commonmark import _DELIMS, _plain, _wide, can_close, can_open
    from contentkit.commonmark import is_punctuation as punct
    from contentkit.commonmark import is_whitespace as space

    runs = []
    for m in _DELIMS.finditer(text):
        s, e = m.span()
        b, a = text[s - 1] if s else "", text[e] if e < len(text) else ""
        runs.append((s, e, m.group(1), can_open(m.group(1)[0], b, a), can_close(m[1][0], b, a)))
    out: list[tuple[int, str]] = []
    used: set[int] = set()
    for k, (s, e, run, op, _) in enumerate(runs):
        b, a = text[s - 1] if s else "", text[e] if e < len(text) else ""
        if k in used or not (op or (not space(a) and punct(a) and _plain(b))):
            continue
        for k2 in range(k + 1, len(runs)):
            s2, e2, run2, _, cl2 = runs[k2]
            if run2 != run or k2 in used:
                continue
            if "\n\n" in text[e:s2]:
                break
            b2, a2 = text[s2 - 1], text[e2] if e2 < len(text) else ""
            if not (cl2 or (punct(b2) and _plain(a2))):
                continue
            used.update((k, k2))
            inner = text[e:s2]
            if (op and cl2) or not inner.strip() or inner[0].isspace() or inner[-1].isspace():
                break
            if _wide(b if not op else a2):
                out += [(s, "open")] if not op else []
                out += [(s2, "close")] if not cl2 else []
            break
    return out


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.sampled_from(["**", "*", "_", "重", "。", "“", "”", "a", " ", "\n"]), max_size=60)
)
def test_one_pass_pairing_agrees_with_the_pairing_it_replaced(pieces: list[str]) -> None:
    text = "".join(pieces)
    found = [(p.start, p.side) for p in unrendered_emphasis(text, [])]
    # The same problems, in the text's order (the old pairing listed them pair by pair).
    assert found == sorted(_pairs_as_before(text))


def test_long_and_repetitive_inputs_are_read_in_one_pass() -> None:
    rng = random.Random(5)
    parts = [
        rng.choice(["这很**重要。**后文", " **ok** ", "*a*", "`**`", " **a", "”**好"])
        for _ in range(3000)
    ]
    text = "".join(parts)
    found = [(p.start, p.side) for p in unrendered_emphasis(text, [])]
    assert found == sorted(_pairs_as_before(text)) and found


def test_a_body_too_large_to_read_is_reported_once_not_read() -> None:
    from contentkit.markdown import MAX_MARKDOWN_WORK

    text = "---\ntitle: T\n---\n" + "**a" * (MAX_MARKDOWN_WORK // 2) + "<b>\n"
    found = findings(text)
    assert [(line, code) for line, code, _ in found] == [(4, "MD002")]
    assert "were not checked" in found[0][2]
    # Just under the limit the body is read, and its HTML checked.
    small = "---\ntitle: T\n---\n" + "a\n" * 1000 + "<b>x\n"
    assert [code for _, code, _ in findings(small)] == ["HT104"]


def test_a_raw_html_body_read_without_markdown_it_gives_what_markdown_it_gives() -> None:
    import contentkit.markdown as md

    texts = [p.read_text("utf-8") for p in sorted((FIXTURES / "corpus").glob("*.md"))]
    texts.append("---\ntitle: T\n---\n<div>\n<p>a</p>\n\n<pre>\n\nx\n</pre>\n<!--\n\n-->\n\n<p>b\n")
    for text in texts:
        doc = Document.from_text(text, "p.md")
        slow = md.BodyParse(md.parser().parse(doc.text[doc.body_start :]))
        if not slow.tokens or not all(t.type == "html_block" for t in slow.tokens):
            assert not doc.markdown.all_html
            continue
        assert doc.markdown.all_html and doc.markdown.html_only
        spans = [(doc.offset_of(doc.body_first_line + t.map[0], 1), t.map[1]) for t in slow.tokens]
        assert [s for s, _ in doc.markdown.html_blocks] == [s for s, _ in spans]
    assert not Document.from_text("<div>\n\n    <p>code</p>\n", "p.md").markdown.all_html
