"""Plain-text reader: bytes -> str, with the encoding detected from the bytes.

Order of evidence (never the file name):
1. a byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32);
2. UTF-16 without BOM, recognised by its NUL bytes in alternate positions;
3. strict UTF-8;
4. mixed encodings: when some lines are valid UTF-8 and others are not (a GBK file with
   a UTF-8 paragraph pasted in, or the reverse), each line is decoded in the encoding it
   is valid in, a UTF-8 reading kept only where it is more common Chinese than the
   legacy reading; ``read_text`` then records a ``mixed_encoding`` warning;
5. the legacy Chinese encodings GB18030 (a superset of GBK/GB2312) and Big5, each
   decoded strictly; when both succeed the one whose characters are more common
   Chinese wins (charset-normalizer's coherence measure).
Binary data (NUL bytes or many control characters) is refused with ``binary``.
"""
from __future__ import annotations

import codecs

from .. import config
from .errors import NoticeError

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
]


# the CJK Unified Ideographs block, by code point
_CJK_FIRST, _CJK_LAST = 0x4E00, 0x9FFF

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
        if _looks_like_text(text) and _common_script(text) and (max(even_nul, odd_nul) > 0.2 or _cjk_share(text) > 0.3):
            return text
    return None


def _common_script(text: str) -> bool:
    """Most characters are what a notice is written in: ASCII, CJK, CJK and full-width
    punctuation (binary bytes read as UTF-16 give scattered Latin, Greek, symbols)."""
    sample = text[:4000]
    if not sample:
        return True
    ok = sum(1 for ch in sample if ch < "\x7f" or 0x3000 <= ord(ch) <= _CJK_LAST or "\uff00" <= ch <= "\uffef"
             or "\u2000" <= ch <= "\u206f")
    return ok / len(sample) >= 0.85


def _cjk_share(text: str) -> float:
    if not text:
        return 0.0
    cjk = sum(1 for ch in text[:4000] if _CJK_FIRST <= ord(ch) <= _CJK_LAST)
    return cjk / min(len(text), 4000)


def _looks_like_text(text: str) -> bool:
    sample = text[:8000]
    if not sample:
        return True
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\n\r\f\v") or "\ue000" <= ch <= "\uf8ff")
    return bad / len(sample) < 0.01


# the bytes that count as control characters: below 32, except tab, line breaks and escape
_NOT_CTRL = bytes(b for b in range(256) if b >= 32 or b in (9, 10, 12, 13, 11, 27))


def _is_binary(data: bytes) -> bool:
    sample = data[:8000]
    if b"\x00" in sample:
        return True
    ctrl = len(sample.translate(None, _NOT_CTRL))    # (the control bytes left: one C pass)
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
    mixed = _decode_mixed(data)
    if mixed is not None:
        text, enc = mixed
    else:
        legacy = _decode_legacy(data)
        if legacy is None:
            raise NoticeError("undecodable", f"{source}: not valid UTF-8, UTF-16, GB18030 or Big5 text")
        text, enc = legacy
    if not _looks_like_text(text):
        raise NoticeError("undecodable", f"{source}: decodes as {enc} but the result is not readable text")
    return text, enc


def _decode_legacy(data: bytes) -> tuple[str, str] | None:
    """GB18030 or Big5, strictly; the more common-Chinese reading when both decode."""
    candidates = []
    for enc in ("gb18030", "big5"):
        try:
            candidates.append((data.decode(enc), enc))
        except UnicodeDecodeError:
            continue
    if not candidates:
        return None
    return max(candidates, key=lambda c: _coherence(c[0]))


def _decode_mixed(data: bytes) -> tuple[str, str] | None:
    """Lines valid in UTF-8 as UTF-8, the others in one legacy encoding; None unless both
    kinds of non-ASCII line occur. The encoding returned is ``utf-8+<legacy>``."""
    lines = data.split(b"\n")
    utf8: dict[int, str] = {}
    for i, line in enumerate(lines):
        if not line.isascii():
            try:
                utf8[i] = line.decode("utf-8")
            except UnicodeDecodeError:
                pass
    if not utf8:
        return None
    rest = [i for i, line in enumerate(lines) if i not in utf8 and not line.isascii()]
    if not rest:
        return None
    legacy = _decode_legacy(b"\n".join(lines[i] for i in rest))
    if legacy is None:
        return None
    enc = legacy[1]
    out = []
    kept = 0
    for i, line in enumerate(lines):
        u = utf8.get(i)
        if u is not None:
            try:
                other = line.decode(enc)
            except UnicodeDecodeError:
                other = None
            if other is None or _coherence(u) >= _coherence(other):
                out.append(u)
                kept += 1
                continue
        out.append(line.decode(enc))  # ASCII, a legacy line, or a UTF-8 look-alike
    if not kept:
        return None
    return "\n".join(out), f"utf-8+{enc}"


def _coherence(text: str) -> float:
    """Share of the 3,500 most common Chinese characters (GB2312 level 1) among CJK chars."""
    sample = text[:8000]
    cjk = [ch for ch in sample if _CJK_FIRST <= ord(ch) <= _CJK_LAST]
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
    """The decoded text; a file in mixed encodings is read with a ``mixed_encoding``
    warning recorded in the current file scope (``config.current()``)."""
    text, enc = decode(data, source)
    if enc.startswith("utf-8+"):
        config.current().warn("mixed_encoding", f"{source}: warning: mixed encodings (UTF-8 and "
                              f"{enc[6:].upper()}); each line was decoded in the one it is valid in")
    return text
