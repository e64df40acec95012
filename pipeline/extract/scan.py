"""Scanning a text only where a pattern can start.

Python's ``re`` tries a pattern at every position of the text; a pattern that can only
start at a few characters (digits, numerals) wastes most of that work. ``finditer_at``
gives exactly ``rx.finditer(text)`` (leftmost, non-overlapping, in text order) but tries
``rx`` only at the given start positions, which ``starts(first, text)`` finds in one C
pass when ``first`` is a plain character class. Correct whenever every match of ``rx``
starts at one of the positions and no match is empty.
"""
from __future__ import annotations

import re
from typing import Iterator


def starts(first: re.Pattern, text: str) -> list[int]:
    """Offsets in ``text`` where ``first`` (a character class, or a zero-width test) matches."""
    return [m.start() for m in first.finditer(text)]


def finditer_at(rx: re.Pattern, text: str, positions: list[int]) -> Iterator[re.Match]:
    """``rx.finditer(text)`` for a pattern whose matches all start at ``positions``
    (ascending) and are never empty."""
    end = 0
    for pos in positions:
        if pos >= end:
            m = rx.match(text, pos)
            if m is not None:
                end = max(m.end(), pos + 1)
                yield m
