"""Shapes of a year-over-year comparison. Field names are stable: scripts and the viewer use them."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from report_tracker.models.base import Shape


class CommitmentStatus(StrEnum):
    FULFILLED = "fulfilled"
    PARTIAL = "partial"
    MISSED = "missed"
    NOT_REPORTED = "not_reported"


class ProblemStatus(StrEnum):
    RECURRING = "recurring"
    RESOLVED_CLAIMED = "resolved_claimed"
    DROPPED = "dropped"


class Evidence(Shape):
    """A verbatim passage of the later report."""

    text: str
    section: str = Field(description="Heading path of the section the passage is in.")
    start: int = Field(description="Offset in the later report's clean text.")
    end: int
    score: float = Field(description="How much of the commitment's wording the passage covers (0-1).")
    version: int | None = Field(
        default=None, description="The version of the later report it is quoted from."
    )
    link: str | None = Field(
        default=None,
        description="Viewer link that opens that version at the passage (#/e/…/v/N/at/start-end).",
    )


class FigureCheck(Shape):
    planned: str = Field(description="The target as written: 1200万人以上.")
    planned_value: float
    unit: str
    direction: str = Field(description="at_least or at_most: which side of the target is success.")
    reported: str | None = None
    reported_value: float | None = None
    reported_start: int | None = Field(
        default=None, description="Offset of the reported figure in the later report."
    )
    met: bool | None = None


class CommitmentVerdict(Shape):
    text: str = Field(description="The commitment as written in the earlier report.")
    heading: str
    start: int = Field(description="Offset in the earlier report's clean text.")
    end: int
    section: str
    status: CommitmentStatus
    confidence: float
    reason: str = Field(description="How the verdict was reached, in one sentence.")
    evidence: list[Evidence] = Field(default_factory=list)
    figures: list[FigureCheck] = Field(default_factory=list)


class ProblemVerdict(Shape):
    text: str
    heading: str
    status: ProblemStatus
    similarity: float = 0.0
    confidence: float = Field(
        default=0.0,
        description="recurring: the likeness to the later problem; resolved_claimed: the share of its "
        "topic the passage covers; dropped: one minus the likeness of the nearest later problem.",
    )
    reason: str = Field(default="", description="How the verdict was reached, in one sentence.")
    evidence: list[Evidence] = Field(
        default_factory=list,
        description="The passages of the later report the verdict rests on: the problem listed again "
        "(recurring) or the result claimed for it (resolved_claimed); none when dropped.",
    )
    later: Evidence | None = Field(
        default=None, description="The first passage of evidence (kept for scripts written before evidence)."
    )


class FigureChange(Shape):
    context: str
    before: str
    after: str
    before_value: float
    after_value: float
    unit: str
    change: float = Field(description="after_value - before_value")


class ReuseSpan(Shape):
    start: int = Field(description="Offset in the later report.")
    end: int
    text: str


class Reuse(Shape):
    share: float = Field(
        description="Share of the later report's characters found verbatim (8-char shingles) in the earlier one."
    )
    spans: list[ReuseSpan] = Field(
        default_factory=list, description="Copied passages of 20 characters or more."
    )


class Comparison(Shape):
    entity: str | None
    plan_year: int | None = Field(description="The year the commitments were made for (P).")
    earlier_title: str | None
    later_title: str | None
    commitments: list[CommitmentVerdict]
    problems: list[ProblemVerdict]
    figures: list[FigureChange]
    reuse: Reuse
    summary: dict[str, int] = Field(default_factory=dict, description="Commitments per status.")
    earlier_version: int | None = Field(default=None, description="Version of the report that made them.")
    later_version: int | None = Field(default=None, description="Version of the report the evidence is from.")
    later_review_year: int | None = None
    method_version: str | None = Field(
        default=None, description="The comparison method that reached the verdicts."
    )


class TemplatePartner(Shape):
    entity: str
    share: float = Field(description="Share of this report's text also found in the partner's report.")


class TemplateShare(Shape):
    entity: str
    share: float = Field(
        description="Share of the report's text found in any other entity's report of the year."
    )
    shared_with: list[TemplatePartner] = Field(
        description="The entities sharing the most with it, most first."
    )


class SharedText(Shape):
    entity: str = Field(description="The other entity.")
    share: float = Field(description="Share of the report's characters found verbatim in the other's report.")
    spans: list[ReuseSpan] = Field(
        description="The copied passages (20+ characters), offsets in this report."
    )


class TemplateReport(Shape):
    """Text shared across entities' reports of one review year: county templates show up here."""

    review_year: int
    doc_type: str
    reports: int = Field(description="Reports compared.")
    shares: list[TemplateShare] = Field(description="Every report, most shared first.")
    entity: str | None = Field(default=None, description="The entity asked about, if any.")
    shared: list[SharedText] = Field(
        default_factory=list, description="With entity: the passages it shares with each top partner."
    )


class YearEntry(Shape):
    plan_year: int
    summary: dict[str, int]
    commitments: list[dict[str, str]] = Field(description="heading and status of each commitment")


class ProblemRun(Shape):
    heading: str
    years: list[int] = Field(description="Review years in which the problem was listed.")


class FigureSeries(Shape):
    context: str
    unit: str
    points: dict[int, str] = Field(description="Review year -> figure as written.")
    values: dict[int, float] = Field(default_factory=dict, description="Review year -> the figure's value.")


class TargetOutcome(Shape):
    """A target with a figure, promised for a year, and what that year's report gave."""

    plan_year: int
    commitment: str = Field(description="Heading of the commitment the target is part of.")
    planned: str
    planned_value: float
    unit: str
    direction: str
    reported: str | None = None
    reported_value: float | None = None
    met: bool | None = None


class Timeline(Shape):
    entity: str
    years: list[int] = Field(description="Review years with a report.")
    commitments: list[YearEntry]
    problems: list[ProblemRun]
    figures: list[FigureSeries]
    targets: list[TargetOutcome] = Field(
        default_factory=list,
        description="Every target with a figure, planned against reported, by plan year.",
    )


class RecycledText(Shape):
    """Other entities' reports of the same year and type that share passages with this one, found
    by near-duplicate signatures and confirmed on their texts."""

    entity: str
    review_year: int
    doc_type: str
    version: int = Field(description="The version read: the report's latest.")
    passages: int = Field(description="Passages of the report that carry a signature.")
    candidates: int = Field(
        description="Reports sharing a signature band with one of them (boilerplate bands left out)."
    )
    shared: list[SharedText] = Field(
        description="The candidates with passages copied verbatim (20+ characters), most shared first."
    )
