"""Which 第N章 / 第N条 labels at the start of a line are headings (GUIDELINES §2: in
regulations articles are the items and chapters the sections).

A copy wraps lines anywhere, so a cross-reference (``…按⏎第二十九条标准进行考核``) or an
amendment clause (``第二十六条不再执行。``) can start a line and look like a label.
``drop_reference_labels(paras)`` keeps such a label only where it can be a heading:

- a label without a blank after it is not followed by a reference word (标准, 执行, 不再,
  内容修订…);
- labels run in sequence: the number is at most ``max_gap`` past the last accepted label of
  its style (the first may be 1..max_gap, an attachment restarts at 1); a label out of
  sequence (after a lost page) is kept only when the line before it ends a sentence or is
  a heading and the next label of its style continues it (n + 1).

Data: ``headings`` in ``models/structure/numbering.yaml``. Paragraphs are the outline's
``_Para`` records (``text``, ``label``, ``stop``); rejected labels are set to None.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..lexicon import load_yaml
from ..text.numerals import to_int

_BLANKS = " \t\u3000\u00a0"
_CJK = re.compile(r"[\u4e00-\u9fff]")


@lru_cache(maxsize=1)
def _cfg():
    cfg = load_yaml("structure/numbering.yaml")["headings"]
    return (frozenset(cfg["styles"]), re.compile(cfg["not_followed_by"]), re.compile(cfg["sentence_end"]), cfg["max_gap"])


def _has_blank(p) -> bool:
    return p.label.end > 0 and p.text[p.label.end - 1] in _BLANKS


def _ends_sentence(prev, styles, sentence_end) -> bool:
    if prev is None or prev.label is not None and prev.label.style in styles:
        return True
    return bool(sentence_end.search(prev.text))


def _line_before(paras, i: int):
    """The paragraph before ``paras[i]`` that is not furniture and holds a CJK character (page
    numbers, ―3―, - 12 -, are not the line before), else None. (Its label as it is now: only a
    label of a later paragraph is dropped after it was asked.)"""
    for j in range(i - 1, -1, -1):
        if not paras[j].stop and _CJK.search(paras[j].text):
            return paras[j]
    return None


def drop_reference_labels(paras) -> None:
    styles, followers, sentence_end, max_gap = _cfg()
    cands = []          # (index, number) of labels that pass the local tests
    for i, p in enumerate(paras):
        if p.stop:
            continue
        lab = p.label
        if lab is not None and lab.style in styles:
            n = to_int(lab.label)
            if n is not None:
                if _has_blank(p) or not followers.match(p.text, lab.end):
                    cands.append((i, n, _ends_sentence(_line_before(paras, i), styles, sentence_end)))
                else:
                    p.label = None
    last: dict[str, int] = {}
    for (i, n, after_sentence), nxt in zip(cands, _next_numbers(paras, cands)):
        style = paras[i].label.style
        before = last.get(style, 0)
        if n == 1 or before < n <= before + max_gap or after_sentence and nxt == n + 1:
            last[style] = n
        else:
            paras[i].label = None


def _next_numbers(paras, cands) -> list[int | None]:
    """For each candidate label, the number of the next candidate of its style (None: none
    follows), read in one pass from the end."""
    out: list[int | None] = [None] * len(cands)
    following: dict[str, int] = {}
    for k in range(len(cands) - 1, -1, -1):
        i, n, _ = cands[k]
        style = paras[i].label.style
        out[k] = following.get(style)
        following[style] = n
    return out
