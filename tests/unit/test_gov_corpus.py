"""Ground-truth scoring of the parser on the gov2019 / gov2021 corpus (tests/fixtures/gov/, README.md there).

The corpus was written independently of the parser. Each report is parsed through the repository's public
path (``decode_files(read_files(paths))`` then ``parse_documents``) and compared with the truth files:

- every truth cell (truth.csv) is loaded once, as a table value, with the right indicator_code, breakdown,
  value (NULL for blanks and empty markers) and raw_value, and no other table value exists for the file;
- the template, agency, year, level, publish date and region are those of reports.csv;
- the six sections are found with their headings (and lines, for plain-text files) of sections.csv.

The expected cells are checked against the dbt seeds (indicator_catalogue.csv, breakdown_sets.csv), read here
directly: the contract, not Python constants, says which cells a template has.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import polars as pl
import pytest

from orchestration.lib.parsing import ParseResult, decode_files, parse_documents
from tests.conftest import FIXTURES, ROOT
from tests.parsing_helpers import read_files

GOV = FIXTURES / "gov"
SEEDS = ROOT / "dbt_project" / "seeds"
Key = tuple[str, str]


def _read(name: str) -> list[dict[str, str]]:
    with (GOV / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


REPORTS = {row["file"]: row for row in _read("reports.csv")}
FILES = sorted(REPORTS)
TRUTH: dict[str, list[dict[str, str]]] = {}
for _row in _read("truth.csv"):
    TRUTH.setdefault(_row["file"], []).append(_row)
SECTIONS: dict[str, list[dict[str, str]]] = {}
for _row in _read("sections.csv"):
    SECTIONS.setdefault(_row["file"], []).append(_row)


def catalogue_cells(template: str) -> list[Key]:
    """Every (indicator_code, breakdown) a template's tables have, from the seeds."""
    with (SEEDS / "breakdown_sets.csv").open(encoding="utf-8", newline="") as f:
        sets: dict[str, list[tuple[int, str]]] = {}
        for r in csv.DictReader(f):
            sets.setdefault(r["breakdown_set"], []).append((int(r["position"]), r["breakdown"]))
    with (SEEDS / "indicator_catalogue.csv").open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["template"] == template and r["is_header"].lower() != "true"]
    rows.sort(key=lambda r: int(r["row_order"]))
    return [(r["indicator_code"], b) for r in rows for _, b in sorted(sets[r["breakdown_set"]])]


@pytest.fixture(scope="module")
def parsed() -> tuple[ParseResult, pl.DataFrame]:
    paths = [GOV / f for f in FILES]
    documents, undecodable = decode_files(read_files(paths))
    return parse_documents(documents), undecodable


def _base(file: str) -> str:
    return Path(file).name


def _num(text: str) -> float | None:
    return float(text) if text != "" else None


def test_corpus_files_are_distinct_by_base_name() -> None:
    assert len({_base(f) for f in FILES}) == len(FILES)
    assert set(TRUTH) == set(FILES) == set(SECTIONS)


@pytest.mark.parametrize("file", FILES)
def test_truth_covers_the_template_cells(file: str) -> None:
    """The yardstick itself: one truth row per cell of the template, as the seeds define them."""
    keys = [(r["indicator_code"], r["breakdown"]) for r in TRUTH[file]]
    assert keys == catalogue_cells(REPORTS[file]["template"])


def test_every_report_is_parsed(parsed: tuple[ParseResult, pl.DataFrame]) -> None:
    result, undecodable = parsed
    assert undecodable.is_empty(), undecodable
    assert result.quarantine.is_empty(), result.quarantine.select("source_file", "reason", "detail").rows()
    assert sorted(result.reports["source_file"].to_list()) == sorted(_base(f) for f in FILES)


def _report(result: ParseResult, file: str) -> dict:
    rows = result.reports.filter(pl.col("source_file") == _base(file)).to_dicts()
    assert len(rows) == 1, f"{file}: {len(rows)} report rows"
    return rows[0]


@pytest.mark.parametrize("file", FILES)
def test_template_detection(parsed: tuple[ParseResult, pl.DataFrame], file: str) -> None:
    assert _report(parsed[0], file)["template"] == REPORTS[file]["template"]


@pytest.mark.parametrize("file", FILES)
def test_report_metadata(parsed: tuple[ParseResult, pl.DataFrame], file: str) -> None:
    got = _report(parsed[0], file)
    want = REPORTS[file]
    fields = {
        "agency_name": (got["agency_name"], want["agency_name"]),
        "agency_level": (got["agency_level"], want["agency_level"]),
        "report_year": (got["report_year"], int(want["report_year"])),
        "publish_date": (str(got["publish_date"]), want["publish_date"]),
        "province": (got["province"] or "", want["province"]),
        "city": (got["city"] or "", want["city"]),
        "county": (got["county"] or "", want["county"]),
    }
    assert {k: g for k, (g, _) in fields.items()} == {k: w for k, (_, w) in fields.items()}


def _table_values(result: ParseResult, file: str) -> pl.DataFrame:
    report_id = _report(result, file)["report_id"]
    return result.values.filter((pl.col("report_id") == report_id) & (pl.col("source_kind") == "table"))


@pytest.mark.parametrize("file", FILES)
def test_table_cells(parsed: tuple[ParseResult, pl.DataFrame], file: str) -> None:
    """Every truth cell loaded once with the right code, breakdown, value and raw value; no other table cell."""
    got_rows = _table_values(parsed[0], file).to_dicts()
    counts = Counter((r["indicator_code"], r["breakdown"]) for r in got_rows)
    got = {(r["indicator_code"], r["breakdown"]): r for r in got_rows}
    want = {(r["indicator_code"], r["breakdown"]): r for r in TRUTH[file]}
    missing = sorted(set(want) - set(got))
    extra = sorted(set(got) - set(want))
    duplicated = sorted(k for k, n in counts.items() if n > 1)
    wrong: list[str] = []
    for key in sorted(set(want) & set(got)):
        expected, row = _num(want[key]["value"]), got[key]
        value_ok = (
            (row["value"] is None)
            if expected is None
            else row["value"] is not None and abs(row["value"] - expected) < 1e-9
        )
        raw_ok = (row["raw_value"] or "").strip() == want[key]["raw_value"].strip()
        if not (value_ok and raw_ok):
            printed = f"value {row['value']!r} raw {row['raw_value']!r}"
            wrong.append(f"{key}: {printed}, want value {expected!r} raw {want[key]['raw_value']!r}")
    problems = {"missing": missing, "extra": extra, "duplicated": duplicated, "wrong": wrong}
    if any(problems.values()):
        details = "; ".join(f"{name} {len(items)}: {items[:12]}" for name, items in problems.items() if items)
        pytest.fail(f"{file}: {len(want)} truth cells; {details}", pytrace=False)


@pytest.mark.parametrize("file", FILES)
def test_sections(parsed: tuple[ParseResult, pl.DataFrame], file: str) -> None:
    report_id = _report(parsed[0], file)["report_id"]
    got = parsed[0].sections.filter(pl.col("report_id") == report_id).sort("section_no").to_dicts()
    want = SECTIONS[file]
    assert [(r["section_no"], r["heading"].strip()) for r in got] == [
        (int(w["section_no"]), w["heading"]) for w in want
    ]
    lines = [(int(w["section_no"]), int(w["start_line"])) for w in want if w["start_line"]]
    if lines:
        assert [(r["section_no"], r["start_line"]) for r in got] == lines
