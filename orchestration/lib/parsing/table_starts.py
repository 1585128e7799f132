"""Where the statistics table starts (its header line, or its title line …统计表)."""

from __future__ import annotations

import polars as pl

from orchestration.lib.parsing.lines import with_text_columns
from orchestration.lib.parsing.titles import SHORT_LINE

#: 统 计 指 标 | 单 位 | 统 计 数 (compact, pipes removed).
TABLE_HEADER_RE = r"^(?:统计)?指标(?:名称)?(?:计量)?单位(?:统计数|统计数据|数量|数值|数据|数)$"
#: 灵武市临河镇 2018 年度政府信息公开情况 统计表; 附件：…统计表 (compact).
TABLE_TITLE_RE = r"^.{0,50}(?:公开|信息).{0,20}统计表(?:\([^()]{0,12}\))?[:.。]?$"


def table_header_expr(compact: pl.Expr) -> pl.Expr:
    return compact.str.replace_all(r"[|｜]", "").str.contains(TABLE_HEADER_RE)


def table_title_expr(compact: pl.Expr) -> pl.Expr:
    return compact.str.contains(TABLE_TITLE_RE)


def find_table_starts(lines: pl.DataFrame) -> pl.DataFrame:
    """doc, table_start_line, region_start.

    table_start_line: the first table header line, else the first table-title line (…统计表).
    region_start: the earlier of the two; table rows are only read below it.
    """
    marks = with_text_columns(
        lines.filter(pl.col("line").str.contains("[指表]") & (pl.col("line").str.len_chars() <= SHORT_LINE))
    ).with_columns(
        is_header=table_header_expr(pl.col("compact")),
        is_title=table_title_expr(pl.col("compact")),
    )
    return (
        marks.filter(pl.col("is_header") | pl.col("is_title"))
        .group_by("doc")
        .agg(
            header_line=pl.col("line_no").filter(pl.col("is_header")).min(),
            title_line=pl.col("line_no").filter(pl.col("is_title")).min(),
        )
        .select(
            "doc",
            table_start_line=pl.coalesce("header_line", "title_line").cast(pl.Int32),
            region_start=pl.min_horizontal("header_line", "title_line").cast(pl.Int32),
        )
    )
