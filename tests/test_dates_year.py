"""The year-resolution rule (GUIDELINES §4), one function: every source in its order, the
source reported, and never the processing day."""
from __future__ import annotations

import datetime as dt

import pytest

from pipeline import parse_dates
from pipeline.extract.dates_year import SOURCES, YearContext, document_years, resolve_year
from pipeline.records import Date

D = dt.date
Q4_2021 = (D(2021, 10, 1), D(2021, 12, 31))
Y2019 = (D(2019, 1, 1), D(2019, 12, 31))
SCHOOL = (D(2020, 9, 1), D(2021, 8, 31))


@pytest.mark.parametrize("month,ctx,expected", [
    # 1. the plan period comes first, whatever else the document has
    (10, YearContext(period=Q4_2021, issue_date=D(2021, 9, 30), doc_number_year=2020), (2021, "period")),
    (1, YearContext(period=(D(2022, 1, 1), D(2022, 3, 31)), issue_date=D(2021, 12, 25)), (2022, "period")),
    (5, YearContext(period=Y2019, issue_date=D(2018, 3, 6)), (2019, "period")),     # signed the year before
    (None, YearContext(period=Y2019, issue_date=D(2018, 3, 6)), (2019, "period")),
    (7, YearContext(period=(D(2021, 1, 1), D(2021, 6, 30))), (2021, "period")),     # outside the period
    (1, YearContext(period=Q4_2021), (2022, "period")),                             # a Q4 plan's 元月
    (2, YearContext(period=SCHOOL), (2021, "period")),                              # school year
    (10, YearContext(period=SCHOOL), (2020, "period")),
    # … unless the notice was issued shortly before its period and the month leads into it
    (12, YearContext(period=(D(2023, 1, 1), D(2023, 12, 31)), issue_date=D(2022, 12, 2)), (2022, "issue_date")),
    (11, YearContext(period=(D(2022, 1, 1), D(2022, 12, 31)), issue_date=D(2021, 10, 15)), (2021, "issue_date")),
    (10, YearContext(period=(D(2022, 1, 1), D(2022, 12, 31)), issue_date=D(2021, 10, 15)), (2021, "issue_date")),
    (9, YearContext(period=(D(2022, 1, 1), D(2022, 12, 31)), issue_date=D(2021, 10, 15)), (2022, "period")),   # before the issue
    (1, YearContext(period=(D(2023, 1, 1), D(2023, 12, 31)), issue_date=D(2022, 12, 2)), (2023, "period")),    # inside the period
    (12, YearContext(period=(D(2023, 1, 1), D(2023, 12, 31)), issue_date=D(2022, 6, 1)), (2023, "period")),    # not shortly before
    (None, YearContext(period=(D(2023, 1, 1), D(2023, 12, 31)), issue_date=D(2022, 12, 2)), (2023, "period")),  # 年底, 全年
    (3, YearContext(period=(D(2021, 4, 1), D(2021, 6, 30)), issue_date=D(2021, 3, 10)), (2021, "issue_date")),  # a Q2 plan
    # 2. the issue date
    (11, YearContext(issue_date=D(2022, 3, 1), doc_number_year=2021, title_year=2020), (2022, "issue_date")),
    (4, YearContext(issue_date=D(2001, 4, 4)), (2001, "issue_date")),
    (None, YearContext(issue_date=D(2018, 3, 6)), (2018, "issue_date")),
    (1, YearContext(issue_date=D(2021, 11, 25)), (2022, "issue_date")),             # late in the year, looking ahead
    (1, YearContext(issue_date=D(2021, 11, 25), looks_back=True), (2021, "issue_date")),  # a summary looks back
    (6, YearContext(issue_date=D(2021, 11, 25)), (2021, "issue_date")),
    # 3. the document number's year
    (4, YearContext(doc_number_year=2012, title_year=2011), (2012, "doc_number")),
    # 4. the title's year
    (None, YearContext(title_year=2011), (2011, "title")),
    # nowhere to look: no year, never today's
    (11, YearContext(), (None, None)),
    (None, YearContext(), (None, None)),
    (5, YearContext(doc_number_year=1850), (None, None)),
])
def test_resolve_year(month, ctx, expected):
    assert resolve_year(month, ctx) == expected


def test_document_years_reads_every_source():
    view = "关于进一步加强新闻宣传工作的通知\n各单位：\n请于2012年4月28日前报送，2012年5月1日起执行。2011年3月的通知废止。"
    ctx = document_years(view, doc_number="新质监办发〔2012〕24号", title="2013年工作要点", doc_type="notice")
    assert ctx == YearContext(doc_number_year=2012, title_year=2013)
    # the years the text's own dates write are no source (§4: period, issue date, doc number)
    assert document_years("请于2012年4月28日前报送，2012年5月1日起执行。") == YearContext()
    assert document_years("", doc_number="X劳社[2009]7号").doc_number_year == 2009
    assert document_years("", issue_date=D(2021, 5, 1), doc_type="summary").looks_back


@pytest.mark.parametrize("ctx,start,source", [
    (YearContext(doc_number_year=2012), "2012-05-01", "doc_number"),
    (YearContext(title_year=2013), "2013-05-01", "title"),
    (YearContext(issue_date=D(2015, 3, 1), doc_number_year=2012), "2015-05-01", "issue_date"),
    (YearContext(), None, None),
])
def test_parse_dates_reports_the_source(ctx, start, source):
    (d,) = parse_dates("自5月1日起施行", years=ctx)
    assert (d.start and d.start.isoformat(), d.year_source) == (start, source)


def test_a_written_year_is_its_own_source():
    ctx = YearContext(period=Y2019)
    got = [(d.text, d.year_source) for d in parse_dates("2020年3月召开，10月15日至11月15日开展，2021年10月15日至11月15日", years=ctx)]
    assert got == [("2020年3月", "text"), ("10月15日至11月15日", "period"), ("2021年10月15日至11月15日", "text")]
    (red,) = parse_dates("X月X日前报送", years=ctx)
    assert red.year_source is None


def test_the_record_has_the_sources():
    field = Date.model_fields["year_source"]
    assert set(field.annotation.__args__[0].__args__) == set(SOURCES)


# a standing rule (written in articles) applies every year: what writes no year recurs
RULE = "第一条 为规范市场，制定本细则。\n第二条 本细则适用于全省。\n第三条 {}\n"


def test_a_text_in_articles_is_a_standing_rule():
    assert document_years(RULE.format("每年报送。")).standing_rule
    assert not document_years("一、总体要求\n第一条内容见附件。\n（一）按第二条执行。").standing_rule
    assert not document_years("依据第一条、第二条和第三条的规定。").standing_rule   # cross-references


@pytest.mark.parametrize("clause,expected", [
    # relative words, yearless months and windows of a rule recur: nothing
    ("售电企业报送上年度财务和业务经营情况。", []),
    ("当年平段基本调峰比例=（前三年平段比例+全省平段比例）/2", []),
    ("年度报送信息原则上应当在次年的3月1日前报出。", []),
    ("保供期间（1月至4月，11月至12月），考核加倍。", []),
    ("電網企業當年電力節約指標不低於上年售電量的0.3%。", []),          # traditional script
    ("根据各并网主体上月考核费用计算。", []),
    # what writes its year stays
    ("本细则自2023年5月1日起施行。", [("自2023年5月1日起", "2023-05-01", None)]),
    ("2025年12月31日前完成改造。", [("2025年12月31日前", None, "2025-12-31")]),
])
def test_a_standing_rule_keeps_only_dates_with_their_year(clause, expected):
    text = RULE.format(clause)
    years = document_years(text, issue_date=D(2022, 3, 1), doc_number="X监能市场〔2022〕12号")
    got = [(d.text, d.start and d.start.isoformat(), d.end and d.end.isoformat())
           for d in parse_dates(clause, years=years)]
    assert got == expected


def test_a_deadline_before_the_plan_year_is_in_the_issue_year():
    """e063: issued 2022-12-02, title and period 2023: 12月20日前 is 2022-12-20 (the contracts
    for 2023 are signed in December 2022); 2月底前 inside the period stays 2023."""
    years = YearContext(period=(D(2023, 1, 1), D(2023, 12, 31)), issue_date=D(2022, 12, 2))
    got = [(d.text, d.end.isoformat(), d.year_source)
           for d in parse_dates("各地应在12月20日前完成2023年年度中长期合同签订工作，2月底前报送进展。", years=years)]
    assert got == [("12月20日前", "2022-12-20", "issue_date"), ("2月底前", "2023-02-28", "period")]


def test_a_web_page_banner_gives_no_year():
    """e109 (津工信规〔2025〕1号, a web copy that lost its number): the site's banner date
    ``2019年12月3日星期二`` is furniture, no year source for the rule's 当年 / 上年."""
    page = "天津政务网\n2019年12月3日星期二\n简体\n繁体\n各有关单位：\n电网企业当年节约指标不低于上年售电量的0.3%。\n"
    years = document_years(page)
    assert years == YearContext()
    assert [(d.text, d.start) for d in parse_dates("电网企业当年节约指标不低于上年售电量的0.3%。", years=years)] \
        == [("当年", None), ("上年", None)]
