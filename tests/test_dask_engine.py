"""The Dask engine writes exactly the rows of the local engine (order and times aside)."""
from __future__ import annotations

from pipeline.records import TABLES
from pipeline.runner import run
from pipeline.store import Store
from tests.conftest import RAW_DIR


def _rows(out):
    snap = {}
    for table in TABLES:
        rows = Store(out).read_table(table).to_pylist()
        for r in rows:
            r.pop("processed_at", None)
            r.pop("at", None)
        snap[table] = sorted(map(repr, rows))
    return snap


def test_dask_local_cluster_output_equals_local_engine(tmp_path):
    local, dask_out = tmp_path / "local", tmp_path / "dask"
    run([RAW_DIR], local, workers=1)
    summary = run([RAW_DIR], dask_out, workers=2, engine="dask")
    assert summary.documents == 5
    assert _rows(dask_out) == _rows(local)
    again = run([RAW_DIR], dask_out, workers=2, engine="dask")
    assert again.skipped == 5
