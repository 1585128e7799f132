"""Which lines can hold 表二, 表三 or 表四: the zone (table number) of every line.

A zone opens at a section heading (二 → 2, 三 → 3, 四 → 4; 一, 五, 六 close it) or at a header
line of a table (a line whose cells are all header words of one table: 第二十条第（一）项, 信息内容,
本年制发件数 …; 申请人情况, 自然人 …; 行政复议, 行政诉讼, 结果维持 …), and lasts until the next one.
Page furniture (— 3 —, 第 3 页, rules) and repeated report titles are dropped from the zones.
"""

from __future__ import annotations

import polars as pl

from orchestration.lib.parsing.gov_cells import explode_cells
from orchestration.lib.parsing.gov_seeds import GovSeeds, header_key
from orchestration.lib.parsing.segments import in_pairs, join_pairs
from orchestration.lib.parsing.table_pre2019 import PAGE_NUMBER_RE, RULE_RE, by_distinct
from orchestration.lib.parsing.text import compact

#: Lines longer than this are never header lines.
MAX_HEADER_LINE = 200
#: A 表二 block marker inside a header cell (header_key drops the bracketed numeral): 第二十条第项.
BLOCK_RE = r"第二十条第(?:\(?[一二三四五六七八九十]+\)?)?项"
#: The note above 表三's columns: （本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）.
T3_NOTE_RE = r"勾稽关系"
#: Zone opened by each section heading (0: outside every table).
SECTION_ZONES = {1: 0, 2: 2, 3: 3, 4: 4, 5: 0, 6: 0}
#: A line that is only a page number, kept for a closer look: it may be a value of a one-cell-per-line table.
BARE_NUMBER_RE = r"^\s*[0-9０-９]{1,3}\s*$"

#: Lines of the zones, ready to be split into cells.
ZONE_LINES = pl.Schema({"doc": pl.UInt32, "line_no": pl.Int32, "line": pl.String, "zone": pl.Int32})
#: Header lines: zone NULL when the line names no single table (a lone 总计).
HEADER_LINES = pl.Schema({"doc": pl.UInt32, "line_no": pl.Int32, "zone": pl.Int32, "n_header_cells": pl.UInt32})


def _header_cells(cells: pl.DataFrame, by_word: pl.DataFrame, key: str) -> pl.DataFrame:
    """doc, line_no, all_header, zones, n_header_cells of the lines of ``cells`` read by ``key``."""
    block = pl.col(key).str.contains(BLOCK_RE).fill_null(False)
    note = pl.col(key).str.contains(T3_NOTE_RE).fill_null(False)
    cell_zone = (
        pl.when(block)
        .then(pl.lit(2, pl.Int32))
        .when(note)
        .then(pl.lit(3, pl.Int32))
        .when(pl.col("h_exclusive"))
        .then(pl.col("h_table"))
    )
    return (
        cells.join(by_word, left_on=key, right_on="word", how="left")
        .with_columns(is_header=block | note | pl.col("h_table").is_not_null(), cell_zone=cell_zone)
        .group_by("doc", "line_no")
        .agg(
            all_header=pl.col("is_header").all(),
            zones=pl.col("cell_zone").drop_nulls().unique(),
            n_header_cells=pl.len(),
        )
        .filter(pl.col("all_header"))
    )


def header_lines(lines: pl.DataFrame, seeds: GovSeeds) -> pl.DataFrame:
    """HEADER_LINES: the lines whose cells are all header words (read as cells, or as words
    between single spaces: "行政复议 行政诉讼"), with the one table their table-specific words
    name (NULL when they name none, e.g. a lone 总计, or several)."""
    words = seeds.header_words
    needles = [*words.filter(pl.col("exclusive") & (pl.col("word").str.len_chars() >= 3))["word"], "第二十条", "勾稽"]
    cand = lines.filter(
        ~pl.col("is_blank")
        & (pl.col("line").str.len_chars() <= MAX_HEADER_LINE)
        & pl.col("line").str.contains_any(needles)
        & ~pl.col("line").str.contains("。", literal=True)
    )
    if cand.is_empty():
        return pl.DataFrame(schema=HEADER_LINES)
    by_word = words.group_by("word").agg(
        h_table=pl.col("table_no").first(),
        h_exclusive=pl.col("exclusive").all() & (pl.col("table_no").n_unique() == 1),
    )
    cells = explode_cells(cand).filter(pl.col("kind") != "empty")
    parts = cells.select("doc", "line_no", part=pl.col("cell").str.replace_all(r"\s+", " ").str.split(" "))
    parts = parts.explode("part")
    parts = by_distinct(parts.filter(pl.col("part") != ""), "part", pkey=header_key(pl.col("part")))
    found = pl.concat([_header_cells(cells, by_word, "hkey"), _header_cells(parts, by_word, "pkey")])
    return (
        found.sort("doc", "line_no", "n_header_cells", descending=[False, False, True])
        .unique(subset=["doc", "line_no"], keep="first", maintain_order=True)
        .select(
            "doc",
            "line_no",
            zone=pl.when(pl.col("zones").list.len() == 1).then(pl.col("zones").list.first()),
            n_header_cells="n_header_cells",
        )
        .cast(HEADER_LINES)
        .sort("doc", "line_no")
    )


def zone_lines(
    lines: pl.DataFrame, headings: pl.DataFrame, headers: pl.DataFrame, titles: pl.DataFrame
) -> pl.DataFrame:
    """ZONE_LINES: the non-blank lines of zones 2-4 without headings, page furniture and repeated
    titles (bare page numbers are judged later, with the cells around them)."""
    section_zone = pl.col("section_no").replace_strict(SECTION_ZONES, return_dtype=pl.Int32)
    marks = pl.concat(
        [
            headings.select("doc", line_no="start_line", mark=section_zone, is_heading=pl.lit(True)),
            headers.filter(pl.col("zone").is_not_null()).select(
                "doc", "line_no", mark="zone", is_heading=pl.lit(False)
            ),
        ]
    ).unique(subset=["doc", "line_no"], keep="first")
    if marks.is_empty():
        return pl.DataFrame(schema=ZONE_LINES)
    in_docs = lines.join(marks.select("doc").unique(), on="doc", how="semi")
    zoned = (
        join_pairs(in_docs, marks, "doc", "line_no", how="left")
        .with_columns(zone=pl.col("mark").forward_fill().over("doc"))
        .filter(pl.col("zone").is_in([2, 3, 4]) & ~pl.col("is_blank") & ~pl.col("is_heading").fill_null(False))
    )
    furniture = (pl.col("line").str.contains(PAGE_NUMBER_RE) & ~pl.col("line").str.contains(BARE_NUMBER_RE)) | (
        pl.col("line").str.contains(RULE_RE) & ~pl.col("line").str.contains(r"^\s*(?:-{1,2}|—{1,2}|－)\s*$")
    )
    zoned = zoned.filter(~furniture)
    # A report title repeated as a page header (compared without white space).
    title_keys = titles.select("doc", "title_line", title_key=compact(pl.col("title")))
    repeated = (
        zoned.filter(pl.col("line").str.contains_any(["报告", "報告"]))
        .join(title_keys, on="doc", how="inner")
        .filter((compact(pl.col("line")) == pl.col("title_key")) & (pl.col("line_no") != pl.col("title_line")))
        .select("doc", "line_no")
    )
    return zoned.filter(~in_pairs(repeated, "doc", "line_no")).select(ZONE_LINES.names()).cast(ZONE_LINES)


def repeated_headers(lines: pl.DataFrame, headers: pl.DataFrame) -> pl.DataFrame:
    """doc, line_no of header lines of two or more cells printed again further down (a page
    header repeating the table's column line): only the first one counts."""
    multi = headers.filter(pl.col("n_header_cells") >= 2).select("doc", "line_no")
    text = lines.filter(in_pairs(multi, "doc", "line_no")).select(
        "doc", "line_no", key=pl.col("line").str.replace_all(r"\s+", "")
    )
    return text.filter(
        pl.col("key").is_duplicated().over("doc") & (pl.int_range(pl.len()).over("doc", "key") > 0)
    ).select("doc", "line_no")
