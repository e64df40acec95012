"""An HTML element -> text lines: blocks are lines, ``<br>`` breaks a line, tables in pipe form.

``element_lines(el)`` takes an lxml element (already stripped of scripts and site
furniture) and returns its text as a list of lines, the way a reader sees the page:

* block elements (``p``, ``div``, ``h1``–``h6``, ``li``, ``tr`` …) start and end a line,
  ``<br>`` ends one; inline elements and text run on;
* whitespace runs become one space, and a source line break between two Chinese
  characters disappears (CSS segment-break rule for Chinese); ``&nbsp;`` and the
  full-width space are kept (they are indentation the cleaner removes);
* a data table is one line per row in pipe form (``table_text.py``): ``colspan`` ->
  first column then empty cells, ``rowspan`` -> the text repeated in the rows it covers,
  nested tables flattened into their cell; a layout table (one column, nested tables,
  or a cell holding a whole article) is read as blocks instead.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..lexicon import load_yaml
from ..text.table_text import MAX_COLUMNS, cell_text, grid_lines

BLOCK_TAGS = frozenset("""address article aside blockquote body center dd details dialog dir div dl dt
fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr li main menu nav ol p pre
section summary table tbody td tfoot th thead tr ul caption""".split())
_SEGMENT_BREAK = re.compile(r"(?<=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])[ \t\r\f]*\n[ \t\r\n\f]*"
                            r"(?=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])")
_SPACES = re.compile(r"[ \t\r\n\f]+")
_CJK = re.compile(r"[\u4e00-\u9fff]")


@lru_cache(maxsize=1)
def _cfg():
    return load_yaml("ingest/html.yaml")


def cjk_count(text: str) -> int:
    return len(_CJK.findall(text))


def _norm(text: str | None) -> str:
    if not text:
        return ""
    return _SPACES.sub(" ", _SEGMENT_BREAK.sub("", text))


class _Lines:
    """Accumulates inline text into the current line; ``end`` closes it."""

    def __init__(self):
        self.lines: list[str] = []
        self.buf: list[str] = []

    def add(self, text: str) -> None:
        if text:
            self.buf.append(text)

    def end(self) -> None:
        line = "".join(self.buf).strip(" ")
        self.buf = []
        if line or (self.lines and self.lines[-1]):
            self.lines.append(line)

    def extend(self, lines: list[str]) -> None:
        self.end()
        self.lines.extend(lines)


def element_lines(el, flatten_tables: bool = False) -> list[str]:
    """The lines of ``el``'s content (see the module docstring); empty lines dropped."""
    out = _Lines()
    _walk(el, out, flatten_tables, top=True)
    out.end()
    return [line for line in out.lines if line.strip()]


def _walk(el, out: _Lines, flatten: bool, top: bool = False) -> None:
    tag = el.tag if isinstance(el.tag, str) else None   # comments / PIs have a function as tag
    if tag is None:
        out.add(_norm(el.tail))
        return
    tag = tag.lower()
    if tag == "br":
        out.end()
    elif tag == "table" and not top:
        if flatten:
            out.extend([p for row in _rows(el) for c in row for p in c])
        elif is_layout_table(el):
            out.end()
            for child in el:
                _walk(child, out, flatten)
            out.end()
        else:
            out.extend(grid_lines(table_rows(el)))
    else:
        block = tag in BLOCK_TAGS
        if block:
            out.end()
        out.add(_norm(el.text))
        for child in el:
            _walk(child, out, flatten)
        if block:
            out.end()
    if not top:
        out.add(_norm(el.tail))


def _own_rows(table):
    """The table's own rows (through thead/tbody/tfoot), not those of nested tables."""
    for child in table:
        tag = child.tag.lower() if isinstance(child.tag, str) else ""
        if tag == "tr":
            yield child
        elif tag in ("thead", "tbody", "tfoot"):
            yield from (tr for tr in child if isinstance(tr.tag, str) and tr.tag.lower() == "tr")


def _cells(tr):
    return [c for c in tr if isinstance(c.tag, str) and c.tag.lower() in ("td", "th")]


def _span(cell, attr: str, limit: int) -> int:
    try:
        value = int(str(cell.get(attr, "1")).strip() or 1)
    except ValueError:
        return 1
    return min(max(value, 1), limit)


def _rows(table) -> list[list[list[str]]]:
    """Rows of cells, each cell as its paragraphs (nested tables flattened)."""
    return [[element_lines(c, flatten_tables=True) for c in _cells(tr)] for tr in _own_rows(table)]


def table_rows(table) -> list[list[str]]:
    """The table's rows as cell texts over its grid, ``colspan``/``rowspan`` expanded."""
    max_colspan = int(_cfg()["max_colspan"])
    trs = list(_own_rows(table))
    pending: dict[int, tuple[str, int]] = {}   # column -> (text, rows still covered)
    rows: list[list[str]] = []
    for r, tr in enumerate(trs):
        row: list[str] = []

        def fill_pending() -> None:
            while len(row) in pending and len(row) < MAX_COLUMNS:
                col = len(row)
                text, left = pending[col]
                row.append(text)
                if left > 1:
                    pending[col] = (text, left - 1)
                else:
                    del pending[col]

        for cell in _cells(tr):
            fill_pending()
            if len(row) >= MAX_COLUMNS:
                break
            text = cell_text(element_lines(cell, flatten_tables=True))
            colspan = _span(cell, "colspan", max_colspan)
            rowspan = _span(cell, "rowspan", len(trs) - r)
            for k in range(min(colspan, MAX_COLUMNS - len(row))):
                pending.pop(len(row), None)   # overlapping spans (bad HTML): the cell wins
                if rowspan > 1:
                    pending[len(row)] = (text if k == 0 else "", rowspan - 1)
                row.append(text if k == 0 else "")
        while pending and max(pending) >= len(row) and len(row) < MAX_COLUMNS:
            if len(row) in pending:
                fill_pending()
            else:
                row.append("")
        rows.append(row)
    return rows


def is_layout_table(table) -> bool:
    """A table used for page layout, not data (see the module docstring)."""
    if (table.get("role") or "").lower() == "presentation":
        return True
    limit = int(_cfg()["layout_cell_chars"])
    width = 0
    for tr in _own_rows(table):
        cells = _cells(tr)
        width = max(width, sum(_span(c, "colspan", 64) for c in cells))
        for c in cells:
            if c.find(".//table") is not None or cjk_count(c.text_content()) > limit:
                return True
    return width < 2
