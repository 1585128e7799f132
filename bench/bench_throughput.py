"""Parse throughput on a generated corpus through the real code path, and the floor measured in the same run.

Files are read and handed to ``decode_files`` and ``parse_documents`` in batches of
``orchestration.lib.staging.BATCH_SIZE`` in one process, then to ``parse_files`` on XXGK_PARSE_WORKERS
processes as the staging step does (``reports_per_s``, the figure held against the target). The floor is
the same reading and decoding with no parsing, in one process. A pyinstrument profile of one batch
shows what bounds the parse.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import polars as pl

from orchestration.lib.parsing import decode_files, parse_documents, parse_files, shutdown_workers
from orchestration.lib.settings import parse_workers
from orchestration.lib.staging import BATCH_SIZE

FILES = pl.Schema({"report_id": pl.String, "source_file": pl.String, "content": pl.Binary})


def _batch(raw: Path, manifest: pl.DataFrame) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "report_id": manifest["sha256"],
            "source_file": manifest["file"],
            "content": [(raw / f).read_bytes() for f in manifest["file"]],
        },
        schema=FILES,
    )


def _pass(raw: Path, manifest: pl.DataFrame, batch: int, parse: bool) -> dict[str, float]:
    t = {"read": 0.0, "decode": 0.0, "parse": 0.0}
    reports = 0
    for start in range(0, manifest.height, batch):
        t0 = time.perf_counter()
        files = _batch(raw, manifest.slice(start, batch))
        t1 = time.perf_counter()
        docs, _ = decode_files(files)
        t2 = time.perf_counter()
        t["read"] += t1 - t0
        t["decode"] += t2 - t1
        if parse:
            reports += parse_documents(docs).reports.height
            t["parse"] += time.perf_counter() - t2
    t["reports"] = reports
    return t


def _parallel_pass(raw: Path, manifest: pl.DataFrame, batch: int, workers: int) -> tuple[float, int]:
    """Read, then decode + parse on ``workers`` processes (``parse_files``, as the staging step does)."""
    reports = 0
    t0 = time.perf_counter()
    try:
        for start in range(0, manifest.height, batch):
            result, _ = parse_files(_batch(raw, manifest.slice(start, batch)), workers=workers)
            reports += result.reports.height
    finally:
        shutdown_workers()
    return time.perf_counter() - t0, reports


def measure(raw: Path, manifest: pl.DataFrame, batch: int = BATCH_SIZE, workers: int | None = None) -> dict[str, Any]:
    """Floor (read + decode) and full (read + decode + parse) passes over the same files in one process,
    then the staging step's way: read, decode and parse on ``workers`` processes (XXGK_PARSE_WORKERS)."""
    workers = parse_workers() if workers is None else workers
    manifest = manifest.unique("sha256", keep="first").sort("file")
    mb = float(manifest["bytes"].sum()) / 1e6
    parse_documents(decode_files(_batch(raw, manifest.head(20)))[0])  # warm-up: catalogue, regexes, divisions
    floor = _pass(raw, manifest, batch, parse=False)
    full = _pass(raw, manifest, batch, parse=True)
    parallel_s, parallel_reports = _parallel_pass(raw, manifest, batch, workers)
    assert parallel_reports == full["reports"], "parallel and single-process parses disagree"
    n = manifest.height
    floor_s = floor["read"] + floor["decode"]
    full_s = full["read"] + full["decode"] + full["parse"]
    return {
        "files": n,
        "mb": round(mb, 1),
        "batch": batch,
        "reports_parsed": int(full["reports"]),
        "floor_s": round(floor_s, 2),
        "floor_files_per_s": round(n / floor_s),
        "floor_mb_per_s": round(mb / floor_s, 1),
        "read_s": round(full["read"], 2),
        "decode_s": round(full["decode"], 2),
        "parse_s": round(full["parse"], 2),
        "total_s": round(full_s, 2),
        "single_process_reports_per_s": round(n / full_s),
        "single_process_mb_per_s": round(mb / full_s, 2),
        "workers": workers,
        "parallel_s": round(parallel_s, 2),
        "reports_per_s": round(n / parallel_s),
        "mb_per_s": round(mb / parallel_s, 2),
        "parse_only_reports_per_s": round(n / full["parse"]) if full["parse"] else None,
        "ratio_full_to_floor": round(parallel_s / floor_s, 1),
    }


def profile(raw: Path, manifest: pl.DataFrame, n: int = 2000, out: Path | None = None) -> dict[str, Any]:
    """pyinstrument over parse_documents on ``n`` files spread over the corpus: ``top`` (the head of the
    text profile) and ``stages`` (parse_documents' steps with their seconds, largest first)."""
    from pyinstrument import Profiler

    files = manifest.unique("sha256", keep="first").sort("file")
    sample = files.gather_every(max(1, files.height // n)).head(n)  # every year and family, not the first years
    docs, _ = decode_files(_batch(raw, sample))
    parse_documents(docs.head(20))
    profiler = Profiler(interval=0.005)
    profiler.start()
    parse_documents(docs)
    session = profiler.stop()
    text = profiler.output_text(unicode=False, color=False, show_all=False)
    if out is not None:
        out.write_text(text, encoding="utf-8")
    return {
        "reports": docs.height,
        "seconds": round(session.duration, 3),
        "stages": stage_split(session.root_frame()),
        "top": [line for line in text.splitlines() if line.strip()][:60],
    }


def stage_split(root: Any, batch_function: str = "_parse_batch") -> list[dict[str, Any]]:
    """The children of the profile's ``batch_function`` frame (parse_documents' steps), summed by
    function name, with their seconds, largest first; [] if the frame is absent."""
    todo, batch = [root], None
    while todo and batch is None:
        frame = todo.pop()
        if frame is None:
            continue
        if frame.function == batch_function:
            batch = frame
        todo.extend(frame.children)
    if batch is None:
        return []
    seconds: dict[str, float] = {}
    for child in batch.children:
        seconds[child.function] = seconds.get(child.function, 0.0) + child.time
    total = batch.time or 1.0
    rows = [{"function": f, "seconds": round(t, 3), "share": round(t / total, 3)} for f, t in seconds.items()]
    return sorted(rows, key=lambda r: -r["seconds"])
