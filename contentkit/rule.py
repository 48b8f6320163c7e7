"""The rule interface, and discovery of rules through the ``contentkit.rules`` entry-point group.

Built-in rules (``rules/`` in the repo, ``contentkit_rules`` when installed) register through the
very group a third-party package uses, so the plugin path is the one our own rules take.

A rule is a subclass of :class:`Rule`. Its docstring is its documentation: ``contentkit
explain`` prints it, and the tests run every ``Fail::``/``Pass::`` example in it.
An entry point may name a module (its ``RULES`` list is read), a Rule subclass, or a list.
"""

from __future__ import annotations

import inspect
import re
import sys
import textwrap
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any, ClassVar

from contentkit.diagnostics import Applicability, Diagnostic, Fix, Severity
from contentkit.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

if TYPE_CHECKING:
    from contentkit.config import Settings
    from contentkit.document import Document

ENTRY_POINT_GROUP = "contentkit.rules"
_CODE = re.compile(r"^[A-Z]{1,4}[0-9]{3}$")
_NAME = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")


@dataclass
class RuleContext:
    """What a rule sees besides the document: its options and the run's settings."""

    options: Mapping[str, Any]
    settings: Settings
    # Analyses shared by several rules on one document (e.g. the link verdicts), computed once.
    shared: dict[str, Any] = field(default_factory=dict)

    def memo(self, key: str, factory: Any) -> Any:
        if key not in self.shared:
            self.shared[key] = factory()
        return self.shared[key]


class Rule:
    """Base class of every rule. Subclasses set the class attributes and implement ``check``."""

    code: ClassVar[str]
    name: ClassVar[str]
    summary: ClassVar[str]
    options: ClassVar[Mapping[str, Any]] = {}
    # Which bodies the rule reads; front-matter rules read every post.
    body_kinds: ClassVar[frozenset[str]] = frozenset({"html", "markdown"})
    fix_applicability: ClassVar[Applicability | None] = None
    severity: ClassVar[Severity] = Severity.ERROR
    default_enabled: ClassVar[bool] = True

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Diagnostic]:
        raise NotImplementedError

    # ---- helpers for subclasses ---------------------------------------------------------
    def diagnostic(
        self,
        doc: Document,
        start: int,
        end: int,
        message: str,
        fix: Fix | None = None,
    ) -> Diagnostic:
        return Diagnostic(
            code=self.code,
            name=self.name,
            message=message,
            path=doc.path,
            start=start,
            end=max(end, start),
            severity=self.severity,
            fix=fix,
        )

    @classmethod
    def documentation(cls) -> str:
        # cleandoc, not dedent: a docstring's first line has no indent, the rest has.
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def examples(cls) -> Iterator[tuple[str, str, dict[str, Any]]]:
        """("fail"|"pass", text, config) for each example block in the docstring.

        A block may name the config it needs in TOML: ``Fail (schema = "hexo-strict")::``.
        """
        doc = inspect.getdoc(cls) or ""
        pattern = r"^(Fail|Pass)(?: \((.+)\))?::\n\n((?:(?:    .*)?\n)+)"
        for m in re.finditer(pattern, doc + "\n", re.M):
            # Only trailing blank lines go: leading ones are part of the example (see FM002).
            block = textwrap.dedent(m.group(3)).rstrip("\n") + "\n"
            config = tomllib.loads(m.group(2)) if m.group(2) else {}
            yield m.group(1).lower(), block, config


def _rules_from(obj: Any) -> list[type[Rule]]:
    if inspect.isclass(obj) and issubclass(obj, Rule):
        return [obj]
    if inspect.ismodule(obj):
        obj = getattr(obj, "RULES", None)
        if obj is None:
            return []
    if isinstance(obj, list | tuple):
        found: list[type[Rule]] = []
        for item in obj:
            found.extend(_rules_from(item))
        return found
    return []


def validate_rule(rule: type[Rule], origin: str) -> None:
    for attr in ("code", "name", "summary"):
        if not isinstance(getattr(rule, attr, None), str):
            raise ConfigError(f"rule {rule.__name__} from {origin} has no {attr}")
    if not _CODE.match(rule.code):
        raise ConfigError(
            f"rule {rule.__name__} from {origin}: code {rule.code!r} is not like FM001"
        )
    if not _NAME.match(rule.name):
        raise ConfigError(
            f"rule {rule.__name__} from {origin}: name {rule.name!r} is not kebab-case"
        )


_REGISTRY: dict[str, type[Rule]] | None = None


def registered_rules() -> dict[str, type[Rule]]:
    """Every rule from every installed package in the group, keyed by code, sorted by code."""
    global _REGISTRY
    if _REGISTRY is not None:
        return _REGISTRY
    found: dict[str, type[Rule]] = {}
    names: dict[str, str] = {}
    for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        origin = f"entry point {ep.name!r} ({ep.value})"
        try:
            obj = ep.load()
        except Exception as exc:  # a broken plugin must name itself, not crash the run
            raise ConfigError(f"cannot load rule plugin {origin}: {exc}") from None
        for rule in _rules_from(obj):
            validate_rule(rule, origin)
            other = found.get(rule.code)
            if other is not None and other is not rule:
                raise ConfigError(
                    f"rule code {rule.code} from {origin} is already used by {other.__module__}"
                )
            if rule.name in names and names[rule.name] != rule.code:
                raise ConfigError(f"rule name {rule.name} from {origin} is already used")
            found[rule.code] = rule
            names[rule.name] = rule.code
    _REGISTRY = dict(sorted(found.items()))
    return _REGISTRY


def explain_text(rule: type[Rule]) -> str:
    """What ``contentkit explain`` prints for ``rule``: summary, fix, options, documentation."""
    fixtext = {"safe": "safe fix available", "unsafe": "unsafe fix (needs --unsafe-fixes)"}
    lines = [
        f"{rule.code} {rule.name}: {rule.summary}",
        f"Fix: {fixtext.get(rule.fix_applicability or '', 'none')}",
    ]
    if rule.options:
        from contentkit.config import option_name, toml_value

        lines.append(f"Options (defaults), under [tool.contentkit.rules.{rule.name}]:")
        lines.extend(f"  {option_name(k)} = {toml_value(v)}" for k, v in rule.options.items())
    return "\n".join([*lines, "", rule.documentation()])


def find_rule(selector: str) -> type[Rule] | None:
    rules = registered_rules()
    if selector.upper() in rules:
        return rules[selector.upper()]
    for rule in rules.values():
        if rule.name == selector.lower():
            return rule
    return None


def matches(rule: type[Rule], selector: str) -> bool:
    """A selector is ALL, a rule name, a code, or a code prefix (ruff's convention)."""
    sel = selector.strip()
    if sel.upper() == "ALL":
        return True
    if sel.lower() == rule.name:
        return True
    return rule.code.startswith(sel.upper())


def expand(selectors: Iterable[str], where: str = "") -> set[str]:
    """Codes the selectors name; an unknown selector is a config error."""
    codes: set[str] = set()
    rules = registered_rules()
    for sel in selectors:
        hit = {code for code, rule in rules.items() if matches(rule, sel)}
        if not hit:
            suffix = f" in {where}" if where else ""
            raise ConfigError(f"unknown rule selector {sel!r}{suffix}")
        codes |= hit
    return codes
