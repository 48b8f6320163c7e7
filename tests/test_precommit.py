"""The pre-commit hooks, run by the real pre-commit framework (``pre-commit try-repo``).

try-repo clones this repository, builds a virtualenv and pip-installs contentkit into it, as a
user's ``pre-commit install`` would. Each run costs such an install (try-repo keeps no cache),
so there are two runs, each running both hooks; try-repo runs them in id order,
``contentkit-fix`` first, then ``contentkit-lint`` on what the fix left:

- a post with two fixable findings and one that no fix can settle: the fix hook rewrites the
  post and fails as pre-commit expects ("files were modified by this hook"); the lint hook
  then fails and prints the remaining finding;
- a good post beside a README and a text file: both hooks pass and see only the post.

Untracked files of a working tree are not part of what try-repo clones: commit or ``git add``
new files before running this locally (CI runs on a fresh clone, where all files are tracked).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
POSTS = Path(__file__).resolve().parent / "fixtures" / "integrations"

pytestmark = pytest.mark.skipif(
    not (ROOT / ".git").exists() or shutil.which("git") is None,
    reason="pre-commit try-repo needs this repository as a git checkout",
)


def _env(home: Path, wheelhouse: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(
        # pre-commit's pip installs contentkit's dependencies from wheels downloaded once
        # for all runs (see ``wheelhouse``), not from the network three times.
        PIP_NO_INDEX="1",
        PIP_FIND_LINKS=str(wheelhouse),
        PIP_NO_COMPILE="1",  # byte-compiling every dependency is most of an install's time
        PRE_COMMIT_HOME=str(home),
        NO_COLOR="1",
        GIT_AUTHOR_NAME="contentkit tests",
        GIT_AUTHOR_EMAIL="tests@example.invalid",
        GIT_COMMITTER_NAME="contentkit tests",
        GIT_COMMITTER_EMAIL="tests@example.invalid",
    )
    return env


def _try_repo(site: Path, files: dict[str, str | None], wheelhouse: Path) -> tuple[str, int]:
    """Run this repo's hooks on ``files`` (name -> fixture, None for a README), added to the
    index of a new git repo as a commit would have them."""
    env = _env(site.parent / f"{site.name}-pre-commit-home", wheelhouse)
    site.mkdir()
    subprocess.run(["git", "init", "-q", "."], cwd=site, check=True, env=env)
    for target, source in files.items():
        if source is None:  # a README without front matter, as every repo has
            (site / target).write_text("# My site\n\nNotes.\n", encoding="utf-8")
        else:
            shutil.copy(POSTS / source, site / target)
    subprocess.run(["git", "add", "--", *files], cwd=site, check=True, env=env)
    cmd = [
        sys.executable,
        "-m",
        "pre_commit",
        "try-repo",
        str(ROOT),
        "--color",
        "never",
        "--verbose",
        "--files",
        *files,
    ]
    proc = subprocess.run(cmd, cwd=site, env=env, capture_output=True, text=True, timeout=900)
    return proc.stdout + proc.stderr, proc.returncode


def hook_section(output: str, hook: str) -> str:
    """What pre-commit printed for one hook: from its status line to the next hook's."""
    lines = output.splitlines()
    name = {"contentkit-lint": "contentkit lint", "contentkit-fix": "contentkit fix"}[hook]
    start = next(i for i, line in enumerate(lines) if line.startswith(name + "."))
    end = next(
        (
            i
            for i in range(start + 1, len(lines))
            if lines[i].startswith("contentkit ") and "...." in lines[i]
        ),
        len(lines),
    )
    return "\n".join(lines[start:end])


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str, int]]:
    base = tmp_path_factory.mktemp("precommit")
    wheelhouse = base / "wheelhouse"
    download = [sys.executable, "-m", "pip", "download", "-q", "-d", str(wheelhouse)]
    proc = subprocess.run(
        [*download, str(ROOT), "setuptools>=69", "wheel", "virtualenv"],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stderr
    plans: dict[str, dict[str, str | None]] = {
        "bad": {"post.md": "mixed-post.md"},
        # README.md has no front matter and notes.txt holds a bad post; neither is a post.
        "good": {"post.md": "good-post.md", "README.md": None, "notes.txt": "bad-post.md"},
    }
    with ThreadPoolExecutor(max_workers=2) as pool:  # two cores; each run is an install
        jobs = {
            name: pool.submit(_try_repo, base / name, files, wheelhouse)
            for name, files in plans.items()
        }
        return {name: (base / name, *job.result()) for name, job in jobs.items()}


def test_fix_hook_fixes_the_post_and_reports_the_change(runs, run_cli) -> None:
    site, output, code = runs["bad"]
    assert code == 1, output
    section = hook_section(output, "contentkit-fix")
    assert "Failed" in section.splitlines()[0], output  # pre-commit fails a hook that edits
    assert "- hook id: contentkit-fix" in section
    assert "- files were modified by this hook" in section
    assert "Found 1 finding in 1 file (2 fixed)." in section
    fixed = (site / "post.md").read_text(encoding="utf-8")
    original = (POSTS / "mixed-post.md").read_text(encoding="utf-8")
    assert fixed == original.lstrip("\n").replace(
        "date: Tue, 20 Apr 2021 02:55:35 GMT", "date: 2021-04-20T02:55:35Z"
    )
    proc = run_cli("lint", "--output-format", "concise", str(site / "post.md"))
    assert [line.split(": ")[1].split()[0] for line in proc.stdout.splitlines()[:-1]] == ["FM012"]


def test_lint_hook_fails_on_a_bad_post_and_prints_the_finding(runs) -> None:
    _site, output, code = runs["bad"]
    assert code == 1, output
    section = hook_section(output, "contentkit-lint")
    assert "Failed" in section.splitlines()[0], output
    assert "- hook id: contentkit-lint" in section
    assert "- exit code: 1" in section
    assert "post.md:11:12: FM012 [invalid-url] 'thumbnail' is empty" in section
    assert "files were modified" not in section


def test_hooks_pass_a_good_post_and_only_see_posts(runs) -> None:
    site, output, code = runs["good"]
    assert code == 0, output
    for hook in ("contentkit-fix", "contentkit-lint"):
        section = hook_section(output, hook)
        assert "Passed" in section.splitlines()[0], output
        # Had README.md or notes.txt been passed, FM001/FM011 would have failed the hook.
        assert "All checks passed (1 file)." in section
    assert "FM0" not in output
    assert (site / "notes.txt").read_bytes() == (POSTS / "bad-post.md").read_bytes()
    assert (site / "post.md").read_bytes() == (POSTS / "good-post.md").read_bytes()


def test_readme_snippet_rev_names_this_release_and_holds_the_hooks() -> None:
    # The rev users copy from the README is the release tag of the installed version; where
    # this checkout has that tag (a fresh clone of a branch may not), it must hold the hooks.
    import re

    import contentkit

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rev = re.search(r"^\s*rev: (\S+)", readme, re.M)
    assert rev is not None
    assert rev.group(1) == f"v{contentkit.__version__}"
    if not (ROOT / ".git").exists():
        return
    tag = subprocess.run(
        ["git", "rev-parse", "-q", "--verify", f"refs/tags/{rev.group(1)}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if tag.returncode != 0:
        return  # not fetched here: nothing more to check
    proc = subprocess.run(
        ["git", "show", f"{rev.group(1)}:.pre-commit-hooks.yaml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    assert "id: contentkit-lint" in proc.stdout and "id: contentkit-fix" in proc.stdout
