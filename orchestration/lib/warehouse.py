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
    "stg_value_relations": schemas.VALUE_RELATIONS,
    "stg_report_sections": schemas.SECTIONS,
}

#: Tables holding what the parser made of each content (replaced per report_id on reparse).
PARSED_TABLES = ("stg_reports", "stg_indicator_values", "stg_quarantine", "stg_value_relations", "stg_report_sections")

_SQL_TYPES = {
    pl.String: "varchar",
    pl.Int64: "bigint",
    pl.Int32: "integer",
    pl.Float64: "double",
    pl.Date: "date",
    pl.Boolean: "boolean",
}


def _sql_type(dtype: pl.DataType) -> str:
    if isinstance(dtype, pl.List):
        return f"{_sql_type(dtype.inner)}[]"
    return _SQL_TYPES[dtype.base_type()]


def ddl(table: str, schema: pl.Schema) -> str:
    cols = ", ".join(f"{name} {_sql_type(dtype)}" for name, dtype in schema.items())
    return f"create table if not exists {SCHEMA}.{table} ({cols})"


@contextmanager
def connect(
    path: Path, *, read_only: bool = False, memory_limit: str | None = None
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection closed on exit; ``memory_limit`` (e.g. "2GB") bounds DuckDB's memory (it spills beyond)."""
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    config = {"memory_limit": memory_limit} if memory_limit else {}
    con = duckdb.connect(str(path), read_only=read_only, config=config)
    try:
        yield con
    finally:
        con.close()


def ensure_staging(con: duckdb.DuckDBPyConnection) -> None:
    """Create the staging tables; a table whose columns differ from the contract is recreated
    (its rows were written by an older parser version and are parsed again)."""
    con.execute(f"create schema if not exists {SCHEMA}")
    existing = con.execute(
        "select table_name, list(column_name order by ordinal_position) from information_schema.columns "
        "where table_schema = ? group by table_name",
        [SCHEMA],
    ).fetchall()
    for table, columns in existing:
        if table in TABLES and columns != TABLES[table].names():
            con.execute(f"drop table {SCHEMA}.{table} cascade")
    for table, schema in TABLES.items():
        con.execute(ddl(table, schema))


def read_table(path: Path, table: str) -> pl.DataFrame:
    """A staging table as a frame in its contract schema (empty if the warehouse is new)."""
    schema = TABLES[table]
    if not path.exists():
        return schemas.empty(schema)
    with connect(path, read_only=True) as con:
        columns = [
            name
            for (name,) in con.execute(
                "select column_name from information_schema.columns where table_schema = ? and table_name = ? "
                "order by ordinal_position",
                [SCHEMA, table],
            ).fetchall()
        ]
        if columns != schema.names():  # absent, or written under an older contract: parsed again
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
    relations: pl.DataFrame,
    sections: pl.DataFrame | None = None,
) -> None:
    """Replace everything known about ``drop_ids`` (reparsed or gone) with the new rows, atomically.

    ``sections`` (schemas.SECTIONS, the six sections of gov2019/gov2021 reports) may be omitted: no rows.
    """
    with connect(path) as con:
        ensure_staging(con)
        con.begin()
        drop = pl.DataFrame({"report_id": drop_ids}, schema={"report_id": pl.String})
        con.register("drop_ids", drop.to_arrow())
        for table in PARSED_TABLES:
            con.execute(f"delete from {SCHEMA}.{table} where report_id in (select report_id from drop_ids)")
        _insert(con, "stg_reports", reports)
        _insert(con, "stg_indicator_values", values)
        _insert(con, "stg_quarantine", quarantine)
        _insert(con, "stg_value_relations", relations)
        if sections is not None:
            _insert(con, "stg_report_sections", sections)
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


def row_counts(path: Path, tables: tuple[str, ...]) -> dict[str, int]:
    """Rows in each staging table (table names come from TABLES, never from input)."""
    assert set(tables) <= set(TABLES)
    sql = " union all ".join(f"select '{t}' as t, count(*) as n from {SCHEMA}.{t}" for t in tables)
    return dict(query(path, sql).iter_rows())


def is_built(path: Path) -> bool:
    """Whether dbt has built this warehouse before (its incremental models exist): a later build is
    a refresh of the reports that changed, else every report is built."""
    if not path.exists():
        return False
    sql = (
        "select count(*) from duckdb_tables()"
        " where schema_name = 'intermediate' and table_name = 'int_report_signatures'"
    )
    with connect(path, read_only=True) as con:
        return con.sql(sql).fetchall()[0][0] > 0


def query(path: Path, sql: str, params: list | None = None) -> pl.DataFrame:
    """A read-only query as a polars frame (for checks, summaries and tests)."""
    with connect(path, read_only=True) as con:
        return pl.from_arrow(con.sql(sql, params=params).to_arrow_table())
