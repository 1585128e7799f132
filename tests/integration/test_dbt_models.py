"""dbt models on hand-made staging rows (superseded versions, blanks, prose values and prose sums,
agencies across a title prefix change, untitled reports): `dbt build` (seeds, models, data tests, unit
tests) passes and the marts say what the rows imply."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from orchestration.lib import warehouse
from tests.conftest import FIXTURES, ROOT

pytestmark = pytest.mark.integration

EVALS = "intermediate.int_rule_evaluations"
AGENCY_YEAR = "marts.mart_agency_year"
DBT = ROOT / ".venv" / "bin" / "dbt"


def build_warehouse(db: Path, fixtures: list[str], extra_sql: str = "") -> Path:
    """A throw-away warehouse: staging tables from the contract, the fixture SQL files (tests/fixtures/dbt)
    loaded in order (then extra_sql), then `dbt build` (seeds, models, data tests, unit tests), which must
    pass."""
    with warehouse.connect(db) as con:
        warehouse.ensure_staging(con)
        for name in fixtures:
            con.execute((FIXTURES / "dbt" / name).read_text(encoding="utf-8"))
        if extra_sql:
            con.execute(extra_sql)
    env = {**os.environ, "XXGK_WAREHOUSE": str(db)}
    proc = subprocess.run(
        [
            str(DBT) if DBT.exists() else "dbt",
            "build",
            "--profiles-dir",
            ".",
            "--target-path",
            "target/test_models",
        ],
        cwd=ROOT / "dbt_project",
        env=env,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout[-5000:]
    return db


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return build_warehouse(tmp_path_factory.mktemp("dbt") / "fixture.duckdb", ["staging_rows.sql"])


@pytest.mark.parametrize(
    ("what", "sql", "expected"),
    [
        # table rules -------------------------------------------------------------------------------
        (
            "violations: r2 staff sum and text vs table, r5 prose sum",
            "select string_agg(report_id || ':' || rule_id, ',' order by report_id, rule_id)"
            " from marts.fct_check_violation",
            "r2:pre_staff_total_sum,r2:text_vs_table,r5:prose_sum",
        ),
        (
            "r2 staff difference",
            "select difference from marts.fct_check_violation where rule_id = 'pre_staff_total_sum'",
            -2.0,
        ),
        (
            "r1 received sum evaluated and holds",
            f"select holds from {EVALS} where report_id = 'r1' and rule_id = 'pre_requests_received_sum'",
            True,
        ),
        (
            "r1 completed sum skipped (blank child)",
            f"select count(*) from {EVALS} where report_id = 'r1' and rule_id = 'pre_requests_completed_sum'",
            0,
        ),
        (
            "no table rules on narrative reports",
            f"select count(*) from {EVALS} where report_id in ('r3', 'r4', 'r5', 'r6', 'r7')"
            " and rule_kind not in ('prose_sum', 'text_vs_table')",
            0,
        ),
        (
            "table rules never read prose values (r1 prose 1200 not bounded by the channel rule)",
            f"select count(*) from {EVALS} where report_id = 'r1' and rule_kind = 'at_most_parent'"
            " and parent_value = 1200",
            0,
        ),
        (
            "every evaluation carries its rule's suite",
            "select string_agg(distinct rule_kind || '>' || expectation_suite, ','"
            f" order by rule_kind || '>' || expectation_suite) from {EVALS}",
            "at_most_parent>at_most_parent,non_negative>non_negative,prose_sum>equal_values,"
            "sum_equals>equal_values,text_vs_table>equal_values",
        ),
        # prose sums --------------------------------------------------------------------------------
        (
            "r7 prose sums 606 = 106 + 500 and 106 = 30+47+10+11+5+3 hold",
            f"select string_agg(relation_id || '=' || parent_value || '/' || children_value || '/' || holds, ','"
            f" order by relation_id) from {EVALS} where report_id = 'r7' and rule_id = 'prose_sum'",
            "prose_sum_1=606.0/606.0/true,prose_sum_2=106.0/106.0/true",
        ),
        (
            "r2 prose sum 33 = 17 + 15 + 1 holds",
            f"select holds from {EVALS} where report_id = 'r2' and rule_id = 'prose_sum'",
            True,
        ),
        (
            "r5 prose sum 50 <> 20 + 25 fails",
            "select relation_id || ':' || parent_value || '/' || children_value from marts.fct_check_violation"
            " where report_id = 'r5'",
            "prose_sum_1:50.0/45.0",
        ),
        (
            "r5 prose sum with a blank part not evaluated",
            f"select count(*) from {EVALS} where report_id = 'r5' and relation_id = 'prose_sum_2'",
            0,
        ),
        # text vs table -----------------------------------------------------------------------------
        (
            "r1 requests restated exactly in prose: agrees",
            f"select holds from {EVALS} where report_id = 'r1' and rule_id = 'text_vs_table'"
            " and parent_indicator_code = 'pre_requests_received'",
            True,
        ),
        (
            "r1 1200余条 (at_least) not compared with the table",
            f"select count(*) from {EVALS} where report_id = 'r1' and rule_id = 'text_vs_table'"
            " and parent_indicator_code = 'pre_proactive_items'",
            0,
        ),
        (
            "r2 meetings: table 2, prose 3",
            "select parent_indicator_code || ':' || parent_value || '/' || children_value"
            " from marts.fct_check_violation where rule_id = 'text_vs_table'",
            "pre_meetings:2.0/3.0",
        ),
        # reports and agencies ----------------------------------------------------------------------
        (
            "current versions",
            "select string_agg(report_id, ',' order by report_id) from marts.dim_report where is_current",
            "r1,r2,r3,r4,r5,r6,r7",
        ),
        (
            "r0 and r1 are one agency",
            "select count(distinct agency_id) from marts.dim_report where report_id in ('r0', 'r1')",
            1,
        ),
        (
            "观水镇 2017 (region from text) and 牟平区观水镇 2018 (region from title) are one agency",
            "select count(distinct agency_id) from marts.dim_report where report_id in ('r3', 'r5')",
            1,
        ),
        (
            "the 观水镇 of another county is another agency",
            "select count(distinct agency_id) from marts.dim_report where report_id in ('r3', 'r6')",
            2,
        ),
        (
            "观水镇 (牟平区): latest name, region, years",
            "select concat_ws('/', agency_name, agency_short_name, province, city, county, region_source, first_year,"
            " last_year, n_reports) from marts.dim_agency where agency_id = (select agency_id from marts.dim_report"
            " where report_id = 'r3')",
            "牟平区观水镇/观水镇/山东省/烟台市/牟平区/title/2017/2018/2",
        ),
        (
            "agency_id is the md5 prefix of province|city|county|short name",
            "select agency_id = substr(md5('山东省|烟台市|牟平区|观水镇'), 1, 16) from marts.dim_report"
            " where report_id = 'r3'",
            True,
        ),
        ("agencies", "select count(*) from marts.dim_agency", 5),
        ("agency-years", f"select count(*) from {AGENCY_YEAR}", 6),
        (
            "r7 contacts, region and cleaning flags in dim_report",
            "select concat_ws('/', contact_address, contact_postcode, contact_phone, province, city, county,"
            " region_source, array_to_string(cleaning_flags, ',')) from marts.dim_report where report_id = 'r7'",
            "仁寿县向家镇中心街南段66号/612500/028-37010111/四川省/眉山市/仁寿县/title/web_chrome,spam_injection",
        ),
        (
            "parse_error quarantine row passes through",
            "select quarantine_reason from staging.stg_xxgk__quarantine where report_id = 'q2'",
            "parse_error",
        ),
        # mart_agency_year --------------------------------------------------------------------------
        ("r2 staff_total stays 0", f"select staff_total from {AGENCY_YEAR} where report_id = 'r2'", 0.0),
        ("r1 blank -> NULL", f"select complaints is null from {AGENCY_YEAR} where report_id = 'r1'", True),
        (
            "r1 proactive from table",
            f"select proactive_items from {AGENCY_YEAR} where report_id = 'r1'",
            1815.0,
        ),
        (
            "r1: the table's exact value wins over 1200余, nothing inexact",
            f"select len(inexact_headlines) from {AGENCY_YEAR} where report_id = 'r1'",
            0,
        ),
        ("r3 narrative prose value", f"select trainees from {AGENCY_YEAR} where report_id = 'r3'", 19.0),
        ("r3 stated none -> 0", f"select requests_received from {AGENCY_YEAR} where report_id = 'r3'", 0.0),
        ("r3 absent -> NULL", f"select trainings is null from {AGENCY_YEAR} where report_id = 'r3'", True),
        (
            "r7 (seed 001) headline figures from prose",
            "select concat_ws('/', proactive_items, meetings, trainings, trainees, requests_received, reconsiderations,"
            f" lawsuits, fees_wan_yuan) from {AGENCY_YEAR} where report_id = 'r7'",
            "606.0/3.0/4.0/100.0/0.0/0.0/0.0/0.0",
        ),
        (
            "r7 100余人次 is flagged",
            f"select array_to_string(inexact_headlines, ',') from {AGENCY_YEAR} where report_id = 'r7'",
            "trainees:at_least",
        ),
        (
            "r7 stated none",
            f"select array_to_string(stated_none_headlines, ',') from {AGENCY_YEAR} where report_id = 'r7'",
            "requests_received,reconsiderations,lawsuits,fees_wan_yuan",
        ),
        (
            "violation counts",
            f"select string_agg(report_id || '=' || violation_count, ',' order by report_id) from {AGENCY_YEAR}",
            "r1=0,r2=2,r3=0,r5=1,r6=0,r7=0",
        ),
        (
            "2018: reports/agencies/without agency/with table/with violations/with inexact headlines",
            "select concat_ws('/', reports, agencies, reports_without_agency, reports_with_table,"
            " reports_with_violations, reports_with_inexact_headlines) from marts.mart_year where report_year = 2018",
            "6/5/1/2/2/1",
        ),
        # values ------------------------------------------------------------------------------------
        ("values kept incl. superseded", "select count(*) from marts.fct_indicator_value", 83),
        (
            "prose values keep their evidence",
            "select count(*) from marts.fct_indicator_value where source_kind = 'prose' and evidence is null",
            0,
        ),
        (
            "no gov rule is evaluated on pre2019 and narrative reports",
            f"select count(*) from {EVALS} where rule_id like 'gov%'",
            0,
        ),
        ("no sections outside gov reports", "select count(*) from marts.fct_report_section", 0),
        (
            "pre2019 reports have no carry-over columns",
            f"select count(*) from {AGENCY_YEAR} where requests_carried_over is not null"
            " or requests_carried_forward is not null",
            0,
        ),
        (
            "dim_indicator: one row per code, pre2019 codes in one family",
            "select count(*) = count(distinct indicator_code) and bool_and(templates = ['pre2019_table'])"
            " from marts.dim_indicator where indicator_code like 'pre_%'",
            True,
        ),
        (
            "prose-only indicators come from the catalogue seed",
            "select count(*) from marts.dim_indicator where template = 'prose'"
            " and indicator_code in (select indicator_code from marts.fct_indicator_value)",
            4,
        ),
    ],
)
def test_marts_on_fixture(built, what, sql, expected):
    assert warehouse.query(built, sql).item() == expected, what
