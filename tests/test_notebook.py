"""The worked notebook runs top to bottom on the output of every notice in data/raw, with
the README's command (``jupyter execute … --output targets-executed``), which writes the
executed notebook beside the input for the user to open."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

from pipeline.runner import run
from tests.conftest import RAW_DIR, ROOT


def test_targets_notebook_executes_and_is_saved(tmp_path):
    out = tmp_path / "out"
    run([RAW_DIR], out, workers=1)
    books = tmp_path / "notebooks"
    books.mkdir()
    shutil.copy(ROOT / "notebooks" / "targets.ipynb", books)
    execute = Path(sys.executable).parent / "jupyter-execute"   # nbclient's `jupyter execute`
    env = {**os.environ, "NOTICES_OUT": str(out), "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([str(execute), "notebooks/targets.ipynb", "--output", "targets-executed"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    saved = books / "targets-executed.ipynb"
    assert saved.exists()
    assert nbformat.read(books / "targets.ipynb", as_version=4) == \
        nbformat.read(ROOT / "notebooks" / "targets.ipynb", as_version=4)   # the input is left alone
    nb = nbformat.read(saved, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    text = str(outputs)
    assert "job_fairs" in text and "deadlines" in text
    assert "period_ends" in text and "tasks led" in text and "各街镇总工会" in text  # units joined to tasks
    assert any("image/png" in o.get("data", {}) for o in outputs)  # deadlines per month as a plot
