"""PDF tables: ruled tables of a page -> rows of cell texts, merged cells resolved.

pdfplumber's table finding (ruling lines -> intersections -> cells -> tables) runs on
the ruling lines pdfium reads from the page's path objects (``cells_from_edges``), so
the page is not parsed twice; a page whose lines pdfium cannot give (drawn inside form
objects) goes to pdfplumber's own ``find_tables``. The text of each cell comes from the
same pdfium segments as the rest of the page. Only pages that draw enough ruling
lines are looked at (``page_may_hold_table``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..lexicon import load_yaml

from .pdf_layout import Seg, char_width, segments_to_lines
from ..text.table_text import MAX_COLUMNS, join_cell_lines


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


@dataclass(frozen=True)
class TextCell:
    """A non-empty cell of a grid: the band of its first row, its left and right edges, its text."""
    row: int
    x0: float
    x1: float
    text: str


_FIGURES = re.compile(r"[\d\s.,，、%％:：/\-—~～()（）]+")


@lru_cache(maxsize=1)
def _layout_cfg() -> dict:
    return load_yaml("ingest/pdf.yaml")["layout_table"]


def is_layout_table(cells: list[TextCell], x0: float, x1: float) -> bool:
    """Is a grid (its non-empty cells, its left and right edges) a layout table holding
    running text rather than a table of data?

    A layout table has most of its rows holding one cell of text, no header row of
    short column words, lines of prose rather than codes and figures, and its text
    spread across the grid (a converter cuts the cells along the text lines: their
    boxes follow the text, indented or not). A task-breakdown or budget table has
    several filled cells in most rows."""
    cfg = _layout_cfg()
    width = x1 - x0
    if not cells or width <= 0:
        return False
    rows: dict[int, list[TextCell]] = {}
    for c in cells:
        rows.setdefault(c.row, []).append(c)
    filled = [rows[r] for r in sorted(rows)]
    single = [r[0] for r in filled if len(r) == 1]
    if len(filled) < cfg["min_rows"] or len(single) < cfg["single_cell_share"] * len(filled):
        return False
    if len(filled[0]) >= 2 and all(len(c.text) <= cfg["header_word_chars"] for c in filled[0]):
        return False            # a header of column words
    prose = sum(1 for c in single if len(c.text) >= cfg["prose_chars"] and not _FIGURES.fullmatch(c.text))
    cover = max(c.x1 for c in single) - min(c.x0 for c in single)
    return prose >= cfg["prose_share"] * len(single) and cover >= cfg["min_cover"] * width


def _bands(edges: list[float]) -> list[tuple[float, float]]:
    """Elementary bands between the distinct cell edges (merged cells span several)."""
    xs = sorted(edges)
    uniq = [x for n, x in enumerate(xs) if n == 0 or x - xs[n - 1] > 1.0]
    return list(zip(uniq, uniq[1:]))


def _spans(bands: list[tuple[float, float]], lo: float, hi: float) -> list[int]:
    """Indexes of the bands that lie inside [lo, hi]."""
    return [i for i, (a, b) in enumerate(bands) if a >= lo - 1 and b <= hi + 1]


def tables_on_page(pl_page, segs: list[Seg], char_w: float) -> list[TableGrid]:
    """The ruled tables pdfplumber finds on a page, with cell texts from ``segs``."""
    return grids_from_cells([t.cells for t in pl_page.find_tables()], float(pl_page.height), segs, char_w)


def cells_from_edges(edges: list[dict]) -> list[list[tuple[float, float, float, float]]]:
    """pdfplumber's table finding (merge edges, intersections, cells, tables) on ruling
    lines given as pdfplumber edge dicts (y down), with its default tolerances."""
    from pdfplumber import table as plt

    edges = plt.merge_edges(edges, snap_x_tolerance=3, snap_y_tolerance=3, join_x_tolerance=3, join_y_tolerance=3)
    edges = [e for e in edges if (e["x1"] - e["x0"] if e["orientation"] == "h" else e["bottom"] - e["top"]) >= 3]
    cells = plt.intersections_to_cells(plt.edges_to_intersections(edges, 3, 3))
    return plt.cells_to_tables(cells)


def grids_from_cells(tables: list[list[tuple[float, float, float, float]]], height: float, segs: list[Seg],
                     char_w: float) -> list[TableGrid]:
    """Tables given as their cells (x0, top, x1, bottom; y down, as pdfplumber gives them)
    -> grids of cell texts from ``segs``, merged cells resolved."""
    out = []
    for cells in tables:
        if not cells:
            continue
        rows_bands = _bands([y for c in cells for y in (c[1], c[3])])     # y down
        cols_bands = _bands([x for c in cells for x in (c[0], c[2])])
        if len(rows_bands) < 2 or not 2 <= len(cols_bands) <= MAX_COLUMNS:
            continue    # one cell, or hundreds of columns: drawing, not a table; read as text
        bx0, btop = min(c[0] for c in cells), min(c[1] for c in cells)
        bx1, bbottom = max(c[2] for c in cells), max(c[3] for c in cells)
        table_segs = [s for s in segs if bx0 - 1 <= s.x0 and s.x1 <= bx1 + 1
                      and height - bbottom - 1 <= s.y <= height - btop + 1]
        cw = char_width(table_segs) if table_segs else char_w
        text_cells: list[TextCell] = []
        grid: list[list[str | None]] = [[None] * len(cols_bands) for _ in rows_bands]
        origin: list[list[tuple[int, int] | None]] = [[None] * len(cols_bands) for _ in rows_bands]
        for (x0, top, x1, bottom) in cells:
            rs = _spans(rows_bands, top, bottom)
            cs = _spans(cols_bands, x0, x1)
            if not rs or not cs:
                continue
            inside = [s for s in table_segs if x0 - 1 <= (s.x0 + s.x1) / 2 <= x1 + 1
                      and height - bottom - 1 <= s.y <= height - top + 1]
            lines = segments_to_lines(inside, 0, cw)
            text = join_cell_lines([(ln.text, ln.x1 >= x1 - 1.5 * cw) for ln in lines])
            if text:
                text_cells.append(TextCell(rs[0], x0, x1, text))
            for r in rs:
                for c in cs:
                    origin[r][c] = (rs[0], cs[0])
                    grid[r][c] = text
        if is_layout_table(text_cells, bx0, bx1):
            continue    # its text is read with the rest of the page
        rows: list[list[str]] = []
        for r, row in enumerate(grid):
            cells_text = []
            for c, text in enumerate(row):
                o = origin[r][c]
                # a cell spanning columns is written once, in its first column
                cells_text.append("" if text is None or (o is not None and o[1] != c) else text)
            rows.append(cells_text)
        out.append(TableGrid(bx0, height - bbottom, bx1, height - btop, rows))
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
