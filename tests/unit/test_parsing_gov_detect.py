"""National-template detection, sections, table lines, and what must give nothing (gov.extract_gov)."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from orchestration.lib.parsing.gov import TABLE_LINES, GovResult, extract_gov
from orchestration.lib.parsing.gov_sections import GOV_SECTIONS
from orchestration.lib.parsing.gov_template import TEMPLATES
from orchestration.lib.parsing.lines import explode_lines
from orchestration.lib.parsing.metadata import find_titles

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "gov_unit"
SEVEN_ZEROS = "\t0\t0\t0\t0\t0\t0\t0"


def parse(*texts: str) -> GovResult:
    docs = pl.DataFrame({"doc": pl.Series(range(len(texts)), dtype=pl.UInt32), "text": list(texts)})
    lines = explode_lines(docs)
    return extract_gov(lines, find_titles(lines))


def report(year: int, body: list[str]) -> str:
    """A report with the six headings and ``body`` under 三 (表三 rows)."""
    return "\n".join(
        [
            f"某某县人民政府{year}年政府信息公开工作年度报告",
            "一、总体情况",
            "全年主动公开信息80条。",
            "二、主动公开政府信息情况",
            "三、收到和处理政府信息公开申请情况",
            *body,
            "四、政府信息公开行政复议、行政诉讼情况",
            "行政复议\t行政诉讼",
            "\t".join(["0"] * 15),
            "五、存在的主要问题及改进情况",
            "无。",
            "六、其他需要报告的事项",
            "无。",
        ]
    )


T3_COMMON = [
    "一、本年新收政府信息公开申请数量\t2\t0\t0\t0\t0\t0\t2",
    "二、上年结转政府信息公开申请数量" + SEVEN_ZEROS,
    "三、本年度办理结果\t（一）予以公开\t2\t0\t0\t0\t0\t0\t2",
    "（七）总计\t2\t0\t0\t0\t0\t0\t2",
    "四、结转下年度继续办理" + SEVEN_ZEROS,
]


def test_seeds_and_other_reports_give_nothing() -> None:
    paths = [
        *sorted((ROOT / "raw").glob("*.txt")),
        *sorted((ROOT / "tests" / "fixtures" / "reports").glob("pre2019*.txt")),
    ]
    assert len(paths) == 8
    result = parse(*(p.read_text(encoding="utf-8") for p in paths))
    assert result.templates.schema == TEMPLATES
    assert result.sections.schema == GOV_SECTIONS
    assert result.table_lines.schema == TABLE_LINES
    assert result.templates.is_empty()
    assert result.values.is_empty()
    assert result.sections.is_empty()
    assert result.table_lines.is_empty()


def test_pre2019_headings_do_not_make_a_national_report() -> None:
    text = "\n".join(
        [
            "某某镇人民政府2018年政府信息公开工作年度报告",
            "一、总体情况",
            "二、主动公开政府信息情况",
            "三、依申请公开政府信息情况",
            "四、因政府信息公开申请提起行政复议、行政诉讼的情况",
            "五、存在的主要问题及改进情况",
            "六、其他需要报告的事项",
        ]
    )
    assert parse(text).templates.is_empty()


def test_template_from_markers_and_ties_from_the_year() -> None:
    sub_rows_2021 = [
        "（六）其他处理\t1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请" + SEVEN_ZEROS,
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请" + SEVEN_ZEROS,
        "3.其他" + SEVEN_ZEROS,
    ]
    valued_2019 = ["（六）其他处理" + SEVEN_ZEROS]
    result = parse(
        report(2020, T3_COMMON),  # no marker: the year decides
        report(2022, T3_COMMON),
        report(2020, [*T3_COMMON[:4], *sub_rows_2021, T3_COMMON[4]]),  # 2021 rows in a 2020 report
        report(2022, [*T3_COMMON[:4], *valued_2019, T3_COMMON[4]]),  # a valued （六）其他处理 in a 2022 report
    )
    assert result.templates.rows() == [(0, "gov2019"), (1, "gov2021"), (2, "gov2021"), (3, "gov2019")]
    codes = result.values.filter(pl.col("doc") == 2)["indicator_code"].unique().sort().to_list()
    assert "t3_other_overdue_fee" in codes and "t3_other_processing" not in codes


def test_tables_alone_or_headings_alone() -> None:
    tables_only = "\n".join(
        [
            "某某街道办事处2021年政府信息公开工作年度报告",
            "本年度工作情况如下。",
            "申请人情况",
            "自然人\t法人或其他组织\t总计",
            *T3_COMMON,
        ]
    )
    headings_only = report(2021, ["本年度未收到政府信息公开申请。"]).replace("\t".join(["0"] * 15), "无")
    result = parse(tables_only, headings_only)
    assert result.templates.rows() == [(0, "gov2021"), (1, "gov2021")]
    assert result.values.filter(pl.col("doc") == 0)["indicator_code"].n_unique() == 5
    assert result.values.filter(pl.col("doc") == 1).is_empty()
    assert result.sections.filter(pl.col("doc") == 0).is_empty()
    assert result.sections.filter(pl.col("doc") == 1)["section_no"].to_list() == [1, 2, 3, 4, 5, 6]


def test_sections() -> None:
    result = parse((FIXTURES / "gov2021_tabs.txt").read_text(encoding="utf-8"))
    got = result.sections.select("section_no", "heading", "start_line", "end_line").rows()
    assert got == [
        (1, "一、总体情况", 4, 6),
        (2, "二、主动公开政府信息情况", 7, 21),
        (3, "三、收到和处理政府信息公开申请情况", 22, 54),
        (4, "四、政府信息公开行政复议、行政诉讼情况", 55, 59),
        (5, "五、存在的主要问题及改进情况", 60, 63),
        (6, "六、其他需要报告的事项", 64, 68),
    ]
    text = dict(result.sections.select("section_no", "text").rows())
    assert text[5] == "一是公开内容不够全面。二是解读形式单一。\n下一步，我局将加强培训。"
    assert text[1] == "2021年，我局共收到政府信息公开申请12件，主动公开信息356条。"
    assert text[4].splitlines()[0] == "行政复议\t行政诉讼"
    assert text[6] == "本年度未收取信息处理费。\n\n某某市生态环境局\n2022年1月20日"


def test_heading_variants() -> None:
    result = parse((FIXTURES / "gov2019_spaces_html_grid.txt").read_text(encoding="utf-8"))
    assert result.sections.select("section_no", "heading").rows() == [
        (1, "一 总体情况"),
        (2, "二 主动公开政府信息情况"),
        (3, "三 收到和处理政府信息公开申请情况"),
        (4, "四 政府信息公开行政复议、行政诉讼情况"),
        (5, "五 存在的主要问题及改进情况"),
        (6, "六 其他需要报告的事项"),
    ]
    variants = parse(
        "\n".join(
            [
                "上海市人民政府2022年政府信息公开工作年度报告",
                "一、总体情况",
                "二、主动公开政府信息情况",
                "三、收到和处理政府信息公开申请的情况",
                "四、因政府信息公开工作被申请行政复议和提起行政诉讼情况",
                "五、政府信息公开工作存在的主要问题及改进情况",
                "第六部分 其他需要报告的事项",
            ]
        )
    )
    assert variants.sections["section_no"].to_list() == [1, 2, 3, 4, 5, 6]
    mixed = parse((FIXTURES / "mixed_labels_2021.txt").read_text(encoding="utf-8"))
    assert mixed.sections.filter(pl.col("section_no") == 4)["heading"].to_list() == [
        "四、政府信息公开行政复议和行政诉讼情况"
    ]


def test_a_table_of_contents_is_no_section() -> None:
    headings = [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]
    body = [f"**{h}**\n内容{i}。" for i, h in enumerate(headings, start=1)]
    text = "\n".join(["某某局2022年政府信息公开工作年度报告", "目录", *headings, "", *body])
    result = parse(text)
    got = result.sections.select("section_no", "heading", "start_line", "end_line", "text").rows()
    assert got == [(i, f"**{h}**", 8 + 2 * i, 9 + 2 * i, f"内容{i}。") for i, h in enumerate(headings, start=1)]
    # Without the repeat below, consecutive headings (tables printed as images) are the sections.
    bare = parse("\n".join(["某某局2022年政府信息公开工作年度报告", *headings]))
    assert bare.sections["start_line"].to_list() == [2, 3, 4, 5, 6, 7]


def test_table_lines() -> None:
    result = parse((FIXTURES / "gov2021_tabs.txt").read_text(encoding="utf-8"))
    # 表二 from its first block marker, 表三 from its column note, 表四 from its header; the page
    # break inside 表三 (lines 39-41) included; headings and prose excluded.
    expected = [*range(8, 22), *range(23, 55), *range(56, 60)]
    assert result.table_lines["line_no"].to_list() == expected
    assert result.table_lines["doc"].unique().to_list() == [0]


def test_numbers_in_prose_are_never_table_values() -> None:
    text = report(
        2021,
        [
            "本年度本机关共收到政府信息公开申请12件，其中自然人10件，法人或其他组织2件。",
            "一、本年新收政府信息公开申请数量为12件，上年结转0件。",
            "（七）总计 12 件。",
            "予以公开  12",
            "四、结转下年度继续办理0件。",
        ],
    )
    result = parse(text)
    assert result.templates.rows() == [(0, "gov2021")]
    assert result.values["indicator_code"].unique().to_list() == ["t4_review_litigation"]


def test_rows_that_do_not_fit_their_columns_give_nothing() -> None:
    rows = [
        "一、本年新收政府信息公开申请数量\t2\t0\t0\t0\t0\t2",  # six cells for seven columns
        "二、上年结转政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1\t5",  # eight cells
        "三、本年度办理结果\t（一）予以公开\t2\t0\t0\t0\t0\t0\t2\t",  # a trailing tab: still seven
        "（七）总计\t\t2\t0\t0\t0\t0\t0\t2",  # an empty grid cell after the label: still seven
    ]
    result = parse(report(2021, rows))
    t3 = result.values.filter(pl.col("indicator_code").str.starts_with("t3_"))
    assert t3["indicator_code"].unique().sort().to_list() == ["t3_granted", "t3_total"]
    assert t3.filter(pl.col("indicator_code") == "t3_total")["raw_value"].str.join(",").item() == "2,0,0,0,0,0,2"


def test_a_batch_keeps_its_document_ids() -> None:
    seed = sorted((ROOT / "raw").glob("*.txt"))[0]
    texts = [seed.read_text(encoding="utf-8")]
    texts += [(FIXTURES / f).read_text(encoding="utf-8") for f in ("gov2021_tabs.txt", "gov2019_one_cell_per_line.txt")]
    result = parse(*texts)
    assert result.templates.rows() == [(1, "gov2021"), (2, "gov2019")]
    assert result.values.group_by("doc").len().sort("doc").rows() == [(1, 200), (2, 198)]


def test_printed_block_header_picks_the_breakdown_set() -> None:
    # A 2019 report (2019 columns for 第（五）项, a valued （六）其他处理) whose 第（一）项 block prints
    # the 2021 columns: 规章 takes the 2021 set there, whatever the document's template.
    body_2 = [
        "第二十条第（一）项",
        "信息内容\t本年制发件数\t本年废止件数\t现行有效件数",
        "规章\t1\t0\t4",
        "第二十条第（五）项",
        "信息内容\t上一年项目数量\t本年增/减\t处理决定数量",
        "行政许可\t10\t0\t80",
    ]
    text = report(2020, [*T3_COMMON[:4], "（六）其他处理" + SEVEN_ZEROS, T3_COMMON[4]])
    text = text.replace(
        "三、收到和处理政府信息公开申请情况", "\n".join([*body_2, "三、收到和处理政府信息公开申请情况"])
    )
    result = parse(text)
    assert result.templates.rows() == [(0, "gov2019")]
    got = result.values.filter(pl.col("indicator_code").str.starts_with("t2_")).select("indicator_code", "breakdown")
    assert got.rows() == [
        ("t2_rules", "本年制发件数"),
        ("t2_rules", "本年废止件数"),
        ("t2_rules", "现行有效件数"),
        ("t2_licensing", "上一年项目数量"),
        ("t2_licensing", "本年增/减"),
        ("t2_licensing", "处理决定数量"),
    ]


def test_header_rows_with_empty_cells_give_nothing() -> None:
    rows = [
        *T3_COMMON[:3],
        "（三）不予公开\t\t\t\t\t\t\t",
        "（六）其他处理\t\t\t\t\t\t\t",  # a header in 2021: its empty cells are no blanks
        "3.其他\t\t\t\t\t\t\t",  # a valued row left blank: seven NULLs
        *T3_COMMON[3:],
    ]
    result = parse(report(2021, rows))
    codes = result.values["indicator_code"].unique().to_list()
    assert "t3_refused" not in codes and "t3_other_processing" not in codes
    other = result.values.filter(pl.col("indicator_code") == "t3_other_other")
    assert other["raw_value"].to_list() == [""] * 7 and other["value"].null_count() == 7


def test_values_come_in_document_and_line_order() -> None:
    texts = [(FIXTURES / name).read_text(encoding="utf-8") for name in sorted(p.name for p in FIXTURES.glob("*.txt"))]
    values = parse(*texts).values
    assert values.height > 0
    assert values.equals(values.sort("doc", "source_line", maintain_order=True))
