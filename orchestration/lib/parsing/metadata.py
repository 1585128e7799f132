"""Report metadata from the lines frame, for the whole batch at once (polars expressions only).

Every function takes the LINES frame of lines.explode_lines and returns one row per document
that has the item, keyed by ``doc``. The pieces live in titles.py (title, agency, title year),
dates.py (publish date, statistics period, report year), levels.py (agency level), names.py and
region.py (province/city/county, short name), contacts.py (address, postcode, phone, e-mail,
website), table_starts.py (where the statistics table starts); this module re-exports them and
``find_metadata`` assembles everything REPORTS needs about a report in one frame.
"""

from __future__ import annotations

import polars as pl

from orchestration.lib.parsing.contacts import CONTACTS, find_contacts
from orchestration.lib.parsing.dates import (
    BARE_DATE_RE,
    DATE_AFTER_TITLE,
    PERIOD_RE,
    SIGNATURE_LAST_LINES,
    SIGNATURE_RE,
    TOP_DATE_RE,
    find_period_years,
    find_publish_dates,
    report_year,
)
from orchestration.lib.parsing.levels import agency_level, agency_level_with_region
from orchestration.lib.parsing.region import find_regions
from orchestration.lib.parsing.table_starts import (
    TABLE_HEADER_RE,
    TABLE_TITLE_RE,
    find_table_starts,
    table_header_expr,
    table_title_expr,
)
from orchestration.lib.parsing.titles import (
    AGENCY_LINE_RE,
    REPORT_PHRASE,
    SHORT_LINE,
    TITLE_MAX_LINE,
    TITLE_RE,
    YEAR_ONLY_TITLE_RE,
    find_titles,
)

__all__ = [
    "AGENCY_LINE_RE",
    "BARE_DATE_RE",
    "DATE_AFTER_TITLE",
    "METADATA",
    "PERIOD_RE",
    "REPORT_PHRASE",
    "SHORT_LINE",
    "SIGNATURE_LAST_LINES",
    "SIGNATURE_RE",
    "TABLE_HEADER_RE",
    "TABLE_TITLE_RE",
    "TITLE_MAX_LINE",
    "TITLE_RE",
    "TOP_DATE_RE",
    "YEAR_ONLY_TITLE_RE",
    "agency_level",
    "agency_level_with_region",
    "find_contacts",
    "find_metadata",
    "find_period_years",
    "find_publish_dates",
    "find_regions",
    "find_table_starts",
    "find_titles",
    "report_year",
    "table_header_expr",
    "table_title_expr",
]

#: find_metadata: one row per titled document, the REPORTS columns about the report itself.
METADATA = pl.Schema(
    {
        "doc": pl.UInt32,
        "title": pl.String,
        "title_line": pl.Int32,
        "agency_name": pl.String,
        "agency_short_name": pl.String,
        "agency_level": pl.String,
        "report_year": pl.Int32,
        "publish_date": pl.Date,
        "province": pl.String,
        "city": pl.String,
        "county": pl.String,
        "region_source": pl.String,
        **{name: dtype for name, dtype in CONTACTS.items() if name != "doc"},
    }
)


def find_metadata(
    lines: pl.DataFrame, titles: pl.DataFrame | None = None, starts: pl.DataFrame | None = None
) -> pl.DataFrame:
    """METADATA for every document with a title.

    ``lines``: the LINES frame (raw lines: web chrome and signatures are read too); ``titles``:
    find_titles(lines), computed when not given; ``starts``: find_table_starts(lines), computed
    when not given (a signature may stand above an appended table). Title, agency (name, short
    name, region-aware level), report year with its fallbacks, publish date, region and contacts;
    a document without a title has no row (not a report).
    """
    if titles is None:
        titles = find_titles(lines)
    report_lines = lines.join(titles.select("doc"), on="doc", how="semi")
    if starts is None:
        starts = find_table_starts(report_lines)
    regions = find_regions(report_lines, titles)
    return (
        titles.join(find_publish_dates(report_lines, titles, starts), on="doc", how="left")
        .join(find_period_years(report_lines), on="doc", how="left")
        .join(regions, on="doc", how="left")
        .join(find_contacts(report_lines), on="doc", how="left")
        .with_columns(
            agency_level=agency_level_with_region(pl.col("agency_name"), pl.col("name_unit")),
            report_year=report_year(pl.col("title_year"), pl.col("period_year"), pl.col("publish_date")),
        )
        .select(METADATA.names())
        .sort("doc")
        .cast(METADATA)
    )
