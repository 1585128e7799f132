"""Publish date, statistics period and report year (polars expressions over the lines frame).

Publish date: a date line near the top (above the title or up to 5 lines below it, possibly with
web chrome: 发布时间：…, 来源：…, 浏览次数), else the signature date among the last lines (a bare
date, or the agency and the date on one line), else the signature above an appended table. A
date line must be only a date and chrome, so the 统计期限 sentence ("自2018年1月1日起至2018年
12月31日止") is never read as one.
Report year: the title's year, else the 统计期限 sentence's, else the publish date's minus one.
"""

from __future__ import annotations

import polars as pl

from orchestration.lib.parsing.lines import with_text_columns
from orchestration.lib.parsing.table_starts import find_table_starts
from orchestration.lib.parsing.text import cn_small_number
from orchestration.lib.parsing.titles import SHORT_LINE, TITLE_MAX_LINE, year_value

#: A top-of-page date may sit at most this many lines below the title.
DATE_AFTER_TITLE = 5
#: The signature date is looked for among this many last non-blank lines.
SIGNATURE_LAST_LINES = 8

_DATE_CORE = r"(?P<y>(?:19|20)\d{2})\s*[年\-/.]\s*(?P<m>\d{1,2})\s*[月\-/.]\s*(?P<d>\d{1,2})日?"
_CN_DATE_CORE = (
    r"(?P<cy>[〇零○O0一二三四五六七八九]{4})年"
    r"(?P<cm>[一二三四五六七八九十]{1,3})月(?P<cd>[一二三四五六七八九十]{1,3})日"
)
_DATE = rf"(?:{_DATE_CORE}|{_CN_DATE_CORE})"
#: Fields of the metadata table of government portals (索引号 … 发布机构 … 生成日期 … 文号), printed
#: on one line with the date.
_PORTAL_FIELDS = (
    r"索引号|信息索引号|主题分类|信息分类|组配分类|体裁分类|服务对象分类|发文字号|文号|发文机关|"
    r"公开方式|公开范围|公开时限|关键词|有效性"
)
_CHROME = (
    r"(?:来源|信息来源|文章来源|作者|浏览|点击|字号|阅读|访问|发布机构|发布单位|发布人|编辑|责任编辑|"
    rf"分享|打印|收藏|关闭|{_PORTAL_FIELDS}|【|\[)"
)
#: Labels that make a date the publish date: 发布日期, 成文日期, 生成日期, ….
_PUBLISH_LABELS = r"发布时间|发布日期|发文日期|成文日期|生成日期"
_PUBLISH_LABEL = rf"(?:{_PUBLISH_LABELS})"
_DATE_LABEL = rf"(?:{_PUBLISH_LABELS}|更新时间|更新日期|日期|时间)"
#: Chrome that may precede the date on the same line: 作者：… 来源：仁寿县人民政府 发布时间：…, or
#: 索引号：… 发布机构：… 生成日期：…
_LEADING_CHROME = (
    r"(?:(?:来源|信息来源|文章来源|发布机构|发布单位|作者|编辑|责任编辑|点击数|浏览次数|"
    rf"{_PORTAL_FIELDS}):[^:]{{0,30}}?)*"
)
#: A line that is a date, maybe labelled 发布时间 and surrounded by web chrome (on compact text).
TOP_DATE_RE = (
    rf"^[【\[(]?{_LEADING_CHROME}{_DATE_LABEL}?:?{_DATE}"
    rf"(?:\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?[】\])]?(?:{_CHROME}.*)?$"
)
#: A signature line: the date alone, after the agency (观水镇人民政府2018年1月9日) or after a
#: publish-date label (成文日期：2019-01-18).
SIGNATURE_RE = (
    rf"^(?:\p{{Han}}{{2,30}}(?:人民政府|政府|办公室|办事处|委员会|局|委|办|中心)|{_PUBLISH_LABEL}:?)?{_DATE}$"
)
#: Kept for callers: a bare date line.
BARE_DATE_RE = rf"^{_DATE}$"
_YEAR = r"(?:19|20)\d{2}"
#: 所列数据的统计期限自2018年1月1日起至2018年12月31日止; 2018年1月1日----2018年12月31日;
#: 2018年1月至12月 (on compact text).
PERIOD_RE = (
    rf"(?P<py>{_YEAR})年0?1月(?:0?1日[^。;]{{0,8}}?(?:{_YEAR}年)?12月31日"
    rf"|(?:0?1日)?(?:起)?(?:至|到|-|—|~|～)+(?:{_YEAR}年)?12月(?:31日)?)"
)


#: Raw lines that may hold a date (checked before the NFKC of with_text_columns, which is slow).
DATE_HINT_RE = r"[\d０-９〇零○][年\-/.．－／]|年"
#: A signature line ends with its date.
_ENDS_DATED_RE = r"[日\d０-９]\s*$"


def _date_from_groups(col: str) -> pl.Expr:
    s = pl.col(col)
    year = pl.coalesce(s.struct.field("y").cast(pl.Int32, strict=False), year_value(s.struct.field("cy")))
    month = pl.coalesce(s.struct.field("m").cast(pl.Int32, strict=False), cn_small_number(s.struct.field("cm")))
    day = pl.coalesce(s.struct.field("d").cast(pl.Int32, strict=False), cn_small_number(s.struct.field("cd")))
    text = pl.format(
        "{}-{}-{}",
        year.cast(pl.String),
        month.cast(pl.String).str.zfill(2),
        day.cast(pl.String).str.zfill(2),
    )
    return text.str.to_date("%Y-%m-%d", strict=False)


def find_publish_dates(lines: pl.DataFrame, titles: pl.DataFrame, starts: pl.DataFrame | None = None) -> pl.DataFrame:
    """doc, publish_date for every doc of ``titles`` (doc, title_line): a date line near the top
    (above the title or up to 5 lines below it), else the signature among the last 8 non-blank
    lines, else among the last 8 non-blank lines above an appended statistics table (``starts``:
    doc, region_start of table_starts.find_table_starts, computed when not given)."""
    if starts is None:
        starts = find_table_starts(lines)
    # Filters one after the other: the regex only reads the few lines left.
    dated = pl.col("line").str.contains(DATE_HINT_RE)
    short = pl.col("line").str.len_bytes() <= 4 * SHORT_LINE
    head = (
        lines.filter((pl.col("line_no") <= TITLE_MAX_LINE + DATE_AFTER_TITLE + 1) & ~pl.col("is_blank"))
        .join(titles.select("doc", "title_line"), on="doc", how="inner")
        .filter(pl.col("line_no") <= pl.col("title_line") + DATE_AFTER_TITLE)
        .filter(short)
        .filter(dated)
    )
    top = (
        with_text_columns(head)
        .filter(pl.col("compact").str.contains(TOP_DATE_RE))
        .with_columns(g=pl.col("compact").str.extract_groups(TOP_DATE_RE))
        .select("doc", "line_no", top_date=_date_from_groups("g"))
        .drop_nulls("top_date")
        .group_by("doc")
        .agg(pl.col("top_date").sort_by("line_no").first())
    )
    non_blank = lines.filter(~pl.col("is_blank")).select("doc", "line_no", "line")
    above_table = non_blank.join(starts.select("doc", "region_start"), on="doc", how="inner").filter(
        pl.col("line_no") < pl.col("region_start")
    )

    def signature(part: pl.DataFrame, name: str) -> pl.DataFrame:
        tail = (
            part.select("doc", "line_no", "line")
            .group_by("doc", maintain_order=True)
            .tail(SIGNATURE_LAST_LINES)
            .filter(short)
            .filter(pl.col("line").str.contains(_ENDS_DATED_RE))
            .filter(dated)
        )
        return (
            with_text_columns(tail)
            .filter(pl.col("compact").str.contains(SIGNATURE_RE))
            .with_columns(g=pl.col("compact").str.extract_groups(SIGNATURE_RE))
            .select("doc", "line_no", date=_date_from_groups("g"))
            .drop_nulls("date")
            .group_by("doc")
            .agg(pl.col("date").sort_by("line_no").last().alias(name))
        )

    bottom = signature(non_blank, "bottom_date")
    before_table = signature(above_table, "table_date")
    return (
        titles.select("doc")
        .join(top, on="doc", how="left")
        .join(bottom, on="doc", how="left")
        .join(before_table, on="doc", how="left")
        .select("doc", publish_date=pl.coalesce("top_date", "bottom_date", "table_date"))
    )


def find_period_years(lines: pl.DataFrame) -> pl.DataFrame:
    """doc, period_year: the year of the first 统计期限 sentence ("2018年1月1日起至12月31日止")."""
    return (
        with_text_columns(lines.filter(pl.col("line").str.contains(r"12\s*月")))
        .filter(pl.col("compact").str.contains("12月", literal=True))
        .with_columns(period_year=pl.col("compact").str.extract(PERIOD_RE, 1).cast(pl.Int32, strict=False))
        .drop_nulls("period_year")
        .group_by("doc")
        .agg(pl.col("period_year").sort_by("line_no").first())
    )


def report_year(title_year: pl.Expr, period_year: pl.Expr, publish_date: pl.Expr) -> pl.Expr:
    """The title's year, else the statistics period's, else the publish date's year minus one."""
    return pl.coalesce(title_year, period_year, publish_date.dt.year().cast(pl.Int32) - 1).cast(pl.Int32)
