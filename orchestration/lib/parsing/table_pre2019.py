"""The pre-2019 national statistics table (统计指标 / 单位 / 统计数) → indicator values.

Vectorised over the lines of every document of a batch: cells by regex and ``str.split``,
wrapped labels by ``shift().over("doc")``, rows by a join against the catalogue, the section
of duplicated labels by ``forward_fill().over("doc")``. No per-line Python.
"""

from __future__ import annotations

import polars as pl

from orchestration.lib.parsing.lines import with_text_columns
from orchestration.lib.parsing.metadata import SHORT_LINE, table_header_expr, table_title_expr
from orchestration.lib.parsing.segments import in_pairs
from orchestration.lib.parsing.text import STRIP_CHARS, compact, label_key

#: Rows of table values, keyed by doc (parse.py adds report_id and the contract columns).
TABLE_VALUES = pl.Schema(
    {
        "doc": pl.UInt32,
        "indicator_code": pl.String,
        "raw_label": pl.String,
        "unit": pl.String,
        "raw_value": pl.String,
        "value": pl.Float64,
        "qualifier": pl.String,
        "source_line": pl.Int32,
        "has_cells": pl.Boolean,  # False for a label printed alone (its row left blank)
    }
)

_SP = r"[ \u00a0\u3000]"
#: Money units in 元: a value printed in one is converted to the catalogue unit of its row.
UNIT_FACTORS = {"元": 1.0, "万元": 10_000.0}
#: Unit words printed in a unit cell or glued to a value.
UNIT_WORDS = r"(?:万元|元|条|件|次|篇|个|人次|人|项|家|场|期|份|天|%)"
#: Unit words as a whole cell (compact, NFKC).
_UNIT_CELL_RE = rf"^{UNIT_WORDS}$"
_DASHES = r"[-—–―─]"
#: Empty markers of a value cell (compact, NFKC): blank, /, -, —, --, ——, N/A, NA, 无, 不适用.
EMPTY_MARKER_RE = rf"^(?:|/|{_DASHES}{{1,2}}|N/?A|n/?a|无|不适用)$"
#: A number as printed in a value cell (compact, NFKC): 1,211  0.5  251000元  约100  100余.
NUMBER_RE = (
    rf"^(?P<pre>约|近|大约|将近)?(?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    rf"(?P<unit>{UNIT_WORDS})?(?P<post>余|多|以上|左右)?$"
)
#: Value-looking token for a single-space separated row ("危及… 件 0").
_VALUE_TOKEN = r"(?:(?:约|近)?[0-9０-９][0-9０-９,，.．]*(?:万元|元)?(?:余|多)?|/|／|-{1,2}|—{1,2}|N/?A|无|不适用)"
#: A row whose cells are separated by single spaces: label, unit and value, or label and a dash.
SINGLE_SPACE_ROW_RE = (
    rf"^(?P<label>.+?){_SP}+(?:(?P<unit>{UNIT_WORDS}|——|—){_SP}+(?P<value>{_VALUE_TOKEN})|(?P<dash>——|—|--))$"
)
_D = r"[0-9０-９]"
_PAGE_DASH = r"[-—–―─－~]"
#: Page furniture inside a table (raw line): — 3 —, - 3 -, 第 3 页, 第3页 共5页, 3/5, a bare page number.
PAGE_NUMBER_RE = (
    rf"^\s*(?:{_PAGE_DASH}+\s*{_D}{{1,4}}\s*{_PAGE_DASH}+|第\s*{_D}{{1,4}}\s*页(?:\s*[/／]?\s*共\s*{_D}{{1,4}}\s*页)?"
    rf"|{_D}{{1,4}}\s*[/／]\s*{_D}{{1,4}}|{_D}{{1,3}})\s*$"
)
#: Markdown separator rows and rules (raw line): |---|---|, -----, ====.
RULE_RE = r"^[\s|｜:：\-—=_+]+$"


_HASH, _KEY = "__by_distinct_hash", "__by_distinct_key"


def by_distinct(frame: pl.DataFrame, column: str, **exprs: pl.Expr) -> pl.DataFrame:
    """``frame.with_columns(**exprs)`` where the expressions read only ``column``: computed once
    per distinct value and joined back (table labels and values repeat across reports). The
    expressions run lazily: a subexpression they share (a cell's NFKC form …) is computed once,
    which eager ``with_columns`` does not do."""
    keys = frame.get_column(column)
    hashed = keys.hash()
    # Distinct values by their 64-bit hash, joined back on it (an integer join is twice as fast as
    # a string one); the keys that come back are compared with the frame's, and should two values
    # share a hash the join is done again on the values themselves.
    distinct = (
        pl.DataFrame({column: keys, _HASH: hashed})
        .lazy()
        .unique(subset=_HASH, keep="any")
        .with_columns(**exprs)
        .rename({column: _KEY})
        .collect()
    )
    joined = frame.with_columns(hashed.alias(_HASH)).join(distinct, on=_HASH, how="left", maintain_order="left")
    if joined.select(pl.col(column).eq_missing(pl.col(_KEY)).all()).item():
        return joined.drop(_HASH, _KEY)
    distinct = frame.lazy().select(pl.col(column)).unique().with_columns(**exprs).collect()
    return frame.join(distinct, on=column, how="left", nulls_equal=True, maintain_order="left")


def _cells(stripped: pl.Expr) -> pl.Expr:
    """The line with cell boundaries as tabs: tabs, runs of 2+ spaces, and | pipes."""
    src = stripped.str.replace_all(r"[|｜]", "\t").str.replace_all(rf"{_SP}*\t{_SP}*|{_SP}{{2,}}", "\t")
    # The outer pipes of "| a | b |" leave one tab at each end.
    return (
        pl.when(stripped.str.contains(r"^[|｜]|[|｜]$"))
        .then(src.str.strip_prefix("\t").str.strip_suffix("\t"))
        .otherwise(src)
    )


def _table_region(lines: pl.DataFrame, starts: pl.DataFrame) -> pl.DataFrame:
    """Non-blank lines below each table start, without page furniture and repeated headers,
    in document then line order, with a row index ``idx``."""
    region = (
        lines.join(starts.select("doc", "region_start"), on="doc", how="inner", maintain_order="left")
        .filter((pl.col("line_no") > pl.col("region_start")) & ~pl.col("is_blank"))
        .select("doc", "line_no", "line")
    )
    # Repeated table headers and table titles: only short lines holding 指 or 表 are normalised
    # and tested. Page numbers and rules.
    short = region.filter(pl.col("line").str.len_chars() <= SHORT_LINE)
    marks = (
        with_text_columns(short.filter(pl.col("line").str.contains("[指表]")))
        .filter(table_header_expr(pl.col("compact")) | table_title_expr(pl.col("compact")))
        .select("doc", "line_no")
    )
    noise = region.filter(pl.col("line").str.contains(PAGE_NUMBER_RE) | pl.col("line").str.contains(RULE_RE)).select(
        "doc", "line_no"
    )
    return (
        region.filter(~in_pairs(pl.concat([marks, noise]), "doc", "line_no"))
        .select("doc", "line_no", stripped=pl.col("line").str.strip_chars(STRIP_CHARS))
        .with_row_index("idx")
    )


def _split_rows(region: pl.DataFrame) -> pl.DataFrame:
    """kind ('label' | 'pair' | 'triple'), label_raw, second, cell_unit, cell_value of each line."""
    frame = region.with_columns(src=_cells(pl.col("stripped")))
    frame = frame.with_columns(n_filled=pl.col("src").str.count_matches(r"[^\t]+"))
    # "label<TAB>unit<TAB>value<TAB>": a trailing tab after three filled cells is no fourth cell.
    frame = frame.with_columns(
        src=pl.when(pl.col("n_filled") >= 3).then(pl.col("src").str.strip_chars_end("\t")).otherwise(pl.col("src"))
    )
    frame = frame.with_columns(cells=pl.col("src").str.split("\t")).with_columns(n=pl.col("cells").list.len())
    # Single-space separated rows: the (slow) capturing regex runs only on lines it matches.
    single_space = (
        frame.filter((pl.col("n") == 1) & pl.col("src").str.contains(SINGLE_SPACE_ROW_RE))
        .select("idx", fb=pl.col("src").str.extract_groups(SINGLE_SPACE_ROW_RE))
        .unnest("fb", separator="_")
    )
    frame = frame.join(single_space, on="idx", how="left", maintain_order="left")
    fb_triple = pl.col("fb_value").is_not_null()
    fb_pair = pl.col("fb_dash").is_not_null()
    is_label = (pl.col("n_filled") <= 1) & ~fb_triple & ~fb_pair
    kind = (
        pl.when(is_label)
        .then(pl.lit("label"))
        .when(fb_pair | (pl.col("n") == 2))
        .then(pl.lit("pair"))
        .otherwise(pl.lit("triple"))
    )
    n = pl.col("n").cast(pl.Int64)
    label_raw = (
        pl.when(is_label)
        .then(pl.col("src").str.replace_all("\t", "", literal=True))
        .when(fb_triple | fb_pair)
        .then(pl.col("fb_label"))
        .when(pl.col("n") == 2)
        .then(pl.col("cells").list.get(0))
        .otherwise(pl.col("cells").list.slice(0, n - 2).list.join(" "))
    )
    return frame.select(
        "idx",
        "doc",
        "line_no",
        kind=kind,
        label_raw=label_raw.str.strip_chars(),
        second=pl.when(fb_pair).then(pl.col("fb_dash")).otherwise(pl.col("cells").list.get(1, null_on_oob=True)),
        cell_unit=pl.when(fb_triple).then(pl.col("fb_unit")).otherwise(pl.col("cells").list.get(-2, null_on_oob=True)),
        cell_value=pl.when(fb_triple).then(pl.col("fb_value")).otherwise(pl.col("cells").list.get(-1)),
    )


def _candidate_labels(rows: pl.DataFrame) -> pl.DataFrame:
    """Long frame (idx, attempt, raw_label): the label alone (0), joined to the one (1) or two (2)
    label-only lines above it, or to the label-only line below it (3): wrapped labels."""
    single = pl.col("kind") == "label"
    cells = ~single
    prev_single = single.shift(1).over("doc").fill_null(False)
    prev2_single = single.shift(2).over("doc").fill_null(False)
    next_single = single.shift(-1).over("doc").fill_null(False)
    prev_label = pl.col("label_raw").shift(1).over("doc")
    prev2_label = pl.col("label_raw").shift(2).over("doc")
    next_label = pl.col("label_raw").shift(-1).over("doc")
    joined = rows.select(
        "idx",
        raw0=pl.col("label_raw"),
        raw1=pl.when(cells & prev_single).then(pl.concat_str(prev_label, pl.col("label_raw"))),
        raw2=pl.when(cells & prev_single & prev2_single).then(
            pl.concat_str(prev2_label, prev_label, pl.col("label_raw"))
        ),
        raw3=pl.when(cells & next_single).then(pl.concat_str(pl.col("label_raw"), next_label)),
    )
    parts = [
        joined.select("idx", attempt=pl.lit(i, pl.Int8), raw_label=pl.col(f"raw{i}")).drop_nulls("raw_label")
        for i in range(4)
    ]
    return pl.concat(parts)


def _match(rows: pl.DataFrame, catalogue: pl.DataFrame) -> pl.DataFrame:
    """Candidate catalogue rows of each line: (idx, attempt, raw_label, key, catalogue columns),
    only the lowest attempt that matched anything."""
    cat = catalogue.select(
        key="match_key",
        indicator_code="indicator_code",
        section_code="section_code",
        is_section="is_section",
        cat_unit="unit",
        row_order="row_order",
    )
    labels = _candidate_labels(rows)
    keyed = labels.select("raw_label").unique().with_columns(key=label_key(pl.col("raw_label")))
    matched_labels = keyed.join(cat, on="key", how="inner")
    cand = labels.join(matched_labels, on="raw_label", how="inner")
    best = cand.group_by("idx").agg(pl.col("attempt").min())
    return cand.join(best, on=["idx", "attempt"], how="semi")


def _parse_values(rows: pl.DataFrame) -> pl.DataFrame:
    """raw_value, value, qualifier and unit from the cells (the catalogue unit settles 2-cell rows)."""
    rows = by_distinct(rows, "second", second_compact=compact(pl.col("second")))
    cat_is_dash = pl.col("cat_unit").str.contains(rf"^{_DASHES}+$")
    second_is_unit = (
        pl.col("second_compact").str.contains(_UNIT_CELL_RE)
        | (pl.col("second_compact") == pl.col("cat_unit"))
        | (cat_is_dash & pl.col("second_compact").str.contains(rf"^{_DASHES}+$"))
    )
    is_pair = pl.col("kind") == "pair"
    raw_value = (
        pl.when(pl.col("kind") == "label")
        .then(pl.lit(""))
        .when(is_pair)
        .then(pl.when(second_is_unit).then(pl.lit("")).otherwise(pl.col("second")))
        .otherwise(pl.col("cell_value"))
        .fill_null("")
        .str.strip_chars()
    )
    unit_cell = (
        pl.when(pl.col("kind") == "label")
        .then(None)
        .when(is_pair)
        .then(pl.when(second_is_unit).then(pl.col("second")).otherwise(None))
        .otherwise(pl.col("cell_unit"))
        .str.strip_chars()
    )
    frame = rows.with_columns(raw_value=raw_value, unit_cell=pl.when(unit_cell != "").then(unit_cell))
    value_compact = compact(pl.col("raw_value"))
    num = value_compact.str.extract_groups(NUMBER_RE)
    frame = by_distinct(
        frame,
        "raw_value",
        is_marker=value_compact.str.contains(EMPTY_MARKER_RE),
        num_text=num.struct.field("num"),
        num_pre=num.struct.field("pre"),
        num_post=num.struct.field("post"),
        num_unit=num.struct.field("unit"),
    )
    value = (
        pl.when(pl.col("is_marker"))
        .then(None)
        .otherwise(pl.col("num_text").str.replace_all(",", "", literal=True).cast(pl.Float64, strict=False))
    )
    qualifier = (
        pl.when(pl.col("num_pre").is_not_null() | (pl.col("num_post") == "左右"))
        .then(pl.lit("approx"))
        .when(pl.col("num_post").is_not_null())
        .then(pl.lit("at_least"))
        .otherwise(pl.lit("exact"))
    )
    # A money unit glued to the value ("251000元" in a 万元 row) is converted to the catalogue's unit,
    # so every value of an indicator is in one unit; raw_value keeps the cell as printed.
    in_yuan = pl.col("num_unit").replace_strict(UNIT_FACTORS, default=1.0, return_dtype=pl.Float64)
    per_cat_unit = pl.col("cat_unit").replace_strict(UNIT_FACTORS, default=1.0, return_dtype=pl.Float64)
    converts = pl.col("num_unit").is_in(list(UNIT_FACTORS)) & pl.col("cat_unit").is_in(list(UNIT_FACTORS))
    return frame.with_columns(
        value=pl.when(converts).then(value * in_yuan / per_cat_unit).otherwise(value),
        qualifier=qualifier,
        unit=pl.when(converts).then(pl.col("cat_unit")).otherwise(pl.coalesce("num_unit", "unit_cell")),
    )


def extract_table_values(lines: pl.DataFrame, starts: pl.DataFrame, catalogue: pl.DataFrame) -> pl.DataFrame:
    """TABLE_VALUES of every document: the catalogue rows found below each document's table start.

    ``lines``: the LINES frame; ``starts``: doc, region_start (metadata.find_table_starts);
    ``catalogue``: catalogue.load_catalogue(). Blank and marker cells give NULL values (kept as
    rows); the first occurrence of an indicator in a document wins.
    """
    region = _table_region(lines, starts)
    if region.is_empty():
        return pl.DataFrame(schema=TABLE_VALUES)
    rows = _split_rows(region)
    cand = _match(rows, catalogue)

    # Lines used as the first/second/last part of a wrapped label emit no row of their own.
    attempts = cand.group_by("idx").agg(pl.col("attempt").first())
    rows = rows.join(attempts, on="idx", how="left", maintain_order="left")
    att = pl.col("attempt")
    consumed = (
        att.shift(-1).over("doc").is_in([1, 2]).fill_null(False)
        | (att.shift(-2).over("doc") == 2).fill_null(False)
        | (att.shift(1).over("doc") == 3).fill_null(False)
    )
    has_cells = pl.col("kind") != "label"
    # A label printed alone (no cells) counts only inside the table, above its last row with cells.
    last_cells_line = pl.col("line_no").filter(att.is_not_null() & has_cells).max().over("doc")
    rows = rows.with_columns(has_cells=has_cells).filter(
        att.is_not_null() & ~consumed & (has_cells | (pl.col("line_no") < last_cells_line))
    )

    # Section context: the last top-level row seen (found by its label), carried down the table.
    sections = cand.filter(pl.col("is_section")).select("idx", section_here="indicator_code")
    context = (
        rows.select("idx", "doc")
        .join(sections, on="idx", how="left", maintain_order="left")
        .with_columns(section_ctx=pl.col("section_here").forward_fill().over("doc"))
        .select("idx", "section_ctx")
    )
    cand = cand.join(rows.select("idx", "doc", "line_no"), on="idx", how="inner")
    n_cand = cand.group_by("idx").agg(n_cand=pl.len())
    cand = cand.join(n_cand, on="idx", how="left")
    single = cand.filter(pl.col("n_cand") == 1)
    # Duplicated labels (被依法纠错数, 其他情形数): the candidate of the current section; failing
    # that, the k-th printed occurrence of the label takes the k-th catalogue row of that label.
    multi = cand.filter(pl.col("n_cand") > 1).join(context, on="idx", how="left")
    fits = pl.col("section_code") == pl.col("section_ctx")
    occurrence = pl.col("line_no").rank("dense").over("doc", "key")
    choice = pl.col("row_order").rank("dense").over("idx")
    multi = (
        multi.with_columns(fits=fits.fill_null(False))
        .with_columns(any_fits=pl.col("fits").any().over("idx"))
        .filter(pl.col("fits") | (~pl.col("any_fits") & (choice == pl.min_horizontal(occurrence, pl.col("n_cand")))))
        .sort("idx", "row_order")
        .unique(subset="idx", keep="first", maintain_order=True)
    )
    chosen = (
        pl.concat([single, multi.select(single.columns)])
        .sort("idx")
        .unique(subset=["doc", "indicator_code"], keep="first", maintain_order=True)
    )

    values = chosen.select("idx", "indicator_code", "cat_unit", "raw_label").join(
        rows.drop("attempt"), on="idx", how="inner"
    )
    values = _parse_values(values)
    return values.select(
        "doc",
        "indicator_code",
        pl.col("raw_label").str.strip_chars(),
        "unit",
        "raw_value",
        "value",
        "qualifier",
        source_line=pl.col("line_no"),
        has_cells="has_cells",
    ).cast(TABLE_VALUES)
