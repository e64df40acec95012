"""Segmentation: clean text -> tokens with character offsets and part-of-speech tags.

One interface, ``tokens(text)``, hides the segmenter: rjieba (the Rust jieba-rs binding,
~15x faster than Python jieba's part-of-speech tagger and ~4x faster than ``jieba.lcut``
here) when installed, else Python jieba; ``NOTICES_SEGMENTER=jieba`` forces the latter.
Both get the same domain user dictionary, ``models/segment/user_dict.txt`` plus every
``models/*/jieba_words.txt``.
The tokenizer is built once per process, lazily, and every token keeps half-open
``[start, end)`` offsets into the text it was given, so nothing downstream loses its place.
``tokens`` returns ``Tokens``: the segmenter's words and tags as lists, with the ends as
running sums of the words' lengths, and ``Token`` objects only for the tokens a consumer
asks for (a Token per token cost as much as segmenting).
"""
from __future__ import annotations

from collections.abc import Sequence
from itertools import accumulate
from operator import itemgetter, sub
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
    import logging  # (only here: ~15 M instructions of a start with rjieba)

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


class Tokens(Sequence[Token]):
    """The tokens of one text, as columns: ``words`` (the token strings, in text order),
    ``tags`` (their part-of-speech tags) and ``ends`` (their half-open end offsets);
    ``starts`` on demand. ``tokens[i]`` (and iterating) gives ``Token``s, built only for
    the tokens asked for: the consumers that scan every token (organisation names, the
    tokens column) read the columns and make no object per token."""

    __slots__ = ("words", "tags", "ends", "_starts")

    def __init__(self, words: list[str], tags: list[str], ends: list[int], starts: list[int] | None = None):
        self.words, self.tags, self.ends, self._starts = words, tags, ends, starts

    @property
    def starts(self) -> list[int]:
        """Where each token starts (its end less its length, computed once when asked)."""
        if self._starts is None:
            self._starts = list(map(sub, self.ends, map(len, self.words)))
        return self._starts

    def start(self, i: int) -> int:
        """Where token ``i`` starts."""
        return self.ends[i] - len(self.words[i]) if self._starts is None else self._starts[i]

    def __len__(self) -> int:
        return len(self.words)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return list(self)[i]
        if i < 0:
            i += len(self.words)
        return Token(self.words[i], self.start(i), self.ends[i], self.tags[i])

    def __iter__(self):
        return map(Token, self.words, self.starts, self.ends, self.tags)

    def __eq__(self, other) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    def __repr__(self) -> str:
        return f"Tokens({list(self)!r})"


def _with_offsets(text: str, pieces) -> Tokens:
    # jieba and rjieba return every character: offsets are running sums of lengths
    if not pieces:
        return Tokens([], [], [])
    words = list(map(_FIRST, pieces))
    ends = list(accumulate(map(len, words)))
    if ends[-1] == len(text) and text.startswith(words[0]):
        return Tokens(words, list(map(_SECOND, pieces)), ends)
    return _with_offsets_by_search(text, pieces)


_FIRST, _SECOND = itemgetter(0), itemgetter(1)


def _with_offsets_by_search(text: str, pieces) -> Tokens:
    words, tags, starts, ends = [], [], [], []
    cursor = 0
    for word, tag in pieces:
        start = text.find(word, cursor)
        if start < 0:  # jieba never drops characters; be safe anyway
            continue
        cursor = start + len(word)
        words.append(word)
        tags.append(tag)
        starts.append(start)
        ends.append(cursor)
    return Tokens(words, tags, ends, starts)


def tokens(text: str, pos: bool = True) -> Tokens:
    """Segment ``text``; with ``pos`` the tokens carry jieba's part-of-speech tags
    (``nt`` organisation, ``n`` noun, ``m`` numeral, ``x`` punctuation...), else ``""``."""
    if not text:
        return Tokens([], [], [])
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
