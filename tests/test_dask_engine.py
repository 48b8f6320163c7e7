"""`contentkit convert --engine dask` on a real distributed.LocalCluster with two worker
processes: the same bytes as the local engine, for every post and every output format."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from distributed import Client, LocalCluster

from contentkit.scaleout import ConvertOptions, convert_many

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "perf"


@pytest.fixture(scope="module")
def cluster() -> Iterator[LocalCluster]:
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as c:
        yield c


def make_posts(root: Path) -> Path:
    folder = root / "posts"
    for i, post in enumerate(sorted(FIXTURES.glob("*.md")) * 3):
        sub = folder / f"part-{i % 2}"
        sub.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(post, sub / f"{i:02d}-{post.name}")
    (folder / "part-0" / "not-utf8.md").write_bytes(b"---\ntitle: x\n---\n<p>\xff\xfe</p>\n")
    return folder


def tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


@pytest.mark.parametrize("to", ["markdown", "jsonl"])
def test_dask_output_is_byte_identical_to_local(
    run_cli, tmp_path: Path, cluster: LocalCluster, to: str
) -> None:
    posts = make_posts(tmp_path)
    local = run_cli("convert", str(posts), "--to", to, "--output-dir", str(tmp_path / "local"))
    remote = run_cli(
        "convert", str(posts), "--to", to, "--output-dir", str(tmp_path / "dask"),
        "--engine", "dask", "--scheduler", cluster.scheduler_address,
    )  # fmt: skip
    # One post is not UTF-8: both engines report it the same way and convert the rest.
    assert local.returncode == remote.returncode == 1
    assert "not-utf8.md" in local.stderr and "not-utf8.md" in remote.stderr
    assert local.stderr.replace(str(tmp_path / "local"), "OUT") == remote.stderr.replace(
        str(tmp_path / "dask"), "OUT"
    )
    ours, theirs = tree(tmp_path / "local"), tree(tmp_path / "dask")
    assert ours == theirs
    assert len(ours) == (1 if to == "jsonl" else 24)
    # The work ran on the cluster's workers, as tasks of the per-post function.
    assert "convert_batch" in cluster.scheduler.task_prefixes


def test_python_api_on_a_client_matches_local(tmp_path: Path, cluster: LocalCluster) -> None:
    posts = make_posts(tmp_path)
    options = ConvertOptions(to="json", project_links="strip", normalize_dates=True)
    local = list(convert_many([posts], options, jobs=2))
    with Client(cluster) as client:
        remote = list(convert_many([posts], options, engine="dask", scheduler=client))
    assert [(r.shown, r.output, r.error) for r in remote] == [
        (r.shown, r.output, r.error) for r in local
    ]
    assert sum(r.output is not None for r in local) == 24


def test_dask_engine_needs_a_scheduler(run_cli, tmp_path: Path) -> None:
    posts = make_posts(tmp_path)
    result = run_cli("convert", str(posts), "--output-dir", str(tmp_path / "o"), "--engine", "dask")
    assert result.returncode == 2
    assert "--scheduler" in result.stderr and "Traceback" not in result.stderr
    bad = run_cli("convert", str(posts), "--output-dir", str(tmp_path / "o"), "--engine", "spark")
    assert bad.returncode == 2 and "unknown --engine" in bad.stderr


def test_local_engine_on_two_jobs_matches_one(run_cli, tmp_path: Path) -> None:
    posts = make_posts(tmp_path)
    for jobs in ("1", "2"):
        run_cli("convert", str(posts), "--to", "json", "-o", str(tmp_path / f"j{jobs}"), "-j", jobs)
    assert tree(tmp_path / "j1") == tree(tmp_path / "j2")
    assert len(tree(tmp_path / "j1")) == 24
