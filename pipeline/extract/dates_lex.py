"""What the date extractor knows, loaded once from ``models/dates/``.

``lexicon()`` returns a :class:`DateLexicon`: the YAML lists and tables
(``parts.yaml``, ``holidays.yaml``, ``triggers.yaml``), the compiled patterns of
``patterns.yaml`` (``{name: re.Pattern}``, fragments and ``{list:NAME}`` references
expanded), and the lunar table (``{year: {column: date}}`` from ``lunar_holidays.tsv``).
``small_int(s)`` reads the numerals those patterns capture (``12``, ``十二``, ``二○二一``)
with ``text.numerals``, the package's one numeral reader.
``lexicon().finditer(view)`` runs every pattern over a text; the patterns behind the
``gate`` of ``patterns.yaml`` (numeric ones, starting with a first-character test) are
only tried where the gate holds and one of them matches, which gives the same matches
as scanning the whole text with each (tests/test_fast_paths.py) at a fraction of the cost.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from ..lexicon import load_yaml
from ..scan import any_of, finditer_at, starts
from ..text import holidays as calendar
from ..text.numerals import to_int
from ..text.patterns import expand

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
    gated: frozenset[str] = frozenset()     # patterns that start with it
    any_gated: re.Pattern | None = None     # matches where any gated pattern matches (tried at the gate's places only)
    order: tuple[tuple[str, re.Pattern, bool], ...] = ()   # (kind, pattern, gated) in the file's order
    ungated: tuple[tuple[str, re.Pattern, bool], ...] = ()  # the same, the patterns without the gate

    def finditer(self, view: str):
        """``(kind, match)`` of every pattern over ``view``: for each pattern in turn its
        matches in text order, exactly as ``pattern.finditer(view)`` gives them. Gated
        patterns are only tried where the gate holds and one of them matches."""
        positions = []
        if self.gate is not None:
            match_any = self.any_gated.match
            positions = [p for p in starts(self.gate, view) if match_any(view, p)]
        for kind, rx, gated in self.order if positions else self.ungated:
            if not gated:
                found = rx.finditer(view)
            elif positions:
                found = finditer_at(rx, view, positions)
            else:
                continue  # no gated pattern matches anywhere
            for m in found:
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
    # tried at the gate's places only, where the gate's own test in front of each pattern holds
    any_gated = any_of(patterns[name].pattern.removeprefix(gate_test) for name in sorted(gated))
    order = tuple((name.partition("@")[0], rx, name in gated) for name, rx in patterns.items())   # md@bare is read as md
    return DateLexicon(parts, holidays, triggers, patterns, calendar.lunar(), gate_rx, gated, any_gated, order,
                       tuple(o for o in order if not o[2]))


def _plain_class(test: str) -> str:
    """A first-character test ``(?=[...])`` as the class ``[...]`` (same positions, and
    ``re`` scans a plain class much faster); any other test as it is."""
    m = re.fullmatch(r"\(\?=(\[(?:[^\]\\]|\\.)*\])\)", test)
    return m.group(1) if m else test

