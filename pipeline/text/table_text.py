"""How every reader writes a table into the text: one line per row, ``| a | b | c |``.

This is the contract between the readers (PDF, DOCX, HTML) and
``pipeline/structure/tables.py``, which finds the rows again in the clean text (it also
reads rows whose cells are separated by tabs, as text copied from a word processor has):
- every row has one cell per grid column: a cell spanning several columns is written
  in its first column followed by empty cells; a cell spanning several rows (a
  vertical merge) repeats its text in each row;
- a cell's paragraphs are joined with ``；`` unless the previous one already ends in
  punctuation (then with nothing); a line the PDF reader sees wrapped at the cell's
  edge is joined with nothing; ``|`` inside a cell becomes ``｜``; blank runs collapse
  to one space;
- no table is wider than ``MAX_COLUMNS``: readers clip spans to it, so a hostile
  colspan/gridSpan cannot blow a row up (real task tables have 3 to 10 columns).

``cell_text(paragraphs)`` / ``join_cell_lines(lines)`` make a cell's text,
``row_line(cells)`` a row's line, ``grid_lines(rows)`` a whole table.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .punctuation import CELL_END

MAX_COLUMNS = 64
# A paragraph ending in one of these is joined to the next without "；".
ENDS_PUNCT = CELL_END
_WS = re.compile(r"\s+")


def clean_cell(text: str) -> str:
    return _WS.sub(" ", text.replace("|", "｜")).strip()


def join_cell_lines(lines: list[tuple[str, bool]]) -> str:
    """A cell's text from its lines, each ``(text, wrapped)``: ``wrapped`` says the line
    ran to the cell's edge, so its paragraph goes on in the next line."""
    out = ""
    prev_wrapped = False
    for text, wrapped in lines:
        text = clean_cell(text)
        if not text:
            continue
        if out and not prev_wrapped and out[-1] not in ENDS_PUNCT:
            out += "；"
        out += text
        prev_wrapped = wrapped
    return out


def cell_text(paragraphs: list[str]) -> str:
    """The text of one cell from its paragraphs (in order); empty paragraphs are skipped."""
    return join_cell_lines([(p, False) for p in paragraphs])


def row_line(cells: list[str]) -> str:
    """One table row as a pipe line."""
    return "| " + " | ".join(clean_cell(c) for c in cells) + " |"


def grid_lines(rows: list[list[str]]) -> list[str]:
    """Render ``rows`` (cell texts, merges already expanded), padding short rows with
    empty cells and clipping them to ``MAX_COLUMNS``."""
    rows = [r[:MAX_COLUMNS] for r in rows]
    width = max((len(r) for r in rows), default=0)
    return [row_line(r + [""] * (width - len(r))) for r in rows if width]


def is_table_row(line: str) -> bool:
    """Is this line a table row: a pipe row (``| a | b |``, at least two cells) or a
    row copied from a word processor, cells separated by tabs (at least three cells)?"""
    if "|" not in line and "\t" not in line:
        return False    # neither kind of row (most lines; no memo entry for them)
    return _is_table_row(line)


@lru_cache(maxsize=8192)   # asked of every line by clean (twice), outline and tables
def _is_table_row(line: str) -> bool:
    if line.count("\t") >= 2 and line.strip(" \t\u3000"):
        return True
    s = line.strip()
    return len(s) >= 5 and s[0] == "|" and s[-1] == "|" and s.count("|") >= 3


@dataclass(frozen=True)
class Cell:
    text: str     # stripped cell text
    start: int    # its offsets in the clean text
    end: int


@dataclass(frozen=True)
class TableRow:
    cells: tuple[Cell, ...]
    start: int    # the row line's span in the clean text
    end: int

    def cell(self, roles: tuple[str, ...], role: str) -> list[Cell]:
        return [c for c, r in zip(self.cells, roles) if r == role and c.text]


@dataclass(frozen=True)
class TaskTable:
    header: tuple[str, ...]
    roles: tuple[str, ...]        # one role per column
    rows: tuple[TableRow, ...]
    start: int                    # from the header row to the last row
    end: int


def split_row(line: str, line_start: int) -> list[Cell]:
    """The cells of one pipe or tab row with their offsets (``line_start`` is the line's offset)."""
    if line.count("\t") >= 2:
        body_start, inner, sep = line_start, line, "\t"
    else:
        lead = len(line) - len(line.lstrip())
        body_start, inner, sep = line_start + lead + 1, line.strip()[1:-1], "|"
    cells, pos = [], 0
    for part in inner.split(sep):
        a = len(part) - len(part.lstrip())
        b = len(part.rstrip())
        text = part.strip()
        cells.append(Cell(text, body_start + pos + a, body_start + pos + max(a, b)))
        pos += len(part) + 1
    return cells
