"""Recycled text of one report: who else's report of that year shares its passages.

Served from the search index, which holds each latest text's passage signatures (LSH band keys,
``tracking.signatures``): the report's own bands are looked up, other entities' reports holding
one are the candidates, and only the best ``MAX_CONFIRMED`` of them are compared character by
character. The cost is bounded by the report's candidates, not by the size of its year.
"""

from __future__ import annotations

from collections import defaultdict

from report_tracker.errors import NotFound
from report_tracker.models.report import DocType
from report_tracker.models.tracking import RecycledText, SharedText
from report_tracker.services.catalog import Catalog
from report_tracker.services.search import report_key
from report_tracker.services.search_engine import Match, SearchEngine, embedded
from report_tracker.tracking.reuse import reuse
from report_tracker.tracking.templates import COMMON

MAX_CONFIRMED = 10


class RecycledService:
    def __init__(self, catalog: Catalog, engine: SearchEngine | None = None) -> None:
        self.catalog = catalog
        self.engine = engine or catalog.search_engine or embedded(catalog.archive)

    def report(self, entity: str, year: int, doc_type: DocType | None) -> RecycledText:
        head, _ = self.catalog.head(entity, year, doc_type)
        found = recycled_text(self.engine, report_key(head.entity, head.review_year, head.doc_type.value))
        if found is None:
            raise NotFound(
                f"{entity}'s report reviewing {year} is not indexed yet (report-tracker rebuild-search)"
            )
        return found


def recycled_text(engine: SearchEngine, report: str) -> RecycledText | None:
    """``report``'s shared passages among the other reports the engine holds. None when the
    report is not indexed."""
    near = engine.neighbours(report, COMMON + 1)
    if near is None:
        return None
    own = near.own.doc
    # band -> entities holding it; report -> the (passage of ours, band) it shares, and where it is
    holders: dict[int, set[str]] = defaultdict(set)
    hits: dict[str, list[tuple[int, int]]] = defaultdict(list)
    found: dict[str, Match] = {}
    for passage, band, other in near.sharing:
        holders[band].add(other.doc.entity)
        hits[other.doc.report].append((passage, band))
        found[other.doc.report] = other
    alike = {r: {p for p, band in pairs if len(holders[band]) <= COMMON} for r, pairs in hits.items()}
    ranked = sorted((r for r in alike if alike[r]), key=lambda r: (-len(alike[r]), found[r].doc.entity))
    text = near.own.text()
    shared = []
    for other_report in ranked[:MAX_CONFIRMED]:
        other = found[other_report]
        copied = reuse(other.text(), text)
        if copied.spans:
            shared.append(SharedText(entity=other.doc.entity, share=copied.share, spans=copied.spans))
    shared.sort(key=lambda s: (-s.share, s.entity))
    return RecycledText(
        entity=own.entity,
        review_year=own.review_year,
        doc_type=own.doc_type,
        version=own.version,
        passages=len({p for p, _ in near.bands}),
        candidates=len(ranked),
        shared=shared,
    )
