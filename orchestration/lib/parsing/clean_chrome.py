"""Web-page chrome, page furniture and banners among the lines of a report.

Chrome: 图片, 发布时间/来源 lines, 字号 大 中 小, 打印本页, 关闭, 上一条/下一条, 分享到, breadcrumbs,
copyright and ICP lines. Furniture: page numbers (— 3 —, 第 3 页, - 3 -, a bare number) and a short
line repeated on every page (a page header). Banners: lines above the title without a full stop.
Only short lines can be any of these, so the regexes read that subset only.
"""

from __future__ import annotations

import polars as pl

from orchestration.lib.parsing.table_pre2019 import PAGE_NUMBER_RE

#: Longest line (cleaned characters) that can be chrome or a repeated page header.
SHORT_CHROME = 60
_BUTTONS = (
    r"(?:打印|打印本页|打印此页|关闭|关闭窗口|关闭本页|返回|返回顶部|返回首页|收藏|加入收藏|分享|保存|大|中|小|默认)"
)
CHROME_RE = (
    r"^(?:"
    r"图片|图片[0-9]*|视频|" + _BUTTONS + r"|"
    r"(?:[【\[]" + _BUTTONS + r"(?:本页)?[】\]])+|"
    r"[【\[]?(?:字号|字体):?(?:大|中|小|默认|\s)+[】\]]?(?:[【\[]" + _BUTTONS + r"[】\]])*|"
    r"分享到.*|上一(?:条|篇)[:].*|下一(?:条|篇)[:].*|上一(?:条|篇)|下一(?:条|篇)|"
    r"(?:发布时间|发布日期|发文日期|信息来源|来源|作者|浏览次数|点击数|阅读次数|访问次数|责任编辑|编辑|浏览量|点击量)[:].*|"
    r"(?:当前位置|您的位置|您现在的位置|当前所在位置)[:].*|首页>.*|.*>.*>.*|"
    r"扫一扫.*|.*版权所有.*|.*ICP备.*|主办单位[:].*|承办单位[:].*|技术支持[:].*|网站地图.*|联系我们|无障碍.*|"
    r"(?:19|20)\d{2}[年\-/.]\d{1,2}[月\-/.]\d{1,2}日?(?:\d{1,2}:\d{2}(?::\d{2})?)?"
    r"(?:来源|作者|浏览|点击|字号|信息来源|发布|阅读).*"
    r")$"
)
#: Longest raw line that can be a page number.
PAGE_NUMBER_MAX = 24
#: Longest repeated line taken for a page header.
HEADER_MAX = 40
#: Repeated page header: a short line seen at least this many times in a document's prose.
MIN_HEADER_REPEATS = 3


def is_page_number(line: pl.Expr) -> pl.Expr:
    """The raw line is a page number (— 3 —, 第 3 页)."""
    return (line.str.len_chars() <= PAGE_NUMBER_MAX) & line.str.contains(PAGE_NUMBER_RE)


def page_number_docs(lines: pl.DataFrame) -> pl.DataFrame:
    """doc, page_numbers (True): documents with a page number among ``lines`` (doc, line, is_blank)."""
    return (
        lines.filter(~pl.col("is_blank") & (pl.col("line").str.len_chars() <= PAGE_NUMBER_MAX))
        .filter(pl.col("line").str.contains(PAGE_NUMBER_RE))
        .select("doc")
        .unique()
        .with_columns(page_numbers=pl.lit(True))
    )


def mark_chrome(upper: pl.DataFrame) -> pl.DataFrame:
    """``upper`` (idx, doc, line, text cleaned, in_prose, in_head) with chrome, furniture and banner."""
    # Only short lines can be chrome or furniture (regexes on that subset).
    short = upper.filter(pl.col("text").str.len_chars() <= SHORT_CHROME).select(
        "idx", "doc", "line", "text", "in_prose", "in_head"
    )
    repeated = (
        (pl.col("text").str.len_chars() <= HEADER_MAX)
        & pl.col("in_prose")
        & (pl.len().over("doc", "text") >= MIN_HEADER_REPEATS)
    )
    short = short.with_columns(
        chrome=pl.col("text").str.contains(CHROME_RE),
        furniture=is_page_number(pl.col("line")) | repeated,
        banner=pl.col("in_head") & ~pl.col("text").str.contains("。", literal=True),
    )
    chrome_idx = short.filter("chrome")["idx"].implode()
    furniture_idx = short.filter("furniture")["idx"].implode()
    banner_idx = short.filter("banner")["idx"].implode()
    upper = upper.with_columns(
        chrome=pl.col("idx").is_in(chrome_idx),
        furniture=pl.col("idx").is_in(furniture_idx),
        banner=pl.col("idx").is_in(banner_idx),
    )
    return upper
