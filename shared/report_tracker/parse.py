"""The reading pipeline: bytes + upload hints -> Report. Pure: no AWS, no I/O."""

from __future__ import annotations

import re
from urllib.parse import unquote

from report_tracker.errors import DocumentTooLarge, EmptyDocument, UnreadableText
from report_tracker.models.report import DocType, Report, ReportStatus, Section, SectionKind, UploadHints
from report_tracker.reading.clean import CJK_CHAR, clean_text
from report_tracker.reading.formats import MAX_TEXT_CHARS, extract
from report_tracker.understanding.figures import MAX_FIGURES, extract_figures
from report_tracker.understanding.gazetteer import gazetteer
from report_tracker.understanding.identity import resolve
from report_tracker.understanding.metadata import GWR_HEAD, Metadata, read_metadata, title_year_offsets
from report_tracker.understanding.names import InvalidName, clean_entity_name
from report_tracker.understanding.structure import sections_from_tree

_PLACEHOLDER = re.compile(
    r"(?<=[\u4e00-\u9fff“（《])[_＿]+|[_＿]+(?=[\u4e00-\u9fff”）》])"
    r"|[*＊]+\s*(?=[%次场处个件人名起项家期批所条份元万])"
)
SHORT_BODY_CHARS = 300


def prepare() -> None:
    """Build the reading's shared tables now: a function calls it while Lambda initialises it
    (full CPU, before any message waits) rather than on its first upload."""
    gazetteer()


def read_report(data: bytes, hints: UploadHints | None = None, *, pdf_timeout: float = 30.0) -> Report:
    """Read one uploaded file. Raises a ``PermanentError`` subclass for unreadable input."""
    hints = hints or UploadHints()
    extracted = extract(data, hints.filename, pdf_timeout=pdf_timeout)
    if extracted.needs_ocr:
        return Report(
            status=ReportStatus.NEEDS_OCR,
            status_reason="the PDF has no text layer (a scan): it needs OCR before it can be read",
            source_format="pdf",
            flags=["needs_ocr"],
            text="",
            original="",
            entity=hints.entity,
            review_year=hints.year,
        )
    if not extracted.text.strip():
        raise EmptyDocument("the document has no readable text")
    if len(extracted.text) > MAX_TEXT_CHARS:
        raise DocumentTooLarge(
            f"the document holds {len(extracted.text):,} characters of text, more than the {MAX_TEXT_CHARS:,} "
            "one report can hold (the longest real report is about 100,000): split it, or upload the report alone"
        )
    check_readable(extracted.text)
    return read_text(extracted.text, hints, source_format=extracted.source_format, encoding=extracted.encoding,
                     extra_flags=extracted.flags, table=extracted.metadata)  # fmt: skip


def read_text(
    raw: str,
    hints: UploadHints | None = None,
    *,
    source_format: str = "txt",
    encoding: str | None = None,
    extra_flags: list[str] | None = None,
    table: dict[str, str] | None = None,
) -> Report:
    """Read already-decoded text (the part of the pipeline after format extraction)."""
    hints = hints or UploadHints()
    cleaned = clean_text(raw, source_format=source_format)
    if not cleaned.text.strip():
        raise EmptyDocument("the document has no readable text after cleaning")
    metadata_table = {**(table or {}), **cleaned.metadata}
    figures = extract_figures(cleaned.text)
    speech = bool(GWR_HEAD.search(cleaned.text[:1500]))
    sections = sections_from_tree(cleaned.text, cleaned.title_lines, figures, speech=speech)
    meta = read_metadata(cleaned.text, cleaned.title_lines, metadata_table, sections, hints.filename)

    flags = list(dict.fromkeys([*(extra_flags or []), *cleaned.flags]))
    if len(figures) >= MAX_FIGURES:
        flags.append("figures_capped")
    if _PLACEHOLDER.search(cleaned.text):
        flags.append("placeholders")
    body_chars = sum(s.end - s.start for s in sections if s.kind != SectionKind.OTHER)
    if body_chars < SHORT_BODY_CHARS:
        flags.append("short_body")
    if not any(s.kind != SectionKind.OTHER for s in sections):
        flags.append("no_structure")

    missing = _missing_parts(meta, sections)
    flags.extend(f"no_{part}" for part in missing)
    status, reason = _apply_hints(meta, hints)
    if status == ReportStatus.NEEDS_METADATA:
        flags.append("needs_metadata")
    elif status == ReportStatus.IDENTITY_CONFLICT:
        flags.append("identity_conflict")
    sources = meta.sources
    return Report(
        status=status,
        status_reason=reason,
        title=meta.title,
        entity=meta.entity,
        level=meta.level,
        region=meta.region,
        identity_candidates=meta.identity.candidates if status != ReportStatus.OK or not meta.entity else [],
        missing=missing,
        doc_type=meta.doc_type,
        review_year=meta.review_year,
        plan_year=meta.plan_year,
        published=meta.published,
        publisher=meta.publisher,
        index_no=meta.index_no,
        source_format=source_format,
        encoding=encoding,
        flags=flags,
        metadata_sources=sources,
        outline=cleaned.outline,
        sections=sections,
        text=cleaned.text,
        original=raw,
        offset_map=cleaned.offset_map,
    )


_CJK = re.compile(f"[{CJK_CHAR}]")
_PROSE_PUNCT = re.compile("[，。、；：]")
MIN_PROSE_CHARS = 200


def check_readable(text: str) -> None:
    """Refuse bytes that are not a report: too little Chinese, or Chinese characters without prose.

    Random bytes and mojibake decode to CJK characters too, but almost never to the commas and
    full stops that real prose carries every ten to twenty characters.
    """
    cjk = len(_CJK.findall(text))
    punct = len(_PROSE_PUNCT.findall(text))
    visible = sum(1 for ch in text if not ch.isspace())
    if cjk < MIN_PROSE_CHARS:
        raise UnreadableText(
            f"the file holds {cjk} Chinese characters, fewer than the {MIN_PROSE_CHARS} of prose a report has: "
            "it is not a report, or its text could not be decoded"
        )
    if punct * 60 < cjk or cjk * 2 < visible:
        raise UnreadableText(
            f"the file decodes to {cjk} Chinese characters of {visible} but almost no Chinese punctuation "
            f"({punct}): it is binary data or text in an encoding that could not be recognised, not a report"
        )


_PART_CUES = {
    "plans": "no section of plans or targets (计划, 工作思路, 目标任务, 重点工作, 下一步) was found",
    "review": "no review of the year's work (工作回顾, 主要举措, 工作情况, 成效) was found",
    "problems": "no section naming problems or shortcomings (存在的问题, 不足, 困难和挑战) was found",
}


def _missing_parts(meta: Metadata, sections: list[Section]) -> dict[str, str]:
    """The parts this genre is expected to hold that the reading did not find, with why."""
    kinds = {s.kind for s in sections if s.items or s.end - s.start > 40}
    if meta.doc_type == DocType.DEMONSTRATION_TOWNSHIP:
        return {}
    out: dict[str, str] = {}
    if SectionKind.PLANS not in kinds or not any(s.items for s in sections if s.kind == SectionKind.PLANS):
        out["plans"] = _PART_CUES["plans"]
    if not kinds & {SectionKind.MEASURES, SectionKind.RESPONSIBILITY}:
        out["review"] = _PART_CUES["review"]
    if SectionKind.PROBLEMS not in kinds:
        out["problems"] = _PART_CUES["problems"]
    return out


def _same_government(hinted: str, read: str) -> bool:
    if hinted == read:
        return True
    return any(d.name == read for d in gazetteer().lookup(hinted))


def _apply_hints(meta: Metadata, hints: UploadHints) -> tuple[ReportStatus, str | None]:
    """Merge what the uploader said with what the text says: the uploader wins, unless the text
    clearly names another government or year; then both are held for a person to confirm."""
    sources = meta.sources
    conflicts: list[str] = []
    if hints.entity:
        try:
            entity = clean_entity_name(hints.entity)
        except InvalidName as exc:
            return ReportStatus.NEEDS_METADATA, f"the entity name given is not usable: {exc}"
        named = resolve(entity)
        if (
            named
            and named.level != "town"
            and named.entity != entity
            and entity in {d.short for d in gazetteer().lookup(entity)}
        ):
            entity = named.entity  # 宁夏 -> 宁夏回族自治区: one government, one name
        clearly = sources.get("entity") not in {None, "body"}  # a place counted in the body is no clear name
        if meta.entity and clearly and not _same_government(entity, meta.entity):
            conflicts.append(
                f"the upload names {entity}, the text names {meta.entity} ({sources.get('entity')})"
            )
        meta.entity, sources["entity"] = entity, "hint"
        if named and named.entity == entity:
            meta.level, meta.region = named.level, named.region or meta.region
    if hints.region:
        meta.region, sources["region"] = hints.region, "hint"
    if hints.doc_type:
        meta.doc_type, sources["doc_type"] = hints.doc_type, "hint"
    if hints.year:
        review_offset, plan_offset = title_year_offsets(meta.doc_type)
        review, plan = hints.year + review_offset, hints.year + plan_offset
        if (
            meta.review_year is not None
            and meta.review_year != review
            and sources.get("review_year") != "hint"
        ):
            conflicts.append(
                f"the upload gives the year {hints.year} (review {review}, plan {plan}), the text reviews "
                f"{meta.review_year} and plans {meta.plan_year} ({sources.get('review_year')})"
            )
        meta.review_year, meta.plan_year = review, plan
        sources["review_year"] = sources["plan_year"] = "hint"
    if conflicts and not hints.confirmed:
        return ReportStatus.IDENTITY_CONFLICT, "; ".join(
            conflicts
        ) + ": confirm which is right before it is filed"
    missing = [name for name, value in (("entity", meta.entity), ("year", meta.review_year)) if not value]
    if missing:
        why = meta.identity.reason if "entity" in missing and meta.identity.reason else None
        reason = f"could not determine {' and '.join(missing)} from the text"
        reason += f" ({why})" if why else ""
        return ReportStatus.NEEDS_METADATA, reason + "; supply it as upload metadata"
    return ReportStatus.OK, None


# Folder names that organise uploads but name no government (inbox/2024/x.txt, uploads/2024/...).
_NOT_ENTITY_FOLDERS = {"inbox", "uploads", "upload", "reports", "raw", "files", "tmp", "incoming", "new"}
_KEY_HINT = re.compile(r"^(?:inbox/)?(?P<entity>[^/]+)/(?P<year>(?:19|20)\d{2})/(?P<file>.+)$")


def hints_from_key(key: str, metadata: dict[str, str] | None = None) -> UploadHints:
    """Upload hints from an S3 key (``inbox/<entity>/<year>/<file>``) and object metadata.

    Object metadata wins over the key. Values may be percent-encoded (S3 metadata is ASCII
    on the wire, so clients often send ``%E6%88%BF...``).
    """
    meta = {k.lower(): unquote(v).strip() for k, v in (metadata or {}).items() if v}
    hints = UploadHints(filename=key.rsplit("/", 1)[-1])
    m = _KEY_HINT.match(key)
    if m and m.group("entity").lower() not in _NOT_ENTITY_FOLDERS:
        hints.entity = m.group("entity")
        hints.year = int(m.group("year"))
    if meta.get("entity"):
        hints.entity = meta["entity"]
    if meta.get("year", "").isdigit():
        hints.year = int(meta["year"])
    if meta.get("region"):
        hints.region = [p for p in re.split(r"[/>,，、\s]+", meta["region"]) if p]
    doc_type = meta.get("doc-type") or meta.get("doc_type")
    if doc_type in {d.value for d in DocType}:
        hints.doc_type = DocType(doc_type)
    return hints
