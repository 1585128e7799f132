"""Values from prose: cleaned lines (clean.py) → indicator values and prose sums.

Vectorised over every sentence of a batch; the phrasings are data (``prose_patterns.yaml``), applied
by a Python loop over the patterns, never over lines or sentences:

1. A paragraph's lines are joined with a marker character (``MARK``) and split into sentences at
   。；！？; the raw line of any character is the paragraph's line after as many markers.
2. Work is done once per distinct sentence (boilerplate repeats across reports). Dates, years,
   phone numbers, postcodes, document numbers, law articles, addresses, ordinals, targets and plans
   are masked; each remaining number + unit (条, 件, 次, 人次, 万元, %, 两项, 二十余人, …) is a quantity.
3. A quantity gets the indicator of the first pattern whose unit set and context regexes fit (the
   clause before it, after it, the sentence, the section heading); explicit none statements ("无依
   申请公开…情况", "没有因…申请行政复议、提起行政诉讼…") give 0 with qualifier stated_none.
4. Prose sums: a value followed by 其中/包括/分别… and the values of one child family after it in
   the same paragraph ("共印发文件33份，其中公开发布17份，不公开15份，依申请公开1份"), emitted only
   when every quantity of the enumerating span was read as a part (one unread part: no sum).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from orchestration.lib.parsing.catalogue import CATALOGUE_CSV, DEFAULT_CATALOGUE_PATH

#: The repository's pattern file.
DEFAULT_PATTERNS_PATH = Path(__file__).with_name("prose_patterns.yaml")

#: Joins the lines of a paragraph (the raw line of a character = the number of markers before it).
MARK = "\x1e"
_SENTENCE_CUT = "\x1f"
_QUANTITY_CUT = "\x1d"
#: Replaces masked spans (never part of a number or a unit).
MASK = "〓"

#: A number as printed: 1,211  0.5  12  两  二十  一百二十  (Arabic digits after full-width mapping).
NUMBER_RE = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|[零〇两一二三四五六七八九十百千万]+"
_MULTIPLIERS = {"万": 10_000.0, "千": 1_000.0}
#: Money units in 元 (a value in 元 of a 万元 indicator is converted, as table_pre2019 does).
UNIT_FACTORS = {"元": 1.0, "万元": 10_000.0}

#: Prose values keyed by doc (parse.py adds report_id and the contract columns).
PROSE_VALUES = pl.Schema(
    {
        "doc": pl.UInt32,
        "indicator_code": pl.String,
        "breakdown": pl.String,
        "raw_label": pl.String,  # the clause before the number (or the none statement)
        "unit": pl.String,
        "raw_value": pl.String,  # the quantity as printed (qualifiers and unit included)
        "value": pl.Float64,
        "qualifier": pl.String,  # exact | approx | at_least | stated_none
        "source_line": pl.Int32,
        "evidence": pl.String,  # the cleaned sentence
    }
)

#: Prose sums keyed by doc.
PROSE_RELATIONS = pl.Schema(
    {
        "doc": pl.UInt32,
        "relation_id": pl.String,
        "relation_kind": pl.String,
        "parent_indicator_code": pl.String,
        "parent_breakdown": pl.String,
        "child_indicator_code": pl.String,
        "child_breakdown": pl.String,
        "source_line": pl.Int32,
    }
)


# ---------------------------------------------------------------------------------------------
# Pattern data
# ---------------------------------------------------------------------------------------------


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


@lru_cache(maxsize=1)
def catalogue_units() -> dict[str, str]:
    """indicator_code → unit of every catalogue row (all templates)."""
    cat = pl.read_csv(DEFAULT_CATALOGUE_PATH, schema=CATALOGUE_CSV, encoding="utf8")
    return dict(cat.select("indicator_code", "unit").iter_rows())


# ---------------------------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------------------------


def _chinese_number(text: str) -> float | None:
    import cn2an

    if text[:1] in "百千万":  # 逾百件, 百余人次, 逾百万元: a bare 百 is 一百
        text = "一" + text
    try:
        value = cn2an.cn2an(text, "smart")
    except (ValueError, KeyError, TypeError, IndexError):
        return None
    return float(value)


def parse_numbers(frame: pl.DataFrame, column: str, out: str) -> pl.DataFrame:
    """``out`` = the value of ``column`` (1,211 → 1211; 两 → 2; 一百二十 → 120; NULL if unreadable).

    Chinese numerals are converted with cn2an once per distinct numeral (a handful per batch)."""
    arabic = pl.col(column).str.replace_all(",", "", literal=True).cast(pl.Float64, strict=False)
    frame = frame.with_columns(arabic.alias(out))
    chinese = frame.filter(pl.col(out).is_null() & pl.col(column).is_not_null())[column].unique().to_list()
    if chinese:
        mapping = {s: _chinese_number(s) for s in chinese}
        frame = frame.with_columns(
            pl.coalesce(
                pl.col(out),
                pl.col(column).replace_strict(mapping, default=None, return_dtype=pl.Float64),
            ).alias(out)
        )
    return frame


# ---------------------------------------------------------------------------------------------
# Sentences
# ---------------------------------------------------------------------------------------------


#: Sentence ends besides 。 (after full-width mapping).
_OTHER_ENDS_RE = r"([;!?])"


def _cut_sentences(paras: pl.DataFrame) -> pl.DataFrame:
    """Paragraphs (…, text) → one row per sentence (…, text), in order. A literal split at 。
    (fast), then a regex split of the few pieces holding ; ! or ?."""
    pieces = paras.with_columns(text=pl.col("text").str.split("。", inclusive=True)).explode("text")
    pieces = pieces.with_row_index("_r")
    has_other = pl.col("text").str.contains(r"[;!?]")
    other = (
        pieces.filter(has_other)
        .with_columns(
            text=pl.col("text").str.replace_all(_OTHER_ENDS_RE, "${1}" + _SENTENCE_CUT).str.split(_SENTENCE_CUT)
        )
        .with_columns(_s=pl.int_ranges(0, pl.col("text").list.len(), dtype=pl.Int32))
        .explode("text", "_s")
    )
    plain = pieces.filter(~has_other).with_columns(_s=pl.lit(0, dtype=pl.Int32))
    out = pl.concat([plain, other.select(plain.columns)]).sort("_r", "_s").drop("_r", "_s")
    # sent: the sentence's number within its paragraph (paragraph numbers increase through the batch).
    idx = pl.int_range(pl.len(), dtype=pl.Int32)
    start = pl.when(pl.col("para") != pl.col("para").shift(1).fill_null(-1)).then(idx).otherwise(None).forward_fill()
    return out.with_columns(sent=idx - start)


def split_sentences(clean_lines: pl.DataFrame) -> pl.DataFrame:
    """doc, para, sent, text (lines joined by MARK), plain (without MARK), heading, line_nos,
    first_idx (index into line_nos of the sentence's first line), in document and text order.

    Most paragraphs are one line: only the others are grouped, and only their sentences need the
    running count of line markers (paragraph numbers increase through the batch, clean.CLEAN_LINES).
    A sentence never starts with a MARK: a line ending with 。；！？ is never rejoined.
    """
    alone = (pl.col("para") != pl.col("para").shift(1)).fill_null(True) & (
        pl.col("para") != pl.col("para").shift(-1)
    ).fill_null(True)
    flagged = clean_lines.with_columns(alone=alone)
    single = _cut_sentences(
        flagged.filter("alone").select(
            "doc", "para", "text", line_nos=pl.concat_list(pl.col("line_no")), heading="heading"
        )
    ).with_columns(first_idx=pl.lit(0, dtype=pl.Int32), plain="text")
    multi = _cut_sentences(
        flagged.filter(~pl.col("alone"))
        .group_by("doc", "para", maintain_order=True)
        .agg(text=pl.col("text").str.join(MARK), line_nos=pl.col("line_no"), heading=pl.col("heading").first())
    )
    marks = pl.col("text").str.count_matches(MARK, literal=True).cast(pl.Int32)
    running = marks.cum_sum() - marks
    at_start = pl.when(pl.col("sent") == 0).then(running).otherwise(None).forward_fill()
    multi = multi.with_columns(
        first_idx=(running - at_start).cast(pl.Int32),
        plain=pl.col("text").str.replace_all(MARK, "", literal=True),
    )
    sents = pl.concat([single, multi.select(single.columns)]).sort("para", "sent")
    sents = sents.filter(pl.col("plain") != "")
    # psent: the full sentence (ended by 。!?, not by ;): equal for two sentences of a paragraph
    # when no full stop lies between them (a running count through the batch).
    full_end = pl.col("plain").str.slice(-1, 1).is_in(["。", "!", "?"]).cast(pl.Int32)
    return sents.with_columns(psent=(full_end.cum_sum() - full_end).cast(pl.Int32))


def _marks_before(text: pl.Expr, plain_pos: pl.Expr) -> pl.Expr:
    """Markers in ``text`` before the character at ``plain_pos`` of its MARK-free version."""
    m = pl.lit(0, dtype=pl.UInt32)
    for _ in range(4):
        m = text.str.slice(0, plain_pos + m).str.count_matches(MARK, literal=True)
    return m


# ---------------------------------------------------------------------------------------------
# Extraction over distinct sentences
# ---------------------------------------------------------------------------------------------


_TEXT_COLUMNS = (
    ("before", "before"),
    ("after", "after"),
    ("prefix", "prefix"),
    ("sentence", "plain"),
    ("context", "context"),
)


def _regex_columns(patterns: tuple[QuantityPattern, ...]) -> dict[tuple[str, str], str]:
    """(column, regex) → name of a boolean column: each distinct test is run once."""
    tests: dict[tuple[str, str], str] = {}
    for p in patterns:
        for key, col in _TEXT_COLUMNS:
            regex = getattr(p, key)
            if regex is not None:
                tests.setdefault((col, regex), f"_t{len(tests)}")
        if p.exclude is not None:
            tests.setdefault(("before", p.exclude), f"_t{len(tests)}")
        if p.exclude_sentence is not None:
            tests.setdefault(("plain", p.exclude_sentence), f"_t{len(tests)}")
    return tests


def _pattern_condition(p: QuantityPattern, tests: dict[tuple[str, str], str] | None = None) -> pl.Expr:
    """The pattern fits the quantity (reading the precomputed test columns when given)."""

    def test(col: str, regex: str) -> pl.Expr:
        return pl.col(tests[(col, regex)]) if tests is not None else pl.col(col).str.contains(regex)

    cond = pl.col("unit").is_in(list(p.units))
    for key, col in _TEXT_COLUMNS:
        regex = getattr(p, key)
        if regex is not None:
            cond = cond & test(col, regex)
    if p.exclude is not None:
        cond = cond & ~test("before", p.exclude)
    if p.exclude_sentence is not None:
        cond = cond & ~test("plain", p.exclude_sentence)
    return cond


def _quantities(distinct: pl.DataFrame, rules: PatternRules) -> pl.DataFrame:
    """Every mapped quantity of the distinct sentences: sid, pos, n_marks, indicator_code, breakdown,
    family, cue, raw_label, raw_value, unit (printed), num, mult, qualifier."""
    cand = distinct.filter(pl.col("text").str.contains(rules.quantity_plain))
    if rules.skip_headings:
        cand = cand.filter(~pl.col("heading").str.contains(rules.skip_headings))
    if cand.is_empty():
        return pl.DataFrame()
    masked = pl.col("text").str.replace_all(rules.mask_re, MASK)
    cand = cand.with_columns(masked=masked).filter(pl.col("masked").str.contains(rules.quantity_plain))
    if cand.is_empty():
        return pl.DataFrame()
    parts = cand.with_columns(
        part=pl.col("masked").str.replace_all(rules.quantity_plain, _QUANTITY_CUT + "$0").str.split(_QUANTITY_CUT)
    ).with_columns(k=pl.int_ranges(0, pl.col("part").list.len(), dtype=pl.Int32))
    parts = parts.explode("part", "k")
    length = pl.col("part").str.len_chars()
    parts = parts.with_columns(pos=(length.cum_sum() - length).over("sid"))

    # Each part after the first starts with its quantity; `tail` is the text after it (the first
    # part: all of it). A quantity's own words lie between the previous quantity and itself.
    parts = parts.with_columns(
        raw_value=pl.when(pl.col("k") >= 1).then(pl.col("part").str.extract(f"^(?:{rules.quantity_plain})", 0))
    ).with_columns(tail=pl.col("part").str.slice(pl.col("raw_value").str.len_chars().fill_null(0)))
    same = pl.col("sid") == pl.col("sid").shift(1)
    parts = parts.with_columns(local=pl.when(same).then(pl.col("tail").shift(1)).otherwise(pl.lit("")))
    q = parts.filter(pl.col("k") >= 1)
    q = q.with_columns(g=pl.col("part").str.extract_groups(f"^{rules.quantity_re}")).unnest("g")
    q = q.with_columns(rest=pl.col("tail"))
    prefix_marked = pl.col("masked").str.slice(0, pl.col("pos"))
    q = q.with_columns(
        n_marks=prefix_marked.str.count_matches(MARK, literal=True),
        prefix=prefix_marked.str.replace_all(MARK, "", literal=True),
        rest=pl.col("rest").str.replace_all(MARK, "", literal=True),
    )
    # A unit that starts a word (一次性, 两项目) is no unit.
    word = pl.concat_str(pl.col("unit"), pl.col("rest").str.slice(0, 1))
    q = q.filter(~word.is_in(list(rules.bad_continuations)))
    local = pl.col("local").str.replace_all(MARK, "", literal=True).str.extract(r"([^,;:]*)$", 1)
    q = q.with_columns(
        before=local.str.strip_chars_start("、").str.replace(rules.before_fillers, ""),
        after=pl.col("rest").str.extract(r"^([^,;:]*)", 1),
        cue=pl.col("rest").str.contains(rules.sum_cue),
        rest_empty=pl.col("rest").str.replace_all(r"[\s,;:。!?)\]]", "") == "",
        context=pl.concat_str(pl.col("heading"), pl.lit("|"), pl.col("plain")),
    )

    tests = _regex_columns((*rules.quantity_patterns, *rules.extra_patterns))
    q = q.with_columns([pl.col(col).str.contains(regex).alias(name) for (col, regex), name in tests.items()])
    idx: pl.Expr | None = None
    chain = None
    for i, p in enumerate(rules.quantity_patterns):
        cond = _pattern_condition(p, tests)
        chain = pl.when(cond).then(pl.lit(i)) if chain is None else chain.when(cond).then(pl.lit(i))
    if chain is None:
        return pl.DataFrame()
    idx = chain.otherwise(None).cast(pl.Int32)
    q = q.with_columns(pattern=idx)
    # Second readings: each extra pattern that fits adds a value (ordered right after the first).
    extras = []
    for p in rules.extra_patterns:
        extras.append(
            q.filter(_pattern_condition(p, tests)).with_columns(
                indicator_code=pl.lit(p.code),
                family=pl.lit(p.family, dtype=pl.String),
                breakdown=pl.lit(p.breakdown if p.breakdown != "{b}" else ""),
                extra=pl.lit(True),
            )
        )
    # Unmapped quantities are kept: they matter to prose sums (a cue after them: "873条，较上年
    # 增加126条。其中…", "上述2,531条信息按类别分"; an unmapped number among the parts: no sum).

    # Breakdown: a literal, or the named group b of the pattern's `before`.
    breakdown: pl.Expr = pl.lit("")
    b_chain = None
    for i, p in enumerate(rules.quantity_patterns):
        if p.breakdown == "{b}":
            value = pl.col("before").str.extract_groups(p.before).struct.field("b")
            if p.breakdown_replace:
                value = value.str.replace(p.breakdown_replace[0], p.breakdown_replace[1])
        elif p.breakdown:
            value = pl.lit(p.breakdown)
        else:
            continue
        cond = pl.col("pattern") == i
        b_chain = pl.when(cond).then(value) if b_chain is None else b_chain.when(cond).then(value)
    if b_chain is not None:
        breakdown = b_chain.otherwise(pl.lit("")).fill_null("")
    meta = pl.DataFrame(
        {
            "pattern": list(range(len(rules.quantity_patterns))),
            "indicator_code": [p.code for p in rules.quantity_patterns],
            "family": [p.family for p in rules.quantity_patterns],
        },
        schema={"pattern": pl.Int32, "indicator_code": pl.String, "family": pl.String},
    )
    q = q.with_columns(breakdown=breakdown, extra=pl.lit(False)).join(meta, on="pattern", how="left")
    if extras:
        q = pl.concat([q, *[e.select(q.columns) for e in extras]])

    qualifier = (
        pl.when(pl.col("pre").is_in(list(rules.approx_before)) | pl.col("post2").is_in(list(rules.approx_after)))
        .then(pl.lit("approx"))
        .when(
            pl.col("pre").is_in(list(rules.at_least_before))
            | pl.col("post").is_not_null()
            | pl.col("post2").is_in(list(rules.at_least_after))
        )
        .then(pl.lit("at_least"))
        .otherwise(pl.lit("exact"))
    )
    return q.select(
        "sid",
        # an extra reading sorts right after the first reading of its number
        (pl.col("pos") * 2 + pl.col("extra").cast(pl.Int64)).alias("pos"),
        pl.col("n_marks").cast(pl.Int32),
        "indicator_code",
        "breakdown",
        "family",
        "cue",
        "rest_empty",
        "extra",
        raw_label=pl.col("local")
        .str.replace_all(MARK, "", literal=True)
        .str.extract(r"([^,;:]*)$", 1)
        .str.strip_chars_start(MASK + "、"),
        raw_value="raw_value",
        unit="unit",
        num="num",
        mult="mult",
        qualifier=qualifier,
    )


def _nones(distinct: pl.DataFrame, rules: PatternRules) -> pl.DataFrame:
    """Explicit none statements: sid, pos, n_marks, indicator_code, raw_label (the statement)."""
    if not rules.none_patterns:
        return pl.DataFrame()
    cand = distinct.filter(pl.col("plain").str.contains(rules.none_candidates))
    if cand.is_empty():
        return pl.DataFrame()
    friends = list(rules.none_false_friends)
    cand = cand.with_columns(nt=pl.col("plain").str.replace_many(friends, [MASK * len(w) for w in friends]))
    found = []
    if rules.heading_none_sentence and rules.heading_none:
        bare = cand.filter(pl.col("nt").str.contains(rules.heading_none_sentence))
        for rule in rules.heading_none:
            cond = pl.col("heading").str.contains(rule.heading)
            if rule.exclude:
                cond = cond & ~pl.col("heading").str.contains(rule.exclude)
            hit = bare.filter(cond)
            if hit.is_empty():
                continue
            found.append(
                hit.select(
                    "sid",
                    pos=pl.lit(0, dtype=pl.Int64),
                    n_marks=pl.lit(0, dtype=pl.Int32),
                    indicator_code=pl.lit(list(rule.codes), dtype=pl.List(pl.String)),
                    raw_label=pl.col("plain"),
                ).explode("indicator_code")
            )
    for p in rules.none_patterns:
        sentences = cand if p.exclude_sentence is None else cand.filter(~pl.col("nt").str.contains(p.exclude_sentence))
        hit = (
            sentences.with_columns(g=pl.col("nt").str.extract_groups(f"^(?P<pre>.*?)(?P<span>{p.regex})(?P<post>.*)$"))
            .unnest("g")
            .filter(pl.col("span").is_not_null() & ~pl.col("span").str.contains(r"\d"))
        )
        if p.exclude_clause is not None:
            clause = pl.concat_str(
                pl.col("pre").str.extract(r"([^,;]*)$", 1).fill_null(""),
                pl.col("span"),
                pl.col("post").str.extract(r"^([^,;。]*)", 1).fill_null(""),
            )
            hit = hit.filter(~clause.str.contains(p.exclude_clause))
        if hit.is_empty():
            continue
        pos = pl.col("pre").str.len_chars()
        found.append(
            hit.select(
                "sid",
                pos=pos.cast(pl.Int64) * 2,
                n_marks=_marks_before(pl.col("text"), pos).cast(pl.Int32),
                indicator_code=pl.lit(list(p.codes), dtype=pl.List(pl.String)),
                raw_label=pl.col("span"),
            ).explode("indicator_code")
        )
    return pl.concat(found) if found else pl.DataFrame()


def _sentence_values(distinct: pl.DataFrame, rules: PatternRules) -> pl.DataFrame:
    """Whole-sentence phrasings with numbers (组长1名，副组长1名): sid, pos, n_marks, code, value…"""
    found = []
    for p in rules.sentence_patterns:
        hit = (
            distinct.with_columns(g=pl.col("plain").str.extract_groups(f"^(?P<pre>.*?)(?P<span>{p.regex})"))
            .unnest("g")
            .filter(pl.col("span").is_not_null())
        )
        if hit.is_empty():
            continue
        for g in p.groups:
            hit = parse_numbers(hit, g, f"v_{g}")
        total = pl.sum_horizontal([pl.col(f"v_{g}") for g in p.groups])
        any_null = pl.any_horizontal([pl.col(f"v_{g}").is_null() for g in p.groups])
        pos = pl.col("pre").str.len_chars()
        found.append(
            hit.filter(~any_null).select(
                "sid",
                pos=pos.cast(pl.Int64),
                n_marks=_marks_before(pl.col("text"), pos).cast(pl.Int32),
                indicator_code=pl.lit(p.code),
                raw_label=pl.col("span").str.strip_chars_start(",;:、"),
                value=total.cast(pl.Float64),
                unit=pl.lit(p.unit),
            )
        )
    return pl.concat(found) if found else pl.DataFrame()


def _empty_values() -> pl.DataFrame:
    return pl.DataFrame(schema=PROSE_VALUES)


def _empty_relations() -> pl.DataFrame:
    return pl.DataFrame(schema=PROSE_RELATIONS)


def extract_prose(clean_lines: pl.DataFrame, rules: PatternRules | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(PROSE_VALUES, PROSE_RELATIONS) of the cleaned lines (clean.CLEAN_LINES) of a batch.

    Values in document then text order; an indicator + breakdown stated twice in a document: the
    first statement wins.
    """
    rules = rules or load_rules()
    if clean_lines.is_empty():
        return _empty_values(), _empty_relations()
    sents = split_sentences(clean_lines)
    # One extraction per distinct (sentence, heading): sid is their hash.
    sents = sents.with_columns(sid=pl.struct("text", "heading").hash())
    distinct = sents.select("sid", "text", "plain", "heading").unique(subset="sid", keep="first", maintain_order=True)
    distinct = distinct.with_columns(cue_start=pl.col("plain").str.contains(rules.sum_cue))
    quantities = _quantities(distinct, rules)
    nones = _nones(distinct, rules)
    sentence_values = _sentence_values(distinct, rules)

    # The next sentence of the same paragraph starts with a sum cue ("…356条。其中：…").
    cue = sents.select("sid").join(distinct.select("sid", "cue_start"), on="sid", how="left", maintain_order="left")
    same_para = (pl.col("doc") == pl.col("doc").shift(-1)) & (pl.col("para") == pl.col("para").shift(-1))
    occ = sents.with_columns(cue_start=cue["cue_start"]).with_columns(
        cue_next=(same_para & pl.col("cue_start").shift(-1)).fill_null(False)
    )
    found = pl.concat(
        [f.select("sid") for f in (quantities, nones, sentence_values) if not f.is_empty()]
        or [pl.DataFrame(schema={"sid": pl.UInt64})]
    )
    # (unmapped quantities only matter in documents with a mapped one: filtered in _relations)
    occ = occ.filter(pl.col("sid").is_in(found["sid"].implode())).select(
        "doc", "para", "sent", "psent", "sid", "plain", "line_nos", "first_idx", "cue_next"
    )

    line = pl.col("line_nos").list.get(pl.col("first_idx") + pl.col("n_marks"), null_on_oob=True)
    units = catalogue_units()
    frames = []
    rel_rows = pl.DataFrame()
    if not quantities.is_empty():
        qv = parse_numbers(quantities, "num", "value")
        mult = pl.col("mult").replace_strict(_MULTIPLIERS, default=1.0, return_dtype=pl.Float64)
        qv = qv.with_columns(value=pl.col("value") * mult)
        cat_unit = pl.col("indicator_code").replace_strict(units, default=None, return_dtype=pl.String)
        factor = pl.col("unit").replace_strict(UNIT_FACTORS, default=None, return_dtype=pl.Float64)
        cat_factor = cat_unit.replace_strict(UNIT_FACTORS, default=None, return_dtype=pl.Float64)
        converts = factor.is_not_null() & cat_factor.is_not_null()
        qv = qv.with_columns(
            value=pl.when(converts).then(pl.col("value") * factor / cat_factor).otherwise(pl.col("value")),
            unit=pl.when(converts).then(cat_unit).otherwise(pl.col("unit")),
        ).filter(pl.col("value").is_not_null())
        q_rows = occ.join(qv, on="sid", how="inner").with_columns(source_line=line)
        # A second reading of a number (extra_patterns) is no part of a sum of its first reading.
        rel_rows = q_rows.filter(~pl.col("extra")).with_columns(
            cue=pl.col("cue") | (pl.col("rest_empty") & pl.col("cue_next").fill_null(False))
        )
        frames.append(q_rows.filter(pl.col("indicator_code").is_not_null()).select(*_VALUE_COLUMNS))
    if not nones.is_empty():
        n_rows = occ.join(nones, on="sid", how="inner").with_columns(
            source_line=line,
            breakdown=pl.lit(""),
            unit=pl.lit(None, dtype=pl.String),
            raw_value=pl.col("raw_label"),
            value=pl.lit(0.0),
            qualifier=pl.lit("stated_none"),
        )
        frames.append(n_rows.select(*_VALUE_COLUMNS))
    if not sentence_values.is_empty():
        s_rows = occ.join(sentence_values, on="sid", how="inner").with_columns(
            source_line=line,
            breakdown=pl.lit(""),
            raw_value=pl.col("raw_label"),
            qualifier=pl.lit("exact"),
        )
        frames.append(s_rows.select(*_VALUE_COLUMNS))
    if not frames:
        return _empty_values(), _empty_relations()
    values = (
        pl.concat([f.cast(_VALUE_SCHEMA) for f in frames])
        .sort("doc", "para", "sent", "pos", maintain_order=True)
        .unique(subset=["doc", "indicator_code", "breakdown"], keep="first", maintain_order=True)
    )
    relations = _relations(rel_rows, rules) if not rel_rows.is_empty() else _empty_relations()
    return values.select(PROSE_VALUES.names()).cast(PROSE_VALUES), relations


_VALUE_SCHEMA = pl.Schema(
    {
        "doc": pl.UInt32,
        "para": pl.Int32,
        "sent": pl.Int32,
        "pos": pl.Int64,
        "indicator_code": pl.String,
        "breakdown": pl.String,
        "raw_label": pl.String,
        "unit": pl.String,
        "raw_value": pl.String,
        "value": pl.Float64,
        "qualifier": pl.String,
        "source_line": pl.Int32,
        "evidence": pl.String,
    }
)
_VALUE_COLUMNS = [
    "doc",
    "para",
    "sent",
    "pos",
    "indicator_code",
    "breakdown",
    "raw_label",
    "unit",
    "raw_value",
    "value",
    "qualifier",
    "source_line",
    pl.col("plain").alias("evidence"),
]


def _relations(rows: pl.DataFrame, rules: PatternRules) -> pl.DataFrame:
    """Prose sums: a parent (a value followed by a sum cue, whose family has child families) and
    the values of one child family in its enumerating span. At least two parts (or one part equal
    to the whole: "收到申请2件，其中当面申请2件").

    The span starts at the cue and ends at the first value that is neither such a child nor a part
    of one (a grandchild family), or at an unmapped number after the full sentence (。!?, not ;)
    of its first value. A sum is emitted only when EVERY quantity in the span is a mapped child or grandchild:
    one number read as no indicator (a part that was missed) means the parts cannot add up, so no
    relation at all. Percentages (shares of a part) are no parts and are ignored.

    ``rows``: every quantity, mapped (indicator_code set) or not, with ``cue``.
    A cue after unmapped quantities belongs to the mapped value before them ("全年主动公开873条，
    较上年增加126条，增长16.9%。其中…"); an unmapped quantity with a cue that repeats the value of an
    earlier mapped one restates it ("主动公开的356条信息中…", "上述2,531条信息按类别分：…").
    """
    if not rules.families:
        return _empty_relations()
    rows = rows.sort("doc", "para", "sent", "pos").with_columns(order=pl.int_range(pl.len()).over("doc"))
    items = rows.select(
        "doc", "para", "psent", "order", "indicator_code", "breakdown", "family", "cue", "source_line", "value", "unit"
    )
    # Restatements.
    mapped = items.filter(pl.col("indicator_code").is_not_null())
    restated = (
        items.filter(pl.col("indicator_code").is_null() & pl.col("cue"))
        .select("doc", "order", "value", "unit")
        .join(
            mapped.select(
                "doc", "value", "unit", m_order="order", m_code="indicator_code", m_b="breakdown", m_f="family"
            ),
            on=["doc", "value", "unit"],
            how="inner",
        )
        .filter(pl.col("m_order") < pl.col("order"))
        .sort("doc", "order", "m_order")
        .group_by("doc", "order", maintain_order=True)
        .last()
        .select("doc", "order", "m_code", "m_b", "m_f")
    )
    items = (
        items.join(restated, on=["doc", "order"], how="left")
        .with_columns(
            indicator_code=pl.coalesce("indicator_code", "m_code"),
            breakdown=pl.coalesce("breakdown", "m_b"),
            family=pl.coalesce("family", "m_f"),
        )
        .drop("m_code", "m_b", "m_f")
    )
    # A cue after unmapped quantities belongs to the mapped value before them (same paragraph);
    # the span starts after the first quantity carrying it.
    is_mapped = pl.col("indicator_code").is_not_null()
    items = items.with_columns(g=is_mapped.cast(pl.Int32).cum_sum().over("doc", "para"))
    items = items.with_columns(
        cue_order=pl.col("order").filter(pl.col("cue")).min().over("doc", "para", "g"),
    )
    # Percentages are shares, never parts.
    items = items.filter(pl.col("unit") != "%")
    cols = ("doc", "para", "psent", "order", "indicator_code", "breakdown", "family", "source_line", "value")
    parents = items.filter(
        is_mapped & pl.col("cue_order").is_not_null() & pl.col("family").is_in(list(rules.families))
    ).select(*cols, "cue_order")
    if parents.is_empty():
        return _empty_relations()
    items = items.select(*cols)

    options = pl.DataFrame(
        [(parent, child, rank) for parent, children in rules.families.items() for rank, child in enumerate(children)],
        schema={"family": pl.String, "child_family": pl.String, "rank": pl.Int32},
        orient="row",
    )
    between = pl.DataFrame(
        [(child, grandchild) for child, grandchildren in rules.families.items() for grandchild in grandchildren],
        schema={"child_family": pl.String, "family_c": pl.String},
        orient="row",
    ).with_columns(is_between=pl.lit(True))
    pairs = parents.join(items, on=["doc", "para"], how="inner", suffix="_c").filter(
        pl.col("order_c") > pl.col("cue_order")
    )
    # The first quantity of the span decides the child family (an unmapped one: no sum).
    first = (
        pairs.sort("doc", "order", "order_c")
        .group_by("doc", "order", maintain_order=True)
        .first()
        .select("doc", "order", "family", child_family="family_c", first_psent="psent_c")
        .join(options, on=["family", "child_family"], how="inner")
        .select("doc", "order", "child_family", "first_psent")
    )
    pairs = (
        pairs.join(first, on=["doc", "order"], how="inner")
        .join(between, on=["child_family", "family_c"], how="left")
        .with_columns(
            is_child=pl.col("family_c") == pl.col("child_family"),
            is_between=pl.col("is_between").fill_null(False),
            unmapped=pl.col("indicator_code_c").is_null(),
        )
    )
    # The span ends at the first mapped value of another family, or at an unmapped number after
    # the full sentence of the first part (parts may run on: "…公开106条，包括…。通过…公开500条。").
    ends = (pl.col("indicator_code_c").is_not_null() & ~pl.col("is_child") & ~pl.col("is_between")) | (
        pl.col("unmapped") & (pl.col("psent_c") != pl.col("first_psent"))
    )
    stop = pl.col("order_c").filter(ends).min().over("doc", "order")
    span = pairs.filter(stop.is_null() | (pl.col("order_c") < stop))
    # Every quantity of the span is a part: one unmapped number and the sum is no sum.
    span = span.filter(~pl.col("unmapped").any().over("doc", "order"))
    children = span.filter(pl.col("is_child"))
    # One part per indicator + breakdown (a value stated twice is one part).
    children = children.unique(
        subset=["doc", "order", "indicator_code_c", "breakdown_c"], keep="first", maintain_order=True
    )
    # At least two parts; or one part equal to the whole ("收到申请2件，其中当面申请2件").
    n_parts = pl.len().over("doc", "order")
    children = children.filter((n_parts >= 2) | ((n_parts == 1) & (pl.col("value_c") == pl.col("value"))))
    if children.is_empty():
        return _empty_relations()
    children = children.sort("doc", "order", "order_c").with_columns(
        n=pl.col("order").rank("dense").over("doc").cast(pl.Int64)
    )
    return children.select(
        "doc",
        relation_id=pl.format("prose_sum_{}", pl.col("n")),
        relation_kind=pl.lit("prose_sum"),
        parent_indicator_code="indicator_code",
        parent_breakdown="breakdown",
        child_indicator_code="indicator_code_c",
        child_breakdown="breakdown_c",
        source_line="source_line",
    ).cast(PROSE_RELATIONS)
