"""OCR of pictures of text: a scan (hf06's first two pages, against a transcription made
by reading the page images), a picture page inside a text PDF, an image file; OCR off,
missing, out of time or failing on a page. ``make test`` OCRs three pages in all (about
half a minute on two shared cores); whole documents (hf01 with its cover, all of hf06)
run only under ``make stress`` (HYPOTHESIS_PROFILE=stress)."""
from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from pipeline import config
from pipeline.clean import clean
from pipeline.ingest import NoticeError, ocr, read_bytes
from pipeline.process import process_bytes
from tests.conftest import SAMPLE_FILES
from tests.pdf_build import FONT, notice_pdf

DATA = Path(__file__).resolve().parent / "data" / "pdf"
SCAN = DATA / "hf06_p1-2.pdf"
# ../shared beside the checkout (a worktree sits one level deeper)
SHARED = next((p / "shared" / "corpus" / "pdf" for p in Path(__file__).resolve().parents[1:4]
               if (p / "shared" / "corpus" / "pdf").is_dir()), Path("shared/corpus/pdf"))

pytestmark = pytest.mark.skipif(not ocr.available(), reason="the [ocr] extra is not installed")
stress_only = pytest.mark.skipif(os.environ.get("HYPOTHESIS_PROFILE") != "stress",
                                 reason="OCR of a whole document takes minutes: make stress")


def roomy():
    """Limits with time for OCR on a busy machine (a test is not the place to hit the bound)."""
    return config.using(config.Limits(timeout_s=900))


def char_accuracy(ref: str, got: str) -> float:
    """1 - edit distance / len(ref), blanks removed."""
    a, b = "".join(ref.split()), "".join(got.split())
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return 1 - prev[-1] / len(a)


class Rows:
    """The rows of one document read back from a run's output (plain dicts as attributes)."""

    def __init__(self, out: Path):
        from types import SimpleNamespace

        from pipeline.store import Store

        store = Store(out)
        self.tables = {t: [SimpleNamespace(**r) for r in store.read_table(t).to_pylist()]
                       for t in ("documents", "tasks", "errors")}


@pytest.fixture(scope="module")
def scan_run(tmp_path_factory):
    """``notices run`` on the two-page scan: OCR in a worker process, under its bounds (the
    worker loads the OCR engine before its memory bound is taken: the engine's libraries
    and thread pools are some 900 MB of address space, more than one file's share)."""
    from typer.testing import CliRunner

    from pipeline.cli import app

    root = tmp_path_factory.mktemp("scan")
    (root / "in").mkdir()
    (root / "in" / SCAN.name).write_bytes(SCAN.read_bytes())
    res = CliRunner().invoke(app, ["run", str(root / "in"), "--out", str(root / "out"), "--quiet",
                                   "--workers", "1", "--timeout", "900"])
    assert res.exit_code == 0, res.output
    return Rows(root / "out"), root


def test_scan_is_read_by_ocr_word_for_word(scan_run):
    rows = scan_run[0].tables
    assert {e.error for e in rows["errors"]} <= {"no_issue_date"}     # pp.1-2 hold no date: a quality remark
    doc, = rows["documents"]
    assert doc.source_format == "pdf" and doc.n_pages == 2
    assert doc.text_source == "ocr" and 0.9 <= doc.ocr_confidence <= 1.0
    ref = (DATA / "hf06_p1-2.transcription.txt").read_text(encoding="utf-8")
    assert char_accuracy(ref, doc.text) >= 0.97
    assert "扫描全能王" not in doc.text and "1一" not in doc.text     # watermark and page numbers are furniture
    # lines were joined into paragraphs, headings stand alone
    assert "\n一、总体要求\n以习近平新时代中国特色社会主义思想为指导，全面贯彻落实党的二十大" in doc.text


def test_scan_has_tasks_on_their_pages(scan_run):
    rows = scan_run[0].tables
    tasks = rows["tasks"]
    assert [list(t.path) for t in tasks] == [["一"], ["二", "一"]]
    assert tasks[0].page == 1 and tasks[1].page == 2
    assert tasks[1].title == "建立区域协作和分区推进机制"
    doc, = rows["documents"]
    assert doc.recipients and doc.recipients.startswith("各省、自治区、直辖市及计划单列市农业农村（农牧）厅")


def test_run_with_no_ocr_leaves_the_scan_unread(scan_run, tmp_path):
    from typer.testing import CliRunner

    from pipeline.cli import app

    res = CliRunner().invoke(app, ["run", str(scan_run[1] / "in"), "--out", str(tmp_path), "--quiet", "--no-ocr"])
    assert res.exit_code == 1
    err, = Rows(tmp_path).tables["errors"]
    assert err.error == "no_text_layer" and "OCR is off" in err.message


def test_scan_with_ocr_off_is_no_text_layer_with_its_page_count():
    with config.using(config.Limits(ocr=False)):
        res = process_bytes(SCAN.read_bytes(), SCAN.name)
    err = res.rows["errors"][0]
    assert not res.ok and err.error == "no_text_layer"
    assert "2 page(s)" in err.message and "OCR is off" in err.message


def test_scan_without_the_extra_is_ocr_unavailable(monkeypatch):
    monkeypatch.setattr(ocr, "available", lambda: False)
    res = process_bytes(SCAN.read_bytes(), SCAN.name)
    err = res.rows["errors"][0]
    assert not res.ok and err.error == "ocr_unavailable" and "notices[ocr]" in err.message


def test_ocr_stops_at_the_time_bound():
    with config.using(config.Limits(timeout_s=0.001)):
        with pytest.raises(NoticeError) as exc:
            read_bytes(SCAN.read_bytes(), SCAN.name)
    assert exc.value.code == "no_text_layer" and "time bound" in exc.value.message


# -- a picture page inside a text PDF, an image file ------------------------------------

PICTURE_LINES = ["上海市嘉定区总工会文件", "嘉工〔2022〕7号"]


def picture_png() -> bytes:
    """A small picture of two lines of a red header (as a scanner would give it)."""
    import pypdfium2 as pdfium
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(420, 110))
    c.setFont(FONT, 26)
    c.drawCentredString(210, 62, PICTURE_LINES[0])
    c.setFont(FONT, 16)
    c.drawCentredString(210, 20, PICTURE_LINES[1])
    c.save()
    img = pdfium.PdfDocument(buf.getvalue())[0].render(scale=2).to_pil()
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def mixed_pdf(png: bytes) -> bytes:
    """The picture as page 1, then a sample notice's text pages."""
    import pypdfium2 as pdfium
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.drawImage(ImageReader(io.BytesIO(png)), 90, 600, 420, 110)
    c.showPage()
    c.save()
    doc = pdfium.PdfDocument(buf.getvalue())
    doc.import_pages(pdfium.PdfDocument(notice_pdf(SAMPLES_TEXT)))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


SAMPLES_TEXT = SAMPLE_FILES[0].read_text(encoding="utf-8")


def test_picture_page_in_a_text_pdf_is_read_and_the_document_is_mixed():
    with roomy():
        res = process_bytes(mixed_pdf(picture_png()), "mixed.pdf")
    assert res.ok and not res.rows["errors"]
    doc = res.rows["documents"][0]
    assert doc.text_source == "mixed" and doc.ocr_confidence >= 0.9
    head = "".join(doc.text.split("\n")[:2])
    assert char_accuracy("".join(PICTURE_LINES), head) >= 0.9
    assert doc.doc_number == "嘉工〔2022〕7号"
    assert record_count(res, "tasks") == record_count(process_bytes(SAMPLE_FILES[0].read_bytes(), "t.txt"), "tasks")


def record_count(res, table: str) -> int:
    return len(res.rows[table])


def test_image_file_is_read_by_ocr(monkeypatch):
    png = picture_png()
    with roomy():
        res = process_bytes(png, "header.png")
    assert res.ok, res.rows["errors"]
    doc = res.rows["documents"][0]
    assert doc.source_format == "image" and doc.text_source == "ocr" and doc.n_pages == 1
    assert char_accuracy("".join(PICTURE_LINES), doc.text) >= 0.9
    monkeypatch.setattr(ocr, "available", lambda: False)
    assert process_bytes(png, "header.png").rows["errors"][0].error == "ocr_unavailable"


def test_broken_image_is_corrupt():
    res = process_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, "broken.png")
    assert res.rows["errors"][0].error == "corrupt"


def test_a_page_ocr_cannot_read_is_a_warning(monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("bad image")

    monkeypatch.setattr(ocr, "read_page", fail)
    res = process_bytes(mixed_pdf(picture_png()), "mixed.pdf")
    assert res.ok
    doc = res.rows["documents"][0]
    assert doc.text_source == "text_layer" and doc.ocr_confidence is None
    warnings = [(e.error, e.message) for e in res.rows["errors"]]
    assert warnings == [("partial_text", "mixed.pdf: warning: page(s) 1 of %d are pictures without a text layer "
                         "(OCR failed (RuntimeError)); their text is missing" % doc.n_pages)]


def test_ocr_text_gets_full_width_punctuation_between_chinese_characters():
    assert ocr.normalise_ocr_text("农业农村(农牧)厅(局、委),新疆:") == "农业农村（农牧）厅（局、委），新疆："
    assert ocr.normalise_ocr_text("（二)建立机制") == "（二）建立机制"
    assert ocr.normalise_ocr_text("(3) 1:2, a;b") == "(3) 1:2, a;b"
    assert ocr.normalise_ocr_text('《发展“十四五"规划》，"优机"') == "《发展“十四五”规划》，“优机”"
    assert ocr.normalise_ocr_text('say "hi"') == 'say "hi"'


def test_red_ink_is_read_through_a_second_pass_from_the_red_channel():
    import numpy as np

    page = np.full((40, 40, 3), 255, dtype=np.uint8)
    assert ocr.red_mask(page) is None
    page[10:20, 10:20] = (30, 30, 220)                 # BGR red: a seal
    assert ocr.red_mask(page) is not None
    a = ocr.OcrLine(100, 10, 300, 40, "湖", 0.9)
    b = ocr.OcrLine(100, 12, 400, 40, "湖北省文化和旅游厅", 0.95)
    c = ocr.OcrLine(100, 60, 300, 90, "2021年10月", 0.9)
    d = ocr.OcrLine(100, 200, 300, 230, "联系人", 0.9)
    merged = ocr.merge_passes([a, c], [b, ocr.OcrLine(100, 60, 300, 90, "2021年10月27日", 0.9), d])
    assert [m.text for m in merged] == ["湖北省文化和旅游厅", "2021年10月27日", "联系人"]
    assert [m.text for m in ocr.merge_passes([b], [a])] == ["湖北省文化和旅游厅"]   # the longer reading stays


def test_ocr_switch_in_the_limits_and_settings_file(tmp_path):
    assert config.load_limits(ocr=False).ocr is False and config.load_limits().ocr is True
    f = tmp_path / "notices.toml"
    f.write_text("[limits]\nocr = false\n")
    assert config.load_limits(f).ocr is False
    f.write_text("[limits]\nocr = 1\n")
    with pytest.raises(config.ConfigError, match="limits.ocr"):
        config.load_limits(f)


# -- whole documents: make stress ------------------------------------------------------

@stress_only
def test_hf01_cover_is_ocred_and_gives_issuer_and_doc_number():
    path = DATA / "hf01_hubei_wenlv_shisiwu_guihua.pdf"
    with roomy():
        res = process_bytes(path.read_bytes(), path.name)
    doc = res.rows["documents"][0]
    assert doc.text_source == "mixed" and not res.rows["errors"]
    assert doc.doc_number == "鄂文旅办发〔2021〕38号"
    assert doc.issuer and doc.issuer.startswith("湖北省文化和旅游厅")
    assert doc.title == "省文化和旅游厅关于印发《湖北省文物事业发展“十四五”规划》的通知"
    assert str(doc.issue_date) == "2021-10-27"        # the date under the red seal
    assert not any("...." in t.text for t in res.rows["tasks"])


@stress_only
@pytest.mark.skipif(not (SHARED / "hf06_nongyebu_nongji_butie_yijian_scan.pdf").exists(), reason="no shared corpus")
def test_hf06_whole_scan_has_its_outline():
    path = SHARED / "hf06_nongyebu_nongji_butie_yijian_scan.pdf"
    with roomy():
        res = process_bytes(path.read_bytes(), path.name)
    doc = res.rows["documents"][0]
    assert doc.n_pages == 8 and doc.text_source == "ocr" and not res.rows["errors"]
    paths = [t.path for t in res.rows["tasks"]]
    assert ["二", "一"] in paths and any(p[0] == "三" for p in paths)
    assert "农业农村部办公厅 2025年1月24日印发" in doc.text or "2025年1月24日印发" in doc.text



def _scan_under_a_long_watermark(pages: int = 2) -> bytes:
    """hf06's first pages as smaller pictures (a third of the page) under a scanner app's
    watermark longer than a picture page's text layer may be: the text layer is furniture."""
    import pypdfium2 as pdfium
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    src = pdfium.PdfDocument(SCAN.read_bytes())
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for i in range(pages):
        c.drawImage(ImageReader(src[i].render(scale=1.5).to_pil()), 40, 200, A4[0] * 0.6, A4[1] * 0.6)
        c.setFont(FONT, 8)
        c.drawString(60, 20, "扫描全能王 创建 " * 6)
        c.showPage()
    c.save()
    return buf.getvalue()


def test_scan_under_a_long_watermark_is_no_text_layer_not_empty(monkeypatch):
    """The watermark is all its text layer holds, and furniture: with OCR off or missing the
    file is a scan (no_text_layer, ocr_unavailable), not an empty file; with OCR it is read."""
    data = _scan_under_a_long_watermark()
    with config.using(config.Limits(ocr=False)):
        err = process_bytes(data, "wm.pdf").rows["errors"][0]
    assert err.error == "no_text_layer" and "OCR is off" in err.message
    with roomy():
        res = process_bytes(data, "wm.pdf")
    assert res.ok and res.rows["documents"][0].text_source == "ocr"
    assert "农机" in res.rows["documents"][0].text
    monkeypatch.setattr(ocr, "available", lambda: False)
    err = process_bytes(data, "wm.pdf").rows["errors"][0]
    assert err.error == "ocr_unavailable"
