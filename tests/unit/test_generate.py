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

N = 400


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
