"""Hand-checked prose corpus: the five seeds plus tests/fixtures/prose_corpus/*.txt against their ground truth.

Ground truth (tests/fixtures/prose_corpus/, conventions in its README.md):
- values.csv: every quantity a careful analyst writes down from the prose (file, indicator_code,
  breakdown, value, qualifier); statistics-table rows are not listed (tested elsewhere);
- relations.csv: each prose sum, one row per (whole, part);
- reports.csv: report metadata;
- distractors.csv: numbers planted in each file that must never become a prose value.

The corpus is written independently of the prose extractor. ``test_corpus_is_well_formed`` checks the
corpus itself and passes without any extractor; the other tests measure the parser and print their
figures (recall, wrong share) to stdout even when they pass, so they can be quoted.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pytest

from orchestration.lib.parsing import ParseResult, decode_files, parse_documents

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "raw"
CORPUS = ROOT / "tests" / "fixtures" / "prose_corpus"
CATALOGUE = ROOT / "dbt_project" / "seeds" / "indicator_catalogue.csv"

MIN_RECALL = 0.95
MAX_WRONG_SHARE = 0.01
MIN_OWN_REPORTS = 36
MIN_PROVINCES = 12

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
#: files written in a non-UTF-8 form on purpose: name → encoding decode_files must report
EXPECTED_ENCODINGS = {
    "p13_yijun_county_2013_gbk.txt": "gb18030",
    "p17_lixia_quanchenglu_2015_bom.txt": "utf-8-sig",
}

ValueKey = tuple[str, str, str, float | None, str]  # file, indicator_code, breakdown, value, qualifier
RelationKey = tuple[str, str, str, str, str]  # file, parent code, parent breakdown, child code, child breakdown


# --------------------------------------------------------------------------------------------- loading


def read_csv(name: str) -> list[dict[str, str]]:
    with open(CORPUS / name, encoding="utf-8", newline="") as fh:
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


def path_of(file: str) -> Path:
    return RAW / file if (RAW / file).exists() else CORPUS / file


@pytest.fixture(scope="module")
def truth() -> Truth:
    return Truth(
        reports=read_csv("reports.csv"),
        values=read_csv("values.csv"),
        relations=read_csv("relations.csv"),
        distractors=read_csv("distractors.csv"),
    )


@pytest.fixture(scope="module")
def documents(truth: Truth) -> pl.DataFrame:
    """DOCUMENTS frame of every corpus file (raw bytes through decode_files), report_id = sha256 of the bytes."""
    blobs = [path_of(f).read_bytes() for f in truth.files]
    files = pl.DataFrame(
        {"report_id": [hashlib.sha256(b).hexdigest() for b in blobs], "source_file": truth.files, "content": blobs},
        schema={"report_id": pl.String, "source_file": pl.String, "content": pl.Binary},
    )
    docs, undecodable = decode_files(files)
    assert undecodable.is_empty(), undecodable.to_dicts()
    return docs


@pytest.fixture(scope="module")
def texts(documents: pl.DataFrame) -> dict[str, str]:
    return dict(zip(documents["source_file"], documents["text"], strict=True))


@dataclass(frozen=True)
class Parsed:
    result: ParseResult
    file_of: dict[str, str]  # report_id → file


@pytest.fixture(scope="module")
def parsed(documents: pl.DataFrame) -> Parsed:
    file_of = dict(zip(documents["report_id"], documents["source_file"], strict=True))
    return Parsed(parse_documents(documents), file_of)


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


# ------------------------------------------------------------------------------------- parser output


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


def print_figures(capsys: pytest.CaptureFixture[str], lines: list[str]) -> None:
    with capsys.disabled():
        print()
        for line in lines:
            print(line)


# ----------------------------------------------------------------------------------------------- tests


def test_corpus_is_well_formed(truth: Truth, texts: dict[str, str], documents: pl.DataFrame) -> None:
    """The ground truth is consistent with itself and with the files (needs no extractor)."""
    own = [f for f in truth.files if not (RAW / f).exists()]
    seeds = sorted(p.name for p in RAW.glob("*.txt"))
    assert sorted(set(truth.files) - set(own)) == seeds, "all five seeds are in reports.csv"
    assert sorted(own) == sorted(p.name for p in CORPUS.glob("*.txt")), "reports.csv lists every corpus file"
    assert len(own) >= MIN_OWN_REPORTS
    assert len(set(truth.files)) == len(truth.files)

    encodings = dict(zip(documents["source_file"], documents["encoding"], strict=True))
    for file, encoding in EXPECTED_ENCODINGS.items():
        assert encodings[file] == encoding, file
    for file in own:
        n_lines = len(texts[file].splitlines())
        assert 20 <= n_lines <= 80, (file, n_lines)

    with open(CATALOGUE, encoding="utf-8", newline="") as fh:
        codes = {row["indicator_code"] for row in csv.DictReader(fh)}
    proposed = set(
        re.findall(r"^\|\s*`?(prose_[a-z_]+)`?\s*\|", (CORPUS / "NEW_INDICATORS.md").read_text("utf-8"), re.M)
    )
    assert proposed.isdisjoint(codes)

    known = set(truth.files)
    problems: list[str] = []
    seen: Counter = Counter()
    # a value is one of the file's numbers, or one of them / 10000 (fees printed in 元, recorded in 万元)
    numbers = {f: (ns := numbers_in(texts[f])) | {round(n / 10000, 6) for n in ns} for f in truth.files}
    for v in truth.values:
        key = (v["file"], v["indicator_code"], v["breakdown"])
        seen[key] += 1
        x = float(v["value"])
        if v["file"] not in known:
            problems.append(f"values: unknown file {v}")
        elif v["indicator_code"] not in codes | proposed:
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
    own_reports = [r for r in truth.reports if r["file"] in own]
    assert {r["agency_level"] for r in own_reports} == LEVELS
    assert len({r["province"] for r in own_reports}) >= MIN_PROVINCES
    assert {int(r["report_year"]) for r in own_reports} == set(range(2009, 2019))
    assert not problems, "\n".join(problems)


def test_prose_values_recall_and_wrong_share(truth: Truth, parsed: Parsed, capsys: pytest.CaptureFixture[str]) -> None:
    expected = truth.value_keys()
    rows = prose_values(parsed).to_dicts()
    extracted = {value_key(row) for row in rows}
    evidence = {value_key(row): (row["source_line"], row["evidence"]) for row in rows}
    found = expected & extracted
    wrong = extracted - expected
    recall = len(found) / len(expected)
    wrong_share = len(wrong) / len(extracted) if extracted else 0.0

    missing_by_file: dict[str, list[ValueKey]] = defaultdict(list)
    wrong_by_file: dict[str, list[ValueKey]] = defaultdict(list)
    for key in sorted(expected - extracted, key=str):
        missing_by_file[key[0]].append(key)
    for key in sorted(wrong, key=str):
        wrong_by_file[str(key[0])].append(key)
    diff: list[str] = []
    for file in truth.files:
        if not missing_by_file[file] and not wrong_by_file[file]:
            continue
        diff.append(f"== {file}")
        diff += [f"   missing {k[1]} [{k[2]}] = {k[3]} ({k[4]})" for k in missing_by_file[file]]
        for k in wrong_by_file[file]:
            line, ev = evidence[k]
            diff.append(f"   wrong   {k[1]} [{k[2]}] = {k[3]} ({k[4]}) line {line}: {(ev or '')[:70]}")

    print_figures(
        capsys,
        [
            f"prose corpus values: recall {recall:.3f} ({len(found)}/{len(expected)} found), "
            f"wrong share {wrong_share:.3f} ({len(wrong)}/{len(extracted)} extracted), "
            f"{len(truth.files)} reports",
        ],
    )
    assert recall >= MIN_RECALL and wrong_share < MAX_WRONG_SHARE, (
        f"recall {recall:.3f} (need ≥ {MIN_RECALL}), wrong share {wrong_share:.3f} (need < {MAX_WRONG_SHARE})\n"
        + "\n".join(diff)
    )


def test_distractors_are_never_prose_values(truth: Truth, parsed: Parsed, texts: dict[str, str]) -> None:
    """A planted number (date, phone, postcode, document number, target, …) never becomes a prose value:
    no extracted value equal to one of its numbers read from the line holding it (by source_line or evidence)
    unless the ground truth lists that very value."""
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
    assert not hits, "distractor numbers extracted as prose values:\n" + "\n".join(hits)


def test_prose_relations(truth: Truth, parsed: Parsed, capsys: pytest.CaptureFixture[str]) -> None:
    relations = getattr(parsed.result, "relations", None)
    if relations is None:
        pytest.fail("ParseResult has no `relations` frame (VALUE_RELATIONS schema) yet")
    cols = ("parent_indicator_code", "parent_breakdown", "child_indicator_code", "child_breakdown")
    extracted = {
        (parsed.file_of.get(row["report_id"], row["report_id"]), *((row[c] or "") for c in cols))
        for row in relations.to_dicts()
    }
    expected = truth.relation_keys()
    found = expected & extracted
    wrong = extracted - expected
    recall = len(found) / len(expected)
    wrong_share = len(wrong) / len(extracted) if extracted else 0.0
    print_figures(
        capsys,
        [
            f"prose corpus relations: recall {recall:.3f} ({len(found)}/{len(expected)} found), "
            f"wrong share {wrong_share:.3f} ({len(wrong)}/{len(extracted)} extracted)"
        ],
    )
    diff = [f"missing {k}" for k in sorted(expected - extracted)] + [f"wrong   {k}" for k in sorted(wrong, key=str)]
    assert recall >= MIN_RECALL and wrong_share < MAX_WRONG_SHARE, "\n".join(diff)


def test_report_metadata(truth: Truth, parsed: Parsed) -> None:
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
    assert not diff, f"{len(diff)} metadata mismatches:\n" + "\n".join(diff)
