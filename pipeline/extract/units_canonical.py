"""Canonical unit names: short forms resolved within one document and across a batch.

In: unit mentions (any frozen dataclass with ``name`` and ``canonical``) and the full
text of their document. Out: the same mentions, in the same order, with ``canonical``
set (``models/units/abbreviations.yaml``), by these rules in turn:
1. the document's own definitions: ``上海市总工会（以下简称“市总”）`` makes ``市总`` ->
   ``上海市总工会``;
2. standard short forms at the start of a name, the same in every document of a batch
   (``区总`` -> ``区总工会``, ``全总`` -> ``中华全国总工会``, ``人社部`` ->
   ``人力资源和社会保障部``), longest first;
3. department short forms inside a name (``区人社局`` -> ``区人力资源和社会保障局``);
4. within the document, a name that starts with its level (区, 市, 省, 县) becomes the one
   full name the document writes with a place of that level from the registry of
   administrative divisions in front of it (``市总`` -> ``市总工会`` -> ``上海市总工会``
   where the notice names ``上海市总工会``; two such places of one level leave it as it is);
   a department keeps its place in front of the organisation it starts with
   (``区总经审会`` -> ``区总工会经审会`` -> ``嘉定区总工会经审会``).
A name no rule changes is its own canonical. A bug raises: ``process.py`` keeps the names
as written and warns (``extractor_failed``).
"""
from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from ..segment import tokens
from ..scan import finditer_at
from ..text.edges import first_chars
from ..text.patterns import alternation
from ..textview import matching_view
from .units_lexicon import head_of, lexicon
from .units_places import is_document_place, places_before
from .units_recognize import name_spans


@lru_cache(maxsize=64)
def document_aliases(view: str) -> dict[str, str]:
    """Aliases a document defines for itself: ``{"市总": "上海市总工会"}`` (view script),
    read on the document's matching ``view``; a definition is looked for only where a
    declaring word (``abbreviations.yaml`` definitions: 简称) stands."""
    out: dict[str, str] = {}
    for m in finditer_at(_definition(), view, _definition_starts(view)):
        window_start = max(0, m.start() - 40)
        window = view[window_start:m.start()]
        spans = [sp for sp in name_spans(window, tokens(window)) if sp[1] == len(window)]
        if spans:
            out.setdefault(m.group(1), window[spans[-1][0]:])
    return out


def _definition_starts(view: str) -> list[int]:
    """Where a definition can open (every match of ``_definition`` opens at one of them): the
    bracket before a declaring word (简称), past the word that may stand before it (以下) and
    the blanks before that; found from the words (``str.find``), not by trying the pattern at
    every bracket of the document."""
    lex, out = lexicon(), set()
    for word in lex.definition_words:
        at = view.find(word)
        while at >= 0:
            ends = {at} | {at - len(w) for w in lex.definition_before if at >= len(w) and view.startswith(w, at - len(w))}
            for end in ends:
                while end > 0 and view[end - 1].isspace():   # the blanks ``\s*`` matches
                    end -= 1
                if end > 0 and view[end - 1] in _definition_openers():
                    out.add(end - 1)
            at = view.find(word, at + 1)
    return sorted(out)


@lru_cache(maxsize=1)
def _definition_openers() -> str:
    """The brackets a definition opens with (read from the pattern)."""
    found = first_chars(_definition())
    if not found:
        raise ValueError("units_canonical: the definition pattern must open with characters named one by one")
    return found


@lru_cache(maxsize=1)
def _definition() -> re.Pattern:
    """A definition in a bracket: （以下简称“市总”） (group 1: the short form)."""
    lex = lexicon()
    return re.compile(r"[（(]\s*(?:" + alternation(lex.definition_before) + ")?(?:" + alternation(lex.definition_words)
                      + r")\s*[“\"‘']?([\u4e00-\u9fffA-Za-z]{2,10})[”\"’']?\s*[）)]")


@lru_cache(maxsize=1)
def _abbreviations() -> tuple[tuple[str, str], ...]:
    """The standard abbreviations, longest first."""
    return tuple(sorted(lexicon().abbreviations.items(), key=lambda kv: (-len(kv[0]), kv[0])))


@lru_cache(maxsize=1)
def _expansions() -> tuple[re.Pattern, dict[str, str]]:
    table = dict(lexicon().expansions)
    alt = "|".join(map(re.escape, sorted(table, key=len, reverse=True)))
    return re.compile(alt), table


@lru_cache(maxsize=4096)
def _expanded(view: str) -> str:
    for short, full in _abbreviations():
        if view.startswith(short) and not view.startswith(full):
            view = full + view[len(short):]
            break
    rx, table = _expansions()
    if not table:
        return view
    return rx.sub(lambda m: m.group() if view.startswith(table[m.group()], m.start()) else table[m.group()], view)


@lru_cache(maxsize=4096)
def _placed(document_view: str, generic: str) -> str | None:
    """The one full name ``<place><generic[1:]>`` of the document whose place (from the
    registry) ends in the level ``generic[0]``; None when there is none or several."""
    rest = generic[1:]
    found = {place + rest for place in places_before(document_view, generic)
             if is_document_place(document_view, place)}
    return found.pop() if len(found) == 1 else None


def canonical_name(name: str, aliases: dict[str, str] | None = None, document_view: str = "") -> str:
    """The canonical form of one name (see module doc); ``document_view``: the matching
    view of the document's text, for rule 4."""
    view = matching_view(name)
    aliases = aliases or {}
    if view in aliases:
        return aliases[view]
    out = _expanded(view)
    if document_view and len(out) >= 3 and out[0] in lexicon().levels:
        # the longest organisation the name starts with (区总工会 of 区总工会经审会)
        for cut in range(len(out), 2, -1):
            if head_of(out[1:cut]) is not None:
                placed = _placed(document_view, out[:cut])
                if placed:
                    out = placed + out[cut:]
                    break
    return out if out != view else name


@lru_cache(maxsize=8)
def _known(document_text: str) -> dict[str, str]:
    """The canonical forms found so far in one document, by name: a document names its
    units task after task, and ``canonical_name`` is a pure function of the name and the
    document (kept for the last few documents)."""
    return {}


def canonicalize(mentions, document_text: str, document_view: str | None = None):
    """``mentions`` with ``canonical`` set from the document's aliases and the lexicon.
    ``document_view``: ``matching_view(document_text)`` when the caller has it."""
    document_text = document_text or ""
    document_view = matching_view(document_text) if document_view is None else document_view
    aliases = document_aliases(document_view)
    known = _known(document_text)
    out = []
    for m in mentions:
        name = m.canonical or m.name
        canonical = known.get(name)
        if canonical is None:
            canonical = known[name] = canonical_name(name, aliases, document_view)
        out.append(m if canonical == m.canonical else replace(m, canonical=canonical))
    return out
