"""Cleaning (clean.py): chrome, page furniture, spam injection, character forms, rejoined sentences."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from orchestration.lib.parsing import parse_documents
from orchestration.lib.parsing.clean import (
    CLEAN_LINES,
    CLEANING_FLAGS,
    FLAGS,
    SPAM,
    clean_documents,
    cleaned_text,
    find_spam,
    traditional_chars,
)
from orchestration.lib.parsing.lines import explode_lines
from orchestration.lib.parsing.prose import load_rules
from tests.parsing_helpers import docs, parse_paths

RAW = Path(__file__).resolve().parents[2] / "raw"
TITLE = "某某镇2018年政府信息公开工作年度报告"


def clean(*texts: str, title_line: int = 1):
    """clean_documents over inline reports whose title is on ``title_line``."""
    docs = pl.DataFrame(
        {"doc": list(range(len(texts))), "text": list(texts)}, schema={"doc": pl.UInt32, "text": pl.String}
    )
    lines = explode_lines(docs)
    bounds = pl.DataFrame(
        {
            "doc": list(range(len(texts))),
            "title_line": [title_line] * len(texts),
            "end_line": [None] * len(texts),
            "title": [TITLE] * len(texts),
        },
        schema={"doc": pl.UInt32, "title_line": pl.Int32, "end_line": pl.Int32, "title": pl.String},
    )
    return clean_documents(lines, bounds)


def kept(result, doc: int = 0) -> list[tuple[int, str]]:
    return result.lines.filter(pl.col("doc") == doc).select("line_no", "text").rows()


def flags(result, doc: int = 0) -> list[str]:
    return result.flags.filter(pl.col("doc") == doc)["cleaning_flags"].item().to_list()


def parse_text(*texts: str):
    return parse_documents(docs(*texts))


def test_schemas_and_flag_names() -> None:
    result = clean("\n".join([TITLE, "一、概述", "全年主动公开政府信息12条。"]))
    assert result.lines.schema == CLEAN_LINES
    assert result.flags.schema == FLAGS
    assert result.spam.schema == SPAM
    assert flags(result) == []
    assert set(CLEANING_FLAGS) >= {
        "web_chrome",
        "page_furniture",
        "spam_injection",
        "spam_repaired",
        "traditional_chars",
        "fullwidth_normalised",
        "sentence_rejoined",
    }


def test_cleaned_text_maps_fullwidth_forms_and_drops_white_space() -> None:
    got = pl.select(cleaned_text(pl.lit("全年 公开信息　１２ 条，其中：（一）ＡＢ；１００％\t！"))).item()
    assert got == "全年公开信息12条,其中:(一)AB;100%!"
    # Chinese punctuation without an ASCII twin stays: 。、“”《》〔〕
    assert pl.select(cleaned_text(pl.lit("《条例》〔2018〕“三化”、。"))).item() == "《条例》〔2018〕“三化”、。"


def test_web_chrome_is_dropped_and_flagged() -> None:
    text = "\n".join(
        [
            "某某县人民政府 | 政府信息公开网",
            "首页 > 信息公开 > 年度报告",
            "图片",
            TITLE,
            "发布时间：2019-03-20 09:30    来源：党政办    浏览次数：286",
            "字号：大 中 小",
            "【打印本页】【关闭窗口】",
            "全年主动公开政府信息12条。",
            "分享到：",
            "上一条：某某乡报告  下一条：某某村报告",
            "上一篇",
            "打印本页",
            "关闭",
        ]
    )
    result = clean(text, title_line=4)
    assert kept(result) == [(8, "全年主动公开政府信息12条。")]
    assert flags(result) == ["web_chrome"]


def test_a_banner_above_the_title_is_chrome() -> None:
    result = clean("\n".join(["向家镇", "", TITLE, "全年主动公开政府信息12条。"]), title_line=3)
    assert kept(result) == [(4, "全年主动公开政府信息12条。")]
    assert flags(result) == ["web_chrome"]


def test_page_furniture_is_dropped_and_the_cut_sentence_rejoined() -> None:
    text = "\n".join(
        [
            TITLE,
            "某某镇人民政府文件",
            "一、概述",
            "全年共召开政务公开工作专题会议，并在年内召",
            "",
            "— 3 —",
            "某某镇人民政府文件",
            "",
            "开了2次培训会。全年主动公开政府信息",
            "第 4 页",
            "某某镇人民政府文件",
            "12条。",
            "- 5 -",
            "二、存在的问题",
        ]
    )
    result = clean(text)
    rows = result.lines.rows(named=True)
    assert [r["line_no"] for r in rows] == [3, 4, 9, 12, 14]
    paras = [r["para"] for r in rows]
    assert paras[1] == paras[2] == paras[3] and len(set(paras)) == 3  # 4 + 9 + 12 rejoined
    assert rows[1]["heading"] == "一、概述" and rows[4]["heading"] == "二、存在的问题"
    assert flags(result) == ["page_furniture", "sentence_rejoined"]


def test_lines_are_not_rejoined_after_sentence_ends_headings_or_short_lines() -> None:
    text = "\n".join(
        [
            TITLE,
            "一、概述",  # a heading: never continued
            "全年主动公开政府信息12条。",  # sentence end
            "（一）公开情况",  # numbered: starts a new block
            "某某镇人民政府",  # short signature line
            "2019年1月9日",
        ]
    )
    result = clean(text)
    assert result.lines["para"].n_unique() == 5
    assert "sentence_rejoined" not in flags(result)


def test_the_second_line_of_a_two_line_title_is_no_prose() -> None:
    text = "\n".join(["银川市兴庆区教育局", "2017年政府信息公开工作年度报告", "全年主动公开政府信息120条。"])
    docs = pl.DataFrame({"doc": [0], "text": [text]}, schema={"doc": pl.UInt32, "text": pl.String})
    title = "银川市兴庆区教育局2017年政府信息公开工作年度报告"
    bounds = pl.DataFrame(
        {"doc": [0], "title_line": [1], "end_line": [None], "title": [title]},
        schema={"doc": pl.UInt32, "title_line": pl.Int32, "end_line": pl.Int32, "title": pl.String},
    )
    result = clean_documents(explode_lines(docs), bounds)
    assert kept(result) == [(3, "全年主动公开政府信息120条。")]


def test_prose_stops_where_the_table_starts() -> None:
    text = "\n".join([TITLE, "全年主动公开政府信息12条。", "统计指标\t单位\t统计数", "（一）收到申请数\t件\t3"])
    docs = pl.DataFrame({"doc": [0], "text": [text]}, schema={"doc": pl.UInt32, "text": pl.String})
    bounds = pl.DataFrame(
        {"doc": [0], "title_line": [1], "end_line": [3], "title": [TITLE]},
        schema={"doc": pl.UInt32, "title_line": pl.Int32, "end_line": pl.Int32, "title": pl.String},
    )
    assert kept(clean_documents(explode_lines(docs), bounds)) == [(2, "全年主动公开政府信息12条。")]


SPAM_TEXT = "\n".join(
    [
        "必威体育平台,必威体育app",
        TITLE,
        "一、主动公开情况",
        "全年主动公开信息60条，其中网站公开40条，通过公示栏等必威体育平台,必威体育app方式公开20条。",
        "二、需要说明的必威体育平台,必威体育app事项",
        "本年度无需要说明的必威体育平台,必威体育app事项。信息公开部门与必威体育平台,必威体育app部门配合不够。",
    ]
)


def test_spam_injection_is_found_dropped_and_repaired() -> None:
    result = clean(SPAM_TEXT, title_line=2)
    assert result.spam.rows() == [(0, "必威体育平台,必威体育app", "其他")]
    assert kept(result) == [
        (3, "一、主动公开情况"),
        (4, "全年主动公开信息60条,其中网站公开40条,通过公示栏等其他方式公开20条。"),
        (5, "二、需要说明的其他事项"),
        (6, "本年度无需要说明的其他事项。信息公开部门与其他部门配合不够。"),
    ]
    assert flags(result) == ["spam_injection", "spam_repaired"]


def test_spam_is_removed_and_only_flagged_when_the_replaced_word_is_not_evident() -> None:
    text = "\n".join(
        [
            TITLE,
            "全年公开信息60条开元棋牌官网,开元棋牌app。",
            "工作取得成效开元棋牌官网,开元棋牌app。",
            "群众满意开元棋牌官网,开元棋牌app。",
        ]
    )
    result = clean(text)
    assert result.spam.rows() == [(0, "开元棋牌官网,开元棋牌app", None)]
    assert [t for _, t in kept(result)] == ["全年公开信息60条。", "工作取得成效。", "群众满意。"]
    assert flags(result) == ["spam_injection"]


def test_the_spam_string_ends_where_its_occurrences_disagree() -> None:
    """Two occurrences share the words after the spam ("需要报告的事项"); the spam alone on a line
    and the other contexts bound it."""
    text = "\n".join(
        [
            "亚博体育官网,亚博体育app下载",
            TITLE,
            "本报告由概述、亚博体育官网,亚博体育app下载需要报告的事项等部分组成。",
            "其中工作动态20条，亚博体育官网,亚博体育app下载12条。",
            "通过公开栏等亚博体育官网,亚博体育app下载方式公开信息约600条。",
            "七、亚博体育官网,亚博体育app下载需要报告的事项",
        ]
    )
    result = clean(text, title_line=2)
    assert result.spam.rows() == [(0, "亚博体育官网,亚博体育app下载", "其他")]
    assert kept(result)[2] == (5, "通过公开栏等其他方式公开信息约600条。")


def test_report_vocabulary_is_no_spam() -> None:
    text = "\n".join(
        [
            TITLE,
            "区教育体育局负责体育彩票公益金的公开。",
            "区教育体育局公开体育彩票公益金使用情况。",
            "通过政务APP和网站公开信息。政务APP运行良好。",
        ]
    )
    result = clean(text)
    assert result.spam.is_empty()
    assert flags(result) == []


def test_seed_001_spam_is_repaired() -> None:
    text = (RAW / "001_23e3c9aae683d728.txt").read_text(encoding="utf-8")
    docs = pl.DataFrame({"doc": [0], "text": [text]}, schema={"doc": pl.UInt32, "text": pl.String})
    lines = explode_lines(docs).with_columns(text=cleaned_text(pl.col("line")))
    assert find_spam(lines.select("doc", "text"), load_rules()).rows() == [(0, "必威体育平台,必威体育app")]


def test_traditional_characters_are_converted_and_flagged() -> None:
    assert len(traditional_chars()) >= 100
    text = "\n".join(
        [
            TITLE,
            "一、概述",
            "本機關認真貫徹《條例》，全年主動公開政府信息1,200條，其中通過政府網站公開800條。",
            "二、依申請公開情況",
            "全年共收到政府信息公開申請56件，均已按時辦結，無收費情況。",
        ]
    )
    simplified = "全年主动公开政府信息12条。"
    result = clean(text, "\n".join([TITLE, simplified]))
    assert kept(result, 0)[1] == (3, "本机关认真贯彻《条例》,全年主动公开政府信息1,200条,其中通过政府网站公开800条。")
    assert "traditional_chars" in flags(result, 0)
    assert kept(result, 1) == [(2, simplified)]
    assert flags(result, 1) == []


def test_fullwidth_digits_are_flagged() -> None:
    result = clean("\n".join([TITLE, "全年主动公开政府信息１２条。"]))
    assert kept(result) == [(2, "全年主动公开政府信息12条。")]
    assert flags(result) == ["fullwidth_normalised"]


@pytest.fixture(scope="module")
def seeds():
    result, _ = parse_paths(sorted(RAW.glob("*.txt")))
    return result


def test_seed_cleaning_flags(seeds) -> None:
    got = dict(seeds.reports.select("source_file", "cleaning_flags").iter_rows())
    assert {k[:3]: v for k, v in got.items()} == {
        "000": ["sentence_rejoined"],  # "…宣" / blank / "传，提高…"
        "001": ["web_chrome", "spam_injection", "spam_repaired"],
        "002": ["sentence_rejoined"],  # "…召" / blank / "开了2次…"
        "003": ["sentence_rejoined"],
        "004": [],
    }


def test_cleaning_never_alters_the_raw_text(seeds) -> None:
    """n_chars and the table rows still describe the raw file (cleaning is a view)."""
    for row in seeds.reports.iter_rows(named=True):
        raw = (RAW / row["source_file"]).read_text(encoding="utf-8")
        assert row["n_chars"] == len(raw)
    table = seeds.values.filter(pl.col("source_kind") == "table")
    for row in table.join(seeds.reports.select("report_id", "source_file"), on="report_id").iter_rows(named=True):
        raw_line = (RAW / row["source_file"]).read_text(encoding="utf-8").split("\n")[row["source_line"] - 1]
        assert row["evidence"] == raw_line.strip()
        assert row["raw_value"] in raw_line


def test_flags_in_reports_are_an_empty_list_when_clean() -> None:
    result = parse_text("\n".join([TITLE, "全年主动公开政府信息12条。"]))
    assert result.reports["cleaning_flags"].to_list() == [[]]


def test_a_page_break_inside_a_book_title_rejoins_the_lines() -> None:
    text = "\n".join([TITLE, "通过《某市", "— 2 —", "政府公报》刊登信息8条。", "二、其他"])
    result = clean(text)
    rows = result.lines.rows(named=True)
    assert [(r["line_no"], r["text"]) for r in rows] == [
        (2, "通过《某市"),
        (4, "政府公报》刊登信息8条。"),
        (5, "二、其他"),
    ]
    assert rows[0]["para"] == rows[1]["para"] != rows[2]["para"]
    assert "sentence_rejoined" in flags(result)


def test_a_number_cut_by_a_page_break_moves_onto_the_line_where_it_starts() -> None:
    text = "\n".join([TITLE, "主动公开信息1", "第 3 页", "25条。收到申请4", "", "件。", "全年主动公开信息", "86条。"])
    result = clean(text)
    rows = result.lines.rows(named=True)
    assert [(r["line_no"], r["text"]) for r in rows] == [
        (2, "主动公开信息125条"),
        (4, "。收到申请4件"),
        (6, "。"),
        (7, "全年主动公开信息"),
        (8, "86条。"),
    ]
    assert len({r["para"] for r in rows}) == 2  # 2+4+6 and 7+8


def test_a_whole_traditional_report_of_forty_short_lines_is_detected() -> None:
    lines = [
        "某某縣衛生局2013年政府信息公開工作年度報告",
        "一、概述",
        "二、主動公開情況",
        "（一）公開內容",
        "無",
        "郵編：362000",
        "電話：0595-1234567",
    ]
    lines += [f"第{i}季度本局無一例行政復議。" if i % 2 else f"全年發佈信息{i}條。" for i in range(32)]
    lines.append("某某縣衛生局辦公室")
    text = "\n".join(lines)
    assert len(text.splitlines()) == 40
    result = clean(text)
    assert "traditional_chars" in flags(result)
    texts = [t for _, t in kept(result)]
    assert "第1季度本局无一例行政复议。" in texts and "邮编:362000" in texts and "电话:0595-1234567" in texts
