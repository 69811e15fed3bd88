"""County templates: how much of each report of a year is text shared with other entities.

The shares are stored in the archive keyed by a digest of every compared reading's archive
key, so they are recomputed exactly when a report of that year and type gets a new version
(or a new entity reports), and served from the archive otherwise.
"""

from __future__ import annotations

import hashlib
from collections import Counter

from report_tracker.dal.s3 import ArchiveStore
from report_tracker.dal.table import ArchiveTable
from report_tracker.errors import NotFound, TooBroad
from report_tracker.models.report import DocType
from report_tracker.models.tracking import SharedText, TemplateReport, TemplateShare
from report_tracker.services.texts import latest_key, text_at
from report_tracker.tracking.compare import reuse
from report_tracker.tracking.templates import template_shares

TEMPLATES_VERSION = "1"
# Comparing every text of a year is done per request only up to this many reports (about 40 M
# characters read and compared); past it the per-report route and the dataset answer.
MAX_REPORTS = 2_500


class TemplateService:
    def __init__(self, table: ArchiveTable, archive: ArchiveStore, max_reports: int | None = None) -> None:
        self.table = table
        self.archive = archive
        self.max_reports = MAX_REPORTS if max_reports is None else max_reports

    def year(self, year: int, doc_type: DocType | None = None, entity: str | None = None) -> TemplateReport:
        heads = self.table.list_reports_of_year(year)
        if doc_type is None:
            # The type the entity asked about filed, else the year's most common type.
            own = [h.doc_type for h in heads if h.entity == entity]
            counts = Counter(h.doc_type for h in heads)
            doc_type = own[0] if own else (counts.most_common(1)[0][0] if counts else None)
        heads = [h for h in heads if h.doc_type == doc_type]
        if doc_type is None or not heads:
            raise NotFound(f"no reports reviewing {year} are archived")
        if entity is not None and all(h.entity != entity for h in heads):
            raise NotFound(f"{entity} has no {doc_type.value} report reviewing {year}")
        keys = {head.entity: key for head in heads if (key := latest_key(self.table, head))}
        digest = hashlib.sha256("\n".join(f"{e}\t{k}" for e, k in sorted(keys.items())).encode()).hexdigest()
        cache_key = f"templates/v{TEMPLATES_VERSION}/{year}/{doc_type.value}/{digest}.json"
        try:
            stored = self.archive.get_json(cache_key)
            shares = [TemplateShare.model_validate(s) for s in stored["shares"]]
        except NotFound:
            if len(keys) > self.max_reports:
                raise TooBroad(
                    f"{len(keys)} {doc_type.value} reports review {year}: more than one request compares "
                    f"({self.max_reports}). One report's shared passages: GET /entities/{{entity}}/reports/"
                    f"{year}/recycled; the whole year in SQL over the dataset's sentences table (README)"
                ) from None
            # Only here are all the year's texts needed; stored shares need their keys alone.
            shares = template_shares({e: text_at(self.archive, k) for e, k in keys.items()})
            self.archive.put_json(cache_key, {"shares": [s.model_dump(mode="json") for s in shares]})
        result = TemplateReport(
            review_year=year, doc_type=doc_type.value, reports=len(keys), shares=shares, entity=entity
        )
        if entity is not None and entity in keys:
            mine = next(s for s in shares if s.entity == entity)
            text = text_at(self.archive, keys[entity])
            for partner in mine.shared_with:
                copied = reuse(text_at(self.archive, keys[partner.entity]), text)
                result.shared.append(
                    SharedText(entity=partner.entity, share=copied.share, spans=copied.spans)
                )
        return result
