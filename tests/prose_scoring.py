"""Scoring of the prose extractor against a hand-checked corpus (shared by the development and held-out tests).

A corpus directory holds report files and their ground truth in four CSV files (conventions in
tests/fixtures/prose_corpus/README.md):
- values.csv: every quantity a careful analyst writes down from the prose (file, indicator_code,
  breakdown, value, qualifier); statistics-table rows are not listed (tested elsewhere);
- relations.csv: each prose sum, one row per (whole, part);
- reports.csv: report metadata;
- distractors.csv: numbers planted in each file that must never become a prose value.

Everything here takes the corpus directory as a parameter and returns figures or lines; asserting
thresholds or only printing them is up to the test module.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pytest

from orchestration.lib.parsing import ParseResult, decode_files, parse_documents
from tests.parsing_helpers import files_frame

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "raw"
CATALOGUE = ROOT / "dbt_project" / "seeds" / "indicator_catalogue.csv"

QUALIFIERS = {"exact", "approx", "at_least", "stated_none"}
LEVELS = {"乡镇", "街道", "县区政府", "县区部门", "市政府", "市部门", "省政府", "省部门"}
#: reports.csv column → REPORTS column
METADATA_FIELDS = {
    "agency_name": "agency_name",
    "agency_short_name": "agency_short_name",
    "agency_level": "agency_level",
    "province": "province",
    "city": "city",
    "county": "county",
    "report_year": "report_year",
    "publish_date": "publish_date",
    "postcode": "contact_postcode",
    "phone": "contact_phone",
    "email": "contact_email",
}

ValueKey = tuple[str, str, str, float | None, str]  # file, indicator_code, breakdown, value, qualifier
RelationKey = tuple[str, str, str, str, str]  # file, parent code, parent breakdown, child code, child breakdown


# --------------------------------------------------------------------------------------------- loading


def read_csv(corpus: Path, name: str) -> list[dict[str, str]]:
    with open(corpus / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def norm_value(value: float | str | None) -> float | None:
    return None if value is None or value == "" else round(float(value), 6)


@dataclass(frozen=True)
class Truth:
    reports: list[dict[str, str]]
    values: list[dict[str, str]]
    relations: list[dict[str, str]]
    distractors: list[dict[str, str]]

    @property
    def files(self) -> list[str]:
        return [r["file"] for r in self.reports]

    def value_keys(self) -> set[ValueKey]:
        return {
            (v["file"], v["indicator_code"], v["breakdown"], norm_value(v["value"]), v["qualifier"])
            for v in self.values
        }

    def relation_keys(self) -> set[RelationKey]:
        return {
            (
                r["file"],
                r["parent_indicator_code"],
                r["parent_breakdown"],
                r["child_indicator_code"],
                r["child_breakdown"],
            )
            for r in self.relations
        }


def load_truth(corpus: Path) -> Truth:
    return Truth(
        reports=read_csv(corpus, "reports.csv"),
        values=read_csv(corpus, "values.csv"),
        relations=read_csv(corpus, "relations.csv"),
        distractors=read_csv(corpus, "distractors.csv"),
    )


def catalogue_codes() -> set[str]:
    with open(CATALOGUE, encoding="utf-8", newline="") as fh:
        return {row["indicator_code"] for row in csv.DictReader(fh)}


def load_documents(truth: Truth, dirs: Sequence[Path]) -> pl.DataFrame:
    """DOCUMENTS frame of every corpus file (raw bytes through decode_files), report_id = sha256 of the bytes.

    Each file is read from the first of ``dirs`` that holds it, else from the last one."""

    def path_of(file: str) -> Path:
        return next((d / file for d in dirs if (d / file).exists()), dirs[-1] / file)

    docs, undecodable = decode_files(files_frame({f: path_of(f).read_bytes() for f in truth.files}))
    assert undecodable.is_empty(), undecodable.to_dicts()
    return docs


def texts_of(documents: pl.DataFrame) -> dict[str, str]:
    return dict(zip(documents["source_file"], documents["text"], strict=True))


@dataclass(frozen=True)
class Parsed:
    result: ParseResult
    file_of: dict[str, str]  # report_id → file


def parse(documents: pl.DataFrame) -> Parsed:
    file_of = dict(zip(documents["report_id"], documents["source_file"], strict=True))
    return Parsed(parse_documents(documents), file_of)


def print_lines(capsys: pytest.CaptureFixture[str], lines: list[str]) -> None:
    """Print to the terminal even when pytest captures output, so the figures can be quoted."""
    with capsys.disabled():
        print()
        print("\n".join(lines))


# ------------------------------------------------------------------------------------- number reading

_CN_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "兩": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_RUN = re.compile("[〇零一二两兩三四五六七八九十百千万萬]+")
_ARABIC = re.compile(r"(\d+(?:\.\d+)?)\s*([万萬])?")


def chinese_number(run: str) -> int:
    """三十二 → 32, 一千二百 → 1200, 二〇一八 → 2018 (digit by digit when there is no unit)."""
    if not any(c in run for c in "十百千万萬"):
        return int("".join(str(_CN_DIGITS[c]) for c in run))
    total = section = digit = 0
    for c in run:
        if c in _CN_DIGITS:
            digit = _CN_DIGITS[c]
        elif c in _CN_UNITS:
            section += (digit or 1) * _CN_UNITS[c]
            digit = 0
        else:  # 万
            total += ((section + digit) or 1) * 10000
            section = digit = 0
    return total + section + digit


def numbers_in(text: str) -> set[float]:
    """Every number a reader could take from ``text``: Arabic (full-width, thousands separators, 万) and Chinese."""
    t = re.sub(r"(?<=\d),(?=\d{3})", "", unicodedata.normalize("NFKC", text))
    out: set[float] = set()
    for m in _ARABIC.finditer(t):
        x = float(m.group(1))
        out.add(round(x, 6))
        if m.group(2):
            out.add(round(x * 10000, 6))
    for m in _CN_RUN.finditer(t):
        out.add(float(chinese_number(m.group(0))))
    return out


def squash(text: str | None) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


# ---------------------------------------------------------------------------------------- well-formedness


def check_well_formed(
    truth: Truth,
    texts: dict[str, str],
    *,
    own: list[str],
    codes: set[str],
    line_range: tuple[int, int],
    min_reports: int,
    min_provinces: int,
    years: set[int],
    every_year: bool,
    file_name: str | None = None,
) -> None:
    """Assert the ground truth is consistent with itself and with the files (needs no extractor).

    ``own`` are the corpus's own files (line counts, levels, provinces and years are checked on them only),
    ``codes`` the indicator codes a value may use; the report years must be exactly ``years`` when
    ``every_year``, else a subset of it; ``file_name`` is a pattern every report's file name must match."""
    assert len(own) >= min_reports
    assert len(set(truth.files)) == len(truth.files)
    low, high = line_range
    for file in own:
        n_lines = len(texts[file].splitlines())
        assert low <= n_lines <= high, (file, n_lines)

    known = set(truth.files)
    problems: list[str] = []
    seen: Counter = Counter()
    # a value is one of the file's numbers, or one of them / 10000 (fees printed in 元, recorded in 万元)
    numbers = {f: (ns := numbers_in(texts[f])) | {round(n / 10000, 6) for n in ns} for f in truth.files}
    for v in truth.values:
        seen[(v["file"], v["indicator_code"], v["breakdown"])] += 1
        x = float(v["value"])
        if v["file"] not in known:
            problems.append(f"values: unknown file {v}")
        elif v["indicator_code"] not in codes:
            problems.append(f"values: unknown indicator {v}")
        elif v["qualifier"] not in QUALIFIERS:
            problems.append(f"values: bad qualifier {v}")
        elif v["qualifier"] == "stated_none" and x != 0:
            problems.append(f"values: stated_none must be 0 {v}")
        elif v["qualifier"] != "stated_none" and x not in numbers[v["file"]]:
            problems.append(f"values: number not in the text {v}")
    problems += [f"values: listed twice {k}" for k, n in seen.items() if n > 1]

    by_key = {(v["file"], v["indicator_code"], v["breakdown"]): float(v["value"]) for v in truth.values}
    sums: dict[tuple, float] = defaultdict(float)
    for r in truth.relations:
        parent = (r["file"], r["parent_indicator_code"], r["parent_breakdown"])
        child = (r["file"], r["child_indicator_code"], r["child_breakdown"])
        if parent not in by_key or child not in by_key:
            problems.append(f"relations: whole or part not in values.csv {r}")
            continue
        family = "category" if "category" in r["child_indicator_code"] else r["child_indicator_code"].split("_")[1]
        sums[(*parent, family)] += by_key[child]
    for (*parent, _family), total in sums.items():
        if abs(total - by_key[tuple(parent)]) > 1e-6:
            problems.append(f"relations: parts add up to {total}, not {by_key[tuple(parent)]}: {parent}")

    for d in truth.distractors:
        if d["text"] not in texts.get(d["file"], ""):
            problems.append(f"distractors: text not in the file {d}")
        elif not numbers_in(d["text"]):
            problems.append(f"distractors: no number in {d}")

    for r in truth.reports:
        head = "".join(texts[r["file"]].splitlines()[:12]).replace(" ", "")
        if r["agency_name"] not in head:
            problems.append(f"reports: agency name not in the title {r['file']}")
        if not r["agency_name"].endswith(r["agency_short_name"]):
            problems.append(f"reports: short name is not a suffix of the name {r['file']}")
        if r["agency_level"] not in LEVELS:
            problems.append(f"reports: bad level {r}")
        if not r["province"] or (r["county"] and not r["city"]):
            problems.append(f"reports: incomplete region {r}")
        if r["publish_date"]:
            dt.date.fromisoformat(r["publish_date"])
        for field in ("postcode", "phone", "email"):
            if r[field] and r[field] not in texts[r["file"]]:
                problems.append(f"reports: {field} not in the text {r['file']}")
        if file_name is not None and not re.fullmatch(file_name, r["file"]):
            problems.append(f"reports: unexpected file name {r['file']}")
    own_reports = [r for r in truth.reports if r["file"] in set(own)]
    assert {r["agency_level"] for r in own_reports} == LEVELS
    assert len({r["province"] for r in own_reports}) >= min_provinces
    report_years = {int(r["report_year"]) for r in own_reports}
    assert report_years == years if every_year else report_years <= years, sorted(report_years)
    assert not problems, "\n".join(problems)


# ------------------------------------------------------------------------------------------- scoring


@dataclass(frozen=True)
class Score:
    recall: float
    wrong_share: float
    summary: str  # "recall … (found/expected found), wrong share … (wrong/extracted extracted)"
    details: list[str]  # every missing and wrong row


def _score(expected: set, extracted: set) -> tuple[set, set, float, float, str]:
    found = expected & extracted
    wrong = extracted - expected
    recall = len(found) / len(expected)
    wrong_share = len(wrong) / len(extracted) if extracted else 0.0
    summary = (
        f"recall {recall:.3f} ({len(found)}/{len(expected)} found), "
        f"wrong share {wrong_share:.3f} ({len(wrong)}/{len(extracted)} extracted)"
    )
    return found, wrong, recall, wrong_share, summary


def prose_values(parsed: Parsed) -> pl.DataFrame:
    values = parsed.result.values.filter(pl.col("source_kind") == "prose")
    if "evidence" not in values.columns:
        values = values.with_columns(evidence=pl.lit(None, pl.String))
    return values.with_columns(
        file=pl.col("report_id").replace_strict(parsed.file_of, default=None),
        breakdown=pl.col("breakdown").fill_null(""),
    )


def value_key(row: dict) -> ValueKey:
    return (row["file"], row["indicator_code"], row["breakdown"], norm_value(row["value"]), row["qualifier"])


def score_values(truth: Truth, parsed: Parsed) -> Score:
    """Prose values against values.csv; details list the missing and wrong rows file by file."""
    expected = truth.value_keys()
    rows = prose_values(parsed).to_dicts()
    extracted = {value_key(row) for row in rows}
    evidence = {value_key(row): (row["source_line"], row["evidence"]) for row in rows}
    _found, wrong, recall, wrong_share, summary = _score(expected, extracted)

    missing_by_file: dict[str, list[ValueKey]] = defaultdict(list)
    wrong_by_file: dict[str, list[ValueKey]] = defaultdict(list)
    for key in sorted(expected - extracted, key=str):
        missing_by_file[key[0]].append(key)
    for key in sorted(wrong, key=str):
        wrong_by_file[str(key[0])].append(key)
    details: list[str] = []
    for file in truth.files:
        if not missing_by_file[file] and not wrong_by_file[file]:
            continue
        details.append(f"== {file}")
        details += [f"   missing {k[1]} [{k[2]}] = {k[3]} ({k[4]})" for k in missing_by_file[file]]
        for k in wrong_by_file[file]:
            line, ev = evidence[k]
            details.append(f"   wrong   {k[1]} [{k[2]}] = {k[3]} ({k[4]}) line {line}: {(ev or '')[:70]}")
    return Score(recall, wrong_share, f"{summary}, {len(truth.files)} reports", details)


def score_relations(truth: Truth, parsed: Parsed) -> Score | None:
    """Prose sums against relations.csv; None when the ParseResult has no ``relations`` frame."""
    relations = getattr(parsed.result, "relations", None)
    if relations is None:
        return None
    cols = ("parent_indicator_code", "parent_breakdown", "child_indicator_code", "child_breakdown")
    extracted = {
        (parsed.file_of.get(row["report_id"], row["report_id"]), *((row[c] or "") for c in cols))
        for row in relations.to_dicts()
    }
    expected = truth.relation_keys()
    _found, wrong, recall, wrong_share, summary = _score(expected, extracted)
    details = [f"missing {k}" for k in sorted(expected - extracted)] + [f"wrong   {k}" for k in sorted(wrong, key=str)]
    return Score(recall, wrong_share, summary, details)


def distractor_hits(truth: Truth, parsed: Parsed, texts: dict[str, str]) -> list[str]:
    """A planted number (date, phone, postcode, document number, target, …) taken as a prose value:
    an extracted value equal to one of its numbers read from the line holding it (by source_line or evidence)
    that the ground truth does not list."""
    expected = truth.value_keys()
    rows_by_file: dict[str, list[dict]] = defaultdict(list)
    for row in prose_values(parsed).to_dicts():
        rows_by_file[row["file"]].append(row)
    hits: list[str] = []
    for d in truth.distractors:
        file, text = d["file"], d["text"]
        lines = {i for i, line in enumerate(texts[file].splitlines(), start=1) if text in line}
        numbers = numbers_in(text)
        for row in rows_by_file[file]:
            if norm_value(row["value"]) not in numbers or value_key(row) in expected:
                continue
            if row["source_line"] in lines or squash(text) in squash(row["evidence"]):
                hits.append(f"{file}: {text!r} → {row['indicator_code']} = {row['value']} (line {row['source_line']})")
    return hits


def metadata_mismatches(truth: Truth, parsed: Parsed) -> list[str]:
    """Report metadata (REPORTS) against reports.csv, one line per file not parsed as a report or field off."""
    reports = {row["source_file"]: row for row in parsed.result.reports.to_dicts()}
    quarantined = {row["source_file"]: row for row in parsed.result.quarantine.to_dicts()}
    diff: list[str] = []
    for r in truth.reports:
        got = reports.get(r["file"])
        if got is None:
            why = quarantined.get(r["file"], {})
            diff.append(f"{r['file']}: not a report ({why.get('reason')}: {why.get('detail')})")
            continue
        for field, column in METADATA_FIELDS.items():
            want: object = r[field] or None
            if want is not None and field == "report_year":
                want = int(want)
            if want is not None and field == "publish_date":
                want = dt.date.fromisoformat(str(want))
            have = got.get(column, "<no column>")
            if have == "":
                have = None
            if have != want:
                diff.append(f"{r['file']}: {column} {have!r} ≠ {want!r}")
    return diff
