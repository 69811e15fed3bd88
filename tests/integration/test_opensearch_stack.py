"""With SEARCH_ENGINE=opensearch, ingest writes to the collection and the API serves search and
recycled text from it, requests signed and sent through the engine's own HTTP path (the
collection is ``tests.opensearch_fake``; S3, SQS and DynamoDB are moto)."""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

import pytest

from report_tracker.dal import opensearch
from report_tracker.local.stack import FakeContext, http_api_event, load_handler, project_root
from report_tracker.services import search_index
from tests.integration.conftest import Aws, unique
from tests.integration.test_ingest import sample
from tests.integration.test_search_index import archive
from tests.opensearch_fake import FakeCollection

ENDPOINT = "https://abc123.us-east-1.aoss.amazonaws.com"


class Session:
    """In place of botocore's urllib3 session: hands the signed request to the collection."""

    def __init__(self, collection: FakeCollection) -> None:
        self.collection = collection
        self.signed: list[str] = []

    def send(self, request: Any) -> Any:
        url = urlsplit(request.url)
        assert f"{url.scheme}://{url.netloc}" == ENDPOINT
        self.signed.append(request.headers["Authorization"].decode() if isinstance(
            request.headers["Authorization"], bytes) else request.headers["Authorization"])  # fmt: skip
        headers = {k: v.decode() if isinstance(v, bytes) else v for k, v in request.headers.items()}
        path = url.path + (f"?{url.query}" if url.query else "")
        status, body = self.collection(request.method, path, request.body, headers)
        return type("Response", (), {"status_code": status, "content": body})()


@pytest.fixture
def stack(aws: Aws, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[ModuleType, ModuleType, Session]]:
    session = Session(FakeCollection())
    monkeypatch.setattr(opensearch, "_SESSION", session)
    monkeypatch.setenv("SEARCH_ENGINE", "opensearch")
    monkeypatch.setenv("SEARCH_ENDPOINT", ENDPOINT)
    root = project_root()
    # Fresh handler modules read the environment; the session's own (aws.ingest, aws.api) keep theirs
    yield load_handler(root, "ingest"), load_handler(root, "api"), session


def get(api: ModuleType, path: str) -> tuple[int, Any]:
    import json
    from urllib.parse import quote

    event = http_api_event("GET", quote(path, safe="/?=&%"), {}, b"", "127.0.0.1")
    result = api.lambda_handler(event, FakeContext("ApiFunction", 29))
    return result["statusCode"], json.loads(result.get("body") or "null")


def test_ingest_writes_to_the_collection_and_the_api_serves_from_it(aws: Aws, stack: Any) -> None:
    ingest, api, session = stack
    town, neighbour = unique("云海"), unique("云溪")
    segments_before = archive(aws).list_keys(search_index.SEGMENTS)
    for entity in (town, neighbour):
        key = f"inbox/{entity}/2024/a.txt"
        put = aws.put(key, sample(entity, 2024, edit="建成云端式调解室"))
        result = ingest.lambda_handler(
            {"Records": [aws.created_record(key, put)]}, FakeContext("IngestFunction", 120)
        )
        assert result["batchItemFailures"] == []
    assert archive(aws).list_keys(search_index.SEGMENTS) == segments_before  # nothing for SQLite
    assert session.signed and all("/aoss/aws4_request" in a for a in session.signed)

    status, page = get(api, "/search?q=云端式调解室")
    assert status == 200
    assert sorted(item["entity"] for item in page["items"]) == sorted([town, neighbour])
    assert page["complete"] is True and page["items"][0]["snippets"]
    status, page = get(api, f"/search?q=云端式调解室&entity={town}")
    assert [item["entity"] for item in page["items"]] == [town]

    # The neighbour's report is the same template filled in: recycled text finds it
    status, recycled = get(api, f"/entities/{town}/reports/2024/recycled")
    assert status == 200
    assert [s["entity"] for s in recycled["shared"]] == [neighbour]
    assert recycled["shared"][0]["share"] > 0.5
