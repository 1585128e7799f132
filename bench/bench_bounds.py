"""What bounds each missed target, in words computed from the measurements (bench.md's "What bounds
the missed targets"): the parse against its floor, its workers and its profile; the incremental
refresh against the fixed costs that do not grow with the reports it adds."""

from __future__ import annotations

from typing import Any

PARSE_TARGET = 2000  # reports/s
INCREMENTAL_TARGET = 0.05  # of the full build


def _parse(r: dict[str, Any]) -> list[str]:
    p = r["parse"]
    rps, single, workers = p["reports_per_s"], p["single_process_reports_per_s"], p["workers"]
    if rps >= PARSE_TARGET:
        return []
    eff = rps / (single * workers) if single and workers else 0.0
    lines = [
        f"- **Parse**: {rps:,} reports/s is {rps / PARSE_TARGET:.1%} of the target; it needs "
        f"{PARSE_TARGET / rps:.2f}× today's speed. Reading and decoding do not bound it: with no parse they run at "
        f"{p['floor_files_per_s']:,} files/s, {p['ratio_full_to_floor']}× as fast as the full pass. The parse does: "
        f"one process parses {single:,} reports/s, and {workers} worker processes {rps:,} ({eff:.0%} of {workers}× "
        "one process; the rest is the workers starting and the parent reading the files and re-assembling the "
        "workers' frames)."
    ]
    prof = r.get("parse_profile") or {}
    stages = prof.get("stages") or []
    if stages:
        top = stages[0]
        split = ", ".join(f"{s['function']} {s['share']:.0%}" for s in stages[:6])
        lines.append(
            f"  Its time is spread over the parse's steps (pyinstrument, {prof['reports']:,} reports in "
            f"{prof['seconds']} s): {split}. Even removing the largest ({top['function']}) would make it at most "
            f"{1 / max(1e-9, 1 - top['share']):.2f}× faster: every step must get faster."
        )
    return lines


def _incremental(r: dict[str, Any]) -> list[str]:
    inc, full = r["incremental"], r["full_build"]["wall_s"]
    ratio = inc.get("ratio_to_full")
    if ratio is None or ratio <= INCREMENTAL_TARGET or not full:
        return []
    allowed = INCREMENTAL_TARGET * full
    st, dr = inc["stages_s"], inc.get("dbt_run") or {}
    added = (inc.get("new_reports") or 0) + (inc.get("changed_reports") or 0)
    dbt = st.get("dbt", 0.0)
    text = (
        f"- **Incremental refresh**: {inc['wall_s']} s is {ratio:.1%} of the full build; the target allows "
        f"{allowed:.1f} s ({inc['wall_s'] / allowed:.1f}× over). Parsing and loading the {added} new and changed "
        f"reports take {st.get('parse', 0) + st.get('staging_load', 0):.1f} s and the rule checks "
        f"{st.get('checks', 0)} s; the rest is cost that does not grow with them: dbt {dbt} s"
    )
    if dr:
        startup = max(0.0, dbt - dr["elapsed_s"])
        text += (
            f" ({startup:.1f} s starting and loading its manifest, then {dr['nodes']} nodes, median "
            f"{dr['median_node_s']} s each — the cost dbt and a DuckDB commit put on every node, a view's too)"
        )
    slow = ", ".join(f"{d['node'].split('.')[-1][:60]} {d['seconds']}" for d in inc.get("dbt_models", [])[:5])
    if slow:
        text += f"; its slowest nodes (s), whole-table models and tests: {slow}"
    text += (
        f"; the inventory {st.get('inventory', 0)} s (a stat of every raw file, raw_files rewritten); "
        f"other {st.get('other', 0)} s (the Dagster run starting, the working copy of the warehouse, publishing)."
    )
    if dbt > allowed:
        text += f" dbt alone takes {dbt / allowed:.1f}× what the target allows the whole refresh."
    return [text]


def bounds(r: dict[str, Any]) -> list[str]:
    """Markdown bullet lines, one per missed parse or incremental target ([] when both are met)."""
    return [*_parse(r), *_incremental(r)]
