"""How much of a later report is copied verbatim from an earlier one."""

from __future__ import annotations

from report_tracker.models.tracking import Reuse, ReuseSpan


def reuse(earlier: str, later: str, n: int = 8, min_span: int = 20) -> Reuse:
    """Share of the later text found verbatim in the earlier one, with the copied spans."""
    shingles = {earlier[i : i + n] for i in range(len(earlier) - n + 1)}
    covered = [False] * len(later)
    for i in range(len(later) - n + 1):
        if later[i : i + n] in shingles:
            for k in range(i, i + n):
                covered[k] = True
    content = [i for i, ch in enumerate(later) if not ch.isspace()]
    share = sum(1 for i in content if covered[i]) / len(content) if content else 0.0
    spans: list[ReuseSpan] = []
    i = 0
    while i < len(later):
        if covered[i]:
            j = i
            while j < len(later) and covered[j]:
                j += 1
            if j - i >= min_span:
                spans.append(ReuseSpan(start=i, end=j, text=later[i:j]))
            i = j
        else:
            i += 1
    return Reuse(share=round(share, 4), spans=spans)


def shared_share(a: str, b: str, n: int = 8) -> float:
    """Share of the shorter text's ``n``-character shingles that the longer one also holds.

    Measured on the shorter side so that an expanded or trimmed edit of one report still
    scores high, while two different documents score near zero.
    """
    small, large = sorted(("".join(a.split()), "".join(b.split())), key=len)
    grams = {small[i : i + n] for i in range(len(small) - n + 1)}
    if not grams:
        return 0.0
    other = {large[i : i + n] for i in range(len(large) - n + 1)}
    return len(grams & other) / len(grams)
