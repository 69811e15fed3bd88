"""Year over year for one entity: which report holds the promises for P, which one reviews P.

Comparisons are stored in the archive bucket keyed by both clean-text hashes (and the
comparison code's version), so an unchanged pair is never recomputed and a new version of
either report simply misses the cache.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from report_tracker.dal.s3 import ArchiveStore
from report_tracker.dal.table import ArchiveTable
from report_tracker.errors import NotFound
from report_tracker.models.archive import ReportHead
from report_tracker.models.report import DOC_TYPE_ORDER, DocType, Report
from report_tracker.models.tracking import (
    Comparison,
    FigureSeries,
    ProblemRun,
    ProblemStatus,
    TargetOutcome,
    Timeline,
    YearEntry,
)
from report_tracker.services.texts import latest_keys
from report_tracker.tracking.compare import METHOD_VERSION, compare


@dataclass(frozen=True)
class FreshVersion:
    """A version ingest has just committed, with its reading still in memory."""

    doc_type: DocType
    review_year: int
    version: int
    report: Report
    clean_sha256: str


class YoyService:
    def __init__(self, table: ArchiveTable, archive: ArchiveStore) -> None:
        self.table = table
        self.archive = archive

    def _latest(self, head: ReportHead, fresh: FreshVersion | None) -> tuple[str, Callable[[], Report]]:
        """The latest version's clean-text hash, and how to get its reading when it is needed.

        The hashes alone key a stored comparison, so a stored pair is served without reading
        either report from the archive.
        """
        if fresh is not None and (head.doc_type, head.review_year, head.latest_version) == (
            fresh.doc_type,
            fresh.review_year,
            fresh.version,
        ):
            return fresh.clean_sha256, lambda: fresh.report
        sha, key = latest_keys(self.table, head)
        return sha, lambda: Report.model_validate(self.archive.get_json(key))

    def pair(
        self, entity: str, year: int, heads: list[ReportHead] | None = None
    ) -> tuple[ReportHead, ReportHead]:
        heads = self.table.list_reports(entity) if heads is None else heads
        if not heads:
            raise NotFound(f"no reports are archived for {entity}")
        rank = {d: i for i, d in enumerate(DOC_TYPE_ORDER)}
        earlier = sorted((h for h in heads if h.plan_year == year), key=lambda h: rank[h.doc_type])
        later = sorted((h for h in heads if h.review_year == year), key=lambda h: rank[h.doc_type])
        if not earlier:
            raise NotFound(f"{entity} has no report with plans for {year} (a report reviewing {year - 1})")
        if not later:
            raise NotFound(
                f"{entity} has no report reviewing {year} yet: the commitments for {year} cannot be checked"
            )
        same_type = [h for h in later if h.doc_type == earlier[0].doc_type]
        return earlier[0], (same_type or later)[0]

    def comparison(
        self,
        entity: str,
        year: int,
        heads: list[ReportHead] | None = None,
        fresh: FreshVersion | None = None,
    ) -> Comparison:
        earlier_head, later_head = self.pair(entity, year, heads)
        sha_a, earlier = self._latest(earlier_head, fresh)
        sha_b, later = self._latest(later_head, fresh)
        key = f"comparisons/v{METHOD_VERSION}/{sha_a}_{sha_b}.json"
        result: Comparison | None = None
        if fresh is None or fresh.clean_sha256 not in (sha_a, sha_b):
            with contextlib.suppress(NotFound):
                result = Comparison.model_validate(self.archive.get_json(key))
        if result is None:
            # A pair holding a just-committed text cannot be stored yet: compute without looking.
            result = compare(earlier(), later())
            self.archive.put_json(key, result.model_dump(mode="json"))
        return _cited(result, entity, earlier_head, later_head)

    def refresh(self, entity: str, fresh: FreshVersion) -> int:
        """After a new version of a report: recompute the pairs it belongs to. Returns how many.

        One listing of the entity's reports serves both pairs, and the new reading is used
        from memory rather than read back from the archive.
        """
        heads = self.table.list_reports(entity)
        done = 0
        for year in (fresh.review_year, fresh.review_year + 1):
            try:
                self.comparison(entity, year, heads, fresh)
                done += 1
            except NotFound:
                continue
        return done

    def timeline(self, entity: str) -> Timeline:
        heads = self.table.list_reports(entity)
        if not heads:
            raise NotFound(f"no reports are archived for {entity}")
        years = sorted({h.review_year for h in heads})
        entries: list[YearEntry] = []
        runs: list[ProblemRun] = []
        series: dict[tuple[str, str], FigureSeries] = {}
        targets: list[TargetOutcome] = []
        for year in years:
            try:
                result = self.comparison(entity, year)
            except NotFound:
                continue
            entries.append(
                YearEntry(
                    plan_year=year,
                    summary=result.summary,
                    commitments=[
                        {"heading": c.heading, "status": c.status.value} for c in result.commitments
                    ],
                )
            )
            for problem in result.problems:
                if problem.status != ProblemStatus.RECURRING:
                    continue
                run = next(
                    (r for r in runs if r.heading == problem.heading and r.years[-1] == year - 1), None
                )
                if run is None:
                    run = ProblemRun(heading=problem.heading, years=[year - 1])
                    runs.append(run)
                run.years.append(year)
                if problem.later is not None:
                    run.heading = problem_heading(problem.later.text) or run.heading
            for change in result.figures:
                key = (change.context, change.unit)
                item = series.setdefault(
                    key, FigureSeries(context=change.context, unit=change.unit, points={})
                )
                item.points.setdefault(year - 1, change.before)
                item.points[year] = change.after
                item.values.setdefault(year - 1, change.before_value)
                item.values[year] = change.after_value
            targets += [
                TargetOutcome(
                    plan_year=year,
                    commitment=c.heading,
                    planned=f.planned,
                    planned_value=f.planned_value,
                    unit=f.unit,
                    direction=f.direction,
                    reported=f.reported,
                    reported_value=f.reported_value,
                    met=f.met,
                )
                for c in result.commitments
                for f in c.figures
            ]
        return Timeline(
            entity=entity,
            years=years,
            commitments=entries,
            problems=runs,
            figures=list(series.values()),
            targets=targets,
        )


def _cited(result: Comparison, entity: str, earlier: ReportHead, later: ReportHead) -> Comparison:
    """Stamp the versions compared, and give every quoted passage a link a person can cite.

    Stored comparisons are keyed by text hashes, so versions are stamped when served.
    """
    result.earlier_version, result.later_version = earlier.latest_version, later.latest_version
    result.later_review_year = later.review_year
    for verdict in result.commitments:
        for evidence in verdict.evidence:
            evidence.version = later.latest_version
            evidence.link = passage_link(
                entity, later.review_year, later.latest_version, evidence.start, evidence.end
            )
    for problem in result.problems:
        if problem.later is not None and not problem.evidence:  # stored before problems had evidence
            problem.evidence = [problem.later]
        for evidence in problem.evidence:
            evidence.version = later.latest_version
            evidence.link = passage_link(
                entity, later.review_year, later.latest_version, evidence.start, evidence.end
            )
        problem.later = problem.evidence[0] if problem.evidence else None
    return result


def passage_link(entity: str, year: int, version: int, start: int, end: int) -> str:
    """The viewer's address of a passage of one version (opens it there, marked)."""
    return f"#/e/{quote(entity, safe='')}/r/{year}/v/{version}/at/{start}-{end}"


def problem_heading(text: str) -> str:
    from report_tracker.understanding.structure import heading_of  # noqa: PLC0415

    head = heading_of(text)
    for marker in ("一是", "二是", "三是", "四是", "五是"):
        head = head.removeprefix(marker)
    return head.lstrip("0123456789.、（）()一二三四五六七八九十")
