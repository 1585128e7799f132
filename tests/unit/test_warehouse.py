"""DuckDB staging I/O: contract DDL, atomic replace per report, migration of an older layout."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from orchestration.lib import schemas, warehouse


def _report(report_id: str, name: str) -> pl.DataFrame:
    row = {c: None for c in schemas.REPORTS.names()} | {
        "report_id": report_id,
        "source_file": f"{report_id}.txt",
        "agency_name": name,
        "template": "narrative",
        "cleaning_flags": [],
        "parser_version": schemas.PARSER_VERSION,
    }
    return pl.DataFrame([row], schema=schemas.REPORTS)


def _empty(schema: pl.Schema) -> pl.DataFrame:
    return pl.DataFrame(schema=schema)


def _load(db: Path, drop: list[str], reports: pl.DataFrame) -> None:
    warehouse.apply_parse(
        db,
        drop_ids=drop,
        reports=reports,
        values=_empty(schemas.INDICATOR_VALUES),
        quarantine=_empty(schemas.QUARANTINE),
        relations=_empty(schemas.VALUE_RELATIONS),
    )


def test_tables_follow_the_contract(tmp_path: Path):
    db = tmp_path / "w.duckdb"
    with warehouse.connect(db) as con:
        warehouse.ensure_staging(con)
        for table, schema in warehouse.TABLES.items():
            cols = con.execute(
                "select column_name from information_schema.columns where table_schema='staging' "
                "and table_name=? order by ordinal_position",
                [table],
            ).fetchall()
            assert [c for (c,) in cols] == schema.names()
    assert warehouse.read_table(db, "stg_reports").schema == schemas.REPORTS


def test_apply_parse_replaces_rows_of_reparsed_reports_only(tmp_path: Path):
    db = tmp_path / "w.duckdb"
    _load(db, [], pl.concat([_report("a", "甲镇"), _report("b", "乙镇")]))
    _load(db, ["a"], _report("a", "甲乡"))
    rows = warehouse.query(db, "select report_id, agency_name from staging.stg_reports order by 1")
    assert rows.rows() == [("a", "甲乡"), ("b", "乙镇")]


def test_a_table_written_under_an_older_contract_is_recreated(tmp_path: Path):
    db = tmp_path / "w.duckdb"
    with warehouse.connect(db) as con:
        con.execute("create schema staging")
        con.execute("create table staging.stg_reports (report_id varchar, title varchar)")
        con.execute("insert into staging.stg_reports values ('old', 'x')")
    assert warehouse.read_table(db, "stg_reports").height == 0  # not trusted: parsed again
    _load(db, [], _report("new", "丙镇"))
    assert warehouse.query(db, "select report_id from staging.stg_reports").rows() == [("new",)]


def test_hostile_names_are_data_not_sql(tmp_path: Path):
    db = tmp_path / "w.duckdb"
    name = "x'); drop table staging.stg_reports; --"
    _load(db, [], _report("q", name))
    assert warehouse.query(db, "select agency_name from staging.stg_reports").item() == name


def _sections(report_id: str, texts: list[str]) -> pl.DataFrame:
    rows = [
        {
            "report_id": report_id,
            "section_no": no,
            "heading": f"{no}、",
            "start_line": 10 * no,
            "end_line": 10 * no + 9,
            "text": text,
        }
        for no, text in enumerate(texts, start=1)
    ]
    return pl.DataFrame(rows, schema=schemas.SECTIONS)


def test_sections_are_replaced_with_their_report(tmp_path: Path):
    db = tmp_path / "w.duckdb"

    def load(drop: list[str], reports: pl.DataFrame, sections: pl.DataFrame) -> None:
        warehouse.apply_parse(
            db,
            drop_ids=drop,
            reports=reports,
            values=_empty(schemas.INDICATOR_VALUES),
            quarantine=_empty(schemas.QUARANTINE),
            relations=_empty(schemas.VALUE_RELATIONS),
            sections=sections,
        )

    load(
        [],
        pl.concat([_report("a", "甲镇"), _report("b", "乙镇")]),
        pl.concat([_sections("a", ["旧"]), _sections("b", ["乙"])]),
    )
    load(["a"], _report("a", "甲镇"), _sections("a", ["总体", "主动公开"]))
    rows = warehouse.query(db, "select report_id, section_no, text from staging.stg_report_sections order by 1, 2")
    assert rows.rows() == [("a", 1, "总体"), ("a", 2, "主动公开"), ("b", 1, "乙")]
    assert warehouse.row_counts(db, ("stg_report_sections",)) == {"stg_report_sections": 3}
    # omitted sections: the report's old sections are dropped, none written
    _load(db, ["b"], _report("b", "乙镇"))
    assert warehouse.query(db, "select count(*) from staging.stg_report_sections where report_id = 'b'").item() == 0


def test_is_built_once_dbt_has_built_the_incremental_models(tmp_path: Path):
    db = tmp_path / "w.duckdb"
    assert not warehouse.is_built(db)  # no file yet
    with warehouse.connect(db) as con:
        warehouse.ensure_staging(con)
    assert not warehouse.is_built(db)  # staged, never built by dbt
    with warehouse.connect(db) as con:
        con.execute("create schema intermediate")
        con.execute("create table intermediate.int_report_signatures (report_id varchar)")
    assert warehouse.is_built(db)


def test_connect_bounds_duckdb_memory_when_asked(tmp_path: Path, monkeypatch):
    from orchestration.lib.settings import checks_memory_limit

    db = tmp_path / "w.duckdb"
    with warehouse.connect(db) as con:
        con.execute("create table t (x int)")
    with warehouse.connect(db, read_only=True, memory_limit="300MB") as con:
        limit = con.sql("select current_setting('memory_limit')").fetchall()[0][0]
    assert limit.replace(" ", "") in {"286.1MiB", "300.0MB"}
    monkeypatch.delenv("XXGK_CHECKS_MEMORY_LIMIT", raising=False)
    assert checks_memory_limit() == "1GB"
    monkeypatch.setenv("XXGK_CHECKS_MEMORY_LIMIT", "3GB")
    assert checks_memory_limit() == "3GB"
