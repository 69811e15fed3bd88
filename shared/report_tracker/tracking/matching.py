"""Where the later report speaks of a commitment: its review passages, scored against the promise.

Method: docs/method.md ("How a verdict is reached", steps 1-3).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from report_tracker.models.report import Report, SectionKind
from report_tracker.reading.clean import BARE_HEADING, HEADING_MARKER
from report_tracker.tracking.lexicon import bigrams, canon

_PASSAGE = re.compile(r"[^。；！？\n]+[。；！？]?")
REVIEW_KINDS = {SectionKind.MEASURES, SectionKind.RESPONSIBILITY}


@dataclass
class Passage:
    text: str
    start: int
    end: int
    section: str
    kind: SectionKind
    grams: set[str]
    folded: str = ""  # the canonical text (synonyms mapped), for substring tests


def _is_heading(report: Report, start: int, end: int) -> bool:
    """A line that is only a heading (（一）加快建设现代化产业体系): never evidence on its own."""
    line_start = report.text.rfind("\n", 0, start) + 1
    line_end = report.text.find("\n", end)
    line = report.text[line_start : line_end if line_end >= 0 else len(report.text)]
    if start == line_start and HEADING_MARKER.match(line) and end - start <= 40:
        return True  # （一）深化习近平法治思想学习。 — the heading sentence of a numbered paragraph
    bare = "。" not in line and len(line) <= 60
    return bare and (bool(HEADING_MARKER.match(line)) or bool(BARE_HEADING.match(line)) or len(line) <= 30)


def passages(report: Report) -> list[Passage]:
    """Sentences of the review (and of the problems section, kept apart): never the plans, the
    preamble or closing, or a heading alone."""
    out: list[Passage] = []
    structured = any(s.kind in REVIEW_KINDS for s in report.sections)
    for section in report.sections:
        if section.kind == SectionKind.PLANS:
            continue  # promises for the next year are not evidence of this year's work
        if structured and section.kind == SectionKind.OTHER:
            continue  # preamble and closing speak in generalities
        body = report.text[section.start : section.end]
        for m in _PASSAGE.finditer(body):
            text = m.group(0).strip()
            if len(text) < 4:
                continue
            start = section.start + m.start() + (len(m.group(0)) - len(m.group(0).lstrip()))
            if _is_heading(report, start, start + len(text)):
                continue
            out.append(
                Passage(
                    text,
                    start,
                    start + len(text),
                    section.heading or "(preamble)",
                    section.kind,
                    set(bigrams(text)),
                    canon(text),
                )
            )
    return out


class Index:
    """IDF over the passages of the later report."""

    def __init__(self, items: list[Passage]) -> None:
        self.passages = items
        df: Counter[str] = Counter()
        for p in items:
            df.update(p.grams)
        n = max(1, len(items))
        self.idf = {g: math.log(1 + n / (1 + c)) for g, c in df.items()}
        self.postings: dict[str, list[int]] = {}
        for k, p in enumerate(items):
            for g in p.grams:
                self.postings.setdefault(g, []).append(k)
        self.max_idf = math.log(1 + n)

    def weight(self, gram: str) -> float:
        return self.idf.get(gram, self.max_idf)

    def score_all(self, query: list[str]) -> dict[int, float]:
        """Coverage of ``query`` by every passage at once, accumulated over posting lists."""
        idf, fallback, postings = self.idf, self.max_idf, self.postings
        sums: list[dict[int, float]] = [{}, {}]  # bigrams, then single characters (~x)
        for acc, unique in zip(
            sums,
            ({g for g in query if not g.startswith("~")}, {g for g in query if g.startswith("~")}),
            strict=True,
        ):
            weights = [(g, idf.get(g, fallback)) for g in unique]
            total = sum(w for _, w in weights)
            if not total:
                continue
            for g, w in weights:
                share = w / total
                for n in postings.get(g, ()):
                    acc[n] = acc.get(n, 0.0) + share
        bi, uni = sums
        out = {n: 0.7 * b + 0.3 * uni.get(n, 0.0) for n, b in bi.items()}
        for n, u in uni.items():
            if n not in out:
                out[n] = 0.7 * 0.0 + 0.3 * u
        return out

    def coverage(self, query: list[str], grams: set[str]) -> float:
        parts = []
        for unique in ({g for g in query if not g.startswith("~")}, {g for g in query if g.startswith("~")}):
            total = sum(self.weight(g) for g in unique)
            parts.append(sum(self.weight(g) for g in unique if g in grams) / total if total else 0.0)
        return 0.7 * parts[0] + 0.3 * parts[1]

    def wording(self, query: list[str], grams: set[str]) -> float:
        """Bigram-only coverage: how much of the actual wording is shared."""
        unique = {g for g in query if not g.startswith("~")}
        total = sum(self.weight(g) for g in unique)
        return sum(self.weight(g) for g in unique if g in grams) / total if total else 0.0


def anchor(core_text: str, passage: str, *, folded: bool = False) -> str:
    """The longest run of the promise's own words (filler removed) found in the passage.

    ``folded``: the passage is already canonical (``Passage.folded``).
    """
    best, size = "", 0
    target = passage if folded else canon(passage)
    for piece in core_text.split("，"):
        n = len(piece)
        for i in range(n - size):
            # Grow the run from i while the passage still holds it (substring tests run in C).
            j = i + size + 1
            while j <= n and piece[i:j] in target:
                best, size = piece[i:j], j - i
                j += 1
    return best
