"""Errors that reach the user as ``path:line:column: message`` and exit 2, never a traceback."""

from __future__ import annotations


class ContentkitError(Exception):
    """A problem the user can act on; printed as ``path:line:column: message``."""

    def __init__(self, message: str, path: str = "", line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.column = column

    def __str__(self) -> str:
        if self.path:
            return f"{self.path}:{self.line}:{self.column}: {self.message}"
        return self.message


class InputError(ContentkitError):
    """A file that cannot be read as a post at all (bytes, encoding, size, permissions)."""


class ConfigError(ContentkitError):
    """Configuration that is wrong: unknown keys, bad values, unknown rule selectors."""
