"""A pool of worker processes that bounds each file's time and memory.

``bounded_map(work, items, workers, limits, init)`` runs ``work(item, limits)`` for every
item in ``workers`` processes, one item at a time per process, and yields
``(item, value)`` pairs in completion order. Unlike ``ProcessPoolExecutor`` it always
knows which item a worker is running, so a worker that hangs or dies costs exactly
that item:

- memory: the bound is ``limits.max_memory_mb`` of address space above a worker's
  footprint once ``init`` has loaded what it needs. The pool looks at each busy worker's
  size every ``WATCH_S`` seconds and kills one above the bound; a worker whose peak size
  went above it between looks reports its item as failed instead of returning a value
  (code under ``work`` may have caught a ``MemoryError`` and returned less); and
  ``RLIMIT_AS`` at twice the bound stops allocations too fast to be seen;
- time: ``work`` is expected to bound itself (``deadline`` below raises ``FileTimeout``
  after ``limits.timeout_s``); a worker stuck where no Python signal handler can run
  (in C code) is killed after a grace period and the item yields
  ``on_failure(item, "timeout", detail)``;
- a worker that exits while running an item (a crash, an abort in native code, the
  kernel's OOM killer) yields ``on_failure(item, "crashed" or "memory", detail)`` for that
  item (``memory`` when what it printed last says an allocation failed; what a worker
  prints goes to a log the pool reads, not to the user's terminal);
- a worker that dies before it is ready is replaced; ``START_TRIES`` such deaths in a
  row stop the run (``RuntimeError``), the results so far having been yielded;
- a worker retires after any item whose value ``retire(value)`` flags (a timeout or
  memory error may leave it in a bad state); in all cases a fresh worker takes its place.
"""
from __future__ import annotations

import faulthandler
import multiprocessing as mp
import os
import re
import signal
import tempfile
import threading
import time
from collections import deque
from contextlib import contextmanager
from multiprocessing.connection import wait
from typing import Any, Callable, Iterable, Iterator

from .config import Limits


WATCH_S = 0.1
PREFETCH = 2   # items a worker holds: the one it runs and the next
START_TRIES = 3  # workers in a row that may die before they are ready before the run gives up


class FileTimeout(BaseException):
    """Raised in a worker when one file's time is up. A BaseException, so that the
    ``except Exception`` error boundaries inside the pipeline let it through."""


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Raise ``FileTimeout`` in the enclosed block after ``seconds`` (SIGALRM; a no-op
    outside the main thread or where there is no ``setitimer``)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def on_alarm(signum, frame):
        raise FileTimeout()

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def grace_s(limits: Limits) -> float:
    """How long past ``timeout_s`` a worker may take before it is killed."""
    return min(max(1.0, limits.timeout_s * 0.5), 10.0)


def _address_space(pid: int | str = "self") -> int | None:
    """The virtual memory size of a process in bytes (Linux /proc; None elsewhere)."""
    try:
        with open(f"/proc/{pid}/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def _peak_address_space() -> int | None:
    """The largest virtual memory size this process has had, in bytes (Linux)."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmPeak:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def limit_memory(extra_mb: int) -> int | None:
    """Cap this process's address space at its current size plus twice ``extra_mb`` MiB,
    a backstop against allocations too fast for the pool's watch; returns the size the
    bound counts from (None where it cannot be measured, and nothing is capped)."""
    import resource

    size = _address_space()
    if size is None:
        return None
    base = max(size, _peak_address_space() or 0)
    cap = base + 2 * extra_mb * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    try:
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    except (ValueError, OSError):  # pragma: no cover - platform without RLIMIT_AS
        pass
    return base


_OUT_OF_MEMORY = re.compile(r"memory allocation of \d+ bytes failed|MemoryError|Cannot allocate memory|bad_alloc")


def _die_with_parent(parent: int) -> None:
    """Linux: have the kernel kill this worker when the process that started it dies."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        return
    if os.getppid() != parent:  # it died before the request took effect
        os._exit(1)


_HEADLINE = re.compile(r"^(Fatal Python error|thread .* panicked at|Segmentation fault|terminate called)")


def _worker_main(conn, work, limits: Limits, init, retire, log_fd: int | None, parent: int) -> None:
    _die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    if log_fd is not None:  # what native code prints when it dies goes to the parent, not the user
        os.dup2(log_fd, 2)
        if faulthandler.is_enabled():  # it writes to a copy of the old stderr: point it at the log
            faulthandler.enable(file=2)
    if init is not None:
        init()
    base = limit_memory(limits.max_memory_mb)
    conn.send(("ready", base))
    bound = limits.max_memory_mb * 1024 * 1024
    while True:
        try:
            item = conn.recv()
        except EOFError:
            return
        if item is None:
            return
        try:
            value = work(item, limits)
        except MemoryError:
            conn.send(("failed", ("memory", "")))
            return
        except BaseException as exc:  # work() should not raise; if it does, this item failed
            conn.send(("failed", ("crashed", f"{type(exc).__name__}: {exc}")))
            return
        peak = _peak_address_space()
        if base is not None and peak is not None and peak - base > bound:
            # above the bound at some point (between the pool's looks, or with a MemoryError
            # that code under ``work`` caught): the value may be incomplete
            conn.send(("failed", ("memory", "")))
            return
        try:
            conn.send(("done", value))
        except MemoryError:  # too little left to pickle the result
            del value
            conn.send(("failed", ("memory", "")))
            return
        if retire(value):
            return


class _Worker:
    def __init__(self, ctx, work, limits, init, retire):
        self.log = tempfile.TemporaryFile() if ctx.get_start_method() == "fork" else None
        self.conn, child = ctx.Pipe()
        args = (child, work, limits, init, retire, self.log.fileno() if self.log else None, os.getpid())
        self.proc = ctx.Process(target=_worker_main, args=args, daemon=True)
        self.proc.start()
        child.close()
        self.ready = False
        self.base: int | None = None
        self.items: deque = deque()   # sent and not yet answered: the first is running
        self.started = 0.0            # when the running item started

    @property
    def busy(self) -> bool:
        return bool(self.items)

    @property
    def item(self) -> Any:
        return self.items[0] if self.items else None

    def give(self, item) -> bool:
        try:
            self.conn.send(item)
        except (OSError, ValueError):  # it died while idle: the next pass removes it
            return False
        if not self.items:
            self.started = time.monotonic()
        self.items.append(item)
        return True

    def finished(self) -> Any:
        """The running item is answered: the next one sent (if any) runs from now."""
        item = self.items.popleft()
        self.started = time.monotonic()
        return item

    def unsent(self) -> list:
        """The items sent after the running one, which a worker that stops never reads."""
        rest = list(self.items)[1:]
        while len(self.items) > 1:
            self.items.pop()
        return rest

    def death(self) -> tuple[str, str]:
        """Why the process ended: ``("memory"|"crashed", detail)`` from its exit status
        and the last thing it printed."""
        code = self.proc.exitcode
        if code is not None and code < 0:
            try:
                how = f"killed by {signal.Signals(-code).name}"
            except ValueError:
                how = f"killed by signal {-code}"
        else:
            how = f"exit code {code}"
        said = ""
        if self.log is not None:
            self.log.seek(0, os.SEEK_END)
            self.log.seek(max(0, self.log.tell() - 8192))
            lines = [ln.strip() for ln in self.log.read().decode("utf-8", "replace").splitlines() if ln.strip()]
            hits = [ln for ln in lines if _OUT_OF_MEMORY.search(ln)]
            if hits:
                return "memory", f"{how}: {hits[-1][:200]}"
            heads = [ln for ln in lines if _HEADLINE.search(ln)]
            said = f": {heads[0][:200]}" if heads else ""
        if code == -signal.SIGKILL:
            return "crashed", f"{how}, possibly for lack of memory"
        return "crashed", how + said

    def stop(self, kill: bool = False) -> None:
        if self.proc.is_alive():
            if kill:
                self.proc.kill()
            else:
                try:
                    self.conn.send(None)
                except (OSError, ValueError):
                    pass
        self.proc.join(0.5 if not kill else 5)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join(5)
        self.close()

    def close(self) -> None:
        self.conn.close()
        if self.log is not None:
            self.log.close()


def _context():
    # fork: workers start fast and inherit what the parent loaded (and, in tests, its patches)
    return mp.get_context("fork" if forks() else "spawn")


def forks() -> bool:
    """Do the workers start by ``fork`` here (and so inherit what this process loaded)?"""
    return "fork" in mp.get_all_start_methods()


def bounded_map(work: Callable[[Any, Limits], Any], items: Iterable[Any], workers: int, limits: Limits, *,
                init: Callable[[], None] | None = None,
                retire: Callable[[Any], bool] = lambda value: False,
                on_failure: Callable[[Any, str, str], Any],
                on_start: Callable[[], None] | None = None) -> Iterator[tuple[Any, Any]]:
    """Yield ``(item, work(item, limits))`` for every item, in completion order, from
    ``workers`` processes. An item whose worker failed yields
    ``(item, on_failure(item, kind, detail))`` with ``kind`` one of ``timeout`` (killed
    after ``timeout_s`` plus a grace period), ``memory`` (ran out of its memory bound) or
    ``crashed`` (the process died; ``detail`` says how). ``on_start()`` runs once, in this
    process, when the first workers have been started (while they run ``init``)."""
    ctx = _context()
    queue = deque(items)
    pool: list[_Worker] = []
    hard_timeout = limits.timeout_s + grace_s(limits)
    bound = limits.max_memory_mb * 1024 * 1024
    failed_starts = 0
    try:
        while queue or any(w.busy for w in pool):
            while len(pool) < workers and len(pool) < len(queue) + sum(w.busy for w in pool):
                pool.append(_Worker(ctx, work, limits, init, retire))
            if on_start is not None:
                on_start()
                on_start = None
            for w in pool:
                # one item ahead: the worker starts the next file while this process
                # handles (and writes) the results of the last one
                while w.ready and len(w.items) < PREFETCH and queue:
                    item = queue.popleft()
                    if not w.give(item):
                        queue.appendleft(item)
                        break
            now = time.monotonic()
            timeout = min((w.started + hard_timeout - now for w in pool if w.busy), default=None)
            if timeout is not None:
                timeout = min(timeout, WATCH_S)  # look at the busy workers' memory this often
            wait([w.conn for w in pool] + [w.proc.sentinel for w in pool],
                 None if timeout is None else max(0.0, timeout))
            for w in list(pool):
                if w.conn.poll():
                    try:
                        kind, value = w.conn.recv()
                    except (EOFError, OSError):
                        kind, value = "dead", None
                    if kind == "ready":
                        w.ready, w.base = True, value
                        failed_starts = 0
                        continue
                    if kind in ("done", "failed"):
                        if kind == "failed" or retire(value):  # it exits by itself; a fresh one takes its place
                            queue.extendleft(reversed(w.unsent()))
                            item = w.finished()
                            w.stop()
                            pool.remove(w)
                        else:
                            item = w.finished()
                        yield item, (value if kind == "done" else on_failure(item, *value))
                        continue
                if not w.proc.is_alive():
                    w.proc.join()
                    pool.remove(w)
                    try:
                        if w.busy:
                            queue.extendleft(reversed(w.unsent()))
                            yield w.item, on_failure(w.item, *w.death())
                        elif not w.ready:  # died while starting: another takes its place, a few times
                            failed_starts += 1
                            if failed_starts >= START_TRIES:
                                raise RuntimeError(f"{START_TRIES} worker processes in a row could not start "
                                                   f"(the last: {w.death()[1]})")
                    finally:
                        w.close()
                elif w.busy and time.monotonic() - w.started > hard_timeout:
                    queue.extendleft(reversed(w.unsent()))
                    w.stop(kill=True)
                    pool.remove(w)
                    yield w.item, on_failure(w.item, "timeout", f"killed after {hard_timeout:g} s")
                elif w.busy and w.base is not None and (_address_space(w.proc.pid) or 0) - w.base > bound:
                    queue.extendleft(reversed(w.unsent()))
                    w.stop(kill=True)
                    pool.remove(w)
                    yield w.item, on_failure(w.item, "memory", f"above {limits.max_memory_mb} MiB")
    finally:
        for w in pool:
            w.stop(kill=w.busy)
