"""Dates of the header, and the plan a document is: its period and its type.

``parse_date_line(line)`` reads a line that is only a date (``2021年9月30日``,
``二○二一年五月十七日``, ``2021-09-30``); ``period_of_title(title)`` reads the period
a title covers (``2021年第四季度`` -> Q4, ``2019年工作要点`` -> the year,
``2021年上半年`` -> H1, ``2021年10月`` -> the month, ``2020-2021年度`` -> both years).
``plan_period(text, lines, title, attachment, issue_date)`` is the period a plan covers
(its phases, its title, a named planning period such as 十四五, holidays its title names,
the period a regulation is in force); ``doc_type_of(attachment, title)`` and
``doc_type_of_body(opening)`` are its GUIDELINES §1 type (plan / summary / notice).
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from functools import lru_cache

from ..lexicon import load_yaml
from ..textview import matching_view
from ..text import holidays
from ..text.punctuation import char_class
from ..text.numerals import DIGIT_CHARS, UNIT_CHARS, UNITS, YEAR_ZEROS, to_int, year_of
from ..text.patterns import compile_patterns
from ..text.edges import either, finditer_from, first_chars, first_class, last_class

# the characters of a year, month or day written in Chinese (the one numeral table's
# digits and year zeros, and its unit of ten): the {cn} of models/structure/period.yaml
_CN = DIGIT_CHARS + "".join(sorted(YEAR_ZEROS)) + "".join(u for u in UNIT_CHARS if UNITS[u] == 10)


@lru_cache(maxsize=1)
def _rules() -> tuple[dict[str, re.Pattern], dict]:
    spec = load_yaml("structure/period.yaml")
    return compile_patterns(spec, fragments={"cn": _CN}), spec["halves"]


def parse_date_line(line: str) -> dt.date | None:
    """The date of a line that holds nothing but a date, else None."""
    s = line.strip()
    rx = _rules()[0]
    m = rx["date_line"].match(s) or rx["iso_line"].match(s)
    if not m:
        return None
    # year_of reads 2021, 二○二一 and a Minguo year (中华民国112, 民国112, 一一二)
    y, mo, d = year_of(m.group("y")), to_int(m.group("m")), to_int(m.group("d"))
    try:
        return dt.date(y, mo, d) if None not in (y, mo, d) else None
    except ValueError:
        return None


@lru_cache(maxsize=1)
def date_line_edges():
    """(first, last): one-character patterns of the characters a line ``parse_date_line``
    reads can start and end with (either None: any); read from the patterns themselves."""
    rx = _rules()[0]
    lines = (rx["date_line"], rx["iso_line"])
    return either(*map(first_class, lines)), either(*map(last_class, lines))


def _year(s: str) -> int | None:
    y = year_of(s)   # 2021, 二○二一, or a Minguo year (中华民国112, 民国112, 一一二)
    return y if y and 1900 <= y <= 2100 else None


def period_of_title(title: str) -> tuple[dt.date, dt.date] | None:
    """The period a plan's title covers, or None when it names no year."""
    t = re.sub(r"\s+", "", title)
    rx, halves = _rules()
    m = rx["year_range"].search(t)
    if m:
        a, b = int(m.group("a")), int(m.group("b"))
        if a <= b:
            return dt.date(a, 1, 1), dt.date(b, 12, 31)
    m = rx["title_year"].search(t)
    if not m:
        return None
    y = _year(m.group("y"))
    if y is None:
        return None
    rest = t[m.end():]
    q = rx["quarter"].match(rest)
    if q:
        n = to_int(q.group("n"))
        start = dt.date(y, 3 * n - 2, 1)
        end_month = 3 * n
        return start, dt.date(y, end_month, calendar.monthrange(y, end_month)[1])
    for half, (first, last) in halves.items():
        if rest.startswith(half):
            return dt.date(y, *first), dt.date(y, *last)
    mm = rx["month"].match(rest)
    if mm:
        mo = to_int(mm.group("m"))
        if mo and 1 <= mo <= 12:
            return dt.date(y, mo, 1), dt.date(y, mo, calendar.monthrange(y, mo)[1])
    return dt.date(y, 1, 1), dt.date(y, 12, 31)

# --- the plan a document is: its period and its type ------------------------------------
# (word lists and patterns in models/structure/metadata.yaml, read with the header's)


def _alt(words) -> str:
    return "(?:" + "|".join(map(re.escape, sorted(words, key=len, reverse=True))) + ")"


@lru_cache(maxsize=1)
def _plan_cfg():
    cfg = load_yaml("structure/metadata.yaml")
    return {
        "doc_types": cfg["doc_types"],
        "notice_end": re.compile(_alt(cfg["notice_endings"]) + cfg["title_tail"] + r"[\s。]*$"),
        "plan_end": re.compile(_alt(cfg["doc_types"]["plan"]) + cfg["title_tail"] + r"[\s。]*$"),
        "body_genre": cfg["body_genre"],
        "validity": re.compile(cfg["validity"]),
        "in_force": re.compile(cfg["in_force"]),
        "five_year": cfg["five_year_plans"],
        "holiday_context": tuple(cfg["holiday_context"]),
        "phase": re.compile(cfg["phase"]),
    }


@lru_cache(maxsize=1)
def _firsts() -> dict[str, str | None]:
    """The characters a validity / in-force clause starts with (自, 从): the whole document is
    searched for them with ``str.find`` (edges.finditer_from)."""
    c = _plan_cfg()
    return {name: first_chars(c[name]) for name in ("validity", "in_force")}


def _squeeze(s: str) -> str:
    return s.replace(" ", "").replace("\u3000", "")


def doc_type_of(*titles: str | None) -> str | None:
    """summary / plan / notice from the enclosed document's title, else the notice's: the
    《…》 or what 印发 names; a 关于…的通知 naming no document is a notice."""
    c = _plan_cfg()
    types = c["doc_types"]
    for title in titles:
        if not title:
            continue
        view = matching_view(title)
        rx = _rules()[0]
        inner = rx["enclosed"].search(view) if rx["issues"].search(view) else None
        issued = rx["issued"].search(view)
        probe = inner.group(1) if inner else issued.group(1) if issued else view
        if probe is view and c["notice_end"].search(view) and not c["plan_end"].search(view):
            return "notice"
        kind = _genre_at_end(probe, types)
        if kind:
            return kind
    return "notice" if any(titles) else None


def _genre_at_end(title: str, types: dict[str, list[str]]) -> str | None:
    """summary when ``title`` names one (2021年工作总结和2022年工作打算 reports first), else the genre
    of the genre word that ends last in it (its head: 绿电园区规划、建设和运营工作指引 is no 规划);
    at one end, the longer word (实施意见 over 意见); None when the title holds none."""
    if any(w in title for w in types["summary"]):
        return "summary"
    best, best_key = None, (-1, 0)
    for kind in ("plan", "notice"):
        for w in types[kind]:
            at = title.rfind(w)
            if at >= 0 and (at + len(w), len(w)) > best_key:
                best, best_key = kind, (at + len(w), len(w))
    return best


def doc_type_of_body(opening: str) -> str:
    """The genre an untitled document's opening paragraph names (notice when none)."""
    view = matching_view(opening)
    for kind in ("summary", "plan"):
        if any(w in view for w in _plan_cfg()["body_genre"][kind]):
            return kind
    return "notice"


def plan_period(text, lines, title, attachment, issue_date, view=None):
    """The period the plan covers: the phases of the plan (within the title's year), its
    title, a named planning period, the holidays the title names, the period a regulation
    is in force; an untitled text's opening sentence. ``view``: ``matching_view(text)``
    when the caller has it."""
    view = matching_view(text) if view is None else view
    p = _period_of_title(view, lines, title, attachment, issue_date)
    whole_year = p and p[1] and p[0].month == 1 and p[0].day == 1 and p[1].month == 12 and p[1].day == 31 and p[0].year == p[1].year
    if p is None or whole_year:
        year = p[0].year if p else (issue_date.year if issue_date else None)
        phases = _phases(view, year) if year else None
        if phases:
            return phases
    return p


def _phases(view: str, year: int):
    """The span of a plan's phases (at least two), or None."""
    spans = []
    for m in _plan_cfg()["phase"].finditer(view):
        y1 = int(m.group("y1")) if m.group("y1") else year
        y2 = int(m.group("y2")) if m.group("y2") else y1
        m1, m2 = to_int(m.group("m1")), to_int(m.group("m2"))
        if not (m1 and m2 and 1 <= m1 <= 12 and 1 <= m2 <= 12):
            continue
        if y2 == y1 and m2 < m1:
            y2 += 1            # 第三阶段（11月—次年2月）
        try:
            a = dt.date(y1, m1, int(m.group("d1")) if m.group("d1") else 1)
            b = dt.date(y2, m2, int(m.group("d2")) if m.group("d2") else calendar.monthrange(y2, m2)[1])
        except ValueError:
            continue
        spans.append((a, b))
    if len(spans) < 2:
        return None
    return min(a for a, _ in spans), max(b for _, b in spans)


def _period_of_title(doc_view, lines, title, attachment, issue_date):
    c = _plan_cfg()
    for t in (attachment, title):
        if t:   # holidays that time the work (2022年元旦春节期间) say more than the year
            p = _holiday_period(_squeeze(matching_view(t)), issue_date)
            if p:
                return p
    for t in (attachment, title):
        if not t:
            continue
        view = _squeeze(matching_view(t))
        for name, (a, b) in c["five_year"].items():
            if name in view and not _rules()[0]["any_year"].search(view):
                return dt.date(a, 1, 1), dt.date(b, 12, 31)
        p = period_of_title(view)
        if p:
            return p
    found = finditer_from(c["validity"], doc_view, _firsts()["validity"])
    if found:
        m = found[-1]
        a, b = _ymd(m.group("a")), _ymd(m.group("b"))
        if a and b and a <= b:
            return a, b
    found = finditer_from(c["in_force"], doc_view, _firsts()["in_force"])
    if found:
        p = _in_force(found[-1])
        if p:
            return p
    if not title and lines:
        first = re.split(char_class("stops", wide_only=True), matching_view(lines[0]))[0]
        years = set(_rules()[0]["opening_year"].findall(first))
        if len(years) == 1:
            y = int(years.pop())
            return dt.date(y, 1, 1), dt.date(y, 12, 31)
    return None


def _in_force(m: re.Match) -> tuple[dt.date, dt.date | None] | None:
    """The period of an ``in_force`` match: from the day it takes effect, to the end of its
    term when it states one (else open: None)."""
    a = _ymd(m.group("a"))
    if a is None:
        return None
    if m.group("b"):
        b = _ymd(m.group("b"))
        return (a, b) if b and a <= b else (a, None)
    if m.group("years"):
        n = to_int(m.group("years"))
        try:
            return a, a.replace(year=a.year + n) - dt.timedelta(days=1)
        except ValueError:       # 2月29日 + n years
            return a, dt.date(a.year + n, 2, 28)
    return a, None


def _ymd(s: str) -> dt.date | None:
    m = _rules()[0]["ymd"].match(s)
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None
    except ValueError:
        return None


def _holiday_period(view: str, issue_date: dt.date | None):
    """The days of the holidays a title names when it times the work by them
    (“国庆 中秋”期间): the year from the title, else the issue date."""
    if not any(w in view for w in _plan_cfg()["holiday_context"]):
        return None
    m = _rules()[0]["holiday_year"].search(view)
    year = int(m.group(1)) if m else (issue_date.year if issue_date else None)
    if year is None:
        return None
    known = holidays.table()["holidays"]
    days = []
    rest = view
    for name in sorted(known, key=len, reverse=True):
        if name not in rest or known[name].get("needs_after"):
            continue
        rest = rest.replace(name, "\0")
        day = holidays.day_of(name, year)
        if day is not None:
            days.append(day)
    if not days:
        return None
    return min(days), max(days)
