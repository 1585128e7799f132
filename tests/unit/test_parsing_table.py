"""Statistics-table layouts and rules, on small inline reports."""

from __future__ import annotations

import polars as pl

from orchestration.lib.parsing import load_catalogue, parse_documents, prepare_catalogue
from orchestration.lib.parsing.catalogue import CATALOGUE_CSV, DEFAULT_CATALOGUE_PATH
from tests.parsing_helpers import docs

TITLE = "某某县人民政府2016年政府信息公开工作年度报告"
HEADER = "统计指标\t单位\t统计数"


def table_values(text: str, catalogue: pl.DataFrame | None = None) -> dict[str, tuple]:
    result = parse_documents(docs(text), catalogue)
    assert result.reports.height == 1
    return {
        row["indicator_code"]: (row["raw_value"], row["value"], row["unit"], row["source_line"])
        for row in result.values.filter(pl.col("source_kind") == "table").iter_rows(named=True)
    }


def test_pipe_separated_cells() -> None:
    text = "\n".join(
        [
            TITLE,
            "| 统计指标 | 单位 | 统计数 |",
            "|---|---|---|",
            "| 一、主动公开情况 | —— | |",
            "| （一）主动公开政府信息数 | 条 | 25 |",
            "| 其中：主动公开规范性文件数 | 条 | 0 |",
            "| 六、举报投诉数量 | 件 | / |",
        ]
    )
    assert table_values(text) == {
        "pre_s1_proactive": ("", None, "——", 4),
        "pre_proactive_items": ("25", 25.0, "条", 5),
        "pre_proactive_normative_docs": ("0", 0.0, "条", 6),
        "pre_complaints": ("/", None, "件", 7),
    }


def test_single_space_separated_cells() -> None:
    text = "\n".join(
        [
            TITLE,
            "统 计 指 标 单 位 统 计 数",
            "一、主动公开情况 —— 40",
            "（一）主动公开政府信息数 （不同渠道和方式公开相同信息计 1 条） 条 40",
            "（二）通过不同渠道和方式公开政府信息的情况 ——",
            "2. 政府网站公开政府信息数 条 1,040",
            "危及国家安全、公共安全、经济安全和社会 稳定 件 —",
        ]
    )
    assert table_values(text) == {
        "pre_s1_proactive": ("40", 40.0, "——", 3),
        "pre_proactive_items": ("40", 40.0, "条", 4),
        "pre_s1_channels": ("", None, "——", 5),
        "pre_channel_website": ("1,040", 1040.0, "条", 6),
        "pre_refused_security": ("—", None, "件", 7),
    }


def test_rows_only_below_the_table_start() -> None:
    prose = "\n".join([TITLE, "", "收到申请数\t件\t9", "六、举报投诉数量  件  2", ""])
    assert table_values(prose) == {}  # no table header, no 统计表 title: prose gives no table value
    with_table = prose + "\n附件：政府信息公开情况统计表\n（一）收到申请数\t件\t0\n1. 当面申请数\t件\t0\n"
    assert table_values(with_table) == {
        "pre_requests_received": ("0", 0.0, "件", 7),
        "pre_requests_in_person": ("0", 0.0, "件", 8),
    }


def test_label_printed_alone_is_a_blank_row_only_inside_the_table() -> None:
    text = "\n".join(
        [
            TITLE,
            HEADER,
            "一、主动公开情况",
            "（一）主动公开政府信息数\t条\t5",
            "九、政府信息公开会议和培训情况",
            "（一）召开政府信息公开工作会议或专题会议数\t次\t1",
            "",
            "六、举报投诉数量",  # after the last row with cells: a heading, not a row
        ]
    )
    assert table_values(text) == {
        "pre_s1_proactive": ("", None, None, 3),
        "pre_proactive_items": ("5", 5.0, "条", 4),
        "pre_s9_meetings": ("", None, None, 5),
        "pre_meetings": ("1", 1.0, "次", 6),
    }


def test_label_wrapped_over_three_lines() -> None:
    text = "\n".join(
        [
            TITLE,
            HEADER,
            "4. 不同意公开答复数\t件\t1",
            "危及国家安全、",
            "公共安全、经济安全和",
            "社会稳定\t件\t1",
            "法律法规规定的其他情形\t件\t0",
        ]
    )
    values = table_values(text)
    assert values["pre_refused_security"] == ("1", 1.0, "件", 6)
    assert set(values) == {"pre_answer_refused", "pre_refused_security", "pre_refused_other_law"}


def test_duplicated_labels_follow_the_section_found_by_label() -> None:
    text = "\n".join(
        [
            TITLE,
            HEADER,
            "五、行政诉讼数量\t件\t3",  # the lawsuits block printed first
            "（二）被依法纠错数\t件\t2",
            "（三）其他情形数\t件\t1",
            "三、行政复议数量\t件\t4",  # wrong number, right label
            "（二）被依法纠错数\t件\t3",
            "（三）其他情形数\t件\t1",
        ]
    )
    values = table_values(text)
    assert values["pre_lawsuit_corrected"] == ("2", 2.0, "件", 4)
    assert values["pre_lawsuit_other"] == ("1", 1.0, "件", 5)
    assert values["pre_reconsideration_corrected"] == ("3", 3.0, "件", 7)
    assert values["pre_reconsideration_other"] == ("1", 1.0, "件", 8)


def test_duplicated_labels_without_section_rows_go_in_printed_order() -> None:
    text = "\n".join([TITLE, HEADER, "（二）被依法纠错数\t件\t5", "（二）被依法纠错数\t件\t6"])
    values = table_values(text)
    assert values == {
        "pre_reconsideration_corrected": ("5", 5.0, "件", 3),
        "pre_lawsuit_corrected": ("6", 6.0, "件", 4),
    }


def test_qualified_and_odd_value_cells() -> None:
    text = "\n".join(
        [
            TITLE,
            HEADER,
            "（一）主动公开政府信息数\t条\t约 300",
            "2. 政府网站公开政府信息数\t条\t300多",
            "3. 政务微博公开政府信息数\t条\t见附件",
            "4. 政务微信公开政府信息数\t条\t0.00",
            "（四）政府信息公开专项经费\t万元\t１．５",
        ]
    )
    result = parse_documents(docs(text))
    got = {r["indicator_code"]: (r["value"], r["qualifier"]) for r in result.values.iter_rows(named=True)}
    assert got == {
        "pre_proactive_items": (300.0, "approx"),
        "pre_channel_website": (300.0, "at_least"),
        "pre_channel_weibo": (None, "exact"),  # unreadable: NULL, raw_value keeps the text
        "pre_channel_wechat": (0.0, "exact"),
        "pre_special_funds": (1.5, "exact"),
    }


def test_template_needs_a_few_rows() -> None:
    few = "\n".join([TITLE, HEADER, "（一）收到申请数\t件\t2", "1. 当面申请数\t件\t2"])
    result = parse_documents(docs(few))
    assert result.reports["template"].item() == "narrative"
    assert result.reports["table_start_line"].item() == 2
    assert result.values.height == 2  # best-effort rows are still kept


def test_the_catalogue_decides_the_codes() -> None:
    raw = pl.read_csv(DEFAULT_CATALOGUE_PATH, schema=CATALOGUE_CSV).with_columns(
        indicator_code=pl.col("indicator_code").str.replace("^pre_", "x_"),
        parent_code=pl.col("parent_code").str.replace("^pre_", "x_"),
        name_zh=pl.when(pl.col("indicator_code") == "pre_complaints")
        .then(pl.lit("举报和投诉数量"))
        .otherwise(pl.col("name_zh")),
    )
    text = "\n".join([TITLE, HEADER, "六、举报和投诉数量\t件\t7", "六、举报投诉数量\t件\t8"])
    assert table_values(text, prepare_catalogue(raw)) == {"x_complaints": ("7", 7.0, "件", 3)}
    assert table_values(text, raw) == {"x_complaints": ("7", 7.0, "件", 3)}  # a raw CSV frame is prepared
    assert table_values(text, load_catalogue()) == {"pre_complaints": ("8", 8.0, "件", 4)}


def _seed_000_text() -> str:
    path = DEFAULT_CATALOGUE_PATH.parents[2] / "raw" / "000_60f2b87b7f23535f.txt"
    return path.read_text(encoding="utf-8")


def test_seed_000_layout_variants_give_the_same_values() -> None:
    tabs = _seed_000_text()
    lines = tabs.split("\n")
    spaces = "\n".join(line.replace("\t", "   ") for line in lines)
    pipes = "\n".join(f"| {line.replace(chr(9), ' | ')} |" if "\t" in line else line for line in lines)
    crlf_fullwidth = tabs.replace("\t", "\u3000\u3000").replace("\n", "\r\n")
    result = parse_documents(docs(tabs, spaces, pipes, crlf_fullwidth))
    assert result.reports["template"].to_list() == ["pre2019_table"] * 4
    per_doc = {
        rid: group.sort("indicator_code").select("indicator_code", "value", "source_line").rows()
        for (rid,), group in result.values.filter(pl.col("source_kind") == "table").group_by("report_id")
    }
    assert len(per_doc["r0"]) == 65
    assert per_doc["r1"] == per_doc["r0"]
    assert per_doc["r2"] == per_doc["r0"]
    assert per_doc["r3"] == per_doc["r0"]
