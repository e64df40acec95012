"""The batch: input paths -> processed, committed output, with progress and a summary.

``run(inputs, out, ...)`` expands files and folders (recursively), skips inputs whose
content the output already holds (incremental, by content hash; ``force`` reprocesses),
processes the rest in worker processes (``workers``; lexicons and the segmenter load
once per worker; each file bounded in size, time and memory by ``config.Limits``, see
``workers.py``), and commits results in bounded batches (``batch_docs`` documents
or ``batch_bytes`` of text), each an atomic new version of the output (``store.py``).
Every failure is one line on stderr and a row in ``errors``; the batch goes on.
"""
from __future__ import annotations

import datetime as dt
import gc
import hashlib
import os
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from . import config
from .config import Limits
from .process import Result, error_result, process_bytes
from .quality import QUALITY_CODES
from .records import ErrorRecord, as_row_tuples
from .store import Store
from .workers import FileTimeout, bounded_map, deadline

INPUT_SUFFIXES = {".txt", ".text", ".md", ".pdf", ".docx", ".doc", ".html", ".htm"}  # .doc: refused with a clear row
# failures on a bound (or of the machine, not the file's content): the next run tries again
RETRY_CODES = {"too_large", "timeout", "memory", "crashed", "unreadable"}


@dataclass
class Summary:
    files: int = 0
    skipped: int = 0
    documents: int = 0
    tasks: int = 0
    units: int = 0
    dates: int = 0
    targets: int = 0
    errors: int = 0
    warnings: int = 0
    quality: dict[str, int] = field(default_factory=dict)   # documents per QUALITY_CODES code
    chars: int = 0
    elapsed: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def chars_per_s(self) -> float:
        return self.chars / self.elapsed if self.elapsed else 0.0


def expand_inputs(inputs: Iterable[str | Path]) -> list[str]:
    """Files as given, and the notice files below each folder (sorted, hidden ones skipped)."""
    out: list[str] = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                rel = f.relative_to(p).parts
                if f.is_file() and not any(part.startswith(".") for part in rel) \
                        and f.suffix.lower() in INPUT_SUFFIXES:
                    out.append(str(f))
        else:
            out.append(str(p))
    seen, uniq = set(), []
    for f in out:
        if f not in seen:
            seen.add(f)
            uniq.append(f)
    return uniq


def source_label(path: str) -> str:
    """The path as recorded (``source_path``, manifest key, messages): the path itself,
    except that bytes of a file name that are not UTF-8 become ``\\xNN`` and control
    characters (newlines …) their backslash escape, so that every label is valid UTF-8
    on one line."""
    if path.isprintable():
        return path
    out = []
    for ch in path:
        o = ord(ch)
        if 0xDC80 <= o <= 0xDCFF:  # a byte that os.fsdecode could not decode
            out.append(f"\\x{o - 0xDC00:02x}")
        elif 0xD800 <= o <= 0xDFFF or o < 32 or 127 <= o < 160 or o in (0x2028, 0x2029):
            out.append(ch.encode("unicode_escape", "backslashreplace").decode("ascii"))
        else:
            out.append(ch)
    return "".join(out)


def _work(path: str, limits: Limits) -> tuple[Result, str | None]:
    """Worker: read and process one file under ``limits``; returns the result (keyed by
    ``source_label(path)``) and the content hash (None when the file should be retried by
    the next run: it was not read, or it failed on a bound that a later run may raise)."""
    label = source_label(path)
    try:
        res, digest = _work_bounded(path, label, limits)
    except FileTimeout:  # the alarm went off just as the file finished
        return _timeout_result(label, limits), None
    except MemoryError:
        return _memory_result(label, limits), None
    if res.error is not None and res.error.error in RETRY_CODES:
        digest = None
    res.rows = {table: as_row_tuples(table, rows) for table, rows in res.rows.items()}  # cheaper to send
    return res, digest


def _work_bounded(path: str, label: str, limits: Limits) -> tuple[Result, str | None]:
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > limits.max_bytes:
            return error_result(label, "too_large", f"{label}: {size} bytes is above the limit of "
                                                    f"{limits.max_bytes} (max_bytes)"), None
        data = p.read_bytes()
    except OSError as exc:
        return error_result(label, "unreadable", f"{label}: {exc.strerror or exc}"), None
    digest = hashlib.sha256(data).hexdigest()[:16]
    with config.using(limits) as scope:
        try:
            with deadline(limits.timeout_s):
                res = process_bytes(data, label)
        except FileTimeout:
            return _timeout_result(label, limits), digest
    err = res.error
    if err is not None and err.error in ("reader_failed", "pipeline_failed") \
            and err.message.startswith(f"{label}: MemoryError"):
        return _memory_result(label, limits), digest
    if res.ok:
        seen = {e.error for e in res.rows["errors"]}
        at = res.rows["documents"][0].processed_at
        for code, message in scope.warnings:
            if code not in seen:
                seen.add(code)
                res.rows["errors"].append(ErrorRecord(source_path=label, error=code, message=message, at=at))
    return res, digest


def _timeout_result(path: str, limits: Limits) -> Result:
    return error_result(path, "timeout", f"{path}: processing took more than {limits.timeout_s:g} s "
                                         "(timeout_s); skipped")


def _memory_result(path: str, limits: Limits) -> Result:
    return error_result(path, "memory", f"{path}: processing needed more than {limits.max_memory_mb} MiB "
                                        "(max_memory_mb); skipped")


def _retire(value: tuple[Result, str | None]) -> bool:
    """A worker that ran out of time or memory is replaced (its state may be damaged)."""
    err = value[0].error
    return err is not None and err.error in ("timeout", "memory")


def _hash_file(path: str) -> str | None:
    try:
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        return h.hexdigest()[:16]
    except OSError:
        return None


_WARM_UP = "关于做好工作的通知\n一、请各街镇总工会于2021年10月15日前报送不少于20家单位名单。\n".encode("utf-8")


def _init_worker() -> None:
    """Load the segmenter and every lexicon (a tiny notice run end to end), so that a
    worker's memory bound counts what one file needs, not what the first file loads."""
    from . import segment
    segment.load()
    process_bytes(_WARM_UP, "<warm-up>")


def _failure_result(path: str, kind: str, detail: str, limits: Limits) -> tuple[Result, None]:
    """The error row of a file whose worker failed: ``timeout``, ``memory`` or ``crashed``."""
    label = source_label(path)
    if kind == "timeout":
        return _timeout_result(label, limits), None
    if kind == "memory":
        return _memory_result(label, limits), None
    return error_result(label, "crashed", f"{label}: the worker processing this file died ({detail}); skipped"), None


def _dask_results(paths: list[str], workers: int, limits: Limits, scheduler: str | None
                  ) -> Iterator[tuple[Result, str | None]]:
    """The same work as Dask futures: on ``scheduler`` or on a local cluster of ``workers``.
    Dask runs tasks in threads, so ``timeout_s`` and ``max_memory_mb`` are not enforced here;
    a task that fails (a worker lost) becomes a ``crashed`` error row for its file."""
    from dask.distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=40)
        client = Client(cluster)
    try:
        client.run(_init_worker)
        futures = client.map(_work, paths, [limits] * len(paths), pure=False)
        path_of = {fut.key: p for fut, p in zip(futures, paths)}
        for fut in as_completed(futures):
            try:
                result = fut.result()
            except Exception as exc:  # a lost worker, a task that could not run
                result = _failure_result(path_of[fut.key], "crashed", f"{type(exc).__name__}: {exc}", limits)
            fut.release()
            yield result
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _results(paths: list[str], workers: int, limits: Limits, engine: str = "local",
             scheduler: str | None = None) -> Iterator[tuple[Result, str | None]]:
    if not paths:
        return
    if engine == "dask":
        yield from _dask_results(paths, workers, limits, scheduler)
        return
    for _, value in bounded_map(_work, paths, workers, limits, init=_init_worker, retire=_retire,
                                on_failure=lambda p, kind, detail: _failure_result(p, kind, detail, limits)):
        yield value


@contextmanager
def _fewer_collections(young: int = 50_000):
    """Run the cyclic garbage collector less often while a batch runs: the extractors
    allocate many short-lived tuples and match objects (collected by reference counting),
    and with the default threshold (700) the collector keeps walking the batch's pending
    rows, ~10% of a one-worker run. The previous thresholds come back afterwards."""
    before = gc.get_threshold()
    gc.set_threshold(young, 20, 100)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def run(inputs: Iterable[str | Path], out: str | Path, *, workers: int | None = None, force: bool = False,
        batch_docs: int = 500, batch_bytes: int = 64 * 1024 * 1024, limits: Limits | None = None,
        wait: bool = False, engine: str = "local", scheduler: str | None = None, on_progress: Callable[[str, Result | None], None] | None = None,
        err=None) -> Summary:
    """Process ``inputs`` into the output folder ``out``; returns the batch summary.
    Every file is processed under ``limits`` (default ``Limits()``) in worker processes."""
    t0 = time.perf_counter()
    limits = limits or Limits()
    err = err or sys.stderr
    paths = expand_inputs(inputs)
    summary = Summary(files=len(paths))
    store = Store(out)
    with store.locked(wait=wait), _fewer_collections():
        files = store.manifest().get("files", {})
        todo = []
        for p in paths:
            known = files.get(source_label(p))
            if not force and known and known.get("doc_id") == _hash_file(p):
                summary.skipped += 1
                if on_progress:
                    on_progress(p, None)
                continue
            todo.append(p)
        workers = workers or os.cpu_count() or 1
        workers = max(1, min(workers, len(todo)))
        pending: dict[str, list] = {}
        updates: dict[str, dict] = {}
        replace: set[str] = set()
        pending_docs = pending_bytes = 0

        def flush():
            nonlocal pending, updates, replace, pending_docs, pending_bytes
            if updates:
                t = time.perf_counter()
                store.commit(pending, updates, replace)
                summary.timings["write"] = summary.timings.get("write", 0.0) + time.perf_counter() - t
            pending, updates, replace = {}, {}, set()
            pending_docs = pending_bytes = 0

        if engine not in ("local", "dask"):
            raise ValueError(f"unknown engine {engine!r}: use local or dask")
        for res, digest in _results(todo, workers, limits, engine, scheduler):
            path = res.source_path
            if path in files:
                replace.add(path)
            for table, rows in res.rows.items():
                pending.setdefault(table, []).extend(rows)
            for e in res.rows["errors"]:
                if e.error in QUALITY_CODES:
                    summary.quality[e.error] = summary.quality.get(e.error, 0) + 1
                if e.level == "warning":
                    summary.warnings += 1
                else:
                    summary.errors += 1
                if e.error not in QUALITY_CODES:   # counted in the summary; the rows are in the errors table
                    print(e.message, file=err)
            if res.ok:
                doc = res.rows["documents"][0]
                summary.documents += 1
                summary.chars += doc.n_chars
                pending_bytes += doc.n_chars * 3
                for key in ("tasks", "units", "dates", "targets"):
                    setattr(summary, key, getattr(summary, key) + len(res.rows[key]))
            for k, v in res.timings.items():
                summary.timings[k] = summary.timings.get(k, 0.0) + v
            updates[path] = {"doc_id": digest, "status": "ok" if res.ok else "error",
                             "at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}
            pending_docs += 1
            if on_progress:
                on_progress(path, res)
            if pending_docs >= batch_docs or pending_bytes >= batch_bytes:
                flush()
        flush()
    summary.elapsed = time.perf_counter() - t0
    return summary
