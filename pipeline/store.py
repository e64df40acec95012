"""Storage: rows -> Parquet datasets, committed atomically, incrementally, under a lock.

Layout of an output folder ``OUT``::

    OUT/documents -> .current/documents      (one symlink per table)
    OUT/.current  -> .versions/v000007       (the committed state)
    OUT/.versions/v000007/<table>/part-<batch>.parquet
    OUT/.versions/v000007/manifest.json      (real path -> content hash, status)
    OUT/.versions/v000007/.complete          (written last; readers lock it to pin the version)
    OUT/.lock

Identity: a document is its content (``doc_id``, the hash of its bytes). The manifest is
keyed by each input's real path; each path holding a document is one row of ``sources``
(regenerated from the manifest at every commit), so a notice found in two places is one
document with two sources. A document's rows go only when no path refers to it any more
(or when it is processed again).

A batch is committed by building a new version folder (hard links to the previous
version's part files, the batch's new part files, files of replaced documents rewritten
*under a new name* without their old rows) and then swapping the ``.current`` symlink
with one atomic ``rename``. A part file name therefore always means the same rows, so a
reader that lists ``OUT/<table>/*.parquet`` and opens the files a moment later sees
either the rows of one commit or a missing file, never a mixture. Every table holds at
least one part file (zero rows when empty), so globs always find the schema.

Version numbers grow past every folder present, so a folder is never reused; a complete
version newer than ``.current`` (a run killed between renaming it into place and moving
``.current``) is adopted at the next lock. Retention keeps the current and previous
version and any version a reader has pinned (``Store.pinned``: a shared ``flock`` on its
``.complete``). Schemas come from ``records.arrow_schema``; compression zstd.

``NOTICES_FAULT_AT=N`` (tests) kills the process with SIGKILL just before the N-th file
operation (mkdir, rename, replace, symlink, link, unlink, rmtree) of the store.
"""
from __future__ import annotations

import errno
import fcntl
import json
import os
import re
import shutil
import signal
import sys
import uuid
from contextlib import contextmanager
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING

from .records import TABLES, Columns, arrow_schema

if TYPE_CHECKING:
    import pyarrow as pa
    import pyarrow.parquet as pq

# pyarrow is imported by the functions that read or write Arrow data, not with this module:
# the ``run`` command imports it through ``skip_pandas`` (without numpy, see there)

MANIFEST = "manifest.json"


_HELD_LOCKS: set[int] = set()


def _forget_locks_in_child() -> None:
    # A process forked while the lock is held (a worker) shares the lock's open file; it
    # closes its copy so that the lock ends with the run that took it, even when that run
    # is killed while its workers are still busy.
    for fd in _HELD_LOCKS:
        try:
            os.close(fd)
        except OSError:
            pass
    _HELD_LOCKS.clear()


def _hold_lock(fd: int) -> None:
    """Note ``fd`` as a held lock; the first time, ask every later fork to close the held
    locks in the child (registered here, where it is needed, not when ``store`` is imported:
    a program that imports the store and never takes its lock forks untouched)."""
    if not _FORK_HOOK["registered"] and hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=_forget_locks_in_child)
        _FORK_HOOK["registered"] = True
    _HELD_LOCKS.add(fd)


_FORK_HOOK = {"registered": False}


_FAULT = {"at": int(os.environ.get("NOTICES_FAULT_AT") or 0), "n": 0}


def _fs(fn, *args, **kwargs):
    """Every file operation of the store goes through here (the fault hook counts them)."""
    _FAULT["n"] += 1
    if _FAULT["n"] == _FAULT["at"]:
        os.kill(os.getpid(), signal.SIGKILL)
    return fn(*args, **kwargs)


class StoreError(Exception):
    """The output folder cannot be used (locked, or not an output folder)."""


class NoOutputError(FileNotFoundError):
    """The folder holds no committed output (the one wording of that message)."""

    def __init__(self, out) -> None:
        super().__init__(f"{out}: no output here; run `notices run` first")


def _rows_to_table(table: str, rows) -> pa.Table:
    """The rows of a batch as one Arrow table: row objects (models or named tuples),
    ``records.Columns``, or an Arrow table with the table's schema (``source_table``)."""
    import pyarrow as pa

    if isinstance(rows, pa.Table):
        return rows
    if isinstance(rows, Columns):
        return rows.to_arrow()
    schema = arrow_schema(TABLES[table])
    cols = {name: list(map(attrgetter(name), rows)) for name in schema.names}
    return pa.Table.from_pydict(cols, schema=schema)


def warm_up_writer() -> None:
    """Load what the first commit would: pyarrow imports pandas (~0.4 s) the first time it
    converts Python values, to ask whether they are pandas objects (unless ``skip_pandas``
    has settled that already). The runner calls this while its workers start, so that the
    time is not spent after the last notice."""
    import pyarrow as pa
    import pyarrow.parquet  # noqa: F401  (what the commit writes with)

    pa.array([], pa.string())


def skip_pandas(without_numpy: bool = False) -> None:
    """Have pyarrow convert Python values without importing pandas (~0.3 s CPU, a quarter
    of the command's start): the first conversion, which asks whether pandas is installed,
    is made while ``import pandas`` fails, so pyarrow notes "no pandas" for its checks of
    whether a value is a pandas object (ours never are: lists of str, int, date ...), in
    Python and, on a conversion that infers a type (here of ``[True]``; ``import
    pyarrow.dataset`` makes one), in C++; the arrays it builds are the same. What needs
    pandas itself (``to_pandas``, ``from_pandas``) still imports it when called. For the
    ``run`` command only, whose process holds no pandas objects: a library user's process
    may (``pa.table(df)`` would then be refused). Does nothing when pandas is imported
    already.

    ``without_numpy``: when nothing has imported pyarrow or numpy yet, pyarrow is imported
    here while ``import numpy`` fails too (numpy's import is ~0.1 s CPU, ~320 M
    instructions, a tenth of the command's start): pyarrow then works without numpy, as
    it does where numpy is not installed, and converts Python values as it would with it;
    what needs numpy (``to_numpy``, ``to_pandas``, numpy arrays as input) is not available
    to pyarrow in this process, whatever imports numpy later (the OCR reader in a worker
    may)."""
    if "pandas" in sys.modules:
        return
    refused = _Refused({"pandas"})
    if without_numpy and "pyarrow" not in sys.modules and "numpy" not in sys.modules:
        refused = _Refused({"pandas", "numpy"})
    sys.meta_path.insert(0, refused)
    try:
        import pyarrow as pa
        import pyarrow._compute  # noqa: F401  (as pyarrow itself, it imports numpy if it can)
        import pyarrow.parquet  # noqa: F401

        pa.array([True])
    finally:
        sys.meta_path.remove(refused)


class _Refused:
    """An import finder under which importing the packages ``names`` fails (``skip_pandas``)."""

    def __init__(self, names: set[str]):
        self.names = names

    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in self.names:
            raise ModuleNotFoundError(f"{name} is not imported by `notices run`", name=name)
        return None


def _write_parquet(table: pa.Table, path: Path) -> None:
    import pyarrow.parquet as pq

    tmp = path.with_name(path.name + ".tmp")
    pq.write_table(table, tmp, compression="zstd")
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    _fs(os.replace, tmp, path)


_VERSION = re.compile(r"v(\d{6,})")


def _version_number(path: Path) -> int:
    m = _VERSION.fullmatch(path.name)
    return int(m.group(1)) if m else -1


def _remove_tree(path: Path) -> None:
    """Delete a folder so that it is never seen half-deleted under its own name."""
    gone = path.with_name(f".tmp-gone-{uuid.uuid4().hex[:8]}")
    try:
        _fs(os.rename, path, gone)
    except OSError:
        return
    _fs(shutil.rmtree, gone, ignore_errors=True)


def source_rows(files: dict) -> list:
    """The ``sources`` rows of a manifest: one per path holding a document."""
    from .records import Source

    return [Source(doc_id=e["doc_id"], source_path=path)
            for path, e in sorted(files.items()) if e.get("status") == "ok" and e.get("doc_id")]


def _held(files: dict) -> list[tuple[str, str]]:
    """``(path, doc_id)`` of every path of a manifest holding a document, sorted by path."""
    return [(path, e["doc_id"]) for path, e in sorted(files.items()) if e.get("status") == "ok" and e.get("doc_id")]


def source_table(files: dict, held: list[tuple[str, str]] | None = None) -> pa.Table:
    """``source_rows`` as an Arrow table, built from the manifest's strings directly (every
    commit writes the whole table: no model per path; the schema's cast checks the types);
    ``held``: ``_held(files)`` when the caller has it already."""
    import pyarrow as pa

    held = _held(files) if held is None else held
    return pa.Table.from_pydict({"doc_id": [d for _, d in held], "source_path": [p for p, _ in held]},
                                schema=arrow_schema(TABLES["sources"]))


def _doc_ids(rows) -> set:
    """The doc ids of a batch's ``documents`` rows."""
    if isinstance(rows, Columns):
        return set(rows.column("doc_id"))
    return {d.doc_id for d in rows or ()}


def _has_rows(rows) -> bool:
    if rows is None:
        return False
    import pyarrow as pa

    if isinstance(rows, pa.Table):
        return rows.num_rows > 0
    return bool(rows)


def _touches(pf: "pq.ParquetFile", key: str, drop: set[str], moved: dict[str, str]) -> bool:
    """Does the part file hold a row keyed in ``drop`` or of a document in ``moved``? Only
    those columns are read (a part that does not is carried by a link, unread: a batch of
    new documents does not read every earlier part in full)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    names = set(pf.schema_arrow.names)
    cols = [c for c in {key if drop else None, "doc_id" if moved else None} if c and c in names]
    if not cols:
        return False
    t = pf.read(columns=cols)
    if drop and key in names and pc.any(pc.is_in(t[key], value_set=pa.array(sorted(drop), pa.string()))).as_py():
        return True
    return bool(moved) and "doc_id" in names and \
        bool(pc.any(pc.is_in(t["doc_id"], value_set=pa.array(sorted(moved), pa.string()))).as_py())


class Store:
    """An output folder. Use ``with Store(out).locked():`` around writes and
    ``with Store(out).pinned() as snap:`` around reads that must see one version."""

    def __init__(self, root: str | Path, version: Path | None = None):
        self.root = Path(root)
        self._pinned = version
        self._written: tuple[Path, dict] | None = None   # the last version this object committed, its manifest

    # -- reading -----------------------------------------------------------
    @property
    def current(self) -> Path | None:
        if self._pinned is not None:
            return self._pinned
        link = self.root / ".current"
        if link.is_symlink() or link.exists():
            target = link.resolve()
            if target.is_dir():
                return target
        return None

    def manifest(self) -> dict:
        cur = self.current
        if self._written is not None and self._written[0] == cur:   # not read back after our own commit
            written = self._written[1]
            return {**written, "files": dict(written["files"])}
        if cur is None or not (cur / MANIFEST).exists():
            return {"files": {}, "version": 0}
        return json.loads((cur / MANIFEST).read_text(encoding="utf-8"))

    def read_table(self, table: str) -> pa.Table:
        """The committed rows of ``table`` (an empty table with the schema if none)."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema = arrow_schema(TABLES[table])
        cur = self.current
        parts = sorted((cur / table).glob("*.parquet")) if cur else []
        if not parts:
            return schema.empty_table()
        return pa.concat_tables([pq.read_table(p, schema=schema) for p in parts])

    def pin(self) -> "Pin | None":
        """Hold the current version for a reader (None when there is none): retention
        does not delete it until ``Pin.close()``."""
        for _ in range(100):
            cur = self.current
            if cur is None:
                return None
            try:
                fh = open(cur / ".complete", "rb")
            except FileNotFoundError:
                continue  # pruned between resolving and opening: resolve again
            fcntl.flock(fh, fcntl.LOCK_SH)
            try:
                same = os.stat(cur / ".complete").st_ino == os.fstat(fh.fileno()).st_ino
            except FileNotFoundError:
                same = False
            if same:
                return Pin(self.root, cur, fh)
            fh.close()
        raise StoreError(f"{self.root}: the output changed 100 times while a reader tried to open it")

    @contextmanager
    def pinned(self):
        """A ``Store`` fixed on the current version, kept on disk while the block runs."""
        pin = self.pin()
        try:
            yield Store(self.root, pin.version) if pin else self
        finally:
            if pin:
                pin.close()

    # -- locking -----------------------------------------------------------
    @contextmanager
    def locked(self, wait: bool = False):
        self.root.mkdir(parents=True, exist_ok=True)
        fh = open(self.root / ".lock", "a+")
        try:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
            except BlockingIOError:
                raise StoreError(f"{self.root}: another `notices run` is writing to this output folder "
                                 "(lock file .lock is held); wait for it to finish or use --wait") from None
            _hold_lock(fh.fileno())
            self._recover()
            yield self
        finally:
            _HELD_LOCKS.discard(fh.fileno())
            fh.close()

    def _versions(self) -> list[Path]:
        versions = self.root / ".versions"
        return sorted((v for v in versions.iterdir() if _version_number(v) >= 0), key=_version_number) \
            if versions.exists() else []

    def _recover(self) -> None:
        """Finish or undo what a killed run left behind: a complete version newer than
        ``.current`` is adopted (it was renamed into place, ``.current`` not yet moved);
        unfinished folders and temporary links are removed."""
        versions = self.root / ".versions"
        if versions.exists():
            for v in versions.iterdir():
                if v.name.startswith(".tmp") or (_version_number(v) >= 0 and not (v / ".complete").exists()):
                    _fs(shutil.rmtree, v, ignore_errors=True)
        for stray in self.root.glob(".current.tmp*"):
            _fs(stray.unlink, missing_ok=True)
        cur = self.current
        newest = self._versions()[-1] if self._versions() else None
        if newest is not None and (cur is None or _version_number(newest) > _version_number(cur)):
            self._point_current_at(newest)
            cur = newest
        self._ensure_table_links()
        if cur is not None:
            self._prune(keep={cur.name})

    def _point_current_at(self, version: Path) -> None:
        link_tmp = self.root / f".current.tmp-{uuid.uuid4().hex[:8]}"
        _fs(os.symlink, Path(".versions") / version.name, link_tmp)
        _fs(os.replace, link_tmp, self.root / ".current")

    def _ensure_table_links(self) -> None:
        for table in TABLES:
            link = self.root / table
            target = Path(".current") / table
            if link.is_symlink():
                if Path(os.readlink(link)) == target:
                    continue
                _fs(link.unlink)
            elif link.exists():
                if link.is_dir() and not any(link.iterdir()):
                    _fs(link.rmdir)
                else:
                    raise StoreError(f"{link}: exists and is not managed by notices; "
                                     "choose an empty output folder")
            _fs(os.symlink, target, link)

    # -- writing -----------------------------------------------------------
    def commit(self, rows: dict[str, list], manifest_updates: dict[str, dict],
               replace_paths: set[str] = frozenset()) -> Path:
        """Commit one batch atomically. ``manifest_updates`` (path -> entry) and
        ``replace_paths`` (paths dropped from the manifest) replace those paths' error
        rows; a document's rows are removed when it is in ``rows`` again (processed anew)
        or when no path of the new manifest holds it any more."""
        old = self.current
        manifest = self.manifest()
        files = manifest.get("files", {})
        old_files = dict(files)
        held_before = {e.get("doc_id") for e in files.values() if e.get("status") == "ok"}
        for path in replace_paths:
            files.pop(path, None)
        files.update(manifest_updates)
        held_after = {e.get("doc_id") for e in files.values() if e.get("status") == "ok"}
        drop_docs = (held_before - held_after) | _doc_ids(rows.get("documents"))
        drop_docs.discard(None)
        drop_paths = set(replace_paths) | set(manifest_updates)
        # the part files hold rows only of documents the old manifest holds and error rows
        # only of paths it names: a batch of new documents and new paths reads no part
        in_parts_docs, in_parts_paths = drop_docs & held_before, drop_paths & set(old_files)
        held = _held(files)
        rows = {**rows, "sources": source_table(files, held)}
        # a document kept for its other sources while the path it was read from changed:
        # its row names one of the paths that still hold it
        sources_of: dict[str, list[str]] = {}
        for path, doc in held:
            sources_of.setdefault(doc, []).append(path)
        moved = {}
        for path in drop_paths:
            before = old_files.get(path)
            doc = before.get("doc_id") if before and before.get("status") == "ok" else None
            if doc and doc in sources_of and path not in sources_of[doc]:
                moved[doc] = sources_of[doc][0]
        # never reuse a folder: past the manifest's number and every folder present
        version = max([int(manifest.get("version", 0))] + [_version_number(v) for v in self._versions()]) + 1
        versions = self.root / ".versions"
        if not versions.exists():
            _fs(versions.mkdir, parents=True, exist_ok=True)
        tmp = versions / f".tmp-{uuid.uuid4().hex[:8]}"
        final = versions / f"v{version:06d}"
        try:
            _fs(tmp.mkdir)
            batch = f"{version:06d}-{uuid.uuid4().hex[:6]}"
            for table in TABLES:
                _fs((tmp / table).mkdir)
                if old is not None and (old / table).exists() and table != "sources":
                    for part in sorted((old / table).glob("*.parquet")):
                        self._carry_part(table, part, tmp / table, batch, in_parts_docs, in_parts_paths,
                                         moved if table == "documents" else {})
                if _has_rows(rows.get(table)):
                    _write_parquet(_rows_to_table(table, rows[table]), tmp / table / f"part-{batch}.parquet")
                if not any((tmp / table).glob("*.parquet")):  # an empty table is a zero-row file
                    _write_parquet(arrow_schema(TABLES[table]).empty_table(), tmp / table / f"part-{batch}.parquet")
            new_manifest = {"version": version, "files": files}
            # one line: json's C encoder (with an indent it encodes in Python, ~20x slower, and
            # every commit writes every file's entry)
            (tmp / MANIFEST).write_text(json.dumps(new_manifest, ensure_ascii=False, sort_keys=True),
                                        encoding="utf-8")
            (tmp / ".complete").touch()
            _fs(os.rename, tmp, final)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        self._point_current_at(final)  # the commit point
        self._written = (final.resolve(), new_manifest)
        self._ensure_table_links()
        self._prune(keep={final.name} | ({old.name} if old else set()))
        return final

    def _carry_part(self, table: str, src: Path, folder: Path, batch: str,
                    drop_docs: set[str], drop_paths: set[str], moved: dict[str, str]) -> None:
        """Hard-link a part file into the new version, or write what is left of it (rows
        dropped, documents' source paths moved) under a new name, never the old one."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        pf = pq.ParquetFile(src)
        if pf.metadata.num_rows == 0:
            return  # a placeholder of an empty table; written again if still needed
        key, drop = ("source_path", drop_paths) if table == "errors" else ("doc_id", drop_docs)
        if (drop or moved) and _touches(pf, key, drop, moved):
            import pyarrow.compute as pc
            t = pq.read_table(src)
            kept = t
            if drop and key in t.column_names:
                kept = t.filter(pc.invert(pc.is_in(t[key], value_set=pa.array(sorted(drop), pa.string()))))
            if moved and kept.num_rows and pc.any(pc.is_in(kept["doc_id"], value_set=pa.array(sorted(moved)))).as_py():
                paths = [moved.get(d, p) for d, p in zip(kept["doc_id"].to_pylist(), kept["source_path"].to_pylist())]
                i = kept.schema.get_field_index("source_path")
                kept = kept.set_column(i, kept.schema.field(i), pa.array(paths, pa.string()))
            elif kept.num_rows == t.num_rows:
                kept = None
            if kept is not None:
                if kept.num_rows:
                    stem = src.stem.split("~", 1)[0]
                    _write_parquet(kept, folder / f"{stem}~{batch}.parquet")
                return
        _fs(os.link, src, folder / src.name)

    def _prune(self, keep: set[str]) -> None:
        """Delete the versions not in ``keep``, except those a reader has pinned."""
        for v in self._versions():
            if v.name in keep:
                continue
            try:
                fh = open(v / ".complete", "rb")
            except FileNotFoundError:
                _remove_tree(v)
                continue
            try:
                try:
                    fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    continue  # a reader holds it; a later commit deletes it
                _remove_tree(v)
            finally:
                fh.close()


class Pin:
    """A version held for a reader (``Store.pin``)."""

    def __init__(self, root: Path, version: Path, fh):
        self.root, self.version, self._fh = root, version, fh

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
