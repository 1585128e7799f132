"""Table lines → a stream of cells, each classified as a label, a number, an empty marker or empty.

Cells are separated by tabs, runs of 2+ spaces, or pipes (| a | b |, with the outer pipes
dropped; a line with pipes is split on pipes only). A cell that ends with single-space separated
numbers ("危及“三安全一稳定” 0 0", "0 0 0 … 0") is split further. Classification reads the NFKC
form once per distinct cell text (table cells repeat: "0" is most of them).
"""

from __future__ import annotations

import polars as pl

from orchestration.lib.parsing.gov_seeds import header_key
from orchestration.lib.parsing.table_pre2019 import EMPTY_MARKER_RE, NUMBER_RE, by_distinct
from orchestration.lib.parsing.text import STRIP_CHARS, compact

#: One row per cell of a table line, in document, line and cell order.
CELLS = pl.Schema(
    {
        "doc": pl.UInt32,
        "line_no": pl.Int32,
        "lid": pl.UInt32,  # line id within the frame split (one integer key for per-line windows)
        "pos": pl.Int32,  # 0-based cell index within the line (after all splits)
        "cell": pl.String,  # as printed, stripped
        "kind": pl.String,  # label | number | marker | empty
        "hkey": pl.String,  # header_key(cell) for label cells, else NULL
    }
)

_SP = r"[ \u00a0\u3000]"
_D = r"[0-9０-９]"
#: A value printed between single spaces (raw text): 12  1,211  -3  +2  约100  100余  251000元  /  —  N/A  无.
_NUM_TOKEN = rf"(?:[+\-−－]|增加?|减少?)?(?:约|近)?{_D}[0-9０-９,，.．]*(?:万元|元)?(?:余|多)?"
_MARK_TOKEN = r"(?:/|／|[-—–－]{1,2}|N/?A|无|不适用)"
_TOKEN = rf"(?:{_NUM_TOKEN}|{_MARK_TOKEN})"
#: A cell that is only values separated by single spaces.
VALUES_ONLY_RE = rf"^{_TOKEN}(?:{_SP}+{_TOKEN})+$"
#: A cell holding a label then values after single spaces (the label is as short as possible).
LABEL_VALUES_RE = rf"^(?P<label>.*?\S){_SP}+(?P<vals>{_TOKEN}(?:{_SP}+{_TOKEN})*)$"
#: Cells longer than this are prose: labels, never read as numbers.
MAX_CELL_CHARS = 120


def split_cells(stripped: pl.Expr) -> pl.Expr:
    """List of the line's cells (not yet stripped): pipe lines on pipes (outer pipes dropped),
    other lines on tabs and runs of 2+ spaces."""
    pipes = stripped.str.contains(r"[|｜]")
    piped = stripped.str.replace(r"^[|｜]", "").str.replace(r"[|｜]$", "").str.replace_all(r"[|｜]", "\t")
    spaced = stripped.str.replace_all(rf"{_SP}{{2,}}", "\t")
    return pl.when(pipes).then(piped).otherwise(spaced).str.split("\t")


def _subcells(cell: pl.Expr) -> pl.Expr:
    """A cell with trailing single-space separated values as [label, v1, v2, …] (or [v1, v2, …])."""
    parts = cell.str.extract_groups(LABEL_VALUES_RE)
    vals_only = cell.str.contains(VALUES_ONLY_RE)
    label = parts.struct.field("label")
    vals = parts.struct.field("vals").str.replace_all(rf"{_SP}+", " ").str.split(" ")
    return (
        pl.when(vals_only)
        .then(cell.str.replace_all(rf"{_SP}+", " ").str.split(" "))
        .when(label.is_not_null())
        .then(pl.concat_list(label.str.strip_chars(STRIP_CHARS), vals))
        .otherwise(pl.concat_list(cell))
    )


def value_text(cell: pl.Expr) -> pl.Expr:
    """The cell as a value is read: NFKC, no white space, a leading minus, 增/增加 or 减/减少 (本年增/减)
    written as + or -."""
    return compact(cell).str.replace(r"^(?:[−–]|减少?)", "-").str.replace(r"^增加?", "+")


def _kind(cell: pl.Expr) -> pl.Expr:
    """label | number | marker | empty of a distinct cell text."""
    text = value_text(cell)
    unsigned = text.str.replace(r"^[+-]", "")
    return (
        pl.when(cell == "")
        .then(pl.lit("empty"))
        .when(cell.str.len_chars() > MAX_CELL_CHARS)
        .then(pl.lit("label"))
        .when(text.str.contains(EMPTY_MARKER_RE))
        .then(pl.lit("marker"))
        .when((text != unsigned) & (unsigned == ""))
        .then(pl.lit("label"))
        .when(unsigned.str.contains(NUMBER_RE))
        .then(pl.lit("number"))
        .otherwise(pl.lit("label"))
    )


def _parts(raw: pl.Expr) -> pl.Expr:
    """A raw cell → its stripped sub-cells (one, or a label and single-space separated values)."""
    cell = raw.str.strip_chars(STRIP_CHARS)
    spaced = cell.str.contains(rf"\S{_SP}+\S") & (cell.str.len_chars() <= MAX_CELL_CHARS)
    return pl.when(spaced).then(_subcells(cell)).otherwise(pl.concat_list(cell))


def explode_cells(lines: pl.DataFrame) -> pl.DataFrame:
    """CELLS of ``lines`` (doc, line_no, line; sorted by doc and line): every cell of every line.
    Per-cell work (stripping, single-space values, kind, header key) runs once per distinct text."""
    raw = (
        lines.lazy()  # lazily: the stripped line, read three times by split_cells, is computed once
        .select(
            "doc",
            "line_no",
            lid=pl.int_range(pl.len(), dtype=pl.UInt32),
            cell=split_cells(pl.col("line").str.strip_chars(STRIP_CHARS)),
        )
        .explode("cell")
        .with_columns(pl.col("cell").fill_null(""))
        .collect()
    )
    cells = (
        by_distinct(raw, "cell", _parts=_parts(pl.col("cell")))
        .drop("cell")
        .explode("_parts")
        .rename({"_parts": "cell"})
    )
    # The cell's index within its line, without a window: the row index minus the line's first one.
    idx = pl.int_range(pl.len(), dtype=pl.Int32)
    first = pl.when(pl.col("lid") != pl.col("lid").shift(1)).then(idx)
    cells = cells.with_columns(pos=idx - first.forward_fill().fill_null(0))
    cells = by_distinct(cells, "cell", kind=_kind(pl.col("cell")), _hkey=header_key(pl.col("cell")))
    cells = cells.with_columns(hkey=pl.when(pl.col("kind") == "label").then(pl.col("_hkey")))
    return cells.select(CELLS.names()).cast(CELLS)


def keep_value_empties(cells: pl.DataFrame) -> pl.DataFrame:
    """Drop the empty cells that are no blank values: those before or between a line's labels
    (merged label cells of a grid), every cell of an all-empty line, and the empty remainder of
    a one-cell line. Empty cells after the last label of a multi-cell line stay (blank values)."""
    is_label = pl.col("kind") == "label"
    is_empty = pl.col("kind") == "empty"
    last_label = pl.col("pos").filter(is_label).max().over("lid").fill_null(-1)
    n_cells = pl.len().over("lid")
    all_empty = (~is_empty).sum().over("lid") == 0  # faster than is_empty.all().over("lid")
    keep = ~is_empty | ((pl.col("pos") > last_label) & (n_cells >= 2) & ~all_empty)
    return cells.filter(keep)


#: A page number printed alone between table rows (a value of 0 is never a page number).
_PAGE_NO_CELL_RE = r"^[1-9１-９][0-9０-９]{0,2}$"


def drop_page_numbers(cells: pl.DataFrame) -> pl.DataFrame:
    """Drop lines that are a bare page number: one number, right after a row of several values,
    with a blank line (or dropped page furniture) on either side. Inside a one-cell-per-line
    table the neighbours hold one value each, so its numbers stay."""
    per_line = (
        cells.group_by("lid", maintain_order=True)
        .agg(
            doc=pl.col("doc").first(),
            line_no=pl.col("line_no").first(),
            n=pl.len(),
            n_val=pl.col("kind").is_in(["number", "marker"]).sum(),
            first=pl.col("cell").first(),
        )
        .with_columns(
            prev_val=pl.col("n_val").shift(1).over("doc"),
            gap_before=pl.col("line_no") - pl.col("line_no").shift(1).over("doc"),
            gap_after=pl.col("line_no").shift(-1).over("doc") - pl.col("line_no"),
        )
    )
    pages = per_line.filter(
        (pl.col("n") == 1)
        & pl.col("first").str.contains(_PAGE_NO_CELL_RE)
        & (pl.col("prev_val") >= 2)
        & ((pl.col("gap_before") > 1) | (pl.col("gap_after").fill_null(2) > 1))
    )
    return cells.join(pages.select("lid"), on="lid", how="anti", maintain_order="left")
