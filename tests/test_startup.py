"""What the run command loads at start: the segmenter's dictionary built once, the same
segmenter whichever way rjieba is loaded."""
from __future__ import annotations

import os
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


def test_skip_pandas_without_numpy_converts_as_with_numpy():
    """With ``without_numpy`` (the run command, local engine) pyarrow is imported while numpy
    is refused: it imports neither numpy nor pandas, and the arrays and the Parquet bytes it
    makes of Python values are those it makes with numpy."""
    code = ("import io, sys, datetime as dt; from pipeline.store import skip_pandas; skip_pandas({flag}); "
            "import pyarrow as pa, pyarrow.parquet as pq; "
            "t = pa.table({{'f': pa.array([1.5, None], pa.float64()), 'i': [1, None], "
            "'d': [dt.date(2021, 1, 2), None], "
            "'ts': pa.array([dt.datetime(2021, 1, 2, 3, tzinfo=dt.timezone.utc), None], pa.timestamp('us', tz='UTC')), "
            "'l': pa.array([['a', 'b'], None], pa.list_(pa.string()))}}); "
            "buf = io.BytesIO(); pq.write_table(t, buf, compression='zstd'); "
            "print('numpy' in sys.modules, 'pandas' in sys.modules, buf.getvalue().hex())")
    alone = _python(code.format(flag="without_numpy=True")).split()
    usual = _python(code.format(flag="")).split()
    assert alone[:2] == ["False", "False"] and usual[:2] == ["True", "False"]
    assert alone[2] == usual[2]


def test_run_commands_own_process_imports_no_extractor_nor_numpy(tmp_path):
    """With one worker the command's own process only writes: the extractors are imported by
    the worker, not by it (the results it receives need none of them), nor is numpy."""
    out = str(tmp_path / "out")
    code = ("import sys; from pipeline.cli import app\n"
            f"try: app(['run', {str(SAMPLE_FILES[0])!r}, '--out', {out!r}, '--quiet', '--workers', '1'])\n"
            "except SystemExit as exc: assert not exc.code, exc.code\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('numpy', 'pandas') "
            "or m.startswith(('pipeline.process', 'pipeline.extract', 'pipeline.clean', 'pipeline.structure'))))")
    printed = _python(code).splitlines()
    assert printed[-1] == "[]"
    assert any("documents" in line and "1" in line for line in printed)   # the summary table


def test_package_imports_its_api_on_first_use():
    """``import pipeline`` loads none of the extractors; its public names are found on first use."""
    out = _python("import sys, pipeline; "
                  "print('pipeline.process' in sys.modules, 'pipeline.extract.dates' in sys.modules); "
                  "from pipeline import parse_dates, process_bytes; "
                  "import pipeline.extract.dates as d, pipeline.process as p; "
                  "print(parse_dates is d.parse_dates, pipeline.process_bytes is p.process_bytes, "
                  "'parse_units' in dir(pipeline))")
    assert out.split() == ["False", "False", "True", "True", "True"]


def test_a_start_with_the_lexicons_cached_neither_parses_nor_checks_them(tmp_path):
    """The first start parses and checks the lexicons (PyYAML, the schemas); a later one
    reads what they gave from the user's cache (pipeline/lexicon.py) and imports neither."""
    code = ("import sys; from pipeline import runner; runner._init_worker(); "
            "print('yaml' in sys.modules, 'pipeline.lexicon_schemas' in sys.modules)")
    env = {**os.environ, "NOTICES_CACHE_DIR": str(tmp_path)}

    def start() -> list[str]:
        res = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                             timeout=120)
        assert res.returncode == 0, res.stderr
        return res.stdout.split()

    assert start() == ["True", "True"]
    assert start() == ["False", "False"]
