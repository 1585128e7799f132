"""The indicator catalogue (dbt seed) as the parser reads it."""

from __future__ import annotations

import polars as pl
import pytest

from orchestration.lib.parsing import DEFAULT_CATALOGUE_PATH, load_catalogue, prepare_catalogue
from orchestration.lib.parsing.catalogue import CATALOGUE, CATALOGUE_CSV


def test_default_path_is_the_dbt_seed() -> None:
    assert DEFAULT_CATALOGUE_PATH.parts[-3:] == ("dbt_project", "seeds", "indicator_catalogue.csv")
    assert DEFAULT_CATALOGUE_PATH.is_file()


def test_load_catalogue() -> None:
    cat = load_catalogue()
    assert cat.schema == CATALOGUE
    assert cat.height == 65
    assert cat["row_order"].to_list() == list(range(1, 66))
    assert cat["indicator_code"].is_unique().all()
    # Same key for the same label in two sections, nowhere else.
    dup = cat.filter(pl.col("match_key").is_duplicated()).sort("row_order")
    assert dup.select("indicator_code", "match_key", "section_code").rows() == [
        ("pre_reconsideration_corrected", "被依法纠错数", "pre_reconsiderations"),
        ("pre_reconsideration_other", "其他情形数", "pre_reconsiderations"),
        ("pre_lawsuit_corrected", "被依法纠错数", "pre_lawsuits"),
        ("pre_lawsuit_other", "其他情形数", "pre_lawsuits"),
    ]


def test_sections_are_top_level_ancestors() -> None:
    cat = load_catalogue()
    sections = cat.filter(pl.col("is_section"))["indicator_code"].to_list()
    assert sections == [
        "pre_s1_proactive",
        "pre_s2_response",
        "pre_s3_requests",
        "pre_reconsiderations",
        "pre_lawsuits",
        "pre_complaints",
        "pre_fees",
        "pre_s8_capacity",
        "pre_s9_meetings",
    ]
    section_of = dict(cat.select("indicator_code", "section_code").iter_rows())
    assert section_of["pre_refused_security"] == "pre_s3_requests"  # three levels down
    assert section_of["pre_press_conferences_by_leaders"] == "pre_s2_response"
    assert section_of["pre_staff_part_time"] == "pre_s8_capacity"
    assert section_of["pre_fees"] == "pre_fees"
    keys = dict(cat.select("indicator_code", "match_key").iter_rows())
    assert keys["pre_refused_not_gov_info"] == "不是《条例》所指政府信息"
    assert keys["pre_refused_security"] == "危及国家安全、公共安全、经济安全和社会稳定"


def test_load_catalogue_from_a_path(tmp_path) -> None:
    raw = pl.read_csv(DEFAULT_CATALOGUE_PATH, schema=CATALOGUE_CSV)
    path = tmp_path / "catalogue.csv"
    raw.head(3).write_csv(path)
    cat = load_catalogue(path)
    assert cat["indicator_code"].to_list() == [
        "pre_s1_proactive",
        "pre_proactive_items",
        "pre_proactive_normative_docs",
    ]


def test_invalid_catalogues_are_refused() -> None:
    raw = pl.read_csv(DEFAULT_CATALOGUE_PATH, schema=CATALOGUE_CSV)
    with pytest.raises(ValueError, match="duplicated indicator_code"):
        prepare_catalogue(pl.concat([raw, raw.head(1)]))
    with pytest.raises(ValueError, match="unknown parent_code"):
        prepare_catalogue(raw.filter(pl.col("indicator_code") != "pre_s1_proactive"))
    with pytest.raises(ValueError, match="no rows for template"):
        prepare_catalogue(raw, template="gov2035")
    cycle = raw.with_columns(
        parent_code=pl.when(pl.col("indicator_code") == "pre_s1_proactive")
        .then(pl.lit("pre_proactive_items"))
        .otherwise(pl.col("parent_code"))
    )
    with pytest.raises(ValueError, match="cycle"):
        prepare_catalogue(cycle)
