"""The gov report renderer (bench/corpus) and the corpus it writes (tests/fixtures/gov/).

Reproducible bytes, and ground truth consistent with the printed files: each raw value reads as its value,
the raw values stand in the file in table order, the relations hold except the planted ones (recomputed here,
not taken from the renderer), restated prose numbers are in the file and agree with the tables, and the series
links are what README.md says. No parser involved.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

import pytest

from bench.corpus import gov
from bench.corpus.build_gov_fixtures import build
from bench.corpus.model import Agency, GovReport, Layout, Noise, PageBreak
from tests.conftest import FIXTURES, ROOT

GOV = FIXTURES / "gov"
EMPTY_MARKERS = {"", "/", "-", "—", "--", "N/A", "NA", "无", "不适用"}
SEEDS = ROOT / "dbt_project" / "seeds"
AGENCY = Agency("德清县莫干山镇人民政府", "乡镇", "浙江省", "湖州市", "德清县", "我镇", "党政办公室", "德清县莫干山镇",
                "0572-8033106", "a@b.cn", "德清县人民政府门户网站", "http://www.deqing.gov.cn")  # fmt: skip


def _read(name: str, folder: Path = GOV) -> list[dict[str, str]]:
    with (folder / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _breakdowns(breakdown_set: str) -> list[str]:
    rows = [r for r in _read("breakdown_sets.csv", SEEDS) if r["breakdown_set"] == breakdown_set]
    return [r["breakdown"] for r in sorted(rows, key=lambda r: int(r["position"]))]


def _result_leaves(template: str) -> list[str]:
    """表三 value rows below 三、本年度办理结果 except （七）总计, from the catalogue seed."""
    rows = [r for r in _read("indicator_catalogue.csv", SEEDS) if r["template"] == template and r["table_no"] == "3"]
    parent = {r["indicator_code"]: r["parent_code"] for r in rows}

    def under_results(code: str) -> bool:
        while parent.get(code):
            code = parent[code]
            if code == "t3_results":
                return True
        return False

    return [
        r["indicator_code"]
        for r in rows
        if r["is_header"].lower() != "true" and r["indicator_code"] != "t3_total" and under_results(r["indicator_code"])
    ]


COLUMNS = _breakdowns("t3_applicants")  # six applicant columns, then 总计
T4 = _breakdowns("t4_results")  # three groups of five: four results, then the group's 总计


REPORTS = {r["file"]: r for r in _read("reports.csv")}
TRUTH: dict[str, list[dict[str, str]]] = defaultdict(list)
for _r in _read("truth.csv"):
    TRUTH[_r["file"]].append(_r)
VIOLATIONS = _read("violations.csv")


def _text(file: str) -> str:
    encoding = REPORTS[file]["encoding"]
    return (GOV / file).read_bytes().decode(encoding)


def _cells(file: str) -> dict[tuple[str, str], float | None]:
    return {(r["indicator_code"], r["breakdown"]): float(r["value"]) if r["value"] else None for r in TRUTH[file]}


# ------------------------------------------------------------------------------------------ reproducibility


def test_committed_corpus_is_what_the_builder_writes() -> None:
    files = build()
    assert files == build(), "two builds differ"
    on_disk = {p.relative_to(GOV).as_posix() for p in GOV.rglob("*") if p.is_file()}
    assert on_disk == set(files), "files in tests/fixtures/gov/ that the builder does not write, or missing ones"
    stale = [name for name, data in files.items() if (GOV / name).read_bytes() != data]
    assert not stale, f"regenerate with python -m bench.corpus.build_gov_fixtures: {stale}"


def test_render_is_a_pure_function_of_the_report() -> None:
    report = gov.sample_report(42, AGENCY, 2022, scale=30)
    again = gov.sample_report(42, AGENCY, 2022, scale=30)
    assert gov.render(report).content == gov.render(again).content
    assert gov.render(report).content != gov.render(gov.sample_report(43, AGENCY, 2022, scale=30)).content


@pytest.mark.parametrize("seed", range(40))
def test_sampled_reports_are_consistent(seed: int) -> None:
    """Any seed: truth covers every cell, numbers satisfy every relation, the file decodes."""
    rendered = gov.render(gov.sample_report(seed, AGENCY, 2019 + seed % 6, scale=5 + seed * 7))
    assert gov.violations(rendered) == []
    rendered.content.decode(rendered.report.noise.encoding)
    assert len({(t.indicator_code, t.breakdown) for t in rendered.truth}) == len(rendered.truth)


def test_sampled_corpus_is_reproducible_and_varied() -> None:
    reports = list(gov.sample_corpus(60, seed=3))
    assert [r.file for r in reports] == [r.file for r in gov.sample_corpus(60, seed=3)]
    assert {r.layout.table for r in reports} == set(gov.TEXT_FORMATS)
    assert {r.template for r in reports} == {"gov2019", "gov2021"}
    for report in reports[:20]:
        assert gov.violations(gov.render(report)) == []


def test_custom_report_renders_each_layout() -> None:
    for fmt in gov.TEXT_FORMATS:
        layout = Layout(fmt, page_breaks=(PageBreak(3, "t3_granted"),) if fmt != "html" else (),  # type: ignore[arg-type]
                        extension=".html" if fmt == "html" else ".txt")  # fmt: skip
        report = GovReport("x" + layout.extension, AGENCY, 2021, "gov2021", dt.date(2022, 1, 5), 7, 20, layout=layout,
                           noise=Noise(fullwidth=fmt == "tabs"))  # fmt: skip
        rendered = gov.render(report)
        assert rendered.title in rendered.content.decode("utf-8")
        assert [s.section_no for s in rendered.sections] == [1, 2, 3, 4, 5, 6]


# ----------------------------------------------------------------------------------- truth vs printed files


def read_number(raw: str) -> float | None:
    """An independent reading of a printed cell: markers → None; full-width digits, separators, signs, 元."""
    text = raw.strip().translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if text in EMPTY_MARKERS:
        return None
    yuan = text.endswith("元")
    text = text.removesuffix("元").replace(",", "").replace("，", "")
    value = float(text)
    return value / 10000 if yuan else value


def test_raw_values_read_as_values() -> None:
    for file, rows in TRUTH.items():
        for r in rows:
            value = float(r["value"]) if r["value"] else None
            got = read_number(r["raw_value"])
            assert (got is None and value is None) or (
                got is not None and value is not None and abs(got - value) < 1e-9
            ), (
                file,
                r,
            )


@pytest.mark.parametrize("file", sorted(REPORTS))
def test_raw_values_stand_in_the_file_in_table_order(file: str) -> None:
    text = _text(file)
    at = text.index("第二十条第（一）项")
    for r in TRUTH[file]:
        raw = r["raw_value"]
        if not raw:
            continue
        m = re.compile(rf"(?<![0-9０-９.,+\-]){re.escape(raw)}(?![0-9０-９.,元])").search(text, at)
        assert m, f"{file}: {r['indicator_code']}/{r['breakdown']} = {raw!r} not found after offset {at}"
        at = m.end()


def test_title_section_headings_and_metadata_are_in_the_files() -> None:
    sections = defaultdict(list)
    for s in _read("sections.csv"):
        sections[s["file"]].append(s)
    for file, meta in REPORTS.items():
        text = _text(file)
        compact = re.sub(r"\s+", "", text)
        assert f"{meta['agency_name']}{meta['report_year']}年" in compact, file
        d = dt.date.fromisoformat(meta["publish_date"])
        assert f"{d.year}年{d.month}月{d.day}日" in text, file
        lines = text.splitlines()
        assert [int(s["section_no"]) for s in sections[file]] == [1, 2, 3, 4, 5, 6]
        for s in sections[file]:
            assert s["heading"] in text
            if s["start_line"]:
                assert lines[int(s["start_line"]) - 1].strip() == s["heading"], (file, s)


class _Tables(HTMLParser):
    """<table>s of a page as rows of (text, rowspan, colspan)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[tuple[str, int, int]]]] = []
        self.cell: list[str] | None = None
        self.span = (1, 1)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag == "td":
            self.cell, self.span = [], (int(a.get("rowspan") or 1), int(a.get("colspan") or 1))
        elif tag == "br" and self.cell is not None:
            self.cell.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self.cell is not None:
            self.tables[-1][-1].append(("".join(self.cell).strip(), *self.span))
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


@pytest.mark.parametrize("file", [f for f in REPORTS if f.endswith((".html", ".htm"))])
def test_html_tables_are_full_grids_holding_the_truth(file: str) -> None:
    """Spans fill each table's grid exactly, and its value cells (the grid's value columns below the header
    rows) read, in order, as the truth's raw values."""
    reader = _Tables()
    reader.feed(_text(file))
    assert len(reader.tables) == 3
    values: list[str] = []
    for table, width in zip(reader.tables, (4, 10, 15), strict=True):
        taken: set[tuple[int, int]] = set()
        for r, row in enumerate(table):
            c = 0
            for text, rowspan, colspan in row:
                while (r, c) in taken:
                    c += 1
                taken |= {(r + i, c + j) for i in range(rowspan) for j in range(colspan)}
                is_value = (
                    (width == 4 and c > 0 and not row[0][0].startswith(("第二十条", "信息内容")))
                    or (width == 10 and c >= 3 and r >= 3)
                    or (width == 15 and r >= 3)
                )
                if is_value:
                    values.append(text.replace("\xa0", "").strip())
                c += colspan
        assert taken == {(r, c) for r in range(len(table)) for c in range(width)}, file
    assert values == [r["raw_value"] for r in TRUTH[file]]


def _violations(file: str, template: str) -> set[tuple[str, str, str]]:
    """Arithmetic relations recomputed from truth.csv: (rule, indicator_code, breakdown) broken."""
    x = _cells(file)
    rows = sorted({k[0] for k in x if k[0].startswith("t3_")})
    leaves = _result_leaves(template)
    assert len(leaves) == len(rows) - 4  # every 表三 value row but 一, 二, （七）总计, 四
    found: set[tuple[str, str, str]] = set()

    def stated(*keys: tuple[str, str]) -> list[float] | None:
        values = [x[k] for k in keys]
        return None if any(v is None for v in values) else values  # type: ignore[return-value]

    for col in COLUMNS:
        v = stated(("t3_new", col), ("t3_carried_over", col), ("t3_total", col), ("t3_carried_forward", col))
        if v and v[0] + v[1] != v[2] + v[3]:
            found.add(("t3_balance", "t3_total", col))
        v = stated(*[(leaf, col) for leaf in leaves], ("t3_total", col))
        if v and sum(v[:-1]) != v[-1]:
            found.add(("t3_results_total", "t3_total", col))
    for code in rows:
        v = stated(*[(code, c) for c in COLUMNS])
        if v and sum(v[:6]) != v[6]:
            found.add(("t3_row_total", code, "总计"))
    for i in range(0, len(T4), 5):
        v = stated(*[("t4_review_litigation", b) for b in T4[i : i + 5]])
        if v and sum(v[:4]) != v[4]:
            found.add(("t4_group_total", "t4_review_litigation", T4[i + 4]))
    return found


def test_relations_hold_except_the_planted_violations() -> None:
    listed: dict[str, set[tuple[str, str, str]]] = defaultdict(set)
    for v in VIOLATIONS:
        listed[v["file"]].add((v["rule"], v["indicator_code"], v["breakdown"]))
    arithmetic = {"t3_balance", "t3_row_total", "t3_results_total", "t4_group_total"}
    for file, meta in REPORTS.items():
        want = {v for v in listed[file] if v[0] in arithmetic}
        assert _violations(file, meta["template"]) == want, file
        rules = {v[0] for v in listed[file] if not v[0].startswith("cross_year")}
        assert rules == ({meta["planted_violation"]} if meta["planted_violation"] else set()), file
    planted = [m["planted_violation"] for m in REPORTS.values() if m["planted_violation"]]
    assert sorted(planted) == sorted(
        {"t3_balance", "t3_row_total", "t3_results_total", "t4_group_total", "text_vs_table", "t3_completeness"}
    )


def test_completeness_finding_is_the_only_blank_in_table_three() -> None:
    for file in REPORTS:
        blanks = {(c, b) for (c, b), v in _cells(file).items() if c.startswith(("t3_", "t4_")) and v is None}
        listed = {
            (v["indicator_code"], v["breakdown"])
            for v in VIOLATIONS
            if v["file"] == file and v["rule"] == "t3_completeness"
        }
        assert blanks == listed, file


def test_restated_numbers_are_in_the_files_and_agree_with_the_tables() -> None:
    disagreements = {
        (v["file"], v["indicator_code"], v["breakdown"]) for v in VIOLATIONS if v["rule"] == "text_vs_table"
    }
    seen = set()
    for r in _read("restated.csv"):
        assert r["text"] in _text(r["file"]), r
        table = _cells(r["file"])[(r["indicator_code"], r["breakdown"])]
        key = (r["file"], r["indicator_code"], r["breakdown"])
        if table is not None and float(r["value"]) != table:
            seen.add(key)
    assert seen == disagreements and len(seen) == 1


def test_series_links() -> None:
    series = sorted(f for f in REPORTS if f.startswith("series/"))
    assert [REPORTS[f]["report_year"] for f in series] == ["2020", "2021", "2022"]
    assert len({REPORTS[f]["agency_name"] for f in series}) == 1
    y20, y21, y22 = (_cells(f) for f in series)
    assert all(y21[("t3_carried_over", c)] == y20[("t3_carried_forward", c)] for c in COLUMNS)
    broken = [c for c in COLUMNS if y22[("t3_carried_over", c)] != y21[("t3_carried_forward", c)]]
    assert broken == ["自然人", "总计"]

    def in_force(code: str) -> tuple[float | None, float | None]:
        expected = y21[(code, "现行有效件数")] + y22[(code, "本年制发件数")] - y22[(code, "本年废止件数")]  # type: ignore[operator]
        return expected, y22[(code, "现行有效件数")]

    assert in_force("t2_rules")[0] == in_force("t2_rules")[1]
    assert in_force("t2_normative_docs")[0] != in_force("t2_normative_docs")[1]
    links = {(r["file"], r["indicator_code"], r["breakdown"]): r["holds"] for r in _read("series_links.csv")}
    assert [k for k, holds in links.items() if holds == "false"] == [
        (series[2], "t3_carried_over", "自然人"),
        (series[2], "t3_carried_over", "总计"),
        (series[2], "t2_normative_docs", "现行有效件数"),
    ]


def test_corpus_coverage() -> None:
    main = [m for f, m in REPORTS.items() if not f.startswith("series/")]
    assert len(main) >= 22
    for meta in REPORTS.values():
        assert meta["template"] == ("gov2019" if int(meta["report_year"]) <= 2020 else "gov2021")
    levels = {m["agency_level"] for m in REPORTS.values()}
    assert {"乡镇", "街道", "县区政府", "县区部门", "市政府", "市部门", "省部门"} <= levels
    assert len({m["province"] for m in REPORTS.values()}) >= 12
    assert {m["layout"] for m in REPORTS.values()} == set(gov.TEXT_FORMATS)
    assert {Path(f).suffix for f in REPORTS} == {".txt", ".html", ".htm"}
    assert "gbk" in {m["encoding"] for m in REPORTS.values()}
    raws = {r["raw_value"] for rows in TRUTH.values() for r in rows}
    assert {"", "/", "-", "—", "无"} <= raws
    assert (
        any(r.endswith("元") for r in raws) and any("," in r for r in raws) and any("０" <= r[:1] <= "９" for r in raws)
    )


def test_blank_cells_are_refused_where_a_layout_cannot_show_them() -> None:
    noise = Noise(markers={("t2_fees", "本年收费金额"): ""})
    report = GovReport(
        "x.txt", AGENCY, 2021, "gov2021", dt.date(2022, 1, 5), 7, 20, layout=Layout("spaces"), noise=noise
    )
    with pytest.raises(ValueError, match="blank cell"):
        gov.render(report)
