"""Contact details of the publishing agency: address, postcode, phone, e-mail, website.

Reports end their preamble with "如有疑问请与…联系（地址：…；邮编：…；联系电话：…；电子邮箱：…）".
Only lines with such a cue are read (NFKC, so full-width digits and ＠ are ASCII), each joined to
the next non-blank line: a page break may cut a field ("邮编:755" / "000;联系电话"). Per document
and field the first match in line order wins.
"""

from __future__ import annotations

import polars as pl

#: A line that may hold contact details (a website is found by its http/www/gov.cn, not by 网站).
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
#: 6 digits after 邮编 / 邮政编码.
POSTCODE_RE = r"(?:邮编|邮政编码)\s*[:：]?\s*(\d{6})(?:\D|$)"
#: The agency's number after its label: a landline with area code (028-37010111, (0943)6850168),
#: a local number (6850168) or a mobile; service hotlines such as 12345 are too short to match.
PHONE_RE = (
    r"(?:联系电话|咨询电话|办公电话|监督电话|服务电话|电话号码|电话)\s*(?:[:：]|为|是)?\s*"
    r"((?:\(0\d{2,3}\)\s?|0\d{2,3}\s?[-－—–‐]\s?)?\d{7,8}(?:-\d{1,5})?|1[3-9]\d{9})(?:\D|$)"
)
EMAIL_RE = r"[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
#: URL characters (ASCII only: Chinese text may follow without a space).
_URL_TAIL = r"[A-Za-z0-9\-._~/?#@!$&*+=%:]*"
#: http(s)://…, else www.…, else a *.gov.cn host.
WEBSITE_RES = (
    rf"https?://[A-Za-z0-9.-]+{_URL_TAIL}",
    rf"www\.[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?:/{_URL_TAIL})?",
    rf"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.gov\.cn(?:/{_URL_TAIL})?",
)
#: 地址：… up to a delimiter (after words such as 网站地址 are masked).
ADDRESS_RE = r"(?:通讯地址|通信地址|联系地址|办公地址|单位地址|地址)\s*(?:[:：]|为|是)\s*([^;；,，。()（）\[\]【】]+)"
_NOT_ADDRESS = r"(?:网站|网页|网络|电子邮件|电子邮箱|邮件|邮箱|链接|IP|ip)地址"
#: An address runs into the next field when the line had no delimiter.
_ADDRESS_END = r"\s*(?:邮编|邮政编码|联系电话|电话|传真|电子邮箱|邮箱|网址|联系人).*$"

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
    # One sortable key over the batch (lines come in doc, line order) for an as-of join.
    key = (pl.col("doc").cast(pl.Int64) * (1 << 32) + pl.col("line_no")).alias("key")
    content = lines.filter(~pl.col("is_blank")).select("doc", "line_no", "line", key)
    cue = content.filter(pl.col("line").str.contains_any(CUE_WORDS)).with_columns(after=pl.col("key") + 1)
    nxt = content.select("key", next_doc="doc", next_line="line").set_sorted("key")
    cue = cue.set_sorted("after").join_asof(nxt, left_on="after", right_on="key", strategy="forward")
    next_line = pl.when(pl.col("next_doc") == pl.col("doc")).then(pl.col("next_line")).otherwise(pl.lit(""))
    text = pl.concat_str(pl.col("line"), next_line.fill_null("")).str.normalize("NFKC")
    found = cue.select("doc", "line_no", text=text)

    no_email = pl.col("text").str.replace_all(EMAIL_RE, " ")
    website = pl.coalesce(*(no_email.str.extract(rf"({pattern})", 1) for pattern in WEBSITE_RES))
    address = (
        pl.col("text")
        .str.replace_all(_NOT_ADDRESS, "〓")
        .str.extract(ADDRESS_RE, 1)
        .str.replace(_ADDRESS_END, "")
        .str.strip_chars()
    )
    address = pl.when(address.str.contains(r"\p{Han}.*\p{Han}")).then(address)
    fields = [
        _first(found, address, "contact_address"),
        _first(found, pl.col("text").str.extract(POSTCODE_RE, 1), "contact_postcode"),
        _first(found, pl.col("text").str.extract(PHONE_RE, 1).str.strip_chars(), "contact_phone"),
        _first(found, pl.col("text").str.extract(EMAIL_RE, 0), "contact_email"),
        _first(found, website.str.strip_chars_end(".:>"), "contact_website"),
    ]
    out = found.select("doc").unique()
    for frame in fields:
        out = out.join(frame, on="doc", how="left")
    present = pl.any_horizontal(pl.col(c).is_not_null() for c in CONTACTS.names()[1:])
    return out.filter(present).select(CONTACTS.names()).sort("doc").cast(CONTACTS)
