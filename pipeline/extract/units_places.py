"""Place names of China's administrative divisions, from the ``cpca`` package's registry.

In: nothing (the installed ``cpca`` distribution's ``cpca/resources/adcodes.csv``: adcode,
name, longitude, latitude of every province, prefecture and county, MIT licence). Out:
``places()``, the frozen set of their names as written there (``上海市``, ``嘉定区``,
``新疆维吾尔自治区``, ``渝水区``), read once per process. The file is read directly,
without importing ``cpca`` (whose import loads pandas and builds a matcher). Without the
package installed the set is empty and names are resolved without places.
"""
from __future__ import annotations

import csv
import importlib.metadata
import io
import re
from functools import lru_cache

_RESOURCE = "cpca/resources/adcodes.csv"


@lru_cache(maxsize=1)
def places() -> frozenset[str]:
    try:
        path = importlib.metadata.distribution("cpca").locate_file(_RESOURCE)
        text = path.read_text(encoding="utf-8")
    except (importlib.metadata.PackageNotFoundError, OSError):  # pragma: no cover - cpca is a dependency
        return frozenset()
    return frozenset(row["name"] for row in csv.DictReader(io.StringIO(text)) if row.get("name"))


@lru_cache(maxsize=1)
def _lengths() -> tuple[int, ...]:
    return tuple(sorted({len(p) for p in places()}, reverse=True))


@lru_cache(maxsize=1)
def _tails() -> tuple[frozenset[str], re.Pattern]:
    """The last two characters of every place, and a pattern of their last characters."""
    known = places()
    last = "".join(sorted({p[-1] for p in known})) or "\u0000"
    return frozenset(p[-2:] for p in known), re.compile(f"[{re.escape(last)}]")


@lru_cache(maxsize=8)
def document_places(text: str) -> frozenset[str]:
    """The registry places written in ``text`` (one pass over the characters a place can
    end with; only those after a place's last-but-one character are looked up)."""
    _, last = _tails()
    return frozenset(filter(None, (_place_at(text, m.end()) for m in last.finditer(text))))


def is_document_place(text: str, place: str) -> bool:
    """Whether ``place`` is one of ``document_places(text)`` (read where it is written,
    without reading the whole text): the place read at one of its ends in ``text``."""
    at = text.find(place)
    while at >= 0:
        if _place_at(text, at + len(place)) == place:
            return True
        at = text.find(place, at + 1)
    return False


def places_before(text: str, written: str) -> set[str]:
    """The registry places written in ``text`` right before ``written[1:]`` and ending in
    ``written[0]`` (市 of 市总工会): read before each ``written`` in ``text``."""
    known, out = places(), set()
    at = text.find(written)
    while at >= 0:
        end = at + 1
        out.update(text[end - n:end] for n in _lengths() if n <= end and text[end - n:end] in known)
        at = text.find(written, at + 1)
    return out


def _place_at(text: str, end: int) -> str | None:
    """The place ``document_places`` reads as ending at ``end``: the longest registry
    place the 12 characters before ``end`` end with, where the last two end one at all."""
    tails, _ = _tails()
    return place_ending(text[max(0, end - 12):end]) if text[end - 2:end] in tails else None


def place_ending(text: str) -> str | None:
    """The longest registry place name ``text`` ends with (``上海市`` for ``…关于上海市``), or None."""
    known = places()
    for n in _lengths():
        if n <= len(text) and text[-n:] in known:
            return text[-n:]
    return None
