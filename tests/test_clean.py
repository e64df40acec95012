"""Clean: debris removed, page breaks joined, every clean character maps back to the raw text."""
from __future__ import annotations

import pytest

from pipeline.clean import clean
from tests.conftest import RAW_DIR, SAMPLE_FILES

RAW = {p.name[:3]: p.read_text(encoding="utf-8") for p in SAMPLE_FILES}


@pytest.mark.parametrize("key", sorted(RAW))
def test_offsets_map_back_to_the_raw_text(key):
    raw = RAW[key]
    ct = clean(raw)
    assert len(ct.raw_offsets) == len(ct.text)
    for i, ch in enumerate(ct.text):
        if ch != "\n":
            assert raw[ct.raw_offsets[i]] == ch
    assert list(ct.raw_offsets) == sorted(ct.raw_offsets)


def test_web_watermark_and_teaser_line_are_removed():
    ct = clean(RAW["002"])
    assert "xiebitongdao" not in ct.text and "携笔同道" not in ct.text
    assert ct.text.startswith("区总工会2021年上半年工作总结和下半年工作打算\n2021年上半年")


def test_word_processor_artefacts_and_markdown_are_removed():
    assert "[bookmark" not in clean(RAW["003"]).text
    text = clean(RAW["001"]).text
    assert "**" not in text and "5、深化非公企业工会改革。推进" in text


def test_page_break_inside_a_sentence_is_joined():
    text = clean(RAW["001"]).text
    assert "推动习近平新时代中国特色社会主义思想在工会系统形成生动实践" in text
    assert "把握意识形态工作主动权" in text
    assert "六、进一步加强自身建设，不断提高工会队伍服务职工的意识和能力\n16、" in text


def test_real_paragraph_breaks_are_kept():
    text = clean(RAW["000"]).text
    assert "上海市嘉定区总工会\n嘉总工〔2021〕24号\n" in text
    assert "一、组织工作\n1、做好职工健康服务点日常运营管理。" in text


@pytest.mark.parametrize("raw,expected", [
    ("首页 > 工作动态 > 通知公告\n一、组织工作\n打印本页 关闭窗口", "一、组织工作"),
    ("发布时间：2021-09-30 来源：区总工会\n1、做好工作。", "1、做好工作。"),
    ("1、开展培训。\n- 3 -\n2、开展竞赛。", "1、开展培训。\n2、开展竞赛。"),
    ("1、开展培训，\n第2页\n组织职工参加。", "1、开展培训，组织职工参加。"),
    ("某某网:www.example.com\n　　一、组织工作　　", "一、组织工作"),
    # page numbers a PDF's text layer wrote with doubled dashes, or lost the dash before
    ("第三十条 参与市场交易的发电企业，\n——13—\n必须在陕西电力交易平台办理注册手续。",
     "第三十条 参与市场交易的发电企业，必须在陕西电力交易平台办理注册手续。"),
    ("1、开展培训，\n23-\n组织职工参加。", "1、开展培训，组织职工参加。"),
    ("1、开展培训，\n-- 36 --\n组织职工参加。", "1、开展培训，组织职工参加。"),
    ("1、开展培训，\n——35一\n组织职工参加。", "1、开展培训，组织职工参加。"),
    # a value alone on a line (a table's cell) is no page number
    ("最低气温（℃）\n-5\n-12", "最低气温（℃）\n-5\n-12"),
])
def test_debris_variants(raw, expected):
    assert clean(raw).text == expected


def test_heading_followed_by_body_is_not_joined():
    raw = "二、工会劳动保护工作\n\n开展“安康杯”竞赛检查评选工作。请各相关直属工会做好自查。"
    assert clean(raw).text == "二、工会劳动保护工作\n开展“安康杯”竞赛检查评选工作。请各相关直属工会做好自查。"


WEB_HEAD = """首页 > 工会动态 > 通知公告
当前位置：首页 >> 通知公告
【字体：大 中 小】【打印本页】【关闭窗口】
发布日期：2021-10-08  来源：区总工会  浏览次数：356
分享到：
"""
WEB_TAIL = """
【打印本页】【关闭窗口】
上一篇：关于开展2021年度职工疗休养的通知
下一篇：关于做好国庆期间安全生产的通知
相关链接：
版权所有©上海市嘉定区总工会  沪ICP备12345678号-1
地址：上海市嘉定区博乐路XX号  邮编：201800
技术支持：XX网络科技有限公司
扫一扫在手机打开当前页
"""


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.stem[:3])
def test_notice_copied_from_a_web_page_with_its_furniture_gives_the_same_records(path):
    from pipeline.process import process_bytes
    from tests.ingest_compare import record_tuples

    text = path.read_text(encoding="utf-8")
    web = process_bytes((WEB_HEAD + text + WEB_TAIL).encode("utf-8"), path.name)
    assert record_tuples(web) == record_tuples(process_bytes(text.encode("utf-8"), path.name))
    for word in ("版权所有", "ICP备", "技术支持", "上一篇", "浏览次数", "打印本页"):
        assert word not in web.rows["documents"][0].text


def _wrap(paragraphs: list[str], width: float, indent: float = 2) -> str:
    """Lay paragraphs out as a printed page does before OCR or a PDF's text layer saved as
    text: each line cut where it would pass ``width`` cells (a CJK character is one cell,
    ASCII half a cell), the first line of a paragraph ``indent`` cells shorter (its indent lost)."""
    lines = []
    for p in paragraphs:
        line, cells, limit = "", 0.0, width - indent
        for ch in p:
            w = 0.5 if ch.isascii() else 1.0
            if cells + w > limit:
                lines.append(line)
                line, cells, limit = "", 0.0, width
            line, cells = line + ch, cells + w
        lines.append(line)
    return "\n".join(lines)


HARD_WRAPPED = [
    "一、加强组织领导",
    "各区人力资源社会保障局要把高校毕业生就业工作摆在突出位置，主要负责同志亲自抓，分管负责同志具体抓，市就业促进中心、市职业技能鉴定中心配合做好相关工作，确保各项措施落地见效。",
    "二、拓宽就业渠道",
    "（一）开发岗位。各区要结合本地产业发展实际，于2024年6月30日前开发不少于500个见习岗位，并将岗位信息报送市人力资源社会保障局汇总后统一发布，接受社会监督。",
    "（二）落实补贴。符合条件的企业吸纳离校两年内未就业高校毕业生，按每人1500元的标准给予一次性吸纳就业补贴，所需资金从就业补助资金中列支，具体办法另行制定。",
    "三、其他未尽事宜按照国家和省有关政策规定执行，执行中遇到的重大问题请及时报告市人力资源社会保障局。",
]


@pytest.mark.parametrize("width", [24, 27, 30, 34])
def test_a_hard_wrapped_copy_gets_its_paragraphs_back(width):
    # each paragraph whole on its line again: names, dates and numbers cut at a line end rejoin
    assert clean(_wrap(HARD_WRAPPED, width)).text.split("\n") == HARD_WRAPPED


def test_hard_wrapped_traditional_script_with_half_width_digits():
    paras = ["（一）各區人力資源社會保障局要於2024年6月30日前開發不少於500個見習崗位，並將崗位信息報送市人力資源社會保障局，統一發布，接受社會監督，確保各項工作落到實處。",
             "（二）符合條件的企業吸納離校兩年內未就業高校畢業生，按每人1500元的標準給予一次性吸納就業補貼，所需資金從就業補助資金中列支，具體辦法另行制定並公布。",
             "（三）各區要建立工作台賬，每月5日前將上月工作進展情況報送市就業促進中心，由市就業促進中心匯總後報市人力資源社會保障局，對工作滯後的區進行通報。",
             "（四）市財政局要會同市人力資源社會保障局加強資金監管，對騙取、套取補貼資金的單位和個人，依法依規追回資金並嚴肅處理，涉嫌犯罪的移送司法機關。",
             "（五）本通知自2024年7月1日起施行，有效期至2026年6月30日。此前有關規定與本通知不一致的，以本通知為準，執行中的問題由市人力資源社會保障局負責解釋。"]
    # a printed line holds more characters where half-width digits stand: cut by display width
    assert clean(_wrap(paras, 28, indent=0)).text.split("\n") == paras


def test_short_lines_of_a_text_that_is_not_hard_wrapped_stay_apart():
    # headings, a list of names and a signature: no common width, nothing joined
    raw = "\n".join(["关于做好2024年高校毕业生就业工作的通知", "各区人力资源社会保障局：", "一、加强组织领导",
                     "二、拓宽就业渠道", "三、强化服务保障", "联系人：张三", "联系电话：12345678",
                     "市人力资源社会保障局", "2024年3月1日"])
    assert clean(raw).text == raw


def test_in_a_hard_wrapped_copy_a_short_line_still_ends_its_paragraph():
    # the last line of a paragraph (short, no sentence end) and a heading are not run on
    raw = _wrap(HARD_WRAPPED, 27)
    text = clean(raw).text
    assert "一、加强组织领导\n各区" in text and "二、拓宽就业渠道\n（一）" in text


def test_a_book_title_mark_that_ocr_read_as_a_bracket_closes_the_title():
    # OCR read 》 as > (or 〉): the title is closed, so the recipients line is not run on into it
    for closer in (">", "〉"):
        raw = (f"关于征求《江苏省电力需求响应实施细则{closer}\n（征求意见稿）意见的函\n"
               "国网江苏省电力有限公司、各有关市场主体：\n现将细则印发给你们，请提出意见。")
        lines = clean(raw).text.split("\n")
        assert "国网江苏省电力有限公司、各有关市场主体：" in lines, lines


def test_a_greater_than_sign_inside_a_line_does_not_close_a_title():
    # only a closer that ends the line stands for an OCR'd 》; markup or a comparison does not
    for head in ("关于印发《嘉定区2021年第四季度<b>重点</b>", "关于印发《嘉定区2021年第四季度>5家企业",
                 "关于印发《财政部关于〈职工疗休养管理办法〉"):
        raw = head + "\n工会重点工作提示》的通知\n各镇总工会：\n现将提示印发给你们。"
        assert clean(raw).text.split("\n")[0] == head + "工会重点工作提示》的通知"


# -- lines that are not lines (tests/specs/clean_lines.jsonl) ----------------------------------
# A web copy that put every inline span (a date's digits, a mark, a run of words) on a line of
# its own, and marks no line starts with (，。）): each case is a copy's lines, whether the copy
# reads as a span copy, and the paragraphs clean gives back (real short lines stay apart).

from pipeline.clean.spans import spans_copy as _spans_copy  # noqa: E402
from tests.conftest import spec_cases, spec_params  # noqa: E402

LINE_CASES = spec_cases("clean_lines.jsonl")


@pytest.mark.parametrize("case", spec_params(LINE_CASES))
def test_clean_lines_spec(case):
    raw = "\n".join(case["input"])
    assert _spans_copy(case["input"]) is case["spans"]
    ct = clean(raw)
    assert ct.text.split("\n") == case["expected"]
    # every clean character is the raw character it maps to (nothing inserted, order kept)
    assert all(ch == "\n" or raw[ct.to_raw(i)] == ch for i, ch in enumerate(ct.text))
    assert list(ct.raw_offsets) == sorted(ct.raw_offsets)


def test_clean_lines_spec_has_span_copies_and_ordinary_ones():
    assert {c["spans"] for c in LINE_CASES} == {True, False}


def _articles(n: int, width: int) -> list[str]:
    """``n`` articles, each under three headings, filling a first line (its indent lost: two
    cells short), two full lines and a few characters of a fourth, then an item of one first
    line and a short closing sentence: the full lines and the two cells shorter first lines
    are as common, each fewer than a quarter of the lines; then a paragraph whose last line
    stops one cell short of the width."""
    cn = "一二三四五六七八九十"
    body = ("市场运营机构应当按照规定的程序和时限组织开展交易申报、出清和结算工作并及时向市场主体发布相关信息"
            "接受能源监管机构的监督检查和社会监督对违反规定的行为依法依规予以处理并将处理结果向社会公开")
    item = ("（一）发电企业按照规定参与市场交易并执行调度指令和出清结果" * 2)[:width - 3] + "。"
    out = []
    for k in range(n):
        head = f"第{cn[k]}条 "          # 3.5 cells
        size = round(3 * width - 2 - 3.5) + 3 + k     # a first line, two full lines, 3 + k characters
        out += [f"第{cn[k]}章 一般规定", f"第{cn[k]}节 市场成员", "一、市场主体",
                head + body[k:k + size - 1] + "。", item, "本条自公布之日起施行。"]
    return out + [("本规则由国家能源局派出机构负责解释，自发布之日起施行，此前有关规定与本规则不一致的以本规则为准" * 2)
                  [:2 * width - 4] + "。"]


@pytest.mark.parametrize("width", [24, 26, 28])
def test_hard_wrapped_articles_whose_first_lines_lost_their_indent(width):
    # as many lines two cells short (an article's first line) as full ones: the page width is
    # the full lines', and they are cut lines (the commonest width alone would stop short of it)
    paras = _articles(8, width)
    assert clean(_wrap(paras, width)).text.split("\n") == paras


@pytest.mark.parametrize("width", [26, 28])
def test_hard_wrapped_articles_whose_label_lost_its_blank(width):
    # 第十四条　采用… printed: the copy lost the indent and the full-width blank after the label
    # (a half-width one or none left), so an article's first line is shorter than a paragraph's
    cn = "一二三四五六七八九十"
    body = ("采用按日申报模式，调峰服务提供方于每天十二时前申报下一个运行日交易数据，若无修改则沿用上一天申报数据，"
            "超过规定时间申报的延后一个运行日生效，燃煤机组以机组为单位进行数据申报并对申报数据的真实性负责。")
    paras = [f"第{cn[k]}条 {body[k:]}" for k in range(6)]
    raw = _wrap(paras, width, indent=3.5)
    assert clean(raw).text.split("\n") == paras


def test_page_number_next_to_a_page_marker_across_blank_lines():
    # an OCR copy: the page's printed number, blank lines, the converter's marker of the next
    # page; the number goes whatever blank lines stand between (and only blank lines)
    raw = "（一）按照规则参与电力交易，签订和履行各类交易合同，\n2\n\n\n--- 第 3 页 OCR ---\n\n按时完成电费结算；\n"
    assert clean(raw).text == "（一）按照规则参与电力交易，签订和履行各类交易合同，按时完成电费结算；"
    # a year alone before a marker is no page number (it is above the marker's page)
    assert "2024" in clean(raw.replace("\n2\n", "\n2024\n")).text


@pytest.mark.parametrize("text, open_", [
    ("为贯彻落实《关于进一步深化电力体制改革的若干意见", True),
    ("服务水平持续优化用电营商环境的意见》（发改能源规", True),      # 》 closes a 《 of the line before
    ("2．《福建省电力调峰辅助服务交易规则（试行）（2020年修订版》》修订说明", False),   # OCR: 》 for ）
    ("关于（试行）(2020年修订版））", True),                      # ( and （ are one kind, mixed not swapped
    ("依据《电力中长期交易基本规则》（发改能源规", True),
])
def test_unbalanced_reads_a_swapped_closer_as_the_missing_one(text, open_):
    from pipeline.clean.lines import unbalanced
    assert unbalanced(text) is open_


def test_signature_after_an_attachment_title_with_a_misread_closer_stays_apart():
    # the attachment list's last title holds （…》 (OCR read ） as 》): the signature and the
    # date below it are no continuation of a bracket left open
    raw = ("附件：1．《福建省电力调峰辅助服务交易规则（试行）》\n"
           "2．《福建省电力调峰辅助服务交易规则（试行）（2020年修订版》》修订说明\n"
           "国家能源局福建监管办公室\n2020年5月21日\n")
    assert clean(raw).text.split("\n")[-2:] == ["国家能源局福建监管办公室", "2020年5月21日"]


def test_blanks_at_full_width_marks_are_no_part_of_the_text():
    # a PDF text layer's justification gaps at marks: a full-width mark holds its own spacing
    assert clean("各电网企业、 电力调度机构、 电力交易机构开展自查， 认真总结。").text == "各电网企业、电力调度机构、电力交易机构开展自查，认真总结。"
    assert clean("南方区域能源监管机构 （以下简称“监管机构”） 负责解释。").text == "南方区域能源监管机构（以下简称“监管机构”）负责解释。"
    assert clean("一、\u3000加强组织领导").text == "一、加强组织领导"
    assert clean("（ 1 ） 满 足 参 与 条 件 的 主 体 可 自 行 申 请").text == "（1）满足参与条件的主体可自行申请"   # letter-spaced
    assert clean("到 2020 年，请于 2021 年 6 月 20 日前提交，规模 50 万千瓦").text == "到2020年，请于2021年6月20日前提交，规模50万千瓦"
    assert clean("华东  220").text == "华东  220"        # cells of a table copied with blanks
    # a blank between words, or after a label, stays
    for kept in ("燃煤机组 AGC控制时的标准调节速率", "第五十八条  电力交易机构根据月度保障性收购小时数",
                 "国家发展改革委 国家能源局关于印发方案的通知", "工作提示单(国庆 中秋期间)"):
        assert clean(kept).text == kept


def test_pdf_text_lines_with_gaps_at_marks_still_run_to_the_page_width():
    # a hard-wrapped PDF text layer, 28 cells a line; a line holding gaps at marks
    # (“要求， 认真”) is as full as the others and runs on into the next line (its gaps removed)
    body = ("各单位要加强组织领导加强协同配合按照方案要求认真履行职责细致做好各项监管内容的摸查工作深入自查整改"
            "对现场监管发现的问题要逐条整改落实并建立整改台账明确整改责任人和整改时限确保整改工作取得实效") * 4
    lines = [body[i:i + 28] for i in range(0, len(body) - 28, 28)]
    assert len(lines) >= 12
    t = lines[5]
    lines[5] = t[:9] + "， " + t[10:17] + "， " + t[18:25] + "、 " + t[26:]     # 28 glyphs, 29.5 cells if gaps counted
    raw = "\n".join(lines) + "。\n二、其他事项\n"
    assert clean(raw).text.split("\n") == ["".join(lines).replace(" ", "") + "。", "二、其他事项"]
