"""Character forms of the cleaned text: full-width forms → ASCII, white space removed, traditional
characters → simplified.

Full-width forms are mapped to ASCII (the part of NFKC that is safe here: ０-９ Ａ-Ｚ ，：；（）％ …;
circled numbers and the like are left alone) and all white space is removed, in one Aho-Corasick
pass. Traditional characters are converted with OpenCC t2s, only for documents detected as
traditional from a sample of their first lines (one Python call per such document).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import polars as pl

#: White space removed from the cleaned text (ASCII, no-break, ideographic, the U+2000 block, BOM).
WHITESPACE = [" ", "\t", "\r", "\f", "\v", "\u00a0", "\u3000", "\u200b", "\ufeff", "\u2028", "\u2029"] + [
    chr(c) for c in range(0x2000, 0x200B)
]
#: Full-width ASCII variants (U+FF01-U+FF5E) → ASCII, white space → nothing: one Aho-Corasick pass.
FULLWIDTH = [chr(c) for c in range(0xFF01, 0xFF5F)] + WHITESPACE
ASCII = [chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)] + [""] * len(WHITESPACE)
#: Full-width digits and letters: the fullwidth_normalised flag (full-width punctuation is normal in Chinese).
FULLWIDTH_ALNUM = [chr(c) for c in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))]

#: Frequent characters that exist only in traditional script (filtered through OpenCC at first use).
_TRADITIONAL_CANDIDATES = (
    "這個們來時會對說國為於與開關發處務員機數據統計區縣鎮鄉報導點進過還應該將讓從後種總條費經濟體設資訊網絡"
    "電話郵編號碼辦項門類專職單檔規範問題實現檢查權責監督議見認識舉訓練聽證護術歷變農醫療衛學習東長義紀組織黨"
    "幹業請標準審時間運營衆眾傳聯繫維護議員則與產價錢財稅務環較監測級齊屬戶規劃團隊協調購買態廣場陽態"
    "無復訴訟門戶網頁號樓層電郵箱傳真熱應屆狀況場況強製製覽閱讀編輯範圍歸檔讀檔錄載數據庫庫險覆蓋結紹"
    "軟硬處罰獎懲執況證書氣響順暢實績務須優勢劃撥環節軌跡鄰單據彙匯總體記錄礎畫計劃題詢諮詢辦理稱並"
)
#: A document is traditional when at least this many, and this share of the characters of its first
#: lines (a sample: the first TRADITIONAL_SAMPLE_CHARS characters of each of its first
#: TRADITIONAL_SAMPLE_LINES non-blank lines), are traditional-only.
TRADITIONAL_MIN_HITS = 5
TRADITIONAL_MIN_SHARE = 0.02
TRADITIONAL_SAMPLE_LINES = 12
TRADITIONAL_SAMPLE_CHARS = 200


@lru_cache(maxsize=1)
def _opencc() -> Any:  # opencc ships no type hints
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def traditional_chars() -> str:
    """The traditional-only characters used for detection (those OpenCC t2s changes)."""
    cc = _opencc()
    return "".join(dict.fromkeys(ch for ch in _TRADITIONAL_CANDIDATES if cc.convert(ch) != ch))


def to_simplified(text: str) -> str:
    """OpenCC t2s of one text."""
    return _opencc().convert(text)


def cleaned_text(expr: pl.Expr) -> pl.Expr:
    """Full-width forms → ASCII, white space removed (one pass)."""
    return expr.str.replace_many(FULLWIDTH, ASCII)


def detect_traditional(lines: pl.DataFrame, text_col: str = "text") -> pl.DataFrame:
    """doc, is_traditional: by the share of traditional-only characters in the first lines.

    ``lines``: doc, ``text_col`` in document then line order (one row per document works too).
    """
    sample = lines.filter(pl.int_range(pl.len()).over("doc") < TRADITIONAL_SAMPLE_LINES).select(
        "doc", text=pl.col(text_col).str.slice(0, TRADITIONAL_SAMPLE_CHARS)
    )
    # Most documents have none: the (character class) test first, the count only where it hits.
    docs = sample.select("doc").unique()
    hit = sample.filter(pl.col("text").str.contains(f"[{traditional_chars()}]")).select("doc").unique()
    counts = (
        sample.join(hit, on="doc", how="semi")
        .group_by("doc")
        .agg(
            trad=pl.col("text").str.count_matches(f"[{traditional_chars()}]").sum(),
            chars=pl.col("text").str.len_chars().sum(),
        )
    )
    is_traditional = (pl.col("trad") >= TRADITIONAL_MIN_HITS) & (
        pl.col("trad") >= TRADITIONAL_MIN_SHARE * pl.col("chars")
    )
    return docs.join(counts.select("doc", is_traditional=is_traditional), on="doc", how="left").select(
        "doc", pl.col("is_traditional").fill_null(False)
    )


def convert_traditional(lines: pl.DataFrame, trad_docs: pl.Series) -> pl.DataFrame:
    """t2s of the ``text`` of the lines of ``trad_docs`` (one OpenCC call per document)."""
    if trad_docs.is_empty():
        return lines
    part = lines.filter(pl.col("doc").is_in(trad_docs.implode()))
    converted: list[pl.DataFrame] = []
    for _key, group in part.group_by("doc", maintain_order=True):
        texts = group["text"].to_list()
        joined = to_simplified("\n".join(texts)).split("\n")
        if len(joined) != len(texts):  # a conversion never spans lines; be safe anyway
            joined = [to_simplified(t) for t in texts]
        converted.append(group.with_columns(text=pl.Series(joined, dtype=pl.String)))
    new = pl.concat(converted).select("doc", "line_no", new_text="text")
    return (
        lines.join(new, on=["doc", "line_no"], how="left", maintain_order="left")
        .with_columns(text=pl.coalesce("new_text", "text"))
        .drop("new_text")
    )
