"""How long ``contentkit server`` takes to answer with diagnostics, as an editor sees it.

    python benchmarks/server_latency.py                 # the real posts of ../shared/corpus
    python benchmarks/server_latency.py --posts DIR     # any folder of posts
    python benchmarks/server_latency.py --debounce 0    # without the change debounce

A real LSP client (pygls) starts ``contentkit server`` as a subprocess and, for each post,
sends ``didOpen`` and waits for its ``publishDiagnostics`` (open→diagnostics), then sends an
edit (one character typed in the middle of the body) and waits for the diagnostics of that
version (change→diagnostics, which includes the server's debounce, printed in the header).
Both are wall-clock times measured in this process, from sending to receiving.

The yardstick measured in the same run is ``contentkit lint --no-cache FILE`` on each post,
a process per file, as an editor plugin that shells out to a linter would run it.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

DEFAULT_POSTS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "posts"
FALLBACK = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "perf"


class Client(LanguageClient):
    def __init__(self) -> None:
        super().__init__("server-latency", "1")
        self.waiting: dict[tuple[str, int | None], asyncio.Future[float]] = {}

        @self.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def published(ls: Client, params: types.PublishDiagnosticsParams) -> None:
            fut = ls.waiting.pop((params.uri, params.version), None)
            if fut is not None and not fut.done():
                fut.set_result(time.perf_counter())

        @self.feature(types.CLIENT_REGISTER_CAPABILITY)
        def register(ls: Client, params: types.RegistrationParams) -> None:
            return None

        @self.feature(types.WINDOW_LOG_MESSAGE)
        def log(ls: Client, params: types.LogMessageParams) -> None:
            if params.type == types.MessageType.Error:
                print(f"server error: {params.message}", file=sys.stderr)

    def expect(self, uri: str, version: int) -> asyncio.Future[float]:
        fut: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self.waiting[(uri, version)] = fut
        return fut


def middle_of_body(text: str) -> types.Position:
    """The end of a line about halfway through the post: where a writer might type."""
    lines = text.split("\n")
    line = max(0, len(lines) // 2)
    return types.Position(line, len(lines[line].encode("utf-16-le")) // 2)


async def measure(posts: list[Path], debounce: float | None) -> tuple[list[float], list[float]]:
    client = Client()
    await client.start_io(sys.executable, "-m", "contentkit", "server")
    root = posts[0].parent
    options = {"debounce": debounce} if debounce is not None else None
    await client.initialize_async(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(),
            root_uri=root.as_uri(),
            initialization_options=options,
        )
    )
    client.initialized(types.InitializedParams())
    await asyncio.sleep(2)  # the server warms up after `initialized`, as it does in an editor
    opened: list[float] = []
    changed: list[float] = []
    for path in posts:
        uri = path.resolve().as_uri()
        text = path.read_text(encoding="utf-8", errors="replace")
        done = client.expect(uri, 1)
        sent = time.perf_counter()
        client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                types.TextDocumentItem(uri=uri, language_id="markdown", version=1, text=text)
            )
        )
        opened.append(await asyncio.wait_for(done, 120) - sent)
        at = middle_of_body(text)
        done = client.expect(uri, 2)
        sent = time.perf_counter()
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                types.VersionedTextDocumentIdentifier(version=2, uri=uri),
                [types.TextDocumentContentChangePartial(range=types.Range(at, at), text="。")],
            )
        )
        changed.append(await asyncio.wait_for(done, 120) - sent)
        client.text_document_did_close(
            types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri=uri))
        )
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return opened, changed


def lint_each(posts: list[Path]) -> list[float]:
    times = []
    for path in posts:
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "contentkit", "lint", "--no-cache", "-q", str(path)],
            capture_output=True,
            check=False,
        )
        times.append(time.perf_counter() - started)
    return times


def show(name: str, times: list[float], posts: list[Path]) -> None:
    worst = posts[max(range(len(times)), key=times.__getitem__)]
    ms = sorted(t * 1000 for t in times)
    p90 = ms[min(len(ms) - 1, int(len(ms) * 0.9))]
    print(
        f"{name:<32} median {statistics.median(ms):8.1f} ms   p90 {p90:8.1f} ms   "
        f"worst {ms[-1]:8.1f} ms ({worst.name}, {worst.stat().st_size:,} bytes)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=Path, default=None, help="a folder of posts")
    parser.add_argument("--debounce", type=float, default=None, help="ms (default: server's)")
    parser.add_argument("--no-peer", action="store_true", help="skip the lint yardstick")
    args = parser.parse_args()
    folder = args.posts or (DEFAULT_POSTS if DEFAULT_POSTS.is_dir() else FALLBACK)
    posts = sorted(p for p in folder.iterdir() if p.suffix in (".md", ".html", ".markdown"))
    if not posts:
        sys.exit(f"no posts in {folder}")
    opened, changed = asyncio.run(measure(posts, args.debounce))
    debounce = "server default" if args.debounce is None else f"{args.debounce:g} ms"
    print(f"contentkit server on {len(posts)} posts of {folder} (debounce: {debounce})")
    show("open -> diagnostics", opened, posts)
    show("change -> diagnostics", changed, posts)
    if not args.no_peer:
        lint = lint_each(posts)
        show("contentkit lint FILE (a process)", lint, posts)
        ratio = statistics.median(lint) / statistics.median(changed)
        print(f"median change->diagnostics is {ratio:.0f}x faster than running lint on the file")


if __name__ == "__main__":
    main()
