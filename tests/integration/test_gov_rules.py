"""The 2019/2021 national templates (gov2019, gov2021) in dbt and the checks, on hand-written staging rows
(tests/fixtures/dbt/gov_staging_rows.sql, loaded together with the pre-2019 rows of staging_rows.sql):
every gov rule holds on consistent tables and fails, naming the report, on the planted inconsistency;
the carry-over across three years reports exactly the broken link with both reports; blanks give a
completeness finding and no arithmetic violation; the marts read gov tables through the conformed
headline mapping; Great Expectations agrees with the SQL verdicts."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import polars as pl
import pytest

from orchestration.lib import quality, warehouse
from tests.conftest import ROOT
from tests.integration.test_dbt_models import DBT, build_warehouse

pytestmark = pytest.mark.integration

EVALS = "intermediate.int_rule_evaluations"
VIOLATIONS = "marts.fct_check_violation"
AGENCY_YEAR = "marts.mart_agency_year"

#: Every violation of the gov reports: (report, related report, rule, parent, breakdown, child, parent value,
#: children value). Nothing else may fail.
PLANTED = [
    # 2021 → 2022 carry-over broken in 自然人 (hence 总计): names the 2022 report and the 2021 one
    ("ga22", "ga21", "gov_t3_carry_over", "t3_carried_over", "总计", "t3_carried_forward", 5.0, 6.0),
    ("ga22", "ga21", "gov_t3_carry_over", "t3_carried_over", "自然人", "t3_carried_forward", 3.0, 4.0),
    # 表二 现行有效件数 2022 = 10 + 1 − 1 printed 12
    ("gb22", "gb21", "gov2021_t2_in_force", "t2_normative_docs", "现行有效件数", None, 12.0, 10.0),
    # prose 行政复议3件 vs 表四 行政复议 总计 2 (conformed headline mapping)
    ("gb22", None, "text_vs_table", "t4_review_litigation", "行政复议/总计", "pre_reconsiderations", 2.0, 3.0),
    # gc19: a leaf +1 in 自然人, 结转下年度 +1 in 商业企业 and 总计, 表四 总计 3 ≠ 2, a negative cell
    ("gc19", None, "gov2019_t3_results_sum", "t3_total", "自然人", None, 4.0, 5.0),
    ("gc19", None, "gov_non_negative", "t2_penalties", "处理决定数量", None, -1.0, 0.0),
    ("gc19", None, "gov_t3_balance", "t3_total", "商业企业", None, 2.0, 1.0),
    ("gc19", None, "gov_t3_balance", "t3_total", "总计", None, 6.0, 5.0),
    ("gc19", None, "gov_t3_total_column", "t3_refused_process", "总计", None, 1.0, 2.0),
    ("gc19", None, "gov_t4_totals", "t4_review_litigation", "行政复议/总计", None, 3.0, 2.0),
    # gc21: a （六） sub-row +1 in 自然人 and 总计
    ("gc21", None, "gov2021_t3_results_sum", "t3_total", "总计", None, 5.0, 6.0),
    ("gc21", None, "gov2021_t3_results_sum", "t3_total", "自然人", None, 5.0, 6.0),
    # gd20: blanks and a missing row in 表三, no 表四: completeness only
    ("gd20", None, "gov_t3_complete", "t3_total", None, None, 161.0, 152.0),
    ("gd20", None, "gov_t4_complete", "t4_review_litigation", None, None, 15.0, 0.0),
]


@pytest.fixture(scope="module")
def gov(tmp_path_factory) -> Path:
    return build_warehouse(
        tmp_path_factory.mktemp("dbt_gov") / "gov.duckdb", ["staging_rows.sql", "gov_staging_rows.sql"]
    )


def sql(db: Path, query: str, params: list | None = None) -> pl.DataFrame:
    return warehouse.query(db, query, params)


def test_gov_violations_are_exactly_the_planted_ones(gov):
    rows = sql(
        gov,
        f"""
        select report_id, related_report_id, rule_id, parent_indicator_code, breakdown, child_indicator_code,
               parent_value, children_value
        from {VIOLATIONS} where report_id like 'g%' order by all
        """,
    )
    assert sorted(rows.rows(), key=repr) == sorted(PLANTED, key=repr)


def test_every_gov_rule_is_evaluated_and_fails_only_where_planted(gov):
    rules = quality.load_rules().filter(pl.col("rule_id").str.starts_with("gov"))["rule_id"].to_list()
    counts = sql(
        gov,
        f"select rule_id, count(*) filter (where holds) as held, count(*) filter (where not holds) as failed"
        f" from {EVALS} where rule_id like 'gov%' group by rule_id",
    )
    by_rule = {r["rule_id"]: r for r in counts.iter_rows(named=True)}
    planted = {rule: sum(1 for p in PLANTED if p[2] == rule) for rule in rules}
    for rule in rules:
        assert by_rule[rule]["held"] > 0, f"{rule} never holds on the consistent reports"
        assert by_rule[rule]["failed"] == planted[rule] > 0, rule


@pytest.mark.parametrize(
    ("rule_id", "report_id", "n"),
    [
        ("gov_t3_balance", "ga21", 7),  # 一 + 二 = 七 + 四 in each of the 7 columns
        ("gov_t3_total_column", "ga21", 25),  # 总计 = Σ six columns for each of the 25 gov2021 rows
        ("gov_t3_total_column", "ga20", 23),  # … and the 23 gov2019 rows
        ("gov2019_t3_results_sum", "ga20", 7),  # （六）其他处理 a leaf
        ("gov2021_t3_results_sum", "ga21", 7),  # its three （六） sub-rows instead
        ("gov_t4_totals", "ga21", 3),  # three groups
        ("gov_t3_carry_over", "ga21", 7),  # 2020 gov2019 → 2021 gov2021
        ("gov_t3_carry_over", "gb22", 7),
        ("gov2021_t2_in_force", "ga22", 2),  # 规章 and 行政规范性文件
        ("gov_t3_complete", "ga21", 1),
        ("gov_t4_complete", "ga21", 1),
        ("text_vs_table", "ga21", 3),  # 27 requests, 2 reconsiderations, 3 lawsuits restated in prose
    ],
)
def test_rule_holds_on_consistent_tables(gov, rule_id, report_id, n):
    rows = sql(gov, f"select holds from {EVALS} where rule_id = ? and report_id = ?", [rule_id, report_id])
    assert rows.height == n and rows["holds"].all()


def test_carry_over_across_three_years_reports_exactly_the_broken_link(gov):
    links = sql(
        gov,
        f"""
        select report_id, related_report_id, related_source_file, count(*) as n,
               count(*) filter (where not holds) as broken
        from {EVALS} where rule_id = 'gov_t3_carry_over' and report_id like 'ga%'
        group by all order by all
        """,
    )
    assert links.rows() == [
        ("ga21", "ga20", "gov/a_2020.txt", 7, 0),  # 2020 (gov2019) → 2021 (gov2021) holds
        ("ga22", "ga21", "gov/a_2021.txt", 7, 2),  # 2021 → 2022 broken in 自然人 and 总计
    ]
    violations = sql(
        gov,
        f"select distinct source_file, related_source_file, related_report_year from {VIOLATIONS}"
        " where rule_id = 'gov_t3_carry_over'",
    )
    assert violations.rows() == [("gov/a_2022.txt", "gov/a_2021.txt", 2021)]


def test_cross_year_rules_skip_gap_years_and_other_families(gov):
    # gc21 has no 2020 report (its 2019 report is two years back); ga20 none before it; a 2021 report
    # is never linked to a 2020 gov2019 report for 表二 (no 现行有效件数 there)
    rows = sql(
        gov,
        f"select report_id, rule_id from {EVALS} where rule_kind = 'cross_year_sum'"
        " and (report_id in ('gc21', 'ga20', 'gc19', 'gd20')"
        " or (rule_id = 'gov2021_t2_in_force' and report_id = 'ga21'))",
    )
    assert rows.height == 0


def test_blanks_give_a_completeness_finding_and_no_arithmetic_violation(gov):
    rows = sql(
        gov,
        f"select rule_id, parent_value, children_value, detail from {VIOLATIONS} where report_id = 'gd20' order by 1",
    )
    assert rows["rule_id"].to_list() == ["gov_t3_complete", "gov_t4_complete"]
    detail = rows["detail"][0]
    assert detail.startswith(
        "9 of 161 cells blank or missing: t3_new/科研机构, t3_granted/自然人, t3_refused_query/自然人"
    )
    # the sums around the blanks are not evaluated (a blank is not 0); the complete columns are
    evaluated = sql(
        gov,
        f"select rule_id, breakdown from {EVALS} where report_id = 'gd20' and rule_id = 'gov_t3_balance' order by 2",
    )
    assert "科研机构" not in evaluated["breakdown"].to_list() and evaluated.height == 6
    assert sql(gov, f"select count(*) from {EVALS} where report_id = 'gd20' and rule_id like 'gov20%'").item() == 0
    # complete tables: no finding
    complete = sql(
        gov,
        f"select bool_and(holds) from {EVALS} where rule_kind = 'table_complete' and report_id <> 'gd20'",
    )
    assert complete.item() is True


def test_non_negative_exempts_the_change_column(gov):
    rows = sql(
        gov,
        f"select count(*) from {EVALS} where rule_id = 'gov_non_negative' and breakdown = '本年增/减'",
    )
    assert rows.item() == 0  # ga20 −2 and gc19 −1 are allowed
    assert sql(gov, "select count(*) from staging.stg_indicator_values where value < 0").item() == 3


def test_text_vs_table_uses_the_conformed_mapping(gov):
    rows = sql(
        gov,
        f"""
        select report_id, parent_indicator_code, breakdown, child_indicator_code, parent_value, children_value, holds
        from {EVALS} where rule_id = 'text_vs_table' and report_id like 'g%' order by all
        """,
    )
    assert rows.rows() == [
        ("ga21", "t3_new", "总计", "pre_requests_received", 27.0, 27.0, True),
        ("ga21", "t4_review_litigation", "复议后起诉/总计+未经复议直接起诉/总计", "pre_lawsuits", 3.0, 3.0, True),
        ("ga21", "t4_review_litigation", "行政复议/总计", "pre_reconsiderations", 2.0, 2.0, True),
        ("gb22", "t4_review_litigation", "行政复议/总计", "pre_reconsiderations", 2.0, 3.0, False),
        ("gc19", "t4_review_litigation", "行政复议/总计", "pre_reconsiderations", 3.0, 3.0, True),
        ("gf19", "pre_requests_received", "", None, 4.0, 4.0, True),  # pre2019: same cell, once
    ]


HEADLINE_CELLS = {
    "requests_received": ("t3_new", ["总计"]),
    "requests_completed": ("t3_total", ["总计"]),
    "requests_granted": ("t3_granted", ["总计"]),
    "requests_carried_over": ("t3_carried_over", ["总计"]),
    "requests_carried_forward": ("t3_carried_forward", ["总计"]),
    "reconsiderations": ("t4_review_litigation", ["行政复议/总计"]),
    "lawsuits": ("t4_review_litigation", ["未经复议直接起诉/总计", "复议后起诉/总计"]),
}


@pytest.mark.parametrize("column", sorted(HEADLINE_CELLS))
def test_gov_headlines_are_the_table_cells(gov, column):
    code, breakdowns = HEADLINE_CELLS[column]
    marks = ", ".join("?" for _ in breakdowns)
    rows = sql(
        gov,
        f"""
        with cells as (
            select report_id, case when count(value) = {len(breakdowns)} then sum(value) end as cells
            from marts.fct_indicator_value
            where indicator_code = ? and breakdown in ({marks}) and source_kind = 'table'
            group by report_id
        )
        select m.report_id, m.{column} as headline, cells.cells
        from {AGENCY_YEAR} m left join cells using (report_id)
        where m.template in ('gov2019', 'gov2021') order by 1
        """,
        [code, *breakdowns],
    )
    assert rows.height == 8
    assert rows["headline"].to_list() == rows["cells"].to_list(), column


def test_headlines_by_template(gov):
    rows = sql(
        gov,
        f"""
        select report_id, template, requests_received, requests_completed, requests_granted, requests_carried_over,
               requests_carried_forward, reconsiderations, lawsuits
        from {AGENCY_YEAR} where report_id in ('ga21', 'gd20', 'gf19', 'ge20', 'r1') order by 1
        """,
    )
    assert rows.rows() == [
        ("ga21", "gov2021", 27.0, 23.0, 13.0, 2.0, 6.0, 2.0, 3.0),  # lawsuits = 1 + 2
        ("gd20", "gov2019", 3.0, 3.0, 3.0, 0.0, 0.0, None, None),  # no 表四: NULL, never 0
        ("ge20", "narrative", 5.0, None, None, None, None, 0.0, None),  # prose
        ("gf19", "pre2019_table", 4.0, None, None, None, None, 1.0, None),  # the old table
        ("r1", "pre2019_table", 3.0, 3.0, 2.0, None, None, None, None),
    ]


def test_mart_year_adds_up_across_templates(gov):
    years = sql(
        gov,
        "select report_year, requests_received, reconsiderations, lawsuits, requests_carried_over"
        " from marts.mart_year where report_year >= 2019 order by 1",
    )
    assert years.rows() == [
        (2019, 12.0, 4.0, 0.0, 0.0),  # gc19 (gov2019) 8 + gf19 (pre2019_table) 4
        (2020, 22.0, 1.0, 1.0, 2.0),  # ga20 14 + gd20 3 (gov2019) + ge20 5 (narrative prose)
        (2021, 36.0, 2.0, 3.0, 2.0),  # ga21 27 + gb21 4 + gc21 5 (gov2021)
        (2022, 12.0, 2.0, 0.0, 6.0),
    ]
    summed = sql(
        gov,
        f"""
        select report_year, sum(requests_received), sum(reconsiderations), sum(lawsuits), sum(requests_carried_over)
        from {AGENCY_YEAR} where report_year >= 2019 group by 1 order by 1
        """,
    )
    assert summed.rows() == years.rows()


def test_dimensions_cover_both_families(gov):
    t3_new = sql(gov, "select templates, differs_by_family from marts.dim_indicator where indicator_code = 't3_new'")
    assert t3_new["templates"].to_list() == [["gov2019", "gov2021"]]
    assert t3_new["differs_by_family"].to_list() == [False]
    labels = sql(
        gov,
        "select list(f.name_zh order by f.template) from marts.dim_indicator, unnest(families) as t(f)"
        " where indicator_code = 't2_normative_docs'",
    )
    assert labels.to_series().to_list() == [["规范性文件", "行政规范性文件"]]
    cells = sql(
        gov,
        "select template, count(*) from marts.dim_table_cell"
        " where table_no = 3 and not is_header group by 1 order by 1",
    )
    assert cells.rows() == [("gov2019", 161), ("gov2021", 175)]
    units = sql(
        gov,
        "select breakdown, unit from marts.dim_table_cell"
        " where indicator_code = 't2_fees' order by template, breakdown",
    )
    assert dict(units.rows()) == {"上一年项目数量": "项", "本年增/减": "项", "本年收费金额": "万元"}
    assert (
        sql(
            gov,
            "select count(*) from marts.fct_indicator_value where indicator_code not in"
            " (select indicator_code from marts.dim_indicator)",
        ).item()
        == 0
    )


def test_mart_indicator_year_by_cell(gov):
    rows = sql(
        gov,
        "select breakdown, unit, templates, reports, total from marts.mart_indicator_year"
        " where indicator_code = 't3_new' and report_year = 2021 and breakdown in ('自然人', '总计') order by 1",
    )
    assert rows.rows() == [("总计", "件", ["gov2021"], 3, 36.0), ("自然人", "件", ["gov2021"], 3, 29.0)]


def test_report_sections_readable_per_agency(gov):
    rows = sql(
        gov,
        """
        select s.report_year, s.section_name_zh, s.section_text, s.agency_id = r.agency_id
        from marts.fct_report_section s join marts.dim_report r using (report_id)
        where s.section_no = 5 and s.is_current order by 1
        """,
    )
    assert rows.rows() == [
        (2020, "存在的主要问题及改进情况", "主动公开的及时性有待提高。", True),
        (2021, "存在的主要问题及改进情况", "一是公开内容不够全面；二是解读形式单一。下一步将加强培训。", True),
    ]


def test_great_expectations_agrees_with_sql_on_every_rule(gov):
    keys = [
        "report_id",
        "related_report_id",
        "parent_indicator_code",
        "child_indicator_code",
        "breakdown",
        "relation_id",
    ]
    for rule in quality.load_rules().iter_rows(named=True):
        frame = sql(gov, f"select * from {EVALS} where rule_id = ? order by evaluation_id", [rule["rule_id"]])
        result = quality.validate(rule["rule_id"], rule["expectation_suite"], frame)
        failed = frame.filter(~pl.col("holds"))
        assert result.success is (failed.height == 0), rule["rule_id"]
        assert result.evaluated == frame.height
        assert sorted(result.unexpected.select(keys).rows(), key=str) == sorted(failed.select(keys).rows(), key=str)


def test_dagster_check_of_a_cross_year_rule_names_both_files(gov):
    frame = sql(gov, f"select * from {EVALS} where rule_id = 'gov_t3_carry_over'")
    result = quality.validate("gov_t3_carry_over", "equal_values", frame)
    assert not result.success
    assert result.offending_reports == ["gov/a_2021.txt", "gov/a_2022.txt"]
    assert set(result.unexpected["related_report_id"]) == {"ga21"}


def _scoped(db: Path, invocation_id: str | None) -> dict[str, quality.RuleCheck]:
    """Every rule's check as the Dagster step runs it: the scoped query, then GE per rule."""
    suites = dict(quality.load_rules().select("rule_id", "expectation_suite").iter_rows())
    with warehouse.connect(db, read_only=True) as con:
        batches = list(quality.read_scoped_evaluations(con, suites, invocation_id, 64))
    return {c.rule_id: c for c in quality.check_rules(suites, batches, invocation_id)}


def test_scoped_checks_of_a_full_build_validate_every_row(gov):
    invocation = sql(gov, f"select distinct dbt_invocation_id from {EVALS}")["dbt_invocation_id"].to_list()
    assert len(invocation) == 1  # a full build: one invocation wrote every row
    checks = _scoped(gov, invocation[0])
    totals = dict(sql(gov, f"select rule_id, count(*) from {EVALS} group by 1").rows())
    for rule_id, check in checks.items():
        assert check.evaluated == totals.get(rule_id, 0) and check.carried_violations == 0, rule_id
    failed = {rule_id for rule_id, check in checks.items() if not check.success}
    violated = set(sql(gov, f"select distinct rule_id from {VIOLATIONS}")["rule_id"])
    assert failed == violated and {p[2] for p in PLANTED} <= failed
    carry = checks["gov_t3_carry_over"]
    assert carry.offending_reports == ["gov/a_2021.txt", "gov/a_2022.txt"]
    assert quality.failure_description(carry) == "2 violation(s) in 2 report(s): gov/a_2021.txt, gov/a_2022.txt"


def test_scoped_checks_of_an_unchanged_refresh_carry_the_full_builds_verdicts(gov):
    """A later build that rewrote no row: GE validates nothing, and every verdict is the full build's."""
    full = _scoped(gov, None)
    refresh = _scoped(gov, "a-later-invocation")
    assert refresh.keys() == full.keys()
    for rule_id, check in refresh.items():
        assert check.evaluated == 0, rule_id
        assert check.success is full[rule_id].success, rule_id
        assert check.carried_violations == check.violations == full[rule_id].violations, rule_id
        assert check.offending_reports == full[rule_id].offending_reports, rule_id


#: A corrected 2021 report of agency A, published later (so it is current): its 结转下年度 is 3 / 1 / 1.
CORRECTED_2021 = """
insert into staging.raw_files (path, size_bytes, mtime_ns, sha256) values
    ('gov/a_2021_corrected.txt', 9100, 1700000000000000000, 'ga21b');
insert into staging.stg_reports (
    report_id, source_file, title, agency_name, agency_short_name, agency_level, province, city, county,
    region_source, report_year, publish_date, template, cleaning_flags, parser_version
) values (
    'ga21b', 'gov/a_2021_corrected.txt', '沙坡头区文昌镇2021年政府信息公开工作年度报告（更正）', '沙坡头区文昌镇',
    '文昌镇', '乡镇', '宁夏回族自治区', '中卫市', '沙坡头区', 'title', 2021, date '2022-03-01', 'gov2021', [], '3'
);
insert into staging.stg_indicator_values (
    report_id, indicator_code, breakdown, raw_value, value, qualifier, source_kind
)
select 'ga21b', 't3_carried_forward', breakdown, cast(value as varchar), value, 'exact', 'table'
from (values ('自然人', 3.0), ('商业企业', 1.0), ('科研机构', 0.0), ('社会公益组织', 0.0), ('法律服务机构', 0.0),
             ('其他', 1.0), ('总计', 5.0)) as v (breakdown, value);
"""


def test_cross_year_rule_reruns_when_a_year_is_corrected(tmp_path):
    """Once a corrected 2021 report supersedes the first one, the 2022 report is compared with the
    correction (and the link now holds), and the superseded 2021 report is no longer compared with 2020."""
    db = build_warehouse(
        tmp_path / "corrected.duckdb", ["staging_rows.sql", "gov_staging_rows.sql"], extra_sql=CORRECTED_2021
    )
    links = sql(
        db,
        f"select report_id, related_report_id, count(*), count(*) filter (where not holds) from {EVALS}"
        " where rule_id = 'gov_t3_carry_over' and report_id like 'ga%' group by all order by all",
    )
    assert links.rows() == [("ga22", "ga21b", 7, 0)]
    assert sql(db, f"select count(*) from {VIOLATIONS} where rule_id = 'gov_t3_carry_over'").item() == 0


def test_scoped_checks_after_an_incremental_refresh_equal_a_full_builds(gov, tmp_path):
    """The gov warehouse refreshed by a second, incremental `dbt build` after the corrected 2021 report
    arrives: the scoped checks (GE on the refresh's rows, the older rows' violations carried) give every
    rule the verdict, violations and reports that validating every row gives, GE validating far fewer rows."""
    db = tmp_path / "refreshed.duckdb"
    shutil.copy(gov, db)
    first = sql(db, f"select distinct dbt_invocation_id from {EVALS}")["dbt_invocation_id"].to_list()
    with warehouse.connect(db) as con:
        con.execute(CORRECTED_2021)
    proc = subprocess.run(
        [str(DBT) if DBT.exists() else "dbt", "build", "--profiles-dir", ".", "--target-path", "target/test_models"],
        cwd=ROOT / "dbt_project",
        env={**os.environ, "XXGK_WAREHOUSE": str(db)},
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout[-5000:]
    invocations = sql(db, f"select dbt_invocation_id, count(*) as n from {EVALS} group by 1")
    [refresh] = [i for i in invocations["dbt_invocation_id"] if i not in first]
    written = dict(invocations.rows())[refresh]
    # the refresh rewrote the rows of the correction, the version it supersedes and the 2022 report linked to it
    rewritten = sql(db, f"select distinct report_id from {EVALS} where dbt_invocation_id = ? order by 1", [refresh])
    assert rewritten["report_id"].to_list() == ["ga21", "ga21b", "ga22"]
    assert 0 < written < invocations["n"].sum() / 2

    scoped, full = _scoped(db, refresh), _scoped(db, None)
    for rule_id, check in scoped.items():
        assert check.success is full[rule_id].success, rule_id
        assert check.violations == full[rule_id].violations, rule_id
        assert check.offending_reports == full[rule_id].offending_reports, rule_id
    assert sum(c.evaluated for c in scoped.values()) == written
    # the carry-over now holds (2022 is compared with the correction), validated in this build's rows
    carry = scoped["gov_t3_carry_over"]
    assert carry.success and carry.evaluated > 0 and carry.carried_violations == 0
    # gc19 (2019) was not re-evaluated: its violations are carried, and still named; GE validated only
    # the refreshed reports' balance rows
    balance = scoped["gov_t3_balance"]
    assert not balance.success and 0 < balance.evaluated < full["gov_t3_balance"].evaluated
    assert balance.carried_violations == 2 and balance.offending_reports == ["gov/c_2019.txt"]
