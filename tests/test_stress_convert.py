"""convert on adversarial HTML: linear passes, a documented element budget, clean refusals.

Behaviour only, never time (benchmarks/stress.py measures time and memory at full size).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from contentkit.convert import MAX_ELEMENTS, convert_file, too_many_elements
from contentkit.convert.markdown import escape_text, html_to_markdown
from contentkit.errors import ContentkitError

FM = "---\ntitle: t\ndate: 2021-04-20\n---\n"


def test_a_post_within_the_element_budget_converts(tmp_path: Path) -> None:
    post = tmp_path / "post.html"
    post.write_text(FM + "<p>a <b>b</b></p>\n" * (MAX_ELEMENTS // 2 - 1), "utf-8")
    assert convert_file(post).count("**b**") == MAX_ELEMENTS // 2 - 1


@pytest.mark.parametrize("to", ["markdown", "json"])
def test_a_post_over_the_element_budget_is_refused_where_it_goes_over(
    tmp_path: Path, to: str
) -> None:
    post = tmp_path / "post.html"
    post.write_text(FM + "<p>a</p>\n" * MAX_ELEMENTS + "<p>over</p>\n", "utf-8")
    with pytest.raises(ContentkitError) as err:
        convert_file(post, to=to)
    # the 50,001st element is on the post's line 5 + 50,000
    assert (err.value.line, err.value.column) == (5 + MAX_ELEMENTS, 1)
    assert f"more than {MAX_ELEMENTS:,} elements" in str(err.value)


def test_text_that_only_looks_like_tags_does_not_count() -> None:
    assert too_many_elements("a < b " * (2 * MAX_ELEMENTS)) is None
    assert too_many_elements("<p>x" * MAX_ELEMENTS) is None
    assert too_many_elements("<p>x" * (MAX_ELEMENTS + 1)) == 4 * MAX_ELEMENTS


def test_a_flood_of_open_brackets_is_escaped_without_rescanning() -> None:
    # Each "[" looked for its "]" to the end of the text: 5,000,000 of them took minutes.
    text = "[" * 200_000
    assert escape_text(text) == "\\[" * 200_000
    # and the "]" found once still serves every "[" before it
    assert escape_text("[a [b](c") == "\\[a \\[b](c"
    assert escape_text("[1] and [2]", at_end=True) == "[1] and [2]"


def test_nested_bracket_floods_are_paired_in_one_pass() -> None:
    # Brackets are paired as a reader pairs them (the nesting-matched "]", not the first one
    # after a "["), in one pass from the right, never a search per "[".
    assert escape_text("[[]]" * 100_000 + "(x)") == "\\[[]]" * 100_000 + "(x)"
    assert escape_text("[a" * 100_000 + "](x)") == "\\[a" * 100_000 + "](x)"
    assert escape_text("[" * 100_000 + "]" * 100_000, at_end=True) == "[" * 100_000 + "]" * 100_000


def test_block_markers_on_one_very_long_line_are_judged_once_each() -> None:
    # Every text starting with "-" or "1." carries a line-start mark: on one long line each
    # mark copied the line so far.
    html = "<p>" + "<b>x</b>- y " * 20_000 + "</p><p><b>a</b></p><p>- b</p><p>1. c</p>"
    md = html_to_markdown(html)
    assert md.endswith("**a**\n\n\\- b\n\n1\\. c\n")
    assert "\\-" not in md.split("\n")[0]


def test_json_refuses_markdown_too_heavy_to_read_back_and_markdown_still_converts(
    tmp_path: Path,
) -> None:
    from contentkit.limits import MAX_BODY_WORK

    # The HTML body is light (lint's HTML budget does not count '['), but each '[' is written
    # as '\[': two markup characters that markdown-it must read back. (Before bold: a '['
    # nothing can close, at the end of a paragraph, is written as it is.)
    brackets = MAX_BODY_WORK // 20 + 1
    post = tmp_path / "post.html"
    post.write_text(FM + "<p>" + "[" * brackets + "<b>x</b></p>\n", "utf-8")
    with pytest.raises(ContentkitError) as err:
        convert_file(post, to="json")
    assert (err.value.line, err.value.column) == (5, 1)
    assert "to build the JSON" in str(err.value)
    assert convert_file(post, to="markdown").count("\\[") == brackets


def test_json_of_an_ordinary_long_post_is_not_refused(tmp_path: Path) -> None:
    post = tmp_path / "post.html"
    post.write_text(FM + "<p>Some <b>bold</b> and [1] text.</p>\n" * 5_000, "utf-8")
    assert '"type": "paragraph"' in convert_file(post, to="json")
