"""Extraction accuracy against the generator's ground truth (bench/generate.py's truth/ tables).

``score`` compares what was extracted (frames in the staging schemas, from an in-process parse or read
from the warehouse) with the truth, per family:

* values: a truth value (file, source_kind, indicator_code, breakdown) is *recalled* when an extracted
  value with that key equals it (a blank truth cell is recalled by a NULL), *wrong* when the key was
  extracted with other values only, *missed* when it was not extracted; an extracted key the truth does
  not have is *spurious* (header rows, and the prose of gov reports, whose quantities the truth does not
  list, are not scored);
* metadata: template, agency name and report year per report; quarantine: bad files quarantined with
  the expected reason, reports quarantined by mistake;
* relations: prose sums (parent, part) recalled;
* plants: planted reports flagged with one of their expected rules, consistent reports flagged at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import polars as pl

from bench.generate_model import BAD_KINDS

KEY = ["file", "source_kind", "indicator_code", "breakdown"]
CATALOGUE_CSV = Path(__file__).resolve().parents[1] / "dbt_project" / "seeds" / "indicator_catalogue.csv"
EPS = 1e-6


@dataclass(frozen=True)
class Extracted:
    reports: pl.DataFrame  # report_id, template, agency_name, report_year
    values: pl.DataFrame  # report_id, source_kind, indicator_code, breakdown, value
    relations: pl.DataFrame  # report_id, parent_indicator_code, parent_breakdown, child_indicator_code, child_breakdown
    quarantine: pl.DataFrame  # report_id, reason
    violations: pl.DataFrame | None = None  # report_id, rule_id (None: no warehouse checks)


@cache
def header_rows() -> pl.DataFrame:
    """family (= template), indicator_code of the catalogue's header rows: never scored."""
    cat = pl.read_csv(CATALOGUE_CSV, infer_schema=False)
    return cat.filter(pl.col("is_header").str.to_lowercase() == "true").select(
        family=pl.col("template"), indicator_code=pl.col("indicator_code")
    )


def _files(manifest: pl.DataFrame) -> pl.DataFrame:
    return manifest.select("file", "family", report_id="sha256")


def _per_truth(manifest: pl.DataFrame, truth: pl.DataFrame, ex: Extracted) -> tuple[pl.DataFrame, pl.DataFrame]:
    """One row per truth value: family, ok (recalled), extracted (the key was extracted at all)."""
    files = _files(manifest)
    got = ex.values.join(files, on="report_id").select(*KEY, "family", got=pl.col("value").cast(pl.Float64))
    got = got.join(header_rows(), on=["family", "indicator_code"], how="anti")
    got = got.filter(~(pl.col("family").str.starts_with("gov") & (pl.col("source_kind") == "prose")))
    t = truth.join(files.select("file", "family"), on="file")
    rows = t.join(got.select(*KEY, "got"), on=KEY, how="left")
    rows = rows.with_columns(
        ok=pl.when(pl.col("value").is_null())
        .then(pl.col("got").is_null())
        .otherwise((pl.col("got") - pl.col("value")).abs() < EPS)
        .fill_null(False)
    )
    keys = got.select(KEY).unique().with_columns(extracted=pl.lit(True))
    per = rows.group_by([*KEY, "family"]).agg(ok=pl.col("ok").any(), got=pl.col("got").drop_nulls().first())
    return per.join(keys, on=KEY, how="left").with_columns(pl.col("extracted").fill_null(False)), got


def values_report(manifest: pl.DataFrame, truth: pl.DataFrame, ex: Extracted) -> pl.DataFrame:
    """Per family and source_kind: truth, recalled, wrong, missed, spurious, recall, wrong_share."""
    per_truth, got = _per_truth(manifest, truth, ex)
    t = truth.select(KEY)
    spurious = got.join(t, on=KEY, how="anti").group_by("family", "source_kind").agg(spurious=pl.len())
    out = per_truth.group_by("family", "source_kind").agg(
        truth=pl.len(),
        recalled=pl.col("ok").sum(),
        wrong=(pl.col("extracted") & ~pl.col("ok")).sum(),
        missed=(~pl.col("extracted")).sum(),
    )
    out = out.join(spurious, on=["family", "source_kind"], how="full", coalesce=True).fill_null(0)
    return out.with_columns(
        recall=pl.col("recalled") / pl.col("truth"),
        wrong_share=(pl.col("wrong") + pl.col("spurious"))
        / (pl.col("recalled") + pl.col("wrong") + pl.col("spurious")),
    ).sort("family", "source_kind")


def misses(manifest: pl.DataFrame, truth: pl.DataFrame, ex: Extracted, limit: int = 20) -> pl.DataFrame:
    """The most frequent misses and wrong values by family and indicator, with an example file."""
    per_truth, _ = _per_truth(manifest, truth, ex)
    bad = per_truth.filter(~pl.col("ok")).with_columns(
        kind=pl.when(pl.col("extracted")).then(pl.lit("wrong")).otherwise(pl.lit("missed"))
    )
    return (
        bad.group_by("family", "source_kind", "indicator_code", "kind")
        .agg(n=pl.len(), example=pl.col("file").first(), breakdown=pl.col("breakdown").first())
        .sort("n", descending=True)
        .head(limit)
    )


def metadata_report(manifest: pl.DataFrame, ex: Extracted) -> pl.DataFrame:
    files = _files(manifest).join(
        manifest.select("file", "template", "agency_name", "report_year", "bad_kind"), on="file"
    )
    reports = files.filter(pl.col("family") != "bad")
    r = reports.join(
        ex.reports.select("report_id", t=pl.col("template"), a=pl.col("agency_name"), y=pl.col("report_year")),
        on="report_id",
        how="left",
    ).join(ex.quarantine.select("report_id", q=pl.col("reason")), on="report_id", how="left")
    by_family = r.group_by("family").agg(
        reports=pl.len(),
        parsed=pl.col("t").is_not_null().sum(),
        quarantined=pl.col("q").is_not_null().sum(),
        template_ok=(pl.col("t") == pl.col("template")).sum(),
        agency_ok=(pl.col("a").str.replace_all(" ", "") == pl.col("agency_name")).sum(),
        year_ok=(pl.col("y") == pl.col("report_year")).sum(),
    )
    bad = files.filter(pl.col("family") == "bad").join(
        ex.quarantine.select("report_id", "reason"), on="report_id", how="left"
    )
    bad = bad.with_columns(expected=pl.col("bad_kind").replace_strict(BAD_KINDS, default=None))
    bad_row = pl.DataFrame(
        {
            "family": ["bad"],
            "reports": [bad.height],
            "parsed": [0],
            "quarantined": [bad.filter(pl.col("reason").is_not_null()).height],
            "template_ok": [bad.filter(pl.col("reason") == pl.col("expected")).height],
            "agency_ok": [0],
            "year_ok": [0],
        }
    )
    return pl.concat([by_family.sort("family"), bad_row.cast(by_family.schema)])


def relations_report(manifest: pl.DataFrame, relations: pl.DataFrame, ex: Extracted) -> dict[str, float | int]:
    files = _files(manifest).select("file", "report_id")
    cols = ["parent_indicator_code", "parent_breakdown", "child_indicator_code", "child_breakdown"]
    got = ex.relations.join(files, on="report_id").select("file", *cols).unique().with_columns(found=pl.lit(True))
    j = relations.join(got, on=["file", *cols], how="left")
    found = int(j["found"].fill_null(False).sum())
    return {
        "truth": relations.height,
        "recalled": found,
        "recall": found / relations.height if relations.height else 1.0,
    }


def plants_report(manifest: pl.DataFrame, violations: pl.DataFrame) -> dict[str, object]:
    files = _files(manifest).join(manifest.select("file", "expected_rules", "planted_rule"), on="file")
    flagged = violations.group_by("report_id").agg(rules=pl.col("rule_id").unique())
    j = files.filter(pl.col("family") != "bad").join(flagged, on="report_id", how="left")
    planted = j.filter(pl.col("planted_rule") != "")
    caught = planted.filter(
        pl.col("rules").list.set_intersection(pl.col("expected_rules")).list.len().fill_null(0) > 0
    ).height
    clean = j.filter(pl.col("expected_rules").list.len() == 0)
    false_pos = clean.filter(pl.col("rules").is_not_null())
    fp_rules = false_pos.explode("rules").group_by("rules").agg(n=pl.len()).sort("n", descending=True)
    return {
        "planted": planted.height,
        "detected": caught,
        "detection_rate": caught / planted.height if planted.height else 1.0,
        "consistent_reports": clean.height,
        "consistent_flagged": false_pos.height,
        "false_positive_rules": dict(fp_rules.head(10).iter_rows()),
    }


def from_warehouse(db: Path) -> Extracted:
    """The extracted frames as the warehouse holds them (values from marts.fct_indicator_value)."""
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:

        def q(sql: str) -> pl.DataFrame:
            return con.sql(sql).pl()

        return Extracted(
            reports=q("select report_id, template, agency_name, report_year from staging.stg_reports"),
            values=q("select report_id, source_kind, indicator_code, breakdown, value from marts.fct_indicator_value"),
            relations=q(
                "select report_id, parent_indicator_code, parent_breakdown, child_indicator_code, child_breakdown "
                "from staging.stg_value_relations"
            ),
            quarantine=q("select report_id, reason from staging.stg_quarantine"),
            violations=q("select distinct report_id, rule_id from marts.fct_check_violation"),
        )


def score(out: Path, ex: Extracted) -> dict[str, object]:
    """Every accuracy figure for the corpus under ``out`` (its truth/ tables) as JSON-ready data."""
    truth = out / "truth"
    manifest = pl.read_parquet(truth / "manifest.parquet")
    values = pl.read_parquet(truth / "values.parquet")
    relations = pl.read_parquet(truth / "relations.parquet")
    v = values_report(manifest, values, ex)
    totals = v.select(pl.col("truth", "recalled", "wrong", "missed", "spurious").sum()).row(0, named=True)
    scored = totals["recalled"] + totals["wrong"] + totals["spurious"]
    return {
        "values": v.to_dicts(),
        "values_total": totals
        | {
            "recall": totals["recalled"] / totals["truth"] if totals["truth"] else 1.0,
            "wrong_share": (totals["wrong"] + totals["spurious"]) / scored if scored else 0.0,
        },
        "misses": misses(manifest, values, ex).to_dicts(),
        "metadata": metadata_report(manifest, ex).to_dicts(),
        "relations": relations_report(manifest, relations, ex),
        "plants": plants_report(manifest, ex.violations) if ex.violations is not None else None,
    }
