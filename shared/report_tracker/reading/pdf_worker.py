"""Reads a PDF from stdin in a separate process and prints its pages' text as JSON.

Run by ``formats.extract_pdf`` with a memory limit so that a decompression bomb or an
endless content stream kills this process, not the ingest function.
"""

from __future__ import annotations

import io
import json
import sys


def _page_text(page: object) -> str:
    # Layout mode keeps each line's horizontal position, so a paragraph's indented first
    # line stays visible; plain mode is the fallback for pages layout mode cannot place.
    try:
        text: str = page.extract_text(extraction_mode="layout")  # type: ignore[attr-defined]
    except Exception:  # pypdf raises assorted errors on odd layouts
        text = page.extract_text() or ""  # type: ignore[attr-defined]
    return text


def main() -> None:
    if len(sys.argv) > 1:
        import resource  # noqa: PLC0415 - POSIX only, and only here

        limit = int(sys.argv[1])
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    import pypdf  # noqa: PLC0415

    data = sys.stdin.buffer.read()
    reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
    pages = [_page_text(page) for page in reader.pages]
    sys.stdout.write(json.dumps({"pages": pages}, ensure_ascii=False))


if __name__ == "__main__":
    main()
