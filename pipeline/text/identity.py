"""A document's identity: the first 16 hex digits of the SHA-256 of its bytes (the
``doc_id`` of every table). ``doc_id_of(data)`` hashes bytes in memory, ``doc_id_of_file(path)``
streams a file (None when it cannot be read); both give the same id for the same bytes."""
from __future__ import annotations

import hashlib

ID_HEX_DIGITS = 16


def doc_id_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:ID_HEX_DIGITS]


def doc_id_of_file(path: str) -> str | None:
    try:
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        return h.hexdigest()[:ID_HEX_DIGITS]
    except OSError:
        return None
