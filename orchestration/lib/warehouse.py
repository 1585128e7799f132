"""DuckDB I/O for the ``staging`` schema: DDL from the polars contract, bulk loads through Arrow.

Every function opens and closes its own connection: DuckDB allows one writer per
file, so nothing may hold a connection across assets or while dbt runs.
Writes happen in one transaction each, so a crash leaves the previous state.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import polars as pl

from orchestration.lib import schemas

SCHEMA = "staging"

TABLES: dict[str, pl.Schema] = {
    "raw_files": schemas.RAW_FILES,
    "stg_reports": schemas.REPORTS,
    "stg_indicator_values": schemas.INDICATOR_VALUES,
    "stg_quarantine": schemas.QUARANTINE,
}

_SQL_TYPES = {
    pl.String: "varchar",
    pl.Int64: "bigint",
    pl.Int32: "integer",
    pl.Float64: "double",
    pl.Date: "date",
    pl.Boolean: "boolean",
}


def ddl(table: str, schema: pl.Schema) -> str:
    cols = ", ".join(f"{name} {_SQL_TYPES[dtype.base_type()]}" for name, dtype in schema.items())
    return f"create table if not exists {SCHEMA}.{table} ({cols})"


@contextmanager
def connect(path: Path, *, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path), read_only=read_only)
    try:
        yield con
    finally:
        con.close()


def ensure_staging(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"create schema if not exists {SCHEMA}")
    for table, schema in TABLES.items():
        con.execute(ddl(table, schema))


def read_table(path: Path, table: str) -> pl.DataFrame:
    """A staging table as a frame in its contract schema (empty if the warehouse is new)."""
    schema = TABLES[table]
    if not path.exists():
        return schemas.empty(schema)
    with connect(path, read_only=True) as con:
        (exists,) = con.execute(
            "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
            [SCHEMA, table],
        ).fetchall()[0]
        if not exists:
            return schemas.empty(schema)
        return pl.from_arrow(con.sql(f"select * from {SCHEMA}.{table}").to_arrow_table()).cast(schema)


def replace_raw_files(path: Path, files: pl.DataFrame) -> None:
    with connect(path) as con:
        ensure_staging(con)
        con.begin()
        con.execute(f"delete from {SCHEMA}.raw_files")
        _insert(con, "raw_files", files)
        con.commit()


def apply_parse(
    path: Path,
    *,
    drop_ids: list[str],
    reports: pl.DataFrame,
    values: pl.DataFrame,
    quarantine: pl.DataFrame,
) -> None:
    """Replace everything known about ``drop_ids`` (reparsed or gone) with the new rows, atomically."""
    with connect(path) as con:
        ensure_staging(con)
        con.begin()
        drop = pl.DataFrame({"report_id": drop_ids}, schema={"report_id": pl.String})
        con.register("drop_ids", drop.to_arrow())
        for table in ("stg_reports", "stg_indicator_values", "stg_quarantine"):
            con.execute(f"delete from {SCHEMA}.{table} where report_id in (select report_id from drop_ids)")
        _insert(con, "stg_reports", reports)
        _insert(con, "stg_indicator_values", values)
        _insert(con, "stg_quarantine", quarantine)
        # A renamed or duplicated file keeps its content identity; show its first current path.
        for table in ("stg_reports", "stg_quarantine"):
            con.execute(
                f"""
                update {SCHEMA}.{table} as t set source_file = f.path
                from (select sha256, min(path) as path from {SCHEMA}.raw_files group by sha256) as f
                where f.sha256 = t.report_id and f.path <> t.source_file
                """
            )
        con.commit()


def _insert(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> None:
    if frame.height == 0:
        return
    con.register("incoming", frame.select(TABLES[table].names()).cast(TABLES[table]).to_arrow())
    con.execute(f"insert into {SCHEMA}.{table} by name select * from incoming")
    con.unregister("incoming")


def query(path: Path, sql: str, params: list | None = None) -> pl.DataFrame:
    """A read-only query as a polars frame (for checks, summaries and tests)."""
    with connect(path, read_only=True) as con:
        return pl.from_arrow(con.sql(sql, params=params).to_arrow_table())
