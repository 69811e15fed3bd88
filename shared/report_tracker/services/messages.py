"""Messages the API puts on the ingest queue, beside S3's own notifications.

Kept apart from the ingest service so that the API, which only sends them, never imports the
reading pipeline.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from report_tracker.dal.table import ArchiveTable
from report_tracker.errors import Conflict, NotFound
from report_tracker.models.archive import UploadRecord, UploadStatus
from report_tracker.models.report import UploadHints


@dataclass(frozen=True)
class CompletionEvent:
    """A person supplied an upload's metadata (PUT /uploads/{id}/metadata): read and file it."""

    upload_id: str
    hints: UploadHints


def completion_message(upload_id: str, hints: UploadHints) -> str:
    """The queue message that asks ingest to complete an upload (read by services.events)."""
    hints_json = hints.model_dump(mode="json", exclude_none=True)
    return json.dumps({"complete": {"upload_id": upload_id, "hints": hints_json}}, ensure_ascii=False)


def held_upload(table: ArchiveTable, upload_id: str) -> UploadRecord:
    """The upload a completion is for: it must exist and wait for a person (404 / 409 otherwise)."""
    record = table.get_upload(upload_id)
    if record is None:
        raise NotFound(f"no upload {upload_id}")
    if record.status not in {UploadStatus.NEEDS_METADATA, UploadStatus.IDENTITY_CONFLICT}:
        raise Conflict(
            f"upload {upload_id} is {record.status.value}, not needs_metadata or identity_conflict"
        )
    return record
