"""How the pre-2019 statistics table becomes text: the layouts of the seeds and tests/fixtures/reports.

``table_lines`` prints printed rows (label, unit, cell) in one layout, with wrapped labels, stray spaces,
page breaks and a repeated header where the layout allows them; ``table_html`` prints a <table>.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from html import escape
from typing import Literal

PreLayout = Literal["tabs", "spaces", "ideographic", "pipes", "markdown", "single", "html"]
LAYOUTS: tuple[PreLayout, ...] = ("tabs", "spaces", "ideographic", "pipes", "markdown", "single", "html")
#: Layouts where an empty cell leaves no trace: blanks need a marker there.
NO_BLANK: tuple[PreLayout, ...] = ("spaces", "ideographic", "single")
#: Layouts where a label can wrap over two lines or a page can break inside the table.
WRAPPABLE: tuple[PreLayout, ...] = ("tabs", "spaces")
BREAKABLE: tuple[PreLayout, ...] = ("tabs", "spaces", "ideographic", "single")
HEADERS = (("统 计 指 标", "单 位", "统 计 数"), ("统计指标", "单位", "统计数"))
PAGE_MARKS = ("— {n} —", "第 {n} 页", "- {n} -", "{n}/{m}")


@dataclass(frozen=True)
class PrintedRow:
    code: str
    label: str
    unit: str
    cell: str  # '' for a blank cell


@dataclass(frozen=True)
class TableStyle:
    layout: PreLayout = "tabs"
    header: int = 0  # index into HEADERS
    wrap: tuple[str, ...] = ()  # codes whose label wraps over two lines
    wrap_after: bool = False  # head + cells, then the tail alone (else the head alone, then tail + cells)
    stray_space: tuple[str, ...] = ()  # codes whose label carries a stray space ("社会 稳定")
    break_before: str = ""  # code of the first row on a new page ('' = no page break)
    page_mark: int = 0
    repeat_header: bool = False
    spaces: tuple[int, ...] = field(default=(2, 6))  # run lengths between cells (spaces layout)


def _han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _cut(label: str) -> int:
    at = max(4, int(len(label) * 0.6))
    while at < len(label) - 1 and not (_han(label[at - 1]) and _han(label[at])):
        at += 1
    return at


def _stray(label: str) -> str:
    at = _cut(label)
    return label[:at] + " " + label[at:] if at < len(label) - 1 else label


def _row(style: TableStyle, cells: tuple[str, ...], rng: random.Random) -> str:
    if style.layout == "tabs":
        return "\t".join(cells)
    if style.layout == "ideographic":
        return "\u3000\u3000".join(c for c in cells if c)
    if style.layout in ("pipes", "markdown"):
        return "| " + " | ".join(cells) + " |"
    if style.layout == "single":
        return " ".join(c for c in cells if c)
    lo, hi = style.spaces
    return "".join(c + " " * rng.randint(lo, hi) for c in cells if c).rstrip()


def table_lines(rows: list[PrintedRow], style: TableStyle, rng: random.Random) -> list[str]:
    header = _row(style, HEADERS[style.header], rng)
    lines = [header]
    if style.layout == "markdown":
        lines.append("|---|---|---|")
    for i, r in enumerate(rows):
        if r.code == style.break_before and i:
            mark = PAGE_MARKS[style.page_mark].format(n=rng.randint(2, 9), m=rng.randint(9, 12))
            lines += ["", mark, ""] + ([header] if style.repeat_header else [])
        label = _stray(r.label) if r.code in style.stray_space else r.label
        if r.code in style.wrap and style.layout in WRAPPABLE:
            at = _cut(label)
            head, tail = label[:at], label[at:]
            if style.wrap_after:
                lines += [_row(style, (head, r.unit, r.cell), rng), tail]
            else:
                lines += [head, _row(style, (tail, r.unit, r.cell), rng)]
            continue
        lines.append(_row(style, (label, r.unit, r.cell), rng))
    return lines


def table_html(rows: list[PrintedRow], style: TableStyle) -> list[str]:
    head = "".join(f"<th>{h}</th>" for h in HEADERS[style.header])
    body = [f"<tr><td>{escape(r.label)}</td><td>{escape(r.unit)}</td><td>{escape(r.cell)}</td></tr>" for r in rows]
    return ['<table border="1" cellspacing="0">', f"<tr>{head}</tr>", *body, "</table>"]
