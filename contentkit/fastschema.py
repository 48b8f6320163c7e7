"""A fast "certainly valid" check for the common subset of JSON Schema, before jsonschema.

Profiling ``lint`` showed jsonschema's ``iter_errors`` taking a third of the time on posts
whose front matter is valid. Most schemas for front matter use a handful of keywords; for
those, a schema is compiled once into plain Python checks. The check only ever answers "valid"
when jsonschema would find no error; for anything it does not understand (a keyword outside
the subset, a float where an integer is wanted) it answers "not sure" and the caller asks
jsonschema, which also writes the messages for invalid front matter.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

Check = Callable[[Any], bool]

# Keywords that never affect validity.
_ANNOTATIONS = frozenset(
    {"$schema", "$id", "$comment", "title", "description", "default", "examples", "$defs",
     "definitions", "deprecated", "readOnly", "writeOnly"}
)  # fmt: skip
_SUPPORTED = _ANNOTATIONS | {
    "type",
    "required",
    "properties",
    "additionalProperties",
    "items",
    "anyOf",
    "minLength",
    "maxLength",
    "$ref",
}


class _Unsupported(Exception):
    pass


def _type_check(name: str) -> Check:
    if name == "string":
        return lambda v: isinstance(v, str)
    if name == "boolean":
        return lambda v: isinstance(v, bool)
    if name == "null":
        return lambda v: v is None
    if name == "array":
        return lambda v: isinstance(v, list)
    if name == "object":
        return lambda v: isinstance(v, dict)
    if name == "integer":  # a float like 1.0 is an integer to jsonschema: leave it to it
        return lambda v: isinstance(v, int) and not isinstance(v, bool)
    if name == "number":
        return lambda v: isinstance(v, int | float) and not isinstance(v, bool)
    raise _Unsupported(name)


def _compile(schema: Any, root: Mapping[str, Any], depth: int = 0) -> Check:
    if depth > 50:
        raise _Unsupported("deep")
    if schema is True:
        return lambda v: True
    if schema is False:
        return lambda v: False
    if not isinstance(schema, dict) or not set(schema) <= _SUPPORTED:
        raise _Unsupported("keyword")
    checks: list[Check] = []
    if "$ref" in schema:
        checks.append(_compile(_resolve(schema["$ref"], root), root, depth + 1))
    if "type" in schema:
        names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        tests = [_type_check(n) for n in names]
        if len(tests) == 1:
            checks.append(tests[0])
        else:
            checks.append(lambda v: any(t(v) for t in tests))
    if "minLength" in schema or "maxLength" in schema:
        lo = schema.get("minLength", 0)
        hi = schema.get("maxLength")
        checks.append(
            lambda v: not isinstance(v, str) or (lo <= len(v) and (hi is None or len(v) <= hi))
        )
    if "anyOf" in schema:
        options = [_compile(s, root, depth + 1) for s in schema["anyOf"]]
        checks.append(lambda v: any(o(v) for o in options))
    if "items" in schema:
        item = _compile(schema["items"], root, depth + 1)
        checks.append(lambda v: not isinstance(v, list) or all(item(x) for x in v))
    if "required" in schema:
        required = list(schema["required"])
        checks.append(lambda v: not isinstance(v, dict) or all(k in v for k in required))
    props = {k: _compile(s, root, depth + 1) for k, s in schema.get("properties", {}).items()}
    extra = schema.get("additionalProperties", True)
    extra_check = None if extra is True else _compile(extra, root, depth + 1)
    if props or extra_check is not None:

        def check_object(v: Any) -> bool:
            if not isinstance(v, dict):
                return True
            for k, x in v.items():
                c = props.get(k, extra_check)
                if c is not None and not c(x):
                    return False
            return True

        checks.append(check_object)
    if not checks:
        return lambda v: True
    if len(checks) == 1:
        return checks[0]

    def check_all(v: Any) -> bool:
        for c in checks:
            if not c(v):
                return False
        return True

    return check_all


def _resolve(ref: Any, root: Mapping[str, Any]) -> Any:
    if not isinstance(ref, str) or not ref.startswith("#/"):
        raise _Unsupported("ref")
    node: Any = root
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or part not in node:
            raise _Unsupported("ref")
        node = node[part]
    return node


@lru_cache(maxsize=16)
def _compiled(key: str, loader: Callable[[str], dict[str, Any]]) -> Check | None:
    schema = loader(key)
    try:
        return _compile(schema, schema)
    except (_Unsupported, TypeError, ValueError):
        return None


def certainly_valid(
    schema_key: str, instance: Any, loader: Callable[[str], dict[str, Any]]
) -> bool:
    """True only if ``instance`` is valid against the schema ``loader(schema_key)``."""
    check = _compiled(schema_key, loader)
    if check is None:
        return False
    try:
        return bool(check(instance))
    except (TypeError, ValueError, RecursionError):
        return False
