"""Dates of the header: the signature date line and the period a plan's title names.

``parse_date_line(line)`` reads a line that is only a date (``2021年9月30日``,
``二○二一年五月十七日``, ``2021-09-30``); ``period_of_title(title)`` reads the period
a title covers (``2021年第四季度`` -> Q4, ``2019年工作要点`` -> the year,
``2021年上半年`` -> H1, ``2021年10月`` -> the month, ``2020-2021年度`` -> both years).
"""
from __future__ import annotations

import calendar
import datetime as dt
import re

from ..text.numerals import DIGIT_CHARS, YEAR_ZEROS, to_int, year_of

# the characters of a year, month or day written in Chinese (the one numeral table's digits)
_CN = DIGIT_CHARS + "".join(sorted(YEAR_ZEROS)) + "十"


# a Minguo (ROC) year as Taiwan's notices write it: 中华民国112年, 一一二年 (= 2023)
_ROC = rf"(?:(?:中华)?民国\s*)?(?:1[01]\d|一[〇○零一][{_CN}])"
_DATE_LINE = re.compile(
    rf"^(?P<y>\d{{4}}|[{_CN}]{{4}}|{_ROC})\s*年\s*(?P<m>\d{{1,2}}|[{_CN}]{{1,3}})\s*月\s*(?P<d>\d{{1,2}}|[{_CN}]{{1,3}})\s*日\s*$"
)
_ISO_LINE = re.compile(r"^(?P<y>\d{4})[-./](?P<m>\d{1,2})[-./](?P<d>\d{1,2})$")


def parse_date_line(line: str) -> dt.date | None:
    """The date of a line that holds nothing but a date, else None."""
    s = line.strip()
    m = _DATE_LINE.match(s) or _ISO_LINE.match(s)
    if not m:
        return None
    y, mo, d = year_of(m.group("y").removeprefix("中华")), to_int(m.group("m")), to_int(m.group("d"))
    try:
        return dt.date(y, mo, d) if None not in (y, mo, d) else None
    except ValueError:
        return None


_YEAR = rf"(?P<y>(?:19|20)\d{{2}}|[一二][{_CN}]{{3}}|{_ROC}(?=\s*年度))\s*年"


def _year(s: str) -> int | None:
    y = year_of(s.removeprefix("中华"))   # 2021, 二○二一, or a Minguo year (民国112, 一一二)
    return y if y and 1900 <= y <= 2100 else None


def period_of_title(title: str) -> tuple[dt.date, dt.date] | None:
    """The period a plan's title covers, or None when it names no year."""
    t = re.sub(r"\s+", "", title)
    m = re.search(r"(?P<a>(?:19|20)\d{2})\s*[-－—–至~]\s*(?P<b>(?:19|20)\d{2})\s*年", t)
    if m:
        a, b = int(m.group("a")), int(m.group("b"))
        if a <= b:
            return dt.date(a, 1, 1), dt.date(b, 12, 31)
    m = re.search(_YEAR + r"度?", t)
    if not m:
        return None
    y = _year(m.group("y"))
    if y is None:
        return None
    rest = t[m.end():]
    q = re.match(r"(?:第)?([一二三四1-4])季度", rest)
    if q:
        n = to_int(q.group(1))
        start = dt.date(y, 3 * n - 2, 1)
        end_month = 3 * n
        return start, dt.date(y, end_month, calendar.monthrange(y, end_month)[1])
    if rest.startswith("上半年"):
        return dt.date(y, 1, 1), dt.date(y, 6, 30)
    if rest.startswith("下半年"):
        return dt.date(y, 7, 1), dt.date(y, 12, 31)
    mm = re.match(rf"(\d{{1,2}}|[{_CN}]{{1,3}})\s*月", rest)
    if mm:
        mo = to_int(mm.group(1))
        if mo and 1 <= mo <= 12:
            return dt.date(y, mo, 1), dt.date(y, mo, calendar.monthrange(y, mo)[1])
    return dt.date(y, 1, 1), dt.date(y, 12, 31)
