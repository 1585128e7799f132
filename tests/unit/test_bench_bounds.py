"""bench.bench_bounds: the words on what bounds a missed target, computed from a benchmark's figures."""

from types import SimpleNamespace as Frame

from bench.bench_bounds import bounds
from bench.bench_throughput import stage_split


def _result(rps: int = 1000, wall_s: float = 50.0, ratio: float = 0.125) -> dict:
    return {
        "parse": {
            "reports_per_s": rps,
            "single_process_reports_per_s": 800,
            "workers": 2,
            "floor_files_per_s": 3600,
            "ratio_full_to_floor": 3.6,
        },
        "parse_profile": {
            "reports": 2000,
            "seconds": 3.0,
            "stages": [
                {"function": "extract_gov", "seconds": 1.5, "share": 0.5},
                {"function": "extract_prose", "seconds": 0.6, "share": 0.2},
            ],
        },
        "full_build": {"wall_s": 400.0},
        "incremental": {
            "wall_s": wall_s,
            "ratio_to_full": ratio,
            "new_reports": 10,
            "changed_reports": 1,
            "stages_s": {"inventory": 3.5, "parse": 1.3, "staging_load": 0.9, "dbt": 30.0, "checks": 1.9, "other": 7.0},
            "dbt_run": {"nodes": 245, "elapsed_s": 26.0, "median_node_s": 0.15, "node_s_sum": 60.0},
            "dbt_models": [{"node": "model.xxgk.mart_indicator_year", "seconds": 4.2}],
        },
    }


def test_a_missed_parse_target_is_measured_against_its_floor_workers_and_profile():
    parse = bounds(_result())[0]
    assert parse.startswith("- **Parse**: 1,000 reports/s is 50.0% of the target; it needs 2.00× today's speed.")
    assert "with no parse they run at 3,600 files/s, 3.6× as fast as the full pass" in parse
    assert "one process parses 800 reports/s, and 2 worker processes 1,000 (62% of 2× one process;" in parse
    steps = bounds(_result())[1]
    assert "(pyinstrument, 2,000 reports in 3.0 s): extract_gov 50%, extract_prose 20%." in steps
    assert "Even removing the largest (extract_gov) would make it at most 2.00× faster" in steps


def test_a_missed_incremental_target_names_its_fixed_costs():
    inc = bounds(_result())[-1]
    assert inc.startswith("- **Incremental refresh**: 50.0 s is 12.5% of the full build; the target allows 20.0 s")
    assert "(2.5× over). Parsing and loading the 11 new and changed reports take 2.2 s and the rule checks 1.9 s" in inc
    assert "dbt 30.0 s (4.0 s starting and loading its manifest, then 245 nodes, median 0.15 s each" in inc
    assert "its slowest nodes (s), whole-table models and tests: mart_indicator_year 4.2" in inc
    assert "the inventory 3.5 s" in inc and "other 7.0 s" in inc
    assert inc.endswith("dbt alone takes 1.5× what the target allows the whole refresh.")


def test_met_targets_need_no_explanation():
    assert bounds(_result(rps=2000, wall_s=15.0, ratio=0.0375)) == []
    only_refresh = bounds(_result(rps=2500))
    assert len(only_refresh) == 1 and only_refresh[0].startswith("- **Incremental refresh**")


def test_stage_split_sums_the_batch_steps_by_function():
    def f(function, time, *children):
        return Frame(function=function, time=time, children=list(children))

    batch = f("_parse_batch", 4.0, f("extract_gov", 2.0), f("clean", 1.0), f("extract_gov", 1.0))
    root = f("<module>", 4.0, f("parse_documents", 4.0, batch))
    assert stage_split(root) == [
        {"function": "extract_gov", "seconds": 3.0, "share": 0.75},
        {"function": "clean", "seconds": 1.0, "share": 0.25},
    ]
    assert stage_split(f("<module>", 1.0)) == []
