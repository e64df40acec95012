"""Image reader: a PNG, JPEG or TIFF picture of a notice -> text, by OCR.

Each image (each frame of a multi-page TIFF) is a page: OCR'd (``ocr``) and its lines
put through the PDF layout logic (``pdf_layout``: reading order, running headers and
page numbers, paragraphs) and contents blocks dropped (``pdf_contents``). Coordinates
are pixels. OCR stops at the file's time bound like the PDF reader's; a frame it
cannot read is a warning. Errors: ``ocr_unavailable`` (the ``[ocr]`` extra is
missing), ``corrupt`` (not a decodable image), ``too_many_pages``, ``no_text_layer``
(OCR read nothing).
"""
from __future__ import annotations

import time

from .. import config
from ..lexicon import load_yaml
from . import ocr
from .errors import NoticeError
from .pdf import PdfText
from .pdf_contents import drop_contents
from .pdf_layout import PageLines, char_width, drop_furniture, lines_to_blocks, lines_to_text, segments_to_lines


def _frames(data: bytes, source: str) -> list:
    import cv2
    import numpy as np

    buf = np.frombuffer(data, dtype=np.uint8)
    ok, frames = cv2.imdecodemulti(buf, cv2.IMREAD_COLOR)
    if not ok or not frames:
        img = cv2.imdecode(buf, cv2.IMREAD_COLOR)
        if img is None:
            raise NoticeError("corrupt", f"{source}: not a readable image (truncated or damaged)")
        frames = [img]
    return list(frames)


def read_image(data: bytes, source: str, max_pages: int = 2000) -> PdfText:
    """OCR an image file (see the module docstring); raises NoticeError."""
    started = time.monotonic()
    cfg = load_yaml("ingest/pdf.yaml")["ocr"]
    limits = config.current().limits
    if not limits.ocr:
        raise NoticeError("no_text_layer", f"{source}: an image has no text layer and OCR is off")
    if not ocr.available():
        raise NoticeError("ocr_unavailable", f"{source}: an image is read by OCR: {ocr.INSTALL_HINT}")
    frames = _frames(data, source)
    if len(frames) > max_pages:
        raise NoticeError("too_many_pages", f"{source}: {len(frames)} pages is above the limit of {max_pages}")
    budget = limits.timeout_s * float(cfg["time_share"])
    pages: list[PageLines] = []
    unread: list[str] = []
    confs: list[tuple[float, int]] = []
    per_page = 0.0
    for i, img in enumerate(frames):
        if time.monotonic() - started + per_page > budget:
            unread.append(f"{i + 1} (time bound)")
            pages.append(PageLines())
            continue
        t0 = time.monotonic()
        try:
            page = ocr.read_page(img, 1.0, float(img.shape[0]), float(cfg["min_score"]))
        except Exception as exc:
            unread.append(f"{i + 1} ({type(exc).__name__})")
            pages.append(PageLines())
            continue
        per_page = max(per_page, time.monotonic() - t0)
        if page.confidence is not None:
            confs.append((page.confidence, page.n_chars))
        w = char_width(page.segs)
        pages.append(PageLines(lines_to_blocks(segments_to_lines(page.segs, i, w), w), w))
    drop_furniture(pages)
    drop_contents(pages)
    text, page_starts = lines_to_text(pages)
    if not text.strip():
        raise NoticeError("no_text_layer", f"{source}: OCR read no text in its {len(frames)} page(s)")
    n = sum(k for _, k in confs)
    conf = round(sum(c * k for c, k in confs) / n, 4) if n else None
    warnings = (f"{source}: warning: page(s) {', '.join(unread)} of {len(frames)} could not be read by OCR; "
                "their text is missing",) if unread else ()
    return PdfText(text, page_starts if len(frames) > 1 else (), len(frames), warnings, "ocr", conf)
