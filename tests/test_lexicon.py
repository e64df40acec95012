"""Every file under pipeline/models/ is loaded through one loader that checks it against
its schema (pipeline/lexicon_schemas.py): unknown keys, wrong types, regexes that do not
compile and malformed lines are errors naming the file and the key or line; every key of
a schema is one that code reads."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from pydantic import BaseModel

from pipeline import lexicon
from pipeline.lexicon import LexiconError, check_models
from pipeline.lexicon_schemas import SCHEMAS
from tests.conftest import ROOT

MODELS = ROOT / "pipeline" / "models"
_LOADERS = (lexicon.load_yaml, lexicon.load_jsonl, lexicon.load_tsv, lexicon.load_dict)


def _clear():
    for load in _LOADERS:
        load.cache_clear()


@pytest.fixture
def models_copy(tmp_path, monkeypatch):
    """A copy of the models folder that NOTICES_MODELS points at (loader caches cleared)."""
    copy = tmp_path / "models"
    shutil.copytree(MODELS, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setenv("NOTICES_MODELS", str(copy))
    _clear()
    yield copy
    _clear()


def test_every_shipped_file_has_a_schema_and_matches_it():
    files = sorted(p.relative_to(MODELS).as_posix() for p in MODELS.rglob("*")
                   if p.is_file() and "__pycache__" not in p.parts)
    assert check_models() == files


def _edit(copy: Path, relative: str, old: str, new: str) -> None:
    path = copy / relative
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("relative,old,new,words", [
    ("units/heads.yaml", "bare_heads:", "bogus_key: [x]\nbare_heads:", ["units/heads.yaml", "key bogus_key", "unknown key"]),
    ("targets/lexicon.yaml", "currency_words:", "target_words: [力争]\ncurrency_words:",
     ["targets/lexicon.yaml", "key target_words", "unknown key"]),
    ("units/prefixes.yaml", "prefixes: [", "prefixes: 3\nold: [", ["units/prefixes.yaml", "key prefixes", "list"]),
    ("structure/furniture.yaml", "stop:\n", "stop:\n  - '(unclosed'\n", ["structure/furniture.yaml", "key stop.0",
                                                                         "not a valid regex"]),
    ("dates/holidays.yaml", "元旦: {fixed: [1, 1]}", "元旦: {fixed: [13, 1]}", ["dates/holidays.yaml", "key holidays.元旦.fixed.0"]),
    ("dates/holidays.yaml", "元旦: {fixed: [1, 1]}", "元旦: {fixed: [1, 1], lunar: 春节}", ["key holidays.元旦", "exactly one"]),
    ("structure/tables.yaml", "  number: [", "  numbr: [", ["structure/tables.yaml", "key columns.numbr"]),
    ("targets/lexicon.yaml", "约为: approx", "约为: about", ["key prefix_comparators.约为"]),
    ("ingest/docx.yaml", "max_members: 2000", "max_members: -1", ["ingest/docx.yaml", "key zip.max_members"]),
    ("structure/numbering.yaml", "cn_num:", "cn_num: [", ["structure/numbering.yaml", "not valid YAML"]),
])
def test_a_bad_yaml_file_is_an_error_naming_the_file_and_the_key(models_copy, relative, old, new, words):
    _edit(models_copy, relative, old, new)
    with pytest.raises(LexiconError) as exc:
        lexicon.load_yaml(relative)
    for w in words:
        assert w in str(exc.value), str(exc.value)


@pytest.mark.parametrize("relative,line,words", [
    ("units/patterns.jsonl", '{"label": "PER", "pattern": "张三"}', ["units/patterns.jsonl:", "key label"]),
    ("units/patterns.jsonl", '{"label": "ORG", "pattern": "x", "extra": 1}', ["key extra", "unknown key"]),
    ("units/patterns.jsonl", "not json", ["not a JSON object"]),
    ("dates/lunar_holidays.tsv", "2051\t2051-02-10\t2051-02-11\t2051-02-25\t2051-06-01\t2051-09-31\t2051-10-20",
     ["dates/lunar_holidays.tsv:", "key dates.中秋"]),
    ("dates/lunar_holidays.tsv", "2052\t2052-01-31", ["2 cells for the 7 columns"]),
    ("segment/user_dict.txt", "区总工会 many nt words", ["segment/user_dict.txt:", "word [freq] [tag]"]),
    ("segment/user_dict.txt", "区总工会 100 n1", ["key tag"]),
])
def test_a_bad_line_is_an_error_naming_the_file_and_the_line(models_copy, relative, line, words):
    path = models_copy / relative
    n = len(path.read_text(encoding="utf-8").splitlines()) + 1
    with path.open("a", encoding="utf-8") as fh:
        fh.write(line + "\n")
    loader = {"jsonl": lexicon.load_jsonl, "tsv": lexicon.load_tsv, "dict": lexicon.load_dict}[SCHEMAS[relative][0]]
    with pytest.raises(LexiconError) as exc:
        loader(relative)
    assert f"{relative}:{n}:" in str(exc.value)
    for w in words:
        assert w in str(exc.value), str(exc.value)


def test_a_file_without_a_schema_is_refused(models_copy):
    (models_copy / "units" / "new_list.yaml").write_text("words: [甲]\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"units/new_list.yaml: no schema for this file"):
        check_models()
    with pytest.raises(LexiconError, match="no schema"):
        lexicon.load_yaml("units/new_list.yaml")


def _fields(model: type[BaseModel]) -> set[str]:
    out = set()
    for name, info in model.model_fields.items():
        out.add(name)
        for arg in _types(info.annotation):
            if isinstance(arg, type) and issubclass(arg, BaseModel):
                out |= _fields(arg)
    return out


def _types(annotation):
    yield annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        yield from _types(arg)


def test_every_key_of_a_schema_is_read_by_code():
    """Keys no code reads are deleted, not kept: each key is named in the package's code
    (as a string, an attribute or a keyword) or, for word lists, in a {list:NAME} of the
    patterns of a rule file."""
    code = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "pipeline").rglob("*.py")
                     if p.name != "lexicon_schemas.py")
    # a word list named by a {list:NAME} of a rule file's patterns (dates/patterns.yaml, the
    # quantity patterns of targets/lexicon.yaml) is read through it
    patterns = "\n".join(p.read_text(encoding="utf-8") for p in sorted(MODELS.rglob("*.yaml")))
    unread = []
    for relative, (kind, model) in SCHEMAS.items():
        if kind != "yaml":
            continue
        for key in sorted(_fields(model)):
            k = re.escape(key)
            if not re.search(rf"""["']{k}["']|\.{k}\b|\b{k}=""", code) and f"{{list:{key}}}" not in patterns:
                unread.append(f"{relative}: {key}")
    assert unread == []
