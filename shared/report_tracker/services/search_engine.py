"""The search engine behind search and recycled text, chosen by configuration.

Two engines answer the same three questions: which reports hold every term (the candidates
whose exact hits ``services.search`` then counts), which reports share a report's passage
signatures (``services.recycled``), and how to take in a batch's latest texts or the whole
archive again. ``embedded`` is the SQLite index in the archive bucket (``services.search_index``);
``opensearch`` is an OpenSearch Serverless collection (``services.opensearch_engine``), for an
archive past what one function's disk holds (docs/scale.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from report_tracker.archive.search_index import Candidate, IndexedReport, SearchIndex, match_expression

if TYPE_CHECKING:
    from report_tracker.dal.s3 import ArchiveStore
    from report_tracker.services.search_index import IndexView, SearchIndexStore


@dataclass(frozen=True)
class Match:
    """A report's latest version as an engine holds it; its text read only when asked."""

    doc: Candidate
    text: Callable[[], str]


@dataclass(frozen=True)
class Neighbours:
    """A report's own passage signatures and the other entities' reports sharing one of them."""

    own: Match
    bands: list[tuple[int, int]]  # (our passage, band key)
    sharing: list[tuple[int, int, Match]]  # (our passage, band key, a report holding that key)


class SearchEngine(Protocol):
    def add(self, docs: list[IndexedReport]) -> None:
        """Take in reports' latest texts (one ingest batch's); a later upload always wins."""

    def maintain(self) -> None:
        """Housekeeping after a write (the embedded index folds its segments)."""

    def rebuild(self, docs: Iterable[IndexedReport]) -> int:
        """Everything again from ``docs``; how many reports it holds."""

    def matching(
        self, terms: list[str], entity: str | None, year: int | None, cap: int
    ) -> tuple[list[Match], bool]:
        """Latest versions holding every term (a superset: the exact hits are counted by the
        caller), at most ``cap`` per index file, the latest first; and whether that is all."""

    def neighbours(self, report: str, per_key: int) -> Neighbours | None:
        """None when ``report`` is not held. At most ``per_key`` reports per band key."""


class EmbeddedSearch:
    """The SQLite base and segments in the archive bucket, as one engine."""

    def __init__(self, store: SearchIndexStore) -> None:
        self.store = store

    def add(self, docs: list[IndexedReport]) -> None:
        self.store.add(docs)

    def maintain(self) -> None:
        self.store.compact_if_due()

    def view(self) -> IndexView:
        return self.store.newest_first()

    def rebuild(self, docs: Iterable[IndexedReport]) -> int:
        return self.store.rebuild(docs)

    def matching(
        self, terms: list[str], entity: str | None, year: int | None, cap: int
    ) -> tuple[list[Match], bool]:
        expressions = [e for t in terms if (e := match_expression(t)) is not None]
        view = self.view()
        found: list[Match] = []
        seen: set[str] = set()
        complete = True
        for file_no, index in enumerate(view.files):
            candidates, every = index.candidates(expressions, entity, year, cap)
            complete &= every
            for c in candidates:
                if c.report in seen or not view.current(file_no, c.report, c.order_key):
                    continue
                seen.add(c.report)
                found.append(Match(c, _text_of(index, c.rowid)))
        return found, complete

    def neighbours(self, report: str, per_key: int) -> Neighbours | None:
        view = self.view()
        mine = next(
            (
                (index, c)
                for file_no, index in enumerate(view.files)
                if (c := index.find(report)) and view.current(file_no, report, c.order_key)
            ),
            None,
        )
        if mine is None:
            return None
        own_index, own = mine
        bands = own_index.bands(own.rowid)
        sharing: list[tuple[int, int, Match]] = []
        seen: set[str] = set()
        for file_no, index in enumerate(view.files):
            here: set[str] = set()
            for passage, band, other in index.sharing(bands, own.entity, per_key):
                if other.report in seen or not view.current(file_no, other.report, other.order_key):
                    continue  # a later version of it is in a newer file
                here.add(other.report)
                sharing.append((passage, band, Match(other, _text_of(index, other.rowid))))
            seen |= here
        return Neighbours(Match(own, _text_of(own_index, own.rowid)), bands, sharing)


def _text_of(index: SearchIndex, rowid: int) -> Callable[[], str]:
    return lambda: index.text(rowid)


EngineFactory = Callable[["ArchiveStore"], SearchEngine]


def embedded(archive: ArchiveStore) -> SearchEngine:
    from report_tracker.services.search_index import store_for  # noqa: PLC0415

    return EmbeddedSearch(store_for(archive))
