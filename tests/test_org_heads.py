"""Organisation heads live once (issue 15): ``models/text/org_heads.yaml``, read by the
header's readers (structure/metadata.py) and by the signature rule (furniture.yaml's
``{heads}``, structure/outline.py)."""
from __future__ import annotations

import pytest

from pipeline.lexicon import load_yaml
from pipeline.structure import metadata, outline

HEADS = load_yaml("text/org_heads.yaml")


@pytest.mark.parametrize("head", HEADS["heads"])
def test_a_signature_line_ends_in_a_head(head):
    signature_org = outline._furniture()[1]
    assert signature_org.match("杭州市西湖区" + head)
    assert signature_org.match("杭州市西湖区" + head + "（印章）")


@pytest.mark.parametrize("head", HEADS["heads"])
def test_an_issuer_name_ends_in_a_head(head):
    assert metadata._has_suffix("杭州市西湖区" + head)


def test_a_name_without_a_head_is_neither():
    signature_org = outline._furniture()[1]
    assert not signature_org.match("杭州市西湖区人民")
    assert not metadata._has_suffix("杭州市西湖区人民")


def test_each_head_is_listed_once():
    both = HEADS["heads"]
    assert len(both) == len(set(both))
