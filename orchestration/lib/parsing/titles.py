"""The report title: the agency, the year and the report phrase, in the first lines of a document.

Regexes read ``compact`` (NFKC, white space removed), computed only for the short lines that
contain 报告.
"""

from __future__ import annotations

import polars as pl

from orchestration.lib.parsing import divisions
from orchestration.lib.parsing.levels import DEPARTMENT_WORDS, UNIT
from orchestration.lib.parsing.lines import with_text_columns
from orchestration.lib.parsing.text import STRIP_CHARS, cn_year_to_ascii, compact

#: Lines searched for the title.
TITLE_MAX_LINE = 40
#: Titles, date lines and table headers are short: longer lines (paragraphs) are not read.
SHORT_LINE = 100

#: 政府信息公开工作年度报告, 政府信息公开年度报告, 政府信息公开年度工作报告, 政务公开工作报告, ...
REPORT_PHRASE = r"(?:政府信息公开|政务公开|信息公开)(?:和(?:政府信息公开|政务公开))?(?:工作)?(?:年度)?(?:工作)?报告"
_YEAR = r"(?P<year>(?:19|20)\d{2}|二[〇零○O0][〇零○O0一二三四五六七八九]{2})"
#: Han characters, brackets and (inside a name, never at its end) digits: 二九0农场 (二九０ after NFKC).
_AGENCY = r"(?P<agency>[\p{Han}()·][\p{Han}()·0-9]{1,39}?)"
#: After the phrase: nothing, or a note in brackets: （全文）, （2018年度）.
_TRAILER = r"(?:\((?:(?P<tyear>(?:19|20)\d{2})年度?|[^()]{0,20})\))?[》】」]?$"
#: Agency, optional year, report phrase (on the compact line: spaces around the year are gone).
TITLE_RE = rf"^[《【「]?{_AGENCY}(?:{_YEAR}年度?)?{REPORT_PHRASE}{_TRAILER}"
#: Year and report phrase only: the agency is then the previous non-blank line.
YEAR_ONLY_TITLE_RE = rf"^[《【「]?{_YEAR}年度?{REPORT_PHRASE}{_TRAILER}"
#: A line that can be the first line of a two-line title (the agency alone; digits inside, as in _AGENCY).
AGENCY_LINE_RE = r"^[\p{Han}()·][\p{Han}()·0-9]{0,38}[\p{Han}()·]$"

#: Words before the report phrase that name no agency (web menus: "政府信息公开年度报告").
_NOT_AN_AGENCY = r"^(?:政府|人民政府|本机关|本单位|年度|工作|关于.*|印发.*|转发.*|我.{0,2}|本.{0,2})$"


def _is_agency(agency: pl.Expr) -> pl.Expr:
    """Not a non-name (_NOT_AN_AGENCY) and not ending in a digit (a year the title wrote without 年)."""
    return agency.is_not_null() & ~agency.str.contains(_NOT_AN_AGENCY) & ~agency.str.contains(r"[0-9]$")


def _is_plausible_agency(agency: pl.Expr) -> pl.Expr:
    """An agency named without a year must look like one (a unit or a department at its end)."""
    return (agency.str.len_chars() >= 3) & agency.str.contains(rf"(?:{UNIT}|政府|{DEPARTMENT_WORDS})$")


#: Words that only a title in traditional characters has (報告, 公開, 資訊, 政務).
_TRADITIONAL_PHRASES = ["報告", "公開", "資訊", "政務"]


def to_simplified(text: pl.Expr) -> pl.Expr:
    """Traditional → simplified, character by character (jionlp's table, for titles only), leaving
    the characters that simplified division names keep (乾安县 is not 干安县)."""
    traditional, simplified = divisions.name_t2s_chars()
    return text.str.replace_many(traditional, simplified)


def year_value(year: pl.Expr) -> pl.Expr:
    """2018 or 二〇一八 → Int32 (NULL if neither)."""
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
    ).filter(pl.col("line").str.contains_any(["报告", "報告"]) & (pl.col("line").str.len_chars() <= SHORT_LINE))
    # A title in traditional characters (a mirror) is read in simplified ones; the title stays as printed.
    traditional = pl.col("compact").str.contains_any(_TRADITIONAL_PHRASES)
    head = (
        with_text_columns(head)
        .with_columns(prev_compact=compact(pl.col("prev_line")))
        .with_columns(
            compact=pl.when(traditional).then(to_simplified(pl.col("compact"))).otherwise(pl.col("compact")),
            prev_compact=pl.when(traditional)
            .then(to_simplified(pl.col("prev_compact")))
            .otherwise(pl.col("prev_compact")),
        )
        .with_columns(
            prev_stripped=pl.col("prev_line").str.strip_chars(STRIP_CHARS),
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
            title_year=year_value(pl.when(one_ok).then(year_one).otherwise(pl.col("two_year"))),
        )
        .group_by("doc", maintain_order=True)
        .first()
    )
    return found
