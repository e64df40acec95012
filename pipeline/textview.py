"""A matching view of a text: same length, same offsets, easier to match.

Extractors match their patterns against ``matching_view(text)`` and slice what they
report from the original ``text`` with the same offsets. The view maps, one character
to one character:
- traditional Chinese characters to simplified ones (zhconv's single-character table),
  so a notice in traditional script (``工會聯合會``, ``於十月底前``) meets the same lexicons;
- full-width digits and Latin letters (``２０２１``, ``Ｘ``) to ASCII;
- ``〇`` / ``○`` / ``零`` in numerals stay as they are (each extractor reads them).
Because the length never changes, every offset found on the view is an offset of the text,
and the view of a part of a text is that part of its view (``part_and_view``). The view is
computed once per document (``process.py``) and handed to the stages with the text, a
task's view cut from the document's; a stage computes one itself only for a text it is
given without (a caller of its own, a piece of a text it made). A text without any
character to map (most notices) is its own view. Nothing is kept between calls.
"""
from __future__ import annotations

import importlib.util
import json
import re
from functools import lru_cache
from pathlib import Path


def _zh2hans() -> dict[str, str]:
    """zhconv's traditional -> simplified table, read from the package's data file
    (importing zhconv first imports pkg_resources, ~0.15 s per process)."""
    try:
        spec = importlib.util.find_spec("zhconv")
        path = Path(spec.submodule_search_locations[0]) / "zhcdict.json"
        return _json_member(path.read_bytes().decode("utf-8"), "zh2Hans")
    except Exception:  # pragma: no cover - another packaging of zhconv
        import zhconv.zhconv as zc

        zc.loaddict()
        return zc.zhcdicts["zh2Hans"]


def _json_member(document: str, key: str):
    """``json.loads(document)[key]`` for a JSON object whose members' values are objects,
    decoding that member only (zhconv's file holds eight tables; one is read here, a fourth
    of the decoding). Falls back to decoding it all when ``"key": {`` is not found once."""
    head = json.dumps(key) + ":"
    at = document.find(head)
    if at < 0 or document.find(head, at + 1) >= 0:
        return json.loads(document)[key]
    start = document.find("{", at + len(head))
    if start < 0 or document[at + len(head):start].strip():
        return json.loads(document)[key]
    return json.JSONDecoder().raw_decode(document, start)[0]


@lru_cache(maxsize=1)
def _table() -> dict[int, str]:
    table: dict[int, str] = {}
    try:
        for src, dst in _zh2hans().items():
            if len(src) == 1 and len(dst) == 1 and src != dst:
                table[ord(src)] = dst
    except Exception:  # pragma: no cover - zhconv is a declared dependency
        pass
    for code in range(0xFF10, 0xFF1A):  # ０-９
        table[code] = chr(code - 0xFEE0)
    for code in list(range(0xFF21, 0xFF3B)) + list(range(0xFF41, 0xFF5B)):  # Ａ-Ｚ ａ-ｚ
        table[code] = chr(code - 0xFEE0)
    return table


@lru_cache(maxsize=1)
def _mapped() -> frozenset[str]:
    return frozenset(map(chr, _table()))


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


@lru_cache(maxsize=1)
def _mapped_finders():
    """A search for the mapped characters of the Basic Multilingual Plane (one character class:
    ``re`` tests a character of it with one table look-up, where ``frozenset.isdisjoint``
    makes a string of every character of the text), and the few mapped characters beyond it
    (a class of those would be tested range by range)."""
    bmp = "".join(sorted(ch for ch in _mapped() if ch <= "\uffff"))
    return re.compile("[" + re.escape(bmp) + "]" if bmp else "(?!)").search, \
        frozenset(ch for ch in _mapped() if ch > "\uffff")


def _has_mapped(text: str) -> bool:
    """``not _mapped().isdisjoint(text)``: does ``text`` hold a character to map?"""
    find, astral = _mapped_finders()
    if find(text) is not None:
        return True
    return bool(astral) and _ASTRAL.search(text) is not None and not astral.isdisjoint(text)


def matching_view(text: str) -> str:
    """``text`` with traditional characters simplified and full-width digits/letters
    made ASCII (``text`` itself when it has none); ``len(matching_view(t)) == len(t)``."""
    return text.translate(_table()) if _has_mapped(text) else text


def part_and_view(text: str, view: str, start: int, end: int) -> tuple[str, str]:
    """``text[start:end]`` and its view, cut from ``view`` (``matching_view(text)``): the
    view maps character by character. A text that is its own view gives a part that is."""
    part = text[start:end]
    return part, (part if view is text else view[start:end])
