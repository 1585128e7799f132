"""The report model: an agency, a year, a template, table cells, layout and noise options.

Everything a renderer needs is in a ``GovReport``; rendering it (``bench.corpus.gov.render``) is a pure
function of the report, so the same report always gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

Key = tuple[str, str]  # (indicator_code, breakdown)
Number = int | float

TableFormat = Literal["tabs", "tabs_word", "spaces", "cells", "pipes", "markdown", "html"]
T4Format = Literal["row", "split", "lines"]
HeaderFormat = Literal["word", "flat", "split"]
TitleStyle = Literal["plain", "niandu", "spaced", "two_line"]
PageMark = Literal["dash", "page", "hyphen", "page_of"]


@dataclass(frozen=True)
class Cell:
    """A printed table cell: its value (None when blank or an empty marker) and its text as printed."""

    value: Number | None
    raw: str


@dataclass(frozen=True)
class Agency:
    name: str  # as titled, e.g. 德清县莫干山镇人民政府
    level: str  # 乡镇 | 街道 | 县区政府 | 县区部门 | 市政府 | 市部门 | 省政府 | 省部门
    province: str
    city: str = ""  # '' when the agency is above the city (a province's department)
    county: str = ""  # '' when the agency is above the county
    self_ref: str = "本机关"  # how the prose names the agency: 我镇, 本局, 我街道
    office: str = "办公室"  # the office to contact
    address: str = ""
    phone: str = ""
    email: str = ""
    site_name: str = ""  # 德清县人民政府门户网站
    site_url: str = ""


@dataclass(frozen=True)
class PageBreak:
    """A page break printed just before the row ``before`` of table ``table_no`` (or inside the prose)."""

    table_no: int  # 2, 3 or 4; 0 = in the prose of section 一, cutting a word in two
    before: str = ""  # indicator_code of the first row on the new page
    mark: PageMark = "dash"
    page: int = 3
    running_header: bool = False  # the report title repeated at the top of the new page
    repeat_table_header: bool = False  # the table's column header repeated on the new page


@dataclass(frozen=True)
class Layout:
    """How the tables become text (or HTML)."""

    table: TableFormat = "tabs"
    t4: T4Format = "row"
    header: HeaderFormat = "word"
    merged_labels: bool = False  # 表三 group labels share the line of their first child (三、…<TAB>（一）…)
    wrap: tuple[str, ...] = ()  # codes whose label is wrapped over two lines
    wrap_mode: Literal["before", "after"] = "before"  # label head alone, then tail + cells | head + cells, tail
    stray_spaces: tuple[str, ...] = ()  # codes whose label carries a stray space
    page_breaks: tuple[PageBreak, ...] = ()
    title: TitleStyle = "plain"
    top_date: bool = False  # a 发布日期 line under the title (the signature date is always printed)
    chrome: bool = False  # plain text copied from a web page: navigation, 发布时间/来源/字号 line, 上一条/下一条
    extension: str = ".txt"


@dataclass(frozen=True)
class Noise:
    """Printing details of values and labels."""

    fullwidth: bool = False  # all table digits full-width (１２)
    thousands: bool = False  # 1,254
    plus_sign: bool = False  # 本年增/减 printed +3
    markers: dict[Key, str] = field(default_factory=dict)  # cells printed blank or with an empty marker
    money_in_yuan: tuple[Key, ...] = ()  # 万元 cells printed in 元 with the unit: 251000元 (= 25.1)
    labels: dict[str, str] = field(default_factory=dict)  # printed label per code (mixed 2019/2021 labels)
    encoding: Literal["utf-8", "utf-8-sig", "gbk"] = "utf-8"
    crlf: bool = False


@dataclass(frozen=True)
class Plant:
    """A planted inconsistency: ``delta`` added to a printed cell after the consistent numbers are made."""

    key: Key
    delta: Number


@dataclass(frozen=True)
class GovReport:
    """One report: identity, numbers (generated from ``seed`` unless fixed) and presentation."""

    file: str  # path relative to the corpus root, e.g. g01_deqing_moganshan_2021.txt
    agency: Agency
    year: int
    template: Literal["gov2019", "gov2021"]
    publish_date: dt.date
    seed: int
    scale: int = 10  # about how many requests a year the agency receives
    fixed: dict[Key, Number] = field(default_factory=dict)  # inputs the generator must respect
    plants: tuple[Plant, ...] = ()
    prose_new_requests: int | None = None  # restate 本年新收 总计 as this number (a planted disagreement)
    layout: Layout = field(default_factory=Layout)
    noise: Noise = field(default_factory=Noise)


@dataclass(frozen=True)
class TruthRow:
    file: str
    indicator_code: str
    breakdown: str
    value: Number | None
    raw_value: str


@dataclass(frozen=True)
class Restatement:
    """A table number restated in the prose."""

    file: str
    indicator_code: str
    breakdown: str
    value: Number
    text: str  # the phrase as printed, e.g. 共收到政府信息公开申请13件


@dataclass(frozen=True)
class SectionTruth:
    file: str
    section_no: int
    heading: str
    start_line: int | None  # None for HTML (its lines are the parser's derived text)


@dataclass(frozen=True)
class Rendered:
    report: GovReport
    content: bytes
    truth: tuple[TruthRow, ...]
    restatements: tuple[Restatement, ...]
    sections: tuple[SectionTruth, ...]
    title: str
