"""``contentkit server``: a language server that reports ``lint``'s findings in the editor.

:mod:`contentkit.server.analysis` turns the engine's results into LSP objects,
:mod:`contentkit.server.positions` converts offsets to the client's position encoding, and
:mod:`contentkit.server.app` speaks the protocol (pygls).
"""

from __future__ import annotations


def serve() -> int:
    """Serve the Language Server Protocol on stdin and stdout; returns the exit code."""
    from contentkit.server.app import serve as run

    return run()
