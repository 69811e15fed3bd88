"""Where the search index lives: SQLite files in the archive bucket, a base and small segments.

Ingest adds one segment per batch for the versions that became a report's latest (a file of a few
reports, a few hundred KB: no writer ever rewrites a shared file on its way). A reader lists ``search/v2/`` once
per search, fetches the files it has not got (by ETag) into its temporary directory, and asks the
base and every segment; for a report in several, the latest upload wins, and between two uploads
of the same order (one second, no S3 sequencer) the newer file, as the table's later commit wins. When more than
``COMPACT_AT`` segments have piled up, the ingest that notices folds them into the base with a
conditional write (If-Match: only one writer wins, the others leave it) and deletes them.
Where this stops scaling, and what replaces it: docs/scale.md.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from report_tracker.archive.search_index import SCHEMA_VERSION, IndexedReport, SearchIndex
from report_tracker.dal.s3 import ArchiveStore, Superseded
from report_tracker.errors import NotFound
from report_tracker.observability import logger

PREFIX = f"search/v{SCHEMA_VERSION}/"
BASE = PREFIX + "base.sqlite"
SEGMENTS = PREFIX + "segments/"
COMPACT_AT = int(os.environ.get("SEARCH_COMPACT_AT", "32"))
SQLITE = "application/vnd.sqlite3"


class SearchIndexStore:
    def __init__(self, archive: ArchiveStore, cache_dir: Path | None = None) -> None:
        self.archive = archive
        # Private to this process (two stacks in one machine may use the same bucket names).
        self.cache = cache_dir or Path(tempfile.mkdtemp(prefix="report-tracker-search-"))
        self._open: dict[str, tuple[str, SearchIndex]] = {}  # key -> (etag, index)

    # --- writing (ingest) ------------------------------------------------------------

    def add(self, docs: list[IndexedReport]) -> str:
        """Index reports' latest texts (one ingest batch's), as a segment of their own. Its key."""
        tag = hashlib.sha256("\n".join(sorted(d.report for d in docs)).encode()).hexdigest()[:12]
        key = f"{SEGMENTS}{time.time_ns():020d}-{tag}-{uuid.uuid4().hex[:8]}.sqlite"
        with tempfile.TemporaryDirectory(prefix="index-") as tmp:
            path = Path(tmp) / "index.sqlite"
            _index_file(docs, path)
            self.archive.put_file(key, path, SQLITE, new=True)
        return key

    def compact_if_due(self) -> bool:
        listing = self._listing()
        segments = sorted(k for k in listing if k.startswith(SEGMENTS))
        if len(segments) <= COMPACT_AT:
            return False
        return self.compact(listing.get(BASE), segments)

    def compact(self, base_etag: str | None, segments: list[str]) -> bool:
        """Fold ``segments`` into the base. False when another writer compacted first."""
        with tempfile.TemporaryDirectory(prefix="compact-") as tmp:
            path = Path(tmp) / "base.sqlite"
            if base_etag is not None:
                self.archive.download(BASE, path)
            base = SearchIndex(path)
            folded: list[str] = []
            with base.batch():
                for key in segments:
                    try:
                        segment_path = Path(tmp) / "segment.sqlite"
                        self.archive.download(key, segment_path)
                    except NotFound:
                        continue  # folded by another writer meanwhile
                    segment = SearchIndex(segment_path, readonly=True)
                    for doc in segment.reports():
                        base.put(doc)
                    segment.close()
                    segment_path.unlink()
                    folded.append(key)
            base.db.execute("VACUUM")
            base.close()
            try:
                self.archive.put_file(BASE, path, SQLITE, if_match=base_etag, new=base_etag is None)
            except Superseded:
                return False
        self.archive.delete(folded)
        logger.info("search index compacted", extra={"segments": len(folded)})
        return True

    def rebuild(self, docs: Iterable[IndexedReport]) -> int:
        """A new base from ``docs`` (every report's latest text, taken as they come), every
        segment dropped."""
        listing = self._listing()
        with tempfile.TemporaryDirectory(prefix="index-") as tmp:
            path = Path(tmp) / "index.sqlite"
            count = _index_file(docs, path)
            self.archive.put_file(BASE, path, SQLITE)
        self.archive.delete(sorted(k for k in listing if k.startswith(SEGMENTS)))
        return count

    # --- reading (API) ---------------------------------------------------------------

    def _listing(self) -> dict[str, str]:
        out: dict[str, str] = {}
        after: str | None = None
        while True:
            items, after = self.archive.list_page(PREFIX, 1000, after)
            out.update({o["Key"]: str(o["ETag"]).strip('"') for o in items})
            if after is None:
                return out

    def indexes(self) -> tuple[SearchIndex | None, list[SearchIndex]]:
        """The base (None before the first compaction) and the segments oldest first, fresh as of
        one listing."""
        for _ in range(3):
            listing = self._listing()
            self.forget_missing(listing)
            try:
                base = self._local(BASE, listing[BASE]) if BASE in listing else None
                segments = [self._local(k, e) for k, e in sorted(listing.items()) if k.startswith(SEGMENTS)]
                return base, segments
            except NotFound:
                continue  # a segment was folded into the base between the listing and the read
        raise NotFound("the search index is changing too fast to be read; try again")

    def newest_first(self) -> IndexView:
        """Every file, newest first, with which of them holds each report's latest version."""
        base, segments = self.indexes()
        view = IndexView([*reversed(segments), *([base] if base is not None else [])])
        for file_no, segment in enumerate(view.files[: len(segments)]):
            for report, order in segment.orders().items():
                view.latest[report] = max((order, -file_no), view.latest.get(report, ("", -file_no)))
        return view

    def _local(self, key: str, etag: str) -> SearchIndex:
        held = self._open.get(key)
        if held is not None and held[0] == etag:
            return held[1]
        if held is not None:
            held[1].close()
        path = self.cache / (hashlib.sha256(key.encode()).hexdigest()[:24] + ".sqlite")
        partial = path.with_suffix(".part")
        self.archive.download(key, partial)
        partial.replace(path)
        index = SearchIndex(path, readonly=True)
        self._open[key] = (etag, index)
        return index

    def forget_missing(self, listing: dict[str, str]) -> None:
        for key in [k for k in self._open if k not in listing]:
            index = self._open.pop(key)[1]
            with contextlib.suppress(Exception):
                index.close()
                index.path.unlink()


@dataclass
class IndexView:
    """The index files of one listing, newest first. ``latest``: for each report a segment holds,
    the (upload order, minus file number) of its latest version there; a report only in the base
    is the base's."""

    files: list[SearchIndex]
    latest: dict[str, tuple[str, int]] = field(default_factory=dict)

    def current(self, file_no: int, report: str, order_key: str) -> bool:
        """Whether the version of ``report`` in ``files[file_no]`` is its latest: no later upload,
        nor one of the same order in a newer file, is held elsewhere."""
        return (order_key, -file_no) >= self.latest.get(report, ("", -file_no))


def _index_file(docs: Iterable[IndexedReport], path: Path) -> int:
    """A new index file at ``path`` holding ``docs``; how many reports it holds."""
    index = SearchIndex(path)
    with index.batch():
        for doc in docs:
            index.put(doc)
    count = index.count()
    index.close()
    return count


_STORES: dict[str, SearchIndexStore] = {}


def store_for(archive: ArchiveStore) -> SearchIndexStore:
    """One store per bucket and process: a warm container keeps the files it fetched."""
    store = _STORES.get(archive.bucket)
    if store is None:
        store = _STORES[archive.bucket] = SearchIndexStore(archive)
    store.archive = archive  # the caller's client (a new endpoint, new credentials); the files stay
    return store
