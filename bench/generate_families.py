"""pre2019_table and narrative reports and bad files of a generated corpus, with their ground truth."""

from __future__ import annotations

import datetime as dt
import random

from bench.corpus import narrative, pre2019
from bench.corpus.narrative_doc import SPAM, DocNoise, compose, render
from bench.corpus.pre2019_layouts import BREAKABLE, LAYOUTS, NO_BLANK, WRAPPABLE, PrintedRow, TableStyle
from bench.corpus.pre2019_layouts import table_html as html_rows
from bench.corpus.pre2019_layouts import table_lines as text_rows
from bench.generate_model import BAD_KINDS, Generated, Rates, Slot, TruthValue

MARKERS = ("/", "—", "-", "--", "N/A", "无", "不适用", "")
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x00\xc8\x08\x06\x00\x00\x00"
NOTICE = (
    "关于做好{y}年政府信息公开工作年度报告编制发布工作的通知\n\n各乡镇人民政府、街道办事处，县政府各部门：\n\n"
    "根据《中华人民共和国政府信息公开条例》规定，现就做好{y}年政府信息公开工作年度报告编制发布工作通知如下。"
    "各单位应于{y1}年1月31日前完成年度报告的编制和发布，统计表格式如下：\n\n统计指标\t单位\t统计数\n\n"
    "县人民政府办公室\n{y1}年1月5日\n"
)


def _doc_noise(slot: Slot, rates: Rates, rng: random.Random, narrative_only: bool, html: bool) -> DocNoise:
    enc = "utf-8"
    if not html and rates.draw(rng, "gbk"):
        enc = "gbk"
    elif rates.draw(rng, "bom"):
        enc = "utf-8-sig"
    elif narrative_only and not html and rates.draw(rng, "utf16"):
        enc = "utf-16"
    spam = rng.choice(SPAM) if narrative_only and rates.draw(rng, "spam") else ""
    titles = ("plain", "plain", "niandu", "spaced", "two_line") + (("zhengwu",) if narrative_only else ())
    return DocNoise(
        title=rng.choice(titles),
        top_date=rates.draw(rng, "top_date"),
        chrome=not html and rates.draw(rng, "chrome"),
        page_break=not html and rates.draw(rng, "page_break"),
        spam=spam,
        traditional=narrative_only and enc not in ("gbk",) and rates.draw(rng, "traditional"),
        fullwidth_prose=rates.draw(rng, "fullwidth"),
        encoding=enc,
        crlf=not html and rates.draw(rng, "crlf"),
        html=html,
    )


def _flags(noise: DocNoise) -> list[str]:
    flags = [k for k in ("chrome", "page_break", "traditional", "crlf", "html") if getattr(noise, k)]
    flags += ["spam"] if noise.spam else []
    flags += ["fullwidth"] if noise.fullwidth_prose else []
    flags += {"gbk": ["gbk"], "utf-8-sig": ["bom"], "utf-16": ["utf16"]}.get(noise.encoding, [])
    return flags


def _published(slot: Slot, rng: random.Random) -> dt.date:
    return dt.date(slot.year + 1, rng.randint(1, 3), rng.randint(1, 28))


def _encoding(content: bytes, wanted: str) -> str:
    if wanted != "gbk":
        return wanted
    try:
        content.decode("gbk")
        return "gbk"
    except UnicodeDecodeError:
        return "gb18030"


def _prose_truth(prose: narrative.Prose) -> list[TruthValue]:
    return [TruthValue("prose", s.code, s.breakdown, float(s.value), s.qualifier, "") for s in prose.stated]


def _table_style(rng: random.Random, rates: Rates, layout: str) -> TableStyle:
    codes = [r.code for r in pre2019.rows() if len(r.label) >= 12]
    return TableStyle(
        layout=layout,  # type: ignore[arg-type]
        header=rng.randrange(2),
        wrap=tuple(rng.sample(codes, 2)) if layout in WRAPPABLE and rates.draw(rng, "wrap") else (),
        wrap_after=rng.random() < 0.5,
        stray_space=tuple(rng.sample(codes, 1)) if layout != "html" and rates.draw(rng, "stray_space") else (),
        break_before=rng.choice([r.code for r in pre2019.rows()][10:]) if layout in BREAKABLE and
        rates.draw(rng, "page_break") else "",
        page_mark=rng.randrange(4),
        repeat_header=rng.random() < 0.4,
    )  # fmt: skip


def pre2019_table(slot: Slot, rates: Rates, planted: bool) -> Generated:
    rng = slot.rng("pre2019")
    f = pre2019.facts(slot.rng("facts"), slot.agency.level)
    keep: tuple[str, ...] = ()
    rule, prose_plant = "", 0
    if planted:
        if rng.random() < 0.25:
            rule, prose_plant = "text_vs_table", rng.randint(1, 9)
        else:
            f, rule, keep = pre2019.plant(rng, f)
    layout = "html" if rates.draw(rng, "html") else rng.choice(LAYOUTS[:-1])
    style = pre2019.CellStyle(
        fullwidth=rates.draw(rng, "fullwidth"), thousands=rates.draw(rng, "thousands"), yuan=rates.draw(rng, "yuan")
    )
    markers: dict[str, str] = {}
    if rates.draw(rng, "markers"):
        allowed = [m for m in MARKERS if m or layout not in NO_BLANK]
        free = [c for c in pre2019.value_codes() if c not in keep and c not in narrative.PROSE_CODES]
        markers = {c: rng.choice(allowed) for c in rng.sample(free, rng.randint(1, 4))}
    header_value = rates.draw(rng, "header_value")
    printed: list[PrintedRow] = []
    truth: list[TruthValue] = []
    for r in pre2019.rows():
        if r.is_header:
            cell = str(f["pre_proactive_items"]) if header_value and r.code == "pre_s1_proactive" else ""
            printed.append(PrintedRow(r.code, r.label, "——", cell))
            continue
        value = f[r.code]
        cell = markers[r.code] if r.code in markers else pre2019.print_cell(r.code, value, style)
        printed.append(PrintedRow(r.code, r.label, r.unit, cell))
        truth.append(TruthValue("table", r.code, "", None if r.code in markers else float(value), "exact", cell))
    prose_style = narrative.Style(style.thousands, rates.draw(rng, "chinese_numerals"))
    a = slot.agency
    prose = narrative.write(f, rng, a.self_ref, a.office, slot.year, prose_style, sums=False, plant=prose_plant)
    noise = _doc_noise(slot, rates, rng, narrative_only=False, html=layout == "html")
    table_style = _table_style(rng, rates, layout)
    parts = compose(a, slot.year, _published(slot, rng), prose, noise)
    title = f"{a.name}{slot.year}年政府信息公开情况统计表"
    text_table = text_rows(printed, table_style, rng) if layout != "html" else []
    content = render(parts, title, text_table, html_rows(printed, table_style) if layout == "html" else [], noise)
    flags = _flags(noise) + [k for k, on in (("fullwidth", style.fullwidth), ("thousands", style.thousands)) if on]
    flags += [k for k, on in (("yuan", style.yuan), ("markers", bool(markers)), ("header_value", header_value)) if on]
    flags += [k for k, on in (("wrap", table_style.wrap), ("stray_space", table_style.stray_space)) if on]
    flags += ["page_break"] if table_style.break_before else []
    return Generated(
        file=slot.file + (".html" if noise.html else ".txt"),
        content=content,
        template="pre2019_table",
        layout=layout,
        encoding=_encoding(content, noise.encoding),
        noise=sorted(set(flags)),
        planted_rule=rule,
        expected_rules=[rule] if rule else [],
        values=truth + _prose_truth(prose),
        relations=prose.relations,
    )


def narrative_report(slot: Slot, rates: Rates, planted: bool) -> Generated:
    rng = slot.rng("narrative")
    f = narrative.narrative_facts(pre2019.facts(slot.rng("facts"), slot.agency.level), rng)
    plant = rng.randint(1, 9) if planted else 0
    style = narrative.Style(rates.draw(rng, "thousands"), rates.draw(rng, "chinese_numerals"))
    a = slot.agency
    prose = narrative.write(f, rng, a.self_ref, a.office, slot.year, style, sums=True, plant=plant)
    noise = _doc_noise(slot, rates, rng, narrative_only=True, html=rates.draw(rng, "html"))
    content = render(compose(a, slot.year, _published(slot, rng), prose, noise), "", [], [], noise)
    return Generated(
        file=slot.file + (".html" if noise.html else ".txt"),
        content=content,
        template="narrative",
        layout="html" if noise.html else "prose",
        encoding=_encoding(content, noise.encoding),
        noise=sorted(_flags(noise) + (["chinese_numerals"] if style.chinese_small else [])),
        planted_rule="prose_sum" if planted else "",
        expected_rules=["prose_sum"] if planted else [],
        values=_prose_truth(prose),
        relations=prose.relations,
    )


def bad_file(slot: Slot) -> Generated:
    rng = slot.rng("bad")
    kind = rng.choice(sorted(BAD_KINDS))
    if kind == "empty":
        content = b""
    elif kind == "whitespace":
        content = b" \n\n\t \r\n" * rng.randint(1, 5)
    elif kind == "binary":
        content = PNG + rng.randbytes(rng.randint(200, 4000))
    else:
        content = NOTICE.format(y=slot.year, y1=slot.year + 1).encode("utf-8")
    return Generated(slot.file + ".txt", content, None, "bad", "binary" if kind == "binary" else "utf-8",
                     bad_kind=kind)  # fmt: skip
