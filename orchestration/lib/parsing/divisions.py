"""China's administrative divisions as polars frames, from the data files jionlp ships.

jionlp (https://github.com/dongrixinyu/JioNLP) maintains ``dictionary/china_location.zip``
(province / city / county with adcodes and short forms, then townships and villages, one per
line, indented by tabs), ``china_location_change.txt`` (renamed counties and cities) and
``landline_phone_area_code.txt`` ("0943 甘肃/白银"). Only the files are read (located through the
installed distribution, without importing jionlp, whose import is slow and unzips files into
site-packages); they are parsed once per process with polars.

NODES: one row per division down to townships (villages are dropped):
    level (province | city | county | township), name, short (短名 of a province, city or county),
    province, city, county, township (full names of the node and its ancestors; a city is NULL
    under 省直辖行政区划, a county NULL under 市直辖行政区划), adcode.
NAMES: every name a division goes by, for lookups: token, kind (full | short | old), depth
    (0 province … 3 township), common (a short or two-character name that is a common word:
    frequent in jionlp's idf table, e.g. 和平, 公安, 城区), and the node columns.
AREA_CODES: area_code, province, city, county (a county when the code is a county-level city
    directly under its province, e.g. 0728 天门市).
"""

from __future__ import annotations

import io
import zipfile
from functools import cache
from importlib.metadata import PackageNotFoundError, distribution

import polars as pl

PACKAGE = "jionlp"
LOCATION_ZIP = "jionlp/dictionary/china_location.zip"
LOCATION_CHANGE = "jionlp/dictionary/china_location_change.txt"
AREA_CODE_FILE = "jionlp/dictionary/landline_phone_area_code.txt"
IDF_ZIP = "jionlp/dictionary/idf.zip"
T2S_FILE = "jionlp/dictionary/tra2sim_char.txt"
#: A short form (or a two-character name) whose idf in jionlp's news corpus is below this is a
#: common word (合作 5.5, 和平 6.7, 公安 8.3, 惠民 9.1, 城关 9.5), not evidence of a place;
#: rarer ones are kept (仁寿 9.8, 平川 10.2, 牟平 11.2).
COMMON_IDF = 9.7

LEVELS = ("province", "city", "county", "township")
NODE_COLUMNS = ("level", "province", "city", "county", "township")
#: 省直辖行政区划, 市直辖行政区划, 县直辖行政区划: placeholders of the dataset, no real division.
_PLACEHOLDER = "直辖"
#: Adcodes of Taiwan (71), Hong Kong (81) and Macao (82): no such reports, and their district
#: names (中山区, 大安区, 东区, ...) would only collide with mainland ones.
_OUTSIDE = r"^(?:71|81|82)"


def _data_path(relative: str):
    try:
        path = distribution(PACKAGE).locate_file(relative)
    except PackageNotFoundError as exc:  # pragma: no cover - an install problem
        raise RuntimeError(f"{PACKAGE} is not installed: the administrative-division data comes from it") from exc
    if not path.exists():  # pragma: no cover
        raise RuntimeError(f"{PACKAGE} does not ship {relative}")
    return path


def _read_zip_text(relative: str) -> str:
    with zipfile.ZipFile(io.BytesIO(_data_path(relative).read_bytes())) as zf:
        return zf.read(zf.namelist()[0]).decode("utf-8")


def _lines(text: str) -> pl.DataFrame:
    return pl.DataFrame({"raw": [text]}).select(pl.col("raw").str.split("\n")).explode("raw")


@cache
def nodes() -> pl.DataFrame:
    """NODES (see the module docstring), read once per process."""
    raw = _lines(_read_zip_text(LOCATION_ZIP)).with_columns(
        depth=pl.col("raw").str.len_bytes() - pl.col("raw").str.strip_chars_start("\t").str.len_bytes(),
    )
    raw = raw.filter((pl.col("depth") < 4) & (pl.col("raw").str.strip_chars() != ""))
    fields = pl.col("raw").str.strip_chars().str.split("\t")
    raw = raw.with_columns(
        name=fields.list.get(0),
        adcode=fields.list.get(1, null_on_oob=True),
        short=fields.list.get(2, null_on_oob=True),
    )

    def at(depth: int) -> pl.Expr:
        # The enclosing division of this depth: set on its own line, carried down, reset above it.
        own = pl.when(pl.col("depth") == depth).then(pl.col("name"))
        reset = pl.when(pl.col("depth") < depth).then(pl.lit(""))
        return pl.coalesce(own, reset).forward_fill().replace("", None)

    frame = raw.with_columns(
        province=at(0),
        city=at(1),
        county=at(2),
        township=at(3),
        province_code=pl.when(pl.col("depth") == 0).then(pl.col("adcode")).forward_fill(),
        level=pl.col("depth").replace_strict(dict(enumerate(LEVELS)), return_dtype=pl.String),
    )
    placeholder = pl.col("name").str.contains(_PLACEHOLDER, literal=True)
    frame = (
        frame.filter(~pl.col("province_code").str.contains(_OUTSIDE))
        .with_columns(
            city=pl.when(pl.col("city").str.contains(_PLACEHOLDER, literal=True)).then(None).otherwise("city"),
            county=pl.when(pl.col("county").str.contains(_PLACEHOLDER, literal=True)).then(None).otherwise("county"),
        )
        .filter(~placeholder)
    )
    return frame.select(
        "level",
        "name",
        pl.when(pl.col("level") != "township").then(pl.col("short")).alias("short"),
        "province",
        "city",
        "county",
        "township",
        "adcode",
    ).unique(maintain_order=True)


def _common_words(max_idf: float = COMMON_IDF) -> pl.Series:
    """Words of jionlp's idf table more frequent than ``max_idf`` (default COMMON_IDF)."""
    return _idf().filter(pl.col("idf") < max_idf)["word"]


@cache
def _idf() -> pl.DataFrame:
    """word, idf: jionlp's idf table (read once per process)."""
    fields = _lines(_read_zip_text(IDF_ZIP)).select(pl.col("raw").str.strip_chars().str.split("\t"))
    return fields.select(
        word=pl.col("raw").list.get(0),
        idf=pl.col("raw").list.get(1, null_on_oob=True).cast(pl.Float64, strict=False),
    )


def common_words(max_idf: float) -> pl.Series:
    """Words of jionlp's idf table (its news corpus) with an idf below ``max_idf``."""
    return _common_words(max_idf)


def _renamed() -> pl.DataFrame:
    """Old county and city names → their current node (平泉县 → 平泉市, 襄樊市 → 襄阳市)."""
    text = _data_path(LOCATION_CHANGE).read_text(encoding="utf-8")
    sides = (
        _lines(text)
        .filter(pl.col("raw").str.contains("=>", literal=True))
        .select(
            old=pl.col("raw").str.split("=>").list.get(0).str.split("\t"),
            new=pl.col("raw").str.split("=>").list.get(1).str.strip_chars().str.split("\t"),
        )
    )
    is_county = pl.col("new").list.len() == 3
    return sides.select(
        token=pl.when(is_county).then(pl.col("old").list.get(6, null_on_oob=True)).otherwise(pl.col("old").list.get(4)),
        level=pl.when(is_county).then(pl.lit("county")).otherwise(pl.lit("city")),
        province=pl.col("new").list.get(0),
        city=pl.col("new").list.get(1),
        county=pl.col("new").list.get(2, null_on_oob=True),
    ).drop_nulls("token")


@cache
def names() -> pl.DataFrame:
    """NAMES: token → node, for full names, short forms (≥ 2 characters) and old names."""
    node = nodes()
    full = node.select(pl.col("name").alias("token"), pl.lit("full").alias("kind"), *NODE_COLUMNS)
    short = (
        node.filter(pl.col("short").is_not_null() & (pl.col("level") != "township"))
        .with_columns(token=pl.col("short").str.split("/"))
        .explode("token")
        .filter((pl.col("token").str.len_chars() >= 2) & (pl.col("token") != pl.col("name")))
        .select("token", pl.lit("short").alias("kind"), *NODE_COLUMNS)
    )
    current = set(node["name"].to_list())
    old = (
        _renamed()
        .filter(~pl.col("token").is_in(list(current)))
        .join(node.select(*NODE_COLUMNS), on=["level", "province", "city", "county"], how="inner", nulls_equal=True)
        .select("token", pl.lit("old").alias("kind"), *NODE_COLUMNS)
    )
    out = pl.concat([full, short, old]).unique(maintain_order=True)
    words = _common_words().implode()
    common = ((pl.col("kind") == "short") | (pl.col("token").str.len_chars() <= 2)) & (pl.col("level") != "province")
    return out.with_columns(
        depth=pl.col("level").replace_strict({lv: i for i, lv in enumerate(LEVELS)}, return_dtype=pl.Int8),
        common=common & pl.col("token").is_in(words),
    )


@cache
def area_codes() -> pl.DataFrame:
    """AREA_CODES: 0943 → 甘肃省 / 白银市; 0728 → 湖北省 / NULL / 天门市."""
    text = _data_path(AREA_CODE_FILE).read_text(encoding="utf-8")
    codes = (
        _lines(text)
        .filter(pl.col("raw").str.contains(r"^\d+\s+\S+/\S+"))
        .select(
            area_code=pl.col("raw").str.extract(r"^(\d+)", 1),
            p_short=pl.col("raw").str.extract(r"\s(\S+)/", 1),
            c_short=pl.col("raw").str.extract(r"/(\S+)\s*$", 1),
        )
    )
    node = nodes()
    provinces = node.filter(pl.col("level") == "province").select(p_short=pl.col("short"), province=pl.col("province"))
    places = (
        node.filter(pl.col("level").is_in(["city", "county"]) & pl.col("short").is_not_null())
        .with_columns(c_short=pl.col("short").str.split("/"))
        .explode("c_short")
        .select("province", "c_short", "level", "city", "county")
    )
    resolved = codes.join(provinces, on="p_short", how="inner").join(places, on=["province", "c_short"], how="inner")
    # A city wins over a county of the same short name (吉林 → 吉林市, not a 吉林 county).
    return (
        resolved.sort("area_code", pl.col("level") != "city")
        .group_by("area_code", maintain_order=True)
        .first()
        .select(
            "area_code",
            "province",
            "city",
            county=pl.when(pl.col("level") == "county").then(pl.col("county")),
        )
    )


@cache
def t2s_chars() -> tuple[list[str], list[str]]:
    """jionlp's traditional → simplified character table as (traditional, simplified) lists."""
    text = _data_path(T2S_FILE).read_text(encoding="utf-8")
    pairs = (
        _lines(text)
        .select(pl.col("raw").str.strip_chars().str.split("\t"))
        .filter(pl.col("raw").list.len() == 2)
        .select(t=pl.col("raw").list.get(0), s=pl.col("raw").list.get(1))
        .filter((pl.col("t").str.len_chars() == 1) & (pl.col("s").str.len_chars() == 1) & (pl.col("t") != pl.col("s")))
        .unique("t", keep="first", maintain_order=True)
    )
    return pairs["t"].to_list(), pairs["s"].to_list()


@cache
def name_t2s_chars() -> tuple[list[str], list[str]]:
    """t2s_chars without the characters that simplified division names keep.

    The table maps 乾 → 干 and 於 → 于, right in running text (乾淨) and wrong in a name: 乾安县
    stays 乾安县. A character that any current division name writes is left as it is.
    """
    traditional, simplified = t2s_chars()
    kept = set("".join(nodes()["name"].to_list()))
    pairs = [(t, s) for t, s in zip(traditional, simplified, strict=True) if t not in kept]
    return [t for t, _ in pairs], [s for _, s in pairs]
