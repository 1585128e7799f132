"""gov2019 / gov2021 reports of a generated corpus, rendered by ``bench.corpus.gov`` (layouts and noise drawn
there, then re-drawn at the generator's rates), chained across years so the cross-year rules hold.

For agency a and year Y, 四、结转下年度继续办理 is a function of (a, Y), and 二、上年结转 of year Y is that of
Y − 1; 现行有效件数 of a gov2021 year is that of the year before plus 本年制发件数 − 本年废止件数. A consistent
report therefore breaks no rule, even against the agency's other years.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

from bench.corpus import catalogue as cat
from bench.corpus import gov, numbers
from bench.corpus.model import GovReport, Key, Noise, Number, Plant
from bench.generate_model import Generated, Rates, Slot, TruthValue

#: gov checks → rule_id of dbt_project/seeds/check_rules.csv
RULE_IDS = {
    "t3_balance": "gov_t3_balance",
    "t3_row_total": "gov_t3_total_column",
    "t4_group_total": "gov_t4_totals",
    "text_vs_table": "text_vs_table",
    "t3_completeness": "gov_t3_complete",
}
MARKERS = ("/", "—", "无", "-", "不适用")
FIRST_GOV_YEAR = 2019


def _carried(slot: Slot, year: int) -> dict[str, int]:
    """四、结转下年度继续办理 of (agency, year), per applicant column."""
    rng = random.Random(f"{slot.seed}-carry-{slot.agency_index}-{year}")
    n = numbers.binomial(rng, slot.agency_scale, 0.05)
    return dict(zip(cat.applicant_columns()[:6], numbers.split(rng, n, numbers.APPLICANT_WEIGHTS), strict=True))


def _docs(slot: Slot, code: str, year: int) -> tuple[int, int]:
    """(本年制发件数, 本年废止件数) of a document row for (agency, year)."""
    level = slot.agency.level
    span = numbers.LEVEL_T2[level][0] if code == "t2_normative_docs" else (1, 4)
    if code == "t2_rules" and level not in numbers.RULE_MAKERS:
        return 0, 0
    rng = random.Random(f"{slot.seed}-docs-{slot.agency_index}-{year}-{code}")
    issued = rng.randint(*span)
    return issued, rng.randint(0, issued // 2)


def _in_force(slot: Slot, code: str, year: int) -> int:
    level = slot.agency.level
    if code == "t2_rules" and level not in numbers.RULE_MAKERS:
        return 0
    high = numbers.LEVEL_T2[level][0][1] if code == "t2_normative_docs" else 15
    total = random.Random(f"{slot.seed}-inforce-{slot.agency_index}-{code}").randint(high * 2, high * 8 + 2)
    for y in range(2021, year + 1):
        issued, repealed = _docs(slot, code, y)
        total += issued - repealed
    return total


def chained(slot: Slot) -> dict[Key, Number]:
    """The cells fixed by the agency's neighbouring years."""
    fixed: dict[Key, Number] = {}
    before, now = _carried(slot, slot.year - 1), _carried(slot, slot.year)
    for col in cat.applicant_columns()[:6]:
        fixed[("t3_carried_over", col)] = before[col]
        fixed[("t3_carried_forward", col)] = now[col]
    if slot.family == "gov2021":
        for code in ("t2_normative_docs", "t2_rules"):
            issued, repealed = _docs(slot, code, slot.year)
            fixed[(code, "本年制发件数")] = issued
            fixed[(code, "本年废止件数")] = repealed
            fixed[(code, "现行有效件数")] = _in_force(slot, code, slot.year)
    return fixed


def _plant(rng: random.Random, template: str) -> tuple[tuple[Plant, ...], int | None]:
    kind = rng.choice(("t3_total", "row_total", "t4", "text"))
    col = rng.choice(cat.applicant_columns()[:6])
    if kind == "t3_total":
        return (Plant(("t3_total", col), rng.randint(1, 4)),), None
    if kind == "row_total":
        return (Plant(("t3_granted", "总计"), rng.randint(1, 4)),), None
    if kind == "t4":
        return (Plant(("t4_review_litigation", "行政复议/总计"), rng.randint(1, 3)),), None
    return (), rng.randint(1, 9)


def _noise(slot: Slot, base: Noise, table: str, rates: Rates, rng: random.Random) -> tuple[Noise, list[str]]:
    text = table != "html"
    enc = "utf-8"
    if text and rates.draw(rng, "gbk"):
        enc = "gbk"
    elif rates.draw(rng, "bom"):
        enc = "utf-8-sig"
    markers: dict[Key, str] = {}
    if rates.draw(rng, "markers"):
        keys = [k for k in cat.value_keys(slot.family) if k[0].startswith("t2_")]
        markers = {k: rng.choice(MARKERS) for k in rng.sample(keys, 2)}
    noise = dataclasses.replace(
        base,
        fullwidth=rates.draw(rng, "fullwidth"),
        thousands=rates.draw(rng, "thousands"),
        encoding=enc,  # type: ignore[arg-type]
        crlf=text and rates.draw(rng, "crlf"),
        markers=markers,
    )
    flags = [n for n, on in (("fullwidth", noise.fullwidth), ("thousands", noise.thousands)) if on]
    flags += [n for n, on in (("crlf", noise.crlf), ("markers", bool(markers))) if on]
    flags += {"gbk": ["gbk"], "utf-8-sig": ["bom"]}.get(enc, [])
    return noise, flags


def generate(slot: Slot, rates: Rates, planted: bool) -> Generated:
    rng = slot.rng("gov")
    layout, base = gov.sample_layout(rng, slot.family)
    chrome = layout.table != "html" and rates.draw(rng, "chrome")
    layout = dataclasses.replace(layout, chrome=chrome)
    noise, flags = _noise(slot, base, layout.table, rates, rng)
    plants, restated = _plant(rng, slot.family) if planted else ((), None)
    d = slot.year + 1
    report = GovReport(
        file=slot.file + layout.extension,
        agency=slot.agency,
        year=slot.year,
        template=slot.family,  # type: ignore[arg-type]
        publish_date=dt.date(d, rng.randint(1, 3), rng.randint(1, 28)),
        seed=slot.seed * 10_000_000 + slot.index * 10 + slot.revision,
        scale=max(1, round(slot.agency_scale * rng.uniform(0.7, 1.3))),
        fixed=chained(slot),
        plants=plants,
        prose_new_requests=restated,
        layout=layout,
        noise=noise,
    )
    if restated is not None:
        total = numbers.apply_plants(report, numbers.generate(report))[("t3_new", "总计")]
        report = dataclasses.replace(report, prose_new_requests=int(total) + restated)
    rendered = gov.render(report)
    found = sorted({RULE_IDS.get(v.rule, f"{slot.family}_t3_results_sum") for v in gov.violations(rendered)})
    flags += ["chrome"] if chrome else []
    flags += ["page_break"] if layout.page_breaks else []
    flags += ["wrap"] if layout.wrap else []
    flags += ["stray_space"] if layout.stray_spaces else []
    flags += ["html"] if layout.table == "html" else []
    return Generated(
        file=report.file,
        content=rendered.content,
        template=slot.family,
        layout=layout.table,
        encoding=noise.encoding,
        noise=sorted(flags),
        planted_rule=found[0] if planted and found else "",
        expected_rules=found,
        values=[
            TruthValue(
                "table",
                t.indicator_code,
                t.breakdown,
                None if t.value is None else float(t.value),
                "exact",
                t.raw_value,
            )
            for t in rendered.truth
        ],
    )
