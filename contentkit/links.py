"""The one judgement of inline links: legit, spurious (auto-linker noise) or broken.

``lint`` reports these verdicts (rules ``spurious-link`` and ``broken-link``), ``lint --fix``
applies their unwrap fixes, and ``convert`` unwraps the same anchors before converting.
Two copies of this logic would drift apart, so there is only this one.

INTERFACE CONTRACT (kept stable for the converter and the rules):

* ``judge_links(doc, options) -> list[LinkVerdict]``, in source order, for every inline link
  of the document's body (HTML anchors, and Markdown links in a Markdown body).
* Offsets are into ``doc.text``. Unwrapping a link = deleting ``[start, open_end)`` and
  ``[close_start, end)``, which keeps the link text byte for byte.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from contentkit.document import Document

Verdict = Literal["legit", "spurious", "broken"]


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
    # about ordinary words), None (legit: nothing to fix).
    fix: Literal["safe", "unsafe"] | None
    is_project_link: bool  # an auto-linker anchor (36kr's a.project-link and the like)


DEFAULT_OPTIONS: Mapping[str, Any] = {"allow": [], "deny": []}


def judge_links(doc: Document, options: Mapping[str, Any] = DEFAULT_OPTIONS) -> list[LinkVerdict]:
    """Every inline link of ``doc`` with its verdict. (Being implemented: issue 3.)"""
    raise NotImplementedError("link judgement is implemented in issue 3")
