"""Helpers shared by the benchmark and the load test."""

from __future__ import annotations

from typing import Any

# Every state an upload rests in once ingest has acted (a held identity_conflict too: missing it
# here made the benchmark wait out its 900 s limit whenever an upload was held for a person).
RECORDED = (
    "stored",
    "duplicate",
    "failed",
    "needs_metadata",
    "needs_ocr",
    "identity_conflict",
    "withdrawn",
    "skipped",
)


def recorded_uploads(stack: Any) -> int:
    """Uploads of the local stack that reached a recorded state (counted on the status index)."""
    ddb = stack.client("dynamodb")
    table = stack.provisioned.tables["ArchiveTable"]
    total = 0
    for status in RECORDED:
        for page in ddb.get_paginator("query").paginate(
            TableName=table,
            IndexName="GSI1",
            KeyConditionExpression="GSI1PK = :p",
            ExpressionAttributeValues={":p": {"S": f"UPLOADS#{status}"}},
            Select="COUNT",
        ):
            total += page["Count"]
    return total
