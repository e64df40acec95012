"""One notice, end to end in memory: bytes -> the rows of every table.

``process_bytes(data, source_path)`` runs ingest -> clean -> structure -> segment ->
extract and returns a ``Result`` holding pydantic rows for documents, tasks, units,
dates and targets, plus error/warning rows. It does no I/O of its own, so the local
engine, the Dask engine and the tests all call exactly this. Extractor offsets (into
a task's text) are shifted to offsets into the document's clean text.
"""
from __future__ import annotations

import bisect
import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import __version__, segment
from .clean import clean
from .extract.dates import parse_dates
from .extract.table_rows import extract_row
from .extract.targets import parse_quantities
from .extract.units import canonicalize, parse_units
from .ingest import Ingested, NoticeError, read_bytes
from .records import DateMention, Document, ErrorRecord, Target, Task, Unit
from .structure.metadata import parse_metadata
from .structure.outline import lead_sentence, parse_outline
from .structure.tables import find_task_tables
from .textview import matching_view, slice_view

TABLE_NAMES = ("documents", "tasks", "units", "dates", "targets", "errors")


@dataclass
class Result:
    source_path: str
    doc_id: str | None = None
    rows: dict[str, list] = field(default_factory=lambda: {t: [] for t in TABLE_NAMES})
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return bool(self.rows["documents"])

    @property
    def error(self) -> ErrorRecord | None:
        return None if self.ok or not self.rows["errors"] else self.rows["errors"][0]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def error_result(source_path: str, code: str, message: str) -> Result:
    res = Result(source_path)
    res.rows["errors"].append(ErrorRecord(source_path=source_path, error=code, message=message, at=_now()))
    return res


def process_bytes(data: bytes, source_path: str, processed_at: dt.datetime | None = None) -> Result:
    """Process one file's bytes; bad input becomes an error row, never an exception."""
    t0 = time.perf_counter()
    try:
        ing = read_bytes(data, source_path)
    except NoticeError as exc:
        return error_result(source_path, exc.code, exc.message)
    except Exception as exc:  # a reader bug must not stop the batch
        return error_result(source_path, "reader_failed", f"{source_path}: {type(exc).__name__}: {exc}")
    timings = {"ingest": time.perf_counter() - t0}
    try:
        return process_ingested(ing, processed_at or _now(), timings)
    except Exception as exc:
        return error_result(source_path, "pipeline_failed", f"{source_path}: {type(exc).__name__}: {exc}")


def process_path(path: str | Path, processed_at: dt.datetime | None = None) -> Result:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return error_result(str(path), "unreadable", f"{path}: {exc.strerror or exc}")
    return process_bytes(data, str(path), processed_at)


def process_ingested(ing: Ingested, processed_at: dt.datetime, timings: dict[str, float] | None = None) -> Result:
    timings = timings if timings is not None else {}
    res = Result(ing.source_path, ing.doc_id, timings=timings)
    tick = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal tick
        now = time.perf_counter()
        timings[name] = timings.get(name, 0.0) + now - tick
        tick = now

    ct = clean(ing.text)
    text = ct.text
    lap("clean")
    if not text.strip():
        return error_result(ing.source_path, "empty", f"{ing.source_path}: nothing left after cleaning")
    outline = parse_outline(text)
    tables = find_task_tables(text)
    first_item = outline.tasks[0].label_start if outline.has_structure and outline.tasks else None
    if tables and (first_item is None or tables[0].start < first_item):
        first_item = tables[0].start
    meta = parse_metadata(text, first_item)
    lap("structure")
    for code, message in ing.warnings:       # usable text, with a warning (partial_text, mixed_encoding)
        res.rows["errors"].append(ErrorRecord(source_path=ing.source_path, error=code, message=message,
                                              at=processed_at))
    if not outline.has_structure and not tables:
        res.rows["errors"].append(ErrorRecord(
            source_path=ing.source_path, error="no_structure",
            message=f"{ing.source_path}: warning: no numbered items found; the body is one task",
            at=processed_at))

    doc = Document(
        doc_id=ing.doc_id, source_path=ing.source_path, source_format=ing.source_format,
        issuer=meta.issuer, doc_number=meta.doc_number, title=meta.title,
        attachment_title=meta.attachment_title, recipients=meta.recipients,
        issue_date=meta.issue_date, period_start=meta.period_start, period_end=meta.period_end,
        doc_type=meta.doc_type, n_pages=ing.n_pages, text_source=ing.text_source,
        ocr_confidence=ing.ocr_confidence, text=text, n_chars=len(text),
        pipeline_version=__version__, processed_at=processed_at,
    )
    res.rows["documents"].append(doc)
    period = (meta.period_start, meta.period_end) if meta.period_start and meta.period_end else None
    page_of = _page_finder(ing.page_starts, ct)
    emit = _Emitter(res, ing.doc_id, page_of, text)
    doc_view = matching_view(text)

    spans = outline.tasks if outline.has_structure or not tables else ()
    for span in spans:
        body = slice_view(text, doc_view, span.char_start, span.char_end)
        base = span.char_start
        view = matching_view(body)
        toks = segment.tokens(view)  # one segmentation serves tokens and units
        task_id = emit.task(list(span.path), span.section, span.title, span.char_start, span.char_end,
                            _token_texts(body, view, toks))
        lap("segment")
        emit.units(task_id, canonicalize(parse_units(body, toks), text), base)
        lap("units")
        emit.dates(task_id, parse_dates(body, reference=meta.issue_date, period=period), base)
        lap("dates")
        emit.targets(task_id, parse_quantities(body, doc_type=meta.doc_type), base)
        lap("targets")
    for table in tables:
        for n, row in enumerate(table.rows):
            task_id = emit.task(*_row_task(table, row, n, text))
            recs = extract_row(row, table, reference=meta.issue_date, period=period, doc_type=meta.doc_type)
            emit.units(task_id, canonicalize(recs.units, text), 0)
            emit.dates(task_id, recs.dates, 0)
            emit.targets(task_id, recs.quantities, 0)
        lap("tables")
    return res


def _page_finder(page_starts: tuple[int, ...], ct) -> Callable[[int], int | None]:
    """Clean-text offset -> 1-based page (None when the input has no pages)."""
    if not page_starts:
        return lambda offset: None
    return lambda offset: bisect.bisect_right(page_starts, ct.to_raw(offset))


def _row_task(table, row, n: int, text: str) -> tuple:
    """(path, section, title, start, end, tokens) of a table row's task."""
    number = row.cell(table.roles, "number")
    label = number[0].text.strip("、.．) ）(（") if number else ""
    section = row.cell(table.roles, "section")
    task = row.cell(table.roles, "task")
    title = lead_sentence(task[0].text) if task else None
    body = text[row.start:row.end]
    view = matching_view(body)
    return ([label or str(n + 1)], section[0].text if section else None, title or None, row.start, row.end,
            _token_texts(body, view, segment.tokens(view)))


def _token_texts(body: str, view: str, toks) -> list[str]:
    """The tokens column: the words as written (the view's tokens when nothing was mapped)."""
    return [t.text for t in toks] if view == body else [body[t.start:t.end] for t in toks]


class _Emitter:
    """Builds the rows of one document; task ids are the doc id and the task's position."""

    def __init__(self, res: Result, doc_id: str, page_of, text: str):
        self.res, self.doc_id, self.page_of, self.text, self.n = res, doc_id, page_of, text, 0

    def task(self, path, section, title, start, end, tokens) -> str:
        task_id = f"{self.doc_id}-{self.n:04d}"
        self.n += 1
        self.res.rows["tasks"].append(Task(
            doc_id=self.doc_id, task_id=task_id, path=path, section=section, title=title,
            text=self.text[start:end], char_start=start, char_end=end, tokens=tokens,
            page=self.page_of(start)))
        return task_id

    def units(self, task_id: str, mentions, base: int) -> None:
        for u in mentions:
            self.res.rows["units"].append(Unit(
                doc_id=self.doc_id, task_id=task_id, name=u.name, canonical=u.canonical, role=u.role,
                char_start=base + u.char_start, char_end=base + u.char_end, page=self.page_of(base + u.char_start)))

    def dates(self, task_id: str, mentions, base: int) -> None:
        for d in mentions:
            self.res.rows["dates"].append(DateMention(
                doc_id=self.doc_id, task_id=task_id, text=d.text, start=d.start, end=d.end, kind=d.kind,
                char_start=base + d.char_start, char_end=base + d.char_end, page=self.page_of(base + d.char_start)))

    def targets(self, task_id: str, quantities, base: int) -> None:
        for q in quantities:
            self.res.rows["targets"].append(Target(
                doc_id=self.doc_id, task_id=task_id, text=q.text, value=q.value, value_max=q.value_max,
                unit=q.unit, object=q.object, comparator=q.comparator, kind=q.kind,
                char_start=base + q.char_start, char_end=base + q.char_end, page=self.page_of(base + q.char_start)))
