"""docs/scaling.md's table of figures is written from bench.json, between its markers only."""

from __future__ import annotations

from pathlib import Path

from bench import bench_scaling_doc as doc
from tests.conftest import ROOT


def _size(reports_per_s: int, full_s: float, inc_s: float) -> dict:
    return {
        "generate": {"mb": 7.6},
        "machine": {"date": "2026-12-08 02:00"},
        "parse": {
            "reports_per_s": reports_per_s,
            "mb_per_s": 2.86,
            "workers": 2,
            "single_process_reports_per_s": 643,
            "floor_files_per_s": 3681,
            "floor_mb_per_s": 28,
        },
        "full_build": {"wall_s": full_s, "stages_s": {"dbt": 14.39, "parse": 2.69, "other": 4.77, "checks": 1.18}},
        "incremental": {"wall_s": inc_s, "ratio_to_full": round(inc_s / full_s, 3), "stages_s": {"dbt": 10.84}},
        "peak_rss_mb": 1193.5,
    }


def test_the_table_has_a_row_per_size_smallest_first() -> None:
    text = doc.table({"10000": _size(1003, 46.14, 24.54), "1000": _size(377, 25.72, 19.98)})
    lines = text.splitlines()
    assert len(lines) == 4 and lines[0].startswith("| corpus | measured |")
    assert lines[2].startswith(
        "| 1,000 reports (7.6 MB) | 2026-12-08 02:00 | **377 reports/s**, 2.86 MB/s (2 workers) |"
    )
    assert "**26 s** (dbt 14.4 s, other 4.77 s, parse 2.69 s, checks 1.18 s)" in lines[2]
    assert "**20.0 s = 77.7%** (dbt 10.8 s)" in lines[2] and lines[2].endswith("| **1.2 GB** |")
    assert lines[3].startswith("| 10,000 reports")


def test_update_replaces_only_the_marked_table(tmp_path: Path) -> None:
    path = tmp_path / "scaling.md"
    path.write_text(f"# Scaling\n\nbefore\n{doc.BEGIN}\n| old | table |\n{doc.END}\nafter\n", encoding="utf-8")
    assert doc.update(path, {"1000": _size(377, 25.72, 19.98)}) is True
    text = path.read_text(encoding="utf-8")
    assert "| old | table |" not in text and "**377 reports/s**" in text
    assert text.startswith("# Scaling\n\nbefore\n") and text.endswith(f"{doc.END}\nafter\n")
    unmarked = tmp_path / "other.md"
    unmarked.write_text("no markers\n", encoding="utf-8")
    assert doc.update(unmarked, {"1000": _size(377, 25.72, 19.98)}) is False
    assert unmarked.read_text(encoding="utf-8") == "no markers\n"


def test_the_scaling_doc_has_the_markers() -> None:
    text = (ROOT / "docs" / "scaling.md").read_text(encoding="utf-8")
    assert text.count(doc.BEGIN) == 1 and text.count(doc.END) == 1 and text.index(doc.BEGIN) < text.index(doc.END)
