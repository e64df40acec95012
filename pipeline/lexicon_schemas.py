"""The schema of every file under ``pipeline/models/``: what ``lexicon.py`` checks each
file against when it is loaded.

One pydantic model per file (``SCHEMAS``, by path relative to the models folder); an
unknown key is an error (``extra="forbid"``), so a misspelt key fails at load instead of
being silently ignored, and every key here is one that code reads. Word lists are
``Words`` (any strings: add entries freely); regexes that are used as they are written
must compile. Line-based files (``.jsonl``, ``.tsv``, the segmenter's dictionaries) have
a model per line (in ``lexicon_rows.py``). To add a key to a lexicon, add it here too.
"""
# (no ``from __future__ import annotations``: pydantic would evaluate each field's annotation
# from its text when the class is made, ~30 M instructions of the start)
import re
from typing import Annotated, Literal, Optional, Union

from pydantic import AfterValidator, BaseModel, Field, model_validator

from .lexicon_rows import DictLine, FixedName, LunarRow, RadicalRow, Strict
from .records import Comparator, DocType, TargetKind


def _compiles(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"not a valid regex ({exc})") from None
    return pattern


Words = list[str]
Regex = Annotated[str, AfterValidator(_compiles)]
PositiveInt = Annotated[int, Field(gt=0)]
Share = Annotated[float, Field(gt=0, le=1)]


# -- clean/ -------------------------------------------------------------------------------

class DebrisInline(Strict):
    pattern: Regex
    needs: Optional[str] = None


class Wrap(Strict):
    min_lines: PositiveInt
    min_width: PositiveInt
    min_share: Annotated[float, Field(gt=0, le=1)]
    min_run_on: Annotated[float, Field(ge=0, le=1)]
    tolerance: Annotated[float, Field(ge=0)]
    indent: Annotated[float, Field(ge=0)]
    half_width: Regex
    wide_share: Share
    label_gap: Annotated[float, Field(ge=0)]


class Spans(Strict):
    fragment: PositiveInt
    min_short: Share
    min_broken: Share
    number: Regex
    field_label: PositiveInt


class Debris(Strict):
    inline: list[Union[DebrisInline, Regex]]
    max_line_chars: PositiveInt = 60
    wrap: Wrap
    spans: Spans
    lines: list[Regex]
    title_line: Regex
    title_about: Words
    date_fragment: Regex
    date_line: Regex
    opens_new: Words


# -- text/ --------------------------------------------------------------------------------

Digit = Annotated[int, Field(ge=0, le=9)]


class Minguo(Strict):
    eras: Words
    offset: PositiveInt
    below: PositiveInt


class PageNumbers(Strict):
    anywhere: list[Regex]
    page_edge: list[Regex]
    unnumbered_pages: Annotated[int, Field(ge=0)] = 10


class Numerals(Strict):
    digits: dict[Digit, Words]
    formal_digits: dict[Digit, Words]
    year_zeros: Words
    units: dict[str, PositiveInt]
    formal_units: dict[str, PositiveInt]
    big: dict[str, PositiveInt]
    point: Words
    minguo: Minguo


Marks = Annotated[str, Field(min_length=1)]
MarkKind = Literal["stops", "semicolons", "commas", "pause", "colons", "ellipsis", "closers",
                   "openers", "dashes", "cell_enders", "newline",
                   "wide_dot", "number_opener"]
OneMark = Annotated[str, Field(min_length=1, max_length=1)]
QuotePair = Annotated[str, Field(min_length=2, max_length=2)]


class PunctuationClasses(Strict):
    sentence_end: list[MarkKind]
    sentence_break: list[MarkKind]
    line_end: list[MarkKind]
    paragraph_end: list[MarkKind]
    clause_mark: list[MarkKind]
    role_clause: list[MarkKind]
    clause_end: list[MarkKind]
    clause_break: list[MarkKind]
    item_break: list[MarkKind]
    phrase_end: list[MarkKind]
    object_end: list[MarkKind]
    prose_mark: list[MarkKind]
    label_scope_end: list[MarkKind]
    cell_end: list[MarkKind]
    no_line_start: list[MarkKind]
    open_end: list[MarkKind]


class Quotes(Strict):
    pairs: list[QuotePair]     # opening and closing mark
    straight: OneMark          # a mark that opens and closes (")


class Punctuation(Strict):
    marks: dict[MarkKind, Marks]      # kinds of marks, read through the classes
    classes: PunctuationClasses
    brackets: dict[OneMark, OneMark]
    ocr_closers: dict[OneMark, dict[OneMark, OneMark]]
    half_to_full: dict[OneMark, OneMark]
    quotes: Quotes


# -- structure/period.yaml ----------------------------------------------------------------

class PeriodPatterns(Strict):
    date_line: str
    iso_line: str
    year_range: str
    title_year: str
    quarter: str
    month: str
    any_year: str
    opening_year: str
    ymd: str
    holiday_year: str
    issues: str
    issued: str
    enclosed: str


MonthDay = tuple[Annotated[int, Field(ge=1, le=12)], Annotated[int, Field(ge=1, le=31)]]


class Period(Strict):
    fragments: dict[str, str]     # named by the patterns ({name}), not by the code
    patterns: PeriodPatterns
    halves: dict[str, tuple[MonthDay, MonthDay]]


# -- dates/ -------------------------------------------------------------------------------

class Holiday(Strict):
    fixed: Optional[tuple[Annotated[int, Field(ge=1, le=12)], Annotated[int, Field(ge=1, le=31)]]] = None
    lunar: Optional[str] = None
    needs_after: Words = []

    @model_validator(mode="after")
    def _one_calendar(self):
        if (self.fixed is None) == (self.lunar is None):
            raise ValueError("give exactly one of fixed: [month, day] or lunar: <column of lunar_holidays.tsv>")
        return self


class Holidays(Strict):
    holidays: dict[str, Holiday]
    holiday_refs: Words
    name_followers: Words
    name_preceders: Words
    after_quote: Words
    pair_span: Words
    pair_joiners: Words
    pair_names: Words
    pair_alone: dict[str, list[tuple[str, str]]]


MonthDay = Annotated[int, Field(ge=0, le=31)]    # 0: the month's last day
Month = Annotated[int, Field(ge=1, le=12)]


class Parts(Strict):
    month_parts: dict[str, tuple[MonthDay, MonthDay]]
    year_parts: dict[str, tuple[Month, MonthDay, Month, MonthDay]]
    plan_year_parts: Words
    relative_years: dict[str, int]
    relative_months: dict[str, int]
    month_aliases: dict[str, int]
    lead_in_months: Annotated[int, Field(ge=0, le=12)]


class DatePatterns(Strict):
    gate: Optional[str] = None
    fragments: dict[str, str]
    patterns: dict[str, str]

    @model_validator(mode="after")
    def _gate_is_a_fragment(self):
        if self.gate is not None and self.gate not in self.fragments:
            raise ValueError(f"gate {self.gate!r} is not one of the fragments")
        return self


class Triggers(Strict):
    deadline_suffixes: Words
    range_closers: Words
    deadline_prefixes: Words
    deadline_open_prefixes: Words
    start_suffixes: Words
    start_in_text: Words
    start_prepositions: Words
    start_verbs: Words
    not_deadline: Words
    range_joiners: Words
    digit_range_joiners: Words
    now_words: Words
    now_end_words: Words
    year_name_followers: Words
    not_before: Words
    not_after: Words
    amount_after: Words
    number_row_before: Regex
    number_row_after: Regex
    plan_year_keep_after: Words
    rel_not_before: Words
    cn_month_ok_before: Words
    start_adverbs: Words
    suffix_gap: Regex
    deadline_labels: Words
    recurring_markers: Words
    start_prefixes: Words
    bare_day_triggers: Words
    range_time: Regex
    list_joiners: Words
    anniversary_words: Words
    numeral_like: Words
    doc_reference_after: Regex
    sentence_recurring_markers: Words
    article_label: Regex
    rule_min_articles: PositiveInt
    rel_year_joiners: Words
    year_char: str
    start_mark: str
    year_joiners: Words
    anniversary_copula: str
    deadline_label_tail: Regex
    year_span_before: Regex
    year_to_before: Regex
    deadline_cell_range: Regex
    deadline_cell_ongoing: Regex


# -- ingest/ ------------------------------------------------------------------------------

class ZipBounds(Strict):
    max_members: PositiveInt
    max_member_bytes: PositiveInt
    max_total_bytes: PositiveInt
    max_ratio: Annotated[float, Field(gt=0)]
    ratio_min_bytes: PositiveInt
    max_document_xml_bytes: PositiveInt


class WordNumbering(Strict):
    cn_digits: Annotated[str, Field(min_length=10, max_length=10)]
    cn_digital: Annotated[str, Field(min_length=10, max_length=10)]
    cn_legal_digits: Annotated[str, Field(min_length=10, max_length=10)]
    cn_units: Annotated[str, Field(min_length=3, max_length=3)]
    cn_legal_units: Annotated[str, Field(min_length=3, max_length=3)]
    label_ends: str
    tables: dict[str, Annotated[str, Field(min_length=1)]]


class Docx(Strict):
    zip: ZipBounds
    numbering: WordNumbering


class HtmlDebris(Strict):
    parts: Words
    names: Words
    prefixes: Words


class Html(Strict):
    drop_tags: Words
    protect_tags: Words
    protect_share: Share
    debris: HtmlDebris
    content_hints: Words
    min_content_chars: PositiveInt
    widen_share: Share
    widen_max_chars: PositiveInt
    title_tags: Words
    title_parts: Words
    title_max_chars: PositiveInt
    layout_cell_chars: PositiveInt
    max_colspan: PositiveInt


class PdfLayoutTable(Strict):
    min_rows: PositiveInt
    single_cell_share: Share
    header_word_chars: PositiveInt
    prose_chars: PositiveInt
    prose_share: Share
    min_cover: Share


class PdfContents(Strict):
    heading: Regex
    entry: Regex
    bare_entry: Regex
    min_entries: PositiveInt
    max_wrap_chars: PositiveInt


class PdfOcr(Strict):
    max_layer_chars: Annotated[int, Field(ge=0)]
    min_image_share: Share
    dpi: PositiveInt
    min_score: Annotated[float, Field(ge=0, le=1)]
    time_share: Share


class Pdf(Strict):
    furniture_min_share: Share = 0.5
    table_min_paths: PositiveInt
    table_min_box: tuple[Annotated[float, Field(ge=0)], Annotated[float, Field(ge=0)]]
    layout_table: PdfLayoutTable
    contents: PdfContents
    ocr: PdfOcr


# -- structure/ ---------------------------------------------------------------------------

class Furniture(Strict):
    contact: Regex
    contact_item_max: PositiveInt = 60
    contact_detail: Regex
    stop: list[Regex]
    signature_org: Regex
    attachment_heading: Regex
    attachment_start: Regex
    form_endings: Words
    contents_heading: Regex
    contents_line: Regex
    body_attachment_words: Words      # an attachment titled with one is an enclosed plan (§7), its items are tasks
    cover_note_items: PositiveInt = 6
    attachment_list: Regex
    attachment_word: Regex


class InfoBox(Strict):
    labels: dict[Literal["issuer", "doc_number", "issue_date", "title"], Regex]
    placeless: Regex


class OrgHeads(Strict):
    heads: Words                      # what an organisation's name ends with (every structure reader)


class MetadataBounds(Strict):
    """How far the metadata readers look (line counts and lengths)."""
    header_lines: PositiveInt
    header_scan_lines: PositiveInt
    header_fallback_lines: PositiveInt
    info_box_lines: PositiveInt
    signature_lines: PositiveInt
    signers_max: PositiveInt
    issuer_field_lines: PositiveInt
    doc_number_line_chars: PositiveInt


class Metadata(Strict):
    issuer_line: Regex
    doc_number: Regex
    title_words: Words
    doc_types: dict[DocType, Words]
    not_issuer: Words
    issuer_joiners: Regex
    order_number: Regex
    doc_number_dash: Regex
    title_tail: Regex
    title_min_chars: int
    title_first_part_min: int
    title_prefix: Regex
    title_number_suffix: Regex
    attachment_label: Regex
    title_max_chars: int
    file_word: Regex                  # 文件 before or after an issuer's name
    file_end: Regex
    issuing: Regex                    # a title that issues a document (印发)
    enclosed_title: list[Regex]       # group 1: the enclosed document's title
    enclosing_sentence: list[Regex]   # group 1: the enclosed document's title, in the cover note
    run_on_title: Regex               # named group t: the title
    run_on_cited_openers: Words
    title_not_part: Regex
    title_qualifier_line: Regex
    furniture: list[Regex]
    issuer_field: Regex
    recipients_no_colon: Regex
    recipients_max_chars: int
    recipients_stop: Regex
    recipients_not_openers: Words
    recipients_max_lines: PositiveInt
    recipients_words: Words
    notice_endings: Words
    body_genre: dict[str, Words]
    validity: Regex
    in_force: Regex
    five_year_plans: dict[str, list[int]]
    holiday_context: Words
    phase: Regex                      # 第一阶段（3月—4月）: named groups y1 m1 d1 y2 m2 d2
    info_box: InfoBox
    bounds: MetadataBounds


class NumberingStyle(Strict):
    pattern: str                      # {cn} stands for cn_num
    rank: Optional[int] = None
    inline: bool = False
    inline_in_article: bool = False

    @model_validator(mode="after")
    def _has_label(self):
        if "(?P<label>" not in self.pattern:
            raise ValueError("the pattern needs a named group (?P<label>…)")
        return self


class Headings(Strict):
    styles: Words
    not_followed_by: Regex
    sentence_end: Regex
    max_gap: PositiveInt


class Numbering(Strict):
    cn_num: Regex
    styles: dict[str, NumberingStyle]
    article_groupings: list[str] = []
    headings: Headings

    @model_validator(mode="after")
    def _groupings_are_styles(self):
        unknown = set(self.article_groupings) - set(self.styles)
        if unknown:
            raise ValueError(f"article_groupings names no style: {sorted(unknown)}")
        return self


ColumnRole = Literal["number", "section", "task", "lead", "partner", "deadline"]


class Tables(Strict):
    columns: dict[ColumnRole, Words]


# -- targets/ -----------------------------------------------------------------------------

class QuantityPatterns(Strict):
    quantity: str
    counted: str


class Targets(Strict):
    units: Words
    per_units: Words
    per_times: Words
    per_dot: str
    unit_not_after: dict[str, Words]
    currency_words: Words
    money: dict[str, Annotated[float, Field(gt=0)]]
    prefix_comparators: dict[str, Comparator]
    suffix_comparators: dict[str, Comparator]
    range_joiners: Words
    redaction: Regex
    achieved_words: Words
    plan_words_in_summaries: Words
    achieved_words_outside_plans: Words
    info_words: Words
    qualifier_heads: Words
    not_after: Words
    not_before: Words
    summary_nouns: Words
    duration_units: Words
    duration_amount_words: Words
    count_nouns: dict[str, str]
    count_noun_verbs: Words
    one_counts: Words
    slogans: Words
    programme_objects: Words
    goal_count_units: Words
    goal_objects: Words
    package_units: Words
    package_verbs: Words
    qualifier_attributes: Words
    stock_after: Words
    not_scoped: Words
    list_joiners: Words
    measure_units: Words
    period_words: Words
    reported_aspect: Words
    reported_not: Words
    planned_aspect: Words
    planned_not: Words
    duration_nouns: Words
    arithmetic_signs: Words
    formula_signs: Words
    table_cell: Regex
    table_row: Regex
    interval: Regex
    more_than: Words
    approx_after: str
    money_unit: str
    article_numeral: str
    list_etc: str
    list_marks: Regex
    every: Regex
    object_run: Regex
    quantity_fragments: dict[str, str]      # named by the patterns ({name}), not by the code
    quantity_patterns: QuantityPatterns
    object_cut: Regex
    attributive: str
    attribute_linkers: str
    breakdown_word: str
    done_marks: Words
    there_is: str
    there_is_done: str
    now_words: Words
    info_endings: Words


class TargetKinds(Strict):
    condition_after: Words
    inclusion_notes: Words
    nominal_ends: Words
    required_nouns: Words
    share_units: Words
    condition_openers: Words
    condition_comparisons: Words
    parameter_words: Words
    parameter_not: Words
    parameter_after: Words
    reach_words: Words
    requirement_after: Words
    rate_kind: TargetKind
    naming_verbs: Words
    naming_objects: Words
    spec_attributes: Words
    bound_words: Words
    condition_then: Words
    report_marks: Words
    report_not: Words


# -- units/ -------------------------------------------------------------------------------

class AbbreviationDefinitions(Strict):
    words: Words
    before: Words


class Abbreviations(Strict):
    abbreviations: dict[str, str]
    expansions: dict[str, str]
    definitions: AbbreviationDefinitions


class Heads(Strict):
    heads: Words
    bare_heads: Words
    verb_heads: Words
    not_names: Words
    list_members: Words
    subunit_heads: Words
    activity_heads: Words
    activities: Words
    acting_heads: Words
    acting_adverbs: Words
    acting_verbs_not: Words
    class_list_joiners: Words
    class_list_closers: Words
    class_list_stops: Words
    modifier_marks: Words
    report_openers: Words
    duty_verbs: Words
    class_triggers: Words
    class_kinds: Words
    acting_collectives: Words
    joined_by: Words
    designated_by: Words
    alternative_heads: Words
    agent_heads: Words
    agent_verbs: Words
    short_subunit_heads: Words
    standalone_names: Words
    standalone_after: Words


class NonUnits(Strict):
    object_before: Words
    topic_before: Words
    topic_after: Words
    person_titles: Words
    honoured_after: Words
    self_names: Words
    level_heads: Words
    level_words: Words
    defined_after: Words
    defined_not: Words
    date_lines: list[Annotated[str, AfterValidator(_compiles)]]
    object_unless_acting: Words


class Prefixes(Strict):
    prefixes: Words
    inner_stops: Words
    left_stops: Words
    manner_words: Words
    glued_rests: Words
    levels: Words
    acting_verbs: Words


class Roles(Strict):
    rule_openers: Words
    rule_closers: Words
    rule_after: Words
    report_before: Words
    report_verbs: Words
    report_marks: Words
    report_via_xiang: Words
    report_via_jing: Words
    rule_via_jing: Words
    partner_before: Words
    partner_after: Words
    partner_support: Words
    partner_joint: Words
    lead_before: Words
    actor_after: Words
    list_openers: Words
    list_categories: Words
    rule_after_done: Words
    rule_after_done_marks: Words
    rule_after_gap: Words
    partner_kinds: Words
    title_issuer_after: Words
    cited_title_openers: Words
    cited_title_ends: Words
    continuations: Words
    report_adverbs: Words
    agent_before: Words


# what each file is: its path under models/ -> (format, model)
SCHEMAS: dict[str, tuple[str, type[BaseModel]]] = {
    "clean/debris.yaml": ("yaml", Debris),
    "clean/radicals.tsv": ("tsv", RadicalRow),
    "dates/holidays.yaml": ("yaml", Holidays),
    "dates/parts.yaml": ("yaml", Parts),
    "dates/patterns.yaml": ("yaml", DatePatterns),
    "dates/triggers.yaml": ("yaml", Triggers),
    "dates/lunar_holidays.tsv": ("tsv", LunarRow),
    "ingest/docx.yaml": ("yaml", Docx),
    "ingest/html.yaml": ("yaml", Html),
    "ingest/pdf.yaml": ("yaml", Pdf),
    "segment/user_dict.txt": ("dict", DictLine),
    "structure/furniture.yaml": ("yaml", Furniture),
    "structure/metadata.yaml": ("yaml", Metadata),
    "structure/numbering.yaml": ("yaml", Numbering),
    "structure/period.yaml": ("yaml", Period),
    "structure/tables.yaml": ("yaml", Tables),
    "targets/lexicon.yaml": ("yaml", Targets),
    "targets/kinds.yaml": ("yaml", TargetKinds),
    "text/numerals.yaml": ("yaml", Numerals),
    "text/punctuation.yaml": ("yaml", Punctuation),
    "text/page_numbers.yaml": ("yaml", PageNumbers),
    "text/org_heads.yaml": ("yaml", OrgHeads),
    "units/abbreviations.yaml": ("yaml", Abbreviations),
    "units/heads.yaml": ("yaml", Heads),
    "units/non_units.yaml": ("yaml", NonUnits),
    "units/prefixes.yaml": ("yaml", Prefixes),
    "units/roles.yaml": ("yaml", Roles),
    "units/patterns.jsonl": ("jsonl", FixedName),
}
# files matched by name in any folder of models/ (extra segmenter words next to a lexicon)
SCHEMA_BY_NAME: dict[str, tuple[str, type[BaseModel]]] = {
    "jieba_words.txt": ("dict", DictLine),
}


def schema_of(relative: str) -> tuple[str, type[BaseModel]] | None:
    """(format, model) of ``models/<relative>``, or None when it has no schema."""
    return SCHEMAS.get(relative) or SCHEMA_BY_NAME.get(relative.rsplit("/", 1)[-1])
