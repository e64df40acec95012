"""What the run command loads at start: the segmenter's dictionary built once, the same
segmenter whichever way rjieba is loaded."""
from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT, SAMPLE_FILES


def _python(code: str) -> str:
    res = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    return res.stdout


def test_segmenter_loads_rjiebas_compiled_module_without_its_default_segmenter():
    """rjieba's package ``__init__`` builds a default segmenter (as costly as ours); the
    segmenter is taken from the compiled module alone, and ``import rjieba`` still works
    after it and gives the same class."""
    out = _python("import sys; from pipeline import segment; segment.load(); print('rjieba' in sys.modules, "
                  "segment.backend()); import rjieba; print(rjieba.Jieba is type(segment._tokenizers()[0]))")
    assert out.split() == ["False", "rjieba", "True"]


def test_segmenter_tokens_are_those_of_rjieba_imported_as_a_package():
    """The same dictionary and user words give the same tokens and tags as a segmenter
    built from ``import rjieba`` (the fallback)."""
    text = SAMPLE_FILES[0].read_text(encoding="utf-8")
    code = ("import sys, json; import rjieba; from pipeline import segment; segment.load(); "
            "assert 'rjieba.rjieba' in sys.modules; "
            f"text = {text!r}; print(json.dumps([list(t) for t in segment.tokens(text)]))")
    via_package = _python(code)
    code_direct = code.replace("import rjieba; ", "")
    assert _python(code_direct) == via_package


def test_skip_pandas_leaves_what_needs_pandas_working():
    """After ``skip_pandas`` (the run command), conversions do not import pandas, and what
    needs pandas itself still imports it when called."""
    out = _python("import sys, datetime as dt; import pyarrow as pa; from pipeline.store import skip_pandas; "
                  "skip_pandas(); t = pa.table({'a': [1, None], 'd': [dt.date(2021, 1, 2), None]}); "
                  "print('pandas' in sys.modules); print(t.to_pandas()['a'].tolist()[0], 'pandas' in sys.modules)")
    assert out.split() == ["False", "1.0", "True"]
