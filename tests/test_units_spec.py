"""The unit spec corpus (tests/specs/units.jsonl), one parametrised runner: names, roles
and offsets exactly; sentences without any unit must yield nothing."""
from __future__ import annotations

import json

import pytest

from pipeline import canonicalize, parse_units
from tests.conftest import SPECS_DIR

CASES = [json.loads(line) for line in (SPECS_DIR / "units.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]


def _params():
    out = []
    for c in CASES:
        marks = [pytest.mark.xfail(strict=True, reason=c["xfail"])] if c.get("xfail") else []
        out.append(pytest.param(c, id=c["input"][:24], marks=marks))
    return out


@pytest.mark.parametrize("case", _params())
def test_unit_spec(case):
    got = [{"name": u.name, "role": u.role, "char_start": u.char_start, "char_end": u.char_end}
           for u in parse_units(case["input"])]
    assert got == case["expected"]


def test_spec_corpus_is_large_enough():
    assert len(CASES) >= 100
    assert sum(1 for c in CASES if not c["expected"]) >= 15


def test_canonical_resolves_abbreviations_within_the_document():
    doc = "根据市总工作安排……请各相关直属工会于10月12日前报送至区总工会。区总负责汇总。"
    units = canonicalize(parse_units("根据市总工作安排和通知要求，区总负责汇总"), doc)
    assert {(u.name, u.canonical) for u in units} == {("市总", "市总工会"), ("区总", "区总工会")}
