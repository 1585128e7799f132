"""Held-out prose corpus: tests/fixtures/prose_holdout/h*.txt against their ground truth.

The held-out set measures how the prose extractor generalises to reports it was not developed against
(see tests/fixtures/prose_holdout/README.md). It reuses the helpers of ``test_prose_corpus`` with the
held-out directory and the same CSV columns and conventions.

Only ``test_holdout_is_well_formed`` asserts anything (the ground truth is consistent with itself and with
the files; it needs no extractor). The scoring tests never assert a threshold: they print recall and wrong
share for values and relations, distractor hits and metadata mismatches, with every missing or wrong row, so
the figures can be quoted. Run them with ``pytest -s tests/unit/test_prose_holdout.py`` or as a script:
``.venv/bin/python tests/unit/test_prose_holdout.py``.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

import polars as pl
import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # pragma: no cover - when run as a script
    sys.path.insert(0, str(ROOT))

from orchestration.lib.parsing import decode_files, parse_documents  # noqa: E402
from tests.unit import test_prose_corpus as main_corpus  # noqa: E402

HOLDOUT = ROOT / "tests" / "fixtures" / "prose_holdout"

Truth = main_corpus.Truth
Parsed = main_corpus.Parsed
numbers_in = main_corpus.numbers_in
norm_value = main_corpus.norm_value
prose_values = main_corpus.prose_values
value_key = main_corpus.value_key
squash = main_corpus.squash

MIN_REPORTS = 15
MIN_PROVINCES = 8
YEARS = set(range(2010, 2019))


# --------------------------------------------------------------------------------------------- loading


def read_csv(corpus: Path, name: str) -> list[dict[str, str]]:
    with open(corpus / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def load_truth(corpus: Path = HOLDOUT) -> Truth:
    return Truth(
        reports=read_csv(corpus, "reports.csv"),
        values=read_csv(corpus, "values.csv"),
        relations=read_csv(corpus, "relations.csv"),
        distractors=read_csv(corpus, "distractors.csv"),
    )


def load_documents(truth: Truth, corpus: Path = HOLDOUT) -> pl.DataFrame:
    blobs = [(corpus / f).read_bytes() for f in truth.files]
    files = pl.DataFrame(
        {"report_id": [hashlib.sha256(b).hexdigest() for b in blobs], "source_file": truth.files, "content": blobs},
        schema={"report_id": pl.String, "source_file": pl.String, "content": pl.Binary},
    )
    docs, undecodable = decode_files(files)
    assert undecodable.is_empty(), undecodable.to_dicts()
    return docs


def parse(documents: pl.DataFrame) -> Parsed:
    file_of = dict(zip(documents["report_id"], documents["source_file"], strict=True))
    return Parsed(parse_documents(documents), file_of)


# ------------------------------------------------------------------------------------------- scoring


def score_values(truth: Truth, parsed: Parsed) -> list[str]:
    expected = truth.value_keys()
    rows = prose_values(parsed).to_dicts()
    extracted = {value_key(row) for row in rows}
    evidence = {value_key(row): (row["source_line"], row["evidence"]) for row in rows}
    found = expected & extracted
    wrong = extracted - expected
    recall = len(found) / len(expected)
    wrong_share = len(wrong) / len(extracted) if extracted else 0.0
    lines = [
        f"holdout values: recall {recall:.3f} ({len(found)}/{len(expected)} found), "
        f"wrong share {wrong_share:.3f} ({len(wrong)}/{len(extracted)} extracted), {len(truth.files)} reports"
    ]
    missing_by_file: dict[str, list] = defaultdict(list)
    wrong_by_file: dict[str, list] = defaultdict(list)
    for key in sorted(expected - extracted, key=str):
        missing_by_file[key[0]].append(key)
    for key in sorted(wrong, key=str):
        wrong_by_file[str(key[0])].append(key)
    for file in truth.files:
        if not missing_by_file[file] and not wrong_by_file[file]:
            continue
        lines.append(f"== {file}")
        lines += [f"   missing {k[1]} [{k[2]}] = {k[3]} ({k[4]})" for k in missing_by_file[file]]
        for k in wrong_by_file[file]:
            line, ev = evidence[k]
            lines.append(f"   wrong   {k[1]} [{k[2]}] = {k[3]} ({k[4]}) line {line}: {(ev or '')[:70]}")
    return lines


def score_relations(truth: Truth, parsed: Parsed) -> list[str]:
    relations = getattr(parsed.result, "relations", None)
    if relations is None:
        return ["holdout relations: ParseResult has no `relations` frame"]
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
    lines = [
        f"holdout relations: recall {recall:.3f} ({len(found)}/{len(expected)} found), "
        f"wrong share {wrong_share:.3f} ({len(wrong)}/{len(extracted)} extracted)"
    ]
    lines += [f"   missing {k}" for k in sorted(expected - extracted)]
    lines += [f"   wrong   {k}" for k in sorted(wrong, key=str)]
    return lines


def score_distractors(truth: Truth, parsed: Parsed, texts: dict[str, str]) -> list[str]:
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
                hits.append(
                    f"   {file}: {text!r} → {row['indicator_code']} = {row['value']} (line {row['source_line']})"
                )
    return [f"holdout distractors: {len(hits)} hits of {len(truth.distractors)} planted", *hits]


def score_metadata(truth: Truth, parsed: Parsed) -> list[str]:
    reports = {row["source_file"]: row for row in parsed.result.reports.to_dicts()}
    quarantined = {row["source_file"]: row for row in parsed.result.quarantine.to_dicts()}
    diff: list[str] = []
    for r in truth.reports:
        got = reports.get(r["file"])
        if got is None:
            why = quarantined.get(r["file"], {})
            diff.append(f"   {r['file']}: not a report ({why.get('reason')}: {why.get('detail')})")
            continue
        for field, column in main_corpus.METADATA_FIELDS.items():
            want: object = r[field] or None
            if want is not None and field == "report_year":
                want = int(want)
            if want is not None and field == "publish_date":
                want = dt.date.fromisoformat(str(want))
            have = got.get(column, "<no column>")
            if have == "":
                have = None
            if have != want:
                diff.append(f"   {r['file']}: {column} {have!r} ≠ {want!r}")
    return [f"holdout metadata: {len(diff)} mismatches", *diff]


# ----------------------------------------------------------------------------------------------- tests


@pytest.fixture(scope="module")
def truth() -> Truth:
    return load_truth()


@pytest.fixture(scope="module")
def documents(truth: Truth) -> pl.DataFrame:
    return load_documents(truth)


@pytest.fixture(scope="module")
def texts(documents: pl.DataFrame) -> dict[str, str]:
    return dict(zip(documents["source_file"], documents["text"], strict=True))


@pytest.fixture(scope="module")
def parsed(documents: pl.DataFrame) -> Parsed:
    return parse(documents)


def _print(capsys: pytest.CaptureFixture[str], lines: list[str]) -> None:
    with capsys.disabled():
        print()
        print("\n".join(lines))


def test_holdout_is_well_formed(truth: Truth, texts: dict[str, str]) -> None:
    """The held-out ground truth is consistent with itself and with the files (needs no extractor)."""
    files = sorted(p.name for p in HOLDOUT.glob("*.txt"))
    assert sorted(truth.files) == files, "reports.csv lists every held-out file"
    assert len(files) >= MIN_REPORTS
    assert len(set(truth.files)) == len(truth.files)
    for file in files:
        n_lines = len(texts[file].splitlines())
        assert 30 <= n_lines <= 70, (file, n_lines)

    with open(main_corpus.CATALOGUE, encoding="utf-8", newline="") as fh:
        codes = {row["indicator_code"] for row in csv.DictReader(fh)}

    problems: list[str] = []
    seen: Counter = Counter()
    numbers = {f: (ns := numbers_in(texts[f])) | {round(n / 10000, 6) for n in ns} for f in truth.files}
    known = set(truth.files)
    for v in truth.values:
        seen[(v["file"], v["indicator_code"], v["breakdown"])] += 1
        x = float(v["value"])
        if v["file"] not in known:
            problems.append(f"values: unknown file {v}")
        elif v["indicator_code"] not in codes:
            problems.append(f"values: code not in the catalogue {v}")
        elif v["qualifier"] not in main_corpus.QUALIFIERS:
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
        if r["agency_level"] not in main_corpus.LEVELS:
            problems.append(f"reports: bad level {r}")
        if not r["province"] or (r["county"] and not r["city"]):
            problems.append(f"reports: incomplete region {r}")
        if r["publish_date"]:
            dt.date.fromisoformat(r["publish_date"])
        for field in ("postcode", "phone", "email"):
            if r[field] and r[field] not in texts[r["file"]]:
                problems.append(f"reports: {field} not in the text {r['file']}")
        if not re.fullmatch(r"h\d\d_[a-z_]+_\d{4}(_[a-z]+)?\.txt", r["file"]):
            problems.append(f"reports: unexpected file name {r['file']}")
    assert {r["agency_level"] for r in truth.reports} == main_corpus.LEVELS
    assert len({r["province"] for r in truth.reports}) >= MIN_PROVINCES
    assert {int(r["report_year"]) for r in truth.reports} <= YEARS
    assert not problems, "\n".join(problems)


def test_holdout_values(truth: Truth, parsed: Parsed, capsys: pytest.CaptureFixture[str]) -> None:
    _print(capsys, score_values(truth, parsed))


def test_holdout_relations(truth: Truth, parsed: Parsed, capsys: pytest.CaptureFixture[str]) -> None:
    _print(capsys, score_relations(truth, parsed))


def test_holdout_distractors(
    truth: Truth, parsed: Parsed, texts: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    _print(capsys, score_distractors(truth, parsed, texts))


def test_holdout_metadata(truth: Truth, parsed: Parsed, capsys: pytest.CaptureFixture[str]) -> None:
    _print(capsys, score_metadata(truth, parsed))


def main() -> None:  # pragma: no cover - script entry
    truth = load_truth()
    documents = load_documents(truth)
    texts = dict(zip(documents["source_file"], documents["text"], strict=True))
    parsed = parse(documents)
    for block in (
        score_values(truth, parsed),
        score_relations(truth, parsed),
        score_distractors(truth, parsed, texts),
        score_metadata(truth, parsed),
    ):
        print("\n".join(block))
        print()


if __name__ == "__main__":  # pragma: no cover
    main()
