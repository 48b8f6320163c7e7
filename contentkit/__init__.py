"""contentkit: lint and convert Markdown/HTML posts with front matter."""

from __future__ import annotations

__version__ = "0.1.0"

from contentkit.api import LintResult, discover, lint_file, lint_paths, lint_text

__all__ = ["LintResult", "__version__", "discover", "lint_file", "lint_paths", "lint_text"]
