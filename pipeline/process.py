"""One notice, end to end in memory: bytes -> the rows of every table.

``process_bytes(data, source_path)`` runs ingest -> clean -> structure -> segment ->
extract and returns a ``Result`` holding pydantic rows for documents, tasks, units,
dates and targets, plus error/warning rows. It does no I/O of its own, so the local
engine, the Dask engine and the tests all call exactly this. Extractor offsets (into
a task's text) are shifted to offsets into the document's clean text.

Each extractor runs per task as a stage of its own (units, canonical names, dates,
targets): an exception in one becomes an ``extractor_failed`` warning naming the stage
and the task, and the task keeps the rows of the other stages (canonical names fall back
to the names as written). A ``MemoryError`` is not caught there: the file fails as a
whole and the runner reports ``memory`` (``workers.py`` bounds a worker's memory).
"""
from __future__ import annotations

import bisect
import datetime as dt
import operator
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import __version__, segment
from .clean import clean
from .extract.dates import parse_dates
from .extract.dates_year import document_years
from .extract.table_rows import row_dates, row_quantities, row_units
from .extract.targets import parse_quantities
from .extract.units import canonicalize, parse_units
from .ingest import Ingested, NoticeError, read_bytes
from .quality import quality_warnings
from .records import Date, Document, ErrorCode, ErrorRecord, Target, Task, Unit
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


def warm_up_ocr() -> bool:
    """Load the OCR engine and read a made-up page (``ingest.ocr.warm_up``): a batch worker
    does this before its memory bound is taken. False when OCR is not installed."""
    from .ingest import ocr
    return ocr.warm_up()


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
    years = document_years(doc_view, issue_date=meta.issue_date, period=period, doc_number=meta.doc_number,
                           title=meta.title, doc_type=meta.doc_type)

    stage = _Stages(res, ing.source_path, processed_at)

    spans = outline.tasks if outline.has_structure or not tables else ()
    for span in spans:
        body = slice_view(text, doc_view, span.char_start, span.char_end)
        base = span.char_start
        view = matching_view(body)
        toks = segment.tokens(view)  # one segmentation serves tokens and units
        task_id = emit.task(list(span.path), span.section, span.title, span.char_start, span.char_end,
                            _token_texts(body, view, toks))
        where = f"{task_id}, item {'.'.join(span.path) or '(the whole body)'}"
        lap("segment")
        units = stage.run("units", where, lambda: parse_units(body, toks))
        units = stage.run("canonical", where, lambda: canonicalize(units, text), fallback=units)
        stage.run("units", where, lambda: emit.units(task_id, units, base))
        lap("units")
        stage.run("dates", where, lambda: emit.dates(task_id, parse_dates(body, years=years), base))
        lap("dates")
        stage.run("targets", where, lambda: emit.targets(
            task_id, parse_quantities(body, doc_type=meta.doc_type), base))
        lap("targets")
    for table in tables:
        for n, row in enumerate(table.rows):
            task_id = emit.task(*_row_task(table, row, n, text))
            where = f"{task_id}, table row {n + 1}"
            units = stage.run("units", where, lambda: row_units(row, table))
            units = stage.run("canonical", where, lambda: canonicalize(units, text), fallback=units)
            stage.run("units", where, lambda: emit.units(task_id, units, 0))
            stage.run("dates", where, lambda: emit.dates(task_id, row_dates(row, table, years=years), 0))
            stage.run("targets", where, lambda: emit.targets(
                task_id, row_quantities(row, table, doc_type=meta.doc_type), 0))
        lap("tables")
    for code, message in quality_warnings(ing.source_path, meta.title, meta.issuer, meta.issue_date,
                                          len(res.rows["tasks"])):
        res.rows["errors"].append(ErrorRecord(source_path=ing.source_path, error=code, message=message,
                                              at=processed_at))
    return res


class _Stages:
    """Runs one extractor of one task; an exception becomes an ``extractor_failed``
    warning row naming the stage and the task, and ``fallback`` stands for the result."""

    def __init__(self, res: Result, source_path: str, at: dt.datetime):
        self.res, self.source_path, self.at = res, source_path, at

    def run(self, stage: str, where: str, fn: Callable, fallback=()):
        try:
            return fn()
        except MemoryError:
            raise  # beyond the worker's memory bound the file fails as a whole (``memory``)
        except Exception as exc:
            detail = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
            self.res.rows["errors"].append(ErrorRecord(
                source_path=self.source_path, error=ErrorCode.EXTRACTOR_FAILED,
                message=f"{self.source_path}: warning: the {stage} stage failed on task {where} ({detail}); "
                        f"the task's other rows are kept",
                at=self.at))
            return list(fallback) if isinstance(fallback, (list, tuple)) else fallback


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
    return list(map(_TOKEN_TEXT, toks)) if view == body else [body[t.start:t.end] for t in toks]


_TOKEN_TEXT = operator.itemgetter(0)   # Token.text


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

    # each builds all its rows before adding them: a record that fails validation adds none

    def units(self, task_id: str, mentions, base: int) -> None:
        self.res.rows["units"].extend([Unit(
            doc_id=self.doc_id, task_id=task_id, name=u.name, canonical=u.canonical, role=u.role,
            char_start=base + u.char_start, char_end=base + u.char_end, page=self.page_of(base + u.char_start))
            for u in mentions])

    def dates(self, task_id: str, mentions, base: int) -> None:
        self.res.rows["dates"].extend([Date(
            doc_id=self.doc_id, task_id=task_id, text=d.text, start=d.start, end=d.end, kind=d.kind,
            year_source=d.year_source,
            char_start=base + d.char_start, char_end=base + d.char_end, page=self.page_of(base + d.char_start))
            for d in mentions])

    def targets(self, task_id: str, quantities, base: int) -> None:
        self.res.rows["targets"].extend([Target(
            doc_id=self.doc_id, task_id=task_id, text=q.text, value=q.value, value_max=q.value_max,
            unit=q.unit, object=q.object, comparator=q.comparator, kind=q.kind,
            char_start=base + q.char_start, char_end=base + q.char_end, page=self.page_of(base + q.char_start))
            for q in quantities])
