"""DOCX reader: the shipped notices rendered as Word files (labels in the text, and
labels as real Word list numbering) give the records of the text version; tables in
pipe form; hostile files refused with a code and an error row."""
from __future__ import annotations

import io
import struct
import zipfile

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from pipeline.ingest import NoticeError, read_bytes, sniff_format
from pipeline.ingest.docx import read_docx
from pipeline.ingest.docx_numbering import format_number
from pipeline.ingest.docx_zip import ZipLimits, check_package, default_limits, read_capped
from pipeline.process import process_bytes
from tests.conftest import RAW_DIR, SAMPLE_FILES
from tests.docx_build import (add_list, docx_from_lines, docx_with_list_numbering, number_paragraph,
                              number_style, to_bytes)
from tests.ingest_compare import record_tuples

NOTICES = SAMPLE_FILES


def _lines(path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")


@pytest.fixture(scope="module")
def text_records():
    return {p.name: record_tuples(process_bytes(p.read_bytes(), p.name)) for p in NOTICES}


@pytest.mark.parametrize("path", NOTICES, ids=lambda p: p.name[:3])
@pytest.mark.parametrize("build", [docx_from_lines, docx_with_list_numbering], ids=["labels_in_text", "word_numbering"])
def test_docx_rendering_gives_the_records_of_the_text_version(path, build, text_records):
    data = build(_lines(path))
    res = process_bytes(data, path.name + ".docx")
    assert res.ok, res.rows["errors"]
    assert res.rows["documents"][0].source_format == "docx"
    expected = text_records[path.name]
    assert expected["tasks"], "the text version must have tasks for the comparison to mean anything"
    assert record_tuples(res) == expected


@pytest.mark.parametrize("path", NOTICES, ids=lambda p: p.name[:3])
def test_word_numbering_labels_are_not_in_the_xml_but_in_the_text(path):
    data = docx_with_list_numbering(_lines(path))
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")
    assert "一、" not in xml and "二、" not in xml
    text = read_docx(data, "n.docx")
    lines = [line for line in text.split("\n") if line.startswith(("一、", "二、"))]
    assert len(lines) == 2


def _task_table_docx() -> bytes:
    d = docx.Document()
    d.add_paragraph("附件")
    d.add_paragraph("任务分解表")
    t = d.add_table(rows=4, cols=5)
    for i, h in enumerate(["序号", "工作任务", "牵头单位", "配合单位", "完成时限"]):
        t.cell(0, i).text = h
    t.cell(1, 0).text = "1"
    t.cell(1, 1).text = "做好职工健康服务点日常运营管理"
    t.cell(1, 3).text = "各街镇  总工会\t"
    t.cell(1, 4).text = "2021年10月15日前"
    t.cell(2, 0).text = "2"
    t.cell(2, 1).text = "做好“两代表一委员”联审工作"
    t.cell(2, 1).add_paragraph("配合速审速报")
    t.cell(2, 3).text = "区委组织部|区人大"
    t.cell(2, 4).text = "2021年11月底前"
    lead = t.cell(1, 2).merge(t.cell(2, 2))          # vertical merge: 牵头单位 of rows 1-2
    lead.text = "区总工会组织部"
    t.cell(3, 0).text = "3"
    t.cell(3, 1).text = "开展“安康杯”竞赛检查评选工作。"
    t.cell(3, 1).add_paragraph("推荐市级优胜单位")
    wide = t.cell(3, 2).merge(t.cell(3, 3))          # horizontal merge: 牵头 + 配合
    wide.text = "区总工会"
    t.cell(3, 4).text = "2021年12月31日前"
    d.add_paragraph("以上任务请抓好落实。")
    return to_bytes(d)


def test_task_breakdown_table_renders_to_pipe_lines_in_document_order():
    text = read_docx(_task_table_docx(), "table.docx")
    assert text.split("\n") == [
        "附件",
        "任务分解表",
        "| 序号 | 工作任务 | 牵头单位 | 配合单位 | 完成时限 |",
        "| 1 | 做好职工健康服务点日常运营管理 | 区总工会组织部 | 各街镇 总工会 | 2021年10月15日前 |",
        "| 2 | 做好“两代表一委员”联审工作；配合速审速报 | 区总工会组织部 | 区委组织部｜区人大 | 2021年11月底前 |",
        "| 3 | 开展“安康杯”竞赛检查评选工作。推荐市级优胜单位 | 区总工会 |  | 2021年12月31日前 |",
        "以上任务请抓好落实。",
    ]


def test_nested_table_is_flattened_into_its_cell_and_grid_before_pads():
    d = docx.Document()
    t = d.add_table(rows=1, cols=2)
    t.cell(0, 0).text = "外层"
    inner = t.cell(0, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "甲单位"
    inner.cell(0, 1).text = "乙单位"
    assert read_docx(to_bytes(d), "n.docx").split("\n") == ["| 外层 | 甲单位；乙单位 |"]


def test_headers_footers_and_deleted_text_are_not_read_inserted_text_is():
    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = "页眉：内部资料"
    d.sections[0].footer.paragraphs[0].text = "- 1 -"
    p = d.add_paragraph("做好换届工作")
    p._p.append(parse_xml(f'<w:del {nsdecls("w")} w:id="1" w:author="a"><w:r><w:delText>删掉的字</w:delText></w:r></w:del>'))
    p._p.append(parse_xml(f'<w:ins {nsdecls("w")} w:id="2" w:author="a"><w:r><w:t>和筹备</w:t></w:r></w:ins>'))
    p.add_run("。")
    text = read_docx(to_bytes(d), "h.docx")
    assert text == "做好换届工作和筹备。"


@pytest.mark.parametrize("n,fmt,expected", [
    (1, "chineseCounting", "一"), (10, "chineseCounting", "十"), (11, "chineseCounting", "十一"),
    (20, "chineseCounting", "二十"), (21, "chineseCounting", "二十一"), (101, "chineseCounting", "一百零一"),
    (110, "chineseCounting", "一百一十"), (5, "chineseLegalSimplified", "伍"), (12, "ideographDigital", "一二"),
    (3, "decimal", "3"), (2, "ideographTraditional", "乙"), (3, "decimalEnclosedCircle", "③"),
    (12, "decimalFullWidth", "１２"), (4, "lowerRoman", "iv"), (28, "upperLetter", "BB"), (7, "decimalZero", "07"),
])
def test_word_number_formats(n, fmt, expected):
    assert format_number(n, fmt) == expected


def test_list_counters_restart_deeper_levels_and_honour_overrides():
    d = docx.Document()
    num = add_list(d, [{"fmt": "chineseCounting", "text": "%1、"},
                       {"fmt": "chineseCounting", "text": "（%2）"},
                       {"fmt": "decimal", "text": "%3."}])
    continuous = add_list(d, [{"fmt": "decimal", "text": "%1、"},
                              {"fmt": "decimal", "text": "%2．", "restart": 0}])
    legal = add_list(d, [{"fmt": "decimal", "text": "%1."}, {"fmt": "decimal", "text": "%1.%2", "suff": "space"}])
    plan = [(num, 0), (num, 1), (num, 2), (num, 2), (num, 1), (num, 2), (num, 0), (num, 1),
            (continuous, 0), (continuous, 1), (continuous, 1), (continuous, 0), (continuous, 1),
            (legal, 0), (legal, 1), (legal, 1)]
    for i, (num_id, level) in enumerate(plan):
        number_paragraph(d.add_paragraph(f"条目{i}"), num_id, level)
    bullet = d.add_paragraph("要点", style="List Bullet")
    assert bullet.text == "要点"
    labels = [line.removesuffix(f"条目{i}") for i, line in enumerate(read_docx(to_bytes(d), "l.docx").split("\n")[:-1])]
    assert labels == ["一、", "（一）", "1.", "2.", "（二）", "1.", "二、", "（一）",
                      "1、", "1．", "2．", "2、", "3．",
                      "1.", "1.1 ", "1.2 "]
    assert read_docx(to_bytes(d), "l.docx").split("\n")[-1] == "要点"  # bullets get no label


def test_heading_style_numbering_labels_headings():
    d = docx.Document()
    num = add_list(d, [{"fmt": "chineseCounting", "text": "%1、"}])
    number_style(d.styles["Heading 1"], num, 0)
    d.add_paragraph("组织工作", style="Heading 1")
    d.add_paragraph("做好职工健康服务点日常运营管理。")
    d.add_paragraph("劳动保护工作", style="Heading 1")
    assert read_docx(to_bytes(d), "s.docx").split("\n") == ["一、组织工作", "做好职工健康服务点日常运营管理。",
                                                         "二、劳动保护工作"]


def test_heading_levels_bound_to_list_levels_by_pstyle():
    d = docx.Document()
    num = add_list(d, [{"fmt": "chineseCounting", "text": "%1、", "pstyle": "Heading1"},
                       {"fmt": "chineseCounting", "text": "（%2）", "pstyle": "Heading2"}])
    number_style(d.styles["Heading 1"], num, None)
    number_style(d.styles["Heading 2"], num, None)
    for text, style in [("组织工作", "Heading 1"), ("健康服务", "Heading 2"), ("换届工作", "Heading 2"),
                        ("劳动保护", "Heading 1"), ("安康杯竞赛", "Heading 2")]:
        d.add_paragraph(text, style=style)
    assert read_docx(to_bytes(d), "p.docx").split("\n") == [
        "一、组织工作", "（一）健康服务", "（二）换届工作", "二、劳动保护", "（一）安康杯竞赛"]


# --- hostile files ---------------------------------------------------------------

def _zip(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, body in members.items():
            zf.writestr(name, body)
    return buf.getvalue()


def _declare_size(data: bytes, member: str, size: int) -> bytes:
    """Rewrite the uncompressed size of ``member`` in the central directory (a lying header)."""
    raw = bytearray(data)
    pos = raw.find(b"PK\x01\x02")
    while pos >= 0:
        name_len = struct.unpack_from("<H", raw, pos + 28)[0]
        if raw[pos + 46:pos + 46 + name_len].decode() == member:
            struct.pack_into("<I", raw, pos + 24, size)
        pos = raw.find(b"PK\x01\x02", pos + 4)
    return bytes(raw)


_SMALL_DOCX = docx_from_lines(["一、组织工作", "1、做好换届工作。"])
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def _with_member(name: str, body: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(_SMALL_DOCX))
    members = {n: src.read(n) for n in src.namelist()}
    members[name] = body
    return _zip(members)


@pytest.mark.parametrize("data,code,words", [
    (b"PK\x03\x04" + b"this is not really a zip" * 20, "corrupt", "ZIP"),
    (_SMALL_DOCX[: len(_SMALL_DOCX) // 2], "corrupt", "ZIP"),
    (_declare_size(_with_member("word/media/image1.png", b"\x89PNG" * 100), "word/media/image1.png", 0xF0000000),
     "zip_bomb", "image1.png"),
    (_with_member("word/media/zeros.bin", b"\x00" * (8 << 20)), "zip_bomb", "compressed"),
    (_zip({"[Content_Types].xml": b"<Types/>", "word/styles.xml": b"<w:styles/>"}), "corrupt", "word/document.xml"),
    (_OLE + "EncryptionInfo".encode("utf-16-le") + "EncryptedPackage".encode("utf-16-le"), "encrypted", "password"),
    (_OLE + "WordDocument".encode("utf-16-le"), "legacy_doc", ".doc"),
    (_OLE, "ole_unsupported", "OLE"),
])
def test_hostile_docx_is_refused_with_a_code_and_an_error_row(data, code, words):
    assert sniff_format(data) == "docx"
    with pytest.raises(NoticeError) as exc:
        read_bytes(data, "bad.docx")
    assert exc.value.code == code
    assert "bad.docx" in exc.value.message and words in exc.value.message
    assert "\n" not in exc.value.message
    res = process_bytes(data, "bad.docx")
    assert not res.ok
    assert [(e.error, e.source_path) for e in res.rows["errors"]] == [(code, "bad.docx")]


def test_sum_of_declared_sizes_is_bounded():
    limits = default_limits()
    each = limits.max_member_bytes - 1            # every entry alone is within bounds
    n = limits.max_total_bytes // each + 1
    src = zipfile.ZipFile(io.BytesIO(_SMALL_DOCX))
    members = {name: src.read(name) for name in src.namelist()}
    members.update({f"word/media/m{i}.bin": b"x" * 64 for i in range(n)})
    data = _zip(members, zipfile.ZIP_STORED)
    for i in range(n):
        data = _declare_size(data, f"word/media/m{i}.bin", each)
    with pytest.raises(NoticeError) as exc:
        check_package(data, "sum.docx", ZipLimits(**{**limits.__dict__, "max_ratio": 1e12}))
    assert exc.value.code == "zip_bomb" and "in all" in exc.value.message


def test_inflating_document_xml_stops_at_the_cap():
    zf = check_package(_SMALL_DOCX, "ok.docx")
    assert read_capped(zf, "word/document.xml", 1 << 20, "ok.docx").startswith(b"<?xml")
    with pytest.raises(NoticeError) as exc:
        read_capped(zf, "word/document.xml", 100, "ok.docx")
    assert exc.value.code == "zip_bomb" and "word/document.xml" in exc.value.message


def test_member_ratio_bound_is_a_setting():
    data = _with_member("word/media/zeros.bin", b"\x00" * (64 << 10))   # ~64 KiB of zeros: below ratio_min
    check_package(data, "ok.docx")
    strict = ZipLimits(**{**default_limits().__dict__, "ratio_min_bytes": 1024, "max_ratio": 50})
    with pytest.raises(NoticeError) as exc:
        check_package(data, "ok.docx", strict)
    assert exc.value.code == "zip_bomb"


def test_damaged_docx_bytes_give_notice_errors_never_crashes():
    """Random byte damage (seeded): every outcome is text or a NoticeError with a code,
    including zip headers that claim an unsupported zip version (NotImplementedError)."""
    import random
    rng = random.Random(10)
    codes = set()
    for _ in range(150):
        data = bytearray(_SMALL_DOCX)
        for _ in range(rng.randint(1, 20)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        try:
            read_bytes(bytes(data), "damaged.docx")
        except NoticeError as exc:
            codes.add(exc.code)
    assert codes and codes <= {"corrupt", "unsupported", "zip_bomb", "empty"}
    version = bytearray(_SMALL_DOCX)
    pos = version.find(b"PK\x01\x02")
    struct.pack_into("<H", version, pos + 6, 0x3FF)        # "version needed to extract": 102.3
    with pytest.raises(NoticeError) as exc:
        read_bytes(bytes(version), "version.docx")
    assert exc.value.code == "corrupt"


_TEXT_BOX_RUN = """<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
 xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"
 xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
 xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
 xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"
 xmlns:v="urn:schemas-microsoft-com:vml">
<mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic><a:graphicData>
<wps:wsp><wps:txbx><w:txbxContent><w:p><w:r><w:t>上海市嘉定区总工会文件</w:t></w:r></w:p></w:txbxContent></wps:txbx></wps:wsp>
</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>
<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>上海市嘉定区总工会文件</w:t></w:r></w:p>
</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"""


def test_text_box_is_read_once_before_its_anchor_paragraph():
    d = docx.Document()
    p = d.add_paragraph("嘉总工〔2021〕24号")
    p._p.insert(0, parse_xml(_TEXT_BOX_RUN))
    d.add_paragraph("关于印发工作提示的通知")
    assert read_docx(to_bytes(d), "box.docx").split("\n") == ["上海市嘉定区总工会文件", "嘉总工〔2021〕24号",
                                                            "关于印发工作提示的通知"]


def test_hostile_grid_span_is_clipped_to_the_column_bound():
    from pipeline.text.table_text import MAX_COLUMNS
    d = docx.Document()
    t = d.add_table(rows=1, cols=2)
    t.cell(0, 0).text = "甲"
    t.cell(0, 1).text = "乙"
    t.cell(0, 0)._tc.get_or_add_tcPr().append(parse_xml(f'<w:gridSpan {nsdecls("w")} w:val="99999999"/>'))
    line = read_docx(to_bytes(d), "span.docx")
    assert line.startswith("| 甲 |  |") and line.count(" | ") == MAX_COLUMNS - 1 and "乙" not in line


def test_task_breakdown_table_in_a_docx_gives_one_task_per_row():
    res = process_bytes(_task_table_docx(), "table.docx")
    tasks = {t.task_id: t for t in res.rows["tasks"]}
    assert [t.path for t in tasks.values()] == [["1"], ["2"], ["3"]]
    units = {(tasks[u.task_id].path[0], u.name, u.role) for u in res.rows["units"]}
    assert {("1", "区总工会组织部", "lead"), ("2", "区总工会组织部", "lead"), ("2", "区委组织部", "partner"),
            ("2", "区人大", "partner"), ("3", "区总工会", "lead")} <= units
    dates = {(tasks[d.task_id].path[0], d.text, str(d.end), d.kind) for d in res.rows["dates"]}
    assert ("2", "2021年11月底前", "2021-11-30", "deadline") in dates
    assert all(t.page is None for t in tasks.values())


@pytest.mark.parametrize("name,data", [
    ("notice.docx", b"Hello, this is plain ASCII text and not a Word document.\n"),
    ("notice.DOCX", "关于做好工作的通知\n一、请各单位报送名单。\n".encode("gb18030")),
    ("notice.docx", b"<!DOCTYPE html><html><body><p>saved as a web page</p></body></html>"),
    ("notice.pdf", b"Hello, this is plain ASCII text and not a PDF.\n"),
])
def test_text_in_a_file_named_docx_or_pdf_is_corrupt(name, data):
    res = process_bytes(data, name)
    assert not res.ok
    assert [(e.error, e.level) for e in res.rows["errors"]] == [("corrupt", "error")]
    assert name in res.rows["errors"][0].message and "not a" in res.rows["errors"][0].message


def test_the_bytes_decide_between_formats_that_are_there():
    assert process_bytes(b"Hello, this is plain ASCII text.\n", "notice.txt").ok        # text named text
    assert process_bytes(_SMALL_DOCX, "notice.doc").ok                                  # a DOCX named .doc
    assert process_bytes(_SMALL_DOCX, "notice.txt").rows["documents"][0].source_format == "docx"
