"""Settings of a run: the per-file bounds on size, time and memory.

``Limits`` holds the bounds every file is processed under; ``load_limits`` builds one
from the defaults, a ``notices.toml`` file (its ``[limits]`` table) and command-line
overrides, in that order. An unknown table or setting, or a value that is not a
positive number, is an error naming it (a misspelt bound must not be silently ignored).

``using(limits)`` makes a ``FileScope`` current for the code that processes one file
(a context variable, like ``decimal.localcontext``): readers consult ``current().limits``
(``max_chars``, ``max_pages``) and record warnings with ``current().warn(code, message)``;
the runner turns those warnings into ``errors`` rows.
"""
from __future__ import annotations

import contextvars
import re
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Iterator

CONFIG_FILE = "notices.toml"
MiB = 1024 * 1024


class ConfigError(ValueError):
    """A settings file or option that cannot be used; the message names the setting."""


@dataclass(frozen=True)
class Limits:
    """Bounds for one file. A file above ``max_bytes`` on disk, or whose decoded text is
    above ``max_chars`` characters, is refused with ``too_large``; one whose processing
    takes more than ``timeout_s`` seconds gets ``timeout``; one whose processing needs more
    than ``max_memory_mb`` MiB on top of a worker's loaded footprint gets ``memory``;
    ``max_pages`` bounds the pages a paged reader (PDF) looks at; ``ocr`` off leaves
    pictures of text (scans) unread."""

    max_bytes: int = 64 * MiB        # a notice is ~10 kB; a PDF with images some MB
    max_chars: int = 2_000_000       # ~600 pages of text; 8 s and ~300 MB to process
    timeout_s: float = 120.0         # per file, reading to extracted rows
    max_memory_mb: int = 1024        # per worker, above its footprint after loading
    max_pages: int = 2000
    ocr: bool = True                 # read pages that are pictures of text (the [ocr] extra)

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "ocr":
                if not isinstance(value, bool):
                    raise ConfigError(f"limits.ocr: must be true or false, got {value!r}")
                continue
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
                raise ConfigError(f"limits.{f.name}: must be a positive number, got {value!r}")
            if f.name != "timeout_s" and not isinstance(value, int):
                raise ConfigError(f"limits.{f.name}: must be a whole number, got {value!r}")


_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmg]i?b?|b)?\s*$", re.I)
_UNITS = {"": 1, "b": 1, "k": 1024, "m": MiB, "g": 1024 * MiB}


def parse_size(value: Any, name: str = "max_bytes") -> int:
    """A byte count from an int or a string such as ``"64MB"``, ``"512k"``, ``"1GiB"``
    (binary multiples); raises ConfigError naming ``name`` otherwise."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    m = _SIZE.match(str(value))
    if not m:
        raise ConfigError(f"{name}: not a size: {value!r} (use e.g. 64MB)")
    unit = (m.group(2) or "").lower()[:1]
    return int(float(m.group(1)) * _UNITS[unit])


def load_limits(config_file: str | Path | None = None, **overrides: Any) -> Limits:
    """The limits of a run: defaults, then ``config_file`` (or ``notices.toml`` in the
    current folder when it exists), then the ``overrides`` that are not None.
    Raises ConfigError for an unreadable file, an unknown table or setting, a bad value."""
    values: dict[str, Any] = {}
    path = Path(config_file) if config_file else Path(CONFIG_FILE)
    if config_file or path.is_file():
        values.update(_read_file(path))
    known = {f.name for f in fields(Limits)}
    for key, value in overrides.items():
        if key not in known:
            raise ConfigError(f"unknown limit {key!r}; known: {', '.join(sorted(known))}")
        if value is not None:
            values[key] = value
    if "max_bytes" in values:
        values["max_bytes"] = parse_size(values["max_bytes"], "max_bytes")
    return Limits(**values)


def _read_file(path: Path) -> dict[str, Any]:
    import tomllib   # here: a run without a settings file does not import it (nor compile its regexes)

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: {exc.strerror or exc}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    unknown = set(data) - {"limits"}
    if unknown:
        raise ConfigError(f"{path}: unknown table or setting {sorted(unknown)[0]!r}; expected [limits]")
    table = data.get("limits", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: limits must be a table ([limits])")
    known = {f.name for f in fields(Limits)}
    for key in table:
        if key not in known:
            raise ConfigError(f"{path}: unknown setting limits.{key}; known: {', '.join(sorted(known))}")
    return dict(table)


@dataclass
class FileScope:
    """What the code processing one file may consult (the limits) and report (warnings
    as ``(code, message)`` pairs)."""

    limits: Limits = field(default_factory=Limits)
    warnings: list[tuple[str, str]] = field(default_factory=list)

    def warn(self, code: str, message: str) -> None:
        self.warnings.append((code, message))


_CURRENT: contextvars.ContextVar[FileScope | None] = contextvars.ContextVar("notices_file_scope", default=None)


def current() -> FileScope:
    """The scope of the file being processed; outside ``using`` a throwaway scope with
    the default limits (warnings recorded there are dropped)."""
    scope = _CURRENT.get()
    return scope if scope is not None else FileScope()


@contextmanager
def using(limits: Limits | None = None) -> Iterator[FileScope]:
    """Make a fresh ``FileScope`` with ``limits`` current for the enclosed block."""
    scope = FileScope(limits or Limits())
    token = _CURRENT.set(scope)
    try:
        yield scope
    finally:
        _CURRENT.reset(token)


__all__ = ["Limits", "ConfigError", "FileScope", "load_limits", "parse_size", "current", "using"]
