"""Renderings of the sample notices in other formats score within 0.02 of the text
versions on every field of the evaluation (issue 10's acceptance)."""
from __future__ import annotations

import pytest

from pipeline.evaluate import evaluate, rows_for_table
from pipeline.runner import run
from pipeline.store import Store
from tests.conftest import GOLD_DIR, SAMPLE_FILES
from tests.render_samples import RENDERERS, render


def _scores(folder, out) -> dict[str, float]:
    run(folder if isinstance(folder, list) else [folder], out, workers=1, err=open("/dev/null", "w"))
    rows = rows_for_table(evaluate(GOLD_DIR, Store(out)))
    return {name.strip(): float(score) for name, _, _, score, _ in rows if score not in ("", "-")}


@pytest.fixture(scope="module")
def text_scores(tmp_path_factory):
    return _scores(SAMPLE_FILES, tmp_path_factory.mktemp("txt") / "out")


@pytest.mark.parametrize("fmt", RENDERERS)
def test_rendering_scores_within_002_of_text(fmt, text_scores, tmp_path):
    render(fmt, tmp_path / fmt, SAMPLE_FILES)
    scores = _scores(tmp_path / fmt, tmp_path / "out")
    assert set(scores) == set(text_scores)
    worse = {k: (text_scores[k], v) for k, v in scores.items() if abs(v - text_scores[k]) > 0.02}
    assert not worse, worse
