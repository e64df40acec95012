"""Every file under pipeline/models/ is loaded through one loader that checks it against
its schema (pipeline/lexicon_schemas.py): unknown keys, wrong types, regexes that do not
compile and malformed lines are errors naming the file and the key or line; every key of
a schema is one that code reads."""
from __future__ import annotations

import os
import pickle
import re
import shutil
import subprocess
import sys
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


# -- the cache of checked files ------------------------------------------------------------

@pytest.fixture
def cache(tmp_path, monkeypatch):
    """An empty cache folder that NOTICES_CACHE_DIR points at (loader caches cleared)."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("NOTICES_CACHE_DIR", str(folder))
    _clear()
    yield folder / "lexicons"
    _clear()


def _entries(folder: Path, relative: str) -> list[Path]:
    stem = relative.replace("/", ".")
    return sorted(p for p in folder.glob("*.pickle") if p.name.rsplit(".", 2)[0] == stem)


def test_a_later_process_takes_checked_files_from_the_cache_without_yaml(tmp_path):
    """The second process reads every file from the cache (PyYAML not even imported) and
    gets what reading and checking them gives (the first process, and one without a cache)."""
    code = ("import pickle, sys; from pipeline import lexicon; from pipeline.lexicon_schemas import SCHEMAS; "
            "out = {r: getattr(lexicon, 'load_' + f)(r) for r, (f, _) in SCHEMAS.items()}; "
            "sys.stdout.buffer.write(pickle.dumps((out, 'yaml' in sys.modules)))")

    def run(cache_dir: str):
        env = {**os.environ, "NOTICES_CACHE_DIR": cache_dir}
        res = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, timeout=120)
        assert res.returncode == 0, res.stderr.decode()
        return pickle.loads(res.stdout)

    first, yaml_first = run(str(tmp_path))
    again, yaml_again = run(str(tmp_path))
    uncached, _ = run("")
    assert yaml_first and not yaml_again
    assert again == first == uncached
    assert len(list((tmp_path / "lexicons").glob("*.pickle"))) == len(SCHEMAS)
    assert list((ROOT / "pipeline").rglob("*.pickle")) == []   # nothing in the package


def test_a_changed_file_is_read_and_checked_again_never_served_from_the_cache(models_copy, cache):
    relative = "units/prefixes.yaml"
    before = lexicon.load_yaml(relative)
    [entry] = _entries(cache, relative)
    _edit(models_copy, relative, "prefixes: [", "prefixes: [甲乙丙, ")
    _clear()
    after = lexicon.load_yaml(relative)
    assert after["prefixes"] == ["甲乙丙"] + before["prefixes"]
    assert _entries(cache, relative) != [entry] and not entry.exists()   # the earlier content's entry is dropped
    _edit(models_copy, relative, "prefixes: [", "prefixes: 3\nold: [")
    _clear()
    with pytest.raises(LexiconError, match="key prefixes"):
        lexicon.load_yaml(relative)


def test_a_cache_entry_that_cannot_be_read_is_a_miss(cache):
    relative = "dates/lunar_holidays.tsv"
    rows = lexicon.load_tsv(relative)
    [entry] = _entries(cache, relative)
    entry.write_bytes(entry.read_bytes()[:20])   # cut short
    _clear()
    assert lexicon.load_tsv(relative) == rows
    assert pickle.loads(entry.read_bytes()) == rows   # written again, whole


def test_a_cache_folder_others_may_write_to_is_not_used(cache):
    cache.mkdir(parents=True)
    cache.chmod(0o777)
    assert lexicon.load_yaml("units/abbreviations.yaml")
    assert list(cache.iterdir()) == []


def test_check_models_checks_every_file_whatever_the_cache_holds(models_copy, cache):
    """An entry for a file's bytes is trusted by the loaders (the key is those bytes), never
    by ``check_models``: here one is planted for a broken file."""
    relative = "structure/furniture.yaml"
    _edit(models_copy, relative, "stop:\n", "stop:\n  - '(unclosed'\n")
    entry = lexicon._cache_entry(relative, "yaml", (models_copy / relative).read_bytes())
    entry.parent.mkdir(parents=True)
    entry.write_bytes(pickle.dumps({"planted": True}))
    assert lexicon.load_yaml(relative) == {"planted": True}
    with pytest.raises(LexiconError, match="not a valid regex"):
        check_models()
