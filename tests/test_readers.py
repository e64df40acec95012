"""Readers during a run (issue 20): a DuckDB reader globbing ``OUT/<table>/*.parquet``
(as the README's SQL does) while a run commits 10-document batches never sees a state
that no commit had, in a fresh run and in a ``--force`` run that rewrites every part
file; ``notices query``'s connection and the review site pin one version, so they never
fail for a version deleted under them. 200 files here, 1,000 under ``make stress``."""
from __future__ import annotations

import os
import subprocess
import sys
import time

import duckdb
import pyarrow.parquet as pq
import pytest

from pipeline.query import run_query
from pipeline.review import build_site
from pipeline.runner import run
from pipeline.store import Store
from tests.conftest import ROOT, SAMPLE_FILES

STRESS = os.environ.get("HYPOTHESIS_PROFILE") == "stress"
N = 1000 if STRESS else 100
BATCH = 10


def _vanished(exc: Exception) -> bool:
    text = str(exc)
    return any(s in text for s in ("No such file", "No files found", "Cannot open file", "does not exist"))


def _glob(out, table):
    sql = f"SELECT count(*), count(DISTINCT doc_id) FROM read_parquet('{out}/{table}/*.parquet')"
    return duckdb.connect().execute(sql).fetchall()[0]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    src = tmp_path_factory.mktemp("readers") / "in"
    src.mkdir()
    text = SAMPLE_FILES[1].read_text(encoding="utf-8")
    for i in range(N):
        (src / f"n{i:04d}.txt").write_text(text + f"\n（编号{i}）\n", encoding="utf-8")
    probe = src.parent / "probe"
    run([src / "n0000.txt", src / "n0001.txt"], probe, workers=1)
    k = len(Store(probe).read_table("tasks")) // 2
    return src, k


@pytest.mark.parametrize("force", [False, True], ids=["fresh", "force"])
def test_glob_readers_and_pinned_readers_see_only_committed_states(tmp_path, corpus, force):
    src, k = corpus
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "pipeline", "run", str(src), "--out", str(out), "--workers", "2",
           "--batch-docs", str(BATCH), "--quiet"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if force:  # one big part file per table, which every forced batch rewrites
        assert subprocess.run(cmd[:-3] + ["--quiet"], env=env, capture_output=True).returncode == 0
        cmd.append("--force")
    version_before = Store(out).manifest()["version"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seen, vanished, pinned, reviews = set(), 0, 0, 0
    while proc.poll() is None:
        try:
            n_docs, distinct = _glob(out, "documents")
            n_tasks, task_docs = _glob(out, "tasks")
        except duckdb.Error as exc:
            if not _vanished(exc):
                raise
            vanished += 1
            continue
        assert n_docs == distinct and n_tasks == k * task_docs, (n_docs, distinct, n_tasks, task_docs)
        for count in (n_docs, task_docs):
            assert count == N if force else count % BATCH == 0 or count == N, count
        seen.add(n_docs)
        if Store(out).current is not None:
            row = run_query(out, "SELECT (SELECT count(*) FROM documents) AS d, (SELECT count(*) FROM tasks) AS t"
                            ).to_pylist()[0]
            assert row["t"] == k * row["d"]
            pinned += 1
            if pinned % 10 == 0:
                build_site(out, tmp_path / "report")
                reviews += 1
    assert proc.wait() == 0, proc.stderr.read()
    assert _glob(out, "documents") == (N, N)
    # the run committed every batch on its own (N / BATCH states for the readers to meet);
    # how many of them the reads above met depends on the machine's load, so it is printed,
    # not asserted: a read that met a state no commit made has failed above
    assert Store(out).manifest()["version"] - version_before == N // BATCH
    print(f"glob reads {len(seen)} states, {vanished} vanished files, {pinned} queries, {reviews} reviews")


def test_a_file_listed_before_a_commit_holds_the_same_rows_after_it_or_is_gone(tmp_path):
    """The race a glob reader runs, made deterministic: list ``OUT/<table>/*.parquet``,
    let a commit replace documents, then open what was listed."""
    out = tmp_path / "out"
    run(SAMPLE_FILES, out, workers=1)  # one part file per table
    for table in ("documents", "tasks", "units", "sources"):
        listed = sorted((out / table).glob("*.parquet"))
        before = [pq.read_table(p).num_rows for p in listed]
        run(SAMPLE_FILES[:2], out, workers=1, force=True)  # rewrites what holds those two
        for path, n in zip(listed, before):
            try:
                assert pq.read_table(path).num_rows == n, (table, path.name)
            except FileNotFoundError:
                pass
