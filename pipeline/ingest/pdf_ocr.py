"""Picture pages of a PDF (a scan, a scanned cover in a text PDF) read by OCR.

``is_picture_page`` tells a page that is a picture of text: an image covering much of
the page and (almost) no text layer (a scanner app may stamp its watermark in text).
``ocr_pages`` renders those pages and reads them with ``ocr.read_page``, within the
file's time bound: OCR takes seconds a page, so it stops before ``timeout_s`` runs out
and the pages left are named in a warning; a page the engine fails on is a warning too.
Settings are under ``ocr:`` in ``models/ingest/pdf.yaml``.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

from .pdf_layout import Seg


@dataclass
class OcrOutcome:
    segs: dict[int, list[Seg]] = field(default_factory=dict)   # page -> segments read
    confidence: dict[int, float] = field(default_factory=dict)
    unread: dict[int, str] = field(default_factory=dict)       # page -> why it was not read
    unavailable: bool = False                                    # the [ocr] extra is missing

    def mean_confidence(self) -> float | None:
        """Mean confidence over the pages read (weighted by their characters)."""
        weights = {i: sum(len(s.text) for s in self.segs[i]) for i in self.confidence}
        total = sum(weights.values())
        return round(sum(self.confidence[i] * w for i, w in weights.items()) / total, 4) if total else None


def image_share(page) -> float:
    """The share of the page's area covered by its largest image."""
    import pypdfium2.raw as pdfium_c

    area = page.get_width() * page.get_height()
    best = 0.0
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=3):
        left, bottom, right, top = obj.get_bounds()
        best = max(best, (right - left) * (top - bottom))
    return best / area if area > 0 else 0.0


def is_picture_page(page, segs: list[Seg], cfg: dict) -> bool:
    """A picture of text: no text layer and some image, or a text layer of at most
    ``max_layer_chars`` characters (a watermark) over an image covering ``min_image_share``
    of the page."""
    n_chars = sum(len(s.text) for s in segs)
    if n_chars > cfg["max_layer_chars"]:
        return False
    share = image_share(page)
    return share > 0 if n_chars == 0 else share >= cfg["min_image_share"]


def ocr_pages(pdf, pages: list[int], cfg: dict, budget_s: float, started: float) -> OcrOutcome:
    """OCR ``pages`` of the open pdfium document within ``budget_s`` seconds from
    ``started`` (``time.monotonic()``)."""
    from . import ocr

    out = OcrOutcome()
    if not pages:
        return out
    if not ocr.available():
        out.unavailable = True
        out.unread = {i: "OCR is not installed" for i in pages}
        return out
    scale = float(cfg["dpi"]) / 72
    per_page = 0.0
    for i in pages:
        if time.monotonic() - started + per_page > budget_s:
            out.unread[i] = "OCR stopped at the file's time bound"
            continue
        t0 = time.monotonic()
        page = pdf[i]
        try:
            bitmap = page.render(scale=scale)
            result = ocr.read_page(bitmap.to_numpy(), scale, page.get_height(), float(cfg["min_score"]))
        except Exception as exc:   # the engine fails on a damaged image: that page only
            out.unread[i] = f"OCR failed ({type(exc).__name__})"
            continue
        finally:
            page.close()
        per_page = max(per_page, time.monotonic() - t0)
        if result.n_chars:
            out.segs[i] = result.segs
            out.confidence[i] = result.confidence
        else:
            out.unread[i] = "OCR read no text"
    return out
