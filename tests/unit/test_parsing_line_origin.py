"""Every line number of a report read from a saved web page points at the raw HTML file's own line."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from tests.conftest import FIXTURES
from tests.parsing_helpers import parse_paths

PAGES = sorted((FIXTURES / "gov").glob("*.htm*"))


def _raw_lines(path: Path) -> list[str]:
    return path.read_bytes().decode("utf-8").splitlines()


def test_title_and_table_lines_are_raw_file_lines() -> None:
    page = FIXTURES / "gov" / "g07_hunan_natural_resources_2020.html"
    result, quarantine = parse_paths([page])
    assert quarantine.is_empty()
    raw = _raw_lines(page)
    report = result.reports.row(0, named=True)
    assert report["title_line"] == 36
    assert "湖南省自然资源厅2020年政府信息公开工作年度报告" in raw[35]
    rules = result.values.filter(pl.col("indicator_code") == "t2_rules")
    assert rules["source_line"].unique().to_list() == [58]
    assert raw[57] == "<tr><td>规章</td><td>0</td><td>0</td><td>0</td></tr>"


def test_every_table_cell_is_on_its_raw_line() -> None:
    assert len(PAGES) >= 2
    result, _ = parse_paths(PAGES)
    cells = result.values.filter((pl.col("source_kind") == "table") & (pl.col("raw_value") != "")).join(
        result.reports.select("report_id", "source_file"), on="report_id"
    )
    assert cells.height > 100
    by_name = {p.name: _raw_lines(p) for p in PAGES}
    for source_file, line, raw_value in cells.select("source_file", "source_line", "raw_value").iter_rows():
        # the cell's line is its row's <tr>; the row, up to its </tr>, holds the printed value
        lines = by_name[source_file]
        assert "<tr" in lines[line - 1].lower(), (source_file, line)
        end = next(i for i in range(line - 1, len(lines)) if "</tr>" in lines[i].lower())
        assert raw_value in "".join(lines[line - 1 : end + 1]), (source_file, line, raw_value)


def test_sections_point_at_their_heading_lines() -> None:
    page = FIXTURES / "gov" / "g07_hunan_natural_resources_2020.html"
    result, _ = parse_paths([page])
    raw = _raw_lines(page)
    for heading, start in result.sections.select("heading", "start_line").iter_rows():
        assert heading in raw[start - 1]
