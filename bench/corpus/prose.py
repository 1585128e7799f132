"""The report around the tables: title, introduction, the six sections' prose, the signature.

Returns blocks (paragraphs, headings, table slots, signature) that the text and HTML renderers lay out,
and the table numbers the prose restates (with the phrase as printed).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from bench.corpus import prose_bank as bank
from bench.corpus.model import Cell, GovReport, Key, Number, PageBreak, Restatement

KIND = {
    "乡镇": "town",
    "街道": "town",
    "县区部门": "dept",
    "市部门": "dept",
    "省部门": "dept",
    "县区政府": "gov",
    "市政府": "gov",
    "省政府": "gov",
}
_PUNCT = "，。；：、（"


@dataclass(frozen=True)
class Block:
    kind: str  # p (paragraph) | h (section heading) | table | sign (signature lines)
    text: str = ""
    table_no: int = 0
    cut: PageBreak | None = None  # a page break cutting this paragraph mid-word


def title_lines(report: GovReport) -> list[str]:
    a, y, style = report.agency.name, report.year, report.layout.title
    if style == "niandu":
        return [f"{a}{y}年度政府信息公开工作年度报告"]
    if style == "spaced":
        return [f"{a} {y} 年政府信息公开工作年度报告"]
    if style == "two_line":
        return [a, f"{y}年政府信息公开工作年度报告"]
    return [f"{a}{y}年政府信息公开工作年度报告"]


def date_text(report: GovReport) -> str:
    d = report.publish_date
    return f"{d.year}年{d.month}月{d.day}日"


def _superior(report: GovReport) -> str:
    ag = report.agency
    place = {"乡镇": ag.county, "街道": ag.county, "县区部门": ag.county, "市部门": ag.city, "县区政府": ag.city}
    place |= {"省部门": ag.province, "市政府": ag.province}
    where = place.get(ag.level, "")
    return f"{where}委、{where}人民政府" if where else "党中央、国务院"


class Filler:
    """Formats sentences; numbers passed as ``restated`` are recorded with the phrase that states them."""

    def __init__(self, report: GovReport, common: dict[str, object]) -> None:
        self.report = report
        self.common = common
        self.restated: list[Restatement] = []

    def __call__(self, template: str, restated: dict[str, tuple[Key, Number]] | None = None, **plain: object) -> str:
        restated = restated or {}
        text = template.format(**self.common, **plain, **{n: f"\x00{n}\x00" for n in restated})
        found: list[tuple[Key, Number, str]] = []
        for name, (key, value) in restated.items():
            marker = f"\x00{name}\x00"
            at = text.index(marker)
            start = max(text.rfind(p, 0, at) for p in _PUNCT) + 1
            found.append((key, value, text[start : text.index("件", at) + 1]))
        for name, (_, value) in restated.items():
            text = text.replace(f"\x00{name}\x00", str(value))
        for key, value, phrase in found:
            for name, (_, v) in restated.items():
                phrase = phrase.replace(f"\x00{name}\x00", str(v))
            self.restated.append(Restatement(self.report.file, key[0], key[1], value, phrase))
        return text

    def none(self, phrase: str, keys: list[Key]) -> None:
        """A statement of none (未收到…申请): each key restated as 0."""
        self.restated.extend(Restatement(self.report.file, k, b, 0, phrase) for k, b in keys)


def _v(cells: dict[Key, Cell], key: Key) -> Number:
    value = cells[key].value
    return 0 if value is None else value


def _section_one(report: GovReport, cells: dict[Key, Cell], fill: Filler, rng: random.Random) -> list[Block]:
    kind = KIND[report.agency.level]
    big = {"town": 1, "dept": 4, "gov": 12}[kind]
    parts = [rng.randint(10, 60) * big, rng.randint(5, 40) * big, rng.randint(1, 12) * big, rng.randint(3, 30) * big]
    out = [Block("p", fill(rng.choice(bank.OVERVIEW_LEAD[kind])))]
    out.append(
        Block(
            "p",
            fill(
                rng.choice(bank.PROACTIVE),
                total=sum(parts),
                p1=parts[0],
                p2=parts[1],
                p3=parts[2],
                p4=parts[3],
                wxn=rng.randint(40, 400) * big,
                jd=rng.randint(1, 6) * big,
            ),
        )
    )
    new_total = _v(cells, ("t3_new", "总计"))
    shown_new = report.prose_new_requests if report.prose_new_requests is not None else new_total
    if new_total == 0 and report.prose_new_requests is None:
        text = fill(rng.choice(bank.REQUESTS_NONE))
        fill.none(f"{report.year}年度{report.agency.self_ref}未收到政府信息公开申请", [("t3_new", "总计")])
    else:
        restated = {
            "new": (("t3_new", "总计"), shown_new),
            "over": (("t3_carried_over", "总计"), _v(cells, ("t3_carried_over", "总计"))),
            "fwd": (("t3_carried_forward", "总计"), _v(cells, ("t3_carried_forward", "总计"))),
            "granted": (("t3_granted", "总计"), _v(cells, ("t3_granted", "总计"))),
            "done": (("t3_total", "总计"), _v(cells, ("t3_total", "总计"))),
        }
        # A planted disagreement uses the common wording (共收到政府信息公开申请N件).
        template = bank.REQUESTS[1] if report.prose_new_requests is not None else rng.choice(bank.REQUESTS)
        text = fill(template, {k: v for k, v in restated.items() if "{" + k + "}" in template})
    out.append(Block("p", text))
    cut = next((pb for pb in report.layout.page_breaks if pb.table_no == 0), None)
    out.append(Block("p", fill(rng.choice(bank.MANAGEMENT)), cut=cut))
    out.append(Block("p", fill(rng.choice(bank.PLATFORM))))
    tr = rng.randint(1, 6)
    out.append(Block("p", fill(rng.choice(bank.SUPERVISION), tr=tr, tp=tr * rng.randint(8, 40))))
    return out


def _t2_lead(report: GovReport, cells: dict[Key, Cell], fill: Filler) -> str:
    code = "t2_normative_docs"
    if report.template == "gov2021":
        docs = report.noise.labels.get(code, "行政规范性文件")
        restated = {
            "issued": ((code, "本年制发件数"), _v(cells, (code, "本年制发件数"))),
            "repealed": ((code, "本年废止件数"), _v(cells, (code, "本年废止件数"))),
            "in_force": ((code, "现行有效件数"), _v(cells, (code, "现行有效件数"))),
        }
        return fill(bank.T2_LEAD["gov2021"], restated, docs=docs)
    restated = {
        "made": ((code, "本年新制作数量"), _v(cells, (code, "本年新制作数量"))),
        "public": ((code, "本年新公开数量"), _v(cells, (code, "本年新公开数量"))),
    }
    return fill(bank.T2_LEAD["gov2019"], restated)


def _t4_text(report: GovReport, cells: dict[Key, Cell], fill: Filler) -> str:
    totals = {g: ("t4_review_litigation", f"{g}/总计") for g in bank.T4_SOME}
    if all(cells[k].value == 0 for k in totals.values()):
        text = fill(bank.T4_NONE)
        fill.none(text.rstrip("。"), list(totals.values()))
        return text
    phrases: list[str] = []
    restated: dict[str, tuple[Key, Number]] = {}
    for i, (group, key) in enumerate(totals.items()):
        if cells[key].value:
            phrases.append(bank.T4_SOME[group].replace("{n}", f"{{n{i}}}"))
            restated[f"n{i}"] = (key, _v(cells, key))
    return fill("{y}年度，{s}" + "，".join(phrases) + "，具体情况如下：", restated)


def build(report: GovReport, cells: dict[Key, Cell]) -> tuple[list[Block], list[Restatement]]:
    """The report's blocks in order and the numbers its prose restates."""
    rng = random.Random(f"prose-{report.seed}")
    ag = report.agency
    common = {
        "a": ag.name,
        "s": ag.self_ref,
        "y": report.year,
        "y1": report.year + 1,
        "site": ag.site_name,
        "url": ag.site_url,
        "wx": f"{ag.name.removesuffix('人民政府')}发布",
        "office": ag.office,
        "address": ag.address,
        "phone": ag.phone,
        "email": ag.email,
        "up": _superior(report),
        "circular": bank.CIRCULAR[report.template],
    }
    fill = Filler(report, common)
    h = bank.HEADINGS
    blocks = [Block("p", fill(rng.choice(bank.INTRO))), Block("h", h[0])]
    blocks += _section_one(report, cells, fill, rng)
    blocks += [Block("h", h[1]), Block("p", _t2_lead(report, cells, fill)), Block("table", table_no=2)]
    blocks += [Block("h", h[2]), Block("p", fill(bank.T3_LEAD)), Block("table", table_no=3)]
    t4 = _t4_text(report, cells, fill)
    blocks += [Block("h", h[3]), Block("p", t4), Block("table", table_no=4)]
    problems = "；".join(f"{n}是{x}" for n, x in zip("一二三", rng.sample(bank.PROBLEMS, 3), strict=True)) + "。"
    fixes = "；".join(f"{n}是{x}" for n, x in zip("一二三", rng.sample(bank.IMPROVEMENTS, 3), strict=True)) + "。"
    blocks += [Block("h", h[4]), Block("p", fill(bank.PROBLEMS_LEAD, items=problems))]
    if report.year >= 2021:
        blocks.append(Block("p", fill(bank.RECTIFIED)))
    blocks.append(Block("p", fill(bank.IMPROVEMENTS_LEAD, items=fixes)))
    blocks += [Block("h", h[5]), Block("p", fill(bank.FEES[report.template]))]
    blocks.append(Block("p", fill(bank.OTHER[0], jy=rng.randint(0, 12), ta=rng.randint(0, 9))))
    blocks.append(Block("p", fill(bank.OTHER[1])))
    blocks.append(Block("sign", f"{ag.name}\n{date_text(report)}"))
    return blocks, fill.restated
