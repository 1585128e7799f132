"""Cleaned lines → sentences, each mapped back to the raw lines it spans.

A paragraph's lines (clean.py gives rejoined lines one ``para``) are joined with a marker character
(``MARK``) and split into sentences at 。；！？; the raw line of any character of a sentence is the
paragraph's line after as many markers as precede it (``marks_before``).
"""

from __future__ import annotations

import polars as pl

#: Joins the lines of a paragraph (the raw line of a character = the number of markers before it).
MARK = "\x1e"
_SENTENCE_CUT = "\x1f"
#: Replaces masked spans (never part of a number or a unit).
MASK = "〓"

#: Sentence ends besides 。 (after full-width mapping).
_OTHER_ENDS_RE = r"([;!?])"


def _cut_sentences(paras: pl.DataFrame) -> pl.DataFrame:
    """Paragraphs (…, text) → one row per sentence (…, text), in order. A literal split at 。
    (fast), then a regex split of the few pieces holding ; ! or ?."""
    pieces = paras.with_columns(text=pl.col("text").str.split("。", inclusive=True)).explode("text")
    pieces = pieces.with_row_index("_r")
    has_other = pl.col("text").str.contains(r"[;!?]")
    other = (
        pieces.filter(has_other)
        .with_columns(
            text=pl.col("text").str.replace_all(_OTHER_ENDS_RE, "${1}" + _SENTENCE_CUT).str.split(_SENTENCE_CUT)
        )
        .with_columns(_s=pl.int_ranges(0, pl.col("text").list.len(), dtype=pl.Int32))
        .explode("text", "_s")
    )
    plain = pieces.filter(~has_other).with_columns(_s=pl.lit(0, dtype=pl.Int32))
    out = pl.concat([plain, other.select(plain.columns)]).sort("_r", "_s").drop("_r", "_s")
    # sent: the sentence's number within its paragraph (paragraph numbers increase through the batch).
    idx = pl.int_range(pl.len(), dtype=pl.Int32)
    start = pl.when(pl.col("para") != pl.col("para").shift(1).fill_null(-1)).then(idx).otherwise(None).forward_fill()
    return out.with_columns(sent=idx - start)


def split_sentences(clean_lines: pl.DataFrame) -> pl.DataFrame:
    """doc, para, sent, text (lines joined by MARK), plain (without MARK), heading, line_nos,
    first_idx (index into line_nos of the sentence's first line), in document and text order.

    Most paragraphs are one line: only the others are grouped, and only their sentences need the
    running count of line markers (paragraph numbers increase through the batch, clean.CLEAN_LINES).
    A sentence never starts with a MARK: a line ending with 。；！？ is never rejoined.
    """
    alone = (pl.col("para") != pl.col("para").shift(1)).fill_null(True) & (
        pl.col("para") != pl.col("para").shift(-1)
    ).fill_null(True)
    flagged = clean_lines.with_columns(alone=alone)
    single = _cut_sentences(
        flagged.filter("alone").select(
            "doc", "para", "text", line_nos=pl.concat_list(pl.col("line_no")), heading="heading"
        )
    ).with_columns(first_idx=pl.lit(0, dtype=pl.Int32), plain="text")
    multi = _cut_sentences(
        flagged.filter(~pl.col("alone"))
        .group_by("doc", "para", maintain_order=True)
        .agg(text=pl.col("text").str.join(MARK), line_nos=pl.col("line_no"), heading=pl.col("heading").first())
    )
    marks = pl.col("text").str.count_matches(MARK, literal=True).cast(pl.Int32)
    running = marks.cum_sum() - marks
    at_start = pl.when(pl.col("sent") == 0).then(running).otherwise(None).forward_fill()
    multi = multi.with_columns(
        first_idx=(running - at_start).cast(pl.Int32),
        plain=pl.col("text").str.replace_all(MARK, "", literal=True),
    )
    sents = pl.concat([single, multi.select(single.columns)]).sort("para", "sent")
    sents = sents.filter(pl.col("plain") != "")
    # psent: the full sentence (ended by 。!?, not by ;): equal for two sentences of a paragraph
    # when no full stop lies between them (a running count through the batch).
    full_end = pl.col("plain").str.slice(-1, 1).is_in(["。", "!", "?"]).cast(pl.Int32)
    return sents.with_columns(psent=(full_end.cum_sum() - full_end).cast(pl.Int32))


def marks_before(text: pl.Expr, plain_pos: pl.Expr) -> pl.Expr:
    """Markers in ``text`` before the character at ``plain_pos`` of its MARK-free version."""
    m = pl.lit(0, dtype=pl.UInt32)
    for _ in range(4):
        m = text.str.slice(0, plain_pos + m).str.count_matches(MARK, literal=True)
    return m
