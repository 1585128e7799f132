"""The committed gov2019/gov2021 test corpus (tests/fixtures/gov/): 25 reports plus a three-year series.

Each report is one ``GovReport``: numbers come from its seed except where ``fixed`` pins them (series links,
money printed in 元, cells printed blank) and ``plants`` break exactly one relation. Agencies are in
``gov_agencies.csv``; what each file exercises is in ``gov_fixture_notes.py`` (README.md is written from both).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from bench.corpus import catalogue as cat
from bench.corpus import gov
from bench.corpus.agencies import agencies
from bench.corpus.gov_fixture_notes import NOTES
from bench.corpus.model import GovReport, Key, Layout, Noise, Number, PageBreak, Plant

D = dt.date


@dataclass(frozen=True)
class Entry:
    report: GovReport
    planted: str = ""  # the rule the report breaks on purpose ('' = consistent)

    @property
    def note(self) -> str:
        return NOTES[self.report.file]


def _r(file: str, agency: str, year: int, published: dt.date, seed: int, scale: int, **kw: object) -> GovReport:
    template = gov.template_for(year)
    return GovReport(file, agencies()[agency], year, template, published, seed, scale, **kw)  # type: ignore[arg-type]


def _largest_other_leaf(report: GovReport, col: str, besides: str) -> str:
    base = gov.values(replace(report, plants=()))
    leaves = [x for x in cat.result_leaves(report.template) if x != besides]
    return max(leaves, key=lambda leaf: (base[(leaf, col)], -leaves.index(leaf)))


def _zero_rows(codes: tuple[str, ...]) -> dict[Key, Number]:
    return {(code, col): 0 for code in codes for col in cat.applicant_columns()[:6]}


def _markers(codes: tuple[str, ...], columns: tuple[str, ...], marker: str) -> dict[Key, str]:
    return {(code, col): marker for code in codes for col in columns}


FEES_2021 = ("t2_fees", "本年收费金额")
DOCS_2021 = ("本年制发件数", "本年废止件数", "现行有效件数")
STRAY = ("t3_refused_security", "t3_unable_not_held", "t3_not_processed_petition")
G10_BREAKS = (
    PageBreak(0, mark="hyphen", page=2),
    PageBreak(2, "t2_penalties", "page_of", 3),
    PageBreak(3, "t3_refused_internal", "dash", 4, running_header=True),
    PageBreak(3, "t3_other_overdue_fee", "page", 5, repeat_table_header=True),
)
G15_MARKERS = {
    ("t2_fees", "上一年项目数量"): "—",
    ("t2_fees", "本年增/减"): "/",
    ("t2_other_services", "本年增/减"): "-",
}


def consistent_reports() -> list[Entry]:
    wrap6 = ("t3_other_overdue_correction", "t3_other_overdue_fee")
    wrap = ("t3_partly_granted", "t3_not_processed_confirmation")
    reports = [
        _r("g01_deqing_moganshan_2021.txt", "deqing", 2021, D(2022, 1, 18), 101, 6, layout=Layout("tabs", wrap=wrap6)),
        _r(
            "g02_xihu_beishan_2019.txt", "beishan", 2019, D(2020, 1, 15), 102, 8,
            layout=Layout("spaces", header="flat", title="spaced", top_date=True), noise=Noise(crlf=True),
        ),
        _r(
            "g03_suining_county_2022.txt", "suining", 2022, D(2023, 3, 20), 103, 90,
            layout=Layout("tabs_word", header="split"), noise=Noise(thousands=True),
        ),
        _r(
            "g04_yuexi_education_2020.txt", "yuexi", 2020, D(2021, 1, 25), 104, 25,
            layout=Layout("cells", t4="lines"), noise=Noise(plus_sign=True),
        ),
        _r(
            "g05_yibin_city_2021.txt", "yibin", 2021, D(2022, 3, 25), 105, 260,
            layout=Layout("pipes", page_breaks=(PageBreak(3, "t3_unable_not_held", "page", 7),)),
            noise=Noise(thousands=True),
        ),
        _r("g06_luoyang_environment_2023.txt", "luoyang", 2023, D(2024, 1, 30), 106, 45,
           layout=Layout("markdown", top_date=True)),
        _r("g07_hunan_natural_resources_2020.html", "hunan", 2020, D(2021, 1, 29), 107, 180,
           layout=Layout("html", extension=".html")),
        _r("g08_nanan_market_2022.htm", "nanan", 2022, D(2023, 1, 16), 108, 35,
           layout=Layout("html", header="split", extension=".htm")),
        _r(
            "g09_ningxiang_huaminglou_2021.txt", "huaminglou", 2021, D(2022, 1, 21), 109, 5,
            layout=Layout("tabs", t4="split", title="two_line"), noise=Noise(encoding="gbk"),
        ),
        _r("g10_gusu_pingjiang_2022.txt", "pingjiang", 2022, D(2023, 1, 12), 110, 9,
           layout=Layout("spaces", title="niandu", page_breaks=G10_BREAKS)),
        _r(
            "g11_linqu_county_2021.txt", "linqu", 2021, D(2022, 3, 28), 111, 70, fixed={FEES_2021: 25.1},
            layout=Layout("tabs", merged_labels=True), noise=Noise(fullwidth=True, money_in_yuan=(FEES_2021,)),
        ),
        _r(
            "g12_zunyi_transport_2021.txt", "zunyi", 2021, D(2022, 1, 27), 112, 40, layout=Layout("tabs"),
            noise=Noise(labels={"t2_normative_docs": "规范性文件"}, markers=_markers(("t2_rules",), DOCS_2021, "")),
        ),
        _r(
            "g13_nanzhang_wuan_2019.txt", "wuan", 2019, D(2020, 1, 20), 113, 4,
            layout=Layout("tabs", t4="split", wrap=wrap, stray_spaces=STRAY,
                          page_breaks=(PageBreak(4, "t4_review_litigation", "hyphen", 5),)),
        ),
        _r(
            "g14_shaanxi_hrss_2022.txt", "shaanxi", 2022, D(2023, 1, 31), 114, 320, noise=Noise(thousands=True),
            layout=Layout("tabs_word", title="niandu", top_date=True,
                          page_breaks=(PageBreak(3, "t3_not_processed_petition", "page_of", 6, running_header=True),)),
        ),
        _r(
            "g15_ganzhou_city_2020.txt", "ganzhou", 2020, D(2021, 3, 26), 115, 240, fixed=dict.fromkeys(G15_MARKERS, 0),
            layout=Layout("spaces", wrap=("t3_partly_granted", "t3_not_processed_abusive"), wrap_mode="after"),
            noise=Noise(plus_sign=True, markers=G15_MARKERS),
        ),
        _r("g16_wuming_agriculture_2023.txt", "wuming", 2023, D(2024, 1, 22), 116, 15,
           layout=Layout("cells", t4="lines", header="split")),
        _r("g17_pingcheng_district_2019.txt", "pingcheng", 2019, D(2020, 3, 30), 117, 75, layout=Layout("markdown")),
        _r(
            "g24_ruzhou_mangchuan_2024.txt", "mangchuan", 2024, D(2025, 1, 10), 124, 7, fixed={FEES_2021: 0},
            layout=Layout("spaces", header="split", chrome=True, wrap=("t3_partly_granted",), wrap_mode="after"),
            noise=Noise(markers={FEES_2021: "无"}),
        ),
        _r("g25_jiangmen_natural_resources_2019.txt", "jiangmen", 2019, D(2020, 1, 21), 125, 55,
           layout=Layout("pipes"), noise=Noise(encoding="utf-8-sig", labels={"t2_normative_docs": "行政规范性文件"})),
    ]  # fmt: skip
    return [Entry(r) for r in reports]


def violation_reports() -> list[Entry]:
    """One report per planted rule; see README.md for why most plants show in two columns or rows."""
    huada = _r(
        "g19_gulou_huada_2020.txt", "huada", 2020, D(2021, 1, 22), 119, 14, layout=Layout("spaces", top_date=True)
    )
    other = _largest_other_leaf(huada, "总计", "t3_granted")
    blanks = ("t3_carried_over", "t3_carried_forward")
    return [
        Entry(
            _r("g18_pengshan_district_2021.txt", "pengshan", 2021, D(2022, 3, 18), 118, 60, layout=Layout("tabs"),
               plants=(Plant(("t3_new", "自然人"), 2), Plant(("t3_new", "总计"), 2))),
            "t3_balance",
        ),
        Entry(replace(huada, plants=(Plant(("t3_granted", "总计"), 1), Plant((other, "总计"), -1))), "t3_row_total"),
        Entry(
            _r("g20_yantai_housing_2022.txt", "yantai", 2022, D(2023, 1, 19), 120, 50, layout=Layout("markdown"),
               plants=(Plant(("t3_unable_not_held", "商业企业"), 1), Plant(("t3_unable_not_held", "总计"), 1))),
            "t3_results_total",
        ),
        Entry(
            _r("g21_qufu_culture_2019.txt", "qufu", 2019, D(2020, 1, 17), 121, 30, layout=Layout("tabs_word"),
               plants=(Plant(("t4_review_litigation", "行政复议/总计"), 1),)),
            "t4_group_total",
        ),
        Entry(
            _r("g22_changfeng_xiatang_2021.txt", "xiatang", 2021, D(2022, 1, 24), 122, 6, layout=Layout("tabs"),
               prose_new_requests=9),
            "text_vs_table",
        ),
        Entry(
            _r("g23_yantian_water_2022.txt", "yantian", 2022, D(2023, 2, 3), 123, 12, layout=Layout("tabs"),
               fixed=_zero_rows(blanks), noise=Noise(markers=_markers(blanks, cat.applicant_columns(), ""))),
            "t3_completeness",
        ),
    ]  # fmt: skip


#: The series: one agency, three years (facts in README.md). Pinned: 2020 and 2021 结转下年度, 2021 and 2022
#: 上年结转 (2022 自然人 4 where 2021 carried 5 forward), 2021 and 2022 现行有效 and 2022 制发/废止.
SERIES_FORWARD_2020 = {"自然人": 6, "商业企业": 2, "科研机构": 0, "社会公益组织": 0, "法律服务机构": 1, "其他": 0}
SERIES_FORWARD_2021 = {"自然人": 5, "商业企业": 1, "科研机构": 0, "社会公益组织": 0, "法律服务机构": 0, "其他": 0}
SERIES_OVER_2022 = SERIES_FORWARD_2021 | {"自然人": 4}
SERIES_DOCS_2021 = {("t2_rules", "现行有效件数"): 31, ("t2_normative_docs", "现行有效件数"): 146}
SERIES_DOCS_2022 = {
    ("t2_rules", "本年制发件数"): 2,
    ("t2_rules", "本年废止件数"): 1,
    ("t2_rules", "现行有效件数"): 32,  # 31 + 2 - 1: holds
    ("t2_normative_docs", "本年制发件数"): 18,
    ("t2_normative_docs", "本年废止件数"): 7,
    ("t2_normative_docs", "现行有效件数"): 161,  # 146 + 18 - 7 = 157: broken
}


def _row(code: str, values: dict[str, int]) -> dict[Key, Number]:
    return {(code, col): v for col, v in values.items()}


def series_reports() -> list[Entry]:
    fwd20, fwd21 = _row("t3_carried_forward", SERIES_FORWARD_2020), _row("t3_carried_forward", SERIES_FORWARD_2021)
    over21, over22 = _row("t3_carried_over", SERIES_FORWARD_2020), _row("t3_carried_over", SERIES_OVER_2022)
    reports = [
        _r("series/shaoxing_city_2020.txt", "shaoxing", 2020, D(2021, 3, 29), 201, 210, fixed=fwd20,
           layout=Layout("tabs")),
        _r("series/shaoxing_city_2021.txt", "shaoxing", 2021, D(2022, 3, 30), 202, 230,
           fixed=over21 | fwd21 | SERIES_DOCS_2021, layout=Layout("tabs_word")),
        _r("series/shaoxing_city_2022.txt", "shaoxing", 2022, D(2023, 3, 28), 203, 250,
           fixed=over22 | SERIES_DOCS_2022, layout=Layout("spaces")),
    ]  # fmt: skip
    return [Entry(r) for r in reports]


def corpus() -> list[Entry]:
    main = consistent_reports() + violation_reports()
    return sorted(main, key=lambda e: e.report.file) + series_reports()
