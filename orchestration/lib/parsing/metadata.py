"""Report metadata from the lines frame, for the whole batch at once (polars expressions only).

Every function takes the LINES frame of lines.explode_lines and returns one row per document
that has the item, keyed by ``doc``. Regexes read ``compact`` (NFKC, white space removed),
computed only for the few lines each function looks at.
"""

from __future__ import annotations

import polars as pl

from orchestration.lib.parsing.lines import with_text_columns
from orchestration.lib.parsing.text import STRIP_CHARS, cn_small_number, cn_year_to_ascii, compact

#: Lines searched for the title.
TITLE_MAX_LINE = 40
#: A top-of-page date may sit at most this many lines below the title.
DATE_AFTER_TITLE = 5
#: The signature date is looked for among this many last non-blank lines.
SIGNATURE_LAST_LINES = 8
#: Titles, date lines and table headers are short: longer lines (paragraphs) are not read.
SHORT_LINE = 100

# ---------------------------------------------------------------------------------------------
# Title
# ---------------------------------------------------------------------------------------------

#: 政府信息公开工作年度报告, 政府信息公开年度报告, 政府信息公开年度工作报告, 政务公开工作报告, ...
REPORT_PHRASE = r"(?:政府信息公开|政务公开|信息公开)(?:和(?:政府信息公开|政务公开))?(?:工作)?(?:年度)?(?:工作)?报告"
_YEAR = r"(?P<year>(?:19|20)\d{2}|二[〇零○O0][〇零○O0一二三四五六七八九]{2})"
_AGENCY = r"(?P<agency>[\p{Han}()·]{2,40}?)"
#: After the phrase: nothing, or a note in brackets: （全文）, （2018年度）.
_TRAILER = r"(?:\((?:(?P<tyear>(?:19|20)\d{2})年度?|[^()]{0,20})\))?[》】」]?$"
#: Agency, optional year, report phrase (on the compact line: spaces around the year are gone).
TITLE_RE = rf"^[《【「]?{_AGENCY}(?:{_YEAR}年度?)?{REPORT_PHRASE}{_TRAILER}"
#: Year and report phrase only: the agency is then the previous non-blank line.
YEAR_ONLY_TITLE_RE = rf"^[《【「]?{_YEAR}年度?{REPORT_PHRASE}{_TRAILER}"
#: A line that can be the first line of a two-line title (the agency alone).
AGENCY_LINE_RE = r"^[\p{Han}()·]{2,40}$"

# ---------------------------------------------------------------------------------------------
# Agency level
# ---------------------------------------------------------------------------------------------

#: Administrative units, longest alternatives first where one is a suffix of another.
_UNIT = r"(?:特别行政区|自治区|省|自治州|地区|市|州|盟|自治县|自治旗|县|旗|林区|新区|区|街道|镇|乡|苏木)"
#: One administrative unit of a name prefix (its name plus the unit word).
_UNIT_RE = rf"\p{{Han}}{{1,12}}?{_UNIT}"
_PREFIX_RE = rf"^(?:{_UNIT_RE})+"
#: Words that contain a unit character but are no place (masked before looking for units).
_NOT_PLACES = [
    "城市", "市场", "都市", "超市", "市政", "市容", "市民", "城乡", "乡镇",
    "城镇", "乡村", "社区", "园区", "景区", "小区", "片区", "辖区",
]  # fmt: skip
_MASKED = ["〓" * len(w) for w in _NOT_PLACES]
#: Department-like name endings.
_DEPARTMENT_WORDS = (
    r"(?:局|委|委员会|办|办公室|厅|中心|院|所|站|处|部|署|队|馆|会|社|台|科|室|组|集团|公司|"
    r"管委会|管理处)"
)
_DEPARTMENT_RE = rf"{_DEPARTMENT_WORDS}$"
_PROVINCE_CITIES = r"^(?:北京|上海|天津|重庆)市$"


def _unit_class(unit: pl.Expr) -> pl.Expr:
    """province | prefecture | county | township | street for a unit (e.g. 灵武市, 临河镇)."""
    suffix = unit.str.extract(rf"({_UNIT})$", 1)
    return (
        pl.when(unit.str.contains(_PROVINCE_CITIES))
        .then(pl.lit("province"))
        .when(suffix.is_in(["省", "自治区", "特别行政区"]))
        .then(pl.lit("province"))
        .when(suffix.is_in(["市", "州", "自治州", "地区", "盟"]))
        .then(pl.lit("prefecture"))
        .when(suffix.is_in(["县", "自治县", "旗", "自治旗", "区", "新区", "林区"]))
        .then(pl.lit("county"))
        .when(suffix.is_in(["镇", "乡", "苏木"]))
        .then(pl.lit("township"))
        .when(suffix == "街道")
        .then(pl.lit("street"))
        .otherwise(None)
    )


def agency_level(name: pl.Expr) -> pl.Expr:
    """乡镇 | 街道 | 县区政府 | 县区部门 | 市政府 | 市部门 | 省政府 | 省部门 | NULL from an agency name.

    Township and street offices by their suffix; a government (…人民政府, …政府, or a bare place
    name) by its last administrative unit; a department (…局, …委, …办公室, …中心, …) by the
    nearest administrative unit before it. A 市 right under another 市/州/盟/地区 is a
    county-level city; 北京/上海/天津/重庆市 are provincial.
    """
    masked = name.str.replace_many(_NOT_PLACES, _MASKED)
    is_street = name.str.contains(r"(?:街道|街道办事处|街道办)(?:人民政府|政府|党工委)?$")
    is_township = name.str.contains(r"(?:镇|乡|苏木)(?:人民政府|政府)?$")
    gov_place = masked.str.replace(r"(?:人民政府|政府|行政公署)$", "")
    is_gov = masked.str.contains(r"(?:人民政府|政府|行政公署)$") | (masked.str.extract(_PREFIX_RE, 0) == masked)
    place = pl.when(is_gov).then(gov_place).otherwise(masked).str.extract(_PREFIX_RE, 0)
    units = place.str.extract_all(_UNIT_RE)
    last = units.list.get(-1, null_on_oob=True)
    before_last = units.list.get(-2, null_on_oob=True)
    cls = _unit_class(last)
    cls = (
        pl.when((cls == "prefecture") & last.str.ends_with("市") & _unit_class(before_last).is_in(["prefecture"]))
        .then(pl.lit("county"))
        .otherwise(cls)
    )
    gov_level = cls.replace_strict(
        {
            "province": "省政府",
            "prefecture": "市政府",
            "county": "县区政府",
            "township": "乡镇",
            "street": "街道",
        },
        default=None,
        return_dtype=pl.String,
    )
    dept_level = cls.replace_strict(
        {
            "province": "省部门",
            "prefecture": "市部门",
            "county": "县区部门",
            "township": "乡镇",
            "street": "街道",
        },
        default=None,
        return_dtype=pl.String,
    )
    return (
        pl.when(name.is_null() | (name == ""))
        .then(None)
        .when(is_street)
        .then(pl.lit("街道"))
        .when(is_township)
        .then(pl.lit("乡镇"))
        .when(is_gov)
        .then(gov_level)
        .when(masked.str.contains(_DEPARTMENT_RE))
        .then(dept_level)
        .otherwise(None)
    )


#: Words before the report phrase that name no agency (web menus: "政府信息公开年度报告").
_NOT_AN_AGENCY = r"^(?:政府|人民政府|本机关|本单位|年度|工作|关于.*|印发.*|转发.*|我.{0,2}|本.{0,2})$"


def _is_agency(agency: pl.Expr) -> pl.Expr:
    return agency.is_not_null() & ~agency.str.contains(_NOT_AN_AGENCY)


def _is_plausible_agency(agency: pl.Expr) -> pl.Expr:
    """An agency named without a year must look like one (a unit or a department at its end)."""
    return (agency.str.len_chars() >= 3) & agency.str.contains(rf"(?:{_UNIT}|政府|{_DEPARTMENT_WORDS})$")


def _year_value(year: pl.Expr) -> pl.Expr:
    return cn_year_to_ascii(year).cast(pl.Int32, strict=False)


def find_titles(lines: pl.DataFrame) -> pl.DataFrame:
    """doc, title, title_line, agency_name, title_year: the first title line in the first 40 lines.

    A title line names an agency, optionally a year (digits or 二〇一八), then the report phrase.
    A line with only the year and the phrase takes its agency from the previous non-blank line
    (a title printed on two lines); the title then starts on that line.
    """
    head = lines.filter((pl.col("line_no") <= TITLE_MAX_LINE) & ~pl.col("is_blank")).select("doc", "line_no", "line")
    head = head.with_columns(
        prev_line_no=pl.col("line_no").shift(1).over("doc"),
        prev_line=pl.col("line").shift(1).over("doc"),
    ).filter(pl.col("line").str.contains("报告", literal=True) & (pl.col("line").str.len_chars() <= SHORT_LINE))
    head = (
        with_text_columns(head)
        .with_columns(
            prev_stripped=pl.col("prev_line").str.strip_chars(STRIP_CHARS),
            prev_compact=compact(pl.col("prev_line")),
            one=pl.col("compact").str.extract_groups(TITLE_RE),
            two=pl.col("compact").str.extract_groups(YEAR_ONLY_TITLE_RE),
        )
        .unnest("one", "two", separator="_")
    )
    # "XX县人民政府信息公开…": the shortest agency stops before 政府; "XX县人民政府关于…报告".
    agency_one = pl.col("one_agency").str.replace(r"人民$", "人民政府").str.replace(r"关于$", "")
    year_one = pl.coalesce("one_year", "one_tyear")
    one_ok = _is_agency(agency_one) & (year_one.is_not_null() | _is_plausible_agency(agency_one))
    prev_agency = pl.col("prev_compact").str.replace(r"^[《【「]", "")
    two_ok = (
        pl.col("two_year").is_not_null()
        & prev_agency.str.contains(AGENCY_LINE_RE)
        & _is_agency(prev_agency)
        & ~prev_agency.str.contains("报告", literal=True)
    )
    found = (
        head.filter(one_ok | two_ok)
        .select(
            "doc",
            title=pl.when(one_ok)
            .then(pl.col("stripped"))
            .otherwise(pl.concat_str(pl.col("prev_stripped"), pl.col("stripped"))),
            title_line=pl.when(one_ok).then(pl.col("line_no")).otherwise(pl.col("prev_line_no")).cast(pl.Int32),
            agency_name=pl.when(one_ok).then(agency_one).otherwise(prev_agency),
            title_year=_year_value(pl.when(one_ok).then(year_one).otherwise(pl.col("two_year"))),
        )
        .group_by("doc", maintain_order=True)
        .first()
    )
    return found


# ---------------------------------------------------------------------------------------------
# Dates and years
# ---------------------------------------------------------------------------------------------

_DATE_CORE = r"(?P<y>(?:19|20)\d{2})[年\-/.](?P<m>\d{1,2})[月\-/.](?P<d>\d{1,2})日?"
_CN_DATE_CORE = (
    r"(?P<cy>[〇零○O0一二三四五六七八九]{4})年"
    r"(?P<cm>[一二三四五六七八九十]{1,3})月(?P<cd>[一二三四五六七八九十]{1,3})日"
)
_CHROME = r"(?:来源|信息来源|作者|浏览|点击|字号|阅读|访问|发布机构|发布人|编辑|责任编辑|分享|打印|【|\[)"
#: A line that is a date, maybe labelled 发布时间 and followed by a time or web chrome (来源: …).
TOP_DATE_RE = (
    rf"^(?:发布时间|发布日期|发文日期|成文日期|日期|时间)?:?(?:{_DATE_CORE}|{_CN_DATE_CORE})"
    rf"(?:\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?(?:{_CHROME}.*)?$"
)
#: A bare date line (a signature).
BARE_DATE_RE = rf"^(?:{_DATE_CORE}|{_CN_DATE_CORE})$"
#: 所列数据的统计期限自2018年1月1日起至2018年12月31日止 (on compact text).
PERIOD_RE = r"(?P<py>(?:19|20)\d{2})年0?1月0?1日[^。;]{0,8}?(?:(?:19|20)\d{2}年)?12月31日"


def _date_from_groups(prefix: str) -> pl.Expr:
    s = pl.col(prefix)
    year = pl.coalesce(s.struct.field("y").cast(pl.Int32, strict=False), _year_value(s.struct.field("cy")))
    month = pl.coalesce(s.struct.field("m").cast(pl.Int32, strict=False), cn_small_number(s.struct.field("cm")))
    day = pl.coalesce(s.struct.field("d").cast(pl.Int32, strict=False), cn_small_number(s.struct.field("cd")))
    text = pl.format(
        "{}-{}-{}",
        year.cast(pl.String),
        month.cast(pl.String).str.zfill(2),
        day.cast(pl.String).str.zfill(2),
    )
    return text.str.to_date("%Y-%m-%d", strict=False)


def find_publish_dates(lines: pl.DataFrame, titles: pl.DataFrame) -> pl.DataFrame:
    """doc, publish_date: a date line near the top (up to 5 lines below the title), else a bare
    date line among the last 8 non-blank lines (the signature)."""
    content = lines.filter(~pl.col("is_blank")).select("doc", "line_no", "line")
    content = content.with_columns(from_end=pl.len().over("doc") - pl.int_range(pl.len()).over("doc")).filter(
        pl.col("line").str.len_chars() <= SHORT_LINE
    )
    top = (
        with_text_columns(
            content.join(titles.select("doc", "title_line"), on="doc", how="inner").filter(
                pl.col("line_no") <= pl.col("title_line") + DATE_AFTER_TITLE
            )
        )
        .filter(pl.col("compact").str.contains(TOP_DATE_RE))
        .with_columns(g=pl.col("compact").str.extract_groups(TOP_DATE_RE))
        .select("doc", "line_no", top_date=_date_from_groups("g"))
        .drop_nulls("top_date")
        .group_by("doc")
        .agg(pl.col("top_date").sort_by("line_no").first())
    )
    bottom = (
        with_text_columns(content.filter(pl.col("from_end") <= SIGNATURE_LAST_LINES))
        .filter(pl.col("compact").str.contains(BARE_DATE_RE))
        .with_columns(g=pl.col("compact").str.extract_groups(BARE_DATE_RE))
        .select("doc", "line_no", bottom_date=_date_from_groups("g"))
        .drop_nulls("bottom_date")
        .group_by("doc")
        .agg(pl.col("bottom_date").sort_by("line_no").last())
    )
    return (
        titles.select("doc")
        .join(top, on="doc", how="left")
        .join(bottom, on="doc", how="left")
        .select("doc", publish_date=pl.coalesce("top_date", "bottom_date"))
    )


def find_period_years(lines: pl.DataFrame) -> pl.DataFrame:
    """doc, period_year: the year of the first 统计期限 sentence ("2018年1月1日起至12月31日止")."""
    return (
        with_text_columns(lines.filter(pl.col("line").str.contains(r"12\s*月\s*31\s*日")))
        .filter(pl.col("compact").str.contains("12月31日", literal=True))
        .with_columns(period_year=pl.col("compact").str.extract(PERIOD_RE, 1).cast(pl.Int32, strict=False))
        .drop_nulls("period_year")
        .group_by("doc")
        .agg(pl.col("period_year").sort_by("line_no").first())
    )


# ---------------------------------------------------------------------------------------------
# Statistics table location
# ---------------------------------------------------------------------------------------------

#: 统 计 指 标 | 单 位 | 统 计 数 (compact, pipes removed).
TABLE_HEADER_RE = r"^(?:统计)?指标(?:名称)?(?:计量)?单位(?:统计数|统计数据|数量|数值|数据|数)$"
#: 灵武市临河镇 2018 年度政府信息公开情况 统计表; 附件：…统计表 (compact).
TABLE_TITLE_RE = r"^.{0,50}(?:公开|信息).{0,20}统计表(?:\([^()]{0,12}\))?[:.。]?$"


def table_header_expr(compact: pl.Expr) -> pl.Expr:
    return compact.str.replace_all(r"[|｜]", "").str.contains(TABLE_HEADER_RE)


def table_title_expr(compact: pl.Expr) -> pl.Expr:
    return compact.str.contains(TABLE_TITLE_RE)


def find_table_starts(lines: pl.DataFrame) -> pl.DataFrame:
    """doc, table_start_line, region_start.

    table_start_line: the first table header line, else the first table-title line (…统计表).
    region_start: the earlier of the two; table rows are only read below it.
    """
    marks = with_text_columns(
        lines.filter(pl.col("line").str.contains("[指表]") & (pl.col("line").str.len_chars() <= SHORT_LINE))
    ).with_columns(
        is_header=table_header_expr(pl.col("compact")),
        is_title=table_title_expr(pl.col("compact")),
    )
    return (
        marks.filter(pl.col("is_header") | pl.col("is_title"))
        .group_by("doc")
        .agg(
            header_line=pl.col("line_no").filter(pl.col("is_header")).min(),
            title_line=pl.col("line_no").filter(pl.col("is_title")).min(),
        )
        .select(
            "doc",
            table_start_line=pl.coalesce("header_line", "title_line").cast(pl.Int32),
            region_start=pl.min_horizontal("header_line", "title_line").cast(pl.Int32),
        )
    )
