"""The measured-figures table of docs/scaling.md, written from bench/results/bench.json by `make bench`.

The table sits between two HTML comments in the doc (``BEGIN``/``END``); ``update`` replaces what is
between them and leaves the prose around it alone, so the doc never quotes figures of an older run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

BEGIN = "<!-- bench-table: written by make bench from bench/results/bench.json -->"
END = "<!-- /bench-table -->"

COLUMNS = [
    "corpus",
    "measured",
    "parse (read + decode + parse)",
    "one process",
    "floor (read + decode)",
    "full build (raw → marts → checks)",
    "incremental (10 new + 1 changed)",
    "peak RSS",
]


def _stages(stages: dict[str, float], limit: int = 4) -> str:
    """The largest stages, largest first: "dbt 170 s, parse 92 s, …"."""
    top = sorted(stages.items(), key=lambda kv: -kv[1])[:limit]
    return ", ".join(f"{name.replace('_', ' ')} {seconds:.3g} s" for name, seconds in top)


def _row(n: str, r: dict[str, Any]) -> list[str]:
    parse, full, inc = r["parse"], r["full_build"], r["incremental"]
    ratio = inc.get("ratio_to_full")
    return [
        f"{int(n):,} reports ({r['generate']['mb']:g} MB)",
        r.get("machine", {}).get("date", ""),
        f"**{parse['reports_per_s']:,} reports/s**, {parse['mb_per_s']:g} MB/s ({parse['workers']} workers)",
        f"{parse['single_process_reports_per_s']:,} reports/s",
        f"{parse['floor_files_per_s']:,} files/s, {parse['floor_mb_per_s']:g} MB/s",
        f"**{full['wall_s']:.0f} s** ({_stages(full['stages_s'])})",
        f"**{inc['wall_s']:.1f} s = {ratio:.1%}** ({_stages(inc['stages_s'])})" if ratio is not None else "n/a",
        f"**{r['peak_rss_mb'] / 1024:.1f} GB**",
    ]


def table(merged: dict[str, Any]) -> str:
    """The markdown table, one row per corpus size in bench.json, smallest first."""
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for n in sorted(merged, key=int):
        lines.append("| " + " | ".join(_row(n, merged[n])) + " |")
    return "\n".join(lines)


def update(doc: Path, merged: dict[str, Any]) -> bool:
    """Replace the table between BEGIN and END in ``doc``; False (doc untouched) if the markers are absent."""
    text = doc.read_text(encoding="utf-8")
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        return False
    new = text[: start + len(BEGIN)] + "\n" + table(merged) + "\n" + text[end:]
    doc.write_text(new, encoding="utf-8")
    return True
