"""The clean text of a report's latest version, read from the archive once per container.

Keyed by the archive key, which is content-addressed, so a cached text never goes stale:
a new version has a new key. Search and template detection read many reports per call.
"""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock

from report_tracker.dal.s3 import ArchiveStore
from report_tracker.dal.table import ArchiveTable
from report_tracker.errors import NotFound
from report_tracker.models.archive import ReportHead
from report_tracker.services.catalog import version_record

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


def latest_keys(table: ArchiveTable, head: ReportHead) -> tuple[str, str]:
    """The clean-text hash and archive key of the report's latest version.

    Heads carry both; a head stored before they did is answered from its version item
    (NotFound if that record is gone).
    """
    if head.latest_clean_sha256 and head.latest_archive_key:
        return head.latest_clean_sha256, head.latest_archive_key
    record = version_record(table, head, head.latest_version)
    return record.clean_sha256, record.archive_key


def latest_key(table: ArchiveTable, head: ReportHead) -> str | None:
    """The archive key of the report's latest reading; None if its record is gone."""
    try:
        return latest_keys(table, head)[1]
    except NotFound:
        return None


def text_at(archive: ArchiveStore, key: str) -> str:
    """The clean text stored under an archive key, from memory when it was read before."""
    text = _TEXTS.get(key)
    if text is None:
        text = str(archive.get_json(key).get("text", ""))
        _TEXTS.put(key, text)
    return text
