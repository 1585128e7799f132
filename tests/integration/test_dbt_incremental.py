"""Incremental dbt models: a refresh after each kind of staging change (reports added, including a
correction that supersedes a version and the middle year of a three-year series; a report's content
changed; a report removed; a report reparsed by a newer parser; a report renamed) leaves every int_ and
mart relation exactly equal to `dbt run --full-refresh` on the same staging, and rebuilds only the
reports the change touches."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from orchestration.lib import staging, warehouse
from tests.conftest import FIXTURES, RAW, ROOT, SEED_FILES

pytestmark = pytest.mark.integration

DBT = ROOT / ".venv" / "bin" / "dbt"
TARGET = "target/test_incremental"
TECHNICAL = {"dbt_invocation_id"}  # differs between any two builds by design
GOV = FIXTURES / "gov"
SERIES = {year: GOV / "series" / f"shaoxing_city_{year}.txt" for year in (2020, 2021, 2022)}


def dbt(db: Path, *args: str) -> str:
    """Run dbt on the warehouse; returns the invocation_id (every node must pass)."""
    proc = subprocess.run(
        [str(DBT) if DBT.exists() else "dbt", *args, "--profiles-dir", ".", "--target-path", TARGET],
        cwd=ROOT / "dbt_project",
        env={**os.environ, "XXGK_WAREHOUSE": str(db)},
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout[-5000:]
    results = json.loads((ROOT / "dbt_project" / TARGET / "run_results.json").read_text(encoding="utf-8"))
    return results["metadata"]["invocation_id"]


def relations(db: Path) -> list[tuple[str, str]]:
    return warehouse.query(
        db,
        "select schema_name, table_name from duckdb_tables() where schema_name in ('intermediate', 'marts')"
        " union all select schema_name, view_name from duckdb_views()"
        " where schema_name in ('intermediate', 'marts') order by all",
    ).rows()


def contents(db: Path, schema: str, name: str) -> pl.DataFrame:
    columns = warehouse.query(
        db,
        "select column_name from information_schema.columns where table_schema = ? and table_name = ?"
        " order by ordinal_position",
        [schema, name],
    )["column_name"].to_list()
    kept = ", ".join(f'"{c}"' for c in columns if c not in TECHNICAL)
    return warehouse.query(db, f'select {kept} from "{schema}"."{name}" order by all')


@dataclass
class Warehouse:
    raw_dir: Path
    db: Path

    def add(self, src: Path, name: str | None = None, content: bytes | None = None) -> None:
        (self.raw_dir / (name or src.name)).write_bytes(src.read_bytes() if content is None else content)

    def stage(self) -> None:
        staging.refresh_inventory(self.raw_dir, self.db)
        staging.refresh_staging(self.raw_dir, self.db)

    def edit(self, sql: str, params: list | None = None) -> None:
        with warehouse.connect(self.db) as con:
            con.execute(sql, params)

    def report_id(self, source_file: str) -> str:
        return warehouse.query(
            self.db, "select report_id from staging.stg_reports where source_file = ?", [source_file]
        ).item()

    def refresh(self, command: str = "run") -> set[str]:
        """An incremental `dbt run` (or `build`: with the data tests) and the files whose values it rebuilt."""
        run = dbt(self.db, *([command, "--exclude-resource-type", "unit_test"] if command == "build" else [command]))
        return set(
            warehouse.query(
                self.db,
                "select distinct source_file from marts.fct_indicator_value where dbt_invocation_id = ?",
                [run],
            )["source_file"].to_list()
        )

    def assert_equals_full_refresh(self, tmp: Path) -> None:
        full = tmp / "full_refresh.duckdb"
        shutil.copy(self.db, full)
        dbt(full, "run", "--full-refresh")
        names = relations(self.db)
        assert names == relations(full)
        assert ("marts", "fct_indicator_value") in names and ("intermediate", "int_rule_evaluations") in names
        for schema, name in names:
            assert_frame_equal(contents(self.db, schema, name), contents(full, schema, name), check_exact=True)
        full.unlink()


@pytest.fixture(scope="module")
def wh(tmp_path_factory) -> Iterator[Warehouse]:
    """Five seed reports, the pipeline reports, two national-template reports and the 2020 and 2022
    reports of a three-year series, built once by a full `dbt build`."""
    tmp = tmp_path_factory.mktemp("incremental")
    raw_dir = tmp / "raw"
    raw_dir.mkdir()
    w = Warehouse(raw_dir, tmp / "xxgk.duckdb")
    for src in [RAW / name for name in SEED_FILES.values()] + sorted((FIXTURES / "pipeline").glob("*.txt")):
        w.add(src)
    for src in (GOV / "g01_deqing_moganshan_2021.txt", GOV / "g02_xihu_beishan_2019.txt", SERIES[2020], SERIES[2022]):
        w.add(src)
    w.stage()
    dbt(w.db, "build", "--exclude-resource-type", "unit_test")  # unit tests: test_dbt_models.py
    yield w


def test_first_build_equals_full_refresh(wh, tmp_path):
    assert warehouse.query(wh.db, "select count(*) from marts.dim_report").item() == 11
    wh.assert_equals_full_refresh(tmp_path)


def test_reports_added(wh, tmp_path):
    """The series' middle year links both neighbours; a correction of 2022 (published later)
    supersedes the original, whose rows change (is_current) too."""
    wh.add(SERIES[2021])
    wh.add(GOV / "g03_suining_county_2022.txt")
    corrected = SERIES[2022].read_text(encoding="utf-8").replace("2023年3月28日", "2023年4月28日")
    wh.add(SERIES[2022], "shaoxing_city_2022_corrected.txt", corrected.encode("utf-8"))
    wh.stage()
    rebuilt = wh.refresh("build")  # the data tests pass on the rows of a refresh
    assert rebuilt == {
        "shaoxing_city_2021.txt",
        "g03_suining_county_2022.txt",
        "shaoxing_city_2022_corrected.txt",
        "shaoxing_city_2022.txt",
    }
    current = warehouse.query(
        wh.db,
        "select source_file from marts.dim_report where report_year = 2022 and is_current and province = '浙江省'",
    )
    assert current["source_file"].to_list() == ["shaoxing_city_2022_corrected.txt"]
    linked = warehouse.query(
        wh.db,
        "select distinct source_file, related_source_file from intermediate.int_rule_evaluations"
        " where related_report_id is not null order by all",
    ).rows()
    assert linked == [
        ("shaoxing_city_2021.txt", "shaoxing_city_2020.txt"),
        ("shaoxing_city_2022_corrected.txt", "shaoxing_city_2021.txt"),
    ]
    wh.assert_equals_full_refresh(tmp_path)


def test_content_changed(wh, tmp_path):
    """A changed file is a new report_id: the old rows go, and the 2022 versions that read 2021 follow."""
    old_id = wh.report_id("shaoxing_city_2021.txt")
    wh.add(SERIES[2021], content=SERIES[2021].read_bytes() + "\n（修订）\n".encode())
    wh.stage()
    assert wh.refresh() == {"shaoxing_city_2021.txt", "shaoxing_city_2022_corrected.txt", "shaoxing_city_2022.txt"}
    for table in ("intermediate.int_rule_evaluations", "marts.fct_indicator_value", "marts.fct_report_section"):
        assert warehouse.query(wh.db, f"select count(*) from {table} where report_id = ?", [old_id]).item() == 0
    wh.assert_equals_full_refresh(tmp_path)


def test_report_removed(wh, tmp_path):
    """Removing 2020 removes its rows and the carry-over evaluations of 2021 that read it."""
    (wh.raw_dir / SERIES[2020].name).unlink()
    wh.stage()
    assert wh.refresh() == {"shaoxing_city_2021.txt"}
    linked = warehouse.query(
        wh.db,
        "select distinct source_file from intermediate.int_rule_evaluations where related_report_id is not null",
    )
    assert linked["source_file"].to_list() == ["shaoxing_city_2022_corrected.txt"]
    wh.assert_equals_full_refresh(tmp_path)


def year_signatures(db: Path) -> dict[int, str]:
    rows = warehouse.query(db, "select distinct report_year, year_signature from marts.mart_indicator_year").rows()
    return dict(rows)


def row_signatures(db: Path) -> dict[str, str]:
    return dict(warehouse.query(db, "select report_id, row_signature from marts.mart_agency_year").rows())


def test_report_reparsed(wh, tmp_path):
    """A newer parser keeps the report_id and reads one value differently: mart_indicator_year rebuilds
    that report's year only (the other years keep their signature), mart_agency_year that report's row."""
    report_id = wh.report_id("g02_xihu_beishan_2019.txt")
    year = warehouse.query(wh.db, "select report_year from staging.stg_reports where report_id = ?", [report_id]).item()
    before, rows_before = year_signatures(wh.db), row_signatures(wh.db)
    wh.edit(
        "update staging.stg_reports set parser_version = parser_version || '+next' where report_id = ?", [report_id]
    )
    wh.edit(
        "update staging.stg_indicator_values set value = value + 1, raw_value = cast(value + 1 as varchar)"
        " where report_id = ? and indicator_code = 't2_normative_docs' and breakdown = '本年新制作数量'",
        [report_id],
    )
    assert wh.refresh() == {"g02_xihu_beishan_2019.txt"}
    after = year_signatures(wh.db)
    assert after.keys() == before.keys() and len(before) >= 3
    assert {y for y in before if before[y] != after[y]} == {year}
    rows_after = row_signatures(wh.db)
    assert rows_after.keys() == rows_before.keys() and len(rows_before) >= 5
    assert {r for r in rows_before if rows_before[r] != rows_after[r]} == {report_id}
    wh.assert_equals_full_refresh(tmp_path)


def test_report_renamed(wh, tmp_path):
    """A renamed file keeps its report_id; its rows name the new path."""
    report_id = wh.report_id("g03_suining_county_2022.txt")
    wh.edit("update staging.stg_reports set source_file = 'renamed/遂宁 2022.txt' where report_id = ?", [report_id])
    wh.edit("update staging.raw_files set path = 'renamed/遂宁 2022.txt' where sha256 = ?", [report_id])
    assert wh.refresh() == {"renamed/遂宁 2022.txt"}
    wh.assert_equals_full_refresh(tmp_path)


def test_refresh_without_changes_rebuilds_nothing(wh):
    assert wh.refresh("build") == set()
