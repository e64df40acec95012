"""Ingest: encodings detected from the bytes, identity from the bytes, bad input refused."""
from __future__ import annotations

import codecs
import hashlib

import pytest
import zhconv

from pipeline.ingest import NoticeError, read_bytes, sniff_format
from pipeline.ingest.text import decode
from tests.conftest import RAW_DIR

SAMPLE = (RAW_DIR / "000_9f242943d0fc2fc0.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("encoding,bom", [
    ("utf-8", b""), ("utf-8", codecs.BOM_UTF8), ("gb18030", b""), ("gbk", b""),
    ("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE),
    ("utf-16-le", b""), ("utf-16-be", b""),
])
def test_encodings_are_detected_from_bytes(encoding, bom):
    data = bom + SAMPLE.encode(encoding)
    text, _ = decode(data, "x.bin")
    assert text == SAMPLE


def test_big5_traditional_notice_is_read():
    trad = zhconv.convert(SAMPLE, "zh-tw")
    data = trad.encode("big5", errors="ignore")
    text, enc = decode(data, "t.txt")
    assert enc == "big5"
    assert "總工會" in text


def test_gb18030_is_preferred_for_simplified_text_that_big5_could_also_decode():
    text = "各街镇总工会要于10月15日前报送材料。" * 20
    decoded, enc = decode(text.encode("gb18030"), "s.txt")
    assert decoded == text and enc == "gb18030"


def test_doc_id_is_the_sha256_prefix_of_the_original_bytes():
    data = (RAW_DIR / "001_6bd54b02e90ae4ce.txt").read_bytes()
    ing = read_bytes(data, "001.txt")
    assert ing.doc_id == hashlib.sha256(data).hexdigest()[:16]
    assert ing.source_format == "txt"


@pytest.mark.parametrize("data,code", [
    (b"", "empty"),
    (b"  \n\t \r\n ", "empty"),
    (bytes(range(256)) * 20, "binary"),
    (b"\x81\x30\xff\xfe\x80" * 50, "undecodable"),
])
def test_bad_input_is_refused_with_a_code(data, code):
    with pytest.raises(NoticeError) as exc:
        read_bytes(data, "bad.txt")
    assert exc.value.code == code
    assert "bad.txt" in exc.value.message


def test_format_is_sniffed_not_taken_from_the_name():
    assert sniff_format(b"%PDF-1.7 ...") == "pdf"
    assert sniff_format("通知".encode()) == "txt"
    assert sniff_format(b"<!DOCTYPE html><html>") == "html"


def test_binary_bytes_that_decode_as_utf16_are_still_binary():
    # NUL in every other byte looks like UTF-16, but the characters are no script a notice uses
    with pytest.raises(NoticeError) as exc:
        read_bytes(b"\x00\x01\x02\x03" * 500, "blob.txt")
    assert exc.value.code == "binary"
