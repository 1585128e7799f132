"""Values from prose: cleaned lines (clean.py) → indicator values and prose sums.

Vectorised over every sentence of a batch; the phrasings are data (``prose_patterns.yaml``), applied
by a Python loop over the patterns, never over lines or sentences:

1. A paragraph's lines are joined with a marker character (``MARK``) and split into sentences at
   。；！？; the raw line of any character is the paragraph's line after as many markers
   (prose_sentences.py).
2. Work is done once per distinct sentence (boilerplate repeats across reports). Dates, years,
   phone numbers, postcodes, document numbers, law articles, addresses, ordinals, targets and plans
   are masked; each remaining number + unit (条, 件, 次, 人次, 万元, %, 两项, 二十余人, …) is a quantity
   (prose_quantities.py), valued in its catalogue unit (prose_numbers.py).
3. A quantity gets the indicator of the first pattern whose unit set and context regexes fit (the
   clause before it, after it, the sentence, the section heading; prose_matching.py); explicit none
   statements ("无依申请公开…情况", "没有因…申请行政复议、提起行政诉讼…") give 0 with qualifier
   stated_none (prose_statements.py).
4. Prose sums: a value followed by 其中/包括/分别… and the values of one child family after it in
   the same paragraph ("共印发文件33份，其中公开发布17份，不公开15份，依申请公开1份"), emitted only
   when every quantity of the enumerating span was read as a part (one unread part: no sum;
   prose_sums.py).

The pattern file is read and validated by prose_rules.py into the types of prose_patterns.py. This
module assembles the values of a batch and re-exports the names callers import from it.
"""

from __future__ import annotations

import polars as pl

from orchestration.lib.parsing.prose_numbers import (
    NUMBER_RE,
    UNIT_FACTORS,
    catalogue_units,
    parse_numbers,
    quantity_values,
)
from orchestration.lib.parsing.prose_patterns import (
    HeadingNone,
    NonePattern,
    PatternRules,
    QuantityPattern,
    SentencePattern,
)
from orchestration.lib.parsing.prose_quantities import find_quantities
from orchestration.lib.parsing.prose_rules import DEFAULT_PATTERNS_PATH, load_rules, rules_from_dict
from orchestration.lib.parsing.prose_sentences import MARK, MASK, split_sentences
from orchestration.lib.parsing.prose_statements import find_nones, find_sentence_values
from orchestration.lib.parsing.prose_sums import PROSE_RELATIONS, empty_relations, find_prose_sums

__all__ = [
    "DEFAULT_PATTERNS_PATH",
    "MARK",
    "MASK",
    "NUMBER_RE",
    "PROSE_RELATIONS",
    "PROSE_VALUES",
    "UNIT_FACTORS",
    "HeadingNone",
    "NonePattern",
    "PatternRules",
    "QuantityPattern",
    "SentencePattern",
    "catalogue_units",
    "extract_prose",
    "load_rules",
    "parse_numbers",
    "rules_from_dict",
    "split_sentences",
]

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

#: A value row while values are ordered: its paragraph, sentence and position in the sentence.
_VALUE_SCHEMA = pl.Schema(
    {
        **{"doc": pl.UInt32, "para": pl.Int32, "sent": pl.Int32, "pos": pl.Int64},
        **{name: dtype for name, dtype in PROSE_VALUES.items() if name != "doc"},
    }
)
#: The columns of a value row (the evidence is the sentence without line markers).
_VALUE_COLUMNS = [*(name for name in _VALUE_SCHEMA.names() if name != "evidence"), pl.col("plain").alias("evidence")]


def _empty_values() -> pl.DataFrame:
    return pl.DataFrame(schema=PROSE_VALUES)


def extract_prose(clean_lines: pl.DataFrame, rules: PatternRules | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(PROSE_VALUES, PROSE_RELATIONS) of the cleaned lines (clean.CLEAN_LINES) of a batch.

    Values in document then text order; an indicator + breakdown stated twice in a document: the
    first statement wins.
    """
    rules = rules or load_rules()
    if clean_lines.is_empty():
        return _empty_values(), empty_relations()
    sents = split_sentences(clean_lines)
    # One extraction per distinct (sentence, heading): sid is their hash.
    sents = sents.with_columns(sid=pl.struct("text", "heading").hash())
    distinct = sents.select("sid", "text", "plain", "heading").unique(subset="sid", keep="first", maintain_order=True)
    distinct = distinct.with_columns(cue_start=pl.col("plain").str.contains(rules.sum_cue))
    quantities = find_quantities(distinct, rules)
    nones = find_nones(distinct, rules)
    sentence_values = find_sentence_values(distinct, rules)

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
    # (unmapped quantities only matter in documents with a mapped one: filtered in find_prose_sums)
    occ = occ.filter(pl.col("sid").is_in(found["sid"].implode())).select(
        "doc", "para", "sent", "psent", "sid", "plain", "line_nos", "first_idx", "cue_next"
    )

    line = pl.col("line_nos").list.get(pl.col("first_idx") + pl.col("n_marks"), null_on_oob=True)
    frames = []
    rel_rows = pl.DataFrame()
    if not quantities.is_empty():
        qv = quantity_values(quantities)
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
        return _empty_values(), empty_relations()
    values = (
        pl.concat([f.cast(_VALUE_SCHEMA) for f in frames])
        .sort("doc", "para", "sent", "pos", maintain_order=True)
        .unique(subset=["doc", "indicator_code", "breakdown"], keep="first", maintain_order=True)
    )
    relations = find_prose_sums(rel_rows, rules) if not rel_rows.is_empty() else empty_relations()
    return values.select(PROSE_VALUES.names()).cast(PROSE_VALUES), relations
