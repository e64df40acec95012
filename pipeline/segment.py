"""Segmentation: clean text -> tokens with character offsets and part-of-speech tags.

One interface, ``tokens(text)``, hides the segmenter: rjieba (the Rust jieba-rs binding,
~15x faster than Python jieba's part-of-speech tagger and ~4x faster than ``jieba.lcut``
here) when installed, else Python jieba; ``NOTICES_SEGMENTER=jieba`` forces the latter.
Both get the same domain user dictionary, ``models/segment/user_dict.txt`` plus every
``models/*/jieba_words.txt``.
The tokenizer is built once per process, lazily, and every token keeps half-open
``[start, end)`` offsets into the text it was given, so nothing downstream loses its place.
"""
from __future__ import annotations

import logging
from itertools import accumulate, repeat
from operator import itemgetter
from typing import NamedTuple
from functools import lru_cache

from .lexicon import load_dict, models_dir


class Token(NamedTuple):
    """A token: its text, half-open offsets into the segmented text, part-of-speech tag."""
    text: str
    start: int
    end: int
    pos: str


def _user_word_files():
    """The user dictionaries, relative to the models folder."""
    base = models_dir()
    yield "segment/user_dict.txt"
    yield from sorted(p.relative_to(base).as_posix() for p in base.glob("*/jieba_words.txt"))


def backend() -> str:
    """The segmenter in use: ``rjieba`` or ``jieba``."""
    return _tokenizers()[2]


def _user_words():
    for relative in _user_word_files():
        for entry in load_dict(relative):
            yield entry.word, entry.freq, entry.tag


def _rjieba_class():
    """rjieba's ``Jieba`` class (None when rjieba is not installed), taken from its compiled
    module alone: the package's ``__init__`` also builds a default segmenter for its module
    functions (~0.15 s CPU, as much as ours), never used here. The compiled module is loaded
    under its own name, so a later ``import rjieba`` finds it; anything unexpected in the
    package's layout falls back to ``import rjieba``."""
    import sys

    name = "rjieba.rjieba"
    if name not in sys.modules and "rjieba" not in sys.modules:
        try:
            _load_extension(name)
        except Exception:  # pragma: no cover - another layout: the plain import below
            pass
    if name in sys.modules:
        return sys.modules[name].Jieba
    try:
        import rjieba
    except ImportError:  # pragma: no cover - rjieba is a declared dependency
        return None
    return rjieba.Jieba


def _load_extension(name: str) -> None:
    """Load the compiled module ``name`` (``package.module``) without running the package's
    ``__init__``; does nothing when the package or the module is not found."""
    import importlib.machinery
    import importlib.util
    import os
    import sys

    package, module = name.rsplit(".", 1)
    spec = importlib.util.find_spec(package)
    for folder in (spec.submodule_search_locations or []) if spec else []:
        for suffix in importlib.machinery.EXTENSION_SUFFIXES:
            path = os.path.join(folder, module + suffix)
            if os.path.isfile(path):
                loader = importlib.machinery.ExtensionFileLoader(name, path)
                mod = importlib.util.module_from_spec(importlib.util.spec_from_loader(name, loader))
                loader.exec_module(mod)
                sys.modules[name] = mod
                return


@lru_cache(maxsize=1)
def _tokenizers():
    import os

    if os.environ.get("NOTICES_SEGMENTER", "rjieba") == "rjieba":
        jieba_class = _rjieba_class()
        if jieba_class is not None:
            seg = jieba_class()
            for word, freq, tag in _user_words():
                seg.add_word(word, freq, tag)
            return seg, seg, "rjieba"
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    tk.initialize()
    pos = jieba.posseg.POSTokenizer(tk)
    for word, freq, tag in _user_words():
        tk.add_word(word, freq, tag)
        if tag:
            pos.word_tag_tab[word] = tag
    return tk, pos, "jieba"


def load() -> None:
    """Build the segmenter now (once per process) instead of at the first call."""
    _tokenizers()


def _with_offsets(text: str, pieces) -> list[Token]:
    # jieba and rjieba return every character: offsets are running sums of lengths
    if not pieces:
        return []
    words = list(map(_FIRST, pieces))
    ends = list(accumulate(map(len, words)))
    if ends[-1] == len(text) and text.startswith(words[0]):
        starts = [0, *ends[:-1]]
        return list(map(_new_token, repeat(Token), zip(words, starts, ends, map(_SECOND, pieces))))
    return _with_offsets_by_search(text, pieces)


_new_token = tuple.__new__  # Token(*fields) without the Python-level __new__ of NamedTuple
_FIRST, _SECOND = itemgetter(0), itemgetter(1)


def _with_offsets_by_search(text: str, pieces) -> list[Token]:
    out: list[Token] = []
    cursor = 0
    for word, tag in pieces:
        start = text.find(word, cursor)
        if start < 0:  # jieba never drops characters; be safe anyway
            continue
        end = start + len(word)
        out.append(Token(word, start, end, tag))
        cursor = end
    return out


def tokens(text: str, pos: bool = True) -> list[Token]:
    """Segment ``text``; with ``pos`` the tokens carry jieba's part-of-speech tags
    (``nt`` organisation, ``n`` noun, ``m`` numeral, ``x`` punctuation...), else ``""``."""
    if not text:
        return []
    tk, tagger, name = _tokenizers()
    if name == "rjieba":
        pieces = tagger.tag(text, True) if pos else [(w, "") for w in tk.cut(text, True)]
    elif pos:
        pieces = [(p.word, p.flag) for p in tagger.cut(text, HMM=True)]
    else:
        pieces = [(w, "") for w in tk.cut(text, HMM=True)]
    return _with_offsets(text, pieces)


def words(text: str) -> list[str]:
    """Just the token strings (the ``tokens`` column of the tasks table)."""
    if not text:
        return []
    tk, _, name = _tokenizers()
    return list(tk.cut(text, True)) if name == "rjieba" else list(tk.cut(text, HMM=True))
