"""The clean text of a report's latest version, read from the archive once per container.

Keyed by the archive key, which is content-addressed, so a cached text never goes stale:
a new version has a new key. Search and template detection read many reports per call.
"""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock

from report_tracker.dal.s3 import ArchiveStore
from report_tracker.dal.table import ArchiveTable
from report_tracker.models.archive import ReportHead

TEXT_CACHE_CHARS = 40_000_000  # ~2,500 reports of 15 KB; well inside a 512 MB function


class _TextCache:
    def __init__(self, budget: int) -> None:
        self._texts: OrderedDict[str, str] = OrderedDict()
        self._size = 0
        self._budget = budget
        self._lock = Lock()

    def get(self, key: str) -> str | None:
        with self._lock:
            text = self._texts.get(key)
            if text is not None:
                self._texts.move_to_end(key)
            return text

    def put(self, key: str, text: str) -> None:
        with self._lock:
            if key in self._texts:
                return
            self._texts[key] = text
            self._size += len(text)
            while self._size > self._budget and self._texts:
                _, old = self._texts.popitem(last=False)
                self._size -= len(old)


_TEXTS = _TextCache(TEXT_CACHE_CHARS)


def latest_key(table: ArchiveTable, head: ReportHead) -> str | None:
    """The archive key of the report's latest reading; None if its record is gone."""
    record = table.get_version(head.entity, head.review_year, head.doc_type, head.latest_version)
    return record.archive_key if record is not None else None


def text_at(archive: ArchiveStore, key: str) -> str:
    """The clean text stored under an archive key, from memory when it was read before."""
    text = _TEXTS.get(key)
    if text is None:
        text = str(archive.get_json(key).get("text", ""))
        _TEXTS.put(key, text)
    return text
