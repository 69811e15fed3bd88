"""Rows of the dataset from what the archive holds about one report. Pure: no AWS here."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from report_tracker.dataset.schema import DATASET_VERSION, LEVELS, TABLES
from report_tracker.models.archive import ReportHead, VersionRecord
from report_tracker.models.report import Report, SectionKind
from report_tracker.models.tracking import Comparison, ProblemStatus
from report_tracker.tracking.figure_checks import figure_context
from report_tracker.tracking.signatures import masked
from report_tracker.understanding.figures import figures_of

Row = dict[str, Any]


@dataclass
class ReportFacts:
    """One report as the archive holds it: its head, versions, latest reading, and the
    comparison in which it is the later report (its review of plan year = its review year)."""

    head: ReportHead
    versions: list[VersionRecord]
    reading: Report
    comparison: Comparison | None = None
    earlier: VersionRecord | None = None  # the version of the report that made the commitments
    # (problem heading, review year that names it) -> the years in a row it was named, up to then
    runs: dict[tuple[str, int], list[int]] = field(default_factory=dict)

    @property
    def latest(self) -> VersionRecord:
        return next(v for v in self.versions if v.version == self.head.latest_version)

    @property
    def level(self) -> str:
        level = self.reading.level or "unknown"
        return level if level in LEVELS else "unknown"


_PROVINCIAL = re.compile(r"(?:省|自治区|北京市|天津市|上海市|重庆市|特别行政区)$")


def province(entity: str, level: str | None, region: list[str]) -> str | None:
    if level == "province":
        return entity
    first = region[0] if region else ""
    return first if _PROVINCIAL.search(first) else None


def _who(facts: ReportFacts) -> Row:
    return {
        "entity": facts.head.entity,
        "region": list(facts.reading.region),
        "province": province(facts.head.entity, facts.reading.level, facts.reading.region),
        "doc_type": facts.head.doc_type.value,
        "review_year": facts.head.review_year,
        "level": facts.level,
    }


def _provenance(version: VersionRecord) -> Row:
    return {
        "version": version.version,
        "raw_key": version.raw.key,
        "raw_sha256": version.raw_sha256,
        "clean_sha256": version.clean_sha256,
        "parser_version": version.parser_version,
        "dataset_version": DATASET_VERSION,
    }


def _compared(facts: ReportFacts) -> Row:
    comparison, earlier = facts.comparison, facts.earlier
    assert comparison is not None
    return {
        "plan_year": comparison.plan_year,
        "earlier_version": earlier.version if earlier else comparison.earlier_version,
        "earlier_raw_key": earlier.raw.key if earlier else None,
        "earlier_raw_sha256": earlier.raw_sha256 if earlier else None,
        "method_version": comparison.method_version,
    }


def report_rows(facts: ReportFacts) -> list[Row]:
    r = facts.reading
    return [
        {
            **_who(facts),
            "plan_year": facts.head.plan_year,
            "title": facts.head.title or r.title,
            "published": r.published,
            "publisher": r.publisher,
            "source_format": r.source_format,
            "encoding": r.encoding,
            "version_count": facts.head.version_count,
            "chars": len(r.text),
            "recycled_share": facts.comparison.reuse.share if facts.comparison else None,
            **_provenance(facts.latest),
        }
    ]


def version_rows(facts: ReportFacts) -> list[Row]:
    return [
        {
            **_who(facts),
            "uploaded_at": v.uploaded_at,
            "uploader": v.uploader,
            "raw_version_id": v.raw.version_id,
            "technical": v.technical,
            "withdrawn": v.withdrawn,
            "title": v.title,
            "chars": v.chars,
            "latest": v.version == facts.head.latest_version,
            **_provenance(v),
        }
        for v in sorted(facts.versions, key=lambda v: v.version)
    ]


def commitment_rows(facts: ReportFacts) -> list[Row]:
    if facts.comparison is None:
        return []
    base = {**_who(facts), **_compared(facts), **_provenance(facts.latest)}
    rows = []
    for c in facts.comparison.commitments:
        best = c.evidence[0] if c.evidence else None
        rows.append(
            {
                **base,
                "heading": c.heading,
                "text": c.text,
                "section": c.section,
                "status": c.status.value,
                "confidence": c.confidence,
                "reason": c.reason,
                "evidence_text": best.text if best else None,
                "evidence_start": best.start if best else None,
                "evidence_end": best.end if best else None,
                "evidence_link": best.link if best else None,
                "evidence_count": len(c.evidence),
            }
        )
    return rows


def target_rows(facts: ReportFacts) -> list[Row]:
    if facts.comparison is None:
        return []
    base = {**_who(facts), **_compared(facts), **_provenance(facts.latest)}
    return [
        {
            **base,
            "commitment": c.heading,
            "planned": f.planned,
            "planned_value": f.planned_value,
            "unit": f.unit,
            "direction": f.direction,
            "reported": f.reported,
            "reported_value": f.reported_value,
            "met": f.met,
        }
        for c in facts.comparison.commitments
        for f in c.figures
    ]


def figure_rows(facts: ReportFacts) -> list[Row]:
    r = facts.reading
    base = {**_who(facts), **_provenance(facts.latest)}
    spans = [(s.start, s.end, s.kind) for s in r.sections]
    rows = []
    for f in figures_of(r):
        kind = next((k for a, b, k in spans if a <= f.start < b), SectionKind.OTHER)
        rows.append(
            {
                **base,
                "section_kind": kind.value,
                "role": "planned" if kind == SectionKind.PLANS else "reported",
                "context": figure_context(r.text, f.start),
                "figure": f.text,
                "number": f.number,
                "value": f.value,
                "unit": f.unit,
                "qualifier": f.qualifier,
                "upper": f.upper,
                "start_offset": f.start,
                "end_offset": f.end,
            }
        )
    return rows


def problem_rows(facts: ReportFacts) -> list[Row]:
    """The problems the earlier report named, judged against this one (filed with this one)."""
    if facts.comparison is None:
        return []
    base = {**_who(facts), **_compared(facts), **_provenance(facts.latest)}
    plan_year = facts.comparison.plan_year or facts.head.review_year
    rows = []
    for p in facts.comparison.problems:
        listed = plan_year - 1
        run = facts.runs.get((p.heading, listed), [listed])
        if p.status == ProblemStatus.RECURRING:
            run = [*run, plan_year]
        later = p.later
        rows.append(
            {
                **base,
                "listed_year": listed,
                "heading": p.heading,
                "text": p.text,
                "status": p.status.value,
                "similarity": p.similarity,
                "evidence_text": later.text if later else None,
                "evidence_start": later.start if later else None,
                "evidence_end": later.end if later else None,
                "evidence_link": later.link if later else None,
                "run_years": run,
                "run_length": len(run),
            }
        )
    return rows


_SENTENCE = re.compile(r"[^。；！？\n]{15,}[。；！？]?")
MIN_SENTENCE = 15


def fingerprint(sentence: str, entity: str) -> str:
    """Equal for the same sentence in two reports whatever their figures and own names
    (a county template filled in by each township: 我镇/青石镇 共开展12场 = 共开展9场)."""
    return hashlib.blake2b(masked(sentence, entity).encode("utf-8"), digest_size=10).hexdigest()


def sentence_rows(facts: ReportFacts) -> list[Row]:
    r = facts.reading
    base = {**_who(facts), **_provenance(facts.latest)}
    rows = []
    for m in _SENTENCE.finditer(r.text):
        text = m.group(0).strip()
        if len(text) < MIN_SENTENCE:
            continue
        rows.append(
            {
                **base,
                "fingerprint": fingerprint(text, facts.head.entity),
                "sentence": text,
                "start_offset": m.start() + (len(m.group(0)) - len(m.group(0).lstrip())),
                "chars": len(text),
            }
        )
    return rows


def text_rows(facts: ReportFacts) -> list[Row]:
    r = facts.reading
    return [
        {
            **_who(facts),
            "title": facts.head.title or r.title,
            "text": r.text,
            "chars": len(r.text),
            **_provenance(facts.latest),
        }
    ]


BUILDERS = {
    "reports": report_rows,
    "versions": version_rows,
    "commitments": commitment_rows,
    "targets": target_rows,
    "figures": figure_rows,
    "problems": problem_rows,
    "sentences": sentence_rows,
    "texts": text_rows,
}


def rows_digest(table: str, rows: list[Row]) -> str:
    """What a file is written from, in one digest: its table's columns and its rows."""
    columns = [c.name for c in TABLES[table]]
    body = json.dumps([columns, rows], ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()
