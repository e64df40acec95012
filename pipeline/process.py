"""One notice, end to end in memory: bytes -> the rows of every table.

``process_bytes(data, source_path)`` runs ingest -> clean -> structure -> segment ->
extract and returns a ``Result`` holding the rows of every table: the document and the
error/warning rows as pydantic models, the tasks, units, dates and targets as
``records.Columns``, validated as the models validate but without a model per row (how
the runner carries them; iterated, they give the models). It does no I/O of its own, so the local
engine, the Dask engine and the tests all call exactly this. Extractor offsets (into
a task's text) are shifted to offsets into the document's clean text.

Each extractor runs per task as a stage of its own (units, canonical names, dates,
targets), declared in one list, ``STAGES``: an exception in one becomes an ``extractor_failed`` warning naming the stage
and the task, and the task keeps the rows of the other stages (canonical names fall back
to the names as written). A ``MemoryError`` is not caught there: the file fails as a
whole and the runner reports ``memory`` (``workers.py`` bounds a worker's memory).
"""
from __future__ import annotations

import bisect
import datetime as dt
import operator
import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Callable

from pydantic import ValidationError

from . import __version__, segment
from .clean import clean
from .extract.dates import parse_dates
from .extract.dates_year import document_years
from .extract.table_rows import row_dates, row_quantities, row_units
from .extract.targets import parse_quantities
from .extract.units import canonicalize, parse_units
from .ingest import Ingested, NoticeError, read_bytes
from .quality import quality_warnings
from .records import Document, ErrorCode, Task, mention_fields, validated_columns
from .result import Result, error_result, now as _now
from .structure.body import split_body
from .structure.metadata import parse_metadata
from .structure.tables import row_heading
from .textview import matching_view, part_and_view

def process_bytes(data: bytes, source_path: str, processed_at: dt.datetime | None = None) -> Result:
    """Process one file's bytes; bad input becomes an error row, never an exception."""
    t0 = time.perf_counter()
    try:
        ing = read_bytes(data, source_path)
    except NoticeError as exc:
        return error_result(source_path, exc.code, exc.message)
    except Exception as exc:  # a reader bug must not stop the batch
        return error_result(source_path, ErrorCode.READER_FAILED, f"{source_path}: {type(exc).__name__}: {exc}")
    timings = {"ingest": time.perf_counter() - t0}
    try:
        return process_ingested(ing, processed_at or _now(), timings)
    except Exception as exc:
        return error_result(source_path, ErrorCode.PIPELINE_FAILED, f"{source_path}: {type(exc).__name__}: {exc}")


def warm_up_ocr() -> bool:
    """Load the OCR engine and read a made-up page (``ingest.ocr.warm_up``): a batch worker
    does this before its memory bound is taken. False when OCR is not installed."""
    from .ingest import ocr
    return ocr.warm_up()


def process_path(path: str | Path, processed_at: dt.datetime | None = None) -> Result:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return error_result(str(path), ErrorCode.UNREADABLE, f"{path}: {exc.strerror or exc}")
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
        return error_result(ing.source_path, ErrorCode.EMPTY, f"{ing.source_path}: nothing left after cleaning")
    doc_view = matching_view(text)   # the document's matching view, once: every stage gets it or its part
    body = split_body(text, doc_view)
    meta = parse_metadata(text, body.header_end, doc_view)
    lap("structure")
    warnings: list[tuple[str, str]] = list(ing.warnings)   # usable text, with a remark (partial_text, ...)
    if not body.has_structure:
        warnings.append((ErrorCode.NO_STRUCTURE,
                         f"{ing.source_path}: warning: no numbered items found; the body is one task"))

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
    emit = _Emitter(res, ing.doc_id, page_of, text, warnings)
    years = document_years(doc_view, issue_date=meta.issue_date, period=period, doc_number=meta.doc_number,
                           title=meta.title, doc_type=meta.doc_type)
    plan = _plan(STAGES)
    given = {"text": text, "text_view": doc_view, "years": years, "doc_type": meta.doc_type}

    for span in body.spans:
        task_text, view = part_and_view(text, doc_view, span.char_start, span.char_end)
        toks = segment.tokens(view)  # one segmentation serves tokens and units
        task_id = emit.task(list(span.path), span.section, span.title, span.char_start, span.char_end,
                            _token_texts(task_text, view, toks))
        lap("segment")
        task = {**given, "body": task_text, "view": view, "tokens": toks, "row": None, "table": None}
        _run_stages(plan, task, emit, task_id, span.char_start, warnings, lap,
                    (ing.source_path, f"{task_id}, item {'.'.join(span.path) or '(the whole body)'}"))
    for table in body.tables:
        for n, row in enumerate(table.rows):
            task_text, view = part_and_view(text, doc_view, row.start, row.end)
            toks = segment.tokens(view)
            task_id = emit.task(*row_heading(table, row, n), row.start, row.end,
                                _token_texts(task_text, view, toks))
            task = {**given, "body": task_text, "view": view, "tokens": toks, "row": row, "table": table}
            _run_stages(plan, task, emit, task_id, 0, warnings, None,
                        (ing.source_path, f"{task_id}, table row {n + 1}"))
        lap("tables")
    emit.finish()
    warnings += quality_warnings(ing.source_path, meta.title, meta.issuer, meta.issue_date, len(res.rows["tasks"]))
    res.add_warnings(warnings, processed_at)
    return res


# The stages of a task, in order, declared as spaCy declares its pipeline components: a
# stage reads the names in ``requires`` (the task's inputs, ``TASK_INPUTS``, or what an
# earlier stage assigned) and its function returns the value of ``assigns``. A task is
# either a numbered item (``body`` and its ``tokens``) or a table row (``row`` of ``table``,
# read by the column roles; ``row`` is None for an item). ``view`` is the matching view of
# ``body`` (``textview``), ``text_view`` the document's: cut from the one computed per
# document, never asked for again. After the last stage assigning one of ``EMITTED``, that
# table's rows of the task are made.

@dataclass(frozen=True)
class Stage:
    name: str
    requires: tuple[str, ...]
    assigns: str
    fn: Callable[[dict], Any]


TASK_INPUTS = ("text", "text_view", "years", "doc_type", "body", "view", "tokens", "row", "table")
EMITTED = ("units", "dates", "targets")


def _units(t: dict) -> list:
    return parse_units(t["body"], t["tokens"], t["view"]) if t["row"] is None else row_units(t["row"], t["table"])


def _canonical(t: dict) -> list:
    return canonicalize(t["units"], t["text"], t["text_view"])


def _dates(t: dict) -> list:
    if t["row"] is None:
        return parse_dates(t["body"], years=t["years"], view=t["view"])
    return row_dates(t["row"], t["table"], years=t["years"])


def _targets(t: dict) -> list:
    if t["row"] is None:
        return parse_quantities(t["body"], doc_type=t["doc_type"], view=t["view"])
    return row_quantities(t["row"], t["table"], doc_type=t["doc_type"])


STAGES: tuple[Stage, ...] = (
    Stage("units", ("body", "view", "tokens", "row", "table"), "units", _units),
    Stage("canonical", ("units", "text", "text_view"), "units", _canonical),   # a failure keeps the names as written
    Stage("dates", ("body", "view", "row", "table", "years"), "dates", _dates),
    Stage("targets", ("body", "view", "row", "table", "doc_type"), "targets", _targets),
)


def _plan(stages) -> list[tuple[Stage, str | None]]:
    """Each stage with the table whose rows are made after it (None: not the last to assign one)."""
    last = {s.assigns: i for i, s in enumerate(stages) if s.assigns in EMITTED}
    return [(s, s.assigns if last.get(s.assigns) == i else None) for i, s in enumerate(stages)]


def _run_stages(plan, task: dict, emit: "_Emitter", task_id: str, base: int, warnings: list,
                lap: Callable[[str], None] | None, where: tuple[str, str]) -> None:
    """Run the stages on ``task`` (a dict of its inputs, which they extend) and make its rows.
    A stage that raises assigns nothing (its table keeps the earlier stages' value, else
    none): an ``extractor_failed`` warning names it and the task (``where``: the source path
    and the task), and so does a failure to make the rows of a table (named after the table)."""
    for stage, table in plan:
        try:
            task[stage.assigns] = stage.fn(task)
        except MemoryError:
            raise  # beyond the worker's memory bound the file fails as a whole (``memory``)
        except Exception as exc:
            warnings.append(_failure(where, stage.name, exc))
            task[stage.assigns] = list(task.get(stage.assigns, ()))
        if table is not None and task[table]:   # a failure's warning is made only if one happens
            try:
                emit.rows(table, task_id, task[table], base, partial(_failure, where, table))
            except MemoryError:
                raise
            except Exception as exc:
                warnings.append(_failure(where, table, exc))
        if lap is not None:
            lap(stage.assigns)


def _failure(where: tuple[str, str], stage: str, exc: Exception) -> tuple[str, str]:
    """The ``extractor_failed`` warning of ``stage`` raising ``exc`` (on one line)."""
    source_path, task = where
    detail = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
    return (ErrorCode.EXTRACTOR_FAILED, f"{source_path}: warning: the {stage} stage failed on task {task} "
                                        f"({detail}); the task's other rows are kept")


def _page_finder(page_starts: tuple[int, ...], ct) -> Callable[[int], int | None]:
    """Clean-text offset -> 1-based page (None when the input has no pages)."""
    if not page_starts:
        return lambda offset: None
    return lambda offset: bisect.bisect_right(page_starts, ct.to_raw(offset))


def _token_texts(body: str, view: str, toks: segment.Tokens) -> list[str]:
    """The tokens column: the words as written (the view's words when nothing was mapped)."""
    return list(toks.words) if view == body else [body[a:b] for a, b in zip(toks.starts, toks.ends)]


class _Emitter:
    """Builds the rows of one document; task ids are the doc id and the task's position.
    Rows are made as columns and validated as the models validate (``pydantic``'s error on
    a value of the wrong type); a table's rows of a task are added all or none.

    ``finish`` makes and validates each table's rows of the whole document at once into one
    ``records.Columns``, with no model per row; should that fail, each task's rows are made
    alone, and those that fail are dropped with their warning (``failed(exc)``) put where
    it would have been had the task's rows been made at once."""

    def __init__(self, res: Result, doc_id: str, page_of, text: str, warnings: list):
        self.res, self.doc_id, self.page_of, self.text = res, doc_id, page_of, text
        self.warnings = warnings
        self.tasks: list[tuple] = []                                  # a row of values per task
        self.pending: dict[str, list[tuple]] = {table: [] for table in EMITTED}

    def task(self, path, section, title, start, end, tokens) -> str:
        task_id = f"{self.doc_id}-{len(self.tasks):04d}"
        row = (self.doc_id, task_id, path, section, title, self.text[start:end], start, end, self.page_of(start),
               tokens)
        self.tasks.append(row)
        return task_id

    def rows(self, table: str, task_id: str, found, base: int, failed: Callable[[Exception], tuple]) -> None:
        """The rows of ``table`` for a task's mentions ``found`` (offsets local to the task's
        text, shifted by ``base``)."""
        if found:
            self.pending[table].append(((task_id, base, found), failed, len(self.warnings)))

    def _columns(self, table: str, chunks: list[tuple]) -> dict[str, list]:
        """The columns of ``table`` for the mentions of ``chunks`` ((task_id, base, found) each)."""
        found = [m for _, _, ms in chunks for m in ms]
        bases = [base for _, base, ms in chunks for _ in ms]
        starts = list(map(operator.add, bases, map(_CHAR_START, found)))
        data = {"doc_id": [self.doc_id] * len(found), "task_id": [t for t, _, ms in chunks for _ in ms]}
        for name in _MENTION_FIELDS[table]:
            data[name] = list(map(operator.attrgetter(name), found))
        data["char_start"] = starts
        data["char_end"] = list(map(operator.add, bases, map(_CHAR_END, found)))
        data["page"] = list(map(self.page_of, starts))
        return data

    def finish(self) -> None:
        """The document's rows of every table, validated (see the class)."""
        values = list(zip(*self.tasks)) if self.tasks else [()] * len(_TASK_FIELDS)
        self.res.rows["tasks"] = validated_columns("tasks", dict(zip(_TASK_FIELDS, map(list, values))))
        late = []
        for table, pending in self.pending.items():
            try:
                self.res.rows[table] = validated_columns(table, self._columns(table, [p[0] for p in pending]))
                continue
            except MemoryError:
                raise
            except Exception:
                pass         # a bug in our own code: find the tasks whose rows fail
            kept = []
            for seq, (chunk, failed, at) in enumerate(pending):
                try:
                    validated_columns(table, self._columns(table, [chunk]))
                    kept.append(chunk)
                except MemoryError:
                    raise
                except Exception as exc:
                    late.append((at, table, seq, failed(exc)))
            self.res.rows[table] = validated_columns(table, self._columns(table, kept))
        for at, *_, warning in sorted(late, key=lambda w: w[:3], reverse=True):
            self.warnings.insert(at, warning)


_TASK_FIELDS = tuple(Task.model_fields)
_CHAR_START, _CHAR_END = operator.attrgetter("char_start"), operator.attrgetter("char_end")
# the fields of a table's row that are the mention's own (besides ids, offsets and page)
_MENTION_FIELDS = {table: mention_fields(table) for table in EMITTED}
