"""Throughput of extract_gov on a batch of copies of national-template reports (a script, not a test).

    .venv/bin/python -m bench.bench_gov            # 2,000 copies of tests/fixtures/gov_unit/*.txt
    .venv/bin/python -m bench.bench_gov 5000 a.txt b.txt

Lines and titles are built outside the timed part (they are shared with the rest of the parse); the seeds
are loaded first. Prints the batch size, the best of three runs and reports per second.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import polars as pl

from orchestration.lib.parsing.gov import default_gov_seeds, extract_gov
from orchestration.lib.parsing.lines import explode_lines
from orchestration.lib.parsing.metadata import find_titles

DEFAULT_FILES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "gov_unit"
RUNS = 3


def main(argv: list[str]) -> None:
    n = int(argv[0]) if argv else 2000
    paths = [Path(p) for p in argv[1:]] or sorted(DEFAULT_FILES.glob("*.txt"))
    texts = [p.read_bytes().decode("utf-8-sig", errors="replace") for p in paths]
    docs = pl.DataFrame(
        {"doc": pl.Series(range(n), dtype=pl.UInt32), "text": [texts[i % len(texts)] for i in range(n)]}
    )
    default_gov_seeds()
    lines = explode_lines(docs)
    titles = find_titles(lines)
    best = float("inf")
    for _ in range(RUNS):
        start = time.perf_counter()
        result = extract_gov(lines, titles)
        best = min(best, time.perf_counter() - start)
    print(
        f"extract_gov: {n} reports ({len(paths)} distinct), {lines.height} lines, {result.values.height} values: "
        f"{best:.2f} s, {n / best:.0f} reports/s"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
