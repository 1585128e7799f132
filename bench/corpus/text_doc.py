"""A report as a plain-text file: title, optional date and web chrome, prose, tables, signature."""

from __future__ import annotations

from bench.corpus import prose
from bench.corpus.model import Cell, GovReport, Key, SectionTruth
from bench.corpus.text_layouts import page_mark, table_lines

CHROME_TOP = ("首页 > 政务公开 > 政府信息公开 > 政府信息公开年报", "图片")
CHROME_DATE = "发布时间：{date}    来源：{source}    字号：大 中 小"
CHROME_BOTTOM = ("【打印本页】 【关闭窗口】", "上一条：{prev}", "下一条：{next}")


def _han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _paragraph(block: prose.Block, title: str) -> list[str]:
    if block.cut is None:
        return [block.text]
    at = len(block.text) // 2
    while not (_han(block.text[at - 1]) and _han(block.text[at])):
        at += 1
    lines = [block.text[:at], "", page_mark(block.cut), ""]
    if block.cut.running_header:
        lines += [title, ""]
    return [*lines, block.text[at:]]


def render_text(
    report: GovReport, cells: dict[Key, Cell], blocks: list[prose.Block], chrome: bool
) -> tuple[str, list[SectionTruth]]:
    """The file's text (\\n line ends) and the line of each section heading."""
    titles = prose.title_lines(report)
    title = "".join(titles)
    d = report.publish_date
    lines: list[str] = []
    if chrome:
        lines += [*CHROME_TOP, ""]
    lines += titles
    if chrome:
        lines.append(CHROME_DATE.format(date=d.isoformat(), source=report.agency.name))
    elif report.layout.top_date:
        lines.append(f"发布日期：{d.year}年{d.month:02d}月{d.day:02d}日")
    lines.append("")
    sections: list[SectionTruth] = []
    for block in blocks:
        if block.kind == "h":
            sections.append(SectionTruth(report.file, len(sections) + 1, block.text, len(lines) + 1))
            lines.append(block.text)
        elif block.kind == "table":
            lines += table_lines(report, cells, block.table_no, title)
        elif block.kind == "sign":
            lines += block.text.split("\n")
        else:
            lines += _paragraph(block, title)
        lines.append("")
    if chrome:
        prev, nxt = f"{report.agency.name}{report.year - 1}年政府信息公开工作年度报告", "关于公布政务服务事项目录的通知"
        lines += [x.format(prev=prev, next=nxt) for x in CHROME_BOTTOM]
    return "\n".join(lines).rstrip("\n") + "\n", sections
