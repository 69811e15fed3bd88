"""Full-text matching over clean texts: Chinese has no spaces, so a term is a substring.

A query is folded the way the cleaner folds a report (full-width digits and letters,
punctuation in Chinese context), then split on whitespace into terms that must all occur.
Pure: the service decides which texts to look in.
"""

from __future__ import annotations

import re

from report_tracker.models.api import Highlight, Snippet
from report_tracker.reading.clean import normalize_chars, normalize_punctuation

SNIPPET_CONTEXT = 30
MAX_SNIPPETS = 3
MAX_TERMS = 8


class TooManyTerms(ValueError):
    """A query with more terms than are searched: refused rather than silently narrowed."""


def query_terms(query: str) -> list[str]:
    """The distinct terms of a query, folded like report text; longest first."""
    folded = normalize_punctuation(normalize_chars(query))
    terms = [t for t in dict.fromkeys(folded.split()) if t]
    if len(terms) > MAX_TERMS:
        raise TooManyTerms(f"the query has {len(terms)} terms; at most {MAX_TERMS} are searched together")
    return sorted(terms, key=len, reverse=True)


def find_hits(text: str, terms: list[str]) -> list[tuple[int, int]] | None:
    """Every occurrence of every term, sorted; None unless all terms occur (AND)."""
    hits: list[tuple[int, int]] = []
    for term in terms:
        found = [(m.start(), m.end()) for m in re.finditer(re.escape(term), text)]
        if not found:
            return None
        hits.extend(found)
    hits.sort()
    return hits


_BOUNDARY = re.compile(r"[。！？；\n]")


def _edges(text: str, a: int, b: int, context: int) -> tuple[int, int]:
    """Up to ``context`` characters each side, cut at a sentence or line end when one is near."""
    lo, hi = max(0, a - context), min(len(text), b + context)
    before = [m.end() for m in _BOUNDARY.finditer(text, lo, a)]
    after = _BOUNDARY.search(text, b, hi)
    start = before[-1] if before else lo
    end = after.end() if after else hi
    while start < a and text[start].isspace():
        start += 1
    return start, end


def snippets(
    text: str, hits: list[tuple[int, int]], context: int = SNIPPET_CONTEXT, most: int = MAX_SNIPPETS
) -> list[Snippet]:
    """Up to ``most`` passages around the hits; hits close together share one passage."""
    windows: list[list[int]] = []  # [start, end, first hit index, last hit index]
    for k, (a, b) in enumerate(hits):
        lo, hi = _edges(text, a, b, context)
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], hi)
            windows[-1][3] = k
        elif len(windows) < most:
            windows.append([lo, hi, k, k])
        else:
            break
    out: list[Snippet] = []
    for lo, hi, first, last in windows:
        marks: list[Highlight] = []
        for a, b in hits[first : last + 1]:
            if marks and a < lo + marks[-1].end:
                continue  # overlapping terms (法治 inside 法治宣传): keep the first
            marks.append(Highlight(start=a - lo, end=b - lo))
        out.append(Snippet(text=text[lo:hi], start=lo, highlights=marks))
    return out
