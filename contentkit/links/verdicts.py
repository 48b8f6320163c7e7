"""The judgement: evidence gathered and weighed for every link of a post."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from contentkit.convert.html import UNSAFE_SCHEMES, url_scheme
from contentkit.document import Document
from contentkit.links.anchors import _is_project_link, _Link, _links_and_plain_text
from contentkit.links.broken import _broken_reason
from contentkit.links.context import _context_evidence, _elsewhere_evidence
from contentkit.links.evidence import SEG_WINDOW, Evidence, _has_han, _window
from contentkit.links.lexicon import idiom_evidence
from contentkit.links.model import Model, load_model, probability
from contentkit.links.segmentation import (
    _SEG_MEMO,
    _SEG_MEMO_LIMIT,
    _dictionary_for,
    _segmentation_evidence,
    _Words,
    pos_class,
)

# (the tagger module itself is light: it loads numpy, ONNX Runtime and the model on first use)
from contentkit.links.tagger import tag, tagger_evidence, tagger_window

Verdict = Literal["legit", "uncertain", "spurious", "broken"]
# When the judge asks the tagger: only where the fast stage is unsure (the default), for
# every auto-link (training computes every feature), or never.
TaggerUse = Literal["cascade", "always", "never"]


@dataclass
class LinkVerdict:
    start: int  # offset of '<a' (HTML) or '[' (Markdown)
    open_end: int  # offset just past the opening tag '>' (HTML) or the '[' (Markdown)
    close_start: int  # offset of '</a>' (HTML) or of '](' (Markdown); == end if unclosed
    end: int  # offset just past '</a>' (HTML) or the ')' (Markdown)
    text: str  # the visible link text
    href: str | None
    verdict: Verdict
    reason: str  # why, in words a reader understands
    # How safe unwrapping is: "safe" (cuts through a word, broken), "unsafe" (a judgement
    # about ordinary words, or an uncertain one), None (legit: nothing to fix).
    fix: Literal["safe", "unsafe"] | None
    is_project_link: bool  # an auto-linker anchor (36kr's a.project-link and the like)
    probability: float | None = None  # that an auto-link is spurious (None: not judged so)


DEFAULT_OPTIONS: Mapping[str, Any] = {"allow": [], "deny": []}


def gather_evidence(
    plain: str,
    link: _Link,
    neighbours: list[_Link],
    words: _Words | None = None,
    memo: dict[str, tuple[list[int], list[int]]] | None = None,
) -> Evidence:
    ev = Evidence()
    context = link.context
    if context is None:
        context = link.context = _window(plain, link.plain_start, link.plain_end)
    left, right = context
    _context_evidence(plain, link, left, right, neighbours, ev)
    anchor = link.text
    han = link.han
    if han is None:
        han = link.han = _has_han(anchor)
    if han:
        seg_left, seg_right = left[-SEG_WINDOW:], right[:SEG_WINDOW]
        key = (seg_left, anchor, seg_right)
        known = _SEG_MEMO.get(key)
        if known is None:
            window = seg_left + anchor + seg_right
            if words is None or window not in words.windows:
                words = _dictionary_for([window])
            known = _SEG_MEMO[key] = _segmentation_evidence(seg_left, anchor, seg_right, words)
        known.apply(ev)
        idiom_evidence(left, anchor, right, ev)
    else:
        ev.features["anchor_pos_none"] = 1.0
    f = ev.features
    # A leader (据, 包括, a category noun: 美妆品牌完美日记) before an anchor read as a name, a
    # noun or an unknown word introduces the name; before a verb or an adverb the category
    # noun is the subject instead (品牌一起合作), and a cut is a cut whatever comes before it.
    if (
        f.get("leader")
        and f.get("max_cut_cost", 0.0) < 0.5
        and (f.get("anchor_pos_none") or f.get("anchor_pos_name") or f.get("anchor_pos_noun"))
    ):
        f["leader_before_name"] = 1.0
    _elsewhere_evidence(plain, link, ev, {} if memo is None else memo)
    return ev


_POS_WORDS = {
    "verb": "an ordinary verb",
    "adv": "an ordinary adverb",
    "adj": "an ordinary adjective",
    "num": "a number or measure word",
    "pron": "a pronoun",
    "func": "a function word",
    "noun": "an ordinary noun",
    "idiom": "a set phrase",
}


def _spurious_reason(link: _Link, ev: Evidence) -> tuple[str, Literal["safe", "unsafe"]]:
    text = link.text
    f = ev.features
    if ev.latin_cut and ev.cut_word and ev.cut_word != text:
        return f"'{text}' cuts through the word '{ev.cut_word}'", "safe"
    cut = ev.cut_word and ev.cut_word != text and f.get("max_cut_cost", 0) >= 0.5
    if cut:
        return f"'{text}' cuts through the word '{ev.cut_word}'", "safe"
    if f.get("idiom_cut") and ev.cut_word and ev.cut_word != text:
        return f"'{text}' cuts through the set phrase '{ev.cut_word}'", "safe"
    tf = ev.tagger or {}
    brand_and_product = tf.get("lac_org_starts_with_anchor_clean")
    if ev.tagger_word and ev.tagger_word != text and not brand_and_product:
        if tf.get("lac_inside_per") or tf.get("lac_inside_loc"):
            what = "person's" if tf.get("lac_inside_per") else "place's"
            return f"'{text}' is part of the {what} name '{ev.tagger_word}'", "safe"
        return f"'{text}' cuts through the word '{ev.tagger_word}'", "safe"
    if tf.get("lac_exact_per"):
        return f"'{text}' names a person here, not the company it links to", "unsafe"
    if tf.get("lac_exact_loc"):
        return f"'{text}' names a place here, not the company it links to", "unsafe"
    if ev.swallowed and f.get("edge_function_char", 0) > 0:
        what = "pronoun" if ev.swallowed_kind == "pron" else "function word"
        return f"'{text}' swallows the {what} '{ev.swallowed}' of the sentence", "unsafe"
    if f.get("case_mismatch"):
        name = link.attrs.get("data-name", "")
        why = f"'{text}' matches the linked name '{name}' only when letter case is ignored"
        return why, "unsafe"
    if f.get("anchor_idiom"):
        return f"'{text}' is a set phrase here, not the name of a company or product", "unsafe"
    pc = pos_class(ev.anchor_tag) if ev.anchor_tag else None
    if ev.anchor_tag in ("vn", "an"):  # jieba's verbal and adjectival nouns
        pc = "verb" if ev.anchor_tag == "vn" and f.get("prev_pos_adv") else "other"
    if pc == "other":
        return f"'{text}' is an everyday word here, not the name of a company or product", "unsafe"
    if pc in _POS_WORDS:
        return f"'{text}' is {_POS_WORDS[pc]} here, not the name of a company or product", "unsafe"
    return f"'{text}' is used in its ordinary sense here, not as the name it links to", "unsafe"


def _goes_nowhere(href: str | None) -> bool:
    """No href, an empty one, or a script's (its scheme read as a browser reads it, tabs and
    line breaks ignored): a link that takes a reader nowhere."""
    return not (href or "").strip() or url_scheme(href or "") in UNSAFE_SCHEMES


def _name_matches(link: _Link, names: list[str]) -> bool:
    wanted = {n.casefold() for n in names}
    return link.text.casefold() in wanted or link.attrs.get("data-name", "").casefold() in wanted


# ---------------------------------------------------------------------------------------
# The judgement
# ---------------------------------------------------------------------------------------


@dataclass
class Analysis:
    """Everything judged about one document's links (features kept for training)."""

    links: list[_Link]
    plain: str
    evidence: dict[int, Evidence]  # by index into links, for auto-linker anchors
    verdicts: list[LinkVerdict]


def person_cut(ev: Evidence) -> bool:
    """The tagger reads the anchor, beside an interpunct, as part of a person's name spanning
    it (史蒂夫·乔布斯, 布鲁玛·紫格尼克 PER): a company name is never part of such a name."""
    return bool(
        ev.tagger
        and ev.tagger.get("lac_inside_per")
        and ev.features.get("interpunct_name")
        and ev.tagger_word
        and any(c in ev.tagger_word for c in "·•‧・")
    )


def _fast_stage(
    link: _Link, ev: Evidence, model: Model, tagger: TaggerUse
) -> tuple[str, str] | None:
    """The fast stage for ``link``: its probability, and the part of its context the tagger
    must read (None if the fast stage decides alone)."""
    p = ev.fast_probability = probability(ev.features, model.fast)
    lo, hi = model.band
    # An anchor beside an interpunct is rare and is asked about whatever its probability:
    # only the tagger tells a transliterated name (乔布斯 in 史蒂夫·乔布斯) from a product line.
    near_dot = ev.features.get("interpunct_name", 0.0) > 0
    unsure = (lo <= p <= hi or near_dot) and not ev.latin_cut
    ask = tagger == "always" or (tagger == "cascade" and unsure)
    if not (ask and link.han and (model.full is not None or tagger == "always")):
        return None
    left, right = tagger_window(*(link.context or ("", "")))
    return left, right


def _weigh(link: _Link, ev: Evidence, model: Model, window: tuple[str, str] | None) -> float:
    """The cascade's answer: the fast stage's probability, or where it was unsure (``window``
    is what the tagger reads) the full stage's, with the tagger's evidence."""
    p = ev.fast_probability
    if window is not None:
        left, right = window
        ends_a_word = ev.features.get("right_cut_cost", 0.0) < 0.25
        ev.tagger, ev.tagger_word = tagger_evidence(left, link.text, right, ends_a_word)
        ev.person_cut = person_cut(ev)
        lo, hi = model.band
        if ev.tagger and model.full is not None and lo <= p <= hi:
            p = probability({**ev.features, **ev.tagger}, model.full)
    ev.probability = p
    return p


def analyse(
    doc: Document,
    options: Mapping[str, Any] = DEFAULT_OPTIONS,
    *,
    tagger: TaggerUse = "cascade",
    model: Model | None = None,
) -> Analysis:
    """Judge every link of ``doc``. ``tagger`` and ``model`` are for training and evaluation."""
    if model is None:
        model = load_model()
    allow = [str(x) for x in options.get("allow", [])]
    deny = [str(x) for x in options.get("deny", [])]
    text, body = doc.text, doc.body_start
    if text.find("<a", body) < 0 and text.find("](", body) < 0:
        return Analysis([], "", {}, [])  # the common fast path: no link at all
    links, plain = _links_and_plain_text(doc)
    if not links:
        return Analysis([], "", {}, [])
    for lk in links:
        lk.is_project = _is_project_link(lk)
    evidence: dict[int, Evidence] = {}
    verdicts: list[LinkVerdict] = []
    words: _Words | None = None
    occurrences: dict[str, tuple[list[int], list[int]]] = {}
    judged = [lk for lk in links if lk.is_project]
    for lk in judged:
        lk.han = _has_han(lk.text)
    han = [lk for lk in judged if lk.han]
    if han:
        # One dictionary query for all windows of the post; nothing at all for posts
        # without Chinese auto-links (the dictionary is never opened for them).
        # Windows segmented before need no dictionary: only the others are looked up. The
        # memo is emptied here, never while a post is judged, so a window found in it now is
        # still there when its link is judged.
        if len(_SEG_MEMO) >= _SEG_MEMO_LIMIT:
            _SEG_MEMO.clear()
        windows = []
        for lk in han:
            left, right = lk.context = _window(plain, lk.plain_start, lk.plain_end)
            seg_left, seg_right = left[-SEG_WINDOW:], right[:SEG_WINDOW]
            if (seg_left, lk.text, seg_right) not in _SEG_MEMO:
                windows.append(seg_left + lk.text + seg_right)
        if windows:
            words = _dictionary_for(windows)
    # What decides each link: a structural defect, the allow and deny lists, or the model.
    broken = [_broken_reason(lk) for lk in links]
    asks: dict[int, tuple[str, str] | None] = {}
    for i, lk in enumerate(links):
        if not lk.is_project or broken[i]:
            continue
        if (deny and _name_matches(lk, deny)) or (allow and _name_matches(lk, allow)):
            continue
        # Neighbours: the auto-links just before and after this one in the post.
        neighbours = [o for o in links[max(0, i - 1) : i + 2] if o is not lk and o.is_project]
        evidence[i] = gather_evidence(plain, lk, neighbours, words, occurrences)
        asks[i] = _fast_stage(lk, evidence[i], model, tagger)
    unsure = [w[0] + links[i].text + w[1] for i, w in asks.items() if w is not None]
    if unsure:
        # The tagger reads the post's unsure windows one after another, before anything else
        # runs: its model's 2 MB of weights then stay in the processor's cache, where a run
        # after other work costs a quarter more. (Its memo answers the weighing below.)
        for sentence in unsure:
            tag(sentence)
    for i, lk in enumerate(links):
        verdict: Verdict = "legit"
        reason = ""
        fix: Literal["safe", "unsafe"] | None = None
        defect = broken[i]
        if defect:
            verdict, reason = "broken", defect
            # Unwrapping an auto-linker's broken anchor, or a link that goes nowhere, keeps what
            # the author wrote; an author's own link with a mistyped target (a button whose
            # href is still a placeholder) wants its href mended: unwrapping is no safe fix.
            mended = lk.is_project or _goes_nowhere(lk.href)
            safe = mended and lk.text.strip() and lk.closed and not lk.nested
            fix = "safe" if safe else "unsafe"
            if lk.nested:
                fix = None  # unwrapping one of two nested anchors is a choice for the author
        elif lk.is_project and deny and _name_matches(lk, deny):
            verdict, reason, fix = "spurious", f"'{lk.text}' is on the deny list", "safe"
        elif lk.is_project and allow and _name_matches(lk, allow):
            verdict, reason = "legit", f"'{lk.text}' is on the allow list"
        elif lk.is_project:
            ev = evidence[i]
            p = _weigh(lk, ev, model, asks[i])
            if p >= model.spurious or ev.latin_cut or ev.person_cut:
                verdict = "spurious"
                reason, fix = _spurious_reason(lk, ev)
            elif p >= model.uncertain:
                verdict, fix = "uncertain", "unsafe"
                reason = (
                    f"'{lk.text}' may be an ordinary word here rather than the name it links to"
                )
            else:
                reason = f"'{lk.text}' reads as the name it links to"
        verdicts.append(
            LinkVerdict(
                lk.start,
                lk.open_end,
                lk.close_start,
                lk.end,
                lk.text,
                lk.href,
                verdict,
                reason,
                fix,
                lk.is_project,
                evidence[i].probability if i in evidence else None,
            )
        )
    return Analysis(links, plain, evidence, verdicts)


def judge_links(doc: Document, options: Mapping[str, Any] = DEFAULT_OPTIONS) -> list[LinkVerdict]:
    """Every inline link of ``doc`` with its verdict, in source order."""
    return analyse(doc, options).verdicts
