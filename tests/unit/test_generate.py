"""The corpus generator (bench/generate.py): reproducible bytes, consistent truth, full variety, known rates."""

from __future__ import annotations

import hashlib
import math
from pathlib import Path

import polars as pl
import pytest

from bench.corpus import pre2019
from bench.corpus.pre2019_layouts import LAYOUTS
from bench.corpus.sampling import TEXT_FORMATS
from bench.generate import revise, slots, write_corpus
from bench.generate_families import pre2019_table
from bench.generate_model import FAMILIES, Rates
from orchestration.lib.parsing import ParseResult, decode_files, parse_documents

N = 400
KEY = ["file", "source_kind", "indicator_code", "breakdown"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    write_corpus(out, N, seed=7, workers=1)
    return out


def _truth(out: Path, name: str) -> pl.DataFrame:
    return pl.read_parquet(out / "truth" / f"{name}.parquet")


def _digest(root: Path) -> dict[str, str]:
    files = (p for p in root.rglob("*") if p.is_file())
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def test_same_seed_same_bytes(corpus: Path, tmp_path: Path) -> None:
    write_corpus(tmp_path, N, seed=7, workers=2, chunk=60)  # other workers and chunks: same files
    assert _digest(tmp_path / "raw") == _digest(corpus / "raw")
    assert _truth(tmp_path, "values").equals(_truth(corpus, "values"))
    other = tmp_path / "other"
    write_corpus(other, 40, seed=8, workers=1)
    assert set(_digest(other / "raw").values()).isdisjoint(_digest(corpus / "raw").values())


def test_manifest_matches_the_files(corpus: Path) -> None:
    manifest = _truth(corpus, "manifest")
    assert manifest.height == N and manifest["file"].n_unique() == N
    for row in manifest.iter_rows(named=True):
        content = (corpus / "raw" / row["file"]).read_bytes()
        assert hashlib.sha256(content).hexdigest() == row["sha256"] and len(content) == row["bytes"]
    values = _truth(corpus, "values")
    assert values.join(manifest, on="file", how="anti").is_empty()
    reports = manifest.filter(pl.col("family") != "bad")
    assert reports.join(values, on="file", how="anti").is_empty()  # every report has truth values


def test_every_family_layout_and_noise_is_present(corpus: Path) -> None:
    manifest = _truth(corpus, "manifest")
    assert set(manifest["family"]) == set(FAMILIES)
    layouts = manifest.group_by("family").agg(pl.col("layout").unique())
    by_family = {r["family"]: set(r["layout"]) for r in layouts.iter_rows(named=True)}
    assert by_family["pre2019_table"] == set(LAYOUTS)
    assert by_family["gov2019"] | by_family["gov2021"] == set(TEXT_FORMATS)
    assert by_family["narrative"] == {"prose", "html"}
    noise = set(manifest["noise"].explode().drop_nulls())
    expected = {"chrome", "page_break", "gbk", "bom", "crlf", "fullwidth", "html", "markers", "thousands", "wrap"}
    assert expected | {"stray_space", "yuan", "header_value", "chinese_numerals"} <= noise
    kinds = set(manifest.filter(pl.col("family") == "bad")["bad_kind"])
    assert kinds  # at least one bad file at this size; the four kinds are covered by test_bad_kinds


def test_bad_kinds_and_rare_noise_at_raised_rates(tmp_path: Path) -> None:
    rates = Rates(bad=0.2, spam=0.5, traditional=0.3, utf16=0.3)
    write_corpus(tmp_path, 300, seed=3, workers=1, rates=rates)
    manifest = _truth(tmp_path, "manifest")
    assert set(manifest["bad_kind"]) - {""} == {"empty", "whitespace", "binary", "notice"}
    assert {"spam", "traditional", "utf16"} <= set(manifest["noise"].explode().drop_nulls())


def _within(count: int, n: int, rate: float) -> bool:
    """count is within 4 binomial standard deviations of n × rate."""
    return abs(count - n * rate) <= 4 * math.sqrt(n * rate * (1 - rate)) + 1


def test_planted_and_bad_rates_are_honoured(tmp_path: Path) -> None:
    rates = Rates(plant=0.2, bad=0.05)
    n = 1500
    write_corpus(tmp_path, n, seed=11, rates=rates)
    manifest = _truth(tmp_path, "manifest")
    bad = manifest.filter(pl.col("family") == "bad").height
    planted = manifest.filter(pl.col("planted_rule") != "").height
    assert _within(bad, n, rates.bad)
    assert _within(planted, n - bad, rates.plant)
    planted_rows = manifest.filter(pl.col("planted_rule") != "")
    assert planted_rows.filter(~pl.col("expected_rules").list.contains(pl.col("planted_rule"))).is_empty()
    # a consistent report breaks no rule of its own
    assert manifest.filter((pl.col("planted_rule") == "") & (pl.col("expected_rules").list.len() > 0)).is_empty()


def test_pre2019_truth_is_consistent_unless_planted() -> None:
    rates = Rates(markers=0, plant=0)
    for slot in slots(200, seed=5, years=(2016,)):
        if slot.family != "pre2019_table":
            continue
        g = pre2019_table(slot, rates, planted=False)
        table = {v.indicator_code: v.value for v in g.values if v.source_kind == "table"}
        for parent, items in pre2019.SUMS.items():
            assert table[parent] == sum(table[c] for c in items), (slot.file, parent)
        for channel in pre2019.CHANNELS:
            assert table[channel] <= table["pre_proactive_items"]
        prose = {v.indicator_code: v.value for v in g.values if v.source_kind == "prose" and v.qualifier == "exact"}
        for code, value in prose.items():
            assert code not in table or table[code] == value, (slot.file, code)


def test_narrative_sums_add_up(corpus: Path) -> None:
    manifest = _truth(corpus, "manifest")
    values = _truth(corpus, "values").filter(pl.col("source_kind") == "prose")
    relations = _truth(corpus, "relations")
    consistent = manifest.filter((pl.col("family") == "narrative") & (pl.col("planted_rule") == ""))["file"]
    rel = relations.filter(pl.col("file").is_in(consistent.implode()))
    assert rel.height > 0
    val = values.select("file", "indicator_code", "breakdown", "value")
    parts = rel.join(val, left_on=["file", "child_indicator_code", "child_breakdown"],
                     right_on=["file", "indicator_code", "breakdown"])  # fmt: skip
    sums = parts.group_by("file", "parent_indicator_code", "parent_breakdown").agg(parts=pl.col("value").sum())
    whole = sums.join(val, left_on=["file", "parent_indicator_code", "parent_breakdown"],
                      right_on=["file", "indicator_code", "breakdown"])  # fmt: skip
    assert whole.height == sums.height and (whole["parts"] == whole["value"]).all()


def test_incremental_batch_and_revision(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "c"
    write_corpus(out, 30, seed=7, workers=1)
    before = _digest(out / "raw")
    write_corpus(out, 10, seed=7, workers=1, start=30)
    after = _digest(out / "raw")
    assert len(after) == 40 and all(after[k] == v for k, v in before.items())
    first = _truth(out, "manifest").filter(pl.col("family") != "bad").sort("index").row(0, named=True)
    row = revise(out, first["index"], seed=7).row(0, named=True)
    assert row["file"] == first["file"] and row["sha256"] != first["sha256"] and row["revision"] == 1
    manifest = _truth(out, "manifest")
    assert manifest.height == 40 and manifest.filter(pl.col("file") == first["file"])["revision"].to_list() == [1]


@pytest.fixture(scope="module")
def parsed(corpus: Path) -> tuple[pl.DataFrame, ParseResult]:
    """The corpus's consistent reports (manifest rows) and what the parser reads from them."""
    manifest = _truth(corpus, "manifest").filter(
        (pl.col("family") != "bad") & (pl.col("expected_rules").list.len() == 0)
    )
    files = pl.DataFrame(
        {
            "report_id": manifest["sha256"],
            "source_file": manifest["file"],
            "content": [(corpus / "raw" / f).read_bytes() for f in manifest["file"]],
        }
    )
    return manifest, parse_documents(decode_files(files)[0])


def test_prose_sums_of_consistent_reports_add_up(parsed: tuple[pl.DataFrame, ParseResult]) -> None:
    """No prose sum read from a consistent generated report (any family) breaks the prose_sum rule: the
    generator writes parts that add up, and the parser takes every part of a 其中 list (a category such
    as 政策文件及解读 included) or no relation at all."""
    manifest, result = parsed
    prose = result.values.filter(pl.col("source_kind") == "prose").select(
        "report_id", "indicator_code", "breakdown", "value"
    )
    rel = result.relations.filter(pl.col("relation_kind") == "prose_sum")
    parts = rel.join(prose, left_on=["report_id", "child_indicator_code", "child_breakdown"],
                     right_on=["report_id", "indicator_code", "breakdown"])  # fmt: skip
    sums = parts.group_by("report_id", "relation_id", "parent_indicator_code", "parent_breakdown").agg(
        parts=pl.col("value").sum(), n=pl.len()
    )
    whole = sums.join(prose, left_on=["report_id", "parent_indicator_code", "parent_breakdown"],
                      right_on=["report_id", "indicator_code", "breakdown"])  # fmt: skip
    whole = whole.join(manifest.select("file", "family", report_id="sha256"), on="report_id")
    assert set(whole["family"]) == {"gov2019", "gov2021", "narrative", "pre2019_table"}
    categories = parts.filter(pl.col("child_indicator_code") == "prose_proactive_by_category")
    assert "政策文件及解读" in set(categories["child_breakdown"])
    bad = whole.filter((pl.col("parts") - pl.col("value")).abs() > 1e-6)
    assert bad.is_empty(), bad.select("file", "parent_indicator_code", "value", "parts").head(5).to_dicts()


def test_restated_figures_of_consistent_reports_match_their_tables(parsed: tuple[pl.DataFrame, ParseResult]) -> None:
    """A figure a consistent report states both in prose and in its table (e.g. 未经复议直接被提起行政诉讼1件,
    read as the 表四 cell it restates) is the same number on both sides."""
    manifest, result = parsed
    v = result.values.filter(pl.col("qualifier") == "exact").select(
        "report_id", "source_kind", "indicator_code", "breakdown", "value"
    )
    key = ["report_id", "indicator_code", "breakdown"]
    both = v.filter(pl.col("source_kind") == "table").join(v.filter(pl.col("source_kind") == "prose"), on=key)
    both = both.join(manifest.select("file", report_id="sha256"), on="report_id")
    assert "t4_review_litigation" in set(both["indicator_code"])
    bad = both.filter(pl.col("value") != pl.col("value_right"))
    assert bad.is_empty(), bad.head(5).to_dicts()


def test_truth_keys_are_unique(corpus: Path) -> None:
    """One truth value per (file, source_kind, indicator_code, breakdown): the scorer counts join rows as keys."""
    values = _truth(corpus, "values")
    assert values.height > 0 and not values.select(KEY).is_duplicated().any()
    relations = _truth(corpus, "relations")
    assert relations.height > 0 and not relations.is_duplicated().any()
