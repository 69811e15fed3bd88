"""Atom feeds of new reports and new versions, for all entities or one, built with feedgen.

A new report is its version 1; a new version is any later one (a silent edit shows up here).
Entry ids are stable tag URIs of (entity, year, document type, version), so a feed reader
shows each version once however often the feed is fetched.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import quote

from report_tracker.models.archive import UploadStatus

if TYPE_CHECKING:
    from report_tracker.services.catalog import Catalog

FEED_ENTRIES = 50
TAG = "tag:report-tracker,2024"


@dataclass(frozen=True)
class FeedEntry:
    entity: str
    review_year: int
    doc_type: str
    version: int
    title: str
    at: str  # ISO time of the upload that made the version


def _when(iso: str) -> datetime:
    parsed = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def recent(catalog: Catalog, limit: int = FEED_ENTRIES) -> list[FeedEntry]:
    """The latest filed versions of any report, newest first (from the stored-uploads index)."""
    page = catalog.uploads(UploadStatus.STORED, limit, None)
    return [
        FeedEntry(
            entity=u.report.entity,
            review_year=u.report.review_year,
            doc_type=u.report.doc_type.value,
            version=u.version,
            title=f"{u.report.entity} {u.report.review_year}",
            at=u.updated_at,
        )
        for u in page.items
        if u.report is not None and u.version is not None
    ]


def of_entity(catalog: Catalog, entity: str, limit: int = FEED_ENTRIES) -> list[FeedEntry]:
    """Every version of every report of one entity, newest first."""
    detail = catalog.entity(entity)
    entries: list[FeedEntry] = []
    for report in detail.reports:
        listed = catalog.versions(entity, report.review_year, report.doc_type)
        entries += [
            FeedEntry(
                entity=entity,
                review_year=report.review_year,
                doc_type=report.doc_type.value,
                version=v.version,
                title=report.title or f"{entity} {report.review_year}",
                at=v.uploaded_at,
            )
            for v in listed.items
            if not v.withdrawn
        ]
    entries.sort(key=lambda e: _when(e.at), reverse=True)
    return entries[:limit]


def atom(entries: list[FeedEntry], *, title: str, self_url: str, viewer_url: str) -> bytes:
    """The Atom document; links point into the viewer (``viewer_url`` ends with ``/``)."""
    from feedgen.feed import FeedGenerator  # noqa: PLC0415

    feed = FeedGenerator()
    feed.id(self_url)
    feed.title(title)
    feed.link(href=self_url, rel="self", type="application/atom+xml")
    feed.link(href=viewer_url, rel="alternate", type="text/html")
    feed.language("zh-CN")
    feed.generator("report-tracker")
    feed.updated(_when(entries[0].at) if entries else datetime(2000, 1, 1, tzinfo=UTC))
    for e in reversed(entries):  # feedgen prepends: add oldest first to keep newest first
        item = feed.add_entry()
        item.id(f"{TAG}:{quote(e.entity)}/{e.review_year}/{e.doc_type}/v{e.version}")
        kind = "新报告" if e.version == 1 else f"新版本 v{e.version}"
        item.title(f"{e.title}（{kind}）")
        href = f"{viewer_url}#/e/{quote(e.entity)}/r/{e.review_year}"
        if e.version > 1:
            href = f"{viewer_url}#/e/{quote(e.entity)}/r/{e.review_year}/diff/{e.version - 1}/{e.version}"
        item.link(href=href, rel="alternate", type="text/html")
        item.updated(_when(e.at))
        item.summary(f"{e.entity} · {e.review_year} · {e.doc_type} · v{e.version}")
    result: bytes = feed.atom_str(pretty=False)
    return result
