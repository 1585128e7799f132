"""A seeded pool of agencies for generated corpora, drawn from the real administrative divisions.

Townships, counties, cities and provinces come from the division dataset jionlp ships (read through
``orchestration.lib.parsing.divisions``); departments are a county, city or province plus a bureau name.
Each agency of the pool is distinct (no two agencies share a title), so an agency-year is one report.
"""

from __future__ import annotations

import random
from dataclasses import replace
from functools import cache

import polars as pl

from bench.corpus.model import Agency

#: Share of agencies by level (townships and county departments publish most reports).
LEVEL_WEIGHTS = {
    "乡镇": 0.42,
    "街道": 0.10,
    "县区部门": 0.28,
    "县区政府": 0.05,
    "市部门": 0.10,
    "市政府": 0.01,
    "省部门": 0.035,
    "省政府": 0.005,
}
DEPARTMENTS = (
    "教育局", "财政局", "民政局", "人力资源和社会保障局", "自然资源局", "生态环境局", "住房和城乡建设局",
    "交通运输局", "水利局", "农业农村局", "商务局", "文化和旅游局", "卫生健康委员会", "应急管理局", "审计局",
    "市场监督管理局", "统计局", "医疗保障局", "司法局", "林业局",
)  # fmt: skip
PROVINCE_DEPARTMENTS = (
    "教育厅", "财政厅", "民政厅", "人力资源和社会保障厅", "自然资源厅", "生态环境厅", "住房和城乡建设厅",
    "交通运输厅", "水利厅", "农业农村厅", "商务厅", "文化和旅游厅", "卫生健康委员会", "审计厅", "市场监督管理局",
)  # fmt: skip
ROADS = ("人民路", "解放路", "建设路", "中山路", "府前街", "政府街", "新华路", "文化路", "胜利路", "团结路")


@cache
def _divisions() -> dict[str, list[tuple[str, str, str, str]]]:
    """level → (name, province, city, county), sorted (a stable base for seeded draws)."""
    from orchestration.lib.parsing import divisions

    nodes = divisions.nodes().filter(~pl.col("name").str.contains("直辖"))
    out: dict[str, list[tuple[str, str, str, str]]] = {}
    for level in ("township", "county", "city", "province"):
        rows = nodes.filter(pl.col("level") == level).select(
            "name", "province", pl.col("city").fill_null(""), pl.col("county").fill_null("")
        )
        out[level] = sorted(set(rows.rows()))
    return out


@cache
def _area_codes() -> dict[str, str]:
    """city (or province for municipalities) → landline area code."""
    from orchestration.lib.parsing import divisions

    codes = divisions.area_codes().filter(pl.col("county").is_null())
    out: dict[str, str] = {}
    for code, province, city in codes.select("area_code", "province", "city").rows():
        out.setdefault(city or province, code)
    return out


def _self_ref(level: str, name: str) -> str:
    if level == "乡镇":
        return "我乡" if name.endswith("乡") else "我镇"
    if level == "街道":
        return "我街道"
    if level == "县区政府":
        return {"区": "区政府", "市": "市政府"}.get(name[-1], "县政府")
    if level in ("市政府", "省政府"):
        return level[0] + "政府"
    return "本委" if name.endswith("委员会") else ("本厅" if name.endswith("厅") else "本局")


def _titled(rng: random.Random, level: str, node: tuple[str, str, str, str], dept: str) -> str:
    name, _, city, county = node
    if level == "乡镇":
        return rng.choice((f"{county}{name}", f"{county}{name}人民政府", f"{city}{county}{name}人民政府"))
    if level == "街道":
        return f"{county}{name}办事处" if rng.random() < 0.7 else f"{city}{county}{name}办事处"
    if level == "县区政府":
        return rng.choice((f"{name}人民政府", f"{city}{name}人民政府")) if city != name else f"{name}人民政府"
    if level == "县区部门":
        return f"{name}{dept}" if rng.random() < 0.7 or city == name else f"{city}{name}{dept}"
    if level in ("市政府", "省政府"):
        return f"{name}人民政府"
    return f"{name}{dept}"


def _agency(rng: random.Random, level: str, node: tuple[str, str, str, str], dept: str) -> Agency:
    name, province, city, county = node
    kind = {"乡镇": "township", "街道": "township", "县区政府": "county", "县区部门": "county"}.get(level)
    if kind is None:
        kind = "city" if level.startswith("市") else "province"
    if kind == "city":
        city, county = name, ""
    elif kind == "province":
        city, county = "", ""
    titled = _titled(rng, level, node, dept)
    place = county or city or province
    code = _area_codes().get(city or province, "0" + str(rng.randint(310, 990)))
    number = f"{rng.randint(2, 8)}{rng.randint(0, 9_999_999):07d}"[: 8 if len(code) == 3 else 7]
    office = "党政办公室" if level in ("乡镇", "街道") else ("办公厅" if level == "省政府" else "办公室")
    return Agency(
        name=titled,
        level=level,
        province=province,
        city=city,
        county=county,
        self_ref=_self_ref(level, titled),
        office=office,
        address=f"{place}{rng.choice(ROADS)}{rng.randint(1, 300)}号",
        phone=f"{code}-{number}",
        email=f"xxgk{rng.randint(1000, 99999)}@{rng.choice(('163.com', 'gov.cn', '126.com'))}",
        site_name=f"{place}人民政府门户网站",
        site_url=f"http://www.gk{rng.randint(100, 9999)}.gov.cn",
    )


def agency_pool(n: int, seed: int) -> list[Agency]:
    """``n`` distinct agencies (levels by LEVEL_WEIGHTS), the same for the same (n, seed)."""
    rng = random.Random(f"agencies-{seed}")
    div = _divisions()
    base = {
        "乡镇": [x for x in div["township"] if not x[0].endswith("街道")],
        "街道": [x for x in div["township"] if x[0].endswith("街道")],
        "县区政府": div["county"],
        "县区部门": div["county"],
        "市政府": div["city"],
        "市部门": div["city"],
        "省政府": div["province"],
        "省部门": div["province"],
    }
    order = {level: rng.sample(range(len(nodes)), len(nodes)) for level, nodes in base.items()}
    used: dict[str, int] = dict.fromkeys(base, 0)
    seen: set[str] = set()
    levels, weights = list(LEVEL_WEIGHTS), list(LEVEL_WEIGHTS.values())
    pool: list[Agency] = []
    while len(pool) < n:
        level = rng.choices(levels, weights)[0]
        nodes, k = base[level], used[level]
        depts = PROVINCE_DEPARTMENTS if level == "省部门" else DEPARTMENTS
        is_dept = level.endswith("部门")
        if k >= len(nodes) * (len(depts) if is_dept else 1):
            continue  # this level is exhausted (only for huge pools)
        used[level] = k + 1
        node = nodes[order[level][k % len(nodes)]]
        dept = depts[(k // len(nodes) + rng.randrange(len(depts))) % len(depts)] if is_dept else ""
        agency = _agency(rng, level, node, dept)
        if agency.name in seen:
            continue
        seen.add(agency.name)
        pool.append(agency)
    return pool


def renamed(agency: Agency, name: str) -> Agency:
    return replace(agency, name=name)
