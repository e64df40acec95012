"""`notices review`: the highlight markup, the timeline, the pages written from the sample
output (plus a notice carrying `<script>` and a bad file whose name is HTML), file names
that never leave the report folder, the pages' words in Chinese by default and in English
with ``--lang en``. The browser test is in test_review_browser.py."""
from __future__ import annotations

import datetime as dt
import html
import re
import shutil
import subprocess
import sys

import pytest

from pipeline.records import Document
from pipeline.review import build_site, load_bundles, page_name
from pipeline.review.highlight import Span, highlight
from pipeline.review.timeline import timeline_svg
from pipeline.runner import run
from pipeline.store import Store
from pipeline.records import DateKind, Role, TargetKind, Comparator, DocType, Level
from pipeline.review.labels import LABELS, labels
from tests.conftest import RAW_DIR, ROOT, SAMPLE_FILES

EVIL_NAME = "<img src=x onerror=alert(1)>.txt"
TITLE_SCRIPT = "<script>document.title='PWNED'</script>"
BODY_SCRIPT = ("<script>document.body.setAttribute('data-pwned','1')</script>"
               "<img src=x onerror=\"document.body.setAttribute('data-pwned','2')\">")


def make_evil_notice(folder) -> None:
    """A sample notice with scripts in its title and in its first task, and a binary file
    whose name is an HTML tag (it becomes an errors row)."""
    text = (RAW_DIR / "000_9f242943d0fc2fc0.txt").read_text(encoding="utf-8")
    text = text.replace("关于印发《嘉定区2021年第四季度", "关于印发《嘉定区2021年第四季度" + TITLE_SCRIPT, 1)
    text = text.replace("请相关街镇总工会指导督促", "请相关街镇总工会" + BODY_SCRIPT + "指导督促", 1)
    (folder / "evil.txt").write_text(text, encoding="utf-8")
    (folder / EVIL_NAME).write_bytes(b"\x00\x01\x02" * 100)


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    base = tmp_path_factory.mktemp("review")
    src = base / "in"
    src.mkdir()
    for path in SAMPLE_FILES:
        shutil.copy(path, src)
    make_evil_notice(src)
    out = base / "out"
    summary = run([src], out, workers=1)
    assert summary.documents == 6 and summary.errors == 1
    report = base / "report"
    build_site(out, report)
    return out, report


def _strip_tags(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


# -- highlight -------------------------------------------------------------------------

def test_highlight_keeps_every_character_once_and_escapes_it(outputs):
    out, _ = outputs
    bundles, _ = load_bundles(Store(out))
    doc = next(b for b in bundles if TITLE_SCRIPT in b["text"])
    spans = [Span(u["char_start"], u["char_end"], "mark", "hl hl-unit", u["html_id"], (("title", u["name"]),))
             for u in doc["units"]]
    markup, dropped = highlight(doc["text"], spans)
    assert dropped == []
    assert _strip_tags(markup) == doc["text"]
    assert "<script>" not in markup and "&lt;script&gt;document.title" in markup
    assert len(re.findall(r'<mark class="hl hl-unit" id="unit-\d+"', markup)) == len(doc["units"])


def test_crossing_spans_are_split_and_nest():
    text = "甲乙丙丁戊己"
    spans = [Span(0, 4, "mark", "hl hl-a", "a", ()), Span(2, 6, "mark", "hl hl-b", "b", ()),
             Span(1, 2, "mark", "hl hl-c", "c", (("title", 'x"<y>'),)), Span(5, 9, "mark", "hl", "bad", ())]
    markup, dropped = highlight(text, spans)
    assert [s.id for s in dropped] == ["bad"]
    assert _strip_tags(markup) == text
    assert markup == ('<mark class="hl hl-a" id="a">甲<mark class="hl hl-c" id="c" title="x&quot;&lt;y&gt;">乙</mark>'
                      '<mark class="hl hl-b" id="b">丙丁</mark></mark>'
                      '<mark class="hl hl-b hl-cont">戊己</mark>')


# -- timeline --------------------------------------------------------------------------

def test_timeline_draws_one_item_per_dated_mention():
    dates = [
        {"html_id": "date-0", "text": "10月15日前", "start": None, "end": dt.date(2021, 10, 15), "kind": "deadline"},
        {"html_id": "date-1", "text": "10月15日至11月15日", "start": dt.date(2021, 10, 15),
         "end": dt.date(2021, 11, 15), "kind": "period"},
        {"html_id": "date-2", "text": "元旦", "start": dt.date(2022, 1, 1), "end": dt.date(2022, 1, 1), "kind": "point"},
        {"html_id": "date-3", "text": "11月起", "start": dt.date(2021, 11, 1), "end": None, "kind": "start"},
        {"html_id": "date-4", "text": "<b>近期</b>", "start": None, "end": None, "kind": "period"},
    ]
    svg, placed, unplaced = timeline_svg(dates, (dt.date(2021, 10, 1), dt.date(2021, 12, 31)))
    assert [d["html_id"] for d in unplaced] == ["date-4"]
    assert [d["html_id"] for d in placed] == ["date-0", "date-1", "date-3", "date-2"]  # by date
    assert svg.count('<g class="tl-item') == 4
    assert 'class="tl-band"' in svg and "2021-11" in svg
    assert re.search(r'<g class="tl-item tl-deadline" data-item="date-0"><a href="#date-0">.*?<path class="tl-mark"', svg)
    bar = re.search(r'data-item="date-1">.*?<rect class="tl-mark" x="([\d.]+)" y="[\d.]+" width="([\d.]+)"', svg)
    point = re.search(r'data-item="date-2">.*?<circle class="tl-mark" cx="([\d.]+)"', svg)
    assert float(bar.group(1)) < float(point.group(1))  # October before New Year
    assert float(bar.group(2)) > 20  # a month is a visible bar
    assert timeline_svg([dates[-1]])[0] == ""


# -- the site --------------------------------------------------------------------------

def test_site_has_an_index_and_a_page_per_document(outputs):
    out, report = outputs
    store = Store(out)
    docs = store.read_table("documents").to_pylist()
    assert sorted(p.name for p in report.iterdir()) == sorted(["index.html", *(page_name(d["doc_id"]) for d in docs)])
    index = (report / "index.html").read_text(encoding="utf-8")
    for d in docs:
        assert f'href="{page_name(d["doc_id"])}"' in index
    assert "杨浦区总工会常委会2019年工作要点" in index
    assert html.escape(EVIL_NAME) in index and EVIL_NAME not in index  # the error row, escaped
    assert "binary" in index


def test_each_page_highlights_every_item_of_its_document(outputs):
    out, report = outputs
    store = Store(out)
    counts = {}
    for table in ("units", "dates", "targets", "tasks"):
        for row in store.read_table(table).to_pylist():
            counts.setdefault(row["doc_id"], {}).setdefault(table, 0)
            counts[row["doc_id"]][table] += 1
    for d in store.read_table("documents").to_pylist():
        page = (report / page_name(d["doc_id"])).read_text(encoding="utf-8")
        c = counts[d["doc_id"]]
        assert len(re.findall(r'<mark class="hl hl-unit" id="unit-\d+"', page)) == c.get("units", 0)
        assert len(re.findall(r'<mark class="hl hl-date" id="date-\d+"', page)) == c.get("dates", 0)
        assert len(re.findall(r'<mark class="hl hl-target" id="target-\d+"', page)) == c.get("targets", 0)
        assert len(re.findall(r'<tr><td class="path"><a href="#task-\d+">', page)) == c["tasks"]
        text = re.search(r'<div class="doc-text">(.*?)</div>', page, re.S).group(1)
        assert _strip_tags(text) == d["text"]
        assert "<script" not in page and "http://" not in page.replace("http://www.w3.org/2000/svg", "")


def test_scripts_in_a_notice_are_text(outputs):
    out, report = outputs
    evil = next(d for d in Store(out).read_table("documents").to_pylist() if TITLE_SCRIPT in d["text"])
    page = (report / page_name(evil["doc_id"])).read_text(encoding="utf-8")
    assert "<script" not in page and "<img" not in page
    assert html.escape(TITLE_SCRIPT, quote=False) in page
    assert f"<title>{html.escape(evil['title'])} · notices 审阅</title>" in page


def test_page_names_never_leave_the_report_folder(tmp_path):
    assert page_name("d914569f44d05cf3") == "doc-d914569f44d05cf3.html"
    for bad in ("../../etc/passwd", "/tmp/x", "D914569F44D05CF3", "", "a" * 16 + "/b"):
        name = page_name(bad)
        assert re.fullmatch(r"doc-x[0-9a-f]{16}\.html", name), name
    # a document row with a hostile doc_id and source path, committed as `notices run` would
    out = tmp_path / "out"
    now = dt.datetime.now(dt.timezone.utc)
    doc = Document(doc_id="../../escaped", source_path="../../../etc/<b>x</b>.txt", source_format="txt",
                   text="正文<script>x</script>", n_chars=20, pipeline_version="t", processed_at=now)
    with Store(out).locked() as store:
        store.commit({"documents": [doc]}, {})
    report = tmp_path / "site" / "report"
    written = build_site(out, report)
    assert {p.parent for p in written} == {report.resolve()}
    assert sorted(p.name for p in (tmp_path / "site").rglob("*")) == sorted(["report", "index.html", page_name("../../escaped")])
    assert not (tmp_path / "escaped.html").exists()


def test_stale_pages_are_removed_and_the_data_folder_is_refused(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(RAW_DIR / "001_6bd54b02e90ae4ce.txt", src)
    out = tmp_path / "out"
    run([src], out, workers=1)
    report = tmp_path / "report"
    report.mkdir()
    (report / "doc-0123456789abcdef.html").write_text("old", encoding="utf-8")
    (report / "notes.txt").write_text("mine", encoding="utf-8")
    build_site(out, report)
    assert sorted(p.name for p in report.iterdir()) == ["doc-9802b23feb64997c.html", "index.html", "notes.txt"]
    with pytest.raises(ValueError, match="inside the output folder"):
        build_site(out, out / "report")


def test_cli_review(outputs, tmp_path):
    out, _ = outputs
    res = subprocess.run([sys.executable, "-m", "pipeline", "review", "--pred", str(out), "--out", str(tmp_path / "r")],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert "6 document page(s)" in res.stdout and (tmp_path / "r" / "index.html").exists()
    res = subprocess.run([sys.executable, "-m", "pipeline", "review", "--pred", str(tmp_path / "none"),
                          "--out", str(tmp_path / "r2")], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert res.returncode == 2 and "run `notices run` first" in res.stderr and not (tmp_path / "r2").exists()


# -- languages -------------------------------------------------------------------------

def test_pages_are_in_chinese_by_default(outputs):
    out, report = outputs
    index = (report / "index.html").read_text(encoding="utf-8")
    n_rows = Store(out).read_table("errors").num_rows   # the binary file, and quality warnings
    assert '<html lang="zh-CN">' in index and "<h2>文件</h2>" in index and f"错误与警告：{n_rows} 条" in index
    assert ">错误</td>" in index            # the level of the binary file's row
    doc = next(d for d in Store(out).read_table("documents").to_pylist() if d["source_path"].endswith("000_9f242943d0fc2fc0.txt"))
    page = (report / page_name(doc["doc_id"])).read_text(encoding="utf-8")
    assert 'data-label="单位 牵头"' in page and 'data-label="日期 截止"' in page and 'data-label="指标 目标"' in page
    assert "提纲：" in page and "时间轴：" in page and "<dt>发文机关</dt>" in page
    for english in ("UNIT ", "DATE ", "TARGET ", "Outline", "Timeline", "Errors and warnings", "issuer<"):
        assert english not in page, english


def test_lang_en_gives_english_pages(outputs, tmp_path):
    out, _ = outputs
    res = subprocess.run([sys.executable, "-m", "pipeline", "review", "--pred", str(out), "--out", str(tmp_path / "en"),
                          "--lang", "en"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    page = next(p for p in (tmp_path / "en").glob("doc-*.html")
                if "嘉定区2021年第四季度工会重点工作提示》的通知</h1>" in p.read_text(encoding="utf-8"))
    text = page.read_text(encoding="utf-8")
    assert '<html lang="en">' in text and 'data-label="UNIT lead"' in text and "Outline: " in text
    assert "<dt>issuer</dt>" in text and "牵头" not in text.split('<div class="doc-text">')[0]
    with pytest.raises(ValueError, match="unknown language"):
        build_site(out, tmp_path / "fr", lang="fr")
    assert not (tmp_path / "fr").exists()


def test_both_languages_have_every_word_and_chinese_names_every_value():
    def keys(d, prefix=""):
        return {prefix + k for k, v in d.items() if not isinstance(v, dict)} | \
            {x for k, v in d.items() if isinstance(v, dict) and k not in _VALUE_GROUPS for x in keys(v, k + ".")}

    assert keys(LABELS["zh"]) == keys(LABELS["en"])
    closed = {"role": Role, "date_kind": DateKind, "target_kind": TargetKind, "comparator": Comparator,
              "doc_type": DocType, "level": Level}
    assert set(closed) == _VALUE_GROUPS
    for group, literal in closed.items():
        assert set(labels("zh")[group]) == set(literal.__args__), group


_VALUE_GROUPS = {"role", "date_kind", "target_kind", "comparator", "doc_type", "level"}
