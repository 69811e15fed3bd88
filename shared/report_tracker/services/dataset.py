"""The dataset kept current at ingest: Parquet files per report, replaced whole on every change.

Layout: ``dataset/v{DATASET_VERSION}/{table}/review_year=Y/level=L/{report id}.parquet``, one
file per report and table, written again (not appended to) whenever anything it is read from
changes: a new version, a re-extraction, a withdrawal, a new report of a neighbouring year
(whose verdicts and problem runs depend on it). A manifest per entity lists the files it
wrote, so a file whose report moved partition or was withdrawn is deleted, never left as a
duplicate. Docs: docs/dataset.md.
"""

from __future__ import annotations

import contextlib
import hashlib
from pathlib import Path

from report_tracker.cursors import pack, unpack
from report_tracker.dal.s3 import ArchiveStore
from report_tracker.dal.table import ArchiveTable
from report_tracker.dataset.parquet import to_parquet
from report_tracker.dataset.rows import BUILDERS, ReportFacts, rows_digest
from report_tracker.dataset.schema import DATASET_VERSION, TABLES, columns
from report_tracker.errors import InvalidRequest, NotFound
from report_tracker.models.api import DatasetColumn, DatasetFile, DatasetPage
from report_tracker.models.archive import ReportHead, VersionRecord
from report_tracker.models.report import Report
from report_tracker.models.tracking import Comparison, ProblemStatus
from report_tracker.services.texts import latest_keys
from report_tracker.services.yoy import YoyService, problem_heading

PREFIX = f"dataset/v{DATASET_VERSION}/"
PARQUET = "application/vnd.apache.parquet"


def report_id(head: ReportHead) -> str:
    """A file name for a report that any entity name fits in (S3 keys, Hive paths)."""
    raw = f"{head.entity}\t{head.review_year}\t{head.doc_type.value}"
    return hashlib.sha256(raw.encode()).hexdigest()[:24]


def _entity_id(entity: str) -> str:
    return hashlib.sha256(entity.encode()).hexdigest()[:24]


def _key_after(cursor: str | None, prefix: str) -> str | None:
    if not cursor:
        return None
    key = unpack(cursor)
    if not isinstance(key, str) or not key.startswith(prefix):
        raise InvalidRequest("the cursor belongs to another listing")
    return key


class DatasetService:
    def __init__(self, table: ArchiveTable, archive: ArchiveStore) -> None:
        self.table = table
        self.archive = archive
        self.yoy = YoyService(table, archive)

    def manifest_key(self, entity: str) -> str:
        return f"dataset-manifests/v{DATASET_VERSION}/{_entity_id(entity)}.json"

    def refresh(self, entity: str, fresh: Report | None = None) -> list[str]:
        """Bring ``entity``'s dataset files up to date: write those whose rows changed, delete those
        no longer backed. The keys written."""
        versions_of: dict[tuple[int, str], list[VersionRecord]] = {}
        heads: list[ReportHead] = []
        for head in self.table.list_reports(entity):
            versions = self.table.list_versions(entity, head.review_year, head.doc_type)
            versions_of[(head.review_year, head.doc_type.value)] = versions
            if any(v.version == head.latest_version for v in versions):
                heads.append(head)
        # A report whose every version is withdrawn (its files deleted) keeps only its versions'
        # rows, and makes no commitments for the next year's report to be judged on.
        live = [
            h for h in heads if any(not v.withdrawn for v in versions_of[(h.review_year, h.doc_type.value)])
        ]
        comparisons: dict[tuple[str, int], tuple[Comparison, VersionRecord | None]] = {}
        runs: dict[tuple[str, int], list[int]] = {}
        for year in sorted({h.review_year for h in live}):
            with contextlib.suppress(NotFound):
                earlier_head, later_head = self.yoy.pair(entity, year, live)
                result = self.yoy.comparison(entity, year, live)
                earlier = self.table.get_version(
                    entity, earlier_head.review_year, earlier_head.doc_type, earlier_head.latest_version
                )
                comparisons[(later_head.doc_type.value, year)] = (result, earlier)
                for p in result.problems:
                    upto = runs.get((p.heading, year - 1), [year - 1])
                    if p.status == ProblemStatus.RECURRING and p.later is not None:
                        runs[(problem_heading(p.later.text) or p.heading, year)] = [*upto, year]
        fresh_sha = hashlib.sha256(fresh.text.encode("utf-8")).hexdigest() if fresh is not None else None
        manifest = self.manifest_key(entity)
        try:
            kept = self.archive.get_json(manifest)
        except NotFound:
            kept = {}
        before = [str(k) for k in kept.get("keys", [])]
        # Most files of an entity do not change when one of its reports does: a file is written
        # only when its rows differ from those it was written from (their digest is in the manifest).
        digests: dict[str, str] = {str(k): str(v) for k, v in (kept.get("digests") or {}).items()}
        written: list[str] = []
        changed: list[str] = []
        for head in heads:
            versions = versions_of[(head.review_year, head.doc_type.value)]
            tables = BUILDERS if head in live else {"versions": BUILDERS["versions"]}
            _, key = latest_keys(self.table, head)
            reading = (
                fresh
                if fresh is not None and head.latest_clean_sha256 == fresh_sha
                else Report.model_validate(self.archive.get_json(key))
            )
            comparison, earlier = comparisons.get((head.doc_type.value, head.review_year), (None, None))
            facts = ReportFacts(head, versions, reading, comparison, earlier, runs)
            for name, build in tables.items():
                rows = build(facts)
                if not rows:
                    continue
                path = f"{PREFIX}{name}/review_year={head.review_year}/level={facts.level}/{report_id(head)}.parquet"
                digest = rows_digest(name, rows)
                written.append(path)
                if digests.get(path) == digest and path in before:
                    continue
                self.archive.put_bytes(path, to_parquet(name, rows), PARQUET)
                digests[path] = digest
                changed.append(path)
        stale = sorted(set(before) - set(written))
        if stale:
            self.archive.delete(stale)
        if changed or stale or not kept:
            self.archive.put_json(
                manifest,
                {
                    "entity": entity,
                    "dataset_version": DATASET_VERSION,
                    "keys": written,
                    "digests": {k: digests[k] for k in written},
                },
            )
        return changed

    def page(self, limit: int, cursor: str | None, table: str | None = None) -> DatasetPage:
        """The dataset's files, a page at a time, each with a signed URL; and every table's columns."""
        if table is not None and table not in TABLES:
            raise InvalidRequest(f"no table {table!r}: the tables are {', '.join(TABLES)}")
        prefix = PREFIX + (f"{table}/" if table else "")
        after = _key_after(cursor, prefix)
        items, last = self.archive.list_page(prefix, limit, after)
        files = [
            DatasetFile(
                key=o["Key"][len(PREFIX) :],
                table=o["Key"][len(PREFIX) :].split("/", 1)[0],
                size=int(o["Size"]),
                etag=str(o["ETag"]).strip('"'),
                url=self.archive.signed_get(o["Key"]),
            )
            for o in items
            if o["Key"].endswith(".parquet")
        ]
        return DatasetPage(
            dataset_version=DATASET_VERSION,
            tables={
                name: [DatasetColumn(name=c.name, type=c.type, doc=c.doc) for c in columns(name)]
                for name in TABLES
            },
            files=files,
            next_cursor=pack(last) if last else None,
        )

    def download(self, target: Path) -> int:
        """Copy the dataset's Parquet files under ``target`` (same layout); how many."""
        count = 0
        for key in self.archive.list_keys(PREFIX):
            if not key.endswith(".parquet"):
                continue
            path = target / key[len(PREFIX) :]
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(self.archive.get_bytes(key))
            count += 1
        return count
