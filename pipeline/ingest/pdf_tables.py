"""PDF tables: ruled tables of a page -> rows of cell texts, merged cells resolved.

pdfplumber finds the tables (``find_tables``: ruling lines to cells); the text of each
cell comes from the same pdfium segments as the rest of the page, so both readers
agree on every character. Only pages that draw enough ruling lines are handed to
pdfplumber (see ``page_may_hold_table``), because it is some 20x slower than pdfium.
"""
from __future__ import annotations

from dataclasses import dataclass

from .pdf_layout import Seg, char_width, segments_to_lines
from .table_text import MAX_COLUMNS, join_cell_lines


@dataclass(frozen=True)
class TableGrid:
    """A table on a page: its box (pdfium coordinates, y up) and its cell texts."""
    x0: float
    y0: float
    x1: float
    y1: float
    rows: list[list[str]]

    def holds(self, s: Seg) -> bool:
        cx = (s.x0 + s.x1) / 2
        return self.x0 - 1 <= cx <= self.x1 + 1 and self.y0 - 1 <= s.y <= self.y1 + 1


def page_may_hold_table(path_boxes: list[tuple[float, float, float, float]], min_paths: int,
                        min_box: tuple[float, float]) -> bool:
    """Cheap test on pdfium's path objects (left, bottom, right, top): many ruling lines,
    or one path as large as a grid."""
    if len(path_boxes) >= min_paths:
        return True
    return any(r - l >= min_box[0] and t - b >= min_box[1] for l, b, r, t in path_boxes)


def _bands(edges: list[float]) -> list[tuple[float, float]]:
    """Elementary bands between the distinct cell edges (merged cells span several)."""
    xs = sorted(edges)
    uniq = [x for n, x in enumerate(xs) if n == 0 or x - xs[n - 1] > 1.0]
    return list(zip(uniq, uniq[1:]))


def _spans(bands: list[tuple[float, float]], lo: float, hi: float) -> list[int]:
    """Indexes of the bands that lie inside [lo, hi]."""
    return [i for i, (a, b) in enumerate(bands) if a >= lo - 1 and b <= hi + 1]


def tables_on_page(pl_page, segs: list[Seg], char_w: float) -> list[TableGrid]:
    """The ruled tables of a pdfplumber page, with cell texts from ``segs``."""
    height = float(pl_page.height)
    out = []
    for tab in pl_page.find_tables():
        rows_bands = _bands([y for c in tab.cells for y in (c[1], c[3])])     # y down
        cols_bands = _bands([x for c in tab.cells for x in (c[0], c[2])])
        if len(rows_bands) < 2 or not 2 <= len(cols_bands) <= MAX_COLUMNS:
            continue    # a grid of hundreds of columns is drawing, not a table: read as text
        bx0, btop, bx1, bbottom = tab.bbox
        table_segs = [s for s in segs if bx0 - 1 <= s.x0 and s.x1 <= bx1 + 1
                      and height - bbottom - 1 <= s.y <= height - btop + 1]
        cw = char_width(table_segs) if table_segs else char_w
        grid: list[list[str | None]] = [[None] * len(cols_bands) for _ in rows_bands]
        origin: list[list[tuple[int, int] | None]] = [[None] * len(cols_bands) for _ in rows_bands]
        for (x0, top, x1, bottom) in tab.cells:
            rs = _spans(rows_bands, top, bottom)
            cs = _spans(cols_bands, x0, x1)
            if not rs or not cs:
                continue
            inside = [s for s in table_segs if x0 - 1 <= (s.x0 + s.x1) / 2 <= x1 + 1
                      and height - bottom - 1 <= s.y <= height - top + 1]
            lines = segments_to_lines(inside, 0, cw)
            text = join_cell_lines([(ln.text, ln.x1 >= x1 - 1.5 * cw) for ln in lines])
            for r in rs:
                for c in cs:
                    origin[r][c] = (rs[0], cs[0])
                    grid[r][c] = text
        rows: list[list[str]] = []
        for r, row in enumerate(grid):
            cells = []
            for c, text in enumerate(row):
                o = origin[r][c]
                # a cell spanning columns is written once, in its first column
                cells.append("" if text is None or (o is not None and o[1] != c) else text)
            rows.append(cells)
        x0, top, x1, bottom = tab.bbox
        out.append(TableGrid(x0, height - bottom, x1, height - top, rows))
    return out


def continue_table(prev_rows: list[list[str]], rows: list[list[str]]) -> list[list[str]]:
    """Append a table continued on the next page to ``prev_rows``: a repeated header row
    is dropped; a first row without its first (number) cell carries on the last row."""
    if rows and rows[0] == prev_rows[0]:
        rows = rows[1:]
    merged = [list(r) for r in prev_rows]
    if rows and not rows[0][0].strip() and merged:
        last = merged[-1]
        merged[-1] = [a + b if a != b else a for a, b in zip(last, rows[0])]
        rows = rows[1:]
    return merged + [list(r) for r in rows]
