"""The GitHub Actions example in docs/ runs here exactly as written: docs and test can't drift."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sysconfig
from pathlib import Path

import jsonschema
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / "docs" / "github-actions.yml"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
POSTS = FIXTURES / "integrations"


def step_command(job: str, step_name: str) -> str:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    (step,) = [s for s in workflow["jobs"][job]["steps"] if s.get("name") == step_name]
    command = str(step["run"]).strip()
    assert command.startswith("contentkit lint ")
    return command


def run_step(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run a workflow step's shell command with the installed ``contentkit`` on PATH."""
    scripts = sysconfig.get_path("scripts")
    env = {**os.environ, "NO_COLOR": "1", "PATH": scripts + os.pathsep + os.environ["PATH"]}
    assert shutil.which("contentkit", path=env["PATH"])
    return subprocess.run(
        ["bash", "-e", "-c", command], cwd=cwd, env=env, capture_output=True, text=True
    )


def site(tmp_path: Path) -> Path:
    """A small Hexo site: posts under source/_posts, a README without front matter."""
    posts = tmp_path / "source" / "_posts"
    posts.mkdir(parents=True)
    shutil.copy(POSTS / "bad-post.md", posts / "shanghai.md")
    shutil.copy(POSTS / "good-post.md", posts / "fine.md")
    (tmp_path / "_config.yml").write_text("title: My site\n", encoding="utf-8")
    return tmp_path


def test_workflow_annotations_step(tmp_path: Path) -> None:
    command = step_command("lint", "Lint posts")
    proc = run_step(command, site(tmp_path))
    assert proc.returncode == 1, proc.stderr  # the job fails on findings
    lines = proc.stdout.splitlines()
    assert lines == [
        "::error file=source/_posts/shanghai.md,line=1,col=1,endLine=1,endColumn=1,"
        "title=FM002 front-matter-not-at-start::FM002 [front-matter-not-at-start] front "
        "matter starts on line 2, after blank line; Jekyll and Hexo only read it on line 1",
        "::error file=source/_posts/shanghai.md,line=11,col=7,endLine=11,endColumn=36,"
        "title=FM011 non-iso-date::FM011 [non-iso-date] 'date' is not ISO 8601: "
        "'Tue, 20 Apr 2021 02:55:35 GMT' (ISO 8601: 2021-04-20T02:55:35Z)",
    ]
    # After the fixes, the same step passes and prints nothing.
    shutil.copy(POSTS / "good-post.md", tmp_path / "source" / "_posts" / "shanghai.md")
    proc = run_step(command, tmp_path)
    assert (proc.returncode, proc.stdout) == (0, "")


def test_workflow_sarif_step(tmp_path: Path) -> None:
    command = step_command("code-scanning", "Lint posts to SARIF")
    proc = run_step(command, site(tmp_path))
    assert proc.returncode == 0, proc.stderr  # --exit-zero: the upload step must still run
    workflow = WORKFLOW.read_text(encoding="utf-8")
    sarif_file = re.search(r"sarif_file:\s*(\S+)", workflow)
    assert sarif_file
    log = json.loads((tmp_path / sarif_file.group(1)).read_text(encoding="utf-8"))
    schema = json.loads((FIXTURES / "sarif" / "sarif-schema-2.1.0.json").read_text("utf-8-sig"))
    jsonschema.validators.validator_for(schema)(schema).validate(log)
    assert [r["ruleId"] for r in log["runs"][0]["results"]] == ["FM002", "FM011"]
