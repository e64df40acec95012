"""The batch: input paths -> processed, committed output, with progress and a summary.

``run(inputs, out, ...)`` expands files and folders (recursively), skips inputs whose
content the output already holds (incremental, by content hash; ``force`` reprocesses),
processes the rest in worker processes (``workers``; lexicons and the segmenter load
once, before the workers fork; each file bounded in size, time and memory by ``config.Limits``, see
``workers.py``), and commits results in bounded batches (``batch_docs`` documents
or ``batch_bytes`` of text), each an atomic new version of the output (``store.py``).
Every failure is one line on stderr and a row in ``errors``; the batch goes on.
"""
from __future__ import annotations

import datetime as dt
import errno
import functools
import gc
import os
import re
import stat
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from . import config
from .config import Limits
from .quality import QUALITY_CODES
from .records import Columns, ErrorCode, ErrorRecord, as_row_tuples
from .result import Result, error_result, now as _now
from .store import Store, StoreError, warm_up_writer
from .text.identity import doc_id_of, doc_id_of_file
from .workers import FileTimeout, bounded_map, deadline, forks

INPUT_SUFFIXES = {".txt", ".text", ".md", ".pdf", ".docx", ".doc", ".html", ".htm",
                  ".png", ".jpg", ".jpeg", ".tif", ".tiff"}  # .doc: refused with a clear row
# failures on a bound (or of the machine, not the file's content): the next run tries again
# and failures of our own code or installation (a missing lexicon, a bug, OCR not installed):
# once fixed, the next run processes those files without --force
RETRY_CODES = {"too_large", "timeout", "memory", "crashed", "unreadable", "pipeline_failed", "reader_failed",
               "ocr_unavailable"}
# rows for inputs that were found but could not be read; checked again by every run that
# is given their place
INPUT_CODES = {ErrorCode.MISSING, ErrorCode.DANGLING_LINK, ErrorCode.SYMLINK_LOOP, ErrorCode.NOT_A_FILE,
               ErrorCode.UNREADABLE}


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
    errors_earlier: int = 0   # inputs skipped as unchanged whose failure an earlier run recorded
    warnings: int = 0
    duplicates: int = 0
    quality: dict[str, int] = field(default_factory=dict)   # documents per QUALITY_CODES code
    chars: int = 0
    elapsed: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def chars_per_s(self) -> float:
        return self.chars / self.elapsed if self.elapsed else 0.0

    @property
    def exit_status(self) -> int:
        """1 when an input of this run has no document because it failed, whether it failed
        in this run or an earlier run recorded its failure and it is unchanged since (a
        rerun, or a run resumed after a kill, exits as the uninterrupted run did); else 0."""
        return 1 if self.errors or self.errors_earlier else 0


@dataclass
class Found:
    """What the inputs hold: files to read (real paths, each once, in the order found) and
    inputs that cannot be read, as ``(label, code, message)``; ``roots`` are the labels
    of the inputs themselves (problem rows below them are checked again)."""
    files: list[str] = field(default_factory=list)
    problems: list[tuple[str, str, str]] = field(default_factory=list)
    roots: list[str] = field(default_factory=list)
    _seen: set = field(default_factory=set, repr=False)
    _dirs: set = field(default_factory=set, repr=False)

    def add(self, path: str, real: str | None = None) -> None:
        """Add the file ``path`` (``real``: its real path, when known)."""
        real = real or os.path.realpath(path)
        if real not in self._seen:
            self._seen.add(real)
            self.files.append(real)

    def problem(self, place: str, code: str, reason: str) -> None:
        label = source_label(place)
        if label not in {p[0] for p in self.problems}:
            self.problems.append((label, code, f"{label}: {reason}"))


def _place(path: str) -> str:
    """The real path of the folder holding ``path``, and its own name (a link not followed)."""
    ab = os.path.abspath(path)
    return os.path.join(os.path.realpath(os.path.dirname(ab)), os.path.basename(ab))


def _stat_problem(found: Found, path: str, exc: OSError) -> None:
    place = _place(path)
    if exc.errno == errno.ELOOP:
        found.problem(place, ErrorCode.SYMLINK_LOOP, "symbolic link loop (it leads back to itself); not read")
    elif exc.errno in (errno.ENOENT, errno.ENOTDIR) and os.path.islink(path):
        found.problem(place, ErrorCode.DANGLING_LINK,
                      f"symbolic link to {os.readlink(path)!r}, which does not exist; not read")
    elif exc.errno in (errno.ENOENT, errno.ENOTDIR):
        found.problem(place, ErrorCode.MISSING, "no such file or folder")
    else:
        found.problem(place, ErrorCode.UNREADABLE, f"cannot be reached ({exc.strerror or exc}); not read")


def _walk(folder: str, found: Found) -> None:
    real = os.path.realpath(folder)
    if real in found._dirs:  # a folder reached twice (a link back up the tree): read once
        return
    found._dirs.add(real)
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        found.problem(_place(folder), ErrorCode.UNREADABLE,
                      f"folder cannot be listed ({exc.strerror or exc}); the files in it were not read")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = os.path.join(folder, entry.name)
        notice = os.path.splitext(entry.name)[1].lower() in INPUT_SUFFIXES
        try:
            st = os.stat(path)
        except OSError as exc:
            if notice or entry.is_symlink():
                _stat_problem(found, path, exc)
            continue
        if stat.S_ISDIR(st.st_mode):
            _walk(path, found)
        elif not notice:
            continue
        elif stat.S_ISREG(st.st_mode):
            # a name that is not a link is itself below the folder's real path
            found.add(path, None if entry.is_symlink() else os.path.join(real, entry.name))
        else:
            found.problem(_place(path), ErrorCode.NOT_A_FILE,
                          "not a regular file (a pipe, socket or device); not read")


def find_inputs(inputs: Iterable[str | Path]) -> Found:
    """Files as given, and the notice files below each folder (sorted, hidden ones
    skipped, links followed, each real file once); every input that cannot be read is a
    problem (missing, dangling or looping link, unreadable folder, pipe or device)."""
    found = Found()
    for item in inputs:
        path = os.fspath(item)
        real = os.path.realpath(path)
        found.roots.append(source_label(real if os.path.lexists(path) else os.path.abspath(path)))
        try:
            os.lstat(path)
            st = os.stat(path)
        except OSError as exc:
            _stat_problem(found, path, exc)
            continue
        if stat.S_ISDIR(st.st_mode):
            _walk(path, found)
        elif stat.S_ISREG(st.st_mode):
            found.add(path, real)
        else:
            found.problem(_place(path), ErrorCode.NOT_A_FILE,
                          "not a regular file (a pipe, socket or device); not read")
    return found


def expand_inputs(inputs: Iterable[str | Path]) -> list[str]:
    """The files ``find_inputs`` finds (real paths)."""
    return find_inputs(inputs).files


def source_label(path: str) -> str:
    """The path as recorded (``source_path``, manifest key, messages), losslessly: the
    path itself, except that a backslash is doubled, bytes of a file name that are not
    UTF-8 become ``\\xNN`` and control characters (newlines …) their backslash escape,
    so that every label is valid UTF-8 on one line and two paths never share a label."""
    if "\\" not in path and path.isprintable():
        return path
    out = []
    for ch in path:
        o = ord(ch)
        if ch == "\\":
            out.append("\\\\")
        elif 0xDC80 <= o <= 0xDCFF:  # a byte that os.fsdecode could not decode
            out.append(f"\\x{o - 0xDC00:02x}")
        elif 0xD800 <= o <= 0xDFFF or o < 32 or 127 <= o < 160 or o in (0x2028, 0x2029):
            out.append(ch.encode("unicode_escape", "backslashreplace").decode("ascii"))
        else:
            out.append(ch)
    return "".join(out)


_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?")


def one_line(message: str) -> str:
    """A message on one line: terminal escape codes dropped, control characters escaped."""
    message = _ANSI.sub("", message)
    if message.isprintable():
        return message
    return "".join(ch.encode("unicode_escape", "backslashreplace").decode("ascii")
                   if ord(ch) < 32 or 127 <= ord(ch) < 160 or ord(ch) in (0x2028, 0x2029)
                   or 0xD800 <= ord(ch) <= 0xDFFF else ch
                   for ch in message)


# The extractors (``process`` and every module it imports) are imported where a notice is
# processed: in a worker, or in this process before it forks several (``_load_shared``). The
# process that runs a batch with one worker only writes: it does not import them (~600 M
# instructions, ~0.2 s CPU); the results it receives are ``result.Result``s, whose module
# imports none of them.

def process_bytes(data: bytes, source_path: str, processed_at: dt.datetime | None = None) -> Result:
    """``process.process_bytes``."""
    from .process import process_bytes as process

    return process(data, source_path, processed_at)


def warm_up_ocr() -> bool:
    """``process.warm_up_ocr``."""
    from .process import warm_up_ocr as warm_up

    return warm_up()


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
    res.rows = _carried(res.rows)
    return res, digest


def _carried(rows: dict[str, list]) -> dict[str, list | Columns]:
    """A result's rows as they travel to the writer (and are kept until a commit): the data
    tables as ``Columns``, the error rows (which the runner reads and rewrites) as named
    tuples. Rows already in that form are left as they are."""
    out: dict[str, list | Columns] = {}
    for table, value in rows.items():
        if isinstance(value, Columns) or (table == "errors" and (not value or isinstance(value[0], tuple))):
            out[table] = value
        else:
            out[table] = as_row_tuples(table, value) if table == "errors" else Columns.of(table, value)
    return out


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
    digest = doc_id_of(data)
    with config.using(limits) as scope:
        try:
            with deadline(limits.timeout_s):
                res = process_bytes(data, label)
        except FileTimeout:
            return _timeout_result(label, limits), digest
    err = res.error
    if err is not None and err.error in (ErrorCode.READER_FAILED, ErrorCode.PIPELINE_FAILED) \
            and err.message.startswith(f"{label}: MemoryError"):
        return _memory_result(label, limits), digest
    if res.ok:
        seen = {e.error for e in res.rows["errors"]}
        fresh = []
        for code, message in scope.warnings:
            if code not in seen:
                seen.add(code)
                fresh.append((code, message))
        res.add_warnings(fresh, res.rows["documents"][0].processed_at)
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


_WARM_UP = "关于做好工作的通知\n一、请各街镇总工会于2021年10月15日前报送不少于20家单位名单。\n".encode("utf-8")


def _load_shared() -> None:
    """Load the segmenter and every lexicon (a tiny notice run end to end). Run in the
    parent before the workers fork, they inherit all of it instead of each loading it
    again (~0.4 s CPU a worker)."""
    from . import segment
    segment.load()
    process_bytes(_WARM_UP, "<warm-up>")


def _init_worker(ocr: bool = False) -> None:
    """Load what ``_load_shared`` loads (nothing left to do in a forked worker), and the OCR
    engine when the batch may hold scans (never before a fork: its threads would not
    follow), so that a worker's memory bound counts what one file needs, not what the
    first file loads."""
    _load_shared()
    if ocr:
        warm_up_ocr()


OCR_SUFFIXES = {".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff"}


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
             scheduler: str | None = None, on_start: Callable[[], None] = warm_up_writer
             ) -> Iterator[tuple[Result, str | None]]:
    if not paths:
        return
    if engine == "dask":
        yield from _dask_results(paths, workers, limits, scheduler)
        return
    may_ocr = limits.ocr and any(Path(p).suffix.lower() in OCR_SUFFIXES for p in paths)
    init = functools.partial(_init_worker, ocr=True) if may_ocr else _init_worker
    if workers > 1 and forks():
        _load_shared()   # once here, not once per worker (one worker loads it while this process warms the writer)
    for _, value in bounded_map(_work, paths, workers, limits, init=init, retire=_retire,
                                on_failure=lambda p, kind, detail: _failure_result(p, kind, detail, limits),
                                on_start=on_start):
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


def _now_iso() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def _relabel(row, old: str, new: str):
    """An error row of one path as the row of another path with the same content."""
    msg = row.message
    msg = new + msg[len(old):] if msg.startswith(old) else f"{new}: {msg}"
    return row._replace(source_path=new, message=msg)


def _earlier_failures(store: Store, labels: list[str]) -> list[str]:
    """One line per label: the error an earlier run recorded for it (``errors`` table)."""
    if not labels:
        return []
    tbl = store.read_table("errors").select(["source_path", "level", "message"]).to_pylist()
    first: dict[str, str] = {}
    for row in tbl:
        if row["level"] == "error":
            first.setdefault(row["source_path"], row["message"])
    return [f"{first.get(label, label + ': failed')} (recorded by an earlier run; the file is unchanged, "
            "so it was not read again)" for label in labels]


def run(inputs: Iterable[str | Path], out: str | Path, *, workers: int | None = None, force: bool = False,
        batch_docs: int = 500, batch_bytes: int = 64 * 1024 * 1024, limits: Limits | None = None,
        wait: bool = False, engine: str = "local", scheduler: str | None = None, on_progress: Callable[[str, Result | None], None] | None = None,
        err=None, on_start: Callable[[], None] | None = None) -> Summary:
    """Process ``inputs`` into the output folder ``out``; returns the batch summary.
    Every file is processed under ``limits`` (default ``Limits()``) in worker processes.

    Identity: files are known by real path; a document is its content, so files with the
    same bytes (copies, links, one folder given twice) are processed once and each is a
    source of that one document. Every input given or found that cannot be read is an
    error row. With ``force``, a file whose new attempt fails for a reason that is not
    its own (a crash, a timeout …) keeps its previous document, and the next run retries it.

    ``on_start`` runs once in this process before it first reads or writes Arrow data: while
    the first workers start, when there are files to process (what the caller needs after the
    batch, loaded meanwhile); the writer's warm-up (``store.warm_up_writer``) follows it."""
    t0 = time.perf_counter()
    limits = limits or Limits()
    err = err or sys.stderr
    if engine not in ("local", "dask"):
        raise ValueError(f"unknown engine {engine!r}: use local or dask")
    found = find_inputs(inputs)
    paths = found.files
    summary = Summary(files=len(paths))
    store = Store(out)
    started = []

    def start() -> None:
        if not started:
            started.append(True)
            if on_start is not None:
                on_start()
            warm_up_writer()

    with store.locked(wait=wait), _fewer_collections():
        files = store.manifest().get("files", {})
        label_of = {p: source_label(p) for p in paths}
        digest_of = {p: doc_id_of_file(p) for p in paths}
        todo, failed_before = [], []
        for p in paths:
            known = files.get(label_of[p])
            if not force and known and not known.get("retry") and known.get("doc_id") \
                    and known.get("doc_id") == digest_of[p]:
                summary.skipped += 1
                if known.get("status") == "error":
                    failed_before.append(label_of[p])
                if on_progress:
                    on_progress(p, None)
                continue
            todo.append(p)
        # unchanged files that failed before are not read again, but they are still inputs
        # without a document: a line each, as when they failed, and the run exits 1
        summary.errors_earlier = len(failed_before)
        if failed_before:
            start()
        for line in _earlier_failures(store, failed_before):
            print(line, file=err)
        todo_labels = {label_of[p] for p in todo}
        kept_docs = {e.get("doc_id") for lbl, e in files.items() if e.get("status") == "ok" and lbl not in todo_labels}
        pending: dict[str, list] = {}
        updates: dict[str, dict] = {}
        replace: set[str] = set()
        pending_docs = pending_bytes = 0

        # inputs that cannot be read: a row each; older such rows below these inputs go
        reported = set()
        for label, code, message in found.problems:
            reported.add(label)
            updates[label] = {"doc_id": None, "status": "error", "input": True, "at": _now_iso()}
            pending.setdefault("errors", []).append(ErrorRecord(source_path=label, error=code,
                                                                message=one_line(message), at=_now()))
            summary.errors += 1
            print(one_line(message), file=err)
        for label, e in files.items():
            if e.get("input") and label not in reported and label not in todo_labels and \
                    any(label == r or label.startswith(r.rstrip("/") + "/") for r in found.roots):
                replace.add(label)

        # one worker task per content: copies follow the first file holding it
        leaders: list[str] = []
        followers: dict[str, list[str]] = {}
        first_of: dict[str, str] = {}
        for p in todo:
            h = digest_of[p]
            if h is not None and h in first_of:
                followers[label_of[first_of[h]]].append(p)
                continue
            if h is not None:
                first_of[h] = p
            followers[label_of[p]] = []
            if not force and h is not None and h in kept_docs:
                continue  # already a document (found elsewhere): only a new source
            leaders.append(p)
        for h, p in first_of.items():
            if p not in leaders:
                for q in [p] + followers[label_of[p]]:
                    updates[label_of[q]] = {"doc_id": h, "status": "ok", "at": _now_iso()}
                    summary.duplicates += 1
                    if on_progress:
                        on_progress(q, None)

        workers = workers or os.cpu_count() or 1
        workers = max(1, min(workers, len(leaders)))

        def flush():
            nonlocal pending, updates, replace, pending_docs, pending_bytes
            start()
            if updates or replace or store.current is None:
                t = time.perf_counter()
                try:
                    store.commit(pending, updates, replace)
                except OSError as exc:
                    cur = store.current
                    kept = f"the previous output ({cur.name}) was kept" if cur else "nothing was written"
                    raise StoreError(f"{out}: could not write a new version of the output "
                                     f"({exc.strerror or exc}); {kept}; {len(updates)} file(s) of this "
                                     "batch were not saved and the next run processes them") from None
                summary.timings["write"] = summary.timings.get("write", 0.0) + time.perf_counter() - t
            pending, updates, replace = {}, {}, set()
            pending_docs = pending_bytes = 0

        def entry(label: str, res: Result, digest: str | None) -> tuple[dict, str]:
            """The manifest entry of ``label`` and a note for its error rows."""
            old = files.get(label)
            err_row = res.error
            if force and err_row is not None and err_row.error in RETRY_CODES and old \
                    and old.get("status") == "ok" and old.get("doc_id"):
                return {**old, "retry": True}, "; the previous result was kept"
            return {"doc_id": digest, "status": "ok" if res.ok else "error", "at": _now_iso()}, ""

        def accept(res: Result, digest: str | None) -> None:
            nonlocal pending_docs, pending_bytes
            label = res.source_path
            res.rows = _carried(res.rows)
            res.rows["errors"] = [e._replace(message=one_line(e.message)) for e in res.rows["errors"]]
            updates[label], note = entry(label, res, digest)
            if note:
                res.rows["errors"] = [e._replace(message=e.message + note) for e in res.rows["errors"]]
            for f in followers.get(label, ()):
                flabel = label_of[f]
                updates[flabel], fnote = entry(flabel, res, digest)
                if res.ok:
                    summary.duplicates += 1
                else:  # the same bytes fail the same way: a row for each file
                    rows = [_relabel(e, label, flabel) for e in res.rows["errors"]]
                    rows = [e._replace(message=e.message.removesuffix(note) + fnote) for e in rows]
                    res.rows["errors"].extend(rows)
                if on_progress:
                    on_progress(f, None)
            for table, rows in res.rows.items():
                if not rows:
                    continue
                if isinstance(rows, Columns):
                    if table not in pending:   # (not setdefault: an empty Columns per table per document)
                        pending[table] = Columns.empty(table)
                    pending[table].extend(rows)
                else:
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
                n_chars = res.rows["documents"].column("n_chars")[0]
                summary.documents += 1
                summary.chars += n_chars
                pending_bytes += n_chars * 3
                for key in ("tasks", "units", "dates", "targets"):
                    setattr(summary, key, getattr(summary, key) + len(res.rows[key]))
            for k, v in res.timings.items():
                summary.timings[k] = summary.timings.get(k, 0.0) + v
            pending_docs += 1
            if on_progress:
                on_progress(label, res)

        try:
            for res, digest in _results(leaders, workers, limits, engine, scheduler, start):
                accept(res, digest)
                if pending_docs >= batch_docs or pending_bytes >= batch_bytes:
                    flush()
        except BaseException:
            # what finished is kept (a worker that cannot start, Ctrl-C …)
            try:
                flush()
            except Exception:
                pass
            raise
        flush()
    summary.elapsed = time.perf_counter() - t0
    return summary
