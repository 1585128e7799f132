"""Agency level from the agency name: 乡镇 | 街道 | 县区政府 | 县区部门 | 市政府 | 市部门 | 省政府 | 省部门.

Township and street offices by their suffix; a government (…人民政府, …政府, or a bare place name)
by its own administrative unit; a department (…局, …委, …办公室, …中心, …) by the unit before
it. The unit's level comes from the division dataset when the caller passes it (``name_unit`` of
region.find_regions: 灵武市 is a county-level city, 银川市 a prefecture) and otherwise from the
unit's suffix (a 市 right under another 市/州/盟/地区 is a county-level city; 北京/上海/天津/重庆市
are provincial).
"""

from __future__ import annotations

import polars as pl

#: Administrative units, longest alternatives first where one is a suffix of another.
UNIT = r"(?:特别行政区|自治区|省|自治州|地区|市|州|盟|自治县|自治旗|县|旗|林区|新区|区|街道|镇|乡|苏木)"
#: One administrative unit of a name prefix (its name plus the unit word).
_UNIT_RE = rf"\p{{Han}}{{1,12}}?{UNIT}"
_PREFIX_RE = rf"^(?:{_UNIT_RE})+"
#: Words that contain a unit character but are no place (masked before looking for units).
NOT_PLACES = [
    "城市", "市场", "都市", "超市", "市容", "城乡", "乡镇", "城镇", "乡村",
    "社区", "园区", "景区", "小区", "片区", "辖区",
    # 市民 and 市政 only in these phrases: 银川市民政局 and 银川市政府 are 银川市's.
    "市民服务", "市民中心", "市民之家", "市政工程", "市政公用", "市政设施", "市政管理", "市政园林",
]  # fmt: skip
_MASKED = ["〓" * len(w) for w in NOT_PLACES]
#: Department-like name endings.
DEPARTMENT_WORDS = (
    r"(?:局|委|委员会|办|办公室|厅|中心|院|所|站|处|部|署|队|馆|会|社|台|科|室|组|集团|公司|"
    r"管委会|管理处)"
)
_DEPARTMENT_RE = rf"{DEPARTMENT_WORDS}$"
_PROVINCE_CITIES = r"^(?:北京|上海|天津|重庆)市$"
_STREET_RE = r"(?:街道|街道办事处|街道办)(?:人民政府|政府|党工委)?$"
_TOWNSHIP_RE = r"(?:镇|乡|苏木)(?:人民政府|政府)?$"
_GOVERNMENT_RE = r"(?:人民政府|政府|行政公署)$"

#: name_unit (region.find_regions) → unit class.
_NAME_UNIT_CLASS = {"province": "province", "city": "prefecture", "county": "county", "township": "township"}
#: Unit word → unit class.
_SUFFIX_CLASS = {
    "省": "province", "自治区": "province", "特别行政区": "province",
    "市": "prefecture", "州": "prefecture", "自治州": "prefecture", "地区": "prefecture", "盟": "prefecture",
    "县": "county", "自治县": "county", "旗": "county", "自治旗": "county", "区": "county", "新区": "county",
    "林区": "county", "镇": "township", "乡": "township", "苏木": "township", "街道": "street",
}  # fmt: skip
#: "kind:class" → level (kind: gov | dept).
_LEVELS = {
    "gov:province": "省政府", "gov:prefecture": "市政府", "gov:county": "县区政府",
    "dept:province": "省部门", "dept:prefecture": "市部门", "dept:county": "县区部门",
    "gov:township": "乡镇", "dept:township": "乡镇", "gov:street": "街道", "dept:street": "街道",
}  # fmt: skip


def mask_not_places(name: pl.Expr) -> pl.Expr:
    """``name`` with the words of NOT_PLACES masked (〓, one per character)."""
    return name.str.replace_many(NOT_PLACES, _MASKED)


def _unit_class(unit: pl.Expr) -> pl.Expr:
    """province | prefecture | county | township | street for a unit (e.g. 灵武市, 临河镇)."""
    by_suffix = unit.str.extract(rf"({UNIT})$", 1).replace_strict(_SUFFIX_CLASS, default=None, return_dtype=pl.String)
    return pl.when(unit.str.contains(_PROVINCE_CITIES)).then(pl.lit("province")).otherwise(by_suffix)


def agency_level(name: pl.Expr, name_unit: pl.Expr | None = None) -> pl.Expr:
    """乡镇 | 街道 | 县区政府 | 县区部门 | 市政府 | 市部门 | 省政府 | 省部门 | NULL from an agency name.

    ``name_unit`` (optional): the level of the name's own administrative unit from the division
    dataset (province | city | county | township, NULL when unknown), e.g. the ``name_unit``
    column of region.find_regions; it overrides the suffix rule (灵武市民政局 → 县区部门).
    Each sub-expression appears once (a nested when/then tree is slow in polars).
    """
    masked = mask_not_places(name)
    is_gov = masked.str.contains(_GOVERNMENT_RE) | (masked.str.extract(_PREFIX_RE, 0) == masked)
    kind = (
        pl.when(name.str.contains(_STREET_RE))
        .then(pl.lit("street"))
        .when(name.str.contains(_TOWNSHIP_RE))
        .then(pl.lit("township"))
        .when(is_gov)
        .then(pl.lit("gov"))
        .when(masked.str.contains(_DEPARTMENT_RE))
        .then(pl.lit("dept"))
    )
    # The unit the agency belongs to: the last one of the name's leading places.
    units = masked.str.replace(_GOVERNMENT_RE, "").str.extract(_PREFIX_RE, 0).str.extract_all(_UNIT_RE)
    last = units.list.get(-1, null_on_oob=True)
    # A 市 right under another prefecture-level unit is a county-level city (银川市灵武市).
    city_in_city = last.str.ends_with("市") & (
        _unit_class(units.list.get(-2, null_on_oob=True)) == "prefecture"
    ).fill_null(False)
    cls = pl.when(city_in_city).then(pl.lit("county")).otherwise(_unit_class(last))
    if name_unit is not None:
        cls = pl.coalesce(name_unit.replace_strict(_NAME_UNIT_CLASS, default=None, return_dtype=pl.String), cls)
    by_kind = pl.concat_str(kind, pl.lit(":"), cls).replace_strict(_LEVELS, default=None, return_dtype=pl.String)
    return (
        pl.when(kind == "street").then(pl.lit("街道")).when(kind == "township").then(pl.lit("乡镇")).otherwise(by_kind)
    )


def agency_level_with_region(name: pl.Expr, name_unit: pl.Expr) -> pl.Expr:
    """agency_level with the dataset's level of the name's unit (region.find_regions' name_unit)."""
    return agency_level(name, name_unit)
