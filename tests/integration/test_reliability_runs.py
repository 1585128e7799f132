"""Crashes, overlapping runs and repeated runs, each through real `python -m orchestration.run` processes.

One module-scoped world (the tests share it and run in file order): state A (three seeds) is built while
a fresh warehouse is built from all five reports in parallel; two reports are added; a run killed during
the staging load and one killed during dbt must both leave A exactly; then two overlapping runs must
serialise (the second waits for the first's lock, no DuckDB lock error), the first must equal the fresh
build, and the second, a repeat without raw changes, must change no byte of any table.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg
import duckdb
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from orchestration.defs.ingest.resources import XxgkWarehouse
from orchestration.lib import publish
from tests.conftest import FIXTURES, RAW, ROOT, SEED_FILES, wait_for_file

pytestmark = pytest.mark.integration

SCHEMAS = ("staging", "seeds", "intermediate", "marts")
LOCK_ERRORS = ("Could not set lock", "Conflicting lock")
MARTS = [
    f"marts.{name}"
    for name in (
        "dim_report",
        "dim_agency",
        "dim_indicator",
        "dim_table_cell",
        "fct_indicator_value",
        "fct_check_violation",
        "fct_report_section",
        "mart_agency_year",
        "mart_indicator_year",
        "mart_year",
    )
]

#: `orchestration.run` paused inside a write transaction: the first insert into a staging table
#: (argv[3] "stg_", the staging load) or into raw_files (argv[3] "raw_files", the first step of every run)
#: touches argv[1] and then waits for argv[2] to exist (or forever, for a kill).
DRIVER = """
import sys, time
from pathlib import Path
from orchestration.lib import warehouse
marker, release, prefix = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
insert = warehouse._insert
def paused_insert(con, table, frame):
    if table.startswith(prefix) and not marker.exists():
        marker.touch()
        while not release.exists():
            time.sleep(0.05)
    return insert(con, table, frame)
warehouse._insert = paused_insert
from orchestration import run
sys.exit(run.main())
"""


@dataclass
class World:
    tmp: Path
    raw: Path
    warehouse: Path
    home: Path
    fresh: subprocess.Popen | None = None  # an uninterrupted build of the final raw files in another warehouse
    state_a: dict[str, pl.DataFrame] = field(default_factory=dict)
    state_b: dict[str, pl.DataFrame] = field(default_factory=dict)
    bytes_b: dict[str, tuple[str, list]] = field(default_factory=dict)

    def start(self, log: str, *, pause: tuple[str, str] | None = None, raw=None, warehouse=None, home=None):
        """A run as a process group; ``pause=(name, table prefix)``: the DRIVER, with marker/release files."""
        env = {
            **os.environ,
            "XXGK_RAW_DIR": str(raw or self.raw),
            "XXGK_WAREHOUSE": str(warehouse or self.warehouse),
            "DAGSTER_HOME": str(home or self.home),
            "PYTHONPATH": str(ROOT),
            "PYTHONUNBUFFERED": "1",
        }
        args = ["-m", "orchestration.run"]
        if pause:
            args = ["-c", DRIVER, str(self.marker(pause[0])), str(self.release(pause[0])), pause[1]]
        out = (self.tmp / log).open("w")
        return subprocess.Popen(
            [sys.executable, *args], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )

    def marker(self, name: str) -> Path:
        return self.tmp / f"{name}.paused"

    def release(self, name: str) -> Path:
        return self.tmp / f"{name}.release"

    def output(self, log: str) -> str:
        return (self.tmp / log).read_text(encoding="utf-8", errors="replace")

    def finish(self, proc: subprocess.Popen, log: str) -> str:
        rc = proc.wait(900)
        text = self.output(log)
        assert rc == 0, text[-3000:]
        assert not any(err in text for err in LOCK_ERRORS)
        return text


def kill_group(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(60)


def wait_for_output(world: World, log: str, proc: subprocess.Popen, pattern: str, limit_s: float = 900) -> None:
    deadline = time.monotonic() + limit_s
    while not re.search(pattern, world.output(log)):
        assert proc.poll() is None, f"run exited with {proc.returncode} before {pattern!r}: {world.output(log)[-2000:]}"
        assert time.monotonic() < deadline, f"no {pattern!r} within {limit_s} s"
        time.sleep(0.2)


def tables(db: Path) -> list[str]:
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            "select table_schema || '.' || table_name from information_schema.tables "
            "where table_schema in (select unnest(?)) order by 1",
            [list(SCHEMAS)],
        ).fetchall()
    return [name for (name,) in rows]


def snapshot(db: Path) -> dict[str, pl.DataFrame]:
    """Every table and view of the warehouse, rows sorted by all columns."""
    with duckdb.connect(str(db), read_only=True) as con:
        return {t: pl.from_arrow(con.sql(f"select * from {t} order by all").to_arrow_table()) for t in tables(db)}


def fingerprints(db: Path, out: Path) -> dict[str, tuple[str, list]]:
    """Per table: sha256 of a canonical CSV export (rows sorted by all columns) and the exact column types."""
    result = {}
    with duckdb.connect(str(db), read_only=True) as con:
        for t in tables(db):
            schema, name = t.split(".")
            out.mkdir(exist_ok=True)
            csv = out / f"{t}.csv"
            con.execute(f"copy (select * from {t} order by all) to '{csv}' (header)")
            types = con.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_schema = ? and table_name = ? order by ordinal_position",
                [schema, name],
            ).fetchall()
            result[t] = (hashlib.sha256(csv.read_bytes()).hexdigest(), types)
    return result


#: Lineage: which dbt invocation built a row of an incremental model; differs between two separate builds.
BUILD_ID = "dbt_invocation_id"


def assert_same_state(
    actual: dict[str, pl.DataFrame], expected: dict[str, pl.DataFrame], *, other_build: bool = False
) -> None:
    """Equal tables; ``other_build``: the expected state was built by another run (build ids differ)."""
    assert sorted(actual) == sorted(expected)
    for name, frame in expected.items():
        mine = actual[name]
        if other_build and BUILD_ID in frame.columns:
            assert mine[BUILD_ID].null_count() == 0 and frame[BUILD_ID].null_count() == 0
            mine, frame = mine.drop(BUILD_ID).sort(pl.all()), frame.drop(BUILD_ID).sort(pl.all())
        try:
            assert_frame_equal(mine, frame, check_exact=True)
        except AssertionError as exc:
            raise AssertionError(f"{name} differs: {exc}") from None


def assert_unlocked(world: World) -> None:
    """No process holds the run lock or DuckDB's write lock; the killed run left its working copy behind."""
    leftovers = [p for p in world.warehouse.parent.iterdir() if publish.PENDING in p.name]
    assert leftovers, "the killed run wrote no working copy"
    with publish.run_lock(world.warehouse, "test", timeout=0), duckdb.connect(str(world.warehouse)):
        pass
    assert not any(publish.PENDING in p.name for p in world.warehouse.parent.iterdir())


def test_a_failed_writer_step_publishes_nothing_and_readers_see_the_run_s_copy(tmp_path: Path):
    db = tmp_path / "w.duckdb"
    seen: list[int] = []

    @dg.asset
    def writes(context, warehouse: XxgkWarehouse) -> None:  # (string annotations: dagster needs it bare)
        with warehouse.writing(context) as path, duckdb.connect(str(path)) as con:
            con.execute("create or replace table t as select 1 as i")

    @dg.asset(deps=[writes])
    def reads(warehouse: XxgkWarehouse) -> None:
        with duckdb.connect(str(warehouse.read_path()), read_only=True) as con:
            seen.append(con.execute("select count(*) from t").fetchone()[0])

    @dg.asset(deps=[reads])
    def fails(context, warehouse: XxgkWarehouse) -> None:
        with warehouse.writing(context) as path, duckdb.connect(str(path)) as con:
            con.execute("insert into t values (2)")
            raise RuntimeError("a writer step fails half way")

    resources = {"warehouse": XxgkWarehouse(warehouse=str(db))}
    with dg.DagsterInstance.ephemeral() as instance:
        failed = dg.materialize([writes, reads, fails], resources=resources, instance=instance, raise_on_error=False)
        assert not failed.success and seen == [1]  # the reader saw this run's copy, not the (absent) warehouse
        assert list(tmp_path.iterdir()) == [publish.lock_path(db)]  # nothing published, the copy discarded
        assert dg.materialize([writes, reads], resources=resources, instance=instance).success
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select list(i) from t").fetchone()[0] == [1]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.duckdb", "w.duckdb.lock"]


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Iterator[World]:
    tmp = tmp_path_factory.mktemp("reliability")
    w = World(tmp, tmp / "raw", tmp / "wh" / "xxgk.duckdb", tmp / "home")
    seeds = [RAW / SEED_FILES[key] for key in ("000", "001", "002")]
    added = [FIXTURES / "pipeline" / name for name in ("consistent_2016.txt", "planted_error_2017.txt")]
    for directory, files in ((w.raw, seeds), (tmp / "fresh_raw", seeds + added)):
        directory.mkdir()
        for src in files:
            shutil.copy2(src, directory)  # same mtimes in both raw dirs: equal raw_files tables
    w.fresh = w.start("fresh.log", raw=tmp / "fresh_raw", warehouse=tmp / "fresh" / "x.duckdb", home=tmp / "fresh_home")
    w.finish(w.start("a.log"), "a.log")
    w.state_a = snapshot(w.warehouse)
    assert w.state_a["marts.dim_report"].height == 3
    for src in added:
        shutil.copy2(src, w.raw)
    yield w
    if w.fresh.poll() is None:
        kill_group(w.fresh)


def test_run_killed_inside_the_staging_load_leaves_the_warehouse_as_it_was(world: World):
    proc = world.start("killed_staging.log", pause=("staging", "stg_"))  # never released
    wait_for_file(world.marker("staging"), proc)
    kill_group(proc)
    assert_same_state(snapshot(world.warehouse), world.state_a)
    assert_unlocked(world)


def test_run_killed_during_dbt_leaves_the_warehouse_as_it_was(world: World):
    proc = world.start("killed_dbt.log")
    wait_for_output(world, "killed_dbt.log", proc, r"OK created sql table model marts\.dim_agency")
    kill_group(proc)
    assert "Finished dbt command" not in world.output("killed_dbt.log")  # killed half way through dbt
    assert_same_state(snapshot(world.warehouse), world.state_a)
    assert_unlocked(world)


def test_overlapping_runs_serialise_and_the_next_run_equals_an_uninterrupted_build(world: World):
    first = world.start("overlap_1.log", pause=("first", "raw_files"))
    wait_for_file(world.marker("first"), first)  # the first run holds the lock and is writing
    second = world.start("overlap_2.log", pause=("second", "raw_files"))
    wait_for_output(world, "overlap_2.log", second, r"Waiting for .*another run is writing it \(run ")
    assert not world.marker("second").exists()
    world.release("first").touch()
    wait_for_file(world.marker("second"), second)  # the first run has published; the second is writing
    first_out = world.finish(first, "overlap_1.log")
    assert f"Published {world.warehouse}" in first_out and "Waiting for" not in first_out
    world.state_b = snapshot(world.warehouse)
    world.bytes_b = fingerprints(world.warehouse, world.tmp / "csv_b")
    assert world.state_b["marts.dim_report"].height == 5
    world.finish(world.fresh, "fresh.log")
    assert_same_state(world.state_b, snapshot(world.tmp / "fresh" / "x.duckdb"), other_build=True)
    world.release("second").touch()
    second_out = world.finish(second, "overlap_2.log")
    assert second_out.index("Waiting for") < second_out.index(f"Published {world.warehouse}")


def test_a_repeated_run_without_raw_changes_changes_no_byte(world: World):
    """The second overlapping run repeated the first on the same raw files."""
    after = fingerprints(world.warehouse, world.tmp / "csv_after")
    assert set(MARTS) <= set(after)
    assert sorted(after) == sorted(world.bytes_b)
    assert {t: v for t, v in after.items() if v != world.bytes_b[t]} == {}
    assert_same_state(snapshot(world.warehouse), world.state_b)
