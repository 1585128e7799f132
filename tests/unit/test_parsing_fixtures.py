"""Test reports under tests/fixtures/reports/: layouts, value cells, encodings, quarantine."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from orchestration.lib.parsing import ParseResult, load_catalogue
from orchestration.lib.schemas import INDICATOR_VALUES, QUARANTINE, REPORTS
from tests.parsing_helpers import parse_paths

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "reports"
CATALOGUE_ORDER = load_catalogue()["indicator_code"].to_list()

#: The fully consistent table of pre2019_spaces.txt, in catalogue order (rows on lines 21-85).
SPACES_VALUES = [
    None, 530, 5, 6, None, 10, 500, 120, 80, 30,  # 一
    None, 3, None, 2, 1, 1, 1, 12, 4, 2,  # 二
    None, 11, 5, 1, 4, 1, 11, 10, 1, 11, 3, 4, 1, 1, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0,  # 三
    1, 1, 0, 0,  # 四
    2, 1, 1, 0,  # 五
    0, 0,  # 六 七
    None, 1, 2, 3, 1, 2, 2.5,  # 八
    None, 4, 2, 60,  # 九
]  # fmt: skip

#: pre2019_wrapped_pagebreak.txt, in catalogue order.
WRAPPED_VALUES = [
    None, 120, 3, 4, None, 0, 110, 60, 45, 8,
    None, 2, None, 1, 1, 0, 0, 6, 3, 0,
    None, 7, 2, 0, 4, 1, 7, 7, 0, 7, 2, 3, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0,
    1, 0, 1, 0,
    2, 2, 0, 0,
    0, 0,
    None, 1, 1, 2, 1, 1, 0.8,
    None, 2, 1, 35,
]  # fmt: skip


@pytest.fixture(scope="module")
def parsed() -> tuple[ParseResult, pl.DataFrame]:
    return parse_paths(sorted(p for p in FIXTURES.iterdir() if p.is_file() and p.suffix == ".txt"))


def report(result: ParseResult, name: str) -> dict:
    rows = result.reports.filter(pl.col("source_file") == name)
    assert rows.height == 1, name
    return rows.row(0, named=True)


def values(result: ParseResult, name: str) -> dict[str, dict]:
    rid = report(result, name)["report_id"]
    rows = result.values.filter((pl.col("report_id") == rid) & (pl.col("source_kind") == "table"))
    return {row["indicator_code"]: row for row in rows.iter_rows(named=True)}


def test_schemas(parsed: tuple[ParseResult, pl.DataFrame]) -> None:
    result, undecodable = parsed
    assert result.reports.schema == REPORTS
    assert result.values.schema == INDICATOR_VALUES
    assert result.quarantine.schema == QUARANTINE
    assert undecodable.schema == QUARANTINE


def test_every_fixture_is_a_report_or_quarantined(parsed: tuple[ParseResult, pl.DataFrame]) -> None:
    result, undecodable = parsed
    assert sorted(result.reports["source_file"]) == [
        "narrative_gbk.txt",
        "narrative_utf16.txt",
        "pre2019_markers.txt",
        "pre2019_spaces.txt",
        "pre2019_wrapped_pagebreak.txt",
    ]
    quarantined = pl.concat([undecodable, result.quarantine]).sort("source_file")
    assert quarantined.select("source_file", "reason").rows() == [
        ("empty.txt", "empty_file"),
        ("image_saved_as.txt", "binary_file"),
        ("notice_not_a_report.txt", "not_a_report"),
        ("recipe.txt", "not_a_report"),
        ("whitespace_only.txt", "empty_file"),
    ]
    detail = result.quarantine["detail"].unique().item()
    assert detail.startswith("no title naming an agency, a year and 政府信息公开…报告")
    assert detail.endswith("in the first 40 lines")


def test_metadata(parsed: tuple[ParseResult, pl.DataFrame]) -> None:
    result, _ = parsed
    got = {
        row["source_file"]: (
            row["encoding"],
            row["title"],
            row["title_line"],
            row["agency_name"],
            row["agency_level"],
            row["report_year"],
            row["publish_date"],
            row["template"],
            row["table_start_line"],
        )
        for row in result.reports.iter_rows(named=True)
    }
    assert got == {
        "pre2019_spaces.txt": (
            "utf-8",
            "中卫市人民政府办公室 2016 年政府信息公开工作年度报告",
            1,
            "中卫市人民政府办公室",
            "市部门",
            2016,
            dt.date(2017, 3, 20),  # 发布时间：2017-03-20 09:30    来源：…
            "pre2019_table",
            20,
        ),
        "pre2019_wrapped_pagebreak.txt": (
            "utf-8",
            "银川市兴庆区教育局2017年政府信息公开工作年度报告",  # agency on the line above the year
            2,
            "银川市兴庆区教育局",
            "县区部门",
            2017,
            dt.date(2018, 1, 15),  # signature 二〇一八年一月十五日 on the last line
            "pre2019_table",
            16,
        ),
        "pre2019_markers.txt": (
            "utf-8",
            "城关街道办事处 2015 年度政府信息公开工作年度报告",
            1,
            "城关街道办事处",
            "街道",
            2015,
            None,
            "pre2019_table",
            13,
        ),
        "narrative_gbk.txt": (
            "gb18030",
            "石门乡人民政府信息公开工作年度报告",
            1,
            "石门乡人民政府",
            "乡镇",
            2016,  # no year in the title: the 统计期限 sentence
            dt.date(2017, 3, 1),
            "narrative",
            None,
        ),
        "narrative_utf16.txt": (
            "utf-16-le",
            "平川区人民政府政务公开工作报告",
            1,
            "平川区人民政府",
            "县区政府",
            2018,  # no year in the title nor a 统计期限 sentence: publish year - 1
            dt.date(2019, 3, 15),
            "narrative",
            None,
        ),
    }
    assert report(result, "narrative_utf16.txt")["n_lines"] == 10
    assert report(result, "narrative_gbk.txt")["n_lines"] == 18


def test_narratives_have_no_table_values(parsed: tuple[ParseResult, pl.DataFrame]) -> None:
    result, _ = parsed
    assert values(result, "narrative_gbk.txt") == {}
    assert values(result, "narrative_utf16.txt") == {}


def test_space_separated_table(parsed: tuple[ParseResult, pl.DataFrame]) -> None:
    result, _ = parsed
    v = values(result, "pre2019_spaces.txt")
    assert [v[code]["value"] for code in CATALOGUE_ORDER] == SPACES_VALUES
    assert [v[code]["source_line"] for code in CATALOGUE_ORDER] == list(range(21, 86))
    # The prose line 12 "收到申请数  11  件，全部按时办结。" precedes the table: never a table value.
    assert v["pre_requests_received"]["source_line"] == 42
    assert v["pre_s1_proactive"]["raw_value"] == "" and v["pre_s1_proactive"]["unit"] == "——"
    assert v["pre_refused_security"]["raw_label"] == "危及国家安全、公共安全、经济安全和社会 稳定"
    assert v["pre_special_funds"]["unit"] == "万元" and v["pre_special_funds"]["raw_value"] == "2.5"
    assert v["pre_trainees"]["unit"] == "人次"
    assert v["pre_reconsideration_corrected"]["value"] == 0 and v["pre_lawsuit_corrected"]["value"] == 1


def test_space_separated_table_is_consistent(parsed: tuple[ParseResult, pl.DataFrame]) -> None:
    result, _ = parsed
    x = {code: row["value"] for code, row in values(result, "pre2019_spaces.txt").items()}
    sums = {
        "pre_requests_received": [
            "pre_requests_in_person",
            "pre_requests_fax",
            "pre_requests_online",
            "pre_requests_letter",
        ],
        "pre_requests_completed": ["pre_completed_on_time", "pre_completed_extended"],
        "pre_requests_answered": [
            "pre_answer_already_public",
            "pre_answer_granted",
            "pre_answer_partly_granted",
            "pre_answer_refused",
            "pre_answer_not_this_agency",
            "pre_answer_not_exist",
            "pre_answer_correction",
            "pre_answer_other_channel",
        ],
        "pre_answer_refused": [c for c in CATALOGUE_ORDER if c.startswith("pre_refused_")],
        "pre_reconsiderations": [
            "pre_reconsideration_upheld",
            "pre_reconsideration_corrected",
            "pre_reconsideration_other",
        ],
        "pre_lawsuits": ["pre_lawsuit_upheld", "pre_lawsuit_corrected", "pre_lawsuit_other"],
        "pre_staff_total": ["pre_staff_full_time", "pre_staff_part_time"],
    }
    for parent, children in sums.items():
        assert x[parent] == sum(x[c] for c in children), parent
    for channel in [c for c in CATALOGUE_ORDER if c.startswith("pre_channel_")]:
        assert x[channel] <= x["pre_proactive_items"]


def test_wrapped_labels_and_page_breaks(parsed: tuple[ParseResult, pl.DataFrame]) -> None:
    result, _ = parsed
    v = values(result, "pre2019_wrapped_pagebreak.txt")
    assert [v[code]["value"] for code in CATALOGUE_ORDER] == WRAPPED_VALUES
    checks = {  # indicator: (source_line, raw_label)
        # label's first part alone on line 18, the rest with the cells on line 19
        "pre_proactive_items": (19, "（一）主动公开政府信息数 （不同渠道和方式公开相同信息计 1 条）"),
        "pre_online_interviews_by_leaders": (35, "其中：主要负责同志参加政府网站在线访谈次数"),
        # the row repeated after the page break (line 41, value 9) is not taken: first one wins
        "pre_policy_interpretations": (36, "3. 政策解读稿件发布数"),
        # after "— 5 —" and a repeated header
        "pre_response_weibo_wechat": (42, "4. 微博微信回应事件数"),
        "pre_refused_security": (62, "危及国家安全、公共安全、经济安全和社会稳定"),
        # after "第 6 页"
        "pre_reconsiderations": (72, "四、行政复议数量"),
        "pre_reconsideration_corrected": (74, "（二）被依法纠错数"),
        # misnumbered section row: found by its label
        "pre_lawsuits": (76, "六、行政诉讼数量"),
        # cells on the first line, the end of the label alone on the next one
        "pre_lawsuit_upheld": (77, "（一）维持具体行政行为或者驳回原告诉讼请求数"),
        "pre_lawsuit_corrected": (79, "（二）被依法纠错数"),
        # after "- 7 -"
        "pre_s8_capacity": (84, "八、机构建设和保障经费情况"),
        # wrapped inside the note: "1. 专职人员数（…工作人员" / "数）<TAB>人<TAB>1"
        "pre_staff_full_time": (89, "1. 专职人员数（不包括政府公报及政府网站工作人员数）"),
        "pre_trainees": (95, "（三）接受培训人员数"),
    }
    for code, (line, label) in checks.items():
        assert (v[code]["source_line"], v[code]["raw_label"]) == (line, label), code
    assert v["pre_reconsideration_corrected"]["value"] == 1
    assert v["pre_lawsuit_corrected"]["value"] == 0
    lines = (FIXTURES / "pre2019_wrapped_pagebreak.txt").read_text(encoding="utf-8").split("\n")
    for row in v.values():
        assert lines[row["source_line"] - 1].split("\t")[-1] == row["raw_value"]


def test_value_cells(parsed: tuple[ParseResult, pl.DataFrame]) -> None:
    result, _ = parsed
    v = values(result, "pre2019_markers.txt")
    got = {
        code: (row["raw_value"], row["value"], row["unit"], row["qualifier"], row["source_line"])
        for code, row in v.items()
    }
    assert got == {
        "pre_s1_proactive": ("/", None, "——", "exact", 14),
        "pre_proactive_items": ("1,211", 1211.0, "条", "exact", 15),
        "pre_proactive_normative_docs": ("１２", 12.0, "条", "exact", 16),
        "pre_normative_docs_issued": ("—", None, "件", "exact", 17),
        "pre_s1_channels": ("-", None, "——", "exact", 18),
        "pre_channel_gazette": ("--", None, "条", "exact", 19),
        "pre_channel_website": ("1，000", 1000.0, "条", "exact", 20),
        "pre_channel_weibo": ("N/A", None, "条", "exact", 21),
        "pre_channel_wechat": ("NA", None, "条", "exact", 22),
        "pre_channel_other": ("无", None, "条", "exact", 23),
        "pre_s2_response": ("不适用", None, "——", "exact", 24),
        "pre_response_hotspots": ("０", 0.0, "次", "exact", 25),  # a zero stays 0, never NULL
        "pre_s2_channels": ("", None, None, "exact", 26),  # header row printed without cells
        "pre_press_conferences": ("", None, "次", "exact", 27),  # value cell only a space
        "pre_complaints": ("", None, "件", "exact", 28),  # value cell empty
        "pre_fees": ("251000元", 25.1, "万元", "exact", 29),  # unit inside the cell: 251000 元 = 25.1 万元
        "pre_dedicated_units": ("", None, "个", "exact", 30),  # two cells: label and unit
        "pre_inspection_points": ("3", 3.0, None, "exact", 31),  # two cells: label and value
        "pre_special_funds": ("0.5", 0.5, "万元", "exact", 32),
        "pre_s9_meetings": ("", None, None, "exact", 33),
        "pre_meetings": ("3", 3.0, None, "exact", 34),  # unit cell empty
        "pre_trainees": ("100余", 100.0, "人次", "at_least", 35),
    }
