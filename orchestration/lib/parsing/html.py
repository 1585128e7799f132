"""Saved web pages → the report text the text parser reads, and the raw line of every derived line.

``render_page`` parses a page with lxml (libxml2's HTML parser, which recovers from malformed
markup) and renders what a reader sees, one line per block; ``add_titles`` then decides, for a
batch of pages at once, where the page's ``<title>`` must be the first line; ``html_to_text`` does
both for one page.

* ``<head>`` (but see the title below), ``<script>``, ``<style>``, ``<noscript>``, ``<template>``,
  frames, embedded objects, ``<select>``/``<textarea>`` and elements hidden by ``display:none``,
  ``visibility:hidden`` or the ``hidden`` attribute are dropped (hidden ones are read after all
  when nothing else is left: a page that shows its text through JavaScript). Comments are dropped.
* Block elements (p, div, h1-h6, li, tr, section, …) and ``<br>`` break lines; inline elements do
  not. White space collapses as a browser collapses it, and a line break inside a text between two
  Chinese (wide) characters disappears (CSS Text 3's segment-break rule: editors wrap "本机关\\n认真",
  one word); a line break between tags stays a space (``</span>\\n<span>``). Entities are decoded;
  a non-breaking space is a space that does not collapse (runs of them can align columns); zero-
  width characters and soft hyphens are removed. ``<pre>`` keeps its lines and spaces. Lines
  without text are dropped.
* A data table becomes one line per ``<tr>``: its cells joined by a TAB, rowspan/colspan expanded
  to a full grid — a cell's text at its origin position, the positions it spans empty strings —
  and each row cut at the table's width (the last column holding text in any row; shorter rows
  are not padded). Cell text is one line: ``<br>`` and blocks inside a cell are spaces, white
  space (non-breaking spaces too) collapses to one space. Rows without text are dropped; a
  caption or stray text inside the table is a plain line. A layout table — one cell per row, a
  table nested in it, a heading in it, or a cell longer than LONG_CELL characters — is read as
  blocks (each cell its own lines) instead, and the tables inside it are read on their own.
* The page's ``<title>`` is the first line only when the first TITLE_MAX_LINE lines of the body
  hold no report title that titles.find_titles recognises (a title only in ``<title>``, or one
  pushed down by site navigation) and the ``<title>`` — or its part between site separators,
  "XX镇2018年政府信息公开工作年度报告_XX县人民政府" — is one.

Line origin: element i is the 1-based line of the raw text that derived line i + 1 starts on. A
table row's is its ``<tr>``'s line (lxml's ``sourceline``: the line where the start tag ends). A
flow line's is the line of its first visible character: the sourceline of the element whose text
holds it plus the line breaks before it (exact after a start tag; after an end tag counted from
the element's last text, which misses line breaks inside tags). libxml2 keeps HTML line numbers
in 16 bits (sourceline stops at 65535): a longer page is parsed again with its first lines joined,
until every element has its true line.

One parse and one iterative walk over the nodes (no recursion limit); a 5 MB page converts in
about half a second.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import polars as pl
from lxml import etree

from orchestration.lib.parsing.lines import explode_lines
from orchestration.lib.parsing.text import STRIP_CHARS
from orchestration.lib.parsing.titles import TITLE_MAX_LINE, find_titles

#: File names read as HTML whatever their content (besides content sniffing): saved pages, and the
#: server-side-include pages Chinese government sites serve.
HTML_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml")
#: lxml's sourceline for HTML saturates here (libxml2 stores it in 16 bits).
LINE_CAP = 65535
#: Lines joined per extra parse of a page longer than LINE_CAP lines.
_LINE_WINDOW = 60_000
#: A cell longer than this makes its table a layout table (the national templates' longest label is
#: about 40 characters; a layout cell holds the report).
LONG_CELL = 200
#: HTML's own limits on spans (a bigger value is clamped).
MAX_COLSPAN = 1000
MAX_ROWSPAN = 65534

#: Elements whose content is not shown.
_SKIP = frozenset(
    {
        "head",
        "title",
        "script",
        "style",
        "noscript",
        "template",
        "iframe",
        "frame",
        "frameset",
        "noframes",
        "object",
        "embed",
        "applet",
        "svg",
        "math",
        "canvas",
        "audio",
        "video",
        "map",
        "select",
        "datalist",
        "textarea",
        "xml",  # Word's data islands
    }
)
#: Elements that start and end a line.
_BLOCK = frozenset(
    {
        "html",
        "body",
        "address",
        "article",
        "aside",
        "blockquote",
        "caption",
        "center",
        "dd",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "legend",
        "li",
        "listing",
        "main",
        "menu",
        "nav",
        "ol",
        "p",
        "plaintext",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
        "xmp",
    }
)
_PRE = frozenset({"pre", "listing", "plaintext", "xmp"})
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_CELLS = ("td", "th")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)

#: Invisible characters removed from the text (zero-width spaces and joiners, word joiner, BOM,
#: soft hyphen): they split words for the parser's regexes.
_INVISIBLE_CHARS = "\u200b\u200c\u200d\u2060\ufeff\xad"
_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARS}]+")
#: First visible character of a text (for line origins).
_VISIBLE = re.compile(r"[^\s\u200b\u200c\u200d\u2060\ufeff\xad]")
#: East Asian wide and full-width characters (Hangul excepted), as CSS Text 3 lists them for the
#: segment-break rule.
_WIDE = (
    "\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uf900-\ufaff"
    "\ufe10-\ufe19\ufe30-\ufe6f\uff01-\uff60\uffe0-\uffe6\U00020000-\U0003fffd"
)
_SEGMENT_BREAK = re.compile(rf"(?<=[{_WIDE}])[ \t\r\f]*\n[ \t\n\r\f]*(?=[{_WIDE}])")
#: Line breaks at either end of a text node: formatting between tags, an ordinary space.
_EDGE_BREAK = re.compile(r"\A[ \t\r\f]*\n[ \t\n\r\f]*|[ \t\n\r\f]*\n[ \t\r\f]*\Z")
_HTML_SPACE = " \t\n\r\f"
#: HTML's collapsible white space (not the non-breaking or the ideographic space).
_COLLAPSIBLE = re.compile(r"[ \t\n\r\f]+")
_SPACES = re.compile(r" {2,}")
_LEADING_DIGITS = re.compile(r"\s*(\d+)")

#: Sniffing: a page starts (after an XML declaration and comments such as IE's "saved from url")
#: with a document or block tag, or has document/table structure in its first KB.
_SNIFF_CHARS = 1024
_HTML_START = re.compile(
    r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*"
    r"<(?:!doctype\s+html|html|head|body|meta|title|div|p|table|h[1-6]|center|section|article)(?=[\s/>])",
    re.IGNORECASE | re.DOTALL,
)
_HTML_STRUCTURE = re.compile(r"<(?:html|head|body|table|tr|td)(?=[\s/>])", re.IGNORECASE)
#: Any tag or comment at all (a file named .html without one is plain text).
_ANY_TAG = re.compile(r"<(?:[a-zA-Z][a-zA-Z0-9:]*(?=[\s/>])|/[a-zA-Z]|!--|!doctype)", re.IGNORECASE)

#: Declared charsets: <meta charset=…>, <meta http-equiv="Content-Type" content="…; charset=…">,
#: <?xml … encoding="…"?>, read from the raw bytes of the head.
_PRESCAN_BYTES = 8192
_DECLARED = re.compile(
    rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([a-z0-9_.:-]+)|<\?xml\b[^>]*?encoding\s*=\s*[\"']\s*([a-z0-9_.:-]+)",
    re.IGNORECASE,
)
#: Declared labels honoured (Chinese and Unicode encodings) → the codec decoded with and reported
#: (GBK and GB2312 pages are decoded as GB18030, their superset, as the text path does).
_CHARSET_CODECS = {
    **dict.fromkeys(("utf-8", "utf8", "unicode-1-1-utf-8"), "utf-8"),
    **dict.fromkeys(
        (
            "gb18030",
            "gbk",
            "gb2312",
            "gb_2312",
            "gb_2312-80",
            "x-gbk",
            "cp936",
            "ms936",
            "windows-936",
            "euc-cn",
            "x-euc-cn",
            "csgb2312",
            "chinese",
            "iso-ir-58",
        ),
        "gb18030",
    ),
    **dict.fromkeys(("big5", "big-5", "cn-big5", "x-x-big5", "csbig5", "cp950", "windows-950"), "big5"),
    **dict.fromkeys(("big5-hkscs", "big5hkscs"), "big5hkscs"),
}
#: Separators between a page title and the site name: "报告_XX县人民政府", "报告 - XX网", "报告|XX".
_TITLE_SEPARATORS = re.compile(r"\s*(?:[_|｜\-–—]+|::)\s*")
_REPORT_WORDS = ("报告", "報告")

Node = Any  # an lxml element, comment or processing instruction


# ---------------------------------------------------------------------------------------------
# Detection and declared charset
# ---------------------------------------------------------------------------------------------


def looks_like_html(text: str, source_file: str = "") -> bool:
    """The decoded file is a web page: named .html/.htm (.shtml, .xhtml) and holding at least one
    tag, or — whatever its name — starting with a document or block tag (after a byte-order mark,
    white space, an XML declaration or comments), or with <html>/<head>/<body>/<table>/<tr>/<td>
    in its first KB. A plain report that merely mentions "<" is not."""
    head = text[:_SNIFF_CHARS].lstrip("\ufeff")
    if _HTML_START.match(head) or _HTML_STRUCTURE.search(head):
        return True
    return source_file.lower().endswith(HTML_SUFFIXES) and _ANY_TAG.search(text) is not None


def declared_charset(data: bytes) -> str | None:
    """The codec a page declares (meta charset, http-equiv content type, XML declaration) in its
    first 8 KB, when it is a Chinese or Unicode encoding Python decodes (gbk → gb18030); else None."""
    match = _DECLARED.search(data[:_PRESCAN_BYTES])
    if match is None:
        return None
    label = (match.group(1) or match.group(2)).decode("ascii").lower()
    return _CHARSET_CODECS.get(label)


# ---------------------------------------------------------------------------------------------
# Text normalisation
# ---------------------------------------------------------------------------------------------

#: Joins texts cleaned in one pass (libxml2 turns NUL into U+FFFD: no text holds one).
_SEP = "\x00"


def _soften_edges(text: str) -> str:
    """A text node with a line break: breaks at its ends (between tags: ``</span>\\n<span>``) become
    spaces, so that only a break inside a text (editor wrapping, "本机关\\n认真") can vanish."""
    if text.isspace():
        return " "
    if text[0] in _HTML_SPACE or text[-1] in _HTML_SPACE:
        return _EDGE_BREAK.sub(" ", text)
    return text


def _drop_invisible(text: str) -> str:
    if any(char in text for char in _INVISIBLE_CHARS):  # substring scans: faster than a regex pass
        return _INVISIBLE.sub("", text)
    return text


def _clean_many(texts: list[str], *, cell: bool = False) -> list[str]:
    """Collapse white space as a browser does (a line break between wide characters vanishes);
    non-breaking spaces become spaces (collapsed too in a cell); strip both ends. One regex pass
    over all the texts joined."""
    if not texts:
        return []
    joined = _drop_invisible(_SEP.join(texts))
    if "\n" in joined:
        joined = _SEGMENT_BREAK.sub("", joined)
    joined = _COLLAPSIBLE.sub(" ", joined).replace("\xa0", " ")
    if cell:
        joined = _SPACES.sub(" ", joined)
    return [text.strip(STRIP_CHARS) for text in joined.split(_SEP)]


def _clean_pre(text: str) -> str:
    """A line of preformatted text: spaces and tabs kept, ends stripped (tabs kept: cells)."""
    text = _drop_invisible(text).replace("\xa0", " ").strip(STRIP_CHARS)
    return text if text.strip() else ""


def _newlines(text: str | None) -> int:
    return text.count("\n") if text else 0


def _span(value: str | None, limit: int) -> int:
    """A colspan/rowspan attribute: its leading digits ("2", " 3 ", "2px"), 1 if none; 0 is kept
    (rowspan=0: to the end of the table), larger values clamped to ``limit``."""
    if not value:
        return 1
    match = _LEADING_DIGITS.match(value)
    return min(int(match.group(1)), limit) if match else 1


# ---------------------------------------------------------------------------------------------
# The parsed page
# ---------------------------------------------------------------------------------------------


def _parse(html: str) -> Node | None:
    # Explicit UTF-8 bytes: libxml2 then ignores the page's own charset declaration (the text is
    # already decoded). huge_tree lifts libxml2's depth limit (256), which otherwise silently cuts
    # pages with hundreds of unclosed <font> tags.
    parser = etree.HTMLParser(encoding="utf-8", no_network=True, huge_tree=True, collect_ids=False)
    return etree.fromstring(html.encode("utf-8", "replace"), parser)


def _uncapped_lines(html: str, root: Node) -> dict[Node, int]:
    """True source lines of the nodes lxml reports on line LINE_CAP (libxml2's limit); empty when
    the page is shorter. The page is parsed again with its first k·_LINE_WINDOW line breaks
    replaced by spaces (the same nodes, in the same order), which brings the next window of lines
    under the cap. The dict holds the node proxies, so lxml hands out the same objects later."""
    if html.count("\n") + 1 < LINE_CAP:
        return {}
    pending: dict[int, Node] = {}
    n_nodes = 0
    for n_nodes, node in enumerate(root.iter(), start=1):  # n_nodes: the count, afterwards
        if (node.sourceline or 0) >= LINE_CAP:
            pending[n_nodes - 1] = node
    found: dict[Node, int] = {}
    offset = 0
    while pending:
        offset += _LINE_WINDOW
        other = _parse(html.replace("\n", " ", offset))
        if other is None:
            break
        resolved: dict[Node, int] = {}
        n_other = 0
        for i, node in enumerate(other.iter()):
            n_other += 1
            mine = pending.get(i)
            if mine is not None and (node.sourceline or 0) < LINE_CAP and node.tag == mine.tag:
                resolved[mine] = node.sourceline + offset
        if n_other != n_nodes:  # not the same tree: the capped lines stay
            break
        found.update(resolved)
        pending = {i: node for i, node in pending.items() if node not in resolved}
    for node in pending.values():
        found[node] = node.sourceline or 0
    return found


#: Quick test: can the page hide anything at all? (Otherwise no element is checked.)
_MAY_HIDE = ("display", "visibility", "hidden")


class _Page:
    """A parsed page: source lines of its nodes, which of them are not shown."""

    def __init__(self, html: str, root: Node) -> None:
        self.root = root
        self.big = _uncapped_lines(html, root)
        low = html.lower()
        self.may_hide = any(word in low for word in _MAY_HIDE)
        self.hide = self.may_hide  # False: hidden elements are read too
        self.saw_hidden = False

    def line(self, node: Node) -> int:
        """1-based source line where the node's start tag (a comment: the comment) ends; 0 if unknown."""
        if self.big:
            line = self.big.get(node)
            if line is not None:
                return line
        return node.sourceline or 0

    def end_line(self, node: Node) -> int:
        """Line where ``node`` ends (its last text): the line its tail starts on. From the last
        descendant's line and the line breaks of the texts after it."""
        extra = 0
        while isinstance(node.tag, str) and len(node):
            last = node[-1]
            extra += _newlines(last.tail)
            node = last
        if isinstance(node.tag, str):
            extra += _newlines(node.text)
        return self.line(node) + extra

    def hidden(self, node: Node) -> bool:
        """Hidden by the hidden attribute or display:none / visibility:hidden (while self.hide)."""
        if not self.hide:
            return False
        style = node.get("style")
        if (style is not None and _HIDDEN_STYLE.search(style) is not None) or node.get("hidden") is not None:
            self.saw_hidden = True
            return True
        return False

    def skipped(self, node: Node) -> bool:
        """Content not shown: script, style, … and hidden elements."""
        return node.tag in _SKIP or self.hidden(node)


# ---------------------------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------------------------


def _inline_raw(page: _Page, node: Node) -> str:
    """The raw text of a table cell (or caption) as one line: blocks and <br> are spaces."""
    # <td><p><span>12</span></p></td>: a chain of single elements around one text.
    while len(node) == 1 and not (node.text and not node.text.isspace()):
        child = node[0]
        if not isinstance(child.tag, str) or child.tag == "br" or page.skipped(child):
            break
        if child.tail and not child.tail.isspace():
            break
        node = child
    if not len(node):
        return node.text or ""
    parts: list[str] = []
    walker = etree.iterwalk(node, events=("start", "end", "comment", "pi"))
    for event, child in walker:
        if event == "start":
            if child is not node:
                if page.skipped(child):
                    walker.skip_subtree()
                    continue
                tag = child.tag
                if tag in _BLOCK or tag == "br":
                    parts.append(" ")
            text = child.text
        else:
            if child is node:
                continue
            if event == "end" and child.tag in _BLOCK and not page.skipped(child):
                parts.append(" ")
            text = child.tail
        if text:
            parts.append(_soften_edges(text) if "\n" in text else text)
    return "".join(parts)


def _table_items(page: _Page, table: Node) -> list[tuple[str, Node, Any]]:
    """The table's content in order: ("row", tr, cells), ("line", node, raw text) for a caption
    and for stray content outside the cells. Cells outside any row form a row of their own."""
    items: list[tuple[str, Node, Any]] = []
    stray: list[Node] = []

    def flush_stray() -> None:
        if stray:
            items.append(("row", stray[0], list(stray)))
            stray.clear()

    def stray_text(node: Node, text: str | None) -> None:
        if text and not text.isspace():
            flush_stray()
            items.append(("line", node, text))

    stray_text(table, table.text)
    # (children, container): a container's tail comes after its rows.
    stack: list[tuple[Any, Node | None]] = [(iter(table), None)]
    while stack:
        child = next(stack[-1][0], None)
        if child is None:
            container = stack.pop()[1]
            if container is not None:
                stray_text(container, container.tail)
            continue
        tag = child.tag
        if isinstance(tag, str) and not page.skipped(child):
            if tag == "tr":
                flush_stray()
                items.append(("row", child, list(child.iter(*_CELLS))))
                continue  # text between rows and cells is white space in a table
            if tag in _CELLS:
                stray.append(child)
                continue
            if tag not in ("caption", "colgroup", "col") and next(child.iter("tr", *_CELLS), None) is not None:
                stray_text(child, child.text)  # thead, tbody, tfoot, a <form> around rows: their rows
                stack.append((iter(child), child))
                continue
            if tag not in ("colgroup", "col"):
                flush_stray()
                items.append(("line", child, _inline_raw(page, child)))
        stray_text(child, child.tail)
    flush_stray()
    return items


def _table_lines(page: _Page, table: Node) -> tuple[list[str], list[int]] | None:
    """A data table as lines (cells joined by TAB on the expanded grid) and their origins; None for
    a layout table."""
    inner = table.iter("table")
    next(inner)  # the table itself
    if next(inner, None) is not None or next(table.iter(*_HEADINGS), None) is not None:
        return None
    items = _table_items(page, table)
    hide = page.hide
    raw: list[str] = []
    # Per row: None when every cell spans one row and one column, else each cell's (colspan, rowspan).
    row_spans: list[list[tuple[int, int]] | None] = []
    for kind, _node, payload in items:
        if kind != "row":
            continue
        spans: list[tuple[int, int]] | None = None
        for j, cell in enumerate(payload):
            if hide and page.hidden(cell):
                raw.append("")
            elif len(cell):
                raw.append(_inline_raw(page, cell))
            else:
                raw.append(cell.text or "")
            colspan, rowspan = cell.get("colspan"), cell.get("rowspan")
            if colspan is not None or rowspan is not None:
                span = (max(_span(colspan, MAX_COLSPAN), 1), _span(rowspan, MAX_ROWSPAN))
                if span != (1, 1):
                    if spans is None:
                        spans = [(1, 1)] * len(payload)
                    spans[j] = span
        row_spans.append(spans)
    texts = _clean_many(raw, cell=True)
    if any(len(text) > LONG_CELL for text in texts):
        return None
    n_rows = len(row_spans)
    # occupied[c]: the number of further rows in which column c is taken by a rowspan from above
    # (empty while no rowspan is open).
    occupied: list[int] = []
    grid: list[tuple[str, Node, Any]] = []
    width = 0
    row_no = 0
    pos = 0
    for kind, node, payload in items:
        if kind == "line":
            grid.append((kind, node, payload))
            continue
        row_texts = texts[pos : pos + len(payload)]
        pos += len(payload)
        spans = row_spans[row_no]
        if spans is None and not occupied:  # the common row: its cells as they are
            out = row_texts
            for k in range(len(out) - 1, -1, -1):
                if out[k]:
                    width = max(width, k + 1)
                    break
        else:
            taken = [count > 0 for count in occupied]
            occupied = [max(count - 1, 0) for count in occupied]
            out = []
            col = 0
            for j, text in enumerate(row_texts):
                while col < len(taken) and taken[col]:
                    out.append("")
                    col += 1
                colspan, rowspan = spans[j] if spans is not None else (1, 1)
                rowspan = min(n_rows - row_no if rowspan == 0 else rowspan, n_rows - row_no)
                out.append(text)
                out.extend([""] * (colspan - 1))
                if rowspan > 1:
                    if len(occupied) < col + colspan:
                        occupied.extend([0] * (col + colspan - len(occupied)))
                    for k in range(col, col + colspan):
                        occupied[k] = max(occupied[k], rowspan - 1)
                if text:
                    width = max(width, col + 1)
                col += colspan
            if any(taken[col:]):  # columns at the end taken by rowspans from above
                last = max(k for k in range(col, len(taken)) if taken[k])
                out.extend([""] * (last + 1 - col))
            if not any(occupied):
                occupied = []
        grid.append((kind, node, out))
        row_no += 1
    if width <= 1:  # one cell per row: a layout table
        return None
    stray = _clean_many([payload for kind, _node, payload in grid if kind == "line"])
    stray_of = iter(stray)
    lines: list[str] = []
    origins: list[int] = []
    for kind, node, payload in grid:
        line = "\t".join(payload[:width]) if kind == "row" else next(stray_of)
        if line.strip("\t"):
            lines.append(line)
            origins.append(page.line(node))
    return lines, origins


# ---------------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------------


def _render(page: _Page) -> tuple[list[str], list[int]]:
    """The page's visible text as lines, and the source line of each (one walk over the nodes;
    the hot paths are inlined)."""
    texts: list[str] = []
    origins: list[int] = []
    to_clean: list[int] = []  # indices of texts still raw (flow lines; table rows are final)
    buf: list[str] = []
    origin = 0  # source line of the current line's first visible character (0: none yet)
    is_pre = False  # the current line holds preformatted text
    in_pre = 0
    running = 1  # source line at the current position of the walk
    big = page.big
    hide = page.hide
    visible = _VISIBLE.search
    skipped: set[Node] = set()  # elements whose content was skipped (their proxies stay alive here)

    def flush() -> None:
        nonlocal origin, is_pre
        if buf:
            if is_pre:
                texts.append(_clean_pre("".join(buf)))
            else:
                to_clean.append(len(texts))
                texts.append("".join(buf))
            origins.append(origin)
            buf.clear()
        origin = 0
        is_pre = False

    def add_pre(text: str) -> None:
        nonlocal running, origin, is_pre
        for i, part in enumerate(text.split("\n")):
            if i:
                flush()
                running += 1
            if part:
                if not origin and visible(part):
                    origin = running
                buf.append(part)
                is_pre = True

    walker = etree.iterwalk(page.root, events=("start", "end", "comment", "pi"))
    for event, node in walker:
        if event == "start":
            tag = node.tag
            if tag in _SKIP or (hide and page.hidden(node)):
                walker.skip_subtree()  # its end event still comes: only its tail is read then
                skipped.add(node)
                running = page.end_line(node) or running
                continue
            line = big.get(node, node.sourceline) if big else node.sourceline
            if line:
                running = line
            if tag in _BLOCK or tag == "br":
                if buf:
                    flush()
                if tag == "table" and (table := _table_lines(page, node)) is not None:
                    texts.extend(table[0])
                    origins.extend(table[1])
                    walker.skip_subtree()
                    running = page.end_line(node) or running
                    continue
                if tag in _PRE:
                    in_pre += 1
            text = node.text
        else:
            if event == "end":
                tag = node.tag
                if node in skipped:
                    pass
                elif tag in _BLOCK:
                    if buf:
                        flush()
                    if tag in _PRE:
                        in_pre -= 1
            else:  # a comment or processing instruction: its line is where it ends
                running = page.line(node) or running
            text = node.tail
        if text:
            if in_pre:
                add_pre(text)
                continue
            if "\n" not in text:
                if origin:
                    buf.append(text)
                elif visible(text) is not None:
                    origin = running
                    buf.append(text)
                continue
            if origin:
                buf.append(_soften_edges(text))
            elif (match := visible(text)) is not None:  # white space before a line's text is dropped
                origin = running + text.count("\n", 0, match.start())
                buf.append(_soften_edges(text))
            running += text.count("\n")
    flush()
    for i, text in zip(to_clean, _clean_many([texts[i] for i in to_clean]), strict=True):
        texts[i] = text
    kept = [i for i, text in enumerate(texts) if text]
    return [texts[i] for i in kept], [origins[i] for i in kept]


# ---------------------------------------------------------------------------------------------
# Title
# ---------------------------------------------------------------------------------------------


def _title_candidates(page: _Page) -> tuple[list[str], int]:
    """The page's <title> as candidate title lines — whole, then its parts between site separators
    ("XX镇2018年政府信息公开工作年度报告_XX县人民政府") — those naming a report; and the line of its
    first visible character."""
    element = next(page.root.iter("title"), None)
    if element is None:
        return [], 0
    raw = "".join(element.itertext())
    (title,) = _clean_many([raw])
    candidates = [title, *_TITLE_SEPARATORS.split(title)]
    candidates = [c for c in dict.fromkeys(candidates) if c and any(word in c for word in _REPORT_WORDS)]
    first = _VISIBLE.search(raw)
    return candidates, page.line(element) + (raw.count("\n", 0, first.start()) if first else 0)


def add_titles(pages: list[RenderedPage]) -> None:
    """Put each page's <title> first where the parser needs it: when the first TITLE_MAX_LINE lines
    of the body hold no report title that titles.find_titles recognises (a title only in <title>,
    or one pushed down by site navigation) and a candidate from the <title> is one. One
    find_titles call for all the pages."""
    texts: list[str] = []
    roles: list[tuple[int, int]] = []  # per text: (page index, -1 for the body's first lines | candidate index)
    for k, page in enumerate(pages):
        if not page.lines or not page.title_candidates:
            continue
        head = page.lines[:TITLE_MAX_LINE]
        if any(word in line for line in head for word in _REPORT_WORDS):
            texts.append("\n".join(head))
            roles.append((k, -1))
        for i, candidate in enumerate(page.title_candidates):
            texts.append(candidate)
            roles.append((k, i))
    if not texts:
        return
    frame = pl.DataFrame({"doc": range(len(texts)), "text": texts}, schema={"doc": pl.UInt32, "text": pl.String})
    found = set(find_titles(explode_lines(frame))["doc"].to_list())
    titled_body = {roles[d][0] for d in found if roles[d][1] == -1}
    chosen: dict[int, int] = {}
    for d in sorted(found):
        k, i = roles[d]
        if i >= 0 and k not in titled_body:
            chosen.setdefault(k, i)
    for k, i in chosen.items():
        page = pages[k]
        page.lines.insert(0, page.title_candidates[i])
        page.origins.insert(0, page.title_line)


# ---------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------


@contextmanager
def _gc_paused() -> Iterator[None]:
    """The cyclic garbage collector off while a page is read: a big page allocates hundreds of
    thousands of element proxies and lists (no cycles), and the collector's repeated passes over
    them would double the time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass
class RenderedPage:
    """A page's visible lines and their source lines, before add_titles; the <title> candidates."""

    lines: list[str]
    origins: list[int]
    title_candidates: list[str]
    title_line: int

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def render_page(html: str) -> RenderedPage:
    """A web page's visible lines and the 1-based line of ``html`` each came from (line breaks
    counted as decode.py normalises them: CRLF and CR are one break), without the title decision
    (add_titles, which decides for a batch at once)."""
    if "\r" in html:
        html = html.replace("\r\n", "\n").replace("\r", "\n")
    with _gc_paused():
        root = _parse(html)
        if root is None:
            return RenderedPage([], [], [], 0)
        page = _Page(html, root)
        lines, origins = _render(page)
        if not lines and page.saw_hidden:  # everything shown is hidden (a page revealed by script): read it
            page.hide = False
            lines, origins = _render(page)
        candidates, title_line = _title_candidates(page)
    return RenderedPage(lines, origins, candidates, title_line)


def html_to_text(html: str) -> tuple[str, list[int]]:
    """A web page → (text, line_origin): the lines of its visible text joined by "\\n" (no final
    newline; "" when the page shows no text) and, for each line, the 1-based line of ``html`` it
    came from. render_page, then add_titles for this one page."""
    page = render_page(html)
    add_titles([page])
    return page.text, page.origins
