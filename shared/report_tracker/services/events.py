"""S3 notifications (as delivered through SQS) -> ObjectEvents. Pure translation."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote_plus

from aws_lambda_powertools.utilities.data_classes import S3Event

from report_tracker.errors import PermanentError
from report_tracker.models.report import UploadHints
from report_tracker.services.ingest import REINDEX, ObjectEvent
from report_tracker.services.messages import CompletionEvent


def object_events(body: str) -> list[ObjectEvent | CompletionEvent]:
    """Events in one SQS message body. The s3:TestEvent S3 sends on setup yields none.

    Keys arrive URL-encoded as a whole (``dir%2Fmy+file.txt``): decoded exactly once here.
    """
    try:
        payload: dict[str, Any] = json.loads(body)
    except (json.JSONDecodeError, TypeError) as exc:
        raise PermanentError(f"the queue message is not JSON: {str(body)[:200]!r}") from exc
    if isinstance(payload.get("complete"), dict):
        target = payload["complete"]
        try:
            hints = UploadHints.model_validate(target.get("hints") or {})
            return [CompletionEvent(upload_id=str(target["upload_id"]), hints=hints)]
        except (KeyError, ValueError) as exc:
            raise PermanentError(f"the completion message is malformed: {exc}") from exc
    if isinstance(payload.get("reindex"), dict):
        target = payload["reindex"]
        return [
            ObjectEvent(
                event_name=REINDEX,
                bucket=str(target["bucket"]),
                key=str(target["key"]),
                version_id=target.get("version_id") or None,
            )
        ]
    if payload.get("Event") == "s3:TestEvent" or "Records" not in payload:
        return []
    events: list[ObjectEvent | CompletionEvent] = []
    for record in S3Event(payload).records:
        obj = record.s3.get_object
        raw_obj: dict[str, Any] = record.raw_event["s3"]["object"]
        events.append(
            ObjectEvent(
                event_name=record.event_name,
                bucket=record.s3.bucket.name,
                key=unquote_plus(obj.key),
                version_id=raw_obj.get("versionId") or None,
                sequencer=raw_obj.get("sequencer") or None,
                size=raw_obj.get("size"),
                event_time=record.event_time,
                uploader=(record.raw_event.get("userIdentity") or {}).get("principalId"),
                etag=raw_obj.get("eTag") or None,
            )
        )
    return events
