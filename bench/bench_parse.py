"""Throughput of the parsing layer: decode_files and parse_documents on N documents.

The seed reports (raw/) and the test reports (tests/fixtures/reports/) are replicated to N
documents with distinct report_ids, then decoded and parsed in batches of --batch (the batch
size orchestration.lib.staging uses), timing decode and parse separately.

    .venv/bin/python bench/bench_parse.py [N] [--batch 5000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from orchestration.lib.parsing import decode_files, load_catalogue, parse_documents  # noqa: E402

SOURCES = (ROOT / "raw", ROOT / "tests" / "fixtures" / "reports")


def corpus(n: int, sources: tuple[Path, ...] = SOURCES) -> pl.DataFrame:
    """N files (report_id, source_file, content) cycling over the seeds and the fixtures."""
    files = sorted(p for d in sources for p in d.iterdir() if p.is_file() and p.suffix == ".txt")
    blobs = [p.read_bytes() for p in files]
    ids, names, contents = [], [], []
    for i in range(n):
        k = i % len(files)
        ids.append(hashlib.sha256(blobs[k] + i.to_bytes(8, "little")).hexdigest())
        names.append(f"copy{i:07d}/{files[k].name}")
        contents.append(blobs[k])
    return pl.DataFrame(
        {"report_id": ids, "source_file": names, "content": contents},
        schema={"report_id": pl.String, "source_file": pl.String, "content": pl.Binary},
    )


def run(files: pl.DataFrame, batch: int, catalogue: pl.DataFrame) -> tuple[float, float, dict[str, int]]:
    t_decode = t_parse = 0.0
    counts = {"reports": 0, "values": 0, "quarantined": 0, "pre2019_table": 0}
    for start in range(0, files.height, batch):
        chunk = files.slice(start, batch)
        t0 = time.perf_counter()
        docs, undecodable = decode_files(chunk)
        t1 = time.perf_counter()
        result = parse_documents(docs, catalogue)
        t2 = time.perf_counter()
        t_decode += t1 - t0
        t_parse += t2 - t1
        counts["reports"] += result.reports.height
        counts["values"] += result.values.height
        counts["quarantined"] += undecodable.height + result.quarantine.height
        counts["pre2019_table"] += result.reports.filter(pl.col("template") == "pre2019_table").height
    return t_decode, t_parse, counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("n", nargs="?", type=int, default=5000, help="documents (default 5000)")
    parser.add_argument("--batch", type=int, default=5000, help="documents per decode/parse call")
    parser.add_argument("--repeat", type=int, default=3, help="runs; the best is reported")
    parser.add_argument("--seeds-only", action="store_true", help="replicate raw/ only (full-size reports)")
    args = parser.parse_args()

    files = corpus(args.n, SOURCES[:1] if args.seeds_only else SOURCES)
    n_bytes = int(files["content"].bin.size().sum())
    catalogue = load_catalogue()
    parse_documents(decode_files(files.head(20))[0], catalogue)  # warm-up (regex compilation)

    best: tuple[float, float, dict[str, int]] | None = None
    for _ in range(args.repeat):
        result = run(files, args.batch, catalogue)
        if best is None or result[0] + result[1] < best[0] + best[1]:
            best = result
    assert best is not None
    t_decode, t_parse, counts = best
    mb = n_bytes / 1e6
    total = t_decode + t_parse
    print(
        f"documents {args.n}  ({mb:.1f} MB)  batch {args.batch}  "
        f"polars threads {pl.thread_pool_size()}  cpus {os.cpu_count()}"
    )
    print(
        f"outcome   reports {counts['reports']} (pre2019_table {counts['pre2019_table']})  "
        f"values {counts['values']}  quarantined {counts['quarantined']}"
    )
    reports = counts["reports"]
    for phase, seconds in (("decode", t_decode), ("parse", t_parse), ("total", total)):
        print(
            f"{phase:8s}  {seconds:7.3f} s  {args.n / seconds:8.0f} docs/s  "
            f"{reports / seconds:8.0f} reports/s  {mb / seconds:6.1f} MB/s"
        )


if __name__ == "__main__":
    main()
