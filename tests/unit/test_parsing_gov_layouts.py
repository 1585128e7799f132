"""表二/表三/表四 of the national templates in every flattened layout (orchestration.lib.parsing.gov).

The reports under tests/fixtures/gov_unit/ are small hand-made gov2019/gov2021 texts, one layout
family each; the cells asserted here were read off those files by hand.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from orchestration.lib.parsing.gov import GOV_VALUES, GovResult, extract_gov
from orchestration.lib.parsing.lines import explode_lines
from orchestration.lib.parsing.metadata import find_titles

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "gov_unit"
T3 = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
T4 = [
    f"{group}/{leaf}"
    for group in ("行政复议", "未经复议直接起诉", "复议后起诉")
    for leaf in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
]


def parse(*texts: str) -> GovResult:
    docs = pl.DataFrame({"doc": pl.Series(range(len(texts)), dtype=pl.UInt32), "text": list(texts)})
    lines = explode_lines(docs)
    return extract_gov(lines, find_titles(lines))


def fixture(name: str) -> GovResult:
    return parse((FIXTURES / name).read_text(encoding="utf-8"))


def row(result: GovResult, code: str, doc: int = 0) -> list[tuple]:
    """(breakdown, value, raw_value, source_line) of one indicator, in column order."""
    rows = result.values.filter((pl.col("doc") == doc) & (pl.col("indicator_code") == code))
    return rows.select("breakdown", "value", "raw_value", "source_line").rows()


def col(values: list[float | None], raws: list[str], line: int, labels: list[str] = T3) -> list[tuple]:
    return [(b, v, r, line) for b, v, r in zip(labels, values, raws, strict=True)]


def ints(*numbers: int) -> tuple[list[float], list[str]]:
    return [float(n) for n in numbers], [str(n) for n in numbers]


def test_tab_rows_gov2021() -> None:
    result = fixture("gov2021_tabs.txt")
    assert result.values.schema == GOV_VALUES
    assert result.templates.rows() == [(0, "gov2021")]
    assert row(result, "t2_rules") == [
        ("本年制发件数", 0.0, "0", 10),
        ("本年废止件数", 0.0, "0", 10),
        ("现行有效件数", 0.0, "0", 10),
    ]
    assert row(result, "t2_normative_docs") == [
        ("本年制发件数", 3.0, "3", 11),
        ("本年废止件数", 1.0, "1", 11),
        ("现行有效件数", 25.0, "25", 11),
    ]
    assert row(result, "t2_licensing") == [("本年处理决定数量", 1203.0, "1,203", 14)]
    assert row(result, "t2_enforcement") == [("本年处理决定数量", None, "/", 18)]
    assert row(result, "t2_fees") == [("本年收费金额", 25.1, "251000元", 21)]
    assert row(result, "t3_new") == col(*ints(10, 1, 0, 0, 1, 0, 12), 26)
    # Merged label cells in front of the row label: 三、本年度办理结果<TAB>（一）予以公开<TAB>…
    assert row(result, "t3_granted") == col(*ints(5, 1, 0, 0, 0, 0, 6), 28)
    assert row(result, "t3_refused_state_secret") == col(*ints(0, 0, 0, 0, 0, 0, 0), 30)
    # A label wrapped over two lines, the cells on the second.
    assert row(result, "t3_refused_security") == col(*ints(0, 0, 0, 0, 0, 0, 0), 33)
    # After the page break (— 3 —).
    assert row(result, "t3_unable_not_held") == col(*ints(2, 0, 0, 0, 1, 0, 3), 42)
    # A blank cell inside a tab row: NULL, raw ''.
    assert row(result, "t3_other_other") == col(
        [1.0, None, 0.0, 0.0, 0.0, 0.0, 1.0], ["1", "", "0", "0", "0", "0", "1"], 52
    )
    assert row(result, "t3_total") == col(*ints(11, 1, 0, 0, 1, 0, 13), 53)
    assert row(result, "t4_review_litigation") == col(*ints(1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0), 59, T4)
    # Every non-header row of the 2021 template: 表二 10 cells, 表三 25 rows × 7, 表四 15.
    assert result.values.height == 10 + 25 * 7 + 15
    assert result.values.filter(pl.col("indicator_code") == "t3_other_processing").is_empty()  # a header in 2021


def test_tab_rows_evidence_units_and_labels() -> None:
    result = fixture("gov2021_tabs.txt")
    got = result.values.filter(pl.col("breakdown").is_in(["自然人", "本年收费金额"])).select(
        "indicator_code", "raw_label", "unit", "qualifier", "evidence"
    )
    by_code = {r[0]: r[1:] for r in got.rows()}
    assert by_code["t2_fees"] == ("行政事业性收费", "万元", "exact", "行政事业性收费\t251000元")
    assert by_code["t3_granted"] == (
        "（一）予以公开",
        "件",
        "exact",
        "三、本年度办理结果\t（一）予以公开\t5\t1\t0\t0\t0\t0\t6",
    )
    assert by_code["t3_refused_security"] == (
        "3.危及“三安全一稳定”",
        "件",
        "exact",
        "3.危及“三安全一稳定” … 稳定”\t0\t0\t0\t0\t0\t0\t0",
    )
    overdue = "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
    assert by_code["t3_other_overdue_correction"][0] == overdue
    t4 = result.values.filter(pl.col("indicator_code") == "t4_review_litigation").row(0, named=True)
    assert (t4["raw_label"], t4["evidence"]) == (
        "政府信息公开行政复议、行政诉讼情况",
        "1\t0\t0\t0\t1\t0\t0\t0\t1\t1\t0\t0\t0\t0\t0",
    )


def test_one_cell_per_line_gov2019() -> None:
    result = fixture("gov2019_one_cell_per_line.txt")
    assert result.templates.rows() == [(0, "gov2019")]
    labels = ["本年新制作数量", "本年新公开数量", "对外公开总数量"]
    assert row(result, "t2_normative_docs") == [
        (labels[0], 5.0, "5", 19),
        (labels[1], 5.0, "5", 20),
        (labels[2], 37.0, "37", 21),
    ]
    # 本年增/减 signed; units per column (项, 项, 件); a —— marker.
    assert row(result, "t2_licensing") == [
        ("上一年项目数量", 102.0, "102", 28),
        ("本年增/减", 3.0, "+3", 29),
        ("处理决定数量", 1530.0, "1,530", 30),
    ]
    assert row(result, "t2_other_services") == [
        ("上一年项目数量", 20.0, "20", 32),
        ("本年增/减", -2.0, "-2", 33),
        ("处理决定数量", 300.0, "300", 34),
    ]
    assert row(result, "t2_enforcement")[2] == ("处理决定数量", None, "——", 47)
    assert row(result, "t2_fees") == [("上一年项目数量", 3.0, "3", 53), ("本年增/减", -1.0, "-1", 54)]
    assert row(result, "t2_procurement") == [("采购项目数量", 12.0, "12", 60), ("采购总金额", 25.1, "251000元", 61)]
    units = result.values.filter(pl.col("indicator_code").is_in(["t2_licensing", "t2_procurement"]))["unit"].to_list()
    assert units == ["项", "项", "件", "项", "万元"]
    new = row(result, "t3_new")
    assert new == [(b, v, r, 76 + i) for i, (b, v, r) in enumerate(zip(T3, *ints(20, 2, 0, 1, 0, 0, 23), strict=True))]
    # Wrapped across a page break (第 2 页) and a repeated report title.
    assert [c[3] for c in row(result, "t3_refused_security")] == list(range(131, 138))
    # （六）其他处理 is a valued row in 2019.
    assert row(result, "t3_other_processing")[0] == ("自然人", 1.0, "1", 245)
    assert row(result, "t3_carried_forward")[6] == ("总计", None, "-", 267)
    assert [c[1] for c in row(result, "t4_review_litigation")] == ints(0, 1, 0, 0, 1, 2, 0, 0, 0, 2, 0, 0, 0, 0, 0)[0]
    assert [c[3] for c in row(result, "t4_review_litigation")] == list(range(288, 303))
    assert result.values.height == 22 + 23 * 7 + 15
    ev = result.values.filter((pl.col("indicator_code") == "t3_new") & (pl.col("breakdown") == "总计"))["evidence"]
    assert ev.to_list() == ["一、本年新收政府信息公开申请数量 … 23"]


def test_pipes_markdown_and_split_t4_gov2021() -> None:
    result = fixture("gov2021_pipes_markdown.txt")
    assert result.templates.rows() == [(0, "gov2021")]
    assert row(result, "t2_normative_docs") == [
        ("本年制发件数", 2.0, "2", 9),
        ("本年废止件数", 0.0, "0", 9),
        ("现行有效件数", 9.0, "9", 9),
    ]
    # Markdown rows padded with empty cells: the empty cells beyond the block's columns are dropped.
    assert row(result, "t2_licensing") == [("本年处理决定数量", 0.0, "0", 12)]
    assert row(result, "t2_enforcement") == [("本年处理决定数量", None, "", 16)]
    assert row(result, "t2_fees") == [("本年收费金额", 1.5, "1.5", 19)]
    # Runs of empty pipes for merged cells; full-width digits.
    assert row(result, "t3_new") == col([8.0, 1.0, 0.0, 0.0, 0.0, 0.0, 9.0], ["８", "1", "0", "0", "0", "0", "９"], 24)
    assert row(result, "t3_refused_security") == col([None] * 7, ["/"] * 7, 30)
    assert row(result, "t3_not_processed_repeat") == col(*ints(1, 0, 0, 0, 0, 0, 1), 40)
    assert row(result, "t3_total") == col(*ints(8, 1, 0, 0, 0, 0, 9), 47)
    # 表四: 15 numbers over two single-spaced lines.
    t4 = row(result, "t4_review_litigation")
    assert [c[3] for c in t4] == [51] * 8 + [52] * 7
    assert [c[1] for c in t4] == [0.0] * 15
    assert result.values.height == 10 + 25 * 7 + 15


def test_runs_of_spaces_and_html_grid_gov2019() -> None:
    result = fixture("gov2019_spaces_html_grid.txt")
    assert result.templates.rows() == [(0, "gov2019")]
    # Runs of spaces; a stray space inside a label.
    assert row(result, "t2_normative_docs") == [
        ("本年新制作数量", 1.0, "1", 8),
        ("本年新公开数量", 1.0, "1", 8),
        ("对外公开总数量", 4.0, "4", 8),
    ]
    normative = result.values.filter(pl.col("indicator_code") == "t2_normative_docs")
    assert normative["raw_label"].unique().to_list() == ["规范性 文件"]
    procurement = result.values.filter(pl.col("indicator_code") == "t2_procurement")
    procurement = procurement.select("value", "raw_value", "qualifier", "unit")
    assert procurement.rows() == [(2.0, "2", "exact", "项"), (30.0, "约30", "approx", "万元")]
    # HTML grid: leading empty cells of spanned label columns, an empty cell after a label spanning two columns.
    assert row(result, "t3_new") == col(*ints(2, 0, 0, 0, 0, 0, 2), 27)
    assert row(result, "t3_partly_granted") == col(*ints(0, 0, 0, 0, 0, 0, 0), 30)
    assert row(result, "t3_refused_security") == col([None] * 7, [""] * 7, 33)  # an all-blank row
    # After a page break (- 4 -) with the column header rows repeated.
    assert row(result, "t3_unable_not_held") == col(*ints(1, 0, 0, 0, 0, 0, 1), 44)
    assert row(result, "t3_other_processing") == col(*ints(0, 0, 0, 0, 0, 0, 0), 52)
    assert row(result, "t3_total") == col(*ints(2, 0, 0, 0, 0, 0, 2), 53)
    assert row(result, "t3_carried_forward") == col(*ints(0, 0, 0, 0, 0, 0, 0), 54)
    assert [c[3] for c in row(result, "t4_review_litigation")] == [59] * 15
    assert result.values.height == 22 + 23 * 7 + 15


def test_mixed_labels_gov2021() -> None:
    result = fixture("mixed_labels_2021.txt")
    assert result.templates.rows() == [(0, "gov2021")]
    # The 2019 label 规范性文件 under the 2021 columns takes the 2021 set; 行政许可 under 2019 columns the 2019 set.
    assert [c[0] for c in row(result, "t2_normative_docs")] == ["本年制发件数", "本年废止件数", "现行有效件数"]
    assert row(result, "t2_licensing") == [
        ("上一年项目数量", 35.0, "35", 11),
        ("本年增/减", 2.0, "增2", 11),
        ("处理决定数量", 410.0, "410", 11),
    ]
    # "1 203" reads as two numbers for a one-column row: nothing rather than a guess.
    assert row(result, "t2_penalties") == []
    assert row(result, "t2_enforcement") == [("本年处理决定数量", 0.0, "0", 15)]
    assert row(result, "t2_fees") == [("本年收费金额", 3.5, "3.5万元", 18)]
    # A row with single-space separated cells; quotes and 、 in labels as agencies print them.
    assert row(result, "t3_new") == col(*ints(3, 0, 0, 0, 0, 0, 3), 23)
    assert row(result, "t3_refused_prohibited")[0] == ("自然人", 0.0, "0", 28)
    assert row(result, "t3_refused_security")[0] == ("自然人", 0.0, "0", 29)
    # A bare page number (5) between two rows is no value.
    assert row(result, "t3_unable_not_held") == col(*ints(0, 0, 0, 0, 0, 0, 0), 35)
    assert row(result, "t3_unable_needs_creation") == col(*ints(0, 0, 0, 0, 0, 0, 0), 39)
    # Numbers printed on （六）其他处理 (a 2019 habit) are kept.
    assert row(result, "t3_other_processing") == col(*ints(0, 0, 0, 0, 0, 0, 0), 46)
    assert [c[3] for c in row(result, "t4_review_litigation")] == [51] * 15


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.txt")))
def test_no_value_from_outside_the_tables(name: str) -> None:
    result = fixture(name)
    sections = result.sections.select("section_no", "start_line", "end_line").rows()
    outside = [(start, end) for no, start, end in sections if no in (1, 5, 6)]
    lines = result.values["source_line"].to_list()
    assert lines and not any(start <= line <= end for line in lines for start, end in outside)
