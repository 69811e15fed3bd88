"""Document formats: detect the format of an upload and extract its text.

Every extractor returns plain text with one block (paragraph, heading, table row) per line,
plus any metadata table it found, so that the cleaning step sees the same shape whatever
the source format was.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass, field

from report_tracker.errors import DocumentTooLarge, UnreadableDocument
from report_tracker.reading.clean import META_LABELS, PAGE_FOOTER
from report_tracker.reading.decode import decode_text

DOCX_MAX_ENTRIES = 2000
DOCX_MAX_UNCOMPRESSED = 100 * 1024 * 1024
DOCX_MAX_RATIO = 200
PDF_TIMEOUT_SECONDS = 30.0
PDF_MEMORY_LIMIT = 1024 * 1024 * 1024


@dataclass
class Extracted:
    text: str
    source_format: str
    encoding: str | None = None
    flags: list[str] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)
    needs_ocr: bool = False


def detect_format(data: bytes, filename: str | None = None) -> str:
    """Guess the format from magic bytes first, the file name second."""
    head = data[:2048]
    if head.startswith(b"%PDF-") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "doc"
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in head.lower():
        return "html"
    if filename:
        ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
        if ext in {"htm", "html", "shtml"}:
            return "html"
    return "txt"


def extract(
    data: bytes,
    filename: str | None = None,
    *,
    pdf_timeout: float = PDF_TIMEOUT_SECONDS,
) -> Extracted:
    """Extract text from an upload of any supported format."""
    fmt = detect_format(data, filename)
    if fmt == "pdf":
        return extract_pdf(data, timeout=pdf_timeout)
    if fmt == "docx":
        return extract_docx(data)
    if fmt == "doc":
        raise UnreadableDocument(
            "legacy Word .doc files are not supported; save the document as .docx or .pdf and upload again"
        )
    decoded = decode_text(data)
    if fmt == "html":
        return extract_html(decoded.text, encoding=decoded.encoding, flags=decoded.flags)
    return Extracted(decoded.text, "txt", decoded.encoding, list(decoded.flags))


# --- HTML -------------------------------------------------------------------------------

_BLOCK_TAGS = {
    "p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "section",
    "article", "blockquote", "pre", "ul", "ol", "dd", "dt", "center", "td", "th",
}  # fmt: skip
_DROP_TAGS = ["script", "style", "noscript", "nav", "header", "footer", "iframe", "form", "select", "button"]
_CJK = re.compile(r"[\u3400-\u9fff]")


def _cjk_len(text: str) -> int:
    return len(text) - len(_CJK.sub("", text))


def extract_html(text: str, *, encoding: str | None = None, flags: list[str] | None = None) -> Extracted:
    """Article body and metadata table of a page saved from a government site."""
    import lxml.html  # noqa: PLC0415 - html uploads only

    try:
        root = lxml.html.document_fromstring(text)
    except (ValueError, lxml.etree.ParserError) as exc:
        raise UnreadableDocument(f"the HTML page could not be parsed: {exc}") from exc
    for bad in root.iter(*_DROP_TAGS):
        bad.drop_tree()
    metadata: dict[str, str] = {}
    for table in list(root.iter("table")):
        found = _metadata_table(table)
        if found:
            metadata.update(found)
            table.drop_tree()
    body = _best_body(root)
    lines = _html_lines(body)
    title = metadata.get("标题")
    if not title:
        heading = root.find(".//h1")
        page_title = root.find(".//title")
        title_el = heading if heading is not None else page_title
        if title_el is not None and title_el.text_content().strip():
            metadata.setdefault("页面标题", title_el.text_content().strip())
    return Extracted("\n".join(lines), "html", encoding, list(flags or []), metadata)


def _metadata_table(table: object) -> dict[str, str]:
    cells = [c.text_content().strip() for c in table.iter("td", "th")]  # type: ignore[attr-defined]
    labels = [i for i, c in enumerate(cells) if c.rstrip(":：") in META_LABELS]
    if len(labels) < 2:
        return {}
    found: dict[str, str] = {}
    for i in labels:
        label = cells[i].rstrip(":：")
        value = cells[i + 1] if i + 1 < len(cells) else ""
        if value.rstrip(":：") in META_LABELS:
            value = ""
        if value:
            found[label] = value
    return found


def _best_body(root: object) -> object:
    """The deepest container that still holds most of the page's Chinese text."""
    body = root.find("body")  # type: ignore[attr-defined]
    if body is None:
        body = root
    total = _cjk_len(body.text_content())
    best, best_depth = body, -1
    for el in body.iter("div", "article", "section", "td", "main"):
        if _cjk_len(el.text_content()) >= 0.7 * total:
            depth = sum(1 for _ in el.iterancestors())
            if depth > best_depth:
                best, best_depth = el, depth
    return best


def _html_lines(el: object) -> list[str]:
    parts: list[str] = []

    def walk(node: object) -> None:
        tag = getattr(node, "tag", None)
        if not isinstance(tag, str):
            return
        block = tag in _BLOCK_TAGS
        if block:
            parts.append("\n")
        if node.text:  # type: ignore[attr-defined]
            parts.append(node.text)  # type: ignore[attr-defined]
        for child in node:  # type: ignore[attr-defined]
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if tag in {"td", "th"}:
            parts.append(" | ")
        if block:
            parts.append("\n")

    walk(el)
    text = "".join(parts)
    return [line.strip() for line in text.split("\n") if line.strip()]


# --- DOCX -------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _check_zip(data: bytes) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise UnreadableDocument(f"the .docx file is not a valid zip archive: {exc}") from exc
    infos = archive.infolist()
    if len(infos) > DOCX_MAX_ENTRIES:
        raise UnreadableDocument(f"the .docx archive has {len(infos)} entries (limit {DOCX_MAX_ENTRIES})")
    total = sum(i.file_size for i in infos)
    if total > DOCX_MAX_UNCOMPRESSED:
        raise DocumentTooLarge(
            f"the .docx archive expands to {total} bytes (limit {DOCX_MAX_UNCOMPRESSED}): refused as a zip bomb"
        )
    for info in infos:
        if info.file_size > 1024 * 1024 and info.file_size > DOCX_MAX_RATIO * max(info.compress_size, 1):
            raise UnreadableDocument(
                f"the .docx entry {info.filename!r} is compressed {info.file_size // max(info.compress_size, 1)}:1: "
                "refused as a zip bomb"
            )
    names = {i.filename for i in infos}
    if "word/document.xml" not in names:
        raise UnreadableDocument("the zip archive is not a Word document (no word/document.xml)")
    for info in infos:
        if info.filename.endswith((".xml", ".rels")):
            _check_xml_part(archive, info)
    return archive


def _check_xml_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Parse one part with defusedxml before python-docx sees it: no DTD, entities or external refs.

    Streamed (iterparse, elements cleared) so a large part costs no more memory than its
    deepest branch; a DTD anywhere in the prolog is found, not just in its first bytes.
    """
    from xml.etree.ElementTree import ParseError  # noqa: PLC0415 - only its exception type

    import defusedxml.ElementTree as safe_xml  # noqa: PLC0415 - docx uploads only
    from defusedxml import DefusedXmlException  # noqa: PLC0415

    try:
        with archive.open(info) as part:
            for _event, element in safe_xml.iterparse(part, forbid_dtd=True):
                element.clear()
    except DefusedXmlException as exc:
        raise UnreadableDocument(
            f"the .docx part {info.filename!r} declares a DTD or entities ({type(exc).__name__}): refused"
        ) from exc
    except ParseError as exc:
        raise UnreadableDocument(f"the .docx part {info.filename!r} is not well-formed XML: {exc}") from exc


def extract_docx(data: bytes) -> Extracted:
    """Paragraphs and tables of a Word document, in document order."""
    _check_zip(data)
    import docx  # noqa: PLC0415 - docx uploads only

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many unrelated types for corrupt files
        raise UnreadableDocument(f"the .docx file could not be read: {exc}") from exc
    lines: list[str] = []
    for child in document.element.body.iterchildren():
        if child.tag == f"{_W}p":
            lines.append("".join(t.text or "" for t in child.iter(f"{_W}t")))
        elif child.tag == f"{_W}tbl":
            for row in child.iter(f"{_W}tr"):
                cells = [
                    "".join(t.text or "" for t in cell.iter(f"{_W}t")).strip() for cell in row.iter(f"{_W}tc")
                ]
                lines.append(" | ".join(cells) + " |")
    return Extracted("\n".join(lines), "docx", None)


# --- PDF --------------------------------------------------------------------------------


def extract_pdf(data: bytes, *, timeout: float = PDF_TIMEOUT_SECONDS) -> Extracted:
    """Text layer of a PDF, read in a subprocess with a time and memory limit."""
    try:
        proc = subprocess.run(  # noqa: S603 - fixed argv, our own module
            [sys.executable, "-m", "report_tracker.reading.pdf_worker", str(PDF_MEMORY_LIMIT)],
            input=data,
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise UnreadableDocument(f"reading the PDF took longer than {timeout:.0f} s: refused") from exc
    if proc.returncode != 0:
        reason = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["killed"]
        raise UnreadableDocument(f"the PDF could not be read: {reason[0][:300]}")
    pages: list[str] = json.loads(proc.stdout.decode("utf-8"))["pages"]
    text = join_pdf_pages(pages)
    if sum(_cjk_len(p) + len(p) - len(re.sub(r"[A-Za-z0-9]", "", p)) for p in pages) < 20:
        return Extracted("", "pdf", None, ["needs_ocr"], needs_ocr=True)
    return Extracted(text, "pdf", None)


def join_pdf_pages(pages: list[str]) -> str:
    """Drop page numbers and running headers/footers, keep the lines of every page."""
    # Keep leading whitespace: an indented line is how a PDF shows a new paragraph.
    page_lines = [[ln.rstrip() for ln in p.splitlines() if ln.strip()] for p in pages]
    edge_counts: dict[str, int] = {}
    for lines in page_lines:
        for ln in {*lines[:2], *lines[-2:]}:
            edge_counts[ln] = edge_counts.get(ln, 0) + 1
    repeated = {ln for ln, n in edge_counts.items() if n >= 3 and len(pages) >= 3}
    out: list[str] = []
    for lines in page_lines:
        for ln in lines:
            if PAGE_FOOTER.match(ln.strip()) or ln in repeated:
                continue
            out.append(ln)
    return "\n".join(out)
