"""One commitment per target or measure: the plans cut into what can be checked separately.

Method (docs/method.md, "Commitments"): every paragraph of a plans section is cut into
1. inline enumerations (一是…二是…, ①②, （1）（2）);
2. sentences (。！？；), an introduction ending in ： dropped (今年主要预期目标是：);
3. clauses: in a sentence of targets (two or more figures, or 预期目标), one clause per target
   (地区生产总值增长5%左右 / 城镇新增就业80万人以上); elsewhere a comma starts a new commitment when
   the next clause opens with an action verb (…重大项目建设，开工建设水乡旅游线城际铁路) or carries
   a figure of its own; 、-lists of figures (农村公路1000公里、桥梁50座) are split too.
The heading a commitment sits under (its section, its numbered item, a short lead sentence such as
打好政策“组合拳”。) is kept in ``path`` as context, not as its text. Principles and guiding ideas
(坚持党的全面领导, 以…为指导, the 总体要求 paragraph) and introductions (重点抓好以下工作) are context:
nothing is judged about them. Offsets are those of the report.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from report_tracker.models.report import Figure, Item, ItemKind, Report, SectionKind
from report_tracker.reading.clean import ITEM_NUMBER
from report_tracker.understanding.structure import heading_of

_MARKER = re.compile(
    rf"^\s*(?:[一二三四五六七八九十]+\s*[、.]|（[一二三四五六七八九十]+）|{ITEM_NUMBER}|（\d{{1,2}}）|[①-⑳]|"
    r"第[一二三四五六七八九十]+部分[，、：\s]?)"
)
_TOP_MARKER = re.compile(r"^\s*(?:[一二三四五六七八九十]+\s*[、.]|（[一二三四五六七八九十]+）)")
_ENUMERATION = re.compile(
    r"(?:^|(?<=[。；：！？]))\s*(?:[一二三四五六七八九十]是|[一二三四五六七八九十]要(?=[\u4e00-\u9fff])|[①②③④⑤⑥⑦⑧⑨⑩]|"
    r"[（(]\d{1,2}[）)]|第[一二三四五六七八九十]，)"
)
_SENTENCE = re.compile(r"[^。；！？：]+[。；！？：]?")
_VERB = (
    "加快|推进|推动|开工|建成|建设|实施|开展|完成|深化|加强|强化|支持|落实|打造|培育|提升|促进|健全|完善|优化|"
    "扩大|新增|启动|组织|布局|力争|确保|争创|举办|持续|积极|大力|全面|稳步|深入|着力|扎实|有序|统筹|构建|创建|"
    "出台|制定|做好|抓好|办好|改造|新建|引进|坚决|严格|提高|巩固|探索|争取|用好|拓展|壮大|筑牢|守住|兜牢|打好|"
    "聚焦|突出|鼓励|引导|规范|整治|推广|加大|降低|减少|控制|实现|开通|设立|组建|筹建|修订|编制|召开|培训|配备|"
    "配齐|建立|发展|稳定|保障|保持|改善|开发|发挥|放大|释放|激发|畅通|融入|承办|迎接|争当|办成|高质量|高标准|"
    "全力|进一步|不断|切实|认真|继续|常态化|依法|坚持|上线|推行|贯彻|争创|评查|办理|审查|清理|公布|公开|印发|"
    "擦亮|叫响|打响|做强|做优|做大|做实|做精"
)
_VERB_LED = re.compile(f"^(?:{_VERB})")
_SUBHEADING = re.compile(f"^(?:{_VERB})[^，,：:。]{{2,16}}。$|^[^，,：:。]{{2,12}}。$")
_TARGETS = re.compile(r"预期目标|主要目标是|目标是|目标任务是")
_TARGET_QUALIFIER = re.compile(r"左右|以上|以内|以下|上下|不低于|不少于|不超过|控制在|达到|超过")
# Clauses that qualify the target before them rather than set one (在实际工作中努力争取更好结果).
_QUALIFYING = re.compile(r"^(?:在实际工作中|根据实际情况|实际工作中|努力争取|争取更好|并|且|其中|同时|分别)")
# A purpose clause (让…充分释放, 使…, 从而…): why the measure is taken, not a measure of its own.
_PURPOSE = re.compile(r"^(?:让|使|使得|从而|进而|以便|以此|为此|惠及|助力|为(?!\d))")
_AIM = re.compile(r"^(?:力争|确保|争取|努力|全年|每年|每月|每季度)")
_PRINCIPLE = re.compile(
    r"^(?:坚持(?!办好|开展|举办|实施|每年|做好)|始终坚持|必须|牢牢把握|深刻领悟|牢记|以习近平)|为指导|总基调|总体要求是|指导思想"
)
_INTRO = re.compile(
    r"(?:以下|如下|下列|几个方面|[一二三四五六七八九十]个方面|方面工作|重点抓好|重点做好|重点任务)[^。]{0,8}[：:。]?$"
)
_GENERAL_CONTEXT = re.compile(r"总体要求|指导思想|主要考虑|基本原则|政府自身建设|自身建设")
MIN_UNIT = 6


@dataclass
class _Span:
    start: int
    end: int


def commitments(report: Report) -> list[Item]:
    """The report's commitments, one per separately checkable target or measure."""
    out: list[Item] = []
    for section in report.sections:
        if section.kind != SectionKind.PLANS:
            continue
        figures = section.figures
        context: list[str] = [section.heading]
        pos = section.start
        for line in report.text[section.start : section.end].split("\n"):
            start, end = pos, pos + len(line)
            pos = end + 1
            if not line.strip() or (start == section.start and heading_of(line.strip()) == section.heading):
                continue  # a bare heading (下一步工作打算) opens the section, as a numbered one would
            marker = _MARKER.match(line)
            body_start = start + (marker.end() if marker else 0)
            body = report.text[body_start:end]
            lead = heading_of(body)
            rest = body[len(lead) :].lstrip("。；：:！？ ")
            top = bool(marker and _TOP_MARKER.match(line))
            heading_only = (
                marker and (not rest or len(rest) < MIN_UNIT) and not _has_figure(figures, body_start, end)
            )
            # A heading line is context for what follows; a one-line promise (1.加强法治学习。) is not.
            if heading_only and (
                start == section.start or "。" not in body or (top and not _VERB_LED.match(lead))
            ):
                context = [section.heading, lead] if top else [*context[:2], lead]
                continue
            if marker:
                context = [section.heading, lead] if top else [*context[:2]]
            path = [*context, lead] if marker and not top else [*context]
            general = any(_GENERAL_CONTEXT.search(p) for p in path)
            out.extend(
                _paragraph(
                    report,
                    body_start,
                    end,
                    path,
                    marker.group(0).strip() if marker else None,
                    figures,
                    general,
                )
            )
    return out


def _has_figure(figures: list[Figure], start: int, end: int) -> bool:
    return any(start <= f.start < end for f in figures)


def _paragraph(
    report: Report,
    start: int,
    end: int,
    path: list[str],
    marker: str | None,
    figures: list[Figure],
    general: bool,
) -> list[Item]:
    text = report.text
    # 1. inline enumerations (searched in the paragraph itself, so ^ is its start)
    marks = [start + m.start() for m in _ENUMERATION.finditer(text[start:end])]
    parts: list[tuple[int, int]] = []
    if len(marks) >= 2:
        if marks[0] > start:
            parts.append((start, marks[0]))
        bounds = [*marks, end]
        parts += [(a, b) for a, b in itertools.pairwise(bounds)]
    else:
        parts = [(start, end)]
    out: list[Item] = []
    for a, b in parts:
        enum = _ENUMERATION.match(text[a:b])
        unit_start = a + enum.end() if enum else a
        sentences = [
            (unit_start + m.start(), unit_start + m.end()) for m in _SENTENCE.finditer(text[unit_start:b])
        ]
        local_path = path
        for k, (s0, e) in enumerate(sentences):
            lead_mark = _ENUMERATION.match(text[s0:e])
            s = (
                s0 + lead_mark.end() if lead_mark else s0
            )  # 一是… in a paragraph with a single clause so numbered
            sentence = text[s:e].strip()
            if len(sentence.strip("。；！？： ")) < MIN_UNIT:
                continue
            intro = _TARGETS.search(sentence) or _INTRO.search(sentence) or len(sentence) < 40
            if sentence.endswith(("：", ":")) and intro:
                continue  # 今年主要预期目标是： / 重点抓好以下工作：
            if (
                k == 0
                and len(sentences) > 1
                and _SUBHEADING.match(sentence)
                and not _has_figure(figures, s, e)
            ):
                local_path = [*path, sentence.rstrip("。")]  # 打好政策“组合拳”。 leads what follows
                continue
            if _INTRO.search(sentence.rstrip("。")) and len(sentence) < 40:
                continue
            if _PRINCIPLE.search(sentence) and not _has_figure(figures, s, e):
                continue
            if general and not _has_figure(figures, s, e):
                continue  # the 总体要求 and the government's own conduct: context, not promises
            out.extend(_clauses(report, s, e, local_path, marker, figures))
    return out


# The words that open a plans paragraph in prose, before its first measure
_PLAN_LEAD = re.compile(
    r"^(?:下一步|下步|下阶段|今后|明年|新的一年|(?:19|20)\d\d年)[，,]?\s*"
    r"(?:我们|我镇|我乡|我街道|我县|我区|我市|全镇|全乡|全街道|镇党委、?镇政府|镇政府|乡政府)?(?:将|要)(?:继续|重点|着力)?"
)


def _clauses(
    report: Report, start: int, end: int, path: list[str], marker: str | None, figures: list[Figure]
) -> list[Item]:
    text = report.text
    sentence = text[start:end]
    own = [f for f in figures if start <= f.start < end]
    qualified = [
        f for f in own if f.qualifier or _TARGET_QUALIFIER.search(text[max(start, f.start - 4) : f.end + 3])
    ]
    targets = len(qualified) >= 2 or bool(_TARGETS.search(text[max(0, start - 30) : start + 10]))
    pieces: list[_Span] = []
    purpose = False
    for m in re.finditer(r"[^，,；;]+[，,；;]?", sentence):
        a, b = start + m.start(), start + m.end()
        clause = m.group(0).strip()
        has_fig = _has_figure(own, a, b)
        qualifies = bool(_AIM.match(clause)) and len(clause) < 12  # 力争创建3个: the aim of the clause before
        new = not pieces or (
            (targets and not _QUALIFYING.match(clause))
            or (_VERB_LED.match(clause) and len(clause.rstrip("，,；;。")) >= MIN_UNIT and not qualifies)
            or (has_fig and len(clause) >= 8 and not qualifies)
        )
        if targets and _QUALIFYING.match(clause) and not has_fig:
            continue  # 在实际工作中努力争取更好结果: not a target of its own
        if pieces and _PURPOSE.match(clause) and not has_fig:
            purpose = True  # why the measure is taken (让…充分释放，惠及全省人民): not a measure
        elif new:
            purpose = False
        if purpose:
            continue  # the purpose goes on until a new measure starts

        if new:
            pieces.append(_Span(a, b))
        else:
            pieces[-1].end = b
    out: list[Item] = []
    for piece in pieces:
        for a, b in _split_figure_list(text, piece.start, piece.end, own):
            unit = text[a:b]
            clean = unit.strip().rstrip("，,；;。：:")
            figured = _has_figure(own, a, b)
            if len(clean) < (4 if figured else MIN_UNIT) or (_PRINCIPLE.search(clean) and not figured):
                continue
            s = a + len(unit) - len(unit.lstrip())
            e = s + len(clean)
            lead = _PLAN_LEAD.match(clean)
            if lead and len(clean) - lead.end() >= MIN_UNIT:
                s, clean = s + lead.end(), clean[lead.end() :]  # 下一步，我镇将继续深化… -> 深化…
            out.append(
                Item(
                    kind=ItemKind.COMMITMENT,
                    heading=clean,
                    text=clean,
                    start=s,
                    end=e,
                    path=[p for p in path if p] + [clean],
                    marker=marker,
                    figures=_targets(text, [f for f in own if s <= f.start < e]),
                )
            )
    return out


# Between a qualifying figure and the target it qualifies: no list separator, only the words
# of the thing counted (500万元以上技改项目1.2万个, 由18小时缩短到5小时, 65岁及以上老人…65%).
_QUALIFIER_GAP = re.compile(r"^(?:及以上|及以下)?[^，,；;、和与。：:]{0,20}$")


def _targets(text: str, figures: list[Figure]) -> list[Figure]:
    """The figures a unit is judged on: a figure that only qualifies the next one is left out.

    ``实施500万元以上技改项目1.2万个`` promises 1.2万个 projects; 500万元以上 says which.
    """
    return [
        f
        for f, nxt in itertools.zip_longest(figures, figures[1:])
        if nxt is None or not _QUALIFIER_GAP.match(text[f.end : nxt.start])
    ]


def _split_figure_list(text: str, start: int, end: int, figures: list[Figure]) -> list[tuple[int, int]]:
    """农村公路1000公里、桥梁50座 -> two units, when each part of the 、-list has its own figure."""
    inside = [f for f in figures if start <= f.start < end]
    if len(inside) < 2:
        return [(start, end)]
    cuts = [start]
    for f in inside[1:]:
        sep = max(text.rfind("、", cuts[-1], f.start), text.rfind("和", cuts[-1], f.start))
        prev = [g for g in inside if cuts[-1] <= g.start < f.start]
        if sep > cuts[-1] and prev and prev[-1].end <= sep:
            cuts.append(sep + 1)
    if len(cuts) == 1:
        return [(start, end)]
    bounds = [*cuts, end]
    return [
        (a, b - 1 if text[b - 1 : b] in "、和" and b != end else b) for a, b in itertools.pairwise(bounds)
    ]
