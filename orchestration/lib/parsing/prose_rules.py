"""prose_patterns.yaml → PatternRules: validation, regex assembly and loading (once per process).

Every regex of the file is compiled once here (a bad one raises ValueError naming where it is);
the quantity regex is assembled from the units and qualifier words, ``{Q}`` in masks and ``{N}``
in sentence patterns are expanded, and family names are checked against the patterns.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from orchestration.lib.parsing.prose_numbers import NUMBER_RE
from orchestration.lib.parsing.prose_patterns import (
    HeadingNone,
    NonePattern,
    PatternRules,
    QuantityPattern,
    SentencePattern,
)

#: The repository's pattern file.
DEFAULT_PATTERNS_PATH = Path(__file__).with_name("prose_patterns.yaml")


def _alt(words: list[str] | tuple[str, ...]) -> str:
    """Alternation, longest first (so that 人次 wins over 人, 大约 over 约)."""
    return "|".join(sorted(words, key=len, reverse=True))


def _check_regex(regex: str, where: str) -> str:
    try:
        pl.select(pl.lit("").str.contains(regex))
    except Exception as exc:  # polars raises ComputeError for a bad pattern
        raise ValueError(f"prose patterns: invalid regex in {where}: {regex!r}: {exc}") from exc
    return regex


def _quantity_pattern(p: dict[str, Any], where: str, units: tuple[str, ...]) -> QuantityPattern:
    where = f"{where} ({p.get('code')})"
    if not p.get("code") or not p.get("units"):
        raise ValueError(f"prose patterns: {where} needs code and units")
    unknown_units = set(p["units"]) - set(units)
    if unknown_units:
        raise ValueError(f"prose patterns: {where} uses units not in `units`: {sorted(unknown_units)}")
    for key in ("before", "after", "prefix", "sentence", "context", "exclude", "exclude_sentence"):
        if p.get(key) is not None:
            _check_regex(p[key], f"{where}.{key}")
    breakdown = str(p.get("breakdown", ""))
    if breakdown == "{b}" and "(?P<b>" not in (p.get("before") or ""):
        raise ValueError(f"prose patterns: {where} takes its breakdown from group b, but `before` has none")
    replace = p.get("breakdown_replace")
    return QuantityPattern(
        code=p["code"],
        units=tuple(p["units"]),
        before=p.get("before"),
        after=p.get("after"),
        prefix=p.get("prefix"),
        sentence=p.get("sentence"),
        context=p.get("context"),
        exclude=p.get("exclude"),
        exclude_sentence=p.get("exclude_sentence"),
        breakdown=breakdown,
        breakdown_replace=(replace[0], replace[1]) if replace else None,
        family=p.get("family"),
    )


def rules_from_dict(data: dict[str, Any]) -> PatternRules:
    """Validate a parsed pattern file and assemble its regexes."""
    units = tuple(data["units"])
    q = data["qualifiers"]
    approx_before, at_least_before = tuple(q["approx_before"]), tuple(q["at_least_before"])
    approx_after, at_least_after = tuple(q["approx_after"]), tuple(q["at_least_after"])
    post_unit = [w for w in at_least_after if len(w) == 1]  # 余, 多: between number and unit
    post_after = [w for w in (*at_least_after, *approx_after) if len(w) > 1]  # 以上, 左右: after the unit
    quantity_re = (
        rf"(?P<pre>{_alt(approx_before + at_least_before)})?(?P<num>{NUMBER_RE})(?P<mult>万|千)?"
        rf"(?P<post>{_alt(post_unit)})?(?P<unit>{_alt(units)})(?P<post2>{_alt(post_after)})?"
    )
    quantity_plain = quantity_re.replace("(?P<pre>", "(?:").replace("(?P<num>", "(?:").replace("(?P<mult>", "(?:")
    for name in ("post", "unit", "post2"):
        quantity_plain = quantity_plain.replace(f"(?P<{name}>", "(?:")
    _check_regex(quantity_re, "quantity")

    masks = []
    for m in data["masks"]:
        regex = m["regex"].replace("{Q}", f"(?:{quantity_plain})")
        masks.append(f"(?:{_check_regex(regex, 'mask ' + m['name'])})")

    known_families = set(data.get("families", {}))
    patterns = tuple(
        _quantity_pattern(p, f"quantity_patterns[{i}]", units) for i, p in enumerate(data["quantity_patterns"])
    )
    extra = tuple(
        _quantity_pattern(p, f"extra_patterns[{i}]", units) for i, p in enumerate(data.get("extra_patterns", []))
    )
    known_families |= {p.family for p in (*patterns, *extra)}
    families = {k: tuple(v) for k, v in data.get("families", {}).items()}
    for parent, children in families.items():
        missing = [c for c in children if c not in known_families]
        if missing:
            raise ValueError(f"prose patterns: families.{parent} names unknown families {missing}")

    sentence_patterns = []
    for i, p in enumerate(data.get("sentence_patterns", [])):
        regex = p["regex"].replace("{N}", f"(?:{NUMBER_RE})")
        _check_regex(regex, f"sentence_patterns[{i}]")
        groups = tuple(g for g in ("n1", "n2", "n3", "n4") if f"(?P<{g}>" in regex)
        if not groups:
            raise ValueError(f"prose patterns: sentence_patterns[{i}] has no group n1")
        sentence_patterns.append(SentencePattern(code=p["code"], regex=regex, unit=p["unit"], groups=groups))

    none_patterns = []
    for i, p in enumerate(data.get("none_patterns", [])):
        none_patterns.append(
            NonePattern(
                codes=tuple(p["codes"]),
                regex=_check_regex(p["regex"], f"none_patterns[{i}]"),
                exclude_sentence=_check_regex(p["exclude_sentence"], f"none_patterns[{i}].exclude_sentence")
                if p.get("exclude_sentence")
                else None,
                exclude_clause=_check_regex(p["exclude_clause"], f"none_patterns[{i}].exclude_clause")
                if p.get("exclude_clause")
                else None,
            )
        )

    heading_none = data.get("heading_none") or {}
    heading_rules = tuple(
        HeadingNone(
            heading=_check_regex(h["heading"], "heading_none.headings"),
            codes=tuple(h["codes"]),
            exclude=_check_regex(h["exclude"], "heading_none.headings") if h.get("exclude") else None,
        )
        for h in heading_none.get("headings", [])
    )
    spam = data["spam"]
    collocations = tuple(
        (str(w), str(s), _check_regex(r, "spam.collocations"), float(x)) for w, s, r, x in spam["collocations"]
    )
    for word, side, _, _ in collocations:
        if word not in spam["candidates"] or side not in ("left", "right"):
            raise ValueError(f"prose patterns: spam collocation ({word}, {side}) is not a candidate word / side")
    return PatternRules(
        units=units,
        quantity_re=quantity_re,
        quantity_plain=quantity_plain,
        approx_before=approx_before,
        at_least_before=at_least_before,
        approx_after=approx_after,
        at_least_after=at_least_after,
        bad_continuations=tuple(data.get("bad_unit_continuations", [])),
        before_fillers=_check_regex(data["before_fillers"], "before_fillers"),
        mask_re="|".join(masks),
        families=families,
        sum_cue=_check_regex(data["sum_cue"], "sum_cue"),
        quantity_patterns=patterns,
        extra_patterns=extra,
        sentence_patterns=tuple(sentence_patterns),
        none_patterns=tuple(none_patterns),
        none_false_friends=tuple(data.get("none_false_friends", [])),
        none_candidates=_check_regex(data.get("none_candidates", "无|未|没有|不存在|不收取"), "none_candidates"),
        heading_none_sentence=_check_regex(heading_none["sentence"], "heading_none.sentence")
        if heading_none.get("sentence")
        else None,
        heading_none=heading_rules,
        spam_anchor=_check_regex(spam["anchor"], "spam.anchor"),
        spam_foreign=_check_regex(spam["foreign"], "spam.foreign"),
        spam_legit=_check_regex(spam["legit"], "spam.legit"),
        spam_window=int(spam["window"]),
        spam_min_length=int(spam["min_length"]),
        spam_min_repeats=int(spam["min_repeats"]),
        spam_min_share=float(spam["min_share"]),
        spam_candidates=tuple(spam["candidates"]),
        spam_absent_factor=float(spam["absent_factor"]),
        spam_present_factor=float(spam["present_factor"]),
        spam_min_score=float(spam["min_score"]),
        spam_min_ratio=float(spam["min_ratio"]),
        spam_collocations=collocations,
        skip_headings=_check_regex(data["skip_headings"], "skip_headings") if data.get("skip_headings") else None,
    )


@lru_cache(maxsize=8)
def _load_rules_cached(path: str) -> PatternRules:
    with open(path, encoding="utf-8") as fh:
        return rules_from_dict(yaml.safe_load(fh))


def load_rules(path: str | Path | None = None) -> PatternRules:
    """The pattern file (default: prose_patterns.yaml beside this module), read once per process."""
    return _load_rules_cached(str(Path(path) if path is not None else DEFAULT_PATTERNS_PATH))
