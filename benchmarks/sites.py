"""contentkit on real sites, as a new user runs it: ``contentkit init`` then ``contentkit lint``.

    python benchmarks/sites.py                       # every site under ../shared/sites/
    python benchmarks/sites.py --sites-dir DIR       # every folder of DIR is one site
    python benchmarks/sites.py --list FM006,links    # also print these findings one by one
    python benchmarks/sites.py --list ALL            # every finding, to judge them one by one

Each site is copied to a temporary folder first (the originals are never touched). In the copy
the CLI runs as a user would run it from the site's root: ``contentkit init``, then
``contentkit lint . --output-format json``. Printed per site: the content files linted, the
findings per rule, findings per 100 content files, and then, after ``contentkit lint --fix``,
whether any fix changed the inside of a code block, an inline code span or a template tag
(``{{ }}``, ``{% %}``, Hugo shortcodes): those regions are read with markdown-it-py before
and after the fix and compared in order.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from markdown_it import MarkdownIt

DEFAULT_SITES = Path(__file__).resolve().parents[2] / "shared" / "sites"
if not DEFAULT_SITES.is_dir():
    DEFAULT_SITES = Path("/work/shared/sites")

TEMPLATE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
FRONT_MATTER = re.compile(r"\A\s*(?:---|\+\+\+)\r?\n.*?\r?\n(?:---|\+\+\+)[ \t]*(?:\r?\n|\Z)", re.S)
_md = MarkdownIt("commonmark")


def protected_regions(text: str, is_markdown: bool) -> list[str]:
    """The texts a fix must never change: code blocks, code spans and template tags, in order."""
    regions: list[str] = [m.group(0) for m in TEMPLATE.finditer(text)]
    if not is_markdown:
        return regions
    body = FRONT_MATTER.sub("", text, count=1)
    for token in _md.parse(body):
        if token.type in ("fence", "code_block"):
            regions.append(token.content)
        for child in token.children or ():
            if child.type == "code_inline":
                regions.append(child.content)
    return regions


def run(cmd: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, NO_COLOR="1")
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False)


def snapshot(root: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    for path in root.rglob("*"):
        if path.suffix.lower() in {".md", ".markdown", ".mdx", ".html", ".htm"} and path.is_file():
            try:
                out[str(path.relative_to(root))] = path.read_text(encoding="utf-8")
            except (UnicodeDecodeError, OSError):
                continue
    return out


def measure(site: Path, contentkit: list[str], listing: set[str]) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="ck-site-") as tmp:
        copy = Path(tmp) / site.name
        shutil.copytree(site, copy, symlinks=True)
        # The shared originals are read-only; the copy is the user's own, writable, site.
        for folder, _dirs, files in os.walk(copy):
            os.chmod(folder, 0o755)
            for name in files:
                path = os.path.join(folder, name)
                if not os.path.islink(path):
                    os.chmod(path, 0o644)
        init = run([*contentkit, "init"], copy)
        lint = run([*contentkit, "lint", ".", "--output-format", "json", "--no-cache", "-v"], copy)
        if lint.returncode not in (0, 1):
            raise SystemExit(f"{site.name}: lint failed ({lint.returncode}):\n{lint.stderr}")
        findings = json.loads(lint.stdout or "[]")
        m = re.search(r"linted (\d+) files", lint.stderr)
        files = int(m.group(1)) if m else 0
        fixes = {}
        for label, extra in (("--fix", []), ("--fix --unsafe-fixes", ["--unsafe-fixes"])):
            before = snapshot(copy)
            run(
                [*contentkit, "lint", ".", "--fix", *extra, "--no-cache", "--exit-zero", "-q"], copy
            )
            after = snapshot(copy)
            damaged: list[str] = []
            changed = 0
            for rel, old in before.items():
                new = after.get(rel, old)
                if new == old:
                    continue
                changed += 1
                is_md = not rel.lower().endswith((".html", ".htm"))
                if protected_regions(old, is_md) != protected_regions(new, is_md):
                    damaged.append(rel)
            fixes[label] = (changed, damaged)
    per_rule = Counter(f"{f['code']} {f['name']}" for f in findings)
    shown = [
        f
        for f in findings
        if "ALL" in listing
        or f["code"] in listing
        or f["name"] in listing
        or any(f["code"].startswith(p) for p in listing if p.isalpha() and p.isupper())
    ]
    return {
        "site": site.name,
        "init": (init.stdout + init.stderr).strip(),
        "files": files,
        "findings": len(findings),
        "per_rule": per_rule,
        "fixes": fixes,
        "listed": shown,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sites-dir", type=Path, default=DEFAULT_SITES)
    parser.add_argument("--list", default="", help="rule codes/names whose findings to print")
    parser.add_argument("--contentkit", default="contentkit", help="the command to run")
    args = parser.parse_args()
    listing = {s.strip() for s in args.list.split(",") if s.strip()}
    sites = sorted(p for p in args.sites_dir.iterdir() if p.is_dir())
    contentkit = args.contentkit.split()
    total_files = total_findings = 0
    for site in sites:
        r = measure(site, contentkit, listing)
        files, n = int(r["files"]), int(r["findings"])  # type: ignore[call-overload]
        total_files += files
        total_findings += n
        rate = 100 * n / files if files else 0.0
        print(f"== {r['site']}")
        print(f"   init: {r['init']}")
        print(f"   content files: {files}   findings: {n}   per 100 files: {rate:.1f}")
        for rule, count in sorted(r["per_rule"].items(), key=lambda kv: (-kv[1], kv[0])):  # type: ignore[attr-defined]
            print(f"   {count:>6}  {rule}")
        for label, (changed, damaged) in r["fixes"].items():  # type: ignore[attr-defined]
            verdict = "no" if not damaged else f"YES in {len(damaged)}: {', '.join(damaged[:10])}"
            print(
                f"   {label} changed {changed} files; "
                f"changed code blocks, inline code or template tags: {verdict}"
            )
        for f in r["listed"]:  # type: ignore[attr-defined]
            print(f"     {f['path']}:{f['line']}:{f['column']}: {f['code']} {f['message']}")
    rate = 100 * total_findings / total_files if total_files else 0.0
    print(f"== all: {total_files} content files, {total_findings} findings, {rate:.1f} per 100")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
