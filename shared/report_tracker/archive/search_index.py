"""A full-text index of the latest text of every report: SQLite FTS5 over character bigrams.

Chinese has no spaces, and a search term is a substring (法治宣传活动). Each run of letters and
digits of a text becomes its overlapping character bigrams, in order, plus its last character
alone (so that a one-character term finds it); a term becomes the phrase of its own bigrams,
which matches exactly where the term occurs as a substring. FTS5 finds the candidates; the exact
occurrences (hits, snippets) are then counted in the candidates' texts, which the index holds, so
a search reads no report from the archive.

The same file holds each text's near-duplicate signatures (``tracking.signatures``: one row per
passage and LSH band), so a report's recycled-text candidates are an index lookup by band key.
Pure: a file path in, rows out; no AWS here.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from report_tracker.tracking.signatures import signatures

SCHEMA_VERSION = "2"  # 2: band keys of every passage
_RUN = re.compile(r"[^\W_]+")


def token_stream(text: str) -> str:
    """The text as FTS5 sees it: space-separated bigrams of each run, then the run's last character."""
    out: list[str] = []
    for m in _RUN.finditer(text):
        run = m.group(0)
        out.extend(run[i : i + 2] for i in range(len(run) - 1))
        out.append(run[-1])
    return " ".join(out)


def term_runs(term: str) -> list[str]:
    """The runs of letters and digits a term is matched by (punctuation and spaces split it)."""
    return _RUN.findall(term)


def match_expression(term: str) -> str | None:
    """The FTS5 query matching every text holding ``term`` (None: nothing in it can be indexed)."""
    parts = []
    for run in term_runs(term):
        if len(run) == 1:
            parts.append(f'"{run}" *')  # a bigram starting with it, or it ending a run
        else:
            parts.append('"' + " ".join(run[i : i + 2] for i in range(len(run) - 1)) + '"')
    return " AND ".join(parts) if parts else None


@dataclass(frozen=True)
class IndexedReport:
    report: str  # entity, review year and doc type: one row per report, its latest text
    entity: str
    review_year: int
    doc_type: str
    doc_rank: int
    title: str | None
    version: int
    order_key: str  # upload order of that version: a later one wins, whatever order they arrive in
    text: str


@dataclass(frozen=True)
class Candidate:
    rowid: int
    report: str
    order_key: str
    entity: str
    review_year: int
    doc_type: str
    doc_rank: int
    title: str | None
    version: int


class SearchIndex:
    """One SQLite file. Writers hold it alone (the store sees to that); readers open it read-only."""

    def __init__(self, path: Path, *, readonly: bool = False) -> None:
        self.path = path
        uri = f"file:{path}?mode=ro" if readonly else f"file:{path}"
        self.db = sqlite3.connect(uri, uri=True, check_same_thread=False)
        if not readonly:
            # A writer's file is private and uploaded whole once closed: nothing to make durable
            # on the way (an fsync per commit was most of the cost of a one-report segment).
            self.db.execute("PRAGMA synchronous = OFF")
            self.db.execute("PRAGMA journal_mode = MEMORY")
            self.db.executescript(
                """
                CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
                CREATE TABLE IF NOT EXISTS docs (
                    rowid INTEGER PRIMARY KEY, report TEXT UNIQUE NOT NULL, entity TEXT NOT NULL,
                    review_year INTEGER NOT NULL, doc_type TEXT NOT NULL, doc_rank INTEGER NOT NULL,
                    title TEXT, version INTEGER NOT NULL, order_key TEXT NOT NULL, text TEXT NOT NULL);
                CREATE INDEX IF NOT EXISTS docs_entity ON docs (entity, review_year);
                CREATE INDEX IF NOT EXISTS docs_year ON docs (review_year);
                CREATE TABLE IF NOT EXISTS bands (doc INTEGER NOT NULL, passage INTEGER NOT NULL, key INTEGER NOT NULL);
                CREATE INDEX IF NOT EXISTS bands_key ON bands (key);
                CREATE INDEX IF NOT EXISTS bands_doc ON bands (doc);
                CREATE VIRTUAL TABLE IF NOT EXISTS grams USING fts5 (
                    tokens, content = '', tokenize = 'unicode61 remove_diacritics 0', detail = full);
                """
            )
            self.db.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
            self.db.commit()

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def batch(self) -> Iterator[None]:
        with self.db:
            yield

    def put(self, doc: IndexedReport) -> bool:
        """Index ``doc`` in place of the report's earlier text; False when it is already there."""
        row = self.db.execute(
            "SELECT rowid, order_key, version, text FROM docs WHERE report = ?", (doc.report,)
        ).fetchone()
        if row is not None:
            if row[1] > doc.order_key or (row[2], row[3]) == (doc.version, doc.text):
                return False  # a later version is indexed, or this very one
            self._unindex(row[0], row[3])
        cur = self.db.execute(
            "INSERT INTO docs (report, entity, review_year, doc_type, doc_rank, title, version, order_key, text) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (doc.report, doc.entity, doc.review_year, doc.doc_type, doc.doc_rank, doc.title, doc.version,
             doc.order_key, doc.text),
        )  # fmt: skip
        self.db.execute(
            "INSERT INTO grams (rowid, tokens) VALUES (?, ?)", (cur.lastrowid, token_stream(doc.text))
        )
        self.db.executemany(
            "INSERT INTO bands (doc, passage, key) VALUES (?, ?, ?)",
            [
                (cur.lastrowid, passage, key)
                for passage, keys in enumerate(signatures(doc.text, doc.entity, scope(doc)))
                for key in keys
            ],
        )
        return True

    def remove(self, report: str) -> bool:
        row = self.db.execute("SELECT rowid, text FROM docs WHERE report = ?", (report,)).fetchone()
        if row is None:
            return False
        self._unindex(row[0], row[1])
        return True

    def _unindex(self, rowid: int, text: str) -> None:
        # A contentless FTS5 table forgets a row when told the tokens it was given.
        self.db.execute(
            "INSERT INTO grams (grams, rowid, tokens) VALUES ('delete', ?, ?)", (rowid, token_stream(text))
        )
        self.db.execute("DELETE FROM bands WHERE doc = ?", (rowid,))
        self.db.execute("DELETE FROM docs WHERE rowid = ?", (rowid,))

    def reports(self) -> Iterator[IndexedReport]:
        for row in self.db.execute(
            "SELECT report, entity, review_year, doc_type, doc_rank, title, version, order_key, text FROM docs"
        ):
            yield IndexedReport(*row)

    def orders(self) -> dict[str, str]:
        """Report -> upload order of the version indexed (small for a segment)."""
        return dict(self.db.execute("SELECT report, order_key FROM docs").fetchall())

    def count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM docs").fetchone()[0])

    def candidates(
        self, expressions: list[str], entity: str | None, year: int | None, cap: int
    ) -> tuple[list[Candidate], bool]:
        """Reports holding every expression, at most ``cap`` of them, the most recently indexed
        first; and whether that is all of them.

        Not ranked by BM25: where a term is in more than ``cap`` reports, ranking them all is what
        made a search's cost grow with the archive (FTS5 scores every match before it sorts), and
        below the cap every match is a candidate whatever the order. The exact hits decide the
        order of the results.
        """
        query = " AND ".join(f"({e})" for e in expressions)
        filters, params = "", [query]
        if entity is not None:
            filters += " AND d.entity = ?"
            params.append(entity)
        if year is not None:
            filters += " AND d.review_year = ?"
            params.append(str(year))
        matched = "FROM grams g JOIN docs d ON d.rowid = g.rowid WHERE grams MATCH ?"
        sql = (
            "SELECT d.rowid, d.report, d.order_key, d.entity, d.review_year, d.doc_type, d.doc_rank, d.title, "
            f"d.version {matched}{filters} ORDER BY g.rowid DESC LIMIT ?"
        )
        rows = self.db.execute(sql, [*params, cap + 1]).fetchall()
        return [Candidate(*r) for r in rows[:cap]], len(rows) <= cap

    def text(self, rowid: int) -> str:
        return str(self.db.execute("SELECT text FROM docs WHERE rowid = ?", (rowid,)).fetchone()[0])

    def find(self, report: str) -> Candidate | None:
        row = self.db.execute(
            "SELECT rowid, report, order_key, entity, review_year, doc_type, doc_rank, title, version "
            "FROM docs WHERE report = ?",
            (report,),
        ).fetchone()
        return Candidate(*row) if row else None

    def bands(self, rowid: int) -> list[tuple[int, int]]:
        """(passage, band key) of one indexed text."""
        return self.db.execute("SELECT passage, key FROM bands WHERE doc = ?", (rowid,)).fetchall()

    def sharing(
        self, bands: list[tuple[int, int]], entity: str, per_key: int
    ) -> list[tuple[int, int, Candidate]]:
        """(passage, key, report) for the other entities' reports holding one of ``bands`` (keys are
        scoped: the same review year and document type); at most ``per_key`` reports per key, so a
        boilerplate passage held by thousands costs no more than a rare one."""
        passages: dict[int, list[int]] = {}
        for passage, key in bands:
            passages.setdefault(key, []).append(passage)
        out: list[tuple[int, int, Candidate]] = []
        for key, mine in passages.items():
            rows = self.db.execute(
                "SELECT d.rowid, d.report, d.order_key, d.entity, d.review_year, d.doc_type, d.doc_rank, d.title, "
                "d.version FROM bands b JOIN docs d ON d.rowid = b.doc WHERE b.key = ? AND d.entity != ? LIMIT ?",
                (key, entity, per_key),
            ).fetchall()
            out.extend((passage, key, Candidate(*row)) for row in rows for passage in mine)
        return out


def scope(doc: IndexedReport | Candidate) -> str:
    """What a passage is compared within: reports of one review year and document type."""
    return f"{doc.review_year}/{doc.doc_type}"
