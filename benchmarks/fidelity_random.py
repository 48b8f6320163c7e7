"""Random adversarial HTML (CJK text, punctuation, Markdown-looking text, nested emphasis,
links, code, lists, tables) through the converter and the fidelity scorer.

    python benchmarks/fidelity_random.py SEED COUNT

Prints a few failing documents and the count of documents that do not score 1.00 on every
dimension. Not a test: it measures how far from perfect the converter is on inputs nobody wrote.
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


seed0 = int(sys.argv[1])
n = int(sys.argv[2])
bad = 0
for seed in range(seed0, seed0 + n):
    r = random.Random(seed)
    src = "".join(block(r, 0) for _ in range(r.randint(1, 3)))
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
