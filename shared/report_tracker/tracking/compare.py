"""Promises kept? The commitments of one report checked against the next report's review.

How a verdict is reached (also in the README):
1. The later report is cut into passages (sentences) outside its plans sections.
2. Text is canonicalised (synonyms such as 普法 -> 法治宣传), digits and punctuation dropped,
   and split into character bigrams; each bigram weighs its IDF over the later report, so
   words every report uses (法治, 工作) count little and distinctive ones count much.
3. A commitment's coverage by a passage = weighted share of its bigrams found there
   (heading weighs more than body). The best three passages are its evidence.
4. Figures are the strongest anchor: each target figure is looked for in the later report
   with the same unit and the same words before it; met or not decides fulfilled/missed
   (unemployment, prices and 以内 targets are ceilings; growth, output and 以上 are floors).
5. Without a comparable figure: a strong passage reporting completion -> fulfilled; a strong
   passage in the problems section or saying 未/尚未 -> missed; a vague one (稳步推进) or a
   weak match -> partial; nothing -> a blanket claim (全面完成) makes it partial, else
   not_reported.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from report_tracker.models.report import Figure, Item, ItemKind, Report, SectionKind
from report_tracker.models.tracking import (
    CommitmentStatus,
    CommitmentVerdict,
    Comparison,
    Evidence,
    FigureChange,
    FigureCheck,
    ProblemStatus,
    ProblemVerdict,
    Reuse,
    ReuseSpan,
)
from report_tracker.tracking.commitments import commitments
from report_tracker.understanding.figures import figures_of

# Spelling variants common in these reports, mapped to one form before matching.
SYNONYMS: list[tuple[str, str]] = [
    ("法治宣传教育", "法治宣传"), ("普法宣传", "法治宣传"), ("普法", "法治宣传"), ("法制宣传", "法治宣传"),
    ("执法监督", "行政执法"), ("执法队伍", "执法人员"), ("矛盾纠纷", "纠纷"), ("调处", "调解"),
    ("建成", "建设"), ("开通", "建设"), ("聘请", "配备"), ("配齐", "配备"), ("配强", "配备"),
    ("培育", "培养"), ("国内生产总值", "GDP"), ("居民消费价格", "CPI"), ("涨幅", "上涨"),
    ("降幅", "降低"), ("下降", "降低"), ("全覆盖", "覆盖"), ("新增就业", "就业"),
    # Plans promise 新媒体; reviews name the channel they opened.
    ("微信公众号", "新媒体"), ("公众号", "新媒体"), ("抖音号", "新媒体"), ("抖音", "新媒体"),
    ("视频号", "新媒体"), ("短视频", "新媒体"),
]  # fmt: skip
_DROP = re.compile(r"[^\u3400-\u9fffA-Za-z]+")
_PASSAGE = re.compile(r"[^。；！？\n]+[。；！？]?")
_DONE = re.compile(
    r"完成|实现|建成|建设了|开通|达到|新增|全部|已经|已|落实了|覆盖|累计|共计|共|取得|提升至|增长|培养"
)
_VAGUE = re.compile(r"稳步推进|有序推进|持续推进|正在|逐步|积极推进|不断推进|推进中|筹备|谋划")
_SHORT = re.compile(r"未能|尚未|未完成|没有|不到位|滞后|差距|不足|有待|仍需")
_BLANKET = re.compile(
    r"(?:全面|圆满|顺利|如期|基本|均已|全部)完成|目标任务[^。]{0,6}完成|完成[^。]{0,8}主要目标"
)
_CEILING = re.compile(r"失业率|价格|CPI|物价|涨幅|上涨|赤字|杠杆率|控制在|事故|发案")
_PERIOD = re.compile(r"年均|五年|十年|累计|多年|历史")
_AT_MOST = {"以内", "以下", "不超过", "之内"}
_UNIT_FAMILY = {"名": "人", "位": "人", "场次": "场", "人次": "人次", "家次": "家次"}

STRONG = 0.55
WEAK = 0.3
FIGURE_MATCH = 0.5


def canon(text: str) -> str:
    for variant, form in SYNONYMS:
        text = text.replace(variant, form)
    return text


def bigrams(text: str) -> list[str]:
    """Character bigrams and (marked with ~) single characters of the canonical text.

    Bigrams reward the same wording; single characters keep a reordered phrase
    (法治文化阵地 / 法治阵地) from scoring zero.
    """
    out: list[str] = []
    for run in _DROP.split(canon(text)):
        out.extend(run[i : i + 2] for i in range(len(run) - 1))
        out.extend(f"~{ch}" for ch in run)
    return out


# Verbs and set phrases every plan uses; the promise is in the nouns around them.
_COMMITMENT_FILLER = re.compile(
    r"进一步|持续|深化|加强|提升|提高|推进|推动|不断|切实|全面|营造|良好|氛围|水平|着力|大力|积极|努力|扎实|"
    r"健全|完善|强化|抓好|做好|坚持|注重"
)


def promise(text: str) -> list[str]:
    """Bigrams of a commitment without the filler verbs (加强执法监督 -> 执法监督)."""
    return bigrams(_COMMITMENT_FILLER.sub("，", text))


# Words that frame a shortcoming; a measure that fixes it does not repeat them.
_PROBLEM_FRAMING = re.compile(
    r"有待(?:提高|加强|提升)?|不够|较为|较弱|薄弱|不足|不强|欠缺|仅|存在|仍然|依然|单一|淡薄|不高|偏少|短缺"
)


@dataclass
class Passage:
    text: str
    start: int
    end: int
    section: str
    kind: SectionKind
    grams: set[str]


def _passages(report: Report) -> list[Passage]:
    out: list[Passage] = []
    structured = any(s.kind in {SectionKind.MEASURES, SectionKind.RESPONSIBILITY} for s in report.sections)
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
            out.append(
                Passage(
                    text,
                    start,
                    start + len(text),
                    section.heading or "(preamble)",
                    section.kind,
                    set(bigrams(text)),
                )
            )
        # Whole items too (heading and body, to a sentence end near 300 characters): a promise
        # is often answered by an item, not by one of its sentences.
        for item in section.items:
            if section.kind not in {SectionKind.MEASURES, SectionKind.RESPONSIBILITY} or len(item.text) < 20:
                continue
            cut = item.text.rfind("。", 0, 300)
            text = item.text if len(item.text) <= 300 or cut < 0 else item.text[: cut + 1]
            out.append(
                Passage(
                    text,
                    item.start,
                    item.start + len(text),
                    " > ".join(item.path[:-1]),
                    section.kind,
                    set(bigrams(text)),
                )
            )
    return out


class Index:
    """IDF over the passages of the later report."""

    def __init__(self, passages: list[Passage]) -> None:
        self.passages = passages
        df: Counter[str] = Counter()
        for p in passages:
            df.update(p.grams)
        n = max(1, len(passages))
        self.idf = {g: math.log(1 + n / (1 + c)) for g, c in df.items()}
        self.postings: dict[str, list[int]] = {}
        for k, p in enumerate(passages):
            for g in p.grams:
                self.postings.setdefault(g, []).append(k)
        self.max_idf = math.log(1 + n)

    def weight(self, gram: str) -> float:
        return self.idf.get(gram, self.max_idf)

    def score_all(self, query: list[str]) -> dict[int, float]:
        """Coverage of ``query`` by every passage at once, accumulated over posting lists."""
        acc: dict[int, list[float]] = {}
        for part, unique in enumerate(
            ({g for g in query if not g.startswith("~")}, {g for g in query if g.startswith("~")})
        ):
            total = sum(self.weight(g) for g in unique)
            if not total:
                continue
            for g in unique:
                share = self.weight(g) / total
                for n in self.postings.get(g, ()):
                    acc.setdefault(n, [0.0, 0.0])[part] += share
        return {n: 0.5 * b + 0.5 * u for n, (b, u) in acc.items()}

    def coverage(self, query: list[str], grams: set[str]) -> float:
        """IDF-weighted share of the query found in ``grams``: half bigrams, half characters."""
        parts = []
        for unique in ({g for g in query if not g.startswith("~")}, {g for g in query if g.startswith("~")}):
            total = sum(self.weight(g) for g in unique)
            parts.append(sum(self.weight(g) for g in unique if g in grams) / total if total else 0.0)
        return 0.5 * parts[0] + 0.5 * parts[1]

    def wording(self, query: list[str], grams: set[str]) -> float:
        """Bigram-only coverage: how much of the actual wording is shared."""
        unique = {g for g in query if not g.startswith("~")}
        total = sum(self.weight(g) for g in unique)
        return sum(self.weight(g) for g in unique if g in grams) / total if total else 0.0


def _unit(unit: str) -> str:
    return _UNIT_FAMILY.get(unit, unit)


def _figure_context(text: str, figure_start: int, base: int) -> str:
    """The words right before a figure, within its clause (target name: 城镇新增就业)."""
    head = text[max(0, figure_start - base - 16) : figure_start - base]
    head = re.split(r"[，。；：、,;]", head)[-1]
    return re.sub(r"^(?:全年|今年|年内|力争|确保|继续|累计|共|开展|组织|保持在|达到|实现)+", "", head)


_TRAILING_VERB = re.compile(
    r"(?:保持在|保持|控制在|达到|稳定在|提高到|提升至|不少于|不低于|不超过|超过|在|为)+$"
)


def _direction(figure: Figure, context: str) -> str:
    if figure.qualifier in _AT_MOST or (_CEILING.search(canon(context)) and figure.unit in {"%", "‰"}):
        return "at_most"
    return "at_least"


def _met(planned: Figure, reported: float, direction: str) -> bool:
    target = planned.value
    if direction == "at_most":
        ceiling = planned.upper or target
        return reported <= ceiling * (1.05 if planned.qualifier == "左右" else 1.0) + 1e-9
    slack = 0.97 if planned.qualifier in {"左右", "上下"} else 1.0
    return reported >= target * slack - 1e-9


class Comparer:
    def __init__(self, earlier: Report, later: Report) -> None:
        self.earlier = earlier
        self.later = later
        self.passages = _passages(later)
        self.index = Index(self.passages)
        self.later_figures = [f for f in figures_of(later) if self._in_review(f.start)]
        # Words before each reported figure, and whether its sentence speaks of several years.
        self._windows: list[tuple[Figure, set[str], bool]] = []
        for f in self.later_figures:
            passage = self._passage_at(f.start)
            window = set(bigrams(later.text[max(0, f.start - 22) : f.start]))
            self._windows.append((f, window, bool(passage and _PERIOD.search(passage.text))))
        self.blanket = next((p for p in self.passages if _BLANKET.search(p.text)), None)

    def _in_review(self, offset: int) -> bool:
        return any(p.start <= offset < p.end for p in self.passages)

    def _passage_at(self, offset: int) -> Passage | None:
        return next((p for p in self.passages if p.start <= offset < p.end), None)

    def _evidence(self, passage: Passage, score: float) -> Evidence:
        return Evidence(
            text=passage.text,
            section=passage.section,
            start=passage.start,
            end=passage.end,
            score=round(score, 3),
        )

    def scored(self, item: Item) -> list[tuple[float, Passage]]:
        """Every passage touching the commitment, with how well it covers it; best first."""
        head = self.index.score_all(promise(item.heading))
        body = self.index.score_all(promise(item.text))
        # The heading is the promise's gist: a passage that covers it scores at least that much.
        scored = [
            (max(head.get(n, 0.0), 0.6 * head.get(n, 0.0) + 0.4 * body.get(n, 0.0)), self.passages[n])
            for n in set(head) | set(body)
        ]
        scored.sort(key=lambda s: -s[0])
        return scored

    @staticmethod
    def rank(scored: list[tuple[float, Passage]]) -> list[tuple[float, Passage]]:
        """The best three passages that do not repeat each other (a sentence inside an item shown)."""
        picked: list[tuple[float, Passage]] = []
        for score, passage in scored:
            if all(
                not (p.start <= passage.start < p.end or passage.start <= p.start < passage.end)
                for _, p in picked
            ):
                picked.append((score, passage))
            if len(picked) == 3:
                break
        return picked

    @staticmethod
    def best_measure(scored: list[tuple[float, Passage]]) -> tuple[float, Passage] | None:
        """The measures passage that best covers the commitment and reports it done, if any covers it weakly."""
        for score, passage in scored:
            if score < WEAK:
                return None
            if (
                passage.kind in {SectionKind.MEASURES, SectionKind.RESPONSIBILITY}
                and _DONE.search(passage.text)
                and not _SHORT.search(passage.text)
            ):
                return score, passage
        return None

    def check_figure(self, item: Item, figure: Figure) -> FigureCheck:
        context = _figure_context(self.earlier.text, figure.start, 0)
        direction = _direction(figure, context)
        check = FigureCheck(
            planned=figure.text, planned_value=figure.value, unit=figure.unit, direction=direction
        )
        # The thing measured (粮食产量), not the verb before the number (保持在).
        query = bigrams(_TRAILING_VERB.sub("", context)) or bigrams(item.heading)
        best: tuple[float, Figure] | None = None
        for candidate, window, periodic in self._windows:
            if _unit(candidate.unit) != _unit(figure.unit):
                continue
            # Wording only: 登记失业率 must not match 调查失业率 on shared characters.
            score = self.index.wording(query, window)
            if periodic:
                score *= 0.5  # 五年年均增长5.2%, 十年来…: not this year's figure
            if best is None or score > best[0]:
                best = (score, candidate)
        if best and best[0] >= FIGURE_MATCH:
            found = best[1]
            check.reported, check.reported_value, check.reported_start = found.text, found.value, found.start
            check.met = _met(figure, found.value, direction)
        return check

    def commitment(self, item: Item) -> CommitmentVerdict:
        scored = self.scored(item)
        ranked = self.rank(scored)
        evidence = [self._evidence(p, s) for s, p in ranked if s >= WEAK]
        top = ranked[0][0] if ranked else 0.0
        checks = [self.check_figure(item, f) for f in item.figures]
        verdict = CommitmentVerdict(
            text=item.text,
            heading=item.heading,
            start=item.start,
            end=item.end,
            section=" > ".join(item.path[:-1]),
            status=CommitmentStatus.NOT_REPORTED,
            confidence=0.5,
            reason="",
            evidence=evidence,
            figures=checks,
        )
        found = [c for c in checks if c.met is not None]
        if found:
            # The figure's own sentence is the first evidence.
            for check in reversed(found):
                passage = self._passage_at(check.reported_start) if check.reported_start is not None else None
                if passage:
                    kept = [e for e in verdict.evidence if e.start != passage.start]
                    verdict.evidence = [self._evidence(passage, top), *kept]
            verdict.evidence = verdict.evidence[:3]
            missed = [c for c in found if not c.met]
            if missed:
                c = missed[0]
                verdict.status, verdict.confidence = CommitmentStatus.MISSED, 0.85
                verdict.reason = f"target {c.planned}, reported {c.reported}"
            elif len(found) < len(checks):
                verdict.status, verdict.confidence = CommitmentStatus.PARTIAL, 0.6
                verdict.reason = f"{len(found)} of {len(checks)} targets reported, all met"
            else:
                verdict.status, verdict.confidence = CommitmentStatus.FULFILLED, 0.9
                verdict.reason = "; ".join(f"target {c.planned}, reported {c.reported}" for c in found)
            return verdict
        best = ranked[0][1] if ranked else None
        if best is not None and top >= STRONG:
            if best.kind == SectionKind.PROBLEMS or _SHORT.search(best.text):
                done = self.best_measure(scored)
                if done is not None:
                    # The report claims the work and still lists the shortcoming: both are quoted.
                    verdict.status, verdict.confidence = CommitmentStatus.PARTIAL, round(0.3 + top / 4, 2)
                    verdict.reason = (
                        "reported as done in part, while the report still lists it as a shortcoming"
                    )
                    verdict.evidence = [self._evidence(done[1], done[0]), *verdict.evidence[:2]]
                    return verdict
                verdict.status, verdict.confidence = CommitmentStatus.MISSED, round(0.5 + top / 4, 2)
                verdict.reason = "the later report names it as not done or short"
            elif _VAGUE.search(best.text) or (checks and not _DONE.search(best.text)):
                verdict.status, verdict.confidence = CommitmentStatus.PARTIAL, round(0.4 + top / 4, 2)
                verdict.reason = "mentioned, but only vaguely or without the promised figure"
            elif checks:
                verdict.status, verdict.confidence = CommitmentStatus.PARTIAL, round(0.4 + top / 4, 2)
                verdict.reason = "reported as done, but without a figure comparable to the target"
            else:
                verdict.status, verdict.confidence = CommitmentStatus.FULFILLED, round(0.45 + top / 3, 2)
                verdict.reason = "the later report describes it as done"
            return verdict
        if best is not None and top >= WEAK and self.index.wording(promise(item.heading), best.grams) >= 0.2:
            verdict.status, verdict.confidence = CommitmentStatus.PARTIAL, round(0.3 + top / 2, 2)
            verdict.reason = "only a loose match in the later report (scope or wording changed)"
            return verdict
        if self.blanket is not None:
            verdict.status, verdict.confidence = CommitmentStatus.PARTIAL, 0.3
            verdict.reason = "covered only by a blanket claim, no item-level evidence"
            verdict.evidence = [self._evidence(self.blanket, 0.0)]
            return verdict
        verdict.confidence = round(0.9 - top, 2)
        verdict.reason = "nothing in the later report addresses it"
        verdict.evidence = []
        return verdict

    def problems(self) -> list[ProblemVerdict]:
        later_problems = self.later.items(ItemKind.PROBLEM)
        measures = [p for p in self.passages if p.kind in {SectionKind.MEASURES, SectionKind.RESPONSIBILITY}]
        out: list[ProblemVerdict] = []
        for problem in self.earlier.items(ItemKind.PROBLEM):
            grams = bigrams(problem.heading)
            best = max(
                ((dice(grams, bigrams(p.heading)), p) for p in later_problems),
                key=lambda x: x[0],
                default=(0.0, None),
            )
            if best[1] is not None and best[0] >= 0.5:
                again = best[1]
                evidence = Evidence(text=again.text, section=" > ".join(again.path[:-1]), start=again.start, end=again.end,
                                    score=round(best[0], 3))  # fmt: skip
                out.append(ProblemVerdict(text=problem.text, heading=problem.heading, status=ProblemStatus.RECURRING,
                                          similarity=round(best[0], 3), later=evidence))  # fmt: skip
                continue
            topic = bigrams(_PROBLEM_FRAMING.sub("，", problem.heading))
            addressed = max(
                ((self.index.coverage(topic, p.grams), p) for p in measures), key=lambda x: x[0], default=None
            )
            if addressed and addressed[0] >= 0.45:
                out.append(ProblemVerdict(text=problem.text, heading=problem.heading, status=ProblemStatus.RESOLVED_CLAIMED,
                                          similarity=round(best[0], 3), later=self._evidence(addressed[1], addressed[0])))  # fmt: skip
            else:
                out.append(ProblemVerdict(text=problem.text, heading=problem.heading, status=ProblemStatus.DROPPED,
                                          similarity=round(best[0], 3)))  # fmt: skip
        return out

    def figures(self) -> list[FigureChange]:
        """The same measure counted in both years (法治宣传活动 80余场 -> 120场)."""

        def review(report: Report) -> list[tuple[str, Figure]]:
            spans = [
                (s.start, s.end)
                for s in report.sections
                if s.kind in {SectionKind.MEASURES, SectionKind.RESPONSIBILITY}
            ]
            return [
                (_figure_context(report.text, f.start, 0), f)
                for f in figures_of(report)
                if any(a <= f.start < b for a, b in spans)
            ]

        later = review(self.later)
        out: list[FigureChange] = []
        used: set[int] = set()
        for context, before in review(self.earlier):
            grams = bigrams(context)
            if len(set(grams)) < 2:
                continue
            best = max(
                (
                    (dice(grams, bigrams(c)), i, f)
                    for i, (c, f) in enumerate(later)
                    if _unit(f.unit) == _unit(before.unit) and i not in used
                ),
                key=lambda x: x[0],
                default=None,
            )
            if best and best[0] >= 0.6:
                used.add(best[1])
                after = best[2]
                out.append(FigureChange(context=context, before=before.text, after=after.text, before_value=before.value,
                                        after_value=after.value, unit=before.unit, change=after.value - before.value))  # fmt: skip
        return out


def dice(a: list[str], b: list[str]) -> float:
    sa, sb = set(a), set(b)
    return 2 * len(sa & sb) / (len(sa) + len(sb)) if sa and sb else 0.0


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


def compare(earlier: Report, later: Report) -> Comparison:
    """Check the commitments made in ``earlier`` (for its plan year) against ``later``."""
    comparer = Comparer(earlier, later)
    verdicts = [comparer.commitment(item) for item in commitments(earlier)]
    summary = Counter(v.status.value for v in verdicts)
    return Comparison(
        entity=later.entity or earlier.entity,
        plan_year=earlier.plan_year,
        earlier_title=earlier.title,
        later_title=later.title,
        commitments=verdicts,
        problems=comparer.problems(),
        figures=comparer.figures(),
        reuse=reuse(earlier.text, later.text),
        summary={s.value: summary.get(s.value, 0) for s in CommitmentStatus},
    )
