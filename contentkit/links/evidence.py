"""The evidence record of one auto-linker anchor, and the text around it."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

WINDOW = 12  # characters of context each side, as a reader of a sentence would look
# Characters each side that the segmenter sees: enough for any word that crosses an edge
# (jieba's words are rarely longer than 4) and for its neighbours.
SEG_WINDOW = 4


def _is_han(ch: str) -> bool:
    """A CJK ideograph (tested by code point: a regex class over them is slow to compile)."""
    o = ord(ch)
    return 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF


def _has_han(text: str) -> bool:
    for ch in text:  # _is_han inline: no call per character
        o = ord(ch)
        if 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF:
            return True
    return False


def _is_latin_word_char(ch: str) -> bool:
    """A letter, digit or '_' that is no CJK ideograph: what glues a Latin word together."""
    if not ch:
        return False
    o = ord(ch)
    if o < 128:  # ASCII's letters and digits are its only characters of category L or N
        return ch.isalnum() or ch == "_"
    if 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF:  # _is_han
        return False
    return unicodedata.category(ch)[0] in ("L", "N")


@dataclass
class Evidence:
    """Features of one auto-linker anchor, with what a reader needs to explain them."""

    features: dict[str, float] = field(default_factory=dict)
    cut_word: str | None = None  # the word the anchor cuts through, if any
    latin_cut: bool = False
    # The tagger reads the anchor as part of a transliterated personal name (乔布斯 in
    # 史蒂夫·乔布斯, see verdicts.person_cut): spurious whatever the model says, as a Latin cut is.
    person_cut: bool = False
    anchor_tag: str | None = None
    anchor_freq: int = 0
    swallowed: str | None = None  # a function word or pronoun at the anchor's edge
    swallowed_kind: str = "func"
    # The cascade: the fast stage's probability, the tagger's features if it was asked (the
    # full stage's probability is then ``probability``), and the word it says the anchor cuts.
    fast_probability: float = 0.0
    probability: float = 0.0
    tagger: dict[str, float] | None = None
    tagger_word: str | None = None


def _window(plain: str, start: int, end: int) -> tuple[str, str]:
    left = plain[max(0, start - WINDOW) : start]
    right = plain[end : end + WINDOW]
    nl = left.rfind("\n")
    if nl >= 0:
        left = left[nl + 1 :]
    nl = right.find("\n")
    if nl >= 0:
        right = right[:nl]
    return left, right
