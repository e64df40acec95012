"""A task-breakdown table row -> its units, dates and quantities.

The columns say what the text in them is (``structure/tables.py``): names in a
牵头单位/责任单位 column are leads, in a 配合单位 column partners, whatever their
wording; a 完成时限 column holds the task's deadline; the task and other text cells
are read like any task text (their own units with their own roles, dates, targets).
Every record carries offsets into the document's clean text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from ..text.table_text import Cell, TableRow, TaskTable
from .dates import DateMention, parse_dates
from .dates_lex import lexicon as date_lexicon
from .pieces import shifted
from .targets import Quantity, parse_quantities
from .units import UnitMention, names_in_list, parse_units, unique


@lru_cache(maxsize=1)
def _deadline_cell() -> tuple[re.Pattern, re.Pattern]:
    """A range, and work that runs all year or on: in a deadline column these stay what they are."""
    t = date_lexicon().triggers
    return re.compile(t["deadline_cell_range"]), re.compile(t["deadline_cell_ongoing"])


@dataclass(frozen=True)
class RowRecords:
    units: list[UnitMention]
    dates: list[DateMention]
    quantities: list[Quantity]


def units_in_cell(cell: Cell, role: str) -> list[UnitMention]:
    """The organisations of a unit column's cell, all with ``role``."""
    return [shifted(u, cell.start) for u in names_in_list(cell.text, 0, len(cell.text), role)]


def deadline_in_cell(cell: Cell, reference=None, period=None, years=None) -> list[DateMention]:
    """Dates of a completion-time column: a month, a day or a part of a month there is
    the date the task is due (kind deadline, start null); ranges and ongoing work
    (全年, 长期) keep their interval."""
    out = []
    for d in parse_dates(cell.text, reference=reference, period=period, years=years):
        d = shifted(d, cell.start)
        ranged, ongoing = _deadline_cell()
        if d.kind in ("point", "period") and not ranged.search(d.text) and not ongoing.search(d.text):
            d = replace(d, kind="deadline", start=None)
        out.append(d)
    return out


def row_units(row: TableRow, table: TaskTable) -> list[UnitMention]:
    """The organisations of a row: unit columns' names with the column's role, and those
    the task and other text cells name with their own roles."""
    units: list[UnitMention] = []
    for cell, role in zip(row.cells, table.roles):
        if not cell.text:
            continue
        if role in ("lead", "partner"):
            units += units_in_cell(cell, role)
        elif role in ("task", "other"):
            units += [shifted(u, cell.start) for u in parse_units(cell.text)]
    return unique(units)


def row_dates(row: TableRow, table: TaskTable, *, reference=None, period=None, years=None) -> list[DateMention]:
    """The dates of a row: its deadline column's, then those of its text cells (cell order);
    ``years`` (``dates_year.YearContext``) gives the document's year sources, else
    ``reference``/``period``."""
    dates: list[DateMention] = []
    for cell, role in zip(row.cells, table.roles):
        if not cell.text:
            continue
        if role == "deadline":
            dates += deadline_in_cell(cell, reference, period, years)
        elif role in ("task", "other"):
            dates += [shifted(d, cell.start)
                      for d in parse_dates(cell.text, reference=reference, period=period, years=years)]
    return dates


def row_quantities(row: TableRow, table: TaskTable, *, doc_type=None) -> list[Quantity]:
    """The quantities of a row's task and other text cells."""
    return [shifted(q, cell.start) for cell, role in zip(row.cells, table.roles)
            if cell.text and role in ("task", "other") for q in parse_quantities(cell.text, doc_type=doc_type)]


def extract_row(row: TableRow, table: TaskTable, *, reference=None, period=None, doc_type=None,
                years=None) -> RowRecords:
    """Units, dates and quantities of one table row (offsets into the clean text)."""
    return RowRecords(row_units(row, table), row_dates(row, table, reference=reference, period=period, years=years),
                      row_quantities(row, table, doc_type=doc_type))
