"""Raw dir → staging tables, incrementally by content hash (no Dagster imports).

Contents are decoded, parsed and loaded batch by batch (one warehouse.apply_parse per batch), so
memory is bounded by one batch — at most BATCH_SIZE documents and about BATCH_BYTES of raw bytes —
whatever the size of the run. Nothing is read that cannot be: an entry the inventory could not
read (raw_files.read_error) is quarantined as ``unreadable``, a file over the size limit
(XXGK_MAX_FILE_BYTES, settings.max_file_bytes) as ``too_large``, and a file that vanished or became
unreadable since the inventory as ``unreadable`` — each without stopping the others.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from orchestration.lib import raw_files, settings, warehouse
from orchestration.lib.parsing import parse_files, shutdown_workers
from orchestration.lib.schemas import PARSER_VERSION, QUARANTINE

BATCH_SIZE = 5_000  # documents decoded and parsed together; bounds memory on large backfills
BATCH_BYTES = 256_000_000  # raw bytes read into one batch (a batch closes at whichever limit comes first)
_PREVIEW = 10


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


def _quarantine(rows: list[tuple[str, str, str, str]]) -> pl.DataFrame:
    """QUARANTINE rows from (report_id, source_file, reason, detail)."""
    return pl.DataFrame([(*row, PARSER_VERSION) for row in rows], schema=QUARANTINE, orient="row")


def _too_large(size: int, limit: int) -> str:
    return f"{size:,} bytes, over the limit of {limit:,} bytes (XXGK_MAX_FILE_BYTES); not parsed"


def _set_aside(todo: pl.DataFrame, limit: int) -> pl.DataFrame:
    """Quarantine rows for the contents that are not read at all: unreadable or too large."""
    rows = [
        (rid, path, "unreadable", error) if error is not None else (rid, path, "too_large", _too_large(size, limit))
        for rid, path, size, error in todo.select("report_id", "source_file", "size_bytes", "read_error").iter_rows()
        if error is not None or size > limit
    ]
    return _quarantine(rows)


def _read_contents(raw_dir: Path, todo: pl.DataFrame, limit: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(todo with a `content` column, quarantine) — a file that vanished, became unreadable or grew
    over the limit since the inventory is quarantined instead of read."""
    read, bad = [], []
    for rid, path in todo.select("report_id", "source_file").iter_rows():
        try:
            with open(raw_dir / path, "rb") as fh:
                data = fh.read(limit + 1)
        except OSError as exc:
            detail = f"could not be read at staging: {raw_files.describe_error(exc, raw_dir / path)}"
            bad.append((rid, path, "unreadable", detail))
            continue
        if len(data) > limit:
            bad.append((rid, path, "too_large", f"grew since the inventory: {_too_large(len(data), limit)}"))
        else:
            read.append((rid, path, data))
    contents = pl.DataFrame(
        read, schema={"report_id": pl.String, "source_file": pl.String, "content": pl.Binary}, orient="row"
    )
    return contents, _quarantine(bad)


def _batches(todo: pl.DataFrame, batch_size: int, batch_bytes: int) -> Iterator[pl.DataFrame]:
    """Consecutive slices of todo, each at most batch_size rows and batch_bytes bytes (or one row)."""
    start, total = 0, 0
    for i, size in enumerate(todo["size_bytes"].to_list()):
        if i > start and (i - start >= batch_size or total + size > batch_bytes):
            yield todo.slice(start, i - start)
            start, total = i, 0
        total += size
    if start < todo.height:
        yield todo.slice(start)


def _pending(db: Path, contents: pl.DataFrame, limit: int) -> tuple[pl.DataFrame, list[str]]:
    """(contents to parse now, report_ids no longer in the raw dir).

    A content is done when staged at the current parser version — except a ``too_large`` one that
    now fits under the limit, and an ``unreadable`` one whose cause changed or that the inventory
    now reads (it failed at staging only): those are tried again.
    """
    quarantined = warehouse.read_table(db, "stg_quarantine")
    done = pl.concat(
        [
            warehouse.read_table(db, "stg_reports").select("report_id", "parser_version"),
            quarantined.select("report_id", "parser_version"),
        ]
    )
    stale = quarantined.join(contents, on="report_id").filter(
        ((pl.col("reason") == "too_large") & (pl.col("size_bytes") <= limit))
        | ((pl.col("reason") == "unreadable") & pl.col("detail").ne_missing(pl.col("read_error")))
    )
    current = done.filter(pl.col("parser_version") == PARSER_VERSION).join(stale, on="report_id", how="anti")
    todo = contents.join(current, on="report_id", how="anti").sort("source_file")
    gone = done.join(contents, on="report_id", how="anti")["report_id"].unique().to_list()
    return todo, gone


def refresh_staging(
    raw_dir: Path,
    db: Path,
    batch_size: int = BATCH_SIZE,
    max_file_bytes: int | None = None,
    batch_bytes: int = BATCH_BYTES,
    workers: int | None = None,
) -> StagingStats:
    """Parse and load every content not yet staged at PARSER_VERSION; ``workers`` processes parse
    each batch (default XXGK_PARSE_WORKERS, i.e. the CPU count); they are stopped when done."""
    limit = settings.max_file_bytes() if max_file_bytes is None else max_file_bytes
    workers = settings.parse_workers() if workers is None else workers
    files = warehouse.read_table(db, "raw_files")
    contents = files.group_by("sha256").agg(
        source_file=pl.col("path").min(),
        size_bytes=pl.col("size_bytes").max(),
        read_error=pl.col("read_error").first(),
    )
    contents = contents.rename({"sha256": "report_id"})
    todo, gone = _pending(db, contents, limit)

    set_aside = _set_aside(todo, limit)
    to_read = todo.join(set_aside, on="report_id", how="anti")
    # The first load also removes the contents gone from the raw dir; each batch is one transaction.
    warehouse.apply_parse(
        db,
        drop_ids=set_aside["report_id"].to_list() + gone,
        reports=pl.DataFrame(),
        values=pl.DataFrame(),
        quarantine=set_aside,
        relations=pl.DataFrame(),
    )
    reports_preview, quarantine_preview = [], [set_aside.head(_PREVIEW)]
    try:
        for batch in _batches(to_read, batch_size, batch_bytes):
            read, unread = _read_contents(raw_dir, batch, limit)
            result, undecodable = parse_files(read, workers=workers)
            del read
            quarantine = pl.concat([unread, undecodable, result.quarantine])
            warehouse.apply_parse(
                db,
                drop_ids=batch["report_id"].to_list(),
                reports=result.reports,
                values=result.values,
                quarantine=quarantine,
                relations=result.relations,
                sections=result.sections,
            )
            reports_preview.append(result.reports.head(_PREVIEW))
            quarantine_preview.append(quarantine.head(_PREVIEW))
    finally:
        shutdown_workers()  # no idle worker processes (and their memory) outlive the step

    counts = warehouse.row_counts(db, warehouse.PARSED_TABLES)
    reports = pl.concat(reports_preview) if reports_preview else pl.DataFrame(schema=warehouse.TABLES["stg_reports"])
    return StagingStats(
        parsed_now=todo.height,
        skipped=contents.height - todo.height,
        removed=len(gone),
        row_counts=counts,
        reports_preview=reports.select("source_file", "agency_name", "report_year", "template").head(_PREVIEW),
        quarantine_preview=pl.concat(quarantine_preview).select("source_file", "reason", "detail").head(_PREVIEW),
    )
