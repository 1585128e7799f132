"""Great Expectations runner: validates rule evaluations against the suites kept in ``expectations/``.

The rules are data (``dbt_project/seeds/check_rules.csv``); dbt turns them into one
row per evaluation (``intermediate.int_rule_evaluations``); each rule names the GE suite
that validates its rows (column ``expectation_suite``: ``expectations/suites/<suite>.json``).
A new template adds rows to the seeds, never code. GE runs on its pandas datasource (its SQL datasource over DuckDB
is broken in GE 1.24 with duckdb-engine 0.17).

The model is incremental: each row names the dbt invocation that wrote it (``dbt_invocation_id``). A check
of one build (``check_rules``) validates with GE only the rows that build wrote; the rows earlier builds
wrote were validated by the run that wrote them, and their violations (``holds`` false, as in
``marts.fct_check_violation``) are carried into the result, so a rule's verdict after an incremental refresh
is the verdict a full build would give, at the cost of the refreshed reports only.
"""

from __future__ import annotations

import importlib
import json
import os
import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache, reduce
from itertools import groupby
from operator import itemgetter
from pathlib import Path

import duckdb
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
        return report_files(self.unexpected)


def report_files(rows: pl.DataFrame) -> list[str]:
    """The files rows name: the report evaluated and, for cross-year rules, the related report."""
    files = set(rows["source_file"].to_list())
    if "related_source_file" in rows.columns:
        files.update(f for f in rows["related_source_file"].to_list() if f is not None)
    return sorted(files)


def load_rules(seeds_dir: Path = SEEDS_DIR) -> pl.DataFrame:
    return pl.read_csv(seeds_dir / "check_rules.csv", infer_schema=False)


def suite_path(suite: str, expectations_dir: Path = EXPECTATIONS_DIR) -> Path:
    return expectations_dir / "suites" / f"{suite}.json"


def prepare_in_background() -> threading.Thread:
    """Import Great Expectations (about 2.5 s: pandas, scipy, ...) on a daemon thread, e.g. while the dbt
    subprocess builds, so the checks that follow do not wait for it (imports are serialised by Python's
    import lock: a check that starts first simply waits for the import to finish)."""
    thread = threading.Thread(target=importlib.import_module, args=("great_expectations",), daemon=True)
    thread.start()
    return thread


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


def _ge_frame(evaluations: pl.DataFrame) -> pl.DataFrame:
    """The columns GE reads (and a result shows): the ID columns present, parent_value, children_value."""
    ids = ID_COLUMNS + [c for c in OPTIONAL_ID_COLUMNS if c in evaluations.columns]
    return evaluations.select(*ids, "parent_value", "children_value")


def validate(
    rule_id: str, suite: str, evaluations: pl.DataFrame, expectations_dir: Path = EXPECTATIONS_DIR
) -> RuleResult:
    """Run the rule's GE suite over the rule's evaluation rows (one row per report/pair/relation)."""
    frame = _ge_frame(evaluations)
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


# --- the check of one build: GE on the rows it wrote, earlier rows' violations carried -------------------

#: One query for the checks of one build: the selected rules' rows written by the dbt invocation (every row
#: when it is unknown) and, from earlier invocations, only the violations (``not holds``: a NULL is none, as in
#: marts.fct_check_violation). Read in batches by rule (``rule_parts``). Parameters: ``scoped_evaluations_params``.
SCOPED_EVALUATIONS_SQL = f"""
select rule_id, dbt_invocation_id, holds, {", ".join(ID_COLUMNS + OPTIONAL_ID_COLUMNS)}, parent_value, children_value
from {EVALUATIONS_TABLE}
where list_contains($rule_ids, rule_id)
    and (cast($invocation_id as varchar) is null or dbt_invocation_id = $invocation_id or not holds)
order by rule_id
"""

#: The columns of SCOPED_EVALUATIONS_SQL (a rule without rows gets an empty frame of them).
SCOPED_SCHEMA = pl.Schema(
    {
        "rule_id": pl.String,
        "dbt_invocation_id": pl.String,
        "holds": pl.Boolean,
        **dict.fromkeys(ID_COLUMNS + OPTIONAL_ID_COLUMNS, pl.String),
        "parent_value": pl.Float64,
        "children_value": pl.Float64,
    }
)


def scoped_evaluations_params(rule_ids: Iterable[str], invocation_id: str | None) -> dict:
    return {"rule_ids": sorted(rule_ids), "invocation_id": invocation_id}


def read_scoped_evaluations(
    con: duckdb.DuckDBPyConnection, rule_ids: Iterable[str], invocation_id: str | None, batch_rows: int
) -> Iterator[pl.DataFrame]:
    """SCOPED_EVALUATIONS_SQL's rows as frames of at most ``batch_rows`` rows, ordered by rule (the input
    of ``check_rules``): a rule's rows are in memory only while it is checked."""
    sql_params = scoped_evaluations_params(rule_ids, invocation_id)
    for batch in con.sql(SCOPED_EVALUATIONS_SQL, params=sql_params).to_arrow_reader(batch_rows):
        yield pl.from_arrow(batch)


@dataclass(frozen=True)
class RuleCheck:
    """A rule's verdict on one build: GE on the rows this build's dbt invocation wrote (``validated``), plus the
    violations in rows earlier invocations wrote (``carried``: validated by GE in the run that wrote them)."""

    rule_id: str
    suite: str
    invocation_id: str | None  # None: unknown, every row was validated
    validated: RuleResult
    carried: pl.DataFrame  # the GE columns (_ge_frame) of the earlier invocations' violations

    @property
    def success(self) -> bool:
        return self.validated.success and self.carried.height == 0

    @property
    def evaluated(self) -> int:
        """Rows GE validated: the rows of this build."""
        return self.validated.evaluated

    @property
    def carried_violations(self) -> int:
        return self.carried.height

    @property
    def violations(self) -> int:
        """All the rule's violations in the warehouse: found by GE in this build's rows, and carried."""
        return self.validated.unexpected.height + self.carried.height

    @property
    def offending(self) -> pl.DataFrame:
        """The offending rows: GE's unexpected rows of this build, then the carried violations, each by
        file and cell (the rows are read in no particular order within a rule)."""
        parts = [_by_file(self.validated.unexpected), _by_file(self.carried)]
        return pl.concat(parts, how="diagonal_relaxed")

    @property
    def offending_reports(self) -> list[str]:
        return report_files(self.offending)


#: The order offending rows are shown in: by file, then cell.
ORDER_COLUMNS = ["source_file", "related_source_file", "parent_indicator_code", "child_indicator_code", "breakdown"]


def _by_file(rows: pl.DataFrame) -> pl.DataFrame:
    by = [c for c in ORDER_COLUMNS if c in rows.columns]
    return rows.sort(by, nulls_last=True, maintain_order=True) if by and rows.height else rows


def check_rule(
    rule_id: str,
    suite: str,
    rows: pl.DataFrame,
    invocation_id: str | None,
    expectations_dir: Path = EXPECTATIONS_DIR,
) -> RuleCheck:
    """The rule's check on the build of ``invocation_id`` from its rows (SCOPED_EVALUATIONS_SQL's columns):
    GE validates the rows that invocation wrote (all of them if it is None); of the others, the violations
    (``holds`` false; NULL is none) are carried."""
    if invocation_id is None:
        current, earlier = rows, rows.clear()
    else:
        written_now = pl.col("dbt_invocation_id").eq_missing(invocation_id)
        current, earlier = rows.filter(written_now), rows.filter(~written_now)
    carried = _ge_frame(earlier.filter(pl.col("holds").eq_missing(False)))
    return RuleCheck(rule_id, suite, invocation_id, validate(rule_id, suite, current, expectations_dir), carried)


def rule_parts(batches: Iterable[pl.DataFrame]) -> Iterator[tuple[str, pl.DataFrame]]:
    """(rule_id, rows) per rule and batch, from batches ordered by rule_id (a rule's rows may span
    batches: one part per batch). Raises ValueError when a rule's rows come back after another's."""
    rule, done = None, set()
    for batch in batches:
        for (batch_rule,), part in batch.partition_by("rule_id", maintain_order=True, as_dict=True).items():
            if batch_rule != rule:
                if batch_rule in done:
                    raise ValueError(f"evaluation rows not ordered by rule_id: {batch_rule} again")
                if rule is not None:
                    done.add(rule)
                rule = batch_rule
            yield batch_rule, part


def merge_checks(first: RuleCheck, second: RuleCheck) -> RuleCheck:
    """One rule's check over two disjoint sets of its rows (the suites' expectations are row by row)."""
    validated = RuleResult(
        first.rule_id,
        first.validated.success and second.validated.success,
        first.validated.evaluated + second.validated.evaluated,
        pl.concat([first.validated.unexpected, second.validated.unexpected], how="diagonal_relaxed"),
    )
    carried = pl.concat([first.carried, second.carried], how="diagonal_relaxed")
    return RuleCheck(first.rule_id, first.suite, first.invocation_id, validated, carried)


def check_rules(
    suites: Mapping[str, str],
    batches: Iterable[pl.DataFrame],
    invocation_id: str | None,
    expectations_dir: Path = EXPECTATIONS_DIR,
) -> Iterator[RuleCheck]:
    """One RuleCheck per rule of ``suites`` (rule_id → expectation suite), from the batches of
    SCOPED_EVALUATIONS_SQL: each rule as soon as its rows are read, then the rules without rows (a pass).

    GE validates a rule batch by batch and the partial checks are merged (merge_checks), so memory holds
    one batch and the violations, never all of a rule's rows (a full build of 100k reports writes 11 M
    rows of pre_non_negative; as one pandas frame they took 12 GB)."""
    checked = set()
    for rule_id, parts in groupby(rule_parts(batches), key=itemgetter(0)):
        if rule_id in suites:
            checked.add(rule_id)
            partial = (check_rule(rule_id, suites[rule_id], rows, invocation_id, expectations_dir) for _, rows in parts)
            yield reduce(merge_checks, partial)
    for rule_id, suite in suites.items():
        if rule_id not in checked:
            yield check_rule(rule_id, suite, SCOPED_SCHEMA.to_frame(), invocation_id, expectations_dir)


def failure_description(result: RuleCheck, shown: int = 5) -> str:
    """One line naming the offending report files (the first ``shown``)."""
    files = result.offending_reports
    if not files:
        return f"Great Expectations suite `{result.suite}` failed"
    named = ", ".join(files[:shown]) + (", …" if len(files) > shown else "")
    text = f"{result.violations} violation(s) in {len(files)} report(s): {named}"
    if result.carried_violations:
        text += f" ({result.carried_violations} carried from earlier builds)"
    return text
