"""Search served from the index ingest keeps gives what a scan of every latest text gives."""

from __future__ import annotations

import json
from typing import Any

import pytest

from report_tracker.archive.search import find_hits, query_terms, snippets
from report_tracker.archive.search_index import IndexedReport
from report_tracker.dal.s3 import ArchiveStore
from report_tracker.models.report import DOC_TYPE_ORDER, DocType
from report_tracker.services import search_index
from report_tracker.services.search import SearchService, rebuild_index, report_key
from report_tracker.services.texts import latest_key, text_at
from tests.conftest import SAMPLES
from tests.integration.conftest import Aws, unique
from tests.integration.test_ingest import sample, table

# Other modules of the session inject faults into ingest (a failed S3 write leaves its report out of
# the index until a rebuild, by design): the comparison is over the reports this module files.
OURS = {"青石镇", "白沙乡"}
QUERIES = ["法治", "法治宣传活动", "调解 2024", "法", "120场", "普法 宣传 执法", "没有这个词"]


def archive(aws: Aws) -> ArchiveStore:
    return ArchiveStore(aws.s3, aws.provisioned.buckets["ArchiveBucket"])


def scanned(aws: Aws, q: str) -> list[dict[str, Any]]:
    """What search answered before the index: every latest text read and searched, in its order."""
    terms, out = query_terms(q), []
    cursor: str | None = None
    while True:
        records, cursor = table(aws).list_entities(200, cursor)
        for record in records:
            for head in table(aws).list_reports(record.entity):
                key = latest_key(table(aws), head)
                text = text_at(archive(aws), key) if key else ""
                if hits := find_hits(text, terms):
                    out.append((
                        (-len(hits), -head.review_year, head.entity, DOC_TYPE_ORDER.index(head.doc_type)),
                        {"entity": head.entity, "review_year": head.review_year, "version": head.latest_version,
                         "hits": len(hits), "snippets": [s.model_dump(mode="json") for s in snippets(text, hits)]},
                    ))  # fmt: skip
        if not cursor:
            return [item for _, item in sorted(out, key=lambda x: x[0]) if item["entity"] in OURS]


def served(aws: Aws, q: str) -> list[dict[str, Any]]:
    items, cursor = [], None
    while True:
        page = SearchService(table(aws), archive(aws)).search(q, 7, cursor)
        items += [{k: h[k] for k in ("entity", "review_year", "version", "hits", "snippets")}
                  for h in page.model_dump(mode="json")["items"]]  # fmt: skip
        cursor = page.next_cursor
        if not cursor:
            return [item for item in items if item["entity"] in OURS]


@pytest.fixture(scope="module")
def samples_loaded(aws: Aws) -> None:
    manifest = json.loads((SAMPLES / "manifest.json").read_text(encoding="utf-8"))
    for entry in manifest["uploads"]:
        aws.upload(entry["key"], (SAMPLES / entry["file"]).read_bytes())


@pytest.mark.parametrize("q", QUERIES)
def test_search_from_the_index_is_the_scan(aws: Aws, samples_loaded: None, q: str) -> None:
    assert served(aws, q) == scanned(aws, q)


def test_segments_fold_into_the_base_and_a_rebuild_gives_the_same(
    aws: Aws, samples_loaded: None, monkeypatch: Any
) -> None:
    monkeypatch.setattr(search_index, "COMPACT_AT", 2)
    entity = unique("折叠")
    OURS.add(entity)
    for year in (2022, 2023, 2024):
        aws.upload(f"inbox/{entity}/{year}/a.txt", sample(entity, year))
    keys = archive(aws).list_keys(search_index.PREFIX)
    assert search_index.BASE in keys
    assert len([k for k in keys if k.startswith(search_index.SEGMENTS)]) <= 2
    before = {q: served(aws, q) for q in QUERIES}
    assert before == {q: scanned(aws, q) for q in QUERIES}
    assert [h["review_year"] for h in served(aws, entity)] == [2024, 2023, 2022]
    # A new version of a folded report: the segment's text wins over the base's
    aws.upload(f"inbox/{entity}/2022/a.txt", sample(entity, 2022, edit="法治宣传活动120场，建成折叠式调解室"))
    assert [h["version"] for h in served(aws, "折叠式调解室")] == [2]
    assert served(aws, "法治") == scanned(aws, "法治")
    # Rebuilt from the archive alone, the index answers the same
    rebuild_index(table(aws), archive(aws))
    assert not [k for k in archive(aws).list_keys(search_index.PREFIX) if k.startswith(search_index.SEGMENTS)]
    assert {q: served(aws, q) for q in QUERIES} == {q: scanned(aws, q) for q in QUERIES}


def test_between_two_uploads_of_the_same_order_the_newer_segment_wins(aws: Aws, monkeypatch: Any) -> None:
    # Two uploads in one second without an S3 sequencer have the same upload order; the table
    # makes the later commit the latest, and so must search, even where only the older text matches.
    entity = unique("同秒")
    store = search_index.store_for(archive(aws))

    def doc(version: int, text: str) -> IndexedReport:
        return IndexedReport(
            report=report_key(entity, 2024, "rule_of_law_annual"), entity=entity, review_year=2024,
            doc_type="rule_of_law_annual", doc_rank=DOC_TYPE_ORDER.index(DocType.RULE_OF_LAW_ANNUAL), title=None, version=version,
            order_key="2024-12-01T00:00:00Z#" + "0" * 32, text=text,
        )  # fmt: skip

    store.add([doc(1, "全年开展同秒宣传活动120场。")])
    store.add([doc(2, "全年开展同秒宣传活动150场。")])
    search = SearchService(table(aws), archive(aws))
    assert [h.version for h in search.search("同秒宣传", 10, None).items] == [2]
    assert search.search("同秒宣传 120场", 10, None).items == []
    # Folded into the base, the later one is kept as well
    monkeypatch.setattr(search_index, "COMPACT_AT", 0)
    assert store.compact_if_due()
    assert [h.version for h in search.search("同秒宣传", 10, None).items] == [2]
    assert search.search("同秒宣传 120场", 10, None).items == []


def test_a_report_whose_every_file_is_deleted_leaves_search_and_a_rebuild(aws: Aws, monkeypatch: Any) -> None:
    import json
    from urllib.parse import quote_plus

    from tests.conftest import load_event

    entity = unique("撤回")
    OURS.add(entity)
    first, second = f"inbox/{entity}/2024/a.txt", f"inbox/{entity}/2024/b.txt"
    aws.upload(first, sample(entity, 2024, edit="建成撤回式调解室"))
    aws.upload(second, sample(entity, 2024, edit="建成撤回式调解室两间"))
    assert [h["version"] for h in served(aws, "撤回式调解室")] == [2]

    def delete(key: str) -> None:
        record = load_event("ingest-delete-marker.json")["Records"][0]
        body = json.loads(record["body"])
        body["Records"][0]["s3"]["object"].update({"key": quote_plus(key, safe="/")})
        body["Records"][0]["s3"]["bucket"]["name"] = aws.raw_bucket
        assert aws.ingest_records([{**record, "body": json.dumps(body)}])["batchItemFailures"] == []

    # One of its two files deleted: the report stands (its latest is what the API serves)
    delete(first)
    assert [h["version"] for h in served(aws, "撤回式调解室")] == [2]
    # Both: it is gone from search, also once folded into the base, and from a rebuild
    delete(second)
    assert served(aws, "撤回式调解室") == []
    monkeypatch.setattr(search_index, "COMPACT_AT", 0)
    assert search_index.store_for(archive(aws)).compact_if_due()
    assert served(aws, "撤回式调解室") == []
    rebuild_index(table(aws), archive(aws))
    assert served(aws, "撤回式调解室") == []
    # A new upload of it comes back
    aws.upload(first, sample(entity, 2024, edit="建成撤回式调解室三间"))
    assert [h["version"] for h in served(aws, "撤回式调解室")] == [3]


def test_index_files_go_to_and_from_s3_streamed_and_conditionally(aws: Aws, tmp_path: Any) -> None:
    import os

    from report_tracker.dal.s3 import Superseded
    from report_tracker.errors import NotFound

    store, key = archive(aws), f"search/test/{unique('流')}.sqlite"
    source = tmp_path / "big.sqlite"
    source.write_bytes(os.urandom(2_500_000))  # more than two of download()'s chunks
    etag = store.put_file(key, source, "application/vnd.sqlite3", new=True)
    copy = tmp_path / "copy.sqlite"
    store.download(key, copy)
    assert copy.read_bytes() == source.read_bytes()
    # Written only where nothing is / only over the ETag read: another writer's change is refused
    with pytest.raises(Superseded):
        store.put_file(key, source, "application/vnd.sqlite3", new=True)
    copy.write_bytes(b"another base")
    newer = store.put_file(key, copy, "application/vnd.sqlite3", if_match=etag)
    with pytest.raises(Superseded):
        store.put_file(key, source, "application/vnd.sqlite3", if_match=etag)
    assert newer != etag
    with pytest.raises(NotFound):
        store.download(key + ".gone", tmp_path / "gone")
