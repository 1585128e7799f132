"""The checks of one build: GE validates only the rows that build's dbt invocation wrote; the violations of
rows earlier invocations wrote are carried, so a rule fails after a refresh exactly when a full build would."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import polars as pl
import pytest

from orchestration.lib import quality
from orchestration.lib import warehouse as wh

OLD, NEW = "inv-old", "inv-new"


def rows(*rows: tuple) -> pl.DataFrame:
    """(rule_id, dbt_invocation_id, report_id, parent_value, children_value, holds) → SCOPED_SCHEMA rows."""
    records = [
        {
            "rule_id": rule,
            "dbt_invocation_id": inv,
            "holds": holds,
            "report_id": report,
            "source_file": f"{report}.txt",
            "parent_indicator_code": "pre_staff_total",
            "parent_value": parent,
            "children_value": children,
        }
        for rule, inv, report, parent, children, holds in rows
    ]
    return pl.DataFrame(records, schema=quality.SCOPED_SCHEMA)


#: pre_staff_total_sum: two consistent rows of this build, one violation carried from an earlier build;
#: pre_lawsuits_sum: consistent this build and earlier; pre_non_negative: a violation of this build, a NULL
#: verdict earlier (no violation, as in fct_check_violation); pre_meetings… none: a rule without rows.
EVALUATIONS = rows(
    ("pre_staff_total_sum", NEW, "n1", 3.0, 3.0, True),
    ("pre_staff_total_sum", NEW, "n2", 0.0, 0.0, True),
    ("pre_staff_total_sum", OLD, "o1", 2.0, 5.0, False),
    ("pre_staff_total_sum", OLD, "o2", 4.0, 4.0, True),
    ("pre_lawsuits_sum", NEW, "n1", 1.0, 1.0, True),
    ("pre_lawsuits_sum", OLD, "o1", 2.0, 2.0, True),
    ("pre_non_negative", NEW, "n3", -1.0, 0.0, False),
    ("pre_non_negative", NEW, "n1", 5.0, 0.0, True),
    ("pre_non_negative", OLD, "o3", None, 0.0, None),
)
SUITES = {
    "pre_staff_total_sum": "equal_values",
    "pre_lawsuits_sum": "equal_values",
    "pre_non_negative": "non_negative",
    "pre_reconsiderations_sum": "equal_values",
}


def batches(frame: pl.DataFrame, size: int) -> list[pl.DataFrame]:
    return [frame.slice(i, size) for i in range(0, frame.height, size)]


def by_rule(checks) -> dict[str, quality.RuleCheck]:
    return {c.rule_id: c for c in checks}


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "w.duckdb"
    extra = EVALUATIONS.with_columns(evaluation_id=pl.int_range(pl.len()).cast(pl.String), detail=pl.lit("x"))
    with wh.connect(path) as con:
        con.execute("create schema intermediate")
        con.register("extra", extra.to_arrow())
        con.execute(f"create table {quality.EVALUATIONS_TABLE} as select * from extra")
    return path


def read(db: Path, rule_ids, invocation_id, batch_rows: int = 2) -> list[pl.DataFrame]:
    with wh.connect(db, read_only=True) as con:
        return list(quality.read_scoped_evaluations(con, rule_ids, invocation_id, batch_rows))


def test_query_reads_this_builds_rows_and_earlier_violations_only(db):
    frame = pl.concat(read(db, SUITES, NEW))
    assert frame.columns == list(quality.SCOPED_SCHEMA)
    got = frame.select("rule_id", "dbt_invocation_id", "report_id").rows()
    rules_read = [rule for rule, _, _ in got]
    assert rules_read == sorted(rules_read)  # ordered by rule (check_rules streams rule by rule), no more
    assert sorted(got) == [
        ("pre_lawsuits_sum", NEW, "n1"),
        ("pre_non_negative", NEW, "n1"),
        ("pre_non_negative", NEW, "n3"),
        ("pre_staff_total_sum", NEW, "n1"),
        ("pre_staff_total_sum", NEW, "n2"),
        ("pre_staff_total_sum", OLD, "o1"),  # the carried violation; o2 holds, o3 is NULL: not read
    ]


def test_query_reads_only_the_selected_rules(db):
    frame = pl.concat(read(db, ["pre_lawsuits_sum"], NEW))
    assert frame.select("rule_id", "report_id").rows() == [("pre_lawsuits_sum", "n1")]


def test_query_without_invocation_reads_every_row(db):
    frame = pl.concat(read(db, SUITES, None))
    assert frame.height == EVALUATIONS.height == 9


def test_carried_violation_fails_the_rule_and_names_its_report(db):
    checks = by_rule(quality.check_rules(SUITES, read(db, SUITES, NEW), NEW))
    staff = checks["pre_staff_total_sum"]
    assert not staff.success and staff.validated.success  # this build's rows are consistent
    assert (staff.evaluated, staff.carried_violations, staff.violations) == (2, 1, 1)
    assert staff.offending_reports == ["o1.txt"]
    assert staff.offending.select("report_id", "parent_value", "children_value").rows() == [("o1", 2.0, 5.0)]
    assert quality.failure_description(staff) == "1 violation(s) in 1 report(s): o1.txt (1 carried from earlier builds)"


def test_consistent_older_rows_do_not_fail_the_rule(db):
    checks = by_rule(quality.check_rules(SUITES, read(db, SUITES, NEW), NEW))
    lawsuits = checks["pre_lawsuits_sum"]
    assert lawsuits.success and (lawsuits.evaluated, lawsuits.carried_violations, lawsuits.violations) == (1, 0, 0)
    assert lawsuits.offending_reports == []


def test_violation_of_this_build_found_by_ge_null_verdict_of_earlier_rows_is_none(db):
    checks = by_rule(quality.check_rules(SUITES, read(db, SUITES, NEW), NEW))
    negative = checks["pre_non_negative"]
    assert not negative.success and not negative.validated.success
    assert (negative.evaluated, negative.carried_violations, negative.violations) == (2, 0, 1)
    assert negative.offending_reports == ["n3.txt"]
    assert quality.failure_description(negative) == "1 violation(s) in 1 report(s): n3.txt"


def test_rule_without_rows_passes_and_every_rule_gets_one_result(db):
    checks = list(quality.check_rules(SUITES, read(db, SUITES, NEW), NEW))
    assert sorted(c.rule_id for c in checks) == sorted(SUITES)
    empty = by_rule(checks)["pre_reconsiderations_sum"]
    assert empty.success and empty.evaluated == 0 and empty.carried_violations == 0


def test_without_invocation_id_every_row_is_validated(db):
    checks = by_rule(quality.check_rules(SUITES, read(db, SUITES, None), None))
    staff = checks["pre_staff_total_sum"]
    assert staff.evaluated == 4 and staff.carried_violations == 0  # GE validated the old rows too
    assert not staff.validated.success and staff.validated.offending_reports == ["o1.txt"]
    assert checks["pre_lawsuits_sum"].success and checks["pre_lawsuits_sum"].evaluated == 2
    assert checks["pre_non_negative"].evaluated == 3  # the NULL row too: GE ignores missing values
    assert not checks["pre_non_negative"].success


def test_a_later_build_that_rewrote_every_row_carries_nothing():
    # a full build: every row has the build's invocation id, so all are validated and none carried
    full = EVALUATIONS.with_columns(dbt_invocation_id=pl.lit(NEW))
    checks = by_rule(quality.check_rules(SUITES, [full.sort("rule_id")], NEW))
    assert checks["pre_staff_total_sum"].evaluated == 4 and checks["pre_staff_total_sum"].carried_violations == 0
    assert not checks["pre_staff_total_sum"].success
    assert checks["pre_lawsuits_sum"].evaluated == 2 and checks["pre_lawsuits_sum"].success


def test_an_older_builds_rows_only_are_all_carried_or_skipped():
    # a build that rewrote none of the rule's rows (an unchanged refresh): nothing for GE, the verdict carried
    frame = EVALUATIONS.filter(pl.col("dbt_invocation_id") == OLD)
    check = quality.check_rule(
        "pre_staff_total_sum", "equal_values", frame.filter(pl.col("rule_id") == "pre_staff_total_sum"), NEW
    )
    assert check.evaluated == 0 and check.validated.success
    assert not check.success and check.carried_violations == 1 and check.offending_reports == ["o1.txt"]


def test_carried_cross_year_violation_names_both_reports():
    frame = rows(("gov_t3_carry_over", OLD, "r22", 3.0, 4.0, False)).with_columns(
        related_report_id=pl.lit("r21"), related_source_file=pl.lit("r21.txt")
    )
    check = quality.check_rule("gov_t3_carry_over", "equal_values", frame, NEW)
    assert not check.success and check.offending_reports == ["r21.txt", "r22.txt"]


def test_rule_parts_follow_a_rule_across_batches():
    ordered = EVALUATIONS.sort("rule_id", maintain_order=True)
    got = [(rule, frame["report_id"].to_list()) for rule, frame in quality.rule_parts(batches(ordered, 2))]
    assert got == [
        ("pre_lawsuits_sum", ["n1", "o1"]),
        ("pre_non_negative", ["n3", "n1"]),
        ("pre_non_negative", ["o3"]),
        ("pre_staff_total_sum", ["n1"]),
        ("pre_staff_total_sum", ["n2", "o1"]),
        ("pre_staff_total_sum", ["o2"]),
    ]
    assert list(quality.rule_parts([])) == []


def test_rule_parts_refuse_unordered_rows():
    with pytest.raises(ValueError, match="pre_staff_total_sum again"):
        list(quality.rule_parts([EVALUATIONS, EVALUATIONS.head(1)]))


@pytest.mark.parametrize("batch_rows", [1, 2, 3, 100])
def test_a_rule_checked_batch_by_batch_has_the_verdict_of_all_its_rows(batch_rows: int):
    # GE validates each batch of a rule's rows; the merged check equals one validation of every row
    ordered = EVALUATIONS.sort("rule_id", maintain_order=True)
    whole = by_rule(quality.check_rules(SUITES, [ordered], NEW))
    parts = by_rule(quality.check_rules(SUITES, batches(ordered, batch_rows), NEW))
    assert sorted(parts) == sorted(whole) == sorted(SUITES)
    for rule_id, check in whole.items():
        got = parts[rule_id]
        assert (got.success, got.evaluated, got.carried_violations, got.violations) == (
            check.success,
            check.evaluated,
            check.carried_violations,
            check.violations,
        ), rule_id
        assert got.offending.sort("report_id").equals(check.offending.sort("report_id")), rule_id
        assert got.offending_reports == check.offending_reports
    assert not parts["pre_staff_total_sum"].success and parts["pre_lawsuits_sum"].success


def test_latest_invocation_id_of_the_evaluations_materialization():
    from orchestration.defs.quality.checks import EVALUATIONS_KEY, latest_invocation_id

    with dg.DagsterInstance.ephemeral() as instance:
        assert latest_invocation_id(instance) is None
        instance.report_runless_asset_event(dg.AssetMaterialization(EVALUATIONS_KEY, metadata={"rows": 3}))
        assert latest_invocation_id(instance) is None  # materialized without an invocation id
        for invocation in (OLD, NEW):
            instance.report_runless_asset_event(
                dg.AssetMaterialization(EVALUATIONS_KEY, metadata={"invocation_id": invocation})
            )
        assert latest_invocation_id(instance) == NEW


def test_one_step_subsets_to_the_selected_rules_with_one_result_each(db, tmp_path):
    """The multi check run for two rules only: one evaluation per selected rule, scoped to the latest
    materialization's invocation."""
    from orchestration.defs.ingest.resources import XxgkWarehouse
    from orchestration.defs.quality.checks import EVALUATIONS_KEY, rule_checks

    selected = [dg.AssetCheckKey(EVALUATIONS_KEY, f"rule_{r}") for r in ("pre_staff_total_sum", "pre_lawsuits_sum")]
    defs = dg.Definitions(
        assets=[dg.AssetSpec(EVALUATIONS_KEY)],
        asset_checks=rule_checks,
        jobs=[dg.define_asset_job("two_rules", selection=dg.AssetSelection.checks(*selected))],
        resources={"warehouse": XxgkWarehouse(warehouse=str(db), raw_dir=str(tmp_path))},
    )
    with dg.DagsterInstance.ephemeral() as instance:
        instance.report_runless_asset_event(dg.AssetMaterialization(EVALUATIONS_KEY, metadata={"invocation_id": NEW}))
        result = defs.resolve_job_def("two_rules").execute_in_process(instance=instance)
    assert result.success
    assert len(result.get_step_success_events()) == 1
    evaluations = {e.check_name: e for e in result.get_asset_check_evaluations()}
    assert sorted(evaluations) == ["rule_pre_lawsuits_sum", "rule_pre_staff_total_sum"]
    staff, lawsuits = evaluations["rule_pre_staff_total_sum"], evaluations["rule_pre_lawsuits_sum"]
    assert not staff.passed and lawsuits.passed
    assert staff.description == "1 violation(s) in 1 report(s): o1.txt (1 carried from earlier builds)"
    meta = {k: v.value for k, v in staff.metadata.items()}
    assert meta["expectation_suite"] == "equal_values" and meta["dbt_invocation_id"] == NEW
    counts = ("evaluated", "carried_violations", "violations")
    assert [meta[k] for k in counts] == [2, 1, 1]
    assert "evaluated_this_build" not in meta  # evaluated says it: the rows of this build
    assert meta["offending_reports"] == ["o1.txt"] and "o1" in meta["offending_rows"]
    assert lawsuits.metadata["evaluated"].value == 1 and lawsuits.metadata["offending_reports"].value == []
