"""What each file of the gov corpus exercises (the README.md table of tests/fixtures/gov/)."""

from __future__ import annotations

NOTES = {
    "g01_deqing_moganshan_2021.txt": (
        "tab-separated rows (the seeds' style), Word-copied 表三 header; 表四 one row of 15 numbers under "
        "行政复议/行政诉讼 headers; the two long （六） labels wrapped (head alone, tail with the cells)"
    ),
    "g02_xihu_beishan_2019.txt": (
        "runs of spaces; one-line 表三 column header; spaced title (…办事处 2019 年…); 发布日期 line; CRLF"
    ),
    "g03_suining_county_2022.txt": (
        "Word-copied rows: merged label cells (三、本年度办理结果<TAB>（一）予以公开<TAB>…, empty cells under "
        "vertical merges), header cells split over lines (商业\\n企业); thousands separators (3,720)"
    ),
    "g04_yuexi_education_2020.txt": (
        "one cell per line (labels, headers and values); 表四 one number per line; 本年增/减 printed +2 / -1"
    ),
    "g05_yibin_city_2021.txt": (
        "`|`-separated cells with runs of empty pipes for merged cells; page break (第 7 页) inside 表三; "
        "thousands separators"
    ),
    "g06_luoyang_environment_2023.txt": "markdown tables (| a | b | with a --- separator row; merged cells empty)",
    "g07_hunan_natural_resources_2020.html": (
        "saved web page (.html): nav, 字号 大 中 小, 打印本页, scripts, related links; <table> with rowspan/colspan"
    ),
    "g08_nanan_market_2022.htm": (
        "saved web page (.htm) pasted from Word: MsoNormal spans, &ldquo;/&rdquo; entities, <br> inside header "
        "cells (商业<br>企业), rowspan/colspan"
    ),
    "g09_ningxiang_huaminglou_2021.txt": (
        "GBK-encoded; title on two lines (agency, then year + phrase); 表四's 15 numbers split over three lines"
    ),
    "g10_gusu_pingjiang_2022.txt": (
        "runs of spaces; page breaks: a prose sentence cut mid-word (- 2 -), inside 表二 (第3页 共7页), inside 表三 "
        "with the title repeated as running header (— 4 —) and with the 表三 header repeated (第 5 页); "
        "title 2022年度"
    ),
    "g11_linqu_county_2021.txt": (
        "full-width digits in every table cell (１２); 本年收费金额（单位：万元） printed 251000元 (= 25.1); "
        "merged group labels in front of the first child (三、本年度办理结果<TAB>（一）予以公开<TAB>…)"
    ),
    "g12_zunyi_transport_2021.txt": (
        "mixed labels: 2021 table with the 2019 row label 规范性文件 (for 行政规范性文件); 规章 row left blank "
        "(three empty cells)"
    ),
    "g13_nanzhang_wuan_2019.txt": (
        "row labels wrapped (head alone, tail with the cells) and broken by stray spaces (危及“三安全 一稳定”, "
        "本机关不掌握相关 政府信息); 表四 split over three lines after a page break (- 5 -) between its header "
        "and its numbers"
    ),
    "g14_shaanxi_hrss_2022.txt": (
        "Word-copied rows with merged cells; page break inside 表三 (第6页 共10页) with the title as running "
        "header; large numbers with thousands separators"
    ),
    "g15_ganzhou_city_2020.txt": (
        "runs of spaces; empty markers in 表二 (—, /, and a bare - in 本年增/减 next to signed values such as +3); "
        "wrapped labels with the cells on the first line and the label's tail alone below"
    ),
    "g16_wuming_agriculture_2023.txt": "one cell per line with header cells split over lines (商业 / 企业)",
    "g17_pingcheng_district_2019.txt": "markdown tables, 2019 template (表二 with 第（九）项 政府集中采购)",
    "g18_pengshan_district_2021.txt": "tab-separated rows",
    "g19_gulou_huada_2020.txt": "runs of spaces; 发布日期 line",
    "g20_yantai_housing_2022.txt": "markdown tables",
    "g21_qufu_culture_2019.txt": "Word-copied rows with merged cells",
    "g22_changfeng_xiatang_2021.txt": "tab-separated rows",
    "g23_yantian_water_2022.txt": "tab-separated rows with empty cells",
    "g24_ruzhou_mangchuan_2024.txt": (
        "text copied from a web page (navigation, 图片, 发布时间/来源/字号 line, 打印本页, 上一条/下一条); runs of "
        "spaces with split header cells; 本年收费金额 printed 无"
    ),
    "g25_jiangmen_natural_resources_2019.txt": (
        "`|`-separated cells, 2019 template with the 2021 row label 行政规范性文件 (for 规范性文件, 2019 columns); "
        "UTF-8 with a byte-order mark"
    ),
    "series/shaoxing_city_2020.txt": "series year 1 (gov2019), tab-separated rows",
    "series/shaoxing_city_2021.txt": (
        "series year 2 (gov2021), Word-copied rows; 上年结转 = 2020's 结转下年度 in every column"
    ),
    "series/shaoxing_city_2022.txt": (
        "series year 3 (gov2021), runs of spaces; 上年结转 自然人 4 ≠ 2021's 结转下年度 5; 现行有效 holds for "
        "规章, not for 行政规范性文件"
    ),
}
