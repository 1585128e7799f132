"""Extraction accuracy against the generator's ground truth (bench/generate.py's truth/ tables), in DuckDB.

    .venv/bin/python -m bench.bench_accuracy CORPUS WAREHOUSE OUT.json [--memory-limit 2GB]

``score`` attaches the built warehouse read-only, reads the truth Parquet files with ``read_parquet`` and
joins them in SQL (bench/bench_accuracy_sql.py) under a DuckDB memory limit, spilling to a temp directory:
nothing of the size of the corpus is materialised in Python, so 100k reports (12.4 M truth values) score in
bounded memory. Figures:

* values, per family and source_kind: a truth key (file, source_kind, indicator_code, breakdown) is
  *recalled* when an extracted value (marts.fct_indicator_value) with that key equals it (a blank truth
  cell is recalled by an extracted NULL), *wrong* when the key was extracted with other values only,
  *missed* when it was not extracted (truth = recalled + wrong + missed); an extracted key the truth does
  not have is *spurious* (header rows, and the prose of gov reports, whose quantities the truth does not
  list, are not scored);
* metadata: template, agency name and report year per report; bad files quarantined with the expected reason;
* relations: prose sums (parent, part) recalled, and spurious ones in the families whose truth lists them;
* plants, per rule: reports planted, expected to break it, found (flagged with it), false (flagged with it
  though the report does not break it); overall: planted reports flagged with one of their rules, consistent
  reports flagged at all.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path
from typing import Any

import duckdb

from bench import bench_accuracy_sql as sql
from bench.generate_model import BAD_KINDS

CATALOGUE_CSV = Path(__file__).resolve().parents[1] / "dbt_project" / "seeds" / "indicator_catalogue.csv"
MEMORY_LIMIT = "2GB"


def _literal(text: str) -> str:
    """A path as an SQL string literal (DuckDB's ATTACH, SET and read_* take no parameters here)."""
    return "'" + text.replace("'", "''") + "'"


def connect(out: Path, db: Path, temp_dir: Path, memory_limit: str = MEMORY_LIMIT) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the warehouse attached as ``wh`` and the truth of the corpus ``out`` as views."""
    con = duckdb.connect()
    con.execute(f"set memory_limit = {_literal(memory_limit)}")
    con.execute(f"set temp_directory = {_literal(str(temp_dir))}")
    con.execute("set preserve_insertion_order = false")
    con.execute(f"attach {_literal(str(db))} as wh (read_only)")
    truth = out / "truth"
    for view, name in (("manifest", "manifest"), ("truth_values", "values"), ("truth_relations", "relations")):
        con.execute(f"create view {view} as select * from read_parquet({_literal(str(truth / f'{name}.parquet'))})")
    con.execute(
        "create view header_rows as select template as family, indicator_code "
        f"from read_csv({_literal(str(CATALOGUE_CSV))}, all_varchar = true) where lower(is_header) = 'true'"
    )
    con.execute("create temp table bad_kinds (bad_kind varchar, expected varchar)")
    con.executemany("insert into bad_kinds values (?, ?)", list(BAD_KINDS.items()))
    return con


def _dicts(con: duckdb.DuckDBPyConnection, query: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    cur = con.execute(query, params or [])
    cols = [d[0] for d in cur.description or []]
    return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]


def _ratios(row: dict[str, Any]) -> dict[str, Any]:
    scored = row["recalled"] + row["wrong"] + row["spurious"]
    return row | {
        "recall": row["recalled"] / row["truth"] if row["truth"] else 1.0,
        "wrong_share": (row["wrong"] + row["spurious"]) / scored if scored else 0.0,
    }


def score(out: Path, db: Path, memory_limit: str = MEMORY_LIMIT, misses: int = 20) -> dict[str, Any]:
    """Every accuracy figure for the corpus under ``out`` against the warehouse ``db``, as JSON-ready data."""
    with tempfile.TemporaryDirectory(prefix="score-", dir=out) as tmp, connect(out, db, Path(tmp), memory_limit) as con:
        for statement in (sql.FILES, sql.GOT, sql.STATUS):
            con.execute(statement)
        values = [_ratios(r) for r in _dicts(con, sql.VALUES)]
        keys = ("truth", "recalled", "wrong", "missed", "spurious")
        totals = _ratios({k: sum(r[k] for r in values) for k in keys})
        relations = _dicts(con, sql.RELATIONS)[0]
        relations["recall"] = relations["recalled"] / relations["truth"] if relations["truth"] else 1.0
        by_rule = _dicts(con, sql.PLANTS_BY_RULE)
        plants = _dicts(con, sql.PLANTS)[0]
        plants["detection_rate"] = plants["detected"] / plants["planted"] if plants["planted"] else 1.0
        plants["by_rule"] = by_rule
        plants["false_flags"] = sum(r["false"] for r in by_rule)
        return {
            "values": values,
            "values_total": totals,
            "misses": _dicts(con, sql.MISSES, [misses]),
            "metadata": _dicts(con, sql.METADATA),
            "relations": relations,
            "plants": plants,
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path, help="the generated corpus (its truth/ is read)")
    parser.add_argument("warehouse", type=Path, help="the built warehouse (attached read-only)")
    parser.add_argument("out", type=Path, help="JSON file the figures are written to")
    parser.add_argument("--memory-limit", default=MEMORY_LIMIT)
    args = parser.parse_args()
    result = score(args.corpus, args.warehouse, args.memory_limit)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1, default=str), encoding="utf-8")


if __name__ == "__main__":
    main()
