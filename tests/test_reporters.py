"""The report formats as a CI system, a code-scanning dashboard or a terminal reads them."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import jsonschema
import pytest
from junitparser import Failure, JUnitXml

from contentkit.diagnostics import Diagnostic, Severity
from contentkit.reporters.github import annotation

FIXTURES = Path(__file__).resolve().parent / "fixtures"
POSTS = FIXTURES / "integrations"
SARIF_SCHEMA = FIXTURES / "sarif" / "sarif-schema-2.1.0.json"

# ::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message, nothing else on the line
ANNOTATION = re.compile(
    r"^::(error|warning|notice) file=(?P<file>[^,:]+),line=(?P<line>\d+),col=(?P<col>\d+),"
    r"endLine=(?P<end_line>\d+),endColumn=(?P<end_col>\d+),title=(?P<title>[^,:]+)"
    r"::(?P<message>.+)$"
)


@pytest.fixture
def posts(tmp_path: Path) -> Path:
    for name in ("bad-post.md", "good-post.md", "wide-chars.md"):
        shutil.copy(POSTS / name, tmp_path / name)
    return tmp_path


def concise_positions(run_cli, *args: str) -> list[tuple[str, int, int, str]]:
    out = run_cli("lint", "--output-format", "concise", *args).stdout
    found = re.findall(r"^(.+?):(\d+):(\d+): ([A-Z]+\d+) ", out, re.M)
    return [(p, int(line), int(col), code) for p, line, col, code in found]


def test_github_annotations_have_the_workflow_command_shape(run_cli, posts: Path) -> None:
    proc = run_cli("lint", "--output-format", "github", "bad-post.md", "good-post.md")
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert len(lines) == 2
    got = []
    for line in lines:
        m = ANNOTATION.match(line)
        assert m, line
        got.append((m["file"], int(m["line"]), int(m["col"]), m["title"].split()[0]))
        assert int(m["end_line"]) == int(m["line"])
        assert int(m["end_col"]) >= int(m["col"])
        assert m["title"] in ("FM002 front-matter-not-at-start", "FM011 non-iso-date")
    assert got == concise_positions(run_cli, "bad-post.md", "good-post.md")
    date = next(line for line in lines if "FM011" in line)
    # The span of the date value: 'Tue, 20 Apr 2021 02:55:35 GMT' is 29 characters long.
    assert "line=11,col=7,endLine=11,endColumn=36," in date
    assert date.endswith(
        "::FM011 [non-iso-date] 'date' is not ISO 8601: "
        "'Tue, 20 Apr 2021 02:55:35 GMT' (ISO 8601: 2021-04-20T02:55:35Z)"
    )


def test_github_escapes_properties_and_message(run_cli, tmp_path: Path) -> None:
    # A file name with ':' and ',' and a date value with '%': all must survive the command.
    name = "q1,2021:draft.md"
    (tmp_path / name).write_text("---\ntitle: T\ndate: 100% Tuesday\n---\n", encoding="utf-8")
    proc = run_cli("lint", "--output-format", "github", name)
    (line,) = [x for x in proc.stdout.splitlines() if "FM010" in x or "FM011" in x]
    assert line.startswith("::error file=q1%2C2021%3Adraft.md,line=3,col=7,")
    assert "100%25 Tuesday" in line.split("::", 2)[2]
    assert "%" not in line.replace("%25", "").replace("%2C", "").replace("%3A", "")

    # Newlines and carriage returns in a message cannot come from a post; check the escaping
    # itself on a finding built by hand.
    d = Diagnostic(
        "FM004",
        "front-matter-syntax",
        "bad\r\nvalue: 50%",
        "a:b,c.md",
        0,
        3,
        line=2,
        column=1,
        end_line=2,
        end_column=4,
        severity=Severity.WARNING,
    )
    assert annotation(d) == (
        "::warning file=a%3Ab%2Cc.md,line=2,col=1,endLine=2,endColumn=4,"
        "title=FM004 front-matter-syntax::FM004 [front-matter-syntax] bad%0D%0Avalue: 50%25"
    )


def sarif_validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8-sig"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def test_sarif_validates_against_the_official_schema(run_cli, posts: Path) -> None:
    out = posts / "report.sarif"
    proc = run_cli("lint", "--output-format", "sarif", "--output-file", str(out), ".")
    assert proc.returncode == 1
    log = json.loads(out.read_text(encoding="utf-8"))
    errors = sorted(sarif_validator().iter_errors(log), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)

    # The schema must also reject a broken log, or the check above proves nothing.
    broken = json.loads(json.dumps(log))
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    assert list(sarif_validator().iter_errors(broken))

    run = log["runs"][0]
    assert log["version"] == "2.1.0"
    assert run["columnKind"] == "unicodeCodePoints"
    rules = run["tool"]["driver"]["rules"]
    for rule in rules:
        assert re.fullmatch(r"[A-Z]+\d{3}", rule["id"])
        assert rule["name"] and rule["shortDescription"]["text"]
        assert rule["fullDescription"]["text"] and rule["help"]["text"]
    results = run["results"]
    assert len(results) == 3
    for r in results:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
        assert r["level"] == "error"
    seen = sorted(
        (
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            r["locations"][0]["physicalLocation"]["region"]["startColumn"],
            r["ruleId"],
        )
        for r in results
    )
    assert seen == sorted(concise_positions(run_cli, "."))
    # The fix of the date finding replaces exactly the date value.
    date = next(r for r in results if r["ruleId"] == "FM011" and "bad-post" in str(r))
    (change,) = date["fixes"][0]["artifactChanges"]
    (replacement,) = change["replacements"]
    assert replacement["deletedRegion"] == {
        "startLine": 11,
        "startColumn": 7,
        "endLine": 11,
        "endColumn": 36,
    }
    assert replacement["insertedContent"]["text"] == "2021-04-20T02:55:35Z"


def test_sarif_columns_count_code_points_in_wide_text(run_cli, posts: Path) -> None:
    log = json.loads(run_cli("lint", "--output-format", "sarif", "wide-chars.md").stdout)
    (result,) = log["runs"][0]["results"]
    region = result["locations"][0]["physicalLocation"]["region"]
    line = (posts / "wide-chars.md").read_text(encoding="utf-8").splitlines()[0]
    assert line[region["startColumn"] - 1 : region["endColumn"] - 1] == (
        '"Tue, 20 Apr 2021 02:55:35 GMT"'
    )


def test_sarif_uri_of_a_file_name_with_spaces_and_cjk(run_cli, tmp_path: Path) -> None:
    shutil.copy(POSTS / "bad-post.md", tmp_path / "上海 post.md")
    log = json.loads(run_cli("lint", "--output-format", "sarif", "上海 post.md").stdout)
    assert not list(sarif_validator().iter_errors(log))
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in log["runs"][0]["results"]
    }
    assert uris == {"%E4%B8%8A%E6%B5%B7%20post.md"}


def test_junit_reads_with_a_junit_parser(run_cli, posts: Path) -> None:
    out = posts / "junit.xml"
    proc = run_cli(
        "lint", "--output-format", "junit", "-o", str(out), "bad-post.md", "good-post.md"
    )
    assert proc.returncode == 1
    xml = JUnitXml.fromfile(str(out))
    suites = {suite.name: suite for suite in xml}
    assert set(suites) == {"bad-post.md", "good-post.md"}
    bad = suites["bad-post.md"]
    assert (bad.tests, bad.failures) == (2, 2)
    failures = [r for case in bad for r in case.result if isinstance(r, Failure)]
    assert {f.type for f in failures} == {"FM002 front-matter-not-at-start", "FM011 non-iso-date"}
    assert any("ISO 8601" in (f.message or "") for f in failures)
    good = suites["good-post.md"]
    assert (good.tests, good.failures) == (1, 0)
    (case,) = list(good)
    assert case.is_passed


def test_output_file_and_exit_zero(run_cli, posts: Path) -> None:
    proc = run_cli(
        "lint",
        "--exit-zero",
        "--output-format",
        "json",
        "--output-file",
        "findings.json",
        "bad-post.md",
    )
    assert proc.returncode == 0
    assert proc.stdout == ""
    findings = json.loads((posts / "findings.json").read_text(encoding="utf-8"))
    assert [f["code"] for f in findings] == ["FM002", "FM011"]
    proc = run_cli("lint", "--exit-zero", "bad-post.md")
    assert proc.returncode == 0
    assert "FM011" in proc.stdout
    proc = run_cli("lint", "-o", "missing-dir/out.txt", "bad-post.md")
    assert proc.returncode == 2
    assert "missing-dir/out.txt" in proc.stderr
    assert "Traceback" not in proc.stderr


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def test_show_source_counts_wide_characters_as_two_columns(run_cli, posts: Path) -> None:
    proc = run_cli("lint", "--show-source", "wide-chars.md")
    lines = proc.stdout.splitlines()
    i = next(i for i, line in enumerate(lines) if "FM011" in line)
    source, caret = lines[i + 1], lines[i + 2]
    column = int(lines[i].split(":")[2])
    gutter = source.index("| ") + 2
    text = source[gutter:]
    assert text == (posts / "wide-chars.md").read_text(encoding="utf-8").splitlines()[0]
    assert caret.endswith("^")
    # The caret sits under the first character of the finding on a terminal, where each of
    # the five Chinese characters before it takes two columns.
    assert display_width(caret[gutter:]) - 1 == display_width(text[: column - 1])
    assert text[column - 1 :].startswith('"Tue,')
    assert display_width(text[: column - 1]) == column - 1 + 5


MULTITOOL = (
    Path(__file__).resolve().parent.parent
    / ".ci/tools/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
)


@pytest.mark.skipif(
    not MULTITOOL.is_file(),
    reason="Microsoft's SARIF validator is not installed (.ci/run installs it with npm)",
)
def test_sarif_passes_microsofts_sarif_validator(run_cli, posts: Path) -> None:
    (posts / "suppressed.md").write_text(
        "---\ntitle: T\ndate: 2021-04-20\n---\n<!-- contentkit-disable-next-line FM011 -->\nA\n",
        encoding="utf-8",
    )
    run_cli("lint", "--output-format", "sarif", "-o", "report.sarif", ".")
    log = json.loads((posts / "report.sarif").read_text(encoding="utf-8"))
    assert len(log["runs"][0]["results"]) == 4  # FM002, FM011 twice, CK002
    broken = json.loads(json.dumps(log))
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    (posts / "broken.sarif").write_text(json.dumps(broken), encoding="utf-8")

    def validate(name: str) -> tuple[list[str], str]:
        out = f"{name}.validation"
        proc = subprocess.run(
            [str(MULTITOOL), "validate", name, "-o", out],
            cwd=posts,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert proc.returncode in (0, 1), proc.stdout + proc.stderr
        validation = json.loads((posts / out).read_text(encoding="utf-8-sig"))
        results = [r for run in validation["runs"] for r in run.get("results", [])]
        errors = [r["ruleId"] for r in results if r.get("level", "warning") == "error"]
        return errors, json.dumps(results)

    errors, everything = validate("report.sarif")
    assert errors == []
    assert "contentkit" in everything  # it read our log: it warns that we have no home page
    errors, _ = validate("broken.sarif")
    assert errors  # and it does catch a broken one


def test_show_source_cuts_a_long_line_around_the_caret(run_cli, tmp_path: Path) -> None:
    title = "数字经济" * 100  # 400 wide characters: 800 terminal columns before the date
    (tmp_path / "long.md").write_text(
        '{"title": "'
        + title
        + '", "date": "Tue, 20 Apr 2021 02:55:35 GMT", "x": "'
        + "y" * 300
        + '"}\n\nText.\n',
        encoding="utf-8",
    )
    lines = run_cli("lint", "--show-source", "long.md").stdout.splitlines()
    i = next(i for i, line in enumerate(lines) if "FM011" in line)
    source, caret = lines[i + 1], lines[i + 2]
    gutter = source.index("| ") + 2
    shown = source[gutter:]
    assert shown.startswith("…") and shown.endswith("…")
    assert display_width(shown) <= 102
    under = display_width(caret[gutter:]) - 1
    # The caret stands under the quote that opens the date value.
    assert display_width(shown[: shown.index('"Tue,')]) == under
