"""The three tables of a gov report as grids of cells with row/column spans (as the Word/HTML
originals are drawn), and printed labels.

Text layouts that keep the merged structure (tabs_word, pipes, markdown) and HTML are drawn from the
grid; flat text layouts (tabs, spaces, one cell per line) use ``flat_rows``.
"""

from __future__ import annotations

from dataclasses import dataclass

from bench.corpus import catalogue as cat
from bench.corpus.model import Cell, GovReport, Key

T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
T3_APPLICANTS = "申请人情况"
T3_LEGAL = "法人或其他组织"
T4_LITIGATION = "行政诉讼"
T2_CONTENT = "信息内容"
#: Printed column headers that differ from the breakdown (the unit note of the 2021 fee column).
COLUMN_TEXT = {"本年收费金额": "本年收费金额（单位：万元）"}


@dataclass(frozen=True)
class GCell:
    text: str
    rowspan: int = 1
    colspan: int = 1
    value: bool = False  # a value cell (its text is a truth raw_value)


@dataclass(frozen=True)
class GRow:
    cells: tuple[GCell, ...]
    code: str = ""  # indicator_code of a value row, '' for header rows
    head: bool = False  # a column-header row (repeated after a page break)


@dataclass(frozen=True)
class Grid:
    table_no: int
    width: int
    rows: tuple[GRow, ...]


def split_text(text: str) -> str:
    """A header cell broken over two lines: 商业企业 → 商业\\n企业."""
    if len(text) < 4:
        return text
    cut = len(text) // 2 if len(text) == 4 else len(text) - 2
    return f"{text[:cut]}\n{text[cut:]}"


def label(report: GovReport, spec: cat.RowSpec) -> str:
    text = report.noise.labels.get(spec.code, spec.label)
    if spec.code in report.layout.stray_spaces:
        head = len(spec.prefix) if text.startswith(spec.prefix) else 0
        cut = head + (len(text) - head) * 2 // 3
        text = f"{text[:cut]} {text[cut:]}"
    return text


def _values(cells: dict[Key, Cell], spec: cat.RowSpec) -> list[GCell]:
    return [GCell(cells[(spec.code, b)].raw, value=True) for b in spec.breakdowns]


def t2_grid(report: GovReport, cells: dict[Key, Cell]) -> Grid:
    rows: list[GRow] = []
    specs = cat.table_rows(report.template, 2)
    for i, spec in enumerate(specs):
        if spec.is_header:
            rows.append(GRow((GCell(label(report, spec), colspan=4),)))
            first = specs[i + 1]
            heads = [COLUMN_TEXT.get(b, b) for b in first.breakdowns]
            spans = [1] * (len(heads) - 1) + [4 - len(heads)]
            rows.append(
                GRow((GCell(T2_CONTENT), *(GCell(h, colspan=s) for h, s in zip(heads, spans, strict=True))), head=True)
            )
            continue
        vals = _values(cells, spec)
        last = vals[-1]
        vals[-1] = GCell(last.text, colspan=4 - len(vals), value=True)
        rows.append(GRow((GCell(label(report, spec)), *vals), code=spec.code))
    return Grid(2, 4, tuple(rows))


def t3_header(report: GovReport) -> tuple[GRow, ...]:
    cols = cat.applicant_columns()
    split = report.layout.header == "split"
    legal = [GCell(split_text(c) if split else c) for c in cols[1:6]]
    return (
        GRow((GCell(T3_NOTE, rowspan=3, colspan=3), GCell(T3_APPLICANTS, colspan=7)), head=True),
        GRow((GCell(cols[0], rowspan=2), GCell(T3_LEGAL, colspan=5), GCell(cols[6], rowspan=2)), head=True),
        GRow(tuple(legal), head=True),
    )


def t3_grid(report: GovReport, cells: dict[Key, Cell]) -> Grid:
    specs = cat.table_rows(report.template, 3)
    by_parent: dict[str, list[cat.RowSpec]] = {}
    for s in specs:
        by_parent.setdefault(s.parent, []).append(s)
    n_results = sum(1 for s in specs if s.parent and not s.is_header)
    rows = list(t3_header(report))
    for top in by_parent[""]:
        if top.code != "t3_results":
            rows.append(GRow((GCell(label(report, top), colspan=3), *_values(cells, top)), code=top.code))
            continue
        lead: list[GCell] = [GCell(label(report, top), rowspan=n_results)]
        for mid in by_parent[top.code]:
            if not mid.is_header:
                rows.append(GRow((*lead, GCell(label(report, mid), colspan=2), *_values(cells, mid)), code=mid.code))
                lead = []
                continue
            kids = by_parent[mid.code]
            lead.append(GCell(label(report, mid), rowspan=len(kids)))
            for kid in kids:
                rows.append(GRow((*lead, GCell(label(report, kid)), *_values(cells, kid)), code=kid.code))
                lead = []
    return Grid(3, 10, tuple(rows))


def t4_header() -> tuple[GRow, ...]:
    cols = cat.t4_columns()
    groups = [cols[i].split("/")[0] for i in (0, 5, 10)]
    results = [c.split("/")[1] for c in cols[:5]]
    return (
        GRow((GCell(groups[0], colspan=5), GCell(T4_LITIGATION, colspan=10)), head=True),
        GRow(
            (*(GCell(r, rowspan=2) for r in results), GCell(groups[1], colspan=5), GCell(groups[2], colspan=5)),
            head=True,
        ),
        GRow(tuple(GCell(r) for r in results * 2), head=True),
    )


def t4_grid(report: GovReport, cells: dict[Key, Cell]) -> Grid:
    spec = cat.table_rows(report.template, 4)[0]
    return Grid(4, 15, (*t4_header(), GRow(tuple(_values(cells, spec)), code=spec.code)))


def expand(grid: Grid) -> list[list[str | None]]:
    """The grid as a full matrix: a cell's text at its top-left position, None where a span covers."""
    matrix: list[list[str | None]] = []
    taken: set[tuple[int, int]] = set()
    for r, row in enumerate(grid.rows):
        line: list[str | None] = [None] * grid.width
        c = 0
        for cell in row.cells:
            while (r, c) in taken:
                c += 1
            line[c] = cell.text
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, c + dc))
            c += cell.colspan
        matrix.append(line)
    return matrix


@dataclass(frozen=True)
class FlatRow:
    """A row of a flat layout: a label and its cells (header rows: the column labels as cells)."""

    label: str
    cells: tuple[str, ...]
    code: str = ""
    head: bool = False
    group: bool = False  # a group label printed alone (三、本年度办理结果, （三）不予公开)
    lead: tuple[str, ...] = ()  # merged group labels printed in front of the label


def flat_rows(report: GovReport, cells: dict[Key, Cell], table_no: int) -> list[FlatRow]:
    """Rows of a flat layout: every value row with its full label; group labels alone (or, with
    ``merged_labels``, in front of their first child's label)."""
    out: list[FlatRow] = []
    pending: list[str] = []
    merged = report.layout.merged_labels and table_no == 3
    for spec in cat.table_rows(report.template, table_no):
        if spec.is_header:
            if table_no == 2:
                out.append(FlatRow(label(report, spec), (), group=True))
                first = cat.table_rows(report.template, 2)[cat.table_rows(report.template, 2).index(spec) + 1]
                out.append(FlatRow(T2_CONTENT, tuple(COLUMN_TEXT.get(b, b) for b in first.breakdowns), head=True))
            elif merged:
                pending.append(label(report, spec))
            else:
                out.append(FlatRow(label(report, spec), (), group=True))
            continue
        values = tuple(cells[(spec.code, b)].raw for b in spec.breakdowns)
        out.append(FlatRow(label(report, spec), values, code=spec.code, lead=tuple(pending)))
        pending = []
    return out
