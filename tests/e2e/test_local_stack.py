"""The embedded local stack end to end: boto3 upload -> S3 -> SQS -> ingest -> DynamoDB/S3 -> HTTP."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest

from report_tracker.local.samples import upload_samples
from report_tracker.local.stack import LocalStack
from tests.conftest import SAMPLES, corpus_available, crash_on_poison, seed_bytes
from tests.e2e.conftest import get_json, path, poll, send_json

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


def _upload_with_key(stack: LocalStack, key: str) -> Any:
    def found() -> Any:
        _status, body = get_json(f"{stack.api_url}/uploads?key={quote(key)}")
        done = [u for u in body["items"] if u["status"] != "processing"]
        return done[0] if done else None

    return poll(found)


def _settled(stack: LocalStack, key: str, upload_id: str) -> Any:
    """The upload once ingest has acted on its queued completion."""

    def moved() -> Any:
        _status, body = get_json(f"{stack.api_url}/uploads?key={quote(key)}")
        done = [u for u in body["items"] if u["upload_id"] == upload_id and u["status"] not in HELD]
        return done[0] if done else None

    return poll(moved)


HELD = {"processing", "needs_metadata", "identity_conflict"}


def test_a_key_naming_another_government_is_held_until_confirmed(stack: LocalStack) -> None:
    # Given 白沙乡's report uploaded under another township's folder
    s3 = stack.client("s3")
    key = "inbox/红枫镇/2024/report.txt"
    s3.put_object(Bucket=stack.raw_bucket, Key=key, Body=(SAMPLES / "baisha-2024.txt").read_bytes())

    # Then it is held with both names, and nothing is filed under either
    upload = _upload_with_key(stack, key)
    assert upload["status"] == "identity_conflict"
    assert "红枫镇" in upload["reason"] and "白沙乡" in upload["reason"]
    assert get_json(f"{stack.api_url}/{path('entities', '红枫镇', 'reports')}")[0] == 404

    # When a person confirms the folder's name
    status, outcome = send_json(
        "PUT",
        f"{stack.api_url}/uploads/{upload['upload_id']}/metadata",
        {"entity": "红枫镇", "year": 2024, "confirm": True},
    )

    # Then it is queued, and filed under the confirmed name
    assert status == 202 and outcome["status"] == "queued", outcome
    assert _settled(stack, key, upload["upload_id"])["status"] == "stored"
    status, body = get_json(f"{stack.api_url}/{path('entities', '红枫镇', 'reports', '2024')}")
    assert status == 200 and body["entity"] == "红枫镇"


def test_a_new_version_that_is_another_document_is_held(stack: LocalStack) -> None:
    # Given a second township's text renamed to look like 青石镇's 2024 report (already filed)
    s3 = stack.client("s3")
    key = "inbox/青石镇/2024/青石镇2024（更正）.txt"
    text = (SAMPLES / "baisha-2024.txt").read_text(encoding="utf-8").replace("白沙乡", "青石镇")
    s3.put_object(Bucket=stack.raw_bucket, Key=key, Body=text.encode("utf-8"))

    # Then it is not shown as a silent edit of 青石镇's report
    upload = _upload_with_key(stack, key)
    assert upload["status"] == "identity_conflict", upload
    assert "a different document, not an edit" in upload["reason"]
    _status, versions = get_json(
        f"{stack.api_url}/{path('entities', '青石镇', 'reports', '2024', 'versions')}"
    )
    assert versions["latest_version"] == 2

    # When a person confirms it, it becomes the next version
    status, outcome = send_json(
        "PUT",
        f"{stack.api_url}/uploads/{upload['upload_id']}/metadata",
        {"entity": "青石镇", "year": 2024, "confirm": True},
    )
    assert status == 202 and outcome["status"] == "queued", outcome
    filed = _settled(stack, key, upload["upload_id"])
    assert filed["status"] == "stored" and filed["version"] == 3, filed


def test_a_one_line_text_behind_page_debris_is_read(stack: LocalStack) -> None:
    # Given a report copied from a web page: a toolbar line, then every line break lost
    lines = (SAMPLES / "baisha-2024.txt").read_text(encoding="utf-8").replace("白沙乡", "金竹乡").splitlines()
    body = "下载 打印 全屏 收藏\n" + "".join(line.strip() for line in lines)
    s3 = stack.client("s3")
    s3.put_object(Bucket=stack.raw_bucket, Key="uploads/jinzhu.txt", Body=body.encode("utf-8"))

    # Then its identity, title and sections are read from the text
    def filed() -> Any:
        status, found = get_json(f"{stack.api_url}/{path('entities', '金竹乡', 'reports', '2024')}")
        return status == 200 and found

    report = poll(filed)
    assert "下载" not in (report["title"] or "") and "金竹乡" in report["title"]
    kinds = {s["kind"] for s in report["sections"]}
    assert {"problems", "plans"} <= kinds, kinds
    assert "line_breaks_restored" in report["flags"]


def test_random_bytes_named_docx_are_failed_not_filed(stack: LocalStack) -> None:
    s3 = stack.client("s3")
    s3.put_object(Bucket=stack.raw_bucket, Key="uploads/poison.docx", Body=random.Random(7).randbytes(4096))

    upload = _upload_with_key(stack, "uploads/poison.docx")
    assert upload["status"] == "failed" and upload["permanent"] is True, upload
    assert upload["reason"]


def test_the_dataset_function_brings_the_samples_dataset_up_to_date(stack: LocalStack, tmp_path: Any) -> None:
    # Ingest announces the entities it changed; the stack's dataset function writes their files
    from report_tracker.cli import mirror
    from report_tracker.dataset.parquet import sql

    def current() -> Any:
        # the latest version of 青石镇 2024 as the API gives it (other tests of this module add one)
        _, versions = get_json(f"{stack.api_url}/{path('entities', '青石镇', 'reports', '2024', 'versions')}")
        expected = {("青石镇", 2023, 1), ("青石镇", 2024, versions["latest_version"]), ("白沙乡", 2024, 1)}
        mirror(stack.api_url, tmp_path)
        if not list(tmp_path.rglob("*.parquet")):
            return False
        _, rows = sql(tmp_path, "SELECT entity, review_year, version FROM reports")
        return expected <= set(rows)

    assert poll(current, timeout=60, interval=1.0)
