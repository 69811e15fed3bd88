"""Sections and items: headings at every level, section kinds, mixed headings split.

The clean text is one paragraph per line. A line that starts with a numbering marker opens
a node; nodes nest by marker rank (一、 > （一） > 1. > （1））. Top-level nodes are the
sections; their children, or inline 一是…二是… clauses, or plain paragraphs are the items.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from report_tracker.models.report import ITEM_KIND_OF_SECTION, Figure, Item, Section, SectionKind
from report_tracker.reading.clean import BARE_HEADING, INLINE_MARKER, ITEM_NUMBER

_CN = "一二三四五六七八九十"
_MARKERS: list[tuple[int, re.Pattern[str]]] = [
    (1, re.compile(rf"^(?:[{_CN}]+\s*、|第[{_CN}]+部分[，、：\s]?)")),
    (2, re.compile(rf"^（[{_CN}]+）")),
    (3, re.compile(rf"^(?:{ITEM_NUMBER})")),
    (4, re.compile(r"^（\d{1,2}）|^[①-⑳]")),
]
_INLINE = re.compile(
    rf"(?:(?<=^)|(?<=[。；;，：:]))(?P<m>[{_CN}]是|[{_CN}]要(?=[\u4e00-\u9fff])|第[{_CN}]，|首先，|其次，|再次，|最后，)"
)

_PROBLEM_CUES = re.compile(
    r"问题|不足|短板|差距|薄弱|弱项|困难和挑战|存在的困难|面临的困难|需要改进|有待改进|有待加强"
)
_PLAN_CUES = re.compile(
    r"计划|安排|思路|打算|下一步|整改|建议|展望|今后|工作任务|目标任务|总体要求|政策取向|预期目标|"
    r"重点工作|工作部署|努力方向|目标举措|工作重点|主要目标|主要任务|主要考虑|十五五|工作安排|"
    r"下步|下阶段|设想|明年|改进措施|改进举措|改进方向"
)
_RESP_CUES = re.compile(r"第一责任人|主要负责人|述法|履行.{0,8}职责")
# 主要工作 heads the work done (2024年主要工作) or to be done (三、2026年主要工作, after the plans):
# alone it does not decide.
_DONE_CUES = re.compile(r"举措|成效|工作情况|主要做法|回顾|开展情况|落实情况|成绩|完成情况|成就")
_MEASURE_CUES = re.compile(_DONE_CUES.pattern + "|主要工作")
# 举措 heads the measures taken (主要举措和成效) as well as those to come (2022年工作举措).
_PAST_CUES = re.compile(_DONE_CUES.pattern.replace("举措|", ""))
_CLOSING = re.compile(
    r"^(?:总之|综上|特此报告|特此汇报|以上报告|专此报告)"
    r"|^[\u4e00-\u9fff（）()]{2,40}(?:人民政府|委员会|党委|办公室|办事处)$"  # a signature line
    r"|^(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$"  # its date
)
_INTRO = re.compile(r"如下|以下|几点|主要表现|具体如下|主要有")
_PLAN_SPLIT = re.compile(r"建议|下一步|今后|计划|思路|打算|整改|措施")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
# Tense of a section's body when its heading says nothing of its kind (福建: 一、牢记殷殷嘱托…).
_FUTURE = re.compile(r"今年|明年|下一步|力争|预期目标|要[把坚持加强推进推动深化抓]|将[着进继]|着力|计划")
_PAST = re.compile(r"过去一年|一年来|五年来|去年|了|获批|入选|建成|完成[^。]{0,6}任务|取得")
_LINE = re.compile(r"[^\n]+")
# A review paragraph that turns to the problems (no heading announces them)
_PROBLEMS_LEAD = re.compile(
    r"^[^。\n]{0,30}清醒(?:地)?(?:认识到|看到)"
    r"|^[^。\n]{0,30}(?:但|但是|然而)[^。\n]{0,30}(?:仍然?|还|也|依然|尚)(?:存在|面临)[^。\n]{0,16}(?:问题|不足|短板|差距|困难)"
)
_TARGET_INTRO = re.compile(r"目标是[：:]|预期目标[^。；]{0,10}[：:]")


@dataclass
class Node:
    rank: int
    marker: str
    heading: str
    start: int
    end: int
    head_end: int
    paragraphs: list[tuple[int, int]] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)


def _marker(line: str) -> tuple[int, str] | None:
    for rank, pattern in _MARKERS:
        m = pattern.match(line)
        if m:
            return rank, m.group(0)
    return None


def heading_of(text: str) -> str:
    """The first sentence of a block, without trailing punctuation; long ones cut at a comma."""
    m = re.search(r"[。；;！？!?]", text)
    head = text[: m.start()] if m else text
    head = head.strip().rstrip("：:，,")
    if len(head) > 40 and "，" in head:
        head = head.split("，", 1)[0]
    return head


def classify_heading(heading: str) -> list[SectionKind]:
    """Kinds a heading announces, in the order they appear; mixed headings give two."""
    found: list[tuple[int, SectionKind]] = []
    for kind, cue in ((SectionKind.PROBLEMS, _PROBLEM_CUES), (SectionKind.PLANS, _PLAN_CUES)):
        m = cue.search(heading)
        if m:
            found.append((m.start(), kind))
    if not found:
        if _RESP_CUES.search(heading):
            return [SectionKind.RESPONSIBILITY]
        return [SectionKind.MEASURES]
    if len(found) == 1:
        m = _MEASURE_CUES.search(heading)
        if m and found[0][1] == SectionKind.PLANS and m.start() < found[0][0]:
            found.append((m.start(), SectionKind.MEASURES))
    return [kind for _, kind in sorted(found)]


def build_tree(text: str, skip_lines: int) -> tuple[list[tuple[int, int]], list[Node], list[tuple[int, int]]]:
    """(preamble paragraphs, top-level nodes, closing paragraphs) of the clean text."""
    lines: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        lines.append((pos, pos + len(line)))
        pos += len(line) + 1
    lines = lines[skip_lines:]
    roots: list[Node] = []
    preamble: list[tuple[int, int]] = []
    stack: list[Node] = []
    ranks_seen = {r for s, e in lines if (r := _marker_rank(text[s:e])) is not None}
    # Bare headings count where no top section is numbered, or before the first numbered one
    # (“十四五”时期发展成就和2025年工作回顾, then 一、…四、 for the plans).
    first_top = next((s for s, e in lines if _marker_rank(text[s:e]) == 1), None)
    if any(BARE_HEADING.match(text[s:e]) and (first_top is None or s < first_top) for s, e in lines):
        ranks_seen.add(1)
    top = min(ranks_seen) if ranks_seen else 99
    for s, e in lines:
        line = text[s:e]
        bare = BARE_HEADING.match(line) and (first_top is None or s < first_top or _bare_part(line))
        found = _marker(line) or ((1, "") if bare else None)
        if found and found[0] >= top:
            rank, marker = found
            body = line[len(marker) :].strip()
            head = heading_of(body)
            node = Node(rank, marker.strip(), head, s, e, s + len(marker) + len(head))
            while stack and stack[-1].rank >= rank:
                stack.pop()
            (stack[-1].children if stack else roots).append(node)
            stack.append(node)
            for ancestor in stack:
                ancestor.end = e
            continue
        if not stack:
            preamble.append((s, e))
            continue
        stack[-1].paragraphs.append((s, e))
        for ancestor in stack:
            ancestor.end = e
    closing: list[tuple[int, int]] = []
    if roots:
        # Closing words (总之…, 特此报告) trail the deepest last node; they are not its body.
        last = roots[-1]
        while last.children:
            last = last.children[-1]
        tail = [p for p in last.paragraphs if _CLOSING.match(text[p[0] : p[1]])]
        if tail:
            cut_at = tail[0][0]
            closing = [p for p in last.paragraphs if p[0] >= cut_at]
            last.paragraphs = [p for p in last.paragraphs if p[0] < cut_at]
            _shrink(roots, cut_at - 1)
    return preamble, roots, closing


def _bare_part(line: str) -> bool:
    """A bare heading among numbered ones that opens the problems or the plans (一、…工作情况,
    存在的问题, 三、2024年工作计划): the part is named, its number left off."""
    return len(line) <= 20 and bool(_PROBLEM_CUES.search(line) or _PLAN_CUES.search(line))


def _marker_rank(line: str) -> int | None:
    found = _marker(line)
    return found[0] if found else None


def _shrink(nodes: list[Node], end: int) -> None:
    for node in nodes:
        if node.end > end:
            node.end = max(node.start, end)
            _shrink(node.children, end)


def _figures_in(figures: list[Figure], start: int, end: int) -> list[Figure]:
    """Figures wholly inside [start, end); ``figures`` are in text order, so this is a bisect,
    which keeps the structure step linear in the size of the text."""
    lo = bisect.bisect_left(figures, start, key=lambda f: f.start)
    found: list[Figure] = []
    for i in range(lo, len(figures)):
        f = figures[i]
        if f.start >= end:
            break
        if f.end <= end:
            found.append(f)
    return found


def sections_from_tree(
    text: str, skip_lines: int, figures: list[Figure], *, speech: bool = False
) -> list[Section]:
    """Sections of the clean text. ``speech``: a 政府工作报告, whose parts always run review ->
    plans -> the government's own conduct, so a part whose heading names no kind (福建: 二、牢记历史使命…)
    after the review is plans."""
    preamble, roots, closing = build_tree(text, skip_lines)
    sections: list[Section] = []
    if preamble:
        s, e = preamble[0][0], preamble[-1][1]
        sections.append(
            Section(kind=SectionKind.OTHER, heading="", start=s, end=e, figures=_figures_in(figures, s, e))
        )
    after_plans = seen_review = False
    review_year = 0
    for node in roots:
        kinds = classify_heading(node.heading)
        years = [int(y) for y in _YEAR.findall(node.heading)]
        later = bool(review_year and years and max(years) > review_year)
        if kinds == [SectionKind.MEASURES] and later and not _PAST_CUES.search(node.heading):
            kinds = [SectionKind.PLANS]  # 关于2025年工作, 2025年工作举措 after 2024年工作回顾
        elif SectionKind.MEASURES in kinds and _DONE_CUES.search(node.heading) and years:
            review_year = max(review_year, *years)
        if kinds == [SectionKind.MEASURES] and not _DONE_CUES.search(node.heading):
            if after_plans or (speech and seen_review):
                kinds = [SectionKind.PLANS]  # task sections that follow the plans (政府工作任务 一…十)
            elif _tense(text[node.start : node.end]) == "future":
                kinds = [SectionKind.PLANS]
        after_plans = after_plans or SectionKind.PLANS in kinds
        seen_review = seen_review or SectionKind.MEASURES in kinds
        for kind, heading, start, end, children, paragraphs in _split(text, node, kinds):
            section = Section(
                kind=kind, heading=heading, start=start, end=end, figures=_figures_in(figures, start, end)
            )
            section.items = _items(text, kind, [heading], children, paragraphs, figures)
            sections.append(section)
    if closing:
        s, e = closing[0][0], closing[-1][1]
        sections.append(
            Section(kind=SectionKind.OTHER, heading="", start=s, end=e, figures=_figures_in(figures, s, e))
        )
    if not any(section.kind == SectionKind.PROBLEMS for section in sections):
        sections = _problems_in_review(text, sections, figures)
    return sections


def _problems_in_review(text: str, sections: list[Section], figures: list[Figure]) -> list[Section]:
    """A report with no problems heading may name its problems in a paragraph of the review
    (同时，我们也清醒地认识到，…; 在肯定成绩的同时，我们也清醒看到面临的困难和挑战): that paragraph is
    the problems section, cut out of the review."""
    for k, section in enumerate(sections):
        if section.kind not in (SectionKind.MEASURES, SectionKind.RESPONSIBILITY):
            continue
        for m in _LINE.finditer(text, section.start, section.end):
            if m.start() == section.start or not _PROBLEMS_LEAD.match(m.group(0)):
                continue
            a, b = m.start(), m.end()
            before = _clipped(section, section.start, a - 1, figures)
            problems = Section(kind=SectionKind.PROBLEMS, heading=heading_of(m.group(0))[:40], start=a, end=b,
                               figures=_figures_in(figures, a, b))  # fmt: skip
            problems.items = _items(text, SectionKind.PROBLEMS, [problems.heading], [], [(a, b)], figures)
            after = [_clipped(section, b + 1, section.end, figures)] if b + 1 < section.end else []
            return [*sections[:k], before, problems, *after, *sections[k + 1 :]]
    return sections


def _clipped(section: Section, start: int, end: int, figures: list[Figure]) -> Section:
    """The part of a section between ``start`` and ``end``, with the items that begin there."""
    items = [
        item.model_copy(
            update={"end": min(item.end, end), "text": item.text[: max(0, min(item.end, end) - item.start)]}
        )
        for item in section.items
        if start <= item.start < end
    ]
    return section.model_copy(
        update={"start": start, "end": end, "items": items, "figures": _figures_in(figures, start, end)}
    )


def _tense(body: str) -> str:
    """``future`` when a body speaks mostly of what will be done, else ``past``."""
    future, past = len(_FUTURE.findall(body)), len(_PAST.findall(body))
    return "future" if future > 2 * past + 1 else "past"


_Part = tuple[SectionKind, str, int, int, list[Node], list[tuple[int, int]]]


def _split(text: str, node: Node, kinds: list[SectionKind]) -> list[_Part]:
    """One part per kind of a mixed heading (问题和建议), else the node whole."""
    whole: _Part = (kinds[0], node.heading, node.start, node.end, node.children, node.paragraphs)
    if len(kinds) == 1:
        return [whole]
    lead = [p for p in node.paragraphs if not node.children or p[1] <= node.children[0].start]
    turn = next((i for i, (s, e) in enumerate(lead) if i and _PLAN_SPLIT.search(heading_of(text[s:e]))), None)
    if node.children and turn is not None and kinds == [SectionKind.PROBLEMS, SectionKind.PLANS]:
        # 二、存在的问题和下一步计划: the problems in prose, then 下一步，我镇将抓好以下工作： and the
        # numbered plans
        first, second = lead[:turn], node.paragraphs[turn:]
        return [
            (kinds[0], node.heading, node.start, first[-1][1], [], first),
            (kinds[1], node.heading, second[0][0], node.end, node.children, second),
        ]
    if node.children:
        parts: list[_Part] = []
        current = kinds[0]
        for child in node.children:
            child_kinds = classify_heading(child.heading)
            explicit = (
                child_kinds[0] if child_kinds[0] in kinds and child_kinds != [SectionKind.MEASURES] else None
            )
            kind = explicit or current
            current = kind
            container = explicit is not None and bool(child.children)
            if container:
                parts.append((kind, child.heading, child.start, child.end, child.children, child.paragraphs))
            elif parts and parts[-1][0] == kind and parts[-1][1] == node.heading:
                k, h, s, _, ch, pa = parts[-1]
                parts[-1] = (k, h, s, child.end, [*ch, child], pa)
            else:
                parts.append((kind, node.heading, child.start, child.end, [child], []))
        return parts
    paras = node.paragraphs
    for idx, (s, e) in enumerate(paras):
        if idx and _PLAN_SPLIT.search(heading_of(text[s:e])):
            first, second = paras[:idx], paras[idx:]
            return [
                (kinds[0], node.heading, node.start, first[-1][1], [], first),
                (kinds[1], node.heading, second[0][0], node.end, [], second),
            ]
    return [whole]


def _items(
    text: str,
    kind: SectionKind,
    path: list[str],
    children: list[Node],
    paragraphs: list[tuple[int, int]],
    figures: list[Figure],
) -> list[Item]:
    item_kind = ITEM_KIND_OF_SECTION[kind]

    def make(heading: str, start: int, end: int, marker: str | None) -> Item:
        return Item(
            kind=item_kind,
            heading=heading,
            text=text[start:end],
            start=start,
            end=end,
            path=[*path, heading],
            marker=marker,
            figures=_figures_in(figures, start, end),
        )

    # Target sentences (主要预期目标是：A；B，C…): one item per target, wherever they stand.
    targets = [(s, e) for s, e in paragraphs if kind == SectionKind.PLANS and _is_target_list(text, s, e)]

    def target_items(spans: list[tuple[int, int]]) -> list[Item]:
        return [
            make(heading_of(text[ts:te]), ts, te, None) for s, e in spans for ts, te in _targets(text, s, e)
        ]

    if children:
        return [*target_items(targets), *(make(c.heading, c.start, c.end, c.marker) for c in children)]
    inline = _inline_items(text, [p for p in paragraphs if p not in targets])
    if len(inline) >= 2:
        # A target sentence after an enumeration of principles (一要…二要…) is not part of its
        # last item: its targets are their own.
        found = [make(h, s, e, m) for h, s, e, m in _cut_at(inline, targets)]
        return sorted([*found, *target_items(targets)], key=lambda item: item.start)
    items: list[Item] = []
    for idx, (s, e) in enumerate(paragraphs):
        para = text[s:e]
        if idx == 0 and (para.endswith(("：", ":")) or (len(para) < 40 and _INTRO.search(para))):
            continue
        if (s, e) in targets:
            items.extend(target_items([(s, e)]))
            continue
        items.append(make(heading_of(para), s, e, None))
    return items


def _cut_at(
    inline: list[tuple[str, int, int, str]], spans: list[tuple[int, int]]
) -> list[tuple[str, int, int, str]]:
    """Inline items ended before the first of ``spans`` they would run over."""
    out = []
    for h, s, e, m in inline:
        end = min([a for a, _ in spans if s < a < e], default=e)
        out.append((h, s, end - 1 if end < e else e, m))
    return out


def _inline_items(text: str, paragraphs: list[tuple[int, int]]) -> list[tuple[str, int, int, str]]:
    found: list[tuple[str, int, int, str]] = []
    for s, e in paragraphs:
        para = text[s:e]
        marks = list(_INLINE.finditer(para))
        if not marks and INLINE_MARKER.match(para) is None:
            if found:
                # A plain paragraph after an enumeration continues its last item.
                h, fs, _, m = found[-1]
                found[-1] = (h, fs, e, m)
            continue
        for k, mark in enumerate(marks):
            start = s + mark.start("m")
            end = s + (marks[k + 1].start("m") if k + 1 < len(marks) else len(para))
            body = text[s + mark.end("m") : end].strip()
            found.append((heading_of(body), start, end, mark.group("m").rstrip("，")))
    return found


_TARGET_QUALIFIERS = {"左右", "以上", "以内", "以下", "上下"}


def _is_target_list(text: str, start: int, end: int) -> bool:
    """A sentence of targets: 目标是：A；B；C, or a short run of clauses that each carry one."""
    para = text[start:end]
    if _TARGET_INTRO.search(para):
        return True
    from report_tracker.understanding.figures import extract_figures  # noqa: PLC0415 - avoid a cycle

    qualified = [f for f in extract_figures(para) if f.qualifier in _TARGET_QUALIFIERS]
    return len(qualified) >= 2 and len(para) < 120


def _targets(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``目标是：A；B，C；D。`` -> spans of A, B, C, D (a clause per target with its own figure)."""
    para = text[start:end]
    m = _TARGET_INTRO.search(para)
    body_start = m.end() if m else 0
    sentence_end = para.find("。", body_start)
    body_end = sentence_end if sentence_end != -1 else len(para)
    spans: list[tuple[int, int]] = []
    pos = body_start
    for piece in re.split(r"([；;，,])", para[body_start:body_end]):
        if piece in {"；", ";", "，", ","}:
            pos += len(piece)
            continue
        if piece.strip():
            if spans and piece.startswith(("并", "且", "其中", "同时")):
                spans[-1] = (spans[-1][0], start + pos + len(piece))
            else:
                spans.append((start + pos, start + pos + len(piece)))
        pos += len(piece)
    return spans or [(start, end)]
