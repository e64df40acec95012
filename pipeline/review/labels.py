"""The review site's words (``labels.yaml``): Chinese (``zh``, the default: the analysts read Chinese) and
English (``en``, ``notices review --lang en``). Each language has the same keys; values
of the output's closed sets (role, kind, comparator, doc_type, level) have a label each,
and an unknown value is shown as it is."""
from __future__ import annotations

from importlib import resources

import yaml

# the words live in labels.yaml beside this module (package data)
LABELS: dict[str, dict] = yaml.load(resources.files(__package__).joinpath("labels.yaml").read_text(encoding="utf-8"),
                                    Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
LANGS = tuple(LABELS)


def labels(lang: str) -> dict:
    """The words of ``lang`` (``zh`` or ``en``); ValueError for another language."""
    if lang not in LABELS:
        raise ValueError(f"unknown language {lang!r}: use {' or '.join(LANGS)}")
    return LABELS[lang]


def value(words: dict, group: str, v) -> str:
    """The label of value ``v`` of a closed set (``role``, ``date_kind`` …), else ``v``."""
    return "" if v is None else words[group].get(v, str(v))
