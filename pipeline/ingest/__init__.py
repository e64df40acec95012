"""Ingest: a file's bytes -> raw text, its format and its identity.

Readers are chosen by sniffing the bytes (magic numbers), never by the file name:
``%PDF`` -> pdf, PNG/JPEG/TIFF signatures -> image (read by OCR), a ZIP holding ``word/`` parts or an OLE compound file (``D0CF11E0``:
encrypted DOCX, legacy .doc, refused by the DOCX reader) -> docx, an HTML root -> html,
anything else -> text with detected encoding. The name is consulted once: a file named
``.docx`` or ``.pdf`` whose bytes are neither that format nor another container (plain
text, HTML) is ``corrupt``, not read as text. Each reader returns an ``Ingested``
record; ``page_starts`` (character offsets in ``text`` where each page begins) lets
later stages give every record its page number (empty for formats without pages).

Size bounds come from the current file scope (``config.current().limits``): data above
``max_bytes`` or text above ``max_chars`` characters is refused with ``too_large``, so
a small compressed input cannot hand the later stages unbounded text.
"""
from __future__ import annotations

import zipfile
import io
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from .. import config
from ..text.identity import doc_id_of
from .errors import NoticeError
from .text import read_text

__all__ = ["Ingested", "NoticeError", "read_path", "read_bytes", "sniff_format", "doc_id_of"]

MAX_BYTES_DEFAULT = 200 * 1024 * 1024
# a binary format the file's name promises; bytes that read as text instead are damaged
_NAMED = {".docx": "DOCX (ZIP)", ".pdf": "PDF"}


@dataclass(frozen=True)
class Ingested:
    source_path: str
    source_format: str
    doc_id: str
    text: str
    page_starts: tuple[int, ...] = field(default=())
    warnings: tuple[tuple[str, str], ...] = field(default=())   # (code, message)
    n_pages: int | None = None
    text_source: str = "text_layer"          # text_layer, ocr (pictures of text) or mixed
    ocr_confidence: float | None = None      # mean confidence of the OCR'd pages


def sniff_format(data: bytes) -> str:
    head = data[:1024]
    if b"%PDF-" in head or head.lstrip()[1:5] == b"PDF-" and b"\n%%EOF" in data[-1024:]:
        return "pdf"  # junk before the header, or a damaged first byte: the PDF reader says why
    if head[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = zf.namelist()
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
            return "docx"  # claims to be a zip: let the docx reader say why it is broken
        if any(n.startswith("word/") for n in names):
            return "docx"  # a Word package, maybe without its document: the reader says so
        return "zip"
    if head[:8] == b"\x89PNG\r\n\x1a\n" or head[:3] == b"\xff\xd8\xff" or head[:4] in (b"II*\x00", b"MM\x00*"):
        return "image"   # PNG, JPEG, TIFF: a picture of a notice, read by OCR
    if head[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "docx"  # OLE compound file (encrypted DOCX or legacy .doc): the reader refuses it
    lowered = head.lower()
    if b"<html" in lowered or b"<!doctype html" in lowered:
        return "html"
    return "txt"


def read_bytes(data: bytes, source_path: str) -> Ingested:
    """Turn ``data`` (the whole file) into an ``Ingested``; raises NoticeError."""
    scope = config.current()
    limits = scope.limits
    if len(data) > limits.max_bytes:
        raise NoticeError("too_large", f"{source_path}: {len(data)} bytes is above the limit of "
                                       f"{limits.max_bytes} (max_bytes)")
    if not data or not data.strip():
        raise NoticeError("empty", f"{source_path}: empty file")
    n_warnings = len(scope.warnings)
    fmt = sniff_format(data)
    named = _NAMED.get(PurePath(source_path).suffix.lower())
    if named and fmt in ("txt", "html"):
        raise NoticeError("corrupt", f"{source_path}: named {PurePath(source_path).suffix} but not a {named} file "
                                     f"(its bytes are {'HTML' if fmt == 'html' else 'text or unknown data'})")
    page_starts: tuple[int, ...] = ()
    warnings: tuple[tuple[str, str], ...] = ()
    n_pages = None
    text_source, ocr_confidence = "text_layer", None
    if fmt in ("pdf", "image"):
        if fmt == "pdf":
            from .pdf import read_pdf
            pdf = read_pdf(data, source_path, max_pages=limits.max_pages)
        else:
            from .image import read_image
            pdf = read_image(data, source_path, max_pages=limits.max_pages)
        text, page_starts, n_pages = pdf.text, pdf.page_starts, pdf.n_pages
        warnings = tuple(("partial_text", w) for w in pdf.warnings)
        text_source, ocr_confidence = pdf.text_source, pdf.ocr_confidence
    elif fmt == "docx":
        from .docx import read_docx
        text = read_docx(data, source_path)
    elif fmt == "html":
        from .html import read_html
        text = read_html(data, source_path)
    elif fmt == "zip":
        raise NoticeError("unsupported", f"{source_path}: a ZIP archive that is not a DOCX document")
    else:
        text = read_text(data, source_path)
    if len(text) > limits.max_chars:
        raise NoticeError("too_large", f"{source_path}: {len(text)} characters of text is above the limit of "
                                       f"{limits.max_chars} (max_chars)")
    if not text.strip():
        raise NoticeError("empty", f"{source_path}: no text in the file")
    warnings = warnings + tuple(scope.warnings[n_warnings:])
    return Ingested(source_path, fmt, doc_id_of(data), text, page_starts, warnings, n_pages, text_source,
                    ocr_confidence)


def read_path(path: str | Path, max_bytes: int = MAX_BYTES_DEFAULT) -> Ingested:
    """Read a file from disk (refusing files above ``max_bytes``) and ingest it."""
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise NoticeError("unreadable", f"{path}: {exc.strerror or exc}") from None
    if size > max_bytes:
        raise NoticeError("too_large", f"{path}: {size} bytes is above the limit of {max_bytes}")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise NoticeError("unreadable", f"{path}: {exc.strerror or exc}") from None
    return read_bytes(data, str(path))
