"""Canonical unit names: abbreviations resolved within one document.

In: unit mentions (any frozen dataclass with ``name`` and ``canonical``) and the full
text of their document. Out: the same mentions, in the same order, with ``canonical``
set: the document's own definitions first (``上海市总工会（以下简称“市总”）`` makes
``市总`` -> ``上海市总工会``), then the standard abbreviations of
``models/units/abbreviations.yaml`` (``区总`` -> ``区总工会``, ``区总经审会`` ->
``区总工会经审会``), longest abbreviation first; a name that is no abbreviation is its
own canonical. A bug raises: ``process.py`` keeps the names as written and warns
(``extractor_failed``).
"""
from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from ..segment import tokens
from ..textview import matching_view
from .units_lexicon import lexicon
from .units_recognize import name_spans

_DEFINITION = re.compile(r"[（(]\s*(?:以下)?简称\s*[“\"‘']?([\u4e00-\u9fffA-Za-z]{2,10})[”\"’']?\s*[）)]")


@lru_cache(maxsize=64)
def document_aliases(document_text: str) -> dict[str, str]:
    """Aliases a document defines for itself: ``{"市总": "上海市总工会"}`` (view script)."""
    view = matching_view(document_text)
    out: dict[str, str] = {}
    for m in _DEFINITION.finditer(view):
        window_start = max(0, m.start() - 40)
        window = view[window_start:m.start()]
        spans = [sp for sp in name_spans(window, tokens(window)) if sp[1] == len(window)]
        if spans:
            out.setdefault(m.group(1), window[spans[-1][0]:])
    return out


@lru_cache(maxsize=1)
def _abbreviations() -> tuple[tuple[str, str], ...]:
    """The standard abbreviations, longest first."""
    return tuple(sorted(lexicon().abbreviations.items(), key=lambda kv: (-len(kv[0]), kv[0])))


def canonical_name(name: str, aliases: dict[str, str] | None = None) -> str:
    """The canonical form of one name (see module doc)."""
    view = matching_view(name)
    aliases = aliases or {}
    if view in aliases:
        return aliases[view]
    for short, full in _abbreviations():
        if view.startswith(short) and not view.startswith(full):
            return full + view[len(short):]
    return name


def canonicalize(mentions, document_text: str):
    """``mentions`` with ``canonical`` set from the document's aliases and the lexicon."""
    aliases = document_aliases(document_text or "")
    out = []
    for m in mentions:
        canonical = canonical_name(m.canonical or m.name, aliases)
        out.append(m if canonical == m.canonical else replace(m, canonical=canonical))
    return out
