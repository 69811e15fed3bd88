"""Shapes of a diff between two versions of a report. Field names are stable: scripts use them."""

from __future__ import annotations

from pydantic import Field

from report_tracker.models.base import Shape


class DiffOp(Shape):
    op: str = Field(description="equal, insert, delete")
    text: str
    a_start: int = Field(description="Offset in the earlier clean text.")
    a_end: int
    b_start: int = Field(description="Offset in the later clean text.")
    b_end: int
    section: str | None = Field(default=None, description="Heading of the section the change is in.")
    moved: int | None = Field(
        default=None, description="Same id on the delete and the insert of a moved block."
    )


class SectionChange(Shape):
    heading: str
    kind: str
    inserted: int
    deleted: int


class FigureEdit(Shape):
    """A figure edited between two versions of one report (None: added or removed)."""

    before: str | None
    after: str | None
    context: str


class HedgeChange(Shape):
    before: str
    after: str
    context: str


class DiffStats(Shape):
    inserted_chars: int
    deleted_chars: int
    moved_chars: int
    changed_share: float = Field(
        description="(inserted + deleted, moved text excluded) / (len(earlier) + len(later))."
    )
    sections_touched: int


class Reworded(Shape):
    before: str
    after: str


class Significance(Shape):
    figures_changed: list[FigureEdit] = Field(default_factory=list)
    commitments_added: list[str] = Field(default_factory=list)
    commitments_removed: list[str] = Field(default_factory=list)
    commitments_reworded: list[Reworded] = Field(default_factory=list)
    hedging: list[HedgeChange] = Field(default_factory=list)


class VersionDiff(Shape):
    method: str = Field(
        description="fast-dmp, dmp, or sentence-alignment (when the character diff degenerated)."
    )
    ops: list[DiffOp]
    stats: DiffStats
    sections: list[SectionChange] = Field(description="Sections that changed first, most changed first.")
    significance: Significance
