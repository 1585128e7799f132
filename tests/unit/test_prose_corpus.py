"""Hand-checked prose corpus: the five seeds plus tests/fixtures/prose_corpus/*.txt against their ground truth.

Ground truth (tests/fixtures/prose_corpus/, conventions in its README.md):
- values.csv: every quantity a careful analyst writes down from the prose (file, indicator_code,
  breakdown, value, qualifier); statistics-table rows are not listed (tested elsewhere);
- relations.csv: each prose sum, one row per (whole, part);
- reports.csv: report metadata;
- distractors.csv: numbers planted in each file that must never become a prose value.

The corpus is written independently of the prose extractor. ``test_corpus_is_well_formed`` checks the
corpus itself and passes without any extractor; the other tests measure the parser and print their
figures (recall, wrong share) to stdout even when they pass, so they can be quoted. Loading, parsing and
scoring live in ``tests/prose_scoring.py`` (shared with the held-out corpus).
"""

from __future__ import annotations

import re

import polars as pl
import pytest

from tests import prose_scoring as ps
from tests.prose_scoring import Parsed, Truth

RAW = ps.RAW
CORPUS = ps.ROOT / "tests" / "fixtures" / "prose_corpus"

MIN_RECALL = 0.95
MAX_WRONG_SHARE = 0.01
MIN_OWN_REPORTS = 36
MIN_PROVINCES = 12
YEARS = set(range(2009, 2019))  # every year present

#: files written in a non-UTF-8 form on purpose: name → encoding decode_files must report
EXPECTED_ENCODINGS = {
    "p13_yijun_county_2013_gbk.txt": "gb18030",
    "p17_lixia_quanchenglu_2015_bom.txt": "utf-8-sig",
}


@pytest.fixture(scope="module")
def truth() -> Truth:
    return ps.load_truth(CORPUS)


@pytest.fixture(scope="module")
def documents(truth: Truth) -> pl.DataFrame:
    """The seeds are read from raw/, the corpus's own files from its directory."""
    return ps.load_documents(truth, (RAW, CORPUS))


@pytest.fixture(scope="module")
def texts(documents: pl.DataFrame) -> dict[str, str]:
    return ps.texts_of(documents)


@pytest.fixture(scope="module")
def parsed(documents: pl.DataFrame) -> Parsed:
    return ps.parse(documents)


def test_corpus_is_well_formed(truth: Truth, texts: dict[str, str], documents: pl.DataFrame) -> None:
    """The ground truth is consistent with itself and with the files (needs no extractor)."""
    own = [f for f in truth.files if not (RAW / f).exists()]
    seeds = sorted(p.name for p in RAW.glob("*.txt"))
    assert sorted(set(truth.files) - set(own)) == seeds, "all five seeds are in reports.csv"
    assert sorted(own) == sorted(p.name for p in CORPUS.glob("*.txt")), "reports.csv lists every corpus file"

    encodings = dict(zip(documents["source_file"], documents["encoding"], strict=True))
    for file, encoding in EXPECTED_ENCODINGS.items():
        assert encodings[file] == encoding, file

    codes = ps.catalogue_codes()
    proposed = set(
        re.findall(r"^\|\s*`?(prose_[a-z_]+)`?\s*\|", (CORPUS / "NEW_INDICATORS.md").read_text("utf-8"), re.M)
    )
    assert proposed.isdisjoint(codes)

    ps.check_well_formed(
        truth,
        texts,
        own=own,
        codes=codes | proposed,
        line_range=(20, 80),
        min_reports=MIN_OWN_REPORTS,
        min_provinces=MIN_PROVINCES,
        years=YEARS,
        every_year=True,
    )


def test_prose_values_recall_and_wrong_share(truth: Truth, parsed: Parsed, capsys: pytest.CaptureFixture[str]) -> None:
    score = ps.score_values(truth, parsed)
    ps.print_lines(capsys, [f"prose corpus values: {score.summary}"])
    assert score.recall >= MIN_RECALL and score.wrong_share < MAX_WRONG_SHARE, (
        f"recall {score.recall:.3f} (need ≥ {MIN_RECALL}), "
        f"wrong share {score.wrong_share:.3f} (need < {MAX_WRONG_SHARE})\n" + "\n".join(score.details)
    )


def test_distractors_are_never_prose_values(truth: Truth, parsed: Parsed, texts: dict[str, str]) -> None:
    """A planted number (date, phone, postcode, document number, target, …) never becomes a prose value:
    no extracted value equal to one of its numbers read from the line holding it (by source_line or evidence)
    unless the ground truth lists that very value."""
    hits = ps.distractor_hits(truth, parsed, texts)
    assert not hits, "distractor numbers extracted as prose values:\n" + "\n".join(hits)


def test_prose_relations(truth: Truth, parsed: Parsed, capsys: pytest.CaptureFixture[str]) -> None:
    score = ps.score_relations(truth, parsed)
    if score is None:
        pytest.fail("ParseResult has no `relations` frame (VALUE_RELATIONS schema) yet")
    ps.print_lines(capsys, [f"prose corpus relations: {score.summary}"])
    assert score.recall >= MIN_RECALL and score.wrong_share < MAX_WRONG_SHARE, "\n".join(score.details)


def test_report_metadata(truth: Truth, parsed: Parsed) -> None:
    diff = ps.metadata_mismatches(truth, parsed)
    assert not diff, f"{len(diff)} metadata mismatches:\n" + "\n".join(diff)
