"""``--output-format junit``: JUnit XML, which CI systems show as a test report.

One ``testsuite`` per file, one failing ``testcase`` per finding (named after the rule, with
the position in the text), and one passing ``testcase`` for a file without findings, so a
dashboard counts the clean posts too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING
from xml.etree import ElementTree as ET

from contentkit.diagnostics import Diagnostic

if TYPE_CHECKING:
    from contentkit.reporters import ReportOptions

# XML 1.0 cannot hold these characters at all, not even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def report(diagnostics: Sequence[Diagnostic], options: ReportOptions) -> str:
    by_file: dict[str, list[Diagnostic]] = {path: [] for path in options.files}
    for d in diagnostics:
        by_file.setdefault(d.path, []).append(d)
    root = ET.Element("testsuites", name="contentkit")
    total = failures = 0
    for path, found in by_file.items():
        suite = ET.SubElement(root, "testsuite", name=_clean(path))
        if not found:
            ET.SubElement(suite, "testcase", name="contentkit lint", classname=_clean(path))
        for d in found:
            case = ET.SubElement(
                suite,
                "testcase",
                name=_clean(f"{d.code} {d.name} at {d.line}:{d.column}"),
                classname=_clean(path),
                file=_clean(path),
                line=str(d.line),
            )
            failure = ET.SubElement(
                case, "failure", message=_clean(d.message), type=_clean(f"{d.code} {d.name}")
            )
            failure.text = _clean(f"{d.path}:{d.line}:{d.column}: {d.code} [{d.name}] {d.message}")
        cases = max(len(found), 1)
        suite.set("tests", str(cases))
        suite.set("failures", str(len(found)))
        suite.set("errors", "0")
        suite.set("skipped", "0")
        total += cases
        failures += len(found)
    root.set("tests", str(total))
    root.set("failures", str(failures))
    root.set("errors", "0")
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
