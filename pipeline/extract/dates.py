"""Dates: a task's text -> every calendar expression as an ISO interval with its kind.

``parse_dates(text, reference=None, period=None)`` finds absolute dates (Arabic or
Chinese numerals, ``2018.2.25``, ``2021-09-30``), months and days without a year,
parts of months and years (上旬, 月底, 年底, 上半年, 第四季度…), words relative to the
plan year (全年, 年内, 今年, 明年…), holidays (fixed, and lunar ones through the table
``models/dates/lunar_holidays.tsv``), ranges (``10月15日至11月15日``, ``2-3 月``,
``当前至年末``), deadlines (``前``, ``截至``…) and starts (``起``, ``将于…启动``), and
redacted ``X月X日`` (kept, start/end None). Names with years (``2021年度…``,
``《…》``), durations, anniversaries and recurring schedules are not dates.
What it knows is in ``models/dates/lexicon.yaml``. Offsets are half-open into ``text``;
matching runs on ``matching_view(text)`` so traditional script and full-width digits work.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from ..lexicon import load_yaml, model_path
from ..structure.period import cn_small_int
from ..textview import matching_view


@dataclass(frozen=True)
class DateMention:
    text: str
    start: dt.date | None
    end: dt.date | None
    kind: str
    char_start: int
    char_end: int
    redacted: bool = False


@dataclass
class _Span:
    start: int
    end: int
    lo: dt.date | None
    hi: dt.date | None
    point: bool = False
    redacted: bool = False
    kind: str | None = None
    match: re.Match | None = None


def resolve_year(month: int | None, reference: dt.date | None,
                 period: tuple[dt.date, dt.date] | None) -> int | None:
    """The year of an expression that names none (GUIDELINES §4): the plan period's year
    (the year in which ``month`` falls inside the period, so a notice for 2022 Q1 issued
    in December 2021 reads ``1月`` as January 2022), else the reference (issue) date's."""
    if period:
        lo, hi = period
        if month is not None:
            for y in range(lo.year, hi.year + 1):
                if dt.date(y, month, 1) <= hi and dt.date(y, month, calendar.monthrange(y, month)[1]) >= lo:
                    return y
        return lo.year
    if reference:
        return reference.year
    return None


def _last(y: int, m: int) -> int:
    return calendar.monthrange(y, m)[1]


@lru_cache(maxsize=1)
def _lex():
    cfg = load_yaml("dates/lexicon.yaml")
    f = cfg["fragments"]
    Y, M, D = f["Y"], f["M"], f["D"]
    mparts = "|".join(sorted(map(re.escape, cfg["month_parts"]), key=len, reverse=True))
    yparts = "|".join(sorted(map(re.escape, cfg["year_parts"]), key=len, reverse=True))
    rel = "|".join(sorted(map(re.escape, cfg["relative_years"]), key=len, reverse=True))
    plan_parts = "|".join(sorted(map(re.escape, cfg["plan_year_parts"]), key=len, reverse=True))
    hol = "|".join(sorted(map(re.escape, cfg["holidays"]), key=len, reverse=True))
    patterns = {
        "ymd": rf"{Y}\s*{M}\s*{D}",
        "ymd_num": r"(?P<y>(?:19|20)\d{2})[.\-/](?P<m>1[0-2]|0?[1-9])[.\-/](?P<d>3[01]|[12]\d|0?[1-9])(?![\d.])",
        "ymp": rf"{Y}\s*{M}\s*(?P<mpart>{mparts})",
        "ym": rf"{Y}\s*{M}",
        "yp": rf"{Y}\s*(?P<ypart>{yparts})",
        "y": Y,
        "md": rf"{M}\s*{D}",
        "mp": rf"{M}\s*(?P<mpart>{mparts})",
        "m": M,
        "mrange": r"(?P<m>1[0-2]|0?[1-9])\s*[-—–~至到]\s*(?P<m2>1[0-2]|0?[1-9])\s*月(?:份)?",
        "rel": rf"(?P<rel>{rel})",
        "plan_part": rf"(?P<ypart>{plan_parts})",
        "holiday": rf"(?P<hol>{hol})",
    }
    compiled = {k: re.compile(v) for k, v in patterns.items()}
    lunar = {}
    with model_path("dates/lunar_holidays.tsv").open(encoding="utf-8") as fh:
        cols = None
        for line in fh:
            if line.startswith("# year"):
                cols = line[2:].split()
                continue
            if line.startswith("#") or not line.strip():
                continue
            vals = line.split()
            lunar[int(vals[0])] = {c: dt.date.fromisoformat(v) for c, v in zip(cols[1:], vals[1:])}
    return cfg, compiled, lunar


def _num(s: str | None) -> int | None:
    if s is None:
        return None
    return None if s in "Xx×" else cn_small_int(s)


def _interpret(kind: str, m: re.Match, reference, period) -> _Span | None:
    cfg, _, lunar = _lex()
    g = m.groupdict()
    if any(g.get(k) in ("X", "x", "×") for k in ("m", "d")):
        return _Span(m.start(), m.end(), None, None, point=kind in ("md", "ymd"), redacted=True)
    y = _num(g.get("y"))
    mo = _num(g.get("m"))
    d = _num(g.get("d"))
    if mo is not None and not 1 <= mo <= 12:
        return None
    if kind in ("md", "mp", "m", "mrange") or (kind == "holiday"):
        y = resolve_year(mo, reference, period)
    if kind == "rel":
        base = resolve_year(None, reference, period)
        if base is None:
            return _Span(m.start(), m.end(), None, None)
        y = base + cfg["relative_years"][g["rel"]]
        return _Span(m.start(), m.end(), dt.date(y, 1, 1), dt.date(y, 12, 31))
    if kind == "plan_part":
        y = resolve_year(None, reference, period)
        part = g["ypart"].removeprefix("年")
        if y is None:
            return _Span(m.start(), m.end(), None, None)
        m1, d1, m2, d2 = cfg["year_parts"][part]
        return _Span(m.start(), m.end(), dt.date(y, m1, d1), dt.date(y, m2, d2))
    if kind == "holiday":
        y = resolve_year(None, reference, period)
        spec = cfg["holidays"][g["hol"]]
        if y is None:
            return _Span(m.start(), m.end(), None, None, point=True)
        if "fixed" in spec:
            day = dt.date(y, *spec["fixed"])
        elif y in lunar:
            day = lunar[y][spec["lunar"]]
        else:
            return _Span(m.start(), m.end(), None, None, point=True)
        return _Span(m.start(), m.end(), day, day, point=True)
    if y is None:
        return _Span(m.start(), m.end(), None, None, point=d is not None)
    try:
        if kind in ("ymd", "ymd_num", "md"):
            day = dt.date(y, mo, d)
            return _Span(m.start(), m.end(), day, day, point=True)
        if kind in ("ymp", "mp"):
            a, b = cfg["month_parts"][g["mpart"]]
            return _Span(m.start(), m.end(), dt.date(y, mo, a), dt.date(y, mo, b or _last(y, mo)))
        if kind in ("ym", "m"):
            return _Span(m.start(), m.end(), dt.date(y, mo, 1), dt.date(y, mo, _last(y, mo)))
        if kind == "mrange":
            m2 = _num(g["m2"])
            if not mo <= m2:
                return None
            return _Span(m.start(), m.end(), dt.date(y, mo, 1), dt.date(y, m2, _last(y, m2)))
        if kind == "yp":
            m1, d1, m2, d2 = cfg["year_parts"][g["ypart"]]
            return _Span(m.start(), m.end(), dt.date(y, m1, d1), dt.date(y, m2, d2))
        if kind == "y":
            return _Span(m.start(), m.end(), dt.date(y, 1, 1), dt.date(y, 12, 31))
    except ValueError:
        return None
    return None


def _candidates(view: str, reference, period) -> list[tuple[str, _Span]]:
    _, compiled, _ = _lex()
    out = []
    for kind, rx in compiled.items():
        for m in rx.finditer(view):
            span = _interpret(kind, m, reference, period)
            if span is not None:
                span.match = m
                out.append((kind, span))
    # longest match wins; ties go to the earlier start
    out.sort(key=lambda ks: (-(ks[1].end - ks[1].start), ks[1].start))
    taken: list[tuple[str, _Span]] = []
    for kind, s in out:
        if all(s.end <= t.start or s.start >= t.end for _, t in taken):
            taken.append((kind, s))
    taken.sort(key=lambda ks: ks[1].start)
    return taken


def _in_title_quotes(view: str, pos: int) -> bool:
    before = view[:pos]
    return before.count("《") > before.count("》")


def _is_name(kind: str, s: _Span, view: str, period) -> bool:
    cfg, _, _ = _lex()
    after = view[s.end:s.end + 3]
    before = view[max(0, s.start - 2):s.start]
    if _in_title_quotes(view, s.start):
        return True
    if any(before.endswith(w) for w in cfg["not_before"]) or any(after.startswith(w) for w in cfg["not_after"]):
        return True
    if kind in ("y", "yp", "ym") and any(view[s.end:].lstrip().startswith(w) for w in cfg["year_name_followers"]):
        return True
    if kind == "y":
        # a bare year right before a range joiner and another year is a name's span (2020-2021年度)
        if re.match(r"\s*[-—–~至]\s*\d{4}", view[s.end:]) or re.search(r"\d{4}\s*[-—–~]\s*$", view[:s.start]):
            return True
        # the plan's own year as a bare modifier (2021年服务职工的实事项目) times nothing
        if period and s.lo and s.lo.year == period[0].year == period[1].year:
            return True
    if kind == "holiday":
        if any(after.startswith(w) for w in cfg["holiday_name_followers"]) or \
                any(view[s.end + 1:].startswith(w) for w in cfg["holiday_name_followers"] if view[s.end:s.end + 1] in "”\""):
            return True
        if any(before.endswith(w) for w in cfg["holiday_name_preceders"]):
            return True
        if view[s.end:s.end + 1] == "”" and view[s.end + 1:s.end + 3] not in ("国际", "妇女", "儿童", "亲子", "期间", "前夕", "节", "假期"):
            if not view[s.end + 1:s.end + 2] == "节":
                return True
    return False


_YEARLESS = ("md", "mp", "m", "mrange", "plan_part")


def _with_year(kind: str, s: _Span, year: int) -> _Span | None:
    """Re-read a year-less expression as falling in ``year``."""
    if s.match is None or s.redacted:
        return None
    one_year = (dt.date(year, 1, 1), dt.date(year, 12, 31))
    out = _interpret(kind, s.match, None, one_year)
    if out is not None:
        out.match = s.match
    return out


def parse_dates(text: str, reference: dt.date | None = None,
                period: tuple[dt.date, dt.date] | None = None) -> list[DateMention]:
    """Every date expression of ``text`` in text order; never raises."""
    try:
        return _parse(text, reference, period)
    except Exception:  # pragma: no cover - a bug must not lose the notice
        return []


def _parse(text: str, reference, period) -> list[DateMention]:
    cfg, _, _ = _lex()
    view = matching_view(text)
    cands = [(k, s) for k, s in _candidates(view, reference, period) if not _is_name(k, s, view, period)]
    # “三八”妇女节: the second holiday word names the same day
    cands = [c for i, c in enumerate(cands)
             if not (i and c[0] == cands[i - 1][0] == "holiday"
                     and c[1].start - cands[i - 1][1].end <= 3 and c[1].lo == cands[i - 1][1].lo)]
    joiners = "|".join(map(re.escape, cfg["range_joiners"]))
    now_words = "|".join(map(re.escape, cfg["now_words"]))
    spans: list[_Span] = []
    i = 0
    while i < len(cands):
        kind, s = cands[i]
        # 明年1月, 次年一季度: a relative year names the year of what follows it
        if kind == "rel" and i + 1 < len(cands) and cands[i + 1][1].start == s.end \
                and cands[i + 1][0] in _YEARLESS and s.lo is not None:
            k2, s2 = cands[i + 1]
            s2b = _with_year(k2, s2, s.lo.year)
            if s2b is not None:
                s2b.start = s.start
                kind, s = k2, s2b
                cands[i] = (kind, s)
                del cands[i + 1]
        # ranges: A 至 B
        if i + 1 < len(cands):
            k2, s2 = cands[i + 1]
            if k2 in _YEARLESS and s.lo is not None and kind not in _YEARLESS:
                # 2021年10月15日至11月15日: B takes A's year (or the next, if it would end before A)
                s2b = _with_year(k2, s2, s.lo.year)
                if s2b is not None and s2b.hi is not None and s2b.hi < s.lo:
                    s2b = _with_year(k2, s2, s.lo.year + 1)
                s2 = s2b or s2
            if re.fullmatch(rf"\s*(?:{joiners})\s*", view[s.end:s2.start]) and not s.redacted:
                lo, hi = s.lo, s2.hi
                # 元旦春节期间 / 10月15日至11月15日
                s = _Span(s.start, s2.end, lo, hi)
                i += 1
            elif kind == "holiday" and k2 == "holiday" and s.end == s2.start and view[s2.end:s2.end + 2] == "期间":
                s = _Span(s.start, s2.end + 2, s.lo, s2.hi)
                i += 1
        # 当前至年末
        m = re.search(rf"(?:{now_words})(?:起)?\s*(?:{joiners})\s*$", view[:s.start])
        if m and reference is not None:
            s = _Span(m.start(), s.end, reference, s.hi)
        spans.append(s)
        i += 1

    out = []
    for s in spans:
        start, end, kind = s.lo, s.hi, ("point" if s.point and s.lo == s.hi else "period")
        tail = view[s.end:s.end + 3]
        suffix = next((w for w in sorted(cfg["deadline_suffixes"], key=len, reverse=True) if tail.startswith(w)), None)
        if suffix == "前" and tail.startswith("前后"):
            suffix = None  # 八一前后: around, not before
        head = view[max(0, s.start - 4):s.start]
        prefix = next((w for w in cfg["deadline_prefixes"] if head.endswith(w)), None)
        starter = next((w for w in cfg["start_suffixes"] if tail.startswith(w)), None)
        c_start, c_end = s.start, s.end
        if suffix or prefix:
            kind, start = "deadline", None
            if suffix:
                c_end += len(suffix)
            if prefix:
                c_start -= len(prefix)
            if suffix == "前夕" or suffix is None:
                pass
        elif starter or re.search(r"将?于\s*$", head) and re.match(r"\s*(?:启动|开始)", view[s.end:]):
            kind, end = "start", None
            if starter == "起":
                c_end += 1
        out.append(DateMention(text[c_start:c_end], None if s.redacted else start,
                               None if s.redacted else end, kind, c_start, c_end, s.redacted))
    return out
