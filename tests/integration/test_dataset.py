"""The Parquet dataset kept at ingest: rows after ingest, a new version, a withdrawal, SQL over it."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

import pytest

from report_tracker.archive.search_index import SearchIndex
from report_tracker.dal.s3 import ArchiveStore
from report_tracker.dataset.parquet import sql
from report_tracker.local.stack import FakeContext, load_handler, project_root
from report_tracker.services.dataset import DatasetService, report_id
from report_tracker.tracking.compare import METHOD_VERSION
from tests.conftest import load_event
from tests.integration.conftest import Aws, unique
from tests.integration.test_ingest import sample, table


def service(aws: Aws) -> DatasetService:
    return DatasetService(table(aws), ArchiveStore(aws.s3, aws.provisioned.buckets["ArchiveBucket"]))


def query(aws: Aws, where: Path, q: str, *params: Any) -> list[dict[str, Any]]:
    """Mirror the dataset as it stands now into ``where`` and run ``q`` there."""
    for old in where.rglob("*.parquet"):
        old.unlink()
    service(aws).download(where)
    names, rows = sql(where, q.format(*params))
    return [dict(zip(names, row, strict=True)) for row in rows]


def test_ingest_writes_every_table_with_its_provenance(aws: Aws, tmp_path: Path) -> None:
    entity = unique("数据")
    aws.upload(f"inbox/{entity}/2023/a.txt", sample(entity, 2023))
    aws.upload(f"inbox/{entity}/2024/a.txt", sample(entity, 2024))
    reports = query(aws, tmp_path, "SELECT * FROM reports WHERE entity = '{}' ORDER BY review_year", entity)
    assert [(r["review_year"], r["level"], r["version"]) for r in reports] == [
        (2023, "town", 1),
        (2024, "town", 1),
    ]
    uploads = table(aws).uploads_for_key(aws.raw_bucket, f"inbox/{entity}/2024/a.txt")
    assert (
        reports[1]["raw_sha256"] == uploads[0].raw_sha256
        and reports[1]["raw_key"] == f"inbox/{entity}/2024/a.txt"
    )
    # The commitments of 2023's plans, judged on 2024's review, as the API gives them
    status, _, yoy = aws.get(f"/entities/{entity}/yoy?year=2024")
    assert status == 200 and yoy["commitments"]
    rows = query(aws, tmp_path, "SELECT * FROM commitments WHERE entity = '{}'", entity)
    assert Counter(r["status"] for r in rows) == Counter(c["status"] for c in yoy["commitments"])
    assert {r["plan_year"] for r in rows} == {2024} and {r["review_year"] for r in rows} == {2024}
    assert {r["earlier_raw_key"] for r in rows} == {f"inbox/{entity}/2023/a.txt"}
    cited = [r for r in rows if r["evidence_text"]]
    assert cited and all(r["evidence_link"].startswith("#/e/") for r in cited)
    problems = query(aws, tmp_path, "SELECT * FROM problems WHERE entity = '{}'", entity)
    assert len(problems) == len(yoy["problems"]) and {p["listed_year"] for p in problems} == {2023}
    figures = query(aws, tmp_path, "SELECT * FROM figures WHERE entity = '{}' AND review_year = 2024", entity)
    assert any(f["figure"] == "120场" and f["role"] == "reported" for f in figures)
    texts = query(aws, tmp_path, "SELECT text FROM texts WHERE entity = '{}' AND review_year = 2024", entity)
    assert len(texts) == 1 and "120场" in texts[0]["text"]


def test_a_new_version_replaces_rows_and_a_withdrawal_removes_them(aws: Aws, tmp_path: Path) -> None:
    entity = unique("替换")
    aws.upload(f"inbox/{entity}/2023/a.txt", sample(entity, 2023))
    key = f"inbox/{entity}/2024/a.txt"
    aws.upload(key, sample(entity, 2024))
    before = query(aws, tmp_path, "SELECT count(*) AS n FROM commitments WHERE entity = '{}'", entity)[0]["n"]
    aws.upload(key, sample(entity, 2024, edit="法治宣传活动100场"))
    counts = query(
        aws, tmp_path,
        "SELECT (SELECT count(*) FROM reports WHERE entity = '{0}') AS reports,"
        " (SELECT count(*) FROM commitments WHERE entity = '{0}') AS commitments,"
        " (SELECT max(version) FROM commitments WHERE entity = '{0}') AS cited_version,"
        " (SELECT list(version ORDER BY version) FROM versions WHERE entity = '{0}' AND review_year = 2024) AS versions,"
        " (SELECT list(latest ORDER BY version) FROM versions WHERE entity = '{0}' AND review_year = 2024) AS latest",
        entity,
    )[0]  # fmt: skip
    assert counts == {
        "reports": 2,
        "commitments": before,
        "cited_version": 2,
        "versions": [1, 2],
        "latest": [False, True],
    }
    figures = query(
        aws, tmp_path, "SELECT figure FROM figures WHERE entity = '{}' AND review_year = 2024", entity
    )
    assert "100场" in {f["figure"] for f in figures} and "120场" not in {f["figure"] for f in figures}
    # Deleting the 2024 file (both versions) is a tombstone: its rows leave every table but versions
    for version in table(aws).list_versions(entity, 2024, "rule_of_law_annual"):
        record = load_event("ingest-delete-marker.json")["Records"][0]
        body = json.loads(record["body"])
        body["Records"][0]["s3"]["object"].update(
            {"key": quote_plus(key, safe="/"), "versionId": version.raw.version_id}
        )
        body["Records"][0]["s3"]["bucket"]["name"] = aws.raw_bucket
        aws.ingest_records([{**record, "body": json.dumps(body)}])
    left = query(
        aws, tmp_path,
        "SELECT (SELECT list(review_year) FROM reports WHERE entity = '{0}') AS years,"
        " (SELECT count(*) FROM commitments WHERE entity = '{0}') AS commitments,"
        " (SELECT bool_and(withdrawn) FROM versions WHERE entity = '{0}' AND review_year = 2024) AS withdrawn",
        entity,
    )[0]  # fmt: skip
    assert left == {"years": [2023], "commitments": 0, "withdrawn": True}


def test_the_dataset_is_listed_with_signed_urls_and_its_columns(aws: Aws) -> None:
    entity = unique("清单")
    aws.upload(f"inbox/{entity}/2024/a.txt", sample(entity, 2024))
    status, _, page = aws.get("/dataset?table=reports&limit=200")
    assert status == 200 and page["dataset_version"] == "1"
    assert {f["table"] for f in page["files"]} == {"reports"}
    assert all(
        f["key"].startswith("reports/review_year=") and "X-Amz-Signature" in f["url"] for f in page["files"]
    )
    assert [c["name"] for c in page["tables"]["commitments"]][-2:] == ["review_year", "level"]
    assert aws.get("/dataset?table=nope")[0] == 400


def test_the_listing_pages_with_a_cursor_and_refuses_a_forged_one(aws: Aws) -> None:
    entity = unique("翻页")
    aws.upload(f"inbox/{entity}/2024/a.txt", sample(entity, 2024))
    keys, cursor = [], None
    while True:
        status, _, page = aws.get("/dataset?limit=2" + (f"&cursor={cursor}" if cursor else ""))
        assert status == 200
        keys += [f["key"] for f in page["files"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(keys) == len(set(keys)) and keys == sorted(keys) and len(keys) >= 7
    assert aws.get("/dataset?cursor=%24LATEST")[0] == 400
    assert aws.get("/dataset?table=texts&cursor=" + cursor_for("reports/x"))[0] == 400


def cursor_for(key: str) -> str:
    from report_tracker.cursors import pack

    return pack(f"dataset/v1/{key}")


def test_a_new_version_rewrites_only_the_files_whose_rows_changed(aws: Aws) -> None:
    entity = unique("增量")
    for year in (2022, 2023, 2024):
        aws.upload(f"inbox/{entity}/{year}/a.txt", sample(entity, year))
    bucket = aws.provisioned.buckets["ArchiveBucket"]

    ids = {report_id(h) for h in table(aws).list_reports(entity)}

    def writes() -> Counter[str]:
        """How many times each of the entity's dataset files has been written (bucket versions)."""
        listed = aws.s3.list_object_versions(Bucket=bucket, Prefix="dataset/").get("Versions", [])
        return Counter(
            v["Key"] for v in listed if v["Key"].rsplit("/", 1)[-1].removesuffix(".parquet") in ids
        )

    before = writes()
    assert before and set(before.values()) == {1}
    # Nothing changed: nothing is written
    assert service(aws).refresh(entity) == []
    assert writes() == before
    # A new version of 2024 changes 2024's rows (its reading, its comparison with 2023's plans)
    # and nothing of 2022's or 2023's
    aws.upload(f"inbox/{entity}/2024/a.txt", sample(entity, 2024, edit="法治宣传活动150场"))
    after = writes()
    rewritten = {k for k in after if after[k] > before.get(k, 0)}
    assert rewritten and all("review_year=2024" in k for k in rewritten)
    assert {k for k in before if "review_year=2024" not in k} <= set(after) - rewritten
    assert any("/texts/" in k for k in rewritten) and any("/versions/" in k for k in rewritten)


def test_a_batch_writes_each_entity_files_once_and_one_search_segment(
    aws: Aws, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from report_tracker.services import search_index

    monkeypatch.setattr(search_index, "COMPACT_AT", 10**6)  # the segment must stay to be looked at
    bucket = aws.provisioned.buckets["ArchiveBucket"]

    def segments() -> set[str]:
        listed = aws.s3.list_objects_v2(Bucket=bucket, Prefix=search_index.SEGMENTS).get("Contents", [])
        return {o["Key"] for o in listed}

    # Given three years of one entity arriving in one batch
    entity = unique("批次")
    before = segments()
    records = [
        aws.created_record(key, aws.put(key, sample(entity, year)))
        for year in (2022, 2023, 2024)
        for key in [f"inbox/{entity}/{year}/a.txt"]
    ]
    assert aws.ingest_records(records)["batchItemFailures"] == []

    # Then each of its dataset files was written once, and as a refresh from scratch would write it
    ids = {report_id(h) for h in table(aws).list_reports(entity)}
    listed = aws.s3.list_object_versions(Bucket=bucket, Prefix="dataset/").get("Versions", [])
    writes = Counter(v["Key"] for v in listed if v["Key"].rsplit("/", 1)[-1].removesuffix(".parquet") in ids)
    assert len(ids) == 3 and writes and set(writes.values()) == {1}
    assert {k.split("review_year=")[1][:4] for k in writes} == {"2022", "2023", "2024"}
    manifest = service(aws).manifest_key(entity)
    assert len(aws.s3.list_object_versions(Bucket=bucket, Prefix=manifest).get("Versions", [])) == 1
    assert service(aws).refresh(entity) == []
    # And the three readings went to the search index as one segment
    (added,) = segments() - before
    (tmp_path / "segment.sqlite").write_bytes(aws.s3.get_object(Bucket=bucket, Key=added)["Body"].read())
    index = SearchIndex(tmp_path / "segment.sqlite", readonly=True)
    assert sorted(d.review_year for d in index.reports()) == [2022, 2023, 2024]
    status, _, page = aws.get(f"/search?q={quote_plus(entity)}")
    assert status == 200 and page["total"] == 3


def test_a_batch_out_of_time_commits_and_indexes_and_leaves_the_dataset_to_the_next_change(aws: Aws) -> None:
    from report_tracker.dal.s3 import RawStore
    from report_tracker.services.ingest import IngestService, ObjectEvent

    archive = ArchiveStore(aws.s3, aws.provisioned.buckets["ArchiveBucket"])
    ingest = IngestService(RawStore(aws.s3, aws.raw_bucket), archive, table(aws), max_upload_bytes=10**7)
    entity = unique("超时")
    key = f"inbox/{entity}/2024/a.txt"
    put = aws.put(key, sample(entity, 2024))

    # Given a batch whose invocation has no time left once its upload is committed
    with ingest.batch(remaining_ms=lambda: 0, margin_ms=1):
        outcome = ingest.handle(
            ObjectEvent("ObjectCreated:Put", aws.raw_bucket, key, version_id=put["VersionId"])
        )

    # Then the version is stored and searchable, and no dataset file was written for it yet
    assert outcome.version == 1
    assert aws.get(f"/search?q={quote_plus(entity)}")[2]["total"] == 1
    ids = {report_id(h) for h in table(aws).list_reports(entity)}
    pages = aws.s3.get_paginator("list_objects_v2").paginate(
        Bucket=aws.provisioned.buckets["ArchiveBucket"], Prefix="dataset/"
    )
    keys = [o["Key"] for page in pages for o in page.get("Contents", [])]
    assert not [k for k in keys if k.rsplit("/", 1)[-1].removesuffix(".parquet") in ids]
    # And the next change of the entity writes them
    assert service(aws).refresh(entity)


def queued_handlers(aws: Aws, monkeypatch: pytest.MonkeyPatch) -> tuple[str, Any, Any]:
    """The dataset queue's URL, and the ingest and dataset handlers as deployed: ingest sends to it."""
    url = aws.provisioned.queues["DatasetQueue"]
    monkeypatch.setenv("DATASET_QUEUE_URL", url)
    return url, load_handler(project_root(), "ingest"), load_handler(project_root(), "dataset")


def test_with_a_dataset_queue_ingest_announces_entities_and_the_dataset_function_writes_their_files(
    aws: Aws, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, ingest, dataset = queued_handlers(aws, monkeypatch)
    bucket = aws.provisioned.buckets["ArchiveBucket"]
    entity, other = unique("队列"), unique("队列")

    def dataset_files(name: str) -> list[str]:
        ids = {report_id(h) for h in table(aws).list_reports(name)}
        listed = aws.s3.list_objects_v2(Bucket=bucket, Prefix="dataset/").get("Contents", [])
        return [o["Key"] for o in listed if o["Key"].rsplit("/", 1)[-1].removesuffix(".parquet") in ids]

    def queued() -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        while batch := aws.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
            out += batch
        return out

    # Given two years of one entity and one of another, in one ingest batch
    records = [
        aws.created_record(key, aws.put(key, sample(name, year)))
        for name, year in ((entity, 2023), (entity, 2024), (other, 2024))
        for key in [f"inbox/{name}/{year}/a.txt"]
    ]
    assert (
        ingest.lambda_handler({"Records": records}, FakeContext("IngestFunction", 120))["batchItemFailures"]
        == []
    )
    # Then the versions are filed, no dataset file is written yet, and each entity is announced once
    assert len(table(aws).list_reports(entity)) == 2 and not dataset_files(entity)
    # (nor the comparison of its two years: that too is the dataset function's)
    shas = [table(aws).list_versions(entity, y, "rule_of_law_annual")[0].clean_sha256 for y in (2023, 2024)]
    pair = f"comparisons/v{METHOD_VERSION}/{shas[0]}_{shas[1]}.json"
    assert aws.s3.list_objects_v2(Bucket=bucket, Prefix=pair)["KeyCount"] == 0
    messages = queued()
    assert sorted(json.loads(m["Body"])["entity"] for m in messages) == sorted([entity, other])

    # When the dataset function gets them (with a repeat, and a message that is not dataset work)
    template = load_event("dataset-work.json")["Records"][0]
    bodies = [m["Body"] for m in messages] + [messages[0]["Body"], '{"bucket": "not dataset work"}']
    event = {"Records": [{**template, "messageId": str(i), "body": b} for i, b in enumerate(bodies)]}
    calls: list[str] = []
    real = DatasetService.refresh
    monkeypatch.setattr(DatasetService, "refresh", lambda s, e, r=None: calls.append(e) or real(s, e, r))
    assert dataset.lambda_handler(event, FakeContext("DatasetFunction", 120))["batchItemFailures"] == []
    # Then each entity was refreshed once, its files are there, and a second refresh has nothing to write
    assert sorted(calls) == sorted([entity, other])
    assert {k.split("review_year=")[1][:4] for k in dataset_files(entity)} == {"2023", "2024"}
    assert dataset_files(other) and service(aws).refresh(entity) == []
    assert aws.s3.list_objects_v2(Bucket=bucket, Prefix=pair)["KeyCount"] == 1

    # And a refresh that fails is handed back to SQS to retry, the others are done
    monkeypatch.setattr(
        DatasetService,
        "refresh",
        lambda s, e, r=None: (_ for _ in ()).throw(OSError("S3 down")) if e == other else [],
    )
    failed = dataset.lambda_handler(event, FakeContext("DatasetFunction", 120))["batchItemFailures"]
    assert failed == [
        {"itemIdentifier": str(i)} for i, b in enumerate(bodies) if json.loads(b).get("entity") == other
    ]


def test_dataset_work_that_cannot_be_queued_is_done_by_ingest(aws: Aws) -> None:
    from report_tracker.dal.queue import DatasetQueue
    from report_tracker.dal.s3 import RawStore
    from report_tracker.services.ingest import IngestService, ObjectEvent

    archive = ArchiveStore(aws.s3, aws.provisioned.buckets["ArchiveBucket"])
    gone = DatasetQueue(aws.sqs, aws.provisioned.queues["DatasetQueue"] + "-deleted")
    ingest = IngestService(
        RawStore(aws.s3, aws.raw_bucket), archive, table(aws), max_upload_bytes=10**7, dataset_queue=gone
    )
    entity = unique("补做")
    key = f"inbox/{entity}/2024/a.txt"
    put = aws.put(key, sample(entity, 2024))
    with ingest.batch():
        outcome = ingest.handle(
            ObjectEvent("ObjectCreated:Put", aws.raw_bucket, key, version_id=put["VersionId"])
        )
    assert outcome.version == 1, outcome
    assert [h.review_year for h in table(aws).list_reports(entity)] == [2024]
    assert service(aws).refresh(entity) == [], "ingest wrote the files itself"
    assert (
        aws.s3.list_objects_v2(Bucket=archive.bucket, Prefix=service(aws).manifest_key(entity))["KeyCount"]
        == 1
    )


def test_a_search_segment_ingest_could_not_write_is_written_by_the_dataset_function(
    aws: Aws, monkeypatch: pytest.MonkeyPatch
) -> None:
    from report_tracker.services.search_index import SearchIndexStore

    url, ingest, dataset = queued_handlers(aws, monkeypatch)
    entity = unique("补段")

    # Given an ingest batch whose search segment cannot be written (S3 refuses it once)
    real, failed = SearchIndexStore.add, []

    def add_once_failing(store: SearchIndexStore, docs: list[Any]) -> str:
        if not failed:
            failed.append(docs)
            raise OSError("S3 down")
        return real(store, docs)

    monkeypatch.setattr(SearchIndexStore, "add", add_once_failing)
    key = f"inbox/{entity}/2024/a.txt"
    records = [aws.created_record(key, aws.put(key, sample(entity, 2024)))]
    assert (
        ingest.lambda_handler({"Records": records}, FakeContext("IngestFunction", 120))["batchItemFailures"]
        == []
    )
    # Then the version is filed but not searchable, and the entity goes to the dataset function
    # with its texts to index
    assert [h.review_year for h in table(aws).list_reports(entity)] == [2024]
    assert aws.get(f"/search?q={quote_plus(entity)}")[2]["total"] == 0
    messages = aws.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
    assert [json.loads(m["Body"]) for m in messages] == [{"entity": entity, "search": True}]

    # When the dataset function takes it, the report is searchable
    template = load_event("dataset-work.json")["Records"][0]
    event = {"Records": [{**template, "messageId": m["MessageId"], "body": m["Body"]} for m in messages]}
    assert dataset.lambda_handler(event, FakeContext("DatasetFunction", 120))["batchItemFailures"] == []
    assert aws.get(f"/search?q={quote_plus(entity)}")[2]["total"] == 1
