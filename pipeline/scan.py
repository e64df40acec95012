"""Scanning a text only where a pattern can start.

Python's ``re`` tries a pattern at every position of the text; a pattern that can only
start at a few characters (digits, numerals) wastes most of that work. ``finditer_at``
gives exactly ``rx.finditer(text)`` (leftmost, non-overlapping, in text order) but tries
``rx`` only at the given start positions, which ``starts(first, text)`` finds in one C
pass when ``first`` is a plain character class. Correct whenever every match of ``rx``
starts at one of the positions and no match is empty.
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache
from typing import Iterable, Iterator

try:                                    # the regex parser of the standard library (``re``'s own)
    from re import _constants as _sre, _parser as _sre_parse
except ImportError:                     # pragma: no cover - another Python: no needed characters are told
    _sre = _sre_parse = None


def starts(first: re.Pattern, text: str, end: int | None = None) -> list[int]:
    """Offsets in ``text`` (before ``end``) where ``first`` (a character class, or a zero-width test) matches."""
    return [m.start() for m in (first.finditer(text) if end is None else first.finditer(text, 0, end))]


def places_of(first: str, test: str) -> re.Pattern:
    """A pattern whose matches are the one character at each place where ``test`` matches
    (overlapping matches of ``test`` included), for ``starts``: ``first`` is a character
    class every match of ``test`` starts with. ``re`` skips to the characters of a class that
    opens a pattern in one C loop and tests ``test`` there in C (from inside a look-behind of
    one character), where a pattern opening with a look-ahead is tried at every position
    and a loop over the class's matches tries ``test`` in Python. ``test`` must not refer
    to its groups (``re`` allows none inside a look-behind)."""
    return re.compile(first + "(?<=(?=(?:" + test + "))(?s:.))")


def behind(first: str | None, rx: re.Pattern | str) -> re.Pattern:
    """``rx`` for ``matches``, behind ``first`` (a class every match of ``rx`` starts with,
    None for none): ``re`` skips to the class's characters in one C loop and tries ``rx``
    there in C (``places_of``); the match of ``rx`` is the group ``whole``, the scan's own
    match the one character where it starts. ``rx`` may be a pattern not compiled (compiling
    a long one only to read it here costs as much as compiling the scan)."""
    pattern, flags = (rx, 0) if isinstance(rx, str) else (rx.pattern, rx.flags)
    if first is None:
        return re.compile("(?P<whole>" + pattern + ")", flags)
    return re.compile(first + "(?<=(?=(?P<whole>" + pattern + "))(?s:.))", flags)


def matches(scan: re.Pattern, text: str) -> Iterator[re.Match]:
    """``rx.finditer(text)`` (leftmost, non-overlapping, in text order; ``rx`` matches no empty
    string) for ``scan = behind(first, rx)``: each match's groups are ``rx``'s, its span is
    ``m.span("whole")``."""
    pos = 0
    while (m := scan.search(text, pos)) is not None:
        pos = m.end("whole")
        yield m


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


def needed_chars(regex: str, avoid: re.Pattern | None = None) -> str | None:
    """Characters one of which every match of ``regex`` holds (a text with none of them
    holds no match: one C search rules the pattern out), read from the pattern's parse:
    a literal, a class of a few characters, every alternative's, a repeated item's (at
    least once), picking in a sequence the item with the fewest characters that ``avoid``
    (a character class) matches (characters that are everywhere near a match, such as its
    lead), then the fewest. None when the pattern tells none (an optional item only, a category)."""
    parsed = _parsed(regex)
    if parsed is None or parsed.state.flags & re.IGNORECASE:
        return None
    found = _sequence_needs(parsed, avoid)
    return "".join(sorted(found)) if found else None


@lru_cache(maxsize=16)
def _parsed(regex: str):
    """``re``'s parse of ``regex`` (None when it cannot be had), read only: the questions
    below ask it of the same long patterns (``ahead_test`` asks two of one)."""
    if _sre_parse is None:
        return None
    try:
        return _sre_parse.parse(regex)
    except Exception:                   # pragma: no cover - a pattern ``re`` compiles parses
        return None


_FEW = 64   # a class of more characters than this tells nothing worth testing


def _sequence_needs(items, avoid: re.Pattern | None) -> frozenset[str] | None:
    told = [n for n in (_item_needs(op, av, avoid) for op, av in items) if n]
    return min(told, key=lambda n: (_count(n, avoid), len(n)), default=None)


def _count(chars: frozenset[str], avoid: re.Pattern | None) -> int:
    return sum(1 for c in chars if avoid.fullmatch(c)) if avoid is not None else 0


def _item_needs(op, av, avoid: re.Pattern | None) -> frozenset[str] | None:
    if op is _sre.LITERAL:
        return frozenset(chr(av))
    if op is _sre.IN:
        chars: set[str] = set()
        for kind, arg in av:
            if kind is _sre.LITERAL:
                chars.add(chr(arg))
            elif kind is _sre.RANGE and arg[1] - arg[0] < _FEW:
                chars.update(map(chr, range(arg[0], arg[1] + 1)))
            else:
                return None             # a category, a negation, a wide range
        return frozenset(chars) if len(chars) <= _FEW else None
    if op is _sre.SUBPATTERN:
        _group, add_flags, _del, sub = av
        return None if add_flags & re.IGNORECASE else _sequence_needs(sub, avoid)
    if op is _sre.ATOMIC_GROUP:
        return _sequence_needs(av, avoid)
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT):
        low, _high, sub = av
        return _sequence_needs(sub, avoid) if low >= 1 else None
    if op is _sre.BRANCH:
        out: set[str] = set()
        for alternative in av[1]:
            n = _sequence_needs(alternative, avoid)
            if not n:
                return None
            out |= n
        return frozenset(out)
    return None                         # an assertion, a group reference, any character …


@lru_cache(maxsize=64)
def ahead_test(regex: str, avoid: re.Pattern | None = None) -> str | None:
    """A lookahead to put in front of ``regex`` that holds wherever it can match: a run of
    characters the pattern can hold, then one of its needed characters (``needed_chars``),
    or else a run of ``_AHEAD`` such characters (looked at no further, so that a long run
    costs no more than the pattern itself: a test scanning every run to its end was
    quadratic). It changes no match, and fails in a few steps where the pattern would try
    all of its branches first (a number followed by no unit). None when either cannot be told.
    (Kept per pattern: reading a long alternation's parse costs as much as compiling it.)"""
    needed = needed_chars(regex, avoid)
    held = possible_chars(regex)
    if needed is None or held is None:
        return None
    return "(?=[{0}]{{0,{2}}}[{1}]|[{0}]{{{2}}})".format(held, re.escape(needed), _AHEAD)


_AHEAD = 24


def with_ahead_test(rx: re.Pattern, avoid: re.Pattern | None = None) -> re.Pattern:
    """``rx`` with ``ahead_test`` in front (the same matches), or ``rx`` when none can be told.
    For a pattern tried by ``match`` at chosen places: in front of a ``search`` the test
    would hide the pattern's first characters from ``re``'s own quick scan. The pattern goes
    in a group behind the test: in front of an alternation (``any_of``) the test would
    guard its first branch only."""
    test = ahead_test(rx.pattern, avoid)
    return re.compile(test + "(?:" + rx.pattern + ")") if test else rx


def ahead_tested(regex: str, avoid: re.Pattern | None = None) -> str:
    """The pattern of ``with_ahead_test`` (``regex`` when no test can be told), not compiled:
    for ``behind``, which compiles it inside its scan."""
    test = ahead_test(regex, avoid)
    return test + "(?:" + regex + ")" if test else regex


_CATEGORIES = {"CATEGORY_DIGIT": r"\d", "CATEGORY_SPACE": r"\s", "CATEGORY_WORD": r"\w"}


def possible_chars(regex: str) -> str | None:
    """The inside of a character class holding every character a match of ``regex`` can
    hold (lookarounds aside); None when that is not a class of a few items (a negation,
    any character, a back reference)."""
    parsed = _parsed(regex)
    if parsed is None or parsed.state.flags & re.IGNORECASE:
        return None
    items: set[str] = set()
    return "".join(sorted(items)) if _collect(parsed, items) and items else None


def _collect(sequence, items: set[str]) -> bool:
    for op, av in sequence:
        if op is _sre.LITERAL:
            items.add(re.escape(chr(av)))
        elif op is _sre.IN:
            for kind, arg in av:
                if kind is _sre.LITERAL:
                    items.add(re.escape(chr(arg)))
                elif kind is _sre.RANGE:
                    items.add(re.escape(chr(arg[0])) + "-" + re.escape(chr(arg[1])))
                elif kind is _sre.CATEGORY and str(arg) in _CATEGORIES:
                    items.add(_CATEGORIES[str(arg)])
                else:
                    return False        # a negation, another category
        elif op is _sre.SUBPATTERN:
            if av[1] & re.IGNORECASE or not _collect(av[3], items):
                return False
        elif op is _sre.ATOMIC_GROUP:
            if not _collect(av, items):
                return False
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT):
            if not _collect(av[2], items):
                return False
        elif op is _sre.BRANCH:
            if not all(_collect(alternative, items) for alternative in av[1]):
                return False
        elif op not in (_sre.ASSERT, _sre.ASSERT_NOT, _sre.AT, _sre.GROUPREF):
            return False                # any character, a conditional group …
        # (a group reference repeats a group before it, whose characters are in)
    return True


def first_chars_of(regex: str) -> tuple[frozenset[str], bool] | None:
    """(characters, decimal digit): what every match of ``regex`` starts with, read from the
    pattern's parse (``\\d`` as a flag: a Unicode decimal digit, ``str.isdecimal``); None
    when that cannot be told (an optional first item, a look-around, a wide class)."""
    if _sre_parse is None:
        return None
    return _first_of(_sre_parse.parse(regex).data)


def _first_of(items) -> tuple[frozenset[str], bool] | None:
    """(characters, decimal digit) a match of the parsed ``items`` starts with, else None."""
    for op, av in items:
        if op is _sre.AT:           # ^ and other zero-width assertions: the next item starts
            continue
        if op is _sre.LITERAL:
            return frozenset(chr(av)), False
        if op is _sre.IN:
            return _first_of_class(av)
        if op is _sre.SUBPATTERN and not av[1]:     # a group without flags of its own
            return _first_of(av[-1].data if hasattr(av[-1], "data") else av[-1])
        if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and av[0] >= 1:
            return _first_of(av[2].data if hasattr(av[2], "data") else av[2])
        if op is _sre.BRANCH:
            firsts = [_first_of(b.data if hasattr(b, "data") else b) for b in av[1]]
            if any(f is None for f in firsts):
                return None
            return frozenset().union(*(f[0] for f in firsts)), any(f[1] for f in firsts)
        return None                 # an optional item, a look-around, a back-reference…
    return None


def _first_of_class(items) -> tuple[frozenset[str], bool] | None:
    chars: set[str] = set()
    digits = False
    for op, av in items:
        if op is _sre.LITERAL:
            chars.add(chr(av))
        elif op is _sre.RANGE and av[1] - av[0] < 0x1000:
            chars.update(map(chr, range(av[0], av[1] + 1)))
        elif op is _sre.CATEGORY and av is _sre.CATEGORY_DIGIT:
            digits = True           # \d: a Unicode decimal digit (str.isdecimal)
        else:
            return None
    return frozenset(chars), digits


def any_of(patterns: Iterable[str]) -> re.Pattern:
    """One pattern that matches wherever one of ``patterns`` matches (their named groups
    renamed apart, so that they can stand side by side): a single quick test in front
    of trying each pattern."""
    return re.compile(alternation(patterns))


def alternation(patterns: Iterable[str]) -> str:
    """The pattern of ``any_of(patterns)``, not compiled (to ask ``ahead_test`` of it)."""
    return "|".join(_own_groups(p, n) for n, p in enumerate(patterns))


def each_of(patterns: Iterable[str], avoid: re.Pattern | None = None) -> re.Pattern:
    """One pattern that, matched at a place, tells which of ``patterns`` match there: its
    group ``_<n>`` holds the match of the n-th pattern, None where that one does not match
    (each is tried in a look-ahead, one ``match`` for them all instead of one each). It
    fails at once where ``ahead_test`` of them all fails (none can match), else it matches
    the empty string."""
    patterns = list(patterns)
    test = ahead_test(alternation(patterns), avoid) or ""
    return re.compile(test + "".join(f"(?:(?=(?P<_{n}>{_own_groups(p, n)}))|)" for n, p in enumerate(patterns)))


def _own_groups(regex: str, n: int) -> str:
    """``regex`` as one branch of an alternation: its named groups renamed ``<name>_<n>``."""
    regex = re.sub(r"\(\?P<(\w+)>", lambda m: f"(?P<{m.group(1)}_{n}>", regex)
    return "(?:" + re.sub(r"\(\?P=(\w+)\)", lambda m: f"(?P={m.group(1)}_{n})", regex) + ")"


def disjoint(items: Iterable, bounds) -> list:
    """The items whose spans do not overlap an item taken before them, in text order.

    ``items`` come in order of preference (longest first, say); ``bounds(item)`` gives
    its half-open ``(start, end)``. Two spans overlap when each starts before the other
    ends (an empty span overlaps only a span that holds it strictly inside). The taken
    spans are kept sorted, so a new one is checked against its neighbours only:
    n log n, where testing every taken span is quadratic on a long run of matches."""
    starts: list[int] = []      # taken non-empty spans, disjoint, by start
    ends: list[int] = []
    points: list[int] = []      # taken empty spans
    taken: list[tuple[int, int, int, object]] = []
    for n, item in enumerate(items):
        s, e = bounds(item)
        i = bisect.bisect_right(starts, s)
        if s == e:
            if i and starts[i - 1] < s < ends[i - 1]:
                continue
            bisect.insort(points, s)
        else:
            if i and ends[i - 1] > s:               # the span before runs into this one
                continue
            if i < len(starts) and starts[i] < e:   # the span after starts inside this one
                continue
            j = bisect.bisect_right(points, s)
            if j < len(points) and points[j] < e:   # an empty span taken strictly inside
                continue
            starts.insert(i, s)
            ends.insert(i, e)
        taken.append((s, e, n, item))
    return [t[3] for t in sorted(taken, key=lambda t: (t[0], t[1], t[2]))]
