"""The error codes: every code the code can write is in ``records.ErrorCode``, every code
there is written somewhere, and the README's table documents each with its level."""
from __future__ import annotations

import re

from pipeline.records import ErrorCode, level_of
from tests.conftest import ROOT

# the ways the pipeline writes a code into an errors row
_EMIT = [
    re.compile(r'NoticeError\(\s*"([a-z_]+)"'),
    re.compile(r'error_result\((?:[^,()]|\([^()]*\))*,\s*"([a-z_]+)"'),
    re.compile(r'\.warn\(\s*"([a-z_]+)"'),
    re.compile(r'\berror="([a-z_]+)"'),
    re.compile(r'tuple\(\(\s*"([a-z_]+)",'),                 # reader warnings: (code, message) pairs
]
_ENUM = re.compile(r"ErrorCode\.([A-Z_]+)")


def _emitted() -> dict[str, set[str]]:
    """code -> the modules that write it, from the source of the package."""
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / "pipeline").rglob("*.py")):
        if path.name == "records.py":
            continue
        source = path.read_text(encoding="utf-8")
        codes = {m.group(1) for rx in _EMIT for m in rx.finditer(source)}
        codes |= {ErrorCode[m.group(1)].value for m in _ENUM.finditer(source)}
        for code in codes:
            found.setdefault(code, set()).add(path.relative_to(ROOT).as_posix())
    return found


def _readme_table() -> list[tuple[str, str]]:
    """(code, level) of every row of the README's table of codes."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("| input | `error` | `level` |")
    rows = []
    for line in text[start:].splitlines()[2:]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip("|").split("|")]
        rows.append((cells[-2].strip("`"), cells[-1]))
    return rows


def test_every_code_written_is_catalogued_and_every_catalogued_code_is_written():
    emitted = _emitted()
    catalogued = {c.value for c in ErrorCode}
    assert set(emitted) - catalogued == set(), {c: emitted[c] for c in set(emitted) - catalogued}
    assert catalogued - set(emitted) == set()


def test_the_readme_documents_every_code_once_with_its_level():
    rows = _readme_table()
    codes = [code for code, _ in rows]
    assert len(codes) == len(set(codes)), "a code is documented twice"
    assert set(codes) == {c.value for c in ErrorCode}
    assert [(code, level_of(code)) for code in codes] == rows


def test_the_scan_sees_the_codes_where_they_are_written():
    emitted = _emitted()
    assert "pipeline/ingest/docx_zip.py" in emitted["ole_unsupported"]
    assert "pipeline/ingest/text.py" in emitted["mixed_encoding"]
    assert "pipeline/ingest/__init__.py" in emitted["partial_text"]
    assert "pipeline/runner.py" in emitted["crashed"]
    assert "pipeline/process.py" in emitted["extractor_failed"]
