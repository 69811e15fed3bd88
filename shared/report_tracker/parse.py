"""The reading pipeline: bytes + upload hints -> Report. Pure: no AWS, no I/O."""

from __future__ import annotations

import re
from urllib.parse import unquote

from report_tracker.errors import EmptyDocument
from report_tracker.models.report import DocType, Report, ReportStatus, SectionKind, UploadHints
from report_tracker.reading.clean import clean_text
from report_tracker.reading.formats import extract
from report_tracker.understanding.figures import MAX_FIGURES, extract_figures
from report_tracker.understanding.metadata import read_metadata
from report_tracker.understanding.structure import sections_from_tree

_PLACEHOLDER = re.compile(
    r"(?<=[\u4e00-\u9fff“（《])[_＿]+|[_＿]+(?=[\u4e00-\u9fff”）》])"
    r"|[*＊]+\s*(?=[%次场处个件人名起项家期批所条份元万])"
)
SHORT_BODY_CHARS = 300


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
    sections = sections_from_tree(cleaned.text, cleaned.title_lines, figures)
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

    sources = dict(meta.sources)
    if hints.entity:
        meta.entity, sources["entity"] = hints.entity, "hint"
    if hints.region:
        meta.region, sources["region"] = hints.region, "hint"
    if hints.doc_type:
        meta.doc_type, sources["doc_type"] = hints.doc_type, "hint"
    if hints.year:
        shift = (meta.plan_year - meta.review_year) if meta.plan_year and meta.review_year else 1
        meta.review_year, meta.plan_year = hints.year, hints.year + shift
        sources["review_year"] = "hint"

    status, reason = ReportStatus.OK, None
    missing = [name for name, value in (("entity", meta.entity), ("year", meta.review_year)) if not value]
    if missing:
        status = ReportStatus.NEEDS_METADATA
        reason = f"could not determine {' and '.join(missing)} from the text; supply it as upload metadata"
        flags.append("needs_metadata")
    return Report(
        status=status,
        status_reason=reason,
        title=meta.title,
        entity=meta.entity,
        region=meta.region,
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


_KEY_HINT = re.compile(r"^(?:inbox/)?(?P<entity>[^/]+)/(?P<year>(?:19|20)\d{2})/(?P<file>.+)$")


def hints_from_key(key: str, metadata: dict[str, str] | None = None) -> UploadHints:
    """Upload hints from an S3 key (``inbox/<entity>/<year>/<file>``) and object metadata.

    Object metadata wins over the key. Values may be percent-encoded (S3 metadata is ASCII
    on the wire, so clients often send ``%E6%88%BF...``).
    """
    meta = {k.lower(): unquote(v).strip() for k, v in (metadata or {}).items() if v}
    hints = UploadHints(filename=key.rsplit("/", 1)[-1])
    m = _KEY_HINT.match(key)
    if m:
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
