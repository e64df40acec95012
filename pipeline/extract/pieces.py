"""Long texts in pieces: every extractor reads clauses and sentences, never more, so a
text far longer than a task (an unstructured notice of 200,000 characters is one task)
is read a piece at a time. Pieces end at a sentence end (。！？；, a line break), else at
a clause mark, else at the size; records get offsets into the whole text. This keeps
every extractor linear in the text's length whatever its inner checks cost per match.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Callable, TypeVar

from ..text.punctuation import CLAUSE_MARK, SENTENCE_BREAK, last_mark
from ..textview import part_and_view

PIECE_CHARS = 2000
_SENTENCE_ENDS = SENTENCE_BREAK
_CLAUSE_MARKS = CLAUSE_MARK

R = TypeVar("R")


def pieces(text: str, size: int = PIECE_CHARS) -> list[tuple[int, int]]:
    """Half-open spans covering ``text`` in order, each at most ``size`` long."""
    spans, start, n = [], 0, len(text)
    while n - start > size:
        window_end = start + size
        cut = last_mark(text, _SENTENCE_ENDS, window_end, start)
        if cut <= start:
            cut = last_mark(text, _CLAUSE_MARKS, window_end, start)
        end = cut + 1 if cut > start else window_end
        spans.append((start, end))
        start = end
    spans.append((start, n))
    return spans


def shifted(rec: R, base: int) -> R:
    """``rec`` with its ``char_start``/``char_end`` moved by ``base``."""
    return replace(rec, char_start=rec.char_start + base, char_end=rec.char_end + base)


def over_pieces(parse: Callable[[str, str], list[R]], text: str, view: str, size: int = PIECE_CHARS) -> list[R]:
    """``parse(text, view)`` (``view``: the matching view of ``text``), a piece and its view
    at a time when ``text`` is longer than ``size``; the records' ``char_start``/``char_end``
    are shifted to offsets into ``text``."""
    if len(text) <= size:
        return parse(text, view)
    out: list[R] = []
    for a, b in pieces(text, size):
        out += [shifted(r, a) for r in parse(*part_and_view(text, view, a, b))]
    return out
