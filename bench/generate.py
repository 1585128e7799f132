"""Generate a seeded corpus of annual reports with ground truth: every template family, layout and noise.

    .venv/bin/python -m bench.generate N OUT [--seed 0] [--start 0] [--years 2014-2023] [--workers 2]

writes ``OUT/raw/<year>/<province>/r<index>.(txt|html|htm)`` (the raw dir to load) and ``OUT/truth/``:
``manifest.parquet`` (one row per file: family, template, layout, encoding, noise flags, planted rule,
bad kind, agency, region, year), ``values.parquet`` (every table cell and prose quantity written:
file, source_kind, indicator_code, breakdown, value, qualifier, raw_value) and ``relations.parquet``
(prose sums: parent and child per part). The same (N, seed) always gives the same bytes.

The corpus is agencies × years: report i is agency i // len(years) (a real division from jionlp's
dataset) for year years[i % len(years)]. Its family follows the year and the agency (townships often
write narrative reports): pre2019_table before 2019, gov2019 for 2019-2020, gov2021 from 2021, narrative
anywhere. A share ``Rates.plant`` breaks one rule on purpose; a share ``Rates.bad`` is an empty, binary
or non-report file. ``--start`` continues a corpus (an incremental batch); ``revise`` rewrites one file.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import random
from multiprocessing import get_context
from pathlib import Path

import polars as pl

from bench import generate_families as fam
from bench import generate_gov
from bench.corpus import catalogue as cat
from bench.corpus.agencies import LEVEL_SCALE
from bench.generate_agencies import agency_pool
from bench.generate_model import Generated, Rates, Slot

NARRATIVE_SHARE = {"乡镇": (0.5, 0.15), "街道": (0.4, 0.1)}  # level → (before 2019, from 2019); others (0.1, 0.02)
MANIFEST = pl.Schema(
    {
        "file": pl.String, "index": pl.Int64, "revision": pl.Int32, "family": pl.String, "template": pl.String,
        "layout": pl.String, "encoding": pl.String, "noise": pl.List(pl.String), "planted_rule": pl.String,
        "expected_rules": pl.List(pl.String), "bad_kind": pl.String, "agency_name": pl.String,
        "agency_level": pl.String, "province": pl.String, "city": pl.String, "county": pl.String,
        "report_year": pl.Int32, "bytes": pl.Int64, "sha256": pl.String,
    }
)  # fmt: skip
VALUES = pl.Schema(
    {
        "file": pl.String, "source_kind": pl.String, "indicator_code": pl.String, "breakdown": pl.String,
        "value": pl.Float64, "qualifier": pl.String, "raw_value": pl.String,
    }
)  # fmt: skip
RELATIONS = pl.Schema(
    {
        "file": pl.String, "parent_indicator_code": pl.String, "parent_breakdown": pl.String,
        "child_indicator_code": pl.String, "child_breakdown": pl.String,
    }
)  # fmt: skip


def family(seed: int, agency_index: int, level: str, year: int) -> str:
    rng = random.Random(f"{seed}-family-{agency_index}")
    before, after = NARRATIVE_SHARE.get(level, (0.1, 0.02))
    pre, post = rng.random() < before, rng.random() < after
    if year < 2019:
        return "narrative" if pre or year < 2014 else "pre2019_table"
    return "narrative" if post else cat.template_for(year)


def slots(n: int, seed: int, years: tuple[int, ...], start: int = 0) -> list[Slot]:
    """Slots start … start + n − 1 of the corpus of ``seed``."""
    per = len(years)
    pool = agency_pool(math.ceil((start + n) / per), seed)
    out: list[Slot] = []
    for i in range(start, start + n):
        a, year = i // per, years[i % per]
        agency = pool[a]
        scale = random.Random(f"{seed}-scale-{a}").uniform(0.5, 1.5)
        out.append(
            Slot(
                i,
                seed,
                a,
                agency,
                year,
                family(seed, a, agency.level, year),
                max(1, round(LEVEL_SCALE[agency.level] * scale)),
            )
        )
    return out


def realize(slot: Slot, rates: Rates) -> Generated:
    """The file of one slot: a bad file at rate ``bad``, else a report (planted at rate ``plant``)."""
    rng = slot.rng("plan")
    if rng.random() < rates.bad:
        return fam.bad_file(slot)
    planted = rng.random() < rates.plant
    if slot.family in ("gov2019", "gov2021"):
        return generate_gov.generate(slot, rates, planted)
    if slot.family == "pre2019_table":
        return fam.pre2019_table(slot, rates, planted)
    return fam.narrative_report(slot, rates, planted)


def _rows(slot: Slot, g: Generated) -> tuple[dict, list[tuple], list[tuple]]:
    a = slot.agency
    family = "bad" if g.bad_kind else slot.family
    manifest = {
        "file": g.file, "index": slot.index, "revision": slot.revision, "family": family, "template": g.template,
        "layout": g.layout, "encoding": g.encoding, "noise": g.noise, "planted_rule": g.planted_rule,
        "expected_rules": g.expected_rules, "bad_kind": g.bad_kind, "agency_name": a.name.replace(" ", ""),
        "agency_level": a.level, "province": a.province, "city": a.city, "county": a.county,
        "report_year": slot.year, "bytes": len(g.content), "sha256": hashlib.sha256(g.content).hexdigest(),
    }  # fmt: skip
    values = [
        (g.file, v.source_kind, v.indicator_code, v.breakdown, v.value, v.qualifier, v.raw_value) for v in g.values
    ]
    return manifest, values, [(g.file, *r) for r in g.relations]


def _work(args: tuple[list[Slot], Rates, str]) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    chunk, rates, raw = args
    manifest, values, relations = [], [], []
    for slot in chunk:
        g = realize(slot, rates)
        path = Path(raw) / g.file
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(g.content)
        m, v, r = _rows(slot, g)
        manifest.append(m)
        values += v
        relations += r
    return (
        pl.DataFrame(manifest, schema=MANIFEST),
        pl.DataFrame(values, schema=VALUES, orient="row"),
        pl.DataFrame(relations, schema=RELATIONS, orient="row"),
    )


def write_corpus(
    out: Path, n: int, seed: int = 0, years: tuple[int, ...] = tuple(range(2014, 2024)), start: int = 0,
    workers: int = 2, rates: Rates | None = None, chunk: int = 250,
) -> pl.DataFrame:  # fmt: skip
    """Write slots start … start+n−1 under out/raw and (append to) out/truth; returns their manifest."""
    rates = rates or Rates()
    todo = slots(n, seed, years, start)
    raw = out / "raw"
    tasks = [(todo[i : i + chunk], rates, str(raw)) for i in range(0, len(todo), chunk)]
    if workers > 1 and len(tasks) > 1:
        with get_context("fork").Pool(workers) as pool:
            parts = pool.map(_work, tasks, chunksize=1)
    else:
        parts = [_work(t) for t in tasks]
    frames = [pl.concat([p[k] for p in parts]) for k in range(3)]
    _save(out / "truth", *frames)
    return frames[0]


def _save(truth: Path, manifest: pl.DataFrame, values: pl.DataFrame, relations: pl.DataFrame) -> None:
    """Write the truth tables; rows of files already there are replaced (an incremental batch or a revision)."""
    truth.mkdir(parents=True, exist_ok=True)
    for name, frame in (("manifest", manifest), ("values", values), ("relations", relations)):
        path = truth / f"{name}.parquet"
        if path.exists():
            old = pl.read_parquet(path)
            frame = pl.concat([old.filter(~pl.col("file").is_in(manifest["file"].implode())), frame])
        frame.write_parquet(path)


def revise(out: Path, index: int, seed: int = 0, years: tuple[int, ...] = tuple(range(2014, 2024))) -> pl.DataFrame:
    """Rewrite report ``index`` as a revised version (same path when the extension stays, new content)."""
    slot = slots(1, seed, years, index)[0]
    manifest = pl.read_parquet(out / "truth" / "manifest.parquet")
    revision = int(manifest.filter(pl.col("index") == index)["revision"].max() or 0) + 1
    slot = Slot(**{**slot.__dict__, "revision": revision})
    for attempt in range(20):  # keep the path: a revision is the same file changed
        g = realize(slot, Rates())
        if f"{g.file}" in manifest["file"].to_list() or attempt == 19:
            break
        slot = Slot(**{**slot.__dict__, "revision": slot.revision + 1})
    (out / "raw" / g.file).write_bytes(g.content)
    m, v, r = _rows(slot, g)
    frames = (pl.DataFrame([m], schema=MANIFEST), pl.DataFrame(v, schema=VALUES, orient="row"),
              pl.DataFrame(r, schema=RELATIONS, orient="row"))  # fmt: skip
    _save(out / "truth", *frames)
    return frames[0]


def parse_years(text: str) -> tuple[int, ...]:
    lo, _, hi = text.partition("-")
    return tuple(range(int(lo), int(hi or lo) + 1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("n", type=int, help="reports to write")
    parser.add_argument("out", type=Path, help="output directory (raw/ and truth/ are written in it)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--start", type=int, default=0, help="first slot (continue an existing corpus)")
    parser.add_argument("--years", default="2014-2023")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    manifest = write_corpus(args.out, args.n, args.seed, parse_years(args.years), args.start, args.workers)
    summary = manifest.group_by("family").agg(files=pl.len(), planted=(pl.col("planted_rule") != "").sum())
    print(f"wrote {manifest.height} files ({manifest['bytes'].sum() / 1e6:.1f} MB) under {args.out / 'raw'}")
    print(summary.sort("family"))


if __name__ == "__main__":
    main()
