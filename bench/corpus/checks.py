"""The arithmetic relations of the gov templates, evaluated on printed cells.

A relation is evaluated only when every term is stated (a blank or an empty marker is not 0), as the
warehouse does. Used to write ``violations.csv`` and to prove the corpus consistent elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from bench.corpus import catalogue as cat
from bench.corpus.model import Cell, Key, Number

RULES = {
    "t3_balance": "表三 每列：一、本年新收 + 二、上年结转 = 三（七）总计 + 四、结转下年度继续办理",
    "t3_row_total": "表三 每行：总计列 = 自然人 + 法人或其他组织五列之和",
    "t3_results_total": "表三 每列：（七）总计 = 本年度办理结果各末级项之和",
    "t4_group_total": "表四：每组总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结",
    "text_vs_table": "文字叙述中重述的数字 = 统计表中的同一数字",
    "t3_completeness": "表三 应填数字的单元格为空白或空值标记（完整性，不是算术违例）",
    "cross_year_carry_over": "同一机关：本年 二、上年结转 = 上年报告 四、结转下年度继续办理（每列）",
    "cross_year_docs_in_force": "同一机关：本年现行有效件数 = 上年现行有效件数 + 本年制发件数 − 本年废止件数",
}


@dataclass(frozen=True)
class Violation:
    file: str
    rule: str
    indicator_code: str  # the row holding the printed side
    breakdown: str
    expected: str  # what the relation requires (the sum of the terms)
    printed: str  # what the report prints
    terms: str  # the relation, in indicator codes

    @property
    def description(self) -> str:
        return RULES[self.rule]


def _num(v: Number) -> str:
    return str(int(v)) if float(v).is_integer() else str(v)


def _stated(cells: dict[Key, Cell], keys: list[Key]) -> list[Number] | None:
    vals = [cells[k].value for k in keys]
    return None if any(v is None for v in vals) else [v for v in vals if v is not None]


def table_violations(file: str, template: str, cells: dict[Key, Cell]) -> list[Violation]:
    """Every arithmetic relation inside one report that its printed numbers break."""
    out: list[Violation] = []
    cols = cat.applicant_columns()
    leaves = cat.result_leaves(template)
    for col in cols:
        got = _stated(
            cells, [("t3_new", col), ("t3_carried_over", col), ("t3_total", col), ("t3_carried_forward", col)]
        )
        if got and got[0] + got[1] != got[2] + got[3]:
            terms = "t3_new + t3_carried_over = t3_total + t3_carried_forward"
            out.append(
                Violation(file, "t3_balance", "t3_total", col, _num(got[0] + got[1]), _num(got[2] + got[3]), terms)
            )
    for r in cat.table_rows(template, 3):
        if not r.breakdowns:
            continue
        got = _stated(cells, [(r.code, c) for c in cols])
        if got and sum(got[:6]) != got[6]:
            out.append(
                Violation(file, "t3_row_total", r.code, cols[6], _num(sum(got[:6])), _num(got[6]), "总计 = sum of six")
            )
    for col in cols:
        got = _stated(cells, [(leaf, col) for leaf in leaves] + [("t3_total", col)])
        if got and sum(got[:-1]) != got[-1]:
            terms = "t3_total = " + " + ".join(leaves)
            out.append(Violation(file, "t3_results_total", "t3_total", col, _num(sum(got[:-1])), _num(got[-1]), terms))
    t4 = cat.t4_columns()
    for i in range(0, 15, 5):
        keys = [("t4_review_litigation", b) for b in t4[i : i + 5]]
        got = _stated(cells, keys)
        if got and sum(got[:4]) != got[4]:
            terms = " + ".join(t4[i : i + 4]) + f" = {t4[i + 4]}"
            out.append(
                Violation(file, "t4_group_total", keys[4][0], keys[4][1], _num(sum(got[:4])), _num(got[4]), terms)
            )
    return out


def completeness_findings(file: str, template: str, cells: dict[Key, Cell]) -> list[Violation]:
    """表三 cells printed blank or with an empty marker."""
    return [
        Violation(file, "t3_completeness", code, b, "a number", cell.raw if cell.raw else "(blank)", "required cell")
        for (code, b), cell in cells.items()
        if code.startswith("t3_") and cell.value is None
    ]
