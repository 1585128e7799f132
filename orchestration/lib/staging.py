"""Raw dir → staging tables, incrementally by content hash (no Dagster imports)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from orchestration.lib import raw_files, warehouse
from orchestration.lib.parsing import decode_files, parse_documents
from orchestration.lib.schemas import (
    INDICATOR_VALUES,
    PARSER_VERSION,
    QUARANTINE,
    REPORTS,
    SECTIONS,
    VALUE_RELATIONS,
)

BATCH_SIZE = 5_000  # documents decoded and parsed together; bounds memory on large backfills


@dataclass(frozen=True)
class InventoryStats:
    files: int
    hashed: int
    bytes: int
    distinct_contents: int


@dataclass(frozen=True)
class StagingStats:
    parsed_now: int  # documents parsed in this run (new, changed, or parsed by an older parser)
    skipped: int  # documents already staged at the current parser version
    removed: int  # documents no longer present in the raw dir
    row_counts: dict[str, int]  # rows now in each parsed staging table
    reports_preview: pl.DataFrame
    quarantine_preview: pl.DataFrame


def refresh_inventory(raw_dir: Path, db: Path) -> InventoryStats:
    previous = warehouse.read_table(db, "raw_files")
    files, hashed = raw_files.inventory(raw_dir, previous)
    warehouse.replace_raw_files(db, files)
    return InventoryStats(
        files=files.height,
        hashed=hashed,
        bytes=int(files["size_bytes"].sum() or 0),
        distinct_contents=files["sha256"].n_unique(),
    )


def _read_contents(raw_dir: Path, todo: pl.DataFrame) -> pl.DataFrame:
    contents = [(raw_dir / p).read_bytes() for p in todo["source_file"]]
    return todo.with_columns(content=pl.Series(contents, dtype=pl.Binary))


def _concat(frames: list[pl.DataFrame], schema: pl.Schema) -> pl.DataFrame:
    return pl.concat(frames) if frames else pl.DataFrame(schema=schema)


def refresh_staging(raw_dir: Path, db: Path, batch_size: int = BATCH_SIZE) -> StagingStats:
    files = warehouse.read_table(db, "raw_files")
    contents = files.group_by("sha256").agg(source_file=pl.col("path").min()).rename({"sha256": "report_id"})
    done = pl.concat(
        [
            warehouse.read_table(db, "stg_reports").select("report_id", "parser_version"),
            warehouse.read_table(db, "stg_quarantine").select("report_id", "parser_version"),
        ]
    )
    current = done.filter(pl.col("parser_version") == PARSER_VERSION).select("report_id")
    todo = contents.join(current, on="report_id", how="anti").sort("source_file")
    gone = done.join(contents, on="report_id", how="anti")["report_id"].to_list()

    reports, values, quarantine, relations, sections = [], [], [], [], []
    for start in range(0, todo.height, batch_size):
        batch = _read_contents(raw_dir, todo.slice(start, batch_size))
        docs, undecodable = decode_files(batch)
        result = parse_documents(docs)
        reports.append(result.reports)
        values.append(result.values)
        relations.append(result.relations)
        sections.append(result.sections)
        quarantine.extend([undecodable, result.quarantine])

    new_reports = _concat(reports, REPORTS)
    new_values = _concat(values, INDICATOR_VALUES)
    new_quarantine = _concat(quarantine, QUARANTINE)
    new_relations = _concat(relations, VALUE_RELATIONS)
    new_sections = _concat(sections, SECTIONS)
    warehouse.apply_parse(
        db,
        drop_ids=todo["report_id"].to_list() + gone,
        reports=new_reports,
        values=new_values,
        quarantine=new_quarantine,
        relations=new_relations,
        sections=new_sections,
    )
    counts = warehouse.row_counts(db, warehouse.PARSED_TABLES)
    return StagingStats(
        parsed_now=todo.height,
        skipped=contents.height - todo.height,
        removed=len(gone),
        row_counts=counts,
        reports_preview=new_reports.select("source_file", "agency_name", "report_year", "template").head(10),
        quarantine_preview=new_quarantine.select("source_file", "reason", "detail").head(10),
    )
