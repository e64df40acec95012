"""How every reader writes a table into the text: one line per row, ``| a | b | c |``.

This is the contract between the readers (PDF, DOCX, HTML) and
``pipeline/structure/tables.py``, which finds the rows again in the clean text (it also
reads rows whose cells are separated by tabs, as text copied from a word processor has):
- every row has one cell per grid column; a cell spanning several columns is written
  in its first column followed by empty cells; a cell spanning several rows (a
  vertical merge) repeats its text in each row;
- the lines inside a cell are joined with nothing when the line was wrapped, with
  ``；`` when it ended a paragraph or a list item (unless it already ends in
  punctuation); ``|`` inside a cell becomes ``｜``; blank runs collapse to one space.
"""
from __future__ import annotations

import re

_PUNCT_END = "。！？；;，,、：:）)》”’"


def join_cell_lines(lines: list[tuple[str, bool]]) -> str:
    """Join a cell's lines; each is ``(text, wrapped)`` where ``wrapped`` says the line
    ran to the cell's edge and its paragraph goes on in the next line."""
    out = ""
    for n, (text, wrapped) in enumerate(lines):
        text = text.strip()
        if not text:
            continue
        if out:
            prev_wrapped = lines[n - 1][1] if n else False
            if not prev_wrapped and out[-1] not in _PUNCT_END:
                out += "；"
        out += text
    return out


def clean_cell(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("|", "｜")).strip()


def render_row(row: list[str]) -> str:
    """One row's pipe line."""
    return "| " + " | ".join(clean_cell(c) for c in row) + " |"


def render_table(rows: list[list[str]]) -> list[str]:
    """The pipe lines of a table (rows already resolved to one text per grid cell);
    rows with no text are left out."""
    return [render_row(row) for row in rows if any(c.strip() for c in row)]


def is_table_row(line: str) -> bool:
    """Is this line a table row: a pipe row (``| a | b |``, at least two cells) or a
    row copied from a word processor, cells separated by tabs (at least three cells)?"""
    if line.count("\t") >= 2 and line.strip(" \t\u3000"):
        return True
    s = line.strip()
    return len(s) >= 5 and s[0] == "|" and s[-1] == "|" and s.count("|") >= 3
