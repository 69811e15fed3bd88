"""Shapes the HTTP API serves. Field names are stable: scripts depend on them."""

from __future__ import annotations

from pydantic import Field

from report_tracker.models.archive import RawObject, UploadRecord
from report_tracker.models.base import Shape
from report_tracker.models.report import DocType, Figure, ReportStatus, Section


class Problem(Shape):
    """RFC 9457 problem details, served as application/problem+json."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None


class Health(Shape):
    status: str = "ok"
    version: str
    parser_version: str


class EntitySummary(Shape):
    entity: str
    region: list[str] = Field(default_factory=list)
    updated_at: str


class EntityPage(Shape):
    items: list[EntitySummary]
    next_cursor: str | None = Field(default=None, description="Pass as ?cursor= to get the next page.")


class ReportSummary(Shape):
    entity: str
    review_year: int
    plan_year: int | None = None
    doc_type: DocType
    title: str | None = None
    status: ReportStatus
    flags: list[str] = Field(default_factory=list)
    versions: int
    latest_version: int
    updated_at: str


class ReportList(Shape):
    entity: str
    items: list[ReportSummary]


class EntityDetail(Shape):
    entity: str
    region: list[str] = Field(default_factory=list)
    years: list[int] = Field(description="Review years with a report.")
    doc_types: list[DocType]
    reports: list[ReportSummary] = Field(description="Each report with its version count and latest status.")
    updated_at: str


class ReportReading(Shape):
    """A report as read: metadata, sections with items and figures, clean text."""

    entity: str
    review_year: int
    plan_year: int | None = None
    doc_type: DocType
    version: int
    versions: int
    title: str | None = None
    region: list[str] = Field(default_factory=list)
    published: str | None = None
    publisher: str | None = None
    index_no: str | None = None
    flags: list[str] = Field(default_factory=list)
    level: str | None = Field(default=None, description="national, province, city, county or town.")
    missing: dict[str, str] = Field(
        default_factory=dict,
        description="Parts a reading expects but did not find (plans, review, problems), with why.",
    )
    metadata_sources: dict[str, str] = Field(
        default_factory=dict, description="Where each metadata value came from (title, hint, dates ...)."
    )
    parser_version: str
    source_format: str
    sections: list[Section]
    figures: list[Figure] = Field(default_factory=list, description="Every figure in the report, in order.")
    text: str
    raw: RawObject
    withdrawn: bool = False
    other_doc_types: list[DocType] = Field(
        default_factory=list, description="Other document types filed for the same entity and year."
    )


class VersionSummary(Shape):
    version: int
    uploaded_at: str
    clean_sha256: str
    raw_sha256: str
    raw: RawObject
    parser_version: str
    technical: bool
    withdrawn: bool
    latest: bool
    chars: int
    uploader: str | None = None


class VersionList(Shape):
    entity: str
    review_year: int
    doc_type: DocType
    latest_version: int
    items: list[VersionSummary]


class UploadPage(Shape):
    items: list[UploadRecord]
    next_cursor: str | None = None


class MetadataIn(Shape):
    """Metadata for an upload that could not be filed on its own (needs_metadata)."""

    entity: str = Field(min_length=2, max_length=100)
    year: int = Field(
        ge=1949, le=2100, description="The year in the report's title (2025年政府工作报告 -> 2025)."
    )
    region: list[str] = Field(default_factory=list, max_length=6)
    doc_type: DocType | None = None
    confirm: bool = Field(
        default=False,
        description="File it with these values even where the text names another government or year "
        "(releases an identity_conflict hold).",
    )


class UploadOutcome(Shape):
    upload_id: str
    status: str
    version: int | None = None
    reason: str | None = None
    status_url: str | None = Field(default=None, description="Where the upload's record can be followed.")


class UploadRequest(Shape):
    """Ask for a presigned URL to upload one report file. Metadata given here travels with the object."""

    filename: str = Field(
        min_length=1, max_length=200, description="The file's name; its extension tells the format."
    )
    size: int = Field(ge=1, description="Exact size in bytes; the URL accepts only a body of this size.")
    content_type: str = Field(
        default="application/octet-stream", max_length=100, pattern=r"^[\w.+-]+/[\w.+-]+$"
    )
    entity: str | None = Field(default=None, min_length=2, max_length=100, pattern=r"^[^/\\\x00-\x1f]+$")
    year: int | None = Field(default=None, ge=1949, le=2100, description="The review year.")
    region: list[str] = Field(default_factory=list, max_length=6)
    doc_type: DocType | None = None


class UploadTicket(Shape):
    status_url: str = Field(description="GET it after the PUT to see what became of the upload.")
    method: str = "PUT"
    upload_url: str
    bucket: str
    key: str
    headers: dict[str, str] = Field(description="Send exactly these headers with the PUT: they are signed.")
    expires_in: int = Field(description="Seconds the URL stays valid.")
    max_bytes: int


class Highlight(Shape):
    start: int = Field(description="Offset of a matched term inside the snippet text.")
    end: int


class Snippet(Shape):
    text: str = Field(description="The passage around a hit, verbatim from the clean text.")
    start: int = Field(description="Offset of the snippet in the report's clean text.")
    highlights: list[Highlight]


class SearchHit(Shape):
    entity: str
    review_year: int
    doc_type: DocType
    title: str | None = None
    version: int = Field(description="The version searched: always the latest.")
    hits: int = Field(description="Occurrences of the query terms in the report.")
    snippets: list[Snippet]


class SearchPage(Shape):
    q: str
    terms: list[str] = Field(description="The terms searched for, folded like report text; all must occur.")
    total: int = Field(description="Reports matching, over all pages.")
    scanned: int = Field(description="Reports searched.")
    complete: bool = Field(
        True,
        description="False when the terms are in more reports than a search counts (1,000 per index "
        "file, the most recently indexed first): total is then a lower bound; narrow by entity or year.",
    )
    items: list[SearchHit]
    next_cursor: str | None = None


class DatasetColumn(Shape):
    name: str
    type: str = Field(description="DuckDB / Athena type: VARCHAR, INTEGER, DOUBLE, BOOLEAN, VARCHAR[] …")
    doc: str


class DatasetFile(Shape):
    key: str = Field(description="Path inside the dataset: {table}/review_year=Y/level=L/{report id}.parquet")
    table: str
    size: int
    etag: str = Field(description="Changes whenever the file is written again (for a mirror to skip it).")
    url: str = Field(description="A signed GET URL for the file, valid for an hour.")


class DatasetPage(Shape):
    dataset_version: str
    tables: dict[str, list[DatasetColumn]] = Field(description="Every table's columns (partitions last).")
    files: list[DatasetFile]
    next_cursor: str | None = None
