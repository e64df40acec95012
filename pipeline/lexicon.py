"""Where the extractors' knowledge lives: the data files under ``pipeline/models/``.

Every lexicon, trigger list and table is a small commented file in ``pipeline/models/``,
shipped inside the package (package data, found with ``importlib.resources`` wherever pip
put the package); code reads them through the helpers here, each file loaded once per
process (``lru_cache``). Set ``NOTICES_MODELS`` to point at another copy of the folder.
"""
from __future__ import annotations

import os
from importlib import resources
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

# libyaml's safe loader when PyYAML was built with it (same result, ~10x faster to load)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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


@lru_cache(maxsize=None)
def load_yaml(relative: str) -> Any:
    """Parse ``models/<relative>`` as YAML (loaded once)."""
    with model_path(relative).open(encoding="utf-8") as fh:
        return yaml.load(fh, Loader=_LOADER)


@lru_cache(maxsize=None)
def load_lines(relative: str) -> tuple[str, ...]:
    """Non-empty lines of ``models/<relative>``, without ``#`` comments (loaded once)."""
    out = []
    with model_path(relative).open(encoding="utf-8") as fh:
        for line in fh:
            line = line.split("#", 1)[0].strip()
            if line:
                out.append(line)
    return tuple(out)
