"""Faults injected at each step of ingest with botocore event hooks; redelivery loses nothing."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError

from report_tracker.dal.table import ArchiveTable
from report_tracker.models.archive import UploadStatus
from report_tracker.services.factory import ingest_service
from tests.integration.conftest import Aws, unique
from tests.integration.test_ingest import sample

FIGURES = {"faults": 0, "uploads": 0, "versions": 0, "lost": 0}


@contextmanager
def fail(client: Any, event: str, error: Exception, times: int = 1) -> Iterator[list[int]]:
    """Make the next ``times`` calls matching ``event`` raise ``error`` before reaching AWS."""
    fired = [0]

    def hook(**_: Any) -> None:
        if fired[0] < times:
            fired[0] += 1
            raise error

    client.meta.events.register(event, hook)
    try:
        yield fired
    finally:
        client.meta.events.unregister(event, hook)


def throttled(op: str) -> ClientError:
    return ClientError({"Error": {"Code": "InternalServerError", "Message": "injected"}}, op)


def _clients(aws: Aws) -> tuple[Any, Any]:
    service = ingest_service(aws.ingest.settings)
    return service.raw._s3, service.table._ddb


STEPS = [
    (
        "reading the raw object",
        "s3",
        "before-call.s3.GetObject",
        EndpointConnectionError(endpoint_url="https://s3"),
    ),
    ("writing the archive object", "s3", "before-call.s3.PutObject", throttled("PutObject")),
    (
        "the index transaction",
        "ddb",
        "before-call.dynamodb.TransactWriteItems",
        throttled("TransactWriteItems"),
    ),
    ("recording the upload", "ddb", "before-call.dynamodb.PutItem", throttled("PutItem")),
]


@pytest.mark.parametrize(("step", "service", "event", "error"), STEPS, ids=[s[0] for s in STEPS])
def test_fault_then_redelivery_commits_exactly_once(
    aws: Aws, step: str, service: str, event: str, error: Exception
) -> None:
    s3, ddb = _clients(aws)
    entity = unique("故障")
    key = f"inbox/{entity}/2024/report.txt"
    body = sample(entity)
    put = aws.put(key, body)
    record = aws.created_record(key, put)
    # When the step fails during the first delivery
    with fail(s3 if service == "s3" else ddb, event, error) as fired:
        first = aws.ingest_records([record])
    FIGURES["faults"] += fired[0]
    FIGURES["uploads"] += 1
    assert fired[0] == 1, f"the fault at {step} was not reached"
    # Then the message goes back to the queue (or, if the fault hit only the bookkeeping, is done)
    table = ArchiveTable(aws.ddb, aws.provisioned.tables["ArchiveTable"])
    if first["batchItemFailures"]:
        assert table.list_versions(entity, 2024, "rule_of_law_annual") == []  # nothing half-written
        assert aws.ingest_records([record]) == {"batchItemFailures": []}
    # And after redelivery exactly one version is committed and listed
    versions = table.list_versions(entity, 2024, "rule_of_law_annual")
    assert [v.version for v in versions] == [1]
    FIGURES["versions"] += len(versions)
    head = table.get_head(entity, 2024, "rule_of_law_annual")
    assert head is not None and head.version_count == 1 and head.latest_version == 1
    (upload,) = table.uploads_for_key(aws.raw_bucket, key)
    assert upload.status == UploadStatus.STORED
    assert aws.get(f"/entities/{entity}/reports")[0] == 200
    # The raw object is untouched
    raw = aws.s3.get_object(Bucket=aws.raw_bucket, Key=key, VersionId=put["VersionId"])["Body"].read()
    assert hashlib.sha256(raw).hexdigest() == hashlib.sha256(body).hexdigest()
    # A third delivery changes nothing
    aws.ingest_records([record])
    assert len(table.list_versions(entity, 2024, "rule_of_law_annual")) == 1


def test_a_failing_comparison_does_not_fail_the_upload(aws: Aws, monkeypatch: Any) -> None:
    from report_tracker.services.yoy import YoyService

    def broken(self: YoyService, entity: str, review_year: int) -> int:
        FIGURES["faults"] += 1
        raise throttled("GetObject")

    # The year-over-year refresh after a commit fails; the version must stay committed
    monkeypatch.setattr(YoyService, "refresh", broken)
    entity = unique("比较")
    key = f"inbox/{entity}/2024/a.txt"
    assert aws.ingest_records([aws.created_record(key, aws.put(key, sample(entity)))]) == {
        "batchItemFailures": []
    }
    table = ArchiveTable(aws.ddb, aws.provisioned.tables["ArchiveTable"])
    assert [v.version for v in table.list_versions(entity, 2024, "rule_of_law_annual")] == [1]
    (upload,) = table.uploads_for_key(aws.raw_bucket, key)
    assert upload.status == UploadStatus.STORED


def test_http_500_from_dynamodb_is_retried_then_redelivered(aws: Aws) -> None:
    from botocore.awsrequest import AWSResponse

    _, ddb = _clients(aws)
    entity = unique("五百")
    key = f"inbox/{entity}/2024/report.txt"
    put = aws.put(key, sample(entity))
    record = aws.created_record(key, put)
    calls = [0]

    class Raw:
        def stream(self, **_: Any) -> Iterator[bytes]:
            yield b'{"__type":"InternalServerError","message":"injected 500"}'

    def http_500(request: Any, **_: Any) -> AWSResponse:
        calls[0] += 1
        return AWSResponse(request.url, 500, {"x-amzn-requestid": "injected"}, Raw())

    # Registered first so it answers before moto does: every TransactWriteItems gets a 500
    ddb.meta.events.register_first("before-send.dynamodb.TransactWriteItems", http_500)
    try:
        first = aws.ingest_records([record])
    finally:
        ddb.meta.events.unregister("before-send.dynamodb.TransactWriteItems", http_500)
    FIGURES["faults"] += calls[0]
    FIGURES["uploads"] += 1
    assert calls[0] >= 2  # botocore retried the 500s before giving up
    assert first == {"batchItemFailures": [{"itemIdentifier": record["messageId"]}]}
    assert aws.ingest_records([record]) == {"batchItemFailures": []}
    table = ArchiveTable(aws.ddb, aws.provisioned.tables["ArchiveTable"])
    versions = table.list_versions(entity, 2024, "rule_of_law_annual")
    assert [v.version for v in versions] == [1]
    FIGURES["versions"] += len(versions)


def test_zz_summary(aws: Aws) -> None:
    """Prints what the fault tests did (named zz to run last in this file)."""
    FIGURES["lost"] = FIGURES["uploads"] - FIGURES["versions"]
    print(f"\nfaults injected: {FIGURES['faults']}, uploads: {FIGURES['uploads']}, "
          f"versions committed: {FIGURES['versions']}, lost: {FIGURES['lost']}")  # fmt: skip
    assert FIGURES["uploads"] == len(STEPS) + 1
    assert FIGURES["lost"] == 0
