"""The characters a rule's match can start or end with, read from the rule's own pattern.

A stage that asks a line pattern of every line of a document (a date line, an attachment
heading) can first keep, in one scan of the lines' first (or last) characters, the lines
whose first character the pattern can start with: the others cannot match, and the pattern
is not asked of them. The classes are read from the compiled pattern (``re``'s own parser),
so the rules stay in the YAML and the quick test cannot drift from them.

``first_class(rx)``: a one-character pattern holding every character a match of ``rx``
(``rx.match``, at the start of a string) can start with; ``last_class(rx)`` the same for the
character a match ends with, for a pattern anchored at the end (``$``, ``\\Z``). Both are
None when the class cannot be told (the match can start with any character, can be empty,
or the pattern ignores case). ``lines_with(texts, first=None, last=None)``: the indexes of
``texts`` (none empty) whose first character is in ``first`` and last in ``last``.
``required_chars(rx)``: the characters every match of ``rx`` holds (a string without one of
them is not searched). ``first_chars(rx)`` names the first characters when they are a few
named ones, and ``finditer_from(rx, text, chars)`` finds ``rx.finditer(text)`` by trying the
pattern only where ``str.find`` finds one of them (a pattern opening with ``(?:自|从)`` scans
each character with a class test, several times slower than ``str.find``).
"""
from __future__ import annotations

import re
from functools import cached_property
from operator import itemgetter

from ..scan import finditer_at

try:                                   # Python 3.11+
    from re import _constants as _sre
    from re import _parser as _sre_parse
except ImportError:                    # pragma: no cover - Python 3.10
    import sre_constants as _sre
    import sre_parse as _sre_parse

_CATEGORY = {_sre.CATEGORY_DIGIT: r"\d", _sre.CATEGORY_NOT_DIGIT: r"\D", _sre.CATEGORY_SPACE: r"\s",
             _sre.CATEGORY_NOT_SPACE: r"\S", _sre.CATEGORY_WORD: r"\w", _sre.CATEGORY_NOT_WORD: r"\W"}
_REPEATS = tuple(getattr(_sre, name) for name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") if hasattr(_sre, name))
_ZERO_WIDTH = (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT)
_END = (_sre.AT_END, _sre.AT_END_STRING)
_ATOMIC = getattr(_sre, "ATOMIC_GROUP", None)   # (?>...), Python 3.11+


def _class_items(items) -> list | None:
    """The members of a ``[...]`` (a character, or a (first, last) range or a category such as
    ``\\d`` as a tuple), None for a negated class."""
    out: list = []
    for op, av in items:
        if op is _sre.LITERAL:
            out.append(chr(av))
        elif op is _sre.RANGE:
            out.append((chr(av[0]), chr(av[1])))
        elif op is _sre.CATEGORY and av in _CATEGORY:
            out.append((_CATEGORY[av],))
        else:
            return None
    return out


def _syntax(item) -> str:
    if isinstance(item, str):
        return re.escape(item)
    return item[0] if len(item) == 1 else re.escape(item[0]) + "-" + re.escape(item[1])


def _edge(seq, backwards: bool):
    """(class items, can be empty) of the characters a match of ``seq`` starts with (ends
    with: ``backwards``), or None when any character can."""
    items: list = []
    for op, av in (reversed(seq) if backwards else seq):
        if op in _ZERO_WIDTH:
            continue                   # an anchor or an assertion consumes nothing
        if op is _sre.LITERAL:
            found = [chr(av)], False
        elif op is _sre.IN:
            cls = _class_items(av)
            found = None if cls is None else (cls, False)
        elif op is _sre.SUBPATTERN:
            found = None if av[1] & re.IGNORECASE else _edge(av[3], backwards)
        elif _ATOMIC is not None and op is _ATOMIC:
            found = _edge(av, backwards)
        elif op is _sre.BRANCH:
            found = _branches(av[1], backwards)
        elif op in _REPEATS:
            inner = _edge(av[2], backwards)
            found = None if inner is None else (inner[0], inner[1] or av[0] == 0)
        else:
            return None                # any character, a back reference, ...
        if found is None:
            return None
        items += found[0]
        if not found[1]:
            return items, False
    return items, True


def _branches(branches, backwards: bool):
    items, empty = [], False
    for seq in branches:
        found = _edge(seq, backwards)
        if found is None:
            return None
        items += found[0]
        empty = empty or found[1]
    return items, empty


def _ends_anchored(seq) -> bool:
    """Does every match of ``seq`` end at the end of the string (or before its final newline)?"""
    if not seq:
        return False
    op, av = seq[-1]
    if op is _sre.AT:
        return av in _END
    if op is _sre.SUBPATTERN:
        return _ends_anchored(av[3])
    if op is _sre.BRANCH:
        return all(_ends_anchored(b) for b in av[1])
    return False


class CharClass:
    """A class of characters (``[...]``), compiled when first used: compiling a class of CJK
    characters costs ~0.5 ms (``re`` builds its table of 65536 code points), so the classes
    that are only joined (``either``) are never compiled on their own."""

    def __init__(self, items: list, flags: int):
        self.items, self.flags = items, flags & re.ASCII

    @cached_property
    def rx(self) -> re.Pattern:
        return re.compile("[" + "".join(map(_syntax, self.items)) + "]", self.flags)

    def match(self, s: str, *args):
        return self.rx.match(s, *args)

    def finditer(self, s: str, *args):
        return self.rx.finditer(s, *args)


def first_chars(rx: re.Pattern) -> str | None:
    """The characters a match of ``rx`` can start with, when they are a few characters named one
    by one (no range, no category such as ``\\d``), else None."""
    if rx.flags & re.IGNORECASE:
        return None
    found = _edge(_sre_parse.parse(rx.pattern, rx.flags), backwards=False)
    if found is None or found[1] or not all(isinstance(item, str) for item in found[0]):
        return None
    return "".join(sorted(set(found[0])))


def finditer_from(rx: re.Pattern, text: str, firsts: str | None) -> list[re.Match]:
    """``list(rx.finditer(text))``, for a pattern each match of which starts with one of
    ``firsts`` (``first_chars(rx)``; None: any): the pattern is tried only where one of them
    stands (found by ``str.find``, much faster than the pattern's own scan of every character;
    ``scan.finditer_at`` tries it there)."""
    if firsts is None:
        return list(rx.finditer(text))
    starts = []
    for ch in firsts:
        i = text.find(ch)
        while i >= 0:
            starts.append(i)
            i = text.find(ch, i + 1)
    return list(finditer_at(rx, text, sorted(starts)))


def first_class(rx: re.Pattern) -> CharClass | None:
    """A one-character pattern matching every character a match of ``rx`` can start with
    (None: cannot be told)."""
    if rx.flags & re.IGNORECASE:
        return None
    found = _edge(_sre_parse.parse(rx.pattern, rx.flags), backwards=False)
    return None if found is None or found[1] else CharClass(found[0], rx.flags)


def last_class(rx: re.Pattern) -> CharClass | None:
    """A one-character pattern matching every character a string that ``rx`` matches from
    its start can end with, for a pattern anchored at the end (None: cannot be told). (``$``
    also matches before a final newline: the newline is in the class.)"""
    if rx.flags & re.IGNORECASE:
        return None
    seq = _sre_parse.parse(rx.pattern, rx.flags)
    if not _ends_anchored(list(seq)):
        return None
    found = _edge(seq, backwards=True)
    return None if found is None or found[1] else CharClass(found[0] + ["\n"], rx.flags)


def _required(seq) -> set[str]:
    """The characters every match of ``seq`` holds."""
    out: set[str] = set()
    for op, av in seq:
        if op is _sre.LITERAL:
            out.add(chr(av))
        elif op is _sre.IN and len(av) == 1 and av[0][0] is _sre.LITERAL:
            out.add(chr(av[0][1]))
        elif op is _sre.SUBPATTERN and not av[1] & re.IGNORECASE:
            out |= _required(av[3])
        elif _ATOMIC is not None and op is _ATOMIC:
            out |= _required(av)
        elif op in _REPEATS and av[0] >= 1:
            out |= _required(av[2])
        elif op is _sre.BRANCH:
            out |= set.intersection(*(_required(b) for b in av[1]))
    return out


def required_chars(rx: re.Pattern) -> str:
    """The characters every match of ``rx`` holds, in order (none: ``""``)."""
    if rx.flags & re.IGNORECASE:
        return ""
    return "".join(sorted(_required(_sre_parse.parse(rx.pattern, rx.flags))))


def holds_all(text: str, chars: str) -> bool:
    """Does ``text`` hold every one of ``chars``?"""
    return all(map(text.__contains__, chars))


def either(*classes: CharClass | None) -> CharClass | None:
    """One class holding the characters of all ``classes`` (None when one of them is None)."""
    if any(c is None for c in classes) or len({c.flags for c in classes}) > 1:
        return None
    return CharClass([item for c in classes for item in c.items], classes[0].flags)


def chars(text: str) -> CharClass:
    """The class of the characters of ``text``."""
    return CharClass(list(text), 0)


def lines_with(texts: list[str], first: CharClass | None = None, last: CharClass | None = None,
               view_of=None) -> list[int]:
    """The indexes of ``texts`` (none empty) whose first character ``first`` matches and whose
    last character ``last`` matches (a None class lets every text through), in order;
    ``view_of``: the classes are matched on the texts' views (``textview.matching_view``, which
    maps character by character)."""
    keep = range(len(texts))
    if first is not None:
        firsts = "".join(map(itemgetter(0), texts))
        keep = [m.start() for m in first.finditer(view_of(firsts) if view_of else firsts)]
    if last is not None:
        lasts = "".join(map(itemgetter(-1), texts))
        ends = {m.start() for m in last.finditer(view_of(lasts) if view_of else lasts)}
        keep = [i for i in keep if i in ends]
    return list(keep)
