"""Statements read as a whole: explicit none statements and whole-sentence phrasings with numbers.

None statements ("无依申请公开…情况", "没有因…申请行政复议、提起行政诉讼…", or a bare "无。" under a
heading that names the indicators) give 0 with qualifier stated_none; sentence patterns such as
"组长1名，副组长1名" give the sum of their numbers.
"""

from __future__ import annotations

import polars as pl

from orchestration.lib.parsing.prose_numbers import parse_numbers
from orchestration.lib.parsing.prose_patterns import PatternRules
from orchestration.lib.parsing.prose_sentences import MASK, marks_before


def find_nones(distinct: pl.DataFrame, rules: PatternRules) -> pl.DataFrame:
    """Explicit none statements: sid, pos, n_marks, indicator_code, raw_label (the statement)."""
    if not rules.none_patterns:
        return pl.DataFrame()
    cand = distinct.filter(pl.col("plain").str.contains(rules.none_candidates))
    if cand.is_empty():
        return pl.DataFrame()
    friends = list(rules.none_false_friends)
    cand = cand.with_columns(nt=pl.col("plain").str.replace_many(friends, [MASK * len(w) for w in friends]))
    found = []
    if rules.heading_none_sentence and rules.heading_none:
        bare = cand.filter(pl.col("nt").str.contains(rules.heading_none_sentence))
        for rule in rules.heading_none:
            cond = pl.col("heading").str.contains(rule.heading)
            if rule.exclude:
                cond = cond & ~pl.col("heading").str.contains(rule.exclude)
            hit = bare.filter(cond)
            if hit.is_empty():
                continue
            found.append(
                hit.select(
                    "sid",
                    pos=pl.lit(0, dtype=pl.Int64),
                    n_marks=pl.lit(0, dtype=pl.Int32),
                    indicator_code=pl.lit(list(rule.codes), dtype=pl.List(pl.String)),
                    raw_label=pl.col("plain"),
                ).explode("indicator_code")
            )
    for p in rules.none_patterns:
        sentences = cand if p.exclude_sentence is None else cand.filter(~pl.col("nt").str.contains(p.exclude_sentence))
        hit = (
            sentences.with_columns(g=pl.col("nt").str.extract_groups(f"^(?P<pre>.*?)(?P<span>{p.regex})(?P<post>.*)$"))
            .unnest("g")
            .filter(pl.col("span").is_not_null() & ~pl.col("span").str.contains(r"\d"))
        )
        if p.exclude_clause is not None:
            clause = pl.concat_str(
                pl.col("pre").str.extract(r"([^,;]*)$", 1).fill_null(""),
                pl.col("span"),
                pl.col("post").str.extract(r"^([^,;。]*)", 1).fill_null(""),
            )
            hit = hit.filter(~clause.str.contains(p.exclude_clause))
        if hit.is_empty():
            continue
        pos = pl.col("pre").str.len_chars()
        found.append(
            hit.select(
                "sid",
                pos=pos.cast(pl.Int64) * 2,
                n_marks=marks_before(pl.col("text"), pos).cast(pl.Int32),
                indicator_code=pl.lit(list(p.codes), dtype=pl.List(pl.String)),
                raw_label=pl.col("span"),
            ).explode("indicator_code")
        )
    return pl.concat(found) if found else pl.DataFrame()


def find_sentence_values(distinct: pl.DataFrame, rules: PatternRules) -> pl.DataFrame:
    """Whole-sentence phrasings with numbers (组长1名，副组长1名): sid, pos, n_marks, code, value…"""
    found = []
    for p in rules.sentence_patterns:
        hit = (
            distinct.with_columns(g=pl.col("plain").str.extract_groups(f"^(?P<pre>.*?)(?P<span>{p.regex})"))
            .unnest("g")
            .filter(pl.col("span").is_not_null())
        )
        if hit.is_empty():
            continue
        for g in p.groups:
            hit = parse_numbers(hit, g, f"v_{g}")
        total = pl.sum_horizontal([pl.col(f"v_{g}") for g in p.groups])
        any_null = pl.any_horizontal([pl.col(f"v_{g}").is_null() for g in p.groups])
        pos = pl.col("pre").str.len_chars()
        found.append(
            hit.filter(~any_null).select(
                "sid",
                pos=pos.cast(pl.Int64),
                n_marks=marks_before(pl.col("text"), pos).cast(pl.Int32),
                indicator_code=pl.lit(p.code),
                raw_label=pl.col("span").str.strip_chars_start(",;:、"),
                value=total.cast(pl.Float64),
                unit=pl.lit(p.unit),
            )
        )
    return pl.concat(found) if found else pl.DataFrame()
