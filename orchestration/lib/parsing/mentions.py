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
#: A landline with its area code: 028-37010111, (0943)6850168, 0955—8806093.
AREA_PHONE_RE = r"(?:^|[^\d])(?:[(（](0\d{2,3})[)）]\s?|(0\d{2,3})\s?[-－—–‐])\d{7,8}(?:[^\d]|$)"


@cache
def text_patterns() -> tuple[str, ...]:
    """Tokens searched in the text, longest first (read once per process).

    Street names made of a province or city short form (北京西路, 上海路, 银川街) are searched too,
    so that the longer match swallows the short form; they denote no division and are dropped.
    """
    eligible = divisions.names().filter((pl.col("depth") <= 2) & ~pl.col("common"))
    shorts = eligible.filter((pl.col("kind") == "short") & (pl.col("depth") <= 1)).select("token").unique()
    streets = shorts.join(pl.DataFrame({"street": list(STREET_WORDS)}), how="cross").select(
        token=pl.concat_str("token", "street")
    )
    tokens = pl.concat([eligible.select("token"), streets]).unique()
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
