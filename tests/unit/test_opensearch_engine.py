"""The OpenSearch engine answers search and recycled text as the embedded index does.

Served by ``tests.opensearch_fake`` (OpenSearch's analysis and query semantics for what the
engine sends), against the embedded SQLite index over the same reports.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, cast

import pytest

from bench.generate import corpus
from report_tracker.archive.search_index import IndexedReport, SearchIndex
from report_tracker.config import StoreSettings
from report_tracker.dal import opensearch
from report_tracker.dal.opensearch import OpenSearchClient, OpenSearchError
from report_tracker.dal.s3 import ArchiveStore
from report_tracker.dal.table import ArchiveTable
from report_tracker.services import factory
from report_tracker.services.opensearch_engine import OpenSearchEngine, external_version
from report_tracker.services.recycled import recycled_text
from report_tracker.services.search import SearchService, report_key
from report_tracker.services.search_engine import EmbeddedSearch
from report_tracker.services.search_index import IndexView
from tests.opensearch_fake import FakeCollection

QUERIES = ["法治", "法治宣传活动", "调解 2023", "法", "行政复议", "执法 培训 考核", "没有这个词", "A"]


class OneFile(EmbeddedSearch):
    def __init__(self, index: SearchIndex) -> None:
        self.index = index

    def view(self) -> IndexView:
        return IndexView([self.index])


def docs(n: int = 90) -> list[IndexedReport]:
    out = []
    for k, (town, year, text) in enumerate(corpus(n, county_templates=True)):
        order = f"2025-0{1 + k % 9}-01T00:00:{k % 60:02d}+00:00#{k:032d}"
        out.append(IndexedReport(report_key(town, year, "rule_of_law_annual"), town, year,
                                 "rule_of_law_annual", 0, f"{town}{year}年报告", 1, order, text))  # fmt: skip
    return out


@pytest.fixture(scope="module")
def engines(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[EmbeddedSearch, OpenSearchEngine, FakeCollection]:
    reports = docs()
    index = SearchIndex(Path(tmp_path_factory.mktemp("embedded")) / "i.sqlite")
    with index.batch():
        for doc in reports:
            index.put(doc)
    collection = FakeCollection()
    remote = OpenSearchEngine(OpenSearchClient("https://example.aoss", "us-east-1", collection))
    remote.add(reports[:40])
    remote.add(reports[40:])
    return OneFile(index), remote, collection


def page_items(service: SearchService, q: str, **filters: Any) -> list[dict[str, Any]]:
    items, cursor = [], None
    while True:
        page = service.search(q, 7, cursor, **filters)
        items += page.model_dump(mode="json")["items"]
        cursor = page.next_cursor
        if not cursor:
            return items


def service(engine: Any) -> SearchService:
    return SearchService(cast(ArchiveTable, None), cast(ArchiveStore, None), engine)


@pytest.mark.parametrize("q", QUERIES)
def test_search_answers_as_the_embedded_index(engines: Any, q: str) -> None:
    embedded, remote, _ = engines
    expected = page_items(service(embedded), q)
    assert page_items(service(remote), q) == expected
    if q == "法治":
        assert len(expected) == 90
    town, year = expected[0]["entity"] if expected else None, 2023
    assert page_items(service(remote), q, entity=town, year=year) == page_items(
        service(embedded), q, entity=town, year=year
    )


def test_recycled_text_answers_as_the_embedded_index(engines: Any) -> None:
    embedded, remote, _ = engines
    shared = 0
    for doc in docs()[:30]:
        mine, theirs = recycled_text(remote, doc.report), recycled_text(embedded, doc.report)
        assert mine is not None and theirs is not None
        assert mine.model_dump() == theirs.model_dump()
        shared += len(mine.shared)
    assert shared > 0  # county templates are found
    assert recycled_text(remote, report_key("无此镇", 2023, "rule_of_law_annual")) is None


def test_the_index_is_made_once_with_its_mapping(engines: Any) -> None:
    _, _, collection = engines
    made = [r for r in collection.requests if r[1] == "/reports" and r[0] in ("HEAD", "PUT")]
    assert made == [("HEAD", "/reports"), ("PUT", "/reports")]


def test_a_later_upload_wins_whatever_order_the_writes_arrive_in() -> None:
    collection = FakeCollection()
    engine = OpenSearchEngine(OpenSearchClient("https://example.aoss", "us-east-1", collection), "t")

    def doc(version: int, order: str, text: str) -> IndexedReport:
        return IndexedReport(report_key("青石镇", 2024, "rule_of_law_annual"), "青石镇", 2024,
                             "rule_of_law_annual", 0, None, version, order, text)  # fmt: skip

    engine.add([doc(2, "2025-03-01T10:00:00+00:00#" + "0" * 32, "建成新版调解室。")])
    engine.add([doc(1, "2025-02-01T10:00:00+00:00#" + "0" * 32, "建成旧版调解室。")])  # late, older
    search = service(engine)
    assert [h.version for h in search.search("调解室", 10, None).items] == [2]
    assert search.search("旧版", 10, None).items == []
    engine.add([doc(3, "2025-03-01T10:00:00+00:00#" + "0" * 32, "建成三版调解室。")])  # same second
    assert [h.version for h in search.search("调解室", 10, None).items] == [3]
    # A rebuild starts again from what it is given
    assert engine.rebuild(iter([doc(1, "2025-02-01T10:00:00+00:00#" + "0" * 32, "建成旧版调解室。")])) == 1
    assert [h.version for h in search.search("调解室", 10, None).items] == [1]


def test_a_retired_report_matches_nothing() -> None:
    collection = FakeCollection()
    engine = OpenSearchEngine(OpenSearchClient("https://example.aoss", "us-east-1", collection))
    key = report_key("撤回镇", 2024, "rule_of_law_annual")
    engine.add(
        [
            IndexedReport(
                key,
                "撤回镇",
                2024,
                "rule_of_law_annual",
                0,
                None,
                1,
                "2025-01-01T00:00:00Z#0",
                "撤回式调解室。",
            )
        ]
    )
    assert len(service(engine).search("撤回式", 10, None).items) == 1
    engine.add(
        [IndexedReport(key, "撤回镇", 2024, "rule_of_law_annual", 0, None, 1, "2025-01-02T00:00:00Z#0", "")]
    )
    assert service(engine).search("撤回式", 10, None).items == []
    near = recycled_text(engine, key)
    assert near is not None and near.passages == 0 and near.shared == []


def test_a_refused_write_is_an_error_and_a_version_conflict_is_not() -> None:
    def refusing(method: str, path: str, body: bytes | None, headers: dict[str, str]) -> tuple[int, bytes]:
        if path.endswith("_bulk"):
            items = [{"index": {"status": 409}}, {"index": {"status": 429, "error": {"type": "throttled"}}}]
            return 200, json.dumps({"errors": True, "items": items}).encode()
        return 200, b"{}"

    engine = OpenSearchEngine(OpenSearchClient("https://example.aoss", "us-east-1", refusing))
    doc = IndexedReport("r", "镇", 2024, "rule_of_law_annual", 0, None, 1, "2025-01-01T00:00:00Z#0", "法治。")
    with pytest.raises(OpenSearchError, match="1 of 2 reports not indexed"):
        engine.add([doc, doc])


def test_upload_order_becomes_a_millisecond_version() -> None:
    assert external_version("2025-03-01T10:00:00.250+00:00#" + "0" * 32) == 1740823200250
    assert external_version("2025-03-01T10:00:00Z#abc") < external_version("2025-03-01T10:00:01Z#000")
    assert external_version("1") == 0


def test_requests_are_signed_for_the_collection(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    sent: list[Any] = []

    class Session:
        def send(self, request: Any) -> Any:
            sent.append(request)
            return type("Response", (), {"status_code": 200, "content": b'{"acknowledged": true}'})()

    monkeypatch.setattr(opensearch, "_SESSION", Session())
    client = OpenSearchClient("https://abc.us-east-1.aoss.amazonaws.com/", "us-east-1")
    assert client.call("PUT", "/reports", {"a": 1}) == {"acknowledged": True}
    (request,) = sent
    assert request.url == "https://abc.us-east-1.aoss.amazonaws.com/reports"
    assert "/us-east-1/aoss/aws4_request" in request.headers["Authorization"]
    assert request.headers["x-amz-content-sha256"] == hashlib.sha256(b'{"a": 1}').hexdigest()


def test_the_engine_is_chosen_by_configuration() -> None:
    base = {"raw_bucket": "raw", "archive_bucket": "archive", "table_name": "table"}
    assert factory.search_engine(StoreSettings.model_validate(base)) is None  # embedded
    chosen = factory.search_engine(
        StoreSettings.model_validate(
            {**base, "search_engine": "opensearch", "search_endpoint": "https://x.aoss"}
        )
    )
    assert isinstance(chosen, OpenSearchEngine) and chosen.client.endpoint == "https://x.aoss"
    with pytest.raises(ValueError, match="SEARCH_ENDPOINT"):
        StoreSettings.model_validate({**base, "search_engine": "opensearch"})
