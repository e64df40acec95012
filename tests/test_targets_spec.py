"""The quantity spec corpus (tests/specs/targets.jsonl), one parametrised runner."""
from __future__ import annotations

import json

import pytest

from pipeline import parse_quantities
from tests.conftest import SPECS_DIR

CASES = [json.loads(line) for line in (SPECS_DIR / "targets.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
FIELDS = ("text", "value", "value_max", "unit", "comparator", "kind", "char_start", "char_end")


def _params():
    out = []
    for c in CASES:
        marks = [pytest.mark.xfail(strict=True, reason=c["xfail"])] if c.get("xfail") else []
        out.append(pytest.param(c, id=c["input"][:24], marks=marks))
    return out


@pytest.mark.parametrize("case", _params())
def test_target_spec(case):
    got = parse_quantities(case["input"], doc_type=case["context"].get("doc_type"))
    got = [{f: getattr(q, f) for f in FIELDS} for q in got]
    expected = [{f: e[f] for f in FIELDS} for e in case["expected"]]
    assert got == expected


def test_spec_corpus_is_large_enough():
    assert len(CASES) >= 150
    assert sum(1 for c in CASES if not c["expected"]) >= 40
