"""The DOCX container, checked before anything is inflated.

``check_package(data, source)`` takes a file's bytes and either returns normally (a
ZIP whose directory is within the bounds of ``models/ingest/docx.yaml`` and holds
``word/document.xml``) or raises NoticeError:

* ``encrypted`` / ``legacy_doc`` / ``ole_unsupported``: an OLE compound file (magic
  ``D0 CF 11 E0``): a password-protected DOCX (its ``EncryptedPackage`` stream), a
  Word 97-2003 ``.doc`` (its ``WordDocument`` stream) or another Office binary file;
* ``corrupt``: not a ZIP, a damaged ZIP, or a ZIP without ``word/document.xml``;
* ``zip_bomb``: too many entries, an entry or the sum of entries above the declared
  size bounds, or an entry compressed more than ``max_ratio`` times.

Sizes are read from the ZIP directory (``ZipInfo``), never by decompressing;
``read_capped`` then inflates one member in chunks and stops at a byte cap, so a
directory that lies about sizes cannot make the reader inflate more than the cap.
"""
from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass
from functools import lru_cache

from ..lexicon import load_yaml
from .errors import NoticeError

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
DOCUMENT_XML = "word/document.xml"


@dataclass(frozen=True)
class ZipLimits:
    max_members: int
    max_member_bytes: int
    max_total_bytes: int
    max_ratio: float
    ratio_min_bytes: int
    max_document_xml_bytes: int


@lru_cache(maxsize=1)
def default_limits() -> ZipLimits:
    """The bounds of ``models/ingest/docx.yaml`` (loaded once)."""
    cfg = load_yaml("ingest/docx.yaml")["zip"]
    return ZipLimits(**{k: cfg[k] for k in ZipLimits.__dataclass_fields__})


def ole_error(data: bytes, source: str) -> NoticeError:
    """The error for an OLE compound file, naming what it most likely is."""
    # Directory entry names are UTF-16LE; look for the streams that identify the kind.
    if "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data:
        return NoticeError("encrypted", f"{source}: encrypted (password-protected) Word file, not supported; "
                           "save it without a password as .docx")
    if "WordDocument".encode("utf-16-le") in data:
        return NoticeError("legacy_doc", f"{source}: legacy .doc Word 97-2003 file, not supported; "
                           "save it as .docx")
    return NoticeError("ole_unsupported", f"{source}: encrypted or legacy Office binary file (OLE), "
                       "not supported; save it as an unencrypted .docx")


def check_package(data: bytes, source: str, limits: ZipLimits | None = None) -> zipfile.ZipFile:
    """Open ``data`` as a ZIP after checking its directory; returns the open ZipFile."""
    limits = limits or default_limits()
    if data[:8] == OLE_MAGIC:
        raise ole_error(data, source)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError,
            RuntimeError) as exc:
        raise NoticeError("corrupt", f"{source}: not a readable DOCX (ZIP) file: {exc}") from None
    if len(infos) > limits.max_members:
        raise NoticeError("zip_bomb", f"{source}: DOCX holds {len(infos)} entries, above the limit of {limits.max_members}")
    total = 0
    for info in infos:
        size = info.file_size
        if size > limits.max_member_bytes:
            raise NoticeError("zip_bomb", f"{source}: DOCX entry {info.filename!r} declares {size} bytes, "
                              f"above the limit of {limits.max_member_bytes}")
        total += size
        if size >= limits.ratio_min_bytes and size > limits.max_ratio * max(info.compress_size, 1):
            ratio = size / max(info.compress_size, 1)
            raise NoticeError("zip_bomb", f"{source}: DOCX entry {info.filename!r} is compressed {ratio:.0f} times, "
                              f"above the limit of {limits.max_ratio:g}")
    if total > limits.max_total_bytes:
        raise NoticeError("zip_bomb", f"{source}: DOCX entries declare {total} bytes in all, "
                          f"above the limit of {limits.max_total_bytes}")
    if DOCUMENT_XML not in zf.namelist():
        raise NoticeError("corrupt", f"{source}: a ZIP without word/document.xml, not a Word document")
    return zf


def read_capped(zf: zipfile.ZipFile, name: str, cap: int, source: str) -> bytes:
    """Inflate member ``name`` in chunks, refusing (``zip_bomb``) past ``cap`` bytes."""
    chunks, size = [], 0
    try:
        with zf.open(name) as fh:
            while True:
                chunk = fh.read(1 << 20)
                if not chunk:
                    break
                size += len(chunk)
                if size > cap:
                    raise NoticeError("zip_bomb", f"{source}: {name} inflates to more than {cap} bytes")
                chunks.append(chunk)
    except NoticeError:
        raise
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError, RuntimeError) as exc:
        raise NoticeError("corrupt", f"{source}: damaged DOCX entry {name}: {exc}") from None
    return b"".join(chunks)
