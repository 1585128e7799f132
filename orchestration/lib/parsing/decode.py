"""Raw bytes → text: encoding detection, empty/binary detection, line-ending normalisation, and
saved web pages → the text derived from their HTML.

A per-document loop over ``bytes.decode`` (C code); nothing here loops over lines. Order: empty
→ byte-order mark → NUL bytes (UTF-16 without BOM, else binary) → control bytes (binary) →
UTF-8 → GB18030 or Big5 (strict; the less messy by charset-normalizer's mess ratio when both
decode) → charset-normalizer's guess among Chinese and Unicode encodings → undecodable. A
multi-byte character cut off at the very end (a truncated download) is dropped.

Web pages (html.looks_like_html: named .html/.htm, or HTML by their content whatever their name)
are decoded the same way, except that a charset the page declares (<meta charset>, http-equiv
content type, XML declaration) wins over a guess when the bytes decode strictly with it — never
over a byte-order mark, UTF-16 or valid UTF-8 (pages re-encoded to UTF-8 often keep a stale
gb2312 declaration, and UTF-8 bytes mostly decode as GB18030 too, into nonsense). Their text is
html.html_to_text's (html.render_page per page, then html.add_titles once per batch), with
line_origin (the raw line of each derived line), and their encoding is recorded as the codec plus
"+html" ("gb18030+html", "utf-8+html"): the one place in the warehouse's reports where a report
read from a web page shows (the codec is the part before "+").

decode_bytes decodes bytes only (a page comes back as its markup); decode_document (one file)
and decode_files (a batch) also read web pages.
"""

from __future__ import annotations

import codecs
from typing import NamedTuple

import polars as pl

from orchestration.lib.parsing import html
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
#: Appended to the encoding of a document whose text was derived from HTML.
HTML_MARKER = "+html"
#: Encodings decided by the bytes themselves (a byte-order mark, NUL bytes, strict UTF-8): a
#: page's declared charset does not override them.
_CERTAIN = frozenset({"utf-8", "utf-8-sig", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"})


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


class Decoded(NamedTuple):
    """One file decoded: text is None iff reason (a QUARANTINE reason) is set."""

    text: str | None
    encoding: str
    line_origin: list[int] | None  # HTML: the raw line of each derived line; None for plain text
    reason: str | None
    detail: str | None


def _declared_text(data: bytes, text: str, encoding: str) -> tuple[str, str]:
    """A page's declared charset, when it differs from a guessed encoding and the bytes decode
    strictly with it; else the guess."""
    declared = html.declared_charset(data)
    if declared is None or declared == encoding or encoding in _CERTAIN:
        return text, encoding
    try:
        return _normalise_newlines(decode_strict(data, declared)), declared
    except UnicodeDecodeError:
        return text, encoding


def _read(data: bytes, source_file: str) -> Decoded | tuple[html.RenderedPage, str]:
    """Plain text and failures as Decoded; a web page with text as (its rendered page, encoding),
    still without its title decision (html.add_titles, per batch)."""
    text, encoding, reason, detail = _decode(data)
    if text is None or not html.looks_like_html(text, source_file):
        return Decoded(text, encoding, None, reason, detail)
    text, encoding = _declared_text(data, text, encoding)
    try:
        page = html.render_page(text)
    except Exception as exc:  # lxml recovers from malformed markup; anything else must not stop the batch
        detail = f"HTML ({encoding}) could not be read: {type(exc).__name__}: {exc}"[:500]
        return Decoded(None, encoding + HTML_MARKER, None, "undecodable", detail)
    if not page.lines:
        detail = f"{len(data)} bytes of HTML ({encoding}), no visible text once the markup is removed"
        return Decoded(None, encoding + HTML_MARKER, None, "empty_file", detail)
    return page, encoding + HTML_MARKER


def _finish(pages: list[tuple[html.RenderedPage, str]]) -> list[Decoded]:
    """Web pages → Decoded, after one title decision for all of them (html.add_titles; should it
    fail, page by page, and a page it fails on keeps its text without a title line)."""
    try:
        html.add_titles([page for page, _encoding in pages])
    except Exception:
        for page, _encoding in pages:
            try:
                html.add_titles([page])
            except Exception:  # the title line only helps the parser find the title
                continue
    return [Decoded(page.text, encoding, page.origins, None, None) for page, encoding in pages]


def decode_document(data: bytes, source_file: str = "") -> Decoded:
    """Decode one file: plain text as decode_bytes does; a web page (html.looks_like_html, by name
    or content) into the text derived from its HTML, with its line_origin and encoding
    "<codec>+html".

    A page without visible text → ``empty_file``; a page the HTML reader fails on (lxml recovers
    from malformed markup; anything else) → ``undecodable`` with the error in the detail.
    """
    result = _read(data, source_file)
    return result if isinstance(result, Decoded) else _finish([result])[0]


def decode_files(files: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Decode ``files`` (report_id, source_file, content: Binary; other columns ignored).

    Returns ``(documents, quarantine)`` in the DOCUMENTS and QUARANTINE schemas. Contents are
    deduplicated by report_id (the first row wins), so each content yields exactly one row in
    exactly one of the two frames. Web pages (decode_document) carry their line_origin; plain
    text has a NULL one.
    """
    missing = [c for c in FILES.names() if c not in files.columns]
    if missing:
        raise ValueError(f"decode_files: missing columns {missing}")
    files = files.select(FILES.names()).unique(subset="report_id", keep="first", maintain_order=True)
    rows = list(files.iter_rows())
    results = [_read(content if content is not None else b"", source_file or "") for _id, source_file, content in rows]
    pages = iter(_finish([result for result in results if not isinstance(result, Decoded)]))
    decoded = [result if isinstance(result, Decoded) else next(pages) for result in results]
    docs: list[tuple[str, str, str, str, list[int] | None]] = []
    bad: list[tuple[str, str, str, str | None, str]] = []
    for (report_id, source_file, _content), (text, encoding, origin, reason, detail) in zip(rows, decoded, strict=True):
        if text is None:
            bad.append((report_id, source_file, reason or "undecodable", detail, PARSER_VERSION))
        else:
            docs.append((report_id, source_file, encoding, text, origin))
    documents = pl.DataFrame(docs, schema=DOCUMENTS, orient="row")
    quarantine = pl.DataFrame(bad, schema=QUARANTINE, orient="row")
    return documents, quarantine
