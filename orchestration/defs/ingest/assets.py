"""Raw layer (file inventory) and staging layer (polars parse → DuckDB staging tables)."""

import dagster as dg

from orchestration.defs.ingest.resources import WRITER_POOL, XxgkWarehouse
from orchestration.lib import staging
from orchestration.lib.reporting import markdown_table

STAGING_KEYS = {
    name: dg.AssetKey(["staging", name]) for name in ("stg_reports", "stg_indicator_values", "stg_quarantine")
}
RAW_FILES_KEY = dg.AssetKey(["staging", "raw_files"])


def _markdown(frame) -> dg.MetadataValue:
    return dg.MetadataValue.md(markdown_table(frame))


@dg.asset(
    key=RAW_FILES_KEY,
    group_name="raw",
    pool=WRITER_POOL,
    description="Every file under the raw dir with path, size, mtime and sha256 (a report's identity).",
    kinds={"duckdb", "python"},
)
def raw_files(warehouse: XxgkWarehouse) -> dg.MaterializeResult:
    settings = warehouse.settings()
    stats = staging.refresh_inventory(settings.raw_dir, settings.warehouse)
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
        dg.AssetSpec(
            STAGING_KEYS["stg_reports"],
            deps=[RAW_FILES_KEY],
            group_name="staging",
            kinds={"duckdb", "polars"},
            description="One row per distinct parsed report: title, agency, year, publish date, template.",
        ),
        dg.AssetSpec(
            STAGING_KEYS["stg_indicator_values"],
            deps=[RAW_FILES_KEY],
            group_name="staging",
            kinds={"duckdb", "polars"},
            description="Every statistics-table row with its source line.",
        ),
        dg.AssetSpec(
            STAGING_KEYS["stg_quarantine"],
            deps=[RAW_FILES_KEY],
            group_name="staging",
            kinds={"duckdb", "polars"},
            description="Raw contents that are not a parseable report, with the reason.",
        ),
    ],
    pool=WRITER_POOL,
    description="Parse new or changed raw contents with polars (skip by content hash) and load staging atomically.",
)
def staged_reports(warehouse: XxgkWarehouse):
    settings = warehouse.settings()
    stats = staging.refresh_staging(settings.raw_dir, settings.warehouse)
    run = {"parsed_now": stats.parsed_now, "skipped_unchanged": stats.skipped, "removed": stats.removed}
    yield dg.MaterializeResult(
        asset_key=STAGING_KEYS["stg_reports"],
        metadata={**run, "dagster/row_count": stats.reports, "preview": _markdown(stats.reports_preview)},
    )
    yield dg.MaterializeResult(
        asset_key=STAGING_KEYS["stg_indicator_values"], metadata={**run, "dagster/row_count": stats.values}
    )
    yield dg.MaterializeResult(
        asset_key=STAGING_KEYS["stg_quarantine"],
        metadata={
            **run,
            "dagster/row_count": stats.quarantined,
            "preview": _markdown(stats.quarantine_preview),
        },
    )
