"""Year resolution for date expressions that name no year (GUIDELINES §4), in one place.

``resolve_year(month, years) -> (year, source)``: the year of an expression that names
none, and which source of the document gave it; ``(None, None)`` when nothing does.
``YearContext`` holds the sources, in the order they are tried:

1. ``period``: the plan period (first, last day), as the header gives it;
2. ``issue_date``: the document's 成文日期;
3. ``doc_number``: the year of its 发文字号 (``新质监办发〔2012〕24号``);
4. ``title``: a year its title names (when no period was made of it).

Not the year most explicit dates of the text write (the ``document`` source, dropped): §4
names three sources, and on 120 unlabeled energy notices that fallback was right for 3 of
its 112 dates (the rest: 当年/上年度 of standing rules, recurring windows, a web page's
banner date ``2019年12月3日星期二``). Never the processing day: a document without any of
them keeps its year-less dates with ``start``/``end`` null. ``document_years(...)`` builds the context from a document's
metadata and text; ``shift_month`` moves a (year, month) by months (本月, 下月).
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from ..text.numerals import DIGIT_CHARS, year_of
from .dates_lex import lexicon

# Values of a date's ``year_source``: ``text`` when the expression (or the expression it
# is joined to: ``2021年10月15日至11月15日``, ``2022年元旦``) writes its year, else the
# document source that gave it (``document`` is no longer given; kept for stored tables).
SOURCES = ("text", "period", "issue_date", "doc_number", "title", "document")


@dataclass(frozen=True)
class YearContext:
    """Where a document's year-less dates take their year from (each possibly None)."""
    period: tuple[dt.date, dt.date] | None = None
    issue_date: dt.date | None = None
    doc_number_year: int | None = None
    title_year: int | None = None
    # a summary looks back: its 1月 is never the January after the issue date
    looks_back: bool = False
    # a standing rule (written in articles) applies every year: its dates that write no year
    # are recurring schedules, not dates (dates.py drops them)
    standing_rule: bool = False

    @classmethod
    def of(cls, reference: dt.date | None = None, period=None) -> "YearContext":
        if period is not None and (len(period) != 2 or not all(period) or period[0] > period[1]):
            period = None
        return cls(period=tuple(period) if period else None, issue_date=reference)


def resolve_year(month: int | None, years: YearContext) -> tuple[int | None, str | None]:
    """The year of an expression that names none, and its source (see the module doc).

    ``month`` is 1-12, or None for a whole-year word (全年, 年底, 下半年).
    - Issued shortly before the plan period (a 2023 notice of 2022-12-02): a month between
      the issue month and the period's start is of the issue year (``12月20日前``: 2022).
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
    - From the document number or the title: that year.
    """
    return _resolve_year(month, years)


@lru_cache(maxsize=256)
def _resolve_year(month: int | None, years: YearContext) -> tuple[int | None, str | None]:
    """``resolve_year``, remembered: a document asks for the same few months again and again."""
    period = years.period
    if period and period[0] and period[1] and period[0] <= period[1]:
        lo, hi = period
        if month is not None and _in_lead_in(month, years.issue_date, lo):
            return years.issue_date.year, "issue_date"
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
    for year, source in ((years.doc_number_year, "doc_number"), (years.title_year, "title")):
        if year is not None and 1900 <= year <= 2100:
            return year, source
    return None, None


def _in_lead_in(month: int, issue: dt.date | None, lo: dt.date) -> bool:
    """A notice issued shortly before its plan period (at most ``lead_in_months`` of
    parts.yaml before it starts) that names a month from its issue month up to the period's
    start means that month of the issue year: issued 2022-12-02 for 2023, ``12月20日前`` is
    2022-12-20, not 2023-12-20."""
    if issue is None or issue >= lo:
        return False
    start, at = lo.year * 12 + lo.month, issue.year * 12 + issue.month
    return start - at <= lexicon().parts["lead_in_months"] and issue.month <= month and at - issue.month + month < start


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

@lru_cache(maxsize=1)
def _title_year() -> re.Pattern:
    return re.compile(_YEAR + r"\s*" + re.escape(lexicon().triggers["year_char"]))



def _year_in(rx: re.Pattern, s: str | None) -> int | None:
    m = rx.search(s or "")
    y = year_of(m.group(1)) if m else None
    return y if y is not None and 1900 <= y <= 2100 else None


def document_years(view: str, *, issue_date: dt.date | None = None, period=None,
                   doc_number: str | None = None, title: str | None = None,
                   doc_type: str | None = None) -> YearContext:
    """The year sources of one document, from its metadata and its text (the matching
    view: simplified script, ASCII digits; the text only tells whether it is a standing rule)."""
    base = YearContext.of(issue_date, period)
    return YearContext(period=base.period, issue_date=issue_date,
                       doc_number_year=_year_in(_DOC_NUMBER_YEAR, doc_number),
                       title_year=_year_in(_title_year(), title),
                       looks_back=doc_type == "summary",
                       standing_rule=is_standing_rule(view))


def is_standing_rule(view: str) -> bool:
    """A regulation written in articles (``第一条`` … at line starts, ``triggers.yaml``'s
    ``article_label``, at least ``rule_min_articles`` of them)."""
    t = lexicon().triggers
    return len(_article_label().findall(view)) >= t["rule_min_articles"]


@lru_cache(maxsize=1)
def _article_label() -> re.Pattern:
    return re.compile(lexicon().triggers["article_label"])
