"""The text layer's small modules (issue 15): the holiday calendar, named regex fragments,
the document hash, the page-number lines shared by the PDF reader and clean."""
from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest

from pipeline.lexicon import load_yaml
from pipeline.text import holidays, identity, patterns


def test_a_fixed_and_a_lunar_holiday():
    assert holidays.day_of("国庆", 2021) == dt.date(2021, 10, 1)
    assert holidays.day_of("春节", 2022) == dt.date(2022, 2, 1)
    assert holidays.day_of("中秋", 2021) == dt.date(2021, 9, 21)
    # a year the lunar table does not hold: no day rather than a guess
    assert holidays.day_of("春节", 1800) is None


def test_the_plan_period_and_the_date_extractor_read_one_calendar():
    from pipeline.extract.dates_lex import lexicon
    assert lexicon().holidays is holidays.table() and lexicon().lunar is holidays.lunar()


def test_fragments_expand_and_quantifiers_stay():
    frags = {"y": r"(?:19|20)\d{2}", "ym": r"{y}年\d{1,2}月"}
    rx = patterns.expand("{ym}|{list:words}", frags, {"words": ["年底", "年底前", "a.b"]})
    assert rx == r"(?:19|20)\d{2}年\d{1,2}月|年底前|a\.b|年底"
    assert re.fullmatch(rx, "2021年10月") and re.fullmatch(rx, "年底前") and not re.fullmatch(rx, "axb")


def test_compile_patterns_takes_fragments_from_the_code():
    compiled = patterns.compile_patterns({"fragments": {"d": "[{cn}]"}, "patterns": {"p": "{d}+月"}},
                                         fragments={"cn": "一二三"})
    assert compiled["p"].fullmatch("十二月") is None and compiled["p"].fullmatch("一二月")


def test_the_document_hash_of_bytes_and_of_a_file(tmp_path):
    data = "关于做好工作的通知\n".encode("utf-8")
    path = tmp_path / "n.txt"
    path.write_bytes(data)
    assert identity.doc_id_of(data) == identity.doc_id_of_file(str(path)) == hashlib.sha256(data).hexdigest()[:16]
    assert identity.doc_id_of_file(str(tmp_path / "missing.txt")) is None


@pytest.mark.parametrize("line, anywhere, at_edge", [
    ("- 3 -", True, True),
    ("一12—", True, True),           # OCR reads the dash as 一
    ("— 7 —", True, True),
    ("第3页 共9页", True, True),
    ("共9页 第3页", True, True),
    ("3/9", True, True),
    ("Page 2 of 9", True, True),
    ("--- 第 7 页 OCR ---", True, True),
    ("12", False, True),             # a bare number only at a page's top or bottom
    ("一、总体要求", False, False),
    ("第一条 为了加强管理", False, False),
])
def test_page_number_lines(line, anywhere, at_edge):
    cfg = load_yaml("text/page_numbers.yaml")
    assert any(re.match(p, line) for p in cfg["anywhere"]) is anywhere
    assert any(re.match(p, line) for p in cfg["anywhere"] + cfg["page_edge"]) is at_edge


def test_clean_drops_a_page_number_line_and_joins_the_sentence_it_cut():
    from pipeline.clean import clean
    text = clean("各并网主体应在每月8日前向电力调度机构\n一16一\n提出复核申请。\n").text
    assert "16" not in text and "电力调度机构提出复核申请" in text.replace("\n", "")
