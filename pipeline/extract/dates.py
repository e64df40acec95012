"""Dates: a task's text -> every calendar expression as an ISO interval with its kind.

``parse_dates(text, reference=None, period=None) -> list[DateMention]``

In: ``text`` (a task's clean text), ``reference`` (the document's issue date) and
``period`` (first and last day of the plan period), both optional.
Out: the date mentions of ``text`` in text order, non-overlapping, each with its text as
written (with its trigger word: ``10月15日前``, ``截至11月30日``, ``10月起``), the interval
``[start, end]`` (``datetime.date`` or None), its ``kind`` (``deadline``: start None;
``start``: end None unless stated; ``period``: an interval; ``point``: one day) and
half-open offsets ``[char_start, char_end)`` into ``text``. Redacted dates (``X月X日``)
come with ``redacted=True`` and no dates; so does any date whose year cannot be found.

How: every pattern of ``models/dates/patterns.yaml`` is matched on
``matching_view(text)`` (simplified script, ASCII digits; same offsets), overlaps go to
the longest match (then the earlier), names / durations / schedules are dropped
(``dates_names``), then neighbours are composed (明年 + 1月, A 至 B, 元旦春节期间,
春节…节前) and trigger words around each expression set its kind. Years missing from
the text come from ``dates_year.resolve_year``.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from ..records import DateMention
from ..textview import matching_view
from ..scan import disjoint
from .pieces import over_pieces
from ..text.holidays import day_of as holiday_day
from ..text.numerals import year_of
from ..text.punctuation import DOUBLE_CLOSE, DOUBLE_OPEN, STRAIGHT_QUOTE
from .dates_lex import REDACTED, lexicon, small_int
from .dates_names import is_not_date
from .dates_year import YearContext, resolve_year, shift_month

_OPENING_QUOTES = DOUBLE_OPEN + STRAIGHT_QUOTE     # “双节”期间, "两节"
_CLOSING_QUOTES = DOUBLE_CLOSE + STRAIGHT_QUOTE

KINDS = ("deadline", "start", "period", "point")


@dataclass(frozen=True)
class _Span:
    """A matched expression on the view, before its trigger words are read."""
    kind: str              # pattern name, or "range" / "pair" once composed
    start: int
    end: int
    lo: dt.date | None
    hi: dt.date | None
    match: re.Match | None = None
    point: bool = False    # one day (ymd, md, holiday)
    redacted: bool = False
    unresolved: bool = False  # a date without a findable year
    trigger_at: int | None = None  # where trigger words are looked for, if not at ``end`` (七一建党节前夕)
    source: str | None = None      # where the year came from (dates_year.SOURCES)

    @property
    def yearless(self) -> bool:
        return self.kind in _YEARLESS


# patterns whose year comes from outside the text (a range end takes its start's year)
_YEARLESS = ("md", "mp", "m", "mrange", "mlist", "mdrange_noy", "plan_part", "holiday")
_POINT_KINDS = ("ymd", "ymd_num", "md", "holiday")
_INVALID = _Span("invalid", 0, 0, None, None)   # a match read first that is no valid date


def _last(y: int, m: int) -> int:
    return calendar.monthrange(y, m)[1]


def _month_part(y: int, mo: int, part: str) -> tuple[dt.date, dt.date]:
    a, b = lexicon().parts["month_parts"][part]
    return dt.date(y, mo, a), dt.date(y, mo, b or _last(y, mo))


def _year_part(y: int, part: str) -> tuple[dt.date, dt.date]:
    m1, d1, m2, d2 = lexicon().parts["year_parts"][part]
    return dt.date(y, m1, d1), dt.date(y, m2, d2)


def _holiday_month(name: str) -> int:
    """The month a holiday falls in (a lunar one: its month in a typical year)."""
    spec = lexicon().holidays["holidays"][name]
    if "fixed" in spec:
        return spec["fixed"][0]
    return lexicon().lunar[2021][spec["lunar"]].month


def _pair_instance(pair, year: int) -> tuple[dt.date, dt.date] | None:
    days = [holiday_day(name, year) for name in pair]
    return (min(days), max(days)) if all(days) else None


def _pair_alone(name: str, years: YearContext) -> tuple[dt.date, dt.date, str] | None:
    """“双节”期间: which pair the nickname names, and when. With a plan period: of the pairs
    that begin inside it, the first the nickname usually names (双节: 中秋 and 国庆; 两节:
    元旦 and 春节), else the first to begin after its start (a Q4 plan's 两节 are next
    January's); else the first pair to end on or after the issue date; else the first pair
    in the year the other sources give. None when no year is found."""
    pairs = lexicon().holidays["pair_alone"][name]
    if years.period:
        lo, hi = years.period
        inside = [(inst, k) for y in range(lo.year, hi.year + 1) for k, p in enumerate(pairs)
                  if (inst := _pair_instance(p, y)) and lo <= inst[0] <= hi]
        if inside:
            return (*min(inside, key=lambda ik: (ik[1], ik[0]))[0], "period")
        after = [inst for y in (lo.year, lo.year + 1) for p in pairs
                 if (inst := _pair_instance(p, y)) and inst[0] >= lo]
        if after:
            return (*min(after), "period")
    ref = years.issue_date
    if ref:
        found = [inst for y in (ref.year, ref.year + 1) for p in pairs
                 if (inst := _pair_instance(p, y)) and inst[1] >= ref]
        if found:
            return (*min(found), "issue_date")
    y, source = resolve_year(None, years)
    inst = _pair_instance(pairs[0], y) if y is not None else None
    return (*inst, source) if inst else None


def _interpret(kind: str, m: re.Match, years: YearContext, year: int | None = None,
               source: str | None = None) -> _Span | None:
    """The interval of match ``m`` of pattern ``kind``; ``year`` (from ``source``)
    overrides a missing year. None when the match is no valid date (month 13, 2月30日)."""
    try:
        return _interpret_checked(kind, m, years, year, source)
    except (ValueError, OverflowError, KeyError):
        return None  # 2月30日, a year out of range: not a date


def _interpret_checked(kind: str, m: re.Match, years: YearContext, year: int | None,
                       source: str | None) -> _Span | None:
    reference = years.issue_date
    g = m.groupdict()
    s, e = m.start(), m.end()
    if kind == "pair_alone":
        if s and m.string[s - 1] in _OPENING_QUOTES:
            s -= 1      # “双节”期间: the mention opens with the quote
        got = _pair_alone(g["pairname"], years)
        if got is None:
            return _Span(kind, s, e, None, None, m, unresolved=True)
        return _Span(kind, s, e, got[0], got[1], m, source=got[2])
    if kind == "mdrange" and not g.get("y"):
        kind = "mdrange_noy"
    point = kind in _POINT_KINDS
    for k in ("y", "m", "d", "d2"):
        v = g.get(k)
        if v and v[-1] in REDACTED:
            return _Span(kind, s, e, None, None, m, point=point, redacted=True)
    mo, d = small_int(g.get("m")), small_int(g.get("d"))
    if mo is not None and not 1 <= mo <= 12:
        return None
    # a holiday's year is the one that puts its month nearest the plan period (a Q4 plan's 元旦 is next January)
    near = mo if kind != "holiday" else _holiday_month(g["hol"])
    if g.get("y"):
        y, source = year_of(g["y"]), "text"
    elif year is not None:
        y = year
    elif kind in ("now", "relm"):
        # 即日起, 本月底: the issue date itself, never the processing day
        y, source = (reference.year, "issue_date") if reference else (None, None)
    else:
        y, source = resolve_year(near, years)
    if y is None or not 1900 <= y <= 2100:
        return _Span(kind, s, e, None, None, m, point=point, unresolved=True)
    lo = hi = None
    if kind in ("ymd", "ymd_num", "md"):
        lo = hi = dt.date(y, mo, d)
    elif kind in ("ymp", "mp"):
        lo, hi = _month_part(y, mo, g["mpart"])
    elif kind in ("ym", "ym_num", "m"):
        lo, hi = dt.date(y, mo, 1), dt.date(y, mo, _last(y, mo))
    elif kind in ("mdrange", "mdrange_noy"):
        d2 = small_int(g["d2"])
        lo, hi = dt.date(y, mo, d), dt.date(y, mo, d2)
    elif kind in ("mrange", "mlist"):
        m2 = small_int(g["m2"])
        if m2 is None or not mo < m2 <= 12 or (kind == "mlist" and m2 != mo + 1):
            return None
        lo, hi = dt.date(y, mo, 1), dt.date(y, m2, _last(y, m2))
    elif kind == "yp":
        lo, hi = _year_part(y, g["ypart"])
    elif kind == "plan_part":
        lo, hi = _year_part(y, g["ypart"].removeprefix(lexicon().triggers["year_char"]))
    elif kind == "y":
        lo, hi = dt.date(y, 1, 1), dt.date(y, 12, 31)
    elif kind == "rel":
        y2 = y + lexicon().parts["relative_years"][g["rel"]]
        lo, hi = dt.date(y2, 1, 1), dt.date(y2, 12, 31)
    elif kind == "relm":
        if reference is None:
            return _Span(kind, s, e, None, None, m, unresolved=True)
        y2, m2 = shift_month(reference.year, reference.month, lexicon().parts["relative_months"][g["relm"]])
        if g.get("d"):
            lo = hi = dt.date(y2, m2, small_int(g["d"]))
            point = True
        elif g.get("mpart"):
            lo, hi = _month_part(y2, m2, g["mpart"])
        else:
            lo, hi = dt.date(y2, m2, 1), dt.date(y2, m2, _last(y2, m2))
    elif kind == "holiday":
        lo = hi = holiday_day(g["hol"], y)
        if lo is None:
            return _Span(kind, s, e, None, None, m, point=True, unresolved=True)
    elif kind == "now":
        lo = hi = reference
        if reference is None:
            return _Span(kind, s, e, None, None, m, unresolved=True)
    elif kind == "holref":
        return _Span(kind, s, e, None, None, m, point=True)
    else:
        return None
    if lo > hi:
        return None
    return _Span(kind, s, e, lo, hi, m, point=point, source=source)


def _reinterpret(sp: _Span, year: int, source: str | None) -> _Span | None:
    """A year-less expression read again as falling in ``year`` (a range end, 明年1月)."""
    if sp.match is None or sp.redacted or sp.kind == "now":
        return None
    kind = "mdrange" if sp.kind == "mdrange_noy" else sp.kind
    out = _interpret(kind, sp.match, YearContext(), year=year, source=source)
    return out and replace(out, start=sp.start, end=sp.end)


# read before overlaps are settled: an mlist that is no period covers nothing, a pair_alone
# takes the quote before it into its span
_READ_FIRST = ("mlist", "pair_alone")


def _candidates(view: str, years: YearContext) -> list[_Span]:
    """All pattern matches that are dates, non-overlapping (longest wins), in text order.
    Overlaps are settled on the matches' spans, and only the matches kept are read."""
    found = []   # (start, end, kind, match, span if read first)
    for kind, m in lexicon().finditer(view):
        if kind not in _READ_FIRST:
            found.append((m.start(), m.end(), kind, m, None))
            continue
        sp = _interpret(kind, m, years)
        if sp is None and kind == "mlist":
            continue  # 3、5月 is two months, not a period: the second is read by itself
        # an invalid date still covers its text, so that no shorter match inside it survives
        found.append((sp.start, sp.end, kind, m, sp) if sp is not None else (m.start(), m.end(), kind, m, _INVALID))
    if len(found) > 1:
        found.sort(key=lambda f: (f[0] - f[1], f[0]))
        taken = disjoint(found, lambda f: (f[0], f[1]))
    else:
        taken = found   # one match or none: nothing overlaps
    out = []
    for start, end, kind, m, sp in taken:
        if sp is None:
            sp = _interpret(kind, m, years)
        if sp is None or sp is _INVALID:
            continue  # 2月30日, month 13: no date
        year = sp.lo.year if sp.lo else None
        if not is_not_date(sp.kind, sp.start, sp.end, year, view, years.period):
            out.append(sp)
    return out


@lru_cache(maxsize=1)
def _joiner() -> re.Pattern:
    """What joins the two ends of a range: a joiner, after a time of day of the start
    (10月15日9:00至10月16日17:30)."""
    t = lexicon().triggers
    return re.compile(r"%s\s*(?:%s)\s*" % (t["range_time"], "|".join(map(re.escape, t["range_joiners"]))))


def _joined(view: str, a: _Span, b: _Span, joiner: re.Pattern) -> bool:
    """Whether ``a`` and ``b`` are the two ends of a range: a joiner between them, or a dash
    written as 一 before an end written in Arabic digits (2023年6月1日一2023年8月31日)."""
    gap = _gap(view, a, b)
    return bool(joiner.fullmatch(gap)) or (
        gap.strip() in lexicon().triggers["digit_range_joiners"] and view[b.start:b.start + 1].isdigit())


def _gap(view: str, a: _Span, b: _Span) -> str:
    return view[a.end:b.start]


def _between(view: str, a: _Span, b: _Span) -> str:
    """The words between ``a`` and ``b`` without the spaces a PDF's text puts between words
    (上一年 12 月)."""
    return _gap(view, a, b).strip(_SPACES)


_SPACES = " \t\u3000"


def _compose(cands: list[_Span], view: str, reference) -> list[_Span]:
    """Join neighbours: 明年+1月, 三八+妇女节, A 至 B, 元旦+春节+期间, 春节…节前."""
    lex = lexicon()
    h = lex.holidays
    joiner = _joiner()
    # 1. relative year + year-less expression: 明年1月, 次年一季度, 今年上半年
    out: list[_Span] = []
    for sp in cands:
        prev = out[-1] if out else None
        # 2022年元旦, 2021年的9月: an explicit year names the year of what follows it
        if prev and prev.kind == "y" and _between(view, prev, sp) in lexicon().triggers["year_joiners"] and sp.yearless and prev.lo:
            again = _reinterpret(sp, prev.lo.year, "text")
            if again is not None:
                out[-1] = replace(again, kind="compound", start=prev.start)
                continue
        # 明年1月, 次年的3月1日前, 上年度的11月上旬前: a relative year names the year of what follows it
        if prev and prev.kind == "rel" and _between(view, prev, sp) in lex.triggers["rel_year_joiners"] \
                and sp.yearless and prev.lo:
            again = _reinterpret(sp, prev.lo.year, prev.source)
            if again is not None:
                out[-1] = replace(again, kind="compound", start=prev.start)
                continue
        # “三八”妇女节, “五一”国际劳动节, 八一建军节: the second word names the same day (the
        # mention is the first, as annotated)
        if prev and prev.kind == sp.kind == "holiday" and prev.lo == sp.lo and sp.start - prev.end <= 3:
            out[-1] = replace(prev, trigger_at=sp.end)
            continue
        out.append(sp)
    # 2. ranges, holiday pairs, bare 节前
    spans: list[_Span] = []
    i = 0
    while i < len(out):
        sp = out[i]
        nxt = out[i + 1] if i + 1 < len(out) else None
        if sp.kind == "holref":
            hol = next((p for p in reversed(spans) if p.kind in ("holiday", "pair") and p.hi), None)
            if hol is not None and not (spans and spans[-1].end == sp.start):
                spans.append(replace(sp, lo=hol.hi, hi=hol.hi, kind="holref"))
            elif spans and spans[-1].kind == "holiday" and spans[-1].end == sp.start:
                pass  # 春节节前: the 节前 is read as the holiday's deadline suffix below
            i += 1
            continue
        if nxt is not None and not sp.redacted and not nxt.redacted and _joined(view, sp, nxt, joiner) \
                and nxt.kind not in ("now", "holref") and (sp.kind != "now" or nxt.lo is not None):
            b = nxt
            if sp.lo and b.yearless:
                b = _reinterpret(b, sp.lo.year, sp.source) or b
            if sp.lo and b.hi and b.hi < sp.lo and b.yearless:
                b = _reinterpret(b, sp.lo.year + 1, sp.source) or b
            lo, hi = sp.lo, b.hi
            if lo and hi and lo > hi:
                lo, hi = None, None
            spans.append(_Span("range", sp.start, b.end, lo, hi, unresolved=sp.unresolved or b.unresolved,
                               source=sp.source or b.source))
            i += 2
            continue
        if nxt is not None and sp.kind == nxt.kind == "holiday" and view[sp.end:nxt.start] in h["pair_joiners"]:
            m = _pair_tail().match(view, nxt.end)
            if m and sp.lo and nxt.lo:
                # 国庆中秋期间 in a year whose 中秋 comes first: from the earlier to the later
                spans.append(_Span("pair", sp.start, m.end(), min(sp.lo, nxt.lo), max(sp.hi, nxt.hi),
                                   source=sp.source))
                i += 2
                continue
        if sp.kind == "now":
            # 即日起: a start on the issue date; a bare 当前 / 目前 is vague
            mark = lexicon().triggers["start_mark"]
            if view.startswith(mark, sp.end) or sp.match.group("now").endswith(mark):
                spans.append(sp)
            i += 1
            continue
        spans.append(sp)
        i += 1
    return spans


@lru_cache(maxsize=None)
def _longest_first(trigger_list: str) -> tuple[str, ...]:
    """The words of ``triggers.yaml``'s list ``trigger_list``, longest first (stable)."""
    return tuple(sorted(lexicon().triggers[trigger_list], key=len, reverse=True))


def _starts_with_any(s: str, trigger_list: str) -> str | None:
    words = _longest_first(trigger_list)
    if not s.startswith(words):     # one C-level test first: most texts start with none
        return None
    return next((w for w in words if s.startswith(w)), None)


def _ends_with_any(s: str, trigger_list: str) -> str | None:
    words = _longest_first(trigger_list)
    if not s.endswith(words):
        return None
    return next((w for w in words if s.endswith(w)), None)


def _to_mention(sp: _Span, text: str, view: str, reference) -> DateMention:
    t = lexicon().triggers
    start, end = sp.lo, sp.hi
    kind = "point" if sp.point and sp.lo == sp.hi and sp.kind not in ("range", "pair") else "period"
    c0, c1 = sp.start, sp.end
    gap = _suffix_gap().match(view, sp.trigger_at or c1)
    tail = view[gap.end():gap.end() + 6]
    head = view[max(0, c0 - 8):c0]
    suffix = _starts_with_any(tail, "deadline_suffixes")
    if suffix and _starts_with_any(tail, "not_deadline"):
        suffix = None
    prefix = _ends_with_any(head, "deadline_prefixes")
    starter = _starts_with_any(tail, "start_suffixes")
    now_end = _starts_with_any(view[c1:c1 + 4], "now_end_words")
    if sp.kind == "holref":
        kind, start = "deadline", None
    elif sp.kind == "now":
        kind, end = "start", None
        if view.startswith(lexicon().triggers["start_mark"], c1):
            c1 += len(lexicon().triggers["start_mark"])
    elif now_end:
        kind, end, c1 = ("period", reference, c1 + len(now_end)) if reference else ("start", None, c1 + len(now_end))
    elif suffix and sp.kind in ("range", "pair") and sp.lo is not None and suffix in t["range_closers"]:
        c1 = gap.end() + len(suffix)
    elif suffix or prefix:
        kind, start = "deadline", None
        if suffix:
            c1 = gap.end() + len(suffix)
        c0 -= len(prefix or "")
    elif _deadline_label(head) and not (sp.kind in ("range", "pair") or "range" in sp.kind or "pair" in sp.kind):
        # 完成时限：6月 is when it is due; 完成时限：3-5月 stays a period
        kind, start = "deadline", None
    elif sp.kind not in ("range", "pair", "now") and _ends_with_any(head, "deadline_open_prefixes") is not None:
        kind, start = "deadline", None
        c0 -= len(_ends_with_any(head, "deadline_open_prefixes"))
    elif starter or _start_by_verb(view, c0, c1):
        kind, end = "start", None
        if starter in t["start_in_text"]:
            c1 = gap.end() + len(starter)
    if (kind == "start" or sp.kind == "range") and c0 == sp.start:
        c0 -= len(_ends_with_any(head, "start_prefixes") or "")   # 自5月1日起, 自2012年2月1日至…
    if sp.redacted or sp.unresolved:
        start = end = None
    if start and end and start > end:
        start, end = end, start
    source = sp.source if (start or end) else None
    return DateMention(text[c0:c1], start, end, kind, c0, c1, sp.redacted, source)


@lru_cache(maxsize=1)
def _pair_tail() -> re.Pattern:
    """What closes two holidays into one period: (“两节”)期间 / 假期 / 前后."""
    h = lexicon().holidays
    return re.compile(r"(?:[" + re.escape(_OPENING_QUOTES) + "]?(?:" + "|".join(map(re.escape, h["pair_names"]))
                      + r")[" + re.escape(_CLOSING_QUOTES) + "]?)?(?:"
                      + "|".join(map(re.escape, h["pair_span"])) + ")")


@lru_cache(maxsize=1)
def _suffix_gap() -> re.Pattern:
    return re.compile(lexicon().triggers["suffix_gap"])


@lru_cache(maxsize=1)
def _deadline_label_rx() -> re.Pattern:
    labels = "|".join(map(re.escape, _longest_first("deadline_labels")))
    return re.compile(rf"(?:{labels})" + lexicon().triggers["deadline_label_tail"])


def _deadline_label(head: str) -> bool:
    """截止时间为10月31日, 报送截止日期：10月31日: a label right before the expression."""
    return _deadline_label_rx().search(head) is not None


def _start_by_verb(view: str, c0: int, c1: int) -> bool:
    """将于11月启动: a preposition before, a start verb right after (adverbs allowed)."""
    t = lexicon().triggers
    head = view[max(0, c0 - 4):c0].rstrip()
    if not head.endswith(_longest_first("start_prepositions")):
        return False
    rest = view[c1:c1 + 8].lstrip()
    adverb = _starts_with_any(rest, "start_adverbs")
    if adverb:
        rest = rest[len(adverb):]
    return _starts_with_any(rest, "start_verbs") is not None


def parse_dates(text: str, reference: dt.date | None = None,
                period: tuple[dt.date, dt.date] | None = None,
                years: YearContext | None = None, view: str | None = None) -> list[DateMention]:
    """Every date expression of ``text`` in text order (see the module doc). ``years``
    (``dates_year.document_years``) gives every year source of the document; without it
    the year sources are ``reference`` and ``period``. A bug raises: ``process.py`` turns
    it into an ``extractor_failed`` warning for the task. ``view``: ``matching_view(text)``
    when the caller has it."""
    view = matching_view(text) if view is None else view
    return over_pieces(lambda piece, piece_view: _parse(piece, reference, period, years, piece_view), text, view)


def _parse(text: str, reference: dt.date | None, period, years: YearContext | None = None,
           view: str | None = None) -> list[DateMention]:
    if not isinstance(text, str) or not text:
        return []
    if years is None:
        years = _context(reference, period)
    reference = years.issue_date
    view = matching_view(text) if view is None else view
    candidates = _candidates(view, years)
    if not candidates:
        return []   # most tasks: nothing to compose
    spans = _compose(candidates, view, reference)
    if years.standing_rule:
        spans = [sp for sp in spans if _writes_year(sp)]   # the rest recur every year
    out: list[DateMention] = []
    for sp in spans:
        mention = _to_mention(sp, text, view, reference)
        if out and mention.char_start < out[-1].char_end:
            continue  # a prefix or suffix reached into the previous mention
        out.append(mention)
    return _share_triggers(out, view)


@lru_cache(maxsize=64)
def _context(reference: dt.date | None, period) -> YearContext:
    return YearContext.of(reference, tuple(period) if period else None)


def _writes_year(sp: _Span) -> bool:
    """The expression writes its year (2023年5月1日, 2022年元旦, 2021年10月15日至11月15日, 20XX年X月)
    or names the issue date (即日起)."""
    return sp.source == "text" or sp.kind == "now" or bool(sp.match and sp.match.groupdict().get("y"))


def _share_triggers(mentions: list[DateMention], view: str) -> list[DateMention]:
    """Dates of a list that share one trigger share its kind (GUIDELINES §7): in
    ``5月10日、7月20日前`` both are deadlines; in ``3月1日、4月1日起`` both starts."""
    joiners = lexicon().triggers["list_joiners"]
    out = list(mentions)
    for i in range(len(out) - 2, -1, -1):
        a, b = out[i], out[i + 1]
        if b.kind not in ("deadline", "start") or a.kind not in ("point", "period") or a.start is None and a.end is None:
            continue
        if view[a.char_end:b.char_start].strip() not in joiners:
            continue
        if b.kind == "deadline" and b.start is None:
            out[i] = replace(a, kind="deadline", start=None)
        elif b.kind == "start" and b.end is None:
            out[i] = replace(a, kind="start", end=None)
    return out
