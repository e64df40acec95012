"""Numbering labels at the start of a paragraph: ``一、`` ``1、`` ``1．`` ``1.``
``（一）`` ``(一)`` ``（1）`` ``第一章`` ``第一条`` ….

``match_label(text)`` returns the label found at the start of ``text`` (style, label as
written without punctuation, end offset after the label and its spaces) or None. Styles
are data (``models/structure/numbering.yaml``); the longest match wins.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter

from ..scan import any_of, first_chars_of
from ..lexicon import load_yaml


@dataclass(frozen=True)
class Label:
    style: str
    label: str
    end: int          # offset in the paragraph right after the label and following blanks
    inline: bool = False
    rank: int | None = None  # fixed hierarchy rank (chapter < section < article), else by order


@lru_cache(maxsize=1)
def _styles():
    cfg = load_yaml("structure/numbering.yaml")
    cn = cfg["cn_num"]
    out = []
    for name, spec in cfg["styles"].items():
        pattern = spec["pattern"].replace("{cn}", cn)
        out.append((name, re.compile(pattern), bool(spec.get("inline")), spec.get("rank"),
                    bool(spec.get("inline_in_article"))))
    return out


@lru_cache(maxsize=1)
def _any_style():
    """Matches at the start of a text where some style does (one test before trying each)."""
    return any_of(rx.pattern for _, rx, _, _, _ in _styles())


@lru_cache(maxsize=1)
def _style_firsts() -> tuple[tuple[frozenset[str], bool] | None, ...]:
    """Per style: the characters its labels can start with and whether a decimal digit (``\\d``)
    can; None when they cannot be told from its pattern."""
    return tuple(None if rx.flags & re.IGNORECASE else first_chars_of(rx.pattern)
                 for _, rx, _, _, _ in _styles())


@lru_cache(maxsize=4096)
def _styles_starting(first: str) -> tuple[int, ...]:
    """The styles (indexes) whose labels can start with the character ``first`` ("" for an
    empty text)."""
    return tuple(k for k, known in enumerate(_style_firsts())
                 if known is None or first in known[0] or (known[1] and first.isdecimal()))


@lru_cache(maxsize=1)
def _label_start() -> re.Pattern | None:
    """A character class of the characters some style's labels can start with (None: some
    style's first character cannot be told)."""
    firsts = _style_firsts()
    if any(known is None for known in firsts):
        return None
    chars = "".join(sorted(set().union(*(known[0] for known in firsts))))
    digit = r"\d" if any(known[1] for known in firsts) else ""   # (\d: str.isdecimal's characters)
    return re.compile(f"[{re.escape(chars)}{digit}]" if chars or digit else "(?!)")


_BLANKS = " \t\u3000\u00a0"
_BLANK_RUN = re.compile("[%s]*" % _BLANKS)


# pure tests of one line's or paragraph's text, asked of the same text by several stages
# (clean, outline, units): one memo each, shared by every stage; Label is frozen. A text
# that no style can start (most lines, and every paragraph clean is building) is answered
# by the one quick test, without a memo entry (a paragraph grows at every line: its text
# would only push lines out of the memo)
def match_label(text: str) -> Label | None:
    """The numbering label at the very start of ``text``, or None."""
    if not _styles_starting(text[:1]) or _any_style().match(text) is None:
        return None
    return _match_label_memo(text)


@lru_cache(maxsize=16384)
def _match_label_memo(text: str) -> Label | None:
    return _match_label(text)


def _match_label(text: str) -> Label | None:
    quick = _any_style().match(text)
    if quick is None:
        return None
    styles = _styles()
    first = _first_style(quick)
    best = None     # (end, style index, label as written) of the longest match
    for k in _styles_starting(text[:1]):
        if k < first:
            continue
        m = styles[k][1].match(text)
        if m is not None and (best is None or m.end() > best[0]):
            best = (m.end(), k, m.group("label"))
    if best is None:
        return None
    end = _BLANK_RUN.match(text, best[0]).end()
    if end >= len(text):  # a bare label with nothing after it is not an item
        return None
    name, _, inline, rank, _ = styles[best[1]]
    return Label(name, _plain(best[2]), end, inline, rank)


def label_candidates(texts: list[str]) -> list[int]:
    """The indexes of ``texts`` (none empty) that start with a character some label can start
    with: ``match_label`` of the others is None. Found in one scan of the texts' first characters
    (most lines of a document start with none)."""
    start = _label_start()
    if start is None:
        return list(range(len(texts)))
    return [m.start() for m in start.finditer("".join(map(itemgetter(0), texts)))]   # (character i: texts[i]'s first)


def _first_style(quick: re.Match) -> int:
    """The first style that matches, from the quick test's match: its branch (``any_of`` names
    the groups of branch n ``<name>_<n>``); the styles before it do not match."""
    group = quick.lastgroup
    return int(group.rsplit("_", 1)[1]) if group else 0


# labels as plain digits: full-width １ and the one-character forms ⑴ ⒈ read as 1
_PLAIN = {**{chr(0xFF10 + i): str(i) for i in range(10)},
          **{chr(0x2474 + i): str(i + 1) for i in range(20)},      # ⑴..⒇
          **{chr(0x2488 + i): str(i + 1) for i in range(20)},      # ⒈..⒛
          # ㈠..㈩ = （一）..（十）: their compatibility decomposition is the bracketed numeral
          **{chr(0x3220 + i): unicodedata.normalize("NFKC", chr(0x3220 + i)).strip("()") for i in range(10)}}


def _plain(label: str) -> str:
    return "".join(_PLAIN.get(ch, ch) for ch in label) if any(ch in _PLAIN for ch in label) else label


def inline_in_article(style: str) -> bool:
    return style in _inline_in_article()


@lru_cache(maxsize=1)
def _inline_in_article() -> frozenset[str]:
    return frozenset(name for name, _, _, _, flag in _styles() if flag)


def starts_with_label(text: str) -> bool:
    # through match_label's memo: clean asks it of every line, the outline asks match_label
    # of the same lines (its paragraphs) again
    lab = match_label(text)
    return lab is not None and not lab.inline


_MOST_BARE = 8    # characters of the longest bare label


def is_bare_label(text: str) -> bool:
    """A line holding only a numbering label (``一、``, ``（二）``, ``第一条``): a copy broke
    the line right after it, and the item's text is on the next line."""
    if len(text) > _MOST_BARE and not text[0].isspace() and not text[-1].isspace():
        return False    # longer than any label even when stripped (a paragraph), without a memo entry
    return _is_bare_label(text)


def bare_labels_of(texts: list[str], candidates: list[int] | None = None) -> list[bool]:
    """``is_bare_label`` of each of ``texts`` (none empty), asked only of the short ones and of
    those with a blank at an end; where no text starts with a blank, only of those that start with
    a character some label can start with (``candidates``: ``label_candidates(texts)`` if known)."""
    out = [False] * len(texts)
    if any(map(str.isspace, map(itemgetter(0), texts))):
        candidates = range(len(texts))     # (a stripped text starts further on)
    elif candidates is None:
        candidates = label_candidates(texts)
    for i in candidates:
        text = texts[i]
        if len(text) <= _MOST_BARE or text[0].isspace() or text[-1].isspace():
            out[i] = _is_bare_label(text)
    return out


@lru_cache(maxsize=8192)
def _is_bare_label(text: str) -> bool:
    t = text.strip()
    if not t or len(t) > _MOST_BARE or _any_style().match(t) is None:
        return False
    for _, rx, inline, _, _ in _styles():
        m = rx.match(t)
        if m and not inline and not t[m.end():].strip():
            return True
    return False
