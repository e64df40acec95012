"""Metadata spec corpus (tests/specs/metadata.jsonl): document heads and tails with the
expected header elements; negatives must give null, never a guess. Each case names only the
fields it pins; the text goes through clean and outline as in the pipeline."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from pipeline.clean import clean
from pipeline.structure.metadata import parse_metadata
from pipeline.structure.outline import parse_outline
from tests.conftest import SPECS_DIR

CASES = [json.loads(line) for line in (SPECS_DIR / "metadata.jsonl").read_text(encoding="utf-8").splitlines()
         if line.strip()]


def _params():
    for c in CASES:
        marks = [pytest.mark.xfail(strict=True, reason=c["xfail"])] if c.get("xfail") else []
        yield pytest.param(c, id=c["name"], marks=marks)


def test_corpus_size_and_names():
    assert len(CASES) >= 100
    assert len({c["name"] for c in CASES}) == len(CASES)
    assert sum(c["name"].startswith("negative:") for c in CASES) >= 10


@pytest.mark.parametrize("case", list(_params()))
def test_metadata_spec(case):
    text = clean(case["input"]).text
    out = parse_outline(text)
    first = out.tasks[0].label_start if out.has_structure and out.tasks else None
    meta = parse_metadata(text, first)
    got = {}
    for field in case["expected"]:
        v = getattr(meta, field)
        got[field] = v.isoformat() if isinstance(v, dt.date) else v
    assert got == case["expected"]
