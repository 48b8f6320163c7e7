"""Front-matter rules through the Python API: positions, formats, schema, fixes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from contentkit import lint_text
from contentkit.config import load_settings, settings_from_table
from contentkit.rule import registered_rules


def findings(text: str, path: str = "post.md", **table: object) -> list[tuple[str, int, int, str]]:
    settings = settings_from_table(table, None, Path.cwd())
    result = lint_text(text, path, settings=settings)
    return [(d.code, d.line, d.column, d.message) for d in result.diagnostics]


def test_yaml_syntax_error_at_its_line_and_column() -> None:
    text = "---\ntitle: 'Hello\ndate: 2021-04-20\n---\nbody\n"
    [(code, line, col, msg)] = findings(text)
    assert code == "FM004"
    assert (line, col) == (4, 1)
    assert msg.startswith("YAML syntax error: found unexpected end of stream")


def test_yaml_bad_indentation_position() -> None:
    text = "---\ntitle: Hi\n  date: 2021-04-20\n---\n"
    [(code, line, col, msg)] = findings(text)
    assert (code, line, col) == ("FM004", 3, 7)
    assert msg.startswith("YAML syntax error: mapping values are not allowed")


def test_unterminated_front_matter() -> None:
    assert findings("---\ntitle: Hi\ndate: 2021-04-20\n") == [
        ("FM003", 1, 1, "front matter opened here is never closed with '---'")
    ]


def test_missing_front_matter() -> None:
    assert findings("# Just a heading\n") == [
        ("FM001", 1, 1, "no front matter: expected a '---' block on the first line")
    ]


def test_duplicate_key_sees_both() -> None:
    text = "---\ntitle: Draft\ndate: 2021-04-20\ntitle: Final\n---\n"
    assert findings(text) == [
        (
            "FM005",
            4,
            1,
            "key 'title' is given again (first on line 2); only this last value is kept",
        )
    ]


def test_required_and_type_from_builtin_schema() -> None:
    text = "---\ntitle: Hi\ncomments: 'no'\n---\n"
    assert findings(text) == [
        ("FM006", 1, 1, "required key 'date' is missing"),
        ("FM007", 3, 11, "'comments' must be boolean, not string"),
    ]


def test_closed_json_schema_file_maps_errors_to_key_lines(tmp_path: Path) -> None:
    schema = {
        "type": "object",
        "required": ["title", "date", "author"],
        "properties": {
            "title": {"type": "string"},
            "date": {"type": "string"},
            "author": {"type": "string"},
            "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 2},
            "layout": {"enum": ["post", "page"]},
        },
        "additionalProperties": False,
    }
    path = tmp_path / "post.schema.json"
    path.write_text(json.dumps(schema))
    text = "---\ntitle: Hi\ndate: 2021-04-20\nheadimg: x\ntags: [a, 2, c]\nlayout: weird\n---\n"
    got = findings(text, schema=str(path))
    assert ("FM006", 1, 1, "required key 'author' is missing") in got
    assert ("FM008", 4, 1, "unknown key 'headimg' (the schema is closed)") in got
    assert ("FM007", 5, 7, "'tags[1]' must be string, not integer") in got
    # In words, with JSON spellings: no Python reprs.
    assert ("FM009", 5, 7, "'tags' must hold at most 2 items, not 3") in got
    assert ("FM009", 6, 9, '\'layout\' must be one of "post", "page", not "weird"') in got
    assert sum(code == "FM006" for code, *_ in got) == 1


def test_one_finding_per_missing_key() -> None:
    # jsonschema reports each missing key with the whole list: three keys, three findings.
    schema_keys = {"title": "", "date": "", "author": ""}
    got = findings("---\nlayout: post\n---\n", schema="hexo")
    assert [m for c, _, _, m in got if c == "FM006"] == [
        "required key 'title' is missing",
        "required key 'date' is missing",
    ]
    assert schema_keys


def test_any_of_errors_in_words(tmp_path: Path) -> None:
    schema = {"properties": {"tags": {"anyOf": [{"type": "string"}, {"type": "array",
              "items": {"type": "string"}}]}}}  # fmt: skip
    path = tmp_path / "s.json"
    path.write_text(json.dumps(schema))
    got = findings("---\ntags:\n---\n", schema=str(path))
    assert got == [
        ("FM009", 2, 6, "'tags' must be a string or a list of strings, not empty (null)"),
    ]


def test_toml_front_matter_positions() -> None:
    text = '+++\ntitle = "Hi"\ndate = "Tue, 20 Apr 2021 02:55:35 GMT"\nthumbnail = "img.png"\n+++\n'
    got = findings(text)
    assert ("FM011", 3, 8) == got[0][:3]
    assert got[1] == ("FM012", 4, 13, "'thumbnail' is not an absolute http(s) URL: 'img.png'")
    fixed = lint_text(text, "p.md", fix=True).fixed
    assert fixed == text.replace("Tue, 20 Apr 2021 02:55:35 GMT", "2021-04-20T02:55:35Z")


def test_toml_syntax_error_position() -> None:
    [(code, line, _col, msg)] = findings('+++\ntitle = "Hi\n+++\n')
    assert (code, line) == ("FM004", 2)
    assert msg.startswith("TOML syntax error:")


def test_json_front_matter_positions_and_duplicates() -> None:
    text = '{\n  "title": "Hi",\n  "date": "2021/04/20",\n  "title": "Again"\n}\nBody\n'
    got = {f[0]: f[1:3] for f in findings(text)}
    assert got == {"FM005": (4, 3), "FM011": (3, 11)}
    fixed = lint_text(text, "p.md", fix=True).fixed
    assert fixed is not None and '"date": "2021-04-20"' in fixed


def test_json_syntax_error_position() -> None:
    [(code, line, col, msg)] = findings('{\n  "title": "Hi",\n  "date": \n}\n')
    assert (code, line, col) == ("FM004", 4, 1)
    assert msg == "JSON syntax error: Expecting value"


@pytest.mark.parametrize(
    ("value", "expected", "applicability"),
    [
        ("Tue, 20 Apr 2021 02:55:35 GMT", "2021-04-20T02:55:35Z", "safe"),
        ("Tue, 20 Apr 2021 10:55:35 +0800", "2021-04-20T10:55:35+08:00", "safe"),
        ("'2021/04/20 10:00:00'", "2021-04-20T10:00:00", "safe"),
        ("2021年4月20日", "2021-04-20", "safe"),
        ("April 20, 2021 10:00", "2021-04-20T10:00:00", "unsafe"),
    ],
)
def test_non_iso_dates_fix(value: str, expected: str, applicability: str) -> None:
    text = f"---\ntitle: Hi\ndate: {value}\nauthor: me\n---\n"
    result = lint_text(text, "p.md")
    [diag] = [d for d in result.diagnostics if d.code == "FM011"]
    assert diag.fix is not None and diag.fix.applicability == applicability
    fixed = lint_text(text, "p.md", fix=True, unsafe_fixes=True).fixed
    quote = "'" if value.startswith("'") else ""
    assert fixed == text.replace(value, f"{quote}{expected}{quote}")


def test_hexo_space_separated_date_is_accepted_by_default_only() -> None:
    text = "---\ntitle: Hi\ndate: 2021-04-29 04:02:14\n---\n"
    assert findings(text) == []
    strict = findings(text, rules={"non-iso-date": {"allow-space-separator": False}})
    assert strict[0][:3] == ("FM011", 3, 7)


def test_invalid_date() -> None:
    text = "---\ntitle: Hi\ndate: sometime soon\n---\n"
    assert findings(text) == [("FM010", 3, 7, "'date' is not a date: 'sometime soon'")]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("''", "'headimg' is empty"),
        ("/images/a.png", "'headimg' is not an absolute http(s) URL: '/images/a.png'"),
        (
            "//cdn.example.com/a.png",
            "'headimg' is protocol-relative, not absolute: '//cdn.example.com/a.png'",
        ),
        (
            "'https://ex.com/a b.png'",
            "'headimg' is not a valid URL (contains white space): 'https://ex.com/a b.png'",
        ),
        ("javascript:alert(1)", "'headimg' is not an absolute http(s) URL: 'javascript:alert(1)'"),
    ],
)
def test_invalid_urls(value: str, message: str) -> None:
    text = f"---\ntitle: Hi\ndate: 2021-04-20\nheadimg: {value}\n---\n"
    assert findings(text) == [("FM012", 4, 10, message)]


def test_bom_and_crlf_are_kept_by_fix(tmp_path: Path) -> None:
    from contentkit import lint_file

    post = tmp_path / "p.md"
    original = (
        "\ufeff\r\n---\r\ntitle: Hi\r\ndate: Tue, 20 Apr 2021 02:55:35 GMT\r\n---\r\nBody\r\n"
    )
    post.write_bytes(original.encode("utf-8"))
    post.chmod(0o640)
    result = lint_file(post, settings=load_settings(post), fix=True)
    assert result.fixes_applied == 2
    assert post.read_bytes() == (
        b"\xef\xbb\xbf---\r\ntitle: Hi\r\ndate: 2021-04-20T02:55:35Z\r\n---\r\nBody\r\n"
    )
    assert post.stat().st_mode & 0o777 == 0o640


def test_every_rule_documents_itself_and_its_examples_hold() -> None:
    """Each rule's Fail:: examples fail with that rule and its Pass:: examples pass."""
    checked = 0
    for code, rule in registered_rules().items():
        assert rule.summary and rule.documentation(), code
        for kind, example, config in rule.examples():
            settings = settings_from_table({**config, "select": [code]}, None, Path.cwd())
            codes = [
                d.code for d in lint_text(example, "example.md", settings=settings).diagnostics
            ]
            if kind == "fail":
                assert code in codes, f"{code} Fail example did not fail:\n{example}"
            else:
                assert code not in codes, f"{code} Pass example failed:\n{example}"
            checked += 1
    assert checked >= 20


@pytest.mark.parametrize(
    "first_line",
    [
        '{% include-markdown "../README.md" %}',  # MkDocs' include-markdown plugin
        "{% note info %}",  # a Hexo tag plugin
        "{% set x = 1 %}",  # Nunjucks (Eleventy)
        "{{< figure src=x >}}",  # a Hugo shortcode
    ],
)
def test_a_template_tag_on_the_first_line_is_no_json_front_matter(first_line: str) -> None:
    # Any first line starting with "{" had been read as JSON front matter: an FM004 on
    # every page that opens with a template tag.
    codes = [f[0] for f in findings(first_line + "\nHello\n{% endnote %}\n")]
    assert codes == ["FM001"]  # (no front matter: the default schema wants one)
    assert [f[0] for f in findings('{"title": "one line", "date": "2021-04-20"}\nBody\n')] == []
    assert [f[0] for f in findings('{ "title": 1, }\nBody\n')] == ["FM004"]
