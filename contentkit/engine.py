"""Run the enabled rules over a Document, honour suppressions, and apply fixes."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from contentkit import front_matter as fm_mod
from contentkit import rule as rule_mod
from contentkit.config import Settings
from contentkit.diagnostics import Diagnostic, Edit, Fix
from contentkit.document import Document
from contentkit.limits import nesting_message, nesting_too_deep
from contentkit.site import Site

# ``<!-- contentkit-disable-next-line FM010, spurious-link -->`` in a body, or the same words
# after ``#`` in YAML front matter. No selector means every rule.
_SUPPRESSION = re.compile(
    r"(?:<!--|#)\s*contentkit-(?P<verb>disable-next-line|disable-line|disable|enable)\b"
    r"(?P<selectors>[^\r\n>]*?)\s*(?:-->|$)",
    re.M,
)
MAX_FIX_PASSES = 10
# At most this many findings of one rule in one file are reported, then one summary finding
# of that rule says the rest was not shown: a post with a million defects stays a report a
# person can read, and linting it costs what reading it does (README, "Limits").
MAX_FINDINGS_PER_RULE = 100


@dataclass
class Suppression:
    verb: str
    selectors: list[str]
    start: int
    end: int
    line: int
    first_line: int
    last_line: int  # inclusive; a huge number for an open-ended disable
    used: bool = False
    suppressed: list[str] = field(default_factory=list)  # codes of the findings it hid
    closer: tuple[int, int] | None = None  # span of the contentkit-enable that closes it

    def covers(self, diag: Diagnostic) -> bool:
        if not self.first_line <= diag.line <= self.last_line:
            return False
        if not self.selectors:
            return True
        rule = rule_mod.registered_rules().get(diag.code)
        return any(
            (rule is not None and rule_mod.matches(rule, s)) or s.upper() == diag.code
            for s in self.selectors
        )


def find_suppressions(doc: Document) -> list[Suppression]:
    out: list[Suppression] = []
    open_ranges: list[Suppression] = []
    if "contentkit-" not in doc.text:
        return out
    for m in _SUPPRESSION.finditer(doc.text):
        selectors = [s for s in re.split(r"[\s,]+", m.group("selectors").strip()) if s]
        line = doc.position(m.start())[0]
        end_line = doc.position(m.end())[0]
        verb = m.group("verb")
        if verb == "disable-next-line":
            out.append(
                Suppression(verb, selectors, m.start(), m.end(), line, end_line + 1, end_line + 1)
            )
        elif verb == "disable-line":
            out.append(Suppression(verb, selectors, m.start(), m.end(), line, line, end_line))
        elif verb == "disable":
            s = Suppression(verb, selectors, m.start(), m.end(), line, line, 10**9)
            out.append(s)
            open_ranges.append(s)
        else:  # enable closes the most recent matching disable
            for s in reversed(open_ranges):
                if s.selectors == selectors or not selectors:
                    s.last_line = line
                    s.closer = (m.start(), m.end())
                    open_ranges.remove(s)
                    break
    return out


def front_matter_ignores(doc: Document) -> list[str]:
    """``contentkit: {ignore: [CODES]}`` in a post's own front matter."""
    section = doc.metadata.get("contentkit")
    if isinstance(section, dict):
        value = section.get("ignore", [])
        if isinstance(value, str):
            return [v for v in re.split(r"[\s,]+", value) if v]
        if isinstance(value, list):
            return [str(v) for v in value]
    return []


@dataclass
class LintOutcome:
    diagnostics: list[Diagnostic]
    suppressions: list[Suppression] = field(default_factory=list)


# The rule classes (in code order) and their options, by what they depend on: every post under
# one config asks the same question, and answering it anew cost more than a small rule's check.
_RulePlan = tuple[tuple[type[rule_mod.Rule], Mapping[str, Any]], ...]
_PLANS: dict[tuple[frozenset[str], str], _RulePlan] = {}
_NO_OPTIONS: Mapping[str, Any] = MappingProxyType({})


def _rule_plan(settings: Settings, path: str) -> _RulePlan:
    codes = frozenset(settings.enabled_codes() - settings.ignored_for(path))
    key = (codes, repr(settings.rule_options) if settings.rule_options else "")
    plan = _PLANS.get(key)
    if plan is None:
        registry = rule_mod.registered_rules()
        # Read-only: one options mapping now serves every post (and, for the rules without
        # options, one RuleContext serves all of them on a post).
        plan = tuple(
            (registry[c], MappingProxyType(settings.options_for(registry[c])) or _NO_OPTIONS)
            for c in sorted(codes)
        )
        if len(_PLANS) >= 256:
            _PLANS.clear()
        _PLANS[key] = plan
    return plan


def read_as_the_site_does(doc: Document, site: Site | None) -> None:
    """Where the site's generator reads front matter that contentkit's own reading did not
    find, take it: on a Hexo site, JSON between lines of ``;;;``, and a block without its
    opening separator (ppoffice's Icarus theme writes its posts so) when it parses as a
    mapping of keys, as Hexo requires. A ``;;;`` block is taken even when it does not parse:
    its opener says it was meant as front matter, so FM004 says where it breaks."""
    if doc.front_matter is not None or site is None or site.name != "hexo":
        return
    fm = fm_mod.split_hexo(doc.text)
    if fm is None:
        return
    fm_mod.parse(doc.text, fm)
    opened = fm.content_start > 0
    if opened or (fm.error is None and isinstance(fm.data, dict) and fm.data):
        doc.front_matter = fm
        doc.body_start = fm.end


def lint_document(doc: Document, settings: Settings) -> LintOutcome:
    """Every finding of the enabled rules on ``doc``, positioned and suppression-filtered."""
    read_as_the_site_does(doc, settings.site)
    plan = _rule_plan(settings, doc.path)
    post_ignores = front_matter_ignores(doc)
    if post_ignores:
        ignored = rule_mod.expand(post_ignores, f"{doc.path} front matter")
        plan = tuple((cls, options) for cls, options in plan if cls.code not in ignored)
    too_deep = nesting_too_deep(doc.text, doc.body_start)
    if too_deep is not None:
        # Reported in place of every rule, none of which could walk the post in bounded time.
        deep = Diagnostic(
            "CK005", "nesting-too-deep", nesting_message(), doc.path, too_deep, too_deep
        )
        position(doc, deep)
        return LintOutcome([deep])
    rules = [cls() for cls, _options in plan]
    shared: dict[str, object] = {}
    suppressions = find_suppressions(doc)
    covering = _SuppressionIndex(suppressions) if suppressions else None
    kept: list[Diagnostic] = []
    capped_line: int | None = None  # the first line past which some rule stopped reporting
    ctx: rule_mod.RuleContext | None = None
    for rule, (_cls, options) in zip(rules, plan, strict=True):
        if doc.body_kind not in rule.body_kinds:
            continue
        if ctx is None or ctx.options is not options:
            ctx = rule_mod.RuleContext(options, settings, shared)
        shown = 0
        for diag in rule.check(doc, ctx):
            if diag.fix is not None and edits_opaque(doc, diag.fix):
                diag.fix = None  # a fix never edits code or a template expression
            position(doc, diag)
            hit = covering.first(diag) if covering is not None else None
            if hit is not None:
                hit.used = True
                hit.suppressed.append(diag.code)
                continue
            if shown == MAX_FINDINGS_PER_RULE:
                # The cap counts what would be shown, so suppressed findings never use it up.
                kept.append(_capped(doc, rule, diag))
                if capped_line is None or diag.line < capped_line:
                    capped_line = diag.line
                break
            shown += 1
            kept.append(diag)
    if suppressions:
        # A suppression reaching past a cap may hide findings that were never produced: it
        # is not judged unused on this run.
        judged = [s for s in suppressions if capped_line is None or s.last_line < capped_line]
        unused = _unused_suppressions(doc, judged, rules)
        if len(unused) > MAX_FINDINGS_PER_RULE:  # capped like any rule's findings
            unused.sort(key=Diagnostic.sort_key)
            extra = unused[MAX_FINDINGS_PER_RULE]
            summary = Diagnostic(
                extra.code,
                extra.name,
                _capped_message(extra.code),
                doc.path,
                extra.start,
                extra.start,
            )
            position(doc, summary)
            unused = [*unused[:MAX_FINDINGS_PER_RULE], summary]
        kept.extend(unused)
    kept.sort(key=Diagnostic.sort_key)
    return LintOutcome(kept, suppressions)


class _SuppressionIndex:
    """The suppressions that may cover a line, found without trying each one: a post can
    hold as many suppression comments as findings."""

    def __init__(self, suppressions: list[Suppression]) -> None:
        self.by_line: dict[int, list[Suppression]] = {}
        self.ranges: list[Suppression] = []
        for s in suppressions:
            if s.last_line - s.first_line > 8:
                self.ranges.append(s)
            else:
                for line in range(s.first_line, s.last_line + 1):
                    self.by_line.setdefault(line, []).append(s)

    def first(self, diag: Diagnostic) -> Suppression | None:
        # In comment order, as a scan of every suppression would find it.
        near = self.by_line.get(diag.line, [])
        candidates = sorted([*near, *self.ranges], key=lambda s: s.start) if near else self.ranges
        return next((s for s in candidates if s.covers(diag)), None)


def _capped_message(code: str) -> str:
    return (
        f"more than {MAX_FINDINGS_PER_RULE} {code} findings in this file: the first "
        f"{MAX_FINDINGS_PER_RULE} are shown, fix them and lint again to see the rest"
    )


def _capped(doc: Document, rule: rule_mod.Rule, diag: Diagnostic) -> Diagnostic:
    """The summary finding that stands for the findings of ``rule`` beyond the cap."""
    summary = rule.diagnostic(
        doc,
        diag.start,
        diag.start,
        _capped_message(rule.code),
    )
    position(doc, summary)
    return summary


def edits_opaque(doc: Document, fix: Fix) -> bool:
    """Whether an edit of ``fix`` changes text inside code (a code span, a fenced or indented
    block) or a template expression: shown as written, or replaced by the generator, never ours
    to change, whichever rule proposes it."""
    from contentkit.markdown import intersects

    opaque = doc.opaque
    return bool(opaque) and any(intersects(opaque, e.start, e.end) for e in fix.edits)


def _unused_suppressions(
    doc: Document, suppressions: list[Suppression], rules: list[rule_mod.Rule]
) -> list[Diagnostic]:
    from contentkit.unused_suppressions import CODE, find_unused

    ran = {r.code for r in rules if doc.body_kind in r.body_kinds}
    return find_unused(doc, suppressions, ran) if CODE in ran else []


def position(doc: Document, diag: Diagnostic) -> None:
    diag.line, diag.column = doc.position(diag.start)
    diag.end_line, diag.end_column = doc.position(diag.end)
    diag.source_line = doc.line_text(diag.line)
    if diag.fix is not None:
        for edit in diag.fix.edits:
            edit.line, edit.column = doc.position(edit.start)
            edit.end_line, edit.end_column = doc.position(edit.end)


def applicable(fix: Fix | None, unsafe: bool) -> bool:
    return fix is not None and (fix.applicability == "safe" or unsafe)


def apply_edits(text: str, fixes: list[Fix]) -> tuple[str, int]:
    """Apply non-overlapping fixes (all edits of a fix or none), from the end backwards."""
    chosen: list[Fix] = []
    taken: list[tuple[int, int]] = []
    for fix in sorted(fixes, key=lambda f: min(e.start for e in f.edits)):
        spans = [(e.start, e.end) for e in fix.edits]
        if any(_overlaps(a, b) for a in spans for b in taken):
            continue  # the next pass will see it again on the fixed text
        chosen.append(fix)
        taken.extend(spans)
    edits: list[Edit] = sorted(
        (e for f in chosen for e in f.edits), key=lambda e: (e.start, e.end), reverse=True
    )
    for e in edits:
        text = text[: e.start] + e.text + text[e.end :]
    return text, len(chosen)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    # Two insertions at one point conflict too: their order would be arbitrary.
    if a[0] == a[1] == b[0] == b[1]:
        return True
    return a[0] < b[1] and b[0] < a[1]


@dataclass
class FixOutcome:
    text: str
    applied: int
    remaining: list[Diagnostic]
    document: Document


def fix_document(doc: Document, settings: Settings, unsafe: bool = False) -> FixOutcome:
    """Apply fixes until none is left (a fix can expose another), as ruff does.

    A pass whose result no longer parses (front matter that parsed before but not after) is
    thrown away: we never write a file worse than we found it.
    """
    current = doc
    applied = 0
    outcome = lint_document(current, settings)
    for _ in range(MAX_FIX_PASSES):
        fixes = [d.fix for d in outcome.diagnostics if d.fix and applicable(d.fix, unsafe)]
        if not fixes:
            break
        new_text, n = apply_edits(current.text, fixes)
        if new_text == current.text:
            break
        candidate = Document.from_text(
            new_text,
            current.path,
            encoding=current.encoding,
            bom=current.bom,
            body_kind=current.body_kind,
        )
        read_as_the_site_does(candidate, settings.site)
        if _parses_worse(current, candidate):
            break
        current = candidate
        applied += n
        outcome = lint_document(current, settings)
    return FixOutcome(current.text, applied, outcome.diagnostics, current)


def _parses_worse(before: Document, after: Document) -> bool:
    b, a = before.front_matter, after.front_matter
    if b is None or b.error is not None or not b.terminated:
        return False
    return a is None or a.error is not None or not a.terminated or a.data.keys() != b.data.keys()
