"""Documents → one lines frame for the whole batch (polars only, no Python loop)."""

from __future__ import annotations

import polars as pl

from orchestration.lib.parsing.text import STRIP_CHARS, compact

#: One row per line of every document, keyed by ``doc`` (the document's row index in the batch;
#: explode_lines(docs, key="report_id") keys the lines by report_id instead).
LINES = pl.Schema(
    {
        "doc": pl.UInt32,
        "line_no": pl.Int32,  # 1-based, as an editor numbers the decoded file
        "line": pl.String,  # the line as decoded (no newline)
        "is_blank": pl.Boolean,  # only white space
    }
)


def normalised_text(expr: pl.Expr) -> pl.Expr:
    """Line endings as ``\\n`` (decode_files already does this; documents may come from elsewhere)."""
    return expr.fill_null("").str.replace_all("\r\n", "\n", literal=True).str.replace_all("\r", "\n", literal=True)


def explode_lines(docs: pl.DataFrame, key: str = "doc", text_col: str = "text") -> pl.DataFrame:
    """Explode ``docs`` into one row per line: ``key``, line_no, line, is_blank (LINES).

    ``str.split`` + ``explode``, with an ``int_ranges`` list exploded alongside for the line
    numbers: the frame keeps document order, then line order, which ``over(key)`` relies on.
    A text ending with a newline has no extra empty last line.
    """
    parts = docs.select(
        pl.col(key),
        normalised_text(pl.col(text_col)).str.strip_suffix("\n").str.split("\n").alias("line"),
    )
    return (
        parts.with_columns(line_no=pl.int_ranges(1, pl.col("line").list.len() + 1, dtype=pl.Int32))
        .explode(["line", "line_no"])
        .with_columns(is_blank=pl.col("line").str.strip_chars() == "")
        .select(key, "line_no", "line", "is_blank")
    )


def with_text_columns(lines: pl.DataFrame) -> pl.DataFrame:
    """Add ``stripped`` (spaces stripped at both ends, tabs kept: they delimit empty cells) and
    ``compact`` (NFKC, all white space removed: what the line-level regexes read).

    Applied to the subsets of lines that need them (NFKC over every line of a batch is the
    most expensive step of the parse otherwise).
    """
    return lines.with_columns(
        stripped=pl.col("line").str.strip_chars(STRIP_CHARS),
        compact=compact(pl.col("line")),
    )


def line_counts(expr: pl.Expr) -> pl.Expr:
    """Lines of a text as an editor counts them (a final newline does not open a new line)."""
    text = normalised_text(expr)
    return (
        pl.when(text == "")
        .then(0)
        .otherwise(text.str.count_matches("\n", literal=True) + (~text.str.ends_with("\n")).cast(pl.UInt32))
        .cast(pl.Int32)
    )
