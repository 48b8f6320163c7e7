"""Front matter in YAML (``---``), TOML (``+++``) or JSON (``{``), with the position of every key.

python-frontmatter gives the metadata but forgets where it came from; a linter must point at
the key's own line, see duplicate keys that YAML silently collapses, and survive alias bombs.
So the block is split here and each format is parsed with a parser that reports positions.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal


def _lazy_module(name: str) -> Any:
    import importlib.util

    found = sys.modules.get(name)
    if found is not None:
        return found
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:  # pragma: no cover - PyYAML is a dependency
        raise ImportError(name)
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


if TYPE_CHECKING:
    import yaml
else:
    # PyYAML is imported when the first YAML front matter is read, not at start-up: a run
    # whose posts all come from the cache never needs it (26 ms of a warm run).
    yaml = _lazy_module("yaml")

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

FrontMatterFormat = Literal["yaml", "toml", "json"]

# A YAML alias may point at a large node many times over ("billion laughs"). Composition keeps
# aliases as shared nodes, so we can count the expanded size before anything is constructed.
MAX_EXPANDED_NODES = 100_000
# Flow collections ('[', '{') nested deeper than this are refused before PyYAML sees them:
# libyaml's composer recurses in C, past Python's recursion check, and 100,000 levels
# overflow the C stack (a crash, not an error).
MAX_FLOW_NESTING = 500
_FLOW_BRACKET = re.compile(r"[\[\]{}]")

_STR_TAG = "tag:yaml.org,2002:str"
_PLAIN_SCALAR_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("null", "bool", "int", "float", "timestamp")
)
_RESOLVED: dict[tuple[Any, Any, Any], str] = {}  # (node kind, text, implicit) -> tag


@functools.cache
def _loader_class() -> Any:
    """The loader, made on first use (see the lazy import of PyYAML above)."""
    base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class _Loader(base):  # type: ignore[valid-type,misc]
        """SafeLoader (plain data only) whose timestamps never raise.

        ``date: 2021-24-20`` matches YAML's timestamp pattern but is no date; PyYAML raises a bare
        ValueError for it. Kept as the string it is, the date rules can say what is wrong with it.
        """

        nodes = 0

        def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
            # Called once for every node the composer makes: past the limit on expanded nodes
            # (which they are at least) composing stops, before it takes seconds (400,000 keys).
            self.nodes += 1
            if self.nodes > MAX_EXPANDED_NODES:
                raise _TooManyNodes
            # The tag of a scalar depends on its text alone (this loader has no path resolvers):
            # keys and common values recur in every post, and resolving runs a list of regexes.
            if self.yaml_path_resolvers:  # pragma: no cover - none are registered
                return super().resolve(kind, value, implicit)
            key = (kind, value, implicit)
            tag = _RESOLVED.get(key)
            if tag is None:
                if len(_RESOLVED) >= 10_000:
                    _RESOLVED.clear()
                tag = _RESOLVED[key] = super().resolve(kind, value, implicit)
            return tag

        def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
            try:
                return super().construct_yaml_timestamp(node)
            except (ValueError, OverflowError):
                return self.construct_scalar(node)

        def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
            if node.__class__ is yaml.ScalarNode:
                tag = node.tag
                if tag == _STR_TAG:
                    # Most keys and values: what SafeConstructor would return (the scalar's text),
                    # without its bookkeeping (a string needs no alias or recursion tracking).
                    return node.value
                if tag in _PLAIN_SCALAR_TAGS:
                    # Dates, booleans, numbers and nulls: SafeConstructor's own function for the
                    # tag, again without the bookkeeping (an immutable value, never a generator).
                    try:
                        return self.yaml_constructors[tag](self, node)
                    except (ValueError, TypeError, AttributeError, OverflowError):
                        raise self._not_valid(node) from None
            try:
                return super().construct_object(node, deep=deep)
            except (ValueError, TypeError, AttributeError, OverflowError):
                raise self._not_valid(node) from None

        @staticmethod
        def _not_valid(node: yaml.Node) -> yaml.constructor.ConstructorError:
            # An explicit tag on a value it cannot convert (``!!int abc``, ``!!timestamp x``).
            tag = str(node.tag).replace("tag:yaml.org,2002:", "!!")
            return yaml.constructor.ConstructorError(
                None, None, f"{node.value!r} is not a valid {tag}", node.start_mark
            )

    _Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)
    return _Loader


@dataclass
class KeyEntry:
    """One top-level key as written: spans are offsets into the document's raw text."""

    name: str
    key_start: int
    key_end: int
    value_start: int
    value_end: int
    # The YAML scalar style of the value ('' plain, "'" or '"'), None for non-scalars.
    style: str | None = None
    value_source: str = ""


@dataclass
class FrontMatterError:
    message: str
    offset: int


@dataclass
class FrontMatter:
    format: FrontMatterFormat
    start: int  # offset of the opening delimiter
    end: int  # offset just past the closing delimiter line (== body start)
    content_start: int
    content_end: int
    terminated: bool = True
    data: dict[str, Any] = field(default_factory=dict)
    entries: list[KeyEntry] = field(default_factory=list)
    error: FrontMatterError | None = None

    def entry(self, name: str) -> KeyEntry | None:
        """The entry that wins (the last one, as YAML loaders keep the last duplicate)."""
        found = None
        for e in self.entries:
            if e.name == name:
                found = e
        return found


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")


def _iter_lines(text: str, start: int) -> Iterator[tuple[int, int, str, int]]:
    """(line start, line end without newline, line text, next line's start) from ``start``.

    Lazy: finding the front matter reads only its lines, not the whole post.
    """
    pos = start
    n = len(text)
    if "\r" not in text:
        # LF only (nearly every post): each line ends at the next "\n", found without a regex.
        while pos < n:
            newline = text.find("\n", pos)
            if newline < 0:
                yield pos, n, text[pos:], n
                return
            yield pos, newline, text[pos:newline], newline + 1
            pos = newline + 1
        return
    while pos < n:
        m = _LINE.match(text, pos)
        assert m is not None
        raw = m.group(0)
        stripped = raw.rstrip("\r\n")
        yield pos, pos + len(stripped), stripped, m.end()
        if m.end() == pos:
            break
        pos = m.end()


def _lines(text: str, start: int) -> list[tuple[int, int, str]]:
    """(line start, line end without newline, line text) from ``start`` on."""
    return [(a, b, line) for a, b, line, _next in _iter_lines(text, start)]


def leading_blank_end(text: str) -> int:
    """Offset of the first line that is not blank (0 when there is none)."""
    for line_start, _line_end, line, _next in _iter_lines(text, 0):
        if line.strip():
            return line_start
    return 0


def split(text: str) -> FrontMatter | None:
    """Find the front matter block, allowing blank lines before it (a rule reports those)."""
    start = leading_blank_end(text)
    lines = _iter_lines(text, start)
    first_line = next(lines, None)
    if first_line is None:
        return None
    first_start, _first_end, first, first_next = first_line
    opener = first.rstrip()
    if opener == "---":
        fmt: FrontMatterFormat = "yaml"
        closers: tuple[str, ...] = ("---", "...")
    elif opener == "+++":
        fmt = "toml"
        closers = ("+++",)
    elif opener == "{" or (opener.startswith("{") and opener[1:].lstrip()[:1] in ('"', "}")):
        # Hugo's JSON object: "{" alone, or a key in quotes after it. "{% include %}" and
        # "{{ x }}" open a template tag, not front matter.
        fmt = "json"
        closers = ("}",)
    else:
        return None
    # The next line's start, or the end of the text when the opener is the last line.
    content_start = first_next
    if fmt == "json":
        content_start = first_start
    for line_start, line_end, line, line_next in lines:
        if line.rstrip() in closers:
            if fmt == "json":
                content_end = line_end
            else:
                content_end = line_start
            return FrontMatter(fmt, first_start, line_next, content_start, content_end)
    if fmt == "json" and opener.rstrip().endswith("}"):
        # A one-line JSON object.
        return FrontMatter(fmt, first_start, first_next, first_start, _first_end)
    return FrontMatter(fmt, first_start, len(text), content_start, len(text), terminated=False)


_HEXO_SEPARATORS: tuple[tuple[str, FrontMatterFormat], ...] = (("---", "yaml"), (";;;", "json"))


def split_hexo(text: str) -> FrontMatter | None:
    """Hexo's other ways of writing the block (hexo-front-matter's ``split``): JSON members
    between lines of ``;;;`` (read as ``{`` + members + ``}``), and either kind without its
    opening separator, up to the first line of dashes or semicolons ("prefixing separators are
    optional"). Hexo takes the block only when it parses as a mapping: the caller checks that."""
    if text.startswith("---"):
        return None
    lines = _iter_lines(text, 0)
    if text.startswith(";;;"):
        first = next(lines)
        if first[2].rstrip().strip(";"):
            return None
        for line_start, _line_end, line, line_next in lines:
            if line.startswith(";;;") and not line.rstrip().strip(";"):
                return FrontMatter("json", 0, line_next, first[3], line_start)
        return None
    for line_start, _line_end, line, line_next in lines:
        for mark, fmt in _HEXO_SEPARATORS:
            if line.startswith(mark) and not line.rstrip().strip(mark[0]):
                if line_start == 0:
                    return None
                return FrontMatter(fmt, 0, line_next, 0, line_start)
    return None


def parse(text: str, fm: FrontMatter) -> None:
    """Fill ``fm.data`` and ``fm.entries`` from ``text``, or set ``fm.error``; never raises."""
    if not fm.terminated:
        return
    content = text[fm.content_start : fm.content_end]
    try:
        if fm.format == "yaml":
            _parse_yaml(content, fm)
        elif fm.format == "toml":
            _parse_toml(content, fm)
        else:
            _parse_json(content, fm)
    except RecursionError:
        fm.error = FrontMatterError("front matter is nested too deeply", fm.content_start)


def _mark_offset(fm: FrontMatter, mark: Any) -> int:
    return fm.content_start + int(mark.index)


class _TooManyNodes(Exception):
    """More nodes than MAX_EXPANDED_NODES were composed (aliases not yet expanded)."""


class _RecursiveAlias(Exception):
    """An alias inside the very node its anchor names (``a: &a [*a]``)."""

    def __init__(self, node: yaml.Node) -> None:
        self.node = node


def _expanded_size(
    node: yaml.Node, memo: dict[int, int], active: set[int] | None = None, depth: int = 0
) -> int:
    """Nodes the document has once every alias is expanded, stopping past the limit.

    Shared nodes are counted once per reference (that is what expansion costs) but sized once
    (memo), so the walk itself stays linear in the composed graph. A node met again while it
    is still being sized is a recursive anchor: its expansion is infinite.
    """
    key = id(node)
    if key in memo:
        return memo[key]
    if active is None:
        active = set()
    if key in active:
        raise _RecursiveAlias(node)
    if depth > 200:
        raise RecursionError
    active.add(key)
    size = 1
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            size += _expanded_size(k, memo, active, depth + 1)
            size += _expanded_size(v, memo, active, depth + 1)
            if size > MAX_EXPANDED_NODES:
                break
    elif isinstance(node, yaml.SequenceNode):
        for v in node.value:
            size += _expanded_size(v, memo, active, depth + 1)
            if size > MAX_EXPANDED_NODES:
                break
    active.discard(key)
    memo[key] = size
    return size


_PYTHON_TAG = "tag:yaml.org,2002:python/"


def _codepoint(character: object) -> str:
    # The C reader gives the code as an int, the pure-Python one as a one-character string.
    code = character if isinstance(character, int) else ord(str(character)[:1] or "\0")
    return f"U+{code:04X}"


def _flow_too_deep(content: str) -> int | None:
    """Offset of the bracket that nests flow collections past MAX_FLOW_NESTING, if any.

    Brackets inside quoted strings are counted too: that can only over-count, and no real
    front matter comes near the limit.
    """
    if content.count("[") + content.count("{") <= MAX_FLOW_NESTING:
        return None  # the usual case, decided without a scan
    depth = 0
    for m in _FLOW_BRACKET.finditer(content):
        if m.group() in "[{":
            depth += 1
            if depth > MAX_FLOW_NESTING:
                return m.start()
        elif depth:
            depth -= 1
    return None


def _parse_yaml(content: str, fm: FrontMatter) -> None:
    deep = _flow_too_deep(content)
    if deep is not None:
        fm.error = FrontMatterError(
            f"front matter nests lists or mappings more than {MAX_FLOW_NESTING} deep; "
            "refusing to load",
            fm.content_start + deep,
        )
        return
    loader = _loader_class()(content)
    try:
        try:
            node = loader.get_single_node()
        except _TooManyNodes:
            fm.error = FrontMatterError(
                f"front matter holds more than {MAX_EXPANDED_NODES:,} keys and values "
                "(YAML nodes); refusing to load",
                fm.content_start,
            )
            return
        if node is None:
            fm.data = {}
            return
        # Without an anchor ('&') nothing is expanded and the nodes are a few per character
        # at most: only front matter that could hold an alias bomb (or a cycle) is sized.
        could_expand = "&" in content or len(content) * 4 > MAX_EXPANDED_NODES
        try:
            too_big = could_expand and _expanded_size(node, {}) > MAX_EXPANDED_NODES
        except _RecursiveAlias as exc:
            fm.error = FrontMatterError(
                "YAML anchor refers to itself (a recursive alias); refusing to load",
                _mark_offset(fm, exc.node.start_mark),
            )
            return
        if too_big:
            fm.error = FrontMatterError(
                f"YAML expands to more than {MAX_EXPANDED_NODES:,} nodes "
                "(aliases counted each time); refusing to load",
                _mark_offset(fm, node.start_mark),
            )
            return
        data = _construct(loader, node, content)
    except yaml.constructor.ConstructorError as exc:
        # Only plain data is ever constructed (SafeLoader); name an object tag for what it is.
        mark = exc.problem_mark or exc.context_mark
        offset = _mark_offset(fm, mark) if mark is not None else fm.content_start
        problem = exc.problem or "invalid YAML"
        tag = re.search(r"tag '([^']*)'", problem)
        if tag and tag.group(1).startswith(_PYTHON_TAG):
            short = "!!" + tag.group(1).removeprefix("tag:yaml.org,2002:")
            problem = f"tag {short} would construct a Python object; only plain data is loaded"
        elif exc.context:
            problem = f"{problem} ({exc.context})"
        fm.error = FrontMatterError(f"YAML error: {problem}", offset)
        return
    except yaml.reader.ReaderError as exc:
        # Raised before any mark exists: a character YAML forbids (control characters).
        fm.error = FrontMatterError(
            f"YAML error: control character {_codepoint(exc.character)} is not allowed in YAML",
            fm.content_start + int(exc.position),
        )
        return
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        offset = _mark_offset(fm, mark) if mark is not None else fm.content_start
        problem = exc.problem or "invalid YAML"
        if exc.context:
            problem = f"{problem} ({exc.context})"
        fm.error = FrontMatterError(f"YAML syntax error: {problem}", offset)
        return
    except yaml.YAMLError as exc:
        fm.error = FrontMatterError(f"YAML error: {exc}", fm.content_start)
        return
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        fm.error = FrontMatterError(
            f"front matter must be a mapping of keys to values, not {type(data).__name__}",
            _mark_offset(fm, node.start_mark),
        )
        return
    fm.data = data
    if isinstance(node, yaml.MappingNode):
        base = fm.content_start  # marks count from the start of the content
        add = fm.entries.append
        for key_node, value_node in node.value:
            style = value_node.style if isinstance(value_node, yaml.ScalarNode) else None
            vs = value_node.start_mark.index
            ve = value_node.end_mark.index
            add(
                KeyEntry(
                    str(key_node.value),
                    base + key_node.start_mark.index,
                    base + key_node.end_mark.index,
                    base + vs,
                    base + ve,
                    style or ("" if style is not None else None),
                    content[vs:ve],
                )
            )


_MAP_TAG = "tag:yaml.org,2002:map"


def _construct(loader: yaml.SafeLoader, node: yaml.Node, content: str) -> Any:
    """``loader.construct_document(node)``, without SafeConstructor's bookkeeping for the
    usual front matter: a mapping whose keys are all plain strings (no merge key ``<<``) and
    no anchors (so no node is shared). Its values are constructed exactly as
    construct_mapping would, in the same order, nested collections last.
    """
    if node.__class__ is not yaml.MappingNode or node.tag != _MAP_TAG or "&" in content:
        return loader.construct_document(node)
    pairs = node.value
    for key_node, _value_node in pairs:
        if key_node.__class__ is not yaml.ScalarNode or key_node.tag != _STR_TAG:
            return loader.construct_document(node)
    construct = loader.construct_object
    data = {key_node.value: construct(value_node) for key_node, value_node in pairs}
    # What construct_document does after the root: fill the collections left for later.
    while loader.state_generators:
        generators = loader.state_generators
        loader.state_generators = []
        for generator in generators:
            for _dummy in generator:
                pass
    loader.constructed_objects = {}
    loader.recursive_objects = {}
    loader.deep_construct = False
    return data


_TOML_ERROR_POS = re.compile(r"\(at line (\d+), column (\d+)\)")
_TOML_KEY = re.compile(r"""^[ \t]*("(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+)[ \t]*=[ \t]*""", re.M)
_TOML_TABLE = re.compile(r"^[ \t]*\[", re.M)


def _offset_of_line_col(content: str, line: int, col: int) -> int:
    lines = _lines(content, 0)
    if 1 <= line <= len(lines):
        return lines[line - 1][0] + max(col - 1, 0)
    return len(content)


def _parse_toml(content: str, fm: FrontMatter) -> None:
    try:
        fm.data = tomllib.loads(content)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = _TOML_ERROR_POS.search(msg)
        offset = fm.content_start
        if m:
            offset += _offset_of_line_col(content, int(m.group(1)), int(m.group(2)))
        fm.error = FrontMatterError(
            f"TOML syntax error: {_TOML_ERROR_POS.sub('', msg).strip()}", offset
        )
        return
    table = _TOML_TABLE.search(content)
    limit = table.start() if table else len(content)
    for m in _TOML_KEY.finditer(content, 0, limit):
        name = m.group(1).strip("\"'")
        line_end = content.find("\n", m.end())
        line_end = len(content) if line_end < 0 else line_end
        value_end = len(content[m.end() : line_end].rstrip("\r"))
        fm.entries.append(
            KeyEntry(
                name,
                fm.content_start + m.start(1),
                fm.content_start + m.end(1),
                fm.content_start + m.end(),
                fm.content_start + m.end() + value_end,
                value_source=content[m.end() : m.end() + value_end],
            )
        )


def _parse_json(content: str, fm: FrontMatter) -> None:
    pairs_seen: list[list[tuple[str, Any]]] = []

    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        pairs_seen.append(pairs)
        return dict(pairs)

    # Hexo's ;;; block holds an object's members without its braces; offsets found in the
    # braced text are one past the file's.
    base = fm.content_start
    if not content.lstrip().startswith("{"):
        content = "{" + content + "}"
        base -= 1
    try:
        data = json.loads(content, object_pairs_hook=hook)
    except json.JSONDecodeError as exc:
        at = min(max(base + exc.pos, fm.content_start), fm.content_end)
        fm.error = FrontMatterError(f"JSON syntax error: {exc.msg}", at)
        return
    if not isinstance(data, dict):
        fm.error = FrontMatterError("JSON front matter must be an object", fm.content_start)
        return
    fm.data = data
    top = pairs_seen[-1] if pairs_seen else []
    # Top-level keys appear at depth 1; find each occurrence in source order.
    decoder = json.JSONDecoder()
    depth = 0
    i = 0
    names = iter(name for name, _ in top)
    n = len(content)
    while i < n:
        ch = content[i]
        if ch == '"':
            _, j = json.decoder.scanstring(content, i + 1)  # type: ignore[attr-defined]
            if depth == 1:
                k = j
                while k < n and content[k] in " \t\r\n":
                    k += 1
                if k < n and content[k] == ":":
                    name = next(names, None)
                    if name is not None:
                        v = k + 1
                        while v < n and content[v] in " \t\r\n":
                            v += 1
                        try:
                            _, v_end = decoder.raw_decode(content, v)
                        except json.JSONDecodeError:
                            v_end = v
                        fm.entries.append(
                            KeyEntry(
                                name,
                                base + i,
                                base + j,
                                base + v,
                                base + v_end,
                                value_source=content[v:v_end],
                            )
                        )
                        i = v_end
                        continue
            i = j
            continue
        if ch in "{[":
            depth += 1
        elif ch in "}]":
            depth -= 1
        i += 1


def to_json_compatible(value: Any) -> Any:
    """Dates become ISO strings so JSON Schema (and JSON output) can see them."""
    if type(value) is str:  # most values, and none of the types below
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): to_json_compatible(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json_compatible(v) for v in value]
    # YAML's !!set and !!binary load as a set and bytes, which JSON has no word for.
    if isinstance(value, set | frozenset):
        return sorted((to_json_compatible(v) for v in value), key=repr)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return str(value)  # .nan and .inf: JSON has no such numbers
    return value
