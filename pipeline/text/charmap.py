"""Radical and compatibility code points -> the ordinary characters they stand for.

Some PDF text layers write ``⻔`` (U+2ED4, a CJK Radicals Supplement form) for 门 or
``⾄`` (U+2F84, a Kangxi radical) for 至: the font maps a glyph shared by the radical and
the character to the radical's code point. Labels, names and dates are then not found.
``fold(text)`` replaces each such character by the ordinary one, one character for one,
so every offset stays valid. The table: Kangxi Radicals (U+2F00-U+2FDF) and CJK
Compatibility Ideographs (U+F900-U+FAFF) by Unicode's NFKC, the Radicals Supplement
from ``models/clean/radicals.tsv``.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from ..lexicon import load_tsv

_RANGES = ((0x2F00, 0x2FE0), (0xF900, 0xFB00))
_ANY = re.compile("[\u2e80-\u2eff\u2f00-\u2fdf\uf900-\ufaff]")


@lru_cache(maxsize=1)
def table() -> dict[int, str]:
    """``str.translate`` table: code point -> one ordinary character."""
    out: dict[int, str] = {}
    for lo, hi in _RANGES:
        for cp in range(lo, hi):
            nf = unicodedata.normalize("NFKC", chr(cp))
            if len(nf) == 1 and nf != chr(cp):
                out[cp] = nf
    for row in load_tsv("clean/radicals.tsv"):
        out[ord(row.radical)] = row.char
    return out


def fold(text: str) -> str:
    """``text`` with radical and compatibility forms replaced (same length)."""
    return text.translate(table()) if _ANY.search(text) else text
