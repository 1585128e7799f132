"""What the gov2019/gov2021 parser knows about the national templates, derived from the dbt seeds.

Row labels come from ``indicator_catalogue.csv`` (templates gov2019 and gov2021), column labels
from ``breakdown_sets.csv``; nothing here lists a table row. The only words kept in Python are
the column-group headers that the seeds do not name (申请人情况, 法人或其他组织, 行政诉讼, 信息内容).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from orchestration.lib.parsing.catalogue import GOV_TEMPLATES, load_breakdown_sets, load_gov_catalogue
from orchestration.lib.parsing.text import label_key

#: Header cells of each table that name a group of columns, not a column of the seed.
GROUP_HEADERS: dict[int, tuple[str, ...]] = {
    2: ("信息内容",),
    3: ("申请人情况", "法人或其他组织"),
    4: ("行政复议", "行政诉讼"),
}

#: Catalogue rows of both templates (the columns the parser joins on).
GOV_ROWS = pl.Schema(
    {
        "indicator_code": pl.String,
        "template": pl.String,
        "row_order": pl.Int32,
        "name_zh": pl.String,
        "match_key": pl.String,  # row_key(name_zh)
        "unit": pl.String,
        "parent_code": pl.String,
        "is_header": pl.Boolean,
        "table_no": pl.Int32,
        "breakdown_set": pl.String,
    }
)

#: One row per column of a breakdown set.
GOV_SETS = pl.Schema(
    {
        "breakdown_set": pl.String,
        "position": pl.Int32,
        "breakdown": pl.String,
        "set_unit": pl.String,  # the column's unit override (NULL: the catalogue row's unit)
        "size": pl.Int32,  # columns in the set
        "family": pl.String,  # the one template whose rows use the set, NULL if both do
        "table_no": pl.Int32,
    }
)

#: Printed header words (header_key form) of each table.
HEADER_WORDS = pl.Schema(
    {
        "word": pl.String,
        "table_no": pl.Int32,
        "family": pl.String,  # gov2019 | gov2021 when only that template prints the word, else NULL
        "exclusive": pl.Boolean,  # the word heads only this table
    }
)

#: Per row label (match_key, table): the template it marks, if only one template has it.
KEY_MARKERS = pl.Schema(
    {
        "match_key": pl.String,
        "table_no": pl.Int32,
        "only_template": pl.String,  # the label exists in one template only
        "only_valued_template": pl.String,  # the label is a valued (non-header) row in one template only
    }
)


@dataclass(frozen=True)
class GovSeeds:
    """The seeds in the shapes the parser joins against (see the schemas above)."""

    rows: pl.DataFrame
    sets: pl.DataFrame
    header_words: pl.DataFrame
    key_markers: pl.DataFrame


def header_key(expr: pl.Expr) -> pl.Expr:
    """Match key of a header cell: NFKC, notes in brackets and white space removed, trailing
    punctuation removed ("本年收费金额（单位：万元）" → 本年收费金额). Numbering is kept: "（七）总计" is no
    header cell."""
    text = expr.str.normalize("NFKC").str.replace_all(r"\s+", "").str.replace_all(r"(.)\([^()]*\)", "${1}")
    return text.str.replace(r"[:;,.。、]+$", "")


#: Quotes and inner punctuation that agencies add or drop in row labels (危及"三安全一稳定", 其他法律、行政法规).
_LABEL_NOISE = r"[“”\"'‘’「」『』、，,:：;；。.·\s]"


def row_key(expr: pl.Expr) -> pl.Expr:
    """Match key of a 表二/表三/表四 row label: text.label_key (numbering and notes in brackets
    dropped), then quotes and inner punctuation dropped."""
    return label_key(expr).str.replace_all(_LABEL_NOISE, "")


def _single(values: pl.Expr) -> pl.Expr:
    """The only distinct value of a group, NULL when there are several."""
    return pl.when(values.n_unique() == 1).then(values.first())


def build_gov_seeds(catalogue: pl.DataFrame, breakdown_sets: pl.DataFrame) -> GovSeeds:
    """GovSeeds from load_gov_catalogue() and load_breakdown_sets() frames."""
    rows = (
        catalogue.filter(pl.col("template").is_in(GOV_TEMPLATES))
        .with_columns(match_key=row_key(pl.col("name_zh")))
        .select(GOV_ROWS.names())
        .cast(GOV_ROWS)
    )
    usage = (
        rows.filter(pl.col("breakdown_set").is_not_null())
        .group_by("breakdown_set")
        .agg(family=_single(pl.col("template")), table_no=pl.col("table_no").min())
    )
    sets = (
        breakdown_sets.join(usage, on="breakdown_set", how="inner")
        .with_columns(size=pl.len().over("breakdown_set").cast(pl.Int32))
        .select(
            "breakdown_set", "position", "breakdown", set_unit="unit", size="size", family="family", table_no="table_no"
        )
        .cast(GOV_SETS)
        .sort("breakdown_set", "position")
    )
    groups = pl.DataFrame(
        [(word, table_no) for table_no, words in GROUP_HEADERS.items() for word in words],
        schema={"label": pl.String, "table_no": pl.Int32},
        orient="row",
    )
    # 行政复议/结果维持 → 行政复议, 结果维持: the seed joins the two header levels of 表四 with "/".
    set_words = sets.select(
        label=pl.when(pl.col("table_no") == 4)
        .then(pl.col("breakdown").str.split("/"))
        .otherwise(pl.concat_list("breakdown")),
        table_no="table_no",
        family="family",
    ).explode("label")
    # A word printed by both families, or by a set both use, marks neither (NULL family).
    header_words = (
        pl.concat([set_words, groups.with_columns(family=pl.lit(None, pl.String))], how="diagonal")
        .with_columns(word=header_key(pl.col("label")))
        .group_by("word", "table_no")
        .agg(family=_single(pl.col("family")))
        .with_columns(exclusive=pl.col("table_no").n_unique().over("word") == 1)
        .select(HEADER_WORDS.names())
        .cast(HEADER_WORDS)
        .sort("table_no", "word")
    )
    key_markers = (
        rows.group_by("match_key", "table_no")
        .agg(
            only_template=_single(pl.col("template")),
            only_valued_template=_single(pl.col("template").filter(~pl.col("is_header"))),
        )
        .select(KEY_MARKERS.names())
        .cast(KEY_MARKERS)
    )
    return GovSeeds(rows=rows, sets=sets, header_words=header_words, key_markers=key_markers)


def load_gov_seeds() -> GovSeeds:
    """GovSeeds from the repository's dbt seeds."""
    sets = load_breakdown_sets()
    return build_gov_seeds(load_gov_catalogue(sets=sets), sets)
