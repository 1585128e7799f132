"""The indicator catalogue (dbt seed ``indicator_catalogue.csv``): the single source of truth
for the rows of the pre-2019 statistics table. Nothing in the parser lists those rows itself.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from orchestration.lib.parsing.text import label_key

#: ``<repo>/dbt_project/seeds/indicator_catalogue.csv``, located from this package.
DEFAULT_CATALOGUE_PATH = Path(__file__).resolve().parents[3] / "dbt_project" / "seeds" / "indicator_catalogue.csv"

#: Columns of the CSV as read.
CATALOGUE_CSV = pl.Schema(
    {
        "indicator_code": pl.String,
        "template": pl.String,
        "row_order": pl.Int32,
        "label_prefix": pl.String,
        "name_zh": pl.String,
        "name_en": pl.String,
        "unit": pl.String,
        "parent_code": pl.String,
        "is_header": pl.Boolean,
        "table_no": pl.Int32,  # gov2019/gov2021: 2, 3 or 4 (表二, 表三, 表四); NULL otherwise
        "breakdown_set": pl.String,  # matrix rows: the columns of the row (seed breakdown_sets.csv); NULL otherwise
    }
)

#: The frame the parser joins against: the CSV plus the match key and the section of each row.
CATALOGUE = pl.Schema(
    {
        **CATALOGUE_CSV,
        "match_key": pl.String,  # text.label_key(name_zh)
        "section_code": pl.String,  # top-level ancestor (itself for a top-level row)
        "is_section": pl.Boolean,  # a top-level row (no parent): 一、 … 九、
    }
)

_MAX_DEPTH = 16


def prepare_catalogue(raw: pl.DataFrame, template: str = "pre2019_table") -> pl.DataFrame:
    """Add match_key, section_code and is_section to catalogue rows of one template (validated)."""
    cat = raw.cast(CATALOGUE_CSV).filter(pl.col("template") == template)
    if cat.is_empty():
        raise ValueError(f"indicator catalogue has no rows for template {template!r}")
    dup_codes = cat.filter(pl.col("indicator_code").is_duplicated())["indicator_code"].unique().to_list()
    if dup_codes:
        raise ValueError(f"indicator catalogue: duplicated indicator_code {sorted(dup_codes)}")
    cat = cat.with_columns(
        match_key=label_key(pl.col("name_zh")),
        is_section=pl.col("parent_code").is_null() | (pl.col("parent_code") == ""),
    ).with_columns(parent_code=pl.when(pl.col("is_section")).then(None).otherwise(pl.col("parent_code")))
    if cat.filter(pl.col("match_key").is_null() | (pl.col("match_key") == "")).height:
        raise ValueError("indicator catalogue: a name_zh normalises to an empty label")
    unknown = cat.filter(~pl.col("is_section") & ~pl.col("parent_code").is_in(cat["indicator_code"].implode()))
    if unknown.height:
        raise ValueError(f"indicator catalogue: unknown parent_code in rows {unknown['indicator_code'].to_list()}")

    # Walk up parent_code to the top-level row: one join per tree level, not per row.
    parents = cat.select(
        pl.col("indicator_code").alias("_up_code"),
        pl.col("parent_code").alias("_up_parent"),
    )
    walk = cat.select("indicator_code", pl.col("indicator_code").alias("_cur"), pl.col("parent_code").alias("_next"))
    for _ in range(_MAX_DEPTH):
        if walk["_next"].null_count() == walk.height:
            break
        walk = (
            walk.join(parents, left_on="_next", right_on="_up_code", how="left")
            .with_columns(
                _cur=pl.coalesce("_next", "_cur"),
                _next=pl.col("_up_parent"),
            )
            .drop("_up_parent")
        )
    else:
        raise ValueError("indicator catalogue: parent_code cycle or tree deeper than 16 levels")
    sections = walk.select("indicator_code", section_code=pl.col("_cur"))
    return (
        cat.join(sections, on="indicator_code", how="left", maintain_order="left")
        .select(CATALOGUE.names())
        .cast(CATALOGUE)
        .sort("row_order")
    )


def load_catalogue(path: str | Path | None = None, template: str = "pre2019_table") -> pl.DataFrame:
    """Read the catalogue CSV (default: the repository's dbt seed) into the CATALOGUE frame."""
    source = Path(path) if path is not None else DEFAULT_CATALOGUE_PATH
    raw = pl.read_csv(source, schema=CATALOGUE_CSV, encoding="utf8")
    return prepare_catalogue(raw, template=template)


#: The national templates of 2019 and 2021 (表二, 表三, 表四): their rows share indicator codes.
GOV_TEMPLATES = ("gov2019", "gov2021")

#: ``<repo>/dbt_project/seeds/breakdown_sets.csv``: the ordered columns of each matrix row.
DEFAULT_BREAKDOWN_SETS_PATH = DEFAULT_CATALOGUE_PATH.with_name("breakdown_sets.csv")

#: Columns of the breakdown-set CSV as read (unit: NULL when the row's catalogue unit applies).
BREAKDOWN_SETS = pl.Schema(
    {
        "breakdown_set": pl.String,
        "position": pl.Int32,  # 1-based column of the matrix row
        "breakdown": pl.String,  # canonical column label, e.g. 行政复议/结果维持
        "name_en": pl.String,
        "unit": pl.String,
    }
)


def load_breakdown_sets(path: str | Path | None = None) -> pl.DataFrame:
    """Read the breakdown-set CSV (default: the repository's dbt seed), validated: positions
    1..n without gaps or duplicates in every set, labels unique within a set."""
    source = Path(path) if path is not None else DEFAULT_BREAKDOWN_SETS_PATH
    sets = pl.read_csv(source, schema=BREAKDOWN_SETS, encoding="utf8").with_columns(
        unit=pl.when(pl.col("unit").str.strip_chars() != "").then(pl.col("unit").str.strip_chars())
    )
    bad = (
        sets.group_by("breakdown_set")
        .agg(
            ok=(pl.col("position").n_unique() == pl.len())
            & (pl.col("breakdown").n_unique() == pl.len())
            & (pl.col("position").min() == 1)
            & (pl.col("position").max() == pl.len())
        )
        .filter(~pl.col("ok"))
    )
    if bad.height:
        raise ValueError(f"breakdown sets: positions must be 1..n and labels unique in {sorted(bad['breakdown_set'])}")
    return sets.sort("breakdown_set", "position")


def load_gov_catalogue(path: str | Path | None = None, sets: pl.DataFrame | None = None) -> pl.DataFrame:
    """CATALOGUE rows of both national templates (gov2019 then gov2021), each prepared like
    prepare_catalogue; every breakdown_set named must exist in ``sets`` (default: the seed)."""
    source = Path(path) if path is not None else DEFAULT_CATALOGUE_PATH
    raw = pl.read_csv(source, schema=CATALOGUE_CSV, encoding="utf8")
    cat = pl.concat([prepare_catalogue(raw, template=t) for t in GOV_TEMPLATES])
    known = (sets if sets is not None else load_breakdown_sets())["breakdown_set"].unique()
    unknown = cat.filter(pl.col("breakdown_set").is_not_null() & ~pl.col("breakdown_set").is_in(known.implode()))
    if unknown.height:
        raise ValueError(f"indicator catalogue: unknown breakdown_set in rows {unknown['indicator_code'].to_list()}")
    return cat
