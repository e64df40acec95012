"""Plain-text reader: bytes -> str, with the encoding detected from the bytes.

Order of evidence (never the file name):
1. a byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32);
2. UTF-16 without BOM, recognised by its NUL bytes in alternate positions;
3. strict UTF-8;
4. the legacy Chinese encodings GB18030 (a superset of GBK/GB2312) and Big5, each
   decoded strictly; when both succeed the one whose characters are more common
   Chinese wins (charset-normalizer's coherence measure).
Binary data (NUL bytes or many control characters) is refused with ``binary``.
"""
from __future__ import annotations

import codecs

from .errors import NoticeError

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
]


def _utf16_without_bom(data: bytes) -> str | None:
    if len(data) < 4 or len(data) % 2:
        return None
    sample = data[:4000]
    even_nul = sample[0::2].count(0) / (len(sample) / 2)
    odd_nul = sample[1::2].count(0) / (len(sample) / 2)
    # CJK text in UTF-16 has few NULs; ASCII-heavy text has many in one lane.
    # Try both and accept a strict decode that yields mostly printable text.
    for enc in (("utf-16-le", "utf-16-be") if odd_nul >= even_nul else ("utf-16-be", "utf-16-le")):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text) and (max(even_nul, odd_nul) > 0.2 or _cjk_share(text) > 0.3):
            return text
    return None


def _cjk_share(text: str) -> float:
    if not text:
        return 0.0
    cjk = sum(1 for ch in text[:4000] if "\u4e00" <= ch <= "\u9fff")
    return cjk / min(len(text), 4000)


def _looks_like_text(text: str) -> bool:
    sample = text[:8000]
    if not sample:
        return True
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\n\r\f\v") or "\ue000" <= ch <= "\uf8ff")
    return bad / len(sample) < 0.01


def _is_binary(data: bytes) -> bool:
    sample = data[:8000]
    if b"\x00" in sample:
        return True
    ctrl = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 11, 27))
    return ctrl / max(len(sample), 1) > 0.05


def decode(data: bytes, source: str = "<bytes>") -> tuple[str, str]:
    """Decode ``data``; returns ``(text, encoding)`` or raises NoticeError."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(enc), enc
            except UnicodeDecodeError as exc:
                raise NoticeError("undecodable", f"{source}: {enc} byte-order mark but invalid {enc} at byte {exc.start}") from None
    text16 = _utf16_without_bom(data) if b"\x00" in data[:4000] else None
    if text16 is not None:
        return text16, "utf-16"
    if _is_binary(data):
        raise NoticeError("binary", f"{source}: binary data, not a text, PDF or DOCX notice")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates = []
    for enc in ("gb18030", "big5"):
        try:
            candidates.append((data.decode(enc), enc))
        except UnicodeDecodeError:
            continue
    if not candidates:
        raise NoticeError("undecodable", f"{source}: not valid UTF-8, UTF-16, GB18030 or Big5 text")
    if len(candidates) == 1:
        text, enc = candidates[0]
    else:
        text, enc = max(candidates, key=lambda c: _coherence(c[0]))
    if not _looks_like_text(text):
        raise NoticeError("undecodable", f"{source}: decodes as {enc} but the result is not readable text")
    return text, enc


def _coherence(text: str) -> float:
    """Share of the 3,500 most common Chinese characters (GB2312 level 1) among CJK chars."""
    sample = text[:8000]
    cjk = [ch for ch in sample if "\u4e00" <= ch <= "\u9fff"]
    if not cjk:
        return 0.0
    common = 0
    for ch in cjk:
        try:
            b = ch.encode("gb2312")
            if 0xB0 <= b[0] <= 0xD7:  # level-1 (most frequent) hanzi rows
                common += 1
        except UnicodeEncodeError:
            pass
    return common / len(cjk)


def read_text(data: bytes, source: str) -> str:
    text, _ = decode(data, source)
    return text
