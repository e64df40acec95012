"""PDF input: renderings of the shipped notices give the records of their text versions,
with the right pages; tables become tasks; scans, encrypted and broken files are
clear errors. The PDFs are built here (tests/pdf_build.py) from data/raw."""
from __future__ import annotations

import io

import pypdfium2 as pdfium
import pytest

from pipeline import config
from pipeline.ingest import NoticeError, read_bytes
from pipeline.ingest.pdf import read_pdf
from pipeline.ingest.pdf_layout import Line, PageLines, Seg, drop_furniture, lines_to_text
from pipeline.ingest.pdf_tables import continue_table
from pipeline.text.table_text import grid_lines, join_cell_lines
from pipeline.process import process_bytes
from tests.conftest import RAW_DIR, SAMPLE_FILES
from tests.ingest_compare import record_tuples
from tests.pdf_build import Layout, Table, notice_pdf

SAMPLES = SAMPLE_FILES


def page_texts(data: bytes) -> list[str]:
    pdf = pdfium.PdfDocument(data)
    return ["".join(p.get_textpage().get_text_bounded().split()) for p in pdf]


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem[:3])
def test_pdf_rendering_gives_the_records_of_the_text(path):
    text = path.read_text(encoding="utf-8")
    data = notice_pdf(text, Layout(header="工会工作文件"))
    pdf_res = process_bytes(data, path.stem + ".pdf")
    txt_res = process_bytes(path.read_bytes(), path.name)
    assert pdf_res.ok, pdf_res.rows["errors"]
    assert record_tuples(pdf_res) == record_tuples(txt_res)
    doc = pdf_res.rows["documents"][0]
    assert doc.source_format == "pdf" and doc.n_pages == len(page_texts(data)) > 1
    assert "工会工作文件" not in doc.text          # the running header is not text
    assert "- 2 -" not in doc.text                # nor the page numbers


@pytest.mark.parametrize("path", SAMPLES[:2], ids=lambda p: p.stem[:3])
def test_every_record_knows_its_page(path):
    data = notice_pdf(path.read_text(encoding="utf-8"))
    pages = page_texts(data)
    res = process_bytes(data, path.stem + ".pdf")
    text = res.rows["documents"][0].text
    for table in ("tasks", "units", "dates", "targets"):
        for row in res.rows[table]:
            head = "".join(text[row.char_start:row.char_end].split())[:6]
            assert row.page is not None and head in pages[row.page - 1], (table, head, row.page)
    assert {t.page for t in res.rows["tasks"]} == set(range(2, len(pages) + 1)) | ({1} & {t.page for t in res.rows["tasks"]})
    txt = process_bytes(path.read_bytes(), path.name)
    assert all(t.page is None for t in txt.rows["tasks"])


def test_two_column_page_is_read_column_by_column():
    path = SAMPLES[0]
    data = notice_pdf(path.read_text(encoding="utf-8"), Layout(two_column_pages={2, 3}))
    pdf = pdfium.PdfDocument(data)
    # the page really is in two columns: lines of both columns share baselines
    assert len(pdf[1].get_textpage().get_text_bounded().splitlines()) > 30
    assert record_tuples(process_bytes(data, "two.pdf")) == record_tuples(process_bytes(path.read_bytes(), path.name))


TABLE_INTRO = """上海市嘉定区总工会
关于印发《2022年工会重点工作任务分解表》的通知
各镇、街道总工会：
现将《2022年工会重点工作任务分解表》印发给你们，请认真贯彻落实。
                                上海市嘉定区总工会
                                2022年1月10日
"""


def breakdown_table(n: int = 14) -> Table:
    rows: list[list[str | None]] = [["序号", "工作任务", "牵头单位", "配合单位", "完成时限"]]
    for i in range(1, n + 1):
        rows.append([str(i), f"组织开展第{i}批职工技能培训，培训职工{i * 100}人次以上，并将总结材料报送至区总工会办公室。",
                     None if i % 3 == 0 else "区总工会组织部", "各街镇总工会、区人社局", f"{i % 12 + 1}月底前"])
    return Table(rows, [30, 200, 80, 80, 52])


def test_breakdown_table_over_two_pages_gives_one_task_per_row():
    data = notice_pdf(TABLE_INTRO, tables={6: breakdown_table()})
    assert len(page_texts(data)) == 2
    res = process_bytes(data, "table.pdf")
    assert res.ok and not res.rows["errors"]
    tasks = res.rows["tasks"]
    assert [t.path for t in tasks] == [[str(i)] for i in range(1, 15)]      # header repeated on page 2 dropped
    assert tasks[0].title == "组织开展第1批职工技能培训，培训职工100人次以上，并将总结材料报送至区总工会办公室"
    assert tasks[0].page == 1 and tasks[-1].page == 2
    by_task = {t.task_id: t.path[0] for t in tasks}
    units = {(by_task[u.task_id], u.name, u.role) for u in res.rows["units"]}
    for i in ("1", "3", "14"):          # row 3's lead is the merged cell above it
        assert {(i, "区总工会组织部", "lead"), (i, "各街镇总工会", "partner"), (i, "区人社局", "partner"),
                (i, "区总工会办公室", "report_to")} <= units
    dates = {by_task[d.task_id]: (d.text, d.start, str(d.end), d.kind) for d in res.rows["dates"]}
    assert dates["1"] == ("2月底前", None, "2022-02-28", "deadline")
    assert dates["11"] == ("12月底前", None, "2022-12-31", "deadline")
    targets = {by_task[q.task_id]: (q.value, q.unit, q.comparator) for q in res.rows["targets"]}
    assert targets["14"] == (1400.0, "人次", "gte")


def test_scan_without_text_layer_is_an_error_with_the_page_count():
    data = notice_pdf(SAMPLES[1].read_text(encoding="utf-8"), Layout(image_only=True))
    n = len(pdfium.PdfDocument(data))
    with config.using(config.Limits(ocr=False)):     # OCR of scans: test_ingest_pdf_ocr.py
        with pytest.raises(NoticeError) as exc:
            read_bytes(data, "scan.pdf")
        assert exc.value.code == "no_text_layer" and f"{n} page" in exc.value.message
        res = process_bytes(data, "scan.pdf")
    assert not res.ok and res.rows["errors"][0].error == "no_text_layer"


def test_encrypted_pdf_is_an_error():
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt=pdfencrypt.StandardEncryption("user", "owner"))
    c.drawString(72, 720, "secret")
    c.save()
    res = process_bytes(buf.getvalue(), "locked.pdf")
    assert res.rows["errors"][0].error == "encrypted" and "locked.pdf" in res.rows["errors"][0].message


@pytest.mark.parametrize("cut", [0.1, 0.5, 0.95])
def test_truncated_pdf_is_a_clear_error(cut):
    data = notice_pdf(SAMPLES[0].read_text(encoding="utf-8"))
    res = process_bytes(data[: int(len(data) * cut)], "cut.pdf")
    err = res.rows["errors"][0]
    assert not res.ok and err.error == "corrupt" and err.message.startswith("cut.pdf: ")
    assert "\n" not in err.message


def test_page_count_above_the_limit_is_refused():
    data = notice_pdf(SAMPLES[0].read_text(encoding="utf-8"))
    with pytest.raises(NoticeError) as exc:
        read_pdf(data, "long.pdf", max_pages=3)
    assert exc.value.code == "too_many_pages"


# -- the pure steps ----------------------------------------------------------------

def _line(text, x0, x1, y, page=0):
    return Line([Seg(x0, x1, y, text)], page, col_left=80, col_right=520)


def test_wrapped_lines_join_and_indented_or_labelled_lines_do_not():
    pages = [PageLines([
        _line("1、做好职工健康服务点日常运营管理。健康服务点项目已", 80, 519, 700),
        _line("纳入实事项目。", 80, 200, 670),                       # wrapped: joins
        _line("2、做好联审工作，根据区换届工作整体安排，于10月份对", 80, 519, 640),
        _line("3、做好换届工作。", 80, 300, 610),                      # label after a full line ending mid-sentence
        _line("开展专题部署。", 112, 300, 580),                         # indented: new paragraph
        _line("以“建功十", 80, 519, 550),
        _line("三五、建设新武进”为主题。", 80, 300, 520),                # mid-sentence: not item 三五
    ], 16.0)]
    text, starts = lines_to_text(pages)
    assert text.split("\n") == [
        "1、做好职工健康服务点日常运营管理。健康服务点项目已纳入实事项目。",
        "2、做好联审工作，根据区换届工作整体安排，于10月份对3、做好换届工作。",
        "开展专题部署。",
        "以“建功十三五、建设新武进”为主题。",
    ]
    assert starts == (0,)


def test_page_furniture_is_dropped_but_a_one_off_first_line_stays():
    def page(n, first):
        return PageLines([_line(first, 200, 400, 800, n), _line("正文第%d页。" % n, 80, 300, 700 - 30 * n, n),
                          _line("正文。", 80, 300, 400 - 100 * n, n), _line(f"- {n + 1} -", 280, 320, 50, n)], 16.0)
    pages = drop_furniture([page(0, "嘉定区总工会文件"), page(1, "内部资料 注意保存"), page(2, "内部资料 注意保存")])
    assert [[ln.text for ln in p.lines] for p in pages] == [
        ["嘉定区总工会文件", "正文第0页。", "正文。"], ["正文第1页。", "正文。"], ["正文第2页。", "正文。"]]


def test_table_continued_on_next_page():
    header = ["序号", "工作任务", "牵头单位"]
    first = [header, ["1", "开展培训", "区总工会"], ["2", "做好职工服务", "区总工会"]]
    cont = [header, ["", "工作，并上报材料", "区总工会"], ["3", "开展竞赛", "区人社局"]]
    assert continue_table(first, cont) == [header, ["1", "开展培训", "区总工会"],
                                           ["2", "做好职工服务工作，并上报材料", "区总工会"], ["3", "开展竞赛", "区人社局"]]


def test_cell_lines_join_by_wrapping_and_rows_render_as_pipes():
    assert join_cell_lines([("区总工会", False), ("区人社局", False)]) == "区总工会；区人社局"
    assert join_cell_lines([("组织开展职工技能", True), ("培训。", False), ("报送材料", False)]) == "组织开展职工技能培训。报送材料"
    assert grid_lines([["1", "a|b", "  x  y "], ["", ""]]) == ["| 1 | a｜b | x y |", "|  |  |  |"]


def test_a_scanned_page_inside_a_text_pdf_is_a_warning_and_a_blank_page_is_not():
    from pypdfium2 import PdfDocument

    text = SAMPLES[0].read_text(encoding="utf-8")
    doc = PdfDocument(notice_pdf(text))
    scan = PdfDocument(notice_pdf(SAMPLES[1].read_text(encoding="utf-8"), Layout(image_only=True)))
    doc.import_pages(scan, [0])          # page n+1: a picture of text
    doc.new_page(595, 842)               # page n+2: blank
    buf = io.BytesIO()
    doc.save(buf)
    n = len(doc)
    with config.using(config.Limits(ocr=False)):
        res = process_bytes(buf.getvalue(), "mixed.pdf")
    assert res.ok
    warnings = [(e.error, e.message) for e in res.rows["errors"]]
    assert warnings == [("partial_text", f"mixed.pdf: warning: page(s) {n - 1} of {n} are pictures without a "
                                         "text layer (OCR is off); their text is missing")]
    assert record_tuples(res)["tasks"] == record_tuples(process_bytes(SAMPLES[0].read_bytes(), "t.txt"))["tasks"]
