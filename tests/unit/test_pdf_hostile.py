"""Hostile PDFs fail fast, as permanent errors, inside the extraction subprocess."""

from __future__ import annotations

import time
import zlib

import pytest

from report_tracker.errors import PermanentError
from report_tracker.models.report import UploadHints
from report_tracker.parse import read_report


def _pdf(content: bytes, *, filtered: bool) -> bytes:
    """A one-page PDF whose page content stream is ``content`` (xref left for the reader to rebuild)."""
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    filt = b" /Filter /FlateDecode" if filtered else b""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(content)).encode() + filt + b" >>\nstream\n" + content + b"\nendstream",
        font,
    ]
    out = b"%PDF-1.7\n"
    for n, body in enumerate(objects, start=1):
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    return out + b"trailer\n<< /Root 1 0 R /Size 6 >>\n%%EOF\n"


def _deflate_zeros(megabytes: int) -> bytes:
    packer = zlib.compressobj(9)
    chunk = b"\0" * (1024 * 1024)
    return b"".join(packer.compress(chunk) for _ in range(megabytes)) + packer.flush()


def test_flate_bomb_fails_fast() -> None:
    bomb = _pdf(_deflate_zeros(300), filtered=True)  # ~300 KB that inflates to 300 MB
    assert len(bomb) < 3 * 1024 * 1024
    start = time.monotonic()
    with pytest.raises(PermanentError):
        read_report(bomb, UploadHints(filename="bomb.pdf"), pdf_timeout=20)
    assert time.monotonic() - start < 25


def test_endless_content_stream_fails_fast() -> None:
    # pypdf stops it at its decompression limit; a slower stream would meet our subprocess time limit.
    endless = zlib.compress(b"BT /F1 12 Tf 10 10 Td (a) Tj ET\n" * 3_000_000, 9)
    start = time.monotonic()
    with pytest.raises(PermanentError, match=r"longer than|could not be read"):
        read_report(_pdf(endless, filtered=True), UploadHints(filename="endless.pdf"), pdf_timeout=3)
    assert time.monotonic() - start < 10


def test_broken_xref_is_rebuilt_or_refused_never_a_crash() -> None:
    text = b"BT /F1 12 Tf 72 700 Td (Township report 2024) Tj ET"
    broken = _pdf(text, filtered=False).replace(b"trailer", b"xref\n0 6\nGARBAGE\ntrailer")
    try:
        report = read_report(broken, UploadHints(filename="broken.pdf", entity="test", year=2024))
    except PermanentError:
        return
    assert report.source_format == "pdf"
