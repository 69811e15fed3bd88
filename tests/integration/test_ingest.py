"""The ingest handler on moto: every upload ends stored, a duplicate, or failed with a reason."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote_plus

from report_tracker.dal.table import ArchiveTable
from report_tracker.models.archive import EntityRecord, UploadStatus
from report_tracker.services.factory import ingest_service
from tests.conftest import SAMPLES, crash_on_poison, load_event
from tests.integration.conftest import Aws, unique


def sample(entity: str, year: int = 2024, edit: str | None = None) -> bytes:
    text = (
        (SAMPLES / "qingshi-2024.txt").read_text(encoding="utf-8").replace("青石", entity.removesuffix("镇"))
    )
    text = text.replace("2024", str(year)).replace("2025", str(year + 1))
    if edit:
        text = text.replace("法治宣传活动120场", edit)
    return text.encode("utf-8")


def table(aws: Aws) -> ArchiveTable:
    return ArchiveTable(aws.ddb, aws.provisioned.tables["ArchiveTable"])


def versions(aws: Aws, entity: str, year: int = 2024) -> list[Any]:
    return table(aws).list_versions(entity, year, "rule_of_law_annual")


def test_upload_is_stored_and_served(aws: Aws) -> None:
    # Given a report uploaded under inbox/<entity>/<year>/
    entity = unique("青山")
    aws.upload(f"inbox/{entity}/2024/{entity}2024年度法治政府建设情况报告.txt", sample(entity))
    # When the API is asked for it, with the Chinese name percent-encoded in the path
    status, _, body = aws.get(f"/entities/{entity}/reports/2024")
    # Then the reading comes back with its sections and figures
    assert status == 200
    assert body["entity"] == entity and body["version"] == 1
    assert [s["kind"] for s in body["sections"] if s["kind"] != "other"] == [
        "responsibility",
        "measures",
        "problems",
        "plans",
    ]
    assert any(f["text"] == "120场" for f in body["figures"])
    status, _, listing = aws.get(f"/entities/{entity}/reports")
    assert status == 200 and listing["items"][0]["review_year"] == 2024


def test_duplicate_delivery_is_processed_once(aws: Aws) -> None:
    entity = unique("重复")
    key = f"inbox/{entity}/2024/a.txt"
    put = aws.put(key, sample(entity))
    record = aws.created_record(key, put)
    # S3 and SQS deliver at least once: the same event arrives twice, in one batch and again later
    assert aws.ingest_records([record, {**record, "messageId": "other"}]) == {"batchItemFailures": []}
    aws.ingest_records([record])
    assert [v.version for v in versions(aws, entity)] == [1]


def test_identical_text_reuploaded_is_a_duplicate_not_a_version(aws: Aws) -> None:
    entity = unique("同文")
    key = f"inbox/{entity}/2024/a.txt"
    aws.upload(key, sample(entity))
    # The same text again, as UTF-16 under another name: a new S3 object, same clean text
    put = aws.put(f"inbox/{entity}/2024/b.txt", sample(entity).decode("utf-8").encode("utf-16"))
    aws.ingest_records([aws.created_record(f"inbox/{entity}/2024/b.txt", put)])
    assert [v.version for v in versions(aws, entity)] == [1]
    uploads = table(aws).uploads_for_key(aws.raw_bucket, f"inbox/{entity}/2024/b.txt")
    assert uploads[0].status == UploadStatus.DUPLICATE and uploads[0].version == 1


def test_an_edit_becomes_the_next_version(aws: Aws) -> None:
    entity = unique("修订")
    key = f"inbox/{entity}/2024/a.txt"
    aws.upload(key, sample(entity))
    aws.upload(key, sample(entity, edit="法治宣传活动100场"))
    found = versions(aws, entity)
    assert [v.version for v in found] == [1, 2]
    assert found[0].clean_sha256 != found[1].clean_sha256
    status, _, body = aws.get(f"/entities/{entity}/reports/2024/versions")
    assert status == 200 and body["latest_version"] == 2
    status, _, first = aws.get(f"/entities/{entity}/reports/2024/versions/1")
    assert status == 200 and "120场" in first["text"]


def test_a_stale_head_handed_to_the_commit_costs_a_retry_not_a_wrong_number(aws: Aws) -> None:
    # Given a report with two versions, and a commit that starts from a head read before either
    entity = unique("旧头")
    key = f"inbox/{entity}/2024/a.txt"
    aws.upload(key, sample(entity))
    aws.upload(key, sample(entity, edit="法治宣传活动100场"))
    store = table(aws)
    first = versions(aws, entity)[0]
    third = first.model_copy(update={"clean_sha256": "c" * 64, "version": 0, "order_key": "~"})
    upload = store.uploads_for_key(aws.raw_bucket, key)[0]
    entity_record = EntityRecord(entity=entity, updated_at=first.created_at)
    # When it commits believing the report has no head yet
    result = store.commit_version(third, upload, entity_record, head=None)
    # Then the condition on the head catches it and the version takes the next free number
    assert result.version == 3 and result.latest and not result.duplicate
    head = store.get_head(entity, 2024, first.doc_type)
    assert head is not None and head.version_count == 3 and head.latest_version == 3


def test_bad_file_fails_alone_and_the_batch_goes_on(aws: Aws) -> None:
    entity = unique("批次")
    good_key, bad_key = f"inbox/{entity}/2024/good.txt", f"inbox/{entity}/2024/bad.bin"
    good = aws.created_record(good_key, aws.put(good_key, sample(entity)))
    bad = aws.created_record(bad_key, aws.put(bad_key, bytes(range(256)) * 20))
    # A permanent failure is recorded and consumed: no retry can fix bytes that are not text
    assert aws.ingest_records([bad, good]) == {"batchItemFailures": []}
    assert [v.version for v in versions(aws, entity)] == [1]
    status, _, page = aws.get("/uploads?status=failed&limit=200")
    failed = [u for u in page["items"] if u["raw"]["key"] == bad_key]
    assert status == 200 and failed and "does not look like text" in failed[0]["reason"]
    assert failed[0]["permanent"] is True
    # Delivered again, it is neither re-read nor re-recorded
    before = table(aws).uploads_for_key(aws.raw_bucket, bad_key)[0]
    assert aws.ingest_records([bad]) == {"batchItemFailures": []}
    assert table(aws).uploads_for_key(aws.raw_bucket, bad_key)[0] == before


def test_a_crash_is_retried_and_only_its_message_fails(aws: Aws, monkeypatch: Any) -> None:
    entity = unique("崩溃")
    good_key, poison_key = f"inbox/{entity}/2024/good.txt", f"inbox/{entity}/2024/poison.txt"
    good = aws.created_record(good_key, aws.put(good_key, sample(entity)))
    poison = aws.created_record(poison_key, aws.put(poison_key, b"POISON " + sample(entity)))
    crash_on_poison(ingest_service(aws.ingest.settings), monkeypatch)
    result = aws.ingest_records([good, poison])
    # Only the poison message goes back to the queue; its reason is on record meanwhile
    assert result == {"batchItemFailures": [{"itemIdentifier": poison["messageId"]}]}
    upload = table(aws).uploads_for_key(aws.raw_bucket, poison_key)[0]
    assert upload.status == UploadStatus.FAILED and not upload.permanent
    assert "parser crashed" in (upload.reason or "")
    # A retry counts its attempt and keeps the first delivery's creation time
    assert aws.ingest_records([poison]) == {"batchItemFailures": [{"itemIdentifier": poison["messageId"]}]}
    again = table(aws).uploads_for_key(aws.raw_bucket, poison_key)[0]
    assert (again.attempts, again.created_at) == (upload.attempts + 1, upload.created_at)
    assert again.updated_at >= upload.updated_at


def test_deleting_the_raw_object_withdraws_its_version(aws: Aws) -> None:
    entity = unique("撤回")
    key = f"inbox/{entity}/2024/a.txt"
    aws.upload(key, sample(entity))
    # Real AWS shape: deleting on a versioned bucket creates a delete marker
    record = load_event("ingest-delete-marker.json")["Records"][0]
    body = json.loads(record["body"])
    body["Records"][0]["s3"]["object"]["key"] = quote_plus(key, safe="/")
    body["Records"][0]["s3"]["bucket"]["name"] = aws.raw_bucket
    aws.ingest_records([{**record, "body": json.dumps(body)}])
    (version,) = versions(aws, entity)
    assert version.withdrawn
    status, _, listing = aws.get(f"/entities/{entity}/reports/2024/versions")
    assert status == 200 and listing["items"][0]["withdrawn"] is True
    # Nothing is erased: the reading is still served
    assert aws.get(f"/entities/{entity}/reports/2024")[0] == 200


def test_latest_follows_upload_order_not_arrival(aws: Aws) -> None:
    entity = unique("乱序")
    key = f"inbox/{entity}/2024/a.txt"
    first = aws.created_record(key, aws.put(key, sample(entity)), sequencer="0055AED6DCD9000001")
    second = aws.created_record(
        key, aws.put(key, sample(entity, edit="法治宣传活动90场")), sequencer="0055AED6DCD9000002"
    )
    # The later upload arrives first
    aws.ingest_records([second])
    aws.ingest_records([first])
    head = table(aws).get_head(entity, 2024, "rule_of_law_annual")
    assert head is not None and head.version_count == 2
    latest = next(v for v in versions(aws, entity) if v.version == head.latest_version)
    assert latest.sequencer == "0055AED6DCD9000002"
    # The head carries the latest version's keys (year over year reads them instead of the version)
    assert (head.latest_clean_sha256, head.latest_archive_key) == (latest.clean_sha256, latest.archive_key)
    # The versions listing names the same latest (it derives it from the versions it lists)
    status, _, listing = aws.get(f"/entities/{entity}/reports/2024/versions")
    assert status == 200 and listing["latest_version"] == head.latest_version
    assert [v["version"] for v in listing["items"] if v["latest"]] == [head.latest_version]


def test_time_budget_stops_before_the_timeout(aws: Aws) -> None:
    entity = unique("超时")
    key = f"inbox/{entity}/2024/a.txt"
    record = aws.created_record(key, aws.put(key, sample(entity)))
    # An invocation with 5 s left and a 10 s safety margin must not start the work
    result = aws.ingest_records([record], timeout=5)
    assert result == {"batchItemFailures": [{"itemIdentifier": record["messageId"]}]}
    upload = table(aws).uploads_for_key(aws.raw_bucket, key)[0]
    assert upload.status == UploadStatus.FAILED and "time" in (upload.reason or "")
    assert versions(aws, entity) == []
    # Redelivered with time to spare, it is stored
    assert aws.ingest_records([record]) == {"batchItemFailures": []}
    assert [v.version for v in versions(aws, entity)] == [1]


def test_empty_and_oversized_uploads_are_recorded_failed(aws: Aws) -> None:
    entity = unique("大小")
    limit = aws.ingest.settings.max_upload_bytes
    for name, body, reason in (("empty.txt", b"", "empty"), ("big.txt", b"a" * (limit + 1), "limit")):
        key = f"inbox/{entity}/2024/{name}"
        aws.upload(key, body)
        upload = table(aws).uploads_for_key(aws.raw_bucket, key)[0]
        assert upload.status == UploadStatus.FAILED and upload.permanent
        assert reason in (upload.reason or "")


def test_awkward_keys_are_decoded_once(aws: Aws) -> None:
    entity = unique("键名")
    names = ["a b+c%20d.txt", "../../etc/passwd", "报告（修订版）#1.txt", "长" * 300 + ".txt"]
    for index, name in enumerate(names):
        key = f"inbox/{entity}/{2010 + index}/{name}"
        aws.upload(key, sample(entity, year=2010 + index))
        uploads = table(aws).uploads_for_key(aws.raw_bucket, key)
        assert uploads and uploads[0].status == UploadStatus.STORED, name
        assert uploads[0].raw.key == key


def test_the_s3_test_event_is_ignored(aws: Aws) -> None:
    assert aws.ingest_records(load_event("ingest-test-event.json")["Records"]) == {"batchItemFailures": []}


def test_reindex_stores_a_technical_re_extraction(aws: Aws, monkeypatch: Any) -> None:
    from report_tracker.dal.queue import enqueue_reindex

    entity = unique("重读")
    key = f"inbox/{entity}/2024/a.txt"
    put = aws.upload(key, sample(entity))
    body = json.dumps({"reindex": {"bucket": aws.raw_bucket, "key": key, "version_id": put["VersionId"]}})
    record = {**aws.created_record(key, put), "body": body}
    # The same parser reads the same text: nothing new
    assert aws.ingest_records([record]) == {"batchItemFailures": []}
    assert [v.version for v in versions(aws, entity)] == [1]
    # A better parser reads it differently: a technical version, not a publisher's edit
    service = ingest_service(aws.ingest.settings)
    real = service._reader

    def improved(data: bytes, hints: Any) -> Any:
        report = real(data, hints)
        return report.model_copy(update={"text": report.text + "\n（更好的解析）"})

    monkeypatch.setattr(service, "_reader", improved)
    assert aws.ingest_records([record]) == {"batchItemFailures": []}
    found = versions(aws, entity)
    assert [(v.version, v.technical) for v in found] == [(1, False), (2, True)]
    status, _, listing = aws.get(f"/entities/{entity}/reports/2024/versions")
    assert status == 200 and listing["items"][1]["technical"] is True
    # The fan-out enqueues one message per stored object version
    queue = aws.provisioned.queues["IngestQueue"]
    aws.sqs.purge_queue(QueueUrl=queue)
    sent = enqueue_reindex(aws.s3, aws.sqs, aws.raw_bucket, queue, prefix=f"inbox/{entity}/")
    assert sent == 1


def test_an_event_without_a_version_reads_the_version_its_etag_announced(aws: Aws) -> None:
    # Some senders (moto, older tooling) announce an object by key and ETag only. If the key was
    # overwritten before ingest ran, the current object is not the one announced.
    entity = unique("旧版")
    key = f"inbox/{entity}/2024/report.txt"
    first = aws.put(key, sample(entity, edit="法治宣传活动80场"))
    aws.put(key, sample(entity, edit="法治宣传活动99场"))  # overwritten before ingest
    record = aws.created_record(key, {**first, "VersionId": None})
    assert aws.ingest_records([record]) == {"batchItemFailures": []}
    status, _, body = aws.get(f"/entities/{entity}/reports/2024")
    assert status == 200 and "80场" in body["text"] and "99场" not in body["text"]
    # and when the announced version is still the current one
    second = aws.put(key, sample(entity, edit="法治宣传活动77场"))
    assert aws.ingest_records([aws.created_record(key, {**second, "VersionId": None})]) == {
        "batchItemFailures": []
    }
    status, _, body = aws.get(f"/entities/{entity}/reports/2024")
    assert status == 200 and "77场" in body["text"] and body["version"] == 2


def test_damaged_docx_uploads_fail_once_with_a_reason(aws: Aws) -> None:
    from tests.fixtures.formats import to_docx
    from tests.fixtures.hostile import corrupt_docx

    entity = unique("损坏")
    good = to_docx(sample(entity).decode("utf-8"))
    keys = [f"inbox/{entity}/2024/{how}.docx" for how in ("crc", "deflate", "header", "truncated")]
    records = [aws.created_record(k, aws.put(k, corrupt_docx(good, k.rsplit("/", 1)[1][:-5]))) for k in keys]
    # Each is a permanent failure: consumed, never redelivered, never a version
    assert aws.ingest_records(records) == {"batchItemFailures": []}
    for key in keys:
        (upload,) = table(aws).uploads_for_key(aws.raw_bucket, key)
        assert upload.status == UploadStatus.FAILED and upload.permanent, upload
        assert ".docx" in (upload.reason or "") and "Traceback" not in (upload.reason or "")
    assert versions(aws, entity) == []


def test_names_are_clean_before_they_are_keys(aws: Aws) -> None:
    entity = unique("洁名")
    body = sample(entity)
    # Invisible and look-alike spellings of one name file under that one name
    for i, spelled in enumerate([f"{entity} ", f"\u200b{entity}", f"\u202e{entity}\x07"]):
        aws.upload(f"inbox/{spelled}/2024/v{i}.txt", body.replace(b"120", str(121 + i).encode()))
    assert [v.version for v in versions(aws, entity)] == [1, 2, 3]
    # A name that cannot be a key holds the upload for a person, with the reason
    key = f"inbox/{'镇' * 41}/2024/long.txt"
    aws.upload(key, body, metadata={"entity": quote_plus("镇" * 41)})
    (upload,) = table(aws).uploads_for_key(aws.raw_bucket, key)
    assert upload.status == UploadStatus.NEEDS_METADATA and "not usable" in (upload.reason or "")


def test_a_file_whose_reading_alone_outlasts_an_invocation_fails_for_good(aws: Aws) -> None:
    import pytest

    from report_tracker.errors import TimeBudgetExceeded
    from report_tracker.services.events import object_events

    entity = unique("慢读")
    key = f"inbox/{entity}/2024/a.txt"
    record = aws.created_record(key, aws.put(key, sample(entity)))
    (event,) = object_events(record["body"])
    service = ingest_service(aws.ingest.settings)

    def clock() -> Any:
        left = iter([60_000, 1_000])  # time to start, none left once it is read
        return lambda: next(left)

    # The first time may be bad luck (a slow batch before it): retried
    with pytest.raises(TimeBudgetExceeded):
        service.handle(event, clock(), 10_000)
    (upload,) = table(aws).uploads_for_key(aws.raw_bucket, key)
    assert upload.status == UploadStatus.FAILED and not upload.permanent
    # The second time the reading alone used the invocation again: permanent, with the reason
    outcome = service.handle(event, clock(), 10_000)
    (upload,) = table(aws).uploads_for_key(aws.raw_bucket, key)
    assert outcome.status == UploadStatus.FAILED and upload.permanent
    assert "split the document" in (upload.reason or "")
