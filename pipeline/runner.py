"""The batch: input paths -> processed, committed output, with progress and a summary.

``run(inputs, out, ...)`` expands files and folders (recursively), skips inputs whose
content the output already holds (incremental, by content hash; ``force`` reprocesses),
processes the rest in a process pool (``workers``; lexicons and the segmenter load
once per worker), and commits results in bounded batches (``batch_docs`` documents
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
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .process import Result, error_result, process_bytes
from .store import Store

INPUT_SUFFIXES = {".txt", ".text", ".md", ".pdf", ".docx", ".html", ".htm"}
WARNING_CODES = {"no_structure"}


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


def _work(path: str, max_bytes: int) -> tuple[Result, str | None]:
    """Worker: read and process one file; returns the result and the content hash."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > max_bytes:
            return error_result(path, "too_large", f"{path}: {size} bytes is above the limit of {max_bytes}"), None
        data = p.read_bytes()
    except OSError as exc:
        return error_result(path, "unreadable", f"{path}: {exc.strerror or exc}"), None
    digest = hashlib.sha256(data).hexdigest()[:16]
    return process_bytes(data, path), digest


def _hash_file(path: str) -> str | None:
    try:
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        return h.hexdigest()[:16]
    except OSError:
        return None


def _init_worker() -> None:
    from . import segment
    segment.load()


def _dask_results(paths: list[str], workers: int, max_bytes: int, scheduler: str | None
                  ) -> Iterator[tuple[Result, str | None]]:
    """The same work as Dask futures: on ``scheduler`` or on a local cluster of ``workers``."""
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
        futures = client.map(_work, paths, [max_bytes] * len(paths), pure=False)
        for fut in as_completed(futures):
            result = fut.result()
            fut.release()
            yield result
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _results(paths: list[str], workers: int, max_bytes: int, engine: str = "local",
             scheduler: str | None = None) -> Iterator[tuple[Result, str | None]]:
    if not paths:
        return
    if engine == "dask":
        yield from _dask_results(paths, workers, max_bytes, scheduler)
        return
    if workers <= 1 or len(paths) <= 1:
        for p in paths:
            yield _work(p, max_bytes)
        return
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker) as pool:
        yield from pool.map(_work, paths, [max_bytes] * len(paths), chunksize=4)


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
        batch_docs: int = 500, batch_bytes: int = 64 * 1024 * 1024, max_bytes: int = 200 * 1024 * 1024,
        wait: bool = False, engine: str = "local", scheduler: str | None = None, on_progress: Callable[[str, Result | None], None] | None = None,
        err=None) -> Summary:
    """Process ``inputs`` into the output folder ``out``; returns the batch summary."""
    t0 = time.perf_counter()
    err = err or sys.stderr
    paths = expand_inputs(inputs)
    summary = Summary(files=len(paths))
    store = Store(out)
    with store.locked(wait=wait), _fewer_collections():
        files = store.manifest().get("files", {})
        todo = []
        for p in paths:
            known = files.get(p)
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
        for res, digest in _results(todo, workers, max_bytes, engine, scheduler):
            path = res.source_path
            if path in files:
                replace.add(path)
            for table, rows in res.rows.items():
                pending.setdefault(table, []).extend(rows)
            for e in res.rows["errors"]:
                if e.error in WARNING_CODES:
                    summary.warnings += 1
                else:
                    summary.errors += 1
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
