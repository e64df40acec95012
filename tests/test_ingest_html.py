"""HTML reader: a sample notice inside a saved government page (navigation, breadcrumb,
share bar, footer table, scripts) gives the records of the text version, and none of the
page's furniture or script text reaches the document."""
from __future__ import annotations

import codecs
import html

import pytest

from pipeline.ingest import read_bytes, sniff_format
from pipeline.ingest.html import decode_html, read_html
from pipeline.process import process_bytes
from tests.conftest import RAW_DIR, SAMPLE_FILES
from tests.html_build import _br_lines, government_page
from tests.ingest_compare import record_tuples

NOTICES = SAMPLE_FILES
DEBRIS = ["alert(1)", "document.write", "统计代码", "color:red", "上海市总工会门户网站", "工会动态栏目",
          "法规文件栏目", "信息公开目录", "机构职能", "当前位置", "分享到", "微博", "主办单位", "版权所有",
          "沪ICP备", "上一篇", "返回顶部", "请输入关键词"]


@pytest.fixture(scope="module")
def text_results():
    return {p.name: process_bytes(p.read_bytes(), p.name) for p in NOTICES}


def _split_title(lines: list[str], text_result) -> tuple[str, list[str]]:
    """A short first line becomes the page's heading (outside the content block); a long
    one stays in the content and the heading repeats the document title."""
    first = next(i for i, line in enumerate(lines) if line.strip())
    if len(lines[first].strip()) <= 40:
        return lines[first].strip(), lines[first + 1:]
    return text_result.rows["documents"][0].title, lines


@pytest.mark.parametrize("path", NOTICES, ids=lambda p: p.name[:3])
@pytest.mark.parametrize("container", ["trs", "zoom", "density"])
def test_html_page_gives_the_records_of_the_text_version(path, container, text_results):
    title, lines = _split_title(path.read_text(encoding="utf-8").split("\n"), text_results[path.name])
    data = government_page(lines, title, container).encode("utf-8")
    assert sniff_format(data) == "html"
    res = process_bytes(data, path.name + ".html")
    assert res.ok, res.rows["errors"]
    doc = res.rows["documents"][0]
    assert doc.source_format == "html"
    expected = record_tuples(text_results[path.name])
    assert expected["tasks"]
    assert record_tuples(res) == expected
    raw = read_html(data, "p.html")
    notice = path.read_text(encoding="utf-8")
    for word in DEBRIS:
        assert word in data.decode("utf-8") and word not in notice, word
        assert word not in raw, word
        assert word not in doc.text, word


def test_declared_gbk_page_is_decoded_and_a_wrong_declaration_is_survived():
    path = NOTICES[0]
    lines = path.read_text(encoding="utf-8").split("\n")
    page = government_page(lines[1:], lines[0], "zoom", charset="gb2312")
    gbk = page.encode("gb18030")
    assert read_html(gbk, "g.html") == read_html(page.encode("utf-8"), "u.html")
    assert decode_html(gbk, "g.html") == page
    lying = government_page(lines[1:], lines[0], "zoom", charset="utf-8").encode("gb18030")
    assert decode_html(lying, "l.html") == government_page(lines[1:], lines[0], "zoom", charset="utf-8")
    assert decode_html(codecs.BOM_UTF8 + page.encode("utf-8"), "b.html") == page
    assert decode_html(page.encode("utf-8"), "resaved.html") == page   # declares gb2312, holds UTF-8


def test_task_table_in_the_article_renders_as_pipe_lines():
    page = """<html><body><div id="nav">首页 工作动态</div><div id="zoom">
<p>一、重点任务</p><p>请各单位按照任务分解表抓好落实。</p>
<table border="1"><thead><tr><th>序号</th><th>工作任务</th><th>牵头单位</th><th>配合单位</th><th>完成时限</th></tr></thead>
<tbody><tr><td>1</td><td><p>做好职工健康服务点日常运营管理</p></td><td rowspan="2">区总工会组织部</td>
<td>各街镇  	总工会</td><td>2021年10月15日前</td></tr>
<tr><td>2</td><td><p>做好“两代表一委员”联审工作</p><p>配合速审速报</p></td><td>区委组织部|区人大</td><td>2021年11月底前</td></tr>
<tr><td>3</td><td>开展“安康杯”竞赛检查评选工作。<br>推荐市级优胜单位</td><td colspan="2">区总工会</td><td>2021年12月31日前</td></tr>
</tbody></table><p>二、工作要求</p></div></body></html>"""
    assert read_html(page.encode("utf-8"), "t.html").split("\n") == [
        "一、重点任务",
        "请各单位按照任务分解表抓好落实。",
        "| 序号 | 工作任务 | 牵头单位 | 配合单位 | 完成时限 |",
        "| 1 | 做好职工健康服务点日常运营管理 | 区总工会组织部 | 各街镇 总工会 | 2021年10月15日前 |",
        "| 2 | 做好“两代表一委员”联审工作；配合速审速报 | 区总工会组织部 | 区委组织部｜区人大 | 2021年11月底前 |",
        "| 3 | 开展“安康杯”竞赛检查评选工作。推荐市级优胜单位 | 区总工会 |  | 2021年12月31日前 |",
        "二、工作要求",
    ]


def test_segment_breaks_between_chinese_characters_vanish_and_nothing_is_run():
    page = ("<html><body><div class='content'><p>各街镇总工会要于10月15日前\n    报送材料，"
            "<script>alert(1)</script>逾期\n不候。</p><img src='http://example.invalid/x.png' onerror='alert(2)'>"
            "<iframe src='http://example.invalid/'>框架里的字</iframe></div></body></html>")
    assert read_html(page.encode("utf-8"), "s.html") == "各街镇总工会要于10月15日前报送材料，逾期不候。"


def test_page_without_text_is_an_error_row():
    data = b"<!DOCTYPE html><html><head><script>alert(1)</script></head><body><div id='nav'></div></body></html>"
    res = process_bytes(data, "blank.html")
    assert not res.ok and res.rows["errors"][0].error == "empty"
    assert read_bytes(b"<!doctype html><html><body><p>\xe9\x80\x9a\xe7\x9f\xa5</p></body></html>", "a.html").text == "通知"


def test_old_layout_table_page_with_unmarked_navigation_cell(text_results):
    """A 2000s-style page: everything in layout tables, a navigation cell without any
    class or id, the notice in a cell as <br>-separated lines, the title in a ``bt`` cell."""
    path = NOTICES[1]
    title, lines = _split_title(path.read_text(encoding="utf-8").split("\n"),
                                text_results[path.name])
    nav = "".join(f'<a href="/l{i}.htm">{w}</a><br>' for i, w in enumerate(
        ["网站首页栏目", "机构概况栏目", "工会动态栏目", "法规文件栏目", "联系我们栏目"]))
    page = f"""<html><head><meta charset="gbk"></head><body><table width="980"><tr>
<td width="180" valign="top">{nav}</td>
<td><table width="100%"><tr><td class="bt" align="center">{html.escape(title)}</td></tr>
<tr><td style="font-size:14px">{_br_lines(lines)}</td></tr></table></td></tr></table></body></html>"""
    data = page.encode("gb18030")
    text = read_html(data, "old.html")
    assert "栏目" not in text
    res = process_bytes(data, "old.html")
    assert record_tuples(res) == record_tuples(text_results[path.name])


def test_hostile_spans_are_clipped_to_the_column_bound():
    from pipeline.text.table_text import MAX_COLUMNS
    rows = "".join(f"<tr><td colspan='100000' rowspan='100000'>甲{i}</td><td>乙</td></tr>" for i in range(200))
    text = read_html(f"<html><body><table>{rows}</table></body></html>".encode(), "span.html")
    lines = text.split("\n")
    assert len(lines) == 200
    assert all(line.count(" | ") == MAX_COLUMNS - 1 for line in lines)
    assert lines[-1].startswith("| 甲0 |")   # the first cell covers every row below it


def test_aspnet_form_wrapping_the_page_is_kept_hidden_text_is_not():
    body = "".join(f"<p>{i}、各街镇总工会要于10月{i}日前报送第{i}批材料。</p>" for i in range(1, 6))
    page = f"""<html><body><form id="form1" method="post"><input type="hidden" name="__VIEWSTATE" value="abc">
<div class="menu">网站首页栏目</div><div class="main"><div class="content">{body}</div>
<div style="display: none">隐藏的关键词堆砌</div></div></form></body></html>"""
    lines = read_html(page.encode("utf-8"), "form.html").split("\n")
    assert lines == [f"{i}、各街镇总工会要于10月{i}日前报送第{i}批材料。" for i in range(1, 6)]
