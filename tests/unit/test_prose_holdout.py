"""Held-out prose corpus: tests/fixtures/prose_holdout/h*.txt against their ground truth.

The held-out set measures how the prose extractor generalises to reports it was not developed against
(see tests/fixtures/prose_holdout/README.md). It uses the same CSV columns and conventions as the development
corpus, and the same loading, parsing and scoring (``tests/prose_scoring.py``) with the held-out directory.

Only ``test_holdout_is_well_formed`` asserts anything (the ground truth is consistent with itself and with
the files; it needs no extractor). The scoring tests never assert a threshold: they print recall and wrong
share for values and relations, distractor hits and metadata mismatches, with every missing or wrong row, so
the figures can be quoted. Run them with ``pytest -s tests/unit/test_prose_holdout.py`` or as a script:
``.venv/bin/python tests/unit/test_prose_holdout.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polars as pl
import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # pragma: no cover - when run as a script
    sys.path.insert(0, str(ROOT))

from tests import prose_scoring as ps  # noqa: E402
from tests.prose_scoring import Parsed, Truth  # noqa: E402

HOLDOUT = ROOT / "tests" / "fixtures" / "prose_holdout"

MIN_REPORTS = 15
MIN_PROVINCES = 8
YEARS = set(range(2010, 2019))  # not every year need be present


# ------------------------------------------------------------------------------- report lines (no asserts)


def _indent(lines: list[str]) -> list[str]:
    return [f"   {line}" for line in lines]


def values_report(truth: Truth, parsed: Parsed) -> list[str]:
    score = ps.score_values(truth, parsed)
    return [f"holdout values: {score.summary}", *score.details]


def relations_report(truth: Truth, parsed: Parsed) -> list[str]:
    score = ps.score_relations(truth, parsed)
    if score is None:
        return ["holdout relations: ParseResult has no `relations` frame"]
    return [f"holdout relations: {score.summary}", *_indent(score.details)]


def distractors_report(truth: Truth, parsed: Parsed, texts: dict[str, str]) -> list[str]:
    hits = ps.distractor_hits(truth, parsed, texts)
    return [f"holdout distractors: {len(hits)} hits of {len(truth.distractors)} planted", *_indent(hits)]


def metadata_report(truth: Truth, parsed: Parsed) -> list[str]:
    diff = ps.metadata_mismatches(truth, parsed)
    return [f"holdout metadata: {len(diff)} mismatches", *_indent(diff)]


# ----------------------------------------------------------------------------------------------- tests


@pytest.fixture(scope="module")
def truth() -> Truth:
    return ps.load_truth(HOLDOUT)


@pytest.fixture(scope="module")
def documents(truth: Truth) -> pl.DataFrame:
    return ps.load_documents(truth, (HOLDOUT,))


@pytest.fixture(scope="module")
def texts(documents: pl.DataFrame) -> dict[str, str]:
    return ps.texts_of(documents)


@pytest.fixture(scope="module")
def parsed(documents: pl.DataFrame) -> Parsed:
    return ps.parse(documents)


def test_holdout_is_well_formed(truth: Truth, texts: dict[str, str]) -> None:
    """The held-out ground truth is consistent with itself and with the files (needs no extractor)."""
    files = sorted(p.name for p in HOLDOUT.glob("*.txt"))
    assert sorted(truth.files) == files, "reports.csv lists every held-out file"
    ps.check_well_formed(
        truth,
        texts,
        own=files,
        codes=ps.catalogue_codes(),
        line_range=(30, 70),
        min_reports=MIN_REPORTS,
        min_provinces=MIN_PROVINCES,
        years=YEARS,
        every_year=False,
        file_name=r"h\d\d_[a-z_]+_\d{4}(_[a-z]+)?\.txt",
    )


def test_holdout_values(truth: Truth, parsed: Parsed, capsys: pytest.CaptureFixture[str]) -> None:
    ps.print_lines(capsys, values_report(truth, parsed))


def test_holdout_relations(truth: Truth, parsed: Parsed, capsys: pytest.CaptureFixture[str]) -> None:
    ps.print_lines(capsys, relations_report(truth, parsed))


def test_holdout_distractors(
    truth: Truth, parsed: Parsed, texts: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    ps.print_lines(capsys, distractors_report(truth, parsed, texts))


def test_holdout_metadata(truth: Truth, parsed: Parsed, capsys: pytest.CaptureFixture[str]) -> None:
    ps.print_lines(capsys, metadata_report(truth, parsed))


def main() -> None:  # pragma: no cover - script entry
    truth = ps.load_truth(HOLDOUT)
    documents = ps.load_documents(truth, (HOLDOUT,))
    texts = ps.texts_of(documents)
    parsed = ps.parse(documents)
    for block in (
        values_report(truth, parsed),
        relations_report(truth, parsed),
        distractors_report(truth, parsed, texts),
        metadata_report(truth, parsed),
    ):
        print("\n".join(block))
        print()


if __name__ == "__main__":  # pragma: no cover
    main()
