"""Quality check: documents without title, issuer, issue date or tasks get a warning row each
in the errors table and are counted in the run summary."""
from __future__ import annotations

from pipeline.process import process_bytes
from pipeline.quality import QUALITY_CODES, quality_warnings
from pipeline.runner import run
from pipeline.store import Store
from tests.conftest import SAMPLE_FILES


def _codes(res) -> list[str]:
    return [e.error for e in res.rows["errors"] if e.error in QUALITY_CODES]


def test_a_complete_notice_has_no_quality_warning():
    text = ("上海市某区总工会\n某工〔2023〕8号\n关于做好2023年职工疗休养工作的通知\n各街镇总工会：\n"
            "现将有关事项通知如下：\n一、组织安排\n1．各街镇总工会要做好报名工作。\n上海市某区总工会\n2023年3月1日")
    assert _codes(process_bytes(text.encode(), "a.txt")) == []


def test_a_fragment_without_header_gets_one_row_per_missing_element():
    res = process_bytes("请各基层工会于春节前完成困难职工慰问工作，并将情况报区总工会。".encode(), "b.txt")
    assert _codes(res) == ["no_title", "no_issuer", "no_issue_date"]   # the body is one task
    assert all("b.txt" in e.message and "warning" in e.message for e in res.rows["errors"])


def test_no_tasks_code():
    assert [c for c, _ in quality_warnings("x.txt", "t", "i", None, 0)] == ["no_issue_date", "no_tasks"]


def test_run_summary_counts_documents_to_look_at(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "fragment.txt").write_text("请各基层工会于春节前完成困难职工慰问工作。", encoding="utf-8")
    (src / SAMPLE_FILES[0].name).write_bytes(SAMPLE_FILES[0].read_bytes())
    summary = run([str(src)], tmp_path / "out", workers=1)
    assert summary.errors == 0
    assert summary.quality.get("no_title") == 1 and summary.quality.get("no_issue_date") == 1
    rows = Store(tmp_path / "out").read_table("errors").to_pylist()
    assert sorted(r["error"] for r in rows if r["error"] in QUALITY_CODES) == ["no_issue_date", "no_issuer", "no_title"]
