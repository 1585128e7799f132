"""Quantity → indicator: the first quantity pattern (prose_patterns.yaml) whose units and context
regexes fit a quantity gives its indicator, family and breakdown; each extra pattern that fits adds
a second reading of the same number.

Each distinct (column, regex) test of all patterns is run once as a boolean column; the pattern
order is then one when/then chain over those columns.
"""

from __future__ import annotations

import polars as pl

from orchestration.lib.parsing.prose_patterns import PatternRules, QuantityPattern

_TEXT_COLUMNS = (
    ("before", "before"),
    ("after", "after"),
    ("prefix", "prefix"),
    ("sentence", "plain"),
    ("context", "context"),
)


def _regex_columns(patterns: tuple[QuantityPattern, ...]) -> dict[tuple[str, str], str]:
    """(column, regex) → name of a boolean column: each distinct test is run once."""
    tests: dict[tuple[str, str], str] = {}
    for p in patterns:
        for key, col in _TEXT_COLUMNS:
            regex = getattr(p, key)
            if regex is not None:
                tests.setdefault((col, regex), f"_t{len(tests)}")
        if p.exclude is not None:
            tests.setdefault(("before", p.exclude), f"_t{len(tests)}")
        if p.exclude_sentence is not None:
            tests.setdefault(("plain", p.exclude_sentence), f"_t{len(tests)}")
    return tests


def _pattern_condition(p: QuantityPattern, tests: dict[tuple[str, str], str] | None = None) -> pl.Expr:
    """The pattern fits the quantity (reading the precomputed test columns when given)."""

    def test(col: str, regex: str) -> pl.Expr:
        return pl.col(tests[(col, regex)]) if tests is not None else pl.col(col).str.contains(regex)

    cond = pl.col("unit").is_in(list(p.units))
    for key, col in _TEXT_COLUMNS:
        regex = getattr(p, key)
        if regex is not None:
            cond = cond & test(col, regex)
    if p.exclude is not None:
        cond = cond & ~test("before", p.exclude)
    if p.exclude_sentence is not None:
        cond = cond & ~test("plain", p.exclude_sentence)
    return cond


def match_patterns(q: pl.DataFrame, rules: PatternRules) -> pl.DataFrame | None:
    """``q`` (one row per quantity with unit, before, after, prefix, plain, context) with pattern,
    indicator_code, family, breakdown and extra (a second reading), plus one row per extra reading;
    None when the rules have no quantity pattern."""
    tests = _regex_columns((*rules.quantity_patterns, *rules.extra_patterns))
    q = q.with_columns([pl.col(col).str.contains(regex).alias(name) for (col, regex), name in tests.items()])
    chain = None
    for i, p in enumerate(rules.quantity_patterns):
        cond = _pattern_condition(p, tests)
        chain = pl.when(cond).then(pl.lit(i)) if chain is None else chain.when(cond).then(pl.lit(i))
    if chain is None:
        return None
    idx = chain.otherwise(None).cast(pl.Int32)
    q = q.with_columns(pattern=idx)
    # Second readings: each extra pattern that fits adds a value (ordered right after the first).
    extras = []
    for p in rules.extra_patterns:
        extras.append(
            q.filter(_pattern_condition(p, tests)).with_columns(
                indicator_code=pl.lit(p.code),
                family=pl.lit(p.family, dtype=pl.String),
                breakdown=pl.lit(p.breakdown if p.breakdown != "{b}" else ""),
                extra=pl.lit(True),
            )
        )
    # Unmapped quantities are kept: they matter to prose sums (a cue after them: "873条，较上年
    # 增加126条。其中…", "上述2,531条信息按类别分"; an unmapped number among the parts: no sum).

    # Breakdown: a literal, or the named group b of the pattern's `before`.
    breakdown: pl.Expr = pl.lit("")
    b_chain = None
    for i, p in enumerate(rules.quantity_patterns):
        if p.breakdown == "{b}":
            value = pl.col("before").str.extract_groups(p.before).struct.field("b")
            if p.breakdown_replace:
                value = value.str.replace(p.breakdown_replace[0], p.breakdown_replace[1])
        elif p.breakdown:
            value = pl.lit(p.breakdown)
        else:
            continue
        cond = pl.col("pattern") == i
        b_chain = pl.when(cond).then(value) if b_chain is None else b_chain.when(cond).then(value)
    if b_chain is not None:
        breakdown = b_chain.otherwise(pl.lit("")).fill_null("")
    meta = pl.DataFrame(
        {
            "pattern": list(range(len(rules.quantity_patterns))),
            "indicator_code": [p.code for p in rules.quantity_patterns],
            "family": [p.family for p in rules.quantity_patterns],
        },
        schema={"pattern": pl.Int32, "indicator_code": pl.String, "family": pl.String},
    )
    q = q.with_columns(breakdown=breakdown, extra=pl.lit(False)).join(meta, on="pattern", how="left")
    if extras:
        q = pl.concat([q, *[e.select(q.columns) for e in extras]])
    return q
