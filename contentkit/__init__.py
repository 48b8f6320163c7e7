"""contentkit: lint and convert Markdown/HTML posts with front matter."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from contentkit.api import LintResult, discover, lint_file, lint_paths, lint_text
    from contentkit.convert import convert_file, convert_text

__all__ = [
    "LintResult",
    "__version__",
    "convert_file",
    "convert_text",
    "discover",
    "lint_file",
    "lint_paths",
    "lint_text",
]

# The public API is imported on first use (PEP 562): `contentkit lint` must not pay for the
# converter's imports, nor `contentkit convert` for the linter's, at every start.
_HOMES = {
    "LintResult": "contentkit.api",
    "discover": "contentkit.api",
    "lint_file": "contentkit.api",
    "lint_paths": "contentkit.api",
    "lint_text": "contentkit.api",
    "convert_file": "contentkit.convert",
    "convert_text": "contentkit.convert",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'contentkit' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
