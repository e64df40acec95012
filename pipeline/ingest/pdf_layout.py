"""PDF layout: positioned text segments of each page -> paragraphs in reading order.

Pure functions on plain records, named after what they turn into what
(pdfplumber's habit): ``segments_to_lines`` -> ``lines_to_blocks`` (columns)
-> ``drop_furniture`` (running headers, footers, page numbers) -> ``lines_to_text``
(lines re-joined into paragraphs by their geometry).

Coordinates are PDF points with y growing upwards (pdfium's convention). A line is
joined to the next one when it reaches the right edge of its column and the next one
starts at the left edge without a numbering label: that is how a word processor
wraps a paragraph; an indented line, a short line or a label starts a new one. The
same rule joins a paragraph across a page break.
"""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from functools import lru_cache

from ..lexicon import load_yaml
from ..text.labels import starts_with_label
from ..text.punctuation import PARAGRAPH_END, chars
from ..text.table_text import row_line


@dataclass(frozen=True)
class Seg:
    """A run of text on one baseline: x0, x1, y (baseline), its text."""
    x0: float
    x1: float
    y: float
    text: str


@dataclass
class Line:
    segs: list[Seg]
    page: int                      # 0-based page index
    table_rows: list[list[str]] | None = None  # cell texts when this line stands for a table
    row_pages: list[int] | None = None          # the page of each table row (a table may go on)
    col_left: float = 0.0
    col_right: float = 0.0

    @property
    def x0(self) -> float:
        return self.segs[0].x0

    @property
    def x1(self) -> float:
        return self.segs[-1].x1

    @property
    def y(self) -> float:
        return self.segs[0].y

    @property
    def text(self) -> str:
        return _join_segs(self.segs)


@dataclass
class PageLines:
    lines: list[Line] = field(default_factory=list)
    char_w: float = 12.0


_SENTENCE_END = PARAGRAPH_END
_DASH_OR_OPENER = chars("dashes") + chars("openers")   # a line opening so goes on no title


@lru_cache(maxsize=1)
def _config():
    cfg = load_yaml("ingest/pdf.yaml")
    page_numbers = load_yaml("text/page_numbers.yaml")
    return {
        "page_number": [re.compile(p) for p in (page_numbers["anywhere"] + page_numbers["page_edge"])],
        "furniture_share": float(cfg.get("furniture_min_share", 0.5)),
    }


def _join_segs(segs: list[Seg]) -> str:
    """A line's text: its runs joined, with a blank between two ASCII words and where a
    gap wider than two characters parts them (两个发文机关 set apart on one line)."""
    out = []
    for n, s in enumerate(segs):
        if n:
            gap = s.x0 - segs[n - 1].x1
            w = max((s.x1 - s.x0) / max(len(s.text), 1), (segs[n - 1].x1 - segs[n - 1].x0) / max(len(out[-1]), 1))
            if gap > 0 and (_is_ascii_word_gap(out[-1], s.text) or gap > 2 * w):
                out.append(" ")
        out.append(s.text)
    return "".join(out)


def _is_ascii_word_gap(left: str, right: str) -> bool:
    return bool(left) and bool(right) and left[-1].isascii() and left[-1].isalnum() \
        and right[0].isascii() and right[0].isalnum()


def chars_to_segments(text: str, boxes: list[tuple[float, float, float, float]]) -> list[Seg]:
    """Characters in stream order with their boxes (left, bottom, right, top) -> runs of
    text on one baseline with no gap wider than a character. Line breaks the PDF
    generator put in, a jump backwards or a wide gap (a column gutter) end a run."""
    segs: list[Seg] = []
    cur: list[str] = []
    x0 = x1 = y = 0.0
    spaces = 0

    def close():
        if cur:
            t = "".join(cur).strip()
            if t:
                segs.append(Seg(x0, x1, y, t))
        cur.clear()

    for ch, (left, bottom, right, top) in zip(text, boxes):
        if ch in "\r\n\x02\ufffe":
            close()
            continue
        if ch.isspace():
            if cur:
                spaces += 1
            continue
        size = max(top - bottom, right - left, 1.0)
        if cur and (abs(bottom - y) > 0.3 * size or left < x1 - 0.5 * size or left - x1 > 1.2 * size):
            close()
        if not cur:
            x0, y, spaces = left, bottom, 0
        elif spaces:
            cur.append(" ")
            spaces = 0
        cur.append(ch)
        x1 = max(x1, right) if len(cur) > 1 else right
    close()
    return segs


def char_width(segs: list[Seg]) -> float:
    """The typical width of one CJK character on the page (points)."""
    widths = [(s.x1 - s.x0) / len(s.text) for s in segs
              if len(s.text) >= 4 and sum(ord(c) > 0x2e80 for c in s.text) >= 0.8 * len(s.text)]
    return statistics.median(widths) if widths else 12.0


def segments_to_lines(segs: list[Seg], page: int, char_w: float) -> list[Line]:
    """Group segments sharing a baseline (within a third of a character) into lines, top to bottom."""
    tol = max(char_w / 3, 1.5)
    lines: list[Line] = []
    for s in sorted(segs, key=lambda s: (-s.y, s.x0)):
        if lines and abs(lines[-1].y - s.y) <= tol:
            lines[-1].segs.append(s)
        else:
            lines.append(Line([s], page))
    for ln in lines:
        ln.segs.sort(key=lambda s: s.x0)
    return lines


def _gutter(lines: list[Line], left: float, right: float, char_w: float) -> float | None:
    """The x of a column gutter in the middle of the text block, or None for one column.

    Two columns show as many lines with text on both sides of one vertical strip that
    almost no segment crosses."""
    width = right - left
    if width <= 0 or len(lines) < 6:
        return None
    if sum(1 for ln in lines if len(ln.segs) >= 2) < max(3, 0.3 * len(lines)):
        return None     # most lines are one run of text: one column (the common case, checked cheaply)
    step = char_w / 2
    best = None
    x = left + 0.3 * width
    while x <= left + 0.7 * width:
        crossing = sum(1 for ln in lines for s in ln.segs if s.x0 < x < s.x1)
        both = sum(1 for ln in lines if any(s.x1 <= x for s in ln.segs) and any(s.x0 >= x for s in ln.segs))
        if crossing <= 0.15 * len(lines) and both >= max(3, 0.3 * len(lines)):
            if best is None or (crossing, -both) < best[0]:
                best = ((crossing, -both), x)
        x += step
    return None if best is None else best[1]


def lines_to_blocks(lines: list[Line], char_w: float) -> list[Line]:
    """Reading order: a two-column stretch is read left column first, then the right one;
    lines crossing the gutter (titles, tables) stay where they stand. Each line gets the
    left and right edge of the column it belongs to."""
    text_lines = [ln for ln in lines if ln.table_rows is None]
    if not text_lines:
        return lines
    left = min(ln.x0 for ln in text_lines)
    right = max(ln.x1 for ln in text_lines)
    g = _gutter(text_lines, left, right, char_w)
    if g is None:
        _set_edges(text_lines, char_w)
        return lines
    out: list[Line] = []
    left_col: list[Line] = []
    right_col: list[Line] = []

    def flush():
        _set_edges(left_col, char_w)
        _set_edges(right_col, char_w)
        out.extend(left_col)
        out.extend(right_col)
        left_col.clear()
        right_col.clear()

    for ln in lines:
        if ln.table_rows is not None or any(s.x0 < g < s.x1 for s in ln.segs):
            flush()
            if ln.table_rows is None:
                _set_edges([ln], char_w, (left, right))
            out.append(ln)
            continue
        l_segs = [s for s in ln.segs if s.x1 <= g]
        r_segs = [s for s in ln.segs if s.x0 >= g]
        if l_segs:
            left_col.append(Line(l_segs, ln.page))
        if r_segs:
            right_col.append(Line(r_segs, ln.page))
    flush()
    return out


def _set_edges(lines: list[Line], char_w: float, edges: tuple[float, float] | None = None) -> None:
    if not lines:
        return
    if edges is None:
        x0s = sorted(ln.x0 for ln in lines)
        long_x1 = sorted(ln.x1 for ln in lines if len(ln.text) >= 8) or sorted(ln.x1 for ln in lines)
        edges = (x0s[0], long_x1[int(0.8 * (len(long_x1) - 1))])
    for ln in lines:
        ln.col_left, ln.col_right = edges


def _shape(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def drop_furniture(pages: list[PageLines]) -> list[PageLines]:
    """Remove page numbers and running headers/footers from the ends of each page: an
    outermost line that is a page number, or whose shape (digits aside) stands at the
    same height at the same end of at least half the pages. Up to two lines an end."""
    cfg = _config()
    n = len(pages)

    def key(where: str, ln: Line) -> tuple:
        return where, _shape(ln.text), round(ln.y / 4)

    def ends(p: PageLines):
        text_lines = [ln for ln in p.lines if ln.table_rows is None]
        return ("top", text_lines[:2]), ("bottom", text_lines[::-1][:2])

    counts: dict[tuple, int] = {}
    for p in pages:
        for where, group in ends(p):
            for k in {key(where, ln) for ln in group}:
                counts[k] = counts.get(k, 0) + 1
    need = max(2, cfg["furniture_share"] * n)
    for p in pages:
        drop = set()
        for where, group in ends(p):
            for ln in group:              # outermost first; stop at the first body line
                t = ln.text.strip()
                if any(rx.match(t) for rx in cfg["page_number"]) or (n >= 2 and counts.get(key(where, ln), 0) >= need):
                    drop.add(id(ln))
                else:
                    break
        p.lines = [ln for ln in p.lines if id(ln) not in drop]
    return pages


def _glyph_w(ln: Line) -> float:
    """The width of one CJK character in the line's font (a digit or Latin letter counts 0.6)."""
    t = ln.text.replace(" ", "")
    cjk = sum(ord(c) > 0x2e80 for c in t)
    return (ln.x1 - ln.x0) / max(cjk + 0.6 * (len(t) - cjk), 1)


def _title_wraps(prev: Line, nxt: Line, char_w: float) -> bool:
    """Two centred lines set larger than the body, one under the other: a title wrapped
    over two lines (a word processor centres each line of the one title paragraph)."""
    if prev.text.rstrip()[-1:] in _SENTENCE_END or nxt.text.lstrip()[:1] in _DASH_OR_OPENER:
        return False
    sizes = (_glyph_w(prev), _glyph_w(nxt))
    if min(sizes) < 1.15 * char_w or max(sizes) > 1.2 * min(sizes):
        return False
    for ln in (prev, nxt):
        left, right = ln.x0 - ln.col_left, ln.col_right - ln.x1
        if left < char_w or abs(left - right) > 1.5 * char_w:
            return False
    return 0 < prev.y - nxt.y <= 2.3 * max(sizes)


def _continues(prev: Line, nxt: Line, char_w: float) -> bool:
    """Does ``nxt`` carry on the paragraph of ``prev`` (a wrapped line, or a wrapped title)?"""
    if prev.table_rows is not None or nxt.table_rows is not None:
        return False
    if prev.page == nxt.page and _title_wraps(prev, nxt, char_w):
        return True
    if prev.x1 < prev.col_right - 1.5 * char_w:       # ended short: the paragraph ended
        return False
    if nxt.x0 > nxt.col_left + 0.6 * char_w:          # indented: a new paragraph
        return False
    # a label at the left edge opens an item, unless the line before stopped mid-sentence
    # (a wrapped "…“建功十" / "三五、建设…" must not become item 三五)
    prev_text = prev.text.rstrip()
    return prev_text[-1:] not in _SENTENCE_END or not starts_with_label(nxt.text.lstrip())


def lines_to_text(pages: list[PageLines]) -> tuple[str, tuple[int, ...]]:
    """Join the lines of all pages into paragraphs; returns the text and the offset
    where each page's text begins (a page without text begins where the next one does)."""
    parts: list[str] = []
    size = 0
    starts: list[int | None] = [None] * len(pages)

    def put(piece: str, page: int, new_paragraph: bool) -> None:
        nonlocal size
        if new_paragraph and size:
            parts.append("\n")
            size += 1
        for p in range(page + 1):
            if starts[p] is None:
                starts[p] = size
        parts.append(piece)
        size += len(piece)

    prev: Line | None = None
    prev_w = 12.0
    for p in pages:
        for ln in p.lines:
            if ln.table_rows is not None:
                pages_of_rows = ln.row_pages or [ln.page] * len(ln.table_rows)
                for row, page in zip(ln.table_rows, pages_of_rows):
                    if any(c.strip() for c in row):
                        put(row_line(row), page, True)
            else:
                put(ln.text, ln.page, not (prev is not None and _continues(prev, ln, min(prev_w, p.char_w))))
            prev, prev_w = ln, p.char_w
    return "".join(parts), tuple(size if s is None else s for s in starts)
