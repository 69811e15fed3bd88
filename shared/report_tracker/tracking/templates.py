"""Text shared across entities of one year: county-issued templates copied by many townships.

Every report is cut into 8-character shingles, sampled by winnowing (the minimum hash in
each window of 4), so the index stays a fraction of the text while any copied passage of
11+ characters is still seen. A report's template share is the share of its sampled
shingles that also occur in another entity's report.
"""

from __future__ import annotations

import zlib
from collections import defaultdict

from pydantic import BaseModel, Field

SHINGLE = 8
WINDOW = 4


class TemplateShare(BaseModel):
    name: str
    share: float = Field(description="Share of the report's shingles found in other entities' reports.")
    shared_with: list[str] = Field(description="Entities sharing the most text with it, most first.")


def _fingerprints(text: str) -> set[int]:
    compact = "".join(text.split())
    hashes = [zlib.crc32(compact[i : i + SHINGLE].encode()) for i in range(len(compact) - SHINGLE + 1)]
    picked: set[int] = set()
    for i in range(max(1, len(hashes) - WINDOW + 1)):
        window = hashes[i : i + WINDOW]
        if window:
            picked.add(min(window))
    return picked


def template_shares(reports: dict[str, str], top: int = 3) -> list[TemplateShare]:
    """``reports`` maps an entity name to its clean text (one report per entity, one year)."""
    prints = {name: _fingerprints(text) for name, text in reports.items()}
    owners: dict[int, list[str]] = defaultdict(list)
    for name, fps in prints.items():
        for fp in fps:
            owners[fp].append(name)
    out: list[TemplateShare] = []
    for name, fps in prints.items():
        shared = 0
        partners: dict[str, int] = defaultdict(int)
        for fp in fps:
            others = owners[fp]
            if len(others) > 1:
                shared += 1
                if len(others) <= 50:  # boilerplate everyone uses says little about who copied whom
                    for other in others:
                        if other != name:
                            partners[other] += 1
        best = sorted(partners, key=lambda o: -partners[o])[:top]
        out.append(
            TemplateShare(name=name, share=round(shared / len(fps), 4) if fps else 0.0, shared_with=best)
        )
    return out
