"""The typed form of prose_patterns.yaml: the pattern dataclasses and ``PatternRules``.

prose_rules.py validates the YAML file and builds these; the extractors (prose_quantities.py,
prose_statements.py, prose_sums.py) and the spam finder of the cleaning step read them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class QuantityPattern:
    code: str
    units: tuple[str, ...]
    before: str | None = None
    after: str | None = None
    prefix: str | None = None
    sentence: str | None = None
    context: str | None = None
    exclude: str | None = None
    exclude_sentence: str | None = None
    breakdown: str = ""
    breakdown_replace: tuple[str, str] | None = None
    family: str | None = None


@dataclass(frozen=True)
class SentencePattern:
    code: str
    regex: str  # with {N} expanded; named groups n1, n2, … hold numbers
    unit: str
    groups: tuple[str, ...]


@dataclass(frozen=True)
class NonePattern:
    codes: tuple[str, ...]
    regex: str
    exclude_sentence: str | None = None
    exclude_clause: str | None = None  # must not match the clause(s) of the statement


@dataclass(frozen=True)
class HeadingNone:
    heading: str
    codes: tuple[str, ...]
    exclude: str | None = None


@dataclass(frozen=True)
class PatternRules:
    """prose_patterns.yaml, validated and with its regexes assembled."""

    units: tuple[str, ...]
    quantity_re: str  # named groups pre, num, mult, post, unit, post2
    quantity_plain: str  # the same without group names
    approx_before: tuple[str, ...]
    at_least_before: tuple[str, ...]
    approx_after: tuple[str, ...]
    at_least_after: tuple[str, ...]
    bad_continuations: tuple[str, ...]
    before_fillers: str
    mask_re: str  # every mask, one alternation
    families: dict[str, tuple[str, ...]]
    sum_cue: str
    quantity_patterns: tuple[QuantityPattern, ...]
    extra_patterns: tuple[QuantityPattern, ...]
    sentence_patterns: tuple[SentencePattern, ...]
    none_patterns: tuple[NonePattern, ...]
    none_false_friends: tuple[str, ...]
    none_candidates: str
    heading_none_sentence: str | None
    heading_none: tuple[HeadingNone, ...]
    spam_anchor: str
    spam_foreign: str
    spam_legit: str
    spam_window: int
    spam_min_length: int
    spam_min_repeats: int
    spam_min_share: float
    spam_candidates: tuple[str, ...]
    spam_absent_factor: float
    spam_present_factor: float
    spam_min_score: float
    spam_min_ratio: float
    spam_collocations: tuple[tuple[str, str, str, float], ...]
    skip_headings: str | None = None  # quantities under such a heading (plans) are never read
