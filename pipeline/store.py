"""Storage: rows -> Parquet datasets, committed atomically, incrementally, under a lock.

Layout of an output folder ``OUT``::

    OUT/documents -> .current/documents      (one symlink per table)
    OUT/.current  -> .versions/v000007       (the committed state)
    OUT/.versions/v000007/<table>/part-<batch>.parquet
    OUT/.versions/v000007/manifest.json      (source path -> content hash, status, batch)
    OUT/.lock

A batch is committed by building a new version folder (hard links to the previous
version's part files, the batch's new part files, files of replaced documents rewritten
without their old rows) and then swapping the ``.current`` symlink with one atomic
``rename``. Readers of ``OUT/<table>/`` therefore always see one complete state: a run
killed at any point leaves the previous version in place, and the next run cleans up
the unfinished folder. Schemas come from ``records.arrow_schema``; compression zstd.
"""
from __future__ import annotations

import fcntl
import json
import os
import shutil
import uuid
from contextlib import contextmanager
from operator import attrgetter
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .records import TABLES, arrow_schema

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


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_locks_in_child)


class StoreError(Exception):
    """The output folder cannot be used (locked, or not an output folder)."""


def _rows_to_table(table: str, rows: list) -> pa.Table:
    schema = arrow_schema(TABLES[table])
    cols = {name: list(map(attrgetter(name), rows)) for name in schema.names}
    return pa.Table.from_pydict(cols, schema=schema)


def _write_parquet(table: pa.Table, path: Path) -> None:
    tmp = path.with_name(path.name + ".tmp")
    pq.write_table(table, tmp, compression="zstd")
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, path)


class Store:
    """An output folder. Use ``with Store(out).locked():`` around writes."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    # -- reading -----------------------------------------------------------
    @property
    def current(self) -> Path | None:
        link = self.root / ".current"
        if link.is_symlink() or link.exists():
            target = link.resolve()
            if target.is_dir():
                return target
        return None

    def manifest(self) -> dict:
        cur = self.current
        if cur is None or not (cur / MANIFEST).exists():
            return {"files": {}, "version": 0}
        return json.loads((cur / MANIFEST).read_text(encoding="utf-8"))

    def read_table(self, table: str) -> pa.Table:
        """The committed rows of ``table`` (an empty table with the schema if none)."""
        schema = arrow_schema(TABLES[table])
        cur = self.current
        parts = sorted((cur / table).glob("*.parquet")) if cur else []
        if not parts:
            return schema.empty_table()
        return pa.concat_tables([pq.read_table(p, schema=schema) for p in parts])

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
            _HELD_LOCKS.add(fh.fileno())
            self._recover()
            yield self
        finally:
            _HELD_LOCKS.discard(fh.fileno())
            fh.close()

    def _recover(self) -> None:
        """Remove what a killed run left behind: unfinished versions, temp links."""
        versions = self.root / ".versions"
        cur = self.current
        if versions.exists():
            keep = {cur.name} if cur else set()
            for v in versions.iterdir():
                if v.name not in keep and (v.name.startswith(".tmp") or not (v / ".complete").exists()):
                    shutil.rmtree(v, ignore_errors=True)
        for stray in self.root.glob(".current.tmp*"):
            stray.unlink(missing_ok=True)
        self._ensure_table_links()

    def _ensure_table_links(self) -> None:
        for table in TABLES:
            link = self.root / table
            target = Path(".current") / table
            if link.is_symlink():
                if Path(os.readlink(link)) == target:
                    continue
                link.unlink()
            elif link.exists():
                if link.is_dir() and not any(link.iterdir()):
                    link.rmdir()
                else:
                    raise StoreError(f"{link}: exists and is not managed by notices; "
                                     "choose an empty output folder")
            os.symlink(target, link)

    # -- writing -----------------------------------------------------------
    def commit(self, rows: dict[str, list], manifest_updates: dict[str, dict],
               replace_paths: set[str] = frozenset()) -> Path:
        """Commit one batch atomically; rows of ``replace_paths`` (their documents and
        everything keyed by their doc ids) are removed from the previous state first."""
        old = self.current
        manifest = self.manifest()
        files = manifest.get("files", {})
        drop_docs = {files[p]["doc_id"] for p in replace_paths if p in files and files[p].get("doc_id")}
        drop_paths = set(replace_paths)
        version = int(manifest.get("version", 0)) + 1
        versions = self.root / ".versions"
        versions.mkdir(parents=True, exist_ok=True)
        tmp = versions / f".tmp-{uuid.uuid4().hex[:8]}"
        tmp.mkdir()
        batch = f"{version:06d}-{uuid.uuid4().hex[:6]}"
        for table in TABLES:
            (tmp / table).mkdir()
            if old is not None and (old / table).exists():
                for part in sorted((old / table).glob("*.parquet")):
                    self._carry_part(table, part, tmp / table / part.name, drop_docs, drop_paths)
            if rows.get(table):
                _write_parquet(_rows_to_table(table, rows[table]), tmp / table / f"part-{batch}.parquet")
        for path in replace_paths:
            files.pop(path, None)
        files.update(manifest_updates)
        new_manifest = {"version": version, "files": files}
        (tmp / MANIFEST).write_text(json.dumps(new_manifest, ensure_ascii=False, indent=1, sort_keys=True),
                                    encoding="utf-8")
        (tmp / ".complete").touch()
        final = versions / f"v{version:06d}"
        os.rename(tmp, final)
        link_tmp = self.root / f".current.tmp-{uuid.uuid4().hex[:8]}"
        os.symlink(Path(".versions") / final.name, link_tmp)
        os.replace(link_tmp, self.root / ".current")  # the commit point
        self._ensure_table_links()
        self._prune(keep={final.name} | ({old.name} if old else set()))
        return final

    def _carry_part(self, table: str, src: Path, dst: Path, drop_docs: set[str], drop_paths: set[str]) -> None:
        if drop_docs or drop_paths:
            t = pq.read_table(src)
            key, drop = ("source_path", drop_paths) if table == "errors" else ("doc_id", drop_docs)
            if drop and key in t.column_names:
                import pyarrow.compute as pc
                mask = pc.invert(pc.is_in(t[key], value_set=pa.array(sorted(drop), pa.string())))
                kept = t.filter(mask)
                if kept.num_rows != t.num_rows:
                    if kept.num_rows:
                        _write_parquet(kept, dst)
                    return
        os.link(src, dst)

    def _prune(self, keep: set[str]) -> None:
        for v in (self.root / ".versions").iterdir():
            if v.name not in keep:
                shutil.rmtree(v, ignore_errors=True)
