"""Evidence from jieba's dictionary: does the anchor cut a word, what are it and its neighbours."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from contentkit.links.evidence import Evidence, _is_han

POS_CLASSES = ("name", "noun", "idiom", "verb", "adv", "adj", "num", "pron", "func", "none")


def pos_class(tag: str | None) -> str:
    """Coarse part of speech of a jieba dictionary tag."""
    if not tag:
        return "none"
    t = tag.lower()
    if t in ("nr", "nrt", "nrfg", "ns", "nt", "nz", "j"):
        return "name"
    if t in ("i", "l"):
        return "idiom"
    if t.startswith("n") or t in ("vn", "an", "s", "f", "g"):
        return "noun"
    if t.startswith("v"):
        return "verb"
    if t in ("d", "dg", "zg"):
        return "adv"
    if t.startswith("a") or t in ("b", "z"):
        return "adj"
    if t in ("m", "mq", "q", "qg", "t", "tg"):
        return "num"
    if t.startswith("r"):
        return "pron"
    return "func"


_POS_CLASS_OF: dict[str, str] = {}


def _pos_class(tag: str) -> str:
    """pos_class, remembered: jieba has a few dozen tags and the judge asks thousands of times."""
    known = _POS_CLASS_OF.get(tag)
    if known is None:
        known = _POS_CLASS_OF[tag] = pos_class(tag)
    return known


@dataclass
class _Words:
    """Dictionary entries for every window of one post, looked up in one query."""

    entries: Mapping[str, Any]  # the words (frequency > 0) of the windows
    total: int
    pieces: Mapping[str, Any]  # see segment.Lexicon.lookup_pieces
    windows: frozenset[str] = frozenset()  # the windows whose words these are
    lattice: Any = None  # segment.Lattice (imported with the dictionary, not per window)


def _dictionary_for(windows: list[str]) -> _Words:
    from contentkit import segment

    lex = segment.lexicon()
    entries, pieces = lex.lookup_pieces(windows)
    return _Words(entries, lex.total, pieces, frozenset(windows), segment.Lattice)


# Feature names by part-of-speech class, made once rather than per anchor.
_NEIGHBOUR_CLASSES = (*POS_CLASSES, "punct", "edge")
_ANCHOR_POS = {c: f"anchor_pos_{c}" for c in POS_CLASSES}
_PREV_POS = {c: f"prev_pos_{c}" for c in _NEIGHBOUR_CLASSES}
_NEXT_POS = {c: f"next_pos_{c}" for c in _NEIGHBOUR_CLASSES}
_INNER_POS = {
    side: {c: f"inner_{side}_{c}" for c in ("verb", "adv", "adj", "num", "pron", "noun")}
    for side in ("first", "last")
}


def _segmentation_evidence(left: str, anchor: str, right: str, words: _Words) -> _SegmentationFacts:
    """How strongly jieba's dictionary wants a word across the anchor's edges."""
    f: dict[str, float] = {}
    window = left + anchor + right
    n = len(window)
    a = len(left)
    b = a + len(anchor)
    entries = words.entries
    entry = entries.get(anchor)
    if entry is not None:
        anchor_tag, anchor_freq = entry.tag, entry.freq
        f["anchor_logfreq"] = math.log1p(anchor_freq) / 10
        f["anchor_in_dict"] = 1.0
        pc = _pos_class(anchor_tag)
    else:
        anchor_tag, anchor_freq = None, 0
        f["anchor_logfreq"] = 0.0
        f["anchor_in_dict"] = 0.0
        pc = "none"
    f[_ANCHOR_POS[pc]] = 1.0  # one-hot: absent features are 0 for the model
    lattice = words.lattice(window, None, words.total, None, words.pieces)
    free_logp = lattice.fwd[n]
    # Cost of forcing a boundary, in nats; capped so that one huge number cannot dominate.
    lc = max(0.0, free_logp - lattice.through(a)) if a > 0 else 0.0
    rc = max(0.0, free_logp - lattice.through(b)) if b < n else 0.0
    left_cost = f["left_cut_cost"] = min(lc, 12.0) / 4
    right_cost = f["right_cut_cost"] = min(rc, 12.0) / 4
    f["max_cut_cost"] = max(left_cost, right_cost)
    # Which words of the free segmentation (jieba's best path, walked back from the end)
    # cross an edge, and is the anchor one of its words?
    back = lattice.back
    left_crossed = right_crossed = is_word = False
    s0, e0 = a, b
    e = n
    while e > 0:
        s = back[e]
        if s < a < e:
            left_crossed = True
            if s < b < e:
                right_crossed = True
        elif s < b < e:
            right_crossed = True
        else:
            if s == a and e == b:
                is_word = True
            e = s
            continue
        if s < s0:
            s0 = s
        if e > e0:
            e0 = e
        e = s
    f["left_crossed"] = 1.0 if left_crossed else 0.0
    f["right_crossed"] = 1.0 if right_crossed else 0.0
    cut_word = window[s0:e0] if left_crossed or right_crossed else None
    # The anchor inside the free segmentation: is it one word, or pieces of other words?
    f["anchor_is_word"] = 1.0 if is_word else 0.0
    # The anchor's own words: a name jieba does not know splits into rare pieces (微/博),
    # an ordinary phrase into common words (上线/了, 出门/找/我, 简单/任务).
    if entry is not None:
        pieces = [anchor]  # a dictionary word is its own best segmentation
        f["inner_pieces"] = 0.0
    else:
        pieces = [anchor[s:e] for s, e in lattice.words_within(a, b)]
        f["inner_pieces"] = min(len(pieces), 4) / 4
    multi = len(pieces) >= 2  # never for a dictionary word
    if multi:
        freqs = [entries[p].freq if p in entries else 1 for p in pieces]
        f["inner_min_logfreq"] = math.log(min(freqs)) / 10
        f["inner_all_words"] = 1.0 if all(len(p) >= 2 for p in pieces) else 0.0
    else:
        f["inner_min_logfreq"] = 0.0
        f["inner_all_words"] = 0.0
    # A very common one-character word at an edge: the anchor swallows a function word
    # (天地和, 志愿时, 靠我, 上线了).
    edge = 0.0
    swallowed: str | None = None
    swallowed_kind = "func"
    if multi:
        for p in (pieces[0], pieces[-1]):
            ent = entries.get(p)
            if len(p) == 1 and ent is not None:
                kind = _pos_class(ent.tag)
                if kind in ("func", "pron") and math.log(ent.freq) / 10 > edge:
                    edge = math.log(ent.freq) / 10
                    swallowed = p
                    swallowed_kind = kind
    f["edge_function_char"] = edge
    # Parts of speech of the first and last piece of an anchor jieba does not know whole:
    # 非常/完美 (adverb, adjective) and 一条/视频 (numeral) are phrases, not names.
    if multi:
        for side, p in (("first", pieces[0]), ("last", pieces[-1])):
            ent = entries.get(p)
            if ent is not None and len(p) >= 2:
                key = _INNER_POS[side].get(_pos_class(ent.tag))
                if key is not None:
                    f[key] = 1.0
    # Parts of speech of the neighbouring words (with the anchor as one word).
    if a > 0:
        word = window[back[a] : a]
        ent = entries.get(word)
        prev_c = _pos_class(ent.tag) if ent else ("none" if _is_han(word[0]) else "punct")
    else:
        prev_c = "edge"
    f[_PREV_POS[prev_c]] = 1.0
    next_word = lattice.word_starting_at(b)
    if next_word is not None:
        word = window[b : next_word[1]]
        ent = entries.get(word)
        next_c = _pos_class(ent.tag) if ent else ("none" if _is_han(word[0]) else "punct")
    else:
        next_c = "edge"
    f[_NEXT_POS[next_c]] = 1.0
    # A dictionary noun inside a noun compound is the compound's ordinary part (潮玩爱好者).
    noun = pc == "noun"
    f["noun_before_noun"] = 1.0 if noun and next_c == "noun" else 0.0
    f["noun_after_noun"] = 1.0 if noun and prev_c == "noun" else 0.0
    # A frequent dictionary noun is an everyday thing (人物, 浪潮); a rare one may be a name.
    f["noun_logfreq"] = f["anchor_logfreq"] if noun else 0.0
    f["verb_after_adv"] = 1.0 if pc == "verb" and prev_c == "adv" else 0.0
    return _SegmentationFacts(f, cut_word, anchor_tag, anchor_freq, swallowed, swallowed_kind)


class _SegmentationFacts(NamedTuple):
    """What _segmentation_evidence found for one window: it depends on the window's text
    and the dictionary only, so a window met again (a feed's boilerplate sentence, a name
    in its usual phrase) is not segmented again."""

    features: dict[str, float]  # in the order they were set (never changed after)
    cut_word: str | None
    anchor_tag: str | None
    anchor_freq: int
    swallowed: str | None
    swallowed_kind: str

    def apply(self, ev: Evidence) -> None:
        # The context evidence sets none of these features: the merged dict has the same
        # keys in the same order as when both were computed into it directly.
        ev.features.update(self.features)
        if self.cut_word is not None:
            ev.cut_word = self.cut_word
        ev.anchor_tag, ev.anchor_freq = self.anchor_tag, self.anchor_freq
        if self.swallowed is not None:
            ev.swallowed, ev.swallowed_kind = self.swallowed, self.swallowed_kind


# (left, anchor, right) -> its segmentation facts, for the process. Bounded: emptied (only
# ever between posts, see analyse) once it holds this many windows (a few MB).
_SEG_MEMO: dict[tuple[str, str, str], _SegmentationFacts] = {}
_SEG_MEMO_LIMIT = 4096
