"""Queue operations: sending work to ingest and to the dataset function, moving dead-lettered
messages back."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from report_tracker.errors import StorageError


class IngestQueue:
    """The ingest queue as the API sees it: somewhere to send work."""

    def __init__(self, sqs: Any, url: str) -> None:
        self._sqs, self.url = sqs, url

    def send(self, body: str) -> None:
        try:
            self._sqs.send_message(QueueUrl=self.url, MessageBody=body)
        except (ClientError, BotoCoreError) as exc:
            raise StorageError(f"could not queue the work: {exc}") from exc


class DatasetQueue:
    """The dataset function's queue as ingest sees it: where changed entities are announced."""

    def __init__(self, sqs: Any, url: str) -> None:
        self._sqs, self.url = sqs, url

    def send(self, bodies: list[str]) -> list[str]:
        """Send every body (ten to a call); the bodies that could not be sent."""
        unsent: list[str] = []
        for start in range(0, len(bodies), 10):
            chunk = bodies[start : start + 10]
            try:
                resp = self._sqs.send_message_batch(
                    QueueUrl=self.url, Entries=[{"Id": str(i), "MessageBody": b} for i, b in enumerate(chunk)]
                )
            except (ClientError, BotoCoreError):
                unsent += chunk
                continue
            unsent += [chunk[int(f["Id"])] for f in resp.get("Failed", [])]
        return unsent


def redrive(sqs: Any, dlq_url: str, queue_url: str, *, limit: int = 10_000) -> int:
    """Move up to ``limit`` messages from the dead-letter queue back to the ingest queue.

    Send first, delete second: a crash in between leaves a duplicate, never a loss, and the
    ingest function is idempotent per S3 object version.
    """
    moved = 0
    while moved < limit:
        resp = sqs.receive_message(
            QueueUrl=dlq_url, MaxNumberOfMessages=min(10, limit - moved), WaitTimeSeconds=1
        )
        messages = resp.get("Messages", [])
        if not messages:
            return moved
        for message in messages:
            sqs.send_message(QueueUrl=queue_url, MessageBody=message["Body"])
            sqs.delete_message(QueueUrl=dlq_url, ReceiptHandle=message["ReceiptHandle"])
            moved += 1
    return moved


def enqueue_reindex(s3: Any, sqs: Any, bucket: str, queue_url: str, prefix: str = "") -> int:
    """One reindex message per stored object version of the raw bucket (batches of 10)."""
    import json  # noqa: PLC0415

    sent = 0
    batch: list[dict[str, str]] = []

    def flush() -> None:
        nonlocal sent
        if batch:
            sqs.send_message_batch(
                QueueUrl=queue_url,
                Entries=[{"Id": str(i), "MessageBody": b["body"]} for i, b in enumerate(batch)],
            )
            sent += len(batch)
            batch.clear()

    for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket, Prefix=prefix):
        for v in page.get("Versions", []):
            version = v.get("VersionId") if v.get("VersionId") not in (None, "null") else None
            body = json.dumps(
                {"reindex": {"bucket": bucket, "key": v["Key"], "version_id": version}}, ensure_ascii=False
            )
            batch.append({"body": body})
            if len(batch) == 10:
                flush()
    flush()
    return sent
