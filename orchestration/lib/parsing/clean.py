"""Cleaning: a cleaned view of each report's prose that maps back to raw line numbers.

The raw text is never altered (metadata and the statistics table read the raw lines). Cleaning
works on the lines between the title and the statistics table, for the whole batch at once:

- web-page chrome (图片, 发布时间/来源 lines, 字号 大 中 小, 打印本页, 关闭, 上一条/下一条, 分享到,
  breadcrumbs, banner lines above the title) and page furniture (— 3 —, 第 3 页, - 3 -, a bare page
  number, a short line repeated on every page) are dropped;
- spam injection (a foreign string such as "必威体育平台,必威体育app" put in place of a common word
  everywhere in a document) is found from its repetitions, dropped where it stands alone on a line and
  replaced elsewhere by the word its contexts call for (其他, 相关, …) when that word is evident;
- full-width forms are mapped to ASCII (the part of NFKC that is safe here: ０-９ Ａ-Ｚ ，：；（）％ …;
  circled numbers and the like are left alone) and all white space is removed;
- traditional characters are converted to simplified (OpenCC t2s), only for documents detected as
  traditional (one Python call per such document);
- a line ending without sentence-final punctuation is rejoined with the next kept line when that one
  continues the sentence (seed 002: "…并在年内召" + blank + "开了2次…"): both lines get one ``para``.

Every cleaned line keeps its raw ``line_no``; prose.py joins a paragraph's lines with a marker
character, so the raw line of any character of a sentence is known.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import polars as pl

from orchestration.lib.parsing.prose import PatternRules, load_rules
from orchestration.lib.parsing.table_pre2019 import PAGE_NUMBER_RE

#: REPORTS.cleaning_flags values, in the order they are listed.
CLEANING_FLAGS = (
    "web_chrome",
    "page_furniture",
    "spam_injection",
    "spam_repaired",
    "traditional_chars",
    "fullwidth_normalised",
    "sentence_rejoined",
)

#: The cleaned prose lines: one row per kept line, in document then line order.
CLEAN_LINES = pl.Schema(
    {
        "doc": pl.UInt32,
        "line_no": pl.Int32,  # raw 1-based line number
        "text": pl.String,  # cleaned: chrome-free, spam repaired, ASCII forms, simplified, no white space
        "para": pl.Int32,  # lines rejoined into one paragraph share it (increasing through the batch)
        "heading": pl.String,  # the last section heading at or above the line ('' before the first)
    }
)

#: doc, cleaning_flags (sorted in CLEANING_FLAGS order; empty list when none).
FLAGS = pl.Schema({"doc": pl.UInt32, "cleaning_flags": pl.List(pl.String)})

#: doc, spam (the injected string), replacement (the repaired word, NULL when not evident).
SPAM = pl.Schema({"doc": pl.UInt32, "spam": pl.String, "replacement": pl.String})

# ---------------------------------------------------------------------------------------------
# Character forms
# ---------------------------------------------------------------------------------------------

#: White space removed from the cleaned text (ASCII, no-break, ideographic, the U+2000 block, BOM).
WHITESPACE = [" ", "\t", "\r", "\f", "\v", "\u00a0", "\u3000", "\u200b", "\ufeff", "\u2028", "\u2029"] + [
    chr(c) for c in range(0x2000, 0x200B)
]
#: Full-width ASCII variants (U+FF01-U+FF5E) → ASCII, white space → nothing: one Aho-Corasick pass.
FULLWIDTH = [chr(c) for c in range(0xFF01, 0xFF5F)] + WHITESPACE
ASCII = [chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)] + [""] * len(WHITESPACE)
#: Full-width digits and letters: the fullwidth_normalised flag (full-width punctuation is normal in Chinese).
FULLWIDTH_ALNUM = [chr(c) for c in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))]

#: Frequent characters that exist only in traditional script (filtered through OpenCC at first use).
_TRADITIONAL_CANDIDATES = (
    "這個們來時會對說國為於與開關發處務員機數據統計區縣鎮鄉報導點進過還應該將讓從後種總條費經濟體設資訊網絡"
    "電話郵編號碼辦項門類專職單檔規範問題實現檢查權責監督議見認識舉訓練聽證護術歷變農醫療衛學習東長義紀組織黨"
    "幹業請標準審時間運營衆眾傳聯繫維護議員則與產價錢財稅務環較監測級齊屬戶規劃團隊協調購買態廣場陽態"
    "無復訴訟門戶網頁號樓層電郵箱傳真熱應屆狀況場況強製製覽閱讀編輯範圍歸檔讀檔錄載數據庫庫險覆蓋結紹"
    "軟硬處罰獎懲執況證書氣響順暢實績務須優勢劃撥環節軌跡鄰單據彙匯總體記錄礎畫計劃題詢諮詢辦理稱並"
)
#: A document is traditional when at least this many, and this share of the characters of its first
#: lines (a sample: the first TRADITIONAL_SAMPLE_CHARS characters of each of its first
#: TRADITIONAL_SAMPLE_LINES non-blank lines), are traditional-only.
TRADITIONAL_MIN_HITS = 5
TRADITIONAL_MIN_SHARE = 0.02
TRADITIONAL_SAMPLE_LINES = 12
TRADITIONAL_SAMPLE_CHARS = 200

# ---------------------------------------------------------------------------------------------
# Chrome, furniture, headings (regexes on the cleaned text of a line)
# ---------------------------------------------------------------------------------------------

#: Longest line (cleaned characters) that can be chrome or a repeated page header.
SHORT_CHROME = 60
_BUTTONS = (
    r"(?:打印|打印本页|打印此页|关闭|关闭窗口|关闭本页|返回|返回顶部|返回首页|收藏|加入收藏|分享|保存|大|中|小|默认)"
)
CHROME_RE = (
    r"^(?:"
    r"图片|图片[0-9]*|视频|" + _BUTTONS + r"|"
    r"(?:[【\[]" + _BUTTONS + r"(?:本页)?[】\]])+|"
    r"[【\[]?(?:字号|字体):?(?:大|中|小|默认|\s)+[】\]]?(?:[【\[]" + _BUTTONS + r"[】\]])*|"
    r"分享到.*|上一(?:条|篇)[:].*|下一(?:条|篇)[:].*|上一(?:条|篇)|下一(?:条|篇)|"
    r"(?:发布时间|发布日期|发文日期|信息来源|来源|作者|浏览次数|点击数|阅读次数|访问次数|责任编辑|编辑|浏览量|点击量)[:].*|"
    r"(?:当前位置|您的位置|您现在的位置|当前所在位置)[:].*|首页>.*|.*>.*>.*|"
    r"扫一扫.*|.*版权所有.*|.*ICP备.*|主办单位[:].*|承办单位[:].*|技术支持[:].*|网站地图.*|联系我们|无障碍.*|"
    r"(?:19|20)\d{2}[年\-/.]\d{1,2}[月\-/.]\d{1,2}日?(?:\d{1,2}:\d{2}(?::\d{2})?)?"
    r"(?:来源|作者|浏览|点击|字号|信息来源|发布|阅读).*"
    r")$"
)
#: A line starting with section numbering: 一、 (一) 1、 1. 第一章 一是 ①.
HEADING_START_RE = (
    r"^(?:[一二三四五六七八九十]+[、.]|\([一二三四五六七八九十\d]{1,3}\)|\d{1,2}[、.](?:[^\d]|$)|"
    r"第[一二三四五六七八九十\d]+[章节部分]|[一二三四五六七八九十]是|[①-⑳])"
)
#: A heading is short.
HEADING_MAX = 40
#: Sentence-final (or block-final) characters: a line ending with one is never rejoined.
TERMINALS = '。;!?…:”’"』」)]】》'
#: A line ending otherwise is rejoined with the next when it ends with a comma-like character or is
#: at least this long (a line cut by the page width, not a short heading or signature).
MIN_WRAPPED_LINE = 15
#: A title printed on several lines ends at most this many lines below its first line.
TITLE_SPAN = 2
#: Repeated page header: a short line seen at least this many times in a document's prose.
MIN_HEADER_REPEATS = 3


@dataclass(frozen=True)
class Cleaned:
    lines: pl.DataFrame  # CLEAN_LINES
    flags: pl.DataFrame  # FLAGS, one row per document of the input
    spam: pl.DataFrame  # SPAM, documents with spam injection only


@lru_cache(maxsize=1)
def _opencc():  # opencc ships no type hints
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def traditional_chars() -> str:
    """The traditional-only characters used for detection (those OpenCC t2s changes)."""
    cc = _opencc()
    return "".join(dict.fromkeys(ch for ch in _TRADITIONAL_CANDIDATES if cc.convert(ch) != ch))


def to_simplified(text: str) -> str:
    """OpenCC t2s of one text."""
    return _opencc().convert(text)


def cleaned_text(expr: pl.Expr) -> pl.Expr:
    """Full-width forms → ASCII, white space removed (one pass)."""
    return expr.str.replace_many(FULLWIDTH, ASCII)


# ---------------------------------------------------------------------------------------------
# Traditional characters
# ---------------------------------------------------------------------------------------------


def detect_traditional(lines: pl.DataFrame, text_col: str = "text") -> pl.DataFrame:
    """doc, is_traditional: by the share of traditional-only characters in the first lines.

    ``lines``: doc, ``text_col`` in document then line order (one row per document works too).
    """
    sample = lines.filter(pl.int_range(pl.len()).over("doc") < TRADITIONAL_SAMPLE_LINES).select(
        "doc", text=pl.col(text_col).str.slice(0, TRADITIONAL_SAMPLE_CHARS)
    )
    # Most documents have none: the (character class) test first, the count only where it hits.
    docs = sample.select("doc").unique()
    hit = sample.filter(pl.col("text").str.contains(f"[{traditional_chars()}]")).select("doc").unique()
    counts = (
        sample.join(hit, on="doc", how="semi")
        .group_by("doc")
        .agg(
            trad=pl.col("text").str.count_matches(f"[{traditional_chars()}]").sum(),
            chars=pl.col("text").str.len_chars().sum(),
        )
    )
    is_traditional = (pl.col("trad") >= TRADITIONAL_MIN_HITS) & (
        pl.col("trad") >= TRADITIONAL_MIN_SHARE * pl.col("chars")
    )
    return docs.join(counts.select("doc", is_traditional=is_traditional), on="doc", how="left").select(
        "doc", pl.col("is_traditional").fill_null(False)
    )


def _convert_traditional(lines: pl.DataFrame, trad_docs: pl.Series) -> pl.DataFrame:
    """t2s of the ``text`` of the lines of ``trad_docs`` (one OpenCC call per document)."""
    if trad_docs.is_empty():
        return lines
    part = lines.filter(pl.col("doc").is_in(trad_docs.implode()))
    converted: list[pl.DataFrame] = []
    for _key, group in part.group_by("doc", maintain_order=True):
        texts = group["text"].to_list()
        joined = to_simplified("\n".join(texts)).split("\n")
        if len(joined) != len(texts):  # a conversion never spans lines; be safe anyway
            joined = [to_simplified(t) for t in texts]
        converted.append(group.with_columns(text=pl.Series(joined, dtype=pl.String)))
    new = pl.concat(converted).select("doc", "line_no", new_text="text")
    return (
        lines.join(new, on=["doc", "line_no"], how="left", maintain_order="left")
        .with_columns(text=pl.coalesce("new_text", "text"))
        .drop("new_text")
    )


# ---------------------------------------------------------------------------------------------
# Spam injection
# ---------------------------------------------------------------------------------------------


_STOP_CHARS = "。;!?:“”《》()[]【】"
#: Put where a spam string was cut out when counting the document's own words.
MASK_JOIN = "\u3013"


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


# ---------------------------------------------------------------------------------------------
# The cleaned view
# ---------------------------------------------------------------------------------------------


def clean_documents(
    lines: pl.DataFrame,
    bounds: pl.DataFrame,
    rules: PatternRules | None = None,
) -> Cleaned:
    """Clean the prose of every document of ``lines`` (LINES: doc, line_no, line, is_blank).

    ``bounds``: doc, title_line, end_line, title — the prose is title_line < line_no < end_line
    (NULL end_line: to the end of the document); end_line is where the statistics table starts. Lines
    above the title are banners or chrome, never prose; the second line of a title printed on two
    lines is no prose either. Flags are computed for every document of ``bounds``.
    """
    rules = rules or load_rules()
    docs = bounds.select(
        pl.col("doc").cast(pl.UInt32), "title_line", "end_line", title_text=cleaned_text(pl.col("title"))
    )
    frame = lines.join(docs, on="doc", how="inner", maintain_order="left")
    before_end = pl.col("end_line").is_null() | (pl.col("line_no") < pl.col("end_line"))
    # Page numbers anywhere (the table region included) make the page_furniture flag.
    furniture_anywhere = (
        frame.filter(~pl.col("is_blank") & (pl.col("line").str.len_chars() <= 24))
        .filter(pl.col("line").str.contains(PAGE_NUMBER_RE))
        .select("doc")
        .unique()
        .with_columns(page_numbers=pl.lit(True))
    )
    # Everything above the table gets a cleaned text.
    upper = (
        frame.filter(before_end & ~pl.col("is_blank"))
        .select(
            "doc",
            "line_no",
            "line",
            "title_line",
            "title_text",
            text=cleaned_text(pl.col("line")),
            in_prose=pl.col("line_no") > pl.col("title_line"),
            in_head=pl.col("line_no") < pl.col("title_line"),
        )
        .with_row_index("idx")
    )
    # The rest of a title printed on two lines is no prose.
    title_rest = upper.filter(
        pl.col("in_prose") & (pl.col("line_no") <= pl.col("title_line") + TITLE_SPAN) & (pl.col("text") != "")
    ).filter(pl.col("title_text").str.contains(pl.col("text"), literal=True))["idx"]
    upper = upper.with_columns(in_prose=pl.col("in_prose") & ~pl.col("idx").is_in(title_rest.implode())).drop(
        "title_line", "title_text"
    )
    fullwidth = (
        upper.filter(pl.col("line").str.contains_any(FULLWIDTH_ALNUM))
        .select("doc")
        .unique()
        .with_columns(fullwidth=pl.lit(True))
    )

    # Traditional characters: detected on a sample of the document's first lines.
    trad = detect_traditional(upper).filter("is_traditional")
    upper = _convert_traditional(upper, trad["doc"])

    # Chrome and furniture: only short lines can be either (regexes on that subset).
    short = upper.filter(pl.col("text").str.len_chars() <= SHORT_CHROME).select(
        "idx", "doc", "line", "text", "in_prose", "in_head"
    )
    is_page_number = (pl.col("line").str.len_chars() <= 24) & pl.col("line").str.contains(PAGE_NUMBER_RE)
    repeated = (
        (pl.col("text").str.len_chars() <= HEADER_MAX)
        & pl.col("in_prose")
        & (pl.len().over("doc", "text") >= MIN_HEADER_REPEATS)
    )
    short = short.with_columns(
        chrome=pl.col("text").str.contains(CHROME_RE),
        furniture=is_page_number | repeated,
        banner=pl.col("in_head") & ~pl.col("text").str.contains("。", literal=True),
    )
    chrome_idx = short.filter("chrome")["idx"].implode()
    furniture_idx = short.filter("furniture")["idx"].implode()
    banner_idx = short.filter("banner")["idx"].implode()
    upper = upper.with_columns(
        chrome=pl.col("idx").is_in(chrome_idx),
        furniture=pl.col("idx").is_in(furniture_idx),
        banner=pl.col("idx").is_in(banner_idx),
    )

    # Spam: found over the upper part (banner lines included), repaired in place.
    spam = find_spam(upper.select("doc", "text"), rules)
    upper, spam_table = repair_spam(upper, spam, rules)

    kept = upper.filter(
        pl.col("in_prose") & ~pl.col("chrome") & ~pl.col("furniture") & ~pl.col("spam_alone") & (pl.col("text") != "")
    ).select("doc", "line_no", "text")
    kept, rejoined = _rejoin(kept, rules)

    chrome_docs = (
        upper.filter(pl.col("chrome") | (pl.col("banner") & ~pl.col("spam_alone")))
        .select("doc")
        .unique()
        .with_columns(chrome=pl.lit(True))
    )
    furniture_docs = (
        upper.filter(pl.col("furniture") & pl.col("in_prose"))
        .select("doc")
        .unique()
        .with_columns(furniture=pl.lit(True))
    )
    flag_frame = (
        docs.select("doc")
        .join(chrome_docs, on="doc", how="left")
        .join(furniture_docs, on="doc", how="left")
        .join(furniture_anywhere, on="doc", how="left")
        .join(
            spam_table.select("doc", spam=pl.lit(True), repaired=pl.col("replacement").is_not_null()),
            on="doc",
            how="left",
        )
        .join(trad.select("doc", trad=pl.lit(True)), on="doc", how="left")
        .join(fullwidth, on="doc", how="left")
        .join(rejoined, on="doc", how="left")
    )
    conditions = {
        "web_chrome": pl.col("chrome"),
        "page_furniture": pl.col("furniture") | pl.col("page_numbers"),
        "spam_injection": pl.col("spam"),
        "spam_repaired": pl.col("repaired"),
        "traditional_chars": pl.col("trad"),
        "fullwidth_normalised": pl.col("fullwidth"),
        "sentence_rejoined": pl.col("rejoined"),
    }
    flags = flag_frame.select(
        "doc",
        cleaning_flags=pl.concat_list(
            [pl.when(cond.fill_null(False)).then(pl.lit(name)).otherwise(None) for name, cond in conditions.items()]
        ).list.drop_nulls(),
    ).cast(FLAGS)
    return Cleaned(lines=kept.cast(CLEAN_LINES), flags=flags, spam=spam_table)


#: Longest repeated line taken for a page header.
HEADER_MAX = 40


def _rejoin(kept: pl.DataFrame, rules: PatternRules | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Assign paragraphs (a line continuing the previous line's sentence joins its paragraph) and
    section headings. Returns (CLEAN_LINES, doc/rejoined).

    Besides a line ending with a comma or cut by the page width, a line is continued by the next
    when a book title is open at its end (《…公 + 报》) or when the next starts with the rest of a
    quantity (…申请1 + 2件 / …信息 + 86条): a number cut by a page break is moved whole onto the
    line where it starts (quantities are read within a line).

    The lines are sorted by doc and line_no; shifts are global with a same-document test (cheaper
    than windows over thousands of documents).
    """
    kept = kept.sort("doc", "line_no")
    text = pl.col("text")
    same_doc = pl.col("doc") == pl.col("doc").shift(1)
    starts_numbered = text.str.contains(HEADING_START_RE)
    units = "|".join(sorted((rules or load_rules()).units, key=len, reverse=True))
    kept = kept.with_columns(
        numbered=starts_numbered,
        is_heading=starts_numbered & (text.str.len_chars() <= HEADING_MAX),
        first=~same_doc.fill_null(False),
        last=text.str.slice(-1, 1),
        long=text.str.len_chars() >= MIN_WRAPPED_LINE,
        open_title=text.str.count_matches("《", literal=True) > text.str.count_matches("》", literal=True),
        ends_digit=text.str.contains(r"\d$"),
        # the rest of a number and its unit, or a whole quantity, at the start of the line
        lead=text.str.extract(rf"^((?:\d[\d,.]*)?(?:万|千)?(?:余|多)?(?:{units}))", 1),
    )
    soft = (
        ~pl.col("first")
        & ~pl.col("last").shift(1).is_in(list(TERMINALS))
        & ~pl.col("is_heading").shift(1).fill_null(False)
        & ~pl.col("numbered")
        & (
            pl.col("last").shift(1).is_in([",", "、"])
            | pl.col("long").shift(1)
            | pl.col("open_title").shift(1)
            | (pl.col("lead").is_not_null() & pl.col("lead").str.contains(r"^\d"))
            | (pl.col("ends_digit").shift(1) & pl.col("lead").is_not_null())
        )
    ).fill_null(False)
    # A number cut by the break: its rest (digits and unit) moves to the previous line.
    carry = (soft & pl.col("ends_digit").shift(1) & pl.col("lead").is_not_null()).fill_null(False)
    kept = kept.with_columns(carry=carry)
    kept = kept.with_columns(
        text=pl.when(pl.col("carry")).then(text.str.slice(pl.col("lead").str.len_chars())).otherwise(text)
    ).with_columns(
        text=pl.when(pl.col("carry").shift(-1).fill_null(False))
        .then(pl.concat_str(text, pl.col("lead").shift(-1)))
        .otherwise(text)
    )
    out = kept.with_columns(soft=soft)
    out = out.with_columns(
        para=(~pl.col("soft")).cast(pl.Int32).cum_sum(),
        heading=pl.when(pl.col("is_heading"))
        .then(pl.col("text"))
        .when(pl.col("first"))
        .then(pl.lit(""))
        .otherwise(None)
        .forward_fill(),
    )
    rejoined = out.filter("soft").select("doc").unique().with_columns(rejoined=pl.lit(True))
    return out.select(CLEAN_LINES.names()), rejoined
