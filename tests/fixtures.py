"""Generate other formats of a text report, as users really upload them."""

from __future__ import annotations

import html
import io


def to_html(text: str) -> bytes:
    """A government-site page: navigation, a metadata table, the article body, a footer."""
    meta_rows = [ln for ln in text.splitlines() if ln.count("|") >= 2 and ":" in ln.split("|")[0]]
    body = [ln for ln in text.splitlines() if ln not in meta_rows and not set(ln) <= set("-| ")]
    table = "".join(
        "<tr>" + "".join(f"<td>{html.escape(c.strip())}</td>" for c in row.split("|") if c.strip()) + "</tr>"
        for row in meta_rows
    )
    paragraphs = "".join(f"<p>{html.escape(ln)}</p>" for ln in body)
    page = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>门户网站</title>"
        "<script>var x = '<p>not text</p>';</script></head><body>"
        "<div class='nav'><a href='/'>首页</a> <a href='/gk'>政务公开</a></div>"
        f"<table class='meta'>{table}</table>"
        f"<div id='zoom' class='article-content'>{paragraphs}</div>"
        "<div class='footer'>主办单位：某某人民政府 网站标识码 1234</div></body></html>"
    )
    return page.encode("utf-8")


def to_docx(text: str) -> bytes:
    import docx

    document = docx.Document()
    for line in text.splitlines():
        cells = [c.strip() for c in line.split("|")]
        if line.count("|") >= 2 and ":" in cells[0]:
            row_cells = [c for c in cells if c]
            table = document.add_table(rows=1, cols=len(row_cells))
            for cell, value in zip(table.rows[0].cells, row_cells, strict=True):
                cell.text = value
        elif not set(line) <= set("-| "):
            document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _wrap(line: str, width: int) -> list[str]:
    out: list[str] = []
    current = ""
    for ch in line:
        if _width(current + ch) > width:
            out.append(current)
            current = ""
        current += ch
    if current:
        out.append(current)
    return out


def to_pdf(text: str, *, width: int = 60, lines_per_page: int = 40) -> bytes:
    """A PDF with a text layer: lines hard-wrapped at the page width, paragraphs indented,
    a page number footer (- N -) on every page."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    rows: list[str] = []
    previous = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or set(line) <= set("-| "):
            continue
        if "|" in line:
            rows.append(line)
            continue
        # A line the source itself hard-wrapped mid-sentence continues its paragraph;
        # anything else starts a new, indented one.
        continues = bool(previous) and previous[-1] not in "。；：！？”）" and "。" in previous
        rows.extend(_wrap(line if continues else "\u3000\u3000" + line, width))
        previous = line
    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    for page_no, start in enumerate(range(0, len(rows), lines_per_page), start=1):
        pdf.setFont("STSong-Light", 10)
        y = 800
        for row in rows[start : start + lines_per_page]:
            pdf.drawString(40, y, row)
            y -= 18
        pdf.drawString(280, 30, f"- {page_no} -")
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def blank_pdf() -> bytes:
    """A scan: a page with no text layer."""
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    pdf.rect(50, 50, 400, 600, fill=1)
    pdf.showPage()
    pdf.save()
    return out.getvalue()
