"""Matched rows → (indicator, breakdown set) → value cells placed at their breakdown positions.

The code of a row: the only one its label names, else the one whose parent is the enclosing
header row (the last header label above it, e.g. （六）其他处理), else the detected template's.
Its breakdown set: among the sets that row has in either template, one the value cells fit —
exactly, or after dropping empty grid cells at the start (a label cell spanning two columns) or
at the end (a trailing tab) — preferring the family of the block's printed column header (表二),
then the document's template. A row that fits no set emits nothing: a value is never shifted.
Rows without a label take the zone's only valued row when there is one (表四: 15 bare numbers).
"""

from __future__ import annotations

import polars as pl

from orchestration.lib.parsing.gov_seeds import GovSeeds, row_key
from orchestration.lib.parsing.segments import join_pairs
from orchestration.lib.parsing.table_pre2019 import by_distinct

#: One row per table row that gives values.
CHOSEN = pl.Schema(
    {
        "doc": pl.UInt32,
        "row": pl.UInt32,
        "indicator_code": pl.String,
        "breakdown_set": pl.String,
        "size": pl.Int32,
        "cat_unit": pl.String,
        "raw_label": pl.String,
        "parts_lines": pl.List(pl.Int32),  # lines of the label cells used (empty: no printed label)
        "trim_lead": pl.Int32,  # empty cells dropped before the first value cell
    }
)


#: Columns of a (row, catalogue row) candidate pair.
_CANDIDATE_COLUMNS = [
    *(name for name in CHOSEN.names() if name not in ("size", "trim_lead")),
    "is_header",
    "template",
    "row_order",
    "n_values",
    "lead_empty",
    "trail_empty",
    "block_family",
    "doc_template",
]


def header_context(stream: pl.DataFrame, seeds: GovSeeds) -> pl.DataFrame:
    """doc, row, context: the code of the last header row (is_header) whose label stands above
    the row's last label cell, in the same zone."""
    headers = (
        seeds.rows.filter(pl.col("is_header"))
        .group_by("match_key", "table_no")
        .agg(code=pl.col("indicator_code").unique())
        .filter(pl.col("code").list.len() == 1)
        .select("match_key", "table_no", header_code=pl.col("code").list.first())
    )
    labels = stream.filter(pl.col("kind") == "label").select("doc", "row", "zone", "cell")
    labels = by_distinct(labels, "cell", key=row_key(pl.col("cell")))
    labels = labels.join(
        headers, left_on=["key", "zone"], right_on=["match_key", "table_no"], how="left", maintain_order="left"
    )
    return (
        labels.with_columns(context=pl.col("header_code").forward_fill().over("doc", "zone"))
        .group_by("doc", "row", maintain_order=True)
        .agg(context=pl.col("context").last())
    )


def _fit(size: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """(fits, trim_lead) of a row's value cells against a set of ``size`` columns."""
    excess = pl.col("n_values").cast(pl.Int32) - size
    trim_lead = pl.min_horizontal(pl.col("lead_empty").cast(pl.Int32), excess)
    fits = (excess >= 0) & ((excess - trim_lead) <= pl.col("trail_empty").cast(pl.Int32))
    return fits, trim_lead


def _pick_sets(cand: pl.DataFrame, seeds: GovSeeds) -> pl.DataFrame:
    """CHOSEN from candidate (row, catalogue row) pairs carrying rows' and documents' columns."""
    sizes = seeds.sets.filter(pl.col("position") == 1).select("breakdown_set", "size")
    cand = cand.filter(pl.col("breakdown_set").is_not_null() & ~pl.col("is_header")).join(
        sizes, on="breakdown_set", how="inner"
    )
    fits, trim_lead = _fit(pl.col("size"))
    cand = cand.with_columns(fits=fits, trim_lead=trim_lead).filter(pl.col("fits"))
    by_block = (pl.col("template") == pl.col("block_family")).fill_null(False)
    by_doc = (pl.col("template") == pl.col("doc_template")).fill_null(False)
    return (
        cand.sort(
            ["doc", "row", by_block, by_doc, "row_order"],
            descending=[False, False, True, True, False],
        )
        .unique(subset=["doc", "row"], keep="first", maintain_order=True)
        .select(CHOSEN.names())
        .cast(CHOSEN)
    )


def choose(
    matches: pl.DataFrame,
    rows: pl.DataFrame,
    context: pl.DataFrame,
    templates: pl.DataFrame,
    families: pl.DataFrame,
    seeds: GovSeeds,
) -> pl.DataFrame:
    """CHOSEN: the indicator and breakdown set of every row that gives values."""
    row_cols = rows.select("doc", "row", "zone", "block", "n_values", "n_filled", "lead_empty", "trail_empty")
    doc_cols = templates.select("doc", doc_template="template")
    # A label that is a header row in either template (（六）其他处理 in 2021) gives values only when
    # numbers are printed on it: its empty grid cells are no blank values.
    header_keys = seeds.rows.filter(pl.col("is_header")).select("match_key", "table_no").unique()
    labelled = (
        matches.join(context, on=["doc", "row"], how="left")
        .join(doc_cols, on="doc", how="left")
        .join(
            header_keys.with_columns(header_key=pl.lit(True)),
            left_on=["key", "zone"],
            right_on=["match_key", "table_no"],
            how="left",
        )
    )
    # One code per row: the only one, else the enclosing header's child, else the template's, else the first.
    codes = (
        labelled.with_columns(
            _ctx=(pl.col("parent_code") == pl.col("context")).fill_null(False),
            _tpl=(pl.col("template") == pl.col("doc_template")).fill_null(False),
        )
        .sort(["doc", "row", "_ctx", "_tpl", "row_order"], descending=[False, False, True, True, False])
        .group_by("doc", "row", maintain_order=True)
        .agg(
            pl.col("indicator_code", "raw_label", "parts_lines").first(),
            any_header=(pl.col("is_header") | pl.col("header_key").fill_null(False)).any(),
        )
    )
    # Every catalogue row of that code, in either template, offers its breakdown set: a 2021 label
    # under 2019 columns (or the reverse) takes the set of its printed header.
    labelled = (
        codes.join(row_cols.drop("zone"), on=["doc", "row"], how="inner")
        .filter(~pl.col("any_header") | (pl.col("n_filled") > 0))
        .join(seeds.rows.drop("match_key", "table_no"), on="indicator_code", how="inner")
        .join(doc_cols, on="doc", how="left")
        .join(families, on=["doc", "block"], how="left")
        .rename({"unit": "cat_unit"})
    )
    # Rows without any label match, with numbers: the zone's only valued row (表四).
    only = (
        seeds.rows.filter(~pl.col("is_header") & pl.col("breakdown_set").is_not_null())
        .with_columns(n_codes=pl.col("indicator_code").n_unique().over("table_no"))
        .filter(pl.col("n_codes") == 1)
        .rename({"unit": "cat_unit", "table_no": "zone"})
    )
    bare = (
        row_cols.join(matches.select("doc", "row").unique(), on=["doc", "row"], how="anti")
        .filter(pl.col("n_filled") > 0)
        .join(only, on="zone", how="inner")
        .join(doc_cols, on="doc", how="left")
        .join(families, on=["doc", "block"], how="left")
        .with_columns(raw_label=pl.col("name_zh"), parts_lines=pl.lit([], dtype=pl.List(pl.Int32)))
    )
    cand = pl.concat([labelled.select(_CANDIDATE_COLUMNS), bare.select(_CANDIDATE_COLUMNS)], how="vertical_relaxed")
    return _pick_sets(cand, seeds)


def place_values(stream: pl.DataFrame, chosen: pl.DataFrame, seeds: GovSeeds) -> pl.DataFrame:
    """The value cells of the chosen rows at their position: chosen's columns plus line_no, cell,
    kind, position, breakdown, set_unit. An indicator printed twice in a document keeps its first row
    (every chosen row fills all the positions of its set)."""
    first = chosen.sort("doc", "row").unique(subset=["doc", "indicator_code"], keep="first", maintain_order=True)
    cells = stream.filter(pl.col("is_value")).select("doc", "row", "line_no", "cell", "kind", "val_idx")
    placed = join_pairs(cells, first, "doc", "row", how="inner").with_columns(
        position=(pl.col("val_idx") - pl.col("trim_lead") + 1).cast(pl.Int32)
    )
    placed = placed.filter((pl.col("position") >= 1) & (pl.col("position") <= pl.col("size")))
    return placed.join(
        seeds.sets.select("breakdown_set", "position", "breakdown", "set_unit"),
        on=["breakdown_set", "position"],
        how="inner",
        maintain_order="left",
    )
