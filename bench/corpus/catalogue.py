"""The rows and columns of the gov2019 / gov2021 tables, read from the dbt seeds (never hard-coded).

``indicator_catalogue.csv`` gives each row (indicator_code, label_prefix, name_zh, is_header, table_no,
breakdown_set); ``breakdown_sets.csv`` gives each set's ordered column labels (the ``breakdown`` of a cell).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds"
GOV_TEMPLATES = ("gov2019", "gov2021")


@dataclass(frozen=True)
class RowSpec:
    """One catalogue row of a gov template table."""

    code: str
    prefix: str  # label_prefix as in the seed: 一、 （一） 1.
    name: str  # name_zh: the printed label without its numbering
    is_header: bool
    table_no: int  # 2, 3 or 4
    parent: str  # '' for top-level rows
    breakdowns: tuple[str, ...]  # column labels of the row's cells; () for header rows
    unit: str

    @property
    def label(self) -> str:
        return f"{self.prefix}{self.name}"


@cache
def breakdown_sets(seeds: Path = SEEDS) -> dict[str, tuple[str, ...]]:
    rows: dict[str, list[tuple[int, str]]] = {}
    with (seeds / "breakdown_sets.csv").open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            rows.setdefault(r["breakdown_set"], []).append((int(r["position"]), r["breakdown"]))
    return {k: tuple(b for _, b in sorted(v)) for k, v in rows.items()}


@cache
def template_rows(template: str, seeds: Path = SEEDS) -> tuple[RowSpec, ...]:
    """The table rows of a gov template in row_order (表二, then 表三, then 表四)."""
    if template not in GOV_TEMPLATES:
        raise ValueError(f"not a gov template: {template!r}")
    sets = breakdown_sets(seeds)
    found: list[tuple[int, RowSpec]] = []
    with (seeds / "indicator_catalogue.csv").open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            if r["template"] != template:
                continue
            header = r["is_header"].strip().lower() == "true"
            spec = RowSpec(
                code=r["indicator_code"],
                prefix=r["label_prefix"],
                name=r["name_zh"],
                is_header=header,
                table_no=int(r["table_no"]),
                parent=r["parent_code"],
                breakdowns=() if header or not r["breakdown_set"] else sets[r["breakdown_set"]],
                unit=r["unit"],
            )
            found.append((int(r["row_order"]), spec))
    return tuple(spec for _, spec in sorted(found, key=lambda x: x[0]))


def table_rows(template: str, table_no: int) -> tuple[RowSpec, ...]:
    return tuple(r for r in template_rows(template) if r.table_no == table_no)


def row(template: str, code: str) -> RowSpec:
    for r in template_rows(template):
        if r.code == code:
            return r
    raise KeyError(f"{template}: no row {code}")


def value_keys(template: str) -> tuple[tuple[str, str], ...]:
    """Every (indicator_code, breakdown) cell of the template, in table order."""
    return tuple((r.code, b) for r in template_rows(template) for b in r.breakdowns)


def result_leaves(template: str) -> tuple[str, ...]:
    """表三 rows whose sum is （七）总计: value rows under 三、本年度办理结果, except 总计 itself."""
    rows = table_rows(template, 3)
    under = {"t3_results"}
    leaves: list[str] = []
    for r in rows:
        if r.parent in under:
            if r.is_header:
                under.add(r.code)
            elif r.code != "t3_total":
                leaves.append(r.code)
    return tuple(leaves)


def applicant_columns() -> tuple[str, ...]:
    """表三 columns: the six applicant columns, then 总计."""
    return breakdown_sets()["t3_applicants"]


def t4_columns() -> tuple[str, ...]:
    return breakdown_sets()["t4_results"]


def template_for(year: int) -> str:
    """The national format in force for a report year (2019 format for 2019-2020, 2021 format after)."""
    return "gov2019" if year <= 2020 else "gov2021"
