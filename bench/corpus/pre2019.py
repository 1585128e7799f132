"""The pre-2019 national statistics table (统计指标 / 单位 / 统计数): rows, consistent numbers, plants, cells.

Rows come from the ``pre2019_table`` rows of ``dbt_project/seeds/indicator_catalogue.csv``. ``facts`` draws
numbers that satisfy every sum and bound of the table (the rules of ``check_rules.csv``), scaled by the
agency's level; ``plant`` breaks exactly one rule; ``print_cell`` turns a value into the printed cell.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from functools import cache
from pathlib import Path

CATALOGUE_CSV = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds" / "indicator_catalogue.csv"
FULLWIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")
#: Notes printed after some labels in the national form.
NOTES = {
    "pre_proactive_items": " （不同渠道和方式公开相同信息计 1 条）",
    "pre_response_hotspots": " （不同方式回应同一热点或舆情计 1 次）",
    "pre_staff_full_time": "（不包括政府公报及政府网站工作人员数）",
    "pre_special_funds": "（不包括用于政府公报编辑管理及政府网站建设维护等方面的经费）",
}
MONEY = ("pre_fees", "pre_special_funds")
#: Sum rules: parent → items (check_rules.csv, rule_id = the key + "_sum").
SUMS = {
    "pre_requests_received": (
        "pre_requests_in_person", "pre_requests_fax", "pre_requests_online", "pre_requests_letter",
    ),
    "pre_requests_completed": ("pre_completed_on_time", "pre_completed_extended"),
    "pre_requests_answered": (
        "pre_answer_already_public", "pre_answer_granted", "pre_answer_partly_granted", "pre_answer_refused",
        "pre_answer_not_this_agency", "pre_answer_not_exist", "pre_answer_correction", "pre_answer_other_channel",
    ),
    "pre_answer_refused": (
        "pre_refused_state_secret", "pre_refused_commercial_secret", "pre_refused_privacy", "pre_refused_security",
        "pre_refused_not_gov_info", "pre_refused_other_law",
    ),
    "pre_reconsiderations": (
        "pre_reconsideration_upheld", "pre_reconsideration_corrected", "pre_reconsideration_other",
    ),
    "pre_lawsuits": ("pre_lawsuit_upheld", "pre_lawsuit_corrected", "pre_lawsuit_other"),
    "pre_staff_total": ("pre_staff_full_time", "pre_staff_part_time"),
}  # fmt: skip
CHANNELS = (
    "pre_channel_gazette",
    "pre_channel_website",
    "pre_channel_weibo",
    "pre_channel_wechat",
    "pre_channel_other",
)
#: Requests a year by level (pre-2019 volumes were lower than after 2019).
LEVEL_SCALE = {
    "乡镇": 2,
    "街道": 3,
    "县区部门": 8,
    "县区政府": 30,
    "市部门": 20,
    "市政府": 90,
    "省部门": 60,
    "省政府": 150,
}
Facts = dict[str, int | float]


@dataclass(frozen=True)
class Row:
    code: str
    prefix: str
    name: str
    unit: str
    is_header: bool

    @property
    def label(self) -> str:
        sep = " " if self.prefix.endswith(".") else ""
        return f"{self.prefix}{sep}{self.name}{NOTES.get(self.code, '')}"


@cache
def rows() -> tuple[Row, ...]:
    with CATALOGUE_CSV.open(encoding="utf-8", newline="") as f:
        rs = [r for r in csv.DictReader(f) if r["template"] == "pre2019_table"]
    rs.sort(key=lambda r: int(r["row_order"]))
    return tuple(
        Row(r["indicator_code"], r["label_prefix"], r["name_zh"], r["unit"], r["is_header"] == "true") for r in rs
    )


def value_codes() -> tuple[str, ...]:
    return tuple(r.code for r in rows() if not r.is_header)


def _split(rng: random.Random, n: int, weights: tuple[float, ...]) -> list[int]:
    out = [0] * len(weights)
    for i in rng.choices(range(len(weights)), weights=weights, k=n):
        out[i] += 1
    return out


def _money(rng: random.Random, p: float, high: float) -> float:
    return round(rng.uniform(0.1, high), rng.choice((1, 2))) if rng.random() < p else 0


def facts(rng: random.Random, level: str) -> Facts:
    """Consistent values of every non-header row for an agency of ``level``."""
    s = LEVEL_SCALE[level]
    f: Facts = {}
    p = rng.randint(10, 60) * max(1, s // 2) + rng.randint(0, 9)
    f["pre_proactive_items"] = p
    f["pre_normative_docs_issued"] = issued = min(p, rng.randint(0, 3 + s // 3))
    f["pre_proactive_normative_docs"] = rng.randint(0, issued)
    channel_max = (p // 8, p, p, p, p // 2)
    for code, high in zip(CHANNELS, channel_max, strict=True):
        f[code] = rng.randint(0 if code != "pre_channel_website" else p // 2, high) if rng.random() < 0.8 else 0
    f["pre_response_hotspots"] = rng.randint(0, 3 + s // 2)
    f["pre_press_conferences"] = pc = rng.randint(0, 2 + s // 10)
    f["pre_press_conferences_by_leaders"] = rng.randint(0, pc)
    f["pre_online_interviews"] = oi = rng.randint(0, 1 + s // 15)
    f["pre_online_interviews_by_leaders"] = rng.randint(0, oi)
    f["pre_policy_interpretations"] = rng.randint(0, 4 + s // 2)
    f["pre_response_weibo_wechat"] = rng.randint(0, 5 + s // 3)
    f["pre_response_other"] = rng.randint(0, 3)
    received = max(0, round(s * rng.uniform(0, 2)))
    parts = _split(rng, received, (0.3, 0.02, 0.55, 0.13))
    f |= dict(zip(SUMS["pre_requests_received"], parts, strict=True))
    f["pre_requests_received"] = received
    extended = sum(1 for _ in range(received) if rng.random() < 0.05)
    f |= {"pre_requests_completed": received, "pre_completed_on_time": received - extended}
    f["pre_completed_extended"] = extended
    answers = _split(rng, received, (0.2, 0.4, 0.06, 0.08, 0.1, 0.12, 0.02, 0.02))
    f |= dict(zip(SUMS["pre_requests_answered"], answers, strict=True))
    f["pre_requests_answered"] = received
    refused = _split(rng, answers[3], (0.05, 0.1, 0.2, 0.05, 0.4, 0.2))
    f |= dict(zip(SUMS["pre_answer_refused"], refused, strict=True))
    for parent, weight in (("pre_reconsiderations", 0.03), ("pre_lawsuits", 0.015)):
        n = sum(1 for _ in range(received) if rng.random() < weight)
        f[parent] = n
        f |= dict(zip(SUMS[parent], _split(rng, n, (0.7, 0.15, 0.15)), strict=True))
    f["pre_complaints"] = rng.choice((0, 0, 0, 1, 2))
    f["pre_fees"] = _money(rng, 0.05, 0.5)
    f["pre_dedicated_units"] = rng.choice((0, 1, 1, 1, 2))
    f["pre_inspection_points"] = rng.randint(1, 3 + s // 20)
    full, part = rng.randint(0, 2 + s // 30), rng.randint(1, 4 + s // 10)
    f |= {"pre_staff_total": full + part, "pre_staff_full_time": full, "pre_staff_part_time": part}
    f["pre_special_funds"] = _money(rng, 0.4, 5 + s / 10)
    f["pre_meetings"] = rng.randint(0, 6)
    f["pre_trainings"] = t = rng.randint(0, 5)
    f["pre_trainees"] = rng.randint(t * 5, t * 60) if t else 0
    return f


#: Rules a plant can break, with the row whose value changes (an item, so only that rule breaks).
PLANTABLE = {
    "pre_requests_received_sum": "pre_requests_online",
    "pre_requests_answered_sum": "pre_answer_already_public",
    "pre_reconsiderations_sum": "pre_reconsiderations",
    "pre_lawsuits_sum": "pre_lawsuits",
    "pre_staff_total_sum": "pre_staff_total",
    "pre_channel_at_most_proactive": "pre_channel_other",
}


def plant(rng: random.Random, f: Facts) -> tuple[Facts, str, tuple[str, ...]]:
    """A copy of ``f`` breaking one rule: (facts, rule_id, the codes whose cells must stay printed)."""
    rule = rng.choice(sorted(PLANTABLE))
    code = PLANTABLE[rule]
    out = dict(f)
    if rule == "pre_channel_at_most_proactive":
        out[code] = int(out["pre_proactive_items"]) + rng.randint(1, 50)
        return out, rule, (code, "pre_proactive_items")
    out[code] = int(out[code]) + rng.randint(1, 5)
    parent = rule.removesuffix("_sum")
    return out, rule, (parent, *SUMS[parent])


def number_text(value: int | float) -> str:
    if isinstance(value, float):
        text = f"{value:.2f}".rstrip("0").rstrip(".")
        return text or "0"
    return str(value)


@dataclass(frozen=True)
class CellStyle:
    fullwidth: bool = False
    thousands: bool = False
    yuan: bool = False  # 万元 cells printed in 元 with the unit (251000元)


def print_cell(code: str, value: int | float, style: CellStyle) -> str:
    if style.yuan and code in MONEY and value:
        text = f"{round(value * 10000)}元"
    elif style.thousands and isinstance(value, int) and value >= 1000:
        text = f"{value:,}"
    else:
        text = number_text(value)
    return text.translate(FULLWIDTH) if style.fullwidth else text
