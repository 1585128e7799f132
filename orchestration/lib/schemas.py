"""Explicit schemas of the frames that cross the parser → DuckDB → dbt boundary.

These are the warehouse contract of the ``staging`` schema: the dbt sources in
``dbt_project/models/staging/_sources.yml`` describe exactly these columns.
"""

from __future__ import annotations

import polars as pl

#: Bumped whenever parsing changes what it extracts: reports parsed by an older
#: version are parsed again on the next run, everything else is skipped by hash.
PARSER_VERSION = "2"

TEMPLATES = ("pre2019_table", "narrative")

#: One row per file under the raw dir.
RAW_FILES = pl.Schema(
    {
        "path": pl.String,  # posix path relative to the raw dir
        "size_bytes": pl.Int64,
        "mtime_ns": pl.Int64,
        "sha256": pl.String,  # content hash: a report's identity
    }
)

#: A decoded document handed to the parser.
DOCUMENTS = pl.Schema(
    {
        "report_id": pl.String,  # sha256 of the raw bytes
        "source_file": pl.String,
        "encoding": pl.String,
        "text": pl.String,
    }
)

#: staging.stg_reports — one row per distinct parsed report.
REPORTS = pl.Schema(
    {
        "report_id": pl.String,
        "source_file": pl.String,
        "encoding": pl.String,
        "title": pl.String,
        "title_line": pl.Int32,
        "agency_name": pl.String,  # as titled, e.g. 灵武市临河镇
        "agency_level": pl.String,  # 乡镇 | 街道 | 县区政府 | 县区部门 | 市政府 | 市部门 | 省政府 | 省部门 | NULL
        "report_year": pl.Int32,
        "publish_date": pl.Date,
        "template": pl.String,  # one of TEMPLATES
        "table_start_line": pl.Int32,  # header line of the statistics table, NULL if none
        "n_lines": pl.Int32,
        "n_chars": pl.Int64,
        "parser_version": pl.String,
    }
)

#: staging.stg_indicator_values — one row per statistics-table row (and later per prose value).
INDICATOR_VALUES = pl.Schema(
    {
        "report_id": pl.String,
        "indicator_code": pl.String,  # dbt seed indicator_catalogue
        "breakdown": pl.String,  # '' for single-column tables
        "raw_label": pl.String,  # the row label as printed (wrapped lines joined)
        "unit": pl.String,  # unit cell as printed, NULL if none
        "raw_value": pl.String,  # value cell as printed, '' if blank
        "value": pl.Float64,  # NULL when blank or an empty marker
        "qualifier": pl.String,  # exact | approx | at_least | stated_none
        "source_kind": pl.String,  # table | prose
        "source_line": pl.Int32,  # 1-based line of the decoded file holding the value
    }
)

#: staging.stg_quarantine — one row per distinct file content that is not a parseable report.
QUARANTINE = pl.Schema(
    {
        "report_id": pl.String,  # sha256 of the raw bytes
        "source_file": pl.String,
        "reason": pl.String,  # empty_file | binary_file | undecodable | not_a_report
        "detail": pl.String,
        "parser_version": pl.String,
    }
)


def empty(schema: pl.Schema) -> pl.DataFrame:
    return pl.DataFrame(schema=schema)
