"""The reading of one report: what the parser produces and the archive stores."""

from __future__ import annotations

from enum import StrEnum

from pydantic import ConfigDict, Field

from report_tracker.models.base import Shape

PARSER_VERSION = "2026.12.8.5"


class DocType(StrEnum):
    RULE_OF_LAW_ANNUAL = "rule_of_law_annual"
    FIRST_RESPONSIBLE_PERSON = "first_responsible_person"
    DEMONSTRATION_TOWNSHIP = "demonstration_township"
    GOVERNMENT_WORK_REPORT = "government_work_report"
    OTHER = "other"


# When several document types exist for one entity and year, this one is shown (and compared) first.
DOC_TYPE_ORDER: list[DocType] = [
    DocType.RULE_OF_LAW_ANNUAL,
    DocType.GOVERNMENT_WORK_REPORT,
    DocType.FIRST_RESPONSIBLE_PERSON,
    DocType.DEMONSTRATION_TOWNSHIP,
    DocType.OTHER,
]


class SectionKind(StrEnum):
    RESPONSIBILITY = "responsibility"
    MEASURES = "measures"
    PROBLEMS = "problems"
    PLANS = "plans"
    OTHER = "other"


class ItemKind(StrEnum):
    """What an item is, derived from the kind of section it sits in."""

    RESPONSIBILITY = "responsibility"
    MEASURE = "measure"
    PROBLEM = "problem"
    COMMITMENT = "commitment"
    OTHER = "other"


ITEM_KIND_OF_SECTION: dict[SectionKind, ItemKind] = {
    SectionKind.RESPONSIBILITY: ItemKind.RESPONSIBILITY,
    SectionKind.MEASURES: ItemKind.MEASURE,
    SectionKind.PROBLEMS: ItemKind.PROBLEM,
    SectionKind.PLANS: ItemKind.COMMITMENT,
    SectionKind.OTHER: ItemKind.OTHER,
}


class ReportStatus(StrEnum):
    OK = "ok"
    NEEDS_METADATA = "needs_metadata"
    NEEDS_OCR = "needs_ocr"
    IDENTITY_CONFLICT = "identity_conflict"


class IdentityCandidate(Shape):
    """A government the text may be from, with the signals that name it."""

    entity: str
    level: str = Field(description="national, province, city, county or town (towns and streets).")
    region: list[str] = Field(default_factory=list)
    score: float = Field(description="Weight of the signals naming it (3 or more is a strong signal).")
    signals: list[str] = Field(
        default_factory=list, description="title, session line, speaker, issuing body ..."
    )


class Figure(Shape):
    """A quantity as written (``80余场``) and normalized (value 80, unit 场, qualifier 余)."""

    text: str
    number: float = Field(description="The number as written, before the scale word (1.3 in 1.3万亿斤).")
    value: float = Field(description="number times scale: 万/亿 expanded (1.3万亿斤 -> 1.3e12).")
    unit: str = Field(description="Unit without the scale word: 场, 人次, %, 元, 斤 ...")
    qualifier: str | None = Field(
        default=None, description="余/多/以上/左右/以内/近/超过 ...; null when the figure is exact."
    )
    upper: float | None = Field(default=None, description="Upper bound of a range such as 6%-6.5%.")
    start: int = Field(description="Offset in the clean text.")
    end: int


class Item(Shape):
    """One commitment, problem or measure: a numbered block, an inline 一是 clause or a paragraph."""

    kind: ItemKind
    heading: str = Field(description="The item's own title: text up to its first sentence end.")
    text: str = Field(description="The whole item, heading included, as in the clean text.")
    start: int
    end: int
    path: list[str] = Field(description="Section heading, then item headings down to this one.")
    marker: str | None = Field(default=None, description="The numbering as written: （一）, 1., 一是 ...")
    figures: list[Figure] = Field(default_factory=list)


class Section(Shape):
    kind: SectionKind
    heading: str
    start: int
    end: int
    items: list[Item] = Field(default_factory=list)
    figures: list[Figure] = Field(
        default_factory=list, description="Every figure in the section, inside items or not."
    )


class Report(Shape):
    """A report as understood: metadata, clean text, sections, items and figures."""

    model_config = ConfigDict(use_enum_values=False)

    parser_version: str = PARSER_VERSION
    status: ReportStatus = ReportStatus.OK
    status_reason: str | None = None
    title: str | None = None
    entity: str | None = None
    level: str | None = Field(default=None, description="national, province, city, county or town.")
    region: list[str] = Field(default_factory=list, description="Administrative path: 省/市/区/县.")
    identity_candidates: list[IdentityCandidate] = Field(
        default_factory=list, description="Who else the text may be from, when the entity is not certain."
    )
    missing: dict[str, str] = Field(
        default_factory=dict,
        description="Parts a reading expects but did not find (plans, review, problems), with why.",
    )
    doc_type: DocType = DocType.OTHER
    review_year: int | None = Field(default=None, description="The year whose work is reported.")
    plan_year: int | None = Field(default=None, description="The year the plans and targets are for.")
    published: str | None = Field(default=None, description="Publication date, ISO yyyy-mm-dd.")
    publisher: str | None = None
    index_no: str | None = None
    source_format: str = Field(default="txt", description="txt, html, docx or pdf.")
    encoding: str | None = None
    flags: list[str] = Field(default_factory=list)
    metadata_sources: dict[str, str] = Field(
        default_factory=dict, description="Where each metadata field came from: hint, table, title, body."
    )
    outline: str | None = Field(default=None, description="An outline block (【提纲】) kept out of the body.")
    sections: list[Section] = Field(default_factory=list)
    text: str = Field(description="The clean, canonical text: what is diffed and quoted.")
    original: str = Field(description="The decoded text before cleaning.")
    offset_map: list[tuple[int, int]] = Field(
        default_factory=list,
        description="(clean offset, original offset) anchors, one per clean line, to quote the original.",
    )

    def original_offset(self, clean_offset: int) -> int:
        """Best original-text offset for a clean-text offset (line anchor plus column)."""
        best = (0, 0)
        for anchor in self.offset_map:
            if anchor[0] > clean_offset:
                break
            best = anchor
        return min(best[1] + (clean_offset - best[0]), len(self.original))

    def items(self, kind: ItemKind | None = None) -> list[Item]:
        return [i for s in self.sections for i in s.items if kind is None or i.kind == kind]


class UploadHints(Shape):
    """What the uploader told us, from S3 object metadata, the key or the command line."""

    entity: str | None = None
    region: list[str] = Field(default_factory=list)
    year: int | None = Field(
        default=None,
        description="The year in the report's title (2025年政府工作报告 -> 2025); mapped to review and plan years by genre.",
    )
    doc_type: DocType | None = None
    confirmed: bool = Field(
        default=False,
        description="A person confirmed these hints against what the text says (identity_conflict).",
    )
    filename: str | None = None
    content_type: str | None = None
