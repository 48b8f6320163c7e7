"""The fast schema check may only ever say "valid" when jsonschema finds no error."""

from __future__ import annotations

import json
from typing import Any

from contentkit_rules.front_matter import load_schema
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema.validators import validator_for

from contentkit.fastschema import certainly_valid

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.floats(allow_nan=False, allow_infinity=False, width=16),
    st.text(max_size=3),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.text(max_size=3), inner, max_size=3),
    ),
    max_leaves=8,
)
KEYS = ["title", "date", "tags", "categories", "comments", "sticky", "author", "other", "toc"]
front_matter = st.dictionaries(st.sampled_from(KEYS), values, max_size=6)

CLOSED = {
    "type": "object",
    "required": ["title"],
    "properties": {
        "title": {"type": "string", "minLength": 2, "maxLength": 5},
        "n": {"type": ["integer", "null"]},
        "tags": {"$ref": "#/$defs/list"},
    },
    "additionalProperties": False,
    "$defs": {"list": {"type": "array", "items": {"type": "string"}}},
}


def _loader(schemas: dict[str, Any]) -> Any:
    def load(name: str) -> dict[str, Any]:
        return schemas[name] if name in schemas else load_schema(name)

    return load


def _agrees(name: str, schema: dict[str, Any], instance: Any, load: Any) -> bool:
    valid = not list(validator_for(schema)(schema).iter_errors(instance))
    return valid or not certainly_valid(name, instance, load)


@settings(max_examples=400, deadline=None)
@given(front_matter)
def test_never_valid_where_jsonschema_finds_errors_hexo(instance: dict[str, Any]) -> None:
    assert _agrees("hexo", load_schema("hexo"), instance, load_schema)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(["title", "n", "tags", "x"]), values, max_size=4))
def test_never_valid_where_jsonschema_finds_errors_closed(instance: dict[str, Any]) -> None:
    assert _agrees("closed", CLOSED, instance, _loader({"closed": CLOSED}))


def test_says_valid_for_ordinary_front_matter_and_defers_on_unknown_keywords() -> None:
    post = {"title": "Hi", "date": "2021-04-20", "tags": ["a", ["b"]], "comments": False}
    assert certainly_valid("hexo", post, load_schema)
    assert not certainly_valid("hexo", {"date": "x"}, load_schema)  # title missing
    odd = {"type": "object", "properties": {"a": {"pattern": "^x"}}}
    load = _loader({"odd": odd})
    assert not certainly_valid("odd", {"a": "x"}, load)  # 'pattern' is left to jsonschema
    assert json.dumps(post)  # the instance is JSON, as front matter is after conversion
