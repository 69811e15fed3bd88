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
import zlib
from dataclasses import dataclass, field

from report_tracker.errors import DocumentTooLarge, UnreadableDocument
from report_tracker.reading.clean import META_LABELS, PAGE_FOOTER
from report_tracker.reading.decode import decode_text

DOCX_MAX_ENTRIES = 2000
DOCX_MAX_UNCOMPRESSED = 100 * 1024 * 1024
DOCX_MAX_RATIO = 200
# A long report is ~100,000 characters: thirty times that is not one report.
MAX_TEXT_CHARS = 3_000_000
DOCX_MAX_ELEMENTS = 3_000_000
# A report's page holds a few thousand elements; lxml builds ~0.3 KB per element, so this bounds
# an HTML tree near 300 MB before it is built.
HTML_MAX_ELEMENTS = 1_000_000
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
_CONTAINERS = {"div", "article", "section", "td", "main"}
_CJK = re.compile(r"[\u3400-\u9fff]")


def _cjk_len(text: str) -> int:
    return len(text) - len(_CJK.sub("", text))


def extract_html(text: str, *, encoding: str | None = None, flags: list[str] | None = None) -> Extracted:
    """Article body and metadata table of a page saved from a government site."""
    import lxml.html  # noqa: PLC0415 - html uploads only

    elements = text.count("<") - text.count("</")  # opening tags (and stray "<"): an upper bound
    if elements > HTML_MAX_ELEMENTS:
        raise DocumentTooLarge(
            f"the HTML page holds about {elements:,} elements, more than the {HTML_MAX_ELEMENTS:,} "
            "a report's page can hold: refused as too large to read"
        )
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
    """The deepest container that still holds most of the page's Chinese text.

    Each element's Chinese count is summed from its children in one pass (reverse document
    order), so a page of deeply nested containers costs time linear in its size.
    """
    body = root.find("body")  # type: ignore[attr-defined]
    if body is None:
        body = root
    order = list(body.iter())
    depth: dict[object, int] = {body: 0}
    for el in order[1:]:
        depth[el] = depth[el.getparent()] + 1
    inside: dict[object, int] = {}
    for el in reversed(order):
        count = _cjk_len(el.text or "") if isinstance(el.tag, str) else 0
        for child in el:
            count += inside.get(child, 0) + _cjk_len(child.tail or "")
        inside[el] = count
    total = inside[body]
    best, best_depth = body, -1
    for el in order:
        if el.tag in _CONTAINERS and inside[el] >= 0.7 * total and depth[el] > best_depth:
            best, best_depth = el, depth[el]
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


def _open_docx(data: bytes) -> tuple[zipfile.ZipFile, zipfile.ZipInfo]:
    """The archive and its main part, refused as a zip bomb before anything is inflated."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
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
    main = next((i for i in infos if i.filename == "word/document.xml"), None)
    if main is None:
        raise UnreadableDocument("the zip archive is not a Word document (no word/document.xml)")
    return archive, main


class _DocxLines:
    """Lines of ``word/document.xml`` built while it streams past: a paragraph per line, a table
    row as ``a | b |``. Only the open branch is held, so memory follows the text it yields, and
    both the text and the number of elements are capped, so time does too."""

    def __init__(self, max_chars: int, max_elements: int) -> None:
        self.lines: list[str] = []
        self.chars = 0
        self.elements = 0
        self.max_chars, self.max_elements = max_chars, max_elements
        self.runs: list[str] = []  # text of the open paragraph
        self.rows: list[list[str]] = []  # open table rows, innermost last
        self.cell: list[list[str]] = []  # paragraphs of the open cells, innermost last

    def end(self, tag: str, element: object) -> None:
        self.elements += 1
        if self.elements > self.max_elements:
            raise DocumentTooLarge(
                f"the .docx document has more than {self.max_elements:,} XML elements: refused as too large to read"
            )
        if tag == "t":
            text = element.text or ""  # type: ignore[attr-defined]
            self.runs.append(text)
            self.chars += len(text)
            if self.chars > self.max_chars:
                raise DocumentTooLarge(
                    f"the .docx document holds more than {self.max_chars:,} characters of text: "
                    "refused as too large for one report"
                )
        elif tag == "p":
            para, self.runs = "".join(self.runs), []
            if self.cell:
                self.cell[-1].append(para)
            else:
                self.lines.append(para)
        elif tag == "tc" and self.cell:
            text = "".join(self.cell.pop()).strip()
            if self.cell:  # a table inside a cell reads as part of the outer cell
                self.cell[-1].append(text)
            elif self.rows:
                self.rows[-1].append(text)
        elif tag == "tr" and self.rows and not self.cell:  # rows of a nested table are cell text
            self.lines.append(" | ".join(self.rows.pop()) + " |")

    def start(self, tag: str) -> None:
        if tag == "tr" and not self.cell:
            self.rows.append([])
        elif tag == "tc":
            self.cell.append([])


def extract_docx(
    data: bytes, *, max_chars: int = MAX_TEXT_CHARS, max_elements: int = DOCX_MAX_ELEMENTS
) -> Extracted:
    """Paragraphs and tables of a Word document, in document order, read as a stream.

    Only ``word/document.xml`` is parsed (styles, relationships and media are never read), with
    defusedxml: a DTD, an entity or an external reference is refused. Every way a damaged
    archive fails (bad CRC, broken deflate, truncated entry) is a permanent, plain reason.
    """
    from xml.etree.ElementTree import ParseError  # noqa: PLC0415 - only its exception type

    import defusedxml.ElementTree as safe_xml  # noqa: PLC0415 - docx uploads only
    from defusedxml import DefusedXmlException  # noqa: PLC0415

    archive, main = _open_docx(data)
    reader = _DocxLines(max_chars, max_elements)
    body: object | None = None
    try:
        with archive.open(main) as part:
            for event, element in safe_xml.iterparse(part, events=("start", "end"), forbid_dtd=True):
                tag = element.tag
                if not tag.startswith(_W):
                    if event == "end":
                        reader.elements += 1
                    continue
                local = tag[len(_W) :]
                if event == "start":
                    if local == "body":
                        body = element
                    reader.start(local)
                    continue
                reader.end(local, element)
                if local in {"p", "tbl"} and body is not None and not reader.cell:
                    body.clear()  # type: ignore[attr-defined]  # what is done is dropped
    except DefusedXmlException as exc:
        raise UnreadableDocument(
            f"the .docx document declares a DTD or entities ({type(exc).__name__}): refused"
        ) from exc
    except ParseError as exc:
        raise UnreadableDocument(f"the .docx document is not well-formed XML: {exc}") from exc
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
        raise UnreadableDocument(f"the .docx file is damaged and cannot be read ({exc})") from exc
    return Extracted("\n".join(reader.lines), "docx", None)


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
