"""YAML front matter loads as PyYAML's SafeLoader loads it, with every key's position.

contentkit builds the mapping itself for the usual front matter (string keys, no anchors) and
leaves the rest to PyYAML; both ways must give what ``yaml.safe_load`` gives.
"""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from contentkit import front_matter

CASES = {
    "plain": "title: Hi\ndate: 2021-04-20T02:55:35Z\ncomments: false\n",
    "scalars": (
        "n: ~\nempty:\nyes_: yes\nint: 0x1F\nneg: -12\nfloat: 1.5e3\ninf: .inf\n"
        "day: 2021-04-20\nstamp: 2021-04-20 02:55:35 +08:00\nquoted: '2021-04-20'\n"
        "tagged: !!str 12\nbinary: !!binary aGk=\n"
    ),
    "nested": (
        "tags: [a, 1, true, 2021-04-20]\ncategories:\n - x\n - [y, {z: 2}]\n"
        "meta: {a: 1, b: [c, d]}\nomap: !!omap [a: 1, b: 2]\nset: !!set {a, b}\n"
    ),
    "duplicate keys": "title: One\ndate: 2021-04-20\ntitle: Two\n",
    "anchors and merge": "base: &b {a: 1, b: 2}\nthis:\n  <<: *b\n  b: 3\nalias: *b\n",
    "number keys": "1: one\n2.5: two\ntrue: three\nnull: four\n",
}


@pytest.mark.parametrize("name", list(CASES))
def test_yaml_loads_as_safe_load_does(name: str) -> None:
    content = CASES[name]
    text = f"---\n{content}---\nBody.\n"
    fm = front_matter.split(text)
    assert fm is not None
    front_matter.parse(text, fm)
    assert fm.error is None
    assert fm.data == yaml.safe_load(content)
    # Every top-level key, in source order, points at its own text.
    assert [e.name for e in fm.entries] == [str(k.value) for k, _ in yaml.compose(content).value]
    for entry in fm.entries:
        assert text[entry.key_start : entry.key_end] == entry.name
        assert text[entry.value_start : entry.value_end] == entry.value_source


def test_a_merge_key_at_the_top_merges() -> None:
    text = "---\n<<: {a: 1}\nb: 2\n---\n"
    fm = front_matter.split(text)
    assert fm is not None
    front_matter.parse(text, fm)
    assert fm.data == {"a": 1, "b": 2} == yaml.safe_load("<<: {a: 1}\nb: 2\n")
    # The merged keys are reported where they are written, inside the merged mapping.
    assert [(e.name, text[e.key_start : e.key_end]) for e in fm.entries] == [("a", "a"), ("b", "b")]


def test_a_date_that_is_no_date_stays_text() -> None:
    text = "---\ntitle: Hi\ndate: 2021-24-20\nupdated: 2021-04-20\n---\n"
    fm = front_matter.split(text)
    assert fm is not None
    front_matter.parse(text, fm)
    assert fm.data == {"title": "Hi", "date": "2021-24-20", "updated": dt.date(2021, 4, 20)}


@pytest.mark.parametrize(
    ("content", "message", "offset"),
    [
        ("title: Hi\nviews: !!int many\n", "YAML error: 'many' is not a valid !!int", 17),
        ("title: Hi\nratio: !!float x\n", "YAML error: 'x' is not a valid !!float", 17),
        ("title: Hi\nwhen: !!timestamp x\n", "YAML error: 'x' is not a valid !!timestamp", 16),
        ("title: Hi\ntags: [a, !!int b]\n", "YAML error: 'b' is not a valid !!int", 20),
        (
            "title: Hi\nlist: !!seq abc\n",
            "YAML error: expected a sequence node, but found scalar",
            16,
        ),
        ("? [a, b]\n: c\n", "YAML error: found unhashable key (while constructing a mapping)", 2),
    ],
)
def test_values_their_tag_cannot_hold_are_errors(content: str, message: str, offset: int) -> None:
    text = f"---\n{content}---\n"
    fm = front_matter.split(text)
    assert fm is not None
    front_matter.parse(text, fm)
    assert fm.error is not None
    assert (fm.error.message, fm.error.offset - fm.content_start) == (message, offset)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("---\na: 1\n---", ("yaml", 0, 12, 4, 9, True)),
        ("---\na: 1\n---\nbody", ("yaml", 0, 13, 4, 9, True)),
        ("---\r\na: 1\r\n---\r\nbody", ("yaml", 0, 16, 5, 11, True)),
        ("---\ra: 1\r---\rbody", ("yaml", 0, 13, 4, 9, True)),
        ("\n \n---\na: 1\n...  \nbody\n", ("yaml", 3, 18, 7, 12, True)),
        ("---  \na: 1\n--- \n", ("yaml", 0, 16, 6, 11, True)),
        ("---\na: 1\n", ("yaml", 0, 9, 4, 9, False)),
        ("---", ("yaml", 0, 3, 3, 3, False)),
        ("---\n", ("yaml", 0, 4, 4, 4, False)),
        ("+++\na = 1\n+++\n", ("toml", 0, 14, 4, 10, True)),
        ('{"a": 1}', ("json", 0, 8, 0, 8, True)),
        ('{\n"a": 1\n}\nbody', ("json", 0, 11, 0, 10, True)),
        ("no front matter\n", None),
        ("\n\n", None),
        ("", None),
    ],
)
def test_the_block_is_found_whatever_the_newlines(text: str, found: tuple | None) -> None:
    fm = front_matter.split(text)
    got = fm and (fm.format, fm.start, fm.end, fm.content_start, fm.content_end, fm.terminated)
    assert got == found
