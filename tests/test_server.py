"""End-to-end tests of ``contentkit server``: pytest-lsp starts it as a subprocess and speaks
LSP to it, and what it says is compared with what ``contentkit lint`` prints for the same file.

Positions are converted back here by a conversion of the test's own (encoding each line's
prefix), not by the server's code.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import make_test_lsp_client

FIXTURES = Path(__file__).resolve().parent / "fixtures"
POST_36KR = FIXTURES / "links" / "36kr-excerpt-06.md"
WHOLE_36KR = FIXTURES / "corpus" / "36kr-zixun-01.md"
HUGO = FIXTURES / "server" / "hugo"
HUGO_PAGE = Path("content") / "posts" / "emoji-and-links.md"
PUBLISH = types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS

pytestmark = pytest.mark.asyncio


def make_client() -> LanguageClient:
    """pytest-lsp's client, also answering ``client/registerCapability`` as editors do."""
    client = make_test_lsp_client()
    client.registrations = []  # type: ignore[attr-defined]

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(ls: LanguageClient, params: types.RegistrationParams) -> None:
        ls.registrations.extend(params.registrations)  # type: ignore[attr-defined]

    return client


@pytest_lsp.fixture(
    config=ClientServerConfig(
        server_command=[sys.executable, "-m", "contentkit", "server"], client_factory=make_client
    )
)
async def client(lsp_client: LanguageClient):
    yield
    # A test that failed half-way left the server running: end it, or stop() waits forever.
    server = lsp_client._server
    if server is not None and server.returncode is None:
        try:
            await asyncio.wait_for(lsp_client.shutdown_session(), 10)
        except Exception:
            pass
        if server.returncode is None:
            server.kill()


# ---- helpers ---------------------------------------------------------------------------

_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")


def lines_of(text: str) -> list[str]:
    """Lines without their ends, split where LSP splits (CRLF, CR, LF)."""
    found = [m.group(0) for m in _LINES.finditer(text)]
    if found and found[-1] == "":
        found.pop()
    return [line.rstrip("\r\n") for line in found] or [""]


def width(piece: str, encoding: str) -> int:
    if encoding == "utf-8":
        return len(piece.encode("utf-8"))
    if encoding == "utf-16":
        return len(piece.encode("utf-16-le")) // 2
    return len(piece)


def column(text: str, pos: types.Position, encoding: str) -> int:
    """The 1-based code-point column of an LSP position."""
    line = lines_of(text)[pos.line] if pos.line < len(lines_of(text)) else ""
    for i in range(len(line) + 1):
        if width(line[:i], encoding) >= pos.character:
            return i + 1
    return len(line) + 1


def offset(text: str, pos: types.Position, encoding: str) -> int:
    starts = [0]
    for m in _LINES.finditer(text):
        if m.end() > starts[-1] and m.end() <= len(text):
            starts.append(m.end())
    base = starts[pos.line] if pos.line < len(starts) else len(text)
    return base + column(text, pos, encoding) - 1


def apply_edits(text: str, edits: list[types.TextEdit], encoding: str = "utf-16") -> str:
    spans = [
        (offset(text, e.range.start, encoding), offset(text, e.range.end, encoding), e.new_text)
        for e in edits
    ]
    for start, end, new in sorted(spans, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def action_edits(action: types.CodeAction) -> list[types.TextEdit]:
    assert action.edit is not None and action.edit.document_changes
    out: list[types.TextEdit] = []
    for change in action.edit.document_changes:
        assert isinstance(change, types.TextDocumentEdit)
        out.extend(e for e in change.edits if isinstance(e, types.TextEdit))
    return out


def lint_json(path: Path, cwd: Path, *args: str) -> list[dict[str, Any]]:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "contentkit",
            "lint",
            "--output-format",
            "json",
            "--no-cache",
            *args,
            str(path),
        ],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert proc.returncode in (0, 1), proc.stderr
    found: list[dict[str, Any]] = json.loads(proc.stdout)
    return found


def lint_fix(path: Path, cwd: Path) -> bytes:
    proc = subprocess.run(
        [sys.executable, "-m", "contentkit", "lint", "--fix", "--no-cache", str(path)],
        cwd=cwd,
        capture_output=True,
        text=True,
    )
    assert proc.returncode in (0, 1), proc.stderr
    return path.read_bytes()


def as_lint_json(text: str, diags: list[types.Diagnostic], encoding: str) -> list[tuple]:
    """The server's diagnostics in the terms of ``lint --output-format json``."""
    severity = {1: "error", 2: "warning", 3: "info"}
    return sorted(
        (
            d.code,
            d.data["name"] if isinstance(d.data, dict) else None,
            d.message,
            d.range.start.line + 1,
            column(text, d.range.start, encoding),
            d.range.end.line + 1,
            column(text, d.range.end, encoding),
            severity[int(d.severity or 1)],
            (d.data or {}).get("fix") if isinstance(d.data, dict) else None,
        )
        for d in diags
    )


def lint_rows(found: list[dict[str, Any]]) -> list[tuple]:
    return sorted(
        (
            f["code"],
            f["name"],
            f["message"],
            f["line"],
            f["column"],
            f["end_line"],
            f["end_column"],
            f["severity"],
            (f["fix"] or {}).get("applicability"),
        )
        for f in found
    )


async def start(
    client: LanguageClient,
    root: Path,
    *,
    encodings: list[str] | None = None,
    options: dict[str, Any] | None = None,
    editor: str = "visual-studio-code",
) -> types.InitializeResult:
    caps = client_capabilities(editor)
    if encodings is not None:
        caps.general = types.GeneralClientCapabilities(position_encodings=encodings)
    return await client.initialize_session(
        types.InitializeParams(
            capabilities=caps,
            root_uri=root.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name=root.name)],
            initialization_options=options,
        )
    )


async def published(client: LanguageClient, uri: str, version: int | None = None) -> Any:
    """The next diagnostics published for ``uri`` (for ``version``, when given)."""
    while True:
        params = await client.wait_for_notification(PUBLISH)
        if params.uri == uri and (version is None or params.version == version):
            return params.diagnostics


async def open_post(
    client: LanguageClient, path: Path, text: str | None = None, version: int = 1
) -> list[types.Diagnostic]:
    uri = path.as_uri()
    text = path.read_text(encoding="utf-8") if text is None else text
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id="markdown", version=version, text=text
            )
        )
    )
    diags: list[types.Diagnostic] = await published(client, uri, version)
    return diags


def whole(text: str) -> types.Range:
    n = len(lines_of(text))
    return types.Range(types.Position(0, 0), types.Position(n + 1, 0))


async def actions(
    client: LanguageClient, path: Path, rng: types.Range, only: list[str] | None = None
) -> list[types.CodeAction]:
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=path.as_uri()),
            range=rng,
            context=types.CodeActionContext(diagnostics=[], only=only),
        )
    )
    return [a for a in result or [] if isinstance(a, types.CodeAction)]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A Hugo-like site and a 36kr post beside it, copied so that fixes can be written."""
    root = tmp_path / "site"
    shutil.copytree(HUGO, root)
    shutil.copy(POST_36KR, root / "content" / "posts" / POST_36KR.name)
    shutil.copy(WHOLE_36KR, root / "content" / "posts" / WHOLE_36KR.name)
    return root


# ---- the tests -------------------------------------------------------------------------


async def test_open_gives_lint_findings_and_fix_all_gives_lint_fix_bytes(
    client: LanguageClient, site: Path
) -> None:
    result = await start(client, site)
    assert result.capabilities.position_encoding == types.PositionEncodingKind.Utf16
    posts = [
        site / "content" / "posts" / POST_36KR.name,
        site / "content" / "posts" / WHOLE_36KR.name,
        site / HUGO_PAGE,
    ]
    for path in posts:
        text = path.read_text(encoding="utf-8")
        diags = await open_post(client, path)
        expected = lint_rows(lint_json(path, site))
        assert expected, f"{path.name}: the fixture has findings to compare"
        assert as_lint_json(text, diags, "utf-16") == expected, path.name
        for d in diags:  # each code links to its explain text
            assert d.code_description is not None
            page = Path(unquote(urlparse(d.code_description.href).path))
            assert page.read_text(encoding="utf-8").startswith(f"{d.code} ")

        fix_all = await actions(client, path, whole(text), ["source.fixAll"])
        assert [a.kind for a in fix_all] == ["source.fixAll.contentkit"]
        fixed = apply_edits(text, action_edits(fix_all[0]))
        assert fixed.encode("utf-8") == lint_fix(path, site), path.name
    await client.shutdown_session()  # shutdown, exit, and the process ends
    assert client._server is not None and client._server.returncode == 0


async def test_code_actions_fix_and_disable_one_finding(client: LanguageClient, site: Path) -> None:
    await start(client, site)
    path = site / HUGO_PAGE
    text = path.read_text(encoding="utf-8")
    diags = await open_post(client, path)
    by_code = {d.code: [x for x in diags if x.code == d.code] for d in diags}
    date, cut, verb = by_code["FM011"][0], *by_code["LK001"]

    titles = [a.title for a in await actions(client, path, date.range)]
    assert titles == [
        "Rewrite as 2021-04-20T02:55:35Z (FM011)",
        "Disable non-iso-date for this line",
        "Fix all safe findings (contentkit)",
    ]
    found = await actions(client, path, verb.range)
    assert found[0].title.startswith("Unwrap the link, keep '得到' (unsafe fix")
    assert not found[0].is_preferred
    assert (await actions(client, path, cut.range))[0].is_preferred

    # Each suppression is written in its place's syntax and hides exactly its finding.
    from contentkit import lint_text

    before = lint_text(text, str(path)).diagnostics
    for diag, comment in (
        (date, "# contentkit-disable-next-line non-iso-date\n"),
        (cut, "<!-- contentkit-disable-line spurious-link -->"),
    ):
        disable = [a for a in await actions(client, path, diag.range) if "Disable" in a.title]
        new = apply_edits(text, action_edits(disable[0]))
        assert comment in new
        after = lint_text(new, str(path)).diagnostics
        assert sorted(d.code for d in after) == sorted(
            d.code for d in before if d.message != diag.message
        )

    # A single safe fix: exactly that finding is gone, by the fix's own edits.
    fix = (await actions(client, path, cut.range))[0]
    new = apply_edits(text, action_edits(fix))
    assert "[伊利]" not in new and "伊利诺伊大学" in new
    await client.shutdown_session()


async def test_change_updates_diagnostics(client: LanguageClient, site: Path) -> None:
    await start(client, site, options={"debounce": 5})
    path = site / HUGO_PAGE
    uri = path.as_uri()
    text = path.read_text(encoding="utf-8")
    diags = await open_post(client, path)
    date = next(d for d in diags if d.code == "FM011")
    # Fix the date by hand, then add a spurious link at the end, in two changes.
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[
                types.TextDocumentContentChangePartial(range=date.range, text="2021-04-20"),
            ],
        )
    )
    diags2 = await published(client, uri, 2)
    assert "FM011" not in {d.code for d in diags2}
    assert len(diags2) == len(diags) - 1
    end = types.Position(len(lines_of(text)), 0)
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=3),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(end, end),
                    text="\n🎈 具有得天独厚的贸[易优](https://36kr.com/projectDetails/1)势。\n",
                )
            ],
        )
    )
    diags3 = await published(client, uri, 3)
    added = [d for d in diags3 if d not in diags2]
    assert [d.code for d in added] == ["LK001"]
    # 🎈 is two UTF-16 code units: '[' is at code point 10, UTF-16 unit 11.
    assert added[0].range.start.character == 11
    # Saving re-lints at once; closing clears the post's diagnostics.
    client.text_document_did_save(
        types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    assert await published(client, uri, 3) == diags3
    client.text_document_did_close(
        types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    assert list(await published(client, uri)) == []
    await client.shutdown_session()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-32"])
async def test_position_encodings(client: LanguageClient, site: Path, encoding: str) -> None:
    result = await start(client, site, encodings=[encoding])
    assert result.capabilities.position_encoding == encoding
    path = site / HUGO_PAGE
    text = path.read_text(encoding="utf-8")
    diags = await open_post(client, path)
    assert as_lint_json(text, diags, encoding) == lint_rows(lint_json(path, site))
    lines = lines_of(text)
    for d in diags:  # the code units before each finding, counted here independently
        line = lines[d.range.start.line]
        col = column(text, d.range.start, encoding) - 1
        assert d.range.start.character == width(line[:col], encoding)
    # A position in the client's units leads back to the right place: hover on '伊利'.
    cut = next(d for d in diags if d.code == "LK001")
    hover = await client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(uri=path.as_uri()), cut.range.start)
    )
    assert hover is not None and "伊利" in hover.contents.value  # type: ignore[union-attr]
    await client.shutdown_session()


async def test_hover_shows_verdict_and_rule_summary(client: LanguageClient, site: Path) -> None:
    await start(client, site)
    path = site / "content" / "posts" / POST_36KR.name
    text = path.read_text(encoding="utf-8")
    diags = await open_post(client, path)
    uri = types.TextDocumentIdentifier(uri=path.as_uri())
    spurious = next(d for d in diags if d.code == "LK001")
    inside = types.Position(spurious.range.start.line, spurious.range.start.character + 3)
    hover = await client.text_document_hover_async(types.HoverParams(uri, inside))
    assert hover is not None
    value = hover.contents.value  # type: ignore[union-attr]
    assert "**spurious** link" in value and spurious.message in value
    assert re.search(r"confidence 0\.\d\d", value)
    assert "**LK001** `spurious-link`: An auto-inserted link cuts through a word" in value

    # A legit project link: its verdict, reason and confidence, and no finding.
    legit = re.search(r'<a class="project-link"[^>]*>([^<]+)</a>', text)
    assert legit is not None
    spurious_starts = {offset(text, d.range.start, "utf-16") for d in diags if d.code == "LK001"}
    legit_links = [
        m
        for m in re.finditer(r'<a class="project-link"[^>]*>([^<]+)</a>', text)
        if m.start() not in spurious_starts
    ]
    assert legit_links, "the post holds a legit project link"
    m = legit_links[0]
    line = text.count("\n", 0, m.start())
    char = width(text[text.rfind("\n", 0, m.start()) + 1 : m.start()], "utf-16") + 2
    hover = await client.text_document_hover_async(
        types.HoverParams(uri, types.Position(line, char))
    )
    assert hover is not None
    value = hover.contents.value  # type: ignore[union-attr]
    assert value.startswith(f"**legit** link '{m.group(1)}'") and "confidence" in value

    date = next(d for d in diags if d.code == "FM011")
    hover = await client.text_document_hover_async(types.HoverParams(uri, date.range.start))
    assert hover is not None
    assert hover.contents.value == "**FM011** `non-iso-date`: A date not written in ISO 8601"  # type: ignore[union-attr]
    await client.shutdown_session()


async def test_bad_inputs_never_crash_the_server(client: LanguageClient, tmp_path: Path) -> None:
    await start(client, tmp_path, options={"liveLimit": 8 * 1024})
    binary = tmp_path / "binary.md"
    diags = await open_post(client, binary, "---\ntitle: x\n---\n\x00\x01\x02 binary")
    assert [(d.code, d.message) for d in diags] == [("CK001", "binary file (contains NUL bytes)")]
    # Hover on that finding gives the rule's summary, as on any finding (it gave nothing).
    hover = await client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(uri=binary.as_uri()), diags[0].range.start)
    )
    assert hover is not None and hover.contents.value.startswith("**CK001** `")  # type: ignore[union-attr]
    broken = tmp_path / "broken.md"
    diags = await open_post(client, broken, "---\ntitle: [unclosed\ndate: 2021-01-01\n---\nbody\n")
    assert "FM004" in {d.code for d in diags}

    huge = tmp_path / "huge.md"
    big = "---\ntitle: big\n---\n" + "<p>段落，一段很长的文字。</p>\n" * 400_000
    assert len(big.encode("utf-8")) > 10 * 1024 * 1024
    diags = await open_post(client, huge, big)
    assert [d.code for d in diags] == ["CK001"]
    assert "over the 10,485,760-byte limit" in diags[0].message

    # Over the live-lint limit: a change is not linted (and says so), a save is.
    medium = tmp_path / "medium.md"
    text = "---\ntitle: m\ndate: Tue, 20 Apr 2021 02:55:35 GMT\n---\n" + "段落。\n" * 1_000
    diags = await open_post(client, medium, text)
    assert [d.code for d in diags] == ["FM011"]
    uri = medium.as_uri()
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(types.Position(2, 6), types.Position(2, 35)),
                    text="2021-04-20",
                )
            ],
        )
    )
    client.text_document_did_save(
        types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    assert list(await published(client, uri, 2)) == []
    assert any("diagnostics on save only" in m.message for m in client.log_messages)

    # A position far outside the text, a request for a post never opened: answers, no crash.
    far = types.Position(10**6, 10**6)
    for target in (binary.as_uri(), (tmp_path / "never.md").as_uri()):
        await client.text_document_hover_async(
            types.HoverParams(types.TextDocumentIdentifier(uri=target), far)
        )
    still = await open_post(
        client, tmp_path / "ok.md", "---\ntitle: ok\ndate: 2021-04-20\n---\nfine\n"
    )
    assert list(still) == []
    assert not any(m.type == types.MessageType.Error for m in client.log_messages)
    await client.shutdown_session()


async def test_config_and_baseline_are_honoured(client: LanguageClient, site: Path) -> None:
    path = site / HUGO_PAGE
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "contentkit",
            "lint",
            "--write-baseline",
            "baseline.json",
            str(HUGO_PAGE),
        ],
        cwd=site,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    text = path.read_text(encoding="utf-8")
    # One new defect beside the recorded ones: only it is reported, as `lint --baseline` does.
    text += "\n🎈 具有得天独厚的贸[易优](https://36kr.com/projectDetails/1)势。\n"
    path.write_text(text, encoding="utf-8")
    await start(client, site, options={"baseline": "baseline.json"})
    diags = await open_post(client, path, text)
    expected = lint_rows(lint_json(path, site, "--baseline", "baseline.json"))
    assert as_lint_json(text, diags, "utf-16") == expected
    assert [d.code for d in diags] == ["LK001"]

    # A config written while the server runs is read on the watched-file notification.
    (site / "contentkit.toml").write_text('ignore = ["spurious-link"]\n', encoding="utf-8")
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[
                types.FileEvent(
                    uri=(site / "contentkit.toml").as_uri(), type=types.FileChangeType.Created
                )
            ]
        )
    )
    assert list(await published(client, path.as_uri(), 1)) == []
    await client.shutdown_session()


@pytest.mark.parametrize("editor", ["neovim@v0.11.0", "emacs@v29.1", "neovim@v0.6.1"])
async def test_real_editor_capabilities(client: LanguageClient, site: Path, editor: str) -> None:
    """The capabilities real editors send (pytest-lsp's recordings): the encoding they get
    is one they offered, and the findings are lint's in it."""
    result = await start(client, site, editor=editor)
    offered = client_capabilities(editor).general
    encoding = str(result.capabilities.position_encoding)
    assert encoding in ((offered and offered.position_encodings) or ["utf-16"])
    path = site / HUGO_PAGE
    text = path.read_text(encoding="utf-8")
    diags = await open_post(client, path)
    assert as_lint_json(text, diags, encoding) == lint_rows(lint_json(path, site))
    fix_all = await actions(client, path, whole(text), ["source.fixAll"])
    fixed = apply_edits(text, action_edits(fix_all[0]), encoding)
    assert fixed.encode("utf-8") == lint_fix(path, site)
    await client.shutdown_session()


async def test_lines_split_as_lsp_splits_them(client: LanguageClient, tmp_path: Path) -> None:
    """U+2028, form feeds and NEL are not line breaks in LSP (``str.splitlines`` would say
    they are): edits after them land where the editor made them, CR-only lines count."""
    await start(client, tmp_path, options={"debounce": 0})
    path = tmp_path / "separators.md"
    text = (
        "---\r\ntitle: 'a\u2028b'\r\ndate: Tue, 20 Apr 2021 02:55:35 GMT\r\n---\r\n"
        "x\x0cy\u0085z\r具有得天独厚的贸[易优](https://36kr.com/projectDetails/1)势。\r\n"
    )
    path.write_text(text, encoding="utf-8", newline="")
    diags = await open_post(client, path, text)
    assert as_lint_json(text, diags, "utf-16") == lint_rows(lint_json(path, tmp_path))
    # Type after the form feed and NEL, on the line the editor sees as line 4 (0-based).
    after = types.Position(4, 4)
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=path.as_uri(), version=2),
            content_changes=[
                types.TextDocumentContentChangePartial(range=types.Range(after, after), text="🎈")
            ],
        )
    )
    new = apply_edits(text, [types.TextEdit(types.Range(after, after), "🎈")])
    assert "z🎈\r" not in new and "x\x0cy\u0085🎈z" in new
    diags = await published(client, path.as_uri(), 2)
    path.write_text(new, encoding="utf-8", newline="")
    assert as_lint_json(new, diags, "utf-16") == lint_rows(lint_json(path, tmp_path))
    await client.shutdown_session()


async def test_broken_config_is_a_diagnostic_until_fixed(
    client: LanguageClient, tmp_path: Path
) -> None:
    (tmp_path / "contentkit.toml").write_text("bogus-key = 1\n", encoding="utf-8")
    post = tmp_path / "post.md"
    text = "---\ntitle: t\ndate: Tue, 20 Apr 2021 02:55:35 GMT\n---\nbody\n"
    post.write_text(text, encoding="utf-8")
    await start(client, tmp_path)
    diags = await open_post(client, post, text)
    assert len(diags) == 1 and diags[0].code is None
    assert diags[0].message.startswith("contentkit: error: ")
    assert "bogus-key" in diags[0].message
    assert await actions(client, post, whole(text)) == []
    assert any(m.type == types.MessageType.Error for m in client.log_messages)
    (tmp_path / "contentkit.toml").write_text("ignore = []\n", encoding="utf-8")
    client.text_document_did_save(
        types.DidSaveTextDocumentParams(
            text_document=types.TextDocumentIdentifier(uri=(tmp_path / "contentkit.toml").as_uri())
        )
    )
    diags = await published(client, post.as_uri(), 1)
    assert as_lint_json(text, diags, "utf-16") == lint_rows(lint_json(post, tmp_path))
    assert [d.code for d in diags] == ["FM011"]
    await client.shutdown_session()


def _frame(message: dict[str, Any]) -> bytes:
    body = json.dumps(message).encode("utf-8")
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def _read_message(stream: Any) -> dict[str, Any]:
    length = 0
    while (line := stream.readline()) not in (b"\r\n", b""):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    found: dict[str, Any] = json.loads(stream.read(length))
    return found


def _initialized_server(root: Path) -> subprocess.Popen[bytes]:
    """``contentkit server`` on pipes, sent ``initialize`` and ``initialized`` for ``root``
    (not flushed: the test writes what it needs next)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "contentkit", "server"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdin is not None
    params = {"processId": None, "rootUri": root.as_uri(), "capabilities": {}}
    proc.stdin.write(_frame({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": params}))
    proc.stdin.write(_frame({"jsonrpc": "2.0", "method": "initialized", "params": {}}))
    return proc


async def test_client_gone_before_the_replies_is_a_quiet_exit(tmp_path: Path) -> None:
    """What Neovim's ``:wq`` does: ``didSave``, ``shutdown``, and it is gone without reading
    the diagnostics or the reply. The server ends with 0 and says nothing on stderr (it
    printed a BrokenPipeError traceback for each message it could not send)."""
    post = tmp_path / "post.md"
    text = "---\ntitle: t\ndate: Tue, 20 Apr 2021 02:55:35 GMT\n---\nbody\n"
    post.write_text(text, encoding="utf-8")
    proc = _initialized_server(tmp_path)
    assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
    try:
        item = {"uri": post.as_uri(), "languageId": "markdown", "version": 1, "text": text}
        proc.stdin.write(
            _frame(
                {
                    "jsonrpc": "2.0",
                    "method": "textDocument/didOpen",
                    "params": {"textDocument": item},
                }
            )
        )
        proc.stdin.flush()
        while _read_message(proc.stdout).get("method") != PUBLISH:
            pass
        proc.stdout.close()  # the client is gone: nothing reads what the server sends
        saved = {"textDocument": {"uri": post.as_uri()}}
        proc.stdin.write(
            _frame({"jsonrpc": "2.0", "method": "textDocument/didSave", "params": saved})
        )
        proc.stdin.write(_frame({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}))
        proc.stdin.close()
        assert proc.wait(timeout=60) == 0
        assert proc.stderr.read().decode("utf-8", "replace") == ""
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


async def test_config_changed_without_a_file_watcher(client: LanguageClient, site: Path) -> None:
    """Neovim on Linux registers no file watcher and edits contentkit.toml in a buffer the
    server is not attached to: a config written, changed or deleted is noticed at the next
    lint all the same (it was read once and kept)."""
    caps = client_capabilities("neovim@v0.11.0")
    caps.workspace = types.WorkspaceClientCapabilities(did_change_watched_files=None)
    result = await client.initialize_session(
        types.InitializeParams(
            capabilities=caps,
            root_uri=site.as_uri(),
            initialization_options={"debounce": 0},
        )
    )
    encoding = str(result.capabilities.position_encoding)
    assert client.registrations == []  # type: ignore[attr-defined]
    path = site / HUGO_PAGE
    text = path.read_text(encoding="utf-8")
    diags = await open_post(client, path)
    assert "FM011" in {d.code for d in diags}

    def edit(version: int) -> None:  # a space typed at the end, as the user goes on writing
        end = types.Position(len(lines_of(text)), 0)
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(
                    uri=path.as_uri(), version=version
                ),
                content_changes=[
                    types.TextDocumentContentChangePartial(range=types.Range(end, end), text=" ")
                ],
            )
        )

    config = site / "contentkit.toml"
    config.write_text('ignore = ["non-iso-date"]\n', encoding="utf-8")
    edit(2)
    diags = await published(client, path.as_uri(), 2)
    path.write_text(text + " ", encoding="utf-8")
    assert as_lint_json(text, diags, encoding) == lint_rows(lint_json(path, site))
    assert "FM011" not in {d.code for d in diags}

    config.unlink()
    edit(3)
    diags = await published(client, path.as_uri(), 3)
    assert "FM011" in {d.code for d in diags}
    await client.shutdown_session()


@pytest.mark.parametrize("shutdown", [True, False])
async def test_exit_notification_ends_the_server(tmp_path: Path, shutdown: bool) -> None:
    """``exit`` ends the process, with 0 after ``shutdown`` and 1 without, while the client
    still holds its end of stdin open (the server must not wait for its input to end)."""
    proc = _initialized_server(tmp_path)
    assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
    try:
        if shutdown:
            proc.stdin.write(_frame({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}))
        proc.stdin.flush()
        while shutdown and _read_message(proc.stdout).get("id") != 2:
            pass
        proc.stdin.write(_frame({"jsonrpc": "2.0", "method": "exit"}))
        proc.stdin.flush()
        assert proc.wait(timeout=30) == (0 if shutdown else 1)
        assert proc.stderr.read().decode("utf-8", "replace") == ""
    finally:
        proc.stdin.close()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
