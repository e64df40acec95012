"""Notices in traditional script: a traditional rendering of each sample notice gives the
records of the simplified original (names and titles stay as written, in traditional)."""
from __future__ import annotations

import pytest
import zhconv

from pipeline.process import process_bytes
from tests.conftest import RAW_DIR, SAMPLE_FILES
from tests.ingest_compare import record_tuples


def _simplified(value):
    if isinstance(value, str):
        return zhconv.convert(value, "zh-cn")
    if isinstance(value, (list, tuple)):
        return type(value)(_simplified(v) for v in value)
    if isinstance(value, dict):
        return {k: _simplified(v) for k, v in value.items()}
    return value


@pytest.mark.parametrize("path", [
    pytest.param(p, id=p.stem[:3], marks=[pytest.mark.xfail(strict=True, reason="zhconv zh-tw rewrites words (光盘→光碟, 报道→报导) that simplifying back keeps: the texts differ, not the pipeline")]
                 if p.stem[:3] in ("h07",) else []) for p in sorted(RAW_DIR.glob("*.txt"))])
def test_traditional_rendering_gives_the_records_of_the_simplified_text(path):
    text = path.read_text(encoding="utf-8")
    traditional = zhconv.convert(text, "zh-tw")
    assert traditional != text
    trad = process_bytes(traditional.encode("utf-8"), path.name)
    simp = process_bytes(text.encode("utf-8"), path.name)
    def comparable(res):
        return {k: sorted(map(repr, v)) for k, v in _simplified(record_tuples(res)).items()}
    assert comparable(trad) == comparable(simp)
    # names are sliced from the text as written
    doc = trad.rows["documents"][0]
    assert all(doc.text[u.char_start:u.char_end].replace("\n", "") == u.name for u in trad.rows["units"])


def test_big5_encoded_traditional_notice():
    path = SAMPLE_FILES[1]
    traditional = zhconv.convert(path.read_text(encoding="utf-8"), "zh-tw")
    data = traditional.encode("big5", errors="ignore")
    res = process_bytes(data, path.name)
    assert res.ok and len(res.rows["tasks"]) == len(process_bytes(path.read_bytes(), path.name).rows["tasks"])
