"""Tables as plain text: tab-separated rows, runs of spaces, one cell per line, Word-copied rows with
merged cells, `|`-separated cells and markdown tables; page breaks and wrapped labels.

Every function returns (line, tag) pairs: the tag is the indicator_code of the value row the line
belongs to ('' otherwise), which is where page breaks are placed.
"""

from __future__ import annotations

import random

from bench.corpus import catalogue as cat
from bench.corpus import grids
from bench.corpus.model import Cell, GovReport, Key, PageBreak

Line = tuple[str, str]

PAGE_MARKS = {
    "dash": "— {n} —",
    "page": "第 {n} 页",
    "hyphen": "- {n} -",
    "page_of": "第{n}页 共{total}页",
}


def page_mark(pb: PageBreak) -> str:
    return PAGE_MARKS[pb.mark].format(n=pb.page, total=pb.page + 4)


class Joiner:
    """Joins cells with the layout's separator (seeded runs of spaces for ``spaces``)."""

    def __init__(self, fmt: str, seed: int) -> None:
        self.fmt = fmt
        self.rng = random.Random(seed)

    def __call__(self, cells: list[str] | tuple[str, ...]) -> str:
        if self.fmt != "spaces":
            return "\t".join(cells)
        out = ""
        for i, cell in enumerate(cells):
            if not cell:
                out += " " * 6
            elif i == 0 or not out.strip():
                out += cell
            else:
                out += " " * self.rng.randint(2, 6) + cell
        return out


def _cut(label: str) -> int:
    comma = label.find("，", 4)
    if 0 < comma < len(label) - 2:
        return comma + 1
    return len(label) // 2


def _value_row(report: GovReport, row: grids.FlatRow, join: Joiner) -> list[Line]:
    fmt = report.layout.table
    wrap = row.code in report.layout.wrap
    cut = _cut(row.label)
    head, tail = (row.label[:cut], row.label[cut:]) if wrap else (row.label, "")
    if fmt == "cells":
        labels = [*row.lead, head, *([tail] if tail else [])]
        return [(x, row.code) for x in [*labels, *row.cells]]
    if not wrap:
        return [(join([*row.lead, row.label, *row.cells]), row.code)]
    if report.layout.wrap_mode == "before":
        return [(join([*row.lead, head]), row.code), (join([tail, *row.cells]), row.code)]
    return [(join([*row.lead, head, *row.cells]), row.code), (tail, row.code)]


def t3_header_lines(report: GovReport, join: Joiner) -> list[str]:
    cols = cat.applicant_columns()
    if report.layout.table == "cells":
        legal = [grids.split_text(c) if report.layout.header == "split" else c for c in cols[1:6]]
        return [grids.T3_NOTE, grids.T3_APPLICANTS, cols[0], grids.T3_LEGAL, *legal, cols[6]]
    if report.layout.header == "flat":
        return [join([grids.T3_NOTE, grids.T3_APPLICANTS]), join(["", *cols])]
    legal = [grids.split_text(c) if report.layout.header == "split" else c for c in cols[1:6]]
    return [
        join([grids.T3_NOTE, grids.T3_APPLICANTS]),
        join(["", cols[0], grids.T3_LEGAL, cols[6]]),
        join(["", "", *legal]),
    ]


def flat_table(report: GovReport, cells: dict[Key, Cell], table_no: int, join: Joiner) -> list[Line]:
    fmt = report.layout.table
    lines: list[Line] = [(x, "head") for x in t3_header_lines(report, join)] if table_no == 3 else []
    for row in grids.flat_rows(report, cells, table_no):
        if row.group:
            lines.append((row.label, ""))
        elif row.head:
            cells_ = [row.label, *row.cells]
            lines.extend((c, "") for c in cells_) if fmt == "cells" else lines.append((join(cells_), ""))
        else:
            lines.extend(_value_row(report, row, join))
    return lines


def t4_lines(report: GovReport, cells: dict[Key, Cell], join: Joiner) -> list[Line]:
    fmt, mode = report.layout.table, report.layout.t4
    cols = cat.t4_columns()
    groups = [cols[i].split("/")[0] for i in (0, 5, 10)]
    results = [c.split("/")[1] for c in cols[:5]]
    numbers = [cells[("t4_review_litigation", b)].raw for b in cols]
    if fmt == "cells":
        head = [groups[0], grids.T4_LITIGATION, *results, groups[1], groups[2], *results, *results]
        return [(x, "") for x in head] + [(n, "t4_review_litigation") for n in numbers]
    if fmt == "tabs_word" or (fmt == "tabs" and report.layout.header == "word"):
        head = [join([groups[0], grids.T4_LITIGATION]), join([*results, groups[1], groups[2]])]
        head.append(join(["", "", "", "", "", *results, *results]))
    else:
        head = [join([groups[0], grids.T4_LITIGATION]), join([*results, groups[1], groups[2]]), join(results * 3)]
    tag = "t4_review_litigation"
    if mode == "row":
        body = [join(numbers)]
    elif mode == "split":
        body = [join(numbers[i : i + 5]) for i in (0, 5, 10)]
    else:
        body = list(numbers)
    return [(x, "") for x in head] + [(x, tag) for x in body]


def word_rows(grid: grids.Grid) -> list[Line]:
    """Rows as Word copies them: a horizontally merged cell is one cell, a vertically merged cell is an
    empty cell on every row below its first."""
    active: list[tuple[int, int, int]] = []  # (col, first row, last row) of vertically merged cells
    out: list[Line] = []
    matrix_taken: set[tuple[int, int]] = set()
    for r, row in enumerate(grid.rows):
        items: list[tuple[int, str]] = [(c, "") for c, first, last in active if first < r <= last]
        c = 0
        for cell in row.cells:
            while (r, c) in matrix_taken:
                c += 1
            items.append((c, cell.text))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    matrix_taken.add((r + dr, c + dc))
            if cell.rowspan > 1:
                active.append((c, r, r + cell.rowspan - 1))
            c += cell.colspan
        out.append(("\t".join(text for _, text in sorted(items)), row.code or ("head" if row.head else "")))
    return out


def pipe_rows(grid: grids.Grid, markdown: bool) -> list[Line]:
    out: list[Line] = []
    for i, (row, cells) in enumerate(zip(grid.rows, grids.expand(grid), strict=True)):
        texts = [(c or "").replace("\n", "") for c in cells]
        line = "| " + " | ".join(texts) + " |" if markdown else "|" + "|".join(texts) + "|"
        out.append((line, row.code))
        if markdown and i == 0:
            out.append(("|" + "|".join([" --- "] * grid.width) + "|", ""))
    return out


def table_lines(report: GovReport, cells: dict[Key, Cell], table_no: int, title: str) -> list[str]:
    """The text lines of one table in the report's layout, with its page breaks."""
    fmt = report.layout.table
    join = Joiner(fmt, report.seed * 10 + table_no)
    build = {2: grids.t2_grid, 3: grids.t3_grid, 4: grids.t4_grid}[table_no]
    if fmt in ("tabs_word", "pipes", "markdown"):
        grid = build(report, cells)
        lines = word_rows(grid) if fmt == "tabs_word" else pipe_rows(grid, fmt == "markdown")
        if table_no == 4 and fmt == "tabs_word" and report.layout.t4 != "row":
            lines = [x for x in lines if x[1] == "head"] + t4_lines(report, cells, join)[3:]
    elif table_no == 4:
        lines = t4_lines(report, cells, join)
    else:
        lines = flat_table(report, cells, table_no, join)
    header = [text for text, tag in lines if tag == "head"]
    out: list[str] = []
    done: set[str] = set()
    for text, tag in lines:
        for pb in report.layout.page_breaks:
            if pb.table_no == table_no and pb.before == tag and tag not in done:
                out.extend(["", page_mark(pb), ""])
                if pb.running_header:
                    out.extend([title, ""])
                if pb.repeat_table_header:
                    out.extend(header)
        done.add(tag)
        out.extend(text.split("\n") if "\n" in text else [text])
    return out
