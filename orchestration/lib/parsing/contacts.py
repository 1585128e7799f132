"""Contact details of the publishing agency: address, postcode, phone, e-mail, website.

Reports end their preamble with "如有疑问请与…联系（地址：…；邮编：…；联系电话：…；电子邮箱：…）".
Only lines with such a cue are read (NFKC, so full-width digits and ＠ are ASCII), each joined to
the next non-blank line: a page break may cut a field ("邮编:755" / "000;联系电话"). Per document
and field the first match in line order wins. Labels are read in simplified and in traditional
characters (郵編, 郵政編碼, 聯繫電話, 電子郵箱: their OpenCC s2t, s2hk and s2tw forms, built once per
process); values are kept as printed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import polars as pl

#: A line that may hold contact details (a website is found by its http/www/gov.cn, not by 网站);
#: their traditional forms are cues too.
CUE_WORDS = [
    "电话",
    "邮编",
    "邮政编码",
    "地址",
    "邮箱",
    "信箱",
    "mail",
    "MAIL",
    "Mail",
    "http",
    "www",
    "gov.cn",
    "@",
    "＠",
]
#: Labels (simplified; their traditional forms are read too), longest first where one ends another.
POSTCODE_LABELS = ("邮编", "邮政编码")
PHONE_LABELS = ("联系电话", "咨询电话", "办公电话", "监督电话", "服务电话", "电话号码", "电话")
ADDRESS_LABELS = ("通讯地址", "通信地址", "联系地址", "办公地址", "单位地址", "地址")
#: Words that join a label to its value besides a colon (电话为…, 地址是…).
LINK_WORDS = ("为", "是")
#: ``…地址`` that is no postal address (masked before reading the address).
NOT_ADDRESS_LABELS = tuple(
    f"{w}地址" for w in ("网站", "网页", "网络", "电子邮件", "电子邮箱", "邮件", "邮箱", "链接", "IP", "ip")
)
#: Labels of the fields an address runs into when the line had no delimiter.
AFTER_ADDRESS_LABELS = ("邮编", "邮政编码", "联系电话", "电话", "传真", "电子邮箱", "邮箱", "网址", "联系人")
#: OpenCC configurations whose forms of the labels are read.
TRADITIONAL_CONFIGS = ("s2t", "s2hk", "s2tw")

EMAIL_RE = r"[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
#: URL characters (ASCII only: Chinese text may follow without a space).
_URL_TAIL = r"[A-Za-z0-9\-._~/?#@!$&*+=%:]*"
#: http(s)://…, else www.…, else a *.gov.cn host.
WEBSITE_RES = (
    rf"https?://[A-Za-z0-9.-]+{_URL_TAIL}",
    rf"www\.[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?:/{_URL_TAIL})?",
    rf"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.gov\.cn(?:/{_URL_TAIL})?",
)


@cache
def _converters() -> tuple:  # opencc ships no type hints
    import opencc

    return tuple(opencc.OpenCC(config) for config in TRADITIONAL_CONFIGS)


def both_scripts(words: Sequence[str]) -> list[str]:
    """Each word followed by its traditional forms (联系电话 → 联系电话, 聯繫電話), without repeats."""
    out: dict[str, None] = {}
    for word in words:
        out[word] = None
        for converter in _converters():
            out[converter.convert(word)] = None
    return list(out)


@dataclass(frozen=True)
class ContactPatterns:
    """The regexes of the fields, their labels in both scripts."""

    cue_words: list[str]
    postcode: str  # group 1: 6 digits after 邮编 / 邮政编码
    phone: str  # group 1: the agency's number
    address: str  # group 1: 地址：… up to a delimiter
    not_address: str  # 网站地址 and the like
    after_address: str  # the next field an address ran into, to the end


@cache
def contact_patterns() -> ContactPatterns:
    """ContactPatterns, built once per process."""

    def alt(words: Sequence[str]) -> str:
        return "|".join(both_scripts(words))

    link = rf"(?:[:：]|{alt(LINK_WORDS)})"
    return ContactPatterns(
        cue_words=both_scripts(CUE_WORDS),
        postcode=rf"(?:{alt(POSTCODE_LABELS)})\s*[:：]?\s*(\d{{6}})(?:\D|$)",
        # A landline with area code (028-37010111, (0943)6850168), a local number (6850168) or a
        # mobile; service hotlines such as 12345 are too short to match.
        phone=(
            rf"(?:{alt(PHONE_LABELS)})\s*{link}?\s*"
            r"((?:\(0\d{2,3}\)\s?|0\d{2,3}\s?[-－—–‐]\s?)?\d{7,8}(?:-\d{1,5})?|1[3-9]\d{9})(?:\D|$)"
        ),
        address=rf"(?:{alt(ADDRESS_LABELS)})\s*{link}\s*([^;；,，。()（）\[\]【】]+)",
        not_address=rf"(?:{alt(NOT_ADDRESS_LABELS)})",
        after_address=rf"\s*(?:{alt(AFTER_ADDRESS_LABELS)}).*$",
    )


CONTACTS = pl.Schema(
    {
        "doc": pl.UInt32,
        "contact_address": pl.String,
        "contact_postcode": pl.String,
        "contact_phone": pl.String,
        "contact_email": pl.String,
        "contact_website": pl.String,
    }
)


def _first(found: pl.DataFrame, value: pl.Expr, name: str) -> pl.DataFrame:
    return (
        found.with_columns(value.alias(name))
        .drop_nulls(name)
        .filter(pl.col(name) != "")
        .group_by("doc")
        .agg(pl.col(name).sort_by("line_no").first())
    )


def find_contacts(lines: pl.DataFrame) -> pl.DataFrame:
    """doc, contact_address, contact_postcode, contact_phone, contact_email, contact_website.

    ``lines``: the LINES frame. One row per doc with at least one field; fields not found are NULL.
    """
    patterns = contact_patterns()
    # One sortable key over the batch (lines come in doc, line order) for an as-of join.
    key = (pl.col("doc").cast(pl.Int64) * (1 << 32) + pl.col("line_no")).alias("key")
    content = lines.filter(~pl.col("is_blank")).select("doc", "line_no", "line", key)
    cue = content.filter(pl.col("line").str.contains_any(patterns.cue_words)).with_columns(after=pl.col("key") + 1)
    nxt = content.select("key", next_doc="doc", next_line="line").set_sorted("key")
    cue = cue.set_sorted("after").join_asof(nxt, left_on="after", right_on="key", strategy="forward")
    next_line = pl.when(pl.col("next_doc") == pl.col("doc")).then(pl.col("next_line")).otherwise(pl.lit(""))
    text = pl.concat_str(pl.col("line"), next_line.fill_null("")).str.normalize("NFKC")
    found = cue.select("doc", "line_no", text=text)

    no_email = pl.col("text").str.replace_all(EMAIL_RE, " ")
    website = pl.coalesce(*(no_email.str.extract(rf"({pattern})", 1) for pattern in WEBSITE_RES))
    address = (
        pl.col("text")
        .str.replace_all(patterns.not_address, "〓")
        .str.extract(patterns.address, 1)
        .str.replace(patterns.after_address, "")
        .str.strip_chars()
    )
    address = pl.when(address.str.contains(r"\p{Han}.*\p{Han}")).then(address)
    fields = [
        _first(found, address, "contact_address"),
        _first(found, pl.col("text").str.extract(patterns.postcode, 1), "contact_postcode"),
        _first(found, pl.col("text").str.extract(patterns.phone, 1).str.strip_chars(), "contact_phone"),
        _first(found, pl.col("text").str.extract(EMAIL_RE, 0), "contact_email"),
        _first(found, website.str.strip_chars_end(".:>"), "contact_website"),
    ]
    out = found.select("doc").unique()
    for frame in fields:
        out = out.join(frame, on="doc", how="left")
    present = pl.any_horizontal(pl.col(c).is_not_null() for c in CONTACTS.names()[1:])
    return out.filter(present).select(CONTACTS.names()).sort("doc").cast(CONTACTS)
