"""parse_documents over a batch: independence, no document lost, failure isolation."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

import orchestration.lib.parsing.parse as parse_module
from orchestration.lib.parsing import ParseResult, decode_files, parse_documents
from orchestration.lib.schemas import DOCUMENTS, INDICATOR_VALUES, PARSER_VERSION, QUARANTINE, REPORTS
from tests.parsing_helpers import read_files

ROOT = Path(__file__).resolve().parents[2]
PATHS = sorted(
    p for d in (ROOT / "raw", ROOT / "tests" / "fixtures" / "reports") for p in d.iterdir() if p.suffix == ".txt"
)


@pytest.fixture(scope="module")
def documents() -> pl.DataFrame:
    docs, _ = decode_files(read_files(PATHS))
    return docs


def canonical(result: ParseResult) -> ParseResult:
    return ParseResult(
        reports=result.reports.sort("report_id"),
        values=result.values.sort("report_id", "source_kind", "source_line", "indicator_code", "breakdown"),
        quarantine=result.quarantine.sort("report_id"),
        relations=result.relations.sort("report_id", "relation_id", "child_indicator_code", "child_breakdown"),
    )


def table_rows(result: ParseResult) -> pl.DataFrame:
    return result.values.filter(pl.col("source_kind") == "table")


def assert_same(a: ParseResult, b: ParseResult) -> None:
    a, b = canonical(a), canonical(b)
    assert_frame_equal(a.reports, b.reports)
    assert_frame_equal(a.values, b.values)
    assert_frame_equal(a.quarantine, b.quarantine)
    assert_frame_equal(a.relations, b.relations)


def test_batch_equals_one_by_one(documents: pl.DataFrame) -> None:
    together = parse_documents(documents)
    alone = [parse_documents(documents.slice(i, 1)) for i in range(documents.height)]
    assert_same(
        together,
        ParseResult(
            reports=pl.concat([r.reports for r in alone]),
            values=pl.concat([r.values for r in alone]),
            quarantine=pl.concat([r.quarantine for r in alone]),
            relations=pl.concat([r.relations for r in alone]),
        ),
    )
    assert together.reports.height == 10
    assert table_rows(together).height == 65 + 65 + 65 + 65 + 22


def test_batch_order_does_not_matter(documents: pl.DataFrame) -> None:
    assert_same(parse_documents(documents), parse_documents(documents.reverse()))


def test_replicated_batch(documents: pl.DataFrame) -> None:
    copies = pl.concat([documents.with_columns(report_id=pl.col("report_id") + f"-{i}") for i in range(20)]).sample(
        fraction=1.0, shuffle=True, seed=7
    )
    result = parse_documents(copies)
    single = parse_documents(documents)
    assert result.reports.height == 20 * single.reports.height
    assert result.values.height == 20 * single.values.height
    assert result.relations.height == 20 * single.relations.height
    assert result.quarantine.height == 20 * single.quarantine.height
    per_copy = table_rows(result).group_by(pl.col("report_id").str.replace(r"-\d+$", "")).len()
    assert sorted(per_copy["len"]) == [20 * 22] + [20 * 65] * 4


def test_every_document_is_accounted_for(documents: pl.DataFrame) -> None:
    extra = pl.DataFrame(
        {
            "report_id": ["blank", "dup", "dup"],
            "source_file": ["blank.txt", "dup-a.txt", "dup-b.txt"],
            "encoding": ["utf-8"] * 3,
            "text": [" \n\t\n", "不是报告", "不是报告"],
            "line_origin": [None] * 3,
        },
        schema=DOCUMENTS,
    )
    batch = pl.concat([documents, extra])
    result = parse_documents(batch)
    ids = pl.concat([result.reports["report_id"], result.quarantine["report_id"]])
    assert ids.is_unique().all()
    assert set(ids) == set(batch["report_id"])
    q = dict(result.quarantine.select("source_file", "reason").iter_rows())
    assert q["blank.txt"] == "empty_file"
    assert q["dup-a.txt"] == "not_a_report"  # one row per report_id: the first file wins
    assert "dup-b.txt" not in q
    assert set(result.values["report_id"]) <= set(result.reports["report_id"])
    assert result.quarantine["parser_version"].unique().to_list() == [PARSER_VERSION]


def test_empty_batch() -> None:
    result = parse_documents(pl.DataFrame(schema=DOCUMENTS))
    assert result.reports.schema == REPORTS and result.reports.is_empty()
    assert result.values.schema == INDICATOR_VALUES and result.values.is_empty()
    assert result.quarantine.schema == QUARANTINE and result.quarantine.is_empty()


def test_one_failing_document_does_not_stop_the_others(
    documents: pl.DataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = parse_module.find_titles
    bad_id = documents.filter(pl.col("source_file").str.starts_with("002_"))["report_id"].item()

    def flaky(lines: pl.DataFrame) -> pl.DataFrame:
        if lines["line"].str.contains("沙坡头区机关事务局", literal=True).any():
            raise RuntimeError("boom")
        return real(lines)

    monkeypatch.setattr(parse_module, "find_titles", flaky)
    result = parse_documents(documents)
    assert result.reports.height == 9
    assert bad_id not in result.reports["report_id"].to_list()
    bad = result.quarantine.filter(pl.col("report_id") == bad_id).row(0, named=True)
    assert bad["reason"] == "not_a_report"
    assert bad["detail"] == "parser error: RuntimeError: boom"
    assert table_rows(result).height == 65 + 65 + 65 + 22
