"""``--output-format json``: a list of finding objects, ruff's shape plus severity."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

from contentkit.diagnostics import Diagnostic

if TYPE_CHECKING:
    from contentkit.reporters import ReportOptions


def report(diagnostics: Sequence[Diagnostic], options: ReportOptions) -> str:
    return json.dumps([d.to_dict() for d in diagnostics], ensure_ascii=False, indent=2) + "\n"
