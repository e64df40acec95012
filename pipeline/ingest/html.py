"""HTML reader (issue 10 brings main-content extraction)."""
from __future__ import annotations

from .errors import NoticeError


def read_html(data: bytes, source: str) -> str:
    raise NoticeError("unsupported", f"{source}: HTML input is not supported yet")
