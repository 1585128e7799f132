"""Bad inputs, duplicates, corrections and hostile text through the whole pipeline (issue 5, Reliability).

One raw dir, crafted here from the seeds and fixtures, goes through one Dagster run: every file must
end as a report or in quarantine with its exact reason, and the run must succeed.
"""

from __future__ import annotations

import codecs
import os
import random
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from orchestration.lib import warehouse
from orchestration.lib.raw_files import unreadable_id
from tests.conftest import FIXTURES, RAW, SEED_FILES, Pipeline, materialize

pytestmark = pytest.mark.integration

S000, S001, S002, S003, S004 = (SEED_FILES[k] for k in ("000", "001", "002", "003", "004"))
HOSTILE_FILE = "x'); drop table staging.stg_reports; --.txt"
HOSTILE_AGENCY = "某某'); drop table marts.dim_report; --乡人民政府"  # not an agency by the title grammar
HOSTILE_TITLE = "某某乡人民政府2018年政府信息公开工作年度报告(';drop table t;--)"
QUOTED_FILE = 'quote\'s "double".txt'
REPORT_DIR = "2019年报告.txt"
GOV_REPORT = f"{REPORT_DIR}/g02_xihu_beishan_2019.txt"
TRUNCATED_AT = "3. 政务微博公开政府信"  # the seed's 统计表 is cut inside this row's label
BIG_REPEATS = 5_600  # seed 004 (9,141 bytes) repeated: 51,189,600 bytes

#: Every path of the raw dir → the (agency, year) of its report, or its quarantine reason.
REPORTS = {
    S000: ("灵武市临河镇", 2018),
    S001: ("仁寿县向家镇", 2018),
    S002: ("沙坡头区机关事务局", 2018),
    S003: ("观水镇", 2017),
    S004: ("复兴乡", 2018),
    "copy of 004.txt": ("复兴乡", 2018),
    "001 corrected.txt": ("仁寿县向家镇", 2018),
    "enc_gbk.txt": ("灵武市临河镇", 2018),
    "enc_utf16le_bom.txt": ("灵武市临河镇", 2018),
    "enc_utf8_bom.txt": ("灵武市临河镇", 2018),
    "enc_gb18030.txt": ("仁寿县向家镇", 2018),
    "truncated_000.txt": ("灵武市临河镇", 2018),
    "中文 名称.txt": ("观水镇", 2017),
    "name with spaces.txt": ("贺兰县立岗镇", 2017),
    QUOTED_FILE: ("平罗县教育局", 2016),
    HOSTILE_FILE: ("某某乡人民政府", 2018),
    GOV_REPORT: ("杭州市西湖区北山街道办事处", 2019),
}
QUARANTINED = {
    "empty.txt": "empty_file",
    "binary.png": "binary_file",
    "big.txt": "too_large",
    "loop_a": "unreadable",
    "loop_b": "unreadable",
    "self_loop": "unreadable",
    "broken link.txt": "unreadable",
    "hostile agency.txt": "not_a_report",
}


def _mixed_line_endings(text: str) -> bytes:
    endings = ("\r\n", "\n", "\r")
    lines = text.split("\n")
    return "".join(line + endings[i % 3] for i, line in enumerate(lines)).encode()


def _hostile_report(title: str) -> bytes:
    """consistent_2016.txt (published 2017) retitled and moved to 2018 (published 2019)."""
    text = (FIXTURES / "pipeline" / "consistent_2016.txt").read_text()
    printed = text.splitlines()[0]
    assert printed == "平罗县教育局 2016 年政府信息公开工作年度报告"
    text = text.replace("2017", "2019").replace("2016", "2018")
    return text.replace(printed.replace("2016", "2018"), title).encode()


def _craft(raw: Path) -> None:
    seed = {name: (RAW / name).read_bytes() for name in SEED_FILES.values()}
    text = {name: data.decode() for name, data in seed.items()}
    files: dict[str, bytes] = {
        "empty.txt": b"",
        "binary.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + random.Random(5).randbytes(4_096),
        "truncated_000.txt": seed[S000][: seed[S000].index(TRUNCATED_AT.encode()) + 20],  # cut inside 信
        "big.txt": seed[S004] * BIG_REPEATS,
        "enc_gbk.txt": text[S000].encode("gbk"),
        "enc_gb18030.txt": text[S001].encode("gb18030"),  # U+00A0 is not GBK: four GB18030 bytes
        "enc_utf16le_bom.txt": codecs.BOM_UTF16_LE + text[S000].encode("utf-16-le"),
        "enc_utf8_bom.txt": codecs.BOM_UTF8 + seed[S000],
        "中文 名称.txt": _mixed_line_endings(text[S003]),
        "name with spaces.txt": (FIXTURES / "pipeline" / "planted_error_2017.txt").read_bytes(),
        QUOTED_FILE: (FIXTURES / "pipeline" / "consistent_2016.txt").read_bytes(),
        HOSTILE_FILE: _hostile_report(HOSTILE_TITLE),
        "hostile agency.txt": _hostile_report(f"{HOSTILE_AGENCY}2018年政府信息公开工作年度报告"),
        "copy of 004.txt": seed[S004],
        "001 corrected.txt": text[S001]
        .replace("2019年02月28日", "2019年04月30日")
        .replace("工作会议和专题会议3次", "工作会议和专题会议5次")
        .encode(),
    }
    for name, data in files.items():
        (raw / name).write_bytes(data)
    (raw / REPORT_DIR).mkdir()
    shutil.copy(FIXTURES / "gov" / "g02_xihu_beishan_2019.txt", raw / GOV_REPORT)
    (raw / "loop_a").symlink_to("loop_b")
    (raw / "loop_b").symlink_to("loop_a")
    (raw / "self_loop").symlink_to(".", target_is_directory=True)
    (raw / "broken link.txt").symlink_to("missing.txt")


@pytest.fixture(scope="module")
def bad(tmp_path_factory) -> Iterator[Pipeline]:
    limit = os.environ.pop("XXGK_MAX_FILE_BYTES", None)  # the default limit: 20 MB
    try:
        with materialize(tmp_path_factory.mktemp("reliability"), [RAW / n for n in SEED_FILES.values()]) as p:
            _craft(p.raw_dir)
            p.run()
            yield p
    finally:
        if limit is not None:
            os.environ["XXGK_MAX_FILE_BYTES"] = limit


def test_run_succeeds_and_checks_ran(bad):
    result = bad.results[0]
    assert result.success
    evaluations = {e.check_name: e for e in result.get_asset_check_evaluations()}
    failed_rules = {n: e.metadata["offending_reports"].value for n, e in evaluations.items() if not e.passed}
    assert failed_rules == {
        # superseded versions are checked too: the seed's copies and its truncated version share its violation
        "rule_pre_channel_at_most_proactive": [
            S000,
            "enc_gbk.txt",
            "enc_utf16le_bom.txt",
            "enc_utf8_bom.txt",
            "truncated_000.txt",
        ],
        "rule_pre_staff_total_sum": [S002],
        "rule_pre_requests_received_sum": ["name with spaces.txt"],
    }
    assert evaluations["rule_pre_non_negative"].passed and evaluations["rule_prose_sum"].passed
    # dbt's model tests ran as checks too, and pass (its source tests, the accepted quarantine reasons among
    # them, are no Dagster checks: a failing one fails `dbt build`, hence the run)
    dbt_tests = [n for n in evaluations if not n.startswith("rule_")]
    assert {"unique_stg_xxgk__raw_files_source_file", "not_null_stg_xxgk__raw_files_report_id"} <= set(dbt_tests)
    assert all(evaluations[n].passed for n in dbt_tests)


def test_every_raw_file_is_a_report_or_quarantined_with_its_reason(bad):
    rows = bad.sql(
        """
        select f.path, r.agency_name, r.report_year, q.reason
        from staging.raw_files f
        left join marts.dim_report r on r.report_id = f.sha256
        left join staging.stg_quarantine q on q.report_id = f.sha256
        order by f.path
        """
    ).rows()
    outcome = {path: (agency, year) if reason is None else reason for path, agency, year, reason in rows}
    assert outcome == REPORTS | QUARANTINED
    counts = bad.sql(
        """
        select count(*) as files,
               count(*) filter (where sha256 in (select report_id from marts.dim_report)) as parsed,
               count(*) filter (where sha256 in (select report_id from staging.stg_quarantine)) as quarantined
        from staging.raw_files
        """
    ).row(0)
    assert counts == (len(REPORTS) + len(QUARANTINED), len(REPORTS), len(QUARANTINED)) == (25, 17, 8)
    assert bad.sql("select count(*) from marts.dim_report").item() == len(REPORTS) - 1  # the copy of 004


def test_quarantine_says_why(bad):
    details = dict(bad.sql("select source_file, detail from staging.stg_quarantine").rows())
    big = len((RAW / S004).read_bytes()) * BIG_REPEATS
    assert details == {
        "empty.txt": "0 bytes, no text",
        "binary.png": "NUL byte at offset 8",
        "big.txt": f"{big:,} bytes, over the limit of 20,000,000 bytes (XXGK_MAX_FILE_BYTES); not parsed",
        "loop_a": "symlink loop (ELOOP)",
        "loop_b": "symlink loop (ELOOP)",
        "self_loop": "symlink loop: a symlink to its own ancestor directory, not followed",
        "broken link.txt": "broken symlink to 'missing.txt': target does not exist (ENOENT)",
        "hostile agency.txt": "no title naming an agency, a year and 政府信息公开…报告 (or 政务公开工作报告) "
        "in the first 40 lines",
    }
    ids = dict(bad.sql("select source_file, report_id from staging.stg_quarantine where reason = 'unreadable'").rows())
    assert ids == {path: unreadable_id(path) for path in ids}


def test_the_same_file_twice_is_one_report_named_by_its_first_path(bad):
    rows = bad.sql(
        "select r.source_file, count(*) from staging.raw_files f join marts.dim_report r on r.report_id = f.sha256 "
        "where f.path in (?, 'copy of 004.txt') group by all",
        [S004],
    ).rows()
    assert rows == [(S004, 2)]


def test_a_corrected_publication_replaces_the_earlier_one_in_the_marts(bad):
    versions = bad.sql(
        "select source_file, publish_date, is_current, version_rank from marts.dim_report "
        "where agency_name = '仁寿县向家镇' and report_year = 2018 order by version_rank"
    ).rows()
    assert versions == [
        ("001 corrected.txt", date(2019, 4, 30), True, 1),
        (S001, date(2019, 2, 28), False, 2),
        ("enc_gb18030.txt", date(2019, 2, 28), False, 3),
    ]
    mart = bad.sql(
        "select r.source_file, m.meetings, m.proactive_items from marts.mart_agency_year m join marts.dim_report r "
        "using (report_id) where m.report_year = 2018 and r.agency_name = '仁寿县向家镇'"
    ).rows()
    assert mart == [("001 corrected.txt", 5, 606)]  # the corrected statistic; the others as before
    values = bad.sql(
        "select source_file, value, is_current from marts.fct_indicator_value "
        "where indicator_code = 'pre_meetings' and source_file in (?, ?, ?) order by 1",
        [S001, "001 corrected.txt", "enc_gb18030.txt"],
    ).rows()
    assert values == [("001 corrected.txt", 5.0, True), (S001, 3.0, False), ("enc_gb18030.txt", 3.0, False)]
    totals = bad.sql("select reports, proactive_items from marts.mart_year where report_year = 2018").row(0)
    # one current report per agency: 000 (0), 001 corrected (606), 002 (83), 004 (not stated), the hostile one (120)
    assert totals == (5, 0 + 606 + 83 + 120)


def _values(pipeline: Pipeline, source_file: str) -> list[tuple]:
    return pipeline.sql(
        "select v.indicator_code, v.breakdown, v.value, v.qualifier, v.source_kind, v.source_line "
        "from marts.fct_indicator_value v join marts.dim_report r using (report_id) where r.source_file = ? "
        "order by all",
        [source_file],
    ).rows()


@pytest.mark.parametrize(
    ("copy", "seed", "encoding"),
    [
        ("enc_gbk.txt", S000, "gb18030"),
        ("enc_gb18030.txt", S001, "gb18030"),
        ("enc_utf16le_bom.txt", S000, "utf-16-le"),
        ("enc_utf8_bom.txt", S000, "utf-8-sig"),
        ("中文 名称.txt", S003, "utf-8"),
    ],
)
def test_encoded_copies_yield_the_seeds_values(bad, copy, seed, encoding):
    sql = "select agency_id, report_year, template, encoding, n_lines from marts.dim_report where source_file = ?"
    ours, theirs = bad.sql(sql, [copy]).row(0), bad.sql(sql, [seed]).row(0)
    assert ours[3] == encoding
    assert ours[:3] + ours[4:] == theirs[:3] + theirs[4:]
    seed_values = _values(bad, seed)
    assert len(seed_values) >= 5 and _values(bad, copy) == seed_values


def test_a_report_truncated_mid_table_keeps_the_rows_before_the_cut(bad):
    lines = (RAW / S000).read_text().splitlines()
    cut = next(n for n, line in enumerate(lines, 1) if line.startswith(TRUNCATED_AT))  # the row cut in two
    seed_values = _values(bad, S000)
    kept = [row for row in seed_values if row[5] < cut]
    assert 0 < len(kept) < len(seed_values)
    assert _values(bad, "truncated_000.txt") == kept
    codes = {row[0]: row[2] for row in kept}
    assert codes["pre_channel_website"] == 34 and "pre_channel_other" not in codes
    current = bad.sql("select is_current from marts.dim_report where source_file = 'truncated_000.txt'").item()
    assert current is False  # the complete seed of the same agency and year stays current


def test_hostile_names_are_data_and_every_table_survives(bad):
    report = bad.sql(
        "select r.source_file, r.title, a.agency_name, m.proactive_items from marts.dim_report r "
        "join marts.dim_agency a using (agency_id) join marts.mart_agency_year m using (report_id) "
        "where r.source_file = ?",
        [HOSTILE_FILE],
    ).rows()
    assert report == [(HOSTILE_FILE, HOSTILE_TITLE, "某某乡人民政府", 120)]
    assert bad.sql("select count(*) from marts.dim_report where source_file = ?", [QUOTED_FILE]).item() == 1
    tables = bad.sql(
        "select table_schema, table_name from information_schema.tables where table_schema in ('staging', 'marts') "
        "and table_type = 'BASE TABLE' order by all"
    ).rows()
    assert tables == [
        ("marts", name)
        for name in (
            "dim_agency",
            "dim_indicator",
            "dim_report",
            "dim_table_cell",
            "fct_check_violation",
            "fct_indicator_value",
            "fct_report_section",
            "mart_agency_year",
            "mart_indicator_year",
            "mart_year",
        )
    ] + [("staging", name) for name in sorted(warehouse.TABLES)]


def test_a_second_run_skips_everything_including_the_bad_entries(bad):
    result = bad.run()
    assert result.success
    event = next(m for m in result.get_asset_materialization_events() if m.asset_key.path[-1] == "stg_reports")
    metadata = event.materialization.metadata
    assert (metadata["parsed_now"].value, metadata["skipped_unchanged"].value, metadata["removed"].value) == (0, 24, 0)
