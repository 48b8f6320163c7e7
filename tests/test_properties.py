"""Property-based tests over generated posts: lint never crashes, --fix is idempotent and never
makes a post worse. Bounded (max_examples, no deadline) so the suite stays fast; CI runs a
fixed sequence of examples (derandomize) so that a red build always reproduces."""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from post_strategies import front_matter, html, posts

from contentkit.api import lint_text
from contentkit.config import settings_from_table
from contentkit.document import Document, _newline_style

ALL = settings_from_table({"select": ["ALL"]}, None, Path.cwd())
PROFILE = settings(
    max_examples=int(os.environ.get("CONTENTKIT_PROPERTY_EXAMPLES", "150")),
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _check_positions(text: str, result) -> None:
    doc = Document.from_text(text, "post.html")
    n_lines = len(doc._line_starts)
    for d in result.diagnostics:
        assert 1 <= d.line <= n_lines, d
        assert d.column >= 1, d
        assert d.message and "\n" not in d.message, d


@PROFILE
@given(posts())
def test_lint_never_crashes(text: str) -> None:
    for path in ("post.html", "post.md"):
        result = lint_text(text, path, settings=ALL)
        _check_positions(text, result)


@PROFILE
@given(posts(body=st.one_of(html(), st.text(max_size=200))))
def test_fix_is_idempotent_and_never_worse(text: str) -> None:
    first = lint_text(text, "post.html", settings=ALL, fix=True, unsafe_fixes=True)
    fixed = first.fixed if first.fixed is not None else text
    second = lint_text(fixed, "post.html", settings=ALL, fix=True, unsafe_fixes=True)
    assert second.fixed is None or second.fixed == fixed
    if first.fixed is None:
        return
    before = Document.from_text(text, "post.html")
    after = first.document
    assert after is not None and after.text == fixed
    # Never a post that parsed before and does not now.
    fm = before.front_matter
    if fm is not None and fm.error is None and fm.terminated:
        assert after.front_matter is not None
        assert after.front_matter.error is None
        assert after.front_matter.data.keys() == fm.data.keys()
    # The BOM and a consistent newline style survive.
    assert after.bom == before.bom
    style, mixed = _newline_style(before.text)
    if not mixed and any(c in before.text for c in "\r\n"):
        assert _newline_style(after.text) in ((style, False), ("\n", False))
        assert not _newline_style(after.text)[1]


@PROFILE
@given(front_matter())
def test_front_matter_alone_never_crashes(block: str) -> None:
    result = lint_text(block, "post.md", settings=ALL)
    _check_positions(block, result)
