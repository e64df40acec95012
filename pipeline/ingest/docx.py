"""DOCX reader (issue 10 brings the full reader)."""
from __future__ import annotations

from .errors import NoticeError


def read_docx(data: bytes, source: str) -> str:
    raise NoticeError("unsupported", f"{source}: DOCX input is not supported yet")
