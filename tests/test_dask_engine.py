"""The Dask engine writes exactly the rows of the local engine (order and times aside)."""
from __future__ import annotations

from pipeline.runner import run
from tests.conftest import SAMPLE_FILES, committed_rows


def test_dask_local_cluster_output_equals_local_engine(tmp_path):
    local, dask_out = tmp_path / "local", tmp_path / "dask"
    run(SAMPLE_FILES, local, workers=1)
    summary = run(SAMPLE_FILES, dask_out, workers=2, engine="dask")
    assert summary.documents == 5
    assert committed_rows(dask_out) == committed_rows(local)
    again = run(SAMPLE_FILES, dask_out, workers=2, engine="dask")
    assert again.skipped == 5
