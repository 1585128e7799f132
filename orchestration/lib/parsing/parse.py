"""Decoded documents → REPORTS, INDICATOR_VALUES and QUARANTINE frames (schemas.py).

One lines frame for the whole batch; metadata and table rows are found with polars
expressions over it. A document that is not a report is quarantined, never dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from orchestration.lib.parsing.catalogue import load_catalogue, prepare_catalogue
from orchestration.lib.parsing.lines import explode_lines, line_counts, normalised_text
from orchestration.lib.parsing.metadata import (
    TITLE_MAX_LINE,
    agency_level,
    find_period_years,
    find_publish_dates,
    find_table_starts,
    find_titles,
)
from orchestration.lib.parsing.table_pre2019 import extract_table_values
from orchestration.lib.schemas import DOCUMENTS, INDICATOR_VALUES, PARSER_VERSION, QUARANTINE, REPORTS

#: A statistics table needs at least this many catalogue rows with cells to make a report pre2019_table.
MIN_TABLE_ROWS = 5

NOT_A_REPORT_DETAIL = (
    f"no title naming an agency, a year and 政府信息公开…报告 (or 政务公开工作报告) in the first {TITLE_MAX_LINE} lines"
)


@dataclass(frozen=True)
class ParseResult:
    """Frames in the exact schemas of schemas.py."""

    reports: pl.DataFrame  # REPORTS
    values: pl.DataFrame  # INDICATOR_VALUES
    quarantine: pl.DataFrame  # QUARANTINE


_CATALOGUE_CACHE: dict[str, pl.DataFrame] = {}


def default_catalogue() -> pl.DataFrame:
    """The repository's catalogue, read once per process."""
    if "default" not in _CATALOGUE_CACHE:
        _CATALOGUE_CACHE["default"] = load_catalogue()
    return _CATALOGUE_CACHE["default"]


def _empty_result() -> ParseResult:
    return ParseResult(
        reports=pl.DataFrame(schema=REPORTS),
        values=pl.DataFrame(schema=INDICATOR_VALUES),
        quarantine=pl.DataFrame(schema=QUARANTINE),
    )


def _parse_batch(docs: pl.DataFrame, catalogue: pl.DataFrame) -> ParseResult:
    docs = docs.with_columns(text=normalised_text(pl.col("text"))).with_row_index("doc")  # doc: UInt32
    empty_text = pl.col("text").str.strip_chars() == ""
    lines = explode_lines(docs.filter(~empty_text))

    titles = find_titles(lines)
    dates = find_publish_dates(lines, titles)
    periods = find_period_years(lines)
    report_lines = lines.filter(pl.col("doc").is_in(titles["doc"].implode()))
    starts = find_table_starts(report_lines)
    table = extract_table_values(report_lines, starts, catalogue)

    n_table_rows = (
        table.filter(pl.col("has_cells")).group_by("doc").agg(n_table_rows=pl.col("indicator_code").n_unique())
    )
    reports = (
        docs.join(titles, on="doc", how="inner")
        .join(dates, on="doc", how="left")
        .join(periods, on="doc", how="left")
        .join(starts, on="doc", how="left")
        .join(n_table_rows, on="doc", how="left")
        .sort("doc")
        .select(
            "report_id",
            "source_file",
            "encoding",
            "title",
            "title_line",
            "agency_name",
            agency_level=agency_level(pl.col("agency_name")),
            report_year=pl.coalesce(
                "title_year",
                "period_year",
                pl.col("publish_date").dt.year().cast(pl.Int32) - 1,
            ),
            publish_date="publish_date",
            template=pl.when(pl.col("n_table_rows").fill_null(0) >= MIN_TABLE_ROWS)
            .then(pl.lit("pre2019_table"))
            .otherwise(pl.lit("narrative")),
            table_start_line="table_start_line",
            n_lines=line_counts(pl.col("text")),
            n_chars=pl.col("text").str.len_chars().cast(pl.Int64),
            parser_version=pl.lit(PARSER_VERSION),
        )
        .cast(REPORTS)
    )

    values = (
        table.join(docs.select("doc", "report_id"), on="doc", how="inner")
        .sort("doc", "source_line")
        .select(
            "report_id",
            "indicator_code",
            breakdown=pl.lit(""),
            raw_label="raw_label",
            unit="unit",
            raw_value="raw_value",
            value="value",
            qualifier="qualifier",
            source_kind=pl.lit("table"),
            source_line="source_line",
        )
        .cast(INDICATOR_VALUES)
    )

    quarantine = (
        docs.join(titles.select("doc"), on="doc", how="anti")
        .sort("doc")
        .select(
            "report_id",
            "source_file",
            reason=pl.when(empty_text).then(pl.lit("empty_file")).otherwise(pl.lit("not_a_report")),
            detail=pl.when(empty_text)
            .then(pl.lit("decoded text is empty or only white space"))
            .otherwise(pl.lit(NOT_A_REPORT_DETAIL)),
            parser_version=pl.lit(PARSER_VERSION),
        )
        .cast(QUARANTINE)
    )
    return ParseResult(reports=reports, values=values, quarantine=quarantine)


def _parse_one_by_one(docs: pl.DataFrame, catalogue: pl.DataFrame) -> ParseResult:
    """Fallback when a batch fails: parse each document alone; one that still fails is quarantined."""
    reports, values, quarantine = [], [], []
    for i in range(docs.height):
        one = docs.slice(i, 1)
        try:
            result = _parse_batch(one, catalogue)
        except Exception as exc:  # a parser bug must not lose the document nor stop the batch
            quarantine.append(
                pl.DataFrame(
                    {
                        "report_id": one["report_id"],
                        "source_file": one["source_file"],
                        "reason": ["not_a_report"],
                        "detail": [f"parser error: {type(exc).__name__}: {exc}"[:500]],
                        "parser_version": [PARSER_VERSION],
                    },
                    schema=QUARANTINE,
                )
            )
            continue
        reports.append(result.reports)
        values.append(result.values)
        quarantine.append(result.quarantine)
    empty = _empty_result()
    return ParseResult(
        reports=pl.concat([empty.reports, *reports]),
        values=pl.concat([empty.values, *values]),
        quarantine=pl.concat([empty.quarantine, *quarantine]),
    )


def parse_documents(docs: pl.DataFrame, catalogue: pl.DataFrame | None = None) -> ParseResult:
    """Parse a batch of decoded documents (DOCUMENTS schema; extra columns are ignored).

    Every distinct report_id ends up in exactly one of ``reports`` or ``quarantine``
    (duplicates of a report_id: the first row wins). ``catalogue`` defaults to the repository's
    dbt seed (catalogue.load_catalogue()).
    """
    missing = [c for c in DOCUMENTS.names() if c not in docs.columns]
    if missing:
        raise ValueError(f"parse_documents: missing columns {missing}")
    docs = docs.select(DOCUMENTS.names()).cast(DOCUMENTS).unique(subset="report_id", keep="first", maintain_order=True)
    if docs.is_empty():
        return _empty_result()
    if catalogue is None:
        cat = default_catalogue()
    elif "match_key" in catalogue.columns:
        cat = catalogue
    else:
        cat = prepare_catalogue(catalogue)
    try:
        return _parse_batch(docs, cat)
    except Exception:
        return _parse_one_by_one(docs, cat)
