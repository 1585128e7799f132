"""Synthetic government information-disclosure annual reports with exact ground truth.

``bench.corpus.gov`` renders a ``GovReport`` (agency, year, gov2019/gov2021 template, seeded table numbers,
prose, layout and noise options; ``bench.corpus.model``) to the bytes of a text or HTML file plus one truth
row per table cell, the table numbers its prose restates and its section headings; ``gov.violations`` lists
what a report breaks. ``bench.corpus.gov_fixtures`` is the committed corpus under tests/fixtures/gov/
(``python -m bench.corpus.build_gov_fixtures`` regenerates it byte for byte); ``gov.sample_corpus`` draws
consistent reports for benchmarks.
"""

from bench.corpus.model import (
    Agency,
    Cell,
    GovReport,
    Layout,
    Noise,
    PageBreak,
    Plant,
    Rendered,
    Restatement,
    SectionTruth,
    TruthRow,
)

__all__ = [
    "Agency",
    "Cell",
    "GovReport",
    "Layout",
    "Noise",
    "PageBreak",
    "Plant",
    "Rendered",
    "Restatement",
    "SectionTruth",
    "TruthRow",
]
