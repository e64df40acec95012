"""Named regex fragments, the contract between rule files and code.

A rule file (``models/dates/patterns.yaml``, ``models/structure/period.yaml`` …) writes
``fragments`` (regex pieces) and ``patterns``; ``{name}`` in either is replaced by the
fragment of that name (fragments may use other fragments), ``{list:NAME}`` by an
alternation of the words of list ``NAME`` (longest first, escaped), ``{first:NAME}`` by
the class of their first characters: in a lookahead in front of a long alternation
(``(?={first:units})(?P<unit>{list:units})``) it fails at once where no word starts,
instead of trying each word. ``{2}`` and ``{1,4}`` stay regex quantifiers. ``expand(template, fragments, lists)`` does one template,
``compile_patterns(spec, lists)`` every pattern of a spec.
"""
from __future__ import annotations

import re

_REF = re.compile(r"\{([A-Za-z_:]+)\}")   # {name} but not a regex quantifier such as {2} or {1,4}


def alternation(words) -> str:
    """The words as one alternation, longest first, each escaped (no group)."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def first_chars(words) -> str:
    """The class of the words' first characters (the words must not be empty)."""
    if not words or not all(words):
        raise ValueError("a class of first characters needs words, none empty")
    firsts = {w[0] for w in words}
    return "[" + "".join(re.escape(c) for c in sorted(firsts)) + "]"


def expand(template: str, fragments: dict[str, str], lists: dict | None = None) -> str:
    def sub(m: re.Match) -> str:
        name = m.group(1)
        if name.startswith("list:"):
            return alternation((lists or {})[name[5:]])
        if name.startswith("first:"):
            return first_chars((lists or {})[name[6:]])
        return expand(fragments[name], fragments, lists)
    return _REF.sub(sub, template)


def compile_patterns(spec: dict, lists: dict | None = None, fragments: dict[str, str] | None = None) -> dict[str, re.Pattern]:
    """``{name: compiled pattern}`` for every pattern of ``spec`` (its ``fragments`` plus the
    ``fragments`` the code gives, such as character classes built from another table)."""
    frags = {**spec.get("fragments", {}), **(fragments or {})}
    return {name: re.compile(expand(rx, frags, lists)) for name, rx in spec["patterns"].items()}
