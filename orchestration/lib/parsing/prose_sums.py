"""Prose sums: a value followed by 其中/包括/分别… and the values of one child family after it in the
same paragraph ("共印发文件33份，其中公开发布17份，不公开15份，依申请公开1份"), emitted only when every
quantity of the enumerating span was read as a part (one unread part: no sum).

The families and their child families are data (``families`` of prose_patterns.yaml).
"""

from __future__ import annotations

import polars as pl

from orchestration.lib.parsing.prose_patterns import PatternRules

#: Prose sums keyed by doc.
PROSE_RELATIONS = pl.Schema(
    {
        "doc": pl.UInt32,
        "relation_id": pl.String,
        "relation_kind": pl.String,
        "parent_indicator_code": pl.String,
        "parent_breakdown": pl.String,
        "child_indicator_code": pl.String,
        "child_breakdown": pl.String,
        "source_line": pl.Int32,
    }
)


def empty_relations() -> pl.DataFrame:
    """PROSE_RELATIONS without rows."""
    return pl.DataFrame(schema=PROSE_RELATIONS)


def find_prose_sums(rows: pl.DataFrame, rules: PatternRules) -> pl.DataFrame:
    """Prose sums: a parent (a value followed by a sum cue, whose family has child families) and
    the values of one child family in its enumerating span. At least two parts (or one part equal
    to the whole: "收到申请2件，其中当面申请2件").

    The span starts at the cue and ends at the first value that is neither such a child nor a part
    of one (a grandchild family), or at an unmapped number after the full sentence (。!?, not ;)
    of its first value. A sum is emitted only when EVERY quantity in the span is a mapped child or grandchild:
    one number read as no indicator (a part that was missed), or a value of another indicator with
    parts after it, means the parts cannot add up, so no relation at all. Percentages (shares of a
    part) are no parts and are ignored.

    ``rows``: every quantity, mapped (indicator_code set) or not, with ``cue``.
    A cue after unmapped quantities belongs to the mapped value before them ("全年主动公开873条，
    较上年增加126条，增长16.9%。其中…"); an unmapped quantity with a cue that repeats the value of an
    earlier mapped one restates it ("主动公开的356条信息中…", "上述2,531条信息按类别分：…").
    """
    if not rules.families:
        return empty_relations()
    rows = rows.sort("doc", "para", "sent", "pos").with_columns(order=pl.int_range(pl.len()).over("doc"))
    items = rows.select(
        "doc", "para", "psent", "order", "indicator_code", "breakdown", "family", "cue", "source_line", "value", "unit"
    )
    # Restatements.
    mapped = items.filter(pl.col("indicator_code").is_not_null())
    restated = (
        items.filter(pl.col("indicator_code").is_null() & pl.col("cue"))
        .select("doc", "order", "value", "unit")
        .join(
            mapped.select(
                "doc", "value", "unit", m_order="order", m_code="indicator_code", m_b="breakdown", m_f="family"
            ),
            on=["doc", "value", "unit"],
            how="inner",
        )
        .filter(pl.col("m_order") < pl.col("order"))
        .sort("doc", "order", "m_order")
        .group_by("doc", "order", maintain_order=True)
        .last()
        .select("doc", "order", "m_code", "m_b", "m_f")
    )
    items = (
        items.join(restated, on=["doc", "order"], how="left")
        .with_columns(
            indicator_code=pl.coalesce("indicator_code", "m_code"),
            breakdown=pl.coalesce("breakdown", "m_b"),
            family=pl.coalesce("family", "m_f"),
        )
        .drop("m_code", "m_b", "m_f")
    )
    # A cue after unmapped quantities belongs to the mapped value before them (same paragraph);
    # the span starts after the first quantity carrying it.
    is_mapped = pl.col("indicator_code").is_not_null()
    items = items.with_columns(g=is_mapped.cast(pl.Int32).cum_sum().over("doc", "para"))
    items = items.with_columns(
        cue_order=pl.col("order").filter(pl.col("cue")).min().over("doc", "para", "g"),
    )
    # Percentages are shares, never parts.
    items = items.filter(pl.col("unit") != "%")
    cols = ("doc", "para", "psent", "order", "indicator_code", "breakdown", "family", "cue", "source_line", "value")
    parents = items.filter(
        is_mapped & pl.col("cue_order").is_not_null() & pl.col("family").is_in(list(rules.families))
    ).select(*cols, "cue_order")
    if parents.is_empty():
        return empty_relations()
    items = items.select(*cols)

    options = pl.DataFrame(
        [(parent, child, rank) for parent, children in rules.families.items() for rank, child in enumerate(children)],
        schema={"family": pl.String, "child_family": pl.String, "rank": pl.Int32},
        orient="row",
    )
    between = pl.DataFrame(
        [(child, grandchild) for child, grandchildren in rules.families.items() for grandchild in grandchildren],
        schema={"child_family": pl.String, "family_c": pl.String},
        orient="row",
    ).with_columns(is_between=pl.lit(True))
    pairs = parents.join(items, on=["doc", "para"], how="inner", suffix="_c").filter(
        pl.col("order_c") > pl.col("cue_order")
    )
    # The first quantity of the span decides the child family (an unmapped one: no sum).
    first = (
        pairs.sort("doc", "order", "order_c")
        .group_by("doc", "order", maintain_order=True)
        .first()
        .select("doc", "order", "family", child_family="family_c", first_psent="psent_c")
        .join(options, on=["family", "child_family"], how="inner")
        .select("doc", "order", "child_family", "first_psent")
    )
    pairs = (
        pairs.join(first, on=["doc", "order"], how="inner")
        .join(between, on=["child_family", "family_c"], how="left")
        .with_columns(
            # A value of no family is of another family (null would let it slip through the span).
            is_child=(pl.col("family_c") == pl.col("child_family")).fill_null(False),
            is_between=pl.col("is_between").fill_null(False),
            unmapped=pl.col("indicator_code_c").is_null(),
        )
    )
    # The span ends at an unmapped number after the full sentence of the first part (parts may run
    # on: "…公开106条，包括…。通过…公开500条。"), or at a mapped value of another family: at once when
    # it opens parts of its own or stands in another full sentence; else (same sentence) after it
    # unless a part follows — then it sits inside the list ("其中A51条、政策解读1条、B22条") and the
    # parts cannot add up.
    foreign = pl.col("indicator_code_c").is_not_null() & ~pl.col("is_child") & ~pl.col("is_between")
    other_sentence = pl.col("psent_c") != pl.col("first_psent")
    ends = (foreign & (pl.col("cue_c").fill_null(False) | other_sentence)) | (pl.col("unmapped") & other_sentence)
    stop = pl.col("order_c").filter(ends).min().over("doc", "order")
    span = pairs.filter(stop.is_null() | (pl.col("order_c") < stop))
    last_part = pl.col("order_c").filter(pl.col("is_child") | pl.col("is_between")).max().over("doc", "order")
    first_foreign = pl.col("order_c").filter(foreign).min().over("doc", "order")
    inside = first_foreign.is_not_null() & (first_foreign < last_part)
    span = span.filter(~inside)
    span = span.filter(first_foreign.is_null() | (pl.col("order_c") < first_foreign))
    # Every quantity of the span is a part: one unmapped number and the sum is no sum.
    span = span.filter(~pl.col("unmapped").any().over("doc", "order"))
    children = span.filter(pl.col("is_child"))
    # One part per indicator + breakdown (a value stated twice is one part).
    children = children.unique(
        subset=["doc", "order", "indicator_code_c", "breakdown_c"], keep="first", maintain_order=True
    )
    # At least two parts; or one part equal to the whole ("收到申请2件，其中当面申请2件").
    n_parts = pl.len().over("doc", "order")
    children = children.filter((n_parts >= 2) | ((n_parts == 1) & (pl.col("value_c") == pl.col("value"))))
    if children.is_empty():
        return empty_relations()
    children = children.sort("doc", "order", "order_c").with_columns(
        n=pl.col("order").rank("dense").over("doc").cast(pl.Int64)
    )
    return children.select(
        "doc",
        relation_id=pl.format("prose_sum_{}", pl.col("n")),
        relation_kind=pl.lit("prose_sum"),
        parent_indicator_code="indicator_code",
        parent_breakdown="breakdown",
        child_indicator_code="indicator_code_c",
        child_breakdown="breakdown_c",
        source_line="source_line",
    ).cast(PROSE_RELATIONS)
