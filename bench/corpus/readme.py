"""README.md of tests/fixtures/gov/ (written by build_gov_fixtures, so it always matches the corpus).

The prose is ``templates/gov_readme.md``; the table of reports and the list of planted findings are filled in.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from string import Template

from bench.corpus.gov_fixtures import Entry

TEMPLATE = Path(__file__).with_name("templates") / "gov_readme.md"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render(entries: list[Entry], violations: Sequence[Sequence[object]]) -> str:
    rows = [
        "| file | template | year | agency (level) | province | layout and noise | planted |",
        "|---|---|---|---|---|---|---|",
    ]
    for e in entries:
        r, ag = e.report, e.report.agency
        planted = e.planted or "—"
        cells = [f"`{r.file}`", r.template, str(r.year), f"{ag.name} ({ag.level})", ag.province, _md(e.note), planted]
        rows.append("| " + " | ".join(cells) + " |")
    plants = [
        f"| `{v[0]}` | {v[1]} | {v[3]} | {v[4]} | {_md(str(v[5]))} | {_md(str(v[6]))} |"
        for v in violations
        if not str(v[1]).startswith("cross_year")
    ]
    text = Template(TEMPLATE.read_text(encoding="utf-8"))
    return text.substitute(reports="\n".join(rows), plants="\n".join(plants))
