"""Shared polars expressions over Chinese report text (no Python loops, no I/O).

Everything here returns a ``pl.Expr`` so that callers apply it to a whole batch of
lines at once.
"""

from __future__ import annotations

import polars as pl

#: Characters stripped from both ends of a line (tabs are kept: they separate table cells).
STRIP_CHARS = " \u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u3000\f\v\r\ufeff"

_CN_DIGITS = ["〇", "零", "○", "Ｏ", "O", "一", "二", "三", "四", "五", "六", "七", "八", "九"]
_CN_DIGIT_VALUES = ["0", "0", "0", "0", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]

#: Parenthetical notes, e.g. （不同渠道和方式公开相同信息计 1 条）; after NFKC all brackets are ASCII.
_PAREN = r"\([^()]*\)"
#: An unclosed note at the end of a line (the first part of a wrapped label).
_OPEN_PAREN_TAIL = r"\([^()]*$"
#: The dangling end of a note at the start of a line (the second part of a wrapped label).
_CLOSE_PAREN_HEAD = r"^[^()]*\)"
#: Numbering prefixes (after NFKC): 一、 (一) 1. 1、 1) ①→1 其中: ; repeated (e.g. "(三)其中:").
_NUMBERING = r"^(?:[一二三四五六七八九十]+[、.]|\d{1,2}[.、)]?|其中:?)+"


def compact(expr: pl.Expr) -> pl.Expr:
    """NFKC-normalised text with every white-space character removed."""
    return expr.str.normalize("NFKC").str.replace_all(r"\s+", "")


def label_key(expr: pl.Expr) -> pl.Expr:
    """Match key of a table row label (and of a catalogue ``name_zh``).

    NFKC (full-width brackets, colons and digits become ASCII), parenthetical notes
    removed (also an unclosed one at the end or a dangling closing one at the start),
    white space removed (stray spaces inside labels, e.g. "社会 稳定"), numbering prefixes
    and trailing punctuation removed.
    """
    text = expr.str.normalize("NFKC")
    text = text.str.replace_all(_PAREN, "").str.replace_all(_PAREN, "")
    text = text.str.replace(_CLOSE_PAREN_HEAD, "").str.replace(_OPEN_PAREN_TAIL, "")
    text = text.str.replace_all(r"\s+", "")
    text = text.str.replace(_NUMBERING, "")
    return text.str.replace(r"[:;,.。、]+$", "")


def cn_year_to_ascii(expr: pl.Expr) -> pl.Expr:
    """二〇一八 → 2018 (digit by digit); other characters are left unchanged."""
    return expr.str.replace_many(_CN_DIGITS, _CN_DIGIT_VALUES)


def cn_small_number(expr: pl.Expr) -> pl.Expr:
    """一 … 三十一 (a month or a day in Chinese numerals) → Int32; NULL if not such a number."""
    digit = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
    valid = expr.str.contains(r"^(?:[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])$")
    has_ten = expr.str.contains("十", literal=True)
    tens = (
        expr.str.extract(r"^([一二三])十", 1)
        .replace_strict(digit, default=None, return_dtype=pl.Int32)
        .fill_null(pl.when(has_ten).then(1).otherwise(0))
    )
    ones = (
        expr.str.extract(r"([一二三四五六七八九])$", 1)
        .replace_strict(digit, default=None, return_dtype=pl.Int32)
        .fill_null(0)
    )
    return pl.when(valid).then((tens * 10 + ones).cast(pl.Int32)).otherwise(None)
