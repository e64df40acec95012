"""Build test PDFs from the shipped text notices, the way word processors export them.

Layout follows GB/T 9704-2012 closely enough to be realistic: A4, a text block of
156 x 225 mm, 16 pt characters, body paragraphs indented by two characters, lines
wrapped at the right margin, page numbers ``- N -`` below the text block. The font is
reportlab's built-in CID font STSong-Light (not embedded; PDF readers map it to
Unicode through the standard Adobe-GB1 CMap), so nothing needs installing.

``notice_pdf(text)`` renders a notice; options add what real PDFs carry: a running
header, a two-column page, a task-breakdown table (drawn with ruling lines, split
over a page break with the header row repeated), an image-only page.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

PAGE_W, PAGE_H = A4
LEFT, TOP = 28 * mm, 37 * mm
BLOCK_W, BLOCK_H = 156 * mm, 225 * mm
SIZE = 16
LEADING = 28.9  # 22 lines in the text block


def _width(s: str, size: float = SIZE) -> float:
    return pdfmetrics.stringWidth(s, FONT, size)


def wrap(text: str, width: float, indent: float = 0.0, size: float = SIZE) -> list[tuple[float, str]]:
    """Break ``text`` into lines no wider than ``width``: [(x offset, line)]."""
    lines, cur, x0 = [], "", indent
    for ch in text:
        if cur and _width(cur + ch, size) > width - x0:
            lines.append((x0, cur))
            cur, x0 = "", 0.0
        cur += ch
    lines.append((x0, cur))
    return lines


@dataclass
class Table:
    """A ruled table: ``rows[0]`` is the header; ``widths`` in points (sum <= BLOCK_W).
    A cell ``None`` is covered by the cell above it (vertical merge)."""
    rows: list[list[str | None]]
    widths: list[float]
    size: float = 10.5


@dataclass
class Layout:
    header: str | None = None          # running header printed at the top of every page
    two_column_pages: set[int] = field(default_factory=set)  # 1-based pages set in two columns
    image_only: bool = False           # every page is a picture of text (a scan)
    page_numbers: bool = True


class _Writer:
    def __init__(self, layout: Layout):
        self.buf = io.BytesIO()
        self.c = canvas.Canvas(self.buf, pagesize=A4)
        self.layout = layout
        self.page = 1
        self.col = 0
        self._start_page()

    # -- pages -----------------------------------------------------------------
    @property
    def two_col(self) -> bool:
        return self.page in self.layout.two_column_pages

    @property
    def col_w(self) -> float:
        return (BLOCK_W - 8 * mm) / 2 if self.two_col else BLOCK_W

    @property
    def x0(self) -> float:
        return LEFT + (self.col * (self.col_w + 8 * mm) if self.two_col else 0)

    def _start_page(self) -> None:
        self.y = PAGE_H - TOP - SIZE
        self.col = 0
        self.c.setFont(FONT, SIZE)
        if self.layout.header:
            self.c.setFont(FONT, 10.5)
            self.c.drawCentredString(PAGE_W / 2, PAGE_H - 20 * mm, self.layout.header)
            self.c.line(LEFT, PAGE_H - 22 * mm, LEFT + BLOCK_W, PAGE_H - 22 * mm)
            self.c.setFont(FONT, SIZE)

    def _end_page(self) -> None:
        if self.layout.page_numbers:
            self.c.setFont(FONT, 14)
            self.c.drawCentredString(PAGE_W / 2, 20 * mm, f"- {self.page} -")
        self.c.showPage()
        self.page += 1
        self._start_page()

    def _need(self, height: float) -> None:
        if self.y - height < PAGE_H - TOP - BLOCK_H:
            if self.two_col and self.col == 0:
                self.col = 1
                self.y = PAGE_H - TOP - SIZE
            else:
                self._end_page()

    # -- content ---------------------------------------------------------------
    def paragraph(self, text: str, indent: bool = True, centred: bool = False, right: bool = False) -> None:
        rest, dx = text, (2 * SIZE if indent else 0.0)
        while rest:
            self._need(LEADING)          # may move to the next column or page: wrap to its width
            _, line = wrap(rest, self.col_w, dx)[0]
            rest = rest[len(line):]
            self.c.setFont(FONT, SIZE)
            if centred:
                self.c.drawCentredString(self.x0 + self.col_w / 2, self.y, line)
            elif right:
                self.c.drawRightString(self.x0 + self.col_w, self.y, line)
            else:
                self.c.drawString(self.x0 + dx, self.y, line)
            self.y -= LEADING
            dx = 0.0

    def table(self, tab: Table) -> None:
        size, pad = tab.size, 3.0
        lead = size * 1.35
        header = tab.rows[0]

        def cell_lines(row):
            return [wrap(t or "", w - 2 * pad, size=size) if t is not None else [] for t, w in zip(row, tab.widths)]

        def draw_row(row, top_rule: bool, covered_next: list[bool]) -> None:
            lines = cell_lines(row)
            h = max(len(ls) for ls in lines) * lead + 2 * pad
            x = self.x0
            c = self.c
            c.setFont(FONT, size)
            for i, (ls, w) in enumerate(zip(lines, tab.widths)):
                yy = self.y - pad - size
                for _, text in ls:
                    c.drawString(x + pad, yy, text)
                    yy -= lead
                if top_rule and row[i] is not None:
                    c.line(x, self.y, x + w, self.y)
                c.line(x, self.y, x, self.y - h)
                if not covered_next[i]:
                    c.line(x, self.y - h, x + w, self.y - h)
                x += w
            c.line(x, self.y, x, self.y - h)
            self.y -= h
            return None

        def height(row):
            return max(len(ls) for ls in cell_lines(row)) * lead + 2 * pad

        self.y += SIZE  # tables start at the top of the line box
        draw_row(header, True, [False] * len(header))
        body = tab.rows[1:]
        for n, row in enumerate(body):
            nxt = body[n + 1] if n + 1 < len(body) else None
            fits_next = nxt is not None and self.y - height(row) - height(nxt) >= PAGE_H - TOP - BLOCK_H
            # a merged cell has no rule below it, except at the foot of a page
            covered = [fits_next and nxt[i] is None for i in range(len(row))]
            if self.y - height(row) < PAGE_H - TOP - BLOCK_H:
                self._end_page()
                self.y += SIZE
                draw_row(header, True, [False] * len(header))   # header repeated on the new page
                row = [(r if r is not None else _above(body, n, i)) for i, r in enumerate(row)]
            draw_row(row, True, covered)
        self.y -= LEADING - SIZE

    def finish(self) -> bytes:
        if self.layout.page_numbers:
            self.c.setFont(FONT, 14)
            self.c.drawCentredString(PAGE_W / 2, 20 * mm, f"- {self.page} -")
        self.c.showPage()
        self.c.save()
        return self.buf.getvalue()


def _above(rows, n, i):
    while n >= 0 and rows[n][i] is None:
        n -= 1
    return rows[n][i] if n >= 0 else ""


def notice_pdf(text: str, layout: Layout | None = None, tables: dict[int, Table] | None = None) -> bytes:
    """Render a text notice: its first lines centred (title block), then body paragraphs
    indented; ``tables`` maps a paragraph index to a table drawn before that paragraph."""
    layout = layout or Layout()
    w = _Writer(layout)
    paras = [p.rstrip() for p in text.splitlines() if p.strip()]
    for n, raw in enumerate(paras):
        p = raw.strip(" \t\u3000")
        if tables and n in tables:
            w.table(tables[n])
        if len(raw) - len(raw.lstrip(" \u3000")) >= 8 and len(p) < 30:
            w.paragraph(p, indent=False, right=True)      # signature and date
        elif (n < 4 and len(p) < 40 and not re.search(r"[，。：]", p)) or (len(p) < 28 and not re.search(r"[，。；]", p)
                                                               and not re.match(r"[一二三四五六七八九十\d（(]", p)):
            w.paragraph(p, indent=False, centred=True)    # title block, plan title
        elif p.endswith("：") and len(p) < 60:
            w.paragraph(p, indent=False)                  # recipients
        else:
            w.paragraph(p)
    if tables and len(paras) in tables:
        w.table(tables[len(paras)])
    data = w.finish()
    return _rasterise(data) if layout.image_only else data


def _rasterise(pdf: bytes) -> bytes:
    """A scan: every page replaced by a picture of it, with no text layer."""
    import pypdfium2 as pdfium
    from reportlab.lib.utils import ImageReader

    src = pdfium.PdfDocument(pdf)
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for page in src:
        img = page.render(scale=0.5).to_pil()
        c.drawImage(ImageReader(img), 0, 0, PAGE_W, PAGE_H)
        c.showPage()
    c.save()
    return buf.getvalue()


def layout_table_pdf(text: str, cols: int = 6, visible: bool = False) -> bytes:
    """A notice the way web-page and Word converters leave it: every line of text in a row
    of an invisible grid (white rules), the row's one cell spanning the grid; a spacer row
    drawn with every column rule gives the grid its columns (as in hf04/hf05)."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    col_w = BLOCK_W / cols
    lines: list[tuple[float, str, bool]] = []      # (x offset, text, centred)
    for n, raw in enumerate(p.strip() for p in text.splitlines() if p.strip()):
        centred = n < 2 and len(raw) < 30
        for dx, line in wrap(raw, BLOCK_W, 0.0 if centred else 2 * SIZE):
            lines.append((dx, line, centred))
    per_page = int(BLOCK_H // LEADING) - 1
    page = 1
    for start in range(0, len(lines), per_page):
        c.setStrokeColorRGB(0, 0, 0) if visible else c.setStrokeColorRGB(1, 1, 1)
        top = PAGE_H - TOP
        c.line(LEFT, top, LEFT + BLOCK_W, top)
        for k in range(cols + 1):                         # the spacer row: every column rule
            c.line(LEFT + k * col_w, top, LEFT + k * col_w, top - 6)
        y = top - 6
        c.line(LEFT, y, LEFT + BLOCK_W, y)
        c.setFont(FONT, SIZE)
        for dx, line, centred in lines[start:start + per_page]:
            c.line(LEFT, y, LEFT, y - LEADING)
            c.line(LEFT + BLOCK_W, y, LEFT + BLOCK_W, y - LEADING)
            base = y - LEADING + 8
            if centred:
                c.drawCentredString(LEFT + BLOCK_W / 2, base, line)
            else:
                c.drawString(LEFT + dx, base, line)
            y -= LEADING
            c.line(LEFT, y, LEFT + BLOCK_W, y)
        c.setFont(FONT, 14)
        c.drawCentredString(PAGE_W / 2, 20 * mm, f"- {page} -")
        c.showPage()
        page += 1
    c.save()
    return buf.getvalue()
