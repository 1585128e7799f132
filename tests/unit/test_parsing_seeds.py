"""The five seed reports in raw/: metadata and statistics-table values, exactly."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from orchestration.lib.parsing import ParseResult, load_catalogue
from orchestration.lib.schemas import INDICATOR_VALUES, PARSER_VERSION, QUARANTINE, REPORTS
from tests.parsing_helpers import parse_paths

RAW = Path(__file__).resolve().parents[2] / "raw"
SEED_FILES = sorted(p.name for p in RAW.glob("*.txt"))


def parse_seed_paths(paths: list[Path]) -> ParseResult:
    result, undecodable = parse_paths(paths)
    assert undecodable.is_empty()
    return result


@pytest.fixture(scope="module")
def seeds() -> ParseResult:
    return parse_seed_paths([RAW / name for name in SEED_FILES])


def values_of(result: ParseResult, prefix: str) -> dict[str, dict]:
    report_id = result.reports.filter(pl.col("source_file").str.starts_with(prefix))["report_id"].item()
    rows = result.values.filter((pl.col("report_id") == report_id) & (pl.col("source_kind") == "table"))
    return {row["indicator_code"]: row for row in rows.iter_rows(named=True)}


def test_five_seeds_are_reports(seeds: ParseResult) -> None:
    assert len(SEED_FILES) == 5
    assert seeds.reports.schema == REPORTS
    assert seeds.values.schema == INDICATOR_VALUES
    assert seeds.quarantine.schema == QUARANTINE
    assert seeds.quarantine.is_empty()
    assert seeds.reports["source_file"].to_list() == SEED_FILES
    assert seeds.reports["parser_version"].to_list() == [PARSER_VERSION] * 5
    assert seeds.reports["encoding"].to_list() == ["utf-8"] * 5


def test_seed_metadata(seeds: ParseResult) -> None:
    got = seeds.reports.select(
        "title",
        "title_line",
        "agency_name",
        "agency_level",
        "report_year",
        "publish_date",
        "template",
        "table_start_line",
        "n_lines",
    ).rows()
    assert got == [
        (
            "灵武市临河镇 2018 年政府信息公开工作年度报告",
            3,
            "灵武市临河镇",
            "乡镇",
            2018,
            None,
            "pre2019_table",
            67,
            133,
        ),
        (
            "仁寿县向家镇2018年政府信息公开工作年度报告",
            9,
            "仁寿县向家镇",
            "乡镇",
            2018,
            dt.date(2019, 2, 28),
            "narrative",
            None,
            63,
        ),
        (
            "沙坡头区机关事务局 2018 年政府信息公开年度工作报告",
            3,
            "沙坡头区机关事务局",
            "县区部门",
            2018,
            None,
            "pre2019_table",
            89,
            157,
        ),
        (
            "观水镇 2017 年政府信息公开年度报告",
            3,
            "观水镇",
            "乡镇",
            2017,
            dt.date(2018, 1, 9),
            "narrative",
            None,
            71,
        ),
        ("复兴乡2018年政务公开工作报告", 1, "复兴乡", "乡镇", 2018, None, "narrative", None, 66),
    ]


def test_seed_sizes_match_the_files(seeds: ParseResult) -> None:
    for row in seeds.reports.iter_rows(named=True):
        text = (RAW / row["source_file"]).read_text(encoding="utf-8")
        assert row["n_chars"] == len(text)
        assert row["n_lines"] == len(text.splitlines())
        assert text.splitlines()[row["title_line"] - 1].strip() == row["title"]


def test_value_counts_per_seed(seeds: ParseResult) -> None:
    counts = (
        seeds.reports.join(
            seeds.values.filter(pl.col("source_kind") == "table").group_by("report_id").len(),
            on="report_id",
            how="left",
        )
        .select("source_file", pl.col("len").fill_null(0))
        .rows()
    )
    assert [n for _, n in counts] == [65, 0, 65, 0, 0]
    cat_codes = set(load_catalogue()["indicator_code"])
    for prefix in ("000_", "002_"):
        assert set(values_of(seeds, prefix)) == cat_codes


def test_seed_000_values(seeds: ParseResult) -> None:
    v = values_of(seeds, "000_")
    expected = {  # indicator: (value, raw_value, unit, source_line)
        "pre_s1_proactive": (1815.0, "1815", "——", 68),
        "pre_proactive_items": (0.0, "0", "条", 69),
        "pre_s1_channels": (None, "", "——", 72),
        "pre_channel_website": (34.0, "34", "条", 74),
        "pre_channel_weibo": (30.0, "30", "条", 75),
        "pre_channel_other": (1211.0, "1211", "条", 77),
        "pre_s2_response": (None, "", "——", 78),
        "pre_answer_already_public": (0.0, "0", "件", 98),
        "pre_answer_granted": (0.0, "0", "件", 100),  # a blank line sits between 98 and 100
        "pre_refused_security": (0.0, "0", "件", 106),  # label printed as "…和社会 稳定"
        "pre_reconsideration_corrected": (0.0, "0", "件", 115),
        "pre_lawsuit_corrected": (0.0, "0", "件", 119),
        "pre_reconsideration_other": (0.0, "0", "件", 116),
        "pre_lawsuit_other": (0.0, "0", "件", 120),
        "pre_fees": (0.0, "0", "万元", 122),
        "pre_s8_capacity": (None, "", "——", 123),
        "pre_inspection_points": (1.0, "1", "个", 125),
        "pre_staff_total": (3.0, "3", "人", 126),
        "pre_staff_full_time": (1.0, "1", "人", 127),
        "pre_staff_part_time": (2.0, "2", "人", 128),
        "pre_special_funds": (0.0, "0", "万元", 129),
        "pre_s9_meetings": (None, "", "——", 130),
        "pre_trainees": (4.0, "4", "人次", 133),
    }
    for code, (value, raw_value, unit, line) in expected.items():
        row = v[code]
        assert (row["value"], row["raw_value"], row["unit"], row["source_line"]) == (
            value,
            raw_value,
            unit,
            line,
        ), code
    assert v["pre_refused_security"]["raw_label"] == "危及国家安全、公共安全、经济安全和社会 稳定"
    assert v["pre_staff_full_time"]["raw_label"] == "1. 专职人员数（不包括政府公报及政府网站工作人员 数）"
    # Header rows: two blank (NULL, never 0) besides 1815; every other row is a stated number.
    blanks = sorted(code for code, row in v.items() if row["value"] is None)
    assert blanks == [
        "pre_s1_channels",
        "pre_s2_channels",
        "pre_s2_response",
        "pre_s3_requests",
        "pre_s8_capacity",
        "pre_s9_meetings",
    ]
    assert all(row["raw_value"] == "" for code, row in v.items() if code in blanks)
    assert all(
        row["breakdown"] == "" and row["qualifier"] == "exact" and row["source_kind"] == "table" for row in v.values()
    )


def test_seed_002_values(seeds: ParseResult) -> None:
    v = values_of(seeds, "002_")
    expected = {
        "pre_s1_proactive": (83.0, 90),
        "pre_proactive_items": (83.0, 91),
        "pre_s1_channels": (0.0, 94),
        "pre_channel_website": (54.0, 96),
        "pre_channel_weibo": (29.0, 97),
        "pre_s2_response": (None, 100),
        "pre_press_conferences_by_leaders": (0.0, 105),  # after a blank line inside the table
        "pre_response_weibo_wechat": (1.0, 109),
        "pre_s3_requests": (0.0, 111),
        "pre_refused_commercial_secret": (0.0, 127),
        "pre_reconsideration_corrected": (0.0, 138),
        "pre_lawsuit_corrected": (0.0, 142),
        "pre_s8_capacity": (0.0, 147),
        "pre_staff_total": (0.0, 150),
        "pre_staff_full_time": (1.0, 151),
        "pre_staff_part_time": (1.0, 152),
        "pre_s9_meetings": (None, 154),
        "pre_meetings": (2.0, 155),
        "pre_trainees": (2.0, 157),
    }
    for code, (value, line) in expected.items():
        assert (v[code]["value"], v[code]["source_line"]) == (value, line), code
    assert sorted(code for code, row in v.items() if row["value"] is None) == [
        "pre_s2_response",
        "pre_s9_meetings",
    ]


@pytest.mark.parametrize("prefix", ["000_", "002_"])
def test_source_lines_point_at_the_value(seeds: ParseResult, prefix: str) -> None:
    name = next(n for n in SEED_FILES if n.startswith(prefix))
    lines = (RAW / name).read_text(encoding="utf-8").split("\n")
    values = sorted(values_of(seeds, prefix).values(), key=lambda r: r["source_line"])
    order = dict(load_catalogue().select("indicator_code", "row_order").iter_rows())
    # Printed in catalogue order, each row on its own line holding label, unit and value cells.
    assert [order[r["indicator_code"]] for r in values] == list(range(1, 66))
    for row in values:
        cells = lines[row["source_line"] - 1].split("\t")
        assert cells == [row["raw_label"], row["unit"], row["raw_value"]]
