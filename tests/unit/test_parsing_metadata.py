"""Titles, agencies, levels, years and dates (metadata.find_metadata over the lines frame)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from orchestration.lib.parsing.decode import decode_bytes
from orchestration.lib.parsing.lines import explode_lines
from orchestration.lib.parsing.metadata import (
    METADATA,
    agency_level,
    agency_level_with_region,
    find_metadata,
    find_titles,
)

RAW = Path(__file__).resolve().parents[2] / "raw"


def metadata_of(texts: list[str]) -> pl.DataFrame:
    docs = pl.DataFrame({"text": texts}, schema={"text": pl.String}).with_row_index("doc")
    return find_metadata(explode_lines(docs))


def parse_one(text: str) -> dict | None:
    """The metadata row of one document, None when it has no title (not a report)."""
    meta = metadata_of([text])
    assert meta.schema == METADATA
    return None if meta.is_empty() else meta.row(0, named=True)


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
    ("name", "name_unit", "level"),
    [
        # The dataset's level of the name's unit decides (灵武市 is a county-level city).
        ("灵武市民政局", "county", "县区部门"),
        ("灵武市民政局", None, "市部门"),  # by its suffix alone 灵武市 looks like a prefecture
        ("灵武市人民政府", "county", "县区政府"),
        ("灵武市", "county", "县区政府"),
        ("银川市民政局", "city", "市部门"),
        ("银川市人民政府", "city", "市政府"),
        ("宁夏回族自治区民政厅", "province", "省部门"),
        ("宁夏回族自治区人民政府", "province", "省政府"),
        ("北京市教育委员会", "province", "省部门"),  # a municipality is provincial
        ("北京市海淀区人民政府办公室", "county", "县区部门"),
        ("灵武市临河镇", "township", "乡镇"),
        ("临河镇财政所", "township", "乡镇"),
        ("仁寿县文林街道办事处", "township", "街道"),
        ("城关街道", None, "街道"),
        ("仁寿县统计站", "county", "县区部门"),
        ("仁寿县政务服务中心", "county", "县区部门"),
        ("仁寿县发展和改革委", "county", "县区部门"),
        ("仁寿县政府办", "county", "县区部门"),
        ("仁寿县卫生和计划生育委员会", "county", "县区部门"),
        ("某某学校", None, None),
        (None, None, None),
    ],
)
def test_agency_level_with_region(name: str | None, name_unit: str | None, level: str | None) -> None:
    frame = pl.DataFrame({"n": [name], "u": [name_unit]}, schema={"n": pl.String, "u": pl.String})
    assert frame.select(agency_level_with_region(pl.col("n"), pl.col("u"))).item() == level
    assert frame.select(agency_level(pl.col("n"), pl.col("u"))).item() == level


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
        (  # a digit inside the name (full-width, NFKC → 0): found quarantined at 100k generated reports
            "鹤岗市绥滨县二九０农场人民政府 2019 年政府信息公开工作年度报告\n发布日期：2020年01月27日",
            "鹤岗市绥滨县二九０农场人民政府 2019 年政府信息公开工作年度报告",
            1,
            "鹤岗市绥滨县二九0农场人民政府",
            2019,
        ),
        (  # the same agency on a line of its own, the year and phrase below (two of its reports at 100k)
            "鹤岗市绥滨县二九０农场人民政府\n2020年政府信息公开工作年度报告\n本报告根据《条例》编制。",
            "鹤岗市绥滨县二九０农场人民政府2020年政府信息公开工作年度报告",
            1,
            "鹤岗市绥滨县二九0农场人民政府",
            2020,
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
        "仁寿县2018政府信息公开工作年度报告\n正文",  # a name never ends in a digit: no agency, no year
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


@pytest.mark.parametrize(
    ("lines", "date"),
    [
        (
            [
                "作者：喜洲镇  来源：喜洲镇人民政府  发布时间：2017年03月27日",
                "大理市喜洲镇2016年政府信息公开工作年度报告",
            ],
            dt.date(2017, 3, 27),
        ),
        (["仁寿县2018年政府信息公开工作年度报告", "【发布时间：2019-01-31】【字号：大 中 小】"], dt.date(2019, 1, 31)),
        (["仁寿县2018年政府信息公开工作年度报告", "发布日期：２０１９年１月２５日"], dt.date(2019, 1, 25)),
        (["仁寿县2018年政府信息公开工作年度报告", "正文", "仁寿县人民政府 2019年3月1日"], dt.date(2019, 3, 1)),
        (["仁寿县2018年政府信息公开工作年度报告", "正文", "2019 年 3 月 1 日"], dt.date(2019, 3, 1)),
        # The 统计期限 sentence alone on a line is no date line.
        (["仁寿县2018年政府信息公开工作年度报告", "统计期限：2018年1月1日至2018年12月31日"], None),
        (["仁寿县2018年政府信息公开工作年度报告", "正文", "2018年1月1日至2018年12月31日"], None),
        # The metadata table of a government portal on one line: 索引号, 发布机构, then the date.
        (
            [
                "某县人民政府  信息公开",
                "索引号：011111111/201902-00031    发布机构：某某镇    生成日期：2019-02-15",
                "某县某某镇2018年政府信息公开工作年度报告",
            ],
            dt.date(2019, 2, 15),
        ),
        (
            [
                "某县某某镇2018年政府信息公开工作年度报告",
                "主题分类：政务公开  文号：无  成文日期：2019年01月22日  发布机构：某某镇",
            ],
            dt.date(2019, 1, 22),
        ),
        # A labelled publish date among the last lines, far below the title (a portal table under the text).
        (["某县某某镇2018年政府信息公开工作年度报告", *["正文。"] * 6, "发布日期：2019-03-04"], dt.date(2019, 3, 4)),
        (["某县某某镇2018年政府信息公开工作年度报告", *["正文。"] * 6, "成文日期 2019年3月6日"], dt.date(2019, 3, 6)),
        # …but not an update date there.
        (["某县某某镇2018年政府信息公开工作年度报告", *["正文。"] * 6, "更新日期：2019-03-04"], None),
    ],
)
def test_publish_date_variants(lines: list[str], date: dt.date | None) -> None:
    row = parse_one("\n".join(lines))
    assert row is not None
    assert row["publish_date"] == date


@pytest.mark.parametrize(
    ("sentence", "year"),
    [
        ("本报告中所列数据的统计期限自 2018 年 1 月 1 日起,至 2018 年 12 月 31 日止。", 2018),
        ("本报告中所列数据的统计日期为2016年1月1日----2016年12月31日。", 2016),
        ("所列数据统计时间为2015年1月至12月。", 2015),
        ("所列数据的统计期限于2014年1月1日起至12月31日止。", 2014),
        ("截至2017年12月31日，共公开信息10条。", None),
    ],
)
def test_period_year_is_the_report_year_without_a_title_year(sentence: str, year: int | None) -> None:
    row = parse_one(f"仁寿县人民政府信息公开工作年度报告\n{sentence}\n正文")
    assert row is not None
    assert row["report_year"] == year


def test_seed_metadata_and_find_titles_keep_their_columns() -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(RAW.glob("*.txt"))]
    meta = metadata_of(texts)
    assert meta.select("agency_short_name", "agency_level", "report_year", "publish_date").rows() == [
        ("临河镇", "乡镇", 2018, None),
        ("向家镇", "乡镇", 2018, dt.date(2019, 2, 28)),
        ("机关事务局", "县区部门", 2018, None),
        ("观水镇", "乡镇", 2017, dt.date(2018, 1, 9)),
        ("复兴乡", "乡镇", 2018, None),
    ]
    titles = find_titles(explode_lines(pl.DataFrame({"text": texts}).with_row_index("doc")))
    assert titles.columns == ["doc", "title", "title_line", "agency_name", "title_year"]


def test_title_in_traditional_characters() -> None:
    row = parse_one(
        "泉州市人民政府2011年政府信息公開工作年度報告\n\n本報告…\n泉州市人民政府辦公室\n二〇一二年三月三十日"
    )
    assert row is not None
    assert (row["title"], row["agency_name"], row["report_year"], row["publish_date"]) == (
        "泉州市人民政府2011年政府信息公開工作年度報告",
        "泉州市人民政府",
        2011,
        dt.date(2012, 3, 30),
    )
    assert (row["province"], row["city"], row["agency_level"]) == ("福建省", "泉州市", "市政府")


def test_a_traditional_title_keeps_the_characters_of_a_simplified_place_name() -> None:
    # 乾 is 干 in running text (乾淨) and stays 乾 in 乾安县; 縣 and 國營 still convert.
    row = parse_one("松原市乾安縣國營林場人民政府2019年政府信息公開工作年度報告\n\n本報告…")
    assert row is not None
    assert (row["agency_name"], row["report_year"]) == ("松原市乾安县国营林场人民政府", 2019)
    assert (row["province"], row["city"], row["county"]) == ("吉林省", "松原市", "乾安县")


def test_signature_above_an_appended_table() -> None:
    text = "\n".join(
        [
            "谷城县人民政府2016年政府信息公开工作年度报告",
            "正文。",
            "谷城县人民政府办公室",
            "2017年3月28日",
            "",
            "附件：谷城县2016年政府信息公开情况统计表",
            "统 计 指 标\t单 位\t统 计 数",
            *[f"{i}. 某项指标\t件\t{i}" for i in range(1, 12)],
        ]
    )
    row = parse_one(text)
    assert row is not None
    assert row["publish_date"] == dt.date(2017, 3, 28)


def test_batch_equals_one_by_one() -> None:
    corpus = Path(__file__).resolve().parents[1] / "fixtures" / "prose_corpus"
    paths = sorted(RAW.glob("*.txt")) + sorted(corpus.glob("p*.txt"))[:12]
    texts = [decode_bytes(p.read_bytes())[0] for p in paths]
    together = metadata_of(texts).drop("doc")
    alone = pl.concat([metadata_of([t]).drop("doc") for t in texts])
    assert together.height == len(texts)
    assert together.equals(alone)
