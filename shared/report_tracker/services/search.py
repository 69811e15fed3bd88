"""Full-text search over the latest reading of every report, served from the index ingest keeps
(``services.search_index``): a search reads no report from the archive.

Candidates come from the index (every term's bigram phrase); the exact occurrences are counted in
the candidates' texts, so hits, order and snippets are those of a plain substring search.
"""

from __future__ import annotations

from collections.abc import Iterator

from report_tracker.archive.search import TooManyTerms, find_hits, query_terms, snippets
from report_tracker.archive.search_index import IndexedReport, match_expression
from report_tracker.cursors import FORGED, pack, unpack
from report_tracker.dal.s3 import ArchiveStore
from report_tracker.dal.table import ArchiveTable
from report_tracker.errors import InvalidRequest
from report_tracker.models.api import SearchHit, SearchPage
from report_tracker.models.archive import ReportHead, VersionRecord, every_version_withdrawn
from report_tracker.models.report import DOC_TYPE_ORDER, DocType
from report_tracker.services.search_engine import Match, SearchEngine, embedded
from report_tracker.services.texts import latest_key, text_at

_SortKey = tuple[int, int, str, int]


def _cursor(after: _SortKey, q: str) -> str:
    """Keyset cursor: the sort key of the last item given, so reports ingested meanwhile
    appear where they sort and nothing is given twice or skipped."""
    return pack({"after": list(after), "q": q})


def _after(cursor: str | None, q: str) -> _SortKey | None:
    if not cursor:
        return None
    data = unpack(cursor)
    try:
        hits, year, entity, rank = data["after"]
        after: _SortKey = (int(hits), int(year), str(entity), int(rank))
        same_query = data["q"] == q
    except (ValueError, KeyError, TypeError) as exc:
        raise InvalidRequest(FORGED) from exc
    if not same_query:
        raise InvalidRequest("the cursor belongs to another query")
    return after


MAX_CANDIDATES = 1000  # reports per index file whose exact hits are counted, the latest indexed first


def report_key(entity: str, review_year: int, doc_type: str) -> str:
    return f"{entity}\t{review_year}\t{doc_type}"


class SearchService:
    def __init__(
        self, table: ArchiveTable, archive: ArchiveStore, engine: SearchEngine | None = None
    ) -> None:
        self.table = table
        self.archive = archive
        self.engine = engine or embedded(archive)

    def search(
        self, q: str, limit: int, cursor: str | None, entity: str | None = None, year: int | None = None
    ) -> SearchPage:
        try:
            terms = query_terms(q)
        except TooManyTerms as exc:
            raise InvalidRequest(str(exc)) from exc
        if not terms:
            raise InvalidRequest("the query has no terms: give one or more words separated by spaces")
        if all(match_expression(t) is None for t in terms):
            raise InvalidRequest("the query has no letters or digits to search for")
        after = _after(cursor, q)
        matches, complete = self.engine.matching(terms, entity, year, MAX_CANDIDATES)
        found: list[tuple[_SortKey, Match, list[tuple[int, int]]]] = []
        for match in matches:
            c = match.doc
            hits = find_hits(match.text(), terms)
            if hits:
                found.append(((-len(hits), -c.review_year, c.entity, c.doc_rank), match, hits))
        found.sort(key=lambda item: item[0])
        rest = [item for item in found if after is None or item[0] > after]
        page = rest[:limit]
        items = []
        for _, match, hits in page:  # snippets only for the page given
            c = match.doc
            items.append(
                SearchHit(
                    entity=c.entity,
                    review_year=c.review_year,
                    doc_type=DocType(c.doc_type),
                    title=c.title,
                    version=c.version,
                    hits=len(hits),
                    snippets=snippets(match.text(), hits),
                )
            )
        return SearchPage(
            q=q,
            terms=terms,
            total=len(found),
            scanned=len(matches),
            complete=complete,
            items=items,
            next_cursor=_cursor(page[-1][0], q) if len(rest) > limit else None,
        )


def indexed_report(record: ReportHead | VersionRecord, text: str) -> IndexedReport:
    """The index's row for a report's latest version: from its head, or from the version record
    of a commit that made it the latest (the head then holds the same title, number and order)."""
    latest = record.latest_version if isinstance(record, ReportHead) else record.version
    order = record.latest_order if isinstance(record, ReportHead) else record.order_key
    return IndexedReport(
        report=report_key(record.entity, record.review_year, record.doc_type.value),
        entity=record.entity,
        review_year=record.review_year,
        doc_type=record.doc_type.value,
        doc_rank=DOC_TYPE_ORDER.index(record.doc_type),
        title=record.title,
        version=latest,
        order_key=order,
        text=text,
    )


def entity_docs(
    table: ArchiveTable, archive: ArchiveStore, entity: str, *, retired: bool
) -> list[IndexedReport]:
    """The index's rows for one entity's reports: each latest text; a report whose every file
    was deleted is left out, or with ``retired`` given as an entry with no text (which shadows
    what older index files hold of it)."""
    docs: list[IndexedReport] = []
    for head in table.list_reports(entity):
        versions = table.list_versions(head.entity, head.review_year, head.doc_type)
        if every_version_withdrawn(versions):
            if retired:  # out of search, as out of the dataset
                docs.append(indexed_report(head, ""))
            continue
        key = latest_key(table, head)
        if key:
            docs.append(indexed_report(head, text_at(archive, key)))
    return docs


def index_entity(
    table: ArchiveTable, archive: ArchiveStore, entity: str, engine: SearchEngine | None = None
) -> int:
    """The entity's current texts indexed again (after ingest failed to write its own)."""
    docs = entity_docs(table, archive, entity, retired=True)
    if docs:
        (engine or embedded(archive)).add(docs)
    return len(docs)


def rebuild_index(table: ArchiveTable, archive: ArchiveStore, engine: SearchEngine | None = None) -> int:
    """The index from the archive itself (a deployment that predates it, or after damage); the
    texts are indexed as they are read, one entity's at a time in memory."""

    def every_doc() -> Iterator[IndexedReport]:
        cursor: str | None = None
        while True:
            records, cursor = table.list_entities(200, cursor)
            for record in records:
                yield from entity_docs(table, archive, record.entity, retired=False)
            if not cursor:
                return

    return (engine or embedded(archive)).rebuild(every_doc())
