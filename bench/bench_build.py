"""Full build and incremental refresh through the real job, in a subprocess, with the RSS of its process tree.

``run_build`` starts ``bench.bench_build_child`` (``orchestration.run`` with stage timers) on a raw dir,
a warehouse and a DAGSTER_HOME under a work dir, samples the resident memory of the whole process tree
(the job and its dbt subprocess, bench/bench_memory.py) every 0.1 s, and returns wall time, peak RSS (with
its split by role) and the stage split: inventory, parse (read + decode + parse), staging load (the rest of
the staging step), dbt, checks.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.bench_memory import watch

ROOT = Path(__file__).resolve().parents[1]
STAGING_STEP = "staged_reports"
RAW_STEP = "staging__raw_files"
DBT_STEP = "xxgk_dbt_models"


def stages(child: dict[str, Any]) -> dict[str, float]:
    """inventory, parse, staging_load, dbt, checks, other (seconds) from the child's timers and steps."""
    steps, timers = child.get("steps_s", {}), child.get("timers_s", {})
    parse = sum(timers.get(k, 0.0) for k in ("read", "decode", "parse"))
    staging = steps.get(STAGING_STEP, 0.0)
    checks = sum(v for k, v in steps.items() if k not in (STAGING_STEP, RAW_STEP, DBT_STEP))
    out = {
        "inventory": steps.get(RAW_STEP, 0.0),
        "parse": parse,
        "staging_load": max(0.0, staging - parse),
        "dbt": steps.get(DBT_STEP, 0.0),
        "checks": checks,
    }
    out["other"] = max(0.0, child.get("job_wall_s", 0.0) - sum(out.values()))
    return {k: round(v, 2) for k, v in out.items()}


def run_build(raw: Path, work: Path, label: str) -> dict[str, Any]:
    """One run of the job on ``raw`` into work/warehouse.duckdb (created on the first run)."""
    work.mkdir(parents=True, exist_ok=True)
    timings = work / f"timings_{label}.json"
    env = dict(os.environ)
    env |= {
        "XXGK_RAW_DIR": str(raw),
        "XXGK_WAREHOUSE": str(work / "warehouse.duckdb"),
        "DAGSTER_HOME": str(work / "dagster_home"),
        "GX_ANALYTICS_ENABLED": "False",
        "DO_NOT_TRACK": "1",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
        "PATH": f"{ROOT / '.venv' / 'bin'}:{env.get('PATH', '')}",
        "PYTHONPATH": str(ROOT),
    }
    log = (work / f"build_{label}.log").open("w", encoding="utf-8")
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bench.bench_build_child", str(timings)], cwd=ROOT, env=env, stdout=log, stderr=log
    )
    memory = watch(proc)
    wall = time.perf_counter() - t0
    log.close()
    child = json.loads(timings.read_text(encoding="utf-8")) if timings.exists() else {}
    tail = (work / f"build_{label}.log").read_text(encoding="utf-8", errors="replace").splitlines()[-12:]
    return {
        "label": label,
        "rc": proc.returncode,
        "wall_s": round(wall, 2),
        "peak_rss_mb": memory["peak_rss_mb"],
        "memory": memory,
        "stages_s": stages(child),
        "timers_s": child.get("timers_s", {}),
        "steps_s": child.get("steps_s", {}),
        "dbt_models": child.get("dbt_models", [])[:8],
        "dbt_run": child.get("dbt_run", {}),
        "summary": [line for line in tail if line.startswith("  ") or "xxgk_refresh" in line],
    }
