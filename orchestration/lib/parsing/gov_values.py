"""Value cells → raw_value, value, qualifier, unit (the rules of table_pre2019, plus signs).

Blank cells and empty markers give a NULL value and keep the cell as printed ('' for a blank);
"+2" / "-3" / 增2 / 减少3 (本年增/减) are signed; 约/近 → approx, 余/多/以上 → at_least; a money unit printed in the
cell ("251000元" in a 万元 column) is converted to the column's unit, which is then the unit
reported; another unit printed in the cell is reported as printed; otherwise the column's unit
(breakdown_sets.unit, else the catalogue row's).
"""

from __future__ import annotations

import polars as pl

from orchestration.lib.parsing.gov_cells import value_text
from orchestration.lib.parsing.table_pre2019 import NUMBER_RE, UNIT_FACTORS, by_distinct

#: Qualifier of a blank or empty-marker cell: table_pre2019 reports 'exact' for its blank rows
#: (the qualifier describes the number, and there is none); kept the same here.
BLANK_QUALIFIER = "exact"


def parse_values(placed: pl.DataFrame) -> pl.DataFrame:
    """Add raw_value, value (Float64), qualifier and unit to cells with ``cell``, ``kind``
    (number | marker | empty), ``set_unit`` and ``cat_unit``."""
    text = value_text(pl.col("cell"))
    unsigned = text.str.replace(r"^[+-]", "")
    groups = unsigned.str.extract_groups(NUMBER_RE)
    frame = by_distinct(
        placed,
        "cell",
        _sign=pl.when(text.str.starts_with("-")).then(pl.lit(-1.0)).otherwise(pl.lit(1.0)),
        _num=groups.struct.field("num").str.replace_all(",", "", literal=True).cast(pl.Float64, strict=False),
        _pre=groups.struct.field("pre"),
        _post=groups.struct.field("post"),
        _unit=groups.struct.field("unit"),
    )
    is_number = pl.col("kind") == "number"
    target = pl.coalesce("set_unit", "cat_unit")
    money = list(UNIT_FACTORS)
    converts = is_number & pl.col("_unit").is_in(money) & target.is_in(money)
    factor = pl.col("_unit").replace_strict(UNIT_FACTORS, default=1.0, return_dtype=pl.Float64) / target.replace_strict(
        UNIT_FACTORS, default=1.0, return_dtype=pl.Float64
    )
    number = pl.col("_num") * pl.col("_sign")
    qualifier = (
        pl.when(~is_number)
        .then(pl.lit(BLANK_QUALIFIER))
        .when(pl.col("_pre").is_not_null() | (pl.col("_post") == "左右"))
        .then(pl.lit("approx"))
        .when(pl.col("_post").is_not_null())
        .then(pl.lit("at_least"))
        .otherwise(pl.lit("exact"))
    )
    return frame.with_columns(
        raw_value=pl.col("cell"),
        value=pl.when(~is_number).then(None).when(converts).then(number * factor).otherwise(number),
        qualifier=qualifier,
        unit=pl.when(converts).then(target).otherwise(pl.coalesce(pl.when(is_number).then(pl.col("_unit")), target)),
    ).drop("_sign", "_num", "_pre", "_post", "_unit")
