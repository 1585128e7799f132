"""Numbers of the prose: numerals as printed → values in the catalogue unit of their indicator.

Arabic digits (1,211  0.5) are cast, Chinese numerals (两, 二十, 一百二十) converted with cn2an
once per distinct numeral; 万/千 after a number multiply it, and a money value printed in 元 of an
indicator counted in 万元 is converted (UNIT_FACTORS, shared with the statistics table).
"""

from __future__ import annotations

from functools import lru_cache

import polars as pl

from orchestration.lib.parsing.catalogue import CATALOGUE_CSV, DEFAULT_CATALOGUE_PATH
from orchestration.lib.parsing.table_pre2019 import UNIT_FACTORS

__all__ = ["NUMBER_RE", "UNIT_FACTORS", "catalogue_units", "parse_numbers", "quantity_values"]

#: A number as printed: 1,211  0.5  12  两  二十  一百二十  (Arabic digits after full-width mapping).
NUMBER_RE = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|[零〇两一二三四五六七八九十百千万]+"
_MULTIPLIERS = {"万": 10_000.0, "千": 1_000.0}


@lru_cache(maxsize=1)
def catalogue_units() -> dict[str, str]:
    """indicator_code → unit of every catalogue row (all templates)."""
    cat = pl.read_csv(DEFAULT_CATALOGUE_PATH, schema=CATALOGUE_CSV, encoding="utf8")
    return dict(cat.select("indicator_code", "unit").iter_rows())


def _chinese_number(text: str) -> float | None:
    import cn2an

    if text[:1] in "百千万":  # 逾百件, 百余人次, 逾百万元: a bare 百 is 一百
        text = "一" + text
    try:
        value = cn2an.cn2an(text, "smart")
    except (ValueError, KeyError, TypeError, IndexError):
        return None
    return float(value)


def parse_numbers(frame: pl.DataFrame, column: str, out: str) -> pl.DataFrame:
    """``out`` = the value of ``column`` (1,211 → 1211; 两 → 2; 一百二十 → 120; NULL if unreadable).

    Chinese numerals are converted with cn2an once per distinct numeral (a handful per batch)."""
    arabic = pl.col(column).str.replace_all(",", "", literal=True).cast(pl.Float64, strict=False)
    frame = frame.with_columns(arabic.alias(out))
    chinese = frame.filter(pl.col(out).is_null() & pl.col(column).is_not_null())[column].unique().to_list()
    if chinese:
        mapping = {s: _chinese_number(s) for s in chinese}
        frame = frame.with_columns(
            pl.coalesce(
                pl.col(out),
                pl.col(column).replace_strict(mapping, default=None, return_dtype=pl.Float64),
            ).alias(out)
        )
    return frame


def quantity_values(quantities: pl.DataFrame) -> pl.DataFrame:
    """``value`` (and ``unit``) of each quantity (num, mult, unit, indicator_code), in the unit of its
    catalogue row when both are money units (3000元 of a 万元 indicator → 0.3 万元); quantities
    whose number is unreadable are dropped."""
    units = catalogue_units()
    qv = parse_numbers(quantities, "num", "value")
    mult = pl.col("mult").replace_strict(_MULTIPLIERS, default=1.0, return_dtype=pl.Float64)
    qv = qv.with_columns(value=pl.col("value") * mult)
    cat_unit = pl.col("indicator_code").replace_strict(units, default=None, return_dtype=pl.String)
    factor = pl.col("unit").replace_strict(UNIT_FACTORS, default=None, return_dtype=pl.Float64)
    cat_factor = cat_unit.replace_strict(UNIT_FACTORS, default=None, return_dtype=pl.Float64)
    converts = factor.is_not_null() & cat_factor.is_not_null()
    return qv.with_columns(
        value=pl.when(converts).then(pl.col("value") * factor / cat_factor).otherwise(pl.col("value")),
        unit=pl.when(converts).then(cat_unit).otherwise(pl.col("unit")),
    ).filter(pl.col("value").is_not_null())
