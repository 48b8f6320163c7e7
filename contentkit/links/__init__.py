"""The one judgement of inline links: legit, spurious (auto-linker noise) or broken.

``lint`` reports these verdicts (rules ``spurious-link`` and ``broken-link``), ``lint --fix``
applies their unwrap fixes, and ``convert`` unwraps the same anchors before converting.
Two copies of this logic would drift apart, so there is only this one.

INTERFACE CONTRACT (kept stable for the converter and the rules):

* ``judge_links(doc, options) -> list[LinkVerdict]``, in source order, for every inline link
  of the document's body (HTML anchors, and Markdown links in a Markdown body).
* Offsets are into ``doc.text``. Unwrapping a link = deleting ``[start, open_end)`` and
  ``[close_start, end)``, which keeps the link text byte for byte.

How a verdict is reached
------------------------

*Broken* is structural and checked first, for every link: empty text, a missing, empty,
malformed or ``javascript:`` href, a project-page href whose id disagrees with ``data-id``,
text that differs from ``data-name`` beyond letter case, an anchor inside an anchor.

*Spurious* is only asked of auto-linker anchors (``a.project-link`` and the like, or a
Markdown link to a project page): an author's own link is never "matched by accident".
The evidence, all of it general (no word lists of any corpus):

* a Latin-script anchor with a letter or digit glued to either side cuts a word
  (Unicode word boundaries), as does text that matches ``data-name`` only up to case;
* jieba's dictionary on a window of about a dozen characters either side: how much less
  likely the window becomes when word boundaries are forced at the anchor's edges (a big
  drop means the anchor cuts through a word), and which word it cuts;
* the anchor's own part of speech and frequency in that dictionary (得到 is a verb),
  and the parts of speech of the words just before and after it;
* the company-name context: an enumeration with 、, a stock code, words that typically
  follow a company name (公司, 集团, 创始人, App…), a sentence start, a neighbouring link;
* how the same name fares elsewhere in the post (linked again? cutting words there too?);
* whether the anchor, with the characters around it, completes an idiom or set phrase of
  jionlp's dictionary (一帆<a>风顺</a>), a maintained lexicon rather than a list of corpus words;
* an interpunct next to the anchor (a transliterated person's name, 布鲁玛·紫格尼克).

Two logistic regressions weigh these, in a cascade (weights in
``contentkit/data/link_model.json``, rebuilt deterministically from the labelled TSVs by
``benchmarks/link_train.py``, with per-post grouped cross-validation). The fast one uses the
evidence above; only an anchor whose probability falls in its unsure band is read again by
Baidu's LAC tagger (``tagger``), whose person, organisation, place and proper-noun tags feed
the full model. The result has three outcomes: ``spurious`` when confident, ``uncertain``
(reported only when asked, never fixed by default) and ``legit``.

The modules, by job: ``anchors`` finds the links and the plain text, ``broken`` the structural
checks, ``evidence`` the record of one anchor and its window, ``segmentation`` the evidence
from jieba's dictionary, ``context`` the evidence from the words around the anchor and the
rest of the post, ``lexicon`` the idioms, ``tagger`` LAC's entities, ``model`` the weights and
the probability, ``verdicts`` the cascade and the judgement.
"""

from __future__ import annotations

from contentkit.links.evidence import Evidence
from contentkit.links.model import Model, load_model, spurious_probability
from contentkit.links.segmentation import POS_CLASSES, pos_class
from contentkit.links.verdicts import (
    DEFAULT_OPTIONS,
    Analysis,
    LinkVerdict,
    Verdict,
    analyse,
    gather_evidence,
    judge_links,
)

__all__ = [
    "DEFAULT_OPTIONS",
    "POS_CLASSES",
    "Analysis",
    "Evidence",
    "LinkVerdict",
    "Model",
    "Verdict",
    "analyse",
    "gather_evidence",
    "judge_links",
    "load_model",
    "pos_class",
    "spurious_probability",
]
