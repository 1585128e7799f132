"""Great Expectations runner: validates rule evaluations against the suites kept in ``expectations/``.

The rules are data (``dbt_project/seeds/check_rules.csv``); dbt turns them into one
row per evaluation (``intermediate.int_rule_evaluations``); each rule names the GE suite
that validates its rows (column ``expectation_suite``: ``expectations/suites/<suite>.json``).
A new template adds rows to the seeds, never code. GE runs on its pandas datasource (its SQL datasource over DuckDB
is broken in GE 1.24 with duckdb-engine 0.17).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import polars as pl

from orchestration.lib.settings import EXPECTATIONS_DIR, SEEDS_DIR

os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")

EVALUATIONS_TABLE = "intermediate.int_rule_evaluations"
ID_COLUMNS = ["report_id", "source_file", "parent_indicator_code", "child_indicator_code"]
#: Carried into the GE frame when present: a cross-year rule (rule_kind cross_year_sum) names the
#: earlier report it compared with (related_*), so a failure names both files.
OPTIONAL_ID_COLUMNS = ["related_report_id", "related_source_file", "breakdown", "child_breakdown", "relation_id"]


@dataclass(frozen=True)
class RuleResult:
    rule_id: str
    success: bool
    evaluated: int
    unexpected: pl.DataFrame  # ID_COLUMNS + parent_value, children_value of the offending rows

    @property
    def offending_reports(self) -> list[str]:
        """Files of the offending rows: the report evaluated and, for cross-year rules, the related report."""
        files = set(self.unexpected["source_file"].to_list())
        if "related_source_file" in self.unexpected.columns:
            files.update(f for f in self.unexpected["related_source_file"].to_list() if f is not None)
        return sorted(files)


def load_rules(seeds_dir: Path = SEEDS_DIR) -> pl.DataFrame:
    return pl.read_csv(seeds_dir / "check_rules.csv", infer_schema=False)


def suite_path(suite: str, expectations_dir: Path = EXPECTATIONS_DIR) -> Path:
    return expectations_dir / "suites" / f"{suite}.json"


@cache
def _context():
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    context.data_sources.add_pandas("warehouse").add_dataframe_asset("rule_evaluations")
    return context


@cache
def _validation(suite_name: str, expectations_dir: Path):
    import great_expectations as gx
    from great_expectations.core.expectation_suite import ExpectationSuite

    context = _context()
    suite = context.suites.add(ExpectationSuite(**json.loads(suite_path(suite_name, expectations_dir).read_text())))
    asset = context.data_sources.get("warehouse").get_asset("rule_evaluations")
    batch = asset.add_batch_definition_whole_dataframe(f"{suite_name}_batch")
    return context.validation_definitions.add(gx.ValidationDefinition(name=suite_name, data=batch, suite=suite))


def validate(
    rule_id: str, suite: str, evaluations: pl.DataFrame, expectations_dir: Path = EXPECTATIONS_DIR
) -> RuleResult:
    """Run the rule's GE suite over the rule's evaluation rows (one row per report/pair/relation)."""
    ids = ID_COLUMNS + [c for c in OPTIONAL_ID_COLUMNS if c in evaluations.columns]
    frame = evaluations.select(*ids, "parent_value", "children_value")
    if frame.height == 0:
        return RuleResult(rule_id, True, 0, frame)
    result = _validation(suite, expectations_dir).run(
        batch_parameters={"dataframe": frame.to_pandas()},
        result_format={"result_format": "COMPLETE"},
    )
    positions: set[int] = set()
    for expectation_result in result.results:
        positions.update(int(i) for i in expectation_result.result.get("unexpected_index_list") or [])
    unexpected = frame[sorted(positions)] if positions else frame.clear()
    return RuleResult(rule_id, bool(result.success), frame.height, unexpected)
