"""Evidence from a maintained lexicon: the idioms and set phrases of jionlp's dictionary.

jieba's dictionary holds most idioms but tags a third of them as nouns, verbs or even
personal names (so a part-of-speech feature reads 一帆风顺 as a name); jionlp ships a list of
some 30,000 Chinese idioms (``chinese_idiom.zip``). The list is read from the installed
package's data file, without importing jionlp (its import is slow and prints a banner), once
per process and only when a Chinese auto-link is judged. If jionlp is missing, no anchor is
an idiom and the other evidence decides.
"""

from __future__ import annotations

import importlib.util
import zipfile
from functools import lru_cache
from pathlib import Path

from contentkit.links.evidence import Evidence

# Idioms shorter than this are ordinary words too (一起, 天下); longer ones are proverbs.
_MIN_LEN, _MAX_LEN = 4, 8


@lru_cache(maxsize=1)
def idioms() -> frozenset[str]:
    """jionlp's idioms of 4 to 8 characters (empty if jionlp is not installed)."""
    spec = importlib.util.find_spec("jionlp")
    if spec is None or not spec.submodule_search_locations:
        return frozenset()
    path = Path(next(iter(spec.submodule_search_locations))) / "dictionary" / "chinese_idiom.zip"
    try:
        with zipfile.ZipFile(path) as z:
            text = z.read("chinese_idiom.txt").decode("utf-8")
    except (OSError, KeyError, zipfile.BadZipFile):
        return frozenset()
    out = set()
    for line in text.splitlines():
        word = line.split("\t", 1)[0]
        if _MIN_LEN <= len(word) <= _MAX_LEN:
            out.add(word)
    return frozenset(out)


@lru_cache(maxsize=1)
def _openings() -> frozenset[str]:
    """The first two characters of every idiom: most places in a sentence start none, and
    one lookup rules out the five idiom lengths that could start there."""
    return frozenset(word[:2] for word in idioms())


def idiom_evidence(left: str, anchor: str, right: str, ev: Evidence) -> None:
    """Is the anchor an idiom (不亦乐乎), or does an idiom cross one of its edges (一帆|风顺)?"""
    known = idioms()
    openings = _openings()
    f = ev.features
    f["anchor_idiom"] = 1.0 if anchor in known else 0.0
    crossing: str | None = None
    left, right = left[-(_MAX_LEN - 1) :], right[: _MAX_LEN - 1]
    window = left + anchor + right
    a, b = len(left), len(left) + len(anchor)
    # Every idiom-sized stretch of the window that starts before an edge and ends after it
    # (so is not the anchor itself): a stretch starting before the anchor must end inside or
    # after it, one starting inside it must end after it.
    for start in range(max(0, a - _MAX_LEN + 1), b):
        if window[start : start + 2] not in openings:
            continue
        first_end = max(start + _MIN_LEN, (a if start < a else b) + 1)
        for end in range(first_end, min(len(window), start + _MAX_LEN) + 1):
            if window[start:end] in known:
                crossing = window[start:end]
                break
        if crossing:
            break
    f["idiom_cut"] = 1.0 if crossing else 0.0
    if crossing and not ev.cut_word:
        ev.cut_word = crossing
