"""Decoded documents → REPORTS, INDICATOR_VALUES, VALUE_RELATIONS and QUARANTINE frames (schemas.py).

One lines frame for the whole batch; metadata and table rows are found with polars
expressions over the raw lines, values from prose over a cleaned view of the lines between the
title and the table (clean.py, prose.py). A document that is not a report is quarantined, never
dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from orchestration.lib.parsing.catalogue import load_catalogue, prepare_catalogue
from orchestration.lib.parsing.clean import clean_documents
from orchestration.lib.parsing.gov import extract_gov
from orchestration.lib.parsing.lines import explode_lines, normalised_text
from orchestration.lib.parsing.metadata import (
    TITLE_MAX_LINE,
    find_metadata,
    find_table_starts,
    find_titles,
)
from orchestration.lib.parsing.prose import PatternRules, extract_prose, load_rules
from orchestration.lib.parsing.segments import in_pairs
from orchestration.lib.parsing.table_pre2019 import extract_table_values
from orchestration.lib.schemas import (
    DOCUMENTS,
    INDICATOR_VALUES,
    PARSER_VERSION,
    QUARANTINE,
    REPORTS,
    SECTIONS,
    VALUE_RELATIONS,
)

#: A statistics table needs at least this many catalogue rows with cells to make a report pre2019_table.
MIN_TABLE_ROWS = 5

NOT_A_REPORT_DETAIL = (
    f"no title naming an agency, a year and 政府信息公开…报告 (or 政务公开工作报告) in the first {TITLE_MAX_LINE} lines"
)


@dataclass(frozen=True)
class ParseResult:
    """Frames in the exact schemas of schemas.py."""

    reports: pl.DataFrame  # REPORTS
    values: pl.DataFrame  # INDICATOR_VALUES (table rows and prose values)
    quarantine: pl.DataFrame  # QUARANTINE
    relations: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=VALUE_RELATIONS))  # VALUE_RELATIONS
    sections: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=SECTIONS))  # SECTIONS


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
        relations=pl.DataFrame(schema=VALUE_RELATIONS),
        sections=pl.DataFrame(schema=SECTIONS),
    )


#: REPORTS columns filled elsewhere (region.find_regions, contacts.find_contacts): NULL here.
_LATER_COLUMNS = (
    "agency_short_name",
    "province",
    "city",
    "county",
    "region_source",
    "contact_address",
    "contact_postcode",
    "contact_phone",
    "contact_email",
    "contact_website",
)


def _parse_batch(docs: pl.DataFrame, catalogue: pl.DataFrame, rules: PatternRules) -> ParseResult:
    docs = docs.with_columns(text=normalised_text(pl.col("text"))).with_row_index("doc")  # doc: UInt32
    empty_text = pl.col("text").str.strip_chars() == ""
    lines = explode_lines(docs.filter(~empty_text))

    titles = find_titles(lines)
    report_lines = lines.filter(pl.col("doc").is_in(titles["doc"].implode()))
    starts = find_table_starts(report_lines)
    meta = find_metadata(report_lines, titles, starts).drop("title", "title_line", "agency_name")
    gov = extract_gov(report_lines, titles)
    gov_docs = gov.templates["doc"].implode()
    # A national-template report has 表二/表三/表四, never the pre-2019 table: its cells are read once.
    table = extract_table_values(report_lines, starts, catalogue).filter(~pl.col("doc").is_in(gov_docs))
    starts = pl.concat(
        [
            starts.filter(~pl.col("doc").is_in(gov_docs)),
            gov.table_lines.group_by("doc").agg(
                table_start_line=pl.col("line_no").min().cast(pl.Int32), region_start=pl.lit(None, pl.Int32)
            ),
        ],
        how="vertical_relaxed",
    )

    # Prose: the lines after the title, above the pre-2019 table (table rows are never read as prose);
    # in a national-template report every line but those of its three tables.
    bounds = titles.select("doc", "title_line", "title").join(
        starts.select("doc", end_line="region_start"), on="doc", how="left"
    )
    prose_lines = report_lines.filter(~in_pairs(gov.table_lines, "doc", "line_no"))
    cleaned = clean_documents(prose_lines, bounds, rules)
    prose, prose_relations = extract_prose(cleaned.lines, rules)

    n_table_rows = (
        table.filter(pl.col("has_cells")).group_by("doc").agg(n_table_rows=pl.col("indicator_code").n_unique())
    )
    # Lines as an editor counts them (lines.line_counts): explode_lines numbers exactly those.
    sizes = (
        report_lines.group_by("doc")
        .agg(n_lines=pl.col("line_no").max())
        .join(
            docs.join(titles.select("doc"), on="doc", how="semi").select(
                "doc", n_chars=pl.col("text").str.len_chars().cast(pl.Int64)
            ),
            on="doc",
            how="inner",
        )
    )
    reports = (
        docs.select("doc", "report_id", "source_file", "encoding")
        .join(titles, on="doc", how="inner")
        .join(sizes, on="doc", how="left")
        .join(meta, on="doc", how="left")
        .join(starts, on="doc", how="left")
        .join(n_table_rows, on="doc", how="left")
        .join(cleaned.flags, on="doc", how="left")
        .join(gov.templates.rename({"template": "gov_template"}), on="doc", how="left")
        .sort("doc")
        .select(
            "report_id",
            "source_file",
            "encoding",
            "title",
            "title_line",
            "agency_name",
            "agency_level",
            "report_year",
            "publish_date",
            template=pl.coalesce(
                "gov_template",
                pl.when(pl.col("n_table_rows").fill_null(0) >= MIN_TABLE_ROWS)
                .then(pl.lit("pre2019_table"))
                .otherwise(pl.lit("narrative")),
            ),
            **{name: name for name in _LATER_COLUMNS},
            cleaning_flags=pl.col("cleaning_flags").fill_null(pl.lit([], dtype=pl.List(pl.String))),
            table_start_line="table_start_line",
            n_lines="n_lines",
            n_chars="n_chars",
            parser_version=pl.lit(PARSER_VERSION),
        )
        .select(REPORTS.names())
        .cast(REPORTS)
    )

    # Table rows: the evidence is the row's line as printed (white space at both ends removed).
    row_lines = report_lines.filter(in_pairs(table, "doc", "line_no", other_b="source_line")).select(
        "doc", source_line="line_no", evidence=pl.col("line").str.strip_chars()
    )
    # Both sources share INDICATOR_VALUES' columns; only breakdown (table rows have none) and source_kind differ.
    value_columns = [c for c in INDICATOR_VALUES.names() if c not in ("report_id", "breakdown", "source_kind")]
    table_values = table.join(row_lines, on=["doc", "source_line"], how="left").select(
        "doc", *value_columns, breakdown=pl.lit(""), source_kind=pl.lit("table")
    )
    prose_values = prose.select("doc", *value_columns, "breakdown", source_kind=pl.lit("prose"))
    gov_values = gov.values.select("doc", *value_columns, "breakdown", source_kind=pl.lit("table"))
    # doc is the row of the document in docs (with_row_index above): its report_id without a join.
    report_id = pl.lit(docs["report_id"]).gather(pl.col("doc"))
    # Prose first (the pre-2019 table stands below it), each part in its own order; sorted stably by line.
    values = (
        pl.concat(
            [
                prose_values,
                table_values.select(prose_values.columns).cast(prose_values.schema),
                gov_values.select(prose_values.columns).cast(prose_values.schema),
            ]
        )
        .with_columns(report_id=report_id)
        .sort("doc", "source_line", maintain_order=True)
        .select(INDICATOR_VALUES.names())
        .cast(INDICATOR_VALUES)
    )
    relations = (
        prose_relations.with_columns(report_id=report_id)
        .sort("doc", maintain_order=True)
        .select(VALUE_RELATIONS.names())
        .cast(VALUE_RELATIONS)
    )

    sections = (
        gov.sections.with_columns(report_id=report_id)
        .sort("doc", "section_no", maintain_order=True)
        .select(SECTIONS.names())
        .cast(SECTIONS)
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
    origins = docs.filter(pl.col("line_origin").is_not_null()).select("report_id", "line_origin")
    return ParseResult(
        reports=to_source_lines(reports, origins, ["title_line", "table_start_line"]),
        values=to_source_lines(values, origins, ["source_line"]),
        quarantine=quarantine,
        relations=to_source_lines(relations, origins, ["source_line"]),
        sections=to_source_lines(sections, origins, ["start_line", "end_line"]),
    )


def to_source_lines(frame: pl.DataFrame, origins: pl.DataFrame, columns: list[str]) -> pl.DataFrame:
    """Line numbers of documents derived from HTML (``origins``: report_id, line_origin) → lines of the
    raw file: derived line n is raw line ``line_origin[n - 1]``. Other documents are left as they are."""
    if origins.is_empty() or frame.is_empty():
        return frame
    mapped = frame.join(origins, on="report_id", how="left", maintain_order="left")
    return mapped.with_columns(
        pl.when(pl.col("line_origin").is_not_null())
        .then(pl.col("line_origin").list.get(pl.col(c).cast(pl.Int64) - 1, null_on_oob=True))
        .otherwise(pl.col(c))
        .cast(frame.schema[c])
        .alias(c)
        for c in columns
    ).select(frame.columns)


def _parse_one_by_one(docs: pl.DataFrame, catalogue: pl.DataFrame, rules: PatternRules) -> ParseResult:
    """Fallback when a batch fails: parse each document alone; one that still fails is quarantined."""
    reports, values, quarantine, relations, sections = [], [], [], [], []
    for i in range(docs.height):
        one = docs.slice(i, 1)
        try:
            result = _parse_batch(one, catalogue, rules)
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
        relations.append(result.relations)
        sections.append(result.sections)
    empty = _empty_result()
    return ParseResult(
        reports=pl.concat([empty.reports, *reports]),
        values=pl.concat([empty.values, *values]),
        quarantine=pl.concat([empty.quarantine, *quarantine]),
        relations=pl.concat([empty.relations, *relations]),
        sections=pl.concat([empty.sections, *sections]),
    )


def parse_documents(docs: pl.DataFrame, catalogue: pl.DataFrame | None = None) -> ParseResult:
    """Parse a batch of decoded documents (DOCUMENTS schema; extra columns are ignored).

    Every distinct report_id ends up in exactly one of ``reports`` or ``quarantine``
    (duplicates of a report_id: the first row wins). ``catalogue`` defaults to the repository's
    dbt seed (catalogue.load_catalogue()).
    """
    if "line_origin" not in docs.columns:  # plain-text documents: lines are the file's own
        docs = docs.with_columns(line_origin=pl.lit(None, dtype=DOCUMENTS["line_origin"]))
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
    rules = load_rules()  # a broken pattern file raises here rather than quarantining every report
    try:
        return _parse_batch(docs, cat, rules)
    except Exception:
        return _parse_one_by_one(docs, cat, rules)
