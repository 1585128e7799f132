"""Seeded sampling of reports for benchmark corpora: layouts, noise, agencies, years.

Every sampled report is consistent (no planted violation) and is a ``GovReport`` like the fixtures, so
``gov.render`` gives its bytes and truth. The same seed always gives the same report.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

from bench.corpus import catalogue as cat
from bench.corpus.agencies import LEVEL_SCALE, agencies
from bench.corpus.model import Agency, GovReport, Layout, Noise, PageBreak

TEXT_FORMATS = ("tabs", "tabs_word", "spaces", "cells", "pipes", "markdown", "html")
PAGE_MARKS = ("dash", "page", "hyphen", "page_of")


def _page_breaks(rng: random.Random, fmt: str, t3: list[str]) -> tuple[PageBreak, ...]:
    if fmt not in ("tabs", "tabs_word", "spaces", "cells"):
        return ()
    breaks: list[PageBreak] = []
    if rng.random() < 0.5:
        breaks.append(PageBreak(3, rng.choice(t3[2:]), rng.choice(PAGE_MARKS), rng.randint(2, 6),
                                rng.random() < 0.5, rng.random() < 0.3))  # fmt: skip
    if rng.random() < 0.2:
        breaks.append(PageBreak(0, mark=rng.choice(PAGE_MARKS), page=2))
    return tuple(breaks)


def sample_layout(rng: random.Random, template: str) -> tuple[Layout, Noise]:
    """A layout and noise options drawn from ``rng`` (no blank cells: every layout can show every cell)."""
    fmt = rng.choice(TEXT_FORMATS)
    t3 = [r.code for r in cat.table_rows(template, 3) if r.breakdowns]
    flat = fmt in ("tabs", "spaces", "cells")
    layout = Layout(
        table=fmt,  # type: ignore[arg-type]
        t4=rng.choice(("row", "split")) if fmt != "cells" else "lines",
        header=rng.choice(("word", "flat", "split")) if flat else "word",
        merged_labels=fmt == "tabs" and rng.random() < 0.3,
        wrap=tuple(rng.sample(t3, 2)) if fmt in ("tabs", "spaces") and rng.random() < 0.4 else (),
        wrap_mode=rng.choice(("before", "after")),
        stray_spaces=tuple(rng.sample(t3, 1)) if fmt != "html" and rng.random() < 0.3 else (),
        page_breaks=_page_breaks(rng, fmt, t3),
        title=rng.choice(("plain", "plain", "niandu", "spaced", "two_line")),
        top_date=rng.random() < 0.3,
        chrome=fmt != "html" and rng.random() < 0.1,
        extension=rng.choice((".html", ".htm")) if fmt == "html" else ".txt",
    )
    noise = Noise(
        fullwidth=rng.random() < 0.05,
        thousands=rng.random() < 0.3,
        plus_sign=rng.random() < 0.5,
        encoding="gbk" if fmt != "html" and rng.random() < 0.1 else "utf-8",
        crlf=fmt != "html" and rng.random() < 0.1,
    )
    return layout, noise


def sample_report(seed: int, agency: Agency, year: int, scale: int = 20, file: str = "") -> GovReport:
    """A consistent report of ``agency`` for ``year`` with layout, noise and numbers drawn from ``seed``."""
    rng = random.Random(f"layout-{seed}")
    template = cat.template_for(year)
    layout, noise = sample_layout(rng, template)
    publish = dt.date(year + 1, rng.randint(1, 3), rng.randint(1, 28))
    name = file or f"r{seed:07d}{layout.extension}"
    return GovReport(name, agency, year, template, publish, seed, scale, layout=layout, noise=noise)  # type: ignore[arg-type]


def sample_corpus(n: int, seed: int = 0, years: tuple[int, ...] = tuple(range(2019, 2025))) -> Iterator[GovReport]:
    """``n`` consistent reports of the corpus's agencies (scaled by level) over ``years``."""
    pool = list(agencies().values())
    for i in range(n):
        rng = random.Random(f"corpus-{seed}-{i}")
        agency = rng.choice(pool)
        scale = max(1, round(LEVEL_SCALE[agency.level] * rng.uniform(0.5, 1.5)))
        yield sample_report(seed * 1_000_000 + i, agency, rng.choice(years), scale)
