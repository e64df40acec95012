"""What clean asks of a line (or of a paragraph it is building) before joining it to the next.

The marks come from ``models/text/punctuation.yaml``, the shapes from ``models/clean/debris.yaml``.
``Lines`` holds a document's kept lines with the tests the joins ask of them, each asked at
most once of a line: a line is asked as the next line, then again as the paragraph before the
line after it (while no line joined it); a test no line of the document can pass (no ``|`` or
tab anywhere: no table row; no 关于: no title; a first character no label starts with) is
answered for those lines at once.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..lexicon import load_yaml
from ..text.labels import bare_labels_of, label_candidates, starts_with_label
from ..text.punctuation import BRACKET_OPENERS, BRACKETS, HALF_TO_FULL, LINE_END, OCR_CLOSERS, char_class, chars
from ..text.table_text import is_table_row
from .wrap import cuts

SENTENCE_END = LINE_END
COLONS = chars("colons")
DASHES = chars("dashes")
SENTENCE_MARK = re.compile(char_class("sentence_end", wide_only=True))
LIST_MARKS = chars("commas") + chars("pause")
NO_LINE_START = chars("no_line_start")
OPEN_END = chars("open_end") + BRACKET_OPENERS
STOPS = chars("sentence_end")
CLOSERS = chars("closers")
DOTS = re.compile("[." + chars("wide_dot") + "]")
PROSE = re.compile(char_class("prose_mark", wide_only=True))
_OPENERS = BRACKETS
_ANY_OPENER = re.compile("|".join(map(re.escape, _OPENERS)))


@lru_cache(maxsize=1)
def join_rules() -> tuple[re.Pattern, tuple[str, ...]]:
    """The break inside a date or a document number, and what opens a new line (``debris.yaml``)."""
    cfg = load_yaml("clean/debris.yaml")
    return re.compile(cfg["date_fragment"]), tuple(cfg["opens_new"])


@lru_cache(maxsize=4096)
def date_break(last: str, first: str) -> bool:
    """Is a break between a line ending with ``last`` and one starting with ``first`` inside a
    date or a document number (``date_fragment``)? (Asked of a pair of characters: memo.)"""
    return join_rules()[0].search(last + "\n" + first) is not None


def unbalanced(text: str) -> bool:
    """Does ``text`` leave a bracket open (the sentence goes on in the next line)?"""
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
        # one closer short: a closer of another bracket one too many after the opener
        # (（2020年修订版》》: OCR read ） as 》) is the missing one misread, not a bracket left open
        if _closes_one_too_many(text, o):
            continue
        # a closer OCR misread (《…意见>) counts only where it ends the line
        # and its own opener (< of a tag, 〈 of a nested title) was not opened after the bracket
        own = OCR_CLOSERS.get(o, {}).get(text[-1:])
        if own is None or own in text[text.rfind(o):]:
            return True
    return False


def _closes_one_too_many(text: str, opener: str) -> bool:
    """Does a bracket of another kind than ``opener``'s close once more than it opens in ``text``,
    the last time after ``opener``'s last? (Its half- and full-width forms, ( and （, are one kind:
    OCR mixes them, it does not swap them; a closer before the opener closes a bracket opened
    on an earlier line: 《…意见》（发改能源规 / [2020]1479号）.)"""
    kind = HALF_TO_FULL.get(opener, opener)
    after = text.rfind(opener)
    return any(text.count(c) == text.count(o) + 1 and text.rfind(c) > after for o, c in _OPENERS.items()
               if HALF_TO_FULL.get(o, o) != kind and c != o)


@lru_cache(maxsize=1)
def title_about() -> tuple[str, ...]:
    return tuple(load_yaml("clean/debris.yaml")["title_about"])


@lru_cache(maxsize=1)
def title_rules() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    """The title line's shape, its document-type word at the end, and its 关于 (any of the
    words of ``title_about``: a line without one is no title line)."""
    words = sorted(load_yaml("structure/metadata.yaml")["title_words"], key=len, reverse=True)
    return (re.compile(load_yaml("clean/debris.yaml")["title_line"]),
            re.compile("(?:" + "|".join(map(re.escape, words)) + r")\s*$"),
            re.compile("|".join(map(re.escape, title_about()))))


def is_title(line: str) -> bool:
    """A title line (``debris.yaml`` title_line) ending in a document-type word."""
    shape, end, about = title_rules()
    if about.search(line) is None:
        return False    # no 关于 (most lines: the shape is not matched)
    return bool(shape.match(line) and end.search(line))


def own_title(text: str) -> bool:
    """A title's shape (``title_line``: 关于…, no clause punctuation) whose 关于 is its own, not
    that of a document it cites (为贯彻落实《国家发展改革委关于…》（发改运行〔2024〕512号）)."""
    if not title_rules()[0].match(text):
        return False
    about = min((i for i in map(text.find, title_about()) if i >= 0), default=0)
    return "《" not in text[:about]


class Lines:
    """A document's kept lines (``texts``, none empty) and what the joins ask of each: ``table[i]``
    (``is_table_row``), ``bare[i]`` (``is_bare_label``), ``cut[i]`` (it ran to a hard-wrapped
    copy's page width, ``wrap.cuts``), ``label(i)`` (``starts_with_label``) and ``title(i)``
    (``is_title``), the last two asked on first use (most lines are never asked); ``spans``: the
    copy put every inline span on a line of its own (given). ``tables``, ``brackets``: some line
    may be a table row, some line opens a bracket (else no text made of the lines is a table row
    or leaves a bracket open: ``is_table_row``, ``unbalanced``)."""

    __slots__ = ("texts", "table", "tables", "brackets", "bare", "cut", "spans", "_label", "_title")

    def __init__(self, texts: list[str], spans: bool):
        joined = "\n".join(texts)     # (one search of the document where no line can pass)
        n = len(texts)
        self.texts = texts
        self.tables = "|" in joined or "\t" in joined
        self.table = list(map(is_table_row, texts)) if self.tables else [False] * n
        self.brackets = _ANY_OPENER.search(joined) is not None
        candidates = label_candidates(texts)
        self.bare = bare_labels_of(texts, candidates)
        self._label: list[bool | None] = [False] * n      # None: not asked yet
        for i in candidates:
            self._label[i] = None
        self._title: list[bool | None] = [None] * n if title_rules()[2].search(joined) else [False] * n
        self.cut = cuts(texts, self.label)
        self.spans = spans

    def label(self, i: int) -> bool:
        known = self._label[i]
        if known is None:
            known = self._label[i] = starts_with_label(self.texts[i])
        return known

    def title(self, i: int) -> bool:
        known = self._title[i]
        if known is None:
            known = self._title[i] = is_title(self.texts[i])
        return known
