"""The Great Expectations suites really pass on consistent evaluations and fail, naming the report, otherwise."""

from __future__ import annotations

import json

import polars as pl
import pytest

from orchestration.lib import quality


def evaluations(rows: list[tuple]) -> pl.DataFrame:
    return pl.DataFrame(
        rows,
        schema={
            "report_id": pl.String,
            "source_file": pl.String,
            "parent_indicator_code": pl.String,
            "child_indicator_code": pl.String,
            "parent_value": pl.Float64,
            "children_value": pl.Float64,
        },
        orient="row",
    )


def test_every_suite_named_by_a_rule_exists():
    suites = set(quality.load_rules()["expectation_suite"])
    assert suites == {"equal_values", "at_most_parent", "non_negative"}
    for name in suites:
        suite = json.loads(quality.suite_path(name).read_text())
        assert suite["name"] == name and len(suite["expectations"]) == 1


def test_sum_suite_passes_on_consistent_rows():
    frame = evaluations(
        [("r1", "a.txt", "pre_staff_total", None, 3, 3), ("r2", "b.txt", "pre_staff_total", None, 0, 0)]
    )
    result = quality.validate("pre_staff_total_sum", "equal_values", frame)
    assert result.success and result.evaluated == 2 and result.unexpected.height == 0


def test_sum_suite_fails_naming_the_report():
    frame = evaluations(
        [("r1", "a.txt", "pre_staff_total", None, 3, 3), ("r2", "b.txt", "pre_staff_total", None, 0, 2)]
    )
    result = quality.validate("pre_staff_total_sum", "equal_values", frame)
    assert not result.success
    assert result.offending_reports == ["b.txt"]
    assert result.unexpected.select("report_id", "parent_value", "children_value").rows() == [("r2", 0.0, 2.0)]


@pytest.mark.parametrize(("child", "ok"), [(5.0, True), (10.0, True), (11.0, False)])
def test_at_most_parent_suite_both_sides(child, ok):
    frame = evaluations([("r1", "a.txt", "pre_proactive_items", "pre_channel_website", 10, child)])
    result = quality.validate("pre_channel_at_most_proactive", "at_most_parent", frame)
    assert result.success is ok
    assert result.offending_reports == ([] if ok else ["a.txt"])


def test_non_negative_suite_both_sides():
    ok = evaluations([("r1", "a.txt", "pre_fees", None, 0, 0), ("r1", "a.txt", "pre_meetings", None, 2, 0)])
    assert quality.validate("pre_non_negative", "non_negative", ok).success
    bad = evaluations([("r1", "a.txt", "pre_fees", None, 0, 0), ("r2", "c.txt", "pre_meetings", None, -1, 0)])
    result = quality.validate("pre_non_negative", "non_negative", bad)
    assert not result.success and result.offending_reports == ["c.txt"]
    assert result.unexpected["parent_indicator_code"].to_list() == ["pre_meetings"]


def test_no_evaluations_is_a_pass_with_zero_evaluated():
    result = quality.validate("pre_lawsuits_sum", "equal_values", evaluations([]))
    assert result.success and result.evaluated == 0


def test_cross_year_failure_names_both_reports():
    frame = evaluations(
        [
            ("r21", "a_2021.txt", "t3_carried_over", "t3_carried_forward", 2, 2),
            ("r22", "a_2022.txt", "t3_carried_over", "t3_carried_forward", 3, 4),
        ]
    ).with_columns(
        related_report_id=pl.Series(["r20", "r21"]),
        related_source_file=pl.Series(["a_2020.txt", "a_2021.txt"]),
        breakdown=pl.Series(["自然人", "自然人"]),
    )
    result = quality.validate("gov_t3_carry_over", "equal_values", frame)
    assert not result.success
    assert result.offending_reports == ["a_2021.txt", "a_2022.txt"]
    assert result.unexpected.select("report_id", "related_report_id", "breakdown").rows() == [("r22", "r21", "自然人")]


def test_gov_rules_use_the_existing_suites():
    rules = quality.load_rules()
    kinds = dict(zip(rules["rule_id"], rules["rule_kind"], strict=True))
    suites = dict(zip(rules["rule_id"], rules["expectation_suite"], strict=True))
    assert kinds["gov_t3_carry_over"] == "cross_year_sum" and suites["gov_t3_carry_over"] == "equal_values"
    assert kinds["gov_t3_complete"] == "table_complete" and suites["gov_t3_complete"] == "equal_values"
    assert suites["gov_non_negative"] == "non_negative"
