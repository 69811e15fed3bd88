"""Read side: what the API answers from the table and the archive."""

from __future__ import annotations

from typing import TYPE_CHECKING

from report_tracker.dal.s3 import ArchiveStore
from report_tracker.dal.table import ArchiveTable
from report_tracker.errors import InvalidRequest, NotFound
from report_tracker.models.api import (
    EntityDetail,
    EntityPage,
    EntitySummary,
    ReportList,
    ReportReading,
    ReportSummary,
    UploadPage,
    VersionList,
    VersionSummary,
)
from report_tracker.models.archive import ReportHead, UploadStatus, VersionRecord
from report_tracker.models.diff import VersionDiff
from report_tracker.models.report import DOC_TYPE_ORDER, DocType, Report
from report_tracker.understanding.figures import figures_of

if TYPE_CHECKING:
    from report_tracker.services.search_engine import SearchEngine


def version_record(table: ArchiveTable, head: ReportHead, number: int) -> VersionRecord:
    """Version ``number`` of the report ``head`` points at (its index record only)."""
    record = table.get_version(head.entity, head.review_year, head.doc_type, number)
    if record is None:
        raise NotFound(
            f"{head.entity} {head.review_year} has no version {number} (it has {head.version_count})"
        )
    return record


def load_version(
    table: ArchiveTable, archive: ArchiveStore, head: ReportHead, number: int
) -> tuple[VersionRecord, Report]:
    """Version ``number`` of the report ``head`` points at, and its reading from the archive."""
    record = version_record(table, head, number)
    return record, Report.model_validate(archive.get_json(record.archive_key))


def _summary(head: ReportHead) -> ReportSummary:
    return ReportSummary(
        entity=head.entity,
        review_year=head.review_year,
        plan_year=head.plan_year,
        doc_type=head.doc_type,
        title=head.title,
        status=head.status,
        flags=head.flags,
        versions=head.version_count,
        latest_version=head.latest_version,
        updated_at=head.updated_at,
    )


class Catalog:
    def __init__(
        self,
        table: ArchiveTable,
        archive: ArchiveStore,
        raw_bucket: str | None = None,
        search_engine: SearchEngine | None = None,
    ) -> None:
        self.table = table
        self.archive = archive
        self.raw_bucket = raw_bucket
        self.search_engine = search_engine  # None: the embedded index

    def entities(
        self, limit: int, cursor: str | None, q: str | None = None, region: str | None = None
    ) -> EntityPage:
        """Entities by name; with q/region, pages are filled from successive index pages.

        The cursor is the index position, so pages stay stable while uploads add entities
        (new names appear where they sort, never twice).
        """
        items: list[EntitySummary] = []
        next_cursor = cursor
        while True:
            records, next_cursor = self.table.list_entities(limit, next_cursor)
            for r in records:
                if q and q not in r.entity and not any(q in part for part in r.region):
                    continue
                if region and not any(region in part for part in r.region):
                    continue
                items.append(EntitySummary(entity=r.entity, region=r.region, updated_at=r.updated_at))
            if len(items) >= limit or not next_cursor or not (q or region):
                return EntityPage(items=items, next_cursor=next_cursor)

    def entity(self, entity: str) -> EntityDetail:
        record = self.table.get_entity(entity)
        heads = self.table.list_reports(entity)
        if record is None or not heads:
            raise NotFound(f"no reports are archived for {entity}")
        heads.sort(key=lambda h: (h.review_year, DOC_TYPE_ORDER.index(h.doc_type)))
        return EntityDetail(
            entity=entity,
            region=record.region,
            years=sorted({h.review_year for h in heads}),
            doc_types=sorted({h.doc_type for h in heads}, key=DOC_TYPE_ORDER.index),
            reports=[_summary(h) for h in heads],
            updated_at=record.updated_at,
        )

    def reports(self, entity: str) -> ReportList:
        heads = self.table.list_reports(entity)
        if not heads and self.table.get_entity(entity) is None:
            raise NotFound(f"no reports are archived for {entity}")
        heads.sort(key=lambda h: (h.review_year, DOC_TYPE_ORDER.index(h.doc_type)))
        return ReportList(entity=entity, items=[_summary(h) for h in heads])

    def head(self, entity: str, year: int, doc_type: DocType | None) -> tuple[ReportHead, list[DocType]]:
        heads = self.table.list_reports(entity, year)
        if doc_type is not None:
            heads = [h for h in heads if h.doc_type == doc_type] + [
                h for h in heads if h.doc_type != doc_type
            ]
        else:
            heads.sort(key=lambda h: DOC_TYPE_ORDER.index(h.doc_type))
        if not heads or (doc_type is not None and heads[0].doc_type != doc_type):
            what = f"a {doc_type.value} report" if doc_type else "a report"
            raise NotFound(f"{entity} has no {what} reviewing {year}")
        return heads[0], [h.doc_type for h in heads[1:]]

    def reading(
        self, entity: str, year: int, doc_type: DocType | None, version: int | None = None
    ) -> ReportReading:
        head, others = self.head(entity, year, doc_type)
        number = version or head.latest_version
        record, report = load_version(self.table, self.archive, head, number)
        return ReportReading(
            entity=entity,
            review_year=year,
            plan_year=report.plan_year,
            doc_type=head.doc_type,
            version=number,
            versions=head.version_count,
            title=report.title,
            region=report.region,
            published=report.published,
            publisher=report.publisher,
            index_no=report.index_no,
            flags=report.flags,
            level=report.level,
            missing=report.missing,
            metadata_sources=report.metadata_sources,
            parser_version=report.parser_version,
            source_format=report.source_format,
            sections=report.sections,
            figures=figures_of(report),
            text=report.text,
            raw=record.raw,
            withdrawn=record.withdrawn,
            other_doc_types=others,
        )

    def versions(self, entity: str, year: int, doc_type: DocType | None) -> VersionList:
        head, _ = self.head(entity, year, doc_type)
        records = self.table.list_versions(entity, year, head.doc_type)
        # The latest by the head's own rule (greatest upload order, the later commit on a tie),
        # taken from the versions listed: the head was read first, and a version committed in
        # between would otherwise be listed beside a head that does not know it yet.
        latest = (
            max(records, key=lambda r: (r.order_key, r.version)).version if records else head.latest_version
        )
        items = [
            VersionSummary(
                version=r.version,
                uploaded_at=r.uploaded_at,
                clean_sha256=r.clean_sha256,
                raw_sha256=r.raw_sha256,
                raw=r.raw,
                parser_version=r.parser_version,
                technical=r.technical,
                withdrawn=r.withdrawn,
                latest=r.version == latest,
                chars=r.chars,
                uploader=r.uploader,
            )
            for r in records
        ]
        return VersionList(
            entity=entity,
            review_year=year,
            doc_type=head.doc_type,
            latest_version=latest,
            items=items,
        )

    def uploads(self, status: UploadStatus, limit: int, cursor: str | None) -> UploadPage:
        records, next_cursor = self.table.list_uploads(status, limit, cursor)
        return UploadPage(items=records, next_cursor=next_cursor)

    def uploads_for_key(self, key: str, status: UploadStatus | None) -> UploadPage:
        """Every upload of one raw key (each S3 version is one upload), newest first."""
        if self.raw_bucket is None:
            raise NotFound("uploads cannot be looked up by key on this API")
        records = self.table.uploads_for_key(self.raw_bucket, key)
        records = [r for r in records if status is None or r.status == status]
        records.sort(key=lambda r: r.updated_at, reverse=True)
        return UploadPage(items=records)

    def report(
        self, entity: str, year: int, doc_type: DocType | None, version: int
    ) -> tuple[ReportHead, Report]:
        head, _ = self.head(entity, year, doc_type)
        return head, load_version(self.table, self.archive, head, version)[1]

    def diff(
        self, entity: str, year: int, doc_type: DocType | None, start: int, end: int | None
    ) -> VersionDiff:
        head, earlier = self.report(entity, year, doc_type, start)
        later_number = end or head.latest_version
        if later_number == start:
            raise InvalidRequest("from and to are the same version: nothing to compare")
        _, later = self.report(entity, year, head.doc_type, later_number)
        from report_tracker.archive.diff import diff_reports  # noqa: PLC0415 - only the diff route needs it

        return diff_reports(earlier, later)
