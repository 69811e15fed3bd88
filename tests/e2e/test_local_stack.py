"""The embedded local stack end to end: boto3 upload -> S3 -> SQS -> ingest -> DynamoDB/S3 -> HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from report_tracker.local.samples import upload_samples
from report_tracker.local.stack import LocalStack
from tests.conftest import SAMPLES, corpus_available, crash_on_poison, seed_bytes
from tests.e2e.conftest import get_json, path, poll

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def stack() -> Iterator[LocalStack]:
    with LocalStack() as running:
        upload_samples(running)
        yield running


def test_samples_are_loaded_with_a_second_version(stack: LocalStack) -> None:
    def listed() -> Any:
        status, body = get_json(
            f"{stack.api_url}/{path('entities', '青石镇', 'reports', '2024', 'versions')}"
        )
        return status == 200 and len(body["items"]) == 2 and body

    body = poll(listed)
    assert body["latest_version"] == 2
    status, entities = get_json(f"{stack.api_url}/entities")
    assert status == 200 and {"青石镇", "白沙乡"} <= {e["entity"] for e in entities["items"]}


@pytest.mark.skipif(not corpus_available(), reason="../shared/corpus is not beside this checkout")
def test_uploaded_seed_becomes_queryable(stack: LocalStack) -> None:
    # Given a real report put into the upload bucket with boto3, with no hints at all
    s3 = stack.client("s3")
    s3.put_object(
        Bucket=stack.raw_bucket,
        Key="uploads/古龙镇 2024 报告+终稿.txt",
        Body=seed_bytes("001_a72cb30ac0344b96.txt"),
    )

    # When the API is polled
    def listed() -> Any:
        status, body = get_json(f"{stack.api_url}/{path('entities', '古龙镇', 'reports', '2024')}")
        return status == 200 and body

    # Then the reading appears, entity and year read from the text itself
    body = poll(listed)
    assert body["region"] == ["重庆市", "大足区"]
    assert [s["kind"] for s in body["sections"] if s["kind"] != "other"][-2:] == ["problems", "plans"]
    assert body["raw"]["key"] == "uploads/古龙镇 2024 报告+终稿.txt"


def test_binary_upload_is_recorded_failed_and_others_go_on(stack: LocalStack) -> None:
    s3 = stack.client("s3")
    s3.put_object(
        Bucket=stack.raw_bucket, Key="uploads/photo.jpg", Body=b"\xff\xd8\xff\xe0" + bytes(range(256)) * 30
    )
    text = (SAMPLES / "baisha-2024.txt").read_text(encoding="utf-8").replace("白沙乡", "红岩乡")
    s3.put_object(Bucket=stack.raw_bucket, Key="uploads/红岩乡2024.txt", Body=text.encode("gb18030"))

    def failed() -> Any:
        _status, body = get_json(f"{stack.api_url}/uploads?status=failed")
        return [u for u in body["items"] if u["raw"]["key"] == "uploads/photo.jpg"]

    (upload,) = poll(failed)
    assert "does not look like text" in upload["reason"]
    status, _ = poll(
        lambda: (s := get_json(f"{stack.api_url}/{path('entities', '红岩乡', 'reports')}"))[0] == 200 and s
    )
    assert status == 200


def test_poison_message_reaches_the_dlq_after_five_receives(stack: LocalStack, monkeypatch: Any) -> None:
    # Given a parser that crashes on one file (a bug, not bad input: retrying is right)
    crash_on_poison(
        stack.ingest.ingest_service(stack.ingest.settings), monkeypatch, "parser crashed on this file"
    )
    s3, sqs = stack.client("s3"), stack.client("sqs")
    s3.put_object(
        Bucket=stack.raw_bucket,
        Key="uploads/poison.txt",
        Body=b"POISON " + (SAMPLES / "baisha-2023.txt").read_bytes(),
    )

    # Then it is retried and lands in the dead-letter queue after 5 receives
    def in_dlq() -> Any:
        attrs = sqs.get_queue_attributes(
            QueueUrl=stack.dlq_url, AttributeNames=["ApproximateNumberOfMessages"]
        )
        return int(attrs["Attributes"]["ApproximateNumberOfMessages"]) >= 1

    poll(in_dlq, timeout=40)
    # And the upload is listed as failed with its reason
    _status, body = get_json(f"{stack.api_url}/uploads?status=failed")
    (upload,) = [u for u in body["items"] if u["raw"]["key"] == "uploads/poison.txt"]
    assert upload["attempts"] == 5 and "parser crashed" in upload["reason"]
    assert upload["permanent"] is False

    # Once the cause is fixed, the documented redrive moves it back and it is stored
    monkeypatch.undo()
    from report_tracker.cli import main

    assert (
        main(
            [
                "redrive",
                "--endpoint",
                stack.aws_endpoint,
                "--dlq-url",
                stack.dlq_url,
                "--queue-url",
                stack.queue_url,
            ]
        )
        == 0
    )

    def stored() -> Any:
        _, page = get_json(f"{stack.api_url}/uploads?status=stored&limit=200")
        return [u for u in page["items"] if u["raw"]["key"] == "uploads/poison.txt"]

    assert poll(stored, timeout=30)


def test_presigned_upload_over_http_is_ingested(stack: LocalStack) -> None:
    import json
    import urllib.request

    # Given an upload ticket asked for over HTTP, with the entity only in the metadata
    text = (SAMPLES / "baisha-2024.txt").read_text(encoding="utf-8").replace("白沙乡", "石门乡")
    data = text.encode("utf-8")
    request = {"filename": "石门乡 年度报告.txt", "size": len(data), "content_type": "text/plain",
               "entity": "石门乡", "year": 2024}  # fmt: skip
    post = urllib.request.Request(
        f"{stack.api_url}/uploads",
        data=json.dumps(request, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(post, timeout=10) as resp:
        assert resp.status == 201
        ticket = json.loads(resp.read())

    # When the file is PUT to the presigned URL with exactly the headers given
    put = urllib.request.Request(ticket["upload_url"], data=data, headers=ticket["headers"], method="PUT")
    with urllib.request.urlopen(put, timeout=10) as resp:
        assert resp.status == 200

    # Then its status URL shows it stored, and the report is served
    def stored() -> Any:
        status, page = get_json(f"{stack.api_url}{ticket['status_url']}")
        return status == 200 and [u for u in page["items"] if u["status"] == "stored"]

    (upload,) = poll(stored)
    assert upload["raw"]["key"] == ticket["key"]
    status, body = get_json(f"{stack.api_url}/{path('entities', '石门乡', 'reports', '2024')}")
    assert status == 200 and body["raw"]["key"] == ticket["key"]
