"""Consistent table numbers for a report (seeded), planted changes, and how values are printed.

``generate`` makes numbers that satisfy every arithmetic relation of the templates (表三 per column
一 + 二 = （七）总计 + 四, 总计 = sum of the six applicant columns, （七）总计 = sum of the result leaves;
表四 each 总计 = the four results), respecting ``GovReport.fixed``; ``apply_plants`` then adds the
planted deltas; ``print_cells`` turns values into printed cells (markers, full-width, 元, thousands).
"""

from __future__ import annotations

import random

from bench.corpus import catalogue as cat
from bench.corpus.model import Cell, GovReport, Key, Noise, Number

#: Share of requests by applicant column (自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他).
APPLICANT_WEIGHTS = (0.80, 0.12, 0.01, 0.015, 0.035, 0.02)
#: Share of outcomes by result leaf.
LEAF_WEIGHTS = {
    "t3_granted": 0.42,
    "t3_partly_granted": 0.08,
    "t3_refused_state_secret": 0.004,
    "t3_refused_prohibited": 0.01,
    "t3_refused_security": 0.006,
    "t3_refused_third_party": 0.02,
    "t3_refused_internal": 0.02,
    "t3_refused_process": 0.025,
    "t3_refused_enforcement": 0.008,
    "t3_refused_query": 0.02,
    "t3_unable_not_held": 0.17,
    "t3_unable_needs_creation": 0.03,
    "t3_unable_unclear": 0.02,
    "t3_not_processed_petition": 0.04,
    "t3_not_processed_repeat": 0.03,
    "t3_not_processed_publication": 0.005,
    "t3_not_processed_abusive": 0.006,
    "t3_not_processed_confirmation": 0.01,
    "t3_other_processing": 0.05,
    "t3_other_overdue_correction": 0.025,
    "t3_other_overdue_fee": 0.003,
    "t3_other_other": 0.025,
}
T4_RESULT_WEIGHTS = (0.6, 0.12, 0.13, 0.15)  # 结果维持, 结果纠正, 其他结果, 尚未审结
T4_GROUPS = ("行政复议", "未经复议直接起诉", "复议后起诉")
T4_RESULTS = ("结果维持", "结果纠正", "其他结果", "尚未审结")

#: Per level: (规范性文件 issued per year, 行政许可 decisions, 行政处罚 decisions, 行政强制 decisions).
LEVEL_T2 = {
    "乡镇": ((0, 3), (0, 60), (0, 40), (0, 3)),
    "街道": ((0, 2), (0, 20), (0, 30), (0, 2)),
    "县区部门": ((0, 6), (20, 2500), (5, 400), (0, 20)),
    "县区政府": ((4, 16), (200, 9000), (50, 3000), (0, 60)),
    "市部门": ((2, 12), (50, 6000), (20, 1500), (0, 40)),
    "市政府": ((8, 30), (500, 30000), (200, 9000), (5, 200)),
    "省部门": ((4, 20), (300, 20000), (10, 900), (0, 30)),
    "省政府": ((15, 40), (1000, 50000), (100, 5000), (0, 100)),
}
RULE_MAKERS = ("市政府", "省政府")


def split(rng: random.Random, n: int, weights: tuple[float, ...] | list[float]) -> list[int]:
    """n units over len(weights) bins (multinomial)."""
    counts = [0] * len(weights)
    for i in rng.choices(range(len(weights)), weights=weights, k=n):
        counts[i] += 1
    return counts


def binomial(rng: random.Random, n: int, p: float) -> int:
    return sum(1 for _ in range(n) if rng.random() < p)


def _t3(rng: random.Random, report: GovReport) -> dict[Key, Number]:
    cols = cat.applicant_columns()[:6]
    leaves = cat.result_leaves(report.template)
    fixed = report.fixed
    new_total = max(0, round(report.scale * rng.uniform(0.6, 1.4)))
    new = split(rng, new_total, APPLICANT_WEIGHTS)
    carried = split(rng, binomial(rng, new_total, 0.05), APPLICANT_WEIGHTS)
    out: dict[Key, Number] = {}
    for i, col in enumerate(cols):
        c_over = int(fixed.get(("t3_carried_over", col), carried[i]))
        c_fwd = fixed.get(("t3_carried_forward", col))
        n_new = int(fixed.get(("t3_new", col), new[i]))
        if c_fwd is None:
            c_fwd = binomial(rng, n_new + c_over, 0.06)
        n_new = max(n_new, int(c_fwd) - c_over)
        results = n_new + c_over - int(c_fwd)
        parts = split(rng, results, [LEAF_WEIGHTS[leaf] for leaf in leaves])
        out |= {("t3_new", col): n_new, ("t3_carried_over", col): c_over, ("t3_carried_forward", col): int(c_fwd)}
        out |= {(leaf, col): k for leaf, k in zip(leaves, parts, strict=True)}
        out[("t3_total", col)] = results
    total = cat.applicant_columns()[6]
    for r in cat.table_rows(report.template, 3):
        if r.breakdowns:
            out[(r.code, total)] = sum(int(out[(r.code, c)]) for c in cols)
    return out


def _t4(rng: random.Random, report: GovReport) -> dict[Key, Number]:
    reviews = binomial(rng, report.scale, 0.03)
    direct = binomial(rng, report.scale, 0.015)
    after = binomial(rng, reviews, 0.3)
    out: dict[Key, Number] = {}
    for group, n in zip(T4_GROUPS, (reviews, direct, after), strict=True):
        parts = split(rng, n, T4_RESULT_WEIGHTS)
        out |= {("t4_review_litigation", f"{group}/{res}"): k for res, k in zip(T4_RESULTS, parts, strict=True)}
        out[("t4_review_litigation", f"{group}/总计")] = n
    return out


def _money(rng: random.Random, low: float, high: float) -> float:
    return round(rng.uniform(low, high), rng.choice((1, 2)))


def _t2_2021(rng: random.Random, level: str) -> dict[Key, Number]:
    docs, lic, pen, enf = LEVEL_T2[level]
    out: dict[Key, Number] = {}
    issued = rng.randint(*docs)
    repealed = rng.randint(0, max(0, issued // 2 + 1))
    in_force = issued + rng.randint(docs[1] * 2, docs[1] * 8 + 2)
    out |= {
        ("t2_normative_docs", "本年制发件数"): issued,
        ("t2_normative_docs", "本年废止件数"): repealed,
        ("t2_normative_docs", "现行有效件数"): in_force,
    }
    if level in RULE_MAKERS:
        r_issued = rng.randint(1, 4)
        out |= {
            ("t2_rules", "本年制发件数"): r_issued,
            ("t2_rules", "本年废止件数"): rng.randint(0, 2),
            ("t2_rules", "现行有效件数"): r_issued + rng.randint(15, 60),
        }
    else:
        out |= {("t2_rules", b): 0 for b in ("本年制发件数", "本年废止件数", "现行有效件数")}
    out[("t2_licensing", "本年处理决定数量")] = rng.randint(*lic)
    out[("t2_penalties", "本年处理决定数量")] = rng.randint(*pen)
    out[("t2_enforcement", "本年处理决定数量")] = rng.randint(*enf)
    out[("t2_fees", "本年收费金额")] = (
        _money(rng, 3, 900) if rng.random() < 0.4 and level not in ("乡镇", "街道") else 0
    )
    return out


def _t2_2019(rng: random.Random, level: str) -> dict[Key, Number]:
    docs, lic, pen, enf = LEVEL_T2[level]
    out: dict[Key, Number] = {}
    for code, rng_docs in (("t2_rules", (1, 4) if level in RULE_MAKERS else (0, 0)), ("t2_normative_docs", docs)):
        made = rng.randint(*rng_docs)
        public = made - binomial(rng, made, 0.1)
        out |= {
            (code, "本年新制作数量"): made,
            (code, "本年新公开数量"): public,
            (code, "对外公开总数量"): public + (rng.randint(10, 60) if rng_docs[1] else 0),
        }
    decisions = {"t2_licensing": lic, "t2_other_services": (0, lic[1] // 4), "t2_penalties": pen}
    decisions["t2_enforcement"] = enf
    for code, span in decisions.items():
        items = rng.randint(0, 12) if span[1] < 100 else rng.randint(15, 320)
        change = rng.choice((-2, -1, 0, 0, 0, 1, 2, 3)) if items else 0
        out |= {
            (code, "上一年项目数量"): items,
            (code, "本年增/减"): change,
            (code, "处理决定数量"): rng.randint(*span) if items + change > 0 else 0,
        }
    fee_items = rng.randint(0, 6) if level not in ("乡镇", "街道") else 0
    out |= {("t2_fees", "上一年项目数量"): fee_items, ("t2_fees", "本年增/减"): -1 if fee_items > 3 else 0}
    projects = rng.randint(0, 40) if level not in ("乡镇", "街道") else rng.randint(0, 3)
    out |= {
        ("t2_procurement", "采购项目数量"): projects,
        ("t2_procurement", "采购总金额"): _money(rng, 5, 60 * projects) if projects else 0,
    }
    return out


def generate(report: GovReport) -> dict[Key, Number]:
    """Consistent values of every cell of the report's tables (before plants and markers)."""
    rng = random.Random(report.seed)
    t2 = _t2_2021(rng, report.agency.level) if report.template == "gov2021" else _t2_2019(rng, report.agency.level)
    t2 |= {k: v for k, v in report.fixed.items() if k[0].startswith("t2_")}
    values = t2 | _t3(rng, report) | _t4(rng, report)
    missing = set(cat.value_keys(report.template)) ^ set(values)
    if missing:
        raise ValueError(f"{report.file}: generated cells differ from the catalogue: {sorted(missing)}")
    return values


def apply_plants(report: GovReport, values: dict[Key, Number]) -> dict[Key, Number]:
    out = dict(values)
    for plant in report.plants:
        out[plant.key] = out[plant.key] + plant.delta
    return out


FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def format_number(value: Number) -> str:
    if isinstance(value, float):
        text = f"{value:.2f}".rstrip("0").rstrip(".")
        return text if text not in ("", "-0") else "0"
    return str(value)


def print_cell(key: Key, value: Number, noise: Noise) -> Cell:
    """The printed cell of one value; markers print as themselves with no value."""
    if key in noise.markers:
        return Cell(None, noise.markers[key])
    if key in noise.money_in_yuan:
        return Cell(value, f"{round(value * 10000)}元")
    text = format_number(value)
    if noise.thousands and abs(value) >= 1000 and isinstance(value, int):
        text = f"{value:,}"
    if noise.plus_sign and key[1] == "本年增/减" and value > 0:
        text = f"+{text}"
    if noise.fullwidth:
        text = text.translate(FULLWIDTH)
    return Cell(value, text)


def print_cells(report: GovReport, values: dict[Key, Number]) -> dict[Key, Cell]:
    return {key: print_cell(key, values[key], report.noise) for key in cat.value_keys(report.template)}
