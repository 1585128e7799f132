"""html_to_text: saved web pages → report lines and the raw line each came from."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from orchestration.lib.parsing import decode_bytes
from orchestration.lib.parsing.html import LINE_CAP, declared_charset, html_to_text, looks_like_html

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "html_unit"
RAW = Path(__file__).resolve().parents[2] / "raw"


def lines_of(html: str) -> list[tuple[int, str]]:
    text, origin = html_to_text(html)
    lines = text.split("\n") if text else []
    assert len(lines) == len(origin)
    return list(zip(origin, lines, strict=True))


def page(body: str, head: str = "") -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


# ---------------------------------------------------------------------------------------------
# A report page: chrome, title, paragraphs, 表三 with rowspan/colspan
# ---------------------------------------------------------------------------------------------

REPORT_PAGE_LINES = [
    (14, "首页"),
    (14, "信息公开"),
    (15, "字号：大 中 小"),
    (18, "向阳镇2020年政府信息公开工作年度报告"),
    (19, "发布时间：2021-01-20  来源：向阳镇"),  # two &nbsp;: two spaces
    (20, "本报告根据《中华人民共和国政府信息公开条例》编制。"),
    (21, "一、总体情况"),
    (22, "2020年，向阳镇主动公开政府信息86条，其中通过网站公开60条。"),  # a source line break inside
    (24, "三、收到和处理政府信息公开申请情况"),
    (27, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t\t\t申请人情况\t\t\t\t\t\t"),
    (31, "\t\t\t自然人\t法人或其他组织\t\t\t\t\t总计"),
    # 商业<br>企业: a space; 科研 + line break + 机构 inside the text: the break vanishes.
    (36, "\t\t\t\t商业 企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t"),
    (40, "一、本年新收政府信息公开申请数量\t\t\t2\t0\t0\t0\t0\t\t2"),  # an &nbsp; cell is empty
    (44, "三、本年度办理结果\t（一）予以公开\t\t1\t0\t0\t0\t0\t0\t1"),
    (49, "\t（三）不予公开\t1．属于国家秘密\t0\t0\t0\t0\t0\t0\t0"),
    (54, "\t\t2．其他法律行政法规禁止公开\t1\t0\t0\t0\t0\t0\t1"),
    (58, "\t（七）总计\t\t2\t0\t0\t0\t0\t0\t2"),
    (62, "四、结转下年度继续办理\t\t\t0\t0\t0\t0\t0\t0\t0"),
    (68, "五、存在的主要问题及改进情况"),  # the display:none paragraph after it is dropped
    (70, "联系电话：0943-1234567"),
    (72, "上一条：无"),
    (72, "下一条：无"),  # after a <br>
]


def test_report_page_lines_and_origins() -> None:
    html = (FIXTURES / "report_page.html").read_text(encoding="utf-8")
    assert lines_of(html) == REPORT_PAGE_LINES
    # Every origin is the raw line of the element the derived line came from.
    raw = html.split("\n")
    for origin, line in REPORT_PAGE_LINES:
        source = raw[origin - 1]
        if "\t" in line:
            assert source.strip() == "<tr>", (origin, line)
        else:
            assert line.split("：")[0][:4] in source, (origin, line)
    # Not shown: head, script, style, comment, the hidden paragraph.
    text, _ = html_to_text(html)
    for hidden in ("不是正文", "也不是", "display", "正文开始", "必威体育平台", "某某县人民政府"):
        assert hidden not in text


# ---------------------------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------------------------


def test_table_rowspan_colspan_grid() -> None:
    html = page(
        "<table>\n"
        '<tr><td colspan="2" rowspan="2">申请人情况</td><td rowspan="2">自然人</td>'
        '<td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr>\n'
        "<tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>\n"
        '<tr><td rowspan="2">三、本年度办理结果</td><td>（一）予以公开</td>'
        + "".join(f"<td>{v}</td>" for v in (1, 0, 0, 0, 0, 0, 1))
        + "</tr>\n<tr><td>（二）部分公开</td>"
        + "".join("<td>0</td>" for _ in range(7))
        + "</tr>\n</table>"
    )
    assert lines_of(html) == [
        (2, "申请人情况\t\t自然人\t法人或其他组织\t\t\t\t\t总计"),
        (3, "\t\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t"),
        (4, "三、本年度办理结果\t（一）予以公开\t1\t0\t0\t0\t0\t0\t1"),
        (5, "\t（二）部分公开\t0\t0\t0\t0\t0\t0\t0"),
    ]


def test_table_width_empty_rows_and_odd_spans() -> None:
    html = page(
        "<table>"
        # trailing empty cells beyond the last column holding text are cut
        "<tr><th>统计指标</th><th>单位</th><th>统计数</th><td></td><td> </td></tr>"
        "<tr><td></td><td>&nbsp;</td><td></td></tr>"  # no text: no line
        '<tr><td colspan="1000000">合计</td></tr>'  # clamped, then cut at the width
        '<tr><td rowspan="0">甲</td><td>乙</td><td>1</td></tr>'  # rowspan=0: to the end of the table
        "<tr><td>丙</td><td>2</td></tr>"
        '<tr><td colspan="x" rowspan="-1">丁</td><td>3</td></tr>'  # unreadable spans: 1
        "</table>"
    )
    assert [line for _, line in lines_of(html)] == [
        "统计指标\t单位\t统计数",
        "合计\t\t",
        "甲\t乙\t1",
        "\t丙\t2",
        "\t丁\t3",
    ]


def test_cell_text_is_one_line() -> None:
    html = page(
        "<table><tr>"
        "<td>商业<br>企业</td>"  # <br> → space
        "<td><p>法律</p><p>服务机构</p></td>"  # blocks → space
        "<td>\n  社会 \t 公益\n组织\n</td>"  # white space collapsed; a line break between Chinese characters goes
        "<td>Law\nfirms</td>"  # … elsewhere it is a space
        '<td><p class=MsoNormal><span lang=EN-US style="font-size:12pt">1,200<o:p></o:p></span></p></td>'
        '<td>4<span style="display:none">99</span><script>x=1</script></td>'
        "<td>&nbsp;&nbsp;5&nbsp;&nbsp;&nbsp;6&#8203;7&amp;</td>"
        "</tr></table>"
    )
    assert lines_of(html) == [(1, "商业 企业\t法律 服务机构\t社会 公益组织\tLaw firms\t1,200\t4\t5 67&")]


def test_hidden_cell_keeps_its_position() -> None:
    html = page('<table><tr><td>甲</td><td style="DISPLAY : NONE">隐</td><td>1</td></tr></table>')
    assert lines_of(html) == [(1, "甲\t\t1")]


def test_layout_tables_are_read_as_blocks() -> None:
    # One cell per row: plain lines (and a <p> inside a cell is its own line).
    single = page(
        "<table>\n<tr><td>复兴乡2018年政务公开工作报告</td></tr>\n<tr><td><p>一、概述</p><p>全年公开信息45条。</p></td></tr>\n</table>"
    )
    assert lines_of(single) == [(2, "复兴乡2018年政务公开工作报告"), (3, "一、概述"), (3, "全年公开信息45条。")]
    # A table around the page (navigation | content) with a data table nested in it.
    nested = page(
        "<table><tr>\n"
        "<td><a>首页</a><br><a>信息公开</a></td>\n"
        "<td><h2>复兴乡2018年政务公开工作报告</h2>\n"
        "<table>\n<tr><td>收到申请数</td><td>件</td><td>3</td></tr>\n</table>\n"
        "<p>二、存在的问题</p></td>\n"
        "</tr></table>"
    )
    assert lines_of(nested) == [
        (2, "首页"),
        (2, "信息公开"),
        (3, "复兴乡2018年政务公开工作报告"),
        (5, "收到申请数\t件\t3"),
        (7, "二、存在的问题"),
    ]
    # A cell holding a long text makes the table a layout table.
    long_text = "本机关认真贯彻落实条例。" * 20
    wide = page(f"<table><tr><td>正文</td><td>{long_text}</td></tr></table>")
    assert [line for _, line in lines_of(wide)] == ["正文", long_text]


def test_caption_stray_cells_and_row_groups() -> None:
    html = page(
        "<table>\n"
        "<caption>表一 主动公开情况</caption>\n"
        "<thead><tr><th>指标</th><th>数量</th></tr></thead>\n"
        "<tbody>\n<tr><td>规章</td><td>0</td></tr>\n</tbody>\n"
        "<td>孤立</td><td>7</td>\n"  # cells outside any row: a row of their own
        "</table>"
    )
    assert lines_of(html) == [
        (2, "表一 主动公开情况"),
        (3, "指标\t数量"),
        (5, "规章\t0"),
        (7, "孤立\t7"),
    ]


# ---------------------------------------------------------------------------------------------
# Flow text
# ---------------------------------------------------------------------------------------------


def test_blocks_break_lines_inline_elements_do_not() -> None:
    html = page(
        "<div>一、<b>总体</b><span>情况</span><div>嵌套块</div>尾巴</div>"
        "<ul><li>甲</li><li>乙</li></ul><h3>标题</h3><section>节</section>"
        "文字<br/>换行<br><br>再换<hr>分隔"
    )
    assert [line for _, line in lines_of(html)] == [
        "一、总体情况",
        "嵌套块",
        "尾巴",
        "甲",
        "乙",
        "标题",
        "节",
        "文字",
        "换行",
        "再换",
        "分隔",
    ]


def test_white_space_entities_and_invisible_characters() -> None:
    html = page(
        # A line break between Chinese characters vanishes; before a digit it is a space.
        "<p>全年共收到\n  申请12件，\n办结\n12件。</p>"
        "<p>Government\ninformation  disclosure</p>"
        # Line breaks between tags are formatting: a space, even between Chinese characters.
        "<div><span>来源：向阳镇</span>\n<span>浏览次数：12</span>\n</div>"
        "<p>&nbsp;&nbsp;&nbsp;&nbsp;一、总体情况&nbsp;&nbsp;&nbsp;&nbsp;（续）</p>"  # &nbsp; runs are kept inside
        "<p>&lt;条例&gt; &amp; &#20013;&#x6587; &quot;引号&quot;</p>"
        "<p>政府\u200b信息\ufeff公开\xad</p>"
    )
    assert [line for _, line in lines_of(html)] == [
        "全年共收到申请12件，办结 12件。",
        "Government information disclosure",
        "来源：向阳镇 浏览次数：12",
        "一、总体情况    （续）",
        '<条例> & 中文 "引号"',
        "政府信息公开",
    ]


def test_pre_keeps_lines_and_spaces() -> None:
    html = "<html><body>\n<p>前言</p>\n<pre>\n统计指标    单位  统计数\n收到申请数  件    3\n\n</pre>\n</body></html>"
    assert lines_of(html) == [(2, "前言"), (4, "统计指标    单位  统计数"), (5, "收到申请数  件    3")]


def test_origin_is_the_line_of_the_first_visible_character() -> None:
    html = (
        "<html><body>\n"  # 1
        "<p>\n"  # 2
        "   正文从第三行开始</p>\n"  # 3
        '<p class="MsoNormal"\n'  # 4: a start tag over two lines
        "   style='x'>第五行</p>\n"  # 5
        "<div><p>块</p>\n"  # 6
        "尾随文字</div>\n"  # 7: text after an end tag
        "<!-- 注释\n第九行 -->八\n"  # 8-9: after a comment
        "</body></html>"
    )
    assert lines_of(html) == [(3, "正文从第三行开始"), (5, "第五行"), (6, "块"), (7, "尾随文字"), (9, "八")]


def test_line_endings_count_as_the_decoder_counts_them() -> None:
    html = "<html>\r\n<body>\r\n<p>一</p>\r<p>二</p>\n<p>三</p></body></html>"
    assert lines_of(html) == [(3, "一"), (4, "二"), (5, "三")]


def test_hidden_elements_dropped_unless_everything_is_hidden() -> None:
    shown = page('<p>正文</p><div hidden><p>隐藏</p></div><p style="visibility:hidden">也隐藏</p>')
    assert [line for _, line in lines_of(shown)] == ["正文"]
    revealed_by_script = page('<div id="content" style="display:none"><p>复兴乡2018年政务公开工作报告</p></div>')
    assert [line for _, line in lines_of(revealed_by_script)] == ["复兴乡2018年政务公开工作报告"]


# ---------------------------------------------------------------------------------------------
# Title
# ---------------------------------------------------------------------------------------------

TITLE = "<title>\n复兴乡2018年政务公开工作报告_复兴乡人民政府门户网站</title>"


def test_page_title_used_when_the_body_has_none() -> None:
    html = page("<p>一、概述</p><p>全年公开信息45条。</p>", head=TITLE)
    assert lines_of(html) == [(2, "复兴乡2018年政务公开工作报告"), (2, "一、概述"), (2, "全年公开信息45条。")]


def test_page_title_not_used_when_the_body_has_one() -> None:
    html = page("<h1>复兴乡2018年政务公开工作报告</h1><p>一、概述</p>", head=TITLE)
    assert [line for _, line in lines_of(html)] == ["复兴乡2018年政务公开工作报告", "一、概述"]
    # …nor when the <title> names no report
    html = page("<p>一、概述</p>", head="<title>复兴乡人民政府门户网站</title>")
    assert [line for _, line in lines_of(html)] == ["一、概述"]


def test_page_title_used_when_navigation_pushes_the_body_title_down() -> None:
    menu = "".join(f"<li>栏目{i}</li>" for i in range(45))
    html = (
        "<html><head>"
        + TITLE
        + "</head>\n<body><ul>"
        + menu
        + "</ul>\n<h1>复兴乡2018年政务公开工作报告</h1></body></html>"
    )
    lines = lines_of(html)
    assert lines[0] == (2, "复兴乡2018年政务公开工作报告")  # the <title>'s text, on line 2
    assert lines[-1] == (4, "复兴乡2018年政务公开工作报告")
    assert len(lines) == 47


# ---------------------------------------------------------------------------------------------
# Malformed, empty, big
# ---------------------------------------------------------------------------------------------


def test_malformed_and_truncated_html_recovers() -> None:
    html = (
        "<html><body><h1>复兴乡2018年政务公开工作报告\n"
        "<p>一、概述<p>全年公开信息45条<b>加粗未闭合\n"
        "<table><tr><td>收到申请数<td>3<tr><td>办结数<td>2</tr></div></span>\n"
        "<tr><td>截断<td"
    )
    assert lines_of(html) == [
        (1, "复兴乡2018年政务公开工作报告"),
        (2, "一、概述"),
        (2, "全年公开信息45条加粗未闭合"),
        (3, "收到申请数\t3"),
        (3, "办结数\t2"),
        (4, "截断"),
    ]


def test_deeply_nested_unclosed_tags_keep_the_text_after_them() -> None:
    html = "<html><body>" + "<font>" * 2000 + "深处</p>\n<p>之后</p></body></html>"
    assert [line for _, line in lines_of(html)] == ["深处", "之后"]


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   \n  ",
        "<html><head><title>复兴乡2018年政务公开工作报告</title></head><body></body></html>",
        "<html><body><script>document.write('正文')</script><!-- 无 --><p> &nbsp; </p></body></html>",
        "<!-- only a comment -->",
    ],
)
def test_pages_without_text(html: str) -> None:
    assert html_to_text(html) == ("", [])


def test_origins_beyond_libxml2_line_cap() -> None:
    n = LINE_CAP + 5000
    html = "<html><body>\n" + "".join(f"<p>第{i}行</p>\n" for i in range(2, n)) + "</body></html>"
    text, origin = html_to_text(html)
    lines = text.split("\n")
    assert len(lines) == n - 2
    assert origin == list(range(2, n))
    assert lines[-1] == f"第{n - 1}行"


def test_five_megabyte_page_is_fast() -> None:
    paragraph = (
        "<p class=MsoNormal style='text-indent:32.0pt;line-height:28.0pt'><span lang=EN-US "
        "style='font-size:16.0pt;font-family:仿宋_GB2312'>本机关认真贯彻落实政府信息公开条例，全年主动公开政府信息{}条"
        "</span><span\nstyle='font-size:16.0pt'>，其中通过网站公开条。<o:p></o:p></span></p>\n"
    )
    row = "<tr>" + "".join(
        f"<td width=60 style='border:solid 1.0pt'><p align=center><span>{i}</span></p></td>\n" for i in range(9)
    )
    block = paragraph.format(1) * 20 + "<table>" + (row + "</tr>\n") * 20 + "</table>\n"
    html = "<html><body>\n" + block * (5_000_000 // len(block.encode()) + 1) + "</body></html>"
    assert len(html.encode()) > 5_000_000
    start = time.perf_counter()
    text, origin = html_to_text(html)
    elapsed = time.perf_counter() - start
    assert len(text.split("\n")) == len(origin) > 5_000
    # About 0.4 s on a development machine; the bound only guards against quadratic behaviour.
    assert elapsed < 3.0


# ---------------------------------------------------------------------------------------------
# Detection and declared charset
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ("<!DOCTYPE html><html><body>x</body></html>", "a.txt", True),
        ("\ufeff  \n<!doctype HTML>\n<html>", "a", True),
        ("<html lang='zh'>", "report.txt", True),
        ("<?xml version='1.0'?>\n<html xmlns='http://www.w3.org/1999/xhtml'>", "a.txt", True),
        ("<!-- saved from url=(0042)http://www.example.gov.cn/ -->\n<html>", "a.txt", True),
        ("<div class='article'><p>复兴乡2018年政务公开工作报告</p></div>", "a.txt", True),
        ("复兴乡\n<table border=1><tr><td>申请</td></tr></table>", "a.txt", True),
        ("复兴乡2018年政务公开工作报告\n" + "正文。" * 400 + "<body>", "a.txt", False),  # tag after the first KB
        ("复兴乡2018年政务公开工作报告\n增长率<5%，<条例>规定，a<b。\n", "a.txt", False),
        ("复兴乡2018年政务公开工作报告\n<<条例>>\n", "report.html", False),  # named .html, but no tag at all
        ("复兴乡2018年政务公开工作报告\n<p>正文</p>\n", "REPORT.HTM", True),
        ("复兴乡2018年政务公开工作报告\n<br>\n", "t20190228.shtml", True),
    ],
)
def test_looks_like_html(text: str, name: str, expected: bool) -> None:
    assert looks_like_html(text, name) is expected


def test_every_html_fixture_rows_come_from_tr_lines() -> None:
    pages = sorted(p for p in FIXTURES.parents[0].rglob("*") if p.suffix.lower() in (".html", ".htm"))
    assert len(pages) >= 1
    for path in pages:
        html, _encoding, _reason = decode_bytes(path.read_bytes())
        assert html is not None
        text, origin = html_to_text(html)
        raw = html.split("\n")
        assert text and origin == sorted(origin), path.name
        for line, at in zip(text.split("\n"), origin, strict=True):
            if "\t" in line:
                assert "<tr" in raw[at - 1].lower(), (path.name, at, line)


def test_seeds_are_not_html() -> None:
    for path in sorted(RAW.glob("*.txt")):
        assert not looks_like_html(path.read_text(encoding="utf-8"), path.name), path.name


@pytest.mark.parametrize(
    ("head", "codec"),
    [
        (b'<meta charset="gbk">', "gb18030"),
        (b"<meta charset=GB2312 />", "gb18030"),
        (b'<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=gb2312">', "gb18030"),
        (b"<meta http-equiv='content-type' content='text/html;charset=UTF-8'>", "utf-8"),
        (b'<meta charset="big5">', "big5"),
        (b'<meta charset="Big5-HKSCS">', "big5hkscs"),
        (b'<?xml version="1.0" encoding="GB18030"?>', "gb18030"),
        (b'<meta charset="iso-8859-1">', None),  # not a Chinese or Unicode encoding: ignored
        (b'<meta name="keywords" content="charset">', None),
        (b"", None),
    ],
)
def test_declared_charset(head: bytes, codec: str | None) -> None:
    assert declared_charset(b"<html><head>" + head + b"</head><body></body></html>") == codec
