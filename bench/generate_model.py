"""What the corpus generator decides per file (``Slot``), its noise rates, and what it writes (``Generated``)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from bench.corpus.model import Agency

FAMILIES = ("pre2019_table", "narrative", "gov2019", "gov2021", "bad")
BAD_KINDS = {"empty": "empty_file", "whitespace": "empty_file", "binary": "binary_file", "notice": "not_a_report"}


@dataclass(frozen=True)
class Rates:
    """Probability of each noise pattern (per report where it applies) and of plants and bad files."""

    plant: float = 0.03  # a planted inconsistency (one rule broken on purpose)
    bad: float = 0.005  # an empty, whitespace-only, binary or non-report file (quarantine)
    html: float = 0.12  # a saved web page (pre2019 and narrative; gov layouts draw html among their formats)
    chrome: float = 0.12  # web-page chrome around a plain text
    page_break: float = 0.25
    gbk: float = 0.08
    bom: float = 0.03
    utf16: float = 0.01  # narrative only
    crlf: float = 0.08
    fullwidth: float = 0.05
    spam: float = 0.02  # narrative only: a gambling string in place of every 其他
    traditional: float = 0.01  # narrative only
    markers: float = 0.15  # empty markers (/, —, 无, 不适用, blank) in some table cells
    yuan: float = 0.05  # 万元 cells printed in 元
    thousands: float = 0.3
    wrap: float = 0.3
    stray_space: float = 0.2
    header_value: float = 0.1  # a number printed on a header row (seed 000)
    chinese_numerals: float = 0.15
    top_date: float = 0.3

    def draw(self, rng: random.Random, name: str) -> bool:
        return rng.random() < getattr(self, name)


@dataclass(frozen=True)
class Slot:
    """One file of the corpus: the i-th report, of agency ``agency`` for ``year``."""

    index: int
    seed: int
    agency_index: int
    agency: Agency
    year: int
    family: str  # one of FAMILIES
    agency_scale: int  # about how many requests a year the agency receives (gov templates)
    revision: int = 0  # > 0: the report was revised (same path, new content)

    @property
    def file(self) -> str:
        return f"{self.year}/{self.agency.province}/r{self.index:07d}"

    def rng(self, purpose: str) -> random.Random:
        return random.Random(f"{self.seed}-{self.index}-{self.revision}-{purpose}")


@dataclass(frozen=True)
class TruthValue:
    source_kind: str  # table | prose
    indicator_code: str
    breakdown: str
    value: float | None  # None: blank or an empty marker
    qualifier: str
    raw_value: str


@dataclass
class Generated:
    file: str  # path relative to the raw dir, with its extension
    content: bytes
    template: str | None  # the template the parser should detect (None for a bad file)
    layout: str
    encoding: str
    noise: list[str] = field(default_factory=list)
    planted_rule: str = ""  # the rule the plant breaks ('' = a consistent report)
    expected_rules: list[str] = field(default_factory=list)  # every rule the report breaks
    bad_kind: str = ""
    values: list[TruthValue] = field(default_factory=list)
    relations: list[tuple[str, str, str, str]] = field(default_factory=list)
