"""Where the extractors' knowledge lives: the data files under ``pipeline/models/``.

Every lexicon, trigger list and table is a small commented file in ``pipeline/models/``,
shipped inside the package (package data, found with ``importlib.resources`` wherever pip
put the package); code reads them through the loaders here, each file loaded once per
process (``lru_cache``). Set ``NOTICES_MODELS`` to point at another copy of the folder.

Each file is checked against its schema (``lexicon_schemas.py``) as it is loaded: an
unknown key, a value of the wrong type, a regex that does not compile or a malformed line
is a ``LexiconError`` naming the file, the key (or line) and what is wrong; a file with no
schema is refused. ``check_models()`` loads and checks every file of the folder.
"""
from __future__ import annotations

import json
import os
from importlib import resources
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

# libyaml's safe loader when PyYAML was built with it (same result, ~10x faster to load)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LexiconError(ValueError):
    """A file under ``models/`` that does not match its schema (the message names the
    file and the key or line)."""


def models_dir() -> Path:
    """The folder holding the lexicons (the package's ``models/`` unless overridden)."""
    env = os.environ.get("NOTICES_MODELS")
    if env:
        return Path(env)
    # an installed package is a plain folder (wheel, sdist, editable), so a Path is exact
    return Path(str(resources.files("pipeline").joinpath("models")))


def model_path(relative: str) -> Path:
    path = models_dir() / relative
    if not path.exists():
        raise FileNotFoundError(f"lexicon missing: {path} (set NOTICES_MODELS, or reinstall the package)")
    return path


def _schema(relative: str, path: Path, fmt: str) -> type[BaseModel]:
    from .lexicon_schemas import schema_of

    schema = schema_of(relative)
    if schema is None:
        raise LexiconError(f"{path}: no schema for this file; add one to pipeline/lexicon_schemas.py")
    kind, model = schema
    if kind != fmt:
        raise LexiconError(f"{path}: its schema is for a {kind} file, not {fmt}")
    return model


def _describe(path: Path, exc: ValidationError, line: int | None = None) -> str:
    """One line per problem: the file (and line), the key path and what is wrong."""
    where = f"{path}:{line}" if line is not None else str(path)
    out = []
    for err in exc.errors():
        loc = ".".join(str(part) for part in err["loc"]) or "(the whole file)"
        msg = "unknown key (not in the schema; no code reads it)" if err["type"] == "extra_forbidden" else err["msg"]
        out.append(f"{where}: key {loc}: {msg}")
    return "; ".join(out)


def _validate(model: type[BaseModel], data: Any, path: Path, line: int | None = None) -> BaseModel:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise LexiconError(_describe(path, exc, line)) from None


@lru_cache(maxsize=None)
def load_yaml(relative: str) -> Any:
    """Parse ``models/<relative>`` as YAML and check it against its schema (loaded once);
    returns the parsed data as written."""
    path = model_path(relative)
    model = _schema(relative, path, "yaml")
    with path.open(encoding="utf-8") as fh:
        try:
            data = yaml.load(fh, Loader=_LOADER)
        except yaml.YAMLError as exc:
            raise LexiconError(f"{path}: not valid YAML: {' '.join(str(exc).split())}") from None
    _validate(model, data, path)
    return data


def _lines(path: Path):
    """(line number, line) of each line of the file."""
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            yield n, line


@lru_cache(maxsize=None)
def load_jsonl(relative: str) -> tuple[BaseModel, ...]:
    """The lines of ``models/<relative>`` (one JSON object a line), each checked (loaded once)."""
    path = model_path(relative)
    model = _schema(relative, path, "jsonl")
    out = []
    for n, line in _lines(path):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise LexiconError(f"{path}:{n}: not a JSON object ({exc.msg})") from None
        out.append(_validate(model, data, path, n))
    return tuple(out)


@lru_cache(maxsize=None)
def load_tsv(relative: str) -> tuple[BaseModel, ...]:
    """The rows of the tab-separated table ``models/<relative>``, whose columns are named
    by its ``# <first column> …`` comment line, each checked (loaded once)."""
    path = model_path(relative)
    model = _schema(relative, path, "tsv")
    columns: list[str] = []
    out = []
    for n, line in _lines(path):
        if line.startswith("#"):
            words = line[1:].split()
            if not columns and words and words[0] in model.model_fields:
                columns = words
            continue
        if not line.strip():
            continue
        if not columns:
            raise LexiconError(f"{path}:{n}: a row before the '# column …' line that names the columns")
        try:
            out.append(model.from_cells(columns, line.split()))
        except ValidationError as exc:
            raise LexiconError(_describe(path, exc, n)) from None
        except ValueError as exc:
            raise LexiconError(f"{path}:{n}: {exc}") from None
    return tuple(out)


@lru_cache(maxsize=None)
def load_dict(relative: str) -> tuple[BaseModel, ...]:
    """The entries of the jieba user dictionary ``models/<relative>`` (``word [freq] [tag]``
    a line, ``#`` comments), each checked (loaded once)."""
    path = model_path(relative)
    model = _schema(relative, path, "dict")
    out = []
    for n, line in _lines(path):
        parts = line.split("#", 1)[0].split()
        if not parts:
            continue
        freq = parts[1] if len(parts) > 1 and parts[1].isdigit() else None
        tag = parts[-1] if len(parts) > 1 and not parts[-1].isdigit() else None
        if len(parts) > 3 or (len(parts) == 3 and freq is None):
            raise LexiconError(f"{path}:{n}: expected 'word [freq] [tag]', got {line.strip()!r}")
        out.append(_validate(model, {"word": parts[0], "freq": freq, "tag": tag}, path, n))
    return tuple(out)


_LOADERS = {"yaml": load_yaml, "jsonl": load_jsonl, "tsv": load_tsv, "dict": load_dict}


def check_models() -> list[str]:
    """Load and check every file under the models folder; returns their relative paths.
    Raises ``LexiconError`` for the first file that has no schema or does not match it."""
    from .lexicon_schemas import schema_of

    base = models_dir()
    checked = []
    for path in sorted(p for p in base.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        relative = path.relative_to(base).as_posix()
        schema = schema_of(relative)
        if schema is None:
            raise LexiconError(f"{path}: no schema for this file; add one to pipeline/lexicon_schemas.py")
        _LOADERS[schema[0]](relative)
        checked.append(relative)
    return checked
