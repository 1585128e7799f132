"""Evidence of a report's region in its text: division names mentioned, landline area codes.

Names: one Aho–Corasick pass (polars ``str.extract_many``) per document over its text with the
full names, old names and uncommon short forms of provinces, cities and counties (divisions.names,
``common`` excluded: 公安, 和平, 城关 are words); longer names first, so 白银市 wins over 白银.
Area codes: 028-37010111, (0943)6850168 → divisions.area_codes.
"""

from __future__ import annotations

from functools import cache

import polars as pl

from orchestration.lib.parsing import divisions

#: Characters of a document searched for place names (a long report names its places early).
MAX_TEXT_CHARS = 20_000
#: Street words after a place's short form make a street name (北京西路), no mention of the place.
STREET_WORDS = ("路", "街", "大街", "大道", "中路", "东路", "西路", "南路", "北路", "巷", "广场")
#: A short form whose last character starts a frequent two-character word (和政 + 政务: "…网站和政务新媒体")
#: is part of that word, no mention of the place, when the word's idf is below this (政务 7.9, 平安 6.7).
CONTINUATION_IDF = 8.0
#: Division suffixes: a short form followed by one is the place's name (仁寿县城 names 仁寿县).
_SUFFIXES = tuple("省市县区州盟旗镇乡")
#: A landline with its area code: 028-37010111, (0943)6850168, 0955—8806093.
AREA_PHONE_RE = r"(?:^|[^\d])(?:[(（](0\d{2,3})[)）]\s?|(0\d{2,3})\s?[-－—–‐])\d{7,8}(?:[^\d]|$)"


@cache
def text_patterns() -> tuple[str, ...]:
    """Tokens searched in the text, longest first (read once per process).

    Decoys are searched too, so that the longer match swallows a short form that is no mention:
    street names made of a province or city short form (北京西路, 上海路, 银川街), and a short form
    run into a frequent word (和政务: 和政 + 政务, CONTINUATION_IDF). They denote no division and are
    dropped (text_mentions keeps only tokens of divisions.names).
    """
    eligible = divisions.names().filter((pl.col("depth") <= 2) & ~pl.col("common"))
    shorts = eligible.filter(pl.col("kind") == "short")
    streets = (
        shorts.filter(pl.col("depth") <= 1)
        .select("token")
        .unique()
        .join(pl.DataFrame({"street": list(STREET_WORDS)}), how="cross")
        .select(token=pl.concat_str("token", "street"))
    )
    words = (
        divisions.common_words(CONTINUATION_IDF)
        .to_frame("word")
        .filter(pl.col("word").str.len_chars() == 2)
        .select(last=pl.col("word").str.slice(0, 1), rest=pl.col("word").str.slice(1, 1))
        .filter(~pl.col("rest").is_in(list(_SUFFIXES)))
    )
    run_on = (
        shorts.select("token")
        .unique()
        .with_columns(last=pl.col("token").str.slice(-1, 1))
        .join(words, on="last", how="inner")
        .select(token=pl.concat_str("token", "rest"))
    )
    tokens = pl.concat([eligible.select("token"), streets, run_on]).unique()
    tokens = tokens.sort(pl.col("token").str.len_chars(), "token", descending=[True, False])
    return tuple(tokens["token"].to_list())


def text_mentions(lines: pl.DataFrame, agencies: pl.DataFrame) -> pl.DataFrame:
    """doc, token, weight (number of mentions): division names in each document's text.

    Names inside the agency's own name are left out (临河 of 临河镇 is no mention of 临河区); the
    name chain of the title speaks for them.
    """
    text = (
        lines.filter(~pl.col("is_blank"))
        .group_by("doc", maintain_order=True)
        .agg(pl.col("line").str.join("\n"))
        .select(
            "doc",
            token=pl.col("line").str.slice(0, MAX_TEXT_CHARS).str.extract_many(list(text_patterns()), leftmost=True),
        )
        .explode("token")
        .drop_nulls("token")
    )
    counts = text.group_by("doc", "token").agg(weight=pl.len().cast(pl.Int64))
    counts = counts.join(agencies.select("doc", "agency_name"), on="doc", how="left")
    own = pl.col("agency_name").fill_null("").str.contains(pl.col("token"), literal=True)
    return counts.filter(~own).select("doc", "token", "weight")


def area_codes(lines: pl.DataFrame) -> pl.DataFrame:
    """doc, ac_province, ac_city, ac_county: the most frequent known area code of the phone numbers
    (ac_county only for a county-level city directly under its province, e.g. 0728 天门市)."""
    phones = lines.filter(pl.col("line").str.contains(r"0\d{2,3}\s?[-－—–‐)）]\s?\d{7}"))
    codes = (
        phones.select("doc", "line_no", m=pl.col("line").str.extract_all(AREA_PHONE_RE))
        .explode("m")
        .drop_nulls("m")
        .with_columns(area_code=pl.col("m").str.extract(r"(0\d{2,3})\s?[-－—–‐)）]", 1))
        .join(divisions.area_codes(), on="area_code", how="inner")
    )
    return (
        codes.group_by("doc", "area_code")
        .agg(
            n=pl.len(),
            first=pl.col("line_no").min(),
            province=pl.first("province"),
            city=pl.first("city"),
            county=pl.first("county"),
        )
        .sort("doc", "n", "first", descending=[False, True, False])
        .group_by("doc", maintain_order=True)
        .first()
        .select("doc", ac_province="province", ac_city="city", ac_county="county")
    )
