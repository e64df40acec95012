"""The quantity spec corpus (tests/specs/targets.jsonl), one parametrised runner."""
from __future__ import annotations


import pytest

from pipeline import parse_quantities
from tests.conftest import spec_cases, spec_params

# targets_durations.jsonl: durations (N个工作日), formulas, band and figure tables;
# targets_rules.jsonl: sector rules (prices and rates, parameters, thresholds, reports)
CASES = spec_cases("targets.jsonl", "targets_durations.jsonl", "targets_rules.jsonl")
FIELDS = ("text", "value", "value_max", "unit", "comparator", "kind", "char_start", "char_end")


@pytest.mark.parametrize("case", spec_params(CASES, lambda c: c["input"][:24]))
def test_target_spec(case):
    got = parse_quantities(case["input"], doc_type=case["context"].get("doc_type"))
    got = [{f: getattr(q, f) for f in FIELDS} for q in got]
    expected = [{f: e[f] for f in FIELDS} for e in case["expected"]]
    assert got == expected


def test_spec_corpus_is_large_enough():
    assert len(CASES) >= 260
    assert sum(1 for c in CASES if not c["expected"]) >= 80  # negatives
