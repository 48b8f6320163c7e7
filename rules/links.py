"""Inline links: auto-linker anchors matched by accident, and structurally broken links.

Both rules report the verdicts of :func:`contentkit.links.judge_links`, computed once per
post and shared through ``ctx.memo``; ``convert`` acts on the very same verdicts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from contentkit.diagnostics import Diagnostic, Edit, Fix
from contentkit.document import Document
from contentkit.errors import ConfigError
from contentkit.rule import Rule, RuleContext

if TYPE_CHECKING:
    from contentkit.links import LinkVerdict


def _names(value: Any, option: str, where: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise ConfigError(f"option {option!r} of spurious-link in {where} must be a list of names")
    if not all(isinstance(v, str) for v in value):
        raise ConfigError(f"option {option!r} of spurious-link in {where} must list strings")
    return list(value)


def _verdicts(doc: Document, ctx: RuleContext) -> list[LinkVerdict]:
    """The post's link verdicts, with spurious-link's allow/deny lists, computed once."""

    def compute() -> list[LinkVerdict]:
        # Imported on first use: a warm (cached) run loads this rule but judges no link.
        from contentkit.links import judge_links

        opts: Mapping[str, Any] = ctx.settings.options_for(SpuriousLink)
        where = getattr(ctx.settings, "where", "configuration")
        options = {
            "allow": _names(opts.get("allow"), "allow", where),
            "deny": _names(opts.get("deny"), "deny", where),
        }
        return judge_links(doc, options)

    result: list[LinkVerdict] = ctx.memo("links.verdicts", compute)
    return result


def _unwrap(v: LinkVerdict) -> tuple[Edit, ...]:
    edits = [Edit(v.start, v.open_end, "")]
    if v.close_start < v.end:
        edits.append(Edit(v.close_start, v.end, ""))
    return tuple(edits)


class SpuriousLink(Rule):
    """An auto-inserted link that the auto-linker matched by accident.

    Auto-linkers (36kr's ``a.project-link``) wrap every string that matches an entity name
    in a link. Many matches are wrong: the link cuts through a word (贸**易优**势,
    **伊利**诺伊, e**lem**ents), marks an ordinary word in its ordinary sense (得到, 一起),
    or swallows a function word (发展**天地和**难得的机遇). Readers click through to a
    company that has nothing to do with the sentence.

    The judgement segments a window around the link with jieba's dictionary, uses Unicode
    word boundaries for Latin script, the parts of speech of the link and its neighbours,
    and the company-name context (enumerations like 钉钉、飞书, stock codes, words such as
    公司, 集团, 创始人 after the name, other mentions in the post).

    The fix unwraps the link and keeps its text byte for byte. It is safe when the link
    cuts through a word; a judgement about ordinary words is an unsafe fix, applied only
    with ``--unsafe-fixes``.

    Options (``[tool.contentkit.rules.spurious-link]``): ``allow``, names that are always
    legit links on your site; ``deny``, names that are never (matched against the link
    text and ``data-name``, ignoring case).

    Fail::

        <div><p>具有得天独厚的贸<a class="project-link" data-id="1" data-name="易优" href="https://36kr.com/projectDetails/1">易优</a>势。</p></div>

    Pass::

        <div><p>本文来自<a class="project-link" data-id="3968527" data-name="微信" href="https://36kr.com/projectDetails/3968527">微信</a>公众号“三易生活”。</p></div>
    """

    code = "LK001"
    name = "spurious-link"
    summary = "An auto-inserted link cuts through a word or marks an ordinary word"
    fix_applicability = "safe"
    options = {"allow": [], "deny": []}

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Diagnostic]:
        for v in _verdicts(doc, ctx):
            if v.verdict != "spurious":
                continue
            fix = None
            if v.fix is not None:
                fix = Fix(_unwrap(v), v.fix, f"Unwrap the link, keep '{v.text}'")
            yield self.diagnostic(doc, v.start, v.end, v.reason, fix)


class UncertainLink(Rule):
    """An auto-inserted link that may have been matched by accident (off unless selected).

    The link judge gives three outcomes: spurious (confident: ``spurious-link``), legit, and
    uncertain in between, where the evidence points both ways (a brand made of ordinary words,
    a short name the dictionaries know as a common word). Select this rule
    (``--extend-select LK003``) to review those links; its fix unwraps the link and is
    unsafe. ``convert --project-links clean`` never unwraps them.

    Fail::

        <div><p>我们玩游戏的时候，也是先做<a class="project-link" data-id="5" data-name="简单任务" href="https://36kr.com/projectDetails/5">简单任务</a>，然后逐步升级到复杂任务。</p></div>

    Pass::

        <div><p><a class="project-link" data-id="3" data-name="华为" href="https://36kr.com/projectDetails/3">华为</a>公司发布了新手机。</p></div>
    """

    code = "LK003"
    name = "uncertain-link"
    summary = "An auto-inserted link may mark an ordinary word (the judge is unsure)"
    fix_applicability = "unsafe"
    default_enabled = False

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Diagnostic]:
        for v in _verdicts(doc, ctx):
            if v.verdict != "uncertain":
                continue
            fix = Fix(_unwrap(v), "unsafe", f"Unwrap the link, keep '{v.text}'")
            yield self.diagnostic(doc, v.start, v.end, v.reason, fix)


class BrokenLink(Rule):
    """A link that is structurally broken.

    Empty text; a missing, empty, malformed or ``javascript:`` href; an href to a project
    page (``/projectDetails/ID``) whose ID disagrees with ``data-id`` (links with
    ``data-refer-type="1"`` point into another site with another id space); link text
    that differs from ``data-name`` other than in letter case; an anchor inside an anchor.

    An empty-text link to a fragment of the same page (``[](#heading)``,
    ``<a href="#intro"></a>``) is not broken: it is a heading's permalink anchor whose icon
    a scraper dropped or CSS draws; nobody sees it and it goes where it says, so it is not
    a finding. An empty-text link anywhere else is (nothing to click, or an invisible link).

    The fix unwraps the link and keeps its text (safe when there is text to keep); nested
    anchors are left to the author.

    Fail::

        <div><p>据<a href="javascript:void(0)">企查查</a>显示，自2015年至今。</p></div>

    Pass::

        <div><p>据<a class="project-link" data-id="7" data-name="企查查" href="https://36kr.com/projectDetails/7">企查查</a>显示，自2015年至今。</p></div>
    """

    code = "LK002"
    name = "broken-link"
    summary = "A link is structurally broken (empty text or href, wrong id, nested)"
    fix_applicability = "safe"

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Diagnostic]:
        for v in _verdicts(doc, ctx):
            if v.verdict != "broken":
                continue
            fix = None
            if v.fix is not None:
                keep = f"keep '{v.text}'" if v.text else "nothing to keep"
                fix = Fix(_unwrap(v), v.fix, f"Unwrap the link, {keep}")
            yield self.diagnostic(doc, v.start, v.end, f"broken link: {v.reason}", fix)


RULES = [SpuriousLink, BrokenLink, UncertainLink]
