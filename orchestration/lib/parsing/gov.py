"""The 2019 and 2021 national templates (gov2019, gov2021): detection, sections, 表二/表三/表四.

Entry point ``extract_gov(lines, titles)``, over the LINES frame of a whole batch; pure polars
(expressions over lines and cells; Python loops only over the handful of label-suffix lengths).
The pieces:

* gov_sections — the six headings and the sections they open;
* gov_zones — where a table can be (zone = table number, from headings and header lines);
* gov_cells — lines → cells (tabs, 2+ spaces, pipes, single-space numbers) and their kinds;
* gov_rows — the cell stream → rows (label run + value run) → catalogue rows by label;
* gov_template — gov2019 vs gov2021 from printed columns and rows;
* gov_assign — one indicator and breakdown set per row, values at their positions;
* gov_values — raw_value, value, qualifier and unit of each cell;
* gov_seeds — the dbt seeds (indicator_catalogue, breakdown_sets) in the shapes joined against.

A document is a national-template report when it has the headings 三 or 四 among at least three of
the six, or at least MIN_VALUED_ROWS table rows with values; nothing is returned for any other.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from orchestration.lib.parsing.gov_assign import choose, header_context, place_values
from orchestration.lib.parsing.gov_cells import drop_page_numbers, explode_cells, keep_value_empties
from orchestration.lib.parsing.gov_rows import aggregate_rows, match_rows, stream_rows
from orchestration.lib.parsing.gov_sections import (
    DISTINCTIVE_SECTIONS,
    GOV_SECTIONS,
    build_sections,
    find_headings,
)
from orchestration.lib.parsing.gov_seeds import GovSeeds, load_gov_seeds
from orchestration.lib.parsing.gov_template import (
    MARKERS,
    TEMPLATES,
    block_families,
    detect_templates,
    header_markers,
    row_markers,
)
from orchestration.lib.parsing.gov_values import parse_values
from orchestration.lib.parsing.gov_zones import header_lines, repeated_headers, zone_lines
from orchestration.lib.parsing.segments import in_pairs, join_pairs
from orchestration.lib.parsing.text import STRIP_CHARS

#: Headings (with one of DISTINCTIVE_SECTIONS) that make a document a national-template report.
MIN_HEADINGS = 3
#: Table rows with values (distinct indicators) that make a document one without its headings.
MIN_VALUED_ROWS = 3

#: Values of the three tables, keyed by doc (the lead adds report_id, source_kind).
GOV_VALUES = pl.Schema(
    {
        "doc": pl.UInt32,
        "indicator_code": pl.String,
        "breakdown": pl.String,  # breakdown_sets.breakdown, canonical
        "raw_label": pl.String,  # the row label as printed (wrapped parts joined)
        "unit": pl.String,
        "raw_value": pl.String,  # the cell as printed, '' when blank
        "value": pl.Float64,  # NULL when blank or an empty marker
        "qualifier": pl.String,
        "source_line": pl.Int32,  # 1-based line of the value cell
        "evidence": pl.String,  # the row's line, or "label … cell" when they are on different lines
    }
)
#: Lines of 表二/表三/表四 (prose extraction skips them).
TABLE_LINES = pl.Schema({"doc": pl.UInt32, "line_no": pl.Int32})


@dataclass(frozen=True)
class GovResult:
    """What extract_gov finds in a batch; every frame holds national-template documents only."""

    templates: pl.DataFrame  # TEMPLATES: doc, template ('gov2019' | 'gov2021'), detected documents only
    values: pl.DataFrame  # GOV_VALUES
    sections: pl.DataFrame  # GOV_SECTIONS: SECTIONS without report_id, plus doc
    table_lines: pl.DataFrame  # TABLE_LINES


_SEEDS_CACHE: dict[str, GovSeeds] = {}


def default_gov_seeds() -> GovSeeds:
    """The repository's seeds, read once per process."""
    if "default" not in _SEEDS_CACHE:
        _SEEDS_CACHE["default"] = load_gov_seeds()
    return _SEEDS_CACHE["default"]


def empty_result() -> GovResult:
    """A GovResult without rows (the schemas above)."""
    return GovResult(
        templates=pl.DataFrame(schema=TEMPLATES),
        values=pl.DataFrame(schema=GOV_VALUES),
        sections=pl.DataFrame(schema=GOV_SECTIONS),
        table_lines=pl.DataFrame(schema=TABLE_LINES),
    )


def _years(titles: pl.DataFrame) -> pl.DataFrame:
    """doc, year: report_year when the frame has it, else title_year."""
    column = next((c for c in ("report_year", "title_year") if c in titles.columns), None)
    if column is None:
        return pl.DataFrame(schema={"doc": pl.UInt32, "year": pl.Int32})
    return titles.select("doc", year=pl.col(column).cast(pl.Int32)).unique(subset="doc", keep="first")


def _gov_docs(headings: pl.DataFrame, chosen: pl.DataFrame, rows: pl.DataFrame) -> pl.DataFrame:
    """doc of every national-template report."""
    by_heading = (
        headings.group_by("doc")
        .agg(n=pl.len(), distinctive=pl.col("section_no").is_in(DISTINCTIVE_SECTIONS).any())
        .filter(pl.col("distinctive") & (pl.col("n") >= MIN_HEADINGS))
        .select("doc")
    )
    by_rows = (
        chosen.join(rows.filter(pl.col("n_filled") > 0).select("doc", "row"), on=["doc", "row"], how="semi")
        .group_by("doc")
        .agg(n=pl.col("indicator_code").n_unique())
        .filter(pl.col("n") >= MIN_VALUED_ROWS)
        .select("doc")
    )
    return pl.concat([by_heading, by_rows]).unique().sort("doc")


def extract_gov(lines: pl.DataFrame, titles: pl.DataFrame, seeds: GovSeeds | None = None) -> GovResult:
    """GovResult of a batch: ``lines`` is the LINES frame, ``titles`` metadata.find_titles(lines)
    (its year only breaks template ties); ``seeds`` defaults to the repository's dbt seeds."""
    seeds = seeds if seeds is not None else default_gov_seeds()
    headings = find_headings(lines)
    headers = header_lines(lines, seeds)
    zoned = zone_lines(lines, headings, headers, titles)
    zoned = zoned.filter(~in_pairs(repeated_headers(lines, headers), "doc", "line_no"))
    if zoned.is_empty() and headings.is_empty():
        return empty_result()

    cells = drop_page_numbers(keep_value_empties(explode_cells(zoned.select("doc", "line_no", "line"))))
    # lid is the row of the cell's line in zoned (explode_cells numbers its input rows).
    cells = cells.with_columns(zone=zoned["zone"].gather(cells["lid"]))
    stream = stream_rows(cells)
    rows = aggregate_rows(stream)
    matches = match_rows(rows, seeds)
    header = header_markers(stream, seeds)
    markers = pl.concat([header, row_markers(matches, rows, seeds)]).cast(MARKERS)
    candidates = pl.concat([headings.select("doc"), rows.select("doc")]).unique()
    templates = detect_templates(candidates, markers, _years(titles))
    chosen = choose(matches, rows, header_context(stream, seeds), templates, block_families(header), seeds)

    gov = _gov_docs(headings, chosen, rows)
    templates = templates.join(gov, on="doc", how="semi")
    chosen = chosen.join(gov, on="doc", how="semi")
    values = _values(stream, chosen, zoned, seeds)
    sections = build_sections(lines.join(gov, on="doc", how="semi"), headings.join(gov, on="doc", how="semi"))
    table = _table_lines(lines, zoned, headers, matches, chosen, stream, gov)
    return GovResult(templates=templates, values=values, sections=sections, table_lines=table)


def _values(stream: pl.DataFrame, chosen: pl.DataFrame, zoned: pl.DataFrame, seeds: GovSeeds) -> pl.DataFrame:
    """GOV_VALUES of the chosen rows. Evidence: the value's line when the row's label is printed on
    it alone (or, for a row without a label, when it holds several of the row's values), else
    "label … line"."""
    parts = pl.col("parts_lines")
    chosen = chosen.with_columns(
        label_line=pl.when(parts.list.min() == parts.list.max()).then(parts.list.min()),
        has_label=parts.list.len() > 0,
    )
    placed = parse_values(place_values(stream, chosen, seeds))
    several = (
        placed.filter(~pl.col("has_label"))
        .group_by("doc", "row", "line_no")
        .len()
        .filter(pl.col("len") >= 2)
        .select("doc", "row", "line_no", several=pl.lit(True))
    )
    printed = zoned.select("doc", "line_no", row_line=pl.col("line").str.strip_chars(STRIP_CHARS))
    placed = join_pairs(placed, printed, "doc", "line_no", how="left").join(
        several, on=["doc", "row", "line_no"], how="left", maintain_order="left"
    )
    own_line = (pl.col("label_line") == pl.col("line_no")).fill_null(False) | pl.col("several").fill_null(False)
    evidence = (
        pl.when(own_line)
        .then(pl.col("row_line"))
        .otherwise(pl.concat_str(pl.col("raw_label"), pl.lit(" … "), pl.col("row_line")))
    )
    return (
        # Still in stream order: by document, line and cell.
        placed.with_columns(evidence=evidence, source_line="line_no", raw_label=pl.col("raw_label").str.strip_chars())
        .select(GOV_VALUES.names())
        .cast(GOV_VALUES)
    )


def _table_lines(
    lines: pl.DataFrame,
    zoned: pl.DataFrame,
    headers: pl.DataFrame,
    matches: pl.DataFrame,
    chosen: pl.DataFrame,
    stream: pl.DataFrame,
    gov: pl.DataFrame,
) -> pl.DataFrame:
    """TABLE_LINES: per document and zone, every line from the first header line or matched row
    label to the last value cell of a matched or chosen row, except sentences (a 。) that are no
    part of a row."""
    table_rows = pl.concat([matches.select("doc", "row"), chosen.select("doc", "row")]).unique()
    row_cells = stream.filter(in_pairs(table_rows, "doc", "row"))
    value_lines = row_cells.filter(pl.col("is_value")).select("doc", "zone", "line_no")
    label_lines = matches.select("doc", "zone", line_no="parts_lines").explode("line_no")
    head_lines = headers.join(zoned.select("doc", "line_no", "zone"), on=["doc", "line_no"], how="inner", suffix="_z")
    starts = pl.concat([label_lines, head_lines.select("doc", pl.col("zone_z").alias("zone"), "line_no")]).cast(
        {"line_no": pl.Int32}
    )
    spans = (
        starts.group_by("doc", "zone")
        .agg(first=pl.col("line_no").min())
        .join(value_lines.group_by("doc", "zone").agg(last=pl.col("line_no").max()), on=["doc", "zone"], how="inner")
        .join(gov, on="doc", how="semi")
    )
    inside = (
        spans.filter(pl.col("first") <= pl.col("last"))
        .select("doc", line_no=pl.int_ranges("first", pl.col("last") + 1, dtype=pl.Int32))
        .explode("line_no")
        .unique()
    )
    # Sentences inside a span that no table row holds (a note between two blocks) stay prose.
    sentences = lines.filter(pl.col("line").str.contains("。", literal=True)).filter(
        in_pairs(inside, "doc", "line_no") & ~in_pairs(row_cells, "doc", "line_no")
    )
    return inside.filter(~in_pairs(sentences, "doc", "line_no")).sort("doc", "line_no").cast(TABLE_LINES)
