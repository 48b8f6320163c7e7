"""Front-matter rules: the block itself, its syntax, its schema, its dates and its URLs."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from contentkit.diagnostics import Diagnostic, Edit, Fix
from contentkit.document import Document
from contentkit.errors import ConfigError
from contentkit.fastschema import certainly_valid
from contentkit.front_matter import KeyEntry, to_json_compatible
from contentkit.rule import Rule, RuleContext
from contentkit.site import SITE_SCHEMA_PREFIX, front_matter_expected, preset_schema


def _opening(doc: Document) -> tuple[int, int]:
    fm = doc.front_matter
    if fm is None:
        return 0, 0
    line_end = doc.text.find("\n", fm.start)
    return fm.start, (line_end if line_end >= 0 else len(doc.text))


class MissingFrontMatter(Rule):
    """A post has no front matter block.

    Static site generators read a post's title, date and layout from a block at the very
    top of the file, between ``---`` lines (YAML), ``+++`` lines (TOML), or a JSON object.
    Whether a file without one is a problem depends on the site's generator: Zola refuses
    such a page, Jekyll copies a post or collection document without one as a static file;
    Hexo, Hugo, Eleventy, MkDocs, VitePress, Docusaurus and Astro need none. In a folder no
    generator claims, a block is expected when most of the folder's Markdown files have one
    (a folder of posts), and never in a notes repository where none has.

    Fail::

        # Hello
        Text.

    Pass::

        ---
        title: Hello
        date: 2021-04-20T02:55:35Z
        ---
        Text.
    """

    code = "FM001"
    name = "missing-front-matter"
    summary = "The post has no front matter block"

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Diagnostic]:
        if doc.front_matter is not None:
            return
        site = ctx.settings.site
        message = "no front matter: expected a '---' block on the first line"
        if site is not None:
            expected = front_matter_expected(site, doc.path)
            if not expected:
                return
            if site.preset.front_matter != "inferred":
                message = (
                    f"no front matter: {site.preset.label} reads this file as a page only "
                    f"with {site.preset.opener}"
                )
        yield self.diagnostic(doc, 0, 0, message)


class FrontMatterNotAtStart(Rule):
    """Front matter does not start on the first line of the file.

    Jekyll and Hexo only see front matter whose opening ``---`` is the file's first line;
    blank lines before it turn the whole block into body text. The fix removes them. (Hugo and
    Zola read the block after blank lines: the rule is off on their sites.)

    Fail::


        ---
        title: Hello
        date: 2021-04-20
        ---

    Pass::

        ---
        title: Hello
        date: 2021-04-20
        ---
    """

    code = "FM002"
    name = "front-matter-not-at-start"
    summary = "Blank lines before the opening front-matter delimiter"
    fix_applicability = "safe"

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Diagnostic]:
        fm = doc.front_matter
        if fm is None or fm.start == 0:
            return
        line = doc.position(fm.start)[0]
        blank = "blank line" if line == 2 else f"{line - 1} blank lines"
        yield self.diagnostic(
            doc,
            0,
            fm.start,
            f"front matter starts on line {line}, after {blank}; "
            "Jekyll and Hexo only read it on line 1",
            Fix((Edit(0, fm.start, ""),), "safe", "Remove the blank lines before the front matter"),
        )


class UnterminatedFrontMatter(Rule):
    """The front matter block is opened but never closed.

    Fail::

        ---
        title: Hello
        date: 2021-04-20

    Pass::

        ---
        title: Hello
        date: 2021-04-20
        ---
    """

    code = "FM003"
    name = "unterminated-front-matter"
    summary = "The front matter block has no closing delimiter"

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Diagnostic]:
        fm = doc.front_matter
        if fm is not None and not fm.terminated:
            start, end = _opening(doc)
            closer = {"yaml": "---", "toml": "+++", "json": "}"}[fm.format]
            yield self.diagnostic(
                doc, start, end, f"front matter opened here is never closed with '{closer}'"
            )


class FrontMatterSyntax(Rule):
    """The front matter is not valid YAML, TOML or JSON.

    The error is reported where the parser stopped, not as a traceback.

    Fail::

        ---
        title: 'Hello
        date: 2021-04-20
        ---

    Pass::

        ---
        title: 'Hello'
        date: 2021-04-20
        ---
    """

    code = "FM004"
    name = "front-matter-syntax"
    summary = "Front matter that does not parse"

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Diagnostic]:
        fm = doc.front_matter
        if fm is not None and fm.error is not None:
            yield self.diagnostic(doc, fm.error.offset, fm.error.offset, fm.error.message)


class DuplicateKey(Rule):
    """A front-matter key appears more than once.

    YAML loaders silently keep the last value, so the first one is lost without a word.

    Fail::

        ---
        title: Draft
        date: 2021-04-20
        title: Final
        ---

    Pass::

        ---
        title: Final
        date: 2021-04-20
        ---
    """

    code = "FM005"
    name = "duplicate-key"
    summary = "A front-matter key is given twice; only the last value is kept"

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Diagnostic]:
        fm = doc.front_matter
        if fm is None:
            return
        first: dict[str, KeyEntry] = {}
        for entry in fm.entries:
            if entry.name in first:
                line = doc.position(first[entry.name].key_start)[0]
                yield self.diagnostic(
                    doc,
                    entry.key_start,
                    entry.key_end,
                    f"key '{entry.name}' is given again (first on line {line}); "
                    "only this last value is kept",
                )
            else:
                first[entry.name] = entry


# ---- schema -------------------------------------------------------------------------------


BUILTIN_SCHEMAS = ("hexo", "hexo-strict")


@lru_cache(maxsize=16)
def load_schema(name: str) -> dict[str, Any]:
    if name.startswith(SITE_SCHEMA_PREFIX):
        return preset_schema(name.removeprefix(SITE_SCHEMA_PREFIX))
    if name in BUILTIN_SCHEMAS:
        text = resources.files("contentkit").joinpath("schemas/hexo.json").read_text("utf-8")
        schema = dict(json.loads(text))
        if name == "hexo-strict":
            schema["additionalProperties"] = False
        return schema
    path = Path(name)
    try:
        schema = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError("schema file not found", name) from None
    except json.JSONDecodeError as exc:
        msg = f"schema is not valid JSON: {exc.msg}"
        raise ConfigError(msg, name, exc.lineno, exc.colno) from None
    from jsonschema.exceptions import SchemaError
    from jsonschema.validators import validator_for

    try:
        validator_for(schema).check_schema(schema)
    except SchemaError as exc:
        raise ConfigError(f"not a valid JSON Schema: {exc.message}", name) from None
    return dict(schema)


@lru_cache(maxsize=16)
def _validator(name: str) -> Any:
    from jsonschema.validators import validator_for

    schema = load_schema(name)
    return validator_for(schema)(schema)


# Each schema error becomes a finding of one of these kinds.
_KIND_BY_VALIDATOR = {"required": "required", "type": "type", "additionalProperties": "unknown"}


def schema_findings(doc: Document, ctx: RuleContext) -> list[tuple[str, int, int, str]]:
    """(kind, start, end, message) for each schema error, computed once per document."""

    def compute() -> list[tuple[str, int, int, str]]:
        fm = doc.front_matter
        if fm is None or fm.error is not None or not fm.terminated:
            return []
        instance = to_json_compatible(fm.data)
        schema_name = ctx.settings.schema
        if certainly_valid(schema_name, instance, load_schema):
            return []  # the common case, without jsonschema's cost (see fastschema.py)
        validator = _validator(schema_name)
        out: list[tuple[str, int, int, str]] = []
        open_start, open_end = _opening(doc)
        missing: set[str] = set()
        for error in sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path)):
            kind = _KIND_BY_VALIDATOR.get(str(error.validator), "other")
            path = list(error.absolute_path)
            if kind == "required" and not path:
                # jsonschema reports each missing key as its own error, each carrying the
                # whole list: one finding per key, once.
                for key in error.validator_value:
                    if key not in instance and key not in missing:
                        missing.add(key)
                        out.append(
                            ("required", open_start, open_end, f"required key '{key}' is missing")
                        )
                continue
            if kind == "unknown" and not path:
                known = set(error.schema.get("properties", {}))
                patterns = list(error.schema.get("patternProperties", {}))
                for key in instance:
                    if key in known or any(re.search(p, key) for p in patterns):
                        continue
                    entry = fm.entry(key)
                    s, e = (entry.key_start, entry.key_end) if entry else (open_start, open_end)
                    out.append(("unknown", s, e, f"unknown key '{key}' (the schema is closed)"))
                continue
            entry = fm.entry(str(path[0])) if path else None
            s, e = (entry.value_start, entry.value_end) if entry else (open_start, open_end)
            where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")
            label = f"'{where}'" if where else "front matter"
            if kind == "type":
                expected = error.validator_value
                if isinstance(expected, list):
                    expected = " or ".join(expected)
                got = _json_type(error.instance)
                out.append(("type", s, e, f"{label} must be {expected}, not {got}"))
            else:
                out.append(("other", s, e, f"{label} {schema_error_in_words(error)}"))
        return out

    result: list[tuple[str, int, int, str]] = ctx.memo("front-matter-schema", compute)
    return result


_ARTICLE = {"string": "a string", "integer": "an integer", "number": "a number",
            "boolean": "true or false", "null": "empty", "object": "a table of keys",
            "array": "a list"}  # fmt: skip


_PLURAL = {"a string": "strings", "an integer": "integers", "a number": "numbers",
           "true or false": "booleans", "a table of keys": "tables"}  # fmt: skip


def _kinds(schema: Any) -> list[str]:
    """What values ``schema`` accepts, in words: ["a string", "a list of strings"]."""
    if not isinstance(schema, dict):
        return []
    out: list[str] = []
    for key in ("anyOf", "oneOf"):
        for sub in schema.get(key, []):
            out.extend(k for k in _kinds(sub) if k not in out)
    types = schema.get("type")
    for t in [types] if isinstance(types, str) else types or []:
        if t == "array" and isinstance(schema.get("items"), dict):
            inner = [_PLURAL.get(k, "lists") for k in _kinds(schema["items"]) if k != "empty"]
            inner = list(dict.fromkeys(inner))
            out.append("a list of " + _or(inner) if inner else "a list")
        else:
            out.append(_ARTICLE.get(t, str(t)))
    if "enum" in schema:
        out.append("one of " + ", ".join(json.dumps(v, ensure_ascii=False) for v in schema["enum"]))
    if "const" in schema:
        out.append(json.dumps(schema["const"], ensure_ascii=False))
    return out


def _or(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def schema_error_in_words(error: Any) -> str:
    """A jsonschema error as a sentence about the value, with JSON spellings, not reprs."""
    value = error.instance
    shown = json.dumps(value, ensure_ascii=False, default=str)
    if len(shown) > 60:
        shown = shown[:57] + "..."
    rule, limit = str(error.validator), error.validator_value
    if rule in ("anyOf", "oneOf"):
        kinds = _kinds(error.schema)
        if kinds:
            return f"must be {_or(kinds)}, not {_ARTICLE[_json_type(value)]} ({shown})"
    if rule == "enum":
        choices = ", ".join(json.dumps(v, ensure_ascii=False) for v in limit)
        return f"must be one of {choices}, not {shown}"
    if rule == "const":
        return f"must be {json.dumps(limit, ensure_ascii=False)}, not {shown}"
    if rule == "minLength":
        return "must not be empty" if limit == 1 else f"must be at least {limit} characters long"
    if rule == "maxLength":
        return f"must be at most {limit} characters long, not {len(value)}"
    if rule == "pattern":
        return f"must match the pattern {limit}, not {shown}"
    if rule in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        words = {"minimum": "at least", "maximum": "at most",
                 "exclusiveMinimum": "more than", "exclusiveMaximum": "less than"}  # fmt: skip
        return f"must be {words[rule]} {limit}, not {shown}"
    if rule == "minItems":
        return "must not be an empty list" if limit == 1 else f"must hold at least {limit} items"
    if rule == "maxItems":
        return f"must hold at most {limit} items, not {len(value)}"
    if rule == "uniqueItems":
        return "must not repeat an item"
    if rule == "format":
        return f"must be a valid {limit}, not {shown}"
    message = str(error.message)
    return f"is not valid: {message.replace(repr(value), shown)}"


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


class _SchemaRule(Rule):
    kind = ""

    def check(self, doc: Document, ctx: RuleContext) -> Iterator[Diagnostic]:
        for kind, start, end, message in schema_findings(doc, ctx):
            if kind == self.kind:
                yield self.diagnostic(doc, start, end, message)


class MissingRequiredKey(_SchemaRule):
    """A key the schema requires is missing.

    The schema is the built-in Hexo schema (``title`` and ``date`` required) or the JSON
    Schema file named by ``schema`` in the config.

    Fail::

        ---
        title: Hello
        ---

    Pass::

        ---
        title: Hello
        date: 2021-04-20
        ---
    """

    code = "FM006"
    name = "missing-required-key"
    summary = "A key the front-matter schema requires is missing"
    kind = "required"


class WrongType(_SchemaRule):
    """A front-matter value has the wrong type for the schema.

    Fail::

        ---
        title: Hello
        date: 2021-04-20
        comments: 'no'
        ---

    Pass::

        ---
        title: Hello
        date: 2021-04-20
        comments: false
        ---
    """

    code = "FM007"
    name = "wrong-type"
    summary = "A front-matter value has the wrong type"
    kind = "type"

    def check(self, doc: Document, ctx: RuleContext) -> Iterator[Diagnostic]:
        fm = doc.front_matter
        # A date key of another type (`date: 2023`) is invalid-date's finding, said in words
        # about dates: one finding for one defect.
        dates = {e.value_start for e in fm.entries if e.name in DATE_KEYS} if fm else set()
        for kind, start, end, message in schema_findings(doc, ctx):
            if kind == self.kind and start not in dates:
                yield self.diagnostic(doc, start, end, message)


class UnknownKey(_SchemaRule):
    """A key the schema does not know, when the schema is closed.

    A schema is closed when it sets ``"additionalProperties": false``. The built-in ``hexo``
    schema is open; ``hexo-strict`` is the same schema closed, or name a schema file of your own.

    Fail (schema = "hexo-strict")::

        ---
        title: Hello
        date: 2021-04-20
        comment: false
        ---

    Pass (schema = "hexo-strict")::

        ---
        title: Hello
        date: 2021-04-20
        ---
    """

    code = "FM008"
    name = "unknown-key"
    summary = "A front-matter key the closed schema does not allow"
    kind = "unknown"


class SchemaViolation(_SchemaRule):
    """A front-matter value breaks another constraint of the schema (enum, pattern, length…).

    Fail::

        ---
        title: ''
        date: 2021-04-20
        ---

    Pass::

        ---
        title: Hello
        date: 2021-04-20
        ---
    """

    code = "FM009"
    name = "schema-violation"
    summary = "A front-matter value breaks a schema constraint"
    kind = "other"


# ---- dates --------------------------------------------------------------------------------

# The keys Hexo, Jekyll and Hugo read as dates.
DATE_KEYS = ["date", "updated", "lastmod", "publishDate", "expiryDate"]

_ISO_DATE = re.compile(
    r"^\d{4}-\d{2}-\d{2}"
    r"(?:(?P<sep>[T ])\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$"
)
_RFC2822 = re.compile(
    r"^(?:[A-Za-z]{3},\s*)?(\d{1,2})\s+([A-Za-z]{3})\s+(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s+"
    r"([A-Z]{1,5}|[+-]\d{4})$"
)
# The month abbreviations and zone names email.utils knows (zones as +HHMM numbers).
_MONTHS = {
    name: i
    for i, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
_ZONES = {"UT": 0, "UTC": 0, "GMT": 0, "Z": 0, "AST": -400, "ADT": -300, "EST": -500,
          "EDT": -400, "CST": -600, "CDT": -500, "MST": -700, "MDT": -600, "PST": -800,
          "PDT": -700}  # fmt: skip
# Unambiguous layouts (year first) that we can rewrite without guessing.
_SAFE_FORMATS = (
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d",
    "%Y.%m.%d %H:%M:%S",
    "%Y.%m.%d",
    "%Y年%m月%d日 %H:%M:%S",
    "%Y年%m月%d日 %H:%M",
    "%Y年%m月%d日",
    "%Y-%m-%dT%H:%M:%S.%f%z",
    "%Y%m%dT%H%M%SZ",
)


def iso(value: dt.datetime | dt.date) -> str:
    if isinstance(value, dt.datetime):
        text = value.isoformat()
        if value.tzinfo is not None and value.utcoffset() == dt.timedelta(0):
            text = text.removesuffix("+00:00") + "Z"
        return text
    return value.isoformat()


def rfc2822_datetime(m: re.Match[str]) -> dt.datetime:
    """``email.utils.parsedate_to_datetime`` of the text ``_RFC2822`` matched, read from the
    match's groups: the same datetime (or the same ValueError), without taking the text apart
    again in pure Python (which cost more than the rest of the date rules)."""
    day, month_name, year_text, hour, minute, second, zone = m.groups()
    month = _MONTHS.get(month_name.lower())
    if month is None:
        raise ValueError(f"Invalid date value or format {m.string!r}")
    year = int(year_text)
    if year < 100:  # as email.utils reads a two-digit year (here: "0021")
        year += 1900 if year > 68 else 2000
    offset: int | None = _ZONES.get(zone)
    if offset is None and zone[0] in "+-":
        offset = int(zone)
        if offset == 0 and zone[0] == "-":
            offset = None  # -0000: UTC, but the source's own zone is unknown
    when = (year, month, int(day), int(hour), int(minute), int(second or 0))
    if offset is None:
        return dt.datetime(*when)
    sign = -1 if offset < 0 else 1
    seconds = sign * ((abs(offset) // 100) * 3600 + (abs(offset) % 100) * 60)
    return dt.datetime(*when, tzinfo=dt.timezone(dt.timedelta(seconds=seconds)))


def parse_date(value: str) -> tuple[dt.datetime | dt.date | None, bool]:
    """(parsed value, safe) — safe when the layout leaves no doubt about the instant."""
    text = value.strip()
    m = _RFC2822.match(text)
    if m:
        try:
            return rfc2822_datetime(m), True
        except (TypeError, ValueError, ArithmeticError):
            pass
    for fmt in _SAFE_FORMATS:
        try:
            parsed = dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
        return (parsed.date() if "%H" not in fmt else parsed), True
    from dateutil import parser as du_parser

    try:
        # A far-off default shows whether the text gave a full date (no silent "today").
        parsed = du_parser.parse(text, default=dt.datetime(1, 1, 1))
    except (ValueError, ArithmeticError):  # decimal.InvalidOperation on a 40-digit minute
        return None, False
    if parsed.year == 1:
        return None, False
    return parsed, False


def _parsed_date(value: str, ctx: RuleContext) -> tuple[dt.datetime | dt.date | None, bool]:
    """parse_date, once per value and document: invalid-date and non-iso-date both ask."""
    parsed: dict[str, tuple[dt.datetime | dt.date | None, bool]] = ctx.memo(
        "front-matter.parsed-dates", dict
    )
    found = parsed.get(value)
    if found is None:
        found = parsed[value] = parse_date(value)
    return found


_TEMPLATE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)


def templated(value: Any) -> bool:
    """Whether ``value`` holds a template expression (``{{ .Date }}``, ``{% link x %}``,
    ``{{< ref "a" >}}``): what the generator fills in, never invalid, never fixed."""
    return isinstance(value, str) and _TEMPLATE.search(value) is not None


def _date_entries(doc: Document, keys: list[str]) -> Iterator[tuple[KeyEntry, Any]]:
    fm = doc.front_matter
    if fm is None or fm.error is not None:
        return
    for entry in fm.entries:
        if entry.name in keys:
            value = fm.data.get(entry.name)
            if not templated(value):
                yield entry, value


def _unquoted(entry: KeyEntry) -> tuple[str, str]:
    src = entry.value_source
    if len(src) >= 2 and src[0] in "'\"" and src[-1] == src[0]:
        return src[0], src[1:-1]
    return "", src


class InvalidDate(Rule):
    """A date key holds something that is not a date at all.

    Fail::

        ---
        title: Hello
        date: next Tuesday-ish
        ---

    Pass::

        ---
        title: Hello
        date: 2021-04-20T02:55:35Z
        ---
    """

    code = "FM010"
    name = "invalid-date"
    summary = "A date key holds a value that does not parse as a date"
    options = {"keys": DATE_KEYS}

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Diagnostic]:
        unset_ok = ctx.settings.site is not None
        for entry, value in _date_entries(doc, list(ctx.options["keys"])):
            if isinstance(value, dt.date):
                continue
            if value is None and unset_ok:
                continue  # `updated:` left empty: every generator reads it as not set
            if not isinstance(value, str):
                yield self.diagnostic(
                    doc,
                    entry.value_start,
                    entry.value_end,
                    f"'{entry.name}' must be a date, not {_json_type(value)}",
                )
                continue
            if _ISO_DATE.match(value.strip()):
                try:
                    dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
                    continue
                except ValueError:
                    pass
            elif _parsed_date(value, ctx)[0] is not None:
                continue
            yield self.diagnostic(
                doc, entry.value_start, entry.value_end, f"'{entry.name}' is not a date: {value!r}"
            )


def _documented_layout(value: str, layouts: tuple[str, ...]) -> bool:
    for layout in layouts:
        try:
            dt.datetime.strptime(value.strip(), layout)
        except ValueError:
            continue
        return True
    return False


class NonIsoDate(Rule):
    """A date that parses but is not written in ISO 8601.

    Feeds write RFC 2822 dates (``Tue, 20 Apr 2021 02:55:35 GMT``) that some generators
    misread and that sort badly. The fix rewrites the value in ISO 8601 with the same instant
    and leaves the rest of the line alone. It is safe for RFC 2822 and year-first layouts;
    for layouts where day and month could be swapped the fix is unsafe.

    Option ``allow-space-separator`` (default true) accepts ``2021-04-29 04:02:14``, the
    layout Hexo writes itself (RFC 3339 allows the space). In a Hexo site the year-first
    layouts Hexo's own documentation shows (``2013/7/13 20:46:25``) are accepted too.

    Fail::

        ---
        title: Hello
        date: Tue, 20 Apr 2021 02:55:35 GMT
        ---

    Pass::

        ---
        title: Hello
        date: 2021-04-20T02:55:35Z
        ---
    """

    code = "FM011"
    name = "non-iso-date"
    summary = "A date not written in ISO 8601"
    fix_applicability = "safe"
    options = {
        "keys": DATE_KEYS,
        "allow_space_separator": True,
    }

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Diagnostic]:
        allow_space = bool(ctx.options["allow_space_separator"])
        site = ctx.settings.site
        layouts = site.preset.date_layouts if site is not None else ()
        for entry, value in _date_entries(doc, list(ctx.options["keys"])):
            quote, literal = _unquoted(entry)
            if layouts and isinstance(value, str) and _documented_layout(value, layouts):
                continue
            if isinstance(value, dt.date):
                # YAML already read it as a timestamp, so it is ISO-like; check the separator.
                m = _ISO_DATE.match(literal.strip())
                if m and (allow_space or m.group("sep") != " "):
                    continue
                if m is None:
                    continue
                parsed: dt.datetime | dt.date | None = value
                safe = True
            elif isinstance(value, str):
                m = _ISO_DATE.match(value.strip())
                if m and (allow_space or m.group("sep") != " "):
                    continue
                if m:
                    try:
                        parsed = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
                        safe = True
                    except ValueError:
                        continue  # invalid-date reports it
                else:
                    parsed, safe = _parsed_date(value, ctx)
                if parsed is None:
                    continue
            else:
                continue
            if parsed is None:
                continue
            new = iso(parsed)
            start = entry.value_start + len(quote)
            end = entry.value_end - len(quote)
            fix = Fix((Edit(start, end, new),), "safe" if safe else "unsafe", f"Rewrite as {new}")
            yield self.diagnostic(
                doc,
                entry.value_start,
                entry.value_end,
                f"'{entry.name}' is not ISO 8601: {literal.strip()!r} (ISO 8601: {new})",
                fix,
            )


# ---- URLs ---------------------------------------------------------------------------------


class InvalidUrl(Rule):
    """A URL-valued key is not an absolute http(s) URL.

    Themes put these values straight into ``<img src>``; an empty value, a relative path
    or a URL with spaces shows as a broken image. In a site whose generator is known (Hugo
    page bundles, Jekyll, Hexo...) relative and site-absolute paths are resolved by the
    generator and are fine, and so is a key left without a value or set to ``false`` (how
    themes turn an image off: Butterfly's ``cover: false``).

    Fail::

        ---
        title: Hello
        date: 2021-04-20
        thumbnail: ''
        ---

    Pass::

        ---
        title: Hello
        date: 2021-04-20
        thumbnail: 'https://img.example.com/a.png'
        ---
    """

    code = "FM012"
    name = "invalid-url"
    summary = "A URL-valued key is not an absolute http(s) URL"
    options = {
        "keys": [
            "headimg",
            "thumbnail",
            "cover",
            "image",
            "banner",
            "featured_image",
            "og_image",
            "canonical",
            "canonicalURL",
            "link",
        ],
    }

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Diagnostic]:
        fm = doc.front_matter
        if fm is None or fm.error is not None:
            return
        keys = set(ctx.options["keys"])
        site = ctx.settings.site
        relative_ok = site is not None and site.preset.relative_urls
        for entry in fm.entries:
            if entry.name not in keys:
                continue
            value = fm.data.get(entry.name)
            values = value if isinstance(value, list) else [value]
            for item in values:
                if isinstance(item, dict):
                    # An image as a table of keys: `image: {path: …, alt: …}` (Chirpy,
                    # jekyll-seo-tag), `cover: {image: …, caption: …}` (PaperMod). Its address
                    # is checked; a table without one is the theme's own business.
                    item = next((item[k] for k in _URL_INSIDE if k in item), _NO_URL)
                    if item is _NO_URL:
                        continue
                if templated(item):
                    continue
                problem = url_problem(item, relative_ok=relative_ok)
                if problem:
                    yield self.diagnostic(
                        doc, entry.value_start, entry.value_end, f"'{entry.name}' {problem}"
                    )


# The keys that hold the address of an image given as a table of keys.
_URL_INSIDE = ("path", "image", "src", "url")
_NO_URL = object()


def url_problem(value: Any, *, relative_ok: bool = False) -> str | None:
    """What is wrong with a URL-valued key, or None. With ``relative_ok`` (a site whose
    generator resolves paths: Hugo page bundles, Jekyll, Hexo) a relative or site-absolute
    path is fine, and so is a key left empty (`cover:`, as scaffolds write it; `image = ""`,
    as TOML, which has no null, and Hugo's archetypes write it) or turned off (`cover: false`,
    as themes document it: Butterfly's cover and top_img)."""
    if value is None:
        return None if relative_ok else "is empty"
    if relative_ok and (value is False or (isinstance(value, str) and not value.strip())):
        return None
    if relative_ok and isinstance(value, str) and value.strip():
        parts = urlsplit(value.strip())
        if not parts.scheme and not value.strip().startswith("//"):
            return None
    if not isinstance(value, str):
        return f"must be a URL, not {_json_type(value)}"
    text = value.strip()
    if not text:
        return "is empty"
    if len(text.split(None, 1)) > 1:  # white space inside (the ends are stripped)
        return f"is not a valid URL (contains white space): {text!r}"
    parts = urlsplit(text)
    if parts.scheme.lower() not in {"http", "https"}:
        if text.startswith("//"):
            return f"is protocol-relative, not absolute: {text!r}"
        return f"is not an absolute http(s) URL: {text!r}"
    if not parts.netloc:
        return f"has no host: {text!r}"
    return None


RULES = [
    MissingFrontMatter,
    FrontMatterNotAtStart,
    UnterminatedFrontMatter,
    FrontMatterSyntax,
    DuplicateKey,
    MissingRequiredKey,
    WrongType,
    UnknownKey,
    SchemaViolation,
    InvalidDate,
    NonIsoDate,
    InvalidUrl,
]
