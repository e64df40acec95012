"""The one exception every stage raises for bad input: a code and a one-line reason."""
from __future__ import annotations


class NoticeError(Exception):
    """Input that cannot become a document. ``code`` is short and machine-readable
    (``empty``, ``binary``, ``undecodable``, ``no_structure``, ``too_large`` …); the
    message is one line a user can act on."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self) -> str:  # pragma: no cover - trivial
        return f"{self.code}: {self.message}"
