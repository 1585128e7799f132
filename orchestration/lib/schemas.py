"""Explicit schemas of the frames that cross the parser → DuckDB → dbt boundary.

These are the warehouse contract of the ``staging`` schema: the dbt sources in
``dbt_project/models/staging/_sources.yml`` describe exactly these columns.
"""

from __future__ import annotations

import polars as pl

#: Bumped whenever parsing changes what it extracts: reports parsed by an older
#: version are parsed again on the next run, everything else is skipped by hash.
PARSER_VERSION = "4"

TEMPLATES = ("pre2019_table", "gov2019", "gov2021", "narrative")

#: One row per file under the raw dir.
RAW_FILES = pl.Schema(
    {
        "path": pl.String,  # posix path relative to the raw dir
        "size_bytes": pl.Int64,
        "mtime_ns": pl.Int64,
        "sha256": pl.String,  # content hash: a report's identity (raw_files.unreadable_id(path) if unreadable)
        "read_error": pl.String,  # why the entry cannot be read (symlink loop, permission, ...); NULL if readable
    }
)

#: A decoded document handed to the parser.
DOCUMENTS = pl.Schema(
    {
        "report_id": pl.String,  # sha256 of the raw bytes
        "source_file": pl.String,
        "encoding": pl.String,
        "text": pl.String,
        # Saved web pages (.html/.htm) are parsed as the text derived from their HTML; element i is the
        # 1-based line of the raw file that derived line i + 1 came from. NULL for plain-text files.
        "line_origin": pl.List(pl.Int32),
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
        "agency_short_name": pl.String,  # the name without administrative prefixes: 临河镇, 机关事务局
        "province": pl.String,  # full names from the administrative-division dataset: 四川省
        "city": pl.String,  # 眉山市
        "county": pl.String,  # 仁寿县
        "region_source": pl.String,  # how the region was resolved: title | text | area_code | postcode | NULL
        "contact_address": pl.String,
        "contact_postcode": pl.String,
        "contact_phone": pl.String,  # as printed, e.g. 028-37010111
        "contact_email": pl.String,
        "contact_website": pl.String,
        "cleaning_flags": pl.List(pl.String),  # e.g. web_chrome, spam_injection, traditional_chars, page_furniture
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
        "evidence": pl.String,  # the table row or the prose sentence the value was read from
    }
)

#: staging.stg_value_relations — arithmetic stated in prose ("共…N条，其中 a条、b条…"): per relation,
#: the parent value and each part; checked like the table sums (parts add up to the whole).
VALUE_RELATIONS = pl.Schema(
    {
        "report_id": pl.String,
        "relation_id": pl.String,  # unique within the report, e.g. "prose_sum_1"
        "relation_kind": pl.String,  # prose_sum
        "parent_indicator_code": pl.String,
        "parent_breakdown": pl.String,
        "child_indicator_code": pl.String,
        "child_breakdown": pl.String,
        "source_line": pl.Int32,  # line of the sentence stating the sum
    }
)

#: staging.stg_report_sections — the six sections of a gov2019/gov2021 report (一、总体情况 … 六、其他需要报告的事项),
#: so that analysts can read e.g. 五、存在的主要问题及改进情况 per agency.
SECTIONS = pl.Schema(
    {
        "report_id": pl.String,
        "section_no": pl.Int32,  # 1 … 6, as numbered by the national template
        "heading": pl.String,  # the heading line as printed (stripped)
        "start_line": pl.Int32,  # line of the heading
        "end_line": pl.Int32,  # last line of the section (the line before the next heading, or the last line)
        "text": pl.String,  # the section's lines below the heading, joined by newlines (tables included)
    }
)

#: staging.stg_quarantine — one row per distinct file content that is not a parseable report.
QUARANTINE = pl.Schema(
    {
        "report_id": pl.String,  # sha256 of the raw bytes
        "source_file": pl.String,
        # empty_file | binary_file | undecodable | not_a_report | parse_error | unreadable | too_large
        "reason": pl.String,
        "detail": pl.String,
        "parser_version": pl.String,
    }
)


def empty(schema: pl.Schema) -> pl.DataFrame:
    return pl.DataFrame(schema=schema)
