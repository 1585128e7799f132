"""Spam repair: each document's injected string (clean_spam.find_spam) is replaced by the word its
contexts call for (其他, 相关, …) when that word is evident, removed otherwise; a line holding only
spam is marked to be dropped.
"""

from __future__ import annotations

import polars as pl

from orchestration.lib.parsing.clean_spam import SPAM
from orchestration.lib.parsing.prose_patterns import PatternRules
from orchestration.lib.parsing.prose_rules import load_rules

#: Put where a spam string was cut out when counting the document's own words.
MASK_JOIN = "\u3013"


def _score_replacements(occurrences: pl.DataFrame, presence: pl.DataFrame, rules: PatternRules) -> pl.DataFrame:
    """doc, replacement: the candidate word whose collocations fit the contexts best, if evident.

    A spam string replaced a word everywhere, so that word is missing from the rest of the document:
    a candidate absent from the document has its score multiplied by ``absent_factor``, one still
    present by ``present_factor`` (``presence``: doc, one count column per candidate).
    """
    scores = []
    for word in rules.spam_candidates:
        score = pl.lit(0.0)
        for c_word, side, regex, weight in rules.spam_collocations:
            if c_word != word:
                continue
            col = "left" if side == "left" else "right"
            score = score + pl.col(col).str.contains(regex).cast(pl.Float64) * weight
        scores.append(score.alias(word))
    per_doc = occurrences.select("doc", *scores).group_by("doc").sum()
    per_doc = (
        per_doc.join(presence, on="doc", how="left", suffix="_n")
        .with_columns(
            [
                pl.col(w)
                * pl.when(pl.col(f"{w}_n").fill_null(0) > 0)
                .then(pl.lit(rules.spam_present_factor))
                .otherwise(pl.lit(rules.spam_absent_factor))
                for w in rules.spam_candidates
            ]
        )
        .select("doc", *rules.spam_candidates)
    )
    long = per_doc.unpivot(index="doc", variable_name="word", value_name="score").sort(
        ["doc", "score", "word"], descending=[False, True, False]
    )
    ranked = long.with_columns(rank=pl.int_range(pl.len()).over("doc"))
    best = ranked.filter(pl.col("rank") == 0).select("doc", "word", best="score")
    second = ranked.filter(pl.col("rank") == 1).select("doc", second="score")
    return (
        best.join(second, on="doc", how="left")
        .with_columns(pl.col("second").fill_null(0.0))
        .filter((pl.col("best") >= rules.spam_min_score) & (pl.col("best") >= rules.spam_min_ratio * pl.col("second")))
        .select("doc", replacement="word")
    )


def repair_spam(
    lines: pl.DataFrame, spam: pl.DataFrame, rules: PatternRules | None = None
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Replace each document's spam (find_spam) in ``lines`` (doc, line_no, text, …).

    Returns (lines with ``text`` repaired and ``spam_alone`` — the line held only spam and is to be
    dropped —, the SPAM table). The replacement is the candidate word whose collocations fit the
    contexts of all occurrences best (``spam.collocations``); when none is evident the spam is
    removed (replaced by nothing).
    """
    rules = rules or load_rules()
    if spam.is_empty():
        return lines.with_columns(spam_alone=pl.lit(False)), pl.DataFrame(schema=SPAM)
    affected = lines.join(spam, on="doc", how="inner").filter(pl.col("text").str.contains(pl.col("spam"), literal=True))
    affected = affected.with_columns(parts=pl.col("text").str.split(pl.col("spam")))
    # A line that is only spam (and separators) is dropped, not repaired.
    rest = pl.col("parts").list.join("").str.replace_all(r"[\s,;、|/\-]", "")
    affected = affected.with_columns(spam_alone=rest == "")
    n = pl.col("parts").list.len()
    occurrences = (
        affected.filter(~pl.col("spam_alone"))
        .select(
            "doc",
            left=pl.col("parts").list.slice(0, n - 1),
            right=pl.col("parts").list.slice(1),
        )
        .explode("left", "right")
        .with_columns(left=pl.col("left").str.slice(-6), right=pl.col("right").str.slice(0, 6))
    )
    # How often each candidate word occurs in the document outside the spam.
    doc_lines = lines.join(spam, on="doc", how="inner").with_columns(
        rest=pl.col("text").str.split(pl.col("spam")).list.join(MASK_JOIN)
    )
    presence = doc_lines.group_by("doc").agg(
        [pl.col("rest").str.count_matches(w, literal=True).sum().alias(w) for w in rules.spam_candidates]
    )
    replacement = _score_replacements(occurrences, presence, rules)
    table = (
        spam.join(replacement, on="doc", how="left")
        .select(pl.col("doc").cast(pl.UInt32), "spam", "replacement")
        .cast(SPAM)
    )
    fixed = affected.join(table.select("doc", "replacement"), on="doc", how="left").select(
        "doc",
        "line_no",
        new_text=pl.col("parts").list.join(pl.col("replacement").fill_null("")),
        spam_alone="spam_alone",
    )
    out = (
        lines.join(fixed, on=["doc", "line_no"], how="left", maintain_order="left")
        .with_columns(text=pl.coalesce("new_text", "text"), spam_alone=pl.col("spam_alone").fill_null(False))
        .drop("new_text")
    )
    return out, table
