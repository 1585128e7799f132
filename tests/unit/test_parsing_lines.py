"""explode_lines and the label match key."""

from __future__ import annotations

import polars as pl
import pytest

from orchestration.lib.parsing import explode_lines
from orchestration.lib.parsing.lines import line_counts
from orchestration.lib.parsing.text import cn_small_number, label_key


def test_explode_lines_numbers_lines_per_document() -> None:
    docs = pl.DataFrame({"report_id": ["a", "b", "c"], "text": ["甲\n\n乙", "一\r\n二\n", ""]})
    lines = explode_lines(docs, key="report_id")
    assert lines.columns == ["report_id", "line_no", "line", "is_blank"]
    assert lines.rows() == [
        ("a", 1, "甲", False),
        ("a", 2, "", True),
        ("a", 3, "乙", False),
        ("b", 1, "一", False),
        ("b", 2, "二", False),
        ("c", 1, "", True),
    ]
    counts = docs.select(line_counts(pl.col("text"))).to_series().to_list()
    assert counts == [3, 2, 0]


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("一、主动公开情况", "主动公开情况"),
        ("（一）主动公开政府信息数 （不同渠道和方式公开相同信息计 1 条）", "主动公开政府信息数"),
        ("(二) 通过不同渠道和方式公开政府信息的情况", "通过不同渠道和方式公开政府信息的情况"),
        ("其中：主动公开规范性文件数", "主动公开规范性文件数"),
        ("1. 政府公报公开政府信息数", "政府公报公开政府信息数"),
        ("１、政府网站公开政府信息数", "政府网站公开政府信息数"),
        ("①政务微博公开政府信息数", "政务微博公开政府信息数"),
        ("危及国家安全、公共安全、经济安全和社会 稳定", "危及国家安全、公共安全、经济安全和社会稳定"),
        ("1. 专职人员数（不包括政府公报及政府网站工作人员 数）", "专职人员数"),
        ("1. 专职人员数（不包括政府公报及政府网站工作人员", "专职人员数"),  # note cut by a wrap
        ("计 1 条）", ""),  # the rest of a wrapped note
        (
            "（四）政府信息公开专项经费（不包括用于政府公报编辑管理 及政府网站建设维护等方面的经费）",
            "政府信息公开专项经费",
        ),
        ("六、举报投诉数量：", "举报投诉数量"),
        ("不是《条例》所指政府信息", "不是《条例》所指政府信息"),
    ],
)
def test_label_key(label: str, key: str) -> None:
    assert pl.select(label_key(pl.lit(label))).item() == key


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("一", 1),
        ("九", 9),
        ("十", 10),
        ("十一", 11),
        ("二十", 20),
        ("三十一", 31),
        ("十十", None),
        ("四十", None),
    ],
)
def test_cn_small_number(text: str, number: int | None) -> None:
    assert pl.select(cn_small_number(pl.lit(text))).item() == number
