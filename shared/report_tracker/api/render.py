"""CSV, HTML and Markdown renderings of comparisons and readings. Report text is always escaped."""

from __future__ import annotations

import csv
import io
import re
from html import escape

from report_tracker.api.labels import Language, label, reason_words
from report_tracker.models.api import ReportReading, SearchPage, Snippet
from report_tracker.models.tracking import Comparison, Timeline

STYLE = (
    "<style>body{font-family:'Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Microsoft YaHei',sans-serif;"
    "line-height:1.7;max-width:72em;margin:1em auto;padding:0 1em;color:#222}"
    "table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.4em;vertical-align:top;text-align:left}"
    ".badge{display:inline-block;padding:.1em .5em;border-radius:.8em;font-size:.85em;color:#fff;white-space:nowrap}"
    ".fulfilled{background:#2e7d32}.partial{background:#f9a825;color:#222}.missed{background:#c62828}"
    ".not_reported{background:#616161}.recurring{background:#c62828}.resolved_claimed{background:#2e7d32}"
    ".dropped{background:#616161}blockquote{margin:.2em 0;padding-left:.6em;border-left:3px solid #bbb;color:#444}"
    "@media (max-width:600px){td,th{display:block;width:auto}}</style>"
)


# A cell a spreadsheet would run as a formula (=, +, -, @, or a tab / return before one).
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
# Excel reads a UTF-8 CSV as the system code page unless it starts with a byte-order mark.
BOM = "\ufeff"


def _cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return value


def _csv(header: list[str], rows: list[list[object]]) -> str:
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([[_cell(v) for v in row] for row in rows])
    return out.getvalue()


def comparison_csv(result: Comparison, lang: Language = "zh") -> str:
    """One row per commitment, with every evidence passage, its offsets and version, and why.
    ``status``/``reason`` are the raw values scripts rely on; the ``*_words`` columns say them."""
    header = ["entity", "plan_year", "commitment", "commitment_start", "commitment_end", "section", "status",
              "status_words", "confidence", "reason", "reason_words", "planned", "reported", "earlier_version",
              "later_version"]  # fmt: skip
    for n in (1, 2, 3):
        header += [f"evidence_{n}", f"evidence_{n}_start", f"evidence_{n}_end", f"evidence_{n}_link"]
    rows: list[list[object]] = []
    for c in result.commitments:
        row: list[object] = [
            result.entity, result.plan_year, c.text, c.start, c.end, c.section, c.status.value,
            label(lang, "status", c.status.value), c.confidence, c.reason, reason_words(lang, c.reason), "; ".join(f.planned for f in c.figures), "; ".join(f.reported or "" for f in c.figures),
            result.earlier_version, result.later_version,
        ]  # fmt: skip
        for n in range(3):
            e = c.evidence[n] if n < len(c.evidence) else None
            row += [e.text, e.start, e.end, e.link or ""] if e else ["", "", "", ""]
        rows.append(row)
    return _csv(header, rows)


def comparison_html(result: Comparison, lang: Language = "zh") -> str:
    rows = []
    for c in result.commitments:
        evidence = "".join(
            f"<blockquote>{escape(e.text)}<br><small>{escape(e.section)}</small></blockquote>"
            for e in c.evidence
        )
        figures = "<br>".join(
            f"{escape(f.planned)} → {escape(f.reported or '—')}" for f in c.figures if f.reported or f.planned
        )
        rows.append(
            f"<tr><td>{escape(c.heading)}</td><td><span class='badge {c.status.value}' title='{c.status.value}'>"
            f"{escape(label(lang, 'status', c.status.value))}</span>"
            f"<br><small>{c.confidence:.2f}</small></td><td>{evidence}<small>{escape(reason_words(lang, c.reason))}</small></td>"
            f"<td>{figures}</td></tr>"
        )
    problems = "".join(
        f"<tr><td>{escape(p.heading)}</td><td><span class='badge {p.status.value}' title='{p.status.value}'>"
        f"{escape(label(lang, 'problem_status', p.status.value))}</span></td>"
        f"<td>{''.join(f'<blockquote>{escape(e.text)}</blockquote>' for e in p.evidence)}"
        f"<small>{escape(reason_words(lang, p.reason))}</small></td></tr>"
        for p in result.problems
    )
    figures = "".join(
        f"<tr><td>{escape(f.context)}</td><td>{escape(f.before)}</td><td>{escape(f.after)}</td></tr>"
        for f in result.figures
    )
    title = escape(f"{result.entity or ''} — commitments for {result.plan_year}")
    return (
        f"<!DOCTYPE html><html lang='zh-CN'><meta charset='utf-8'><meta name='viewport' content='width=device-width'>"
        f"<title>{title}</title>{STYLE}<h1>{title}</h1>"
        f"<p>{escape(result.earlier_title or '')} → {escape(result.later_title or '')}</p>"
        f"<p>{' · '.join(f'{k}: {v}' for k, v in result.summary.items())} · text reused from the earlier report: "
        f"{result.reuse.share:.0%}</p>"
        f"<h2>Commitments</h2><table><tr><th>commitment</th><th>status</th><th>evidence</th><th>figures</th></tr>"
        f"{''.join(rows)}</table><h2>Problems</h2><table>{problems}</table>"
        f"<h2>Figures</h2><table><tr><th>what</th><th>before</th><th>after</th></tr>{figures}</table></html>"
    )


def reading_csv(reading: ReportReading, lang: Language = "zh") -> str:
    """One row per item: what a spreadsheet user wants from a report."""
    header = ["entity", "review_year", "version", "section_kind", "section_kind_words", "section", "item_kind",
              "item_kind_words", "marker", "heading", "text", "figures", "start", "end"]  # fmt: skip
    rows: list[list[object]] = [
        [reading.entity, reading.review_year, reading.version, section.kind.value,
         label(lang, "section_kind", section.kind.value), section.heading, item.kind.value,
         label(lang, "item_kind", item.kind.value), item.marker or "", item.heading, item.text,
         "; ".join(f.text for f in item.figures), item.start, item.end]
        for section in reading.sections
        for item in section.items
    ]  # fmt: skip
    return _csv(header, rows)


_MD_SPECIAL = re.compile(r"([\\`*_\[\]#<>|])")


def _md(text: str) -> str:
    # Redaction marks (___, **) and angle brackets are data, not formatting or HTML.
    return _MD_SPECIAL.sub(r"\\\1", text)


def reading_markdown(reading: ReportReading, lang: Language = "zh") -> str:
    lines = [f"# {_md(reading.title or f'{reading.entity} {reading.review_year}')}", ""]
    meta = {
        "entity": reading.entity,
        "region": " / ".join(reading.region),
        "review year": str(reading.review_year),
        "plan year": str(reading.plan_year or ""),
        "document type": f"{label(lang, 'doc_type', reading.doc_type.value)} ({reading.doc_type.value})",
        "published": reading.published or "",
        "publisher": reading.publisher or "",
        "index no.": reading.index_no or "",
        "version": f"{reading.version} of {reading.versions}",
        "flags": ", ".join(reading.flags),
    }
    lines += [f"- **{k}**: {_md(v)}" for k, v in meta.items() if v]
    for section in reading.sections:
        kind = label(lang, "section_kind", section.kind.value)
        lines += ["", f"## {_md(section.heading or '(preamble)')} `{kind}`", ""]
        if not section.items:
            body = reading.text[section.start : section.end].strip()
            lines += [_md(p) for p in body.splitlines() if p.strip()]
        for item in section.items:
            figures = f" — figures: {_md('、'.join(f.text for f in item.figures))}" if item.figures else ""
            lines.append(f"- `{label(lang, 'item_kind', item.kind.value)}` {_md(item.text)}{figures}")
    return "\n".join(lines) + "\n"


def timeline_csv(timeline: Timeline, lang: Language = "zh") -> str:
    """One row per figure-series point, per problem run and per year's commitment outcomes."""
    header = ["entity", "kind", "what", "unit", "year", "value"]
    rows: list[list[object]] = []
    for series in timeline.figures:
        rows += [[timeline.entity, "figure", series.context, series.unit, year, value]
                 for year, value in sorted(series.points.items())]  # fmt: skip
    for run in timeline.problems:
        rows += [[timeline.entity, "problem", run.heading, "", year, "listed"] for year in run.years]
    for entry in timeline.commitments:
        rows += [[timeline.entity, "commitments", label(lang, "status", status), "", entry.plan_year, count]
                 for status, count in entry.summary.items()]  # fmt: skip
    return _csv(header, rows)


def search_csv(page: SearchPage, lang: Language = "zh") -> str:
    """One row per snippet of each report found (a report with no snippet still has its row)."""
    header = ["entity", "review_year", "doc_type", "doc_type_words", "title", "version", "hits", "snippet",
              "snippet_start", "snippet_end"]  # fmt: skip
    rows: list[list[object]] = []
    for hit in page.items:
        common: list[object] = [hit.entity, hit.review_year, hit.doc_type.value,
                                label(lang, "doc_type", hit.doc_type.value), hit.title or "", hit.version, hit.hits]  # fmt: skip
        snippets: list[Snippet | None] = [*hit.snippets] or [None]
        for s in snippets:
            rows.append(common + ([s.text, s.start, s.start + len(s.text)] if s else ["", "", ""]))
    return _csv(header, rows)
