"""dbt models on hand-made staging rows (superseded versions, blanks, prose values, untitled reports):
`dbt build` (seeds, models, data tests, unit tests) passes and the marts say what the rows imply."""

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


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("dbt") / "fixture.duckdb"
    with warehouse.connect(db) as con:
        warehouse.ensure_staging(con)
        con.execute((FIXTURES / "dbt" / "staging_rows.sql").read_text(encoding="utf-8"))
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


@pytest.mark.parametrize(
    ("what", "sql", "expected"),
    [
        (
            "one violation: r2 staff sum",
            "select string_agg(report_id || ':' || rule_id, ',') from marts.fct_check_violation",
            "r2:pre_staff_total_sum",
        ),
        ("r2 staff difference", "select difference from marts.fct_check_violation", -2.0),
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
        ("no rules on narrative reports", f"select count(*) from {EVALS} where report_id in ('r3', 'r4')", 0),
        (
            "current versions",
            "select string_agg(report_id, ',' order by report_id) from marts.dim_report where is_current",
            "r1,r2,r3,r4",
        ),
        (
            "r0 and r1 are one agency",
            "select count(distinct agency_id) from marts.dim_report where report_id in ('r0', 'r1')",
            1,
        ),
        ("agencies", "select count(*) from marts.dim_agency", 3),
        ("agency-years", f"select count(*) from {AGENCY_YEAR}", 3),
        ("r2 staff_total stays 0", f"select staff_total from {AGENCY_YEAR} where report_id = 'r2'", 0.0),
        ("r1 blank -> NULL", f"select complaints is null from {AGENCY_YEAR} where report_id = 'r1'", True),
        (
            "r1 proactive from table",
            f"select proactive_items from {AGENCY_YEAR} where report_id = 'r1'",
            1815.0,
        ),
        ("r3 narrative prose value", f"select trainees from {AGENCY_YEAR} where report_id = 'r3'", 19.0),
        ("r3 stated none -> 0", f"select requests_received from {AGENCY_YEAR} where report_id = 'r3'", 0.0),
        ("r3 absent -> NULL", f"select trainings is null from {AGENCY_YEAR} where report_id = 'r3'", True),
        (
            "violation counts",
            f"select string_agg(report_id || '=' || violation_count, ',' order by report_id) from {AGENCY_YEAR}",
            "r1=0,r2=1,r3=0",
        ),
        (
            "2018: reports/agencies/without agency/with table/with violations",
            "select concat_ws('/', reports, agencies, reports_without_agency, reports_with_table,"
            " reports_with_violations) from marts.mart_year where report_year = 2018",
            "3/2/1/2/1",
        ),
        ("values kept incl. superseded", "select count(*) from marts.fct_indicator_value", 53),
    ],
)
def test_marts_on_fixture(built, what, sql, expected):
    assert warehouse.query(built, sql).item() == expected, what
