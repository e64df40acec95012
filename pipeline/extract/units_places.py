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
    tails, last = _tails()
    out = set()
    for m in last.finditer(text):
        end = m.end()
        if text[end - 2:end] in tails:
            place = place_ending(text[max(0, end - 12):end])
            if place:
                out.add(place)
    return frozenset(out)


def place_ending(text: str) -> str | None:
    """The longest registry place name ``text`` ends with (``上海市`` for ``…关于上海市``), or None."""
    known = places()
    for n in _lengths():
        if n <= len(text) and text[-n:] in known:
            return text[-n:]
    return None
