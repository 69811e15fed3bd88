"""What the archive stores about uploads, reports and their versions."""

from __future__ import annotations

from collections.abc import Collection
from enum import StrEnum

from pydantic import Field

from report_tracker.models.base import Shape
from report_tracker.models.report import DocType, IdentityCandidate, ReportStatus


class UploadStatus(StrEnum):
    PROCESSING = "processing"
    STORED = "stored"
    DUPLICATE = "duplicate"
    FAILED = "failed"
    NEEDS_METADATA = "needs_metadata"
    NEEDS_OCR = "needs_ocr"
    IDENTITY_CONFLICT = "identity_conflict"
    WITHDRAWN = "withdrawn"
    SKIPPED = "skipped"


# An upload in one of these states is finished: a redelivered event for it changes nothing.
TERMINAL_UPLOAD_STATES = {
    UploadStatus.STORED,
    UploadStatus.DUPLICATE,
    UploadStatus.NEEDS_METADATA,
    UploadStatus.NEEDS_OCR,
    UploadStatus.IDENTITY_CONFLICT,
    UploadStatus.WITHDRAWN,
}


class RawObject(Shape):
    bucket: str
    key: str
    version_id: str | None = None


class ReportRef(Shape):
    entity: str
    review_year: int
    doc_type: DocType


class UploadRecord(Shape):
    """One S3 object version as delivered, and what became of it."""

    upload_id: str
    raw: RawObject
    status: UploadStatus
    reason: str | None = None
    permanent: bool = Field(default=False, description="True when retrying cannot help.")
    attempts: int = 0
    size: int | None = None
    raw_sha256: str | None = None
    uploaded_at: str | None = None
    uploader: str | None = None
    report: ReportRef | None = None
    version: int | None = None
    hints: dict[str, str] = Field(default_factory=dict)
    pending_key: str | None = Field(
        default=None, description="Archive key of a reading that waits for metadata (needs_metadata)."
    )
    identity_candidates: list[IdentityCandidate] = Field(
        default_factory=list,
        description="Governments the text may be from, when it was held for a person to say which.",
    )
    created_at: str
    updated_at: str


class VersionRecord(Shape):
    """One version of a report: a distinct clean text, with where it came from."""

    entity: str
    review_year: int
    plan_year: int | None = None
    doc_type: DocType
    version: int
    raw: RawObject
    raw_sha256: str
    clean_sha256: str
    archive_key: str
    uploaded_at: str
    order_key: str = Field(description="Upload order: S3 sequencer or LastModified, for the latest pointer.")
    sequencer: str | None = None
    uploader: str | None = None
    parser_version: str
    technical: bool = Field(
        default=False, description="A re-extraction by a newer parser, not a publisher edit."
    )
    withdrawn: bool = False
    withdrawn_at: str | None = None
    status: ReportStatus = ReportStatus.OK
    title: str | None = None
    flags: list[str] = Field(default_factory=list)
    chars: int = 0
    created_at: str


def every_version_withdrawn(versions: list[VersionRecord], also: Collection[int] = ()) -> bool:
    """Every uploaded file of the report was deleted (``also``: version numbers withdrawn just
    now): it leaves search and the dataset, keeping only its version records."""
    return bool(versions) and all(v.withdrawn or v.version in also for v in versions)


class ReportHead(Shape):
    """The latest pointer and counters of one report (entity, doc type, review year)."""

    entity: str
    review_year: int
    plan_year: int | None = None
    doc_type: DocType
    version_count: int
    latest_version: int
    latest_order: str
    title: str | None = None
    status: ReportStatus = ReportStatus.OK
    flags: list[str] = Field(default_factory=list)
    withdrawn: bool = False
    updated_at: str
    # The latest version's keys, so that a comparison is found (or its readings fetched) without
    # reading the version item first. Absent on heads written before they were added.
    latest_clean_sha256: str | None = None
    latest_archive_key: str | None = None


class EntityRecord(Shape):
    entity: str
    region: list[str] = Field(default_factory=list)
    updated_at: str


class DatasetWork(Shape):
    """A message of the dataset queue: an entity whose dataset files may have changed."""

    entity: str = Field(min_length=1)
    search: bool = Field(
        default=False,
        description="Also index the entity's latest texts: ingest could not write their segment.",
    )
