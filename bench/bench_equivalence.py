"""Equivalence guard for parser optimisations: parse a fixed set of files, write every output frame sorted.

    .venv/bin/python -m bench.bench_equivalence OUT [--corpus /tmp/speed-corpus/raw] [--against BASE]
        [--workers 1] [--batch 5000]

Files: the generated corpus (``bench.generate``), every report under tests/fixtures/ (.txt, .html,
.htm) and raw/*.txt. As ``staging.refresh_staging`` does, each distinct content is one document
(report_id = sha256, source_file = its first path), decoded with ``decode_files`` and parsed with
``parse_documents`` in batches of ``--batch`` (with ``--workers`` > 1: ``parallel.parse_files``, which
does both in worker processes); undecodable files join the quarantine. The five frames
(reports, values, relations, sections, quarantine) are sorted by every column and written to
``OUT/<name>.parquet``. With ``--against BASE`` each frame is compared with the one in BASE
(``DataFrame.equals``); the first differing rows are printed and the exit code is 1 on any difference.
Prints CPU seconds (this process and its children) and wall seconds of the decode + parse.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

import polars as pl
import psutil

from orchestration.lib.parsing import decode_files, parse_documents
from orchestration.lib.parsing import parse as parse_module
from orchestration.lib.parsing.parallel import MIN_PARALLEL_FILES, parse_files
from orchestration.lib.schemas import INDICATOR_VALUES, QUARANTINE, REPORTS, SECTIONS, VALUE_RELATIONS

ROOT = Path(__file__).resolve().parents[1]
SUFFIXES = (".txt", ".html", ".htm")
FRAMES = {
    "reports": REPORTS,
    "values": INDICATOR_VALUES,
    "relations": VALUE_RELATIONS,
    "sections": SECTIONS,
    "quarantine": QUARANTINE,
}


def collect(corpus: Path | None) -> pl.DataFrame:
    """One row per distinct content: report_id, source_file (first path, prefixed by its tree), content."""
    trees = [("fixtures", ROOT / "tests" / "fixtures"), ("raw", ROOT / "raw")]
    if corpus is not None:
        trees.insert(0, ("corpus", corpus))
    rows: dict[str, tuple[str, bytes]] = {}
    for prefix, tree in trees:
        for path in sorted(p for p in tree.rglob("*") if p.is_file() and p.suffix in SUFFIXES):
            data = path.read_bytes()
            name = f"{prefix}/{path.relative_to(tree).as_posix()}"
            key = hashlib.sha256(data).hexdigest()
            if key not in rows or name < rows[key][0]:
                rows[key] = (name, data)
    files = pl.DataFrame(
        {
            "report_id": list(rows),
            "source_file": [v[0] for v in rows.values()],
            "content": [v[1] for v in rows.values()],
        },
        schema={"report_id": pl.String, "source_file": pl.String, "content": pl.Binary},
    )
    return files.sort("source_file")


def _cpu() -> float:
    """CPU seconds of this process and its children, the live worker processes included."""
    me = psutil.Process()
    live = sum(sum(c.cpu_times()[:2]) for c in me.children(recursive=True))
    return sum(me.cpu_times()[:4]) + live


def _no_fallback(*_args: object) -> None:
    raise AssertionError("parse_documents fell back to one document at a time: _parse_batch raised")


def parse_all(files: pl.DataFrame, batch: int, workers: int) -> tuple[dict[str, pl.DataFrame], float, float]:
    """The five frames over all batches, plus CPU and wall seconds."""
    parts: dict[str, list[pl.DataFrame]] = {name: [] for name in FRAMES}
    cpu0, wall0 = _cpu(), time.perf_counter()
    for start in range(0, files.height, batch):
        result, undecodable = parse_files(files.slice(start, batch), workers=workers)
        for name in FRAMES:
            parts[name].append(getattr(result, name))
        parts["quarantine"].append(undecodable)
    cpu, wall = _cpu() - cpu0, time.perf_counter() - wall0
    return {name: pl.concat(frames).cast(FRAMES[name]) for name, frames in parts.items()}, cpu, wall


def canonical(frame: pl.DataFrame) -> pl.DataFrame:
    """Sorted by every column (list columns through their string form), nulls first."""
    keys = [
        pl.col(c).cast(pl.List(pl.String)).list.join("\x1f") if isinstance(t, pl.List) else pl.col(c)
        for c, t in frame.schema.items()
    ]
    return frame.sort(keys, nulls_last=False, maintain_order=True)


def compare(out: Path, base: Path) -> bool:
    same = True
    for name in FRAMES:
        new, old = pl.read_parquet(out / f"{name}.parquet"), pl.read_parquet(base / f"{name}.parquet")
        if new.equals(old):
            print(f"{name:10s} identical ({new.height} rows)")
            continue
        same = False
        print(f"{name:10s} DIFFERENT: {new.height} rows now, {old.height} in {base}")
        if new.schema != old.schema:
            print(f"  schema now {new.schema}\n  schema was {old.schema}")
            continue
        only_new = new.join(old, on=new.columns, how="anti", nulls_equal=True)
        only_old = old.join(new, on=new.columns, how="anti", nulls_equal=True)
        with pl.Config(tbl_cols=-1, fmt_str_lengths=80, tbl_width_chars=250):
            print("  rows only now:", only_new.head(5))
            print("  rows only before:", only_old.head(5))
    return same


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--corpus", type=Path, default=Path("/tmp/speed-corpus/raw"))
    parser.add_argument("--against", type=Path, default=None)
    parser.add_argument("--batch", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args(argv)

    files = collect(args.corpus if args.corpus.is_dir() else None)
    # A batch that raises would be parsed again one document at a time, maybe to the same frames but
    # hiding the error: in this process (workers = 1) that fallback is an error.
    parse_module._parse_one_by_one = _no_fallback  # type: ignore[assignment]
    parse_documents(decode_files(files.head(20))[0])  # warm-up: catalogue, regexes, divisions
    if args.workers > 1:  # start the workers outside the timed part (a staging run starts them once)
        parse_files(files.head(MIN_PARALLEL_FILES), workers=args.workers)
    frames, cpu, wall = parse_all(files, args.batch, args.workers)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, frame in frames.items():
        canonical(frame).write_parquet(args.out / f"{name}.parquet")
    n = frames["reports"].height
    print(
        f"{files.height} files, {n} reports, {frames['values'].height} values, "
        f"{frames['quarantine'].height} quarantined: CPU {cpu:.2f} s ({n / cpu:.0f} reports/CPU-s), "
        f"wall {wall:.2f} s ({n / wall:.0f} reports/s)"
    )
    if args.against is not None:
        return 0 if compare(args.out, args.against) else 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
