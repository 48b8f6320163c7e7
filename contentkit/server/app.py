"""``contentkit server``: the Language Server Protocol over stdio, on pygls.

The server keeps each open post's text itself (incremental sync, lines split as LSP splits
them) and lints it with :mod:`contentkit.server.analysis`, which is the engine ``lint`` runs.
Diagnostics are published on open and save at once, and after a change once the edits
have paused for ``debounce`` milliseconds; a post bigger than ``liveLimit`` bytes is linted
on open and save only. Every handler is contained: a failure is logged to the client
(``window/logMessage``), never a crashed server.
"""

from __future__ import annotations

import asyncio
import functools
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import unquote, urlparse

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.protocol.language_server import LanguageServerProtocol, lsp_method

from contentkit import __version__
from contentkit.config import CONFIG_FILES
from contentkit.server import analysis
from contentkit.server.analysis import Post
from contentkit.server.positions import apply_change

T = TypeVar("T")

# A sample post linted once after start-up, so that the first post opened does not also pay
# for importing the rules and opening the word dictionary.
_WARM_UP = (
    "---\ntitle: warm up\ndate: Tue, 20 Apr 2021 02:55:35 GMT\n---\n"
    '<div><p>具有得天独厚的贸<a class="project-link" data-id="1" data-name="易优" '
    'href="https://36kr.com/projectDetails/1">易优</a>势。</p></div>\n'
)


@dataclass
class ServerOptions:
    """What a client may set in ``initializationOptions`` or ``workspace/didChangeConfiguration``
    (under ``contentkit``): names as in the README."""

    baseline: str | None = None  # lint --baseline FILE (relative to the workspace root)
    debounce: float = 0.02  # seconds of quiet after a change before re-linting
    live_limit: int = 1024 * 1024  # bytes; above it, lint on open and save only

    def update(self, raw: Any) -> list[str]:
        """Take the known keys of ``raw``; returns complaints about the rest."""
        if not isinstance(raw, dict):
            return []
        raw = raw.get("contentkit", raw) if isinstance(raw.get("contentkit"), dict) else raw
        problems: list[str] = []
        if "baseline" in raw:
            value = raw["baseline"]
            if value is None or isinstance(value, str):
                self.baseline = value or None
            else:
                problems.append("'baseline' must be a file path")
        if "debounce" in raw:
            value = raw["debounce"]
            if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
                self.debounce = value / 1000
            else:
                problems.append("'debounce' must be a number of milliseconds")
        if "liveLimit" in raw:
            value = raw["liveLimit"]
            if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
                self.live_limit = value
            else:
                problems.append("'liveLimit' must be a number of bytes")
        return problems


def uri_to_path(uri: str) -> str | None:
    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return None
    path = unquote(parsed.path)
    if sys.platform == "win32" and path.startswith("/") and path[2:3] == ":":
        path = path[1:]
    return path


class ContentkitProtocol(LanguageServerProtocol):
    """pygls' protocol without its own copy of the documents: the server keeps them, split
    into lines as LSP does (``str.splitlines`` also splits at U+2028 and form feeds, which
    scraped posts hold, and would put every later edit in the wrong place)."""

    @lsp_method(types.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(self, params: types.DidOpenTextDocumentParams) -> Any:
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_OPEN)) is not None:
            yield handler, (params,), None

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: types.DidChangeTextDocumentParams) -> Any:
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_CHANGE)) is not None:
            yield handler, (params,), None

    @lsp_method(types.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(self, params: types.DidCloseTextDocumentParams) -> Any:
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_CLOSE)) is not None:
            yield handler, (params,), None


class ContentkitServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            "contentkit",
            __version__,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
            protocol_cls=ContentkitProtocol,
        )
        self.posts: dict[str, Post] = {}
        self.options = ServerOptions()
        self.baselines = analysis.Baselines()
        self.config_stamps = analysis.ConfigStamps()
        self.root: str | None = None
        self.encoding: str = types.PositionEncodingKind.Utf16
        self._timers: dict[str, asyncio.TimerHandle] = {}
        self._told_big: set[str] = set()

    # ---- messages to the client ---------------------------------------------------------
    def log(self, message: str, kind: types.MessageType = types.MessageType.Info) -> None:
        try:
            self.window_log_message(types.LogMessageParams(type=kind, message=message))
        except Exception:  # no writer yet, or the client went away: nothing to tell
            pass

    def publish(self, post: Post) -> None:
        if post.linted is None:
            return
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(
                uri=post.uri, diagnostics=post.linted.diagnostics, version=post.linted.version
            )
        )

    # ---- linting ------------------------------------------------------------------------
    def too_big(self, post: Post) -> bool:
        limit = self.options.live_limit
        # Characters first: a post with fewer characters than the limit has fewer bytes
        # than four times it, and most posts are far below.
        if not limit or len(post.text) * 4 <= limit:
            return False
        return len(post.text.encode("utf-8", "surrogatepass")) > limit

    def lint(self, post: Post, why: str) -> None:
        started = time.perf_counter()
        if self.config_stamps.changed(post, self.root):
            analysis.forget_settings()
            for other in self.posts.values():  # their findings were made with the old config
                if other is not post:
                    other.linted = None
                    if not self.too_big(other):
                        self.schedule(other)
        post.linted = analysis.lint_post(post, self.root, self.baselines)
        self.publish(post)
        elapsed = time.perf_counter() - started
        if post.linted.problem:
            self.log(f"{post.shown}: {post.linted.problem}", types.MessageType.Error)
        if elapsed > 0.5:
            self.log(f"{post.shown}: linted on {why} in {elapsed:.2f} s", types.MessageType.Info)

    def current(self, uri: str) -> tuple[Post, analysis.Linted] | None:
        """The post and its findings for the text the editor has now (linting if needed;
        a big post is linted on open and save only, so its last findings stand)."""
        post = self.posts.get(uri)
        if post is None:
            return None
        if post.linted is None or post.linted.version != post.version:
            if self.too_big(post):
                return None
            self.cancel(uri)
            self.lint(post, "request")
        assert post.linted is not None
        return post, post.linted

    def cancel(self, uri: str) -> None:
        timer = self._timers.pop(uri, None)
        if timer is not None:
            timer.cancel()

    def schedule(self, post: Post) -> None:
        self.cancel(post.uri)
        loop = asyncio.get_running_loop()
        self._timers[post.uri] = loop.call_later(
            self.options.debounce, self._lint_later, post.uri, post.version
        )

    def _lint_later(self, uri: str, version: int | None) -> None:
        self._timers.pop(uri, None)
        post = self.posts.get(uri)
        if post is None or post.version != version:
            return
        contained(self, "re-lint", lambda: self.lint(post, "change"))

    def relint_all(self) -> None:
        for post in self.posts.values():
            post.linted = None
            if self.too_big(post):
                continue
            self.schedule(post)


def contained(server: ContentkitServer, what: str, work: Callable[[], T]) -> T | None:
    """Run ``work``; a failure is logged to the client with its traceback, and the server
    goes on serving."""
    try:
        return work()
    except Exception as exc:
        detail = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        server.log(f"contentkit: {what} failed: {exc!r}\n{detail}", types.MessageType.Error)
        return None


def _guard(what: str) -> Callable[[Callable[..., T]], Callable[..., T | None]]:
    def wrap(fn: Callable[..., T]) -> Callable[..., T | None]:
        @functools.wraps(fn)
        def handler(ls: ContentkitServer, params: Any) -> T | None:
            return contained(ls, what, lambda: fn(ls, params))

        return handler

    return wrap


def build_server() -> ContentkitServer:
    server = ContentkitServer()

    @server.feature(types.INITIALIZE)
    @_guard("initialize")
    def initialize(ls: ContentkitServer, params: types.InitializeParams) -> None:
        ls.encoding = ls.workspace.position_encoding or types.PositionEncodingKind.Utf16
        if params.root_uri:
            ls.root = uri_to_path(params.root_uri)
        elif params.root_path:
            ls.root = params.root_path
        if params.workspace_folders:
            ls.root = uri_to_path(params.workspace_folders[0].uri) or ls.root
        for problem in ls.options.update(params.initialization_options):
            ls.log(f"contentkit: initializationOptions: {problem}", types.MessageType.Warning)
        ls.baselines.set(ls.options.baseline, ls.root)

    @server.feature(types.INITIALIZED)
    @_guard("initialized")
    def initialized(ls: ContentkitServer, params: types.InitializedParams) -> None:
        caps = ls.client_capabilities.workspace
        watch = caps.did_change_watched_files if caps else None
        if watch is not None and watch.dynamic_registration:
            names = ",".join(CONFIG_FILES)
            watchers = [types.FileSystemWatcher(glob_pattern=f"**/{{{names}}}")]
            if ls.options.baseline:
                watchers.append(
                    types.FileSystemWatcher(glob_pattern=f"**/{Path(ls.options.baseline).name}")
                )
            ls.client_register_capability(
                types.RegistrationParams(
                    registrations=[
                        types.Registration(
                            id="contentkit-config-files",
                            method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                            register_options=types.DidChangeWatchedFilesRegistrationOptions(
                                watchers=watchers
                            ),
                        )
                    ]
                )
            )
        asyncio.get_running_loop().call_soon(_warm_up, ls)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    @_guard("didOpen")
    def did_open(ls: ContentkitServer, params: types.DidOpenTextDocumentParams) -> None:
        item = params.text_document
        post = Post(item.uri, item.text, item.version, uri_to_path(item.uri), ls.encoding)
        ls.posts[item.uri] = post
        if ls.too_big(post):
            ls.log(
                f"{post.shown}: over the live-lint limit of {ls.options.live_limit:,} bytes "
                "(liveLimit): diagnostics on open and save only",
                types.MessageType.Info,
            )
        ls.lint(post, "open")

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    @_guard("didChange")
    def did_change(ls: ContentkitServer, params: types.DidChangeTextDocumentParams) -> None:
        post = ls.posts.get(params.text_document.uri)
        if post is None:
            return
        text = post.text
        for change in params.content_changes:
            post.text = text  # the index follows the text of the change before
            text = apply_change(text, post.index, change)
        post.set_text(text, params.text_document.version)
        if ls.too_big(post):
            if post.uri not in ls._told_big:
                ls._told_big.add(post.uri)
                ls.log(
                    f"{post.shown}: over the live-lint limit of {ls.options.live_limit:,} "
                    "bytes (liveLimit): diagnostics on save only",
                    types.MessageType.Info,
                )
            return
        ls.schedule(post)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))
    @_guard("didSave")
    def did_save(ls: ContentkitServer, params: types.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        path = uri_to_path(uri)
        if path is not None and Path(path).name in CONFIG_FILES:
            analysis.forget_settings()
            ls.relint_all()
        post = ls.posts.get(uri)
        if post is not None:
            ls.cancel(uri)
            ls.lint(post, "save")

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    @_guard("didClose")
    def did_close(ls: ContentkitServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.cancel(uri)
        ls.posts.pop(uri, None)
        ls._told_big.discard(uri)
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=[])
        )

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    @_guard("didChangeWatchedFiles")
    def watched(ls: ContentkitServer, params: types.DidChangeWatchedFilesParams) -> None:
        analysis.forget_settings()
        ls.relint_all()

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    @_guard("didChangeConfiguration")
    def configuration(ls: ContentkitServer, params: types.DidChangeConfigurationParams) -> None:
        for problem in ls.options.update(params.settings):
            ls.log(f"contentkit: settings: {problem}", types.MessageType.Warning)
        ls.baselines.set(ls.options.baseline, ls.root)
        ls.relint_all()

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(
            code_action_kinds=[types.CodeActionKind.QuickFix, analysis.FIX_ALL_KIND]
        ),
    )
    @_guard("codeAction")
    def code_action(ls: ContentkitServer, params: types.CodeActionParams) -> Any:
        found = ls.current(params.text_document.uri)
        if found is None:
            return None
        post, linted = found
        return analysis.code_actions(post, linted, params.range, params.context.only)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    @_guard("hover")
    def hover(ls: ContentkitServer, params: types.HoverParams) -> types.Hover | None:
        found = ls.current(params.text_document.uri)
        if found is None:
            return None
        post, linted = found
        return analysis.hover(post, linted, params.position)

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: ContentkitServer, params: Any) -> None:
        for uri in list(ls._timers):
            ls.cancel(uri)

    return server


def _warm_up(ls: ContentkitServer) -> None:
    if ls.posts:  # a post came first: it has paid already
        return
    sample = Post("untitled:contentkit-warm-up.md", _WARM_UP, 0, None, ls.encoding)
    contained(ls, "warm-up", lambda: analysis.lint_post(sample, ls.root, analysis.Baselines()))


class ClientPipe:
    """The stream to the client, which may close its end at any time: Neovim quits right
    after sending ``shutdown``, without waiting for the reply (nor for the diagnostics of the
    ``didSave`` that ``:wq`` sent). What cannot be written then is dropped, instead of a
    traceback per message on stderr; the end of the client's input ends the server."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.gone = False

    def write(self, data: bytes) -> None:
        if not self.gone:
            try:
                self.stream.write(data)
            except (BrokenPipeError, ConnectionResetError, ValueError):  # ValueError: closed
                self.gone = True

    def flush(self) -> None:
        if not self.gone:
            try:
                self.stream.flush()
            except (BrokenPipeError, ConnectionResetError, ValueError):
                self.gone = True

    def close(self) -> None:
        try:
            self.stream.close()
        except (OSError, ValueError):
            pass


def serve() -> int:
    """Serve LSP on stdin/stdout until the client says exit; the exit code LSP asks for."""
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    # Anything else printing to stdout would corrupt the protocol stream: it goes to stderr.
    sys.stdout = sys.stderr
    server = build_server()
    server.start_io(stdin, ClientPipe(stdout))  # type: ignore[arg-type]
    return 0 if getattr(server.protocol, "_shutdown", True) else 1
