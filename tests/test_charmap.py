"""Radical and compatibility forms in a text layer read as the ordinary characters,
offsets kept (PDF text layers write ⻔ for 门, ⾄ for 至)."""
from __future__ import annotations

import unicodedata

from pipeline.text.charmap import fold, table
from pipeline.clean import clean
from pipeline.process import process_bytes


def test_radicals_fold_to_ordinary_characters_one_for_one():
    raw = "各部⻔要在2022年⾄2023年完成⻓江⻛貌调查，⾼质量发展。"
    assert fold(raw) == "各部门要在2022年至2023年完成长江风貌调查，高质量发展。"
    assert len(fold(raw)) == len(raw)
    assert fold("没有部首的文字") == "没有部首的文字"


def test_table_maps_only_to_unified_ideographs_and_covers_every_kangxi_radical():
    t = table()
    assert all(0x4E00 <= ord(c) <= 0x9FFF or 0x3400 <= ord(c) <= 0x4DBF or ord(c) >= 0x20000 for c in t.values())
    assert all(cp in t for cp in range(0x2F00, 0x2FD6))            # every Kangxi radical
    assert t[0x2ED4] == "门" and t[0x2F84] == "至" and t[0xF900] == unicodedata.normalize("NFKC", "\uf900")
    assert 0x2E98 not in t          # ⺘ (扌) is a component, not a character


def test_clean_text_reads_radicals_and_keeps_offsets():
    raw = "一、加强部⻔协作\n各部⻔于2023年3⽉底前报送⾄区总⼯会。"
    ct = clean(raw)
    assert ct.text == "一、加强部门协作\n各部门于2023年3月底前报送至区总工会。"
    assert [ct.to_raw(i) for i in range(len(ct.text))] == list(range(len(raw)))


def test_units_and_dates_are_found_through_radical_forms():
    text = ("关于做好2023年职⼯服务⼯作的通知\n各街道总⼯会：\n"
            "一、各街道总⼯会要于2023年3⽉31⽇前将材料报送⾄区总⼯会办公室。\n")
    res = process_bytes(text.encode("utf-8"), "radicals.txt")
    assert res.ok
    doc = res.rows["documents"][0]
    assert "区总工会办公室" in doc.text
    assert any(d.end is not None and str(d.end) == "2023-03-31" for d in res.rows["dates"])
    assert any("区总工会" in u.name for u in res.rows["units"])
