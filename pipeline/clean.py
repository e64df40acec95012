"""Clean: raw text -> the one clean text all character offsets refer to.

``clean(raw)`` returns a ``CleanText`` with the text and an offset map back to the
raw text (like pdfplumber's TextMap): every clean character knows the raw character
it came from. What it does, in order:
1. split into lines, strip indentation and trailing blanks (full-width spaces too);
2. remove inline artefacts and web watermarks, drop debris lines
   (``models/clean/debris.yaml``);
3. drop a web page's excerpt line: a line whose text is the start of what follows
   (a site's teaser repeats the title and first sentence, truncated);
4. join lines that a page break split mid-sentence (the line does not end a
   sentence and the next one does not start a numbered item or a heading), and, in a
   hard-wrapped copy (OCR, a PDF's text layer saved as text), every line cut at the page
   width (``wrap`` in ``debris.yaml``);
5. keep real paragraph breaks as one ``\\n``; blank lines are dropped.
Nothing is inserted: the clean text is a sequence of slices of the raw text, read
with radical and compatibility forms (``⻔`` for 门) as the ordinary characters
(``text.charmap.fold``, one character for one).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from .text.charmap import fold
from .text.table_text import is_table_row
from .lexicon import load_yaml
from .text.labels import is_bare_label, match_label, starts_with_label
from .text.punctuation import BRACKET_OPENERS, BRACKETS, LINE_END, OCR_CLOSERS, char_class, chars

_WS = " \t\u3000\u00a0\ufeff\r\f\v"
SENTENCE_END = LINE_END
_OPENERS = BRACKETS
_COLONS = chars("colons")
_DASHES = chars("dashes")
_SENTENCE_MARK = re.compile(char_class("sentence_end", wide_only=True))
_LIST_MARKS = chars("commas") + chars("pause")
_NO_LINE_START = chars("no_line_start")
_OPEN_END = chars("open_end") + BRACKET_OPENERS
_STOPS = chars("sentence_end")
_CLOSERS = chars("closers")
_DOTS = re.compile("[." + chars("wide_dot") + "]")
_PROSE = re.compile(char_class("prose_mark", wide_only=True))


@dataclass(frozen=True)
class CleanText:
    """The clean text and, for each of its characters, the raw offset it came from.
    The offsets are kept as runs ``(clean_start, raw_start, length)`` of consecutive raw
    characters; ``raw_offsets``, the offset of every character, is built on first use."""
    text: str
    runs: tuple[tuple[int, int, int], ...] = ()

    @cached_property
    def raw_offsets(self) -> tuple[int, ...]:
        """The raw offset of every clean character (ascending)."""
        out: list[int] = []
        for _, raw_start, length in self.runs:
            out.extend(range(raw_start, raw_start + length))
        return tuple(out)

    def to_raw(self, offset: int) -> int:
        """Raw offset of clean offset ``offset`` (the end offset maps past the last char)."""
        if not self.raw_offsets:
            return 0
        if offset >= len(self.raw_offsets):
            return self.raw_offsets[-1] + 1
        return self.raw_offsets[offset]

    def from_raw(self, raw_offset: int) -> int:
        """First clean offset whose raw offset is ``>= raw_offset``."""
        return bisect.bisect_left(self.raw_offsets, raw_offset)


@lru_cache(maxsize=1)
def _rules():
    cfg = load_yaml("clean/debris.yaml")
    entries = [e if isinstance(e, dict) else {"pattern": e} for e in cfg["inline"]]
    inline = re.compile("|".join(f"(?:{e['pattern']})" for e in entries))
    # the line is searched only when it holds what some pattern needs (None: always),
    # and then with the patterns whose needs it holds (the others match nowhere in it)
    needs = None if any(not e.get("needs") for e in entries) else \
        re.compile("|".join(re.escape(e["needs"]) for e in entries)).search
    if needs is not None:
        inline = _InlineByNeeds(tuple((e["pattern"], e["needs"]) for e in entries))
    page_numbers = load_yaml("text/page_numbers.yaml")["anywhere"]
    lines = re.compile("|".join(f"(?:{p})" for p in cfg["lines"] + page_numbers))
    return inline, needs, lines, int(cfg.get("max_line_chars", 60))


class _InlineByNeeds:
    """The inline patterns' alternation, narrowed to the patterns whose ``needs`` a line
    holds: the same matches (a pattern whose needs are absent matches nowhere in the line;
    the branches keep their order), without trying the others at every position."""

    def __init__(self, entries: tuple[tuple[str, str], ...]):
        self.entries = entries

    def finditer(self, text: str):
        present = tuple(i for i, (_, need) in enumerate(self.entries) if need in text)
        return _inline_of(self.entries, present).finditer(text)


@lru_cache(maxsize=64)
def _inline_of(entries: tuple[tuple[str, str], ...], present: tuple[int, ...]) -> re.Pattern:
    return re.compile("|".join(f"(?:{entries[i][0]})" for i in present) or "(?!)")


# A line is a list of (raw_start, raw_end) slices; helpers keep text and slices together.
Line = list[tuple[int, int]]


def _remove_spans(line: Line, spans: list[tuple[int, int]]) -> Line:
    """Remove the line-relative character spans from the line's slices."""
    if not spans:
        return line
    out: Line = []
    pos = 0  # line-relative offset of the current slice start
    for a, b in line:
        seg_len = b - a
        cur = a
        for s, e in spans:
            s_abs, e_abs = a + (s - pos), a + (e - pos)
            if e_abs <= cur or s_abs >= b:
                continue
            if s_abs > cur:
                out.append((cur, s_abs))
            cur = max(cur, min(e_abs, b))
        if cur < b:
            out.append((cur, b))
        pos += seg_len
    return out


def _cut(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` without the (ascending, non-overlapping) spans."""
    out, pos = [], 0
    for s, e in spans:
        out.append(text[pos:s])
        pos = e
    out.append(text[pos:])
    return "".join(out)


def _strip(line: Line, text: str) -> tuple[Line, str]:
    """The line and its text without leading and trailing blanks (a tab row keeps its
    empty end cells: tabs are not stripped from a line holding two or more)."""
    ws = _WS.replace("\t", "") if text.count("\t") >= 2 else _WS
    left = len(text) - len(text.lstrip(ws))
    right = len(text.rstrip(ws))
    if right <= left:
        return [], ""
    if len(line) == 1:      # one slice (nothing removed inside the line): narrow it
        a = line[0][0]
        return [(a + left, a + right)], text[left:right]
    spans = [(0, left)] if left else []
    if right < len(text):
        spans.append((right, len(text)))
    return _remove_spans(line, spans), text[left:right]


_LINE_BREAK = re.compile(r"(\r\n|\n|\r|\u2028|\u2029)")


_OTHER_BREAKS = re.compile("[\r\u2028\u2029]")


def _split_lines(raw: str) -> list[tuple[int, int, str]]:
    """``(raw_start, raw_end, text)`` of every line."""
    if _OTHER_BREAKS.search(raw) is None:    # "\n" alone breaks lines (most texts)
        out, start = [], 0
        for text in raw.split("\n"):
            end = start + len(text)
            out.append((start, end, text))
            start = end + 1
        return out
    parts = _LINE_BREAK.split(raw)    # text, break, text, break, …, text
    out, start = [], 0
    for i in range(0, len(parts), 2):
        text = parts[i]
        end = start + len(text)
        out.append((start, end, text))
        if i + 1 < len(parts):
            end += len(parts[i + 1])
        start = end
    return out


_ANY_OPENER = re.compile("|".join(map(re.escape, _OPENERS)))


def _unbalanced(text: str) -> bool:
    if _ANY_OPENER.search(text) is None:
        return False    # no bracket opened (one scan instead of one count per bracket)
    for o, c in _OPENERS.items():
        n = text.count(o)
        if not n:
            continue
        closed = text.count(c)
        if n <= closed:
            continue
        if n > closed + 1:
            return True
        # one closer short: a closer OCR misread (《…意见>) counts only where it ends the line
        # and its own opener (< of a tag, 〈 of a nested title) was not opened after the bracket
        own = OCR_CLOSERS.get(o, {}).get(text[-1:])
        if own is None or own in text[text.rfind(o):]:
            return True
    return False


def _ends_sentence(text: str) -> bool:
    return bool(text) and text[-1] in SENTENCE_END


def _is_excerpt(core: str, following: str) -> bool:
    """A teaser line: its text (blanks removed, minus final punctuation) starts what
    follows (the next lines, blanks removed)."""
    return len(core) >= 15 and following.startswith(core)


def _maybe_excerpt(squeezed: list[str], i: int) -> bool:
    """``_is_excerpt`` of line ``i`` against the next three lines, without joining them
    when the next line's first character already differs."""
    core = squeezed[i].rstrip("。.…")
    if len(core) < 15:
        return False
    nxt = squeezed[i + 1] if i + 1 < len(squeezed) else ""
    if nxt and nxt[0] != core[0]:
        return False
    return _is_excerpt(core, "".join(squeezed[i + 1:i + 4]))


_FRAGMENT_TAIL = 8   # characters before the break the date_fragment pattern is shown


@lru_cache(maxsize=1)
def _join_rules() -> tuple[re.Pattern, tuple[str, ...]]:
    """The break inside a date or a document number, and what opens a new line (``debris.yaml``)."""
    cfg = load_yaml("clean/debris.yaml")
    return re.compile(cfg["date_fragment"]), tuple(cfg["opens_new"])


@lru_cache(maxsize=1)
def _wrap_rules():
    cfg = load_yaml("clean/debris.yaml")["wrap"]
    return cfg, re.compile(cfg["half_width"])


def _width(text: str) -> float:
    """Display width in CJK cells: half-width characters take half a cell."""
    return len(text) - len(_wrap_rules()[1].findall(text)) / 2


def wrap_width(texts: list[str]) -> float | None:
    """The page width a hard-wrapped copy cut its lines at (in cells), or None when the lines
    do not share one: the widest width that, with its neighbours (±1), at least ``min_share``
    of the lines reach, and ``wide_share`` of those lines themselves."""
    band = _wrap_width(texts, _widths(texts))
    return None if band is None else band[1]


def _widths(texts: list[str]) -> list[float]:
    """``_width`` of every text (one pattern and function looked up for all)."""
    half = _wrap_rules()[1].findall
    return [len(t) - len(half(t)) / 2 for t in texts]


def _wrap_width(texts: list[str], widths: list[float]) -> tuple[float, float] | None:
    """(commonest, widest) width of the band of widths (w ± 1) the lines of a hard-wrapped copy
    reach, or None. The two differ where the copy lost the indent of many first lines (第一条
    为… two cells short of the page width, as common as the full lines): the page width is
    the widest one, and the commonest still bounds how short a cut line may be."""
    cfg = _wrap_rules()[0]
    if len(texts) < cfg["min_lines"]:
        return None
    counts: dict[int, int] = {}
    run_on: dict[int, int] = {}
    for t, width in zip(texts, widths):   # _ends_sentence, inline (every line of every text)
        w = round(width)
        counts[w] = counts.get(w, 0) + 1
        if not t or t[-1] not in SENTENCE_END:
            run_on[w] = run_on.get(w, 0) + 1
    need, min_width, count = cfg["min_share"] * len(texts), cfg["min_width"], counts.get
    for w in sorted(counts, reverse=True):
        if w < min_width:
            break
        n = count(w - 1, 0) + count(w, 0) + count(w + 1, 0)     # the band w ± 1
        if n >= need:
            band = (w - 1, w, w + 1)
            if sum(run_on.get(k, 0) for k in band) < cfg["min_run_on"] * n:
                return None
            common = max(band, key=lambda k: counts.get(k, 0))
            widest = max(k for k in band if count(k, 0) >= cfg["wide_share"] * n)
            return float(common), float(max(common, widest))
    return None


def _cut_at_width(line_width: float, width: tuple[float, float] | None, line: str = "") -> bool:
    """A line ``line_width`` cells wide ends where a hard-wrapped copy's page width cut it
    (not before it); ``width``: the (commonest, widest) width of ``_wrap_width``. A ``line``
    opening with a numbering label may be ``label_gap`` cells shorter still: the copy lost the
    blank after its label with the indent (第三十四条　采用… printed, 第三十四条 采用… or
    第三条本规则… in the copy)."""
    if width is None:
        return False
    cfg = _wrap_rules()[0]
    low = width[0] - cfg["indent"] - cfg["tolerance"]
    if line_width > width[1] + cfg["tolerance"]:
        return False
    return low <= line_width or (low - cfg["label_gap"] <= line_width and starts_with_label(line))


def _should_join(prev: str, nxt: str, after: str | None, prev_line: str, cut: bool,
                 spans_at: tuple[list[str], int] | None = None) -> bool:
    """Did a page or line break split ``prev`` (the paragraph so far, whose last line is
    ``prev_line``; ``cut``: that line ran to a hard-wrapped copy's page width) from ``nxt``
    mid-sentence? A label alone on its line, a date or number broken over lines and a line
    starting with a mark no line starts with are joined whatever the rest says (each only
    ever joins, so the rest is asked first: it decides most breaks, and these only where it
    keeps the break). ``spans_at``: in a copy that put every inline span on a line of its own
    (``_spans_copy``), the document's lines and the index of ``nxt`` among them; then a
    fragment line joins its neighbours (``_span_join``)."""
    if not prev or not nxt:
        return False
    return _mid_sentence(prev, nxt, after, prev_line, cut) or _after_bare_label(prev, nxt) \
        or _inside_date(prev, nxt) or (nxt[0] in _NO_LINE_START and _rest_of_line(prev, nxt)) \
        or (spans_at is not None and _span_join(prev, nxt, prev_line, *spans_at))


def _rest_of_line(prev: str, nxt: str) -> bool:
    """``nxt`` starts with a mark no line starts with (，。、）” …: Chinese typesetting keeps
    them on the line before): the rest of ``prev``'s line, which a copy broke before the mark."""
    return nxt[0] in _NO_LINE_START and not is_table_row(prev) and not is_table_row(nxt)


@lru_cache(maxsize=1)
def _span_rules() -> tuple[dict, re.Pattern, re.Pattern]:
    cfg = load_yaml("clean/debris.yaml")
    return cfg["spans"], re.compile(cfg["date_line"]), re.compile(cfg["spans"]["number"])


def _spans_copy(texts: list[str]) -> bool:
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
    broken = sum(t[0] in _NO_LINE_START or t[-1] in _OPEN_END for t in texts)
    return broken >= cfg["min_broken"] * n


_DATE_AHEAD = 8     # lines a date broken into spans spreads over (202 / 5 / 年 / 11 / 月 / 25 / 日)
_LABEL_HEAD = 24    # characters of a paragraph that hold its label (and what the label pattern reads after it)


def _span_join(prev: str, nxt: str, prev_line: str, texts: list[str], i: int) -> bool:
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
    if last in _STOPS or last in _COLONS:
        return False    # (a closing bracket does not end it here: …（中发〔2015〕9号） / 及其配套文件)
    cfg, date_line, number = _span_rules()
    frag = cfg["fragment"]
    prev_num = number.fullmatch(prev_line) is not None
    nxt_num = number.fullmatch(nxt) is not None
    prev_frag = prev_num or len(prev_line) <= frag
    nxt_frag = nxt_num or len(nxt) <= frag
    # a sentence so far: prose marks, or an article's text (第三条 / 市工业和信息化局是…主管 / 部门，…)
    lab = match_label(prev[:_LABEL_HEAD])    # (a label and what may follow it: the memo holds short keys)
    prose = _PROSE.search(prev, lab.end if lab else 0) is not None or (lab is not None and lab.rank is not None)
    if not (prev_frag or nxt_frag or (prose and last not in _CLOSERS)):
        return False
    ahead = texts[i:i + 2 * _DATE_AHEAD]     # nxt and the lines after it
    behind = texts[i - 2] if i > 1 else ""   # the line before prev_line
    # nxt with the mark the next line starts with (项目申报主体为… / ，), and with the fragments
    # after it while it is one itself (2 / ．/ 天津市… and （ / 八 / ） / 加强… are items)
    glued = nxt + ahead[1] if len(ahead) > 1 and ahead[1][0] in _NO_LINE_START else nxt
    start = nxt
    for more in ahead[1:_DATE_AHEAD]:
        if len(start) > frag:
            break
        start += more
    # (after a number, a bracketed number or a dash is no label: 220 / （ / 330 / ）千伏, 2025 / —2027年)
    after_number = last.isdigit()
    if starts_with_label(nxt) or (not after_number and (starts_with_label(start) or is_bare_label(start))) \
            or nxt.startswith(_join_rules()[1]) or (nxt[0] in _DASHES and not after_number and not _unbalanced(prev)) \
            or is_table_row(prev) or is_table_row(nxt):
        return False
    if nxt[-1] in _COLONS and 1 < len(nxt) <= cfg["field_label"]:
        return False    # 发 布 机 构 ：
    if (_is_title(prev) and not (nxt_frag and _title_rules()[1].search(nxt))) \
            or (last in _CLOSERS and _own_title(prev)):
        return False    # a title (关于…的通知（川发改价格〔2021〕544号）) / 字体【; but …实施细则 / 的通知
    if prev.startswith(_join_rules()[1]) and not prose and not nxt_num:
        return False    # an attachment's heading (附件 / 用电分类; 附件 / 1 is one)
    m = date_line.match(prev)
    if m and m.end() >= len(prev) - 3:
        return False    # a date or a document number alone (2019年12月3日星期二, 内发改价费字〔2025〕661号)
    if nxt_num and _column(behind, prev_line, nxt, *ahead[1:3]):
        return False    # the cells of a table's column (0.2560 / 0.2296 / 0.1989; 0.3442 / 0.3292)
    if not prose:
        if lab is None and not prev_num and not nxt_num \
                and not _PROSE.search("".join(ahead[:_DATE_AHEAD])) and not _own_title(prev):
            return False    # words without punctuation around, not a title's (…关于 / 印发 / 2022 / 年电力 / …)
            #                 nor an item's (2．天津市 / 绿电交易): a site's menu (返回首页 / 页面放大)
        if _own_title(nxt):
            return False    # a title after the page's header (有 效 性 ： / 有效 / 市…关于…)
        if not _own_title(prev) and _date_ahead(ahead, date_line, here_only=lab is not None and nxt_frag):
            return False    # a signature (organisation(s), then the date), a page's 朗读 / 内能源电力字〔2025〕782号
            #                 (not inside a title; after an item's text, only a date right here:
            #                 2．天津市 / 绿电交易 / 市工业和信息化局 / 2025 / 年 …)
        if lab is not None and len(prev) - lab.end > 1 and (
                (not prev_frag and not nxt_num) or (not nxt_frag and _PROSE.search(glued.rstrip(_STOPS)))):
            return False    # a heading (一、交易电量规模; （二） / 强化运行管理; 1. / 电价), then the item's text
            #                 (预计 / 2026 / …; 项目申报主体为… / ，), not the heading's end (二、 / 各地 / 要 /
            #                 加强 / 需求侧管理 / 。), a word cut after its first character (（四）有 / 降碳…)
            #                 nor an article's text (第十条 / 鼓励 / …)
    return True


@lru_cache(maxsize=1)
def _title_about() -> tuple[str, ...]:
    return tuple(load_yaml("clean/debris.yaml")["title_about"])


def _column(behind: str, prev_line: str, nxt: str, *after: str) -> bool:
    """Is number ``nxt`` (after ``prev_line`` and ``behind``, before the lines ``after``) a cell
    of a table's column: three numbers on lines of their own in a row, or two decimals side by
    side (not the spans of one number: 202 / 3, 3 / 45)?"""
    number = _span_rules()[2].fullmatch
    a1 = after[0] if after else ""
    a2 = after[1] if len(after) > 1 else ""
    prev_num, a1_num = number(prev_line) is not None, number(a1) is not None
    return (prev_num and (number(behind) is not None or a1_num or len(_DOTS.findall(prev_line + nxt)) >= 2)) \
        or (a1_num and (number(a2) is not None or len(_DOTS.findall(nxt + a1)) >= 2))


def _own_title(text: str) -> bool:
    """A title's shape (``title_line``: 关于…, no clause punctuation) whose 关于 is its own, not
    that of a document it cites (为贯彻落实《国家发展改革委关于…》（发改运行〔2024〕512号）)."""
    if not _title_rules()[0].match(text):
        return False
    about = min((i for i in map(text.find, _title_about()) if i >= 0), default=0)
    return "《" not in text[:about]


def _date_ahead(ahead: list[str], date_line: re.Pattern, here_only: bool = False) -> bool:
    """Does a date or a document number start at one of the first lines of ``ahead`` (all
    without punctuation before it; ``here_only``: at the first)? The lines are read joined
    (it may be broken into spans): ``date_line`` is matched at each line's start in one string."""
    joined, pos = "".join(ahead), 0
    for k in range(1 if here_only else min(_DATE_AHEAD, len(ahead))):   # (ahead: 2 × _DATE_AHEAD lines)
        if date_line.match(joined, pos):
            return True
        if _PROSE.search(ahead[k]):
            return False
        pos += len(ahead[k])
    return False
    return False
    return False


def _after_bare_label(prev: str, nxt: str) -> bool:
    """一、 / 第一条 alone on its line: the item's text follows."""
    return is_bare_label(prev) and not is_bare_label(nxt) and not starts_with_label(nxt)


def _inside_date(prev: str, nxt: str) -> bool:
    """A web copy put each span of a date or number on a line: 2021 / 年 / 12 / 月."""
    # the pattern spans the break (X⏎Y): the paragraph's tail, not the whole paragraph again
    return bool(_join_rules()[0].search(prev[-_FRAGMENT_TAIL:] + "\n" + nxt[:2])) and not starts_with_label(nxt) \
        and not is_table_row(prev) and not is_table_row(nxt)


def _mid_sentence(prev: str, nxt: str, after: str | None, prev_line: str, cut: bool) -> bool:
    last = prev[-1]
    if last in SENTENCE_END or last in _COLONS:
        return False
    if is_table_row(prev) or is_table_row(nxt):
        return False
    if starts_with_label(nxt) or nxt[0] in _DASHES or nxt.startswith(_join_rules()[1]):
        return False
    # (the three reasons to join, cheapest first: each alone decides)
    if last in _LIST_MARKS:
        return True
    if cut and not _is_title(prev_line):
        return True     # a hard-wrapped copy: the line ran to the page width mid-sentence
    if _unbalanced(prev):
        return True
    if starts_with_label(prev) and not _SENTENCE_MARK.search(prev):
        # a wrapped heading: the rest is short, has no sentence inside and is
        # followed by a new item, not by a body paragraph
        return (len(nxt) <= 20 and "。" not in nxt and len(prev) >= 15
                and (after is None or starts_with_label(after)))
    if _is_title(prev):
        return False    # a long title (…的通知) above a long recipients line is no broken sentence
    # a body line cut by a page break: it already holds a sentence (or is long)
    # yet ends inside one, and the continuation holds a sentence end of its own
    # (a title is no continuation: 通知公告 / 内蒙古自治区能源局关于…的通知, a web copy's header)
    return (bool(_SENTENCE_MARK.search(prev)) or len(prev) >= 30) and ("。" in nxt or len(nxt) >= 30) \
        and not _is_title(nxt)


@lru_cache(maxsize=1)
def _title_rules() -> tuple[re.Pattern, re.Pattern]:
    words = sorted(load_yaml("structure/metadata.yaml")["title_words"], key=len, reverse=True)
    return (re.compile(load_yaml("clean/debris.yaml")["title_line"]),
            re.compile("(?:" + "|".join(map(re.escape, words)) + r")\s*$"))


def _is_title(line: str) -> bool:
    """A title line (``debris.yaml`` title_line) ending in a document-type word."""
    if not any(map(line.__contains__, _title_about())):
        return False    # no 关于 (most lines: no regex run over them)
    shape, end = _title_rules()
    return bool(shape.match(line) and end.search(line))


def clean(raw: str) -> CleanText:
    """Clean ``raw`` (see the module docstring); never raises."""
    inline, needs, line_rule, max_line = _rules()
    raw = fold(raw)
    lines: list[Line] = []
    texts: list[str] = []
    for a, b, text in _split_lines(raw):
        line = [(a, b)]
        if needs is None or needs(text):
            spans = [m.span() for m in inline.finditer(text) if m.end() > m.start()]
            if spans:
                line, text = _remove_spans(line, spans), _cut(text, spans)
        if not text or text[0] in _WS or text[-1] in _WS:   # else nothing to strip
            line, text = _strip(line, text)
        if not line:
            continue
        if len(text) <= max_line and line_rule.match(text):
            continue
        lines.append(line)
        texts.append(text)

    # web excerpt lines (checked against the next few lines joined)
    squeezed = ["".join(t.split()) for t in texts]  # blanks removed
    keep = [i for i, sq in enumerate(squeezed)
            if len(sq) < 15 or is_table_row(texts[i])   # shorter than any excerpt: nothing to join
            or not _maybe_excerpt(squeezed, i)]
    lines = [lines[i] for i in keep]
    texts = [texts[i] for i in keep]

    # join lines split mid-sentence
    widths = _widths(texts)
    width = _wrap_width(texts, widths)
    spans = _spans_copy(texts)
    paragraphs: list[Line] = []
    ptexts: list[str] = []
    for i, (line, text) in enumerate(zip(lines, texts)):
        after = texts[i + 1] if i + 1 < len(texts) else None
        if ptexts and _should_join(ptexts[-1], text, after, texts[i - 1],
                                   _cut_at_width(widths[i - 1], width, texts[i - 1]),
                                   (texts, i) if spans else None):
            paragraphs[-1].extend(line)   # our own copy (list(line) below)
            ptexts[-1] += text
        else:
            paragraphs.append(list(line))
            ptexts.append(text)

    runs: list[tuple[int, int, int]] = []
    pos = 0
    for n, para in enumerate(paragraphs):
        if n:
            # the paragraph break maps to the raw position right after the previous paragraph
            runs.append((pos, paragraphs[n - 1][-1][1], 1))
            pos += 1
        for a, b in para:
            if b > a:
                runs.append((pos, a, b - a))
                pos += b - a
    return CleanText("\n".join(ptexts), tuple(runs))
