"""What the date extractor knows, loaded once from ``models/dates/``.

``lexicon()`` returns a :class:`DateLexicon`: the YAML lists and tables
(``parts.yaml``, ``holidays.yaml``, ``triggers.yaml``), the compiled patterns of
``patterns.yaml`` (``{name: re.Pattern}``, fragments and ``{list:NAME}`` references
expanded), and the lunar table (``{year: {column: date}}`` from ``lunar_holidays.tsv``).
``small_int(s)`` reads the numerals those patterns capture (``12``, ``十二``, ``二○二一``)
with ``text.numerals``, the package's one numeral reader.
``lexicon().finditer(view)`` runs every pattern over a text; the patterns behind the
``gate`` of ``patterns.yaml`` (numeric ones, starting with a first-character test) are
only tried on a text that holds a character every gated match needs (年, 月, the
separator of 2021.10; ``scan.needed_chars`` reads them from the patterns), and each
there only where it matches: one C scan finds the places where the gate and a quick test
of them all hold, one match there (``scan.each_of``) tells which of them match; the
patterns that open with a word list (``(?P<hol>{list:holiday_names})…``) only where one
of their words starts (one C scan for all: ``scan.places_of``). Same matches as scanning the whole text with each
(tests/test_fast_paths.py) at a fraction of the cost: most tasks hold no date, and for
them it is a few searches.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from ..lexicon import load_yaml
from ..scan import ahead_test, alternation, each_of, finditer_at, needed_chars, places_of, starts
from ..text import holidays as calendar
from ..text.numerals import to_int
from ..text.patterns import expand, first_chars

REDACTED = frozenset("Xx×")


def small_int(s: str | None) -> int | None:
    """A month, day or year number as the patterns capture it (``12``, ``十二``,
    ``三十一``, ``二○二一``, 元月's ``元`` = 1) through the one numeral reader; None for a
    redaction (``X``) or anything else."""
    if not s:
        return None
    s = s.strip()
    alias = lexicon().parts["month_aliases"].get(s)
    return alias if alias is not None else to_int(s)


@dataclass(frozen=True)
class DateLexicon:
    parts: dict
    holidays: dict
    triggers: dict
    patterns: dict[str, re.Pattern]
    lunar: dict[int, dict[str, dt.date]]
    gate: re.Pattern | None = None          # the zero-width first-character test
    gate_ahead: re.Pattern | None = None    # where it and the quick test of a set of ``gated_sets`` hold (scan.places_of)
    gated: frozenset[str] = frozenset()     # patterns that start with it
    gated_sets: tuple["GatedSet", ...] = ()   # the gated patterns, in sets by the characters they need
    gate_needs: str = ""                    # the characters of which every gated match holds one ("": unknown)
    openers: re.Pattern | None = None       # where a word a pattern of ``worded`` opens with starts (scan.places_of)
    worded: frozenset[str] = frozenset()    # patterns that open with a word list
    order: tuple[tuple[str, re.Pattern, str], ...] = ()   # (kind, pattern, guard) in the file's order
    unguarded: bool = False                 # a pattern of ``order`` is neither gated nor worded

    def gated_places(self, view: str) -> list[list[int]]:
        """Per gated pattern (in ``order``'s order), where in ``view`` it matches (ascending);
        [] when none can match anywhere (no place passes a set's quick test and matches)."""
        if self.gate is None or self.gate_needs and not any(map(view.__contains__, self.gate_needs)):
            return []   # every gated match holds a needed character: none is in a text without one
        places: list[list[int]] = []
        for p in starts(self.gate_ahead, view):
            for which, slots in self.gated_sets:
                m = which.match(view, p)
                if m is not None and m.lastindex is not None:   # a group closed: a pattern matched
                    places = places or [[] for _ in self.gated]
                    regs = m.regs
                    for at, g in slots:
                        if regs[g][0] >= 0:
                            places[at].append(p)
        return places

    def finditer(self, view: str):
        """``(kind, match)`` of every pattern over ``view``: for each pattern in turn its
        matches in text order, exactly as ``pattern.finditer(view)`` gives them. Gated
        patterns are only tried where they match (``gated_places``), worded ones where one
        of the words they open with starts."""
        places = self.gated_places(view)
        words = starts(self.openers, view) if self.openers is not None else []
        if not (places or words or self.unguarded):
            return    # most texts: no date pattern can match anywhere
        gated = iter(places)
        for kind, rx, guard in self.order:
            if guard == "gate":
                positions = next(gated, None)
            elif guard == "words":
                positions = words
            else:
                positions = None
                for m in rx.finditer(view):
                    yield kind, m
            if positions:
                for m in finditer_at(rx, view, positions):
                    yield kind, m


@lru_cache(maxsize=1)
def lexicon() -> DateLexicon:
    """All of ``models/dates/``, parsed and compiled once per process."""
    parts = load_yaml("dates/parts.yaml")
    holidays = calendar.table()
    triggers = load_yaml("dates/triggers.yaml")
    spec = load_yaml("dates/patterns.yaml")
    lists = {**parts, **holidays, **triggers,
             "holiday_names": [h for h in holidays["holidays"] if not h[0].isdigit()],
             "holiday_digits": [h for h in holidays["holidays"] if h[0].isdigit()]}
    patterns = {name: re.compile(expand(rx, spec["fragments"], lists))
                for name, rx in spec["patterns"].items()}
    gate = spec.get("gate")
    gated = frozenset(name for name, rx in spec["patterns"].items() if gate and rx.startswith("{%s}" % gate))
    gate_test = expand("{%s}" % gate, spec["fragments"], lists) if gated else ""
    gate_rx = re.compile(_plain_class(gate_test)) if gated else None
    # tried at the gate's places only, in sets of patterns that need the same characters
    # (``_by_needs``): at a place, the quick test in front of a set (scan.ahead_test) rules it
    # out at once where no character it needs follows (a decimal 1.2 is tried by the set of
    # 2021.10 only, 2025年 by that of 年 only); one match of the set's ``each_of`` tells
    # which of its patterns match there
    gated_order = [name for name in patterns if name in gated]
    bodies = {name: patterns[name].pattern.removeprefix(gate_test) for name in gated_order}
    needs = {name: needed_chars(patterns[name].pattern, gate_rx) for name in gated_order}
    members = _by_needs(gated_order, needs)
    sets = tuple(_gated_set(names, bodies, gated_order, gate_rx) for names in members)
    tests = [ahead_test(alternation([bodies[name] for name in names]), gate_rx) for names in members]
    gate_ahead = places_of(gate_rx.pattern, "|".join(tests)) if gated and all(tests) else gate_rx
    gate_needs = "".join(sorted(set("".join(needs.values())))) if needs and all(needs.values()) else ""
    openers = {name: words for name, rx in spec["patterns"].items()
               if name not in gated and (words := _opening_words(rx, lists))}
    opening = {w for words in openers.values() for w in words}
    openers_rx = places_of(first_chars(opening), _by_first_char(opening)) if openers else None
    guards = {**{name: "words" for name in openers}, **{name: "gate" for name in gated}}
    order = tuple((name.partition("@")[0], rx, guards.get(name, "")) for name, rx in patterns.items())   # md@bare is read as md
    return DateLexicon(parts, holidays, triggers, patterns, calendar.lunar(), gate_rx, gate_ahead, gated, sets,
                       gate_needs, openers_rx, frozenset(openers), order, any(not guard for _, _, guard in order))


class GatedSet(NamedTuple):
    which: re.Pattern                   # which of the set's patterns match at a place (scan.each_of)
    slots: tuple[tuple[int, int], ...]  # (the pattern's index among the gated ones, its group in ``which``)


def _by_needs(names: list[str], needs: dict[str, str | None]) -> list[list[str]]:
    """The gated patterns in sets (each in ``names``' order) such that two patterns needing a
    common character are in one set (a pattern that tells nothing it needs: all in one)."""
    if not all(needs.values()):
        return [names]
    sets: list[tuple[list[str], set[str]]] = []
    for name in names:
        joined = [s for s in sets if s[1] & set(needs[name])]
        members, chars = [name], set(needs[name])
        for s in joined:
            sets.remove(s)
            members, chars = s[0] + members, s[1] | chars
        sets.append((sorted(members, key=names.index), chars))
    return [members for members, _ in sets]


def _gated_set(names: list[str], bodies: dict[str, str], order: list[str], gate: re.Pattern) -> GatedSet:
    which = each_of([bodies[name] for name in names], gate)
    return GatedSet(which, tuple((order.index(name), which.groupindex[f"_{n}"]) for n, name in enumerate(names)))


def _opening_words(template: str, lists: dict) -> list[str]:
    """The words of the list a pattern opens with (``(?P<hol>{list:holiday_names})…``): every
    match of it starts with one of them. Empty for any other pattern (or a list with an
    empty word)."""
    m = re.match(r"\(\?P<\w+>\{list:(\w+)\}\)", template)
    words = list(lists[m.group(1)]) if m else []
    return words if all(words) else []


def _by_first_char(words) -> str:
    """The words as one alternation of their first characters, each followed by the rests of
    its words (``国(?:庆)|春(?:节)``; longest first): ``re`` passes over a branch whose first
    character differs in one step, so a place is tried once per first character instead of
    once per word (the same places match)."""
    rests: dict[str, list[str]] = {}
    for word in sorted(words, key=len, reverse=True):
        rests.setdefault(word[0], []).append(word[1:])
    return "|".join(re.escape(first) + "(?:" + "|".join(map(re.escape, rest)) + ")" for first, rest in rests.items())


def _plain_class(test: str) -> str:
    """A first-character test ``(?=[...])`` as the class ``[...]`` (same positions, and
    ``re`` scans a plain class much faster); any other test as it is."""
    m = re.fullmatch(r"\(\?=(\[(?:[^\]\\]|\\.)*\])\)", test)
    return m.group(1) if m else test

