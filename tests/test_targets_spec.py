"""The quantity spec corpus (tests/specs/targets.jsonl), one parametrised runner."""
from __future__ import annotations

import json

import pytest

from pipeline import parse_quantities
from pipeline.extract.targets import parse_cn_number
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


@pytest.mark.parametrize("text,value", [
    ("十", 10), ("十五", 15), ("二十", 20), ("两", 2), ("一百", 100), ("三千五百", 3500), ("两万", 20000),
    ("2万", 20000), ("1.5亿", 150000000), ("3000万", 30000000), ("526.2万", 5262000), ("12,000", 12000),
    ("一万二千", 12000), ("百", 100), ("千", 1000), ("一亿五千万", 150000000),
])
def test_parse_cn_number(text, value):
    assert parse_cn_number(text) == value
