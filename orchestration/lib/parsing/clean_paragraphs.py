"""Paragraphs and section headings of the kept prose lines (the CLEAN_LINES frame).

A line ending without sentence-final punctuation is rejoined with the next kept line when that one
continues the sentence (seed 002: "…并在年内召" + blank + "开了2次…"): both lines get one ``para``.
A short line starting with section numbering (一、 (一) 1、 第一章 一是 ①) is a heading; every line
carries the last heading at or above it.
"""

from __future__ import annotations

import polars as pl

from orchestration.lib.parsing.prose_patterns import PatternRules
from orchestration.lib.parsing.prose_rules import load_rules

#: The cleaned prose lines: one row per kept line, in document then line order.
CLEAN_LINES = pl.Schema(
    {
        "doc": pl.UInt32,
        "line_no": pl.Int32,  # raw 1-based line number
        "text": pl.String,  # cleaned: chrome-free, spam repaired, ASCII forms, simplified, no white space
        "para": pl.Int32,  # lines rejoined into one paragraph share it (increasing through the batch)
        "heading": pl.String,  # the last section heading at or above the line ('' before the first)
    }
)

#: A line starting with section numbering: 一、 (一) 1、 1. 第一章 一是 ①.
HEADING_START_RE = (
    r"^(?:[一二三四五六七八九十]+[、.]|\([一二三四五六七八九十\d]{1,3}\)|\d{1,2}[、.](?:[^\d]|$)|"
    r"第[一二三四五六七八九十\d]+[章节部分]|[一二三四五六七八九十]是|[①-⑳])"
)
#: A heading is short.
HEADING_MAX = 40
#: Sentence-final (or block-final) characters: a line ending with one is never rejoined.
TERMINALS = '。;!?…:”’"』」)]】》'
#: A line ending otherwise is rejoined with the next when it ends with a comma-like character or is
#: at least this long (a line cut by the page width, not a short heading or signature).
MIN_WRAPPED_LINE = 15


def rejoin_paragraphs(kept: pl.DataFrame, rules: PatternRules | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Assign paragraphs (a line continuing the previous line's sentence joins its paragraph) and
    section headings. Returns (CLEAN_LINES, doc/rejoined).

    Besides a line ending with a comma or cut by the page width, a line is continued by the next
    when a book title is open at its end (《…公 + 报》) or when the next starts with the rest of a
    quantity (…申请1 + 2件 / …信息 + 86条): a number cut by a page break is moved whole onto the
    line where it starts (quantities are read within a line).

    The lines are sorted by doc and line_no; shifts are global with a same-document test (cheaper
    than windows over thousands of documents).
    """
    kept = kept.sort("doc", "line_no")
    text = pl.col("text")
    same_doc = pl.col("doc") == pl.col("doc").shift(1)
    starts_numbered = text.str.contains(HEADING_START_RE)
    units = "|".join(sorted((rules or load_rules()).units, key=len, reverse=True))
    kept = kept.with_columns(
        numbered=starts_numbered,
        is_heading=starts_numbered & (text.str.len_chars() <= HEADING_MAX),
        first=~same_doc.fill_null(False),
        last=text.str.slice(-1, 1),
        long=text.str.len_chars() >= MIN_WRAPPED_LINE,
        open_title=text.str.count_matches("《", literal=True) > text.str.count_matches("》", literal=True),
        ends_digit=text.str.contains(r"\d$"),
        # the rest of a number and its unit, or a whole quantity, at the start of the line
        lead=text.str.extract(rf"^((?:\d[\d,.]*)?(?:万|千)?(?:余|多)?(?:{units}))", 1),
    )
    soft = (
        ~pl.col("first")
        & ~pl.col("last").shift(1).is_in(list(TERMINALS))
        & ~pl.col("is_heading").shift(1).fill_null(False)
        & ~pl.col("numbered")
        & (
            pl.col("last").shift(1).is_in([",", "、"])
            | pl.col("long").shift(1)
            | pl.col("open_title").shift(1)
            | (pl.col("lead").is_not_null() & pl.col("lead").str.contains(r"^\d"))
            | (pl.col("ends_digit").shift(1) & pl.col("lead").is_not_null())
        )
    ).fill_null(False)
    # A number cut by the break: its rest (digits and unit) moves to the previous line.
    carry = (soft & pl.col("ends_digit").shift(1) & pl.col("lead").is_not_null()).fill_null(False)
    kept = kept.with_columns(carry=carry)
    kept = kept.with_columns(
        text=pl.when(pl.col("carry")).then(text.str.slice(pl.col("lead").str.len_chars())).otherwise(text)
    ).with_columns(
        text=pl.when(pl.col("carry").shift(-1).fill_null(False))
        .then(pl.concat_str(text, pl.col("lead").shift(-1)))
        .otherwise(text)
    )
    out = kept.with_columns(soft=soft)
    out = out.with_columns(
        para=(~pl.col("soft")).cast(pl.Int32).cum_sum(),
        heading=pl.when(pl.col("is_heading"))
        .then(pl.col("text"))
        .when(pl.col("first"))
        .then(pl.lit(""))
        .otherwise(None)
        .forward_fill(),
    )
    rejoined = out.filter("soft").select("doc").unique().with_columns(rejoined=pl.lit(True))
    return out.select(CLEAN_LINES.names()), rejoined
