"""decode_bytes / decode_files: encodings, empty and binary files, line endings."""

from __future__ import annotations

import codecs
from pathlib import Path

import polars as pl
import pytest

from orchestration.lib.parsing import decode_bytes, decode_files
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
