"""The date spec corpus (tests/specs/dates.jsonl), one parametrised runner: each case's
expected spans must be exactly what parse_dates returns (text, interval, kind, offsets)."""
from __future__ import annotations

import datetime as dt

import pytest

from pipeline import parse_dates
from pipeline.extract.dates_year import YearContext
from tests.conftest import spec_cases, spec_params

# dates_regulations.jsonl: standing rules and recurring schedules (context may add
# doc_number_year and standing_rule, read into a YearContext)
CASES = spec_cases("dates.jsonl", "dates_regulations.jsonl")


def _d(s):
    return dt.date.fromisoformat(s) if s else None


@pytest.mark.parametrize("case", spec_params(CASES, lambda c: c["input"][:24]))
def test_date_spec(case):
    ctx = case["context"]
    period = tuple(map(_d, ctx["period"])) if ctx.get("period") else None
    years = YearContext(period=period, issue_date=_d(ctx.get("reference")), doc_number_year=ctx.get("doc_number_year"),
                        standing_rule=ctx.get("standing_rule", False)) if set(ctx) - {"reference", "period"} else None
    got = parse_dates(case["input"], reference=_d(ctx.get("reference")), period=period, years=years)
    got = [{"text": d.text, "start": d.start and d.start.isoformat(), "end": d.end and d.end.isoformat(),
            "kind": d.kind, "char_start": d.char_start, "char_end": d.char_end} for d in got]
    assert got == case["expected"]


def test_spec_corpus_is_large_enough():
    assert len(CASES) >= 450
    assert sum(1 for c in CASES if not c["expected"]) >= 100  # negatives
