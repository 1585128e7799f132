"""Write (or check) the gov2019/gov2021 test corpus under tests/fixtures/gov/.

    .venv/bin/python -m bench.corpus.build_gov_fixtures           # regenerate every file
    .venv/bin/python -m bench.corpus.build_gov_fixtures --check   # exit 1 if a committed file differs

The output is byte-identical on every run: reports, truth.csv, reports.csv, violations.csv, restated.csv,
sections.csv, series_links.csv and README.md all come from ``bench.corpus.gov_fixtures``.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from itertools import pairwise
from pathlib import Path

from bench.corpus import gov, readme
from bench.corpus.checks import RULES, Violation
from bench.corpus.gov_fixtures import Entry, corpus
from bench.corpus.model import Number, Rendered
from bench.corpus.numbers import format_number

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "tests" / "fixtures" / "gov"


def _value(v: Number | None) -> str:
    return "" if v is None else format_number(v)


def _csv(header: list[str], rows: list[list[object]]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


def series_links(rendered: dict[str, Rendered]) -> list[list[object]]:
    """Cross-year facts of the series: each holding or broken link, with expected and printed values."""
    files = sorted(f for f in rendered if f.startswith("series/"))
    rows: list[list[object]] = []
    for prev_f, next_f in pairwise(files):
        prev = {(t.indicator_code, t.breakdown): t.value for t in rendered[prev_f].truth}
        nxt = {(t.indicator_code, t.breakdown): t.value for t in rendered[next_f].truth}
        for (code, b), v in nxt.items():
            if code == "t3_carried_over":
                expected = prev[("t3_carried_forward", b)]
                rows.append(
                    ["cross_year_carry_over", next_f, prev_f, code, b, _value(expected), _value(v), expected == v]
                )
        if rendered[prev_f].report.template != rendered[next_f].report.template:
            continue
        for code in ("t2_rules", "t2_normative_docs"):
            exp = prev[(code, "现行有效件数")] + nxt[(code, "本年制发件数")] - nxt[(code, "本年废止件数")]  # type: ignore[operator]
            got = nxt[(code, "现行有效件数")]
            rows.append(
                ["cross_year_docs_in_force", next_f, prev_f, code, "现行有效件数", _value(exp), _value(got), exp == got]
            )
    return rows


def build() -> dict[str, bytes]:
    """Every file of the corpus, by path relative to tests/fixtures/gov/."""
    entries: list[Entry] = corpus()
    rendered = {e.report.file: gov.render(e.report) for e in entries}
    files: dict[str, bytes] = {f: r.content for f, r in rendered.items()}
    truth = [
        [t.file, t.indicator_code, t.breakdown, _value(t.value), t.raw_value]
        for r in rendered.values()
        for t in r.truth
    ]
    files["truth.csv"] = _csv(["file", "indicator_code", "breakdown", "value", "raw_value"], truth)
    reports = []
    for e in entries:
        r, ag = e.report, e.report.agency
        reports.append([r.file, r.template, r.year, ag.name, ag.level, ag.province, ag.city, ag.county,
                        r.publish_date.isoformat(), r.noise.encoding, r.layout.table, e.planted])  # fmt: skip
    header = ["file", "template", "report_year", "agency_name", "agency_level", "province", "city", "county",
              "publish_date", "encoding", "layout", "planted_violation"]  # fmt: skip
    files["reports.csv"] = _csv(header, reports)
    violations: list[Violation] = [v for r in rendered.values() for v in gov.violations(r)]
    links = series_links(rendered)
    vrows = [
        [v.file, v.rule, v.description, v.indicator_code, v.breakdown, v.expected, v.printed, v.terms]
        for v in violations
    ]
    for rule, file, prev_f, code, b, exp, got, holds in links:
        if not holds:
            vrows.append([file, rule, RULES[str(rule)], code, b, exp, got, f"previous year: {prev_f}"])
    header = ["file", "rule", "description", "indicator_code", "breakdown", "expected", "printed", "terms"]
    files["violations.csv"] = _csv(header, vrows)
    files["series_links.csv"] = _csv(
        ["rule", "file", "previous_file", "indicator_code", "breakdown", "expected", "printed", "holds"],
        [[*row[:7], str(row[7]).lower()] for row in links],
    )
    restated = [
        [x.file, x.indicator_code, x.breakdown, format_number(x.value), x.text]
        for r in rendered.values()
        for x in r.restatements
    ]
    files["restated.csv"] = _csv(["file", "indicator_code", "breakdown", "value", "text"], restated)
    sections = [[s.file, s.section_no, s.heading, "" if s.start_line is None else s.start_line]
                for r in rendered.values() for s in r.sections]  # fmt: skip
    files["sections.csv"] = _csv(["file", "section_no", "heading", "start_line"], sections)
    files["README.md"] = readme.render(entries, vrows).encode("utf-8")
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed files, write nothing")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    files = build()
    if args.check:
        bad = [
            name
            for name, data in files.items()
            if not (args.out / name).is_file() or (args.out / name).read_bytes() != data
        ]
        for name in bad:
            print(f"differs: {name}", file=sys.stderr)
        return 1 if bad else 0
    for name, data in files.items():
        path = args.out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    print(f"wrote {len(files)} files to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
