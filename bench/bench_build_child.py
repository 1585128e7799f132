"""Run ``python -m orchestration.run`` (the xxgk_refresh job) with timers around the staging stages.

    python -m bench.bench_build_child TIMINGS.json

The job is the real one, on XXGK_RAW_DIR / XXGK_WAREHOUSE / DAGSTER_HOME from the environment; the
timers only wrap the functions ``orchestration.lib.staging`` calls (inventory, reading, decoding, parsing,
the DuckDB load). After the run, Dagster's step timings and dbt's per-model timings are added.
"""

from __future__ import annotations

import functools
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

TIMERS: dict[str, float] = {}
CALLS: dict[str, int] = {}


def _timed(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            TIMERS[name] = TIMERS.get(name, 0.0) + time.perf_counter() - t0
            CALLS[name] = CALLS.get(name, 0) + 1

    return wrapper


def _patch() -> list[str]:
    from orchestration.lib import staging, warehouse

    patched = []
    targets = {
        "inventory": (staging, "refresh_inventory"),
        "read": (staging, "_read_contents"),
        "parse": (staging, "parse_files"),  # decode + parse, on XXGK_PARSE_WORKERS processes
        "load": (warehouse, "apply_parse"),
    }
    for name, (module, attr) in targets.items():
        if hasattr(module, attr):
            setattr(module, attr, _timed(name, getattr(module, attr)))
            patched.append(name)
    return patched


def _steps(run_id: str | None) -> dict[str, float]:
    from dagster import DagsterInstance

    with DagsterInstance.get() as instance:
        if run_id is None:
            runs = instance.get_runs(limit=1)
            run_id = runs[0].run_id if runs else None
        if run_id is None:
            return {}
        return {
            s.step_key: round((s.end_time or s.start_time or 0) - (s.start_time or 0), 3)
            for s in instance.get_run_step_stats(run_id)
        }


def _dbt_models(run_id: str | None) -> list[dict[str, Any]]:
    """dbt's per-node timings of the run's build, from the warehouse's dbt target dir (the job's dbt step
    writes its artifacts there, kept between runs, so the file is this run's if the run built)."""
    from orchestration.defs.ingest.resources import XxgkWarehouse

    target = XxgkWarehouse().dbt_target_path()
    if not run_id or not (target / "run_results.json").exists():
        return []
    results = json.loads((target / "run_results.json").read_text(encoding="utf-8"))["results"]
    rows = [
        {"node": r["unique_id"], "status": r["status"], "seconds": round(r.get("execution_time") or 0, 3)}
        for r in results
    ]
    for r in rows:
        r["compiled"] = str(next(iter(target.glob(f"compiled/**/{r['node'].split('.')[-1]}.sql")), ""))
    return sorted(rows, key=lambda r: -r["seconds"])


def _dbt_run(run_id: str | None) -> dict[str, Any]:
    """The shape of the run's dbt build: nodes, dbt's own elapsed time (its step's time less this is dbt
    starting and loading its manifest), and the median and sum of the nodes' times."""
    from orchestration.defs.ingest.resources import XxgkWarehouse

    path = XxgkWarehouse().dbt_target_path() / "run_results.json"
    if not run_id or not path.exists():
        return {}
    results = json.loads(path.read_text(encoding="utf-8"))
    seconds = sorted(r.get("execution_time") or 0.0 for r in results["results"])
    return {
        "nodes": len(seconds),
        "elapsed_s": round(results.get("elapsed_time") or 0.0, 3),
        "median_node_s": round(statistics.median(seconds), 3) if seconds else None,
        "node_s_sum": round(sum(seconds), 3),
    }


def main() -> int:
    out = Path(sys.argv[1])
    patched = _patch()
    from dagster import DagsterInstance

    t0 = time.perf_counter()
    from orchestration import run

    rc = run.main()
    wall = time.perf_counter() - t0
    with DagsterInstance.get() as instance:
        runs = instance.get_runs(limit=1)
        run_id = runs[0].run_id if runs else None
    report = {
        "rc": rc,
        "job_wall_s": round(wall, 3),
        "patched": patched,
        "timers_s": {k: round(v, 3) for k, v in TIMERS.items()},
        "calls": CALLS,
        "steps_s": _steps(run_id),
        "dbt_models": _dbt_models(run_id),
        "dbt_run": _dbt_run(run_id),
        "run_id": run_id,
    }
    out.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return rc


if __name__ == "__main__":
    sys.exit(main())
