"""Province, city, county and short name of the agency (region.find_regions, names, divisions)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from orchestration.lib.parsing import divisions
from orchestration.lib.parsing.lines import explode_lines
from orchestration.lib.parsing.metadata import find_metadata, find_titles
from orchestration.lib.parsing.names import find_name_chains
from orchestration.lib.parsing.region import REGIONS, find_regions

RAW = Path(__file__).resolve().parents[2] / "raw"
TITLE = "2018年政府信息公开工作年度报告"
REGION = ("province", "city", "county", "region_source")


def regions_of(texts: list[str]) -> list[dict]:
    docs = pl.DataFrame({"text": texts}, schema={"text": pl.String}).with_row_index("doc")
    lines = explode_lines(docs)
    out = find_regions(lines, find_titles(lines))
    assert out.schema == REGIONS
    return out.sort("doc").to_dicts()


def region_of(text: str) -> tuple:
    (row,) = regions_of([text])
    return tuple(row[c] for c in REGION)


def test_seeds() -> None:
    rows = regions_of([p.read_text(encoding="utf-8") for p in sorted(RAW.glob("*.txt"))])
    assert [(*(r[c] for c in REGION), r["agency_short_name"]) for r in rows] == [
        ("宁夏回族自治区", "银川市", "灵武市", "title", "临河镇"),
        ("四川省", "眉山市", "仁寿县", "title", "向家镇"),
        ("宁夏回族自治区", "中卫市", "沙坡头区", "title", "机关事务局"),
        ("山东省", "烟台市", "牟平区", "text", "观水镇"),  # 智慧牟平, 牟平政府网; 观水镇 is in 牟平区
        ("甘肃省", "白银市", "平川区", "text", "复兴乡"),  # 平川区, 白银市, 甘肃省 outvote one 资中区
    ]


@pytest.mark.parametrize(
    ("agency", "region"),
    [
        ("灵武市临河镇", ("宁夏回族自治区", "银川市", "灵武市")),
        ("四川省眉山市仁寿县向家镇", ("四川省", "眉山市", "仁寿县")),  # full chain
        ("仁寿向家镇", ("四川省", "眉山市", "仁寿县")),  # short form followed by a deeper name
        ("眉山市向家镇", ("四川省", "眉山市", "仁寿县")),  # the township is unique within the city
        ("灵武市民政局", ("宁夏回族自治区", "银川市", "灵武市")),  # county-level city
        ("银川市民政局", ("宁夏回族自治区", "银川市", None)),  # city department: no county
        ("宁夏回族自治区民政厅", ("宁夏回族自治区", None, None)),  # autonomous region
        ("广西壮族自治区人民政府", ("广西壮族自治区", None, None)),
        ("北京市海淀区人民政府办公室", ("北京市", "北京市", "海淀区")),  # municipality = city
        ("上海市教育委员会", ("上海市", "上海市", None)),
        ("北京市人民政府", ("北京市", "北京市", None)),
        ("仙桃市人民政府", ("湖北省", None, "仙桃市")),  # county-level city under its province
        ("平泉县人民政府", ("河北省", "承德市", "平泉市")),  # renamed: 平泉县 → 平泉市 (2017)
        ("平泉县民政局", ("河北省", "承德市", "平泉市")),
    ],
)
def test_title_chains(agency: str, region: tuple) -> None:
    assert region_of(f"{agency}{TITLE}\n正文。") == (*region, "title")


@pytest.mark.parametrize(
    ("agency", "region", "short", "level"),
    [
        # A prefecture-level city whose name is also a district's stem (白银市 / 白银区, 本溪市 /
        # 本溪满族自治县): 白银 + 市 is the city, not the district read through another unit.
        ("白银市", ("甘肃省", "白银市", None), "白银市", "市政府"),
        ("白银市人民政府", ("甘肃省", "白银市", None), "白银市人民政府", "市政府"),
        ("白银市民政局", ("甘肃省", "白银市", None), "民政局", "市部门"),
        ("本溪市人民政府", ("辽宁省", "本溪市", None), "本溪市人民政府", "市政府"),
        ("白银区人民政府", ("甘肃省", "白银市", "白银区"), "白银区人民政府", "县区政府"),
        ("白银市白银区人民政府", ("甘肃省", "白银市", "白银区"), "白银区人民政府", "县区政府"),
        # Only a short form with another unit fits: still read (平泉县, renamed 平泉市).
        ("平泉县人民政府", ("河北省", "承德市", "平泉市"), "平泉县人民政府", "县区政府"),
    ],
)
def test_a_city_named_like_a_district_is_the_city(agency: str, region: tuple, short: str, level: str) -> None:
    docs = pl.DataFrame({"text": [f"{agency}{TITLE}\n正文。"]}).with_row_index("doc")
    row = find_metadata(explode_lines(docs)).row(0, named=True)
    assert (row["province"], row["city"], row["county"]) == region
    assert (row["region_source"], row["agency_short_name"], row["agency_level"]) == ("title", short, level)


def test_title_wins_over_text() -> None:
    text = f"沙坡头区机关事务局{TITLE}\n" + "成都市、成都市、四川省成都市武侯区。\n" * 5
    assert region_of(text) == ("宁夏回族自治区", "中卫市", "沙坡头区", "title")


def test_unique_township_alone_resolves_by_title_only_without_text() -> None:
    n = divisions.names().filter((pl.col("token") == "观水镇") & (pl.col("level") == "township")).height
    assert n == 1  # unique nationwide in the dataset
    assert region_of(f"观水镇{TITLE}\n全年公开信息10条。") == ("山东省", "烟台市", "牟平区", "title")


def test_ambiguous_township_is_not_guessed() -> None:
    assert divisions.names().filter(pl.col("token") == "复兴乡").height > 1
    assert region_of(f"复兴乡{TITLE}\n全年公开信息10条。") == (None, None, None, None)
    # 临河镇 exists twice: and 临河 inside the agency's own name is no mention of 临河区 (内蒙古).
    assert region_of(f"临河镇{TITLE}\n临河镇全年公开信息10条，临河镇政府网站。") == (None, None, None, None)


def test_text_resolves_what_the_title_leaves_open() -> None:
    # An ambiguous township: the text picks the county that has it.
    assert region_of(f"复兴乡{TITLE}\n按照白银市平川区要求，平川区统一平台。") == (
        "甘肃省",
        "白银市",
        "平川区",
        "text",
    )
    # A township under a city (not in the dataset): the text adds its county.
    assert region_of(f"银川市某某镇{TITLE}\n按照灵武市要求，灵武市政府网站。") == (
        "宁夏回族自治区",
        "银川市",
        "灵武市",
        "text",
    )
    # No administrative name in the title at all.
    assert region_of(f"机关事务局{TITLE}\n本报告电子版可在“智慧牟平”下载，牟平政府网。") == (
        "山东省",
        "烟台市",
        "牟平区",
        "text",
    )


def test_conflicting_mentions() -> None:
    # Two provinces as often: no province.
    assert region_of(f"某某镇{TITLE}\n根据成都市要求。白银市文件。") == (None, None, None, None)
    # One city, two of its counties as often: the city only.
    assert region_of(f"某某镇{TITLE}\n白银市、白银市，平川区、白银区。") == ("甘肃省", "白银市", None, "text")
    # A county inconsistent with the rest loses.
    text = f"某某镇{TITLE}\n甘肃省白银市平川区。白银市平川区。资中县文件。"
    assert region_of(text) == ("甘肃省", "白银市", "平川区", "text")


def test_area_code() -> None:
    # Nothing named: the phone's area code gives province and city.
    assert region_of(f"某某镇{TITLE}\n全年公开信息10条。联系电话：0943-6850168。") == (
        "甘肃省",
        "白银市",
        None,
        "area_code",
    )
    # Only the province named: the area code adds the city.
    assert region_of(f"某某镇{TITLE}\n根据甘肃省要求。电话(0943)6850168") == ("甘肃省", "白银市", None, "area_code")
    # A county-level city directly under its province.
    assert region_of(f"某某镇{TITLE}\n联系电话：0728-5221234") == ("湖北省", None, "天门市", "area_code")
    # A 12345 hotline or an unknown code is no area code.
    assert region_of(f"某某镇{TITLE}\n热线12345，电话0000-1234567。") == (None, None, None, None)


def test_common_words_are_no_places() -> None:
    # 公安 (公安县), 和平 (和平区), 城关 (城关区) are words here.
    text = f"某某镇{TITLE}\n公安机关、公安局配合，和平稳定，城关片区。"
    assert region_of(text) == (None, None, None, None)
    assert region_of(f"公安局{TITLE}\n正文。") == (None, None, None, None)
    # Street names are no mentions of the place they are named after.
    text = f"某某镇{TITLE}\n镇政府位于北京西路，北京西路、上海路、北京街道。按照白银市要求。"
    assert region_of(text) == ("甘肃省", "白银市", None, "text")


def test_short_forms_run_into_a_word_are_no_places() -> None:
    # 和政 (和政县, 甘肃省临夏回族自治州) run into 政务: "网站和政务新媒体" names no place. Seen at 100k
    # generated reports: 和平区医疗保障局 (天津) and 鼓楼区医疗保障局 (福建) were both put in 和政县 and
    # linked into one agency across years.
    text = f"某某局{TITLE}\n做好网站和政务新媒体的日常监测，发挥政务新媒体和政务公开专区作用。"
    assert region_of(text) == (None, None, None, None)
    # The county named in full is still a mention, also before a frequent word.
    assert region_of(f"某某镇{TITLE}\n按照和政县政务公开要求，和政县统一部署。") == (
        "甘肃省",
        "临夏回族自治州",
        "和政县",
        "text",
    )
    # A suffix after the short form makes it the place's name, never a decoy (仁寿县城).
    assert region_of(f"某某镇{TITLE}\n仁寿县城区，仁寿县要求。") == ("四川省", "眉山市", "仁寿县", "text")


@pytest.mark.parametrize(
    ("agency", "short", "unit"),
    [
        ("灵武市临河镇", "临河镇", "township"),
        ("仁寿县向家镇", "向家镇", "township"),
        ("沙坡头区机关事务局", "机关事务局", "county"),
        ("观水镇", "观水镇", "township"),
        ("复兴乡", "复兴乡", "township"),
        ("某县人民政府", "某县人民政府", None),  # a government keeps its own place
        ("某县某某局", "某某局", None),  # not in the dataset: leading units stripped by pattern
        ("阳朔县人民政府", "阳朔县人民政府", "county"),
        ("北京市海淀区人民政府", "海淀区人民政府", "county"),
        ("甘肃省人民政府", "甘肃省人民政府", "province"),
        ("唐山市", "唐山市", "city"),
        ("北京市海淀区人民政府办公室", "人民政府办公室", "county"),
        ("北京市教育委员会", "教育委员会", "province"),
        ("银川市民政局", "民政局", "city"),
        ("仁寿县", "仁寿县", "county"),  # only places: the last one
        ("新市镇", "新市镇", "township"),
        ("机关事务局", "机关事务局", None),
    ],
)
def test_short_names_and_units(agency: str, short: str, unit: str | None) -> None:
    chains = find_name_chains(
        pl.DataFrame({"doc": [0], "agency_name": [agency]}, schema={"doc": pl.UInt32, "agency_name": pl.String})
    )
    assert chains.select("short_name", "name_unit").row(0) == (short, unit)


def test_levels_use_the_region() -> None:
    texts = [
        f"{agency}{TITLE}\n正文。" for agency in ("灵武市民政局", "银川市民政局", "北京市教育委员会", "仙桃市人民政府")
    ]
    docs = pl.DataFrame({"text": texts}).with_row_index("doc")
    meta = find_metadata(explode_lines(docs))
    assert meta["agency_level"].to_list() == ["县区部门", "市部门", "省部门", "县区政府"]


def test_empty_batch() -> None:
    lines = explode_lines(pl.DataFrame({"text": []}, schema={"text": pl.String}).with_row_index("doc"))
    assert find_regions(lines, find_titles(lines)).is_empty()
    assert find_metadata(lines).is_empty()


def test_dataset_is_read_once() -> None:
    assert divisions.nodes() is divisions.nodes()
    assert divisions.names() is divisions.names()
    nodes = divisions.nodes()
    assert set(nodes["level"].unique()) == {"province", "city", "county", "township"}
    assert nodes.filter(pl.col("level") == "province").height == 31  # mainland provinces
    assert not nodes["name"].str.contains("直辖").any()
    codes = divisions.area_codes()
    assert codes.filter(pl.col("area_code") == "0943").select("province", "city").row(0) == ("甘肃省", "白银市")
