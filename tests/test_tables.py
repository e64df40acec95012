"""Task-breakdown tables in the clean text (pipe rows from the readers, Markdown tables,
tab-separated rows pasted from a word processor) become one task per row."""
from __future__ import annotations

from pipeline.process import process_bytes
from pipeline.structure.tables import column_role, find_task_tables

NOTICE = ("关于印发《2022年职工服务重点任务分解表》的通知\n各街道总工会：\n"
          "现将任务分解表印发给你们，请认真抓好落实。\n区总工会\n2022年2月10日\n")
ROWS = [["序号", "重点任务", "具体工作", "牵头单位", "配合单位", "完成时限"],
        ["1", "职工服务", "新建爱心妈咪小屋20家", "区总工会女职工部", "各街道总工会", "2022年6月底前"],
        ["2", "职工服务", "开展送清凉活动，慰问一线职工5000人次", "区总工会办公室", "区人社局、区卫健委", "7-8月"],
        ["3", "技能提升", "举办职工技能大赛，并于11月15日前报送总结至区总工会", "区总工会经济部", "", "10月"]]


def _records(text: str):
    res = process_bytes(text.encode("utf-8"), "table.txt")
    assert res.ok
    path = {t.task_id: tuple(t.path) for t in res.rows["tasks"]}
    return (res, [(tuple(t.path), t.section, t.title) for t in res.rows["tasks"]],
            {(path[u.task_id], u.name, u.role) for u in res.rows["units"]},
            {(path[d.task_id], d.text, str(d.start), str(d.end), d.kind) for d in res.rows["dates"]},
            {(path[q.task_id], q.value, q.unit) for q in res.rows["targets"]})


EXPECTED_TASKS = [(("1",), "职工服务", "新建爱心妈咪小屋20家"),
                  (("2",), "职工服务", "开展送清凉活动，慰问一线职工5000人次"),
                  (("3",), "技能提升", "举办职工技能大赛，并于11月15日前报送总结至区总工会")]
EXPECTED_UNITS = {(("1",), "区总工会女职工部", "lead"), (("1",), "各街道总工会", "partner"),
                  (("2",), "区总工会办公室", "lead"), (("2",), "区人社局", "partner"), (("2",), "区卫健委", "partner"),
                  (("3",), "区总工会经济部", "lead"), (("3",), "区总工会", "report_to")}
EXPECTED_DATES = {(("1",), "2022年6月底前", "None", "2022-06-30", "deadline"),
                  (("2",), "7-8月", "2022-07-01", "2022-08-31", "period"),      # a range stays a period
                  (("3",), "10月", "None", "2022-10-31", "deadline"),          # a month in 完成时限 is when it is due
                  (("3",), "11月15日前", "None", "2022-11-15", "deadline")}
EXPECTED_TARGETS = {(("1",), 20.0, "家"), (("2",), 5000.0, "人次")}


def test_tab_separated_table_pasted_into_a_text_notice():
    text = NOTICE + "\n".join("\t".join(r) for r in ROWS) + "\n"
    res, tasks, units, dates, targets = _records(text)
    assert tasks == EXPECTED_TASKS
    assert units == EXPECTED_UNITS and dates == EXPECTED_DATES and targets == EXPECTED_TARGETS
    assert not res.rows["errors"]                 # a table is structure: no no_structure warning
    doc = res.rows["documents"][0]
    assert doc.issue_date.isoformat() == "2022-02-10" and doc.doc_type == "plan"
    for u in res.rows["units"]:                   # offsets point at the names in the clean text
        assert doc.text[u.char_start:u.char_end] == u.name


def test_markdown_table_with_a_rule_row_and_a_repeated_header():
    lines = ["| " + " | ".join(r) + " |" for r in ROWS]
    lines.insert(1, "|---|---|---|---|---|---|")
    lines.insert(3, lines[0])                     # the header again, as after a page break
    _, tasks, units, dates, targets = _records(NOTICE + "\n".join(lines) + "\n")
    assert tasks == EXPECTED_TASKS
    assert units == EXPECTED_UNITS and dates == EXPECTED_DATES and targets == EXPECTED_TARGETS


def test_table_after_numbered_items_adds_row_tasks_and_closes_the_item():
    body = "一、组织工作\n1、做好换届工作。请各街镇总工会于10月底前完成。\n附件：任务分解表\n"
    table = "\n".join("\t".join(r) for r in ROWS) + "\n"
    _, tasks, units, _, _ = _records(NOTICE + body + table)
    assert tasks[0] == (("一", "1"), "组织工作", "做好换届工作")
    assert tasks[1:] == EXPECTED_TASKS
    assert (("一", "1"), "各街镇总工会", "lead") in units
    assert not any(p == ("一", "1") and n == "区总工会女职工部" for p, n, _ in units)


def test_tables_that_are_not_task_tables_are_left_alone():
    contacts = "| 单位 | 联系人 | 电话 |\n| 区总工会 | 张三 | 12345678 |\n"
    assert find_task_tables(contacts) == []
    assert find_task_tables("一、组织工作\n1、做好换届工作。\n") == []


def test_column_roles_come_from_the_header_words():
    assert [column_role(h) for h in ["序 号", "工作任务", "牵头单位", "责任部门", "配合单位", "完成时限", "备注"]] == \
        ["number", "task", "lead", "lead", "partner", "deadline", "other"]
    assert column_role("重点任务") == "section" and column_role("时间节点") == "deadline"
