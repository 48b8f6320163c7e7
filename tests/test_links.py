"""Spurious and broken inline links (LK001 spurious-link, LK002 broken-link), run as a user would.

The 36kr fixtures are real posts copied from the corpus (their labels are in
../shared/corpus/links.tsv); the broken-link fixtures are made, since real feeds have few.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from contentkit.rule import registered_rules

FIX = Path(__file__).resolve().parent / "fixtures" / "links"


def anchor_position(text: str, needle: str) -> tuple[int, int]:
    """1-based line and column of the '<a' (or '[') of the link whose source contains needle."""
    at = text.index(needle)
    start = max(text.rfind("<a ", 0, at + 1), text.rfind("[", 0, at + 1))
    line = text.count("\n", 0, start) + 1
    return line, start - (text.rfind("\n", 0, start) + 1) + 1


def findings(run_cli, *args: str, env: dict[str, str] | None = None) -> list[dict]:
    proc = run_cli("lint", "--select", "LK", "--output-format", "json", *args, env=env)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)


def copy(tmp_path: Path, name: str) -> Path:
    dest = tmp_path / name
    shutil.copyfile(FIX / name, dest)
    return dest


def strip_tags(text: str) -> str:
    return re.sub(r"<[^>]*>", "", text)


# ---- spurious: cutting through a word ----------------------------------------------------


def test_cut_through_word_in_html_points_at_anchor(run_cli):
    post = FIX / "36kr-excerpt-19.md"
    text = post.read_text(encoding="utf-8")
    proc = run_cli("lint", "--select", "LK", str(post))
    assert proc.returncode == 1
    line, col = anchor_position(text, 'data-name="伊利"')
    expected = f"{post}:{line}:{col}: LK001 [spurious-link] [*] '伊利' cuts through the word"
    assert expected in proc.stdout


def test_cut_through_latin_word(run_cli):
    post = FIX / "36kr-excerpt-06.md"
    text = post.read_text(encoding="utf-8")
    line, col = anchor_position(text, 'data-name="LEM"')
    found = [f for f in findings(run_cli, str(post)) if (f["line"], f["column"]) == (line, col)]
    assert len(found) == 1
    assert found[0]["name"] == "spurious-link"
    assert found[0]["message"] == "'lem' cuts through the word 'elements'"
    assert found[0]["fix"]["applicability"] == "safe"


def test_cut_through_in_enumeration_sentence_and_legit_list(run_cli):
    """个推 in 第二个推送 is cut; 钉钉、飞书、企业微信 in a list of apps are real names."""
    post = FIX / "36kr-excerpt-21.md"
    text = post.read_text(encoding="utf-8")
    got = {(f["line"], f["column"]): f for f in findings(run_cli, str(post))}
    cut = anchor_position(text, 'data-name="个推"')
    assert cut in got and "cuts through the word" in got[cut]["message"]
    for name in ("钉钉", "飞书", "企业微信", "微信"):
        assert anchor_position(text, f'data-name="{name}"') not in got, name


# ---- spurious: ordinary words (unsafe fix) -----------------------------------------------


def test_ordinary_word_is_an_unsafe_fix(run_cli):
    post = FIX / "36kr-excerpt-19.md"
    text = post.read_text(encoding="utf-8")
    line, col = anchor_position(text, 'data-name="得到"')
    found = [f for f in findings(run_cli, str(post)) if (f["line"], f["column"]) == (line, col)]
    assert len(found) == 1
    assert found[0]["message"] == (
        "'得到' is an ordinary verb here, not the name of a company or product"
    )
    assert found[0]["fix"]["applicability"] == "unsafe"


def test_fix_applies_safe_unwraps_only_and_keeps_every_other_byte(run_cli, tmp_path):
    post = copy(tmp_path, "36kr-excerpt-19.md")
    before = post.read_bytes()
    listed = findings(run_cli, str(post))
    safe = [f for f in listed if f["fix"] and f["fix"]["applicability"] == "safe"]
    unsafe = [f for f in listed if f["fix"] and f["fix"]["applicability"] == "unsafe"]
    assert safe and unsafe

    proc = run_cli("lint", "--select", "LK", "--fix", str(post))
    assert proc.returncode == 1  # the unsafe ones remain
    after = post.read_bytes()
    text_before, text_after = before.decode(), after.decode()
    # Exactly the safe anchors' tags are gone: the visible text is the same, byte for byte.
    assert strip_tags(text_after) == strip_tags(text_before)
    assert text_after.count('class="project-link"') == text_before.count(
        'class="project-link"'
    ) - len(safe)
    assert 'data-name="伊利"' not in text_after
    assert 'data-name="得到"' in text_after
    # Removing those tags from the original gives the fixed file: no other byte changed.
    expected = text_before
    for name in ("伊利", "瞩目"):
        m = re.search(rf'<a class="project-link"[^>]*data-name="{name}"[^>]*>([^<]*)</a>', expected)
        assert m is not None
        expected = expected[: m.start()] + m.group(1) + expected[m.end() :]
    assert text_after == expected

    remaining = findings(run_cli, str(post))
    assert {f["fix"]["applicability"] for f in remaining} == {"unsafe"}


def test_unsafe_fixes_unwrap_ordinary_words_too(run_cli, tmp_path):
    post = copy(tmp_path, "36kr-excerpt-19.md")
    before = post.read_text(encoding="utf-8")
    proc = run_cli("lint", "--select", "LK", "--fix", "--unsafe-fixes", str(post))
    assert proc.returncode == 0, proc.stdout
    after = post.read_text(encoding="utf-8")
    assert strip_tags(after) == strip_tags(before)
    assert 'data-name="得到"' not in after
    # The legit 微信 (微信公众号) stays linked.
    assert 'data-name="微信"' in after


def test_diff_shows_unwrap_and_writes_nothing(run_cli, tmp_path):
    post = copy(tmp_path, "36kr-excerpt-19.md")
    before = post.read_bytes()
    proc = run_cli("lint", "--select", "LK", "--diff", str(post))
    assert post.read_bytes() == before
    assert 'data-name="伊利"' in proc.stdout and proc.stdout.count("\n-") >= 1


# ---- Markdown bodies ---------------------------------------------------------------------


def test_markdown_body_links_and_raw_anchors(run_cli):
    post = FIX / "markdown-body.md"
    text = post.read_text(encoding="utf-8")
    got = {(f["line"], f["column"]): f for f in findings(run_cli, str(post))}
    yili = anchor_position(text, "[伊利](")
    assert got[yili]["message"].startswith("'伊利' cuts through the word '伊利诺伊")
    assert got[yili]["fix"]["applicability"] == "safe"
    dedao = anchor_position(text, "[得到](")
    assert got[dedao]["fix"]["applicability"] == "unsafe"
    getui = anchor_position(text, 'data-name="个推" data-refer-type="1"')
    assert "cuts through the word" in got[getui]["message"]
    # Real names, an author's own link and anything inside code are left alone.
    assert len(got) == 3, got


def test_markdown_safe_fix_keeps_text(run_cli, tmp_path):
    post = copy(tmp_path, "markdown-body.md")
    before = post.read_text(encoding="utf-8")
    run_cli("lint", "--select", "LK", "--fix", str(post))
    after = post.read_text(encoding="utf-8")
    assert "清华大学、伊利诺伊大学厄巴纳" in after
    assert "[得到](https://36kr.com/projectDetails/95377)" in after  # unsafe: left alone
    assert "第二个推送通道。" in after
    assert "`[伊利](https://36kr.com/projectDetails/68080)诺伊`" in after  # code is not touched
    expected = before.replace("[伊利](https://36kr.com/projectDetails/68080)", "伊利", 1)
    expected = expected.replace(
        '<a class="project-link" data-id="7583" data-name="个推" data-refer-type="1" '
        'href="https://www.36dianping.com/space/4773026166" target="_blank">个推</a>',
        "个推",
        1,
    )
    assert after == expected


# ---- allow / deny ------------------------------------------------------------------------


def write_config(tmp_path: Path, body: str) -> None:
    (tmp_path / "pyproject.toml").write_text(body, encoding="utf-8")


def test_allow_list_keeps_a_name(run_cli, tmp_path):
    post = copy(tmp_path, "36kr-excerpt-19.md")
    write_config(tmp_path, '[tool.contentkit.rules.spurious-link]\nallow = ["伊利", "得到"]\n')
    messages = [f["message"] for f in findings(run_cli, str(post))]
    assert not any(m.startswith(("'伊利'", "'得到'")) for m in messages)
    assert any(m.startswith("'瞩目'") for m in messages)


def test_deny_list_flags_a_name_with_a_safe_fix(run_cli, tmp_path):
    post = copy(tmp_path, "36kr-excerpt-19.md")
    write_config(tmp_path, '[tool.contentkit.rules.spurious-link]\ndeny = ["微信"]\n')
    found = [f for f in findings(run_cli, str(post)) if f["message"].startswith("'微信'")]
    assert len(found) == 1
    assert found[0]["message"] == "'微信' is on the deny list"
    assert found[0]["fix"]["applicability"] == "safe"


def test_bad_option_is_a_config_error(run_cli, tmp_path):
    post = copy(tmp_path, "36kr-excerpt-19.md")
    write_config(tmp_path, '[tool.contentkit.rules.spurious-link]\nallow = "伊利"\n')
    proc = run_cli("lint", "--select", "LK", str(post))
    assert proc.returncode == 2
    assert "allow" in proc.stderr and "list" in proc.stderr
    assert "Traceback" not in proc.stderr


# ---- broken links ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("needle", "message"),
    [
        ("empty text: 据<a", "the link has no text a reader could click"),
        ("no href: 据<a", "the link has no href"),
        ("empty href: 据<a", "the link's href is empty"),
        ("javascript href: 据<a", "javascript: URL"),
        ("malformed href: 据<a", "is malformed"),
        ("id mismatch: 据<a", "the href points to project 8 but data-id says 7"),
        ("text differs: 据<a", "the link text '天眼查' differs from its data-name '企查查'"),
        ("nested: <a", "an anchor inside another anchor"),
        ("unclosed: 据<a", "the anchor is never closed with '</a>'"),
    ],
)
def test_broken_html_examples(run_cli, needle, message):
    post = FIX / "broken-html.md"
    text = post.read_text(encoding="utf-8")
    at = text.index(needle) + len(needle) - 2
    line = text.count("\n", 0, at) + 1
    col = at - (text.rfind("\n", 0, at) + 1) + 1
    found = [f for f in findings(run_cli, str(post)) if (f["line"], f["column"]) == (line, col)]
    assert len(found) == 1, found
    assert found[0]["code"] == "LK002" and found[0]["name"] == "broken-link"
    assert message in found[0]["message"]


def test_not_broken_examples(run_cli):
    post = FIX / "broken-html.md"
    text = post.read_text(encoding="utf-8")
    broken_lines = {f["line"] for f in findings(run_cli, str(post)) if f["code"] == "LK002"}
    for needle in ("other id space", "case only", "image link", "link target", "block inside"):
        line = text.count("\n", 0, text.index(needle)) + 1
        assert line not in broken_lines, needle


def test_broken_fix_keeps_text(run_cli, tmp_path):
    post = copy(tmp_path, "broken-html.md")
    proc = run_cli("lint", "--select", "LK002", "--fix", str(post))
    after = post.read_text(encoding="utf-8")
    assert proc.returncode == 1  # empty text and nested anchors are left to the author
    assert "javascript href: 据企查查显示。" in after
    assert "id mismatch: 据企查查显示。" in after
    assert '<a href="https://example.com/a">外层<a href="https://example.com/b">' in after


def test_broken_markdown_examples(run_cli):
    post = FIX / "broken-markdown.md"
    got = {f["line"]: f["message"] for f in findings(run_cli, str(post))}
    assert "no text" in got[5]
    assert "href is empty" in got[7]
    assert "javascript: URL" in got[9]
    assert 11 not in got


def test_corpus_posts_without_links_have_no_findings(run_cli):
    proc = run_cli("lint", "--select", "LK", str(FIX / "broken-markdown.md"), "--ignore", "LK002")
    assert proc.returncode == 0


# ---- the rules' own documentation --------------------------------------------------------


@pytest.mark.parametrize("code", ["LK001", "LK002"])
def test_docstring_examples(run_cli, tmp_path, code):
    rule = registered_rules()[code]
    examples = list(rule.examples())
    assert {kind for kind, _, _ in examples} == {"fail", "pass"}
    for i, (kind, body, _config) in enumerate(examples):
        post = tmp_path / f"example-{i}.html"
        post.write_text(body, encoding="utf-8")
        got = [f for f in findings(run_cli, str(post)) if f["code"] == code]
        assert bool(got) == (kind == "fail"), (kind, body, got)


def test_explain_and_rules_list(run_cli):
    proc = run_cli("rules")
    assert "LK001" in proc.stdout and "spurious-link" in proc.stdout
    assert "LK002" in proc.stdout and "broken-link" in proc.stdout
    proc = run_cli("explain", "spurious-link")
    assert proc.returncode == 0
    assert "--unsafe-fixes" in proc.stdout and "贸" in proc.stdout


# ---- any input -----------------------------------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from contentkit.document import Document  # noqa: E402
from contentkit.links import judge_links  # noqa: E402

_PIECES = st.sampled_from(
    [
        "<a href='https://36kr.com/projectDetails/1' class='project-link' data-id='1' "
        "data-name='得到'>",
        "<a href=''>",
        "<a>",
        "</a>",
        "<p>",
        "</p>",
        "[",
        "](",
        ")",
        "(https://36kr.com/projectDetails/2)",
        "得到",
        "贸易优势",
        "微信公众号",
        "elements",
        "`",
        "```\n",
        "\n",
        " ",
        "、",
        "&amp;",
        "<img src=x>",
        "<!-- c -->",
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, max_size=25), st.sampled_from(["html", "markdown"]))
def test_any_body_gives_consistent_offsets(pieces, kind):
    body = "".join(pieces)
    text = "---\ntitle: t\n---\n" + body
    doc = Document.from_text(text, "post.md", body_kind=kind)
    verdicts = judge_links(doc)
    for v in verdicts:
        assert doc.body_start <= v.start < v.open_end <= v.close_start <= v.end <= len(text)
        assert v.verdict in ("legit", "spurious", "broken")
        # Unwrapping deletes only the link's own markup.
        unwrapped = text[: v.start] + text[v.open_end : v.close_start] + text[v.end :]
        assert len(unwrapped) == len(text) - (v.open_end - v.start) - (v.end - v.close_start)
    assert [v.start for v in verdicts] == sorted(v.start for v in verdicts)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="<>[]()a/=\"' 得到贸易\n`!&#;hrefclass-", max_size=80))
def test_any_text_never_crashes(body):
    for kind in ("html", "markdown"):
        doc = Document.from_text("---\ntitle: t\n---\n" + body, "post.md", body_kind=kind)
        for v in judge_links(doc):
            assert v.start < v.open_end <= v.close_start <= v.end


def test_seed_post_cut_and_swallowed_function_word(run_cli, tmp_path):
    seed = Path(__file__).resolve().parent.parent / "seeds" / "shanghai-internet-map.md"
    post = copy_from(seed, tmp_path)
    messages = [f["message"] for f in findings(run_cli, str(post))]
    assert "'易优' cuts through the word '贸易优势'" in messages
    assert "'天地和' swallows the function word '和' of the sentence" in messages
    before = post.read_text(encoding="utf-8")
    run_cli("lint", "--select", "LK", "--fix", str(post))
    after = post.read_text(encoding="utf-8")
    assert "贸易优势" in strip_tags(after) and 'data-name="易优"' not in after
    assert 'data-name="天地和"' in after  # an unsafe judgement: only with --unsafe-fixes
    assert strip_tags(after) == strip_tags(before)
    run_cli("lint", "--select", "LK", "--fix", "--unsafe-fixes", str(post))
    assert 'data-name="天地和"' not in post.read_text(encoding="utf-8")


def copy_from(src: Path, tmp_path: Path) -> Path:
    dest = tmp_path / src.name
    shutil.copyfile(src, dest)
    return dest


def test_dictionary_cache_is_built_where_it_can_be(run_cli, tmp_path):
    """A fresh cache directory is filled on first use; an unusable one falls back to tmp."""
    post = FIX / "36kr-excerpt-21.md"
    cache = tmp_path / "cache"
    first = findings(run_cli, str(post), env={"CONTENTKIT_CACHE_DIR": str(cache)})
    assert list(cache.glob("lexicon-*.sqlite"))
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x", encoding="utf-8")
    second = findings(run_cli, str(post), env={"CONTENTKIT_CACHE_DIR": str(blocker / "sub")})
    assert [f["message"] for f in first] == [f["message"] for f in second]
    assert any("cuts through the word" in f["message"] for f in first)
