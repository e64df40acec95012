"""Property tests of the date extractor and of its year resolution.

parse_dates never raises on any text (the inner ``_parse`` is called, so a bug raises
here instead of being swallowed), spans lie inside the text and equal their slice, are in
text order and do not overlap, kinds are known, start <= end, a deadline has no start,
a redacted mention has no dates. ``resolve_year`` picks a year whose month overlaps the
plan period whenever one exists.
"""
from __future__ import annotations

import calendar
import datetime as dt

from hypothesis import given, strategies as st

from pipeline.extract import dates as dates_mod
from pipeline.extract.dates import KINDS, parse_dates
from pipeline.extract.dates_year import YearContext, shift_month
from pipeline.extract.dates_year import resolve_year as _resolve


def resolve_year(month, reference, period):
    """The year only, from an issue date and a period (the other sources: test_dates_year.py)."""
    return _resolve(month, YearContext.of(reference, period))[0]

PIECES = ["10月", "15日", "号", "前", "之前", "前夕", "至", "到", "-", "—", "~", "起", "以来", "至今", "启动", "将于",
          "2021年", "二○二一年", "２０２１年", "年", "月", "日", "底", "末", "初", "上旬", "中下旬", "全年", "年内",
          "明年", "次年", "本月", "下月", "上半年", "第四季度", "一季度末", "春节", "节前", "元旦", "五一", "“", "”",
          "《", "》", "度", "X", "x", "×", "XX", "十", "十二", "三十一", "0", "1", "2", "3", "9", "13", "31", "2020",
          ".", "/", "、", "，", "。", " ", "\n", "截至", "截止时间为", "当前", "即日起", "每月", "周年", "为期",
          "（星期日）", "17:00", "24时", "於", "會", "國慶", "期间", "前后", "劳动奖"]
texts = st.one_of(st.text(max_size=120), st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
days = st.dates(min_value=dt.date(1985, 1, 1), max_value=dt.date(2060, 12, 31))


@st.composite
def periods(draw):
    if draw(st.booleans()):
        return None
    a = draw(days)
    b = draw(st.dates(min_value=a, max_value=min(dt.date(2060, 12, 31), a + dt.timedelta(days=800))))
    return (a, b)


@given(texts, st.one_of(st.none(), days), periods())
def test_parse_dates_invariants(text, reference, period):
    got = dates_mod._parse(text, reference, period)
    assert got == parse_dates(text, reference=reference, period=period)
    last_end = 0
    for d in got:
        assert 0 <= d.char_start < d.char_end <= len(text)
        assert d.char_start >= last_end  # text order, no overlap
        last_end = d.char_end
        assert text[d.char_start:d.char_end] == d.text
        assert d.kind in KINDS
        if d.start and d.end:
            assert d.start <= d.end
        if d.kind == "deadline":
            assert d.start is None
        if d.redacted:
            assert d.start is None and d.end is None


@given(st.text(max_size=60))
def test_parse_dates_tolerates_bad_context(text):
    # an inverted or half-empty period is ignored, not an error
    assert isinstance(parse_dates(text, None, (dt.date(2021, 12, 31), dt.date(2021, 1, 1))), list)
    assert isinstance(parse_dates(text, dt.date(2021, 1, 1), None), list)


@given(st.integers(1, 12), st.one_of(st.none(), days), periods())
def test_resolve_year_prefers_the_period(month, reference, period):
    y = resolve_year(month, reference, period)
    if period is None:
        # the issue date's year, or the next for a month more than six months before it
        assert y == ((reference.year + (month < reference.month - 6)) if reference else None)
        return
    lo, hi = period
    overlapping = [yy for yy in range(lo.year, hi.year + 1)
                   if dt.date(yy, month, 1) <= hi and dt.date(yy, month, calendar.monthrange(yy, month)[1]) >= lo]
    if overlapping:
        assert y == overlapping[0]
    else:
        # outside the period: the nearest month, never more than a year away from it
        assert lo.year - 1 <= y <= hi.year + 1
        k, near = y * 12 + month, lo.year * 12 + lo.month
        far = hi.year * 12 + hi.month
        gap = near - k if k < near else k - far
        for other in (y - 1, y + 1):
            k2 = other * 12 + month
            assert gap <= (near - k2 if k2 < near else k2 - far)


def test_resolve_year_examples():
    q1_2022 = (dt.date(2022, 1, 1), dt.date(2022, 3, 31))
    assert resolve_year(1, dt.date(2021, 12, 25), q1_2022) == 2022       # late-December quarterly notice
    assert resolve_year(None, dt.date(2018, 3, 6), (dt.date(2019, 1, 1), dt.date(2019, 12, 31))) == 2019
    assert resolve_year(None, dt.date(2018, 3, 6), None) == 2018
    assert resolve_year(None, None, None) is None
    q4_2021 = (dt.date(2021, 10, 1), dt.date(2021, 12, 31))
    assert resolve_year(1, dt.date(2021, 9, 30), q4_2021) == 2022   # a Q4 plan's 元月: next January
    assert resolve_year(9, dt.date(2021, 9, 30), q4_2021) == 2021   # last September
    assert resolve_year(7, None, (dt.date(2021, 1, 1), dt.date(2021, 6, 30))) == 2021  # H1 summary's 七月份
    assert resolve_year(10, None, (dt.date(2021, 4, 1), dt.date(2021, 6, 30))) == 2021  # after the period, same year


@given(st.integers(1990, 2050), st.integers(1, 12), st.integers(-30, 30))
def test_shift_month(year, month, delta):
    y, m = shift_month(year, month, delta)
    assert 1 <= m <= 12 and (y * 12 + m - 1) - (year * 12 + month - 1) == delta


def test_lunar_table_spot_checks():
    # hand-checked against the calendar
    assert parse_dates("春节", None, (dt.date(2019, 1, 1), dt.date(2019, 12, 31)))[0].start == dt.date(2019, 2, 5)
    assert parse_dates("春节", None, (dt.date(2021, 1, 1), dt.date(2021, 12, 31)))[0].start == dt.date(2021, 2, 12)
    assert parse_dates("春节", None, (dt.date(2024, 1, 1), dt.date(2024, 12, 31)))[0].start == dt.date(2024, 2, 10)
    assert parse_dates("中秋节", None, (dt.date(2021, 1, 1), dt.date(2021, 12, 31)))[0].start == dt.date(2021, 9, 21)
    assert parse_dates("端午节", None, (dt.date(2050, 1, 1), dt.date(2050, 12, 31)))[0].start is not None
    assert parse_dates("端午节", None, (dt.date(2051, 1, 1), dt.date(2051, 12, 31)))[0].start is None  # outside the table
