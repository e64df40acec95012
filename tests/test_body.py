"""Where the header ends and which parts of the body are tasks (``structure/body.py``)."""
from __future__ import annotations

from pipeline.structure.body import split_body
from tests.test_tables import NOTICE, ROWS

HEADER = "某市总工会关于做好2023年职工服务工作的通知\n各区总工会：\n现将有关事项通知如下。\n"
ITEMS = "一、加强组织领导\n各单位要高度重视。\n二、抓好督促落实\n请于12月底前报送总结。\n"
TABLE = "\n".join("\t".join(r) for r in ROWS) + "\n"


def test_the_header_ends_at_the_first_numbered_item():
    text = HEADER + ITEMS
    body = split_body(text)
    assert body.header_end == len(HEADER) and text[body.header_end:].startswith("一、")
    assert body.has_structure and not body.tables
    assert [s.path for s in body.spans] == [("一",), ("二",)]


def test_a_task_table_is_the_body_when_there_are_no_numbered_items():
    text = NOTICE + TABLE
    body = split_body(text)
    assert body.header_end == len(NOTICE)
    assert body.has_structure and body.spans == () and len(body.tables) == 1
    assert len(body.tables[0].rows) == len(ROWS) - 1


def test_the_header_ends_where_the_first_of_table_and_items_begins():
    text = HEADER + TABLE + ITEMS
    body = split_body(text)
    assert body.header_end == len(HEADER)            # the table comes first
    assert [s.path for s in body.spans] == [("一",), ("二",)] and len(body.tables) == 1
    text = HEADER + ITEMS + TABLE
    assert split_body(text).header_end == len(HEADER)     # the items come first


def test_without_items_or_tables_the_body_is_one_task_and_the_header_is_unbounded():
    text = HEADER + "请各单位认真抓好落实，于12月底前报送总结。\n某市总工会\n2023年1月5日\n"
    body = split_body(text)
    assert body.header_end is None and not body.has_structure and not body.tables
    assert [s.path for s in body.spans] == [()]
