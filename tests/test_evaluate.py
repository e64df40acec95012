"""`notices eval`: per-notice figures and the listing of misses are exact."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from pipeline.evaluate import evaluate, miss_lines, per_notice_rows
from pipeline.runner import run
from pipeline.store import Store
from tests.conftest import GOLD_DIR, SAMPLE_FILES

NAME = SAMPLE_FILES[1].name


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    run(SAMPLE_FILES[:2], out, workers=1)
    return out


def _gold(tmp_path, edit=None):
    gold = tmp_path / "gold"
    gold.mkdir(parents=True)
    for path in SAMPLE_FILES[:2]:
        data = json.loads((GOLD_DIR / f"{path.stem}.json").read_text(encoding="utf-8"))
        if edit and path.name == NAME:
            edit(data)
        (gold / f"{path.stem}.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return gold


def test_a_changed_gold_unit_is_one_miss_and_one_extra_of_that_notice_only(out, tmp_path):
    changed = {}

    def edit(data):
        task = next(t for t in data["tasks"] if t["units"])
        changed["path"], changed["name"] = "/".join(task["path"]), task["units"][0]["name"]
        task["units"][0]["name"] = "某某不存在的单位"
    clean_report = evaluate(_gold(tmp_path / "a"), Store(out))
    report = evaluate(_gold(tmp_path / "b", edit), Store(out))
    lines = miss_lines(report, "units")
    assert len(lines) == len(miss_lines(clean_report, "units")) + 2
    assert f"{NAME}\t{changed['path']}\tunits\tmissed\t'某某不存在的单位" in "\n".join(lines)
    assert any(line.startswith(f"{NAME}\t{changed['path']}\tunits\textra\t'{changed['name']}") for line in lines)
    # the other notice's figures do not move; this one's unit F1 falls
    other = SAMPLE_FILES[0].name
    assert report["per_notice"][other] == clean_report["per_notice"][other]
    assert report["per_notice"][NAME]["units"]["f1"] < clean_report["per_notice"][NAME]["units"]["f1"]
    rows = {r[0]: r for r in per_notice_rows(report)}
    assert set(rows) == {other, NAME} and len(rows[NAME]) == 11


def test_wrong_metadata_is_listed_with_gold_and_prediction(out, tmp_path):
    report = evaluate(_gold(tmp_path, lambda d: d["meta"].update(title="另一个标题")), Store(out))
    lines = miss_lines(report, "meta")
    assert len(lines) == 1 and lines[0].startswith(f"{NAME}\t-\tmeta.title\twrong\tgold '另一个标题' pred ")


def test_cli_prints_the_per_notice_table_and_misses(out, tmp_path):
    gold = _gold(tmp_path, lambda d: d["meta"].update(issuer="另一机关"))
    res = subprocess.run([sys.executable, "-m", "pipeline", "eval", "--gold", str(gold), "--pred", str(out),
                          "--per-notice", "--misses"], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert "per notice" in res.stdout and "kind=t" in res.stdout
    assert f"{NAME}\t-\tmeta.issuer\twrong\tgold '另一机关'" in res.stdout


def test_the_totals_are_the_sums_of_the_notices(out, tmp_path):
    report = evaluate(_gold(tmp_path, lambda d: d["meta"].update(title="另一个标题")), Store(out))
    notices = report["per_notice"].values()
    for field in ("tasks", "units", "dates", "targets"):
        for count in ("tp", "fp", "fn"):
            assert report[field][count] == sum(n[field][count] for n in notices)
    assert report["metadata"]["all"]["n"] == sum(n["metadata"]["all"]["n"] for n in notices)
    assert report["metadata"]["title"]["accuracy"] == 0.5   # one of two titles wrong


def test_a_unit_named_twice_in_a_task_pairs_with_the_prediction_of_the_same_role(out, tmp_path):
    # the same name twice in one task (lead and report_to): pairing in order alone would
    # score one wrong role when the prediction lists them the other way round
    def edit(data):
        task = next(t for t in data["tasks"] if t["units"])
        first = task["units"][0]
        other = "report_to" if first["role"] != "report_to" else "lead"
        task["units"].insert(0, {**first, "role": other})
    report = evaluate(_gold(tmp_path, edit), Store(out))
    clean_report = evaluate(_gold(tmp_path / "clean"), Store(out))
    role, clean_role = report["per_notice"][NAME]["units"]["role_accuracy"], \
        clean_report["per_notice"][NAME]["units"]["role_accuracy"]
    # one more gold unit, unmatched; the roles of the matched ones are as right as before
    assert report["per_notice"][NAME]["units"]["fn"] == clean_report["per_notice"][NAME]["units"]["fn"] + 1
    assert role == clean_role
    assert [ln for ln in miss_lines(report, "unit.role")] == [ln for ln in miss_lines(clean_report, "unit.role")]
