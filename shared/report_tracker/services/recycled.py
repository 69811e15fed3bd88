"""Recycled text of one report: who else's report of that year shares its passages.

Served from the search index, which holds each latest text's passage signatures (LSH band keys,
``tracking.signatures``): the report's own bands are looked up, other entities' reports holding
one are the candidates, and only the best ``MAX_CONFIRMED`` of them are compared character by
character. The cost is bounded by the report's candidates, not by the size of its year.
"""

from __future__ import annotations

from collections import defaultdict

from report_tracker.archive.search_index import Candidate, SearchIndex
from report_tracker.errors import NotFound
from report_tracker.models.report import DocType
from report_tracker.models.tracking import RecycledText, SharedText
from report_tracker.services.catalog import Catalog
from report_tracker.services.search import report_key
from report_tracker.services.search_index import IndexView, store_for
from report_tracker.tracking.reuse import reuse
from report_tracker.tracking.templates import COMMON

MAX_CONFIRMED = 10


class RecycledService:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def report(self, entity: str, year: int, doc_type: DocType | None) -> RecycledText:
        head, _ = self.catalog.head(entity, year, doc_type)
        view = store_for(self.catalog.archive).newest_first()
        found = recycled_text(view, report_key(head.entity, head.review_year, head.doc_type.value))
        if found is None:
            raise NotFound(
                f"{entity}'s report reviewing {year} is not indexed yet (report-tracker rebuild-search)"
            )
        return found


def recycled_text(view: IndexView, report: str) -> RecycledText | None:
    """``report``'s shared passages among the other reports of the index ``view`` holds. None when
    the report is not indexed."""
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
    # band -> entities holding it; report -> the (passage of ours, band) it shares, and where it is
    holders: dict[int, set[str]] = defaultdict(set)
    hits: dict[str, list[tuple[int, int]]] = defaultdict(list)
    found: dict[str, tuple[SearchIndex, Candidate]] = {}
    seen: set[str] = set()
    for file_no, index in enumerate(view.files):
        here: set[str] = set()
        for passage, band, other in index.sharing(bands, own.entity, COMMON + 1):
            if other.report in seen or not view.current(file_no, other.report, other.order_key):
                continue  # a later version of it is in a newer file
            here.add(other.report)
            holders[band].add(other.entity)
            hits[other.report].append((passage, band))
            found[other.report] = (index, other)
        seen |= here
    alike = {r: {p for p, band in pairs if len(holders[band]) <= COMMON} for r, pairs in hits.items()}
    ranked = sorted((r for r in alike if alike[r]), key=lambda r: (-len(alike[r]), found[r][1].entity))
    text = own_index.text(own.rowid)
    shared = []
    for other_report in ranked[:MAX_CONFIRMED]:
        index, other = found[other_report]
        copied = reuse(index.text(other.rowid), text)
        if copied.spans:
            shared.append(SharedText(entity=other.entity, share=copied.share, spans=copied.spans))
    shared.sort(key=lambda s: (-s.share, s.entity))
    return RecycledText(
        entity=own.entity,
        review_year=own.review_year,
        doc_type=own.doc_type,
        version=own.version,
        passages=len({p for p, _ in bands}),
        candidates=len(ranked),
        shared=shared,
    )
