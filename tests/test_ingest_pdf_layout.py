"""Real PDFs as governments publish them (tests/data/pdf, from ../shared/corpus/pdf):
layout tables read as paragraphs while real tables stay tables, contents pages kept out
of the outline, and the text in the reading order of the text layer (``*.ref.txt``).

OCR is off here (``ocr=False``): hf01's scanned cover is read in test_ingest_pdf_ocr.py."""
from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from pipeline import config
from pipeline.clean import clean
from pipeline.ingest import pdf_tables
from pipeline.ingest.pdf import read_pdf
from pipeline.ingest.pdf_contents import contents_lines, is_contents_entry
from pipeline.ingest.pdf_layout import Line, Seg
from pipeline.ingest.pdf_tables import TextCell, is_layout_table
from pipeline.text.table_text import is_table_row
from pipeline.process import process_bytes
from tests.conftest import SAMPLE_FILES
from tests.ingest_compare import record_tuples
from tests.pdf_build import layout_table_pdf, notice_pdf
from tests.test_ingest_pdf import TABLE_INTRO, breakdown_table

DATA = Path(__file__).resolve().parent / "data" / "pdf"
PDFS = {p.name[:4]: p for p in sorted(DATA.glob("hf0[1-5]*.pdf"))}


def no_ocr():
    return config.using(config.Limits(ocr=False))


def run(key: str):
    with no_ocr():
        return process_bytes(PDFS[key].read_bytes(), PDFS[key].name)


def grids_seen(monkeypatch, key: str) -> list[tuple[list[TextCell], float, float, bool]]:
    """Every grid the reader weighs on a real PDF: its cells, edges and the decision."""
    seen = []

    def record(cells, x0, x1):
        verdict = is_layout_table(cells, x0, x1)
        seen.append((cells, x0, x1, verdict))
        return verdict

    monkeypatch.setattr(pdf_tables, "is_layout_table", record)
    read_pdf(PDFS[key].read_bytes(), PDFS[key].name, ocr=False)
    return seen


# -- the layout-table decision -------------------------------------------------------

def _rows(*rows: list[tuple[float, float, str]]) -> list[TextCell]:
    return [TextCell(r, x0, x1, t) for r, row in enumerate(rows) for x0, x1, t in row]


def test_made_up_grids_prose_lines_are_layout_header_and_figures_are_data():
    prose = _rows([(0, 400, "各街道总工会要于10月底前完成")], [(32, 400, "职工服务阵地建设，并报送材料。")],
                  [(0, 200, "区总工会办公室")], [(0, 400, "二、加强组织领导，落实工作责任")])
    assert is_layout_table(prose, 0, 400)
    header = _rows([(0, 60, "序号"), (60, 260, "工作任务"), (260, 400, "牵头单位")],
                   [(0, 60, "1"), (60, 260, "开展职工技能培训"), (260, 400, "区总工会")],
                   [(60, 260, "做好困难职工帮扶")], [(60, 260, "组织劳动竞赛活动")], [(60, 260, "推进职工书屋建设")])
    assert not is_layout_table(header, 0, 400)          # a header of column words
    figures = _rows([(300, 400, "82,096,797.42")], [(300, 400, "1,097,070.00")], [(300, 400, "2,000.00")])
    assert not is_layout_table(figures, 0, 400)         # one column of figures: data
    narrow = _rows([(0, 40, "职工服务工作")], [(0, 40, "帮扶困难职工")], [(0, 40, "劳动竞赛活动")])
    assert not is_layout_table(narrow, 0, 400)          # text in one narrow column of a wide grid
    assert not is_layout_table(_rows([(0, 400, "一行文字说明")]), 0, 400)   # too few rows to tell


def test_real_layout_tables_of_hf04_and_hf05_are_read_as_text(monkeypatch):
    for key in ("hf04", "hf05"):
        seen = grids_seen(monkeypatch, key)
        assert len(seen) >= 10 and all(verdict for *_, verdict in seen), key


def test_real_data_tables_stay_tables(monkeypatch):
    # hf03: nine budget tables; hf01: the indicator table over pp.10-11; hf02: statistics grids
    for key, n in (("hf03", 13), ("hf01", 3), ("hf02", 5)):
        seen = grids_seen(monkeypatch, key)
        assert len(seen) == n and not any(verdict for *_, verdict in seen), key


@pytest.mark.parametrize("path", SAMPLE_FILES[:3], ids=lambda p: p.stem[:3])
def test_made_up_layout_table_pdf_gives_the_records_of_the_text(path, monkeypatch):
    text = path.read_text(encoding="utf-8")
    data = layout_table_pdf(text)
    assert record_tuples(process_bytes(data, "grid.pdf")) == record_tuples(process_bytes(path.read_bytes(), path.name))
    monkeypatch.setattr(pdf_tables, "is_layout_table", lambda *a: False)   # without the decision: rows
    assert sum(is_table_row(ln) for ln in read_pdf(data, "grid.pdf").text.split("\n")) > 20


def test_made_up_breakdown_table_stays_a_table():
    data = notice_pdf(TABLE_INTRO, tables={6: breakdown_table()})
    rows = [ln for ln in read_pdf(data, "t.pdf").text.split("\n") if is_table_row(ln)]
    assert len(rows) == 15 and "序号" in rows[0] and "牵头单位" in rows[0]


# -- hf04 and hf05: tasks follow the outline, cover-note metadata ----------------------

@pytest.mark.parametrize("key", ["hf04", "hf05"])
def test_layout_table_notices_have_no_table_rows_and_follow_their_outline(key):
    res = run(key)
    doc = res.rows["documents"][0]
    assert not any(is_table_row(ln) for ln in doc.text.split("\n"))
    assert "no_structure" not in {e.error for e in res.rows["errors"]}
    paths = [tuple(t.path) for t in res.rows["tasks"]]
    assert len(paths) >= 25 and len(set(paths)) == len(paths)
    assert all(set(p[0]) <= set("一二三四五六七八九十") for p in paths)       # 一、 at the top
    assert sum(len(p) >= 2 for p in paths) >= 0.8 * len(paths)    # （一） below it


def test_hf04_cover_note_metadata():
    doc = run("hf04").rows["documents"][0]
    assert doc.doc_number == "国办发〔2021〕43号"
    assert doc.recipients == "各省、自治区、直辖市人民政府，国务院各部委、各直属机构"
    assert str(doc.issue_date) == "2021-10-28"
    assert doc.attachment_title == "“十四五”文物保护和科技创新规划"
    # the title's two centred lines in the large font are one paragraph
    assert doc.title == "国务院办公厅关于印发“十四五”文物保护和科技创新规划的通知"
    assert doc.text.startswith("国务院办公厅关于印发“十四五”文物保护和科技创新规划的通知\n国办发〔2021〕43号\n")


def test_hf05_cover_note_metadata_and_the_two_issuers_line():
    doc = run("hf05").rows["documents"][0]
    assert doc.doc_number is None
    assert doc.recipients == "各市、县、自治县农业农村局、财政局"
    assert str(doc.issue_date) == "2024-07-01"
    assert "\n海南省农业农村厅 海南省财政厅\n2024年7月1日\n" in doc.text   # a blank between the issuers
    assert doc.attachment_title == "2024—2026年海南省农机购置与应用补贴实施方案"
    assert doc.text.startswith("海南省农业农村厅 海南省财政厅关于印发2024-2026年海南省农机购置与应用补贴实施方案的通知\n")


def _placed(text: str, x0: float, y: float, size: float) -> Line:
    """A line of CJK text set at ``size`` points from ``x0``, in a column 90-505."""
    ln = Line([Seg(x0, x0 + size * len(text), y, text)], 0)
    ln.col_left, ln.col_right = 90.0, 505.0
    return ln


def test_a_title_wrapped_over_two_centred_lines_is_one_paragraph():
    from pipeline.ingest.pdf_layout import PageLines, lines_to_text

    def centred(text, y, size):
        return _placed(text, 297.5 - size * len(text) / 2, y, size)

    body = [_placed("各区总工会：", 90, 600, 10.5), _placed("为做好职工服务工作，现将有关事项通知如下。", 111, 584, 10.5)]
    title = [centred("上海市总工会关于做好", 740, 18), centred("2022年职工服务工作的通知", 712, 18)]
    text, _ = lines_to_text([PageLines(title + body, 10.5)])
    assert text.split("\n")[0] == "上海市总工会关于做好2022年职工服务工作的通知"
    same_size = [centred("上海市总工会文件", 740, 10.5), centred("关于做好职工服务工作的通知", 712, 10.5)]
    assert lines_to_text([PageLines(same_size + body, 10.5)])[0].split("\n")[:2] == ["上海市总工会文件", "关于做好职工服务工作的通知"]
    mark = [centred("上海市总工会文件", 760, 30), centred("沪工〔2022〕7号", 712, 16)]
    assert lines_to_text([PageLines(mark + body, 10.5)])[0].split("\n")[:2] == ["上海市总工会文件", "沪工〔2022〕7号"]
    subtitle = [centred("在全市工会工作会议上的讲话", 740, 18), centred("——上海市总工会主席", 712, 18)]
    assert lines_to_text([PageLines(subtitle + body, 10.5)])[0].split("\n")[1] == "——上海市总工会主席"


# -- contents pages ------------------------------------------------------------------

def _lines(*texts: str) -> list[Line]:
    return [Line([Seg(0, 100, 800 - 20 * n, t)], 0) for n, t in enumerate(texts)]


def test_contents_entries_made_up():
    for entry in ("一、背景形势 ..................................... 1", "2.形势分析……………………2",
                  "第三章 保障措施 · · · · · · · · · · 15", "（一）加强组织领导..........12",
                  "附件：任务分解表 ……………………………… iv", "五、部门预算表 ………………………………………"):
        assert is_contents_entry(entry), entry
    for text in ("一、背景形势", "以此类推……", "完成率达到95.5%。", "2021.10.27", "全年共计 3 次"):
        assert not is_contents_entry(text), text
    assert is_contents_entry("一、总体要求    2", under_heading=True)
    assert is_contents_entry("一、总体要求 2", under_heading=True)
    assert not is_contents_entry("一、总体要求    2")


def test_contents_block_is_found_with_heading_wrapped_entries_and_nothing_else():
    lines = _lines("湖北省文物事业发展规划", "目 录", "一、背景形势 ........ 1", "1.“十三五”全省文物事业发展取得",
                   "重大成就 ........ 1", "2.形势分析 ........ 2", "一、背景形势", "文物是荆楚文化的实物见证。")
    assert contents_lines(lines) == {1, 2, 3, 4, 5}
    bare = _lines("目  录", "一、总体要求    1", "二、主要任务    3", "一、总体要求", "正文。")
    assert contents_lines(bare) == {0, 1, 2}
    # two leader lines in running text are not a contents block; body text with leaders neither
    assert contents_lines(_lines("甲 ........ 1", "乙 ........ 2", "正文第一段。", "正文第二段。")) == set()
    form = _lines("参会回执", "单位名称：__________", "联 系 人：__________", "联系电话：__________", "备注：")
    assert contents_lines(form) == set()                # fill-in blanks of a form are not leaders


def test_hf01_no_contents_line_is_a_task():
    res = run("hf01")
    doc = res.rows["documents"][0]
    assert "目 录" not in doc.text and "........" not in doc.text
    tasks = res.rows["tasks"]
    assert not any("...." in t.text or "……" in t.text for t in tasks)
    assert [t.path for t in tasks[:4]] == [["一", "1"], ["一", "2"], ["二", "3"], ["二", "4"]]
    assert tasks[0].title == "“十三五”全省文物事业发展取得重大成就"
    assert len(tasks) <= 70


def test_hf03_contents_block_is_not_tasks():
    tasks = run("hf03").rows["tasks"]
    assert not any("……" in t.text for t in tasks)


# -- reading order against the text layer --------------------------------------------

def _page_texts(key: str) -> tuple[list[str], list[str], list[bool]]:
    """(ours, reference, holds a table) per page, blanks removed; our table rows left out."""
    data = PDFS[key].read_bytes()
    pdf = read_pdf(data, PDFS[key].name, ocr=False)
    ct = clean(pdf.text)
    starts = [ct.from_raw(s) for s in pdf.page_starts] + [len(ct.text)]
    ours, tables = [], []
    for a, b in zip(starts, starts[1:]):
        body = [ln for ln in ct.text[a:b].split("\n") if not is_table_row(ln)]
        ours.append("".join("".join(body).split()))
        tables.append(len(body) < len(ct.text[a:b].split("\n")))
    refs = ["".join(p.split()) for p in PDFS[key].with_suffix(".ref.txt").read_text(encoding="utf-8").split("\f\n")]
    assert len(refs) == len(ours)
    return ours, refs, tables


@pytest.mark.parametrize("key", sorted(PDFS))
def test_clean_text_follows_the_text_layer_reading_order(key):
    ours, refs, tables = _page_texts(key)
    matched = kept = ref_chars = ref_matched = 0
    for o, r, table in zip(ours, refs, tables):
        m = sum(b.size for b in difflib.SequenceMatcher(None, o, r, autojunk=False).get_matching_blocks())
        matched += m
        kept += len(o)
        if o and not table:                  # a page of running text (not tables, not a contents page)
            ref_chars += len(r)
            ref_matched += m
    assert matched / kept >= 0.95            # our characters stand in the text layer's order
    assert ref_matched / ref_chars >= 0.95   # and the text of each page is all there


def test_a_long_title_is_not_joined_to_a_long_recipients_line():
    title = "农业农村部办公厅关于加力推进农机购置与应用补贴“优机优补”“有进有出”的意见"
    recipients = "各省、自治区、直辖市及计划单列市农业农村（农牧）厅（局、委），新疆生产建设兵团农业农村局，广东省农垦总局："
    assert clean(f"{title}\n{recipients}").text == f"{title}\n{recipients}"
    # a body line cut mid-sentence is still joined, 关于 or not
    body = "各街镇总工会要按照区总工会关于做好职工服务工作的要求认真组织开展职工技能培训和劳动竞赛"
    assert clean(f"{body}\n活动，并于10月底前将总结材料报送区总工会办公室。").text.count("\n") == 0


@pytest.mark.parametrize("key", ["hf04", "hf05"])
def test_cover_note_metadata_matches_meta_gold(key):
    """Every field of ../shared/corpus/pdf/meta_gold.json (copied to tests/data/pdf)."""
    import json

    gold = json.loads((DATA / "meta_gold.json").read_text(encoding="utf-8"))[PDFS[key].stem]
    doc = run(key).rows["documents"][0]
    got = {f: (str(getattr(doc, f)) if getattr(doc, f) is not None else None) for f in gold}
    assert got == gold
