"""Handlers in-process on moto: one mock for the session, resources made from template.yaml."""

from __future__ import annotations

import copy
import json
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from types import ModuleType
from typing import Any
from urllib.parse import quote, quote_plus

import pytest

from report_tracker.local.stack import FakeContext, http_api_event, load_handler, project_root
from report_tracker.local.template import Provisioned, load_template, provision
from tests.conftest import load_event


@dataclass
class Aws:
    s3: Any
    sqs: Any
    ddb: Any
    provisioned: Provisioned
    ingest: ModuleType
    api: ModuleType

    @property
    def raw_bucket(self) -> str:
        return self.provisioned.buckets["RawBucket"]

    def put(self, key: str, body: bytes, metadata: dict[str, str] | None = None) -> dict[str, Any]:
        resp: dict[str, Any] = self.s3.put_object(
            Bucket=self.raw_bucket, Key=key, Body=body, Metadata=metadata or {}
        )
        return resp

    def created_record(
        self, key: str, put: dict[str, Any], sequencer: str = "0055AED6DCD90281E5"
    ) -> dict[str, Any]:
        """One SQS record carrying an ObjectCreated event, in the real AWS shape (events/)."""
        record: dict[str, Any] = copy.deepcopy(load_event("ingest-put.json")["Records"][0])
        body = json.loads(record["body"])
        obj = body["Records"][0]["s3"]["object"]
        obj.update(
            {"key": quote_plus(key, safe="/"), "versionId": put.get("VersionId"), "sequencer": sequencer}
        )
        obj["eTag"] = put["ETag"].strip('"')
        body["Records"][0]["s3"]["bucket"]["name"] = self.raw_bucket
        record["body"] = json.dumps(body)
        record["messageId"] = str(uuid.uuid4())
        return record

    def ingest_records(self, records: list[dict[str, Any]], timeout: int = 120) -> dict[str, Any]:
        result: dict[str, Any] = self.ingest.lambda_handler(
            {"Records": records}, FakeContext("IngestFunction", timeout)
        )
        return result

    def drain_queue(self) -> list[dict[str, Any]]:
        """Hand what the API queued for ingest (completions) to the ingest handler, as SQS would."""
        url = self.provisioned.queues["IngestQueue"]
        results = []
        while messages := self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
            template = load_event("ingest-put.json")["Records"][0]
            records = [{**template, "messageId": m["MessageId"], "body": m["Body"]} for m in messages]
            results.append(self.ingest_records(records))
            for m in messages:
                self.sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
        return results

    def upload(self, key: str, body: bytes, metadata: dict[str, str] | None = None) -> dict[str, Any]:
        put = self.put(key, body, metadata)
        self.ingest_records([self.created_record(key, put)])
        return put

    def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], Any]:
        """GET through the API handler, path percent-encoded as API Gateway delivers it."""
        encoded = quote(path, safe="/?=&%")
        event = http_api_event("GET", encoded, headers or {}, b"", "127.0.0.1")
        result = self.api.lambda_handler(event, FakeContext("ApiFunction", 29))
        body = result.get("body") or ""
        parsed = json.loads(body) if body and "json" in result["headers"].get("Content-Type", "") else body
        return result["statusCode"], result["headers"], parsed


@pytest.fixture(scope="session")
def aws() -> Iterator[Aws]:
    from moto import mock_aws

    saved = dict(os.environ)
    os.environ.update(
        {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_REGION": "us-east-1",
            "POWERTOOLS_TRACE_DISABLED": "true",
            "POWERTOOLS_LOG_LEVEL": "ERROR",
            "POWERTOOLS_METRICS_NAMESPACE": "ReportTracker",
        }
    )
    os.environ.pop("AWS_ENDPOINT_URL", None)
    os.environ.pop("LOCAL_API_TOKEN", None)
    os.environ.pop("LOCAL_API_WRITE_TOKEN", None)
    with mock_aws():
        import boto3

        s3, sqs, ddb = boto3.client("s3"), boto3.client("sqs"), boto3.client("dynamodb")
        root = project_root()
        provisioned = provision(
            load_template(root / "template.yaml"), s3=s3, sqs=sqs, ddb=ddb, region="us-east-1"
        )
        os.environ.update(
            {
                "RAW_BUCKET": provisioned.buckets["RawBucket"],
                "ARCHIVE_BUCKET": provisioned.buckets["ArchiveBucket"],
                "TABLE_NAME": provisioned.tables["ArchiveTable"],
                "INGEST_QUEUE_URL": provisioned.queues["IngestQueue"],
                "MAX_UPLOAD_BYTES": str(200_000),
            }
        )
        from report_tracker.dal.clients import _session, client

        # A session made before moto was imported (by an end-to-end module run earlier in this
        # process) lacks moto's request hook, and every client it makes would reach for AWS.
        _session.cache_clear()
        client.cache_clear()
        yield Aws(s3, sqs, ddb, provisioned, load_handler(root, "ingest"), load_handler(root, "api"))
    os.environ.clear()
    os.environ.update(saved)


def unique(name: str) -> str:
    """A fresh entity name per test, so tests share one mock without seeing each other."""
    # Chinese characters only, as a real township's name: the reader takes 3fa1 for no name at all.
    n = uuid.uuid4().int
    k = len(_NAME_CHARS)
    return f"{name}{_NAME_CHARS[n % k]}{_NAME_CHARS[(n // k) % k]}{_NAME_CHARS[(n // k // k) % k]}镇"


_NAME_CHARS = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥"  # in no division's name
