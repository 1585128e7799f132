"""The cell stream of the zones → table rows → catalogue rows.

A row is a run of label cells followed by a run of value cells, over as many lines as it takes
(a tab row, a label line then one line per number, 15 numbers over two lines …): a label cell
after a value cell, a 表二 block marker (第二十条第（一）项) or a change of zone opens the next row.
Its label is the longest suffix of its label cells (up to four: wrapped labels, "社会 稳定",
"危及“三安全一\\n稳定”") that is a catalogue label of the zone's table; merged label cells before it
("三、本年度办理结果", "（三）不予公开") and header cells are ignored that way. A row whose value cells
are all empty lends its labels to the next row (a label wrapped after an empty tab); a row without a
matching label may borrow the first label of the next row (a label wrapped after the numbers).
"""

from __future__ import annotations

import polars as pl

from orchestration.lib.parsing.gov_seeds import GovSeeds, row_key
from orchestration.lib.parsing.gov_zones import BLOCK_RE
from orchestration.lib.parsing.segments import cum_sum_in, pair_key, run_starts, shift_in
from orchestration.lib.parsing.table_pre2019 import by_distinct

#: Longest label suffix tried (cells joined).
MAX_LABEL_PARTS = 4
#: Joined label candidates longer than this are prose, not labels.
MAX_LABEL_CHARS = 120
#: A label cell that is only a numeral: （一） 1. 一、 (a label wrapped right after its number).
NUMBERING_ONLY_RE = r"^[(（]?(?:[一二三四五六七八九十]{1,3}|[0-9０-９]{1,2})[)）]?[.．、]?$"
#: Attempt number of a label borrowed from the next row (after every own suffix 1..MAX_LABEL_PARTS).
BORROWED = 0

#: One row per table row of the stream.
ROWS = pl.Schema(
    {
        "doc": pl.UInt32,
        "row": pl.UInt32,
        "zone": pl.Int32,
        "block": pl.UInt32,  # 表二 blocks seen so far in the document
        "labels": pl.List(pl.String),
        "label_lines": pl.List(pl.Int32),
        "n_values": pl.UInt32,  # value cells, empty ones included
        "n_filled": pl.UInt32,  # value cells that are a number or an empty marker
        "lead_empty": pl.UInt32,  # empty cells before the first filled value cell
        "trail_empty": pl.UInt32,  # empty cells after the last filled value cell
    }
)

_VALUE_KINDS = ["number", "marker", "empty"]


def stream_rows(cells: pl.DataFrame) -> pl.DataFrame:
    """Number the rows of the stream: ``cells`` (CELLS plus zone, in document/line/cell order)
    gains row, block, is_value and val_idx (0-based index among the row's value cells)."""
    # The stream is in document order: windows over "doc" are runs of rows (segments.py).
    is_val = pl.col("kind").is_in(_VALUE_KINDS)
    is_block = (pl.col("kind") == "label") & pl.col("hkey").str.contains(BLOCK_RE).fill_null(False)
    prev_val = shift_in(is_val, "doc").fill_null(False)
    zone_change = run_starts("doc") | (pl.col("zone") != pl.col("zone").shift(1)).fill_null(True)
    start = (~is_val & prev_val) | is_block | zone_change
    return (
        cells.with_columns(is_value=is_val, _start=start.cast(pl.UInt32), _block=is_block.cast(pl.UInt32))
        .with_columns(row=cum_sum_in(pl.col("_start"), "doc"), block=cum_sum_in(pl.col("_block"), "doc"))
        .with_columns(val_idx=(cum_sum_in(pl.col("is_value").cast(pl.Int32), "doc", "row") - 1).cast(pl.Int32))
        .drop("_start", "_block")
    )


def aggregate_rows(stream: pl.DataFrame) -> pl.DataFrame:
    """ROWS from the numbered stream."""
    is_label = pl.col("kind") == "label"
    filled = pl.col("kind").is_in(["number", "marker"])
    n_values = pl.col("is_value").sum()
    first_filled = pl.col("val_idx").filter(filled).min()
    last_filled = pl.col("val_idx").filter(filled).max()
    return (
        # Grouped by one UInt64 key for (doc, row): faster than by the two columns.
        stream.with_columns(_pair=pair_key("doc", "row"))
        .group_by("_pair", maintain_order=True)
        .agg(
            doc=pl.col("doc").first(),
            row=pl.col("row").first(),
            zone=pl.col("zone").first(),
            block=pl.col("block").first(),
            labels=pl.col("cell").filter(is_label),
            label_lines=pl.col("line_no").filter(is_label),
            n_values=n_values,
            n_filled=filled.sum(),
            first_filled=first_filled,
            last_filled=last_filled,
        )
        .with_columns(
            lead_empty=pl.col("first_filled").fill_null(pl.col("n_values")),
            trail_empty=(pl.col("n_values") - 1 - pl.col("last_filled")).fill_null(pl.col("n_values")),
        )
        .select(ROWS.names())
        .cast(ROWS)
    )


def label_candidates(rows: pl.DataFrame) -> pl.DataFrame:
    """doc, row, zone, attempt, raw_label, parts_lines: the suffixes of each row's label cells (attempt
    k = k cells), with the labels of an all-empty previous row in front, and the last label
    joined to the next row's first label (attempt BORROWED)."""
    # Rows are in document order: windows over "doc" are runs of rows (segments.py).
    same_zone_prev = shift_in(pl.col("zone"), "doc") == pl.col("zone")
    prev_soft = (same_zone_prev & (shift_in(pl.col("n_filled"), "doc") == 0)).fill_null(False)
    ext = (
        rows.lazy()  # lazily: the shifted columns, read more than once, are computed once
        .select(
            "doc",
            "row",
            "zone",
            labels=pl.when(prev_soft).then(pl.concat_list(pl.col("labels").shift(1), "labels")).otherwise("labels"),
            lines=pl.when(prev_soft)
            .then(pl.concat_list(pl.col("label_lines").shift(1), "label_lines"))
            .otherwise("label_lines"),
            next_label=pl.when(shift_in(pl.col("zone"), "doc", n=-1) == pl.col("zone")).then(
                pl.col("labels").shift(-1).list.first()
            ),
            next_line=shift_in(pl.col("label_lines"), "doc", n=-1).list.first(),
        )
        .with_columns(
            n=pl.col("labels").list.len(),
            numbering=pl.col("labels").list.eval(pl.element().str.contains(NUMBERING_ONLY_RE)),
        )
        .collect()
    )
    parts = []
    for k in range(1, MAX_LABEL_PARTS + 1):
        # A cell that is only a numeral (（一）, 1.) starts a label: it is never inside a suffix.
        inner_numbering = pl.col("numbering").list.slice(-(k - 1), k - 1).list.any() if k > 1 else pl.lit(False)
        parts.append(
            ext.filter((pl.col("n") >= k) & ~inner_numbering).select(
                "doc",
                "row",
                "zone",
                attempt=pl.lit(k, pl.Int8),
                raw_label=pl.col("labels").list.slice(-k, k).list.join(""),
                parts_lines=pl.col("lines").list.slice(-k, k),
            )
        )
    parts.append(
        ext.filter((pl.col("n") >= 1) & pl.col("next_label").is_not_null()).select(
            "doc",
            "row",
            "zone",
            attempt=pl.lit(BORROWED, pl.Int8),
            raw_label=pl.concat_str(pl.col("labels").list.last(), "next_label"),
            parts_lines=pl.concat_list(pl.col("lines").list.last(), "next_line"),
        )
    )
    return pl.concat(parts).filter(pl.col("raw_label").str.len_chars() <= MAX_LABEL_CHARS)


def match_rows(rows: pl.DataFrame, seeds: GovSeeds) -> pl.DataFrame:
    """Catalogue candidates of each row: doc, row, zone, attempt, raw_label, parts_lines and the
    seed row columns, keeping only the best attempt of each row (a valued catalogue row before a
    header row; then the longest own suffix; a borrowed label last). Several candidates per row remain where templates
    (or, in principle, codes) share the label."""
    cand = label_candidates(rows)
    cand = by_distinct(cand, "raw_label", key=row_key(pl.col("raw_label")))
    cand = cand.filter(pl.col("key") != "")
    matched = cand.join(seeds.rows, left_on=["key", "zone"], right_on=["match_key", "table_no"], how="inner")
    # A valued row beats a header row (a header label may swallow a trailing note-like numeral),
    # then the longest own suffix, then a borrowed label.
    rank = pl.when(pl.col("attempt") == BORROWED).then(pl.lit(0, pl.Int8)).otherwise(pl.col("attempt"))
    rank = rank + (~pl.col("is_header")).cast(pl.Int8) * 10
    best = matched.with_columns(_rank=rank).filter(pl.col("_rank") == pl.col("_rank").max().over("doc", "row"))
    return best.drop("_rank")
