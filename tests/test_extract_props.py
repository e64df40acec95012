"""Property tests of the three extractors: never raise, spans inside the text and equal
to their slice, start <= end, value <= value_max."""
from __future__ import annotations

import datetime as dt

from hypothesis import given, strategies as st

from pipeline import parse_dates, parse_quantities, parse_units
from pipeline.extract import dates as dates_mod, targets as targets_mod

PIECES = ["10月", "15日", "前", "至", "2021年", "底", "上旬", "全年", "明年", "春节", "五一", "“", "”", "《", "》",
          "X", "x", "×", "月", "日", "起", "启动", "将于", "约", "余", "以上", "不少于", "家", "场", "万", "元", "%",
          "1", "2", "48", " ", "-", "—", "十", "百", "两", "、", "，", "。", "请", "各街镇总工会", "区总工会", "报送至",
          "会同", "根据", "通知要求", "第", "周年", "二○二一", "０", "１", "區總工會", "\n"]
texts = st.one_of(st.text(max_size=200), st.lists(st.sampled_from(PIECES), max_size=60).map("".join))
dates = st.one_of(st.none(), st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2050, 12, 31)))


@given(texts, dates, dates)
def test_parse_dates_properties(text, reference, other):
    period = None if other is None else (min(other, other.replace(month=12, day=31)), other.replace(month=12, day=31))
    # the inner function, so that a bug raises here instead of being swallowed
    assert dates_mod._parse(text, reference, period) == parse_dates(text, reference=reference, period=period)
    for d in parse_dates(text, reference=reference, period=period):
        assert 0 <= d.char_start < d.char_end <= len(text)
        assert text[d.char_start:d.char_end] == d.text
        assert d.kind in {"deadline", "start", "period", "point"}
        if d.start and d.end:
            assert d.start <= d.end


@given(texts, st.sampled_from([None, "plan", "summary", "notice"]))
def test_parse_quantities_properties(text, doc_type):
    assert targets_mod._parse(text, doc_type) == parse_quantities(text, doc_type=doc_type)
    for q in parse_quantities(text, doc_type=doc_type):
        assert 0 <= q.char_start < q.char_end <= len(text)
        assert text[q.char_start:q.char_end] == q.text
        assert q.comparator in {"eq", "gte", "lte", "approx", "range"}
        assert q.kind in {"target", "achieved", "qualifier", "info"}
        if q.value is not None and q.value_max is not None:
            assert q.value <= q.value_max


@given(texts)
def test_parse_units_properties(text):
    for u in parse_units(text):
        assert 0 <= u.char_start < u.char_end <= len(text)
        assert text[u.char_start:u.char_end] == u.name
        assert u.role in {"lead", "partner", "report_to", "issuer_of_rule"}
