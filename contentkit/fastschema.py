"""A fast "certainly valid" check before jsonschema, using fastjsonschema's compiled validators.

Profiling ``lint`` showed jsonschema's ``iter_errors`` taking a third of the time on posts
whose front matter is valid. fastjsonschema compiles a schema into Python code once and checks
a post in microseconds, but it stops at the first error and implements drafts 4 to 7 only. So
it answers just one question, "is this certainly valid?", and only for schemas whose keywords
mean the same in every draft; for anything else, and for every invalid post, jsonschema runs
and writes the messages with their positions.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

# Keywords whose meaning did not change between draft 4 and 2020-12 (``items`` only as one
# schema, never the array form;
# no ``prefixItems``/``unevaluated*``, no ``$dynamicRef``): on these fastjsonschema and
# jsonschema agree whatever ``$schema`` says. (enum, const and uniqueItems are left out: Python
# compares True == 1, jsonschema does not.)
_STABLE = frozenset(
    {"$schema", "$id", "$comment", "title", "description", "default", "examples", "$defs",
     "definitions", "deprecated", "readOnly", "writeOnly", "type", "required", "properties",
     "additionalProperties", "anyOf", "oneOf", "allOf", "not", "minLength",
     "maxLength", "minimum", "maximum", "minItems", "maxItems", "pattern",
     "patternProperties", "$ref", "items"}
)  # fmt: skip
_CONTAINERS = ("properties", "patternProperties", "$defs", "definitions")


def _stable(schema: Any, depth: int = 0) -> bool:
    if isinstance(schema, bool):
        return True
    if not isinstance(schema, dict) or depth > 50 or not set(schema) <= _STABLE:
        return False
    if "$ref" in schema and (not isinstance(schema["$ref"], str) or len(schema) > 1):
        return False  # $ref beside other keywords is read differently across drafts
    for key in _CONTAINERS:
        if not all(_stable(s, depth + 1) for s in dict(schema.get(key, {})).values()):
            return False
    for key in ("additionalProperties", "not", "items"):
        if key in schema and not _stable(schema[key], depth + 1):
            return False
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema and not all(_stable(s, depth + 1) for s in schema[key]):
            return False
    return True


@lru_cache(maxsize=16)
def _compiled(key: str, loader: Callable[[str], dict[str, Any]]) -> Callable[[Any], Any] | None:
    schema = loader(key)
    if not _stable(schema):
        return None
    # Compiled as draft 7, which covers every stable keyword; formats stay annotations, as
    # jsonschema treats them by default. Without its $id, local refs never go to the network.
    draft7 = {k: v for k, v in schema.items() if k not in ("$schema", "$id")}
    import fastjsonschema  # here: a run that checks no front matter (all cached) skips it

    try:
        validate: Callable[[Any], Any] = fastjsonschema.compile(draft7, formats={})
    except fastjsonschema.JsonSchemaDefinitionException:
        return None
    return validate


def certainly_valid(
    schema_key: str, instance: Any, loader: Callable[[str], dict[str, Any]]
) -> bool:
    """True only if ``instance`` is valid against the schema ``loader(schema_key)``."""
    validate = _compiled(schema_key, loader)
    if validate is None:
        return False
    import fastjsonschema

    try:
        validate(instance)
    except (fastjsonschema.JsonSchemaValueException, TypeError, ValueError, RecursionError):
        return False
    return True
