"""The agencies of the committed corpus (``gov_agencies.csv``): also a pool for sampled corpora."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from bench.corpus.model import Agency

AGENCIES_CSV = Path(__file__).with_name("gov_agencies.csv")
#: About how many disclosure requests an agency of each level receives a year.
LEVEL_SCALE = {
    "乡镇": 6,
    "街道": 8,
    "县区部门": 20,
    "县区政府": 80,
    "市部门": 50,
    "市政府": 220,
    "省部门": 200,
    "省政府": 400,
}


@cache
def agencies() -> dict[str, Agency]:
    """key → Agency, in file order."""
    with AGENCIES_CSV.open(encoding="utf-8", newline="") as f:
        return {r.pop("key"): Agency(**r) for r in csv.DictReader(f)}
