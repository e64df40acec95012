"""The date spec corpus (tests/specs/dates.jsonl), one parametrised runner: each case's
expected spans must be exactly what parse_dates returns (text, interval, kind, offsets)."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from pipeline import parse_dates
from tests.conftest import SPECS_DIR

CASES = [json.loads(line) for line in (SPECS_DIR / "dates.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]


def _d(s):
    return dt.date.fromisoformat(s) if s else None


def _params():
    out = []
    for c in CASES:
        marks = [pytest.mark.xfail(strict=True, reason=c["xfail"])] if c.get("xfail") else []
        out.append(pytest.param(c, id=c["input"][:24], marks=marks))
    return out


@pytest.mark.parametrize("case", _params())
def test_date_spec(case):
    ctx = case["context"]
    period = tuple(map(_d, ctx["period"])) if ctx.get("period") else None
    got = parse_dates(case["input"], reference=_d(ctx.get("reference")), period=period)
    got = [{"text": d.text, "start": d.start and d.start.isoformat(), "end": d.end and d.end.isoformat(),
            "kind": d.kind, "char_start": d.char_start, "char_end": d.char_end} for d in got]
    assert got == case["expected"]


def test_spec_corpus_is_large_enough():
    assert len(CASES) >= 150
    assert sum(1 for c in CASES if not c["expected"]) >= 30  # negatives
