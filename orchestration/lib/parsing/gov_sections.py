"""The six section headings of the national templates and the sections they open.

一、总体情况; 二、主动公开政府信息情况; 三、收到和处理政府信息公开申请情况; 四、政府信息公开行政复议、
行政诉讼情况; 五、存在的主要问题及改进情况; 六、其他需要报告的事项 — with or without the numeral,
with 、 . ， or a space after it, stray spaces, a trailing colon, 和 for 、 and the like. Only short
lines are read (NFKC and white space removed).
"""

from __future__ import annotations

import polars as pl

from orchestration.lib.parsing.segments import join_pairs
from orchestration.lib.parsing.text import STRIP_CHARS, compact

#: Headings are short lines.
HEADING_MAX_CHARS = 40
#: This many headings on consecutive non-blank lines are a table of contents, not the sections.
MIN_TOC_LINES = 3

#: Numeral before a heading (compact): 一、 一. 一， 一: a bare 一, or 第一部分 (NFKC turns ， into ","),
#: after markdown emphasis or brackets (**一、总体情况**, 【一、总体情况】).
_NUMERAL = r"^[#*【\[]*(?:第[一二三四五六七八九十]部分[、.,:]?|[一二三四五六七八九十]{1,2}[、.,:]?)?"

#: Heading text after the numeral (compact), by section number.
SECTION_RES: dict[int, str] = {
    1: r"总体(?:工作)?情况(?:概述)?",
    2: r"主动公开政府信息(?:的)?(?:工作)?情况",
    3: r"收到和处理政府信息公开申请(?:的)?情况",
    4: r"(?:因)?政府信息公开(?:工作)?(?:被申请)?行政复议[、,和及与]?(?:提起)?行政诉讼(?:的)?情况",
    5: r"(?:政府信息公开(?:工作)?)?存在的?主要问题(?:及|和|与)(?:其)?改进(?:情况|措施)",
    6: r"其他需要报告的(?:事项|情况)",
}

#: Sections whose heading, with at least two others, makes a document a national-template report:
#: their wording is the 2019 template's own (a pre-2019 report may well have 二/五/六-like headings).
DISTINCTIVE_SECTIONS = (3, 4)

#: Found headings, one per section and document (the first occurrence).
HEADINGS = pl.Schema(
    {
        "doc": pl.UInt32,
        "section_no": pl.Int32,
        "heading": pl.String,  # the line as printed, stripped
        "start_line": pl.Int32,
    }
)

#: SECTIONS without report_id, keyed by doc.
GOV_SECTIONS = pl.Schema(
    {
        "doc": pl.UInt32,
        "section_no": pl.Int32,
        "heading": pl.String,
        "start_line": pl.Int32,
        "end_line": pl.Int32,
        "text": pl.String,
    }
)

_TAIL = r"[:.。]?[*】\]]*$"


def section_number(compact_line: pl.Expr) -> pl.Expr:
    """1-6 when the compact line is one of the six headings, else NULL."""
    expr = pl.lit(None, dtype=pl.Int32)
    for no in sorted(SECTION_RES, reverse=True):
        expr = (
            pl.when(compact_line.str.contains(f"{_NUMERAL}{SECTION_RES[no]}{_TAIL}"))
            .then(pl.lit(no, pl.Int32))
            .otherwise(expr)
        )
    return expr


def find_headings(lines: pl.DataFrame) -> pl.DataFrame:
    """HEADINGS of every document: the first line of each of the six headings, a table of contents
    left out (three or more headings on consecutive non-blank lines, printed again further down)."""
    short = lines.filter(
        ~pl.col("is_blank")
        & (pl.col("line").str.len_chars() <= HEADING_MAX_CHARS)
        & pl.col("line").str.contains_any(["情况", "事项", "情 况", "事 项"])
    )
    # Lazily: the compact line, read by all six tests, is computed once.
    found = (
        short.lazy()
        .with_columns(section_no=section_number(compact(pl.col("line"))))
        .filter(pl.col("section_no").is_not_null())
        .collect()
    )
    if found.is_empty():
        return pl.DataFrame(schema=HEADINGS)
    # Index of each non-blank line among the document's non-blank lines.
    filled = (
        lines.join(found.select("doc").unique(), on="doc", how="semi")
        .filter(~pl.col("is_blank"))
        .select("doc", "line_no", nb=pl.int_range(pl.len()).over("doc"))
    )
    found = found.join(filled, on=["doc", "line_no"], how="left").sort("doc", "line_no")
    # A run of headings on consecutive non-blank lines, numbered upwards (the list, then the report).
    breaks = (pl.col("nb") != pl.col("nb").shift(1) + 1) | (pl.col("section_no") <= pl.col("section_no").shift(1))
    run = breaks.fill_null(True).cum_sum().over("doc")
    in_list = pl.len().over("doc", "run") >= MIN_TOC_LINES
    repeated = pl.len().over("doc", "section_no") > 1  # the list's headings come again below
    found = found.with_columns(run=run).filter(~(in_list & repeated))
    return (
        found.unique(subset=["doc", "section_no"], keep="first", maintain_order=True)
        .select("doc", "section_no", heading=pl.col("line").str.strip_chars(STRIP_CHARS), start_line="line_no")
        .cast(HEADINGS)
    )


def build_sections(lines: pl.DataFrame, headings: pl.DataFrame) -> pl.DataFrame:
    """GOV_SECTIONS: each heading's section runs to the line before the next heading (by line),
    or to the document's last line; text is the lines below the heading without the blank lines
    at its start and end, joined by newlines (tables included)."""
    last = lines.group_by("doc").agg(last_line=pl.col("line_no").max())
    spans = (
        headings.sort("doc", "start_line")
        .join(last, on="doc", how="left")
        .with_columns(
            end_line=(pl.col("start_line").shift(-1).over("doc") - 1).fill_null(pl.col("last_line")).cast(pl.Int32)
        )
    )
    # Each line takes the last heading above it (a left join and a forward fill, no line × section product).
    marks = headings.select("doc", line_no="start_line", mark="section_no")
    body = (
        lines.select("doc", "line_no", "line", "is_blank")
        .pipe(join_pairs, marks, "doc", "line_no", how="left")
        .with_columns(section_no=pl.col("mark").forward_fill().over("doc"))
        .filter(pl.col("section_no").is_not_null() & pl.col("mark").is_null())
    )
    filled = pl.col("line_no").filter(~pl.col("is_blank"))
    text = body.group_by("doc", "section_no", maintain_order=True).agg(
        text=pl.col("line")
        .filter((pl.col("line_no") >= filled.min()) & (pl.col("line_no") <= filled.max()))
        .str.join("\n")
    )
    return (
        spans.join(text, on=["doc", "section_no"], how="left")
        .with_columns(text=pl.col("text").fill_null(""))
        .select(GOV_SECTIONS.names())
        .cast(GOV_SECTIONS)
        .sort("doc", "section_no")
    )
