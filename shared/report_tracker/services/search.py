"""Full-text search over the latest reading of every report.

A cold container reads every report it searches (then serves them from memory, see
``services.texts``); the README says where this stops scaling.
"""

from __future__ import annotations

import base64
import json

from report_tracker.archive.search import TooManyTerms, find_hits, query_terms, snippets
from report_tracker.dal.s3 import ArchiveStore
from report_tracker.dal.table import ArchiveTable
from report_tracker.errors import InvalidRequest
from report_tracker.models.api import SearchHit, SearchPage
from report_tracker.models.archive import ReportHead
from report_tracker.models.report import DOC_TYPE_ORDER
from report_tracker.services.texts import latest_key, text_at

_SortKey = tuple[int, int, str, int]


def _sort_key(hits: int, head: ReportHead) -> _SortKey:
    """Most hits first, then newest year, then name: a total order over the results."""
    return (-hits, -head.review_year, head.entity, DOC_TYPE_ORDER.index(head.doc_type))


def _cursor(after: _SortKey, q: str) -> str:
    """Keyset cursor: the sort key of the last item given, so reports ingested meanwhile
    appear where they sort and nothing is given twice or skipped."""
    raw = json.dumps({"after": list(after), "q": q}, ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _after(cursor: str | None, q: str) -> _SortKey | None:
    if not cursor:
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        hits, year, entity, rank = data["after"]
        after: _SortKey = (int(hits), int(year), str(entity), int(rank))
        same_query = data["q"] == q
    except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
        raise InvalidRequest("the cursor is not one this API issued") from exc
    if not same_query:
        raise InvalidRequest("the cursor belongs to another query")
    return after


class SearchService:
    def __init__(self, table: ArchiveTable, archive: ArchiveStore) -> None:
        self.table = table
        self.archive = archive

    def _heads(self, entity: str | None, year: int | None) -> list[ReportHead]:
        if entity is not None:
            return self.table.list_reports(entity, year)
        if year is not None:
            return self.table.list_reports_of_year(year)
        heads: list[ReportHead] = []
        cursor: str | None = None
        while True:
            records, cursor = self.table.list_entities(200, cursor)
            for record in records:
                heads.extend(self.table.list_reports(record.entity, year))
            if not cursor:
                return heads

    def _text(self, head: ReportHead) -> str | None:
        key = latest_key(self.table, head)
        return text_at(self.archive, key) if key else None

    def search(
        self, q: str, limit: int, cursor: str | None, entity: str | None = None, year: int | None = None
    ) -> SearchPage:
        try:
            terms = query_terms(q)
        except TooManyTerms as exc:
            raise InvalidRequest(str(exc)) from exc
        if not terms:
            raise InvalidRequest("the query has no terms: give one or more words separated by spaces")
        after = _after(cursor, q)
        heads = self._heads(entity, year)
        found: list[tuple[_SortKey, ReportHead, str, list[tuple[int, int]]]] = []
        for head in heads:
            text = self._text(head)
            hits = find_hits(text, terms) if text else None
            if text and hits:
                found.append((_sort_key(len(hits), head), head, text, hits))
        found.sort(key=lambda match: match[0])
        rest = [match for match in found if after is None or match[0] > after]
        page = rest[:limit]
        # Snippets only for the page given: every match is ranked, few are shown.
        items = [
            SearchHit(
                entity=head.entity,
                review_year=head.review_year,
                doc_type=head.doc_type,
                title=head.title,
                version=head.latest_version,
                hits=len(hits),
                snippets=snippets(text, hits),
            )
            for _, head, text, hits in page
        ]
        return SearchPage(
            q=q,
            terms=terms,
            total=len(found),
            scanned=len(heads),
            items=items,
            next_cursor=_cursor(page[-1][0], q) if len(rest) > limit else None,
        )
