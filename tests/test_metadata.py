"""Metadata (GB/T 9704 header) on the real notices and on made-up variants."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from pipeline.clean import clean
from pipeline.structure.metadata import normalise_title, parse_metadata
from pipeline.structure.outline import parse_outline
from pipeline.structure.period import parse_date_line, period_of_title
from tests.conftest import GOLD_DIR, RAW_DIR, gold_params


def _meta(raw: str):
    text = clean(raw).text
    out = parse_outline(text)
    first = out.tasks[0].label_start if out.has_structure else None
    return parse_metadata(text, first)


@pytest.mark.parametrize("gold_file", gold_params())
def test_real_notices_match_gold_metadata(gold_file):
    gold = json.loads(gold_file.read_text(encoding="utf-8"))
    meta = _meta((RAW_DIR / gold["file"]).read_text(encoding="utf-8"))
    for field, expected in gold["meta"].items():
        got = getattr(meta, field)
        got = got.isoformat() if isinstance(got, dt.date) else got
        assert got == expected, field


def test_issue_notice_with_doc_number_recipients_and_chinese_date():
    raw = ("中华全国总工会办公厅\n总工办发〔2020〕12号\n关于做好2021年元旦春节期间\n困难职工帮扶工作的通知\n"
           "各省、自治区、直辖市总工会：\n现就有关事项通知如下。\n一、加强组织领导\n1、各级工会要高度重视。\n"
           "中华全国总工会办公厅\n二〇二〇年十二月十日")
    meta = _meta(raw)
    assert meta.issuer == "中华全国总工会办公厅"
    assert meta.doc_number == "总工办发〔2020〕12号"
    assert meta.title == "关于做好2021年元旦春节期间困难职工帮扶工作的通知"
    assert meta.recipients == "各省、自治区、直辖市总工会"
    assert meta.issue_date == dt.date(2020, 12, 10)
    assert meta.doc_type == "notice"


def test_doc_number_brackets_are_normalised():
    meta = _meta("某区总工会\n某工[2022]7号\n2022年工作要点\n一、组织\n1、建会。")
    assert meta.doc_number == "某工〔2022〕7号"
    assert meta.doc_type == "plan"
    assert (meta.period_start, meta.period_end) == (dt.date(2022, 1, 1), dt.date(2022, 12, 31))


@pytest.mark.parametrize("title,period", [
    ("嘉定区2021年第四季度工会重点工作提示", ("2021-10-01", "2021-12-31")),
    ("2021年一季度工作安排", ("2021-01-01", "2021-03-31")),
    ("区总工会2021年上半年工作总结和下半年工作打算", ("2021-01-01", "2021-06-30")),
    ("2021年下半年工作计划", ("2021-07-01", "2021-12-31")),
    ("杨浦区总工会常委会2019年工作要点", ("2019-01-01", "2019-12-31")),
    ("2022年10月工作安排", ("2022-10-01", "2022-10-31")),
    ("二〇二三年工会工作要点", ("2023-01-01", "2023-12-31")),
    ("2020-2021年度工作计划", ("2020-01-01", "2021-12-31")),
    ("关于做好职工疗休养工作的通知", None),
])
def test_period_of_title(title, period):
    got = period_of_title(title)
    assert (None if got is None else (got[0].isoformat(), got[1].isoformat())) == period


@pytest.mark.parametrize("line,date", [
    ("2021年9月30日", "2021-09-30"), ("二○二一年五月十七日", "2021-05-17"), ("二〇二〇年十二月三十一日", "2020-12-31"),
    ("2018 年 3 月 6 日", "2018-03-06"), ("2021-09-30", "2021-09-30"), ("2021年2月30日", None),
    ("2021年9月30日前完成", None),
])
def test_parse_date_line(line, date):
    got = parse_date_line(line)
    assert (got.isoformat() if got else None) == date


def test_normalise_title():
    assert normalise_title("杨浦区总工会常委会 2019 年工作要点") == "杨浦区总工会常委会2019年工作要点"
    assert normalise_title("关于印发《嘉定区2021年第四季度\n工会重点工作提示》的通知") == \
        "关于印发《嘉定区2021年第四季度工会重点工作提示》的通知"


def test_minguo_years_in_the_signature_and_the_title():
    from pipeline.structure.period import parse_date_line, period_of_title
    from pipeline.textview import matching_view

    assert str(parse_date_line(matching_view("中華民國112年2月14日"))) == "2023-02-14"
    assert str(parse_date_line(matching_view("一一二年二月十四日"))) == "2023-02-14"
    assert period_of_title(matching_view("關於辦理一一二年度勞工教育訓練計畫之公告"))[0].year == 2023
    assert period_of_title(matching_view("庆祝建党100年活动方案")) is None   # an anniversary, not a year


def test_recipients_after_a_document_number_that_follows_the_title():
    from pipeline.structure.metadata import parse_metadata

    text = ("关于开展2023年“工会进万家”系列活动的通知\n苏工发〔2023〕5号\n各市（区）总工会，各产业工会：\n"
            "为深入贯彻党的二十大精神，现将有关事项通知如下：\n一、活动时间\n2023年3月1日至12月31日。")
    meta = parse_metadata(text, text.index("一、"))
    assert meta.doc_number == "苏工发〔2023〕5号" and meta.recipients == "各市（区）总工会，各产业工会"


NOTICE_SIGNED_BEFORE_ITS_PLAN = """XX区总工会文件
X总工〔2023〕8号
关于印发《XX区总工会2023年工作要点》的通知
各街镇总工会，各直属工会：
现将《XX区总工会2023年工作要点》印发给你们，并就有关事项通知如下：
一、提高思想认识。各单位要充分认识做好今年工作的重要意义。
二、抓好贯彻落实。各单位要结合实际制定具体实施方案，于3月15日前报区总工会办公室。
XX区总工会
2023年2月20日
XX区总工会2023年工作要点
2023年全区工会工作的总体要求是：深入学习贯彻党的二十大精神。
一、加强思想政治引领
1．深化理论武装。组织开展主题教育，举办培训班10期。
二、维护职工权益
1．推进集体协商。年内签订集体合同覆盖企业1000家以上。
"""


def test_redacted_issuer_and_a_signature_between_notice_and_plan():
    from pipeline.process import process_bytes

    res = process_bytes(NOTICE_SIGNED_BEFORE_ITS_PLAN.encode(), "x.txt")
    doc = res.rows["documents"][0]
    assert (doc.issuer, doc.doc_number, str(doc.issue_date)) == ("XX区总工会", "X总工〔2023〕8号", "2023-02-20")
    tasks = {tuple(t.path): t for t in res.rows["tasks"]}
    assert list(tasks) == [("一",), ("二",), ("一", "1"), ("二", "1")]
    # the signature and the plan's title and preamble belong to no task
    assert tasks[("二",)].text.endswith("报区总工会办公室。")
    units = {(tuple(tasks_path), u.name) for u in res.rows["units"]
             for tasks_path in [next(t.path for t in res.rows["tasks"] if t.task_id == u.task_id)]}
    assert (("二",), "区总工会") not in units


@pytest.mark.parametrize("title,kind", [
    ("绿电园区规划、建设和运营工作指引（2025年）", "notice"),     # 规划 is its topic, 指引 its genre
    ("城市燃气管网规划建设管理办法", "notice"),
    ("2024年乡村振兴重点任务分工方案", "plan"),
    ("市场运营规则修订工作计划", "plan"),                         # 规则 is its topic
    ("区總工會2023年工作總結及2024年工作計劃", "summary"),         # a summary first
    ("关于加快推进电力现货市场建设的实施意见", "plan"),           # 实施意见, not 意见
    ("电力需求侧管理指南（试行）", "notice"),
])
def test_doc_type_is_the_genre_the_title_ends_with(title, kind):
    # the enclosed document's title decides (doc_type_of(attachment_title, title), as the header does)
    from pipeline.structure.period import doc_type_of
    assert doc_type_of(title, f"关于印发《{title}》的通知") == kind


def test_a_printers_date_at_the_foot_is_no_signature_date():
    # a web page printed to PDF and OCR'd: the browser's print date stands among the last lines
    raw = ("国家能源局综合司关于征集2026年度重大研发攻关需求建议的通知\n各省（自治区、直辖市）能源局：\n"
           "一、征集范围\n请各单位于5月30日前推荐需求建议。\n二、联系方式\n联系人：张三\n"
           "https://service.example.gov.cn/tztg/20250513/5681.html\n1/2\n2025/5/19\n国家科技管理信息系统公共服务平台\n")
    assert _meta(raw).issue_date is None
    assert _meta(raw.replace("2025/5/19\n", "2025/5/19\n国家能源局综合司\n2025年5月13日\n")).issue_date == dt.date(2025, 5, 13)
