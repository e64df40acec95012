"""Task-breakdown tables (任务分解表) in the clean text -> one task row per table row.

Readers write a table as pipe rows (``| 序号 | 工作任务 | 牵头单位 |``, see
``pipeline/text/table_text.py``); a Markdown table in a text notice has the same
shape, and a table pasted from a word processor separates its cells with tabs. ``find_task_tables(text)`` finds each run of pipe rows, reads the header row's
column roles (``models/structure/tables.yaml``: number, section, task, lead, partner,
deadline, other) and, when the header names a task column and a unit or time column,
returns the table with every body row's cells and their offsets into ``text``.
Rows that repeat the header (a page break in the source) are skipped.
``row_heading(table, row, n)`` reads what the columns say about a row's task: its label
(the number column, else its position), its section and its title.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..text.table_text import Cell, TableRow, TaskTable, is_table_row, split_row
from ..lexicon import load_yaml
from .outline import lead_sentence

ROLES = ("number", "section", "task", "lead", "partner", "deadline")
_RULE_ROW = re.compile(r"^\|(?:\s*:?-{2,}:?\s*\|)+\s*$")   # Markdown |---|---|


@lru_cache(maxsize=1)
def _synonyms() -> list[tuple[str, str]]:
    cfg = load_yaml("structure/tables.yaml")["columns"]
    pairs = [(syn, role) for role, words in cfg.items() for syn in words]
    return sorted(pairs, key=lambda p: -len(p[0]))     # longest synonym first


def column_role(header_cell: str) -> str:
    """The role of a column from its header text (``other`` when none matches)."""
    h = re.sub(r"\s+", "", header_cell)
    if not h:
        return "other"
    for syn, role in _synonyms():
        if syn in h:
            return role
    return "other"


def _roles(header: list[str]) -> tuple[str, ...] | None:
    roles = [column_role(h) for h in header]
    # the first column of each role counts; a second one with the same role is "other"
    # unless it is a unit column (责任单位 beside 牵头单位 are both leads)
    seen = set()
    for i, r in enumerate(roles):
        if r in seen and r not in ("lead", "partner"):
            roles[i] = "other"
        seen.add(r)
    if "task" not in roles:
        others = [i for i, r in enumerate(roles) if r == "other"]
        if "number" in roles and len(others) == 1 and ({"lead", "partner"} & set(roles)):
            roles[others[0]] = "task"
        else:
            return None
    if not ({"lead", "partner", "deadline"} & set(roles)):
        return None
    return tuple(roles)


def _row_runs(text: str) -> list[list[tuple[str, int]]]:
    """Runs of consecutive pipe-row lines: [(line, offset)]."""
    if "|" not in text and "\t" not in text:
        return []       # no line is a row (most texts: no step per line)
    runs: list[list[tuple[str, int]]] = []
    pos, prev_row = 0, False
    for line in text.split("\n"):
        if is_table_row(line):
            if not prev_row:
                runs.append([])
            if not _RULE_ROW.match(line.strip()):
                runs[-1].append((line, pos))
            prev_row = True
        else:
            prev_row = False
        pos += len(line) + 1
    return [r for r in runs if len(r) >= 2]


def find_task_tables(text: str) -> list[TaskTable]:
    """Every task table of ``text`` (clean text), in order. Never raises."""
    out = []
    for run in _row_runs(text):
        header_line, header_pos = run[0]
        header = [c.text for c in split_row(header_line, header_pos)]
        roles = _roles(header)
        if roles is None:
            continue
        rows = []
        for line, pos in run[1:]:
            cells = split_row(line, pos)
            if [c.text for c in cells] == header:
                continue                      # the header repeated after a page break
            cells = (cells + [Cell("", pos + len(line), pos + len(line))] * len(roles))[:len(roles)]
            rows.append(TableRow(tuple(cells), pos, pos + len(line)))
        if rows:
            last_line, last_pos = run[-1]
            out.append(TaskTable(tuple(header), roles, tuple(rows), header_pos, last_pos + len(last_line)))
    return out


def row_heading(table: TaskTable, row: TableRow, n: int) -> tuple[list[str], str | None, str | None]:
    """(path, section, title) of the task of ``row``, the ``n``-th (0-based) row of ``table``:
    the number column's label without its punctuation (else ``n + 1``), the section column,
    the task column's lead sentence."""
    number = row.cell(table.roles, "number")
    label = number[0].text.strip("、.．) ）(（") if number else ""
    section = row.cell(table.roles, "section")
    task = row.cell(table.roles, "task")
    title = lead_sentence(task[0].text) if task else None
    return [label or str(n + 1)], section[0].text if section else None, title or None
