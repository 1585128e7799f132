"""Spam injection: a foreign string (such as "必威体育平台,必威体育app") put in place of a common word
everywhere in a document by a hacked site, found from its repetitions.

Occurrences of an anchor word (体育, 娱乐, app, …; ``spam`` of prose_patterns.yaml) are compared:
the affix they share is the candidate, kept when it repeats, reads like an advertisement and is no
report vocabulary. clean_spam_repair.py puts the replaced word back.
"""

from __future__ import annotations

import polars as pl

from orchestration.lib.parsing.prose_patterns import PatternRules
from orchestration.lib.parsing.prose_rules import load_rules

#: doc, spam (the injected string), replacement (the repaired word, NULL when not evident).
SPAM = pl.Schema({"doc": pl.UInt32, "spam": pl.String, "replacement": pl.String})

#: Sentence punctuation: never part of an injected string.
_STOP_CHARS = "。;!?:“”《》()[]【】"


def _extend(windows: pl.DataFrame, side: str, rules: PatternRules) -> pl.DataFrame:
    """doc, anchor, <side>_ext: the longest affix of ``side`` shared by most occurrences of an anchor.

    ``side`` holds the characters after the anchor (or those before it, reversed), clipped at line
    ends. Character by character: the affix takes the most frequent character at position k as
    long as the windows that agree with it up to k number at least ``min_repeats`` and
    ``min_share`` of the windows that agreed up to k-1 (and reach k), no agreeing window ended
    before k, and it is no sentence punctuation: injected text repeats exactly, the report's own
    words around it vary. One pass over all characters of all windows, no loop over positions.
    """
    keys = ["doc", "anchor"]
    empty = windows.select(keys).unique().with_columns(pl.lit("").alias(f"{side}_ext"))
    chars = (
        windows.select(*keys, ch=pl.col(side).str.split(""))
        .with_row_index("wid")
        .with_columns(k=pl.int_ranges(1, pl.col("ch").list.len() + 1, dtype=pl.Int32))
        .explode("ch", "k")
        .drop_nulls("k")
    )
    if chars.is_empty():
        return empty
    mode = (
        chars.group_by(*keys, "k", "ch")
        .agg(n=pl.len())
        .sort([*keys, "k", "n", "ch"], descending=[False, False, False, True, False])
        .group_by(*keys, "k", maintain_order=True)
        .first()
        .select(*keys, "k", mode_ch="ch")
    )
    chars = chars.join(mode, on=[*keys, "k"], how="left")
    first_miss = chars.filter(pl.col("ch") != pl.col("mode_ch")).group_by("wid").agg(miss=pl.col("k").min())
    chars = chars.join(first_miss, on="wid", how="left").with_columns(pl.col("miss").fill_null(1 << 30))
    level = chars.group_by(*keys, "k").agg(
        m=(pl.col("miss") >= pl.col("k")).sum(),  # agreed up to k-1 and reach k
        c=(pl.col("miss") > pl.col("k")).sum(),  # agree up to k
        mode_ch=pl.col("mode_ch").first(),
    )
    # An occurrence that agreed so far and ends with its line (the spam alone on a line, or at a
    # line end) bounds the string: nothing of it lies beyond.
    ends = (
        chars.group_by("wid")
        .agg(*[pl.col(c).first() for c in keys], n=pl.col("k").max(), miss=pl.col("miss").first())
        .filter(pl.col("miss") > pl.col("n"))
        .group_by(*keys, k=pl.col("n") + 1)
        .agg(ended=pl.len())
    )
    level = level.join(ends, on=[*keys, "k"], how="left")
    valid = (
        (pl.col("c") >= rules.spam_min_repeats)
        & (pl.col("c") >= rules.spam_min_share * pl.col("m"))
        & pl.col("ended").is_null()
        & ~pl.col("mode_ch").is_in(list(_STOP_CHARS))
    )
    chosen = (
        level.sort(*keys, "k")
        .with_columns(ok=valid.cast(pl.Int8).cum_prod().over(keys))
        .filter(pl.col("ok") == 1)
        .group_by(keys)
        .agg(pl.col("mode_ch").sort_by("k").str.join("").alias(f"{side}_ext"))
    )
    return empty.join(chosen, on=keys, how="left", suffix="_new").select(
        *keys, pl.coalesce(f"{side}_ext_new", f"{side}_ext").alias(f"{side}_ext")
    )


def find_spam(lines: pl.DataFrame, rules: PatternRules | None = None) -> pl.DataFrame:
    """doc, spam: injected strings (SPAM without the replacement), at most one per document.

    Occurrences of an anchor word (体育, 娱乐, app, …) are compared: the string shared around them
    is the candidate, kept when it repeats, reads like an advertisement (``spam.foreign``) and is no
    report vocabulary (``spam.legit``). ``lines``: doc, text (cleaned).
    """
    rules = rules or load_rules()
    empty = pl.DataFrame(schema={"doc": pl.UInt32, "spam": pl.String})
    hits = lines.filter(pl.col("text").str.contains(rules.spam_anchor))
    if hits.is_empty():
        return empty
    w = rules.spam_window
    windows = (
        hits.select("doc", w=pl.col("text").str.extract_all(rf".{{0,{w}}}(?:{rules.spam_anchor}).{{0,{w}}}"))
        .explode("w")
        .drop_nulls("w")
        .with_columns(g=pl.col("w").str.extract_groups(rf"^(?P<L>.*?)(?P<anchor>{rules.spam_anchor})(?P<R>.*)$"))
        .unnest("g")
        .drop_nulls("anchor")
        .with_columns(Lrev=pl.col("L").str.reverse())
    )
    windows = windows.filter(pl.len().over("doc", "anchor") >= rules.spam_min_repeats)
    if windows.is_empty():
        return empty
    right = _extend(windows, "R", rules)
    left = _extend(windows, "Lrev", rules)
    cand = (
        right.join(left, on=["doc", "anchor"], how="inner")
        .select("doc", spam=pl.concat_str(pl.col("Lrev_ext").str.reverse(), "anchor", "R_ext"))
        .unique()
        .filter(
            (pl.col("spam").str.len_chars() >= rules.spam_min_length)
            & pl.col("spam").str.contains(rules.spam_foreign)
            & ~pl.col("spam").str.contains(rules.spam_legit)
        )
    )
    if cand.is_empty():
        return empty
    counts = (
        lines.join(cand, on="doc", how="inner")
        .group_by("doc", "spam")
        .agg(n=pl.col("text").str.count_matches(pl.col("spam"), literal=True).sum())
    )
    return (
        counts.filter(pl.col("n") >= rules.spam_min_repeats)
        .sort(["doc", pl.col("spam").str.len_chars(), "spam"], descending=[False, True, False])
        .group_by("doc", maintain_order=True)
        .first()
        .select(pl.col("doc").cast(pl.UInt32), "spam")
    )
