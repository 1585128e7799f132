"""Province, city and county of each report's agency, from its name, its text and its phone numbers.

Resolution (region_source):

1. ``title``: the administrative names the agency name starts with (灵武市临河镇, 四川省眉山市仁寿县
   向家镇, 沙坡头区机关事务局; short forms such as 仁寿向家镇 count when a deeper name or a unit
   character follows them) — see names.py. A chain with a province, city or county name that
   fits one division decides.
2. ``text``: places named in the report (Aho–Corasick over each document's text with the full
   names and the uncommon short forms of provinces, cities and counties), counted and resolved
   top-down: the province with the most consistent mentions, then the city in it, then the
   county in that city, each only when it beats the runner-up (a county only inside the city and
   province chosen). The title takes part: a deciding chain weighs more than any text; a
   township alone (观水镇) or an ambiguous chain (复兴乡: three counties) adds one mention to
   each division it fits, so 平川区 in the text picks the 复兴乡 of 平川区, and 牟平 the 观水镇 of
   牟平区. A township unique in the dataset decides alone (``title``) only when the text names
   no place: names change, the dataset is a recent snapshot.
3. ``area_code``: the landline area code of the phone numbers printed (0943-6850168 → 甘肃省/
   白银市; 0728 → 湖北省/天门市, a county-level city under its province) fills the region when
   nothing above did, or the city under a matching province. Postcodes are read (contacts.py)
   but not used: no postcode dataset ships with jionlp.

Full official names (宁夏回族自治区, 烟台市, 牟平区). County is NULL for city- and province-level
agencies, city NULL for provinces except municipalities (北京市/北京市).
"""

from __future__ import annotations

import polars as pl

from orchestration.lib.parsing import divisions
from orchestration.lib.parsing.mentions import area_codes, text_mentions
from orchestration.lib.parsing.names import (
    UNIT_CITY,
    UNIT_COUNTY,
    UNIT_PROVINCE,
    UNIT_TOWNSHIP,
    find_name_chains,
)

#: Weight of a title chain that fits a single division: more than any count of text mentions.
TITLE_WEIGHT = 1_000_000
#: Agency names ending like this are townships or streets: the text may add their county.
_TOWNSHIP_NAME = r"(?:镇|乡|苏木|街道|街道办事处|街道办)(?:人民政府|政府|党工委)?$"

REGIONS = pl.Schema(
    {
        "doc": pl.UInt32,
        "province": pl.String,
        "city": pl.String,
        "county": pl.String,
        "region_source": pl.String,
        "agency_short_name": pl.String,
        "name_unit": pl.String,
    }
)


def _pick(scores: pl.DataFrame, key: str) -> pl.DataFrame:
    """doc, key: per doc the key with the highest score, NULL when the best two tie."""
    ranked = scores.sort("doc", "score", descending=[False, True]).with_columns(
        rank=pl.int_range(pl.len()).over("doc"),
    )
    top = ranked.filter(pl.col("rank") == 0)
    second = ranked.filter(pl.col("rank") == 1).select("doc", second="score")
    return (
        top.join(second, on="doc", how="left")
        .filter(pl.col("second").is_null() | (pl.col("score") > pl.col("second")))
        .select("doc", key)
    )


def _resolve(evidence: pl.DataFrame, max_depth: pl.DataFrame) -> pl.DataFrame:
    """doc, province, city, county by top-down majority over weighted, consistent evidence.

    ``evidence``: doc, source (a token or "title"), weight, province, city, county (a node or
    the ancestry of one); each source counts once per province (city, county) it can denote.
    ``max_depth``: doc, max_depth (0: province only, 1: down to the city, 2: down to the county).
    """

    def level_scores(rows: pl.DataFrame, key: str) -> pl.DataFrame:
        return (
            rows.drop_nulls(key)
            .group_by("doc", "source", key)
            .agg(pl.col("weight").max())
            .group_by("doc", key)
            .agg(score=pl.col("weight").sum())
        )

    province = _pick(level_scores(evidence, "province"), "province")
    in_province = evidence.join(province, on=["doc", "province"], how="semi")
    city = _pick(level_scores(in_province, "city"), "city")
    # Counties of the chosen city, or under the province directly when no city was chosen (仙桃市).
    in_city = in_province.join(
        province.join(city, on="doc", how="left"), on=["doc", "province", "city"], how="semi", nulls_equal=True
    )
    county = _pick(level_scores(in_city, "county"), "county")
    out = (
        max_depth.join(province, on="doc", how="left")
        .join(city, on="doc", how="left")
        .join(county, on="doc", how="left")
    )
    return out.select(
        "doc",
        "province",
        city=pl.when(pl.col("max_depth") >= 1).then(pl.col("city")),
        county=pl.when(pl.col("max_depth") >= 2).then(pl.col("county")),
    )


def _municipalities() -> pl.Series:
    nodes = divisions.nodes()
    return nodes.filter((pl.col("level") == "city") & (pl.col("name") == pl.col("province")))["name"]


def find_regions(lines: pl.DataFrame, titles: pl.DataFrame) -> pl.DataFrame:
    """doc, province, city, county, region_source, agency_short_name, name_unit (REGIONS).

    ``lines``: the LINES frame (lines.explode_lines); ``titles``: doc, agency_name (find_titles).
    One row per doc of ``titles``. name_unit is the division level of the agency's own unit as
    the name chain shows it (province | city | county | township | NULL), for agency_level.
    """
    agencies = titles.select("doc", "agency_name")
    chains = find_name_chains(agencies)
    is_township_name = pl.col("agency_name").fill_null("").str.contains(_TOWNSHIP_NAME)
    # How deep the region may go: a city department has no county, a province department no city.
    depth = agencies.join(chains.select("doc", "name_unit"), on="doc", how="left").select(
        "doc",
        max_depth=pl.when(is_township_name | pl.col("name_unit").is_in([UNIT_COUNTY, UNIT_TOWNSHIP]))
        .then(2)
        .when(pl.col("name_unit") == UNIT_CITY)
        .then(1)
        .when(pl.col("name_unit") == UNIT_PROVINCE)
        .then(0)
        .otherwise(2),
    )
    # A chain fitting one division, with a province/city/county name in it, decides; a township
    # alone or an ambiguous chain only proposes its divisions (one mention each).
    strong = pl.col("resolved") & pl.col("has_unit")
    node_cols = ["province", "city", "county"]
    title_evidence = (
        chains.select("doc", "candidates", weight=pl.when(strong).then(TITLE_WEIGHT).otherwise(1).cast(pl.Int64))
        .explode("candidates")
        .unnest("candidates")
        .drop_nulls("province")
        .select("doc", pl.lit("title").alias("source"), "weight", *node_cols)
    )
    # Text and phone numbers are read only where the title leaves something open.
    first = pl.col("candidates").list.first()
    title_depth = (
        pl.when(first.struct.field("county").is_not_null())
        .then(2)
        .when(first.struct.field("city").is_not_null())
        .then(1)
        .otherwise(0)
    )
    settled = chains.join(depth, on="doc", how="inner").filter(strong & (title_depth >= pl.col("max_depth")))
    lines = lines.join(settled.select("doc"), on="doc", how="anti")
    names = divisions.names().filter(pl.col("depth") <= 2).select("token", *node_cols)
    text_evidence = (
        text_mentions(lines, agencies)
        .join(names, on="token", how="inner")
        .select("doc", pl.col("token").alias("source"), "weight", *node_cols)
    )
    with_text = text_evidence.select("doc").unique()
    title_only = _resolve(title_evidence, depth)
    both = _resolve(pl.concat([title_evidence, text_evidence]), depth)
    area = area_codes(lines)

    def n_levels(prefix: str) -> pl.Expr:
        return pl.sum_horizontal(pl.col(f"{prefix}{c}").is_not_null().cast(pl.Int8) for c in node_cols)

    out = (
        agencies.join(depth, on="doc", how="left")
        .join(chains.select("doc", "short_name", "name_unit", strong=strong), on="doc", how="left")
        .join(title_only.rename({c: f"t_{c}" for c in node_cols}), on="doc", how="left")
        .join(both, on="doc", how="left")
        .join(area, on="doc", how="left")
        .with_columns(has_text=pl.col("doc").is_in(with_text["doc"].implode()))
    )
    # Area code: fills an empty region, or the city under the same province (or a direct county).
    fill_all = pl.col("province").is_null() & pl.col("ac_province").is_not_null()
    fill_city = (
        (pl.col("province") == pl.col("ac_province"))
        & pl.col("city").is_null()
        & pl.col("county").is_null()
        & pl.col("ac_city").is_not_null()
        & (pl.col("max_depth") >= 1)
    )
    # The title decided when the text added nothing to it; a weak title (a township alone) only
    # when the text named no place at all.
    by_title = (n_levels("") == n_levels("t_")) & (pl.col("strong").fill_null(False) | ~pl.col("has_text"))
    out = out.with_columns(
        source=pl.when(pl.col("province").is_null() & ~fill_all)
        .then(None)
        .when(fill_all | fill_city)
        .then(pl.lit("area_code"))
        .when(by_title)
        .then(pl.lit("title"))
        .otherwise(pl.lit("text")),
        province=pl.when(fill_all).then(pl.col("ac_province")).otherwise(pl.col("province")),
        city=pl.when(fill_all | fill_city).then(pl.col("ac_city")).otherwise(pl.col("city")),
        county=pl.when(fill_all & (pl.col("max_depth") >= 2)).then(pl.col("ac_county")).otherwise(pl.col("county")),
    )
    municipal = pl.col("province").is_in(_municipalities().implode())
    return out.select(
        "doc",
        "province",
        city=pl.when(pl.col("city").is_null() & municipal).then(pl.col("province")).otherwise(pl.col("city")),
        county="county",
        region_source="source",
        agency_short_name="short_name",
        name_unit="name_unit",
    ).cast(REGIONS)
