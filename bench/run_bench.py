"""`make bench`: generated corpora of 1k and 10k reports (100k with --with-100k), end to end.

    .venv/bin/python -m bench.run_bench [--sizes 1000,10000] [--with-100k] [--work /tmp/xxgk-bench]

For each size: generate the corpus (bench/generate.py), measure parse throughput and the read + decode
floor (bench_throughput), run the full build through the real job in a subprocess (raw → staging → dbt →
checks; wall time, stage split, peak RSS of the process tree), score extraction against the truth from
the warehouse (bench/bench_accuracy.py in DuckDB, in a subprocess whose peak RSS is recorded too), then add
10 new reports and change one, and time the incremental refresh. Results are
merged into bench/results/bench.json (keyed by size) and bench/results/bench.md is rewritten from it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import polars as pl

from bench import bench_build, bench_report, bench_scaling_doc, bench_throughput
from bench.bench_accuracy import MEMORY_LIMIT
from bench.bench_memory import watch
from bench.generate import revise, write_corpus

RESULTS = Path(__file__).with_name("results")
SCALING_DOC = Path(__file__).resolve().parents[1] / "docs" / "scaling.md"  # its table of figures
NEW_REPORTS = 10


def _changed_index(manifest: pl.DataFrame) -> int:
    """A report (not a bad file) to revise: the first pre2019_table or gov report."""
    ok = manifest.filter(pl.col("family").is_in(["pre2019_table", "gov2021", "gov2019"])).sort("index")
    return int(ok["index"][0])


def score(out: Path, db: Path, work: Path, memory_limit: str = MEMORY_LIMIT) -> dict[str, Any]:
    """bench.bench_accuracy on the built warehouse in a subprocess: its figures, plus the scorer's wall time
    and peak RSS (``scorer``); ``error`` (and the log's tail) when it fails."""
    result, log_path = work / "accuracy.json", work / "accuracy.log"
    result.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "bench.bench_accuracy", str(out), str(db), str(result), "--memory-limit", memory_limit]
    t0 = time.perf_counter()
    with log_path.open("w", encoding="utf-8") as log:
        proc = subprocess.Popen(cmd, cwd=bench_build.ROOT, stdout=log, stderr=log)
        memory = watch(proc)
    scorer = {"seconds": round(time.perf_counter() - t0, 2), "rc": proc.returncode, "memory_limit": memory_limit}
    scorer |= {"peak_rss_mb": memory["peak_rss_mb"]}
    if proc.returncode != 0 or not result.exists():
        tail = log_path.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-3:]
        return {"error": f"scorer rc {proc.returncode}: {' / '.join(tail)}", "scorer": scorer}
    return json.loads(result.read_text(encoding="utf-8")) | {"scorer": scorer}


def bench_size(n: int, work: Path, seed: int, profile: bool) -> dict[str, Any]:
    out = work / f"corpus_{n}"
    shutil.rmtree(out, ignore_errors=True)
    t0 = time.perf_counter()
    manifest = write_corpus(out, n, seed)
    gen_s = time.perf_counter() - t0
    print(f"[{n}] generated {manifest.height} files in {gen_s:.1f} s", flush=True)
    result: dict[str, Any] = {
        "reports": n,
        "generate": {
            "seconds": round(gen_s, 1),
            "files_per_s": round(n / gen_s),
            "mb": round(manifest["bytes"].sum() / 1e6, 1),
        },
        "corpus": bench_report.corpus_mix(manifest),
    }
    result["parse"] = bench_throughput.measure(out / "raw", manifest)
    print(f"[{n}] parse {result['parse']['reports_per_s']} reports/s", flush=True)
    if profile:
        prof = RESULTS / f"profile_parse_{n}.txt"
        result["parse_profile"] = {"file": prof.name, **bench_throughput.profile(out / "raw", manifest, out=prof)}
        result["parse_profile"]["top"] = result["parse_profile"]["top"][:40]
    build_dir = work / f"build_{n}"
    shutil.rmtree(build_dir, ignore_errors=True)
    result["full_build"] = bench_build.run_build(out / "raw", build_dir, "full")
    print(f"[{n}] full build {result['full_build']['wall_s']} s rc={result['full_build']['rc']}", flush=True)
    db = build_dir / "warehouse.duckdb"
    result["accuracy"] = score(out, db, build_dir)  # a failed build leaves no marts: reported, no stop
    print(f"[{n}] scored in {result['accuracy']['scorer']['seconds']} s", flush=True)
    result["explain"] = bench_report.explain_slowest(db, result["full_build"].get("dbt_models", []))
    write_corpus(out, NEW_REPORTS, seed, start=n)
    revise(out, _changed_index(manifest), seed)
    result["incremental"] = bench_build.run_build(out / "raw", build_dir, "incremental")
    inc, full = result["incremental"]["wall_s"], result["full_build"]["wall_s"]
    result["incremental"]["ratio_to_full"] = round(inc / full, 3) if full else None
    result["incremental"]["new_reports"], result["incremental"]["changed_reports"] = NEW_REPORTS, 1
    print(f"[{n}] incremental {inc} s ({result['incremental']['ratio_to_full']:.1%} of full)", flush=True)
    result["peak_rss_mb"] = max(result["full_build"]["peak_rss_mb"], result["incremental"]["peak_rss_mb"])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--with-100k", action="store_true", help="also 100,000 reports (about 25 minutes)")
    parser.add_argument("--work", type=Path, default=Path(os.environ.get("XXGK_BENCH_WORK", "/tmp/xxgk-bench")))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", action="store_true", help="keep corpora and warehouses under --work")
    parser.add_argument("--no-profile", action="store_true")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s] + ([100_000] if args.with_100k else [])
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / "bench.json"
    merged: dict[str, Any] = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    for n in sizes:
        load = os.getloadavg()[0]
        result = bench_size(n, args.work, args.seed, not args.no_profile)
        result["machine"] = {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "date": time.strftime("%Y-%m-%d %H:%M"),
            "load_1min_before_after": [round(load, 2), round(os.getloadavg()[0], 2)],
        }
        merged[str(n)] = result
        path.write_text(json.dumps(merged, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
        (RESULTS / "bench.md").write_text(bench_report.markdown(merged), encoding="utf-8")
        bench_scaling_doc.update(SCALING_DOC, merged)
        if not args.keep:
            shutil.rmtree(args.work / f"corpus_{n}", ignore_errors=True)
            shutil.rmtree(args.work / f"build_{n}", ignore_errors=True)
    print(f"wrote {path} and {RESULTS / 'bench.md'}")


if __name__ == "__main__":
    main()
