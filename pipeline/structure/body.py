"""Where a notice's header ends and which parts of its body are tasks.

``split_body(text)`` reads the clean text's numbered outline (``outline.parse_outline``)
and its task tables (``tables.find_task_tables``) and returns a ``Body``: ``header_end``,
the offset of the first numbered item's label or of the first task table, whichever comes
first (None when the text has neither: the header is then bounded by line counts, see
``metadata``); ``spans``, the outline's tasks (none when the text has task tables and no
numbered items: the table rows are its tasks); ``tables``; ``has_structure``, False when
neither was found (the body is then one task). ``body_of`` does the same from an outline
and tables already read. Both are pure.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..text.table_text import TaskTable
from .outline import Outline, TaskSpan, parse_outline
from .tables import find_task_tables


@dataclass(frozen=True)
class Body:
    header_end: int | None
    spans: tuple[TaskSpan, ...]
    tables: tuple[TaskTable, ...]
    has_structure: bool


def body_of(outline: Outline, tables: list[TaskTable] | tuple[TaskTable, ...]) -> Body:
    """The ``Body`` of a text from its outline and task tables."""
    first = outline.tasks[0].label_start if outline.has_structure and outline.tasks else None
    if tables and (first is None or tables[0].start < first):
        first = tables[0].start
    spans = outline.tasks if outline.has_structure or not tables else ()
    return Body(first, tuple(spans), tuple(tables), bool(outline.has_structure or tables))


def split_body(text: str, view: str | None = None) -> Body:
    """The ``Body`` of the clean ``text`` (``view``: its matching view, when the caller has it)."""
    return body_of(parse_outline(text, view), find_task_tables(text))
