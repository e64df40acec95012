"""An alternation of whole-line patterns tried only with the branches a line's first character
can start: ``FirstCharBranches(patterns).match(line)`` is true exactly where the alternation
matches the line (at its start). The characters a branch can start with are read from its
parse (``re``'s own parser, ``text.edges.first_class``): literals, classes, optional items and
alternatives; a branch whose start cannot be told (``.``, a negated class) is tried on every line.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..scan import needed_chars
from ..text.edges import first_class


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
        return alternation_of(tuple(p for p, can in zip(self.patterns, self.starts)
                                  if (anywhere if can is None else can(first))))


@lru_cache(maxsize=256)
def alternation_of(patterns: tuple[str, ...]) -> re.Pattern | None:
    """The patterns as one alternation, compiled once per set (a few sets serve every first
    character of FirstCharBranches; clean's page-number rules), None for no pattern."""
    return re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None


def starts_of(regex: str):
    """A test of one character: can a match of ``regex`` start with it? None when that cannot be
    told (or a match may be empty): ``text.edges.first_class``, read from the pattern's parse."""
    first = first_class(re.compile(regex))
    return None if first is None else (lambda c: first.match(c) is not None)
