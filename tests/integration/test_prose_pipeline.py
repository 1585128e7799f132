"""Issue 3 through the whole pipeline: prose values, qualifiers, prose sums, text vs table, region."""

from __future__ import annotations

import pytest

from tests.conftest import SEED_FILES

pytestmark = pytest.mark.integration


def prose(pipeline, seed: str) -> dict[tuple[str, str], tuple[float, str]]:
    rows = pipeline.sql(
        """
        select v.indicator_code, v.breakdown, v.value, v.qualifier
        from marts.fct_indicator_value v join marts.dim_report r using (report_id)
        where r.source_file = ? and v.source_kind = 'prose'
        """,
        [SEED_FILES[seed]],
    )
    return {(code, breakdown): (value, qualifier) for code, breakdown, value, qualifier in rows.iter_rows()}


def test_seed_001_prose_values(pipeline):
    got = prose(pipeline, "001")
    expected = {
        ("pre_proactive_items", ""): (606, "exact"),
        ("pre_channel_website", ""): (106, "exact"),
        ("pre_channel_other", ""): (500, "exact"),
        ("prose_proactive_by_category", "规划计划类"): (30, "exact"),
        ("prose_proactive_by_category", "乡镇动态概况信息"): (47, "exact"),
        ("prose_proactive_by_category", "社情民意"): (10, "exact"),
        ("prose_proactive_by_category", "政策宣传类"): (11, "exact"),
        ("prose_proactive_by_category", "财经类"): (5, "exact"),
        ("prose_proactive_by_category", "其他"): (3, "exact"),
        ("pre_response_hotspots", ""): (4, "exact"),
        ("pre_meetings", ""): (3, "exact"),
        ("pre_trainings", ""): (4, "exact"),
        ("pre_trainees", ""): (100, "at_least"),
        ("pre_requests_received", ""): (0, "stated_none"),
        ("pre_reconsiderations", ""): (0, "stated_none"),
        ("pre_lawsuits", ""): (0, "stated_none"),
        ("pre_fees", ""): (0, "stated_none"),
    }
    assert {k: got.get(k) for k in expected} == expected


def test_seed_003_and_004_prose_values(pipeline):
    got = prose(pipeline, "003")
    assert got[("pre_trainees", "")] == (19, "exact")
    for code in ("pre_fees", "pre_reconsiderations", "pre_lawsuits"):
        assert got[(code, "")] == (0, "stated_none")
    got = prose(pipeline, "004")
    for code, value in [
        ("pre_channel_website", 45),
        ("pre_channel_other", 160),
        ("prose_catalogue_entries", 8),
        ("prose_bulletin_boards", 9),
        ("prose_disclosure_walls", 20),
        ("pre_staff_part_time", 1),
    ]:
        assert got[(code, "")] == (value, "exact"), code
    for code in ("pre_requests_received", "pre_reconsiderations", "pre_lawsuits"):
        assert got[(code, "")] == (0, "stated_none")


def test_table_seeds_prose_values(pipeline):
    got = prose(pipeline, "000")
    assert got[("prose_messages_published", "")] == (64, "exact")
    assert got[("prose_open_letters", "")] == (1200, "at_least")
    assert got[("prose_online_services", "")] == (1448, "exact")
    got = prose(pipeline, "002")
    assert got[("prose_documents_issued", "")] == (33, "exact")
    assert {b: got[("prose_documents_by_disclosure", b)] for b in ("公开发布", "不公开", "依申请公开")} == {
        "公开发布": (17, "exact"),
        "不公开": (15, "exact"),
        "依申请公开": (1, "exact"),
    }
    assert got[("pre_meetings", "")] == (2, "exact")


def test_seed_001_metadata_and_flags(pipeline):
    row = pipeline.sql(
        """
        select r.publish_date::varchar as publish_date, r.contact_postcode, r.contact_phone,
               a.province, a.city, a.county, r.cleaning_flags
        from marts.dim_report r join marts.dim_agency a using (agency_id) where r.source_file = ?
        """,
        [SEED_FILES["001"]],
    ).row(0, named=True)
    assert row["publish_date"] == "2019-02-28"
    assert (row["contact_postcode"], row["contact_phone"]) == ("612500", "028-37010111")
    assert (row["province"], row["city"], row["county"]) == ("四川省", "眉山市", "仁寿县")
    assert "spam_injection" in row["cleaning_flags"]


@pytest.mark.parametrize(
    ("seed", "region", "level"),
    [
        ("000", ("宁夏回族自治区", "银川市", "灵武市"), "乡镇"),
        ("001", ("四川省", "眉山市", "仁寿县"), "乡镇"),
        ("002", ("宁夏回族自治区", "中卫市", "沙坡头区"), "县区部门"),
        ("003", ("山东省", "烟台市", "牟平区"), "乡镇"),
        ("004", ("甘肃省", "白银市", "平川区"), "乡镇"),
    ],
)
def test_regions_and_levels(pipeline, seed, region, level):
    row = pipeline.sql(
        """
        select a.province, a.city, a.county, a.agency_level, r.publish_date::varchar
        from marts.dim_report r join marts.dim_agency a using (agency_id) where r.source_file = ?
        """,
        [SEED_FILES[seed]],
    ).row(0)
    assert row[:3] == region and row[3] == level
    if seed == "003":
        assert row[4] == "2018-01-09"


def test_prose_sums_hold_and_text_agrees_with_table(pipeline):
    evaluations = pipeline.sql(
        """
        select e.source_file, e.rule_id, e.parent_value, e.children_value, e.holds
        from intermediate.int_rule_evaluations e
        where e.rule_id in ('prose_sum', 'text_vs_table') and e.source_file like '00%'
        order by all
        """
    )
    sums = [r for r in evaluations.rows() if r[1] == "prose_sum"]
    assert sorted((f, p, c, h) for f, _, p, c, h in sums) == [
        (SEED_FILES["001"], 106, 106, True),
        (SEED_FILES["001"], 606, 606, True),
        (SEED_FILES["002"], 33, 33, True),
    ]
    meetings = pipeline.sql(
        """
        select parent_value, children_value, holds from intermediate.int_rule_evaluations
        where rule_id = 'text_vs_table' and source_file = ? and parent_indicator_code = 'pre_meetings'
        """,
        [SEED_FILES["002"]],
    )
    assert meetings.rows() == [(2, 2, True)]
    violations = pipeline.sql(
        "select count(*) from marts.fct_check_violation where rule_id in ('prose_sum', 'text_vs_table') "
        "and source_file like '00%'"
    )
    assert violations.item() == 0


def test_text_agrees_with_table_in_our_consistent_report(pipeline):
    rows = pipeline.sql(
        """
        select parent_indicator_code, parent_value, children_value, holds from intermediate.int_rule_evaluations
        where rule_id = 'text_vs_table' and source_file = 'consistent_2016.txt' order by 1
        """
    )
    assert ("pre_requests_received", 6, 6, True) in rows.rows()
    assert all(holds for *_, holds in rows.rows())


def test_mart_agency_year_filled_for_prose_only_seeds(pipeline):
    rows = pipeline.sql(
        """
        select r.source_file, m.proactive_items, m.meetings, m.trainings, m.trainees, m.requests_received,
               m.inexact_headlines, m.stated_none_headlines
        from marts.mart_agency_year m join marts.dim_report r using (report_id)
        where r.source_file in (?, ?, ?) order by 1
        """,
        [SEED_FILES["001"], SEED_FILES["003"], SEED_FILES["004"]],
    ).rows()
    assert rows[0][:6] == (SEED_FILES["001"], 606, 3, 4, 100, 0)
    assert rows[0][6] == ["trainees:at_least"]
    assert "requests_received" in rows[0][7]
    assert rows[1][4] == 19  # 003 trainees
    assert rows[2][5] == 0  # 004 requests stated none
