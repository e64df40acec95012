"""The year-resolution rule (GUIDELINES §4), one function: every source in its order, the
source reported, and never the processing day."""
from __future__ import annotations

import datetime as dt

import pytest

from pipeline import parse_dates
from pipeline.extract.dates_year import SOURCES, YearContext, document_years, resolve_year
from pipeline.records import DateMention

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
    # 2. the issue date
    (11, YearContext(issue_date=D(2022, 3, 1), doc_number_year=2021, title_year=2020), (2022, "issue_date")),
    (4, YearContext(issue_date=D(2001, 4, 4)), (2001, "issue_date")),
    (None, YearContext(issue_date=D(2018, 3, 6)), (2018, "issue_date")),
    (1, YearContext(issue_date=D(2021, 11, 25)), (2022, "issue_date")),             # late in the year, looking ahead
    (1, YearContext(issue_date=D(2021, 11, 25), looks_back=True), (2021, "issue_date")),  # a summary looks back
    (6, YearContext(issue_date=D(2021, 11, 25)), (2021, "issue_date")),
    # 3. the document number's year
    (4, YearContext(doc_number_year=2012, title_year=2011, document_year=2010), (2012, "doc_number")),
    # 4. the title's year
    (None, YearContext(title_year=2011, document_year=2010), (2011, "title")),
    # 5. an explicit date elsewhere in the document
    (8, YearContext(document_year=2010), (2010, "document")),
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
    assert ctx == YearContext(doc_number_year=2012, title_year=2013, document_year=2012)
    assert document_years("二○一二年四月二十八日前报送").document_year == 2012
    assert document_years("较2015年增长5%，到2020年").document_year is None       # bare years are no dates
    assert document_years("", doc_number="X劳社[2009]7号").doc_number_year == 2009
    assert document_years("", issue_date=D(2021, 5, 1), doc_type="summary").looks_back


@pytest.mark.parametrize("ctx,start,source", [
    (YearContext(doc_number_year=2012), "2012-05-01", "doc_number"),
    (YearContext(title_year=2013), "2013-05-01", "title"),
    (YearContext(document_year=2014), "2014-05-01", "document"),
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
    field = DateMention.model_fields["year_source"]
    assert set(field.annotation.__args__[0].__args__) == set(SOURCES)
