"""The one numeral reader (pipeline/text/numerals.py, issue 15): many surface forms under
one value (Duckling's habit), and a check that no other module keeps a numeral table."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from pipeline.text.numerals import DIGITS, UNITS, parse_number, to_int, year_of

PKG = Path(__file__).resolve().parent.parent / "pipeline"

CASES = [
    (10, ["十", "10", "１０", "一〇", "拾"]),
    (15, ["十五", "15", "一十五"]),
    (20, ["二十", "20", "贰拾"]),
    (100, ["百", "一百", "100", "壹佰"]),
    (1000, ["千", "一千", "1,000", "1000"]),
    (2021, ["二○二一", "二〇二一", "二零二一", "2021", "二O二一"]),
    (3500, ["三千五百", "三千五", "3500", "3,500", "3千5百"]),
    (12000, ["一万二千", "一万二", "1万2千", "12,000", "１２，０００", "1.2万"]),
    (20000, ["两万", "2万", "二万", "20000"]),
    (34567, ["三万四千五百六十七", "參萬肆仟伍佰陸拾柒", "34,567", "3万4567"]),
    (200005, ["二十万零五", "200005"]),
    (2020, ["两千零二十", "二〇二〇"]),
    (5262000, ["526.2万", "五百二十六万二千", "5,262,000"]),
    (12345000, ["一千二百三十四万五千", "1234万5千", "1234.5万"]),
    (30000000, ["3000万", "三千万"]),
    (123456, ["十二万三千四百五十六", "12万3456"]),
    (150000000, ["1.5亿", "一亿五千万", "一点五亿", "15000万"]),
    (2000000000000, ["两万亿", "2万亿"]),
    (0.5, ["零点五", "0.5"]),
]


@pytest.mark.parametrize("value,forms", CASES, ids=[str(v) for v, _ in CASES])
def test_parse_number(value, forms):
    for s in forms:
        assert parse_number(s) == value, s


@pytest.mark.parametrize("s", ["", None, "X", "xx", "十余", "三个", "abc", "二三四五六七八九十", "1.2.3", "点五"])
def test_not_a_number(s):
    assert parse_number(s) is None


def test_to_int_and_years():
    assert to_int("十二") == 12 and to_int("三十一") == 31 and to_int("1.5") is None
    assert year_of("二○二一") == 2021 and year_of("民国112") == 2023 and year_of("一一二") == 2023
    assert year_of("中华民国一一二") == 2023 and year_of("X") is None


def _is_numeral_char(ch: str) -> bool:
    return ch in DIGITS or ch in UNITS


def _tables(path: Path) -> list[str]:
    """Numeral tables written in the module at ``path``: a dict literal with three or more
    numeral characters as keys, or a string made only of numeral characters (four or more)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                  if isinstance(n, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                  and n.body and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            keys = [k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)]
            if sum(1 for k in keys if len(k) == 1 and _is_numeral_char(k)) >= 3:
                found.append(f"{path.name}:{node.lineno} dict {keys[:4]}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            s = node.value
            if len(s) >= 4 and all(_is_numeral_char(ch) for ch in s):
                found.append(f"{path.name}:{node.lineno} string {s!r}")
    return found


def test_no_other_module_keeps_a_numeral_table():
    own = PKG / "text" / "numerals.py"
    found = [t for p in sorted(PKG.rglob("*.py")) if p != own for t in _tables(p)]
    assert found == [], "numerals belong in models/text/numerals.yaml, read by pipeline.text.numerals"


def test_the_check_finds_a_table(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text('_CN = {"一": 1, "二": 2, "三": 3}\nX = "〇一二三四五六七八九"\n', encoding="utf-8")
    assert len(_tables(bad)) == 2
