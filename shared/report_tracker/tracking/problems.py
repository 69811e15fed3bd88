"""Problems across years: named again (recurring), answered by a claimed result, or dropped.

Method: docs/method.md ("Problems across years").
"""

from __future__ import annotations

import re

from report_tracker.models.report import Item, ItemKind, Report
from report_tracker.models.tracking import Evidence, ProblemStatus, ProblemVerdict
from report_tracker.tracking.lexicon import bigrams
from report_tracker.tracking.matching import REVIEW_KINDS, Index, Passage, anchor

# Words that frame a shortcoming; a measure that fixes it does not repeat them.
FRAMING = re.compile(
    r"有待(?:提高|加强|提升|完善)?|不够|较为|较弱|薄弱|不足|不强|欠缺|仅|存在|仍然|依然|仍|单一|淡薄|不高|偏少|短缺|"
    r"偏大|偏低|偏弱|不到位|不完善|不健全|不平衡|不充分|滞后|缺乏|部分|一些|个别|少数|问题|还|尚|需要|亟待|"
    r"易发|多发|频发|高发|较大|较多|突出|总量"  # 纠纷易发多发 / 纠纷总量仍然较大: how much, not what
)
_SENT = re.compile(r"[^。；！？\n]+[。；！？]?")
_ENUM = re.compile(r"^(?:[一二三四五六七八九十]是|\d{1,2}[.、]|（\d{1,2}）|（[一二三四五六七八九十]）)")
RECURRING = 0.5
RESOLVED = 0.45
MAX_EVIDENCE = 3


_CLAUSE = re.compile(r"[^，,]+[，,]?")
# A clause that explains the one before it rather than names a problem of its own.
_CONTINUES = re.compile(
    r"^(?:仍以|如|比如|例如|导致|致使|造成|特别是|尤其是|主要是|以|其中|遇事|遇到|难以|影响)"
)


# The words that introduce the problems, up to a colon: …但仍存在一些不足：, 主要表现在：
_LEAD = re.compile(
    r"^[^：:]{0,60}(?:问题|不足|短板|差距|困难|挑战|如下|表现在|表现为|主要是|方面)[^：:，,]{0,6}[：:]"
    # 在肯定成绩的同时，我们也清醒看到面临的困难和挑战。 (the review's turn to its problems)
    r"|^(?:[^。：:，,]{0,16}同时[，,])?[^。：:，,]{0,30}清醒(?:地)?(?:认识到|看到)"
    r"(?:[^，,。；：:]{0,24}(?:困难|问题|挑战|不足|短板|差距)[^，,。；：:]{0,6})?[，,：:。]?"
)
# The summary before the problems (发展还面临不少困难和挑战), not one of them
_SUMMARY = re.compile(
    r"^[^，,]{0,12}(?:面临|存在|遇到|还有)(?:着)?(?:不少|一些|诸多|许多|较多|很多)(?:的)?"
    r"(?:困难|问题|挑战|不足|短板|风险)(?:[和、与及]?(?:困难|问题|挑战|不足|短板|风险|弱项))*$"
)
# A resolve that closes the problems (我们一定正视问题，…决不辜负人民期待), not one of them
_RESOLVE = re.compile(
    r"^(?:(?:我们|我镇|我乡|我县|我区|我市|我街道)(?:一定|要|将|必须|务必|决不|坚决|会)|一定要|必须|务必|决不|坚决"
    r"|要(?![素件点]))|辜负|不负"
)


def problem_units(report: Report) -> list[Item]:
    """One problem per clause of the problems section: 法治宣传形式较为单一，…，对留守老人…覆盖不够
    names two problems. A clause that explains the one before (仍以发放资料为主) stays with it."""
    out: list[Item] = []
    for item in report.items(ItemKind.PROBLEM):
        for m in _SENT.finditer(item.text):
            sentence = m.group(0)
            sentence_start = item.start + m.start()
            lead = _LEAD.match(sentence)
            if lead:  # 虽然取得一定成效，但仍存在一些不足：… — the problems follow the colon
                sentence = sentence[lead.end() :]
                sentence_start += lead.end()
            if _RESOLVE.match(sentence.strip()):
                continue  # 我们将高度重视，切实加以解决: the whole sentence is the resolve
            spans: list[list[int]] = []
            for c in _CLAUSE.finditer(sentence):
                clause = c.group(0).strip().rstrip("，,。；！？")
                a = sentence_start + c.start()
                if spans and (len(clause) < 6 or _CONTINUES.match(clause)):
                    spans[-1][1] = sentence_start + c.end()
                else:
                    spans.append([a, sentence_start + c.end()])
            for a, b in spans:
                raw = report.text[a:b]
                text = _ENUM.sub("", raw.strip()).strip().rstrip("，,。；！？")
                if (
                    len(text) < 6
                    or re.search(r"如下|以下|主要表现|原因", text)
                    or _RESOLVE.search(text)
                    or _SUMMARY.match(text)
                ):
                    continue
                start = a + raw.find(text[:4]) if text[:4] in raw else a
                out.append(
                    item.model_copy(
                        update={"text": text, "heading": text, "start": start, "end": start + len(text)}
                    )
                )
    return out


def similarity(a: str, b: str) -> float:
    """Paraphrase-tolerant likeness of two problems' topics: bigram and character overlap together
    (综合行政执法力量薄弱 / 综合执法队伍专业力量不足)."""
    ta, tb = _topic(a), _topic(b)
    chars_a, chars_b = set(re.sub(r"[^\u4e00-\u9fff]", "", ta)), set(re.sub(r"[^\u4e00-\u9fff]", "", tb))
    unigram = 2 * len(chars_a & chars_b) / (len(chars_a) + len(chars_b)) if chars_a and chars_b else 0.0
    return 0.5 * dice(bigrams(ta), bigrams(tb)) + 0.5 * unigram


def _topic(text: str) -> str:
    return FRAMING.sub("，", text)


def dice(a: list[str], b: list[str]) -> float:
    sa, sb = {g for g in a if not g.startswith("~")}, {g for g in b if not g.startswith("~")}
    return 2 * len(sa & sb) / (len(sa) + len(sb)) if sa and sb else 0.0


def judge_problems(
    earlier: Report, later: Report, passages: list[Passage], index: Index
) -> list[ProblemVerdict]:
    later_units = problem_units(later)
    measures = [p for p in passages if p.kind in REVIEW_KINDS]
    out: list[ProblemVerdict] = []
    for problem in problem_units(earlier):
        topic = _topic(problem.text)
        grams = bigrams(topic)
        again = sorted(
            ((max(similarity(problem.text, o.text), _anchor_share(topic, o.text)), o) for o in later_units),
            key=lambda x: -x[0],
        )
        best = again[0][0] if again else 0.0
        verdict = ProblemVerdict(text=problem.text, heading=problem.heading, status=ProblemStatus.DROPPED,
                                 similarity=round(best, 3))  # fmt: skip
        if best >= RECURRING:
            verdict.status = ProblemStatus.RECURRING
            verdict.reason = f"named again: the later report's problems repeat it (likeness {best:.2f})"
            verdict.confidence = round(min(0.99, best), 3)
            verdict.evidence = [
                Evidence(
                    text=o.text,
                    section=" > ".join(o.path[:-1]),
                    start=o.start,
                    end=o.end,
                    score=round(score, 3),
                )
                for score, o in again[:MAX_EVIDENCE]
                if score >= RECURRING
            ]
        else:
            addressed = sorted(
                (
                    (cover, p)
                    for p in measures
                    if (cover := index.coverage(grams, p.grams)) >= RESOLVED
                    and len(anchor(topic, p.text)) >= 3
                ),
                key=lambda x: -x[0],
            )
            if addressed:
                verdict.status = ProblemStatus.RESOLVED_CLAIMED
                verdict.reason = "result claimed: the later report's review reports work on its topic"
                verdict.confidence = round(min(0.99, addressed[0][0]), 3)
                verdict.evidence = [
                    Evidence(text=p.text, section=p.section, start=p.start, end=p.end, score=round(cover, 3))
                    for cover, p in addressed[:MAX_EVIDENCE]
                ]
            else:
                verdict.reason = "not named: the later report names neither the problem nor progress on it"
                verdict.confidence = round(max(0.05, 1.0 - best), 3)
        verdict.later = verdict.evidence[0] if verdict.evidence else None
        out.append(verdict)
    return out


def _anchor_share(topic: str, other: str) -> float:
    """Share of the problem's own words found together in the other text (paraphrase-tolerant)."""
    pieces = [p for p in re.split(r"[，,]+", topic) if len(p) >= 2]
    if not pieces:
        return 0.0
    total = sum(len(p) for p in pieces)
    found = sum(len(anchor(p, other)) for p in pieces)
    return found / total if total else 0.0
