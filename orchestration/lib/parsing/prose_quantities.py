"""Quantities of the distinct sentences: each number + unit (条, 件, 次, 人次, 万元, %, 两项, 二十余人, …)
with the words around it, its qualifier and (prose_matching.py) its indicator.

Dates, years, phone numbers, postcodes, document numbers, law articles, addresses, ordinals,
targets and plans are masked first (``mask_re`` of the rules); a sentence is then cut before each
remaining quantity, so that a quantity's own words (``before``) lie between the previous quantity
and itself. Qualifiers: 约, 近, 左右 → approx; 余, 多, 以上, 超过 → at_least.
"""

from __future__ import annotations

import polars as pl

from orchestration.lib.parsing.prose_matching import match_patterns
from orchestration.lib.parsing.prose_patterns import PatternRules
from orchestration.lib.parsing.prose_sentences import MARK, MASK

_QUANTITY_CUT = "\x1d"


def find_quantities(distinct: pl.DataFrame, rules: PatternRules) -> pl.DataFrame:
    """Every quantity of the distinct sentences, mapped (indicator_code set) or not: sid, pos, n_marks,
    indicator_code, breakdown, family, cue, rest_empty, extra, raw_label, raw_value, unit (printed),
    num, mult, qualifier."""
    cand = distinct.filter(pl.col("text").str.contains(rules.quantity_plain))
    if rules.skip_headings:
        cand = cand.filter(~pl.col("heading").str.contains(rules.skip_headings))
    if cand.is_empty():
        return pl.DataFrame()
    masked = pl.col("text").str.replace_all(rules.mask_re, MASK)
    cand = cand.with_columns(masked=masked).filter(pl.col("masked").str.contains(rules.quantity_plain))
    if cand.is_empty():
        return pl.DataFrame()
    parts = cand.with_columns(
        part=pl.col("masked").str.replace_all(rules.quantity_plain, _QUANTITY_CUT + "$0").str.split(_QUANTITY_CUT)
    ).with_columns(k=pl.int_ranges(0, pl.col("part").list.len(), dtype=pl.Int32))
    parts = parts.explode("part", "k")
    length = pl.col("part").str.len_chars()
    parts = parts.with_columns(pos=(length.cum_sum() - length).over("sid"))

    # Each part after the first starts with its quantity; `tail` is the text after it (the first
    # part: all of it). A quantity's own words lie between the previous quantity and itself.
    parts = parts.with_columns(
        raw_value=pl.when(pl.col("k") >= 1).then(pl.col("part").str.extract(f"^(?:{rules.quantity_plain})", 0))
    ).with_columns(tail=pl.col("part").str.slice(pl.col("raw_value").str.len_chars().fill_null(0)))
    same = pl.col("sid") == pl.col("sid").shift(1)
    parts = parts.with_columns(local=pl.when(same).then(pl.col("tail").shift(1)).otherwise(pl.lit("")))
    q = parts.filter(pl.col("k") >= 1)
    q = q.with_columns(g=pl.col("part").str.extract_groups(f"^{rules.quantity_re}")).unnest("g")
    q = q.with_columns(rest=pl.col("tail"))
    prefix_marked = pl.col("masked").str.slice(0, pl.col("pos"))
    q = q.with_columns(
        n_marks=prefix_marked.str.count_matches(MARK, literal=True),
        prefix=prefix_marked.str.replace_all(MARK, "", literal=True),
        rest=pl.col("rest").str.replace_all(MARK, "", literal=True),
    )
    # A unit that starts a word (一次性, 两项目) is no unit.
    word = pl.concat_str(pl.col("unit"), pl.col("rest").str.slice(0, 1))
    q = q.filter(~word.is_in(list(rules.bad_continuations)))
    local = pl.col("local").str.replace_all(MARK, "", literal=True).str.extract(r"([^,;:]*)$", 1)
    q = q.with_columns(
        before=local.str.strip_chars_start("、").str.replace(rules.before_fillers, ""),
        after=pl.col("rest").str.extract(r"^([^,;:]*)", 1),
        cue=pl.col("rest").str.contains(rules.sum_cue),
        rest_empty=pl.col("rest").str.replace_all(r"[\s,;:。!?)\]]", "") == "",
        context=pl.concat_str(pl.col("heading"), pl.lit("|"), pl.col("plain")),
    )

    q = match_patterns(q, rules)
    if q is None:
        return pl.DataFrame()

    qualifier = (
        pl.when(pl.col("pre").is_in(list(rules.approx_before)) | pl.col("post2").is_in(list(rules.approx_after)))
        .then(pl.lit("approx"))
        .when(
            pl.col("pre").is_in(list(rules.at_least_before))
            | pl.col("post").is_not_null()
            | pl.col("post2").is_in(list(rules.at_least_after))
        )
        .then(pl.lit("at_least"))
        .otherwise(pl.lit("exact"))
    )
    return q.select(
        "sid",
        # an extra reading sorts right after the first reading of its number
        (pl.col("pos") * 2 + pl.col("extra").cast(pl.Int64)).alias("pos"),
        pl.col("n_marks").cast(pl.Int32),
        "indicator_code",
        "breakdown",
        "family",
        "cue",
        "rest_empty",
        "extra",
        raw_label=pl.col("local")
        .str.replace_all(MARK, "", literal=True)
        .str.extract(r"([^,;:]*)$", 1)
        .str.strip_chars_start(MASK + "、"),
        raw_value="raw_value",
        unit="unit",
        num="num",
        mult="mult",
        qualifier=qualifier,
    )
