"""Inline responsibility labels: ``（牵头单位：区总工会；责任单位：各街道总工会、区人社局）``.

Plans often close a task with who leads and who helps, as labelled lists. The label
says the role, with the words of a task-breakdown table's columns
(``models/structure/tables.yaml``): names after 牵头单位/责任单位/责任部门 are leads,
after 配合单位/协办单位 partners, whatever the words around them. ``label_scopes(view)``
returns, for each label, where the label starts, where its list starts and ends (at
；。）or a line end, or the next label) and the role.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..lexicon import load_yaml
from ..text.punctuation import LABEL_SCOPE_END


@dataclass(frozen=True)
class LabelScope:
    label_start: int
    start: int      # the list after the label's colon
    end: int
    role: str


@lru_cache(maxsize=1)
def _label_regex() -> re.Pattern:
    cols = load_yaml("structure/tables.yaml")["columns"]
    words = {w: role for role in ("lead", "partner") for w in cols[role]
             if len(w) >= 3 or w.endswith(("单位", "部门"))}
    alt = "|".join(map(re.escape, sorted(words, key=len, reverse=True)))
    return re.compile(rf"(?P<label>{alt})\s*[:：]\s*"), words


def label_scopes(view: str) -> list[LabelScope]:
    rx, roles = _label_regex()
    if "：" not in view and ":" not in view:
        return []
    found = list(rx.finditer(view))
    out = []
    for n, m in enumerate(found):
        stop = found[n + 1].start() if n + 1 < len(found) else len(view)
        scope_end = _SCOPE_END.search(view, m.end(), stop)   # the first end mark before the next label
        out.append(LabelScope(m.start(), m.end(), scope_end.start() if scope_end else stop, roles[m.group("label")]))
    return out


_SCOPE_END = re.compile("[" + re.escape(LABEL_SCOPE_END) + "]")
