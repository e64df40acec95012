"""Ranges written with the unit on both ends (100千伏安至315千伏安, 85%-115%, 30%～40%): the
two quantities the pattern finds -> one ``range`` quantity (GUIDELINES §5: value, value_max).

``merge_ranges(found, text, view, kind_of)`` joins each pair of neighbours of ``found`` (in
text order) with the same unit, plain comparators (eq), a range joiner of
``models/targets/lexicon.yaml`` alone between them and a first value below the second;
``kind_of(start, end, unit, comparator)`` tells the joined quantity's kind from its new span.
"""
from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from ..lexicon import load_yaml


@lru_cache(maxsize=1)
def _joiners() -> frozenset[str]:
    return frozenset(load_yaml("targets/lexicon.yaml")["range_joiners"])


def merge_ranges(found: list, text: str, view: str, kind_of) -> list:
    if len(found) < 2:
        return found
    out = [found[0]]
    for q in found[1:]:
        p = out[-1]
        between = view[p.char_end:q.char_start].strip()
        if between in _joiners() and p.unit == q.unit and p.comparator == q.comparator == "eq" \
                and p.value is not None and q.value is not None and p.value < q.value:
            kind = kind_of(p.char_start, q.char_end, p.unit, "range")
            out[-1] = replace(p, text=text[p.char_start:q.char_end], value_max=q.value, comparator="range",
                              kind=kind, char_end=q.char_end)
        else:
            out.append(q)
    return out
