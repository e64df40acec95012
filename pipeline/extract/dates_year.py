"""Year resolution for date expressions that name no year (GUIDELINES §4), in one place.

``resolve_year(month, years) -> (year, source)``: the year of an expression that names
none, and which source of the document gave it; ``(None, None)`` when nothing does.
``YearContext`` holds the sources, in the order they are tried:

1. ``period``: the plan period (first, last day), as the header gives it;
2. ``issue_date``: the document's 成文日期;
3. ``doc_number``: the year of its 发文字号 (``新质监办发〔2012〕24号``);
4. ``title``: a year its title names (when no period was made of it);
5. ``document``: the year most explicit dates of the document write (``2012年4月28日``),
   for copies that lost their header (pkulaw pages, web excerpts).

Never the processing day: a document without any of them keeps its year-less dates with
``start``/``end`` null. ``document_years(...)`` builds the context from a document's
metadata and text; ``shift_month`` moves a (year, month) by months (本月, 下月).
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass

from ..text.numerals import DIGIT_CHARS, year_of

SOURCES = ("text", "period", "issue_date", "doc_number", "title", "document")
"""Values of a date's ``year_source``: ``text`` when the expression (or the expression it
is joined to: ``2021年10月15日至11月15日``, ``2022年元旦``) writes its year, else the
document source that gave it."""


@dataclass(frozen=True)
class YearContext:
    """Where a document's year-less dates take their year from (each possibly None)."""
    period: tuple[dt.date, dt.date] | None = None
    issue_date: dt.date | None = None
    doc_number_year: int | None = None
    title_year: int | None = None
    document_year: int | None = None
    # a summary looks back: its 1月 is never the January after the issue date
    looks_back: bool = False

    @classmethod
    def of(cls, reference: dt.date | None = None, period=None) -> "YearContext":
        if period is not None and (len(period) != 2 or not all(period) or period[0] > period[1]):
            period = None
        return cls(period=tuple(period) if period else None, issue_date=reference)


def resolve_year(month: int | None, years: YearContext) -> tuple[int | None, str | None]:
    """The year of an expression that names none, and its source (see the module doc).

    ``month`` is 1-12, or None for a whole-year word (全年, 年底, 下半年).
    - From the plan period: for a month, the year that puts the month nearest to the
      period: inside it if it can be (a Q1-2022 notice issued in December 2021 reads ``1月``
      as January 2022; a school-year plan Sep 2020–Aug 2021 reads ``10月`` as 2020 and
      ``2月`` as 2021), else just before or after it (a half-year summary's ``七月份`` is
      July of the same year, a Q4 plan's ``元月`` next January; on a tie the period's
      first year); for a whole-year word the period's first year.
    - From the issue date: its year; but a notice issued late in the year that names a
      month more than six months before the issue month means that month of the next
      year (issued 2021-11-25: ``1月10日前`` is 2022-01-10), unless the document looks back
      (a summary).
    - From the document number, the title or the document's explicit dates: that year.
    """
    period = years.period
    if period and period[0] and period[1] and period[0] <= period[1]:
        lo, hi = period
        if month is not None and 1 <= month <= 12:
            y = min(range(lo.year - 1, hi.year + 2),
                    key=lambda y: (_months_apart(y, month, lo, hi), abs(y - lo.year), y))
            return y, "period"
        return lo.year, "period"
    ref = years.issue_date
    if ref:
        if month is not None and not years.looks_back and month < ref.month - 6:
            return ref.year + 1, "issue_date"
        return ref.year, "issue_date"
    for year, source in ((years.doc_number_year, "doc_number"), (years.title_year, "title"),
                         (years.document_year, "document")):
        if year is not None and 1900 <= year <= 2100:
            return year, source
    return None, None


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


_CN = re.escape(DIGIT_CHARS)
_YEAR = rf"((?:19|20)\d{{2}}|[{_CN}][{_CN}oO]{{3}})"
_DOC_NUMBER_YEAR = re.compile(r"[〔\[［(（【]\s*((?:19|20)\d{2})\s*[〕\]］)）】]")
_TITLE_YEAR = re.compile(_YEAR + r"\s*年")
# an explicit date of the body: a year with a month (2012年4月, 2012-04-28, 2012.4.28)
_DATED = re.compile(rf"(?<![\d{_CN}])" + _YEAR
                    + rf"(?:\s*年\s*(?:1[0-2]|0?[1-9]|十[{_CN}]?|[{_CN}])\s*月"
                      r"|[-./](?:1[0-2]|0?[1-9])[-./](?:3[01]|[12]\d|0?[1-9])(?!\d))")


def _year_in(rx: re.Pattern, s: str | None) -> int | None:
    m = rx.search(s or "")
    y = year_of(m.group(1)) if m else None
    return y if y is not None and 1900 <= y <= 2100 else None


def document_years(view: str, *, issue_date: dt.date | None = None, period=None,
                   doc_number: str | None = None, title: str | None = None,
                   doc_type: str | None = None) -> YearContext:
    """The year sources of one document, from its metadata and its text (the matching
    view: simplified script, ASCII digits). ``document_year`` is the year written by most
    explicit dates of the text (the latest on a tie)."""
    counts = Counter(y for y in (year_of(m.group(1)) for m in _DATED.finditer(view)) if y and 1900 <= y <= 2100)
    document_year = max(counts, key=lambda y: (counts[y], y)) if counts else None
    base = YearContext.of(issue_date, period)
    return YearContext(period=base.period, issue_date=issue_date,
                       doc_number_year=_year_in(_DOC_NUMBER_YEAR, doc_number),
                       title_year=_year_in(_TITLE_YEAR, title),
                       document_year=document_year, looks_back=doc_type == "summary")
