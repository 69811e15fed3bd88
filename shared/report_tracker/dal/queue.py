"""Queue operations: moving dead-lettered messages back once their cause is fixed."""

from __future__ import annotations

from typing import Any


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
