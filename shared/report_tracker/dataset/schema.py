"""The dataset's tables: columns, types and meaning, declared once.

The Parquet writer, the Glue tables in template.yaml (checked by a test) and docs/dataset.md
are all read from here. Every table carries its provenance (the raw object and its sha256,
the parser and method versions) and is partitioned by ``review_year`` and ``level``.
"""

from __future__ import annotations

from dataclasses import dataclass

# Bumped when a column changes meaning or type: the files live under dataset/v{DATASET_VERSION}/.
DATASET_VERSION = "1"
PARTITIONS = (("review_year", "INTEGER"), ("level", "VARCHAR"))
LEVELS = ("national", "province", "city", "county", "town", "unknown")


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a DuckDB type: VARCHAR, INTEGER, BIGINT, DOUBLE, BOOLEAN, VARCHAR[], INTEGER[]
    doc: str


def _c(name: str, type_: str, doc: str) -> Column:
    return Column(name, type_, doc)


_WHO = [
    _c("entity", "VARCHAR", "The government reporting (青石镇, 湖南省)."),
    _c("region", "VARCHAR[]", "Administrative path above it: province, city, county."),
    _c("province", "VARCHAR", "Its province (itself for a province; null when the text does not say)."),
    _c("doc_type", "VARCHAR", "法治政府建设 report, 政府工作报告 …: the report's type (doc_type)."),
]
_PROVENANCE = [
    _c("version", "INTEGER", "The archive version the row was read from."),
    _c("raw_key", "VARCHAR", "S3 key of the uploaded file that version came from."),
    _c("raw_sha256", "VARCHAR", "sha256 of that uploaded file's bytes."),
    _c("clean_sha256", "VARCHAR", "sha256 of the clean text read from it."),
    _c("parser_version", "VARCHAR", "The reader that produced the text."),
    _c("dataset_version", "VARCHAR", "The layout of this dataset (DATASET_VERSION)."),
]
_COMPARED = [
    _c("plan_year", "INTEGER", "The year the commitments were made for (the later report reviews it)."),
    _c("earlier_version", "INTEGER", "Version of the report that made the commitments."),
    _c("earlier_raw_key", "VARCHAR", "S3 key of the earlier report's uploaded file."),
    _c("earlier_raw_sha256", "VARCHAR", "sha256 of the earlier report's uploaded file."),
    _c("method_version", "VARCHAR", "The comparison method that reached the verdicts."),
]
_EVIDENCE = [
    _c("evidence_text", "VARCHAR", "The best passage of the later report cited for the verdict."),
    _c("evidence_start", "INTEGER", "Its offset in the later report's clean text."),
    _c("evidence_end", "INTEGER", "Where it ends."),
    _c("evidence_link", "VARCHAR", "Viewer link that opens the later report at that passage."),
]

TABLES: dict[str, list[Column]] = {
    "reports": [
        *_WHO,
        _c("plan_year", "INTEGER", "The year its plans and targets are for."),
        _c("title", "VARCHAR", "Title as read."),
        _c("published", "VARCHAR", "Publication date, ISO yyyy-mm-dd, when given."),
        _c("publisher", "VARCHAR", "Publishing body, when given."),
        _c("source_format", "VARCHAR", "txt, html, docx or pdf."),
        _c("encoding", "VARCHAR", "The encoding the text was decoded from."),
        _c("version_count", "INTEGER", "Versions archived (withdrawn ones included)."),
        _c("chars", "INTEGER", "Characters of the clean text."),
        _c(
            "recycled_share",
            "DOUBLE",
            "Share of its text found verbatim in the report before it (null: none archived).",
        ),
        *_PROVENANCE,
    ],
    "versions": [
        *_WHO,
        _c("uploaded_at", "VARCHAR", "When the file was uploaded (ISO 8601)."),
        _c("uploader", "VARCHAR", "Who uploaded it, when known."),
        _c("raw_version_id", "VARCHAR", "S3 version id of the uploaded file."),
        _c("technical", "BOOLEAN", "A re-extraction by a newer parser, not a publisher's edit."),
        _c("withdrawn", "BOOLEAN", "The uploaded file was deleted: the version is withdrawn."),
        _c("title", "VARCHAR", "Title of that version."),
        _c("chars", "INTEGER", "Characters of that version's clean text."),
        _c("latest", "BOOLEAN", "The version the report is read from now."),
        *_PROVENANCE,
    ],
    "commitments": [
        *_WHO,
        *_COMPARED,
        _c("heading", "VARCHAR", "The commitment's own title."),
        _c("text", "VARCHAR", "The commitment as written in the earlier report."),
        _c("section", "VARCHAR", "Heading path it sits under."),
        _c("status", "VARCHAR", "fulfilled, partial, missed or not_reported."),
        _c("confidence", "DOUBLE", "How sure the verdict is (0-1)."),
        _c("reason", "VARCHAR", "The rule that reached the verdict and why."),
        *_EVIDENCE,
        _c("evidence_count", "INTEGER", "Passages cited (0-3)."),
        *_PROVENANCE,
    ],
    "targets": [
        *_WHO,
        *_COMPARED,
        _c("commitment", "VARCHAR", "Heading of the commitment the target is part of."),
        _c("planned", "VARCHAR", "The target as written (1200万人以上)."),
        _c("planned_value", "DOUBLE", "Its value, scale words expanded."),
        _c("unit", "VARCHAR", "Unit without the scale word (人, %, 元 …)."),
        _c("direction", "VARCHAR", "at_least or at_most: which side of the target is success."),
        _c("reported", "VARCHAR", "The figure the later report gives for it, as written."),
        _c("reported_value", "DOUBLE", "Its value."),
        _c("met", "BOOLEAN", "Whether the reported figure meets the target (null: not reported)."),
        *_PROVENANCE,
    ],
    "figures": [
        *_WHO,
        _c("section_kind", "VARCHAR", "The kind of section the figure is in (measures, plans, problems …)."),
        _c("role", "VARCHAR", "planned (in the plans section) or reported (anywhere else)."),
        _c("context", "VARCHAR", "The words before the figure in its clause: what it counts."),
        _c("figure", "VARCHAR", "The figure as written (80余场)."),
        _c("number", "DOUBLE", "The number as written, before the scale word."),
        _c("value", "DOUBLE", "Number times scale (万/亿 expanded)."),
        _c("unit", "VARCHAR", "Unit without the scale word."),
        _c("qualifier", "VARCHAR", "余, 以上, 左右 … when written."),
        _c("upper", "DOUBLE", "Upper bound of a range (6%-6.5%)."),
        _c("start_offset", "INTEGER", "Offset in the clean text."),
        _c("end_offset", "INTEGER", "Where it ends."),
        *_PROVENANCE,
    ],
    "problems": [
        *_WHO,
        *_COMPARED,
        _c("listed_year", "INTEGER", "Review year of the report that names the problem (plan_year - 1)."),
        _c("heading", "VARCHAR", "The problem's own title."),
        _c("text", "VARCHAR", "The problem as written."),
        _c("status", "VARCHAR", "recurring, resolved_claimed or dropped in the next year's report."),
        _c("similarity", "DOUBLE", "How close the later report's passage is to it (0-1)."),
        *_EVIDENCE,
        _c(
            "run_years",
            "INTEGER[]",
            "Review years in a row in which the problem is named, the later report's included when it names it again (recurring).",
        ),
        _c("run_length", "INTEGER", "How many years that is."),
        *_PROVENANCE,
    ],
    "sentences": [
        *_WHO,
        _c(
            "fingerprint",
            "VARCHAR",
            "Hash of the sentence with digits and the entity's own name masked: equal across reports that share it.",
        ),
        _c("sentence", "VARCHAR", "The sentence as written (15 characters or more)."),
        _c("start_offset", "INTEGER", "Offset in the clean text."),
        _c("chars", "INTEGER", "Its length."),
        *_PROVENANCE,
    ],
    "texts": [
        *_WHO,
        _c("title", "VARCHAR", "Title as read."),
        _c("text", "VARCHAR", "The clean text, as quoted and diffed."),
        _c("chars", "INTEGER", "Its length in characters."),
        *_PROVENANCE,
    ],
}


def columns(table: str) -> list[Column]:
    """A table's columns, partition columns last (as Hive-partitioned files are read)."""
    return [*TABLES[table], *(Column(n, t, _PARTITION_DOCS[n]) for n, t in PARTITIONS)]


_PARTITION_DOCS = {
    "review_year": "Partition: the year the report reviews (commitments, targets, problems: the later "
    "report's, which is the plan year).",
    "level": "Partition: " + ", ".join(LEVELS) + " (the reporting government's level).",
}


def markdown() -> str:
    """The column reference of docs/dataset.md (a test keeps the page equal to it)."""
    out: list[str] = []
    for table in TABLES:
        out += [f"### {table}", "", "| column | type | meaning |", "|---|---|---|"]
        out += [f"| `{c.name}` | {c.type} | {c.doc.replace('|', '/')} |" for c in columns(table)]
        out.append("")
    return "\n".join(out)
