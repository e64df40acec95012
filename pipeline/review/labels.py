"""The review site's words: Chinese (``zh``, the default: the analysts read Chinese) and
English (``en``, ``notices review --lang en``). Each language has the same keys; values
of the output's closed sets (role, kind, comparator, doc_type, level) have a label each,
and an unknown value is shown as it is."""
from __future__ import annotations

LANGS = ("zh", "en")

LABELS: dict[str, dict] = {
    "zh": {
        "html_lang": "zh-CN",
        "site": "notices 审阅",
        "all_documents": "← 全部文件",
        "documents": "文件",
        "whole_text": "（全文）",
        "unit": "单位", "date": "日期", "target": "指标",
        "meta": {"issuer": "发文机关", "doc_number": "发文字号", "recipients": "主送机关", "issue_date": "成文日期",
                 "period": "规划期", "doc_type": "文种", "attachment_title": "附件", "source_path": "来源文件",
                 "doc_id": "文档编号"},
        "outline": "提纲：{n} 项任务",
        "timeline": "时间轴：{n} 个日期中的 {placed} 个",
        "no_dates": "无日期。",
        "unplaced": "未上时间轴（无具体日期）：",
        "targets": "指标：{n} 项",
        "no_targets": "无指标。",
        "text": "正文",
        "dropped": "{n} 项的位置超出正文，未标出。",
        "errors": "错误与警告：{n} 条",
        "none": "无。",
        "summary": "{docs} 份文件；任务 {tasks}、单位 {units}、日期 {dates}、指标 {targets}；错误与警告 {errors} 条。",
        "cols": {"task": "任务", "tasks": "任务", "section": "所属部分", "title": "标题", "units": "单位", "dates": "日期",
                 "targets": "指标", "text": "原文", "value": "数值", "max": "上限", "unit": "计量单位",
                 "object": "对象", "comparator": "比较", "kind": "类别", "file": "文件", "error": "代码",
                 "level": "级别", "message": "说明", "issuer": "发文机关", "number": "发文字号",
                 "issued": "成文日期", "type": "文种", "errors": "错误/警告"},
        "role": {"lead": "牵头", "partner": "配合", "report_to": "报送", "issuer_of_rule": "发文依据"},
        "date_kind": {"deadline": "截止", "start": "起始", "period": "期间", "point": "时点"},
        "target_kind": {"target": "目标", "achieved": "已完成", "qualifier": "条件", "info": "信息"},
        "comparator": {"eq": "等于", "gte": "不少于", "lte": "不超过", "approx": "约", "range": "区间"},
        "doc_type": {"plan": "计划", "summary": "总结", "notice": "通知"},
        "level": {"error": "错误", "warning": "警告"},
        "by": "截至 {date}", "from": "自 {date}",
        "timeline_aria": "文件日期时间轴",
    },
    "en": {
        "html_lang": "en",
        "site": "notices review",
        "all_documents": "← all documents",
        "documents": "Documents",
        "whole_text": "(whole text)",
        "unit": "UNIT", "date": "DATE", "target": "TARGET",
        "meta": {"issuer": "issuer", "doc_number": "number", "recipients": "recipients", "issue_date": "issued",
                 "period": "period", "doc_type": "type", "attachment_title": "enclosed plan",
                 "source_path": "source", "doc_id": "doc_id"},
        "outline": "Outline: {n} task(s)",
        "timeline": "Timeline: {placed} of {n} date(s)",
        "no_dates": "No dates.",
        "unplaced": "Not on the timeline (no calendar date): ",
        "targets": "Targets: {n}",
        "no_targets": "No targets.",
        "text": "Text",
        "dropped": "{n} item(s) with offsets outside the text were not highlighted.",
        "errors": "Errors and warnings: {n}",
        "none": "None.",
        "summary": "{docs} document(s), {tasks} tasks, {units} units, {dates} dates, {targets} targets, "
                   "{errors} error/warning row(s).",
        "cols": {"task": "task", "tasks": "tasks", "section": "section", "title": "title", "units": "units", "dates": "dates",
                 "targets": "targets", "text": "text", "value": "value", "max": "max", "unit": "unit",
                 "object": "object", "comparator": "comparator", "kind": "kind", "file": "file", "error": "error",
                 "level": "level", "message": "message", "issuer": "issuer", "number": "number",
                 "issued": "issued", "type": "type", "errors": "errors"},
        "role": {},
        "date_kind": {},
        "target_kind": {},
        "comparator": {},
        "doc_type": {},
        "level": {},
        "by": "by {date}", "from": "from {date}",
        "timeline_aria": "timeline of the document's dates",
    },
}


def labels(lang: str) -> dict:
    """The words of ``lang`` (``zh`` or ``en``); ValueError for another language."""
    if lang not in LABELS:
        raise ValueError(f"unknown language {lang!r}: use {' or '.join(LANGS)}")
    return LABELS[lang]


def value(words: dict, group: str, v) -> str:
    """The label of value ``v`` of a closed set (``role``, ``date_kind`` …), else ``v``."""
    return "" if v is None else words[group].get(v, str(v))
