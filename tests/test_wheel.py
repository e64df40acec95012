"""The package as a user gets it: built, installed into a fresh virtual environment, run
from a folder outside the source tree.

``python -m build`` makes the sdist from a copy of the checkout and the wheel from that
sdist (so a file the sdist lacks breaks the wheel too); the wheel goes into a new venv
(no system site-packages, no ``PYTHONPATH``, dependencies from the package registry as
``pip install notices`` would fetch them); its ``notices run`` over the sample notices,
started in an empty folder, must write the same rows as the source tree's own run. The
wheel must ship every lexicon under ``pipeline/models/`` and must not pull spaCy.

Takes ~45 s (most of it pip installing pyarrow, pandas, duckdb …). Set
NOTICES_SKIP_WHEEL=1 to skip it on a machine that cannot reach the registry.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from pipeline.runner import run
from tests.conftest import ROOT, SAMPLE_FILES, committed_rows

pytestmark = pytest.mark.skipif(os.environ.get("NOTICES_SKIP_WHEEL") == "1",
                                reason="NOTICES_SKIP_WHEEL=1")

# what the build must not see: local state and generated output
_IGNORE = shutil.ignore_patterns(".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", "*.pyc",
                                 ".pytest_cache", ".hypothesis", "report", "processed", ".ipynb_checkpoints")
# spaCy and what only spaCy brings
_SPACY = {"spacy", "thinc", "blis", "spacy-legacy", "spacy-loggers", "srsly", "cymem", "preshed", "murmurhash",
          "wasabi", "weasel", "confection", "catalogue"}


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "NOTICES_MODELS", "VIRTUAL_ENV")}
    env["PYTHONNOUSERSITE"] = "1"
    return env


def _check(cmd: list, **kw) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, **kw)
    assert proc.returncode == 0, f"{' '.join(map(str, cmd))} exited {proc.returncode}:\n" \
                                 f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """(wheel, sdist) built from a copy of the checkout."""
    tmp = tmp_path_factory.mktemp("build")
    src = tmp / "src"
    shutil.copytree(ROOT, src, ignore=_IGNORE, symlinks=True)
    dist = tmp / "dist"
    _check([sys.executable, "-m", "build", "--outdir", dist, src], cwd=tmp, env=_clean_env())
    wheels, sdists = list(dist.glob("notices-*.whl")), list(dist.glob("notices-*.tar.gz"))
    assert len(wheels) == 1 and len(sdists) == 1, sorted(p.name for p in dist.iterdir())
    return wheels[0], sdists[0]


@pytest.fixture(scope="module")
def venv(built, tmp_path_factory):
    """A fresh virtual environment holding the wheel and its dependencies, nothing else."""
    wheel, _ = built
    env_dir = tmp_path_factory.mktemp("venv") / "env"
    _check([sys.executable, "-m", "venv", "--without-pip", env_dir], env=_clean_env())
    python = env_dir / "bin" / "python"
    # this pip installs into that interpreter (--python), so the venv needs no pip of its own;
    # --no-compile: bytecode is written on first import instead (saves ~20 s here)
    _check([sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-compile", wheel],
           env=_clean_env())
    return env_dir


def test_wheel_ships_every_lexicon_and_no_spacy_requirement(built):
    wheel, _ = built
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        metadata = next(zf.read(n).decode() for n in names if n.endswith(".dist-info/METADATA"))
    models = ROOT / "pipeline" / "models"
    shipped = {f"pipeline/models/{p.relative_to(models).as_posix()}" for p in models.rglob("*")
               if p.is_file() and "__pycache__" not in p.parts}
    assert shipped and shipped <= names, sorted(shipped - names)
    assert "pipeline/review/style.css" in names
    requires = [line.split(":", 1)[1].strip().lower() for line in metadata.splitlines()
                if line.startswith("Requires-Dist:")]
    assert not any(r.startswith("spacy") for r in requires), requires
    assert any(r.startswith("dask") and "extra ==" in r for r in requires), requires


def test_installed_wheel_runs_outside_the_tree_like_the_checkout(venv, tmp_path):
    python, notices = venv / "bin" / "python", venv / "bin" / "notices"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = _clean_env()

    # the venv holds the package from the wheel, and no spaCy
    where = _check([python, "-c", "import pipeline; print(pipeline.__file__)"], cwd=elsewhere, env=env)
    assert Path(where.stdout.strip()).is_relative_to(venv), where.stdout
    dists = json.loads(_check([python, "-c", "import importlib.metadata as m, json; "
                                             "print(json.dumps([d.metadata['Name'] for d in m.distributions()]))"],
                              cwd=elsewhere, env=env).stdout)
    installed = {d.lower().replace("_", "-") for d in dists}
    assert "notices" in installed and not installed & _SPACY, sorted(installed & _SPACY)
    assert "dask" not in installed and "pytest" not in installed

    paths = [str(p) for p in SAMPLE_FILES]
    _check([notices, "run", *paths, "--out", "out", "--quiet", "--workers", "2"], cwd=elsewhere, env=env)
    run(paths, tmp_path / "tree", workers=1)
    assert committed_rows(elsewhere / "out") == committed_rows(tmp_path / "tree")
    assert len(committed_rows(elsewhere / "out")["documents"]) == len(SAMPLE_FILES)
