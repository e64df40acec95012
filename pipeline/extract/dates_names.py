"""Which matched expressions are not dates (GUIDELINES §4 "Not dates").

``is_not_date(kind, start, end, lo_year, view, period)`` -> True when the match
``view[start:end]`` of pattern ``kind`` is part of a name (a programme, document, award:
``2021年度…``, ``《…》``, ``2022年“嘉定工匠”…``, ``市五一劳动奖``), a duration or age
(``三年内``, ``70周年``), a recurring schedule (``每年3月``) or a piece of another word
(``相当年轻``, ``统一月报``). Everything it knows is in ``models/dates/triggers.yaml``
and ``models/dates/holidays.yaml``.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..text.punctuation import (CLAUSE_BREAK, DOUBLE_CLOSE, DOUBLE_OPEN, STRAIGHT_QUOTE, chars, first_mark,
                                inside_quotes, last_mark)
from ..text.numerals import DIGIT_CHARS, UNIT_CHARS
from .dates_lex import lexicon

_YEAR_KINDS = ("y", "yp", "ym", "ymp", "ymd")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_FOUR_DIGITS = re.compile(r"\d{4}")


def _holiday_is_name(start: int, end: int, view: str) -> bool:
    h = lexicon().holidays
    after = view[end:end + 4]
    needs = h["holidays"][view[start:end]].get("needs_after") if view[start:end] in h["holidays"] else None
    if needs and not view[end:].lstrip(DOUBLE_CLOSE + STRAIGHT_QUOTE).startswith(tuple(needs)):
        return True
    before = view[max(0, start - 2):start]
    quoted = start > 0 and view[start - 1] in DOUBLE_OPEN + STRAIGHT_QUOTE \
        and view[end:end + 1] != "" and view[end] in DOUBLE_CLOSE + STRAIGHT_QUOTE
    if after.startswith(_holiday_words("name_followers")):
        return True
    if quoted:
        rest = view[end + 1:end + 5]
        if rest.startswith(_holiday_words("name_followers")):
            return True
        return not rest.startswith(_holiday_words("after_quote"))
    # “书香三八”, “庆三八”, “迎五一”: a slogan inside quotes
    if inside_quotes(view, start) and before.endswith(_holiday_words("name_preceders")):
        return True
    return False


@lru_cache(maxsize=None)
def _trigger_rx(name: str) -> re.Pattern:
    """The regex ``name`` of triggers.yaml, compiled."""
    return re.compile(lexicon().triggers[name])


@lru_cache(maxsize=1)
def _doc_reference() -> re.Pattern:
    return re.compile(lexicon().triggers["doc_reference_after"])


@lru_cache(maxsize=1)
def _cn_num() -> frozenset[str]:
    """Characters of a Chinese numeral, and words that stand where one does (几, 元月's 元)."""
    lex = lexicon()
    return frozenset(DIGIT_CHARS + UNIT_CHARS) | frozenset(lex.triggers["numeral_like"]) \
        | frozenset(lex.parts["month_aliases"])


@lru_cache(maxsize=None)
def _holiday_words(name: str) -> tuple[str, ...]:
    """The list ``name`` of ``holidays.yaml`` as a tuple (for ``str.startswith``/``endswith``)."""
    return tuple(lexicon().holidays[name])


@lru_cache(maxsize=None)
def _words(name: str) -> tuple[str, ...]:
    """The list ``name`` of ``triggers.yaml`` as a tuple (for ``str.startswith``/``endswith``)."""
    return tuple(lexicon().triggers[name])


_TITLE_MARKS = ("《》",)   # a title's marks (inside_quotes' pairs)

# expressions that write no year of their own (a composed range keeps its first end's kind)
_NO_YEAR_KINDS = ("md", "mp", "m", "mrange", "mlist", "mdrange_noy", "plan_part", "holiday", "rel", "relm")


def _recurring(view: str, start: int, breaks: str = "clause_break", markers: str = "recurring_markers") -> bool:
    """每月5日前报送上月数据: a schedule marker earlier in the same clause (``breaks``, a class
    of models/text/punctuation.yaml: ``sentence_end``: in the same sentence, with
    ``sentence_recurring_markers``)."""
    clause_start = last_mark(view, chars(breaks), start) + 1
    # a marker wholly inside view[clause_start:start]: one search of the words' alternation
    # bounded by the clause (endpos), in C
    return _markers_rx(markers).search(view, clause_start, start) is not None


@lru_cache(maxsize=None)
def _markers_rx(markers: str) -> re.Pattern:
    """The words of the trigger list ``markers`` as one alternation."""
    return re.compile("|".join(map(re.escape, lexicon().triggers[markers])))


def _clause_has(view: str, pos: int, trigger_list: str) -> bool:
    """Whether the clause from ``pos`` to its end holds a word of ``trigger_list``."""
    t = lexicon().triggers
    end = first_mark(view, CLAUSE_BREAK, pos)
    clause = view[pos:end if end >= 0 else len(view)]
    return any(w in clause for w in t[trigger_list])


def is_not_date(kind: str, start: int, end: int, lo_year: int | None, view: str, period) -> bool:
    """True when ``view[start:end]``, matched by pattern ``kind``, is no calendar expression."""
    t = lexicon().triggers
    after = view[end:end + 4]
    before = view[max(0, start - 3):start]
    prev = view[start - 1:start] if start else ""
    if inside_quotes(view, start, _TITLE_MARKS):
        return True
    if _recurring(view, start) or kind in _NO_YEAR_KINDS \
            and _recurring(view, start, "sentence_end", "sentence_recurring_markers"):
        return True
    if before.endswith(_words("not_before")) or after.startswith(_words("not_after")):
        return True
    if kind in ("ymd_num", "ym_num") and (after.startswith(_words("amount_after"))
                                          or _trigger_rx("number_row_before").search(view, max(0, start - 16), start)
                                          or _trigger_rx("number_row_after").match(view[end:end + 16])):
        return True   # 2021.5万元; 3276.89 1984.05 70226.61 (a row of a statistics table)
    if kind in _YEAR_KINDS or (kind in ("mrange", "mlist", "mdrange") and view[start:start + 1].isdigit()
                               and _FOUR_DIGITS.match(view[start:start + 4])):
        if kind in ("y", "yp", "ym") and view[end:end + 64].lstrip().startswith(_words("year_name_followers")):
            return True
        if kind in ("y", "yp", "ym") and inside_quotes(view, start):
            return True
    if kind in _YEAR_KINDS and _doc_reference().match(view, end):
        return True   # 原2005年电监会令第14号
    if kind == "y":
        # a year after a bare year and a joiner is a name's span (2020-2021年度, 2021—2025年规划)
        if _trigger_rx("year_span_before").search(view[max(0, start - 64):start]):
            return True
        # the plan's own single year as a bare modifier (2021年服务职工的实事项目) times nothing
        # 2021年是建党100周年: the year an anniversary falls in names the anniversary
        if after.startswith(t["anniversary_copula"]) and _clause_has(view, end, "anniversary_words"):
            return True
        if period and lo_year is not None and lo_year == period[0].year == period[1].year \
                and not after.startswith(_words("plan_year_keep_after")) \
                and not _trigger_rx("year_to_before").search(view[max(0, start - 64):start]):
            return True
    if kind in ("rel", "plan_part"):
        if prev in t["rel_not_before"]:
            return True
        if view.startswith(t["year_char"], start) and (prev.isdigit() or prev in _cn_num()):
            return True  # 三年内, 5年中: a duration
    if kind in ("m", "mp", "md", "mrange", "mlist", "mdrange") and view[start:start + 1] in _cn_num():
        if prev and _CJK.match(prev) and prev not in t["cn_month_ok_before"]:
            return True  # 统一月报
    if kind == "holiday":
        return _holiday_is_name(start, end, view)
    return False
