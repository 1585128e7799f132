"""bench/results/bench.md from the merged results (bench.json): targets, parse, build, refresh, accuracy."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

from bench.bench_bounds import bounds

#: (key, label, target, lower_is_better)
TARGETS = (
    ("parse_rps", "parse throughput (reports/s)", 2000, False),
    ("build_s", "full build wall time (s; target for 100k)", 600, True),
    ("incremental_ratio", "incremental refresh / full build", 0.05, True),
    ("peak_rss_mb", "peak RSS of the run (MB)", 4096, True),
    ("recall", "value recall", 1.0, False),
    ("wrong", "wrong or spurious values", 0, True),
)


def corpus_mix(manifest: pl.DataFrame) -> dict[str, Any]:
    fam = manifest.group_by("family").agg(files=pl.len(), planted=(pl.col("planted_rule") != "").sum()).sort("family")
    lay = manifest.group_by("family", "layout").len().sort("family", "layout")
    noise = manifest.explode("noise").drop_nulls("noise").group_by("noise").len().sort("noise")
    return {
        "families": fam.to_dicts(),
        "layouts": [f"{r['family']}/{r['layout']}: {r['len']}" for r in lay.to_dicts()],
        "noise": dict(noise.iter_rows()),
    }


def _operators(node: dict[str, Any], out: list[tuple[float, str, int]]) -> None:
    info = node.get("extra_info", {})
    name = node.get("type", "")
    detail = info.get("Table") or info.get("CTE Name") or info.get("Join Type") or ""
    if name:
        out.append(
            (float(node.get("timing", 0.0)), f"{name} {detail}".strip(), int(info.get("Estimated Cardinality", 0)))
        )
    for child in node.get("children", []):
        _operators(child, out)


def explain_slowest(db: Path, models: list[dict[str, Any]], work: Path | None = None) -> dict[str, Any]:
    """EXPLAIN ANALYZE (DuckDB's JSON profile) of the slowest dbt model's compiled SELECT on the built
    warehouse, read-only: total latency and the costliest operators."""
    import json

    import duckdb

    from bench.bench_accuracy import MEMORY_LIMIT

    model = next((m for m in models if m["node"].startswith("model.") and m.get("compiled")), None)
    if model is None or not Path(model["compiled"]).exists() or not db.exists():
        return {}
    sql = Path(model["compiled"]).read_text(encoding="utf-8")
    profile = (work or db.parent) / "explain_analyze.json"
    try:
        # The model's query under the build's memory limit, its rows counted, not fetched: at 100k
        # reports they are ~10 M rows (fetching them into Python once took 24 GB and the OOM killer).
        with duckdb.connect(str(db), read_only=True, config={"memory_limit": MEMORY_LIMIT}) as con:
            con.execute(f"SET temp_directory = '{(work or db.parent) / 'explain.tmp'}'")
            con.execute("SET enable_profiling = 'json'")
            con.execute(f"SET profiling_output = '{profile}'")
            con.execute(f"select count(*) from ({sql}) as model_rows").fetchall()
        tree = json.loads(profile.read_text(encoding="utf-8"))
    except Exception as exc:  # a model that cannot be re-run read-only: say so
        return {"model": model["node"], "seconds": model["seconds"], "error": str(exc)[:300]}
    ops: list[tuple[float, str, int]] = []
    for root in tree.get("operator", []):
        _operators(root, ops)
    top = sorted(ops, reverse=True)[:8]
    return {
        "model": model["node"],
        "seconds": model["seconds"],
        "cpu_s": round(tree.get("query", {}).get("cpu_time", 0.0), 3),
        "peak_buffer_mb": round(tree.get("system", {}).get("peak_buffer_memory", 0) / 2**20, 1),
        "operators": [{"operator": name, "seconds": round(t, 4), "est_rows": rows} for t, name, rows in top],
    }


PARSE_CAPTION = (
    "**Parse** (staging batches: read + decode + parse on `workers` processes via parse_files = reports_per_s; "
    "the same in one process = single_process_reports_per_s; floor = read + decode in one process):"
)
PARSE_COLUMNS = [
    *("files", "mb", "floor_files_per_s", "floor_mb_per_s", "workers", "reports_per_s", "mb_per_s"),
    *("single_process_reports_per_s", "ratio_full_to_floor", "read_s", "decode_s", "parse_s"),
]


def _measures(r: dict[str, Any]) -> dict[str, float | None]:
    acc = r.get("accuracy", {}).get("values_total", {})
    return {
        "parse_rps": r["parse"]["reports_per_s"],
        "build_s": r["full_build"]["wall_s"],
        "incremental_ratio": r["incremental"].get("ratio_to_full"),
        "peak_rss_mb": r.get("peak_rss_mb"),
        "recall": acc.get("recall"),
        "wrong": (acc.get("wrong", 0) + acc.get("spurious", 0)) if acc else None,
    }


def _verdict(value: float | None, target: float, lower: bool) -> str:
    if value is None:
        return "n/a"
    ok = value <= target if lower else value >= target
    if ok:
        return "met"
    if target == 0:
        return f"missed (+{value:g})"
    return f"missed ({value / target:.2f}× target)" if lower else f"missed ({value / target:.1%} of target)"


def _table(rows: list[dict[str, Any]], cols: list[str]) -> list[str]:
    out = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for r in rows:
        cells = [f"{r.get(c):.4g}" if isinstance(r.get(c), float) else str(r.get(c, "")) for c in cols]
        out.append("| " + " | ".join(cells) + " |")
    return out


def _memory(build: dict[str, Any]) -> str:
    """The split of a build's peak by role, when recorded (bench/bench_memory.py)."""
    mem = build.get("memory")
    if not mem:
        return ""
    roles = ", ".join(f"{k} {v}" for k, v in mem["peak_by_role_mb"].items())
    return (
        f" (summed over {mem['processes']} processes, {mem['samples']} samples every {mem['interval_s']} s; "
        f"peak per role: {roles}; largest single-process high-water mark {mem['max_process_hwm_mb']} MB)"
    )


def _size(n: str, r: dict[str, Any]) -> list[str]:
    p, fb, inc = r["parse"], r["full_build"], r["incremental"]
    mach, gen = r["machine"], r["generate"]
    lines = [
        f"## {int(n):,} reports",
        "",
        f"Measured {mach['date']} on {mach['cpus']} CPUs (1-min load before/after "
        f"{mach.get('load_1min_before_after')}: other work on the machine slows every figure). Corpus: "
        f"{gen['mb']} MB, generated in {gen['seconds']} s ({gen['files_per_s']} files/s).",
        "",
    ]
    m = _measures(r)
    lines += ["| target | goal | measured | verdict |", "|---|---|---|---|"]
    for key, label, target, lower in TARGETS:
        lines.append(f"| {label} | {'≤' if lower else '≥'} {target:g} | {m[key]} | {_verdict(m[key], target, lower)} |")
    bound = bounds(r)
    if bound:
        lines += ["", "**What bounds the missed targets:**", "", *bound]
    lines += ["", PARSE_CAPTION, ""]
    lines += _table([p], PARSE_COLUMNS)
    lines += ["", f"**Full build** (the xxgk_refresh job in a subprocess): {fb['wall_s']} s, rc {fb['rc']}, "
              f"peak RSS of the process tree {fb['peak_rss_mb']} MB{_memory(fb)}. Stages (s):", ""]  # fmt: skip
    lines += _table([fb["stages_s"]], list(fb["stages_s"]))
    lines += ["", f"**Incremental refresh** ({inc.get('new_reports')} new reports, {inc.get('changed_reports')} "
              f"changed): {inc['wall_s']} s = {inc.get('ratio_to_full')} of the full build, peak RSS "
              f"{inc['peak_rss_mb']} MB{_memory(inc)}. Stages (s):", ""]  # fmt: skip
    lines += _table([inc["stages_s"]], list(inc["stages_s"]))
    slow = ", ".join(f"{d['node'].split('.', 1)[1]} {d['seconds']}" for d in fb.get("dbt_models", [])[:6])
    lines += ["", f"Slowest dbt nodes of the full build (s): {slow}", ""]
    acc = r.get("accuracy", {})
    if "values" in acc:
        lines += ["**Accuracy against the generator's truth** (values from marts.fct_indicator_value):", ""]
        lines += _table(acc["values"], ["family", "source_kind", "truth", "recalled", "wrong", "missed", "spurious",
                                        "recall", "wrong_share"])  # fmt: skip
        lines += ["", "Reports (parsed, template / agency / year as generated; bad files: quarantined with the "
                  "expected reason in template_ok):", ""]  # fmt: skip
        lines += _table(
            acc["metadata"], ["family", "reports", "parsed", "quarantined", "template_ok", "agency_ok", "year_ok"]
        )
        rel, pl_ = acc["relations"], acc.get("plants") or {}
        lines += ["", f"Prose sums recalled: {rel['recalled']}/{rel['truth']}, spurious {rel.get('spurious')}. "
                  f"Planted inconsistencies: {pl_.get('detected')}/{pl_.get('planted')} flagged with their rule; "
                  f"consistent reports flagged: {pl_.get('consistent_flagged')}/{pl_.get('consistent_reports')}; "
                  f"false flags (a report flagged with a rule it does not break): {pl_.get('false_flags')}. "
                  "Per rule (planted: reports planted with it; expected: reports that break it, a gov plant "
                  "breaking several; found: expected and flagged with it; false: flagged, not expected):",
                  ""]  # fmt: skip
        lines += _table(pl_.get("by_rule", []), ["rule_id", "planted", "expected", "found", "false"])
        sc = acc.get("scorer", {})
        lines += ["", f"Scored in DuckDB in {sc.get('seconds')} s, scorer peak RSS {sc.get('peak_rss_mb')} MB "
                  f"(memory limit {sc.get('memory_limit')}).", ""]  # fmt: skip
        if acc.get("misses"):
            lines += ["Most frequent misses:", ""]
            lines += _table(acc["misses"][:10], ["family", "source_kind", "indicator_code", "kind", "n", "example"])
            lines.append("")
    elif acc:
        lines += [f"Accuracy not scored: {acc.get('error')}", ""]
    ex = r.get("explain", {})
    if ex.get("operators"):
        head = f"DuckDB EXPLAIN ANALYZE of the slowest model ({ex['model']}, {ex['seconds']} s in dbt; re-run: "
        head += f"CPU {ex.get('cpu_s')} s, peak buffer {ex.get('peak_buffer_mb')} MB), costliest operators:"
        lines += [head, ""]
        lines += _table(ex["operators"], ["operator", "seconds", "est_rows"])
        lines.append("")
    if r.get("parse_profile"):
        lines += [f"Parse profile (pyinstrument, `{r['parse_profile']['file']}`), head:", "", "```",
                  *r["parse_profile"]["top"][:30], "```", ""]  # fmt: skip
    lines += ["Corpus mix: " + ", ".join(f"{f['family']} {f['files']} ({f['planted']} planted)"
                                        for f in r["corpus"]["families"]) + ".",
              "Noise (files): " + ", ".join(f"{k} {v}" for k, v in r["corpus"]["noise"].items()) + ".", ""]  # fmt: skip
    return lines


def markdown(merged: dict[str, Any]) -> str:
    lines = [
        "# Benchmark results",
        "",
        "Written by `make bench` (`bench/run_bench.py`; 100k with `make bench-100k`) on generated corpora "
        "(`bench/generate.py`). Raw numbers: `bench.json`. Targets: parse ≥ 2,000 reports/s; full build of 100k "
        "≤ 10 min; incremental refresh (10 new + 1 changed) ≤ 5 % of the full build; peak RSS ≤ 4 GB; 100 % "
        "recall and 0 wrong values on generated reports.",
        "",
    ]
    for n in sorted(merged, key=int):
        lines += _size(n, merged[n])
    return "\n".join(lines) + "\n"
