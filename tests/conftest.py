"""Shared fixtures: paths of the bundled seeds and test reports, and one materialized pipeline."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pytest

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "raw"
FIXTURES = ROOT / "tests" / "fixtures"

SEED_FILES = {
    "000": "000_60f2b87b7f23535f.txt",
    "001": "001_23e3c9aae683d728.txt",
    "002": "002_0f363eaae7a2256d.txt",
    "003": "003_910d79ecf003d37e.txt",
    "004": "004_421764b0991b05e3.txt",
}


@dataclass
class Pipeline:
    raw_dir: Path
    warehouse: Path
    dagster_home: Path
    results: list  # ExecuteInProcessResult of each run, in order

    def sql(self, query: str, params: list | None = None) -> pl.DataFrame:
        from orchestration.lib.warehouse import query as run_query

        return run_query(self.warehouse, query, params)

    def run(self):
        from dagster import DagsterInstance

        from orchestration.definitions import defs

        with DagsterInstance.get() as instance:
            result = defs.resolve_job_def("xxgk_refresh").execute_in_process(instance=instance, raise_on_error=False)
        self.results.append(result)
        return result


@contextmanager
def materialize(tmp: Path, raw_files: list[Path]) -> Iterator[Pipeline]:
    """A fresh raw dir, warehouse and DAGSTER_HOME under tmp, with the env pointing at them."""
    raw_dir, home = tmp / "raw", tmp / "dagster_home"
    raw_dir.mkdir()
    home.mkdir()
    shutil.copy(ROOT / "orchestration" / "dagster.yaml", home / "dagster.yaml")
    for src in raw_files:
        shutil.copy(src, raw_dir / src.name)
    env = {
        "XXGK_RAW_DIR": str(raw_dir),
        "XXGK_WAREHOUSE": str(tmp / "wh" / "xxgk.duckdb"),
        "DAGSTER_HOME": str(home),
    }
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        yield Pipeline(raw_dir, Path(env["XXGK_WAREHOUSE"]), home, [])
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def wait_for_file(path: Path, proc: subprocess.Popen, limit_s: float = 600) -> None:
    """Block until ``path`` exists; fail if ``proc`` exits first (or after ``limit_s``, a safety net)."""
    deadline = time.monotonic() + limit_s
    while not path.exists():
        if proc.poll() is not None:
            pytest.fail(f"process {proc.args!r} exited with {proc.returncode} before {path.name} appeared")
        if time.monotonic() > deadline:
            pytest.fail(f"{path.name} did not appear within {limit_s} s")
        time.sleep(0.05)


PIPELINE_FIXTURES = sorted((FIXTURES / "pipeline").glob("*.txt"))


@pytest.fixture(scope="session")
def pipeline(tmp_path_factory) -> Iterator[Pipeline]:
    """The five seeds plus the pipeline test reports, materialized once through the Dagster job."""
    seeds = [RAW / name for name in SEED_FILES.values()]
    with materialize(tmp_path_factory.mktemp("pipeline"), seeds + PIPELINE_FIXTURES) as p:
        p.run()
        yield p
