"""Kill `notices run` with SIGKILL at random points, reading the output all the while:
readers only ever see complete states (every table readable with pyarrow.dataset and
DuckDB through ``OUT/<table>``, the tables of one version consistent with each other),
and a rerun completes the batch with exactly the rows of a clean run (no duplicate, no
missing row; ``processed_at`` aside).

``NOTICES_KILL_LOOPS`` sets the number of kills (3 by default, 100 under ``make stress``).
"""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time

import duckdb
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from pipeline.records import TABLES
from pipeline.runner import run
from pipeline.store import Store
from tests.conftest import RAW_DIR, ROOT, SAMPLE_FILES, committed_rows

STRESS = os.environ.get("HYPOTHESIS_PROFILE") == "stress"
KILLS = int(os.environ.get("NOTICES_KILL_LOOPS", "100" if STRESS else "3"))
N_FILES = 120


def _corpus(folder, n):
    folder.mkdir()
    raws = [p.read_text(encoding="utf-8") for p in SAMPLE_FILES]
    for i in range(n):
        # distinct content per file, so every file is its own document
        (folder / f"n{i:03d}.txt").write_text(raws[i % len(raws)] + f"\n（编号{i}）\n", encoding="utf-8")


def _vanished(exc: Exception) -> bool:
    """A version pruned by a later commit while a reader was still on it: the reader
    retries; not a half-written file (which would fail to parse instead)."""
    if isinstance(exc, FileNotFoundError):
        return True
    text = str(exc)
    return any(s in text for s in ("No such file", "No files found", "Cannot open file", "does not exist"))


def _read_version(out) -> int | None:
    """Read one committed version as a reader would; returns its document count, or None
    when it was pruned under the reader. Fails on anything half-written or inconsistent."""
    cur = Store(out).current
    if cur is None:
        return 0
    try:
        tables = {}
        for table in TABLES:
            for part in sorted((cur / table).glob("*.parquet")):
                pq.ParquetFile(part).metadata  # a complete footer on every visible part file
            tables[table] = ds.dataset(cur / table, format="parquet").to_table().to_pylist()
        manifest = json.loads((cur / "manifest.json").read_text(encoding="utf-8"))
        con = duckdb.connect()  # and as a user queries it, through OUT/<table>
        for table in TABLES:
            if any((out / table).glob("*.parquet")):
                con.execute(f"SELECT count(*) FROM read_parquet('{out}/{table}/*.parquet')").fetchall()
    except Exception as exc:
        if _vanished(exc):
            return None
        raise
    ids = [d["doc_id"] for d in tables["documents"]]
    assert len(ids) == len(set(ids)), "duplicate documents"
    assert {t["doc_id"] for t in tables["tasks"]} <= set(ids), "tasks without their document"
    for table in ("units", "dates", "targets"):
        assert {r["doc_id"] for r in tables[table]} <= set(ids), f"{table} without their document"
    assert {v["doc_id"] for v in manifest["files"].values() if v["status"] == "ok"} == set(ids)
    return len(ids)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The input folder and the rows of one clean, uninterrupted run over it."""
    base = tmp_path_factory.mktemp("crash")
    src = base / "in"
    _corpus(src, N_FILES)
    clean = base / "clean"
    summary = run([src], clean, workers=1)
    assert summary.documents == N_FILES and summary.errors == 0
    return src, committed_rows(clean)


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(KILLS))
def test_sigkill_mid_batch_then_resume(tmp_path, corpus, seed):
    src, clean_rows = corpus
    rng = random.Random(seed)
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "pipeline", "run", str(src), "--out", str(out), "--workers", str(rng.choice([1, 2])),
           "--batch-docs", "3", "--quiet"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    kill_at = time.monotonic() + rng.uniform(1.0, 5.0)
    seen = []
    while time.monotonic() < kill_at and proc.poll() is None:
        n = _read_version(out)  # readers during the run: only complete, consistent states
        if n is not None:
            seen.append(n)
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert seen == sorted(seen)  # documents only ever appear, never vanish
    after_kill = _read_version(out)  # nothing writes now, so nothing can vanish
    assert after_kill is not None and after_kill >= (seen[-1] if seen else 0)
    # the same through the table folders a user queries
    for table in TABLES:
        if Store(out).current is not None:
            ds.dataset(out / table, format="parquet").to_table()
    res = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr
    assert res.stderr == ""
    assert _read_version(out) == N_FILES
    assert committed_rows(out) == clean_rows  # no duplicate and no missing row in any table
    assert not [p for p in (out / ".versions").iterdir() if p.name.startswith(".tmp")]
