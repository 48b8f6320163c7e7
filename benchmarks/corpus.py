"""Build a large, deterministic corpus of posts from the real ones in ../shared/corpus/posts.

Every generated post takes its shape from a real post: 36kr articles get the same number of
paragraphs, drawn (shuffled) from the pool of every real 36kr paragraph, so size, tag density
and project-link density match the real feed; other feeds keep their real body. Front matter is
varied (titles, dates in the formats the real mirror uses and in ISO, categories, tags) and a
few posts carry the real defects (blank line before ``---``, RFC-2822 dates).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

DEFAULT_SOURCE = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "posts"

_FM = re.compile(r"\A\s*---\r?\n(.*?)\r?\n---\r?\n", re.S)
_TITLE = re.compile(r"^title:\s*(.*)$", re.M)


@dataclass
class Source:
    name: str
    front_matter: str
    body: str
    paragraphs: int  # paragraph lines in the body (36kr shape) or 0


def load_sources(folder: Path = DEFAULT_SOURCE) -> list[Source]:
    out: list[Source] = []
    for path in sorted(folder.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        m = _FM.match(text)
        if m is None:
            continue
        body = text[m.end() :]
        paras = [ln for ln in body.splitlines() if ln.strip().startswith("<p")]
        out.append(Source(path.name, m.group(1), body, len(paras)))
    if not out:
        raise SystemExit(f"no posts found in {folder}")
    return out


def paragraph_pool(sources: list[Source]) -> list[str]:
    pool: list[str] = []
    for s in sources:
        if s.name.startswith("36kr-"):
            pool.extend(ln for ln in s.body.splitlines() if ln.strip().startswith("<p"))
    return pool


_DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def _date(rng: random.Random) -> str:
    y, mo, d = rng.randint(2018, 2024), rng.randint(1, 12), rng.randint(1, 28)
    h, mi, s = rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59)
    style = rng.random()
    if style < 0.6:  # what the real RSS mirror writes
        day = _DAYS[rng.randint(0, 6)]
        return f"{day}, {d:02d} {_MONTHS[mo - 1]} {y} {h:02d}:{mi:02d}:{s:02d} GMT"
    if style < 0.85:
        return f"{y}-{mo:02d}-{d:02d} {h:02d}:{mi:02d}:{s:02d}"
    return f"{y}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}+08:00"


def _front_matter(src: Source, rng: random.Random, titles: list[str], i: int) -> str:
    lines = []
    for line in src.front_matter.splitlines():
        if line.startswith("title:"):
            title = f"{rng.choice(titles)} ({i})".replace("'", "''")
            line = f"title: '{title}'"
        elif line.startswith("date:"):
            line = f"date: {_date(rng)}"
        lines.append(line)
    if rng.random() < 0.3:
        tags = rng.sample(["科技", "创投", "消费", "汽车", "AI", "互联网", "金融", "医疗"], 2)
        lines.append("tags:\n" + "\n".join(f"  - {t}" for t in tags))
    lead = "\n" if rng.random() < 0.1 else ""  # the real mirror's blank line before ---
    return lead + "---\n" + "\n".join(lines) + "\n---\n"


def generate_post(
    i: int, sources: list[Source], pool: list[str], titles: list[str], rng: random.Random
) -> str:
    src = sources[rng.randrange(len(sources))]
    fm = _front_matter(src, rng, titles, i)
    if src.name.startswith("36kr-") and src.paragraphs:
        paras = [pool[rng.randrange(len(pool))] for _ in range(src.paragraphs)]
        body = "<div>   \n" + " \n".join(paras) + " \n</div>\n"
    else:
        body = src.body
    return fm + body


def build_corpus(
    dest: Path, count: int, seed: int = 20261128, source: Path = DEFAULT_SOURCE
) -> int:
    """Write ``count`` posts under ``dest`` (100 posts a folder); returns the bytes written."""
    rng = random.Random(seed)
    sources = load_sources(source)
    pool = paragraph_pool(sources)
    titles = []
    for s in sources:
        m = _TITLE.search(s.front_matter)
        if m:
            titles.append(m.group(1).strip().strip("'\"").replace("''", "'"))
    total = 0
    for i in range(count):
        folder = dest / f"{i // 100:04d}"
        if i % 100 == 0:
            folder.mkdir(parents=True, exist_ok=True)
        data = generate_post(i, sources, pool, titles, rng).encode("utf-8")
        (folder / f"post-{i:06d}.md").write_bytes(data)
        total += len(data)
    return total
