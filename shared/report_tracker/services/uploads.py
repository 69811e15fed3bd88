"""Uploads over HTTP: a presigned PUT into the raw bucket, so the bytes never pass the API."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from urllib.parse import quote

from report_tracker.dal.queue import IngestQueue
from report_tracker.dal.s3 import RawStore
from report_tracker.dal.table import ArchiveTable
from report_tracker.errors import DocumentTooLarge
from report_tracker.models.api import UploadOutcome, UploadRequest, UploadTicket
from report_tracker.models.report import UploadHints
from report_tracker.services.messages import completion_message, held_upload

TICKET_SECONDS = 900
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\]+")


def safe_filename(name: str) -> str:
    """The last path component without control characters; never a path of its own."""
    base = re.split(r"[/\\]", name)[-1]
    base = _UNSAFE.sub("", base).strip().lstrip(".")
    return base[:120] or "report"


class UploadDesk:
    def __init__(self, raw: RawStore, max_bytes: int) -> None:
        self.raw = raw
        self.max_bytes = max_bytes

    def ticket(self, request: UploadRequest) -> UploadTicket:
        if request.size > self.max_bytes:
            raise DocumentTooLarge(
                f"the file is {request.size} bytes; uploads are limited to {self.max_bytes} bytes"
            )
        token = uuid.uuid4().hex[:12]
        name = f"{token}-{safe_filename(request.filename)}"
        if request.entity and request.year:
            key = f"inbox/{request.entity}/{request.year}/{name}"
        else:
            key = f"uploads/{datetime.now(UTC):%Y-%m-%d}/{name}"
        # S3 metadata is ASCII on the wire: Chinese values travel percent-encoded (ingest decodes).
        metadata = {
            k: quote(v, safe="")
            for k, v in {
                "entity": request.entity,
                "year": str(request.year) if request.year else None,
                "region": "/".join(request.region) if request.region else None,
                "doc-type": request.doc_type.value if request.doc_type else None,
            }.items()
            if v
        }
        url = self.raw.presigned_put(
            key,
            size=request.size,
            content_type=request.content_type,
            metadata=metadata,
            expires=TICKET_SECONDS,
        )
        headers = {"Content-Type": request.content_type, "Content-Length": str(request.size)}
        headers.update({f"x-amz-meta-{k}": v for k, v in metadata.items()})
        return UploadTicket(
            status_url=f"/uploads?key={quote(key, safe='')}",
            upload_url=url,
            bucket=self.raw.bucket,
            key=key,
            headers=headers,
            expires_in=TICKET_SECONDS,
            max_bytes=self.max_bytes,
        )


class CompletionDesk:
    """Completing a held upload: checked here, read and filed by ingest (the API never parses)."""

    def __init__(self, table: ArchiveTable, queue: IngestQueue) -> None:
        self.table, self.queue = table, queue

    def request(self, upload_id: str, hints: UploadHints) -> UploadOutcome:
        record = held_upload(self.table, upload_id)
        self.queue.send(completion_message(upload_id, hints))
        return UploadOutcome(
            upload_id=upload_id,
            status="queued",
            reason="queued to be read with this metadata; follow status_url for the outcome",
            status_url=f"/uploads?key={quote(record.raw.key, safe='')}",
        )
