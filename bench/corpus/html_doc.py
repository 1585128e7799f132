"""A report as a saved web page: site chrome (nav, 字号 大 中 小, 打印本页, scripts) around the article,
tables as real <table> markup with rowspan/colspan. ``.htm`` pages look pasted from Word (MsoNormal
spans, &nbsp;, quote entities); ``.html`` pages look like a content-management system's output."""

from __future__ import annotations

from html import escape
from pathlib import Path
from string import Template

from bench.corpus import grids, prose
from bench.corpus.model import Cell, GovReport, Key, SectionTruth

TEMPLATES = Path(__file__).with_name("templates")
HEAD = Template((TEMPLATES / "page_head.html").read_text(encoding="utf-8"))
TAIL = Template((TEMPLATES / "page_tail.html").read_text(encoding="utf-8"))
PROVINCE_ABBR = {"湖南省": "湘", "福建省": "闽", "浙江省": "浙", "江苏省": "苏", "四川省": "蜀", "广东省": "粤"}

WORD_TABLE = (
    '<table class="MsoNormalTable" border="1" cellspacing="0" cellpadding="0" '
    'style="border-collapse:collapse;border:none">'
)
WORD_TD = (
    '<td width="{w}"{span} style="border:solid windowtext 1.0pt;padding:0cm 5.4pt 0cm 5.4pt">'
    '<p class="MsoNormal" align="center" style="text-align:center">'
    '<span style="font-size:10.5pt;font-family:宋体">{text}</span></p></td>'
)


def _word_text(text: str) -> str:
    return escape(text, quote=False).replace("“", "&ldquo;").replace("”", "&rdquo;")


def _cell_html(cell: grids.GCell, word: bool) -> str:
    span = (f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else "") + (
        f' colspan="{cell.colspan}"' if cell.colspan > 1 else ""
    )
    if word:
        text = "<br>".join(_word_text(x) for x in cell.text.split("\n")) or "&nbsp;"
        return WORD_TD.format(w=56 * cell.colspan, span=span, text=text)
    text = "<br/>".join(escape(x, quote=False) for x in cell.text.split("\n"))
    return f"<td{span}>{text}</td>"


def table_html(grid: grids.Grid, word: bool) -> list[str]:
    if word:
        out = [WORD_TABLE]
        for row in grid.rows:
            out += ["<tr>", *(_cell_html(c, True) for c in row.cells), "</tr>"]
    else:
        out = ['<table border="1" cellspacing="0" cellpadding="4" width="100%" class="report-table">', "<tbody>"]
        out += ["<tr>" + "".join(_cell_html(c, False) for c in row.cells) + "</tr>" for row in grid.rows]
        out.append("</tbody>")
    return [*out, "</table>"]


def render_html(report: GovReport, cells: dict[Key, Cell], blocks: list[prose.Block]) -> tuple[str, list[SectionTruth]]:
    ag = report.agency
    word = report.layout.extension == ".htm"
    title = "".join(prose.title_lines(report))
    para = (
        (lambda t: f'<p class="MsoNormal" style="text-indent:2em">{_word_text(t)}</p>')
        if word
        else (lambda t: f'<p style="text-indent:2em;">{escape(t, quote=False)}</p>')
    )
    builders = {2: grids.t2_grid, 3: grids.t3_grid, 4: grids.t4_grid}
    body: list[str] = []
    sections: list[SectionTruth] = []
    for block in blocks:
        if block.kind == "h":
            sections.append(SectionTruth(report.file, len(sections) + 1, block.text, None))
            body.append(f'<p style="text-indent:2em;"><strong>{escape(block.text, quote=False)}</strong></p>')
        elif block.kind == "table":
            body += table_html(builders[block.table_no](report, cells), word)
        elif block.kind == "sign":
            body += [f'<p style="text-align:right;">{escape(x, quote=False)}</p>' for x in block.text.split("\n")]
        else:
            body.append(para(block.text))
    d = report.publish_date.isoformat()
    place = ag.county or ag.city or ag.province
    head = HEAD.substitute(
        title=escape(title),
        title_html=escape(title, quote=False),
        site=ag.site_name,
        date=d,
        source=ag.name,
        place=place,
    )
    prev_title = f"{ag.name}{report.year - 1}年政府信息公开工作年度报告"
    tail = TAIL.substitute(
        prev_year=report.year - 1,
        prev_title=prev_title,
        source=ag.name,
        site_code=f"{report.seed % 9000 + 1000:04d}000{report.seed % 97:03d}",
        icp=f"{PROVINCE_ABBR.get(ag.province, ag.province[:1])}ICP备{report.seed * 7919 % 10**8:08d}号",
    )
    return head + "\n".join(body) + "\n" + tail, sections
