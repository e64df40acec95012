"""The worked notebook runs top to bottom on the sample output (nbclient), no error."""
from __future__ import annotations

import os

import nbformat
from nbclient import NotebookClient

from pipeline.runner import run
from tests.conftest import ROOT, SAMPLE_FILES


def test_targets_notebook_executes(tmp_path):
    out = tmp_path / "out"
    run(SAMPLE_FILES, out, workers=1)
    nb = nbformat.read(ROOT / "notebooks" / "targets.ipynb", as_version=4)
    os.environ["NOTICES_OUT"] = str(out)
    try:
        NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    finally:
        os.environ.pop("NOTICES_OUT", None)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    text = str(outputs)
    assert "job_fairs" in text and "deadlines" in text
    assert "period_ends" in text and "tasks led" in text and "各街镇总工会" in text  # units joined to tasks
    assert any("image/png" in o.get("data", {}) for o in outputs)  # deadlines per month as a plot
