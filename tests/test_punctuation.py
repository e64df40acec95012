"""One punctuation module (issue 15): the marks live in ``models/text/punctuation.yaml``,
read by ``pipeline/text/punctuation.py``; no other module writes a class of marks of its own.

The check reads every module's string constants (docstrings aside): one made only of
punctuation marks of the table (the characters of regex syntax and line breaks aside),
three or more distinct ones, is a class of its own. ``KNOWN`` lists those still in the
code (modules another branch is rewriting); the test fails on a new one, and on a listed
one that is gone.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from pipeline.text import punctuation as P

PKG = Path(__file__).resolve().parent.parent / "pipeline"
MARKS = P.all_marks()
_SYNTAX = set("[]^\\()?:|*+.{}-\n")   # regex syntax, not marks: (?:…) is no class

# module -> how many classes of its own it still writes: none now (every class lives in the
# table); a module listed here while a rewrite is under way must come off the list after it
KNOWN: dict[str, int] = {}


def _docstrings(tree: ast.AST) -> set[int]:
    return {id(n.body[0].value) for n in ast.walk(tree)
            if isinstance(n, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
            and n.body and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}


def own_classes(source: str) -> list[str]:
    """The string constants of ``source`` that are a class of punctuation marks."""
    tree = ast.parse(source)
    docs = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
            chars = set(node.value) - _SYNTAX
            if len(chars) >= 3 and chars <= MARKS:
                found.append(node.value)
    return found


def test_no_other_module_writes_a_punctuation_class():
    found = {}
    for path in sorted(PKG.rglob("*.py")):
        if path == PKG / "text" / "punctuation.py":
            continue
        own = own_classes(path.read_text(encoding="utf-8"))
        if own:
            found[str(path.relative_to(PKG))] = own
    new = {m: v for m, v in found.items() if len(v) > KNOWN.get(m, 0)}
    assert not new, f"punctuation belongs in models/text/punctuation.yaml: {new}"
    fixed = {m for m in KNOWN if len(found.get(m, ())) < KNOWN[m]}
    assert not fixed, f"fewer classes now, lower KNOWN: {fixed}"


def test_the_check_finds_a_class():
    src = 'END = "。！？!?"\nrx = r"[。；;]"\nok = "、"\nword = "。各单位，"\n'
    assert own_classes(src) == ["。！？!?", "[。；;]"]


@pytest.mark.parametrize("view, pos, expected", [
    ("开展“书香三八”活动", 4, True),
    ("开展“书香三八”活动", 9, False),
    ("印发《2021年工作要点》的通知", 4, True),
    ("印发《2021年工作要点》的通知", 13, False),
    # a stray opening mark earlier does not put the rest of the text inside quotes once a
    # later pair closes
    ("“入楼新型储能。另行奖励“先进”技术，上限5000万元", 21, False),
    ("不在引号内", 2, False),
])
def test_inside_quotes(view, pos, expected):
    assert P.inside_quotes(view, pos) is expected


def test_inside_quotes_narrowed_and_straight():
    view = "“三八”节与《五一》"
    assert P.inside_quotes(view, 1) and not P.inside_quotes(view, 1, pairs=("《》",))
    assert P.inside_quotes(view, 7, pairs=("《》",))
    assert P.inside_quotes('开展"安康杯"竞赛', 4, straight=True)
    assert not P.inside_quotes('开展"安康杯"竞赛', 4)
    assert not P.inside_quotes('开展"安康杯"竞赛', 8, straight=True)


def test_classes_are_unions_of_kinds():
    assert set(P.SENTENCE_END) == set("。！？!?；;")
    assert set(P.LINE_END) == set(P.SENTENCE_END) | set("…”’」』）)】》")
    assert set(P.SENTENCE_BREAK) == set(P.SENTENCE_END) | {"\n"}
    assert "、" in P.ITEM_BREAK and "、" not in P.CLAUSE_BREAK
    assert P.BRACKETS["《"] == "》" and P.BRACKETS["（"] == "）"


@pytest.mark.parametrize("text, expected", [
    ("实现新要求， 进一步优化", "实现新要求，进一步优化"),
    ("按照 《规则（试行） 》 开展", "按照《规则（试行）》开展"),
    ("各市、 县\u3000（区）发展改革委", "各市、县（区）发展改革委"),
    ("“国庆 中秋”期间", "“国庆 中秋”期间"),         # a blank between two words stays
    ("AGC 调节, 测试", "AGC 调节, 测试"),            # next to a half-width mark: stays
    ("第一段，\n第二段", "第一段，\n第二段"),          # line breaks stay
])
def test_without_mark_blanks(text, expected):
    assert P.without_mark_blanks(text) == expected
