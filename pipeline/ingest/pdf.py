"""PDF reader (issue 10 brings the full layout-aware reader)."""
from __future__ import annotations

from .errors import NoticeError


def read_pdf(data: bytes, source: str) -> tuple[str, tuple[int, ...]]:
    raise NoticeError("unsupported", f"{source}: PDF input is not supported yet")
