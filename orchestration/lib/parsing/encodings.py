"""Strict decoders for the encodings of Chinese reports, and checks that a guessed decoding is text.

Used by decode.py when UTF-8 fails: UTF-16 without a byte-order mark, GB18030 vs Big5 (decided
by charset-normalizer's mess ratio when both decode), charset-normalizer's own guess restricted
to Chinese and Unicode encodings. A multi-byte character cut off at the very end of the data (a
truncated download) is dropped, but only when the remaining bytes can start a character.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes
from charset_normalizer.md import mess_ratio

#: C0 control characters that never occur in text (tab, LF, VT, FF, CR and ESC are allowed).
_CONTROL_CHARS = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f]")
#: Reasons Python gives for a multi-byte character cut off by the end of the data.
_TRUNCATED = ("unexpected end of data", "incomplete multibyte sequence", "truncated data")
#: Legacy Chinese encodings tried (strictly) when UTF-8 fails: simplified first, then traditional.
_LEGACY = ("gb18030", "big5")
#: What charset-normalizer may propose when no strict decode fits (Chinese or Unicode encodings).
_DETECTABLE = frozenset(
    {"gb18030", "gbk", "gb2312", "hz", "big5", "big5hkscs", "cp950", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"}
)
#: Characters of Chinese or ASCII text: white space, ASCII, Latin-1 and general punctuation,
#: number forms, circled numbers, box drawing and shapes, CJK punctuation, CJK ideographs,
#: full-width forms.
_REPORT_CHARS = re.compile(
    "[\t\n\r\x0b\x0c\x20-\x7e\u00a0-\u00ff\u2000-\u206f\u2150-\u218f\u2460-\u24ff\u2500-\u25ff"
    "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]+"
)
#: A guessed decoding (UTF-16 without BOM, charset-normalizer's) is text when at most this share
#: of a sample is outside _REPORT_CHARS.
_MAX_FOREIGN_SHARE = 0.05
#: Big5 wins over GB18030 (both decoding) when charset-normalizer's mess ratio of its text is
#: lower by at least this (Big5 read as GB18030 gives kana and Greek: ~3.6; a real report ~0).
_BIG5_MARGIN = 0.1
#: Characters of a decoded text that the mess ratio is computed on.
_MESS_SAMPLE = 4_000


def _valid_prefix(codec: str, tail: bytes) -> bool:
    """``tail`` (the undecoded end of the data) can start a character of ``codec``."""
    if codec == "gb18030":  # 2 bytes: 81-FE 40-FE; 4 bytes: 81-FE 30-39 81-FE 30-39
        return (
            0 < len(tail) <= 3
            and 0x81 <= tail[0] <= 0xFE
            and (len(tail) < 2 or 0x30 <= tail[1] <= 0x39)
            and (len(tail) < 3 or 0x81 <= tail[2] <= 0xFE)
        )
    if codec == "big5":
        return len(tail) == 1 and 0x81 <= tail[0] <= 0xFE
    if codec.startswith("utf-16"):
        return len(tail) == 1
    return codec.startswith("utf-8")  # Python already checked that the tail starts a UTF-8 sequence


def decode_strict(data: bytes, codec: str) -> str:
    """Strict decoding, except that a character cut off at the very end (a truncated download) is dropped."""
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        if exc.reason in _TRUNCATED and exc.end == len(data) and _valid_prefix(codec, data[exc.start :]):
            return data[: exc.start].decode(codec)
        raise


def _mess(text: str) -> float:
    return mess_ratio(text[:_MESS_SAMPLE], maximum_threshold=1.0)


def is_text(text: str) -> bool:
    """No control characters (besides tab, newlines, VT, FF, ESC) and, in a sample, nearly only
    characters of Chinese or ASCII text (a wrong byte order or codec gives other scripts)."""
    sample = text[:_MESS_SAMPLE]
    if not sample or _CONTROL_CHARS.search(sample):
        return False
    return len(_REPORT_CHARS.sub("", sample)) <= _MAX_FOREIGN_SHARE * len(sample)


def utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without a byte-order mark (ASCII characters bring NUL bytes): the byte order that
    decodes strictly into text, if any (the wrong one gives surrogates, controls or noise)."""
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = decode_strict(data, codec)
        except UnicodeDecodeError:
            continue
        if is_text(text):
            return codec
    return None


def decode_legacy(data: bytes) -> tuple[str, str] | UnicodeDecodeError:
    """(text, encoding) for GB18030 or Big5: the one that decodes strictly, the less messy if both
    do (Big5 bytes mostly decode as GB18030 too, into kana and Greek); else GB18030's error."""
    decoded: list[tuple[str, str]] = []
    error: UnicodeDecodeError | None = None
    for codec in _LEGACY:
        try:
            decoded.append((decode_strict(data, codec), codec))
        except UnicodeDecodeError as exc:
            error = error or exc
    if not decoded:
        assert error is not None
        return error
    if len(decoded) == 2:  # Big5 only when clearly less messy (a few characters say little)
        (gb_text, _gb), (big5_text, _big5) = decoded
        return decoded[1] if _mess(gb_text) - _mess(big5_text) >= _BIG5_MARGIN else decoded[0]
    return decoded[0]


def detect(data: bytes) -> tuple[str, str] | None:
    """charset-normalizer's best guess, when it is a Chinese or Unicode encoding and reads as text."""
    best = from_bytes(data).best()
    if best is None:
        return None
    codec = codecs.lookup(best.encoding).name
    if codec not in _DETECTABLE:
        return None
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None
    return (text, codec) if is_text(text) else None
