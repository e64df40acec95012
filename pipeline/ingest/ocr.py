"""OCR: a page image -> positioned text segments, read like a text layer.

The engine is rapidocr-onnxruntime (Apache-2.0; its PP-OCR Chinese detection and
recognition models ship inside its wheel, so nothing is downloaded), installed with
the ``[ocr]`` extra. It is loaded once per process, on the first page that needs it.

``ocr_image(bgr)`` returns the lines the engine finds (pixel boxes, text, confidence);
``lines_to_segments`` turns them into the ``Seg`` records of ``pdf_layout`` (PDF points,
y up), so OCR'd pages go through the same reading order, header/footer and paragraph
logic as a text layer. ``normalise_ocr_text`` undoes the engine's habits that a
Chinese document never has (ASCII brackets and punctuation between Chinese characters).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from ..text.punctuation import HALF_TO_FULL, QUOTE_PAIRS, STRAIGHT_QUOTE
from .pdf_layout import Seg

INSTALL_HINT = "install the OCR extra: pip install 'notices[ocr]'"


@dataclass(frozen=True)
class OcrLine:
    """A line the engine read: its box in pixels (y down), its text, its confidence (0-1)."""
    x0: float
    top: float
    x1: float
    bottom: float
    text: str
    score: float


@dataclass(frozen=True)
class OcrPage:
    segs: list[Seg]
    n_chars: int
    confidence: float | None      # mean over the page's characters; None when nothing was read


def available() -> bool:
    """Can OCR run here (the ``[ocr]`` extra installed)?"""
    try:
        _engine()
    except ImportError:
        return False
    return True


def warm_up() -> bool:
    """Load the engine and read a small made-up page, so that a worker process holds
    the engine's libraries, sessions and thread pools before its memory bound is taken
    (they are the worker's footprint, not a file's). False when OCR is not installed."""
    import ctypes

    try:
        ctypes.CDLL("libc.so.6").mallopt(-8, 2)    # M_ARENA_MAX: the engine's threads share malloc arenas
    except (OSError, AttributeError):               # pragma: no cover - not glibc
        pass
    if not available():
        return False
    import numpy as np

    page = np.full((700, 500, 3), 255, dtype=np.uint8)
    page[300:320, 100:400] = 0                      # a black bar: one detected "line" to recognise
    ocr_image(page)
    return True


@lru_cache(maxsize=1)
def _engine():
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR()


def ocr_image(bgr) -> list[OcrLine]:
    """OCR one image (a numpy array, height x width x 3, BGR as OpenCV reads it).

    The text-line angle classifier is off: notice pages are upright, and it turns some
    upright lines of a scan upside down (they then read as nothing)."""
    result, _ = _engine()(bgr, use_cls=False)
    out = []
    for box, text, score in result or ():
        xs = [p[0] for p in box]
        ys = [p[1] for p in box]
        text = normalise_ocr_text(text.strip())
        if text:
            out.append(OcrLine(min(xs), min(ys), max(xs), max(ys), text, float(score)))
    return out


_PAIRS = HALF_TO_FULL
_OPEN_Q, _CLOSE_Q = QUOTE_PAIRS[0]     # “ ”, the first pair of the table
_HALF_WIDTH = re.compile("[" + re.escape("".join(_PAIRS) + STRAIGHT_QUOTE) + "]")


def _chinese(ch: str) -> bool:
    """A Chinese character or full-width punctuation (curly quotes included)."""
    return bool(ch) and (unicodedata.east_asian_width(ch) in ("W", "F") or ch in "\u201c\u201d\u2018\u2019")


def normalise_ocr_text(text: str) -> str:
    """ASCII brackets, quotes and punctuation next to Chinese characters become
    full-width (``(农牧)厅`` -> ``（农牧）厅``, ``“十四五"规划`` -> ``“十四五”规划``);
    ASCII text such as ``(3)`` or ``1:2`` stays."""
    if not _HALF_WIDTH.search(text):
        return text
    chars = list(text)
    for i, ch in enumerate(chars):
        if ch == STRAIGHT_QUOTE and any(_chinese(c) for c in text[max(0, i - 1):i + 2]):
            done = "".join(chars[:i])
            chars[i] = _CLOSE_Q if done.count(_OPEN_Q) > done.count(_CLOSE_Q) else _OPEN_Q
            continue
        full = _PAIRS.get(ch)
        if full is None:
            continue
        before = chars[i - 1] if i else ""      # as already normalised: ），
        after = text[i + 1] if i + 1 < len(text) else ""
        near = _chinese(after) if ch == "(" else _chinese(before)
        if near:
            chars[i] = full
    return "".join(chars)


def lines_to_segments(lines: list[OcrLine], scale: float, page_height: float) -> list[Seg]:
    """OCR lines of a page rendered at ``scale`` pixels a point -> segments in PDF points
    (y up, the baseline taken at the bottom of the box)."""
    return [Seg(ln.x0 / scale, ln.x1 / scale, page_height - ln.bottom / scale, ln.text) for ln in lines]


def red_mask(bgr, min_share: float = 0.002):
    """The red pixels of a page (seal, red header, red rule), or None when there are
    (almost) none."""
    import numpy as np

    b, g, r = (bgr[..., k].astype(np.int16) for k in range(3))
    mask = (r - g > 60) & (r - b > 60)
    return mask if mask.mean() >= min_share else None


def _overlap(a: OcrLine, b: OcrLine) -> float:
    """Intersection of two boxes over the smaller one."""
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.bottom, b.bottom) - max(a.top, b.top)
    if w <= 0 or h <= 0:
        return 0.0
    return w * h / max(min((a.x1 - a.x0) * (a.bottom - a.top), (b.x1 - b.x0) * (b.bottom - b.top)), 1e-6)


def merge_passes(first: list[OcrLine], second: list[OcrLine]) -> list[OcrLine]:
    """Lines of a page read as it is (``first``) and read again with its red removed
    (``second``): a line of the second pass replaces the lines it covers when it reads
    more (a signature under a red seal), or is added where the first pass read nothing."""
    out = list(first)
    for ln in second:
        hit = [o for o in out if _overlap(o, ln) > 0.5]
        if not hit:
            out.append(ln)
        elif len(ln.text) > max(len(o.text) for o in hit):
            out = [o for o in out if o not in hit] + [ln]
    return sorted(out, key=lambda o: (o.top, o.x0))


def read_page(bgr, scale: float, page_height: float, min_score: float = 0.0) -> OcrPage:
    """OCR a rendered page: its segments and mean confidence (lines under ``min_score``
    dropped). A page with red on it (a seal over the signature and date) is read a
    second time from its red channel alone, where red ink is as light as the paper and
    black text stays black, and the two readings merged."""
    lines = [ln for ln in ocr_image(bgr) if ln.score >= min_score]
    mask = red_mask(bgr)
    if mask is not None:
        import numpy as np

        clear = np.ascontiguousarray(np.repeat(bgr[..., 2:3], 3, axis=2))   # the red channel: red ink reads white
        lines = merge_passes(lines, [ln for ln in ocr_image(clear) if ln.score >= min_score])
    n = sum(len(ln.text) for ln in lines)
    conf = sum(ln.score * len(ln.text) for ln in lines) / n if n else None
    return OcrPage(lines_to_segments(lines, scale, page_height), n, conf)
