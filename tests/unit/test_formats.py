"""Every format of one seed yields the same clean text; bad files fail with our own errors."""

from __future__ import annotations

import codecs
import io
import zipfile

import pytest

from report_tracker.errors import DocumentTooLarge, PermanentError, ReportTrackerError, UnreadableDocument
from report_tracker.models.report import ReportStatus, UploadHints
from report_tracker.parse import read_report
from report_tracker.reading.formats import detect_format, extract_docx
from tests.conftest import corpus_available, seed_bytes
from tests.fixtures.formats import blank_pdf, to_docx, to_html, to_pdf

pytestmark = pytest.mark.skipif(not corpus_available(), reason="../shared/corpus is not beside this checkout")

SEEDS = ["000_6a3c11ae070e1455.txt", "001_a72cb30ac0344b96.txt", "003_534cad1fc4b87e7d.txt"]


def _gbk_safe(text: str) -> str:
    # GBK has no en space (U+2002); a real GBK file holds a plain space there.
    return "".join(ch if ch.encode("gbk", errors="ignore") or ch == "" else " " for ch in text)


def _encodings(text: str) -> dict[str, bytes]:
    return {
        "utf-8": text.encode("utf-8"),
        "utf-8-bom": codecs.BOM_UTF8 + text.encode("utf-8"),
        "gbk": _gbk_safe(text).encode("gbk", errors="strict"),
        "gb18030": text.encode("gb18030"),
        "utf-16": text.encode("utf-16"),
        "utf-16-be-bom": codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
    }


@pytest.mark.parametrize("name", SEEDS)
def test_every_encoding_reads_the_same(name: str) -> None:
    text = seed_bytes(name).decode("utf-8")
    reference = read_report(seed_bytes(name))
    for encoding, data in _encodings(text).items():
        report = read_report(data)
        assert report.text == reference.text, encoding
        assert report.entity == reference.entity


@pytest.mark.parametrize("name", SEEDS)
@pytest.mark.parametrize("fmt", ["html", "docx", "pdf"])
def test_every_format_reads_the_same(name: str, fmt: str) -> None:
    # Given the same report saved as a web page, a Word file and a PDF
    text = seed_bytes(name).decode("utf-8")
    reference = read_report(seed_bytes(name))
    data = {"html": to_html, "docx": to_docx, "pdf": to_pdf}[fmt](text)
    assert detect_format(data, f"x.{fmt}") == fmt
    # When each is read
    report = read_report(data, UploadHints(filename=f"report.{fmt}"))
    # Then the clean text and the reading are the same as the plain-text file's
    assert report.source_format == fmt
    assert report.text == reference.text
    assert report.entity == reference.entity
    assert [s.kind for s in report.sections] == [s.kind for s in reference.sections]
    assert report.index_no == reference.index_no


def test_html_metadata_table_is_metadata_not_body() -> None:
    text = seed_bytes("000_6a3c11ae070e1455.txt").decode("utf-8")
    report = read_report(to_html(text), UploadHints(filename="a.html"))
    assert report.publisher == "房镇镇人民政府"
    assert report.published == "2025-01-17"
    assert "索引号" not in report.text and "首页" not in report.text and "not text" not in report.text


def test_scanned_pdf_needs_ocr() -> None:
    report = read_report(blank_pdf(), UploadHints(filename="scan.pdf"))
    assert report.status == ReportStatus.NEEDS_OCR
    assert "needs_ocr" in report.flags


def test_broken_files_fail_with_a_clear_error() -> None:
    with pytest.raises(UnreadableDocument, match="zip"):
        read_report(b"PK\x03\x04 not really a zip", UploadHints(filename="a.docx"))
    with pytest.raises(UnreadableDocument, match="PDF"):
        read_report(b"%PDF-1.7\n garbage without xref", UploadHints(filename="a.pdf"))
    with pytest.raises(UnreadableDocument, match=r"\.doc"):
        read_report(b"\xd0\xcf\x11\xe0" + b"\0" * 600, UploadHints(filename="a.doc"))


def tampered_docx(part: str, prolog: bytes) -> bytes:
    """A real .docx whose ``part`` gets ``prolog`` right after its XML declaration."""
    text = seed_bytes("002_e971b7f1bee3facc.txt").decode("utf-8")
    good = zipfile.ZipFile(io.BytesIO(to_docx(text)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as bad:
        for item in good.infolist():
            data = good.read(item.filename)
            if item.filename == part:
                data = data.replace(b"?>", b"?>" + prolog, 1)
            bad.writestr(item, data)
    return out.getvalue()


@pytest.mark.parametrize(
    ("part", "prolog"),
    [
        # external entity (XXE)
        ("word/document.xml", b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'),
        # a DTD pushed past the first 4 KB by comments, where a scan of the head misses it
        (
            "word/document.xml",
            b"<!--" + b"x" * 8000 + b'--><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
        ),
        # billion laughs
        ("word/document.xml", b'<!DOCTYPE r [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'),
    ],
    ids=["xxe", "dtd-after-4k", "billion-laughs"],
)
def test_docx_with_a_dtd_is_refused(part: str, prolog: bytes) -> None:
    with pytest.raises(UnreadableDocument, match="DTD"):
        read_report(tampered_docx(part, prolog), UploadHints(filename="a.docx"))


def test_docx_parts_other_than_the_document_are_never_parsed() -> None:
    """A hostile relationships part is harmless because nothing reads it."""
    laughs = b'<!DOCTYPE r [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    report = read_report(tampered_docx("_rels/.rels", laughs), UploadHints(filename="a.docx"))
    assert report.source_format == "docx" and "法治" in report.text


def test_docx_with_broken_xml_is_refused_clearly() -> None:
    with pytest.raises(UnreadableDocument, match="not well-formed"):
        read_report(tampered_docx("word/document.xml", b"<unclosed"), UploadHints(filename="a.docx"))


def test_docx_zip_bomb_is_refused_before_reading() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("word/document.xml", b"<w/>" + b" " * (50 * 1024 * 1024))
    with pytest.raises(ReportTrackerError, match="zip bomb"):
        read_report(out.getvalue(), UploadHints(filename="bomb.docx"))


@pytest.mark.parametrize("how", ["crc", "deflate", "header", "truncated"])
def test_a_damaged_docx_is_a_permanent_plain_failure(how: str) -> None:
    from tests.fixtures.hostile import corrupt_docx

    good = to_docx(seed_bytes("002_e971b7f1bee3facc.txt").decode("utf-8"))
    with pytest.raises(UnreadableDocument, match=r"\.docx") as caught:
        read_report(corrupt_docx(good, how), UploadHints(filename="a.docx"))
    assert isinstance(caught.value, PermanentError)


def test_a_docx_of_endless_small_paragraphs_is_refused_while_streaming() -> None:
    from tests.fixtures.hostile import docx_of_small_paragraphs

    # 8 MB of XML holds ~400,000 characters: over a cap of 100,000, refused before the end
    data = docx_of_small_paragraphs(8 * 1024 * 1024)
    with pytest.raises(DocumentTooLarge, match="100,000 characters"):
        extract_docx(data, max_chars=100_000)
    with pytest.raises(DocumentTooLarge, match="XML elements"):
        extract_docx(data, max_elements=50_000)


def test_docx_tables_nested_in_cells_read_inside_their_cell() -> None:
    inner = "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>内表</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
    cell = "<w:tc><w:p><w:r><w:t>发布机构：</w:t></w:r></w:p></w:tc>"
    body = (
        "<w:p><w:r><w:t>标题</w:t></w:r></w:p><w:tbl><w:tr>"
        + cell
        + f"<w:tc><w:p><w:r><w:t>某镇</w:t></w:r></w:p>{inner}</w:tc>"
        + "</w:tr></w:tbl><w:p><w:r><w:t>正文</w:t></w:r></w:p>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as docx_zip:
        docx_zip.writestr(
            "word/document.xml",
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body>{body}</w:body></w:document>",
        )
    assert extract_docx(out.getvalue()).text.splitlines() == ["标题", "发布机构： | 某镇内表 |", "正文"]


def test_any_text_past_the_cap_is_refused_as_too_large(monkeypatch: pytest.MonkeyPatch) -> None:
    from report_tracker import parse

    text = seed_bytes("002_e971b7f1bee3facc.txt")
    monkeypatch.setattr(parse, "MAX_TEXT_CHARS", len(text.decode("utf-8")) - 1)
    with pytest.raises(DocumentTooLarge, match="characters of text"):
        read_report(text, UploadHints(filename="a.txt"))


def test_an_html_page_of_too_many_elements_is_refused_before_its_tree_is_built(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from report_tracker.reading import formats

    monkeypatch.setattr(formats, "HTML_MAX_ELEMENTS", 5_000)
    node = "<div><span>法治政府建设</span></div>"
    page = ("<html><body><div>" + node * 3_000 + "</div></body></html>").encode()
    with pytest.raises(DocumentTooLarge, match="elements"):
        read_report(page, UploadHints(filename="page.html"))
    # A page under the cap reads as before
    small = ("<html><body><div>" + node * 100 + "</div></body></html>").encode()
    with pytest.raises(PermanentError) as refused:
        read_report(small, UploadHints(filename="page.html"))
    assert not isinstance(refused.value, DocumentTooLarge)  # read, then found to hold too little prose
