"""contentkit: lint and convert Markdown/HTML posts with front matter."""

from __future__ import annotations

__version__ = "0.1.0"

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
