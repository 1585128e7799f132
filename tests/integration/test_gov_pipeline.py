"""End to end on the national-template corpus: raw files (text, GBK, HTML) → Dagster → dbt → checks.

The corpus (tests/fixtures/gov/, built by bench/corpus) carries its own ground truth: truth.csv (every
table cell), violations.csv (every planted inconsistency and nothing else) and series_links.csv (the
three-year agency). Here the real pipeline materializes it next to the five seeds and the warehouse is
compared with that truth.
"""

from __future__ import annotations

from collections.abc import Iterator

import polars as pl
import pytest

from tests.conftest import FIXTURES, RAW, SEED_FILES, Pipeline, materialize

pytestmark = pytest.mark.integration

GOV = FIXTURES / "gov"
GOV_FILES = sorted(GOV.glob("g*")) + sorted((GOV / "series").glob("*"))

#: violations.csv names rules by what they check; the warehouse by check_rules.csv rule_id.
RULE_IDS = {
    "t3_balance": "gov_t3_balance",
    "t3_row_total": "gov_t3_total_column",
    "t3_results_total": "gov{family}_t3_results_sum",
    "t4_group_total": "gov_t4_totals",
    "text_vs_table": "text_vs_table",
    "t3_completeness": "gov_t3_complete",
    "cross_year_carry_over": "gov_t3_carry_over",
    "cross_year_docs_in_force": "gov2021_t2_in_force",
}
#: Seed violations (issue 2): seed 000's channels above 主动公开政府信息数 = 0, seed 002's staff 0 ≠ 1 + 1.
SEED_RULES = {"pre_channel_at_most_proactive", "pre_staff_total_sum"}


def _name(path: str) -> str:
    return path.rsplit("/", 1)[-1]


@pytest.fixture(scope="module")
def gov(tmp_path_factory) -> Iterator[Pipeline]:
    seeds = [RAW / name for name in SEED_FILES.values()]
    with materialize(tmp_path_factory.mktemp("gov_pipeline"), seeds + GOV_FILES) as p:
        p.run()
        yield p


@pytest.fixture(scope="module")
def reports_csv() -> pl.DataFrame:
    return pl.read_csv(GOV / "reports.csv", infer_schema=False).with_columns(file=pl.col("file").map_elements(_name))


def test_every_file_is_a_report_of_its_template(gov, reports_csv):
    assert gov.results[0].success
    assert gov.sql("select count(*) as n from staging.stg_quarantine")["n"][0] == 0
    got = gov.sql("select source_file as file, template from marts.dim_report where template like 'gov%'")
    expected = reports_csv.select("file", "template")
    assert got.sort("file").to_dicts() == expected.sort("file").to_dicts()
    assert got.height == len(GOV_FILES) == 28


def test_every_table_cell_is_in_the_fact_table(gov):
    truth = pl.read_csv(GOV / "truth.csv", infer_schema=False).select(
        file=pl.col("file").map_elements(_name, return_dtype=pl.String),
        indicator_code="indicator_code",
        breakdown="breakdown",
        value=pl.col("value").cast(pl.Float64),
    )
    got = gov.sql(
        """
        select r.source_file as file, f.indicator_code, f.breakdown, f.value
        from marts.fct_indicator_value f join marts.dim_report r using (report_id)
        where f.source_kind = 'table' and r.template like 'gov%'
        """
    )
    assert truth.height == 5580
    key = ["file", "indicator_code", "breakdown"]
    assert got.sort(key).to_dicts() == truth.sort(key).to_dicts()


def test_violations_are_exactly_the_planted_ones(gov, reports_csv):
    planted = pl.read_csv(GOV / "violations.csv", infer_schema=False)
    families = dict(reports_csv.select("file", "template").iter_rows())
    expected = set()
    for row in planted.iter_rows(named=True):
        file = _name(row["file"])
        rule = RULE_IDS[row["rule"]].format(family=families[file].removeprefix("gov"))
        # completeness is one finding per table of a report, whatever the number of blank cells
        cell = (None, None) if rule.endswith("_complete") else (row["indicator_code"], row["breakdown"])
        expected.add((file, rule, *cell))
    found = gov.sql(
        """
        select source_file, rule_id, parent_indicator_code, breakdown
        from marts.fct_check_violation where rule_id not in ('pre_channel_at_most_proactive', 'pre_staff_total_sum')
        """
    )
    got = {
        (_name(f), rule, *((None, None) if rule.endswith("_complete") else (code, breakdown)))
        for f, rule, code, breakdown in found.iter_rows()
    }
    assert got == expected
    seeds = gov.sql("select distinct rule_id from marts.fct_check_violation where source_file like '00%'")
    assert set(seeds["rule_id"]) == SEED_RULES


def test_the_broken_carry_over_link_names_both_reports(gov):
    broken = gov.sql(
        """
        select source_file, related_source_file, breakdown, parent_value, children_value
        from marts.fct_check_violation where rule_id = 'gov_t3_carry_over' order by breakdown
        """
    )
    assert broken.rows() == [
        ("shaoxing_city_2022.txt", "shaoxing_city_2021.txt", "总计", 5.0, 6.0),
        ("shaoxing_city_2022.txt", "shaoxing_city_2021.txt", "自然人", 4.0, 5.0),
    ]
    # the 2020 → 2021 link was evaluated in every column and holds
    held = gov.sql(
        """
        select count(*) as n, bool_and(holds) as all_hold from intermediate.int_rule_evaluations
        where rule_id = 'gov_t3_carry_over' and source_file = 'shaoxing_city_2021.txt'
            and related_source_file = 'shaoxing_city_2020.txt'
        """
    )
    assert held.row(0) == (7, True)


def test_dagster_checks_fail_exactly_for_the_violated_rules(gov):
    evaluations = {e.check_name: e for e in gov.results[0].get_asset_check_evaluations()}
    failed = {name.removeprefix("rule_") for name, e in evaluations.items() if not e.passed}
    violated = set(gov.sql("select distinct rule_id from marts.fct_check_violation")["rule_id"])
    assert failed == violated
    carry = evaluations["rule_gov_t3_carry_over"]
    text = str(carry.description) + str(carry.metadata)
    assert "shaoxing_city_2022.txt" in text and "shaoxing_city_2021.txt" in text


def test_headlines_are_the_table_cells(gov):
    truth = pl.read_csv(GOV / "truth.csv", infer_schema=False).with_columns(
        file=pl.col("file").map_elements(_name, return_dtype=pl.String), value=pl.col("value").cast(pl.Float64)
    )

    def cell(file: str, code: str, breakdown: str) -> float | None:
        hit = truth.filter(
            (pl.col("file") == file) & (pl.col("indicator_code") == code) & (pl.col("breakdown") == breakdown)
        )
        return hit["value"][0]

    marts = gov.sql("select * from marts.mart_agency_year where template like 'gov%'")
    assert marts.height == 28
    for row in marts.iter_rows(named=True):
        f = row["source_file"].rsplit("/", 1)[-1]
        assert row["requests_received"] == cell(f, "t3_new", "总计"), f
        assert row["requests_completed"] == cell(f, "t3_total", "总计"), f
        assert row["requests_granted"] == cell(f, "t3_granted", "总计"), f
        assert row["requests_carried_over"] == cell(f, "t3_carried_over", "总计"), f
        assert row["requests_carried_forward"] == cell(f, "t3_carried_forward", "总计"), f
        assert row["reconsiderations"] == cell(f, "t4_review_litigation", "行政复议/总计"), f
        lawsuits = cell(f, "t4_review_litigation", "未经复议直接起诉/总计") + cell(
            f, "t4_review_litigation", "复议后起诉/总计"
        )
        assert row["lawsuits"] == lawsuits, f


def test_mart_year_adds_up_across_templates(gov):
    by_report = gov.sql(
        """
        select report_year, sum(requests_received) as requests_received, sum(lawsuits) as lawsuits,
            count(*) as reports
        from marts.mart_agency_year group by report_year order by report_year
        """
    )
    by_year = gov.sql(
        "select report_year, requests_received, lawsuits, reports from marts.mart_year order by report_year"
    )
    assert by_year.select(by_report.columns).cast(by_report.schema).to_dicts() == by_report.to_dicts()
    templates = gov.sql("select distinct template from marts.mart_agency_year")["template"].to_list()
    assert set(templates) == {"pre2019_table", "narrative", "gov2019", "gov2021"}


def test_section_five_is_readable_per_agency(gov):
    sections = gov.sql(
        """
        select s.heading, s.section_text as text
        from marts.fct_report_section s join marts.dim_report r using (report_id)
        where r.source_file = 'g01_deqing_moganshan_2021.txt' and s.section_no = 5
        """
    )
    assert sections["heading"].to_list() == ["五、存在的主要问题及改进情况"]
    assert "下一步，我镇将重点做好以下工作" in sections["text"][0]
