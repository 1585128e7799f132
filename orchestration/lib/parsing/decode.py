"""Raw bytes → text: encoding detection, empty/binary detection, line-ending normalisation.

A per-document loop over ``bytes.decode`` (C code); nothing here loops over lines. Order: empty
→ byte-order mark → NUL bytes (UTF-16 without BOM, else binary) → control bytes (binary) →
UTF-8 → GB18030 or Big5 (strict; the less messy by charset-normalizer's mess ratio when both
decode) → charset-normalizer's guess among Chinese and Unicode encodings → undecodable. A
multi-byte character cut off at the very end (a truncated download) is dropped.
"""

from __future__ import annotations

import codecs

import polars as pl

from orchestration.lib.parsing.encodings import decode_legacy, decode_strict, detect, is_text, utf16_without_bom
from orchestration.lib.schemas import DOCUMENTS, PARSER_VERSION, QUARANTINE

#: Input of decode_files: one row per distinct content.
FILES = pl.Schema({"report_id": pl.String, "source_file": pl.String, "content": pl.Binary})

_BOMS: tuple[tuple[bytes, str, str], ...] = (
    # (BOM, codec used to decode, encoding name reported); UTF-32 before UTF-16 (FF FE 00 00).
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32", "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32", "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16", "utf-16-be"),
)

#: C0 control bytes that never occur in text (tab, LF, VT, FF, CR and ESC are allowed).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27))
#: Share of control bytes above which a NUL-free file is still called binary.
_MAX_CONTROL_SHARE = 0.01
_ASCII_WHITESPACE = b" \t\n\r\x0b\x0c"


def _normalise_newlines(text: str) -> str:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _decode(data: bytes) -> tuple[str | None, str, str | None, str | None]:
    """(text, encoding, quarantine_reason, detail); text is None iff quarantine_reason is set."""
    if not data.strip(_ASCII_WHITESPACE):
        return None, "", "empty_file", f"{len(data)} bytes, no text"
    encoding = ""
    text: str | None = None
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            encoding = name
            try:
                text = decode_strict(data, codec)
            except UnicodeDecodeError as exc:
                detail = f"starts with a {name} byte-order mark but is not {name} (byte {exc.start}: {exc.reason})"
                return None, name, "undecodable", detail
            break
    if text is None:
        nul = data.find(b"\x00")
        if nul >= 0:
            codec = utf16_without_bom(data)
            if codec is None:
                return None, "", "binary_file", f"NUL byte at offset {nul}"
            text, encoding = decode_strict(data, codec), codec
    if text is None:
        n_control = len(data) - len(data.translate(None, _CONTROL_BYTES))
        if n_control > _MAX_CONTROL_SHARE * len(data):
            return None, "", "binary_file", f"{n_control} control bytes in {len(data)} bytes"
        try:
            text, encoding = decode_strict(data, "utf-8"), "utf-8"
        except UnicodeDecodeError as utf8_error:
            legacy = decode_legacy(data)
            # GB18030 decodes nearly any bytes: when its text has foreign scripts or private-use
            # characters (Big5-HKSCS, …), charset-normalizer's guess wins if it reads as text.
            if isinstance(legacy, tuple):
                text, encoding = legacy
                if not is_text(text) and (detected := detect(data)) is not None:
                    text, encoding = detected
            elif (detected := detect(data)) is not None:
                text, encoding = detected
            else:
                detail = (
                    f"not UTF-8 (byte {utf8_error.start}: {utf8_error.reason}), "
                    f"not GB18030 (byte {legacy.start}: {legacy.reason}), not Big5, and "
                    "charset-normalizer finds no Chinese or Unicode encoding that reads as text"
                )
                return None, "", "undecodable", detail
    text = _normalise_newlines(text)
    if not text.strip():
        return None, encoding, "empty_file", f"{len(data)} bytes, only white space once decoded as {encoding}"
    return text, encoding, None, None


def decode_bytes(data: bytes) -> tuple[str | None, str, str | None]:
    """Decode one file's bytes into ``(text, encoding, quarantine_reason)``.

    Order: empty (no bytes, or only white space) → ``empty_file``; a byte-order mark (UTF-8,
    UTF-32, UTF-16) decides the codec; NUL bytes → UTF-16 without BOM when they all sit on one
    side and the result reads as text, else ``binary_file``; control bytes → ``binary_file``;
    then UTF-8 strict, then GB18030 or Big5 strict (the less messy when both decode), then
    charset-normalizer's guess among Chinese and Unicode encodings; nothing fits →
    ``undecodable``. A character cut off at the very end is dropped. On success the reason is
    None, the UTF-8 BOM is stripped and line endings are ``\\n``. On failure text is None and
    encoding is the BOM's encoding or ''.
    """
    text, encoding, reason, _detail = _decode(data)
    return text, encoding, reason


def decode_files(files: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Decode ``files`` (report_id, source_file, content: Binary; other columns ignored).

    Returns ``(documents, quarantine)`` in the DOCUMENTS and QUARANTINE schemas. Contents are
    deduplicated by report_id (the first row wins), so each content yields exactly one row in
    exactly one of the two frames.
    """
    missing = [c for c in FILES.names() if c not in files.columns]
    if missing:
        raise ValueError(f"decode_files: missing columns {missing}")
    files = files.select(FILES.names()).unique(subset="report_id", keep="first", maintain_order=True)
    docs: list[tuple[str, str, str, str, None]] = []
    bad: list[tuple[str, str, str, str | None, str]] = []
    for report_id, source_file, content in files.iter_rows():
        text, encoding, reason, detail = _decode(content if content is not None else b"")
        if text is None:
            bad.append((report_id, source_file, reason or "undecodable", detail, PARSER_VERSION))
        else:
            docs.append((report_id, source_file, encoding, text, None))
    documents = pl.DataFrame(docs, schema=DOCUMENTS, orient="row")
    quarantine = pl.DataFrame(bad, schema=QUARANTINE, orient="row")
    return documents, quarantine
