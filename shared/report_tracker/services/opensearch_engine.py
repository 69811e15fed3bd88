"""Search and recycled-text candidates from an OpenSearch Serverless collection (``SEARCH_ENGINE=opensearch``).

One document per report (its id is the report key), holding its latest text and its passages'
band keys. The text is analysed as overlapping character bigrams (an ``ngram`` tokenizer over
letters and digits, lowercased) and, in a subfield, single characters: a term's runs become
phrase queries over its bigrams, so a report matches where every run occurs (a superset of the
exact matches, which ``services.search`` counts in the texts as it does for the embedded index).

A later upload always wins: each write carries the upload time in milliseconds as an external
version (``external_gte``), so a late older upload is refused by the collection itself, and a
second write of the same upload replaces the first. Where this engine and the embedded one differ
(the order candidates are capped in, refresh delay): docs/scale.md.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from itertools import islice
from typing import Any

from report_tracker.archive.search_index import Candidate, IndexedReport, scope, term_runs
from report_tracker.dal.opensearch import OpenSearchClient, OpenSearchError, doc_path
from report_tracker.errors import NotFound
from report_tracker.services.search_engine import Match, Neighbours
from report_tracker.tracking.signatures import signatures

BULK_DOCS = 100
NEIGHBOUR_REPORTS = 200  # reports sharing a band key read per lookup, the most alike first
MAX_CLAUSES = 1000  # band keys asked at once (OpenSearch's default limit is 1024 clauses)
_META = ["report", "entity", "review_year", "doc_type", "doc_rank", "title", "version", "order_key"]

INDEX_BODY: dict[str, Any] = {
    "settings": {
        "analysis": {
            "tokenizer": {
                "bigram": {"type": "ngram", "min_gram": 2, "max_gram": 2, "token_chars": ["letter", "digit"]},
                "unigram": {
                    "type": "ngram",
                    "min_gram": 1,
                    "max_gram": 1,
                    "token_chars": ["letter", "digit"],
                },
            },
            "analyzer": {
                "bigrams": {"type": "custom", "tokenizer": "bigram", "filter": ["lowercase"]},
                "chars": {"type": "custom", "tokenizer": "unigram", "filter": ["lowercase"]},
            },
        }
    },
    "mappings": {
        "dynamic": "strict",
        "properties": {
            "report": {"type": "keyword"},
            "entity": {"type": "keyword"},
            "review_year": {"type": "integer"},
            "doc_type": {"type": "keyword"},
            "doc_rank": {"type": "integer"},
            "title": {"type": "keyword", "index": False},
            "version": {"type": "integer"},
            "order_key": {"type": "keyword"},
            "text": {
                "type": "text",
                "analyzer": "bigrams",
                "fields": {"chars": {"type": "text", "analyzer": "chars"}},
            },
            "band_keys": {"type": "long"},
            "bands": {"type": "object", "enabled": False},  # {"passage": [...], "key": [...]}
        },
    },
}


def external_version(order_key: str) -> int:
    """The upload time of ``order_key`` (LastModified leads it) in milliseconds."""
    stamp = order_key.split("#", 1)[0]
    try:
        return int(datetime.fromisoformat(stamp).timestamp() * 1000)
    except ValueError:
        return 0  # no time (a test's or a hand-made key): any write replaces it


def phrase_queries(terms: list[str]) -> list[dict[str, Any]]:
    """One phrase per run of letters or digits of every term (a run of one: its character)."""
    return [
        {"match_phrase": {"text.chars" if len(run) == 1 else "text": run}}
        for term in terms
        for run in term_runs(term)
    ]


def source(doc: IndexedReport) -> dict[str, Any]:
    passages, keys = [], []
    for passage, passage_keys in enumerate(signatures(doc.text, doc.entity, scope(doc))):
        for key in passage_keys:
            passages.append(passage)
            keys.append(key)
    return {
        "report": doc.report,
        "entity": doc.entity,
        "review_year": doc.review_year,
        "doc_type": doc.doc_type,
        "doc_rank": doc.doc_rank,
        "title": doc.title,
        "version": doc.version,
        "order_key": doc.order_key,
        "text": doc.text,
        "band_keys": sorted(set(keys)),
        "bands": {"passage": passages, "key": keys},
    }


def candidate(src: dict[str, Any]) -> Candidate:
    return Candidate(rowid=0, **{f: src[f] for f in _META})


class OpenSearchEngine:
    def __init__(self, client: OpenSearchClient, index: str = "reports") -> None:
        self.client = client
        self.index = index
        self._ready = False
        self._lock = threading.Lock()

    # --- writing -------------------------------------------------------------------

    def ensure_index(self) -> None:
        with self._lock:
            if self._ready:
                return
            try:
                self.client.call("HEAD", f"/{self.index}")
            except NotFound:
                try:
                    self.client.call("PUT", f"/{self.index}", INDEX_BODY)
                except OpenSearchError as exc:
                    if "resource_already_exists" not in str(exc):  # another writer made it first
                        raise
            self._ready = True

    def add(self, docs: list[IndexedReport]) -> None:
        self.ensure_index()
        for chunk in _chunks(docs, BULK_DOCS):
            self._bulk(chunk)

    def maintain(self) -> None:
        """Nothing to fold: the collection merges its own segments."""

    def rebuild(self, docs: Iterable[IndexedReport]) -> int:
        with contextlib.suppress(NotFound):
            self.client.call("DELETE", f"/{self.index}")
        self._ready = False
        self.ensure_index()
        count = 0
        for chunk in _chunks(docs, BULK_DOCS):
            self._bulk(chunk)
            count += len(chunk)
        return count

    def _bulk(self, docs: list[IndexedReport]) -> None:
        lines: list[dict[str, Any]] = []
        for doc in docs:
            action = {
                "_id": doc.report,
                "version": external_version(doc.order_key),
                "version_type": "external_gte",
            }
            lines += [{"index": action}, source(doc)]
        answer = self.client.call("POST", f"/{self.index}/_bulk", lines, ndjson=True)
        if not answer.get("errors"):
            return
        refused = [
            item["index"]
            for item in answer.get("items", [])
            if item.get("index", {}).get("status", 200) >= 300 and item["index"]["status"] != 409
        ]  # 409: a later upload of the report is held, which is as it should be
        if refused:
            raise OpenSearchError(
                f"{len(refused)} of {len(docs)} reports not indexed: {str(refused[0])[:300]}"
            )

    # --- reading -------------------------------------------------------------------

    def matching(
        self, terms: list[str], entity: str | None, year: int | None, cap: int
    ) -> tuple[list[Match], bool]:
        filters = phrase_queries(terms)
        if entity is not None:
            filters.append({"term": {"entity": entity}})
        if year is not None:
            filters.append({"term": {"review_year": year}})
        body = {
            "size": cap + 1,
            "track_total_hits": False,
            "_source": [*_META, "text"],
            "query": {"bool": {"filter": filters}},
            "sort": [{"order_key": "desc"}, {"report": "asc"}],
        }
        hits = self._search(body)
        found = [Match(candidate(h["_source"]), _constant(h["_source"]["text"])) for h in hits[:cap]]
        return found, len(hits) <= cap

    def neighbours(self, report: str, per_key: int) -> Neighbours | None:
        try:
            own_src = self.client.call("GET", doc_path(self.index, report))["_source"]
        except NotFound:
            return None
        own = Match(candidate(own_src), _constant(own_src["text"]))
        bands = list(zip(own_src["bands"]["passage"], own_src["bands"]["key"], strict=True))
        passages: dict[int, list[int]] = {}
        for passage, key in bands:
            passages.setdefault(key, []).append(passage)
        if not passages:
            return Neighbours(own, bands, [])
        keys = sorted(passages)[:MAX_CLAUSES]
        body = {
            "size": NEIGHBOUR_REPORTS,
            "track_total_hits": False,
            "_source": [*_META, "bands"],
            "query": {
                "bool": {
                    "should": [{"term": {"band_keys": k}} for k in keys],
                    "minimum_should_match": 1,
                    "must_not": [{"term": {"entity": own.doc.entity}}],
                }
            },
        }
        sharing: list[tuple[int, int, Match]] = []
        held: dict[int, int] = {}
        for hit in self._search(body):
            other = Match(candidate(hit["_source"]), self._text_of(hit["_source"]["report"]))
            for key in sorted(set(hit["_source"]["bands"]["key"]) & passages.keys()):
                if held.get(key, 0) >= per_key:
                    continue
                held[key] = held.get(key, 0) + 1
                sharing.extend((passage, key, other) for passage in passages[key])
        return Neighbours(own, bands, sharing)

    def _search(self, body: dict[str, Any]) -> list[dict[str, Any]]:
        try:
            answer = self.client.call("POST", f"/{self.index}/_search", body)
        except NotFound:
            return []  # nothing indexed yet
        hits: list[dict[str, Any]] = answer.get("hits", {}).get("hits", [])
        return hits

    def _text_of(self, report: str) -> Callable[[], str]:
        def text() -> str:
            path = doc_path(self.index, report) + "?_source_includes=text"
            return str(self.client.call("GET", path)["_source"]["text"])

        return text


def _constant(text: str) -> Callable[[], str]:
    return lambda: text


def _chunks(docs: Iterable[IndexedReport], size: int) -> Iterator[list[IndexedReport]]:
    it = iter(docs)
    while chunk := list(islice(it, size)):
        yield chunk
