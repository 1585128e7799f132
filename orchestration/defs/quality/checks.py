"""The consistency rules' Dagster asset checks, run through Great Expectations in one step.

The rule list is data (dbt seed ``check_rules.csv``): one check per rule (``rule_<rule_id>``), all on
``int_rule_evaluations`` and run by one op, which reads the selected rules' evaluation rows from DuckDB
read-only, in one query, and validates each rule's rows with the GE suite the rule names
(``expectations/suites/<expectation_suite>.json``). A single check can still be run alone (the op subsets).

int_rule_evaluations is incremental: a refresh evaluates again only the new and changed reports (and the
cross-year neighbours of a changed year), and each row names the dbt invocation that wrote it. GE validates
only the rows of the latest materialization's invocation; the violations of the older rows, validated by the
run that wrote them, are carried (``holds`` false, as in ``marts.fct_check_violation``). So a check's verdict
after a refresh is the one a full build would give, and a refresh costs the refreshed reports, not the
warehouse. A failed check names the offending reports (for a cross-year rule both the later report and the
earlier one it was compared with); the same rows land in ``marts.fct_check_violation``.
"""

from collections.abc import Iterator

import dagster as dg
from dagster_dbt import get_asset_key_for_model

from orchestration.defs.ingest.resources import XxgkWarehouse
from orchestration.defs.transform.assets import xxgk_dbt_models
from orchestration.lib import quality
from orchestration.lib import warehouse as wh
from orchestration.lib.reporting import markdown_table
from orchestration.lib.settings import checks_memory_limit

EVALUATIONS_KEY = get_asset_key_for_model([xxgk_dbt_models], "int_rule_evaluations")
RULES = {row["rule_id"]: row for row in quality.load_rules().iter_rows(named=True)}
BATCH_ROWS = 1 << 17  # rows per Arrow batch read from DuckDB: one rule's rows are in memory at a time


def _spec(rule: dict) -> dg.AssetCheckSpec:
    return dg.AssetCheckSpec(
        name=f"rule_{rule['rule_id']}",
        asset=EVALUATIONS_KEY,
        description=f"{rule['description']} (Great Expectations suite `{rule['expectation_suite']}`)",
        blocking=False,
    )


def latest_invocation_id(instance: dg.DagsterInstance) -> str | None:
    """The dbt invocation of the latest materialization of int_rule_evaluations (None if unknown)."""
    event = instance.get_latest_materialization_event(EVALUATIONS_KEY)
    materialization = event.asset_materialization if event is not None else None
    value = materialization.metadata.get("invocation_id") if materialization is not None else None
    return value.value if isinstance(value, dg.TextMetadataValue) else None


def _result(check: quality.RuleCheck) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(
        check_name=f"rule_{check.rule_id}",
        asset_key=EVALUATIONS_KEY,
        passed=check.success,
        severity=dg.AssetCheckSeverity.ERROR,
        description=None if check.success else quality.failure_description(check),
        metadata={
            "expectation_suite": check.suite,
            "evaluated": check.evaluated,  # rows GE validated: the build's (every row if it is unknown)
            "carried_violations": check.carried_violations,
            "violations": check.violations,
            "dbt_invocation_id": check.invocation_id or dg.MetadataValue.null(),
            "offending_reports": dg.MetadataValue.json(check.offending_reports),
            "offending_rows": dg.MetadataValue.md(markdown_table(check.offending)),
        },
    )


@dg.multi_asset_check(
    specs=[_spec(rule) for rule in RULES.values()],
    can_subset=True,
    description="The consistency rules of check_rules.csv, each validated by its Great Expectations suite",
)
def rule_multi_check(context: dg.AssetCheckExecutionContext, warehouse: XxgkWarehouse) -> Iterator[dg.AssetCheckResult]:
    selected = {key.name.removeprefix("rule_") for key in context.selected_asset_check_keys}
    suites = {rule_id: RULES[rule_id]["expectation_suite"] for rule_id in RULES if rule_id in selected}
    invocation_id = latest_invocation_id(context.instance)
    if invocation_id is None:
        context.log.warning("No dbt invocation id on the latest int_rule_evaluations: validating every row")
    # memory_limit: a full build's rows are sorted by rule in DuckDB (11 M rows of one rule at 100k)
    with wh.connect(warehouse.read_path(), read_only=True, memory_limit=checks_memory_limit()) as con:
        batches = quality.read_scoped_evaluations(con, suites, invocation_id, BATCH_ROWS)
        for check in quality.check_rules(suites, batches, invocation_id):
            yield _result(check)


rule_checks = [rule_multi_check]
