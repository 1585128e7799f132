"""Titles, agencies, levels, years and dates."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from orchestration.lib.parsing import agency_level, parse_documents
from orchestration.lib.schemas import DOCUMENTS


def parse_one(text: str) -> dict | None:
    frame = pl.DataFrame(
        {"report_id": ["r"], "source_file": ["r.txt"], "encoding": ["utf-8"], "text": [text]},
        schema=DOCUMENTS,
    )
    result = parse_documents(frame)
    if result.reports.is_empty():
        assert result.quarantine["reason"].item() == "not_a_report"
        return None
    return result.reports.row(0, named=True)


@pytest.mark.parametrize(
    ("name", "level"),
    [
        ("灵武市临河镇", "乡镇"),
        ("仁寿县向家镇", "乡镇"),
        ("观水镇", "乡镇"),
        ("复兴乡", "乡镇"),
        ("白银市平川区复兴乡人民政府", "乡镇"),
        ("城关街道办事处", "街道"),
        ("朝阳区建外街道", "街道"),
        ("仁寿县人民政府", "县区政府"),
        ("仁寿县", "县区政府"),
        ("北京市朝阳区人民政府", "县区政府"),
        ("银川市灵武市人民政府", "县区政府"),  # a 市 under a 市: county-level city
        ("银川市人民政府", "市政府"),
        ("甘孜藏族自治州人民政府", "市政府"),
        ("宁夏回族自治区人民政府", "省政府"),
        ("四川省人民政府", "省政府"),
        ("北京市人民政府", "省政府"),
        ("沙坡头区机关事务局", "县区部门"),
        ("中卫市沙坡头区机关事务局", "县区部门"),
        ("仁寿县人民政府办公室", "县区部门"),
        ("仁寿县住房和城乡建设局", "县区部门"),  # 城乡 is no township
        ("北京市朝阳区市场监督管理局", "县区部门"),  # 市场 is no city
        ("银川市市场监督管理局", "市部门"),
        ("中卫市人民政府办公室", "市部门"),
        ("宁夏回族自治区发展和改革委员会", "省部门"),
        ("四川省教育厅", "省部门"),
        ("上海市教育委员会", "省部门"),
        ("某某学校", None),
        ("机关事务局", None),  # a department with no administrative prefix
        (None, None),
    ],
)
def test_agency_level(name: str | None, level: str | None) -> None:
    got = pl.DataFrame({"n": [name]}, schema={"n": pl.String}).select(agency_level(pl.col("n")))
    assert got.item() == level


@pytest.mark.parametrize(
    ("text", "title", "title_line", "agency", "year"),
    [
        (
            "灵武市临河镇 2018 年政府信息公开工作年度报告\n正文",
            "灵武市临河镇 2018 年政府信息公开工作年度报告",
            1,
            "灵武市临河镇",
            2018,
        ),
        (
            "\n\n复兴乡2018年度政府信息公开年度工作报告\n",
            "复兴乡2018年度政府信息公开年度工作报告",
            3,
            "复兴乡",
            2018,
        ),
        ("仁寿县２０１８年政府信息公开年度报告", "仁寿县２０１８年政府信息公开年度报告", 1, "仁寿县", 2018),
        (
            "观水镇二〇一七年政府信息公开工作年度报告（全文）",
            "观水镇二〇一七年政府信息公开工作年度报告（全文）",
            1,
            "观水镇",
            2017,
        ),
        ("《某某县2016年政务公开工作报告》", "《某某县2016年政务公开工作报告》", 1, "某某县", 2016),
        (
            "银川市兴庆区教育局\n\n2017年政府信息公开工作年度报告",
            "银川市兴庆区教育局2017年政府信息公开工作年度报告",
            1,
            "银川市兴庆区教育局",
            2017,
        ),
        (
            "仁寿县人民政府信息公开工作年度报告",
            "仁寿县人民政府信息公开工作年度报告",
            1,
            "仁寿县人民政府",
            None,
        ),
        (
            "仁寿县政府信息公开工作年度报告（2018年度）",
            "仁寿县政府信息公开工作年度报告（2018年度）",
            1,
            "仁寿县",
            2018,
        ),
        (
            "仁寿县人民政府关于2018年政府信息公开工作年度报告",
            "仁寿县人民政府关于2018年政府信息公开工作年度报告",
            1,
            "仁寿县人民政府",
            2018,
        ),
    ],
)
def test_titles(text: str, title: str, title_line: int, agency: str, year: int | None) -> None:
    row = parse_one(text)
    assert row is not None
    assert (row["title"], row["title_line"], row["agency_name"], row["report_year"]) == (
        title,
        title_line,
        agency,
        year,
    )


@pytest.mark.parametrize(
    "text",
    [
        "关于做好2018年政府信息公开工作年度报告编制发布工作的通知\n各单位：……",
        "我县2018年政府信息公开工作年度报告已发布\n",
        "我县2018年政府信息公开工作年度报告\n",
        "2018年政府信息公开工作年度报告\n正文",
        "首页 > 政府信息公开 > 政府信息公开年度报告\n正文",
        "政府信息公开年度报告\n正文",
        "\n" * 40 + "仁寿县2018年政府信息公开工作年度报告",  # below line 40
        "番茄炒蛋的做法\n材料：番茄 2 个",
    ],
)
def test_not_a_report(text: str) -> None:
    assert parse_one(text) is None


@pytest.mark.parametrize(
    ("lines", "date"),
    [
        (["2019年02月28日    来源:", "", "仁寿县向家镇2018年政府信息公开工作年度报告"], dt.date(2019, 2, 28)),
        (["仁寿县2018年政府信息公开工作年度报告", "发布时间：2019-01-31 10:23:11"], dt.date(2019, 1, 31)),
        (["仁寿县2018年政府信息公开工作年度报告", "2019/3/5 浏览次数：12"], dt.date(2019, 3, 5)),
        (
            ["仁寿县2018年政府信息公开工作年度报告", "正文", "仁寿县人民政府", "2019年1月9日"],
            dt.date(2019, 1, 9),
        ),
        (["仁寿县2018年政府信息公开工作年度报告", "正文", "二〇一九年三月三十一日"], dt.date(2019, 3, 31)),
        (["仁寿县2018年政府信息公开工作年度报告", "正文", "2019年2月30日"], None),  # no such day
        (
            ["仁寿县2018年政府信息公开工作年度报告", "截至2018年12月31日，共公开信息10条。"],
            None,
        ),  # prose, not a date line
        (["仁寿县2018年政府信息公开工作年度报告", *["正文"] * 10, "2019年1月9日", *["正文"] * 10], None),
    ],
)
def test_publish_date(lines: list[str], date: dt.date | None) -> None:
    row = parse_one("\n".join(lines))
    assert row is not None
    assert row["publish_date"] == date


def test_report_year_fallbacks() -> None:
    title = "仁寿县人民政府信息公开工作年度报告"
    period = "本报告所列数据的统计期限自2017年1月1日起至12月31日止。"
    assert parse_one(f"{title}\n{period}\n仁寿县人民政府\n2018年3月1日")["report_year"] == 2017
    assert parse_one(f"{title}\n正文\n仁寿县人民政府\n2018年3月1日")["report_year"] == 2017
    assert parse_one(f"{title}\n正文")["report_year"] is None
    assert parse_one(f"仁寿县2015年政府信息公开工作年度报告\n{period}")["report_year"] == 2015  # the title wins
