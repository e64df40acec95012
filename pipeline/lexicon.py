"""Where the extractors' knowledge lives: the data files under ``pipeline/models/``.

Every lexicon, trigger list and table is a small commented file in ``pipeline/models/``,
shipped inside the package (package data, found next to this module wherever pip put
the package); code reads them through the loaders here, each file loaded once per
process (``lru_cache``). Set ``NOTICES_MODELS`` to point at another copy of the folder.

Each file is checked against its schema (``lexicon_schemas.py``) as it is loaded: an
unknown key, a value of the wrong type, a regex that does not compile or a malformed line
is a ``LexiconError`` naming the file, the key (or line) and what is wrong; a file with no
schema is refused. ``check_models()`` loads and checks every file of the folder.

What a file gave once checked is kept in the user's cache folder (``NOTICES_CACHE_DIR``,
else ``$XDG_CACHE_HOME/notices``, else ``~/.cache/notices``; set it empty to keep
nothing), under a key made of the file's bytes, its path under ``models/``, the code that
reads and checks it (this module, ``lexicon_schemas.py``, ``lexicon_rows.py``,
``records.py``, PyYAML's ``__init__``) and the versions of Python and pydantic: a later
process reading the same bytes takes it from there instead of parsing and checking them
again (~15% of a worker's start: building the schemas' validators, compiling every regex of
them, importing PyYAML). Any other file, or a changed one, misses and is checked; a cache
entry that cannot be read is a miss; a cache folder that others may write to is not used.
``check_models()`` always checks.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import pickle
import sys
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from pydantic import BaseModel, ValidationError


class LexiconError(ValueError):
    """A file under ``models/`` that does not match its schema (the message names the
    file and the key or line)."""


def models_dir() -> Path:
    """The folder holding the lexicons (the package's ``models/`` unless overridden)."""
    env = os.environ.get("NOTICES_MODELS")
    if env:
        return Path(env)
    # an installed package is a plain folder (wheel, sdist, editable): the folder of this
    # module is what ``importlib.resources.files("pipeline")`` gives (without importing its
    # readers: ~10 ms)
    return Path(__file__).parent / "models"


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


def _text(path: Path, raw: bytes) -> io.StringIO:
    """The file's bytes as ``path.open(encoding="utf-8")`` reads them (universal newlines,
    named after the file), parsed from the very bytes that the cache key was made of."""
    stream = io.StringIO(raw.decode("utf-8"), newline=None)
    stream.name = str(path)
    return stream


@lru_cache(maxsize=None)
def load_yaml(relative: str) -> Any:
    """Parse ``models/<relative>`` as YAML and check it against its schema (loaded once);
    returns the parsed data as written."""
    return _checked(relative, "yaml")


def _yaml_loader():
    """libyaml's safe loader when PyYAML was built with it (same result, ~10x faster to load)."""
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_yaml(path: Path, raw: bytes, model: type[BaseModel]) -> Any:
    import yaml

    try:
        data = yaml.load(_text(path, raw), Loader=_yaml_loader())
    except yaml.YAMLError as exc:
        raise LexiconError(f"{path}: not valid YAML: {' '.join(str(exc).split())}") from None
    _validate(model, data, path)
    return data


def _lines(path: Path, raw: bytes):
    """(line number, line) of each line of the file."""
    return enumerate(_text(path, raw), 1)


@lru_cache(maxsize=None)
def load_jsonl(relative: str) -> tuple[BaseModel, ...]:
    """The lines of ``models/<relative>`` (one JSON object a line), each checked (loaded once)."""
    return _checked(relative, "jsonl")


def _read_jsonl(path: Path, raw: bytes, model: type[BaseModel]) -> tuple[BaseModel, ...]:
    out = []
    for n, line in _lines(path, raw):
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
    return _checked(relative, "tsv")


def _read_tsv(path: Path, raw: bytes, model: type[BaseModel]) -> tuple[BaseModel, ...]:
    columns: list[str] = []
    out = []
    for n, line in _lines(path, raw):
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
    return _checked(relative, "dict")


def _read_dict(path: Path, raw: bytes, model: type[BaseModel]) -> tuple[BaseModel, ...]:
    out = []
    for n, line in _lines(path, raw):
        parts = line.split("#", 1)[0].split()
        if not parts:
            continue
        freq = parts[1] if len(parts) > 1 and parts[1].isdigit() else None
        tag = parts[-1] if len(parts) > 1 and not parts[-1].isdigit() else None
        if len(parts) > 3 or (len(parts) == 3 and freq is None):
            raise LexiconError(f"{path}:{n}: expected 'word [freq] [tag]', got {line.strip()!r}")
        out.append(_validate(model, {"word": parts[0], "freq": freq, "tag": tag}, path, n))
    return tuple(out)


_READERS: dict[str, Callable[[Path, bytes, type[BaseModel]], Any]] = {
    "yaml": _read_yaml, "jsonl": _read_jsonl, "tsv": _read_tsv, "dict": _read_dict}


def _checked(relative: str, fmt: str, cached: bool = True) -> Any:
    """What ``models/<relative>``, a ``fmt`` file, gives once read and checked: from the
    cache when these bytes were checked before (see the module's docstring), else read,
    checked, and kept there."""
    path = model_path(relative)
    raw = path.read_bytes()
    entry = _cache_entry(relative, fmt, raw) if cached else None
    if entry is not None:
        try:
            with entry.open("rb") as fh:
                return pickle.load(fh)
        except Exception:   # none yet, or one that cannot be read (cut short, another Python)
            pass
    value = _READERS[fmt](path, raw, _schema(relative, path, fmt))
    if entry is not None:
        _keep(entry, value)
    return value


def cache_dir() -> Path | None:
    """The folder of the checked lexicons (None: keep nothing)."""
    env = os.environ.get("NOTICES_CACHE_DIR")
    if env is not None:
        return Path(env) / "lexicons" if env else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "notices" / "lexicons"


@lru_cache(maxsize=1)
def _code_key() -> bytes:
    """What else than a file's bytes decides what reading and checking it gives: the code
    that does it (PyYAML's by its ``__init__``, which names its version, read without
    importing PyYAML: ~40 ms) and the versions of Python and pydantic."""
    import importlib.util

    import pydantic

    here = Path(__file__).parent
    digest = hashlib.sha256(f"{sys.version}\0{pydantic.VERSION}\0".encode())
    for source in (here / "lexicon.py", here / "lexicon_schemas.py", here / "lexicon_rows.py",
                   here / "records.py", Path(importlib.util.find_spec("yaml").origin)):
        digest.update(source.read_bytes())
    return digest.digest()


def _cache_entry(relative: str, fmt: str, raw: bytes) -> Path | None:
    """Where the checked content of these bytes is kept: None when there is no cache
    folder, or when it is not the user's own (others could write there what is loaded)."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        st = folder.stat()
    except FileNotFoundError:
        st = None
    except OSError:
        return None
    if st is not None and (st.st_uid != os.getuid() or st.st_mode & 0o022):
        return None
    key = hashlib.sha256(_code_key() + f"\0{fmt}\0{relative}\0".encode() + raw).hexdigest()
    return folder / f"{relative.replace('/', '.')}.{key[:32]}.pickle"


def _keep(entry: Path, value: Any) -> None:
    """Write ``value`` to ``entry`` (atomically: a reader sees the whole entry or none) and
    drop the file's other entries (earlier contents); a cache that cannot be written is
    left alone."""
    try:
        entry.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=entry.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, entry)
        except BaseException:
            os.unlink(tmp)
            raise
        stem = entry.name.rsplit(".", 2)[0]
        for other in entry.parent.glob(f"{stem}.*.pickle"):
            if other != entry and other.name.rsplit(".", 2)[0] == stem:
                other.unlink(missing_ok=True)
    except Exception:   # a full disk, a folder not ours: the next start checks the file again
        pass


def check_models() -> list[str]:
    """Load and check every file under the models folder (never from the cache); returns
    their relative paths. Raises ``LexiconError`` for the first file that has no schema or
    does not match it."""
    from .lexicon_schemas import schema_of

    base = models_dir()
    checked = []
    for path in sorted(p for p in base.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        relative = path.relative_to(base).as_posix()
        schema = schema_of(relative)
        if schema is None:
            raise LexiconError(f"{path}: no schema for this file; add one to pipeline/lexicon_schemas.py")
        _checked(relative, schema[0], cached=False)
        checked.append(relative)
    return checked
