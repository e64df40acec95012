"""What the unit extractor knows, read once from ``models/units/``.

In: the data files ``heads.yaml`` (organisation heads, bare heads, non-names, list
members), ``prefixes.yaml``, ``roles.yaml`` (role triggers), ``non_units.yaml``,
``abbreviations.yaml`` and ``patterns.jsonl`` (fixed names without a head, in spaCy
EntityRuler's format, validated here). Out: one frozen ``UnitLexicon`` (``lexicon()``,
cached per process). Matching on these sets never depends on the order of the files:
heads and triggers are looked up longest first.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..lexicon import load_jsonl, load_yaml


@dataclass(frozen=True)
class UnitLexicon:
    heads: tuple[str, ...]                  # longest first
    bare_heads: frozenset[str]
    verb_heads: frozenset[str]
    not_names: frozenset[str]
    list_members: frozenset[str]
    subunit_heads: tuple[str, ...]
    activity_heads: frozenset[str]
    activities: tuple[str, ...]
    acting_heads: frozenset[str]            # class heads: a name only where it acts
    acting_adverbs: tuple[str, ...]
    acting_verbs_not: tuple[str, ...]
    class_list_joiners: tuple[str, ...]
    class_list_closers: tuple[str, ...]
    class_list_stops: tuple[str, ...]
    modifier_marks: tuple[str, ...]
    report_openers: tuple[str, ...]
    duty_verbs: frozenset[str]              # with acting_verbs: what a class does
    class_triggers: frozenset[str]
    class_kinds: frozenset[str]
    acting_collectives: frozenset[str]
    joined_by: tuple[str, ...]
    designated_by: tuple[str, ...]          # X指定的部门: the designated unit, one name
    agent_heads: frozenset[str]
    alternative_heads: frozenset[str]
    agent_verbs: frozenset[str]
    short_subunit_heads: frozenset[str]
    prefixes: frozenset[str]
    inner_stops: frozenset[str]
    left_stops: frozenset[str]
    verb_stops: frozenset[str]              # left stops of two characters or more
    glued_rests: frozenset[str]
    stop_first_chars: frozenset[str]
    name_starts: frozenset[str]
    manner_words: frozenset[str]
    fixed_names: tuple[str, ...]            # from patterns.jsonl, longest first
    standalone_names: tuple[str, ...]       # names without a head (中央), longest first
    standalone_after: frozenset[str]        # what may follow such a name
    standalone_names_set: frozenset[str]
    abbreviations: dict
    expansions: dict
    definition_words: tuple[str, ...]       # 简称: declares a document's own short form, longest first
    definition_before: tuple[str, ...]      # 以下 (简称): may open its bracket, longest first
    levels: frozenset[str]
    acting_verbs: frozenset[str]
    roles: dict                             # roles.yaml lists, each sorted longest first
    non_units: dict                         # non_units.yaml lists, each sorted longest first
    head_last_chars: frozenset[str]
    head_set: frozenset[str]                # every head, for prefix lookups
    heads_by_last_char: dict                # last char -> multi-character heads, longest first
    head_lengths_by_last_char: dict         # last char -> their distinct lengths, longest first


def _longest_first(words) -> tuple[str, ...]:
    return tuple(sorted(set(words), key=lambda w: (-len(w), w)))


def _fixed_names() -> tuple[str, ...]:
    """Phrase patterns of ``models/units/patterns.jsonl`` (EntityRuler format: one
    ``{"label": "ORG", "pattern": "<text>"}`` a line); a malformed line is an error."""
    return _longest_first([entry.pattern for entry in load_jsonl("units/patterns.jsonl")])


@lru_cache(maxsize=1)
def lexicon() -> UnitLexicon:
    """The unit lexicon, built once per process."""
    h = load_yaml("units/heads.yaml")
    p = load_yaml("units/prefixes.yaml")
    abbr = load_yaml("units/abbreviations.yaml")
    roles = {k: _longest_first(v) for k, v in load_yaml("units/roles.yaml").items()}
    non_units = {k: _longest_first(v) for k, v in load_yaml("units/non_units.yaml").items()}
    heads = _longest_first(h["heads"])
    # a name stops growing leftwards at a role trigger or an object verb
    left_stops = set(p["left_stops"])
    for key in ("rule_openers", "report_before", "partner_before", "lead_before"):
        left_stops.update(roles[key])
    left_stops.update(non_units["object_before"])
    by_last: dict[str, list[str]] = {}
    for head in heads:
        if len(head) >= 2:
            by_last.setdefault(head[-1], []).append(head)
    return UnitLexicon(
        heads=heads,
        bare_heads=frozenset(h["bare_heads"]),
        verb_heads=frozenset(h["verb_heads"]),
        not_names=frozenset(h["not_names"]),
        list_members=frozenset(h["list_members"]),
        subunit_heads=_longest_first(h["subunit_heads"]),
        activity_heads=frozenset(h["activity_heads"]),
        activities=_longest_first(h["activities"]),
        acting_heads=frozenset(h["acting_heads"]),
        acting_adverbs=_longest_first(h["acting_adverbs"]),
        acting_verbs_not=_longest_first(h["acting_verbs_not"]),
        class_list_joiners=_longest_first(h["class_list_joiners"]),
        class_list_closers=_longest_first(h["class_list_closers"]),
        class_list_stops=_longest_first(h["class_list_stops"]),
        modifier_marks=_longest_first(h["modifier_marks"]),
        report_openers=_longest_first(h["report_openers"]),
        duty_verbs=frozenset(h["duty_verbs"]) | frozenset(p["acting_verbs"]),
        class_triggers=frozenset(h["class_triggers"]),
        class_kinds=frozenset(h["class_kinds"]),
        acting_collectives=frozenset(h["acting_collectives"]),
        joined_by=_longest_first(h["joined_by"]),
        designated_by=_longest_first(h["designated_by"]),
        agent_heads=frozenset(h["agent_heads"]),
        alternative_heads=frozenset(h["alternative_heads"]),
        agent_verbs=frozenset(h["agent_verbs"]) | frozenset(h["activities"]),
        short_subunit_heads=frozenset(h["short_subunit_heads"]),
        prefixes=frozenset(p["prefixes"]),
        inner_stops=frozenset(p["inner_stops"]),
        left_stops=frozenset(left_stops),
        verb_stops=frozenset(w for w in left_stops if len(w) >= 2),
        glued_rests=frozenset(p["glued_rests"]),
        stop_first_chars=frozenset(w[0] for w in left_stops if w),
        name_starts=frozenset(p["prefixes"]) | frozenset(h["list_members"]),
        manner_words=frozenset(p["manner_words"]),
        fixed_names=_fixed_names(),
        standalone_names=_longest_first(h["standalone_names"]),
        standalone_after=frozenset(h["standalone_after"]),
        standalone_names_set=frozenset(h["standalone_names"]),
        abbreviations=dict(abbr["abbreviations"]),
        expansions=dict(abbr.get("expansions") or {}),
        definition_words=_longest_first(abbr["definitions"]["words"]),
        definition_before=_longest_first(abbr["definitions"]["before"]),
        levels=frozenset(p["levels"]),
        acting_verbs=frozenset(p["acting_verbs"]),
        roles=roles,
        non_units=non_units,
        head_last_chars=frozenset(x[-1] for x in heads),
        head_set=frozenset(heads),
        heads_by_last_char={k: tuple(v) for k, v in by_last.items()},
        head_lengths_by_last_char={k: tuple(sorted({len(h) for h in v}, reverse=True)) for k, v in by_last.items()},
    )


@lru_cache(maxsize=65536)
def head_of(word: str) -> str | None:
    """The longest organisation head ``word`` ends with, or None."""
    return longest_ending(word, lexicon().head_set)


@lru_cache(maxsize=256)
def _lengths(words: frozenset[str], longest: int) -> tuple[int, ...]:
    """The distinct lengths of ``words`` up to ``longest``, shortest first (per word set)."""
    return tuple(sorted({len(w) for w in words if 0 < len(w) <= longest}))


def ends_with_any(text: str, words: frozenset[str], longest: int = 12) -> bool:
    """Whether ``text`` ends with one of ``words`` (a set lookup per suffix length)."""
    size = len(text)
    for n in _lengths(words, longest):
        if n > size:
            return False
        if text[-n:] in words:
            return True
    return False


def longest_ending(text: str, words: frozenset[str]) -> str | None:
    """The longest of ``words`` that ``text`` ends with, or None (a set lookup per length,
    longest first)."""
    for n in reversed(_lengths(words, len(text))):
        if text[-n:] in words:
            return text[-n:]
    return None


def starts_with_any(text: str, words: frozenset[str], longest: int = 12) -> str | None:
    """The longest of ``words`` that ``text`` starts with, or None."""
    size = len(text)
    for n in reversed(_lengths(words, longest)):
        if n <= size and text[:n] in words:
            return text[:n]
    return None


def is_member(word: str) -> bool:
    """A kind-of-unit word that can stand in a shared-head list (镇, 各镇, 委局)."""
    members = lexicon().list_members
    return word in members or (word.startswith("各") and word[1:] in members)
