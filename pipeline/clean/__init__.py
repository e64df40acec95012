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
The tests of a line before a join are in ``lines.py``, the page width of a hard-wrapped copy
in ``wrap.py``, the joins of a copy that put every inline span on a line in ``spans.py``.
Nothing is inserted: the clean text is a sequence of slices of the raw text, read
with radical and compatibility forms (``⻔`` for 门) as the ordinary characters
(``text.charmap.fold``, one character for one).
"""
from __future__ import annotations

import bisect
import re
from operator import itemgetter
from dataclasses import dataclass
from functools import cached_property, lru_cache

from ..lexicon import load_yaml
from ..text.charmap import fold
from ..text.labels import is_bare_label, starts_with_label
from ..text.table_text import is_table_row
from .lines import COLONS, DASHES, LIST_MARKS, NO_LINE_START, PROSE, SENTENCE_END, SENTENCE_MARK, Lines, date_break, \
    is_title, join_rules, unbalanced
from .firsts import FirstCharBranches, alternation_of
from .spans import span_join, spans_copy

_WS = " \t\u3000\u00a0\ufeff\r\f\v"



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
    lines = FirstCharBranches(cfg["lines"] + page_numbers)    # (each tried where a line's first character can start it)
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


def _should_join(prev: str, i: int, lines: Lines, single: bool) -> bool:
    """Did a page or line break split ``prev`` (the paragraph so far, whose last line is
    ``lines.texts[i - 1]``; ``single``: ``prev`` is that line alone) from ``lines.texts[i]``
    mid-sentence? A label alone on its line, a date or number broken over lines and a line
    starting with a mark no line starts with are joined whatever the rest says. In a copy
    that put every inline span on a line of its own (``lines.spans``) a fragment line joins
    its neighbours (``spans.span_join``). The tests of a line are read from ``lines``, those
    of a paragraph of several lines asked of it."""
    nxt, before = lines.texts[i], i - 1
    if (lines.bare[before] if single else is_bare_label(prev)) and not lines.bare[i] and not lines.label(i):
        return True     # 一、 / 第一条 alone on its line: the item's text follows
    if lines.table[i] or (lines.table[before] if single else lines.tables and is_table_row(prev)):
        return False    # a table row is joined to nothing, nothing to it
    # (a mark no line starts with, ，。、）” …: Chinese typesetting keeps them on the line
    # before; the rest of prev's line, which a copy broke before the mark; date_break: a web
    # copy put each span of a date or number on a line: 2021 / 年 / 12 / 月)
    last = prev[-1]
    return nxt[0] in NO_LINE_START or (last not in _ENDS and _mid_sentence(prev, i, lines, single)) \
        or (date_break(last, nxt[0]) and not lines.label(i)) \
        or (lines.spans and span_join(prev, nxt, lines.texts[before], lines.texts, i))


_ENDS = SENTENCE_END + COLONS     # a line ending with one ends its sentence or a lead-in
_HEADING_MAX = 40                 # a labelled line longer than this, holding clauses, is no heading


def _mid_sentence(prev: str, i: int, lines: Lines, single: bool) -> bool:
    """(``_should_join``'s arguments; neither line is a table row, prev ends in neither a sentence
    end nor a colon.)"""
    last = prev[-1]
    nxt = lines.texts[i]
    if lines.label(i) or nxt[0] in DASHES or nxt.startswith(join_rules()[1]):
        return False
    # (the three reasons to join, cheapest first: each alone decides)
    if last in LIST_MARKS:
        return True
    if lines.cut[i - 1] and not lines.title(i - 1):
        return True     # a hard-wrapped copy: the line ran to the page width mid-sentence
    if lines.brackets and unbalanced(prev):
        return True
    if (lines.label(i - 1) if single else starts_with_label(prev)) and not SENTENCE_MARK.search(prev):
        # a wrapped heading: the rest is short, has no sentence inside and is
        # followed by a new item, not by a body paragraph
        if len(nxt) <= 20 and "。" not in nxt and len(prev) >= 15 and (i + 1 == len(lines.texts) or lines.label(i + 1)):
            return True
        if len(prev) <= _HEADING_MAX or not PROSE.search(prev):
            return False    # a heading on its line
        # (a long labelled line of clauses is an item's sentence, broken like any other)
    # a body line cut by a page break: it already holds a sentence (or is long)
    # yet ends inside one, and the continuation holds a sentence end of its own
    # (a title is no continuation: 通知公告 / 内蒙古自治区能源局关于…的通知, a web copy's header);
    # a long title (…的通知) above a long recipients line is no broken sentence.
    # (the continuation asked first: it decides most lines without a search of prev)
    return ("。" in nxt or len(nxt) >= 30) and (len(prev) >= 30 or bool(SENTENCE_MARK.search(prev))) \
        and not (lines.title(i - 1) if single else is_title(prev)) and not lines.title(i)


def clean(raw: str) -> CleanText:
    """Clean ``raw`` (see the module docstring); never raises."""
    raw = fold(raw)
    lines, texts = _kept_lines(raw)
    lines, texts = _without_excerpts(lines, texts)
    paragraphs, ptexts = _joined(lines, texts)
    return CleanText("\n".join(ptexts), _runs(paragraphs))


def _kept_lines(raw: str) -> tuple[list[Line], list[str]]:
    """The lines of ``raw`` (slices and text) without inline artefacts, blanks around them and
    debris lines."""
    inline, needs, line_rule, max_line = _rules()
    if needs is not None and needs(raw) is None:
        inline = None       # no line holds what an inline pattern needs
    split = _split_lines(raw)
    # (which lines hold what an inline pattern needs, and what a debris pattern that may start
    # anywhere needs: one scan of the raw text each, instead of one search of every line)
    inline_at = _holding(_rules_held()[0], raw, split) if inline is not None and needs is not None else None
    anywhere_at = _holding(_rules_held()[1], raw, split)
    lines: list[Line] = []
    texts: list[str] = []
    kept_at: list[int] = []     # the line of ``split`` each kept line is
    markers: list[int] = []     # dropped lines that are a page's number or marker
    for k, (a, b, text) in enumerate(split):
        line = [(a, b)]
        if inline is not None and (inline_at is None or inline_at[k]):
            spans = [m.span() for m in inline.finditer(text) if m.end() > m.start()]
            if spans:
                line, text = _remove_spans(line, spans), _cut(text, spans)
        if not text or text[0] in _WS or text[-1] in _WS:   # else nothing to strip
            line, text = _strip(line, text)
            if not line:
                continue
        if len(text) <= max_line and line_rule.match(text, anywhere_at is None or anywhere_at[k]):
            if _page_rules()[0].match(text):
                markers.append(k)
            continue
        lines.append(line)
        texts.append(text)
        kept_at.append(k)
    if markers:
        drop = _page_numbers_by_markers(split, kept_at, texts, markers)
        if drop:
            keep = [i for i in range(len(texts)) if i not in drop]
            return [lines[i] for i in keep], [texts[i] for i in keep]
    return lines, texts


@lru_cache(maxsize=1)
def _page_rules() -> tuple[re.Pattern, re.Pattern, int]:
    """A page's number or marker wherever it stands, a number that is one only at a page's
    edge, and how many unnumbered pages may come first (``text/page_numbers.yaml``)."""
    cfg = load_yaml("text/page_numbers.yaml")
    return alternation_of(tuple(cfg["anywhere"])), alternation_of(tuple(cfg["page_edge"])), \
        cfg.get("unnumbered_pages", 10)


_NUMBER = re.compile(r"\d+")


def _page_numbers_by_markers(split: list[tuple[int, int, str]], kept_at: list[int], texts: list[str],
                             markers: list[int]) -> set[int]:
    """The kept lines (indexes into ``texts``) that are a page's printed number: a line of a
    ``page_edge`` shape (a number alone) with nothing but blank lines between it and a dropped
    page marker (``--- 第 14 页 OCR ---``) that it stands just above or below, and whose value
    is at most the marker's and at most ``unnumbered_pages`` below it (a file's cover and contents
    come before its printed page 1). Elsewhere a number alone on a line is a table's cell."""
    _, edge, unnumbered = _page_rules()
    drop: set[int] = set()
    for k in markers:
        page = _NUMBER.search(split[k][2])
        if page is None:
            continue
        after = bisect.bisect_right(kept_at, k)     # the first kept line below the marker
        for i in (after - 1, after):
            if not 0 <= i < len(texts) or not edge.match(texts[i]):
                continue
            lo, hi = sorted((kept_at[i], k))
            if any(split[j][2].strip() for j in range(lo + 1, hi)):
                continue
            if 0 <= int(page.group()) - int(_NUMBER.search(texts[i]).group()) <= unnumbered:
                drop.add(i)
    return drop


_BREAKS = "\n\r\u2028\u2029"     # (what _split_lines breaks lines at)


@lru_cache(maxsize=1)
def _rules_held() -> tuple[re.Pattern | None, re.Pattern | None]:
    """For ``_holding``: an inline pattern's ``needs`` or a character a debris pattern that may
    start anywhere needs, then the rest of its line; None where that cannot be told."""
    inline, _, lines, _ = _rules()
    needs = [need for _, need in inline.entries] if isinstance(inline, _InlineByNeeds) else []
    anywhere = lines.anywhere_needs
    return _rest_of_line(needs), None if anywhere is None else _rest_of_line(list(anywhere))


def _rest_of_line(pieces: list[str]) -> re.Pattern | None:
    """One of ``pieces`` and the rest of its line (None where a piece holds a line break: it
    would run into the next line)."""
    if any(c in piece for piece in pieces for c in _BREAKS):
        return None
    return re.compile(f"(?:{'|'.join(map(re.escape, pieces)) or '(?!)'})[^{_BREAKS}]*")


def _holding(held: re.Pattern | None, raw: str, split: list[tuple[int, int, str]]) -> list[bool] | None:
    """Which lines of ``raw`` (``_split_lines``) hold a match of ``held`` (``_rules_held``); None:
    not told (every line holds one as far as the caller knows)."""
    if held is None:
        return None
    out = [False] * len(split)
    starts = None
    for m in held.finditer(raw):
        if starts is None:
            starts = list(map(itemgetter(0), split))
        out[bisect.bisect_right(starts, m.start()) - 1] = True
    return out


def _without_excerpts(lines: list[Line], texts: list[str]) -> tuple[list[Line], list[str]]:
    """Without a web page's excerpt lines (checked against the next few lines joined)."""
    squeezed = ["".join(t.split()) for t in texts]  # blanks removed
    # (_maybe_excerpt asked only where the line is long enough and the next one starts alike)
    asked = [i for i, (sq, nx) in enumerate(zip(squeezed, squeezed[1:] + [""]))
             if len(sq) >= 15 and (not nx or nx[0] == sq[0])]
    drop = [i for i in asked if not is_table_row(texts[i]) and _maybe_excerpt(squeezed, i)]
    if not drop:
        return lines, texts
    keep = sorted(set(range(len(texts))).difference(drop))
    return [lines[i] for i in keep], [texts[i] for i in keep]


def _joined(lines: list[Line], texts: list[str]) -> tuple[list[Line], list[str]]:
    """The paragraphs (slices and text): the lines with those split mid-sentence joined."""
    facts = Lines(texts, spans_copy(texts))
    paragraphs: list[Line] = []
    ptexts: list[str] = []
    single = False      # the last paragraph is one line
    for i, (line, text) in enumerate(zip(lines, texts)):
        if ptexts and _should_join(ptexts[-1], i, facts, single):
            paragraphs[-1].extend(line)   # our own copy (list(line) below)
            ptexts[-1] += text
            single = False
        else:
            paragraphs.append(list(line))
            ptexts.append(text)
            single = True
    return paragraphs, ptexts


def _runs(paragraphs: list[Line]) -> tuple[tuple[int, int, int], ...]:
    """The offset runs of the paragraphs joined by ``\\n`` (see ``CleanText``)."""
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
    return tuple(runs)
