"""One Dagster asset check per consistency rule, run through Great Expectations.

The rule list is data (dbt seed ``check_rules.csv``); each check reads the rule's
evaluation rows from DuckDB read-only and validates them with the GE suite the rule
names (``expectations/suites/<expectation_suite>.json``). A failed check names the
offending reports (for a cross-year rule both the later report and the earlier one it was compared
with); the same rows land in ``marts.fct_check_violation``. int_rule_evaluations is rebuilt on every
dbt build, so a cross-year rule runs again whenever either year's report changes.
"""

import dagster as dg
from dagster_dbt import get_asset_key_for_model

from orchestration.defs.ingest.resources import XxgkWarehouse
from orchestration.defs.transform.assets import xxgk_dbt_models
from orchestration.lib import quality
from orchestration.lib import warehouse as wh
from orchestration.lib.reporting import markdown_table

EVALUATIONS_KEY = get_asset_key_for_model([xxgk_dbt_models], "int_rule_evaluations")

_EVALUATIONS_SQL = f"""
select *
from {quality.EVALUATIONS_TABLE}
where rule_id = ?
order by source_file, related_source_file, parent_indicator_code, child_indicator_code, breakdown
"""


def _failure_description(result: quality.RuleResult, shown: int = 5) -> str:
    files = result.offending_reports
    named = ", ".join(files[:shown]) + (", …" if len(files) > shown else "")
    return f"{result.unexpected.height} violation(s) in {len(files)} report(s): {named}"


def rule_check(rule_id: str, suite: str, description: str) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=EVALUATIONS_KEY,
        name=f"rule_{rule_id}",
        description=f"{description} (Great Expectations suite `{suite}`)",
        blocking=False,
    )
    def _check(warehouse: XxgkWarehouse) -> dg.AssetCheckResult:
        evaluations = wh.query(warehouse.read_path(), _EVALUATIONS_SQL, [rule_id])  # this run's output
        result = quality.validate(rule_id, suite, evaluations)
        return dg.AssetCheckResult(
            passed=result.success,
            severity=dg.AssetCheckSeverity.ERROR,
            description=None if result.success else _failure_description(result),
            metadata={
                "expectation_suite": suite,
                "evaluated": result.evaluated,
                "violations": result.unexpected.height,
                "offending_reports": dg.MetadataValue.json(result.offending_reports),
                "offending_rows": dg.MetadataValue.md(markdown_table(result.unexpected)),
            },
        )

    return _check


rule_checks = [
    rule_check(row["rule_id"], row["expectation_suite"], row["description"])
    for row in quality.load_rules().iter_rows(named=True)
]
