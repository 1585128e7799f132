"""A narrative or pre-2019 report as a file: title, web chrome, prose, statistics table, signature, noise.

Noise is applied to the whole text (a mirror's traditional characters, a hacked site's spam string in
place of 其他, full-width digits in the prose, a page break cutting a sentence), then the text is encoded
(UTF-8, UTF-8 with BOM, GBK, UTF-16) with LF or CRLF, or wrapped in a saved web page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from html import escape

from bench.corpus.model import Agency
from bench.corpus.narrative import Prose

TITLES = ("plain", "niandu", "spaced", "two_line", "zhengwu")
SPAM = ("必威体育平台,必威体育app", "亚博体育官网,亚博体育app下载", "开云体育官网,kaiyun体育app")
CHROME_TOP = ("首页 > 政务公开 > 政府信息公开年报", "图片")
CHROME_BOTTOM = ("【打印本页】 【关闭窗口】", "上一条：关于做好政务公开工作的通知", "下一条：无")
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@dataclass(frozen=True)
class DocNoise:
    title: str = "plain"  # one of TITLES
    top_date: bool = False  # a 发布时间 line under the title
    chrome: bool = False  # site navigation, 发布时间/来源/字号 line, 打印本页, 上一条/下一条
    page_break: bool = False  # a page break cutting a sentence of the overview in two
    spam: str = ""  # the string replacing every 其他
    traditional: bool = False
    fullwidth_prose: bool = False
    encoding: str = "utf-8"  # utf-8 | utf-8-sig | gbk | utf-16
    crlf: bool = False
    html: bool = False


def title_lines(agency: str, year: int, style: str) -> list[str]:
    if style == "niandu":
        return [f"{agency}{year}年度政府信息公开工作年度报告"]
    if style == "spaced":
        return [f"{agency} {year} 年政府信息公开工作年度报告"]
    if style == "two_line":
        return [agency, f"{year}年政府信息公开工作年度报告"]
    if style == "zhengwu":
        return [f"{agency}{year}年政务公开工作报告"]
    return [f"{agency}{year}年政府信息公开工作年度报告"]


def _han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _cut(text: str, page: int) -> list[str]:
    at = len(text) // 2
    while at < len(text) - 1 and not (_han(text[at - 1]) and _han(text[at])):
        at += 1
    return [text[:at], "", f"— {page} —", "", text[at:]]


def _intro(agency: Agency, year: int) -> str:
    return (
        f"本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求编制。本报告中所列数据的统计期限自"
        f"{year}年1月1日起至{year}年12月31日止。如对本报告有任何疑问，请与{agency.office}联系"
        f"（地址：{agency.address}；联系电话：{agency.phone}）。"
    )


@cache
def _s2t():  # opencc has no type hints
    import opencc

    return opencc.OpenCC("s2t")


@dataclass(frozen=True)
class Parts:
    """A report's lines: top (chrome, title, date), body (intro, sections), closing (signature, chrome)."""

    top: list[str]
    body: list[str]
    closing: list[str]


def compose(agency: Agency, year: int, published: dt.date, prose: Prose, noise: DocNoise) -> Parts:
    top: list[str] = [*CHROME_TOP, ""] if noise.chrome else []
    top += title_lines(agency.name, year, noise.title)
    if noise.chrome:
        top.append(f"发布时间：{published.isoformat()}    来源：{agency.name}    字号：大 中 小")
    elif noise.top_date:
        top.append(f"发布时间：{published.year}年{published.month:02d}月{published.day:02d}日")
    body = ["", _intro(agency, year), ""]
    for i, (heading, paras) in enumerate(prose.sections):
        body += [heading, ""]
        for j, para in enumerate(paras):
            body += _cut(para, 2) if noise.page_break and i == 0 and j == 0 else [para]
            body.append("")
    if noise.spam:
        body += ["七、其他需要报告的事项", "", "本年度无其他需要报告的事项。", ""]
    closing = ["", agency.name, f"{published.year}年{published.month}月{published.day}日"]
    if noise.chrome:
        closing += ["", *CHROME_BOTTOM]
    return Parts(top, body, closing)


def _page(title: str, blocks: list[str]) -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n<title>{escape(title)}</title>\n'
        '<script>var _hmt = _hmt || [];</script>\n</head>\n<body>\n<div class="nav"><a href="/">首页</a> '
        '<a href="/zwgk/">政务公开</a></div>\n<div class="article">\n'
        + "\n".join(blocks)
        + '\n</div>\n<div class="footer">主办单位：人民政府办公室 ICP备案号：00000000号</div>\n</body>\n</html>\n'
    )


def _paras(lines: list[str]) -> list[str]:
    return [f"<p>{escape(x)}</p>" for x in lines if x]


def render(parts: Parts, table_title: str, table: list[str], table_html: list[str], noise: DocNoise) -> bytes:
    """The file's bytes: text (or a saved page) with noise, encoded. ``table``: the table's text lines."""
    body = [x.translate(FULLWIDTH) for x in parts.body] if noise.fullwidth_prose else parts.body
    if noise.html:
        title = "".join(x for x in parts.top if "报告" in x or not x.strip())[:80]
        blocks = _paras(parts.top + body) + (_paras([table_title]) + table_html if table_html else [])
        text = _page(title, blocks + _paras(parts.closing))
    else:
        middle = [table_title, *table, ""] if table else []
        text = "\n".join(parts.top + body + middle + parts.closing) + "\n"
    if noise.spam:
        text = text.replace("其他", noise.spam)
    if noise.traditional:
        text = _s2t().convert(text)
    if noise.crlf:
        text = text.replace("\n", "\r\n")
    try:
        return text.encode(noise.encoding)
    except UnicodeEncodeError:  # a rare character outside GBK: GB18030 is its superset
        return text.encode("gb18030")
