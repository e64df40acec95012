"""An alternation of whole-line patterns tried only with the branches a line's first character
can start: ``FirstCharBranches(patterns).match(line)`` is true exactly where the alternation
matches the line (at its start). The characters a branch can start with are read from its
parse (``re``'s own parser): literals, small classes, ``\\d`` and ``\\s``, optional items and
alternatives; a branch whose start cannot be told (``.``, ``\\w``, a negated class) is tried on
every line.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..scan import needed_chars

try:                                    # the regex parser of the standard library (``re``'s own)
    from re import _constants as _sre, _parser as _sre_parse
except ImportError:                     # pragma: no cover - another Python: every branch tried
    _sre = _sre_parse = None

_WIDE = 0x1000      # a range of more characters than this is not spelled out


class FirstCharBranches:
    """The alternation of ``patterns``, asked only with the branches that can start with the
    line's first character (a branch that no match of starts there matches nowhere in it).
    ``anywhere_needs``: characters one of which every match of a branch whose start cannot be
    told holds ("" when there is no such branch, None when they cannot be told: ``needed_chars``)."""

    def __init__(self, patterns: list[str]):
        self.patterns = tuple(patterns)
        self.starts = tuple(starts_of(p) for p in patterns)
        anywhere = [needed_chars(p) for p, can in zip(patterns, self.starts) if can is None]
        self.anywhere_needs = None if None in anywhere else "".join(sorted(set("".join(anywhere))))
        self._by_first = lru_cache(maxsize=4096)(self._branches_for)

    def match(self, line: str, anywhere: bool = True) -> bool:
        """Does some pattern match ``line`` (a non-empty text) at its start? (``anywhere`` False:
        the line holds none of ``anywhere_needs``, the branches that may start anywhere are not tried.)"""
        rx = self._by_first(line[0], anywhere)
        return rx is not None and rx.match(line) is not None

    def _branches_for(self, first: str, anywhere: bool) -> re.Pattern | None:
        return _alternation(tuple(p for p, can in zip(self.patterns, self.starts)
                                  if (anywhere if can is None else can(first))))


@lru_cache(maxsize=256)
def _alternation(patterns: tuple[str, ...]) -> re.Pattern | None:
    """The patterns as one alternation (a few sets of them serve every first character)."""
    return re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None


def starts_of(regex: str):
    """A test of one character: can a match of ``regex`` start with it? None when that cannot be
    told (or a match may be empty)."""
    if _sre_parse is None:
        return None
    parsed = _sre_parse.parse(regex)
    if parsed.state.flags & re.IGNORECASE:
        return None
    found = _firsts(parsed.data)
    if found is None or found[3]:
        return None
    chars, digit, space, _ = found
    return lambda c: c in chars or (digit and c.isdecimal()) or (space and c.isspace())


def _firsts(items) -> tuple[frozenset[str], bool, bool, bool] | None:
    """(characters, a decimal digit, a blank) a match of the parsed ``items`` can start with, and
    whether it can be empty as the last item; None when that cannot be told."""
    chars: set[str] = set()
    digit = space = False
    for op, av in items:
        if op is _sre.AT or op in (_sre.ASSERT, _sre.ASSERT_NOT):
            continue        # zero-width: the next item starts the match (a look-around only narrows it)
        found = _first_item(op, av)
        if found is None:
            return None
        (more, d, s), empty = found
        chars |= more
        digit, space = digit or d, space or s
        if not empty:
            return frozenset(chars), digit, space, False
    return frozenset(chars), digit, space, True


def _first_item(op, av):
    """((characters, digit, blank), can be empty) of one parsed item, else None."""
    if op is _sre.LITERAL:
        return (frozenset(chr(av)), False, False), False
    if op is _sre.IN:
        found = _first_class(av)
        return None if found is None else (found, False)
    if op is _sre.SUBPATTERN:
        if av[1]:
            return None     # flags of its own
        return _split(_firsts(av[3]))
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT):
        found = _split(_firsts(av[2]))
        return None if found is None else (found[0], found[1] or av[0] == 0)
    if op is _sre.BRANCH:
        chars: set[str] = set()
        digit = space = empty = False
        for alternative in av[1]:
            found = _split(_firsts(alternative))
            if found is None:
                return None
            (more, d, s), e = found
            chars |= more
            digit, space, empty = digit or d, space or s, empty or e
        return (frozenset(chars), digit, space), empty
    return None             # any character, a group reference, a conditional …


def _split(found):
    return None if found is None else (found[:3], found[3])


def _first_class(items) -> tuple[frozenset[str], bool, bool] | None:
    chars: set[str] = set()
    digit = space = False
    for op, av in items:
        if op is _sre.LITERAL:
            chars.add(chr(av))
        elif op is _sre.RANGE and av[1] - av[0] < _WIDE:
            chars.update(map(chr, range(av[0], av[1] + 1)))
        elif op is _sre.CATEGORY and av is _sre.CATEGORY_DIGIT:
            digit = True
        elif op is _sre.CATEGORY and av is _sre.CATEGORY_SPACE:
            space = True
        else:
            return None     # a negation, a wide range, another category
    return frozenset(chars), digit, space
