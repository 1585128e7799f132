"""Render gov2019 / gov2021 annual reports with exact ground truth.

    from bench.corpus import gov
    rendered = gov.render(report)          # GovReport → bytes + truth rows + restated numbers + sections
    rendered.content                       # the file as published (text or HTML, in the report's encoding)
    rendered.truth                         # one TruthRow per table cell: indicator_code, breakdown, value, raw_value
    gov.violations(rendered)               # every arithmetic / text-vs-table / completeness finding it contains
    gov.sample_report(seed, agency, year)  # a report with layout and noise drawn from the seed
    gov.sample_corpus(n, seed)             # n sampled reports of the corpus's agencies (benchmarks)

Rendering is a pure function of the report: the same report gives the same bytes on every run.
"""

from __future__ import annotations

from bench.corpus import checks, numbers, prose
from bench.corpus.catalogue import template_for
from bench.corpus.html_doc import render_html
from bench.corpus.model import Cell, GovReport, Key, Number, Rendered, TruthRow
from bench.corpus.sampling import TEXT_FORMATS, sample_corpus, sample_layout, sample_report
from bench.corpus.text_doc import render_text


def values(report: GovReport) -> dict[Key, Number]:
    """The printed numbers of every cell (consistent numbers, then the planted deltas)."""
    return numbers.apply_plants(report, numbers.generate(report))


def cells(report: GovReport) -> dict[Key, Cell]:
    return numbers.print_cells(report, values(report))


#: Layouts where an empty cell leaves no trace (runs of spaces, one cell per line): blanks need a marker there.
NO_BLANK_LAYOUTS = ("spaces", "cells")


def render(report: GovReport) -> Rendered:
    """The report's file (bytes in its encoding), truth rows, restated numbers and section headings."""
    if report.layout.table in NO_BLANK_LAYOUTS and "" in report.noise.markers.values():
        raise ValueError(f"{report.file}: a blank cell cannot be shown in the {report.layout.table!r} layout")
    printed = cells(report)
    blocks, restated = prose.build(report, printed)
    if report.layout.table == "html":
        text, sections = render_html(report, printed, blocks)
    else:
        text, sections = render_text(report, printed, blocks, report.layout.chrome)
    if report.noise.crlf:
        text = text.replace("\n", "\r\n")
    truth = tuple(TruthRow(report.file, code, b, cell.value, cell.raw) for (code, b), cell in printed.items())
    return Rendered(
        report=report,
        content=text.encode(report.noise.encoding),
        truth=truth,
        restatements=tuple(restated),
        sections=tuple(sections),
        title="".join(prose.title_lines(report)),
    )


def violations(rendered: Rendered) -> list[checks.Violation]:
    """Arithmetic violations, text-vs-table disagreements and 表三 completeness findings of one report."""
    report = rendered.report
    printed = {(t.indicator_code, t.breakdown): Cell(t.value, t.raw_value) for t in rendered.truth}
    found = checks.table_violations(report.file, report.template, printed)
    for r in rendered.restatements:
        table = printed[(r.indicator_code, r.breakdown)].value
        if table is not None and table != r.value:
            v = checks.Violation(
                report.file,
                "text_vs_table",
                r.indicator_code,
                r.breakdown,
                numbers.format_number(table),
                numbers.format_number(r.value),
                r.text,
            )
            found.append(v)
    return found + checks.completeness_findings(report.file, report.template, printed)


__all__ = [
    "TEXT_FORMATS",
    "cells",
    "render",
    "sample_corpus",
    "sample_layout",
    "sample_report",
    "template_for",
    "values",
    "violations",
]
