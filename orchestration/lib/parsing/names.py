"""Administrative names at the start of agency names: 四川省眉山市仁寿县向家镇 → 四川省 | 眉山市 | 仁寿县 | 向家镇.

A chain is read left to right with the division dataset (divisions.names): each next name must
lie inside the previous one (a county inside the province or city before it, a township inside
the county), starting at the first character, without gaps. Full names, old names (平泉县) and
short forms (仁寿向家镇) are read; a short form must be followed by a deeper name or by a unit
character (平泉县 → 平泉 + 县), so 公安局 is no 公安县. The longest chain wins; among chains of one
length, one whose short forms are followed by their own unit (克拉玛依 + 市 is the city 克拉玛依市,
not the district 克拉玛依区; 白银市 not 白银区) wins over one read through another unit (kept for
renamed divisions: 某县 for today's 某市), then the deepest; when it fits several divisions (复兴乡
alone, 朝阳区) the title is ambiguous and only proposes them.

Vectorised as at most four rounds of joins (province, city, county, township) over substrings of
the agency names: no Python loop over documents.
"""

from __future__ import annotations

import polars as pl

from orchestration.lib.parsing import divisions
from orchestration.lib.parsing.levels import mask_not_places

UNIT_PROVINCE, UNIT_CITY, UNIT_COUNTY, UNIT_TOWNSHIP = "province", "city", "county", "township"
#: Longest division name read (克孜勒苏柯尔克孜自治州 has 11 characters).
MAX_TOKEN_CHARS = 16
#: A short form followed by one of these is that division (平泉县, 仁寿县: the unit as printed).
UNIT_CHARS = ["省", "市", "县", "区", "旗", "州", "盟"]
#: Fallback for names the dataset does not know (某县人民政府): leading units stripped by pattern.
_FALLBACK_PREFIX = r"^(?:\p{Han}{1,7}?(?:特别行政区|自治区|省|自治州|市|自治县|县|自治旗|旗|盟|地区|区))+"
#: A name that ends here after its places is the government of the last place: it keeps that place.
_GOVERNMENT = r"^(?:人民政府|政府|行政公署)$"

CANDIDATE = pl.Struct({"province": pl.String, "city": pl.String, "county": pl.String})
CHAINS = pl.Schema(
    {
        "doc": pl.UInt32,
        "short_name": pl.String,
        "name_unit": pl.String,
        "resolved": pl.Boolean,
        "has_unit": pl.Boolean,
        "candidates": pl.List(CANDIDATE),
    }
)
_NODE = ["province", "city", "county", "township"]


def _root(names: pl.DataFrame) -> pl.DataFrame:
    return names.select(
        "doc",
        pos=pl.lit(0, pl.Int32),
        depth=pl.lit(-1, pl.Int8),
        **{c: pl.lit(None, pl.String) for c in _NODE},
        unit_depth=pl.lit(-1, pl.Int8),
        unit_start=pl.lit(0, pl.Int32),
        unit_end=pl.lit(0, pl.Int32),
        ok=pl.lit(False),
        own_units=pl.lit(True),
    )


def _step(frontier: pl.DataFrame, names: pl.DataFrame, lookup: pl.DataFrame) -> pl.DataFrame:
    """Every division name that continues a chain of ``frontier`` (one more, deeper name)."""
    room = pl.min_horizontal(pl.lit(MAX_TOKEN_CHARS, pl.Int32), pl.col("n") - pl.col("pos"))
    cand = (
        frontier.join(names, on="doc", how="inner")
        .filter(pl.col("pos") + 2 <= pl.col("n"))
        .with_columns(length=pl.int_ranges(2, room + 1, dtype=pl.Int32))
        .explode("length")
        .with_columns(token=pl.col("name").str.slice(pl.col("pos"), pl.col("length")))
        .join(lookup, on="token", how="inner", suffix="_n")
    )
    inside = (
        (pl.col("depth_n") > pl.col("depth"))
        & (pl.col("province").is_null() | (pl.col("province_n") == pl.col("province")))
        & ((pl.col("depth") < 1) | pl.col("city_n").eq_missing(pl.col("city")))
        & ((pl.col("depth") < 2) | pl.col("county_n").eq_missing(pl.col("county")))
    )
    end = pl.col("pos") + pl.col("length")
    printed_unit = pl.col("name").str.slice(end, 1)
    unit_follows = printed_unit.is_in(UNIT_CHARS)
    bare_short = (pl.col("kind") == "short") & ~unit_follows
    short_and_unit = (pl.col("kind") == "short") & unit_follows
    new_end = end + short_and_unit.cast(pl.Int32)
    # The unit of the division read: the last character of its full name (克拉玛依区 → 区).
    full_name = pl.coalesce(*(pl.when(pl.col("depth_n") == i).then(pl.col(f"{c}_n")) for i, c in enumerate(_NODE)))
    own_unit = ~short_and_unit | (printed_unit == full_name.str.slice(-1, 1))
    is_unit = pl.col("depth_n") < 3
    return cand.filter(inside).select(
        "doc",
        pos=new_end,
        depth=pl.col("depth_n"),
        **{c: pl.col(f"{c}_n") for c in _NODE},
        unit_depth=pl.when(is_unit).then(pl.col("depth_n")).otherwise(pl.col("unit_depth")),
        unit_start=pl.when(is_unit).then(pl.col("pos")).otherwise(pl.col("unit_start")),
        unit_end=pl.when(is_unit).then(new_end).otherwise(pl.col("unit_end")),
        ok=~bare_short,
        own_units=pl.col("own_units") & own_unit,
    )


def _fallback_short(name: pl.Expr) -> pl.Expr:
    """Leading units stripped by pattern; the name itself when only a unit word would be left."""
    masked = mask_not_places(name)
    prefix_len = masked.str.extract(_FALLBACK_PREFIX, 0).str.len_chars().fill_null(0)
    rest = name.str.slice(prefix_len)
    keep = rest.str.contains(rf"^(?:镇|乡|街道|苏木|区|县|市|旗)?$|{_GOVERNMENT}")
    return pl.when(keep).then(name).otherwise(rest)


def find_name_chains(agencies: pl.DataFrame) -> pl.DataFrame:
    """doc, short_name, name_unit, resolved, candidates (CHAINS) for ``agencies`` (doc, agency_name).

    short_name: the name without the names of the regions above the agency (灵武市临河镇 → 临河镇,
    北京市海淀区人民政府办公室 → 人民政府办公室); a government keeps its own place (阳朔县人民政府,
    北京市海淀区人民政府 → 海淀区人民政府, 唐山市 → 唐山市).
    name_unit: the level of the last name of the chain (province | city | county | township;
    a municipality such as 北京市 is a province), NULL without a chain.
    resolved: the chain fits exactly one division; has_unit: it holds a province, city or
    county name (not a township alone); candidates: the divisions it fits
    (province, city, county), empty without a chain.
    """
    names = agencies.filter(pl.col("agency_name").is_not_null()).select(
        "doc", name=pl.col("agency_name"), n=pl.col("agency_name").str.len_chars().cast(pl.Int32)
    )
    lookup = divisions.names().select("token", "kind", "depth", *_NODE)
    frontier = _root(names)
    found = []
    for _ in range(4):
        frontier = _step(frontier, names, lookup).unique()
        if frontier.is_empty():
            break
        found.append(frontier)
    states = pl.concat([_root(names).clear(), *found]).filter(pl.col("ok"))
    best = states.filter(pl.col("pos") == pl.col("pos").max().over("doc"))
    best = best.filter(pl.col("own_units") == pl.col("own_units").max().over("doc"))
    best = best.filter(pl.col("depth") == pl.col("depth").max().over("doc"))
    municipal = (pl.col("depth") == 1) & (pl.col("city") == pl.col("province"))
    unit = (
        pl.when(municipal)
        .then(pl.lit(UNIT_PROVINCE))
        .otherwise(
            pl.col("depth").replace_strict(
                {0: UNIT_PROVINCE, 1: UNIT_CITY, 2: UNIT_COUNTY, 3: UNIT_TOWNSHIP}, return_dtype=pl.String
            )
        )
    )
    per_doc = best.group_by("doc").agg(
        name_unit=unit.first(),
        unit_depth=pl.col("unit_depth").max(),
        unit_start=pl.col("unit_start").first(),
        unit_end=pl.col("unit_end").first(),
        candidates=pl.struct("province", "city", "county").unique(maintain_order=True),
    )
    out = names.join(per_doc, on="doc", how="left")
    rest = pl.col("name").str.slice(pl.col("unit_end"))
    last_unit = pl.col("name").str.slice(pl.col("unit_start"), pl.col("unit_end") - pl.col("unit_start"))
    short = (
        pl.when(pl.col("unit_depth").is_null())
        .then(_fallback_short(pl.col("name")))
        .when(pl.col("unit_depth") < 0)
        .then(pl.col("name"))
        .when((rest == "") | rest.str.contains(_GOVERNMENT))
        .then(pl.concat_str(last_unit, rest))
        .otherwise(rest)
    )
    return out.select(
        "doc",
        short_name=short,
        name_unit="name_unit",
        resolved=pl.col("candidates").list.len().fill_null(0) == 1,
        has_unit=pl.col("unit_depth").fill_null(-1) >= 0,
        candidates=pl.col("candidates").fill_null(pl.lit([], dtype=pl.List(CANDIDATE))),
    ).cast(CHAINS)
