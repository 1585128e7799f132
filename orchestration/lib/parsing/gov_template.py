"""gov2019 or gov2021: what the printed columns and rows of a report say.

Markers of a template are the header words only its breakdown sets print (本年新制作数量, 上一年项目数量,
采购总金额 … for 2019; 本年制发件数, 本年处理决定数量, 本年收费金额 … for 2021) and the row labels only it
has (规范性文件, 其他对外管理服务事项, 政府集中采购 / 行政规范性文件, the three sub-rows of （六）其他处理),
or has as a valued row (（六）其他处理 with numbers: 2019). Every distinct marker counts once; the
majority wins, a tie goes to the report year (2021 on: gov2021).
"""

from __future__ import annotations

import polars as pl

from orchestration.lib.parsing.gov_seeds import GovSeeds, header_key
from orchestration.lib.parsing.table_pre2019 import by_distinct

#: First report year of the 2021 template.
GOV2021_FIRST_YEAR = 2021

#: Template markers found in a document.
MARKERS = pl.Schema({"doc": pl.UInt32, "block": pl.UInt32, "family": pl.String, "marker": pl.String})

#: One row per detected national-template document.
TEMPLATES = pl.Schema({"doc": pl.UInt32, "template": pl.String})


def header_markers(stream: pl.DataFrame, seeds: GovSeeds) -> pl.DataFrame:
    """MARKERS from the header cells of 表二: a family-specific header word as one cell, or split
    over two adjacent label cells ("本年新\\n制作数量")."""
    words = seeds.header_words.filter(pl.col("family").is_not_null()).select("word", "family").unique()
    labels = stream.filter((pl.col("zone") == 2) & (pl.col("kind") == "label")).select("doc", "block", "cell", "hkey")
    if labels.is_empty():
        return pl.DataFrame(schema=MARKERS)
    pairs = labels.with_columns(pair=pl.concat_str("cell", pl.col("cell").shift(-1).over("doc", "block"))).filter(
        pl.col("pair").is_not_null()
    )
    pairs = by_distinct(pairs, "pair", pair_key=header_key(pl.col("pair")))
    found = pl.concat(
        [
            labels.select("doc", "block", word="hkey"),
            pairs.select("doc", "block", word="pair_key"),
        ]
    ).join(words, on="word", how="inner")
    return found.select("doc", "block", "family", marker="word").unique().cast(MARKERS)


def row_markers(matches: pl.DataFrame, rows: pl.DataFrame, seeds: GovSeeds) -> pl.DataFrame:
    """MARKERS from matched row labels: a label of one template only, or a label that only one
    template prints as a valued row, on a row with at least one number or marker."""
    valued = rows.filter(pl.col("n_filled") > 0).select("doc", "row", "block")
    keyed = (
        matches.select("doc", "row", "key", "zone")
        .unique()
        .join(valued, on=["doc", "row"], how="inner")
        .join(seeds.key_markers, left_on=["key", "zone"], right_on=["match_key", "table_no"], how="inner")
    )
    return (
        keyed.select(
            "doc",
            "block",
            family=pl.coalesce("only_template", "only_valued_template"),
            marker=pl.col("key"),
        )
        .filter(pl.col("family").is_not_null())
        .unique()
        .cast(MARKERS)
    )


def block_families(header: pl.DataFrame) -> pl.DataFrame:
    """doc, block, block_family: the family whose header words a 表二 block prints (NULL on a tie)."""
    counts = header.group_by("doc", "block", "family").agg(n=pl.col("marker").n_unique())
    return (
        counts.sort("doc", "block", "n", descending=[False, False, True])
        .group_by("doc", "block", maintain_order=True)
        .agg(
            block_family=pl.when(pl.col("n").first() > pl.col("n").get(1, null_on_oob=True).fill_null(0)).then(
                pl.col("family").first()
            )
        )
    )


def detect_templates(docs: pl.DataFrame, markers: pl.DataFrame, years: pl.DataFrame) -> pl.DataFrame:
    """TEMPLATES of ``docs`` (doc): the family with more distinct markers; a tie (none at all
    included) → gov2021 when the report year (``years``: doc, year) is 2021 or later or unknown."""
    counts = markers.group_by("doc").agg(
        n2019=pl.col("marker").filter(pl.col("family") == "gov2019").n_unique(),
        n2021=pl.col("marker").filter(pl.col("family") == "gov2021").n_unique(),
    )
    frame = (
        docs.select("doc")
        .unique()
        .join(counts, on="doc", how="left")
        .join(years, on="doc", how="left")
        .with_columns(pl.col("n2019", "n2021").fill_null(0))
    )
    late = pl.col("year").is_null() | (pl.col("year") >= GOV2021_FIRST_YEAR)
    template = (
        pl.when(pl.col("n2019") > pl.col("n2021"))
        .then(pl.lit("gov2019"))
        .when(pl.col("n2021") > pl.col("n2019"))
        .then(pl.lit("gov2021"))
        .when(late)
        .then(pl.lit("gov2021"))
        .otherwise(pl.lit("gov2019"))
    )
    return frame.select("doc", template=template).cast(TEMPLATES).sort("doc")
