"""Cells, value parsing and the seeds of the national-template parser (gov_cells, gov_values, gov_seeds)."""

from __future__ import annotations

import polars as pl
import pytest

from orchestration.lib.parsing.catalogue import load_breakdown_sets, load_gov_catalogue
from orchestration.lib.parsing.gov import default_gov_seeds
from orchestration.lib.parsing.gov_cells import explode_cells, keep_value_empties
from orchestration.lib.parsing.gov_seeds import header_key, row_key
from orchestration.lib.parsing.gov_values import BLANK_QUALIFIER, parse_values


def cells_of(*lines: str) -> list[list[tuple[str, str]]]:
    frame = pl.DataFrame(
        {
            "doc": pl.Series([0] * len(lines), dtype=pl.UInt32),
            "line_no": pl.Series(range(1, len(lines) + 1), dtype=pl.Int32),
            "line": list(lines),
        }
    )
    got = keep_value_empties(explode_cells(frame))
    return [
        list(zip(group["cell"], group["kind"], strict=True))
        for _, group in got.group_by("line_no", maintain_order=True)
    ]


def test_cell_separators_and_kinds() -> None:
    got = cells_of(
        "规章\t0\t0\t5",
        "| 行政许可 | 1,203 |  |",
        "||（二）部分公开|1||0|",
        "行政处罚    约100    100余",
        "危及“三安全 一稳定” 0 - N/A",
        "0 0 +2 -3 增2 减少1 251000元 １２",
        "社会 稳定",
    )
    assert got == [
        [("规章", "label"), ("0", "number"), ("0", "number"), ("5", "number")],
        [("行政许可", "label"), ("1,203", "number"), ("", "empty")],
        [("（二）部分公开", "label"), ("1", "number"), ("", "empty"), ("0", "number")],
        [("行政处罚", "label"), ("约100", "number"), ("100余", "number")],
        [("危及“三安全 一稳定”", "label"), ("0", "number"), ("-", "marker"), ("N/A", "marker")],
        [(c, "number") for c in ["0", "0", "+2", "-3", "增2", "减少1", "251000元", "１２"]],
        [("社会 稳定", "label")],
    ]


def test_empty_cells_kept_only_after_the_last_label() -> None:
    got = cells_of("\t三、本年度办理结果\t\t（一）予以公开\t\t1\t", "\t\t\t", "自然人\t\t\t总计")
    assert got == [
        [("三、本年度办理结果", "label"), ("（一）予以公开", "label"), ("", "empty"), ("1", "number"), ("", "empty")],
        [("自然人", "label"), ("总计", "label")],
    ]


def parsed(cells: list[tuple[str, str]], set_unit: str | None = None, cat_unit: str = "件") -> list[tuple]:
    frame = pl.DataFrame(
        {"cell": [c for c, _ in cells], "kind": [k for _, k in cells], "set_unit": [set_unit] * len(cells)},
        schema={"cell": pl.String, "kind": pl.String, "set_unit": pl.String},
    ).with_columns(cat_unit=pl.lit(cat_unit))
    return parse_values(frame).select("raw_value", "value", "qualifier", "unit").rows()


def test_values_markers_and_qualifiers() -> None:
    got = parsed(
        [
            ("12", "number"),
            ("1,211", "number"),
            ("１２", "number"),
            ("+2", "number"),
            ("-3", "number"),
            ("减少1", "number"),
            ("约100", "number"),
            ("100余", "number"),
            ("12件", "number"),
            ("", "empty"),
            ("/", "marker"),
            ("无", "marker"),
        ]
    )
    assert got == [
        ("12", 12.0, "exact", "件"),
        ("1,211", 1211.0, "exact", "件"),
        ("１２", 12.0, "exact", "件"),
        ("+2", 2.0, "exact", "件"),
        ("-3", -3.0, "exact", "件"),
        ("减少1", -1.0, "exact", "件"),
        ("约100", 100.0, "approx", "件"),
        ("100余", 100.0, "at_least", "件"),
        ("12件", 12.0, "exact", "件"),
        ("", None, BLANK_QUALIFIER, "件"),
        ("/", None, BLANK_QUALIFIER, "件"),
        ("无", None, BLANK_QUALIFIER, "件"),
    ]


def test_money_units_are_converted_to_the_column_unit() -> None:
    assert parsed([("251000元", "number"), ("3.5万元", "number"), ("30", "number")], set_unit="万元") == [
        ("251000元", 25.1, "exact", "万元"),
        ("3.5万元", 3.5, "exact", "万元"),
        ("30", 30.0, "exact", "万元"),
    ]
    # The column unit comes from the catalogue row when the breakdown set has none.
    assert parsed([("251000元", "number")], cat_unit="万元") == [("251000元", 25.1, "exact", "万元")]
    # Another unit printed in a cell is reported as printed.
    assert parsed([("3项", "number")], set_unit="件") == [("3项", 3.0, "exact", "项")]


def test_blank_qualifier_matches_the_pre2019_table() -> None:
    assert BLANK_QUALIFIER == "exact"  # table_pre2019 reports 'exact' on its blank rows (test_parsing_seeds)


def test_keys() -> None:
    labels = pl.Series(["3.危及“三安全一稳定”", '3、危及"三安全 一稳定"', "2.其他法律、行政法规禁止公开", "（七）总计"])
    assert pl.select(row_key(pl.lit(labels))).to_series().to_list() == [
        "危及三安全一稳定",
        "危及三安全一稳定",
        "其他法律行政法规禁止公开",
        "总计",
    ]
    headers = pl.Series(["本年收费金额（单位：万元）", "（七）总计", "本年增/减", "商业 企业"])
    assert pl.select(header_key(pl.lit(headers))).to_series().to_list() == [
        "本年收费金额",
        "(七)总计",
        "本年增/减",
        "商业企业",
    ]


def test_gov_seeds() -> None:
    sets = load_breakdown_sets()
    catalogue = load_gov_catalogue(sets=sets)
    assert catalogue["template"].unique().sort().to_list() == ["gov2019", "gov2021"]
    seeds = default_gov_seeds()
    assert seeds is default_gov_seeds()  # cached per process
    sizes = dict(seeds.sets.filter(pl.col("position") == 1).select("breakdown_set", "size").rows())
    assert sizes["t3_applicants"] == 7 and sizes["t4_results"] == 15 and sizes["t2_decisions_2021"] == 1
    families = dict(seeds.header_words.filter(pl.col("family").is_not_null()).select("word", "family").rows())
    assert families["本年新制作数量"] == "gov2019" and families["本年处理决定数量"] == "gov2021"
    assert families["处理决定数量"] == "gov2019"
    markers = seeds.key_markers.filter(pl.col("match_key") == "其他处理").row(0, named=True)
    assert (markers["only_template"], markers["only_valued_template"]) == (None, "gov2019")


def test_breakdown_sets_are_validated(tmp_path) -> None:
    bad = tmp_path / "sets.csv"
    bad.write_text("breakdown_set,position,breakdown,name_en,unit\ns,1,a,A,\ns,3,b,B,\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"positions must be 1\.\.n"):
        load_breakdown_sets(bad)
