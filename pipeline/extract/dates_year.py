"""Year resolution for date expressions that name no year (GUIDELINES §4).

``resolve_year(month, reference, period)`` -> the year, or None when nothing tells it.
"""
from __future__ import annotations

import calendar
import datetime as dt


def resolve_year(month: int | None, reference: dt.date | None,
                 period: tuple[dt.date, dt.date] | None) -> int | None:
    """The year of an expression that names none.

    In: ``month`` (1-12, or None for a whole-year word such as 全年 / 年底), the issue date
    ``reference`` and the plan's ``period`` (first, last day), each possibly None.
    Out: the plan period's year — for a month, the year that puts the month nearest to the
    period: inside it if it can be (a Q1-2022 notice issued in December 2021 reads ``1月``
    as January 2022; a school-year plan Sep 2020–Aug 2021 reads ``10月`` as 2020 and ``2月``
    as 2021), else just before or after it (a half-year summary's ``七月份`` is July of the
    same year, a Q4 plan's ``元月`` next January; on a tie the period's first year) — for a
    whole-year word the period's first year; else the reference's year; else None.
    """
    if period and period[0] and period[1] and period[0] <= period[1]:
        lo, hi = period
        if month is not None and 1 <= month <= 12:
            return min(range(lo.year - 1, hi.year + 2),
                       key=lambda y: (_months_apart(y, month, lo, hi), abs(y - lo.year), y))
        return lo.year
    if reference:
        return reference.year
    return None


def _months_apart(year: int, month: int, lo: dt.date, hi: dt.date) -> int:
    """How many months lie between ``month`` of ``year`` and the period (0 if they overlap)."""
    first = dt.date(year, month, 1)
    last = dt.date(year, month, calendar.monthrange(year, month)[1])
    if first <= hi and last >= lo:
        return 0
    k = year * 12 + month
    return lo.year * 12 + lo.month - k if last < lo else k - (hi.year * 12 + hi.month)


def shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    """(year, month) moved by ``delta`` months (本月 0, 下月 +1, 上月 -1)."""
    k = year * 12 + (month - 1) + delta
    return k // 12, k % 12 + 1
