"""Clean: debris removed, page breaks joined, every clean character maps back to the raw text."""
from __future__ import annotations

import pytest

from pipeline.clean import clean
from tests.conftest import RAW_DIR, SAMPLE_FILES

RAW = {p.name[:3]: p.read_text(encoding="utf-8") for p in SAMPLE_FILES}


@pytest.mark.parametrize("key", sorted(RAW))
def test_offsets_map_back_to_the_raw_text(key):
    raw = RAW[key]
    ct = clean(raw)
    assert len(ct.raw_offsets) == len(ct.text)
    for i, ch in enumerate(ct.text):
        if ch != "\n":
            assert raw[ct.raw_offsets[i]] == ch
    assert list(ct.raw_offsets) == sorted(ct.raw_offsets)


def test_web_watermark_and_teaser_line_are_removed():
    ct = clean(RAW["002"])
    assert "xiebitongdao" not in ct.text and "携笔同道" not in ct.text
    assert ct.text.startswith("区总工会2021年上半年工作总结和下半年工作打算\n2021年上半年")


def test_word_processor_artefacts_and_markdown_are_removed():
    assert "[bookmark" not in clean(RAW["003"]).text
    text = clean(RAW["001"]).text
    assert "**" not in text and "5、深化非公企业工会改革。推进" in text


def test_page_break_inside_a_sentence_is_joined():
    text = clean(RAW["001"]).text
    assert "推动习近平新时代中国特色社会主义思想在工会系统形成生动实践" in text
    assert "把握意识形态工作主动权" in text
    assert "六、进一步加强自身建设，不断提高工会队伍服务职工的意识和能力\n16、" in text


def test_real_paragraph_breaks_are_kept():
    text = clean(RAW["000"]).text
    assert "上海市嘉定区总工会\n嘉总工〔2021〕24号\n" in text
    assert "一、组织工作\n1、做好职工健康服务点日常运营管理。" in text


@pytest.mark.parametrize("raw,expected", [
    ("首页 > 工作动态 > 通知公告\n一、组织工作\n打印本页 关闭窗口", "一、组织工作"),
    ("发布时间：2021-09-30 来源：区总工会\n1、做好工作。", "1、做好工作。"),
    ("1、开展培训。\n- 3 -\n2、开展竞赛。", "1、开展培训。\n2、开展竞赛。"),
    ("1、开展培训，\n第2页\n组织职工参加。", "1、开展培训，组织职工参加。"),
    ("某某网:www.example.com\n　　一、组织工作　　", "一、组织工作"),
])
def test_debris_variants(raw, expected):
    assert clean(raw).text == expected


def test_heading_followed_by_body_is_not_joined():
    raw = "二、工会劳动保护工作\n\n开展“安康杯”竞赛检查评选工作。请各相关直属工会做好自查。"
    assert clean(raw).text == "二、工会劳动保护工作\n开展“安康杯”竞赛检查评选工作。请各相关直属工会做好自查。"


WEB_HEAD = """首页 > 工会动态 > 通知公告
当前位置：首页 >> 通知公告
【字体：大 中 小】【打印本页】【关闭窗口】
发布日期：2021-10-08  来源：区总工会  浏览次数：356
分享到：
"""
WEB_TAIL = """
【打印本页】【关闭窗口】
上一篇：关于开展2021年度职工疗休养的通知
下一篇：关于做好国庆期间安全生产的通知
相关链接：
版权所有©上海市嘉定区总工会  沪ICP备12345678号-1
地址：上海市嘉定区博乐路XX号  邮编：201800
技术支持：XX网络科技有限公司
扫一扫在手机打开当前页
"""


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.stem[:3])
def test_notice_copied_from_a_web_page_with_its_furniture_gives_the_same_records(path):
    from pipeline.process import process_bytes
    from tests.ingest_compare import record_tuples

    text = path.read_text(encoding="utf-8")
    web = process_bytes((WEB_HEAD + text + WEB_TAIL).encode("utf-8"), path.name)
    assert record_tuples(web) == record_tuples(process_bytes(text.encode("utf-8"), path.name))
    for word in ("版权所有", "ICP备", "技术支持", "上一篇", "浏览次数", "打印本页"):
        assert word not in web.rows["documents"][0].text
