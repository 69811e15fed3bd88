"""Ingest: one S3 object event -> a stored reading, a new version, a duplicate or a recorded failure.

Every upload ends in exactly one recorded state. Permanent problems (bad bytes, too large,
no text) are recorded as ``failed`` and the message is consumed; anything that may pass
(S3/DynamoDB errors, a crash, the time budget) is recorded as ``failed`` with its reason and
re-raised, so the queue redelivers it and, after the redrive limit, parks it in the DLQ.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from report_tracker.dal.queue import DatasetQueue
from report_tracker.dal.s3 import ArchiveStore, RawFetch, RawStore
from report_tracker.dal.table import ArchiveTable
from report_tracker.errors import (
    Conflict,
    DocumentTooLarge,
    EmptyDocument,
    NotFound,
    PermanentError,
    TimeBudgetExceeded,
)
from report_tracker.models.archive import (
    DatasetWork,
    EntityRecord,
    RawObject,
    ReportHead,
    ReportRef,
    UploadRecord,
    UploadStatus,
    VersionRecord,
    every_version_withdrawn,
)
from report_tracker.models.report import DocType, Report, ReportStatus, UploadHints
from report_tracker.observability import logger
from report_tracker.parse import hints_from_key, read_report
from report_tracker.services.messages import CompletionEvent, held_upload
from report_tracker.tracking.reuse import shared_share

if TYPE_CHECKING:
    from report_tracker.services.search_engine import SearchEngine

REINDEX = "Reindex"


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def upload_id_for(bucket: str, key: str, version_id: str | None) -> str:
    """Stable id of one S3 object version: the idempotency key of its processing."""
    return hashlib.sha256(f"{bucket}\n{key}\n{version_id or 'null'}".encode()).hexdigest()[:32]


def archive_key_for(report: Report, clean_sha256: str) -> str:
    return f"reports/{report.entity}/{report.doc_type.value}/{report.review_year}/{clean_sha256}.json"


@dataclass
class ObjectEvent:
    """The parts of an S3 notification that ingest uses (key already URL-decoded)."""

    event_name: str
    bucket: str
    key: str
    version_id: str | None = None
    sequencer: str | None = None
    size: int | None = None
    event_time: str | None = None
    uploader: str | None = None
    etag: str | None = None


AFTER_PARSING = "after parsing, before writing"
_LEFT = ", too little of the invocation left"

# Below this share of common text a new version is taken for another document (see
# _unrelated_to_latest); edits of one report, even heavy ones, share far more.
UNRELATED_SHARE = 0.2


@dataclass
class Outcome:
    upload_id: str
    status: UploadStatus
    version: int | None = None
    reason: str | None = None


@dataclass
class Derived:
    """What a batch's commits leave to bring up to date once the batch is done: the entities
    whose dataset files may change (with the freshest reading of each, which saves reading it
    back) and the versions that became a report's latest, for one search segment."""

    entities: dict[str, Report | None] = field(default_factory=dict)
    latest: dict[tuple[str, int, str], tuple[VersionRecord, str]] = field(default_factory=dict)

    def add(
        self,
        entity: str,
        report: Report | None = None,
        latest: VersionRecord | None = None,
        retired: VersionRecord | None = None,
    ) -> None:
        """``latest``: a version that became its report's latest (``report`` its reading);
        ``retired``: the latest version of a report whose every version is withdrawn, which the
        index then holds with no text (it shadows the older files and matches nothing)."""
        if report is not None or entity not in self.entities:
            self.entities[entity] = report
        if latest is not None and report is not None:
            self._hold(latest, report.text, over_same_order=False)
        if retired is not None:
            self._hold(retired, "", over_same_order=True)

    def _hold(self, version: VersionRecord, text: str, *, over_same_order: bool) -> None:
        """Keep ``version`` for the segment unless a later upload of its report is held (a
        withdrawal also replaces one of the same order: it came after it)."""
        key = (version.entity, version.review_year, version.doc_type.value)
        held = self.latest.get(key)
        if (
            held is None
            or held[0].order_key < version.order_key
            or (over_same_order and held[0].order_key == version.order_key)
        ):
            self.latest[key] = (version, text)


class IngestService:
    def __init__(
        self,
        raw: RawStore,
        archive: ArchiveStore,
        table: ArchiveTable,
        *,
        max_upload_bytes: int,
        pdf_timeout_seconds: float = 30.0,
        reader: Callable[[bytes, UploadHints], Report] | None = None,
        dataset_queue: DatasetQueue | None = None,
        search_engine: SearchEngine | None = None,
    ) -> None:
        self.raw = raw
        self.search_engine = search_engine  # None: the embedded index in the archive bucket
        self.dataset_queue = dataset_queue
        self.archive = archive
        self.table = table
        self.max_upload_bytes = max_upload_bytes
        self.pdf_timeout_seconds = pdf_timeout_seconds
        self._reader = reader or (
            lambda data, hints: read_report(data, hints, pdf_timeout=pdf_timeout_seconds)
        )
        # The batch being run, per thread: the local stack runs concurrent invocations as threads
        # of one process, which share this service (on Lambda an environment runs one at a time).
        self._batches = threading.local()

    @property
    def _derived(self) -> Derived | None:
        return getattr(self._batches, "derived", None)

    @contextmanager
    def batch(self, remaining_ms: Callable[[], int] | None = None, margin_ms: int = 0) -> Iterator[Derived]:
        """Within it, the dataset and search work of every commit waits for the end of the batch:
        an entity's files are written once however many of its reports the batch holds, and the
        batch's new latest versions go to the search index as one segment. Both stay best effort
        (the versions are committed first); what the time budget leaves undone is logged and left
        to the next change of the entity and to ``report-tracker rebuild-search``, as a failed
        refresh always was."""
        derived = self._batches.derived = Derived()
        try:
            yield derived
        finally:
            self._batches.derived = None
            self._bring_up_to_date(derived, remaining_ms, margin_ms)

    def _after_commit(
        self,
        entity: str,
        report: Report | None = None,
        latest: VersionRecord | None = None,
        retired: VersionRecord | None = None,
    ) -> None:
        if self._derived is not None:
            self._derived.add(entity, report, latest, retired)
            return
        derived = Derived()
        derived.add(entity, report, latest, retired)
        self._bring_up_to_date(derived)

    def _bring_up_to_date(
        self, derived: Derived, remaining_ms: Callable[[], int] | None = None, margin_ms: int = 0
    ) -> None:
        unindexed: set[str] = set()
        # first: a search segment is one write, a dataset refresh several
        if derived.latest and not self._index_for_search(list(derived.latest.values())):
            unindexed = {v.entity for v, _ in derived.latest.values()}
        entities = derived.entities
        if self.dataset_queue is not None and entities:
            # The dataset function refreshes them (and indexes those whose segment failed here),
            # with retries; what cannot be queued is done here.
            bodies = {DatasetWork(entity=e, search=e in unindexed).model_dump_json(): e for e in entities}
            unsent = {bodies[b] for b in self.dataset_queue.send(list(bodies))}
            if unsent:
                logger.warning(
                    "dataset work not queued: refreshed inline", extra={"entities": sorted(unsent)}
                )
            entities = {e: r for e, r in entities.items() if e in unsent}
        for n, (entity, report) in enumerate(entities.items()):
            if remaining_ms is not None and remaining_ms() < margin_ms:
                logger.warning(
                    "dataset refresh left to the next change: time budget",
                    extra={"entities": list(entities)[n:]},
                )
                return
            self._refresh_dataset(entity, report)

    def handle(
        self,
        event: ObjectEvent | CompletionEvent,
        remaining_ms: Callable[[], int] | None = None,
        margin_ms: int = 0,
    ) -> Outcome:
        if isinstance(event, CompletionEvent):
            return self.complete_queued(event)
        if event.event_name.startswith("ObjectRemoved"):
            return self.withdraw(event)
        if event.event_name == REINDEX:
            return self.reindex(event)
        return self.ingest(event, remaining_ms, margin_ms)

    def complete_queued(self, event: CompletionEvent) -> Outcome:
        """A queued completion: filed, or (already filed, gone) acknowledged and dropped.

        A file that cannot be read now is recorded failed like any upload, never retried.
        """
        try:
            return self.complete_metadata(event.upload_id, event.hints)
        except (Conflict, NotFound) as exc:
            logger.info("completion skipped", extra={"upload_id": event.upload_id, "reason": exc.message})
            return Outcome(event.upload_id, UploadStatus.SKIPPED, None, exc.message)
        except PermanentError as exc:
            record = self.table.get_upload(event.upload_id)
            if record is None:
                raise
            return self._fail(record, exc.message, permanent=True)

    def complete_metadata(self, upload_id: str, hints: UploadHints) -> Outcome:
        """File a ``needs_metadata`` upload with the metadata a person supplied (no re-upload)."""
        record = held_upload(self.table, upload_id)
        head, data = self.raw.read_whole(record.raw.key, record.raw.version_id)
        merged = hints_from_key(record.raw.key, head.metadata).model_copy(
            update={k: v for k, v in hints.model_dump(exclude_none=True).items() if v}
        )
        report = self._reader(data, merged)
        record.hints = {k: str(v) for k, v in merged.model_dump(exclude_none=True, mode="json").items() if v}
        return self._store(
            record, report, _order_key(None, head.last_modified), None, confirmed=merged.confirmed
        )

    def reindex(self, event: ObjectEvent) -> Outcome:
        """Re-read a stored upload with the current parser.

        A different clean text becomes a new version flagged ``technical`` (a re-extraction,
        never shown as a publisher's edit); the same text changes nothing.
        """
        upload_id = upload_id_for(event.bucket, event.key, event.version_id)
        upload = self.table.get_upload(upload_id)
        if upload is None or upload.status in {UploadStatus.WITHDRAWN, UploadStatus.DUPLICATE}:
            return Outcome(
                upload_id, UploadStatus.SKIPPED, None, "nothing stored from this object to re-read"
            )
        head, data = self.raw.read_whole(event.key, event.version_id)
        report = self._reader(data, hints_from_key(event.key, head.metadata))
        if report.status != ReportStatus.OK or not report.entity or not report.review_year:
            return Outcome(upload_id, upload.status, upload.version, "re-reading still lacks metadata")
        clean_sha, archive_key = self._archive(report)
        stamp = now_iso()
        if not upload.raw_sha256:
            upload.raw_sha256 = hashlib.sha256(data).hexdigest()
        version = _version_record(
            report,
            upload,
            clean_sha,
            archive_key,
            order_key=_order_key(None, upload.uploaded_at or stamp),
            sequencer=None,
            uploader="reindex",
            technical=True,
            stamp=stamp,
        )
        entity = EntityRecord(entity=report.entity, region=report.region, updated_at=stamp)
        result = self.table.commit_version(version, upload.model_copy(update={"updated_at": stamp}), entity)
        if result.duplicate:
            return Outcome(upload_id, UploadStatus.STORED, result.version, "re-reading gave the same text")
        return Outcome(upload_id, UploadStatus.STORED, result.version, "technical re-extraction stored")

    # --- created -------------------------------------------------------------------

    def ingest(
        self, event: ObjectEvent, remaining_ms: Callable[[], int] | None = None, margin_ms: int = 0
    ) -> Outcome:
        try:
            fetched = self.raw.fetch(event.key, event.version_id, event.etag)
        except NotFound as exc:
            # Deleted before we got to it: nothing to archive, nothing lost.
            upload_id = upload_id_for(event.bucket, event.key, event.version_id)
            return Outcome(upload_id, UploadStatus.SKIPPED, reason=exc.message)
        try:
            return self._ingest(event, fetched, remaining_ms, margin_ms)
        finally:
            fetched.close()

    def _ingest(
        self, event: ObjectEvent, fetched: RawFetch, remaining_ms: Callable[[], int] | None, margin_ms: int
    ) -> Outcome:
        head = fetched.head
        version_id = event.version_id or head.version_id
        upload_id = upload_id_for(event.bucket, event.key, version_id)
        stamp = now_iso()
        hints = hints_from_key(event.key, head.metadata)
        record = UploadRecord(
            upload_id=upload_id,
            raw=RawObject(bucket=event.bucket, key=event.key, version_id=version_id),
            status=UploadStatus.PROCESSING,
            attempts=1,
            size=head.size,
            uploaded_at=head.last_modified,
            uploader=event.uploader,
            hints={k: str(v) for k, v in hints.model_dump(exclude_none=True, mode="json").items() if v},
            created_at=stamp,
            updated_at=stamp,
        )
        # One conditional write records the attempt, or returns the record that stops it.
        written, previous = self.table.begin_upload(record)
        if not written:
            if previous is not None and previous.status == UploadStatus.FAILED:
                return Outcome(upload_id, UploadStatus.FAILED, None, previous.reason)
            status = previous.status if previous is not None else UploadStatus.STORED
            logger.info("duplicate delivery ignored", extra={"upload_id": upload_id, "status": status})
            return Outcome(
                upload_id,
                status,
                previous.version if previous else None,
                "already processed (duplicate delivery)",
            )
        if previous is not None:
            # A retry: the record keeps the first delivery's creation time and counts attempts.
            record.attempts, record.created_at = previous.attempts + 1, previous.created_at
            if not self.table.put_upload(record):
                return Outcome(
                    upload_id, UploadStatus.STORED, None, "already processed (concurrent delivery)"
                )
        order_key = _order_key(event.sequencer, head.last_modified)
        try:
            if head.size == 0:
                raise EmptyDocument("the upload is empty (0 bytes)")
            if head.size > self.max_upload_bytes:
                raise DocumentTooLarge(
                    f"the upload is {head.size} bytes; the limit is {self.max_upload_bytes} bytes "
                    "(split the document or raise MAX_UPLOAD_BYTES)"
                )
            self._check_budget(remaining_ms, margin_ms, "before reading the object")
            data = fetched.read()
            record.raw_sha256 = hashlib.sha256(data).hexdigest()
            started = time.monotonic()
            report = self._reader(data, hints)
            try:
                self._check_budget(remaining_ms, margin_ms, AFTER_PARSING)
            except TimeBudgetExceeded:
                if previous is not None and (previous.reason or "").endswith(AFTER_PARSING + _LEFT):
                    # Twice now the reading alone used up an invocation: it will again.
                    raise DocumentTooLarge(
                        f"reading this file takes {time.monotonic() - started:.0f} s, more than one ingest "
                        "invocation leaves for it (twice): split the document"
                    ) from None
                raise
            return self._store(record, report, order_key, event.sequencer)
        except PermanentError as exc:
            return self._fail(record, exc.message, permanent=True)
        except Exception as exc:
            # Retryable or unexpected (a parser crash): record why, then let the queue retry.
            self._fail(record, f"{type(exc).__name__}: {exc}", permanent=False)
            raise

    def _archive(self, report: Report) -> tuple[str, str]:
        """Store a reading under its clean-text hash (a retried write is the same write)."""
        clean_sha = hashlib.sha256(report.text.encode("utf-8")).hexdigest()
        archive_key = archive_key_for(report, clean_sha)
        self.archive.put_json(archive_key, report.model_dump(mode="json"))
        return clean_sha, archive_key

    def _check_budget(self, remaining_ms: Callable[[], int] | None, margin_ms: int, where: str) -> None:
        if remaining_ms is not None and remaining_ms() < margin_ms:
            raise TimeBudgetExceeded(f"out of time budget ({margin_ms} ms margin): stopped {where}{_LEFT}")

    def _store(
        self,
        record: UploadRecord,
        report: Report,
        order_key: str,
        sequencer: str | None,
        *,
        confirmed: bool = False,
    ) -> Outcome:
        head: ReportHead | bool | None = False  # not read yet
        if report.status == ReportStatus.OK and report.entity and report.review_year and not confirmed:
            unrelated, head = self._unrelated_to_latest(report)
            if unrelated:
                report = report.model_copy(
                    update={"status": ReportStatus.IDENTITY_CONFLICT, "status_reason": unrelated}
                )
        if report.status != ReportStatus.OK or not report.entity or not report.review_year:
            status = {
                ReportStatus.NEEDS_OCR: UploadStatus.NEEDS_OCR,
                ReportStatus.IDENTITY_CONFLICT: UploadStatus.IDENTITY_CONFLICT,
            }.get(report.status, UploadStatus.NEEDS_METADATA)
            pending_key = f"pending/{record.upload_id}.json"
            self.archive.put_json(pending_key, report.model_dump(mode="json"))
            record.status = status
            record.reason = report.status_reason
            record.pending_key = pending_key
            record.identity_candidates = report.identity_candidates
            record.updated_at = now_iso()
            self.table.put_upload(record, unless_terminal=False)
            return Outcome(record.upload_id, status, None, report.status_reason)
        clean_sha, archive_key = self._archive(report)
        stamp = now_iso()
        record.report = ReportRef(
            entity=report.entity, review_year=report.review_year, doc_type=report.doc_type
        )
        version = _version_record(
            report,
            record,
            clean_sha,
            archive_key,
            order_key=order_key,
            sequencer=sequencer,
            uploader=record.uploader,
            technical=False,
            stamp=stamp,
        )
        entity = EntityRecord(entity=report.entity, region=report.region, updated_at=stamp)
        result = self.table.commit_version(version, record, entity, head=head)
        if result.duplicate:
            record.status = UploadStatus.DUPLICATE
            record.version = result.version
            record.reason = f"same clean text as version {result.version}: no new version"
            record.updated_at = stamp
            self.table.put_upload(record)
            return Outcome(record.upload_id, UploadStatus.DUPLICATE, result.version, record.reason)
        if self.dataset_queue is None:
            # With a dataset queue its function stores them: a refresh compares every year pair
            self._refresh_comparisons(report, result.version, clean_sha)
        latest = version.model_copy(update={"version": result.version}) if result.latest else None
        self._after_commit(report.entity, report, latest)
        logger.info(
            "version committed",
            extra={"entity": report.entity, "year": report.review_year, "version": result.version},
        )
        return Outcome(record.upload_id, UploadStatus.STORED, result.version)

    def _unrelated_to_latest(self, report: Report) -> tuple[str | None, ReportHead | None]:
        """Why a new version is not an edit of the latest one, or None when it is; and the head read.

        A text sharing almost nothing with the version it would follow is another document
        filed under the same name (a neighbour's report, a wrong key), so it is held for a
        person to confirm rather than shown as a silent edit.
        """
        assert report.entity and report.review_year
        head = self.table.get_head(report.entity, report.review_year, report.doc_type)
        if head is None or head.withdrawn or not head.latest_archive_key:
            return None, head
        try:
            earlier = str(self.archive.get_json(head.latest_archive_key).get("text", ""))
        except NotFound:
            return None, head
        share = shared_share(earlier, report.text)
        if share >= UNRELATED_SHARE:
            return None, head
        return (
            f"the text shares {share:.0%} with version {head.latest_version} of {report.entity} "
            f"{report.review_year} ({report.doc_type.value}): a different document, not an edit; "
            "confirm it is a new version of this report before it is filed"
        ), head

    def _refresh_comparisons(self, report: Report, version: int, clean_sha: str) -> None:
        """Recompute the year-over-year pairs this report belongs to (cached by text hashes).

        Best effort: a comparison can always be computed on demand, so its failure must not
        turn a committed version into a failed upload.
        """
        from report_tracker.services.yoy import FreshVersion, YoyService  # noqa: PLC0415 - light ingest import

        entity, year = report.entity or "", report.review_year or 0
        fresh = FreshVersion(report.doc_type, year, version, report, clean_sha)
        try:
            YoyService(self.table, self.archive).refresh(entity, fresh)
        except Exception:  # any failure here is logged and left to the on-demand path
            logger.exception("comparison refresh failed", extra={"entity": entity, "year": year})

    def _index_for_search(self, latest: list[tuple[VersionRecord, str]]) -> bool:
        """One segment of the search index for versions that became their report's latest (or
        whose report was withdrawn); False when it could not be written.

        Best effort like the dataset: the versions are committed. With a dataset queue the
        entities are indexed again by the dataset function, with its retries; without one,
        `report-tracker rebuild-search` makes the index from the archive again.
        """
        from report_tracker.services.search import indexed_report  # noqa: PLC0415
        from report_tracker.services.search_engine import embedded  # noqa: PLC0415

        engine = self.search_engine or embedded(self.archive)
        try:
            engine.add([indexed_report(version, text) for version, text in latest])
        except Exception:  # logged; the archive itself is intact
            logger.exception(
                "search indexing failed", extra={"entities": sorted({v.entity for v, _ in latest})}
            )
            return False
        try:
            engine.maintain()
        except Exception:  # the segments stay readable; the next batch compacts
            logger.exception("search index compaction failed")
        return True

    def _refresh_dataset(self, entity: str, report: Report | None = None) -> None:
        """Bring the entity's dataset files up to date (docs/dataset.md).

        Best effort, like the comparisons: the version is committed whatever happens here, and
        the next change to the entity writes what this one did not (the manifest keeps the digests
        of what was written).
        """
        from report_tracker.services.dataset import DatasetService  # noqa: PLC0415 - DuckDB only when writing

        try:
            DatasetService(self.table, self.archive).refresh(entity, report)
        except Exception:  # logged and counted; the archive itself is intact
            logger.exception("dataset refresh failed", extra={"entity": entity})

    def _fail(self, record: UploadRecord, reason: str, *, permanent: bool) -> Outcome:
        record.status = UploadStatus.FAILED
        record.reason = reason
        record.permanent = permanent
        record.updated_at = now_iso()
        self.table.put_upload(record)
        logger.warning(
            "upload failed", extra={"upload_id": record.upload_id, "reason": reason, "permanent": permanent}
        )
        return Outcome(record.upload_id, UploadStatus.FAILED, None, reason)

    # --- removed -------------------------------------------------------------------

    def withdraw(self, event: ObjectEvent) -> Outcome:
        """A deleted raw object withdraws its versions; the archive keeps every word."""
        stamp = now_iso()
        uploads = self.table.uploads_for_key(event.bucket, event.key)
        delete_marker = "DeleteMarker" in event.event_name
        touched = [u for u in uploads if delete_marker or event.version_id in (None, u.raw.version_id)]
        marked: dict[tuple[str, int, DocType], set[int]] = defaultdict(set)  # report -> versions
        for upload in touched:
            if upload.report and upload.version and upload.status == UploadStatus.STORED:
                version = self.table.get_version(
                    upload.report.entity, upload.report.review_year, upload.report.doc_type, upload.version
                )
                if version and not version.withdrawn:
                    self.table.mark_withdrawn(version, stamp)
                    marked[(version.entity, version.review_year, version.doc_type)].add(version.version)
            if upload.status != UploadStatus.WITHDRAWN:
                withdrawn = upload.model_copy(
                    update={
                        "status": UploadStatus.WITHDRAWN,
                        "reason": f"raw object deleted ({event.event_name})",
                        "updated_at": stamp,
                    }
                )
                self.table.put_upload(withdrawn, unless_terminal=False)
        reports = sorted(
            {(u.report.entity, u.report.review_year, u.report.doc_type) for u in touched if u.report}
        )
        for entity, year, doc_type in reports:
            versions = self.table.list_versions(entity, year, doc_type)
            # (a query may not see yet the withdrawals just written)
            gone = every_version_withdrawn(versions, marked[(entity, year, doc_type)])
            retired = max(versions, key=lambda v: (v.order_key, v.version)) if gone else None
            self._after_commit(entity, retired=retired)
        upload_id = upload_id_for(event.bucket, event.key, event.version_id)
        return Outcome(upload_id, UploadStatus.WITHDRAWN, None, f"{len(touched)} upload(s) withdrawn")


def _order_key(sequencer: str | None, last_modified: str) -> str:
    """Upload order. S3 sequencers compare as hex strings of equal length only, so
    LastModified leads and the (zero-padded) sequencer breaks ties within a second."""
    return f"{last_modified}#{(sequencer or '').rjust(32, '0')}"


def _version_record(
    report: Report,
    upload: UploadRecord,
    clean_sha256: str,
    archive_key: str,
    *,
    order_key: str,
    sequencer: str | None,
    uploader: str | None,
    technical: bool,
    stamp: str,
) -> VersionRecord:
    """The version item for a reading of ``upload`` (its number is assigned at commit)."""
    assert report.entity and report.review_year
    return VersionRecord(
        entity=report.entity,
        review_year=report.review_year,
        plan_year=report.plan_year,
        doc_type=report.doc_type,
        version=0,
        raw=upload.raw,
        raw_sha256=upload.raw_sha256 or "",
        clean_sha256=clean_sha256,
        archive_key=archive_key,
        uploaded_at=upload.uploaded_at or stamp,
        order_key=order_key,
        sequencer=sequencer,
        uploader=uploader,
        parser_version=report.parser_version,
        technical=technical,
        status=report.status,
        title=report.title,
        flags=report.flags,
        chars=len(report.text),
        created_at=stamp,
    )
