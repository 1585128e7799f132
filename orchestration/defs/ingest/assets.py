"""Raw layer (file inventory) and staging layer (polars parse → DuckDB staging tables)."""

import dagster as dg

from orchestration.defs.ingest.resources import XxgkWarehouse
from orchestration.lib import staging
from orchestration.lib.reporting import markdown_table

STAGING_TABLES = {
    "stg_reports": "One row per distinct parsed report: title, agency, level, region, year, dates, contacts, flags.",
    "stg_indicator_values": "Every statistics-table row and prose quantity, with its source line and evidence.",
    "stg_value_relations": "Sums stated in prose (a whole and its parts), checked like the table sums.",
    "stg_quarantine": "Raw contents that are not a parseable report, with the reason.",
    "stg_report_sections": "The six sections of gov2019/gov2021 reports: heading, line range and text of each.",
}
STAGING_KEYS = {name: dg.AssetKey(["staging", name]) for name in STAGING_TABLES}
RAW_FILES_KEY = dg.AssetKey(["staging", "raw_files"])


def _markdown(frame) -> dg.MetadataValue:
    return dg.MetadataValue.md(markdown_table(frame))


@dg.asset(
    key=RAW_FILES_KEY,
    group_name="raw",
    description="Every file under the raw dir with path, size, mtime and sha256 (a report's identity).",
    kinds={"duckdb", "python"},
)
def raw_files(context: dg.AssetExecutionContext, warehouse: XxgkWarehouse) -> dg.MaterializeResult:
    settings = warehouse.settings()
    with warehouse.writing(context) as db:
        stats = staging.refresh_inventory(settings.raw_dir, db)
    return dg.MaterializeResult(
        metadata={
            "files": stats.files,
            "hashed_now": stats.hashed,
            "bytes": stats.bytes,
            "distinct_contents": stats.distinct_contents,
            "raw_dir": str(settings.raw_dir),
        }
    )


@dg.multi_asset(
    specs=[
        dg.AssetSpec(key, deps=[RAW_FILES_KEY], group_name="staging", kinds={"duckdb", "polars"}, description=text)
        for key, text in zip(STAGING_KEYS.values(), STAGING_TABLES.values(), strict=True)
    ],
    description="Parse new or changed raw contents with polars (skip by content hash) and load staging atomically.",
)
def staged_reports(context: dg.AssetExecutionContext, warehouse: XxgkWarehouse):
    with warehouse.writing(context) as db:
        stats = staging.refresh_staging(warehouse.settings().raw_dir, db)
    run = {"parsed_now": stats.parsed_now, "skipped_unchanged": stats.skipped, "removed": stats.removed}
    previews = {"stg_reports": stats.reports_preview, "stg_quarantine": stats.quarantine_preview}
    for name, key in STAGING_KEYS.items():
        metadata = {**run, "dagster/row_count": stats.row_counts[name]}
        if name in previews:
            metadata["preview"] = _markdown(previews[name])
        yield dg.MaterializeResult(asset_key=key, metadata=metadata)
