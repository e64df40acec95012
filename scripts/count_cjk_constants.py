"""Count string constants with Chinese characters in the package's code (issue 15).

Knowledge belongs in ``pipeline/models/`` (data), not in code: this counts the
``ast.Constant`` string nodes that hold a CJK character and are not a docstring, per
module, and prints the total. ``--list`` prints every one with its line.

    python scripts/count_cjk_constants.py [--list]
"""
from __future__ import annotations

import ast
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "pipeline"
# Chinese characters (CJK ideographs, extension A included); punctuation alone does not count
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


def docstring_nodes(tree: ast.AST) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = getattr(node, "body", [])
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                    and isinstance(body[0].value.value, str):
                out.add(id(body[0].value))
    return out


def cjk_constants(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = docstring_nodes(tree)
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and id(node) not in docs and CJK.search(node.value)]


def main(argv: list[str]) -> int:
    per_module: Counter[str] = Counter()
    for path in sorted(ROOT.rglob("*.py")):
        found = cjk_constants(path)
        rel = str(path.relative_to(ROOT.parent))
        per_module[rel] = len(found)
        if "--list" in argv:
            for line, value in found:
                print(f"{rel}:{line}: {value!r}")
    for rel, n in per_module.most_common():
        if n:
            print(f"{n:5d}  {rel}")
    print(f"{sum(per_module.values()):5d}  total")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
