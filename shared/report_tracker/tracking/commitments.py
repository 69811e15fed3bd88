"""One commitment per promise: plans items cut into the actions that can be checked separately.

A plans item often bundles several actions under one heading. It is cut, in this order of
preference, at:
1. inline enumeration inside it (一是…二是…, ①②, （1）（2）): one commitment per clause;
2. verb-led sub-headings (加强执法队伍建设。 followed by what will be done): one per block;
3. figures: sentences, or comma-separated clause groups within a sentence, that each carry
   their own figure (组织执法人员培训4次，新增持证执法人员8名): one per quantified action.
An item none of these apply to stays one commitment. Offsets stay those of the report.
"""

from __future__ import annotations

import re
from itertools import pairwise

from report_tracker.models.report import Item, ItemKind, Report
from report_tracker.understanding.structure import heading_of

_ENUMERATION = re.compile(
    r"(?:^|(?<=[。；：！？\n]))\s*(?:[一二三四五六七八九十]是|[①②③④⑤⑥⑦⑧⑨⑩]|[（(]\d{1,2}[）)])"
)
_SENTENCE = re.compile(r"[^。；！？\n]+[。；！？]?")
_SUBHEADING = re.compile(
    r"^(?:加强|推进|推动|深化|完善|健全|强化|创新|提升|提高|落实|规范|建立|建设|打造|开展|做好|抓好|"
    r"严格|持续|全面|深入|加快|优化|坚持|着力)[^，,：:]{2,14}[。；]$"
)
_CLAUSE = re.compile(r"[^，,；]+[，,；]?")
MIN_UNIT = 6


def commitments(report: Report) -> list[Item]:
    """The report's commitments, one per separately checkable action."""
    out: list[Item] = []
    for item in report.items(ItemKind.COMMITMENT):
        out.extend(split_item(item))
    return out


def split_item(item: Item) -> list[Item]:
    for cut in (_by_enumeration, _by_subheadings, _by_figures):
        spans = cut(item)
        if len(spans) >= 2:
            return [_unit(item, a, b) for a, b in spans]
    return [item]


def _unit(item: Item, a: int, b: int) -> Item:
    """The part [a, b) of the item's text, as an item of its own (offsets in the report)."""
    raw = item.text[a:b]
    lead = len(raw) - len(raw.lstrip())
    text = raw.strip().rstrip("，,")  # a clause cut at a comma ends before it
    start = item.start + a + lead
    end = start + len(text)
    # A unit that opens the item keeps the item's heading (its marker already stripped).
    heading = (
        item.heading if a == 0 else (_ENUMERATION.sub("", heading_of(text), count=1).strip() or item.heading)
    )
    return Item(
        kind=item.kind,
        heading=heading,
        text=text,
        start=start,
        end=end,
        path=[*item.path, heading],
        marker=item.marker,
        figures=[f for f in item.figures if start <= f.start < end],
    )


def _body_start(item: Item) -> int:
    """Where the item's own heading sentence ends."""
    m = re.search(r"[。；！？\n]", item.text)
    return m.end() if m else len(item.text)


def _by_enumeration(item: Item) -> list[tuple[int, int]]:
    marks = [m.start() for m in _ENUMERATION.finditer(item.text) if m.start() > 0]
    if len(marks) < 2:
        return []
    bounds = [*marks, len(item.text)]
    return [(a, b) for a, b in pairwise(bounds) if len(item.text[a:b].strip()) >= MIN_UNIT]


def _by_subheadings(item: Item) -> list[tuple[int, int]]:
    body = _body_start(item)
    sentences = [(m.start(), m.end()) for m in _SENTENCE.finditer(item.text, body)]
    # A sub-heading is a short verb-led sentence followed by what will be done under it.
    heads = [
        (a, b)
        for k, (a, b) in enumerate(sentences)
        if _SUBHEADING.match(item.text[a:b].strip()) and k + 1 < len(sentences)
    ]
    if not heads:
        return []
    cuts = [a for a, _ in heads]
    spans: list[tuple[int, int]] = []
    # What the item says before its first sub-heading is a commitment of its own when it has a body.
    if cuts[0] > body and len(item.text[body : cuts[0]].strip()) >= MIN_UNIT:
        spans.append((0, cuts[0]))
    bounds = [*cuts, len(item.text)]
    spans += [(a, b) for a, b in pairwise(bounds)]
    return spans


def _by_figures(item: Item) -> list[tuple[int, int]]:
    if len(item.figures) < 2:
        return []
    offsets = [f.start - item.start for f in item.figures]

    def has_figure(a: int, b: int) -> bool:
        return any(a <= o < b for o in offsets)

    sentences = [(m.start(), m.end()) for m in _SENTENCE.finditer(item.text)]
    quantified = [(a, b) for a, b in sentences if has_figure(a, b)]
    if len(quantified) >= 2:
        return quantified
    if len(quantified) == 1:
        # One sentence, several figures: comma clauses, each group ending at a clause with a figure.
        a0, b0 = quantified[0]
        clauses = [(a0 + m.start(), a0 + m.end()) for m in _CLAUSE.finditer(item.text[a0:b0])]
        groups: list[tuple[int, int]] = []
        start = a0
        for a, b in clauses:
            if has_figure(a, b):
                groups.append((start, b))
                start = b
        if groups and start < b0:
            groups[-1] = (groups[-1][0], b0)  # trailing words without a figure belong to the last action
        if len(groups) >= 2:
            return groups
    return []
