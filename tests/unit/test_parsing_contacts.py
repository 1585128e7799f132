"""Contact details of the agency (contacts.find_contacts)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from orchestration.lib.parsing.contacts import CONTACTS, find_contacts
from orchestration.lib.parsing.lines import explode_lines

RAW = Path(__file__).resolve().parents[2] / "raw"
FIELDS = CONTACTS.names()[1:]


def contacts_of(texts: list[str]) -> pl.DataFrame:
    docs = pl.DataFrame({"text": texts}, schema={"text": pl.String}).with_row_index("doc")
    out = find_contacts(explode_lines(docs))
    assert out.schema == CONTACTS
    return out


def contact_of(text: str) -> dict | None:
    out = contacts_of([text])
    return None if out.is_empty() else {k: v for k, v in out.row(0, named=True).items() if k != "doc" and v}


def test_seeds() -> None:
    out = contacts_of([p.read_text(encoding="utf-8") for p in sorted(RAW.glob("*.txt"))])
    assert out.rows() == [
        (1, "仁寿县向家镇中心街南段66号", "612500", "028-37010111", None, None),
        # The postcode is cut by a page break: 邮编:755 / 000.
        (2, "中卫市沙坡头区政府大楼 108 室", "755000", "0955-8806093", "sptqjgswj@163.com", "http://www.spt.gov.cn/"),
        (4, None, None, "0943-6850168", None, None),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "联系地址：吴江区震泽镇镇南路198号；联系电话：0512-63871234。",
            {"contact_address": "吴江区震泽镇镇南路198号", "contact_phone": "0512-63871234"},
        ),
        # Full-width digits and ＠ (NFKC), the address running into the next label.
        (
            "地址：某某县人民路１号 邮政编码：６１２５００\n电子邮箱：ｘｘｇｋ＠ｍｓ.ｇｏｖ.ｃｎ",
            {"contact_address": "某某县人民路1号", "contact_postcode": "612500", "contact_email": "xxgk@ms.gov.cn"},
        ),
        # A hotline is no phone of the agency; the number after 咨询电话 is.
        ("政务服务热线12345。咨询电话：（0943）6850168", {"contact_phone": "(0943)6850168"}),
        ("投诉请拨打12345热线。", None),
        ("监督电话：0951—12345678转8001", {"contact_phone": "0951—12345678"}),
        ("联系电话：13812345678", {"contact_phone": "13812345678"}),
        # Websites: www.… without scheme, a bare *.gov.cn host; an e-mail host is no website.
        ("可在本县门户网站（www.renshou.gov.cn）查阅。", {"contact_website": "www.renshou.gov.cn"}),
        ("登录xxgk.sc.gov.cn/index.html查看", {"contact_website": "xxgk.sc.gov.cn/index.html"}),
        ("来信请发送至bgs@ms.gov.cn。", {"contact_email": "bgs@ms.gov.cn"}),
        ("网站地址：https://www.gov.cn/zhengce/。", {"contact_website": "https://www.gov.cn/zhengce/"}),
        ("全年公开信息45条。", None),
    ],
)
def test_fields(text: str, expected: dict | None) -> None:
    assert contact_of(f"某某镇2018年政府信息公开工作年度报告\n{text}\n") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A mirror in traditional characters: the labels are read in both scripts, values as printed.
        (
            "如對本報告有疑問，請聯繫（地址：某某市人民路9號；郵編：830001；電話：0991-7654321；"
            "電子郵箱：gk_test@163.com）。",
            {
                "contact_address": "某某市人民路9號",
                "contact_postcode": "830001",
                "contact_phone": "0991-7654321",
                "contact_email": "gk_test@163.com",
            },
        ),
        (
            "通訊地址：某某縣府前街1號 郵政編碼：612500\n聯繫電話為028-36001234",
            {"contact_address": "某某縣府前街1號", "contact_postcode": "612500", "contact_phone": "028-36001234"},
        ),
        (
            "諮詢電話：13912345678。網站地址：http://www.example.gov.cn",
            {
                "contact_phone": "13912345678",
                "contact_website": "http://www.example.gov.cn",
            },
        ),
    ],
)
def test_traditional_labels(text: str, expected: dict) -> None:
    assert contact_of(f"某某縣2015年政府信息公開工作年度報告\n{text}\n") == expected


def test_first_occurrence_wins_and_documents_stay_apart() -> None:
    out = contacts_of(["电话：028-1111111\n电话：028-2222222", "正文", "邮编：100000"])
    assert out.select("doc", "contact_phone", "contact_postcode").rows() == [
        (0, "028-1111111", None),
        (2, None, "100000"),
    ]
