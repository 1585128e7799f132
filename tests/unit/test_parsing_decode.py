"""decode_bytes / decode_files: encodings, empty and binary files, line endings, saved web pages."""

from __future__ import annotations

import codecs
from pathlib import Path

import polars as pl
import pytest

from orchestration.lib.parsing import decode_bytes, decode_files, html
from orchestration.lib.parsing.decode import Decoded, decode_document
from orchestration.lib.schemas import DOCUMENTS, PARSER_VERSION, QUARANTINE
from tests.parsing_helpers import files_frame

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "reports"
RAW = Path(__file__).resolve().parents[2] / "raw"

REPORT = "复兴乡2018年政务公开工作报告\n一、概述\n全年公开信息４５条。\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (REPORT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + REPORT.encode("utf-8"), "utf-8-sig"),
        (REPORT.encode("utf-16"), "utf-16-le"),  # Python writes a BOM (little-endian here)
        (codecs.BOM_UTF16_BE + REPORT.encode("utf-16-be"), "utf-16-be"),
        (REPORT.encode("utf-32"), "utf-32-le"),
        (REPORT.encode("gbk"), "gb18030"),
        (REPORT.encode("gb18030"), "gb18030"),
    ],
)
def test_decode_bytes_encodings(data: bytes, encoding: str) -> None:
    assert decode_bytes(data) == (REPORT, encoding, None)


def test_decode_bytes_strips_the_bom_and_normalises_line_endings() -> None:
    text, encoding, reason = decode_bytes(codecs.BOM_UTF8 + "甲\r\n乙\r丙\n".encode())
    assert (text, encoding, reason) == ("甲\n乙\n丙\n", "utf-8-sig", None)
    text, encoding, reason = decode_bytes("甲\r\n乙\r\n".encode("utf-16"))
    assert (text, encoding, reason) == ("甲\n乙\n", "utf-16-le", None)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty_file"),
        (b"   \r\n\t\n", "empty_file"),
        (codecs.BOM_UTF8 + b" \n", "empty_file"),
        ("\u3000\n".encode("utf-16"), "empty_file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary_file"),
        (b"%PDF-1.4\n" + bytes(range(1, 9)) * 20, "binary_file"),
        (b"\x80\x80abc", "undecodable"),
        ("报告".encode("gbk") + b"\xff", "undecodable"),
    ],
)
def test_decode_bytes_quarantine_reasons(data: bytes, reason: str) -> None:
    text, _encoding, got = decode_bytes(data)
    assert text is None
    assert got == reason


def test_decode_bytes_utf8_cut_at_the_end_keeps_utf8() -> None:
    data = "灵武市临河镇2018年政府信息公开工作年度报告".encode()
    assert decode_bytes(data[:-1]) == ("灵武市临河镇2018年政府信息公开工作年度报", "utf-8", None)


def test_decode_bytes_seeds_are_utf8() -> None:
    for path in sorted(RAW.glob("*.txt")):
        text, encoding, reason = decode_bytes(path.read_bytes())
        assert (encoding, reason) == ("utf-8", None)
        assert text == path.read_text(encoding="utf-8")


def test_decode_files_fixtures() -> None:
    names = [
        "narrative_gbk.txt",
        "narrative_utf16.txt",
        "empty.txt",
        "whitespace_only.txt",
        "image_saved_as.txt",
        "recipe.txt",
    ]
    files = files_frame({name: (FIXTURES / name).read_bytes() for name in names})
    docs, quarantine = decode_files(files)
    assert docs.schema == DOCUMENTS
    assert quarantine.schema == QUARANTINE
    assert dict(docs.select("source_file", "encoding").iter_rows()) == {
        "narrative_gbk.txt": "gb18030",
        "narrative_utf16.txt": "utf-16-le",
        "recipe.txt": "utf-8",
    }
    assert quarantine.select("source_file", "reason", "detail").rows() == [
        ("empty.txt", "empty_file", "0 bytes, no text"),
        ("whitespace_only.txt", "empty_file", "8 bytes, no text"),
        ("image_saved_as.txt", "binary_file", "NUL byte at offset 8"),
    ]
    assert quarantine["parser_version"].to_list() == [PARSER_VERSION] * 3
    gbk = docs.filter(pl.col("source_file") == "narrative_gbk.txt")["text"].item()
    assert gbk.startswith("石门乡人民政府信息公开工作年度报告\n")
    utf16 = docs.filter(pl.col("source_file") == "narrative_utf16.txt")["text"].item()
    assert "\r" not in utf16
    assert utf16.splitlines()[:2] == ["平川区人民政府政务公开工作报告", "2019年3月15日"]


def test_decode_files_one_row_per_content_and_extra_columns_ignored() -> None:
    blob = REPORT.encode()
    files = files_frame({"a.txt": blob, "copy/a.txt": blob, "b.txt": b""}).with_columns(size=pl.lit(1))
    docs, quarantine = decode_files(files)
    assert docs.select("source_file", "encoding").rows() == [("a.txt", "utf-8")]
    assert quarantine.select("source_file", "reason").rows() == [("b.txt", "empty_file")]


def test_decode_files_empty_input_and_missing_column() -> None:
    docs, quarantine = decode_files(files_frame({}))
    assert docs.schema == DOCUMENTS and docs.is_empty()
    assert quarantine.schema == QUARANTINE and quarantine.is_empty()
    with pytest.raises(ValueError, match="content"):
        decode_files(pl.DataFrame({"report_id": ["x"], "source_file": ["x"]}))


TRADITIONAL = (
    "泉州市人民政府2011年政府信息公開工作年度報告\n"
    "本報告根據《中華人民共和國政府信息公開條例》要求編制，報告中所列數據統計期限自2011年1月1日起至12月31日止。\n"
    "一、概述\n全年主動公開政府信息１２３條，其中通過網站公開９０條。\n"
)
RARE = "𠀀㐀䶮 龘 2018年政府信息公开工作年度报告\n生僻字：㵘、𡈽、𪚥。\n"


@pytest.mark.parametrize(
    ("data", "text", "encoding"),
    [
        # Big5 (traditional mirrors): its bytes also decode as GB18030, into kana and Greek.
        (TRADITIONAL.encode("big5"), TRADITIONAL, "big5"),
        ("臺北市政府資訊公開年度報告\n".encode("big5"), "臺北市政府資訊公開年度報告\n", "big5"),
        # UTF-16 without a byte-order mark, both byte orders.
        (REPORT.encode("utf-16-le"), REPORT, "utf-16-le"),
        (REPORT.encode("utf-16-be"), REPORT, "utf-16-be"),
        (TRADITIONAL.encode("utf-16-le"), TRADITIONAL, "utf-16-le"),
        # GB18030 four-byte sequences (characters outside GBK).
        (RARE.encode("gb18030"), RARE, "gb18030"),
        # Big5-HKSCS: neither GB18030 nor Big5 reads it as text; charset-normalizer does.
        (
            (
                "香港特別行政區政府資訊公開報告：𨋢、嘅、咗、啲、冇、佢、嚟。統計期限自2018年1月1日起至12月31日止。\n"
                * 3
            ).encode("big5hkscs"),
            "香港特別行政區政府資訊公開報告：𨋢、嘅、咗、啲、冇、佢、嚟。統計期限自2018年1月1日起至12月31日止。\n" * 3,
            "big5hkscs",
        ),
    ],
)
def test_decode_bytes_detected_encodings(data: bytes, text: str, encoding: str) -> None:
    assert decode_bytes(data) == (text, encoding, None)


@pytest.mark.parametrize(
    ("data", "encoding", "text"),
    [
        ("报告全文".encode("gb18030")[:-1], "gb18030", "报告全"),  # a two-byte character cut
        ("报告𠀀".encode("gb18030")[:-1], "gb18030", "报告"),  # a four-byte character cut after 3 bytes
        ("报告𠀀".encode("gb18030")[:-2], "gb18030", "报告"),
        ("報告全文".encode("big5")[:-1], "big5", "報告全"),
        ("复兴乡2018年报告\n全文".encode("utf-16-le")[:-1], "utf-16-le", "复兴乡2018年报告\n全"),
        ("复兴乡2018年报告\n全文".encode("utf-16")[:-1], "utf-16-le", "复兴乡2018年报告\n全"),  # with BOM
    ],
)
def test_decode_bytes_truncated_multibyte_character_at_the_end(data: bytes, encoding: str, text: str) -> None:
    assert decode_bytes(data) == (text, encoding, None)


def test_decode_bytes_mixed_line_endings_in_any_encoding() -> None:
    for text, codec, name in (
        (REPORT, "gbk", "gb18030"),
        (REPORT, "utf-16-le", "utf-16-le"),
        (TRADITIONAL, "big5", "big5"),
    ):
        lines = text.splitlines()
        mixed = lines[0] + "\r\n" + lines[1] + "\r" + lines[2] + "\n" + "".join(f"{line}\r\n" for line in lines[3:])
        assert decode_bytes(mixed.encode(codec)) == (text, name, None), codec


def test_decode_bytes_nul_bytes_that_are_no_utf16_stay_binary() -> None:
    assert decode_bytes(b"abc\x00\x00\x00\x00def")[2] == "binary_file"
    assert decode_bytes(bytes(range(256)) * 4)[2] == "binary_file"


def test_decode_files_undecodable_detail() -> None:
    files = files_frame({"bad.txt": "报告".encode("gbk") + b"\xff"})
    docs, quarantine = decode_files(files)
    assert docs.is_empty()
    ((reason, detail),) = quarantine.select("reason", "detail").rows()
    assert reason == "undecodable"
    assert detail.startswith("not UTF-8 (byte 0: invalid start byte), not GB18030 (byte 4")
    assert "charset-normalizer" in detail


# ---------------------------------------------------------------------------------------------
# Saved web pages
# ---------------------------------------------------------------------------------------------

HTML_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "html_unit"

GBK_PAGE = (
    '<html>\r\n<head>\r\n<meta http-equiv="Content-Type" content="text/html; charset=gb2312">\r\n'
    "<title>石门乡人民政府信息公开工作年度报告</title>\r\n</head>\r\n<body>\r\n"
    "<p>石门乡人民政府信息公开工作年度报告</p>\r\n<p>全年主动公开信息１２３条。</p>\r\n"
    "<table><tr><td>收到申请数</td><td>件</td><td>5</td></tr></table>\r\n</body>\r\n</html>\r\n"
)
SAVED_AS_TEXT = "<!DOCTYPE html>\n<html><body>\n<h1>观水镇2017年政府信息公开工作年度报告</h1>\n</body></html>"
TEXT_WITH_ANGLES = "复兴乡2018年政务公开工作报告\n增长率<5%，办结率>95%。\n"


def test_decode_files_web_pages() -> None:
    report_page = (HTML_FIXTURES / "report_page.html").read_bytes()
    blobs = {
        "report_page.html": report_page,
        "gbk_page.htm": GBK_PAGE.encode("gbk"),
        "saved_as_text.txt": SAVED_AS_TEXT.encode(),
        "truncated.html": "<html><body><p>复兴乡2018年政务公开工作报告<p>一、概述<table><tr><td>申请<td>3".encode(),
        "plain.txt": TEXT_WITH_ANGLES.encode(),
        "empty_body.html": b"<html><head><title>x</title><script>var a;</script></head><body>\n \n</body></html>",
    }
    docs, quarantine = decode_files(files_frame(blobs))
    assert docs.schema == DOCUMENTS
    assert docs.select("source_file", "encoding").rows() == [
        ("report_page.html", "utf-8+html"),
        ("gbk_page.htm", "gb18030+html"),
        ("saved_as_text.txt", "utf-8+html"),
        ("truncated.html", "utf-8+html"),
        ("plain.txt", "utf-8"),
    ]
    by_name = {row["source_file"]: row for row in docs.iter_rows(named=True)}
    page = by_name["report_page.html"]
    expected = html.html_to_text(report_page.decode("utf-8"))
    assert (page["text"], page["line_origin"]) == expected
    assert page["line_origin"][:4] == [14, 14, 15, 18]
    assert page["text"].split("\n")[13] == "三、本年度办理结果\t（一）予以公开\t\t1\t0\t0\t0\t0\t0\t1"
    gbk = by_name["gbk_page.htm"]
    assert gbk["text"] == "石门乡人民政府信息公开工作年度报告\n全年主动公开信息１２３条。\n收到申请数\t件\t5"
    assert gbk["line_origin"] == [7, 8, 9]  # CRLF counts as one line break
    assert (by_name["saved_as_text.txt"]["text"], by_name["saved_as_text.txt"]["line_origin"]) == (
        "观水镇2017年政府信息公开工作年度报告",
        [3],
    )
    assert by_name["truncated.html"]["text"] == "复兴乡2018年政务公开工作报告\n一、概述\n申请\t3"
    plain = by_name["plain.txt"]
    assert (plain["text"], plain["line_origin"]) == (TEXT_WITH_ANGLES, None)
    assert quarantine.select("source_file", "reason", "detail").rows() == [
        ("empty_body.html", "empty_file", "81 bytes of HTML (utf-8), no visible text once the markup is removed"),
    ]


def test_decode_document_honours_a_declared_charset_over_a_guess() -> None:
    # Two Big5 characters alone read as GB18030 ("そ秨"); the page says Big5, and the bytes are Big5.
    data = '<html><head><meta charset="big5"></head><body><p>公開</p></body></html>'.encode("big5")
    assert decode_bytes(data)[1] == "gb18030"
    assert decode_document(data, "a.html") == Decoded("公開", "big5+html", [1], None, None)
    # A declaration the bytes do not decode with is ignored.
    data = '<html><head><meta charset="big5"></head><body><p>报告全文</p></body></html>'.encode("gb18030")
    assert decode_document(data, "a.html").encoding == "gb18030+html"
    # Valid UTF-8 wins over a stale gb2312 declaration (re-encoded page).
    data = '<html><head><meta charset="gb2312"></head><body><p>中文报告</p></body></html>'.encode()
    assert decode_document(data, "a.html") == Decoded("中文报告", "utf-8+html", [1], None, None)


def test_decode_files_one_bad_page_does_not_stop_the_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    real = html.render_page

    def failing(text: str) -> html.RenderedPage:
        if "坏" in text:
            raise ValueError("boom")
        return real(text)

    monkeypatch.setattr(html, "render_page", failing)
    files = files_frame(
        {
            "bad.html": "<html><body><p>坏</p></body></html>".encode(),
            "good.html": "<html><body><p>好</p></body></html>".encode(),
            "plain.txt": REPORT.encode(),
        }
    )
    docs, quarantine = decode_files(files)
    assert docs.select("source_file", "text").rows() == [("good.html", "好"), ("plain.txt", REPORT)]
    assert quarantine.select("source_file", "reason", "detail").rows() == [
        ("bad.html", "undecodable", "HTML (utf-8) could not be read: ValueError: boom"),
    ]


def titled_page(agency: str) -> bytes:
    return (
        f"<html><head><title>{agency}2018年政务公开工作报告_门户网站</title></head>\n"
        "<body><p>一、概述</p></body></html>"
    ).encode()


def test_decode_files_title_lines_decided_per_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    files = files_frame({"a.html": titled_page("复兴乡"), "b.html": titled_page("石门乡"), "c.txt": REPORT.encode()})
    docs, _quarantine = decode_files(files)
    assert docs.select("text", "line_origin").rows() == [
        ("复兴乡2018年政务公开工作报告\n一、概述", [1, 2]),
        ("石门乡2018年政务公开工作报告\n一、概述", [1, 2]),
        (REPORT, None),
    ]
    # Should the batch decision fail, each page is decided alone; a page that fails keeps no title line.
    real = html.add_titles

    def fragile(pages: list[html.RenderedPage]) -> None:
        if len(pages) > 1 or "石门乡" in pages[0].title_candidates[0]:
            raise RuntimeError("title decision failed")
        real(pages)

    monkeypatch.setattr(html, "add_titles", fragile)
    docs, quarantine = decode_files(files)
    assert docs["text"].to_list() == ["复兴乡2018年政务公开工作报告\n一、概述", "一、概述", REPORT]
    assert quarantine.is_empty()


def test_decode_files_text_fixtures_have_no_line_origin() -> None:
    paths = sorted(RAW.glob("*.txt")) + sorted(FIXTURES.glob("*.txt"))
    docs, _quarantine = decode_files(files_frame({p.name: p.read_bytes() for p in paths}))
    assert docs.height >= 5
    assert docs["line_origin"].null_count() == docs.height
    assert not docs["encoding"].str.ends_with("+html").any()
