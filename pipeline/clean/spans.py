"""Joining the lines of a web copy that put every inline span on a line of its own (a few
characters, a number, the rest of a sentence on each line): ``spans_copy(texts)`` tells such
a copy, ``span_join`` whether a line goes on the sentence before it (``spans`` in
``models/clean/debris.yaml``)."""
from __future__ import annotations

import bisect
import re
from functools import lru_cache

from ..lexicon import load_yaml
from ..text.labels import is_bare_label, match_label, starts_with_label
from ..text.table_text import is_table_row
from .lines import (CLOSERS, COLONS, DASHES, DOTS, NO_LINE_START, OPEN_END, PROSE, STOPS, is_title, join_rules,
                    own_title, title_rules, unbalanced)


@lru_cache(maxsize=1)
def _span_rules() -> tuple[dict, re.Pattern, re.Pattern]:
    cfg = load_yaml("clean/debris.yaml")
    return cfg["spans"], re.compile(cfg["date_line"]), re.compile(cfg["spans"]["number"])


def spans_copy(texts: list[str]) -> bool:
    """Is this a web copy that put every inline span on a line of its own (``spans`` in
    ``debris.yaml``): many fragment lines, and lines that start with the rest of a sentence
    (，、）) or end in an open bracket (（中发〔)?"""
    cfg = _span_rules()[0]
    n = len(texts)
    if not n:
        return False
    # (the lengths sorted: the short lines counted without a Python step per line)
    if bisect.bisect_right(sorted(map(len, texts)), cfg["fragment"]) < cfg["min_short"] * n:
        return False
    broken = sum(t[0] in NO_LINE_START or t[-1] in OPEN_END for t in texts)
    return broken >= cfg["min_broken"] * n


_DATE_AHEAD = 8     # lines a date broken into spans spreads over (202 / 5 / 年 / 11 / 月 / 25 / 日)
_LABEL_HEAD = 24    # characters of a paragraph that hold its label (and what the label pattern reads after it)


def span_join(prev: str, nxt: str, prev_line: str, texts: list[str], i: int) -> bool:
    """In a copy that put every inline span on a line of its own, does ``nxt`` (``texts[i]``)
    go on the sentence of ``prev`` (the paragraph so far, whose last line is ``prev_line``,
    ``texts[i - 1]``)? Yes where one of
    the two lines is a fragment (a few characters, or a number), or where both hold prose
    (…为切实做好代理购电 / 工作，保障…). Not where ``prev`` ends a sentence or a lead-in,
    nor before a numbered item (``2`` / ``．`` / text), a field label of the page (名 称 ：),
    a title (关于…) or a signature (organisations above a date) after a line without
    punctuation, nor after a title, a date or a heading, nor between the numbers of a table's
    cells (three numbers on lines of their own)."""
    last = prev[-1]
    if last in STOPS or last in COLONS:
        return False    # (a closing bracket does not end it here: …（中发〔2015〕9号） / 及其配套文件)
    cfg, date_line, number = _span_rules()
    frag = cfg["fragment"]
    prev_num = number.fullmatch(prev_line) is not None
    nxt_num = number.fullmatch(nxt) is not None
    prev_frag = prev_num or len(prev_line) <= frag
    nxt_frag = nxt_num or len(nxt) <= frag
    # a sentence so far: prose marks, or an article's text (第三条 / 市工业和信息化局是…主管 / 部门，…)
    lab = match_label(prev[:_LABEL_HEAD])    # (a label and what may follow it: the memo holds short keys)
    prose = PROSE.search(prev, lab.end if lab else 0) is not None or (lab is not None and lab.rank is not None)
    if not (prev_frag or nxt_frag or (prose and last not in CLOSERS)):
        return False
    ahead = texts[i:i + 2 * _DATE_AHEAD]     # nxt and the lines after it
    behind = texts[i - 2] if i > 1 else ""   # the line before prev_line
    # nxt with the mark the next line starts with (项目申报主体为… / ，), and with the fragments
    # after it while it is one itself (2 / ．/ 天津市… and （ / 八 / ） / 加强… are items)
    glued = nxt + ahead[1] if len(ahead) > 1 and ahead[1][0] in NO_LINE_START else nxt
    start = nxt
    for more in ahead[1:_DATE_AHEAD]:
        if len(start) > frag:
            break
        start += more
    # (after a number, a bracketed number or a dash is no label: 220 / （ / 330 / ）千伏, 2025 / —2027年)
    after_number = last.isdigit()
    if starts_with_label(nxt) or (not after_number and (starts_with_label(start) or is_bare_label(start))) \
            or nxt.startswith(join_rules()[1]) or (nxt[0] in DASHES and not after_number and not unbalanced(prev)) \
            or is_table_row(prev) or is_table_row(nxt):
        return False
    if nxt[-1] in COLONS and 1 < len(nxt) <= cfg["field_label"]:
        return False    # 发 布 机 构 ：
    if (is_title(prev) and not (nxt_frag and title_rules()[1].search(nxt))) \
            or (last in CLOSERS and own_title(prev)):
        return False    # a title (关于…的通知（川发改价格〔2021〕544号）) / 字体【; but …实施细则 / 的通知
    if prev.startswith(join_rules()[1]) and not prose and not nxt_num:
        return False    # an attachment's heading (附件 / 用电分类; 附件 / 1 is one)
    m = date_line.match(prev)
    if m and m.end() >= len(prev) - 3:
        return False    # a date or a document number alone (2019年12月3日星期二, 内发改价费字〔2025〕661号)
    if nxt_num and _column(behind, prev_line, nxt, *ahead[1:3]):
        return False    # the cells of a table's column (0.2560 / 0.2296 / 0.1989; 0.3442 / 0.3292)
    if not prose:
        if lab is None and not prev_num and not nxt_num \
                and not PROSE.search("".join(ahead[:_DATE_AHEAD])) and not own_title(prev):
            return False    # words without punctuation around, not a title's (…关于 / 印发 / 2022 / 年电力 / …)
            #                 nor an item's (2．天津市 / 绿电交易): a site's menu (返回首页 / 页面放大)
        if own_title(nxt):
            return False    # a title after the page's header (有 效 性 ： / 有效 / 市…关于…)
        if not own_title(prev) and _date_ahead(ahead, date_line, here_only=lab is not None and nxt_frag):
            return False    # a signature (organisation(s), then the date), a page's 朗读 / 内能源电力字〔2025〕782号
            #                 (not inside a title; after an item's text, only a date right here:
            #                 2．天津市 / 绿电交易 / 市工业和信息化局 / 2025 / 年 …)
        if lab is not None and len(prev) - lab.end > 1 and (
                (not prev_frag and not nxt_num) or (not nxt_frag and PROSE.search(glued.rstrip(STOPS)))):
            return False    # a heading (一、交易电量规模; （二） / 强化运行管理; 1. / 电价), then the item's text
            #                 (预计 / 2026 / …; 项目申报主体为… / ，), not the heading's end (二、 / 各地 / 要 /
            #                 加强 / 需求侧管理 / 。), a word cut after its first character (（四）有 / 降碳…)
            #                 nor an article's text (第十条 / 鼓励 / …)
    return True


def _column(behind: str, prev_line: str, nxt: str, *after: str) -> bool:
    """Is number ``nxt`` (after ``prev_line`` and ``behind``, before the lines ``after``) a cell
    of a table's column: three numbers on lines of their own in a row, or two decimals side by
    side (not the spans of one number: 202 / 3, 3 / 45)?"""
    number = _span_rules()[2].fullmatch
    a1 = after[0] if after else ""
    a2 = after[1] if len(after) > 1 else ""
    prev_num, a1_num = number(prev_line) is not None, number(a1) is not None
    return (prev_num and (number(behind) is not None or a1_num or len(DOTS.findall(prev_line + nxt)) >= 2)) \
        or (a1_num and (number(a2) is not None or len(DOTS.findall(nxt + a1)) >= 2))


def _date_ahead(ahead: list[str], date_line: re.Pattern, here_only: bool = False) -> bool:
    """Does a date or a document number start at one of the first lines of ``ahead`` (all
    without punctuation before it; ``here_only``: at the first)? The lines are read joined
    (it may be broken into spans): ``date_line`` is matched at each line's start in one string."""
    joined, pos = "".join(ahead), 0
    for k in range(1 if here_only else min(_DATE_AHEAD, len(ahead))):   # (ahead: 2 × _DATE_AHEAD lines)
        if date_line.match(joined, pos):
            return True
        if PROSE.search(ahead[k]):
            return False
        pos += len(ahead[k])
    return False

