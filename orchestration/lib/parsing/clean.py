"""Cleaning: a cleaned view of each report's prose that maps back to raw line numbers.

The raw text is never altered (metadata and the statistics table read the raw lines). Cleaning
works on the lines between the title and the statistics table, for the whole batch at once:

- web-page chrome (图片, 发布时间/来源 lines, 字号 大 中 小, 打印本页, 关闭, 上一条/下一条, 分享到,
  breadcrumbs, banner lines above the title) and page furniture (— 3 —, 第 3 页, - 3 -, a bare page
  number, a short line repeated on every page) are dropped (clean_chrome.py);
- spam injection (a foreign string such as "必威体育平台,必威体育app" put in place of a common word
  everywhere in a document) is found from its repetitions (clean_spam.py), dropped where it stands
  alone on a line and replaced elsewhere by the word its contexts call for (其他, 相关, …) when that
  word is evident (clean_spam_repair.py);
- full-width forms are mapped to ASCII (the part of NFKC that is safe here: ０-９ Ａ-Ｚ ，：；（）％ …;
  circled numbers and the like are left alone) and all white space is removed; traditional
  characters are converted to simplified (OpenCC t2s), only for documents detected as traditional
  (one Python call per such document; clean_chars.py);
- a line ending without sentence-final punctuation is rejoined with the next kept line when that one
  continues the sentence (seed 002: "…并在年内召" + blank + "开了2次…"): both lines get one ``para``
  (clean_paragraphs.py).

Every cleaned line keeps its raw ``line_no``; prose.py joins a paragraph's lines with a marker
character, so the raw line of any character of a sentence is known. This module assembles the
steps and the cleaning flags, and re-exports the names callers import from it.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from orchestration.lib.parsing.clean_chars import (
    ASCII,
    FULLWIDTH,
    FULLWIDTH_ALNUM,
    WHITESPACE,
    cleaned_text,
    convert_traditional,
    detect_traditional,
    to_simplified,
    traditional_chars,
)
from orchestration.lib.parsing.clean_chrome import CHROME_RE, mark_chrome, page_number_docs
from orchestration.lib.parsing.clean_paragraphs import CLEAN_LINES, HEADING_START_RE, rejoin_paragraphs
from orchestration.lib.parsing.clean_spam import SPAM, find_spam
from orchestration.lib.parsing.clean_spam_repair import repair_spam
from orchestration.lib.parsing.prose_patterns import PatternRules
from orchestration.lib.parsing.prose_rules import load_rules

__all__ = [
    "ASCII",
    "CHROME_RE",
    "CLEANING_FLAGS",
    "CLEAN_LINES",
    "FLAGS",
    "FULLWIDTH",
    "FULLWIDTH_ALNUM",
    "HEADING_START_RE",
    "SPAM",
    "WHITESPACE",
    "Cleaned",
    "clean_documents",
    "cleaned_text",
    "detect_traditional",
    "find_spam",
    "repair_spam",
    "to_simplified",
    "traditional_chars",
]

#: REPORTS.cleaning_flags values, in the order they are listed.
CLEANING_FLAGS = (
    "web_chrome",
    "page_furniture",
    "spam_injection",
    "spam_repaired",
    "traditional_chars",
    "fullwidth_normalised",
    "sentence_rejoined",
)

#: doc, cleaning_flags (sorted in CLEANING_FLAGS order; empty list when none).
FLAGS = pl.Schema({"doc": pl.UInt32, "cleaning_flags": pl.List(pl.String)})

#: A title printed on several lines ends at most this many lines below its first line.
TITLE_SPAN = 2


@dataclass(frozen=True)
class Cleaned:
    lines: pl.DataFrame  # CLEAN_LINES
    flags: pl.DataFrame  # FLAGS, one row per document of the input
    spam: pl.DataFrame  # SPAM, documents with spam injection only


def clean_documents(
    lines: pl.DataFrame,
    bounds: pl.DataFrame,
    rules: PatternRules | None = None,
) -> Cleaned:
    """Clean the prose of every document of ``lines`` (LINES: doc, line_no, line, is_blank).

    ``bounds``: doc, title_line, end_line, title — the prose is title_line < line_no < end_line
    (NULL end_line: to the end of the document); end_line is where the statistics table starts. Lines
    above the title are banners or chrome, never prose; the second line of a title printed on two
    lines is no prose either. Flags are computed for every document of ``bounds``.
    """
    rules = rules or load_rules()
    docs = bounds.select(
        pl.col("doc").cast(pl.UInt32), "title_line", "end_line", title_text=cleaned_text(pl.col("title"))
    )
    frame = lines.join(docs, on="doc", how="inner", maintain_order="left")
    before_end = pl.col("end_line").is_null() | (pl.col("line_no") < pl.col("end_line"))
    # Page numbers anywhere (the table region included) make the page_furniture flag.
    page_numbers = page_number_docs(frame)
    # Everything above the table gets a cleaned text.
    upper = (
        frame.filter(before_end & ~pl.col("is_blank"))
        .select(
            "doc",
            "line_no",
            "line",
            "title_line",
            "title_text",
            text=cleaned_text(pl.col("line")),
            in_prose=pl.col("line_no") > pl.col("title_line"),
            in_head=pl.col("line_no") < pl.col("title_line"),
        )
        .with_row_index("idx")
    )
    # The rest of a title printed on two lines is no prose.
    title_rest = upper.filter(
        pl.col("in_prose") & (pl.col("line_no") <= pl.col("title_line") + TITLE_SPAN) & (pl.col("text") != "")
    ).filter(pl.col("title_text").str.contains(pl.col("text"), literal=True))["idx"]
    upper = upper.with_columns(in_prose=pl.col("in_prose") & ~pl.col("idx").is_in(title_rest.implode())).drop(
        "title_line", "title_text"
    )
    fullwidth = _docs_where(upper, pl.col("line").str.contains_any(FULLWIDTH_ALNUM), "fullwidth")

    # Traditional characters: detected on a sample of the document's first lines.
    trad = detect_traditional(upper).filter("is_traditional")
    upper = convert_traditional(upper, trad["doc"])
    # Chrome, page furniture and banners (after the conversion: the regexes read simplified text).
    upper = mark_chrome(upper)

    # Spam: found over the upper part (banner lines included), repaired in place.
    spam = find_spam(upper.select("doc", "text"), rules)
    upper, spam_table = repair_spam(upper, spam, rules)

    kept = upper.filter(
        pl.col("in_prose") & ~pl.col("chrome") & ~pl.col("furniture") & ~pl.col("spam_alone") & (pl.col("text") != "")
    ).select("doc", "line_no", "text")
    kept, rejoined = rejoin_paragraphs(kept, rules)

    chrome_docs = _docs_where(upper, pl.col("chrome") | (pl.col("banner") & ~pl.col("spam_alone")), "chrome")
    furniture_docs = _docs_where(upper, pl.col("furniture") & pl.col("in_prose"), "furniture")
    per_doc = [
        chrome_docs,
        furniture_docs,
        page_numbers,
        spam_table.select("doc", spam=pl.lit(True), repaired=pl.col("replacement").is_not_null()),
        trad.select("doc", trad=pl.lit(True)),
        fullwidth,
        rejoined,
    ]
    return Cleaned(lines=kept.cast(CLEAN_LINES), flags=_flags(docs.select("doc"), per_doc), spam=spam_table)


def _docs_where(frame: pl.DataFrame, condition: pl.Expr, name: str) -> pl.DataFrame:
    """doc, ``name`` (True): the documents with a row of ``frame`` meeting ``condition``."""
    return frame.filter(condition).select("doc").unique().with_columns(pl.lit(True).alias(name))


def _flags(docs: pl.DataFrame, per_doc: list[pl.DataFrame]) -> pl.DataFrame:
    """FLAGS for every doc of ``docs`` from frames of doc + boolean columns (chrome, furniture,
    page_numbers, spam, repaired, trad, fullwidth, rejoined; a document absent from one: False)."""
    flag_frame = docs
    for frame in per_doc:
        flag_frame = flag_frame.join(frame, on="doc", how="left")
    conditions = {
        "web_chrome": pl.col("chrome"),
        "page_furniture": pl.col("furniture") | pl.col("page_numbers"),
        "spam_injection": pl.col("spam"),
        "spam_repaired": pl.col("repaired"),
        "traditional_chars": pl.col("trad"),
        "fullwidth_normalised": pl.col("fullwidth"),
        "sentence_rejoined": pl.col("rejoined"),
    }
    return flag_frame.select(
        "doc",
        cleaning_flags=pl.concat_list(
            [pl.when(cond.fill_null(False)).then(pl.lit(name)).otherwise(None) for name, cond in conditions.items()]
        ).list.drop_nulls(),
    ).cast(FLAGS)
