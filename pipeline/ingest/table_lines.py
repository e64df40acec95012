"""Tables as text lines: a grid of cells -> one ``| cell | cell |`` line per row.

The contract every reader (DOCX, HTML, PDF) follows, so later stages read tables the
same way whatever the input format:

* one line per row: ``"| " + " | ".join(cells) + " |"``;
* every row has one cell per grid column: a cell spanning several columns is written
  in its first column followed by empty cells; a cell merged downwards repeats its
  text in every row it covers;
* a cell's paragraphs are joined with ``；`` unless the previous one already ends in
  punctuation (then with nothing); ``|`` becomes ``｜``; whitespace runs become one
  space.

``cell_text(paragraphs)`` makes a cell's text; ``row_line(cells)`` a row's line;
``grid_lines(rows)`` pads ragged rows and renders a whole table (at most
``MAX_COLUMNS`` wide; readers clip spans to it while they build rows).
"""
from __future__ import annotations

import re

# No table is wider than this: spans and cells beyond it are dropped, so a hostile
# colspan/gridSpan cannot blow a row up (real task tables have 3 to 10 columns).
MAX_COLUMNS = 64
# A paragraph ending in one of these is joined to the next without "；".
ENDS_PUNCT = frozenset("。！？!?；;：:，,、…”’」』）)】》.·—-～~")
_WS = re.compile(r"\s+")


def cell_text(paragraphs: list[str]) -> str:
    """The text of one cell from its paragraphs (in order); empty paragraphs are skipped."""
    out = ""
    for para in paragraphs:
        para = _WS.sub(" ", para.replace("|", "｜")).strip()
        if not para:
            continue
        if out and out[-1] not in ENDS_PUNCT:
            out += "；"
        out += para
    return out


def row_line(cells: list[str]) -> str:
    """One table row as a pipe line; ``cells`` are finished cell texts."""
    return "| " + " | ".join(cells) + " |"


def grid_lines(rows: list[list[str]]) -> list[str]:
    """Render ``rows`` (cell texts, merges already expanded) padding short rows with empty cells."""
    rows = [r[:MAX_COLUMNS] for r in rows]
    width = max((len(r) for r in rows), default=0)
    return [row_line(r + [""] * (width - len(r))) for r in rows if width]
