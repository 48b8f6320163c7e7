"""Random adversarial HTML (CJK text, punctuation, Markdown-looking text, nested emphasis,
links, code, lists, tables) through the converter and the fidelity scorer.

    python benchmarks/fidelity_random.py SEED COUNT [--scraped | --emphasis]

Prints a few failing documents and the count of documents that do not score 1.00 on every
dimension. Not a test: it measures how far from perfect the converter is on inputs nobody wrote.

``--scraped`` makes the tree shapes of scraped pages instead (plainer text): table parts and
list items outside their parents, inline elements around blocks, runs of ``<br>``, elements
holding only no-break spaces or nothing, ``<div>`` in ``<p>``, links and images in headings,
``<pre>``/tables/quotes in list items, ``<pre>`` in cells, figures, ``<sup>``/``<sub>``,
``<dl>``, and text between a list's items.

``--emphasis`` makes one paragraph of nested ``<b>``/``<em>``/``<del>`` around short words,
digits, CJK and punctuation (``*`` and ``_`` among them): where the delimiters meet letters,
punctuation and each other, the cases CommonMark's flanking rules make hard.
"""

import html
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from contentkit.convert.fidelity import score
from contentkit.convert.markdown import html_to_markdown as h

TEXT = [
    "“直播一哥”",
    "李佳琦",
    "。",
    "）",
    "（",
    "a_b_c",
    "5*3",
    "`x`",
    "[1]",
    "# ",
    "1. ",
    "> ",
    "- ",
    "+ ",
    "!",
    "<div>",
    "AT&T",
    "中文",
    " ",
    "\u00a0",
    "abc",
    "\n",
    "、",
    "“",
    "”",
    "：",
    "2) ",
    "《书》",
    "？",
    "—",
    "C:\\\\dir",
    "http://x.com/a b",
    "|",
    "~",
    "(",
    ")",
]
INLINE = ["strong", "em", "b", "i", "a", "code", "span", "del"]
LEAF = {"code"}
BLOCK = ["p", "div", "blockquote", "ul", "ol", "h2", "h3", "pre", "table", "figure"]


def text(r):
    return html.escape("".join(r.choice(TEXT) for _ in range(r.randint(1, 4))), quote=False)


def inline(r, d):
    out = []
    for _ in range(r.randint(1, 4)):
        k = r.random()
        if k < 0.45 or d > 3:
            out.append(text(r))
        elif k < 0.5:
            out.append("<br>")
        elif k < 0.55:
            out.append(f'<img src="http://i/{r.randint(0, 9)}.png" alt="x">')
        else:
            t = r.choice(INLINE)
            attrs = f' href="http://x.com/{r.randint(0, 9)}"' if t == "a" else ""
            inner = text(r) if t in LEAF else inline(r, d + 1)
            if t == "a":
                inner = inner.replace("<a ", "<span ").replace("</a>", "</span>")
            out.append(f"<{t}{attrs}>{inner}</{t}>")
    return "".join(out)


def block(r, d):
    t = r.choice(BLOCK) if d < 3 else "p"
    if t in ("ul", "ol"):
        return (
            f"<{t}>"
            + "".join(
                f"<li>{inline(r, d + 1) if r.random() < 0.6 else block(r, d + 1)}</li>"
                for _ in range(r.randint(1, 3))
            )
            + f"</{t}>"
        )
    if t == "table":
        rows = "".join(
            "<tr>" + "".join(f"<td>{inline(r, d + 1)}</td>" for _ in range(2)) + "</tr>"
            for _ in range(2)
        )
        return f"<table>{rows}</table>"
    if t in ("div", "blockquote", "figure"):
        return (
            f"<{t}>"
            + "".join(
                block(r, d + 1) if r.random() < 0.6 else inline(r, d + 1)
                for _ in range(r.randint(1, 3))
            )
            + f"</{t}>"
        )
    if t == "pre":
        return f"<pre>{text(r)}</pre>"
    return f"<{t}>{inline(r, d)}</{t}>"


# ---- --scraped: the shapes of scraped pages ----------------------------------------------------

WORDS = ["news", "the", "Price", "2024", "über", "中文", "a.b", "x_y", "#1", "(c)", "AT&amp;T"]
WRAPPERS = ["span", "a", "b", "font", "em", "strong"]


def words(r):
    return " ".join(r.choice(WORDS) for _ in range(r.randint(1, 3)))


def open_tag(r, t):
    if t == "a":
        return f'<a href="http://x.com/{r.randint(0, 9)}">'
    if t == "font":
        return '<font color="red">'
    return f"<{t}>"


def scraped_inline(r, d):
    out = []
    for _ in range(r.randint(1, 3)):
        k = r.random()
        if k < 0.4 or d > 4:
            out.append(words(r) if r.random() < 0.9 else text(r))
        elif k < 0.5:
            out.append("<br>" * r.randint(1, 4))
        elif k < 0.55:
            out.append(f'<img src="http://i/{r.randint(0, 9)}.png" alt="pic">')
        elif k < 0.6:
            out.append(r.choice(["&nbsp;", "<span>&nbsp;</span>", "<b></b>", "<span></span>"]))
        elif k < 0.68:
            t = r.choice(["sup", "sub"])
            out.append(f"<{t}>{r.choice(['1', '2', 'a', words(r)])}</{t}>")
        else:
            t = r.choice(WRAPPERS)
            inner = scraped_inline(r, d + 1)
            if t == "a":
                inner = inner.replace("<a ", "<span ").replace("</a>", "</span>")
            out.append(f"{open_tag(r, t)}{inner}</{t}>")
    return " ".join(out) if r.random() < 0.5 else "".join(out)


def scraped_items(r, d):
    out = []
    for _ in range(r.randint(1, 3)):
        body = scraped_inline(r, d + 1) if r.random() < 0.6 else scraped_block(r, d + 1)
        out.append(f"<li>{body}</li>")
        if r.random() < 0.15:
            out.append(words(r))  # text between items
    return "".join(out)


def scraped_block(r, d):
    if d >= 4:
        return f"<p>{scraped_inline(r, d)}</p>"
    k = r.randrange(18)
    if k == 0:  # a cell or row outside any table
        cell = f"<td>{scraped_inline(r, d + 1)}</td>"
        return cell if r.random() < 0.5 else f"<tr>{cell}{cell}</tr>"
    if k == 1:  # items outside any list
        return scraped_items(r, d)
    if k == 2:  # an inline element around blocks
        t = r.choice(WRAPPERS)
        inner = "".join(scraped_block(r, d + 1) for _ in range(r.randint(1, 2)))
        return f"{open_tag(r, t)}{inner}</{t}>"
    if k == 3:  # a <div> (or other block) inside a <p>
        inner = r.choice(["div", "ul", "table", "h3", "blockquote"])
        return f"<p>{scraped_inline(r, d)}<{inner}>{words(r)}</{inner}>{words(r)}</p>"
    if k == 4:  # a heading holding a link or an image
        t = r.choice(["h1", "h2", "h3"])
        a = f'<a href="http://x.com/h{r.randint(0, 9)}">{scraped_inline(r, d + 1)}</a>'
        img = f'<img src="http://i/h{r.randint(0, 9)}.png" alt="logo">'
        return f"<{t}>{r.choice([a, img, a + img, words(r) + a])}</{t}>"
    if k in (5, 6):  # lists holding pre, tables, quotes, nested lists
        t = r.choice(["ul", "ol"])
        kind = r.choice(["pre", "table", "blockquote", "list", "plain"])
        items = scraped_items(r, d)
        if kind == "pre":
            items += f"<li>{words(r)}<pre>code {words(r)}\n  line</pre></li>"
        elif kind == "table":
            items += f"<li>{words(r)}{scraped_table(r, d + 1)}</li>"
        elif kind == "blockquote":
            items += f"<li><blockquote>{scraped_inline(r, d + 1)}</blockquote>{words(r)}</li>"
        elif kind == "list":
            items += f"<li>{words(r)}<ul>{scraped_items(r, d + 1)}</ul></li>"
        return f"<{t}>{items}</{t}>"
    if k == 7:
        return scraped_table(r, d)
    if k == 8:
        cap = f"<figcaption>{scraped_inline(r, d + 1)}</figcaption>"
        img = f'<img src="http://i/f{r.randint(0, 9)}.png" alt="fig">'
        parts = [img, cap] if r.random() < 0.7 else [cap, img]
        return f"<figure>{''.join(parts)}</figure>"
    if k == 9:
        parts = "".join(
            f"<dt>{scraped_inline(r, d + 1)}</dt><dd>{scraped_inline(r, d + 1)}</dd>"
            for _ in range(r.randint(1, 2))
        )
        return f"<dl>{parts}</dl>"
    if k == 10:  # empty or space-only blocks
        t = r.choice(["p", "div", "h2", "li", "td", "blockquote"])
        return f"<{t}>{r.choice(['', '&nbsp;', ' ', '<br>', '&nbsp;<br>&nbsp;'])}</{t}>"
    if k == 11:
        return f"<pre>{words(r)}\n{words(r)}</pre>"
    if k in (12, 13):
        t = r.choice(["div", "blockquote", "section", "center"])
        inner = "".join(
            scraped_block(r, d + 1) if r.random() < 0.6 else scraped_inline(r, d + 1)
            for _ in range(r.randint(1, 3))
        )
        return f"<{t}>{inner}</{t}>"
    return f"<p>{scraped_inline(r, d)}</p>"


def scraped_table(r, d):
    def cell():
        k = r.random()
        if k < 0.15:
            return f"<td><pre>{words(r)}\n{words(r)}</pre></td>"
        if k < 0.25:
            return f"<td><p>{scraped_inline(r, d + 1)}</p><p>{words(r)}</p></td>"
        if k < 0.3:
            return "<td>&nbsp;</td>"
        return f"<td>{scraped_inline(r, d + 1)}</td>"

    rows = "".join("<tr>" + cell() + cell() + "</tr>" for _ in range(r.randint(1, 3)))
    head = "<tr><th>Name</th><th>Value</th></tr>" if r.random() < 0.5 else ""
    return f"<table>{head}{rows}</table>"


EMPHASIS_WORDS = ["a", "x", "中", "。", "!", " ", "1", "_", "*", "ab", "文字"]
EMPHASIS_TAGS = ["b", "em", "strong", "i", "del"]


def emphasis_inline(r, d):
    out = []
    for _ in range(r.randint(1, 3)):
        if d < 3 and r.random() < 0.5:
            t = r.choice(EMPHASIS_TAGS)
            out.append(f"<{t}>{emphasis_inline(r, d + 1)}</{t}>")
        else:
            out.append(r.choice(EMPHASIS_WORDS))
    return "".join(out)


def emphasis_block(r, d):
    return f"<p>{emphasis_inline(r, d)}</p>"


args = [a for a in sys.argv[1:] if not a.startswith("--")]
scraped = "--scraped" in sys.argv
emphasis = "--emphasis" in sys.argv
seed0 = int(args[0])
n = int(args[1])
bad = 0
for seed in range(seed0, seed0 + n):
    r = random.Random(seed)
    make = scraped_block if scraped else emphasis_block if emphasis else block
    count = 1 if emphasis else r.randint(1, 3)
    src = "".join(make(r, 0) for _ in range(count))
    md = h(src)
    s = score(src, md)
    probs = {d: s.differences(d) for d, v in s.scores.items() if v < 1}
    if probs or s.raw_html or s.unsafe_links:
        bad += 1
        if bad <= 6:
            print("SEED", seed)
            print("SRC:", src[:500])
            print("MD:", repr(md[:500]))
            for d, (m, e) in probs.items():
                print("  ", d, "missing", str(m)[:300], "| extra", str(e)[:300])
            print()
print("bad", bad, "of", n)
