"""The benchmark's accuracy scorer (bench/bench_accuracy.py, in DuckDB) on a hand-made warehouse and truth.

Five files: a pre2019_table report whose values are recalled, wrong, missed and spurious; a planted gov2021
report; a consistent narrative report flagged by mistake; two bad files, one quarantined for the expected
reason and one for another. Every figure of the score is asserted exactly.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl
import pytest

from bench.bench_accuracy import score
from bench.generate import MANIFEST, RELATIONS, VALUES

WAREHOUSE_DDL = """
create schema marts;
create schema staging;
create table marts.fct_indicator_value (
    report_id varchar, source_kind varchar, indicator_code varchar, breakdown varchar, value double
);
create table marts.fct_check_violation (report_id varchar, rule_id varchar);
create table staging.stg_reports (report_id varchar, template varchar, agency_name varchar, report_year integer);
create table staging.stg_quarantine (report_id varchar, reason varchar);
create table staging.stg_value_relations (
    report_id varchar, relation_kind varchar, parent_indicator_code varchar, parent_breakdown varchar,
    child_indicator_code varchar, child_breakdown varchar
);
"""

# report_id → what the warehouse holds for it
EXTRACTED = [
    ("ra", "table", "pre_requests_received", "", 10.0),  # recalled
    ("ra", "table", "pre_requests_online", "", 7.0),  # wrong: the truth says 6
    ("ra", "table", "pre_requests_by_letter", "", None),  # a blank cell read as NULL: recalled
    ("ra", "table", "pre_lawsuits", "", 3.0),  # spurious: the truth has no such cell
    ("ra", "table", "pre_s1_proactive", "", 12.0),  # a header row: not scored
    ("ra", "prose", "pre_requests_received", "", 10.0),  # recalled
    ("rb", "table", "t3_new", "总计", 5.0),  # recalled
    ("rb", "prose", "pre_requests_received", "", 5.0),  # gov prose: not scored
    ("rc", "prose", "pre_requests_received", "", 9.0),  # recalled
    ("rc", "prose", "pre_requests_online", "", 5.0),  # recalled
    ("rc", "prose", "pre_requests_in_person", "", 4.0),  # recalled
]
TRUTH = [
    ("a.txt", "table", "pre_requests_received", "", 10.0),
    ("a.txt", "table", "pre_requests_online", "", 6.0),
    ("a.txt", "table", "pre_requests_in_person", "", 4.0),  # missed
    ("a.txt", "table", "pre_requests_by_letter", "", None),
    ("a.txt", "prose", "pre_requests_received", "", 10.0),
    ("b.txt", "table", "t3_new", "总计", 5.0),
    ("b.txt", "table", "t3_new", "自然人", 2.0),  # missed
    ("c.txt", "prose", "pre_requests_received", "", 9.0),
    ("c.txt", "prose", "pre_requests_online", "", 5.0),
    ("c.txt", "prose", "pre_requests_in_person", "", 4.0),
]
MANIFEST_ROWS = [  # file, family, template, planted_rule, expected_rules, bad_kind, agency, year, sha256
    ("a.txt", "pre2019_table", "pre2019_table", "", [], "", "某县人民政府", 2016, "ra"),
    ("b.txt", "gov2021", "gov2021", "gov_t4_totals", ["gov_t3_balance", "gov_t4_totals"], "", "某市第２局", 2022, "rb"),
    ("c.txt", "narrative", "narrative", "", [], "", "某镇人民政府", 2015, "rc"),
    ("d.txt", "bad", None, "", [], "binary", "", 2016, "rd"),
    ("e.txt", "bad", None, "", [], "empty", "", 2017, "re"),
]
REPORTS = [
    ("ra", "pre2019_table", "某县 人民政府", 2016),  # a space in the name still matches
    ("rb", "gov2021", "某市第2局", 2021),  # wrong year; 第２ (full-width) and 第2 are the same name
    ("rc", "pre2019_table", "某镇人民政府", 2015),  # wrong template
]
QUARANTINE = [("rd", "binary_file"), ("re", "not_a_report")]  # e.txt: empty, quarantined for another reason
RELATIONS_GOT = [
    ("rc", "prose_sum", "pre_requests_received", "", "pre_requests_online", ""),  # recalled
    ("rc", "prose_sum", "pre_requests_received", "", "pre_requests_by_letter", ""),  # spurious
    ("rb", "prose_sum", "pre_channel_website", "", "prose_proactive_by_category", "通知公告"),  # gov: not scored
]
RELATIONS_TRUTH = [
    ("c.txt", "pre_requests_received", "", "pre_requests_online", ""),
    ("c.txt", "pre_requests_received", "", "pre_requests_in_person", ""),  # missed
]
VIOLATIONS = [("rb", "gov_t4_totals"), ("rb", "gov_t4_totals"), ("rc", "prose_sum")]


def _manifest() -> pl.DataFrame:
    rows = [
        {
            "file": f, "index": i, "revision": 0, "family": fam, "template": tpl, "layout": "", "encoding": "utf-8",
            "noise": [], "planted_rule": planted, "expected_rules": expected, "bad_kind": bad, "agency_name": agency,
            "agency_level": "", "province": "", "city": "", "county": "", "report_year": year, "bytes": 1,
            "sha256": sha,
        }
        for i, (f, fam, tpl, planted, expected, bad, agency, year, sha) in enumerate(MANIFEST_ROWS)
    ]  # fmt: skip
    return pl.DataFrame(rows, schema=MANIFEST)


@pytest.fixture()
def corpus(tmp_path: Path) -> tuple[Path, Path]:
    truth = tmp_path / "truth"
    truth.mkdir()
    _manifest().write_parquet(truth / "manifest.parquet")
    values = [(*t, "exact", "") for t in TRUTH]
    pl.DataFrame(values, schema=VALUES, orient="row").write_parquet(truth / "values.parquet")
    pl.DataFrame(RELATIONS_TRUTH, schema=RELATIONS, orient="row").write_parquet(truth / "relations.parquet")
    db = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute(WAREHOUSE_DDL)
        for table, rows in (
            ("marts.fct_indicator_value", EXTRACTED),
            ("marts.fct_check_violation", VIOLATIONS),
            ("staging.stg_reports", REPORTS),
            ("staging.stg_quarantine", QUARANTINE),
            ("staging.stg_value_relations", RELATIONS_GOT),
        ):
            con.executemany(f"insert into {table} values ({', '.join('?' * len(rows[0]))})", rows)
    return tmp_path, db


def test_values_recalled_wrong_missed_spurious(corpus: tuple[Path, Path]) -> None:
    result = score(*corpus)
    by = {(r["family"], r["source_kind"]): r for r in result["values"]}
    assert {k: (r["truth"], r["recalled"], r["wrong"], r["missed"], r["spurious"]) for k, r in by.items()} == {
        ("gov2021", "table"): (2, 1, 0, 1, 0),
        ("narrative", "prose"): (3, 3, 0, 0, 0),
        ("pre2019_table", "prose"): (1, 1, 0, 0, 0),
        ("pre2019_table", "table"): (4, 2, 1, 1, 1),
    }
    assert by[("pre2019_table", "table")]["recall"] == 0.5
    assert by[("pre2019_table", "table")]["wrong_share"] == 0.5  # (1 wrong + 1 spurious) / 4 scored
    assert by[("narrative", "prose")]["recall"] == 1.0 and by[("narrative", "prose")]["wrong_share"] == 0.0
    total = result["values_total"]
    assert (total["truth"], total["recalled"], total["wrong"], total["missed"], total["spurious"]) == (10, 7, 1, 2, 1)
    assert total["recall"] == 0.7
    assert [(m["family"], m["indicator_code"], m["kind"], m["n"], m["example"]) for m in result["misses"]] == [
        ("gov2021", "t3_new", "missed", 1, "b.txt"),
        ("pre2019_table", "pre_requests_in_person", "missed", 1, "a.txt"),
        ("pre2019_table", "pre_requests_online", "wrong", 1, "a.txt"),
    ]


def test_a_right_value_is_recalled_and_a_changed_one_is_wrong(corpus: tuple[Path, Path]) -> None:
    out, db = corpus
    with duckdb.connect(str(db)) as con:  # fix the wrong cell, break the right one
        con.execute("update marts.fct_indicator_value set value = 6 where indicator_code = 'pre_requests_online'")
        con.execute("update marts.fct_indicator_value set value = 11 where report_id = 'ra' and source_kind = 'prose'")
    by = {(r["family"], r["source_kind"]): r for r in score(out, db)["values"]}
    assert (by[("pre2019_table", "table")]["recalled"], by[("pre2019_table", "table")]["wrong"]) == (3, 0)
    assert (by[("pre2019_table", "prose")]["recalled"], by[("pre2019_table", "prose")]["wrong"]) == (0, 1)


def test_metadata_and_quarantine(corpus: tuple[Path, Path]) -> None:
    rows = [tuple(r.values()) for r in score(*corpus)["metadata"]]
    assert rows == [  # family, reports, parsed, quarantined, template_ok, agency_ok, year_ok
        ("gov2021", 1, 1, 0, 1, 1, 0),
        ("narrative", 1, 1, 0, 0, 1, 1),
        ("pre2019_table", 1, 1, 0, 1, 1, 1),
        ("bad", 2, 0, 2, 1, 0, 0),
    ]


def test_relations_recalled_and_spurious(corpus: tuple[Path, Path]) -> None:
    assert score(*corpus)["relations"] == {"truth": 2, "recalled": 1, "spurious": 1, "recall": 0.5}


def test_plants_per_rule(corpus: tuple[Path, Path]) -> None:
    plants = score(*corpus)["plants"]
    assert [tuple(r.values()) for r in plants["by_rule"]] == [  # rule, planted, expected, found, false
        ("gov_t3_balance", 0, 1, 0, 0),
        ("gov_t4_totals", 1, 1, 1, 0),
        ("prose_sum", 0, 0, 0, 1),
    ]
    assert {k: v for k, v in plants.items() if k != "by_rule"} == {
        "planted": 1,
        "detected": 1,
        "detection_rate": 1.0,
        "consistent_reports": 2,
        "consistent_flagged": 1,
        "false_flags": 1,
    }


def test_no_false_flag_and_every_plant_found_when_the_checks_are_right(corpus: tuple[Path, Path]) -> None:
    out, db = corpus
    with duckdb.connect(str(db)) as con:
        con.execute("delete from marts.fct_check_violation where rule_id = 'prose_sum'")
        con.execute("insert into marts.fct_check_violation values ('rb', 'gov_t3_balance')")
    plants = score(out, db)["plants"]
    assert all(r["found"] == r["expected"] and r["false"] == 0 for r in plants["by_rule"])
    assert (plants["consistent_flagged"], plants["false_flags"], plants["detected"]) == (0, 0, 1)
