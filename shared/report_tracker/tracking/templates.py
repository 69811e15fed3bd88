"""Text shared across entities of one year: county-issued templates copied by many townships.

Every report is cut into 8-character shingles, sampled by winnowing (the minimum hash in
each window of 4), so the index stays a fraction of the text while any copied passage of
11+ characters is still seen. One inverted index over all reports finds, for each report,
the share of its sampled shingles that also occur in another entity's report, and with whom.
"""

from __future__ import annotations

import zlib
from collections import defaultdict

from report_tracker.models.tracking import TemplatePartner, TemplateShare

SHINGLE = 8
WINDOW = 4
# A shingle in more reports than this is boilerplate everyone writes (深入学习贯彻习近平法治思想):
# it counts towards a report's shared share but says nothing about who copied whom.
COMMON = 50


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
    """``reports`` maps an entity to its clean text (one report per entity, one year, one type).

    Most shared first. ``shared_with`` lists the ``top`` partners by the share of this
    report's text found in theirs.
    """
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
                if len(others) <= COMMON:
                    for other in others:
                        if other != name:
                            partners[other] += 1
        best = sorted(partners, key=lambda o: (-partners[o], o))[:top]
        out.append(
            TemplateShare(
                entity=name,
                share=round(shared / len(fps), 4) if fps else 0.0,
                shared_with=[TemplatePartner(entity=o, share=round(partners[o] / len(fps), 4)) for o in best],
            )
        )
    out.sort(key=lambda t: (-t.share, t.entity))
    return out
