"""The date spec corpus (tests/specs/dates.jsonl), one parametrised runner: each case's
expected spans must be exactly what parse_dates returns (text, interval, kind, offsets)."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from pipeline import parse_dates
from pipeline.extract.dates import resolve_year
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


@pytest.mark.parametrize("month,reference,period,year", [
    (10, dt.date(2021, 9, 30), (dt.date(2021, 10, 1), dt.date(2021, 12, 31)), 2021),
    (1, dt.date(2021, 12, 25), (dt.date(2022, 1, 1), dt.date(2022, 3, 31)), 2022),   # late-December notice
    (5, dt.date(2018, 3, 6), (dt.date(2019, 1, 1), dt.date(2019, 12, 31)), 2019),    # signed the year before
    (None, dt.date(2018, 3, 6), (dt.date(2019, 1, 1), dt.date(2019, 12, 31)), 2019),
    (7, None, (dt.date(2021, 1, 1), dt.date(2021, 6, 30)), 2021),                    # outside the period
    (11, dt.date(2022, 3, 1), None, 2022),                                           # no period: issue date
    (11, None, None, None),                                                          # nowhere to look
    (2, None, (dt.date(2020, 9, 1), dt.date(2021, 8, 31)), 2021),                    # school year
    (10, None, (dt.date(2020, 9, 1), dt.date(2021, 8, 31)), 2020),
])
def test_resolve_year(month, reference, period, year):
    assert resolve_year(month, reference, period) == year
