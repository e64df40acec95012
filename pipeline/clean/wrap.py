"""The page width of a hard-wrapped copy (OCR, a PDF's text layer saved as text): the lines
cut at it run on into the next line (``wrap`` in ``models/clean/debris.yaml``)."""
from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Callable
from functools import lru_cache
from itertools import repeat
from operator import sub, truediv

from ..lexicon import load_yaml
from ..text.punctuation import LINE_END as SENTENCE_END


@lru_cache(maxsize=1)
def _wrap_rules():
    cfg = load_yaml("clean/debris.yaml")["wrap"]
    return cfg, re.compile(cfg["half_width"])


def wrap_width(texts: list[str]) -> float | None:
    """The page width a hard-wrapped copy cut its lines at (in cells), or None when the lines
    do not share one: the widest width that, with its neighbours (±1), at least ``min_share``
    of the lines reach, and ``wide_share`` of those lines themselves."""
    band = band_of(texts, widths(texts))
    return None if band is None else band[1]


_SEP = "\ue000"     # (a private-use character: joins the texts where none holds it)
_ONE_CHAR_CLASS = re.compile(r"\[[^\[\]]*\]")   # a pattern that is one character class


def widths(texts: list[str]) -> list[float]:
    """The display width of every text in CJK cells: half-width characters take half a cell.
    (The half-width characters of all texts are removed in one pass over the texts joined by a
    separator that is neither half-width nor in any text: what is left of each text is its
    full-width characters.)"""
    half = _wrap_rules()[1]
    lengths = list(map(len, texts))
    joined = _SEP.join(texts)
    if _ONE_CHAR_CLASS.fullmatch(half.pattern) and half.match(_SEP) is None and joined.count(_SEP) == len(texts) - 1:
        # (a match is one character: the characters removed are the matches findall counts)
        full = map(len, half.sub("", joined).split(_SEP))
        halves = map(sub, lengths, full)
    else:
        halves = map(len, map(half.findall, texts))
    return list(map(sub, lengths, map(truediv, halves, repeat(2))))   # (map: no Python step per text)


def band_of(texts: list[str], widths: list[float]) -> tuple[float, float] | None:
    """(commonest, widest) width of the band of widths (w ± 1) the lines of a hard-wrapped copy
    reach, or None. The two differ where the copy lost the indent of many first lines (第一条
    为… two cells short of the page width, as common as the full lines): the page width is
    the widest one, and the commonest still bounds how short a cut line may be."""
    cfg = _wrap_rules()[0]
    if len(texts) < cfg["min_lines"]:
        return None
    rounded = list(map(round, widths))
    counts = Counter(rounded)
    need, min_width, count = cfg["min_share"] * len(texts), cfg["min_width"], counts.get
    run_on: Counter | None = None     # counted when a band is reached (most texts reach none)
    for w in sorted(counts, reverse=True):
        if w < min_width:
            break
        n = count(w - 1, 0) + count(w, 0) + count(w + 1, 0)     # the band w ± 1
        if n >= need:
            band = (w - 1, w, w + 1)
            if run_on is None:    # the lines that do not end a sentence, by width
                run_on = Counter(k for k, t in zip(rounded, texts) if not t or t[-1] not in SENTENCE_END)
            if sum(run_on.get(k, 0) for k in band) < cfg["min_run_on"] * n:
                return None
            common = max(band, key=lambda k: counts.get(k, 0))
            widest = max(k for k in band if count(k, 0) >= cfg["wide_share"] * n)
            return float(common), float(max(common, widest))
    return None


def cuts(texts: list[str], labelled: Callable[[int], bool]) -> list[bool]:
    """Which of ``texts`` ran to a hard-wrapped copy's page width (``cut_at_width``; all False
    where the texts are no such copy); ``labelled(i)``: does ``texts[i]`` open with a numbering
    label (asked only where it decides)."""
    cfg = _wrap_rules()[0]
    if len(texts) < cfg["min_lines"] or not _long_enough(texts):
        return [False] * len(texts)     # (too few lines, or too few long ones, to reach a band: no width measured)
    line_widths = widths(texts)
    band = band_of(texts, line_widths)
    if band is None:
        return [False] * len(texts)
    low = band[0] - cfg["indent"] - cfg["tolerance"]      # (see cut_at_width)
    high, low_labelled = band[1] + cfg["tolerance"], low - cfg["label_gap"]
    return [w <= high and (low <= w or (low_labelled <= w and labelled(i))) for i, w in enumerate(line_widths)]


def _long_enough(texts: list[str]) -> bool:
    """Are ``min_share`` of the texts long enough to be in a band (``band_of``)? A band's lines
    are at least ``min_width`` - 1 cells wide when rounded, and a text is no wider than its
    length: a shorter text is in none. (The lengths sorted: no Python step per text.)"""
    cfg = _wrap_rules()[0]
    shorter = bisect.bisect_left(sorted(map(len, texts)), cfg["min_width"] - 1.5)
    return len(texts) - shorter >= cfg["min_share"] * len(texts)


def cut_at_width(line_width: float, width: tuple[float, float] | None,
                 labelled: Callable[[], bool] = lambda: False) -> bool:
    """A line ``line_width`` cells wide ends where a hard-wrapped copy's page width cut it
    (not before it); ``width``: the (commonest, widest) width of ``band_of``. A line opening
    with a numbering label (``labelled()``) may be ``label_gap`` cells shorter still: the copy
    lost the blank after its label with the indent (第三十四条　采用… printed, 第三十四条 采用…
    or 第三条本规则… in the copy). (``cuts`` asks it of every line of a text at once.)"""
    if width is None:
        return False
    cfg = _wrap_rules()[0]
    low = width[0] - cfg["indent"] - cfg["tolerance"]
    if line_width > width[1] + cfg["tolerance"]:
        return False
    return low <= line_width or (low - cfg["label_gap"] <= line_width and labelled())
