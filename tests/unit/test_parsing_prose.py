"""Values from prose (prose.py + prose_patterns.yaml): phrasings, numbers, qualifiers, distractors, sums."""

from __future__ import annotations

import copy
from pathlib import Path

import polars as pl
import pytest
import yaml

from orchestration.lib.parsing import ParseResult, parse_documents
from orchestration.lib.parsing.catalogue import CATALOGUE_CSV, DEFAULT_CATALOGUE_PATH
from orchestration.lib.parsing.clean import clean_documents
from orchestration.lib.parsing.lines import explode_lines
from orchestration.lib.parsing.prose import (
    DEFAULT_PATTERNS_PATH,
    PROSE_RELATIONS,
    PROSE_VALUES,
    extract_prose,
    load_rules,
    rules_from_dict,
)
from orchestration.lib.schemas import INDICATOR_VALUES, VALUE_RELATIONS
from tests.parsing_helpers import docs, parse_paths

RAW = Path(__file__).resolve().parents[2] / "raw"
TITLE = "某某镇2018年政府信息公开工作年度报告"


def report(*lines: str) -> str:
    return "\n".join([TITLE, *lines])


def prose_of(result: ParseResult, report_id: str = "r0") -> dict[tuple[str, str], tuple[float, str]]:
    rows = result.values.filter((pl.col("report_id") == report_id) & (pl.col("source_kind") == "prose"))
    return {(r["indicator_code"], r["breakdown"]): (r["value"], r["qualifier"]) for r in rows.iter_rows(named=True)}


def prose(*lines: str) -> dict[tuple[str, str], tuple[float, str]]:
    return prose_of(parse_documents(docs(report(*lines))))


def relations_of(result: ParseResult, report_id: str = "r0") -> dict[tuple[str, str], list[tuple[str, str]]]:
    out: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for r in result.relations.filter(pl.col("report_id") == report_id).iter_rows(named=True):
        out.setdefault((r["parent_indicator_code"], r["parent_breakdown"]), []).append(
            (r["child_indicator_code"], r["child_breakdown"])
        )
    return out


# ---------------------------------------------------------------------------------------------
# Seeds
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeds() -> ParseResult:
    result, _ = parse_paths(sorted(RAW.glob("*.txt")))
    return result


def seed_id(seeds: ParseResult, prefix: str) -> str:
    return seeds.reports.filter(pl.col("source_file").str.starts_with(prefix))["report_id"].item()


def seed_rows(seeds: ParseResult, prefix: str) -> dict[tuple[str, str], dict]:
    rows = seeds.values.filter((pl.col("report_id") == seed_id(seeds, prefix)) & (pl.col("source_kind") == "prose"))
    return {(r["indicator_code"], r["breakdown"]): r for r in rows.iter_rows(named=True)}


def test_schemas(seeds: ParseResult) -> None:
    assert seeds.values.schema == INDICATOR_VALUES
    assert seeds.relations.schema == VALUE_RELATIONS
    prose_rows = seeds.values.filter(pl.col("source_kind") == "prose")
    assert prose_rows["evidence"].null_count() == 0 and prose_rows["source_line"].null_count() == 0
    assert seeds.values.filter(pl.col("source_kind") == "table")["evidence"].null_count() == 0


def test_seed_001(seeds: ParseResult) -> None:
    v = {k: (r["value"], r["qualifier"]) for k, r in seed_rows(seeds, "001_").items()}
    categories = {"规划计划类": 30, "乡镇动态概况信息": 47, "社情民意": 10, "政策宣传类": 11, "财经类": 5, "其他": 3}
    expected = {
        ("pre_proactive_items", ""): (606.0, "exact"),
        ("pre_channel_website", ""): (106.0, "exact"),
        **{("prose_proactive_by_category", b): (float(n), "exact") for b, n in categories.items()},
        ("pre_channel_other", ""): (500.0, "exact"),
        ("pre_response_hotspots", ""): (4.0, "exact"),
        ("prose_satisfaction_rate", ""): (100.0, "exact"),
        ("pre_meetings", ""): (3.0, "exact"),
        ("pre_trainings", ""): (4.0, "exact"),
        ("pre_trainees", ""): (100.0, "at_least"),
        ("pre_requests_received", ""): (0.0, "stated_none"),
        ("pre_answer_refused", ""): (0.0, "stated_none"),
        ("pre_reconsiderations", ""): (0.0, "stated_none"),
        ("pre_lawsuits", ""): (0.0, "stated_none"),
        ("pre_fees", ""): (0.0, "stated_none"),
    }
    assert v == expected
    rel = relations_of(seeds, seed_id(seeds, "001_"))
    assert rel == {
        ("pre_proactive_items", ""): [("pre_channel_website", ""), ("pre_channel_other", "")],
        ("pre_channel_website", ""): [("prose_proactive_by_category", b) for b in categories],
    }
    assert set(seeds.relations.filter(pl.col("report_id") == seed_id(seeds, "001_"))["relation_id"]) == {
        "prose_sum_1",
        "prose_sum_2",
    }


def test_seed_001_evidence_is_the_repaired_sentence(seeds: ParseResult) -> None:
    rows = seed_rows(seeds, "001_")
    other = rows[("pre_channel_other", "")]
    assert other["source_line"] == 29
    assert "其他方式和途径公开信息500条" in other["evidence"]
    assert "必威" not in "".join(r["evidence"] for r in rows.values())
    assert rows[("pre_trainees", "")]["raw_value"] == "100余人次"
    assert rows[("pre_trainees", "")]["unit"] == "人次"


def test_seed_000(seeds: ParseResult) -> None:
    rows = seed_rows(seeds, "000_")
    v = {k: (r["value"], r["qualifier"]) for k, r in rows.items()}
    assert v[("prose_messages_published", "")] == (64.0, "exact")
    assert v[("prose_open_letters", "")] == (1200.0, "at_least")
    assert v[("prose_online_services", "")] == (1448.0, "exact")
    assert v[("prose_open_day_participants", "")] == (66.0, "exact")
    assert v[("prose_key_project_items", "")] == (3.0, "exact")
    assert v[("prose_key_work_items", "")] == (9.0, "exact")
    assert v[("prose_guides_printed", "")] == (1000.0, "at_least")
    assert v[("prose_service_trainings", "")] == (6.0, "exact")
    assert v[("prose_service_trainees", "")] == (14.0, "exact")
    assert v[("prose_deputy_proposals", "")] == (2.0, "exact")  # 两项
    # rates only as rates
    assert v[("prose_completion_rate", "")] == (100.0, "exact")
    assert v[("prose_online_share", "")] == (90.0, "at_least")
    assert v[("prose_reply_rate", "")] == (100.0, "exact")
    assert v[("pre_policy_interpretations", "")] == (0.0, "stated_none")
    assert v[("pre_response_hotspots", "")] == (0.0, "stated_none")
    assert v[("pre_requests_received", "")] == (0.0, "stated_none")
    # No count from 100% / 90%以上 / 〔2018〕90号 / dates
    counts = {k: x for k, x in v.items() if rows[k]["unit"] != "%"}
    assert not {90.0, 2018.0} & {x for x, _ in counts.values()}
    assert all(r["unit"] == "%" for r in rows.values() if r["indicator_code"].endswith(("_rate", "_share")))
    assert {r["unit"] for r in rows.values() if not r["indicator_code"].endswith(("_rate", "_share"))} <= {
        "条",
        "件",
        "人",
        "人次",
        "次",
        "张",
        "项",
        None,
    }


def test_seed_002(seeds: ParseResult) -> None:
    rows = seed_rows(seeds, "002_")
    v = {k: (r["value"], r["qualifier"]) for k, r in rows.items()}
    assert v[("prose_documents_issued", "")] == (33.0, "exact")
    assert v[("prose_documents_by_disclosure", "公开发布")] == (17.0, "exact")
    assert v[("prose_documents_by_disclosure", "不公开")] == (15.0, "exact")
    assert v[("prose_documents_by_disclosure", "依申请公开")] == (1.0, "exact")
    # "…并在年内召" / blank / "开了2次政务公开工作专题会议": the number is on line 15
    meetings = rows[("pre_meetings", "")]
    assert (meetings["value"], meetings["qualifier"], meetings["source_line"]) == (2.0, "exact", 15)
    assert "并在年内召开了2次政务公开工作专题会议" in meetings["evidence"]
    assert relations_of(seeds, seed_id(seeds, "002_")) == {
        ("prose_documents_issued", ""): [
            ("prose_documents_by_disclosure", "公开发布"),
            ("prose_documents_by_disclosure", "不公开"),
            ("prose_documents_by_disclosure", "依申请公开"),
        ]
    }
    for code in ("pre_fees", "pre_reconsiderations", "pre_lawsuits", "pre_requests_received"):
        assert v[(code, "")] == (0.0, "stated_none"), code
    # the table is still read, and both are kept
    table = seeds.values.filter(
        (pl.col("report_id") == seed_id(seeds, "002_")) & (pl.col("indicator_code") == "pre_meetings")
    )
    assert sorted(table["source_kind"]) == ["prose", "table"]


def test_seed_003(seeds: ParseResult) -> None:
    v = {k: (r["value"], r["qualifier"]) for k, r in seed_rows(seeds, "003_").items()}
    assert v == {
        ("pre_fees", ""): (0.0, "stated_none"),
        ("pre_reconsiderations", ""): (0.0, "stated_none"),
        ("pre_lawsuits", ""): (0.0, "stated_none"),
        ("prose_meetings_and_trainings", ""): (1.0, "exact"),
        ("pre_trainees", ""): (19.0, "exact"),
    }


def test_seed_004(seeds: ParseResult) -> None:
    v = {k: (r["value"], r["qualifier"]) for k, r in seed_rows(seeds, "004_").items()}
    assert v == {
        ("prose_bulletin_boards", ""): (9.0, "exact"),
        ("prose_disclosure_walls", ""): (20.0, "exact"),
        ("pre_channel_website", ""): (45.0, "exact"),
        ("pre_channel_other", ""): (160.0, "exact"),
        ("prose_catalogue_entries", ""): (8.0, "exact"),
        ("pre_requests_received", ""): (0.0, "stated_none"),
        ("pre_reconsiderations", ""): (0.0, "stated_none"),
        ("pre_lawsuits", ""): (0.0, "stated_none"),
        ("prose_leaders_in_group", ""): (2.0, "exact"),  # 组长1名，副组长1名
        ("pre_staff_part_time", ""): (1.0, "exact"),
    }


def test_source_lines_hold_the_number(seeds: ParseResult) -> None:
    for prefix in ("000_", "001_", "002_", "003_", "004_"):
        name = seeds.reports.filter(pl.col("source_file").str.starts_with(prefix))["source_file"].item()
        lines = (RAW / name).read_text(encoding="utf-8").split("\n")
        for (_code, _b), row in seed_rows(seeds, prefix).items():
            line = lines[row["source_line"] - 1].replace(" ", "")
            if row["qualifier"] == "stated_none":
                assert row["raw_value"][:4] in line, row
            else:
                number = row["raw_value"].replace(" ", "")
                assert number[:2] in line, row


# ---------------------------------------------------------------------------------------------
# Phrasings (inline reports)
# ---------------------------------------------------------------------------------------------

PHRASINGS = [
    (
        "主动公开 and channels",
        ["全年主动公开政府信息1,286条，其中通过政府网站公开412条，通过政务微博发布568条，通过微信公众号推送306条。"],
        {
            ("pre_proactive_items", ""): (1286.0, "exact"),
            ("pre_channel_website", ""): (412.0, "exact"),
            ("pre_channel_weibo", ""): (568.0, "exact"),
            ("pre_channel_wechat", ""): (306.0, "exact"),
        },
    ),
    (
        "several channels at once is the total, 其他方式 the other channel",
        ["通过门户网站、政务微信、公示栏等渠道主动公开政府信息共计1532条，通过公开栏等其他方式公开信息200条。"],
        {("pre_proactive_items", ""): (1532.0, "exact"), ("pre_channel_other", ""): (200.0, "exact")},
    ),
    (
        "Chinese numerals and categories",
        ["全年主动公开政府信息一百二十条，其中政策法规类十五条、工作动态类六十八条、其他信息三十七条。"],
        {
            ("pre_proactive_items", ""): (120.0, "exact"),
            ("prose_proactive_by_category", "政策法规类"): (15.0, "exact"),
            ("prose_proactive_by_category", "工作动态类"): (68.0, "exact"),
            ("prose_proactive_by_category", "其他"): (37.0, "exact"),
        },
    ),
    (
        "meetings, trainings, trainees",
        ["召开政务公开工作会议三次，举办政务公开培训班2期，培训干部二十余人。"],
        {
            ("pre_meetings", ""): (3.0, "exact"),
            ("pre_trainings", ""): (2.0, "exact"),
            ("pre_trainees", ""): (20.0, "at_least"),
        },
    ),
    (
        "number before the noun",
        ["召开了2次政务公开专题会议，明确1名专职人员和3名兼职人员负责信息公开工作。"],
        {
            ("pre_meetings", ""): (2.0, "exact"),
            ("pre_staff_full_time", ""): (1.0, "exact"),
            ("pre_staff_part_time", ""): (3.0, "exact"),
        },
    ),
    (
        "staff in total and by kind",
        ["全县共有政府信息公开专兼职工作人员十一名，其中专职工作人员3名，兼职工作人员8名。"],
        {
            ("pre_staff_total", ""): (11.0, "exact"),
            ("pre_staff_full_time", ""): (3.0, "exact"),
            ("pre_staff_part_time", ""): (8.0, "exact"),
        },
    ),
    (
        "requests and answers",
        [
            "全年共收到政府信息公开申请14件，其中网上申请9件、信函申请3件、当面申请2件。"
            "已答复14件：同意公开8件，同意部分公开2件，不同意公开1件，不属于本机关公开范围2件，申请信息不存在1件。"
        ],
        {
            ("pre_requests_received", ""): (14.0, "exact"),
            ("pre_requests_online", ""): (9.0, "exact"),
            ("pre_requests_letter", ""): (3.0, "exact"),
            ("pre_requests_in_person", ""): (2.0, "exact"),
            ("pre_requests_answered", ""): (14.0, "exact"),
            ("pre_answer_granted", ""): (8.0, "exact"),
            ("pre_answer_partly_granted", ""): (2.0, "exact"),
            ("pre_answer_refused", ""): (1.0, "exact"),
            ("pre_answer_not_this_agency", ""): (2.0, "exact"),
            ("pre_answer_not_exist", ""): (1.0, "exact"),
        },
    ),
    (
        "a refusal with its reason in brackets",
        ["三、依申请公开情况", "答复3件，其中同意公开2件，不予公开1件（涉及个人隐私）。"],
        {
            ("pre_requests_answered", ""): (3.0, "exact"),
            ("pre_answer_granted", ""): (2.0, "exact"),
            ("pre_answer_refused", ""): (1.0, "exact"),
            ("pre_refused_privacy", ""): (1.0, "exact"),
        },
    ),
    (
        "reconsiderations and lawsuits with outcomes",
        [
            "因政府信息公开申请行政复议4件，其中维持具体行政行为3件，被依法纠错1件；"
            "提起行政诉讼2件，其中维持具体行政行为或者驳回原告诉讼请求1件，其他情形1件。"
        ],
        {
            ("pre_reconsiderations", ""): (4.0, "exact"),
            ("pre_reconsideration_upheld", ""): (3.0, "exact"),
            ("pre_reconsideration_corrected", ""): (1.0, "exact"),
            ("pre_lawsuits", ""): (2.0, "exact"),
            ("pre_lawsuit_upheld", ""): (1.0, "exact"),
            ("pre_lawsuit_other", ""): (1.0, "exact"),
        },
    ),
    (
        "fees in 元 become 万元",
        ["三、收费情况", "全年共收取检索、复制、邮寄费用合计500元。"],
        {("pre_fees", ""): (0.05, "exact")},
    ),
    (
        "responses, interpretations, press conferences",
        [
            "全年回应公众关注热点17次，发布政策解读稿件12篇。",
            "举办新闻发布会126次，其中主要负责同志参加38次。",
        ],
        {
            ("pre_response_hotspots", ""): (17.0, "exact"),
            ("pre_policy_interpretations", ""): (12.0, "exact"),
            ("pre_press_conferences", ""): (126.0, "exact"),
            ("pre_press_conferences_by_leaders", ""): (38.0, "exact"),
        },
    ),
    (
        "prose-only counts",
        [
            "共设立公开栏9个，公开墙20个。设置政府信息查阅点3个。",
            "网上办理便民服务事项1448件，办结率100%，群众满意率98.5%。",
            "组织开展政府开放日活动2次，邀请群众代表等66人参加。",
        ],
        {
            ("prose_bulletin_boards", ""): (9.0, "exact"),
            ("prose_disclosure_walls", ""): (20.0, "exact"),
            ("pre_inspection_points", ""): (3.0, "exact"),
            ("prose_online_services", ""): (1448.0, "exact"),
            ("prose_completion_rate", ""): (100.0, "exact"),
            ("prose_satisfaction_rate", ""): (98.5, "exact"),
            ("prose_open_days", ""): (2.0, "exact"),
            ("prose_open_day_participants", ""): (66.0, "exact"),
        },
    ),
    (
        "qualifiers",
        [
            "全年主动公开政府信息约300条，其中政务微博发布超过120条。",
            "培训政务公开工作人员200人次左右。通过其他方式公开信息近90条。",
        ],
        {
            ("pre_proactive_items", ""): (300.0, "approx"),
            ("pre_channel_weibo", ""): (120.0, "at_least"),
            ("pre_trainees", ""): (200.0, "approx"),
            ("pre_channel_other", ""): (90.0, "approx"),
        },
    ),
    (
        "full-width digits and 万",
        ["全年主动公开政府信息１２３条。网上政务服务平台全年办理事项超过350万件。"],
        {
            ("pre_proactive_items", ""): (123.0, "exact"),
            ("prose_online_services", ""): (3_500_000.0, "at_least"),
        },
    ),
    (
        "leading group stated together",
        ["领导小组组长、副组长共3名，配备兼职工作人员两名。"],
        {("prose_leaders_in_group", ""): (3.0, "exact"), ("pre_staff_part_time", ""): (2.0, "exact")},
    ),
]


@pytest.mark.parametrize(("what", "lines", "expected"), PHRASINGS, ids=[p[0] for p in PHRASINGS])
def test_phrasings(what: str, lines: list[str], expected: dict) -> None:
    assert prose(*lines) == expected, what


NONE_STATEMENTS = [
    ("本年度我镇无依申请公开政府信息情况。", ["pre_requests_received"]),
    ("2018年，机关事务局未收到信函、传真等形式申请要求公开政府信息。", ["pre_requests_received"]),
    ("本年度没有因政府信息公开申请行政复议、提起行政诉讼情况发生。", ["pre_reconsiderations", "pre_lawsuits"]),
    ("未发生针对本部门有关政府信息公开事务的行政复议案、行政诉讼案。", ["pre_reconsiderations", "pre_lawsuits"]),
    ("机关事务局不存在任何政府信息公开收费和减免情况。", ["pre_fees"]),
    ("本年度我镇无政府信息依申请公开相关的收费及减免情况。", ["pre_fees"]),
    ("本年度未收取任何政府信息公开费用。", ["pre_fees"]),
    ("没有起草印发相关政策性文件，故无政策解读情况。", ["pre_policy_interpretations"]),
    ("2018年机关事务局未接到要求回应社会关切问题的来电、信函等。", ["pre_response_hotspots"]),
]


@pytest.mark.parametrize(("sentence", "codes"), NONE_STATEMENTS)
def test_none_statements(sentence: str, codes: list[str]) -> None:
    assert prose(sentence) == {(c, ""): (0.0, "stated_none") for c in codes}


def test_a_bare_none_under_a_heading() -> None:
    got = prose("四、收费及减免情况", "无。", "五、行政复议和行政诉讼情况", "本年度无。")
    assert got == {
        ("pre_fees", ""): (0.0, "stated_none"),
        ("pre_reconsiderations", ""): (0.0, "stated_none"),
        ("pre_lawsuits", ""): (0.0, "stated_none"),
    }


def test_words_starting_with_none_state_nothing() -> None:
    assert prose("无论是政策解读还是回应关切，都做到无缝衔接，无需申请公开。") == {}
    assert prose("行政诉讼0件。") == {("pre_lawsuits", ""): (0.0, "exact")}  # a printed zero is exact


def test_first_statement_wins_and_table_rows_are_kept_apart() -> None:
    text = report(
        "全年主动公开政府信息120条。",
        "再次说明，本年度主动公开政府信息121条。",
        "统计指标\t单位\t统计数",
        "（一）主动公开政府信息数\t条\t125",
    )
    result = parse_documents(docs(text))
    rows = result.values.filter(pl.col("indicator_code") == "pre_proactive_items")
    assert rows.select("source_kind", "value", "source_line").rows() == [("prose", 120.0, 2), ("table", 125.0, 5)]
    assert rows["evidence"].to_list() == ["全年主动公开政府信息120条。", "（一）主动公开政府信息数\t条\t125"]


# ---------------------------------------------------------------------------------------------
# Distractors: never a count
# ---------------------------------------------------------------------------------------------

DISTRACTORS = report(
    "本报告根据《中华人民共和国政府信息公开条例》第三十二条规定编制，依据仁府办函〔2018〕81号和灵政办发[2018]90号文件要求。",
    "所列数据的统计期限自2018年1月1日起至2018年12月31日止，2019年02月28日发布，2018 年度报告于2019-03-20 09:30上线。",
    "如有疑问请联系（地址：某某镇中心街南段66号政府大楼108 室；邮编：612500；"
    "联系电话：028-37010111，手机13912345678）。",
    "二〇一八年十二月，我镇每月信息公开平台发布数量不少于8条，每半年开展一次自查，每年开展不少于两次的业务培训。",
    "计划举办培训班3期。办结率100%，网上办理事项占比90%以上，同比增长16.9%，第一个开展开放日的乡镇。",
    "第2次会议研究了三个方面的工作，形成二次、多次传播态势，访问网址www.abc.gov.cn或发邮件至abc123@163.com。",
)


def test_distractors_are_never_counts() -> None:
    result = parse_documents(docs(DISTRACTORS))
    rows = result.values.filter(pl.col("source_kind") == "prose")
    counts = rows.filter(pl.col("unit") != "%")
    banned = {
        32, 2018, 81, 90, 1, 12, 31, 2019, 2, 28, 3, 20, 9, 30, 66, 108, 612500, 37010111, 13912345678,
        8, 16.9, 100,
    }  # fmt: skip
    assert not [r for r in counts.iter_rows(named=True) if r["value"] in banned], counts
    # percentages are rates, never counts
    assert rows.filter(pl.col("unit") == "%")["indicator_code"].to_list() == [
        "prose_completion_rate",
        "prose_online_share",
    ]


# ---------------------------------------------------------------------------------------------
# Prose sums
# ---------------------------------------------------------------------------------------------


def test_sum_with_a_cue_after_a_comparison_and_a_restated_whole() -> None:
    result = parse_documents(
        docs(
            report(
                "全年主动公开政府信息873条，较上年增加126条，增长16.9%。其中通过政府网站公开信息512条，"
                "通过公开栏等其他方式公开信息361条。上述873条信息按类别分：机构职能类73条，工作动态类800条。",
            )
        )
    )
    rel = result.relations
    assert rel["relation_id"].unique(maintain_order=True).to_list() == ["prose_sum_1", "prose_sum_2"]
    assert set(rel["parent_indicator_code"]) == {"pre_proactive_items"}
    first = rel.filter(pl.col("relation_id") == "prose_sum_1")
    assert first.select("child_indicator_code", "child_breakdown").rows() == [
        ("pre_channel_website", ""),
        ("pre_channel_other", ""),
    ]
    second = rel.filter(pl.col("relation_id") == "prose_sum_2")  # "上述873条信息按类别分" restates the whole
    assert second.select("child_indicator_code", "child_breakdown").rows() == [
        ("prose_proactive_by_category", "机构职能类"),
        ("prose_proactive_by_category", "工作动态类"),
    ]


def test_a_single_part_is_a_sum_only_when_it_equals_the_whole() -> None:
    equal = parse_documents(docs(report("全年共收到政府信息公开申请2件，其中当面申请2件。")))
    assert relations_of(equal) == {("pre_requests_received", ""): [("pre_requests_in_person", "")]}
    smaller = parse_documents(docs(report("全年共收到政府信息公开申请5件，其中当面申请2件。")))
    assert smaller.relations.is_empty()


def test_parts_in_brackets() -> None:
    result = parse_documents(docs(report("全市因政府信息公开申请行政复议97件（维持72件，纠错13件，其他12件）。")))
    assert relations_of(result) == {
        ("pre_reconsiderations", ""): [
            ("pre_reconsideration_upheld", ""),
            ("pre_reconsideration_corrected", ""),
            ("pre_reconsideration_other", ""),
        ]
    }


# ---------------------------------------------------------------------------------------------
# Engine and data
# ---------------------------------------------------------------------------------------------


def test_batch_equals_one_by_one(seeds: ParseResult) -> None:
    """Prose values and sums of a report do not depend on the other reports of the batch."""
    texts = [(RAW / name).read_text(encoding="utf-8") for name in sorted(p.name for p in RAW.glob("*.txt"))]
    texts += [DISTRACTORS, report("全年主动公开政府信息120条，其中政务微博发布20条，政务微信推送100条。")]
    batch = docs(*texts)
    together = parse_documents(batch)
    for i in range(batch.height):
        alone = parse_documents(batch.slice(i, 1))
        rid = f"r{i}"
        assert together.values.filter(pl.col("report_id") == rid).equals(alone.values), rid
        assert together.relations.filter(pl.col("report_id") == rid).equals(alone.relations), rid


def test_extract_prose_on_its_own() -> None:
    frame = pl.DataFrame(
        {"doc": [0], "text": [report("全年主动公开政府信息12条。")]}, schema={"doc": pl.UInt32, "text": pl.String}
    )
    bounds = pl.DataFrame(
        {"doc": [0], "title_line": [1], "end_line": [None], "title": [TITLE]},
        schema={"doc": pl.UInt32, "title_line": pl.Int32, "end_line": pl.Int32, "title": pl.String},
    )
    cleaned = clean_documents(explode_lines(frame), bounds)
    values, relations = extract_prose(cleaned.lines)
    assert values.schema == PROSE_VALUES and relations.schema == PROSE_RELATIONS
    assert values.select("indicator_code", "value", "source_line", "evidence").rows() == [
        ("pre_proactive_items", 12.0, 2, "全年主动公开政府信息12条。")
    ]
    empty_values, empty_relations = extract_prose(cleaned.lines.clear())
    assert empty_values.is_empty() and empty_relations.is_empty()


def test_every_pattern_code_is_in_the_catalogue() -> None:
    catalogue = pl.read_csv(DEFAULT_CATALOGUE_PATH, schema=CATALOGUE_CSV)
    codes = set(catalogue["indicator_code"])
    rules = load_rules()
    used = {p.code for p in (*rules.quantity_patterns, *rules.extra_patterns, *rules.sentence_patterns)}
    used |= {c for p in rules.none_patterns for c in p.codes}
    used |= {c for h in rules.heading_none for c in h.codes}
    assert used <= codes, used - codes
    headers = set(catalogue.filter(pl.col("is_header"))["indicator_code"])
    assert not used & headers
    prose_rows = catalogue.filter(pl.col("template") == "prose")
    assert (prose_rows["row_order"] > 100).all()


def raw_patterns() -> dict:
    with open(DEFAULT_PATTERNS_PATH, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def test_a_phrasing_is_a_data_change() -> None:
    data = raw_patterns()
    text = report("全年在政务头条号发布动态信息77条。")
    assert prose_of(parse_documents(docs(text))) == {}
    data = copy.deepcopy(data)
    data["quantity_patterns"].insert(0, {"code": "pre_channel_other", "units": ["条"], "before": "头条号[^,;]*?发布"})
    rules = rules_from_dict(data)
    frame = pl.DataFrame({"doc": [0], "text": [text]}, schema={"doc": pl.UInt32, "text": pl.String})
    bounds = pl.DataFrame(
        {"doc": [0], "title_line": [1], "end_line": [None], "title": [TITLE]},
        schema={"doc": pl.UInt32, "title_line": pl.Int32, "end_line": pl.Int32, "title": pl.String},
    )
    values, _ = extract_prose(clean_documents(explode_lines(frame), bounds, rules).lines, rules)
    assert values.select("indicator_code", "value").rows() == [("pre_channel_other", 77.0)]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["quantity_patterns"][0].update(before="(unclosed"), "invalid regex"),
        (lambda d: d["quantity_patterns"][0].update(units=["斤"]), "units not in"),
        (lambda d: d["quantity_patterns"][0].update(breakdown="{b}"), "group b"),
        (lambda d: d["families"].update(proactive=["nothing_like_this"]), "unknown families"),
        (lambda d: d["spam"]["collocations"].append(["旁的", "left", "等$", 1]), "candidate"),
    ],
)
def test_bad_pattern_files_are_refused(change, message: str) -> None:
    data = copy.deepcopy(raw_patterns())
    change(data)
    with pytest.raises(ValueError, match=message):
        rules_from_dict(data)


# ---------------------------------------------------------------------------------------------
# Prose sums: only when every number of the enumerating span is a part
# ---------------------------------------------------------------------------------------------

SUMS = [
    (
        "every part mapped, parts after 其中：separated by ；",
        "二〇一五年本局主动公开政府信息640条，其中：在门户网站发布520条；通过政务微博发布70条；通过政务微信推送50条。",
        {
            ("pre_proactive_items", ""): [
                ("pre_channel_website", ""),
                ("pre_channel_weibo", ""),
                ("pre_channel_wechat", ""),
            ]
        },
    ),
    (
        "number before the noun in every part",
        "全年受理政府信息公开申请10件，其中4件当面提交，另外6件以信函方式提交。",
        {("pre_requests_received", ""): [("pre_requests_in_person", ""), ("pre_requests_letter", "")]},
    ),
    (
        "answer outcomes stated number first",
        "依申请公开方面，答复申请9件，其中6件同意公开，2件部分公开，1件不予公开。",
        {
            ("pre_requests_answered", ""): [
                ("pre_answer_granted", ""),
                ("pre_answer_partly_granted", ""),
                ("pre_answer_refused", ""),
            ]
        },
    ),
    (
        "其余 N 条 通过…方式 is the other channel, a part",
        "全年主动公开政府信息共计420条，其中通过政府网站公开380条，其余40条通过公开栏方式公开。",
        {("pre_proactive_items", ""): [("pre_channel_website", ""), ("pre_channel_other", "")]},
    ),
    (
        "a share after a part is no part",
        "全年共收到政府信息公开申请20件，其中网上申请15件，占75%，当面申请5件。",
        {("pre_requests_received", ""): [("pre_requests_online", ""), ("pre_requests_in_person", "")]},
    ),
    (
        "a part that was not read (来电咨询): no sum",
        "全年共收到信息公开申请14件，其中网上申请9件、来电咨询3件、当面申请2件。",
        {},
    ),
    (
        "an unread channel (电子显示屏滚动) in the middle: no sum",
        "主动公开政府信息500条，其中通过政府网站公开300条，通过LED屏循环展播150条，通过政务微博发布50条。",
        {},
    ),
    (
        "an unread outcome at the end: no sum",
        "答复政府信息公开申请7件，其中同意公开4件，部分公开2件，转交相关部门办理1件。",
        {},
    ),
    ("a single part is a subset, not a sum", "全年主动公开政府信息120条，其中通过政府网站公开110条。", {}),
    ("a single part, number first", "共受理依申请公开申请8件，其中5件通过网上提交。", {}),
]


@pytest.mark.parametrize(("what", "sentence", "expected"), SUMS, ids=[s[0] for s in SUMS])
def test_a_sum_only_when_every_number_of_the_span_is_a_part(what: str, sentence: str, expected: dict) -> None:
    assert relations_of(parse_documents(docs(report(sentence)))) == expected, what


def test_a_part_unread_after_the_full_stop_ends_the_span() -> None:
    # the parts run on into the next sentence (seed 001) …
    ran_on = report(
        "全年主动公开政府信息90条，其中通过政府网站公开60条，包括工作动态类40条，通知公告类20条。通过公示栏等其他方式公开30条。"
    )
    assert relations_of(parse_documents(docs(ran_on)))[("pre_proactive_items", "")] == [
        ("pre_channel_website", ""),
        ("pre_channel_other", ""),
    ]
    # … an unread number in a later sentence ends the span, it does not spoil the sum.
    ended = report("全年主动公开政府信息90条，其中通过政府网站公开60条，通过公示栏公开30条。群众查阅达200人次。")
    assert relations_of(parse_documents(docs(ended))) == {
        ("pre_proactive_items", ""): [("pre_channel_website", ""), ("pre_channel_other", "")]
    }


# ---------------------------------------------------------------------------------------------
# Numbers that are no counts of disclosure work
# ---------------------------------------------------------------------------------------------

NOT_COUNTS = [
    "本报告分为五个部分，现从三个方面对全年政务公开工作的6个方面作简要总结。",
    "下一步，我局力争政府网站信息公开率达到95%以上，确保全年主动公开信息不少于300条。",
    "明年计划举办政务公开培训班2期，拟召开政务公开专题会议3次，争取公开信息500条。",
    "我镇将继续组织政务公开业务培训4次，将进一步完善公开栏12个。",
    "我县是全市第一个开展政府开放日的县，第二次政务公开会议于二〇一八年三月召开。",
]


@pytest.mark.parametrize("sentence", NOT_COUNTS)
def test_sections_targets_plans_and_ordinals_are_never_counts(sentence: str) -> None:
    assert prose(sentence) == {}


def test_results_under_a_heading_about_plans_are_not_read() -> None:
    got = prose("四、主动公开情况", "全年举办政务公开培训班3期。", "五、下一步工作打算", "全年举办政务公开培训班4期。")
    assert got == {("pre_trainings", ""): (3.0, "exact")}


def test_将近_is_a_qualifier_not_a_plan() -> None:
    assert prose("全年主动公开政府信息将近八百条。") == {("pre_proactive_items", ""): (800.0, "approx")}


# ---------------------------------------------------------------------------------------------
# More phrasings
# ---------------------------------------------------------------------------------------------

MORE_PHRASINGS = [
    (
        "number before the noun",
        ["共有36人次参加了政务公开业务培训，先后3次召开政务公开工作会议，全年有2件涉及政务公开的群众投诉。"],
        {
            ("pre_trainees", ""): (36.0, "exact"),
            ("pre_meetings", ""): (3.0, "exact"),
            ("pre_complaints", ""): (2.0, "exact"),
        },
    ),
    (
        "计 / 累计 and Chinese numerals",
        ["全年主动公开政府信息计二百一十七条，累计组织政务公开培训四次，培训干部一千二百人次。"],
        {
            ("pre_proactive_items", ""): (217.0, "exact"),
            ("pre_trainings", ""): (4.0, "exact"),
            ("pre_trainees", ""): (1200.0, "exact"),
        },
    ),
    (
        "逾 / 十余 / 百余 / 逾百万元",
        ["全年收到政府信息公开申请逾百件，举办政务公开培训十余次，参训百余人次，落实政务公开专项经费逾百万元。"],
        {
            ("pre_requests_received", ""): (100.0, "at_least"),
            ("pre_trainings", ""): (10.0, "at_least"),
            ("pre_trainees", ""): (100.0, "at_least"),
            ("pre_special_funds", ""): (100.0, "at_least"),
        },
    ),
    (
        "近 / 约 / 左右",
        ["全年主动公开政府信息近四百条，召开政务公开工作会议约5次，培训政务公开人员60人左右。"],
        {
            ("pre_proactive_items", ""): (400.0, "approx"),
            ("pre_meetings", ""): (5.0, "approx"),
            ("pre_trainees", ""): (60.0, "approx"),
        },
    ),
    (
        "request channels, number first and 网上提交的有",
        ["三、依申请公开情况", "全年收到申请7件，其中2件当面提交，另外2件以信函方式提交，网上提交的有3件。"],
        {
            ("pre_requests_received", ""): (7.0, "exact"),
            ("pre_requests_in_person", ""): (2.0, "exact"),
            ("pre_requests_letter", ""): (2.0, "exact"),
            ("pre_requests_online", ""): (3.0, "exact"),
        },
    ),
    (
        "answer outcomes number first; 均已答复 restates only in its clause",
        [
            "三、依申请公开情况",
            "收到政府信息公开申请6件，均已答复。6件申请均已答复，其中3件同意公开，1件部分公开，"
            "1件不属于本机关公开范围，1件申请信息不存在。",
        ],
        {
            ("pre_requests_received", ""): (6.0, "exact"),
            ("pre_requests_answered", ""): (6.0, "exact"),
            ("pre_answer_granted", ""): (3.0, "exact"),
            ("pre_answer_partly_granted", ""): (1.0, "exact"),
            ("pre_answer_not_this_agency", ""): (1.0, "exact"),
            ("pre_answer_not_exist", ""): (1.0, "exact"),
        },
    ),
    (
        "a clause of its own restates nothing",
        ["全年共收到政府信息公开申请5件，已全部办结。"],
        {("pre_requests_received", ""): (5.0, "exact")},
    ),
    (
        "gazette, weibo/wechat responses, normative documents, dedicated units, special funds",
        [
            "通过《某市人民政府公报》刊登政府信息25条。",
            "通过政务微博、微信回应社会关注热点事件8次。",
            "全年制发规范性文件12件，其中主动公开10件。",
            "设立政府信息公开专门机构2个，安排政府信息公开专项经费3.5万元。",
        ],
        {
            ("pre_channel_gazette", ""): (25.0, "exact"),
            ("pre_response_weibo_wechat", ""): (8.0, "exact"),
            ("pre_normative_docs_issued", ""): (12.0, "exact"),
            ("pre_proactive_normative_docs", ""): (10.0, "exact"),
            ("pre_dedicated_units", ""): (2.0, "exact"),
            ("pre_special_funds", ""): (3.5, "exact"),
        },
    ),
]


@pytest.mark.parametrize(("what", "lines", "expected"), MORE_PHRASINGS, ids=[p[0] for p in MORE_PHRASINGS])
def test_more_phrasings(what: str, lines: list[str], expected: dict) -> None:
    assert prose(*lines) == expected, what


def test_normative_documents_proactive_part_is_no_sum() -> None:
    assert parse_documents(docs(report("全年制发规范性文件12件，其中主动公开10件。"))).relations.is_empty()


MORE_NONE_STATEMENTS = [
    ("2016年度我办依申请公开为零申请。", ["pre_requests_received"]),
    ("本年度未产生任何政府信息公开费用。", ["pre_fees"]),
    ("在办理依申请公开过程中，没有向申请人收取任何费用。", ["pre_fees"]),
    ("全年无一例因政府信息公开引起的行政复议和行政诉讼。", ["pre_reconsiderations", "pre_lawsuits"]),
    ("全年没有收到政府信息公开申请，亦无因政府信息公开提起的行政诉讼。", ["pre_requests_received", "pre_lawsuits"]),
    (
        "本年度不存在不予公开、收取费用以及行政复议、行政诉讼等情况。",
        ["pre_answer_refused", "pre_fees", "pre_reconsiderations", "pre_lawsuits"],
    ),
    ("全年无一起涉及政府信息公开的举报投诉。", ["pre_complaints"]),
]


@pytest.mark.parametrize(("sentence", "codes"), MORE_NONE_STATEMENTS)
def test_more_none_statements(sentence: str, codes: list[str]) -> None:
    assert prose(sentence) == {(c, ""): (0.0, "stated_none") for c in codes}


def test_均未发生_under_a_heading_naming_the_indicators() -> None:
    got = prose("五、因政府信息公开申请行政复议、提起行政诉讼的情况", "本年度均未发生。")
    assert got == {("pre_reconsiderations", ""): (0.0, "stated_none"), ("pre_lawsuits", ""): (0.0, "stated_none")}


def test_a_traditional_report_is_read_after_conversion() -> None:
    text = "\n".join(
        [
            "某某縣人民政府2012年政府信息公開工作年度報告",
            "一、概述",
            *["本年度我縣繼續推進政府信息公開工作，認真貫徹落實《條例》要求。"] * 4,
            "二、主動公開政府信息情況",
            "全年主動公開政府信息1,250條，其中通過政府網站公開1,100條，通過公開欄等其他方式公開150條。",
            "三、依申請公開情況",
            "全年共收到政府信息公開申請12件，其中當面申請5件，網上申請7件。",
            "四、收費及減免情況",
            "本年度未收取任何費用。",
            "五、行政復議和行政訴訟情況",
            "本年度無一例行政復議和行政訴訟。",
            *["我縣高度重視政務公開工作，不斷完善制度建設，強化監督檢查。"] * 24,
            "聯繫電話：0595-12345678，郵編：362000。",
            "某某縣人民政府辦公室",
        ]
    )
    assert len(text.splitlines()) == 40
    result = parse_documents(docs(text))
    assert "traditional_chars" in result.reports["cleaning_flags"].item().to_list()
    assert prose_of(result) == {
        ("pre_proactive_items", ""): (1250.0, "exact"),
        ("pre_channel_website", ""): (1100.0, "exact"),
        ("pre_channel_other", ""): (150.0, "exact"),
        ("pre_requests_received", ""): (12.0, "exact"),
        ("pre_requests_in_person", ""): (5.0, "exact"),
        ("pre_requests_online", ""): (7.0, "exact"),
        ("pre_fees", ""): (0.0, "stated_none"),
        ("pre_reconsiderations", ""): (0.0, "stated_none"),
        ("pre_lawsuits", ""): (0.0, "stated_none"),
    }


def test_a_page_break_inside_a_book_title_or_a_number() -> None:
    got = prose(
        "全年通过《某市人民政府公",
        "— 3 —",
        "报》刊登政府信息20条。全年主动公开政府信息1",
        "第 2 页",
        "25条，其中通过政府网站公开信息125条。全年共受理政府信息公开申请3",
        "- 4 -",
        "件。",
    )
    assert got == {
        ("pre_channel_gazette", ""): (20.0, "exact"),
        ("pre_proactive_items", ""): (125.0, "exact"),
        ("pre_channel_website", ""): (125.0, "exact"),
        ("pre_requests_received", ""): (3.0, "exact"),
    }


def test_other_channel_responses_and_none_for_funds_and_units() -> None:
    assert prose("全年通过微博微信回应公众关切事件12次，通过其他方式回应事件5次。") == {
        ("pre_response_weibo_wechat", ""): (12.0, "exact"),
        ("pre_response_other", ""): (5.0, "exact"),
    }
    assert prose("本单位未设立政府信息公开专门机构，本年度无政务公开专项经费。") == {
        ("pre_dedicated_units", ""): (0.0, "stated_none"),
        ("pre_special_funds", ""): (0.0, "stated_none"),
    }


def test_a_whole_stated_as_受理的_n_件申请中() -> None:
    result = parse_documents(docs(report("三、依申请公开情况", "今年受理的12件申请中，网上申请8件，当面申请4件。")))
    assert prose_of(result)[("pre_requests_received", "")] == (12.0, "exact")
    assert relations_of(result) == {
        ("pre_requests_received", ""): [("pre_requests_online", ""), ("pre_requests_in_person", "")]
    }


def test_政策文件及解读_in_a_list_of_categories_is_a_category_and_the_sum_is_whole() -> None:
    sentence = (
        "我镇通过德清县人民政府门户网站主动公开政府信息105条，其中机构职能和工作动态51条、通知公告31条、"
        "政策文件及解读1条、财政预决算等其他信息22条。"
    )
    result = parse_documents(docs(report(sentence)))
    assert prose_of(result) == {
        ("pre_channel_website", ""): (105.0, "exact"),
        ("prose_proactive_by_category", "机构职能和工作动态"): (51.0, "exact"),
        ("prose_proactive_by_category", "通知公告"): (31.0, "exact"),
        ("prose_proactive_by_category", "政策文件及解读"): (1.0, "exact"),
        ("prose_proactive_by_category", "财政预决算等其他"): (22.0, "exact"),
    }
    assert relations_of(result) == {
        ("pre_channel_website", ""): [
            ("prose_proactive_by_category", "机构职能和工作动态"),
            ("prose_proactive_by_category", "通知公告"),
            ("prose_proactive_by_category", "政策文件及解读"),
            ("prose_proactive_by_category", "财政预决算等其他"),
        ]
    }
    # Policy interpretations on their own stay what they are.
    assert prose("全年发布政策解读12篇。") == {("pre_policy_interpretations", ""): (12.0, "exact")}


@pytest.mark.parametrize(
    "sentence",
    [
        # a part read as another indicator (政策解读 → pre_policy_interpretations) inside the list
        "我镇通过门户网站主动公开政府信息105条，其中机构职能和工作动态51条、通知公告31条、政策解读1条、财政预决算等其他信息22条。",
        # a part read as nothing (来电咨询) inside the list
        "全年共收到信息公开申请14件，其中网上申请9件、来电咨询3件、当面申请2件。",
    ],
)
def test_a_foreign_or_unread_quantity_inside_the_span_means_no_sum(sentence: str) -> None:
    result = parse_documents(docs(report(sentence)))
    assert result.relations.is_empty()


def test_a_value_of_another_indicator_after_the_parts_ends_the_span() -> None:
    result = parse_documents(
        docs(report("全年共收到政府信息公开申请5件，其中当面申请2件，网上申请3件，已全部办结5件。"))
    )
    assert prose_of(result)[("pre_requests_completed", "")] == (5.0, "exact")
    assert relations_of(result) == {
        ("pre_requests_received", ""): [("pre_requests_in_person", ""), ("pre_requests_online", "")]
    }


def test_lawsuits_by_kind_are_no_count_of_all_lawsuits() -> None:
    assert prose(
        "2021年度，市政府因政府信息公开被申请行政复议9件，未经复议直接被提起行政诉讼1件，"
        "经复议后被提起行政诉讼3件，具体情况如下："
    ) == {
        ("pre_reconsiderations", ""): (9.0, "exact"),
        ("t4_review_litigation", "未经复议直接起诉/总计"): (1.0, "exact"),
        ("t4_review_litigation", "复议后起诉/总计"): (3.0, "exact"),
    }
    assert prose("全年发生行政复议2件，复议后起诉1件，行政诉讼3件。") == {
        ("pre_reconsiderations", ""): (2.0, "exact"),
        ("t4_review_litigation", "复议后起诉/总计"): (1.0, "exact"),
        ("pre_lawsuits", ""): (3.0, "exact"),
    }
