"""The whole path on the seeds and our own test reports: Dagster → polars → DuckDB → dbt → GE."""

from __future__ import annotations

import polars as pl
import pytest

from tests.conftest import SEED_FILES

pytestmark = pytest.mark.integration

SEED_NAMES = list(SEED_FILES.values())


def value_of(pipeline, seed: str, code: str):
    frame = pipeline.sql(
        """
        select v.value from marts.fct_indicator_value v join marts.dim_report r using (report_id)
        where r.source_file = ? and v.indicator_code = ? and v.source_kind = 'table'
        """,
        [SEED_FILES[seed], code],
    )
    assert frame.height == 1, (seed, code, frame)
    return frame.item()


def test_run_succeeds_in_a_fresh_dagster_home(pipeline):
    assert pipeline.results[0].success


def test_seeds_in_dim_report_with_agency_and_year(pipeline):
    reports = pipeline.sql(
        """
        select r.source_file, a.agency_name, r.report_year, r.template
        from marts.dim_report r join marts.dim_agency a using (agency_id)
        where r.source_file like '00%' order by r.source_file
        """
    )
    assert reports.rows() == [
        (SEED_FILES["000"], "灵武市临河镇", 2018, "pre2019_table"),
        (SEED_FILES["001"], "仁寿县向家镇", 2018, "narrative"),
        (SEED_FILES["002"], "沙坡头区机关事务局", 2018, "pre2019_table"),
        (SEED_FILES["003"], "观水镇", 2017, "narrative"),
        (SEED_FILES["004"], "复兴乡", 2018, "narrative"),
    ]


@pytest.mark.parametrize(
    ("seed", "code", "expected"),
    [
        ("000", "pre_channel_website", 34),
        ("000", "pre_channel_other", 1211),
        ("000", "pre_inspection_points", 1),
        ("000", "pre_trainees", 4),
        ("000", "pre_proactive_items", 0),
        ("000", "pre_s1_proactive", 1815),
        ("000", "pre_staff_total", 3),
        ("002", "pre_proactive_items", 83),
        ("002", "pre_channel_weibo", 29),
        ("002", "pre_response_weibo_wechat", 1),
        ("002", "pre_meetings", 2),
        ("002", "pre_staff_total", 0),
        ("002", "pre_staff_full_time", 1),
    ],
)
def test_table_values_exact(pipeline, seed, code, expected):
    assert value_of(pipeline, seed, code) == expected


def test_every_table_row_loaded_zeros_stay_zero(pipeline):
    counts = pipeline.sql(
        """
        select r.source_file, count(*) as rows_, count(v.value) as stated,
               count(*) filter (where v.value = 0) as zeros
        from marts.fct_indicator_value v join marts.dim_report r using (report_id)
        where r.source_file in (?, ?) and v.source_kind = 'table' group by 1 order by 1
        """,
        [SEED_FILES["000"], SEED_FILES["002"]],
    )
    # 65 catalogue rows each; blank header cells are NULL (000: 6 blank headers, 002: 2), never 0.
    assert counts.rows() == [(SEED_FILES["000"], 65, 59, 50), (SEED_FILES["002"], 65, 63, 54)]
    blank = pipeline.sql(
        """
        select v.value, v.raw_value from marts.fct_indicator_value v join marts.dim_report r using (report_id)
        where r.source_file = ? and v.indicator_code = 'pre_s2_response' and v.source_kind = 'table'
        """,
        [SEED_FILES["000"]],
    )
    assert blank.rows() == [(None, "")]


def test_violations_are_exactly_the_real_and_planted_ones(pipeline):
    violations = pipeline.sql(
        """
        select source_file, rule_id, parent_indicator_code, child_indicator_code,
               parent_value, children_value, difference
        from marts.fct_check_violation order by all
        """
    )
    assert violations.rows() == [
        (
            SEED_FILES["000"],
            "pre_channel_at_most_proactive",
            "pre_proactive_items",
            "pre_channel_other",
            0,
            1211,
            -1211,
        ),
        (
            SEED_FILES["000"],
            "pre_channel_at_most_proactive",
            "pre_proactive_items",
            "pre_channel_website",
            0,
            34,
            -34,
        ),
        (
            SEED_FILES["000"],
            "pre_channel_at_most_proactive",
            "pre_proactive_items",
            "pre_channel_weibo",
            0,
            30,
            -30,
        ),
        (SEED_FILES["002"], "pre_staff_total_sum", "pre_staff_total", None, 0, 2, -2),
        ("planted_error_2017.txt", "pre_requests_received_sum", "pre_requests_received", None, 7, 6, 1),
    ]


def test_violation_rows_carry_report_agency_and_year(pipeline):
    rows = pipeline.sql(
        """
        select distinct v.report_year, a.agency_name, v.rule_description
        from marts.fct_check_violation v join marts.dim_agency a using (agency_id) order by all
        """
    )
    assert rows["agency_name"].to_list() == ["贺兰县立岗镇", "沙坡头区机关事务局", "灵武市临河镇"]
    assert rows["report_year"].to_list() == [2017, 2018, 2018]


def test_dagster_checks_fail_naming_the_reports(pipeline):
    evaluations = {e.check_name: e for e in pipeline.results[0].get_asset_check_evaluations()}
    failed = {name: e.metadata["offending_reports"].value for name, e in evaluations.items() if not e.passed}
    rule_failures = {name: reports for name, reports in failed.items() if name.startswith("rule_")}
    assert rule_failures == {
        "rule_pre_channel_at_most_proactive": [SEED_FILES["000"]],
        "rule_pre_staff_total_sum": [SEED_FILES["002"]],
        "rule_pre_requests_received_sum": ["planted_error_2017.txt"],
    }
    passed_rules = {n for n, e in evaluations.items() if n.startswith("rule_") and e.passed}
    assert "rule_pre_requests_completed_sum" in passed_rules
    assert "rule_pre_non_negative" in passed_rules
    # dbt's own tests ran as asset checks too, and all pass
    assert all(e.passed for n, e in evaluations.items() if not n.startswith("rule_"))


def test_consistent_report_has_no_violation(pipeline):
    rows = pipeline.sql(
        """
        select r.source_file, m.violation_count, m.requests_received, m.staff_total, m.trainees
        from marts.mart_agency_year m join marts.dim_report r using (report_id)
        where r.source_file in ('consistent_2016.txt', 'planted_error_2017.txt') order by 1
        """
    )
    assert rows.rows() == [("consistent_2016.txt", 0, 6, 3, 12), ("planted_error_2017.txt", 1, 7, 3, 12)]


def test_quarantine_holds_empty_and_non_report(pipeline):
    rows = pipeline.sql("select source_file, reason from staging.stg_quarantine order by 1")
    assert rows.rows() == [("empty.txt", "empty_file"), ("not_a_report.txt", "not_a_report")]
    detail = pipeline.sql("select detail from staging.stg_quarantine where reason = 'not_a_report'").item()
    assert detail  # a human-readable reason
    files = pipeline.sql("select count(*) from staging.raw_files").item()
    reports = pipeline.sql("select count(*) from marts.dim_report").item()
    assert files == reports + rows.height == 9


def test_mart_agency_year_headlines(pipeline):
    row = pipeline.sql(
        """
        select m.* from marts.mart_agency_year m join marts.dim_report r using (report_id)
        where r.source_file = ?
        """,
        [SEED_FILES["002"]],
    ).row(0, named=True)
    assert row["report_year"] == 2018
    assert row["proactive_items"] == 83
    assert row["meetings"] == 2
    assert row["staff_total"] == 0
    assert row["trainees"] == 2
    assert row["violation_count"] == 1
    narrative = pipeline.sql(
        """
        select m.proactive_items, m.violation_count from marts.mart_agency_year m
        join marts.dim_report r using (report_id) where r.source_file = ?
        """,
        [SEED_FILES["003"]],
    )
    assert narrative.rows() == [(None, 0)]  # not stated stays NULL


def test_mart_year_totals(pipeline):
    years = pipeline.sql(
        "select report_year, reports, agencies, reports_with_table, reports_with_violations, proactive_items "
        "from marts.mart_year order by 1"
    )
    assert years.rows() == [
        (2016, 1, 1, 1, 0, 120),
        (2017, 2, 2, 1, 1, 120),
        (2018, 4, 4, 2, 2, 689),  # 000: 0 (table) + 001: 606 (prose) + 002: 83 (table)
    ]


def test_mart_indicator_year(pipeline):
    row = pipeline.sql(
        "select reports, total, min, max from marts.mart_indicator_year "
        "where indicator_code = 'pre_staff_total' and report_year = 2018"
    )
    assert row.rows() == [(2, 3.0, 0.0, 3.0)]


def _snapshot(pipeline) -> dict[str, pl.DataFrame]:
    tables = pipeline.sql("select table_name from information_schema.tables where table_schema = 'marts'")
    return {t: pipeline.sql(f"select * from marts.{t} order by all") for t in tables["table_name"].to_list()}


def test_second_run_reparses_nothing_and_marts_identical(pipeline):
    before = _snapshot(pipeline)
    result = pipeline.run()
    assert result.success
    parse = next(m for m in result.get_asset_materialization_events() if m.asset_key.path == ["staging", "stg_reports"])
    metadata = parse.materialization.metadata
    assert metadata["parsed_now"].value == 0
    assert metadata["skipped_unchanged"].value == 9
    after = _snapshot(pipeline)
    assert before.keys() == after.keys() and len(before) >= 8
    for table, frame in before.items():
        assert frame.equals(after[table]), table


def test_second_run_checks_carry_the_first_runs_verdicts(pipeline):
    """The unchanged refresh rewrote no evaluation row: its one check step validates nothing with GE, and each
    rule's check (one evaluation per rule) carries the first run's verdict, violations and reports."""
    if len(pipeline.results) < 2:
        pipeline.run()
    first, second = ({e.check_name: e for e in r.get_asset_check_evaluations()} for r in pipeline.results[:2])
    rules = {n for n in first if n.startswith("rule_")}
    assert rules == {n for n in second if n.startswith("rule_")} and len(rules) == 22
    invocations = pipeline.sql("select distinct dbt_invocation_id from intermediate.int_rule_evaluations")
    assert invocations.height == 1  # every row still the first build's
    built = invocations.item()
    for name in rules:
        before, after = first[name].metadata, second[name].metadata
        assert second[name].passed is first[name].passed, name
        assert before["dbt_invocation_id"].value == built != after["dbt_invocation_id"].value, name
        assert before["carried_violations"].value == 0 and after["evaluated"].value == 0, name
        assert after["carried_violations"].value == after["violations"].value == before["violations"].value, name
        assert after["offending_reports"].value == before["offending_reports"].value, name
    assert first["rule_pre_non_negative"].metadata["evaluated"].value > 0
    assert second["rule_pre_staff_total_sum"].metadata["offending_reports"].value == [SEED_FILES["002"]]
    steps = {e.step_key for e in pipeline.results[1].get_step_success_events()}
    assert "rule_multi_check" in steps and not any(s.startswith("rule_") and s != "rule_multi_check" for s in steps)
