"""Outline: clean text -> the numbered tasks of the document (GUIDELINES §2).

``parse_outline(text)`` returns ``Outline(tasks, has_structure)``. Paragraphs are the
lines of the clean text. A paragraph that starts with a numbering label (see
``labels.py``) opens an item; its level comes from the order in which styles first
appear (the first style is the top, a new style goes one level deeper, a known style
closes the deeper ones), so continuous and restarting numbers and every style mix
work the same way. Tasks are the leaves of that tree: the lowest numbered items, and
sections without items (whose body paragraphs then form the task). In regulations
(``第一条``) articles are the items and lists inside an article stay in it.
Preamble, contact lines, the attachment list, signatures and 印发/抄送 lines belong
to no task (``models/structure/furniture.yaml``). A text with no numbered items is
one task with ``path == []``.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache

from ..text.table_text import is_table_row
from ..lexicon import load_yaml
from ..textview import matching_view
from ..text.edges import first_class, lines_with
from .headings import drop_reference_labels
from ..text.labels import Label, inline_in_article, label_candidates, match_label
from ..text.punctuation import HALF_TO_FULL, char_class, without_mark_blanks

# the marks (models/text/punctuation.yaml): a sentence ends at a stop; a heading holds no
# full-width sentence end; a contents entry holds no 。 and no semicolon (it may ask a
# question: 如何申报？)
_SENTENCE_STOP = re.compile(char_class("stops"))
_FULL_STOP = re.compile(char_class("stops", wide_only=True))
_HEADING_BREAK = re.compile(char_class("sentence_end", wide_only=True))
_CONTENTS_BREAK = re.compile("。|" + char_class("semicolons"))
_CLAUSE = re.compile(char_class("commas", wide_only=True))


@dataclass(frozen=True)
class TaskSpan:
    path: tuple[str, ...]
    section: str | None
    title: str | None
    char_start: int   # start of the task text in the clean text
    char_end: int
    label_start: int | None = None  # where the label of the item starts (None for path [])


@dataclass(frozen=True)
class Outline:
    tasks: tuple[TaskSpan, ...]
    has_structure: bool


@dataclass(slots=True)
class _Para:
    start: int
    end: int
    text: str
    label: Label | None = None
    stop: bool = False
    table: bool = False


@dataclass
class _Node:
    para: _Para
    label: Label
    level: int
    path: tuple[str, ...]
    parent: "_Node | None"
    at: int                      # the index of its paragraph
    body: list[_Para] = field(default_factory=list)
    children: list["_Node"] = field(default_factory=list)


@lru_cache(maxsize=1)
def _furniture():
    cfg = load_yaml("structure/furniture.yaml")
    stop = re.compile("|".join(f"(?:{p})" for p in [cfg["contact"]] + cfg["stop"]))
    org = load_yaml("text/org_heads.yaml")
    heads = "|".join(map(re.escape, sorted(org["heads"], key=len, reverse=True)))
    return (stop, re.compile(cfg["signature_org"].replace("{heads}", heads)), re.compile(cfg["attachment_heading"]),
            re.compile(cfg["attachment_word"]))


@lru_cache(maxsize=1)
def _starts():
    """The first characters of the attachment heading and word, and of an attachment's or the
    contents' heading: the paragraphs starting otherwise match none of them (edges.py)."""
    _, _, attach, attachment_word = _furniture()
    start, _, contents, _, _, _ = _annexes()
    return first_class(attach), first_class(attachment_word), first_class(start), first_class(contents)


def _may_start(views: list[str], first) -> list[int]:
    """The indexes of ``views`` whose first character ``first`` lets through, in order."""
    return lines_with(views, first)


@lru_cache(maxsize=1)
def _annexes():
    cfg = load_yaml("structure/furniture.yaml")
    endings = "|".join(map(re.escape, sorted(cfg["form_endings"], key=len, reverse=True)))
    body_words = re.compile("|".join(map(re.escape, cfg["body_attachment_words"])))
    return (re.compile(cfg["attachment_start"]), re.compile(rf"(?:{endings})(?:[（(][^）)]*[）)])?$"),
            re.compile(cfg["contents_heading"]), re.compile(cfg["contents_line"]), body_words,
            re.compile(cfg["attachment_list"]))


def _mark_forms_and_contents(paras: list[_Para], views: list[str]) -> None:
    """Forms enclosed as attachments (附件2 / 报名表), annexes after a body with items of its
    own (an explanation, a report outline) and contents pages (目录 and its entries) belong
    to no task; an enclosed plan or rules after a cover note is the body."""
    start, form_end, contents, contents_line, body_words, attachment_list = _annexes()
    _, _, start_first, contents_first = _starts()
    openers = sorted(set(_may_start(views, start_first)) | set(_may_start(views, contents_first)))
    i = 0
    while i < len(paras):
        k = bisect_left(openers, i)     # (a paragraph that can open neither is passed by)
        if k == len(openers):
            break
        i = openers[k]
        v = views[i]
        m = start.match(v)
        if m and not attachment_list.match(v):      # not the attachment list
            title = m.group("rest").strip() or (views[i + 1] if i + 1 < len(paras) else "")
            items_before = sum(1 for p in paras[:i] if p.label and not p.label.inline and not p.stop)
            # (an enclosed plan or rules after a cover note is the body: the note names it, or holds
            # a few items at most; after a body of its own, 附件3：…计算规则 is an annex)
            annex = items_before > 0 and not (body_words.search(title) and (
                items_before <= _cover_note_items() or _named_before(title, views[:i])))
            if annex or form_end.search(title.strip().rstrip("：:")):
                j = i + 1
                while j < len(paras) and not (start.match(views[j]) and j > i + 1):
                    paras[j].stop = True
                    j += 1
                paras[i].stop = True
                i = j
                continue
        if contents.match(v.replace(" ", "")):
            # the entries: short lines without a sentence (an entry, its leader and its page
            # number may each stand on a line of their own), up to where the first entry
            # comes back as the body's heading
            paras[i].stop = True
            first = re.sub(r"[\s.．·…⋯\d]+$", "", views[i + 1]).replace(" ", "") if i + 1 < len(paras) else ""
            j = i + 1
            while j < len(paras) and len(views[j]) <= 40 and not _CONTENTS_BREAK.search(views[j]):
                if j > i + 1 and first and views[j].replace(" ", "").startswith(first) \
                        and not contents_line.match(views[j]):
                    break
                paras[j].stop = True
                j += 1
            i = j
            continue
        i += 1


@lru_cache(maxsize=1)
def _cover_note_items() -> int:
    return load_yaml("structure/furniture.yaml").get("cover_note_items", 6)


def _named_before(title: str, views: list[str]) -> bool:
    """Is the attachment titled ``title`` the document the text before it issues: named there
    (印发《X》, 制定了《X》, the attachment list's 附件：X)? An annex of a plan (附件3：基线电量、响应
    容量、补贴资金计算规则) is named nowhere before it."""
    name = _comparable(title).rstrip("：:")
    return bool(name) and name in _comparable("".join(views))


_TO_FULL = str.maketrans(HALF_TO_FULL)
_NOT_COMPARED = re.compile(r"[\s《》<>〈〉]")


def _comparable(text: str) -> str:
    """``text`` without blanks and title marks, half-width marks read as full-width ones."""
    return _NOT_COMPARED.sub("", text.translate(_TO_FULL))


def _paragraphs(text: str) -> list[_Para]:
    paras, pos = [], 0
    for line in text.split("\n"):
        body = line.strip()
        if body:
            lead = 0 if len(body) == len(line) else len(line) - len(line.lstrip())
            paras.append(_Para(pos + lead, pos + lead + len(body), body))
        pos += len(line) + 1
    return paras


@lru_cache(maxsize=1)
def _contact() -> tuple[re.Pattern, int, re.Pattern]:
    cfg = load_yaml("structure/furniture.yaml")
    return re.compile(cfg["contact"]), cfg.get("contact_item_max", 60), re.compile(cfg["contact_detail"])


def _contact_item(view: str, label_end: int) -> bool:
    """Is the numbered paragraph ``view`` only a contact line after its label ((四)联系邮箱：…)?"""
    contact, longest, detail = _contact()
    rest = view[label_end:].strip()
    return len(rest) <= longest and contact.match(rest) is not None and detail.search(rest) is not None \
        and not _FULL_STOP.search(rest.rstrip("。"))


def _mark_furniture(paras: list[_Para], views: list[str], rows: bool) -> None:
    """(``views``: each paragraph's matching view; ``rows``: the text may hold a table row.)"""
    stop, sig_org, attach, attachment_word = _furniture()
    attach_first, word_first, _, _ = _starts()
    stops = [stop.match(v) is not None for v in views]
    stops.append(False)
    headings = {i for i in _may_start(views, attach_first) if attach.match(views[i])}
    for i, p in enumerate(paras):
        table = rows and is_table_row(p.text)
        if stops[i] or table or i in headings or (p.label is not None and _contact_item(views[i], p.label.end)):
            p.stop = True   # table rows are tasks of their own (structure/tables.py)
            p.table = table
    # a signature: organisation lines stacked directly above a date line (joint issuers
    # sign one per line), read upwards from the stop line
    for i in range(len(paras) - 1, -1, -1):
        if stops[i + 1] and not paras[i].stop and sig_org.match(views[i]):
            paras[i].stop = stops[i] = True
    _mark_forms_and_contents(paras, views)
    # the attachment list: items right after a 附件： line
    for i in _may_start(views, word_first):
        p = paras[i]
        if p.stop and attachment_word.match(views[i]):
            j = i + 1
            while j < len(paras) and paras[j].label and len(paras[j].text) <= 60 and "。" not in paras[j].text:
                paras[j].stop = True
                j += 1


_CJK_DIGIT_SPACE = re.compile(r"(?<=[\u4e00-\u9fff])[ \u3000]+(?=[\dA-Za-z])|(?<=[\dA-Za-z])[ \u3000]+(?=[\u4e00-\u9fff])")


def _strip_end(s: str) -> str:
    """A heading or lead sentence without final punctuation, and without the blanks a copy
    put between CJK characters and digits (2020 年 -> 2020年, as in titles, GUIDELINES §1) and
    next to a full-width mark (实现新要求， 进一步)."""
    s = s.strip().rstrip("。.：:；;，, \u3000")
    if " " in s or "\u3000" in s:    # (each removes blanks only)
        s = without_mark_blanks(_CJK_DIGIT_SPACE.sub("", s))
    return s


def lead_sentence(text: str) -> str:
    """The first sentence of ``text`` without its final 。 (or the first line)."""
    first_line = text.split("\n", 1)[0]
    m = _SENTENCE_STOP.search(first_line)
    return _strip_end(first_line[: m.start()] if m else first_line)


def _is_heading(text_after_label: str) -> bool:
    """A section heading: short, and no sentence inside it; where it ends with a stop and
    holds a clause mark, shorter still (坚持党建引领，提升组织力。 is a heading; 2023年，全市交易
    规模暂定为350亿千瓦时左右，区外机组电量上限为总规模的30%。 a sentence)."""
    t = text_after_label.rstrip("。 ")
    if len(t) > 60 or _HEADING_BREAK.search(t):
        return False
    return len(t) <= 30 or not (text_after_label.rstrip().endswith("。") and _CLAUSE.search(t))


def _continues(lab, stack: list[str], open_nodes: list) -> bool:
    """A label of four digits or more counts only as the next of its open sibling."""
    if lab.style not in stack or not lab.label.isdigit():
        return False
    prev = open_nodes[stack.index(lab.style)].label.label if stack.index(lab.style) < len(open_nodes) else ""
    return prev.isdigit() and int(prev) + 1 == int(lab.label)


def parse_outline(text: str, view: str | None = None) -> Outline:
    """Find the tasks of ``text`` (clean text); offsets are into ``text``. Never raises.
    ``view``: ``matching_view(text)`` when the caller has it."""
    paras = _paragraphs(text)
    view = matching_view(text) if view is None else view   # same offsets: one for the document
    # traditional script reads as simplified (第一條); a text that is its own view: its paragraphs
    views = [p.text for p in paras] if view is text else [view[p.start:p.end] for p in paras]
    for i in label_candidates(views):                  # (the others start with no label)
        paras[i].label = match_label(views[i])
    _mark_furniture(paras, views, "|" in text or "\t" in text)
    drop_reference_labels(paras)                  # 第N条 that only wrapped onto a line start
    has_article = any(p.label and p.label.style == "article" for p in paras if not p.stop)

    stack: list[str] = []          # open styles, top first
    nodes: list[_Node] = []
    current: _Node | None = None
    open_nodes: list[_Node] = []   # the chain from top to current
    for at, p in enumerate(paras):
        if p.stop:
            current = None         # furniture closes the item; what follows is unowned
            continue
        lab = p.label
        if lab is not None and has_article and lab.style in _article_groupings():
            current = None         # 第一节 …: closes the article before it, adds no level
            continue
        if lab is not None and (lab.inline or (has_article and lab.rank is None)
                                or (has_article and inline_in_article(lab.style))):
            lab = None
        if lab is not None and lab.label.isdigit() and len(lab.label) > 3 \
                and not _continues(lab, stack, open_nodes):
            lab = None             # 1000、 only right after 999、 (else a number at a line start)
        if lab is None:
            if current is not None:
                current.body.append(p)
            continue
        if lab.style in stack:
            level = stack.index(lab.style)
            del stack[level + 1:]
        else:
            stack.append(lab.style)
            level = len(stack) - 1
        del open_nodes[level:]
        parent = open_nodes[-1] if open_nodes else None
        path = (parent.path if parent else ()) + (lab.label,)
        node = _Node(p, lab, level, path, parent, at)
        if parent:
            parent.children.append(node)
        nodes.append(node)
        open_nodes.append(node)
        current = node

    if not nodes:
        return Outline((_whole_text_task(paras),) if paras else (), False)

    tasks = []
    for node in nodes:
        if node.children:
            continue
        after = node.at + 1
        after_label = node.para.text[node.label.end:]
        if not node.body and after < len(paras) and paras[after].table and _is_heading(after_label):
            continue   # a heading over a task table: the table's rows are the tasks
        section_node = node.parent
        if node.parent is None and node.body and _is_heading(after_label):
            # a section without items: its paragraphs form the task
            first, last = node.body[0], node.body[-1]
            start, end = first.start, last.end
            section = _strip_end(after_label)
        elif node.parent is None and node.label.style in _SECTION_STYLES:
            # a section without items written as one paragraph (一、报告内容：…。): the task
            # starts after the label; its heading is the part before a colon, else its lead sentence
            start = node.para.start + node.label.end
            end = (node.body[-1].end if node.body else node.para.end)
            section = _inline_heading(after_label)
        else:
            start = node.para.start + node.label.end
            end = (node.body[-1].end if node.body else node.para.end)
            section = _heading_of(section_node.para.text[section_node.label.end:]) if section_node else None
        tasks.append(TaskSpan(node.path, section, lead_sentence(_first_line(text, start, end)) or None, start, end,
                              node.para.start))
    return Outline(tuple(tasks), True)


_SECTION_STYLES = ("part", "chapter", "cn_dun")


def _heading_of(after_label: str) -> str:
    """The heading of a parent item: its paragraph's first sentence (（一）陆上风电、光伏发电项目。同时
    满足以下条件的…可申报： is headed 陆上风电、光伏发电项目), or the whole paragraph."""
    m = _HEADING_BREAK.search(after_label)
    return _strip_end(after_label[:m.start()] if m and after_label[m.end():].strip() else after_label)


@lru_cache(maxsize=1)
def _article_groupings() -> frozenset[str]:
    """The styles that group articles without a level of their own (``numbering.yaml``)."""
    return frozenset(load_yaml("structure/numbering.yaml").get("article_groupings", ()))


def _first_line(text: str, start: int, end: int) -> str:
    """The first line of ``text[start:end]`` (without cutting out the rest)."""
    nl = text.find("\n", start, end)
    return text[start:end if nl < 0 else nl]


def _inline_heading(after_label: str) -> str | None:
    lead = lead_sentence(after_label)
    m = re.match(r"^([^。！？；，,:：]{2,20})[:：]", after_label)
    return _strip_end(m.group(1)) if m else (lead or None)


def _whole_text_task(paras: list[_Para]) -> TaskSpan:
    body = [p for p in paras if not p.stop]
    if not body:
        body = paras
    # skip the title and recipients lines (no sentence end) when there is more after them
    while len(body) > 1 and not _FULL_STOP.search(body[0].text):
        body = body[1:]
    start, end = body[0].start, body[-1].end
    return TaskSpan((), None, lead_sentence(body[0].text) or None, start, end, None)
