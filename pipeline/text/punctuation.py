"""Punctuation: the one reader of sentence, clause, bracket and quote marks.

The marks are data (``models/text/punctuation.yaml``): kinds of marks (``stops``,
``semicolons``, ``commas`` ...) and the named classes the code asks for, each a union of
kinds: ``chars(name)`` is the class as a string (``x in chars("sentence_end")``; an empty
string is in every class, as with any string), ``char_class(name)`` as a regex character
class. The module constants are the classes the stages use. ``BRACKETS`` maps an opening
mark to its closing one. ``inside_quotes(view, pos)``: does ``pos`` lie inside quoted text
(“…”, 《…》: more marks opened than closed before it; on request also after an odd
number of ``"``)? ``without_mark_blanks(s)``: ``s`` without blanks next to a full-width mark.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..lexicon import load_yaml


@lru_cache(maxsize=1)
def _cfg() -> dict:
    return load_yaml("text/punctuation.yaml")


@lru_cache(maxsize=None)
def chars(name: str) -> str:
    """The marks of the class (or kind) ``name``, as one string."""
    cfg = _cfg()
    if name in cfg["marks"]:
        return cfg["marks"][name]
    return "".join(cfg["marks"][kind] for kind in cfg["classes"][name])


@lru_cache(maxsize=None)
def char_class(name: str, negated: bool = False, wide_only: bool = False) -> str:
    """The class ``name`` as a regex character class (``[...]`` or ``[^...]``);
    ``wide_only``: its full-width (Chinese) marks only (in running Chinese text an ASCII
    ``;`` or ``?`` is no sentence end: web debris such as ``&nbsp;``, a URL's query)."""
    marks = "".join(ch for ch in chars(name) if not wide_only or not ch.isascii())
    return "[" + ("^" if negated else "") + re.escape(marks) + "]"


def all_marks() -> frozenset[str]:
    """Every mark of the table (the test that no other module writes a class of its own)."""
    cfg = _cfg()
    return frozenset("".join(cfg["marks"].values()) + "".join(cfg["brackets"]) + "".join(cfg["brackets"].values())
                     + "".join(cfg["quotes"]["pairs"]) + "".join(cfg["half_to_full"].values()) + cfg["quotes"]["straight"]) - {"\n"}


SENTENCE_END = chars("sentence_end")
SENTENCE_BREAK = chars("sentence_break")
LINE_END = chars("line_end")
PARAGRAPH_END = chars("paragraph_end")
CLAUSE_MARK = chars("clause_mark")
ROLE_CLAUSE = chars("role_clause")
CLAUSE_END = chars("clause_end")
CLAUSE_BREAK = chars("clause_break")
ITEM_BREAK = chars("item_break")
PHRASE_END = chars("phrase_end")
CELL_END = frozenset(chars("cell_end"))
BRACKETS: dict[str, str] = dict(_cfg()["brackets"])
# 《 -> {">": "<", "〉": "〈"}: closers OCR misreads, each with the opener it really closes
OCR_CLOSERS: dict[str, dict[str, str]] = {o: dict(c) for o, c in _cfg()["ocr_closers"].items()}
HALF_TO_FULL: dict[str, str] = dict(_cfg()["half_to_full"])
QUOTE_PAIRS: tuple[str, ...] = tuple(_cfg()["quotes"]["pairs"])
STRAIGHT_QUOTE: str = _cfg()["quotes"]["straight"]
DOUBLE_OPEN, DOUBLE_CLOSE = QUOTE_PAIRS[0]        # “ ”: the first pair of the table
PAREN_CLOSE = BRACKETS["（"] + BRACKETS["("]      # ） )
PAREN_OPEN = "".join(o for o in BRACKETS if BRACKETS[o] in PAREN_CLOSE)   # （ (
# the opening mark of every bracket and quote pair (a name may start right after one)
BRACKET_OPENERS = "".join(BRACKETS)
# a responsibility label's scope ends at a sentence or clause end, a line break, or where the
# parenthesis it stands in closes (（X牵头，Y配合）)
LABEL_SCOPE_END = chars("label_scope_end") + PAREN_CLOSE


@lru_cache(maxsize=1)
def _mark_blank() -> re.Pattern:
    wide = re.escape("".join(sorted(ch for ch in all_marks() if not ch.isascii())))
    return re.compile(rf"[ \u3000]+(?=[{wide}])|(?<=[{wide}])[ \u3000]+")


def without_mark_blanks(s: str) -> str:
    """``s`` without the blanks (spaces, U+3000) a copy put before or after a full-width
    mark (``实现新要求， 进一步`` -> ``实现新要求，进一步``): such a mark carries its own
    spacing. Line breaks stay."""
    return _mark_blank().sub("", s) if " " in s or "\u3000" in s else s


def inside_quotes(view: str, pos: int, pairs: tuple[str, ...] | None = None, straight: bool = False) -> bool:
    """Whether ``pos`` lies inside quoted text: more “ than ” (or 《 than 》) before it.
    ``pairs`` narrows the marks asked about (``("《》",)``: inside a title; by default every
    pair); ``straight`` also counts an odd number of straight quotes (``"``) before it: a
    straight quote both opens and closes, so one stray mark (``”"``) would put the rest of the
    text inside quotes; only a test on a short span (a clause) should ask for it.
    A pair's quote is open at ``pos`` when its last opening mark before ``pos`` comes after its
    last closing one (or there is none): two ``rfind`` per pair, no list of the view's marks."""
    if pos <= 0:
        return False
    for pair in QUOTE_PAIRS if pairs is None else pairs:
        if len(pair) == 1:   # a one-mark pair opens and closes (as the straight quote)
            if view.count(pair, 0, pos) % 2 == 1:
                return True
        elif view.rfind(pair[0], 0, pos) > view.rfind(pair[1], 0, pos):
            return True
    return straight and view.count(STRAIGHT_QUOTE, 0, pos) % 2 == 1


@lru_cache(maxsize=None)
def _last_rx(marks: str) -> re.Pattern:
    # greedy: the match ends right after the last mark of the window
    return re.compile("(?s:.*)[" + re.escape(marks) + "]")


@lru_cache(maxsize=None)
def _first_rx(marks: str) -> re.Pattern:
    return re.compile("[" + re.escape(marks) + "]")


def last_mark(view: str, marks: str, start: int, lo: int = 0) -> int:
    """Offset of the last character of ``marks`` in ``view[lo:start]``, -1 when there is
    none (``max(view.rfind(c, lo, start) for c in marks)`` in one C scan). Looked for in
    the 120 characters before ``start`` first: the same answer without scanning a long text."""
    rx = _last_rx(marks)
    near = max(lo, start - 120)
    m = rx.match(view, near, start)
    if m is None and near > lo:
        m = rx.match(view, lo, near)
    return m.end() - 1 if m is not None else -1


def first_mark(view: str, marks: str, pos: int, end: int | None = None) -> int:
    """Offset of the first character of ``marks`` in ``view[pos:end]``, -1 when there is none."""
    m = _first_rx(marks).search(view, pos, len(view) if end is None else end)
    return m.start() if m is not None else -1
