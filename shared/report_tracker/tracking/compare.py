"""Promises kept? The commitments of one report checked against the next report's review.

This module gathers, for each commitment, the signals the verdict needs (``matching`` finds
the passages, ``figure_checks`` compares the figures, ``lexicon`` gives the cues) and lets
``verdicts.decide`` reach the verdict. Problems are ``problems``, copied text ``reuse``.
Method, once for all of them: docs/method.md.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass

from report_tracker.models.report import Figure, Item, Report, SectionKind
from report_tracker.models.tracking import (
    CommitmentStatus,
    CommitmentVerdict,
    Comparison,
    Evidence,
    FigureChange,
    FigureCheck,
)
from report_tracker.tracking.commitments import commitments
from report_tracker.tracking.figure_checks import (
    RATE_UNITS,
    TRAILING_VERB,
    Outcome,
    direction,
    figure_context,
    judge,
)
from report_tracker.tracking.lexicon import (
    ACTIONS,
    BLANKET,
    CONCRETE,
    DONE,
    EFFORT,
    FILLER,
    FULL_CLAIM,
    FULL_COVERAGE,
    INSTITUTIONS,
    PERIOD,
    SHORT,
    TARGET_MET,
    VAGUE,
    bigrams,
    canon,
    content_words,
    core,
    names_in,
    none_occurred,
    prevented_things,
    promise,
    unit_family,
    word_share,
)
from report_tracker.tracking.matching import REVIEW_KINDS, Index, Passage, anchor, passages
from report_tracker.tracking.problems import dice, judge_problems
from report_tracker.tracking.reuse import reuse
from report_tracker.tracking.verdicts import FigureSignal, Settings, Signals, decide, matched
from report_tracker.understanding.figures import figures_of

__all__ = ["METHOD_VERSION", "Comparer", "compare", "reuse"]
# Bumped with every change to how verdicts are reached: stored comparisons are keyed by it.
METHOD_VERSION = "2026.12.8.8"
_LIST = re.compile(r"(\d+|[一二三四五六七八九十]+)(?:类|件|项|大)[^。，；]{0,6}(?:民生实事|实事)")
# 办好十件民生实事：… / 办好“十大重点民生实事”。①… (the list follows)
_LIST_INTRO = re.compile(r"实事[”\"」]?\s*(?:[：:]|[。；]?\s*(?:①|⑴|（1）|\(1\)|1[.、．]|一是))")
_QUOTED = re.compile(r"[“\"「]([^”\"」]{2,12})[”\"」]")  # a name the text quotes whole


def _names_another(promised: str, passage: str) -> str | None:
    """The name the passage quotes instead of the one the promise quotes, or None.

    A promise naming its programme (开展“无讼村（社区）”创建活动) is not reported by a passage
    on another programme it quotes (“无信访村”创建活动), however alike the rest of their wording;
    a passage quoting nothing, or a name sharing two characters in a row with the promised one
    (“民法典宣传月”, “美好生活·民法典相伴”), may still speak of it.
    """
    own = [re.sub(r"[（(][^）)]*[）)]", "", n) for n in _QUOTED.findall(promised)]
    own = [n for n in own if len(n) >= 2]
    if not own or any(n in passage for n in own):
        return None
    quoted = _QUOTED.findall(passage)
    others = [q for q in quoted if not any(_may_be(n, q) for n in own)]
    return others[0] if quoted and len(others) == len(quoted) else None


def _grams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def _may_be(name: str, quoted: str) -> bool:
    """Whether a quoted name may be another wording of ``name``: they share two characters in a row,
    and not only a stem before parts that differ (“法律进企业”, “法律进景区”; “枫桥式派出所”, “枫桥式司法所”)."""
    if not _grams(name) & _grams(quoted):
        return False
    k = 0
    while k < min(len(name), len(quoted)) and name[k] == quoted[k]:
        k += 1
    rest, other = name[k:], quoted[k:]
    return not (k >= 2 and len(rest) >= 2 and len(other) >= 2 and not _grams(rest) & _grams(other))


def _clause_around(text: str, start: int, end: int) -> str:
    """The words of a reported figure's clause, on both sides of it (为62家企业开展合规体检).

    A clause that is only a verb (国内生产总值超过126万亿元，增长5.2%) takes its subject
    from the clause before.
    """
    left = max(*(text.rfind(ch, max(0, start - 30), start) for ch in "，。；：\n"), start - 31)
    if text[left : left + 1] == "，" and len(TRAILING_VERB.sub("", text[left + 1 : start])) < 2:
        left = max(*(text.rfind(ch, max(0, left - 30), left) for ch in "，。；：\n"), left - 31)
    rights = [i for ch in "，。；\n" if (i := text.find(ch, end, end + 30)) >= 0]
    return text[max(0, left + 1) : start] + "，" + text[end : min(rights) if rights else end + 12]


# A figure that is where a change started (由7473公里增至9310公里): the result is the next one.
_FROM_VALUE = re.compile(
    r"^(?:增至|增加到|增加至|提高到|提高至|提升到|提升至|升至|降至|降到|下降到|下降至|缩短到|缩短至|扩大到|扩大至|减少到|减少至|到)"
)


_SAME_BASIS = re.compile(r"^[（(]同口径")


def _counted(text: str, end: int) -> str:
    """The thing a planned figure counts, written after it (建设10家概念验证中心 -> 概念验证中心)."""
    return re.split(r"[，。；：、,;（(\d]", text[end : end + 12])[0]


# A review of the whole plan period (“十四五”时期是…极不平凡的五年。（一）…) runs until the year's own
# review begins (各位代表，刚刚过去的2025年…): its figures are the five years', not the year's.
_PERIOD_OPENS = re.compile(
    r"^(?:各位代表[，,！!]|——)?(?:“十四五”时期|十四五时期|“十四五”以来|过去的?五年|五年来|这五年|回顾“十四五”|"
    r"回望“十四五”|“十四五”期间)"
)
_YEAR_OPENS = re.compile(
    r"^(?:各位代表[，,！!])?(?:刚刚过去的|过去的|回顾)?(?:20\d\d年|一年|过去一年|去年|今年以来)"
)
# A target of additions to a level (新增2—3家…进入中国企业500强, 新建智能化煤矿130座), and a target
# that is a level (高新技术企业总量超过1.4万家): a year-end level in the review is read against the
# level the earlier report gave.
_ADDITION = re.compile(r"新增|净增|新建|新认定|新培育|新引进")
_LEVEL = re.compile(r"总量|规模|保有量|达到|超过|突破")
_GROWTH = re.compile(r"(?:增长|下降|降低|上涨|涨幅|增速|增幅)(?:了)?$")
_SHARE_WORDS = r"比重|占比|贡献率"
_SHARE = re.compile(rf"(?:{_SHARE_WORDS}|覆盖率|普及率)[^，。；]*$")
_ONE_YEAR = re.compile(r"20\d\d年|今年|去年|全年|每年|年年")
_FLOW = re.compile(
    r"新增|新建|新开工|开工|改造|建设|建成|完成|实施|开展|打造|培育|引进|招引|认证|认定|创建|创成|举办|送|"
    r"减少|增长|下降|降低|发放|帮扶|解决|办理|化解|整治|治理|修复|造林|种草"
)
HEADING_LINE = re.compile(r"^[一二三四五六七八九十]+、")  # the next part of the report (二、“十五五”…)


def _period_reviews(text: str) -> list[tuple[int, int]]:
    """Where the later report reviews the whole plan period rather than the year."""
    spans: list[tuple[int, int]] = []
    opened: int | None = None
    offset = 0
    for line in text.splitlines(keepends=True):
        head = line.lstrip()
        if opened is None and _PERIOD_OPENS.match(head):
            opened = offset
        elif opened is not None and (_YEAR_OPENS.match(head) or HEADING_LINE.match(head)):
            spans.append((opened, offset))
            opened = None
        offset += len(line)
    if opened is not None:
        spans.append((opened, offset))
    return spans


def _growth_target(text: str, figure: Figure) -> bool:
    """The target is a growth rate (增长4%左右), not a level."""
    return bool(_GROWTH.search(text, max(0, figure.start - 4), figure.start))


def _counted_before(text: str, start: int) -> str:
    """The thing a reported figure counts, written before it (新增全国重点实验室12家)."""
    return re.split(r"[，。；：、,;）)\d和及与]", text[max(0, start - 12) : start])[-1]


_NAMED_BY = ("工程", "计划", "行动", "基地", "中心", "项目", "体系", "机制", "平台")


def _place_before(text: str, at: int) -> str | None:
    """The division name (合肥, 滁州市) ending within the few characters before ``at``."""
    from report_tracker.understanding.gazetteer import PROVINCE, gazetteer  # noqa: PLC0415 - built once, shared

    gaz = gazetteer()
    window = text[max(0, at - 6) : at]
    # cities and counties only: a province's name also opens firms' names (山东时代新能源)
    found = [
        m.group(0)
        for m in gaz.pattern.finditer(window)
        if all(d.level != PROVINCE for d in gaz.lookup(m.group(0)))
    ]
    return found[-1] if found else None


def _another_city(promised: str, passage: str, words: str) -> str | None:
    """Another city or county the passage names for the thing promised (申建合肥陆港保税物流中心;
    滁州保税物流中心获批设立): the place written before the shared words differs."""
    if len(words) < 4 or words not in promised or words not in passage:
        return None
    own = _place_before(promised, promised.index(words))
    if own is None:
        return None
    other = _place_before(passage, passage.index(words))
    return other if other and other not in promised and own not in other and other not in own else None


_RATE_WORD = re.compile(r"[\u4e00-\u9fff]{2}率")


def _rate_named(subject: str, subject_words: list[str], candidate: _Reported) -> bool:
    """A rate reported by its own name (调解成功率为93.2%, 评查案卷86卷，合格率92%), with half the
    target's other words in its sentence."""
    rates = _RATE_WORD.findall(canon(subject))
    clause = canon(candidate.clause)
    if not rates or rates[-1] not in clause:
        return False
    # the words the review puts before its rate are the target's (城镇调查失业率 is not 城镇登记失业率)
    before = clause[: clause.index(rates[-1])].strip("，。；、 ")
    if before and not all(w in canon(subject) for w in content_words(before)):
        return False
    others = [w for w in subject_words if not w.endswith("率")]
    return word_share(others, candidate.passage.text) >= 0.5 if others else True


def _undone(promised: str, passage: str) -> str | None:
    """``no 清理`` when the promise names actions of ``ACTIONS`` (开展规范性文件专项清理) and the
    passage none of them (制定行政规范性文件5件); else None."""
    acts = names_in(ACTIONS, promised)
    return f"no {'、'.join(sorted(acts))}" if acts and not names_in(ACTIONS, passage) & acts else None


def _says(cue: re.Pattern[str], clause: str, promised: str) -> bool:
    """Whether the clause holds the cue other than inside the name of what was promised: 培养 in
    “法律明白人”培养工程稳步推进 names the programme, it reports nothing done (完成 in 全面完成…整治,
    the promise's own verb repeated, does)."""
    return any(
        not (clause[m.end() : m.end() + 2] in _NAMED_BY and clause[m.start() : m.end() + 2] in promised)
        for m in cue.finditer(clause)
    )


def _anchored_clauses(passage: str, words: str) -> tuple[str, str]:
    """What the passage says about the promise: the clause holding its own words, and the one
    after it (which often says what came of it). Cues are read there, not in a neighbouring
    clause about something else."""
    if not words:
        return passage, ""
    clauses = [c for c in re.split(r"(?<=[，；])", passage) if c]
    for k, clause in enumerate(clauses):
        if words in canon(clause):
            return clause, (clauses[k + 1] if k + 1 < len(clauses) else "")
    for k in range(len(clauses) - 1):  # the words run across a comma
        if words in canon(clauses[k] + clauses[k + 1]):
            return clauses[k] + clauses[k + 1], ""
    return passage, ""


# How often a planned figure recurs (每月推送4条): reported for the year, it is multiplied.
_PER = {"每月": 12, "每季度": 4, "每周": 52, "每半年": 2}
_PER_RE = re.compile("|".join(_PER))


def _per_year(clause: str) -> int:
    m = _PER_RE.search(clause)
    return _PER[m.group(0)] if m else 1


# Places a promise names one by one (在侯家庄村、杏峪村建设…): each must be reported.
_PLACE = re.compile(r"[\u4e00-\u9fff]{1,4}?(?:村|社区|镇|乡|街道|片区|园区)")


_LOCATIVE = re.compile(
    r"^在[\u4e00-\u9fff、]{1,16}?(?:村|社区|镇|乡|街道|片区|园区|辖区)(?=[\u4e00-\u9fff]{2})"
)
# A village or community by name (岗底村, 铜鼓社区), not a kind of them (行政村, 示范村, 村级, 村民).
_VILLAGE = re.compile(r"([\u4e00-\u9fff]{2,3}?)(?:村|社区)(?![级民委务庄])")
_NOT_VILLAGE = re.compile(
    r"示范|行政|乡|全|各|每|农|中心|重点|试点|法治|文明|平安|无讼|信访|美丽|和谐|个|所有|城中|驻|进|到|在|基层|社区|村"
)


# A township or street by name where a name begins (湄江街道、兴隆镇等6个镇: not 建设城镇).
_TOWNSHIP = re.compile(r"(?<![\u4e00-\u9fff])([\u4e00-\u9fff]{2,3}?)(?:街道|镇|乡)(?![级村域区])")


def _villages(text: str) -> set[str]:
    return {m.group(0) for m in _VILLAGE.finditer(text) if not _NOT_VILLAGE.search(m.group(1))}


def _places_named(text: str) -> set[str]:
    """Villages, communities, townships and streets the text names."""
    towns = {m.group(0) for m in _TOWNSHIP.finditer(text) if not _NOT_VILLAGE.search(m.group(1))}
    return _villages(text) | towns


def _elsewhere(promised: str, passage: str) -> str | None:
    """Another village the passage reports on, when the promise names the one it is for
    (在铜鼓社区打造法治文化主题公园; 岗底村法治文化广场建成投用 is not it); None when the passage
    names that one, none, or the promise is not for one village."""
    m = _LOCATIVE.match(promised)
    if not m or "、" in m.group(0):
        return None
    own = _villages(m.group(0)[1:])
    if len(own) != 1 or any((v[:-2] if v.endswith("社区") else v[:-1]) in passage for v in own):
        return None
    others = sorted(_places_named(passage))
    return others[0] if others else None


def _places(text: str) -> list[str]:
    found = [m.group(0).lstrip("在对为于到") for m in _PLACE.finditer(text)]
    return list(dict.fromkeys(found)) if "、" in text else []


# The things a promise lists by name (加快实施京东方第8.6代柔性显示生产线、四川时代动力电池基地等
# 在建项目; 开工建设引大济岷等重大水利工程): the verb before the first, the category after 等, cut.
_LEAD_VERB = re.compile(
    r"^(?:加快|提速|推进|推动|实施|开工|建设|建成|启动|打造|办好|开展|支持|争取|完成|新建|改造|扩建|续建|谋划|"
    r"力争|确保|全面|持续|深入|做好|抓好|加力|举办|用好|培育|引进|落地|投产|竣工|规划|布局|筹建|组建|创建|申建|"
    r"办|建|上马|开建|动工|保障|服务|积极|大力|全力|着力|重点)+"
)
_ET_CETERA = re.compile(r"等[^、，。；]{0,16}$")
# What a list of names names: projects and facilities (not 企业, 地区, 产业: plain words).
_THINGS = re.compile(
    r"(?:项目|工程|基地|园区|产业园|生产线|线|铁路|高铁|高速|公路|机场|港口|港区|码头|枢纽|实验室|中心|装置|"
    r"设施|平台|医院|场馆|公园|景区|遗址|电站|水库|灌区|通道|大桥|隧道)"
)
_FIELDS = re.compile(r"领域|方面|行业|产业集群|集群")  # 在人工智能、高端装备等领域: fields, not names
NAME_HEAD = 6  # a listed thing is named where the first characters of its name are (all, if fewer)


def _listed_names(text: str) -> list[str]:
    """The named things of the promise's list, or [] when it lists none (or lists plain words:
    汽车、家电、家居 are not names)."""
    clause = next((c for c in re.split(r"[，；：]", text) if "、" in c or _ET_CETERA.search(c)), "")
    if not clause:
        return []
    tail = _ET_CETERA.search(clause)
    if tail and _FIELDS.search(tail.group(0)):
        return []
    parts = clause.split("、")
    parts[0] = _LEAD_VERB.sub("", parts[0])
    parts[-1] = _ET_CETERA.sub("", parts[-1])
    names = [canon(p.strip('“”"')) for p in parts]
    if any(len(n) < 4 or len(n) > 24 or FILLER.match(n) for n in names):
        return []
    if not (tail and _THINGS.search(tail.group(0))) and not all(_THINGS.search(n[-3:]) for n in names):
        return []
    if len(names) == 1 and not (tail and _THINGS.search(tail.group(0))):
        return []  # 支持工业园区等率先…: an example, not a list of projects
    heads = [n[:NAME_HEAD] for n in names]
    return names if len(set(heads)) == len(heads) else []  # 成渝地区…、成渝地区…: no name of its own


@dataclass
class _Reported:
    """A figure of the later report's review, with the clause that says what it counts."""

    figure: Figure
    clause: str
    grams: set[str]
    periodic: bool
    passage: Passage
    in_period: bool = False  # in the review of the whole plan period (five years)
    flow: bool = False  # it counts what was done (新增, 新建…), not a level reached
    wider: str = ""  # the clause before too (农业产业化积极推进，年销售收入超10亿元的龙头企业达100家以上)


def _review_figures(
    report: Report, items: list[Passage], period_spans: list[tuple[int, int]]
) -> dict[str, list[_Reported]]:
    """The figures of a report's review, by unit family, each with the clause that says what it counts."""
    starts = [p.start for p in items]
    out: dict[str, list[_Reported]] = {}
    for f in figures_of(report):
        k = bisect_right(starts, f.start) - 1
        passage = items[k] if k >= 0 and items[k].start <= f.start < items[k].end else None
        if passage is None or passage.kind not in REVIEW_KINDS:
            continue
        if _FROM_VALUE.match(report.text[f.end :]) or _SAME_BASIS.match(report.text[f.end :]):
            continue  # the starting value, or a figure the comparable-basis one in brackets corrects
        around = _clause_around(report.text, f.start, f.end)
        # 累计 / 年均 / 五年来 in the figure's own clause, or opening the whole passage.
        lead = passage.text[: max(0, f.start - passage.start)]
        clauses = re.split(r"[，；：,;]", lead)
        own_clause = clauses[-1]
        periodic = bool(PERIOD.search(own_clause) or PERIOD.match(lead[:8].lstrip("“")))
        # In the review of the five years, what they added up to (新增就业452万人) is theirs,
        # not the year's; a level reached at their end (水土保持率提高到66.26%) is the year's too.
        in_period = any(a <= f.start < b for a, b in period_spans) and not _ONE_YEAR.search(own_clause)
        flow = bool(_FLOW.search(own_clause))
        # the clause before, when it has no figure or result of its own: one with a figure names that
        # figure's subject, one with a result (崇左至凭祥铁路建成通车) is another fact
        prev = clauses[-2] if len(clauses) > 1 else ""
        joins = bool(prev) and not re.search(r"\d", prev) and not DONE.search(prev)
        wider = prev + "，" + around if joins else around
        out.setdefault(unit_family(f.unit), []).append(
            _Reported(f, around, set(bigrams(around)), periodic, passage, in_period, flow, wider)
        )
    return out


@dataclass
class Gathered:
    signals: Signals
    evidence: list[Evidence]
    checks: list[FigureCheck]
    ranked: list[tuple[int, float]]
    best: tuple[float, Passage, str] | None


class Comparer:
    def __init__(self, earlier: Report, later: Report, settings: Settings | None = None) -> None:
        self.earlier = earlier
        self.later = later
        self.settings = settings or Settings()
        self.passages = passages(later)
        self.index = Index(self.passages)
        self._starts = [p.start for p in self.passages]
        self._position = {p.start: k for k, p in enumerate(self.passages)}  # sentences never overlap
        review = [p for p in self.passages if p.kind in REVIEW_KINDS]
        self._review = [k for k, p in enumerate(self.passages) if p.kind in REVIEW_KINDS]
        self._period_spans = _period_reviews(later.text)
        # Reported figures of the review, by unit family, with the words before them; and those of
        # the earlier report's review (the level a target of additions started from).
        self.reported = _review_figures(later, self.passages, self._period_spans)
        self.before = _review_figures(earlier, passages(earlier), _period_reviews(earlier.text))
        self.completed_lists = [p for p in review if _LIST.search(p.text) and BLANKET.search(p.text)]
        self._institutions = [names_in(INSTITUTIONS, p.text) for p in self.passages]

    def _passage_at(self, offset: int) -> Passage | None:
        lo, hi = 0, len(self._starts)
        while lo < hi:
            mid = (lo + hi) // 2
            if self._starts[mid] <= offset:
                lo = mid + 1
            else:
                hi = mid
        for k in (lo - 1, lo - 2):
            if 0 <= k < len(self.passages) and self.passages[k].start <= offset < self.passages[k].end:
                return self.passages[k]
        return None

    @staticmethod
    def _evidence(passage: Passage, score: float) -> Evidence:
        return Evidence(
            text=passage.text,
            section=passage.section,
            start=passage.start,
            end=passage.end,
            score=round(score, 3),
        )

    def check_figure(
        self, item: Item, figure: Figure
    ) -> tuple[FigureCheck, Passage | None, FigureSignal | None]:
        context = figure_context(self.earlier.text, figure.start)
        way = direction(figure, context)
        check = FigureCheck(planned=figure.text, planned_value=figure.value, unit=figure.unit, direction=way)
        subject = TRAILING_VERB.sub("", canon(context))
        # The subject is named before the figure (城镇新增就业120万人) or around it (合规体检不少于50家):
        # the words of the commitment's own clause, without the figure, stand for it.
        clause = item.text.replace(figure.text, "，")
        counted = _counted(self.earlier.text, figure.end)
        named = _PER_RE.sub("", subject) + "，" + counted  # 每季度不少于1次: the year's count is reported
        query = promise(clause) if len(core(named).replace("，", "")) < 2 else promise(named)
        best: tuple[float, _Reported] | None = None
        best_key = -1.0
        subject_words = content_words(named)
        # Two figures of one clause (培育形成3个万亿级优势产业和5个国家先进制造业集群) share its
        # words: the one followed by the thing the planned figure counts is its result.
        counts = set(bigrams(counted))
        flow = bool(_FLOW.search(context))  # 新建5G基站8000个 counts the year's work, not a level
        adds, level_target = bool(_ADDITION.search(context)), bool(_LEVEL.search(context))
        growth = _growth_target(self.earlier.text, figure)
        # the level a year before, read only for a target of work, additions or a level
        before = self._level_before(figure, query, subject_words) if flow or adds or level_target else None
        bodies = names_in(INSTITUTIONS, item.text)
        for candidate in self.reported.get(unit_family(figure.unit), []):
            if bodies and not self._institutions[self._position[candidate.passage.start]] & bodies:
                continue  # 中心组集中学法12次 is no count of the 会前学法 promised
            if growth and _SHARE.search(
                self.later.text, max(0, candidate.figure.start - 16), candidate.figure.start
            ):
                continue  # a growth target (增长4%左右) is not met by a share (占…支出比重73.8%)
            score = self._subject_score(query, subject_words, candidate)
            if (
                score < self.settings.figure_match
                and figure.unit in RATE_UNITS
                and candidate.figure.unit in RATE_UNITS
            ) and _rate_named(subject, subject_words, candidate):
                score = self.settings.figure_match
            if candidate.periodic or (candidate.in_period and flow and (candidate.flow or before is None)):
                score *= 0.5  # 五年年均增长5.2%, 累计…: not this year's figure
            key = score
            if counts:
                found = candidate.figure
                near = set(
                    bigrams(
                        _counted(self.later.text, found.end)
                        + "，"
                        + _counted_before(self.later.text, found.start)
                    )
                )
                key += 0.1 * len(counts & near) / len(counts)
            if best is None or key > best_key:
                best, best_key = (score, candidate), key
        if best is None or best[0] < self.settings.figure_match:
            return check, None, None
        reported = best[1]
        found = reported.figure
        if reported.periodic or (reported.in_period and flow and (reported.flow or before is None)):
            # Only a multi-year figure speaks of it (累计下降14%): the year's result is not given.
            return check, reported.passage, FigureSignal(figure.text, found.text, False, 0.0, "periodic")
        planned = figure
        per = _per_year(item.text)
        if per > 1 and figure.unit not in RATE_UNITS and _per_year(reported.clause) == 1:
            # 每月不少于4条 against the year's 31条: the year's target is 48
            planned = figure.model_copy(
                update={"value": figure.value * per, "upper": figure.upper * per if figure.upper else None}
            )
        value, shown = found.value, found.text
        # a level (far above the additions promised: 7家 against 2—3家), not the year's additions (85个)
        level = found.value >= 2 * (planned.upper or planned.value)
        if adds and level and not reported.flow and before is not None and before.figure.value < found.value:
            # 新增2—3家 against a level (7家进入中国企业500强): what was added is the rise from the
            # level the earlier report gave (6家)
            value, shown = found.value - before.figure.value, f"{found.text}（上年{before.figure.text}）"
            outcome = judge(planned, value, way, None)
        else:
            outcome = judge(planned, value, way, found.qualifier)
        if (not flow and level_target and not outcome.met and before is not None
                and way == "at_least" and found.value < before.figure.value):  # fmt: skip
            # short of the target and further from it than a year before (GUIDE: missed)
            outcome = Outcome(False, 0.0, outcome.kind)
            shown = f"{found.text}（上年{before.figure.text}）"
        check.reported, check.reported_value, check.reported_start = shown, value, found.start
        check.met = outcome.met
        return (
            check,
            reported.passage,
            FigureSignal(figure.text, shown, outcome.met, outcome.ratio, outcome.kind),
        )

    def _level_before(self, figure: Figure, query: list[str], subject_words: list[str]) -> _Reported | None:
        """The level of the target's subject that the earlier report's review gave (a year before)."""
        best: tuple[float, _Reported] | None = None
        for candidate in self.before.get(unit_family(figure.unit), []):
            if candidate.periodic or candidate.flow or candidate.in_period:
                continue
            score = self._subject_score(query, subject_words, candidate, wider=False)
            if score >= self.settings.figure_match and (best is None or score > best[0]):
                best = (score, candidate)
        return best[1] if best else None

    def _subject_score(
        self, query: list[str], subject_words: list[str], candidate: _Reported, *, wider: bool = True
    ) -> float:
        """How surely a reported figure's clause names the target's subject."""
        score = self.index.wording(query, candidate.grams)
        if subject_words and score < self.settings.figure_match:
            # the same subject in other words (通车总里程 / 高速公路通车里程); every word of it,
            # not most: 城镇登记失业率 is not 城镇调查失业率
            share = word_share(subject_words, candidate.clause)
            if wider and share < self.settings.figure_words:
                # the subject's first words may close the clause before (农业产业化积极推进，…)
                share = max(share, word_share(subject_words, candidate.wider))
            score = max(score, share if share >= self.settings.figure_words else 0.0)
        return score

    def gather(self, item: Item) -> Gathered:
        """Everything the verdict on one commitment rests on, before any threshold but figure_match."""
        # Where it is to be done (在科技园片区…) is checked apart (places): the promise is the rest.
        what = _LOCATIVE.sub("", item.text) or item.text
        promise_core = core(what)
        own_words = content_words(what)
        scores = self.index.score_all(promise(what))
        ranked = sorted(scores.items(), key=lambda kv: -kv[1])[:12]
        # The best passage is the one that covers the promise and holds its own words together.
        best: tuple[float, Passage, str] | None = None
        best_key = 0.0
        for n, score in ranked:
            if best is not None and score + 0.24 + 0.1 < best_key:
                break  # ranked by score: no later passage can overtake (the bonuses are capped)
            passage = self.passages[n]
            words = anchor(promise_core, passage.folded, folded=True)
            key = score + 0.03 * min(len(words), 8) + 0.1 * word_share(own_words, passage.folded, folded=True)
            if best is None or key > best_key:
                best, best_key = (score, passage, words), key
        bodies = names_in(INSTITUTIONS, what)
        if bodies and best is not None and not self._institutions[self._position[best[1].start]] & bodies:
            # the best passage is on another institution: the best one naming the promised one, if any
            ordered = sorted(scores.items(), key=lambda kv: -kv[1])
            holding = [n for n, _ in ordered if self._institutions[n] & bodies]
            if holding:
                passage = self.passages[holding[0]]
                best = (scores[holding[0]], passage, anchor(promise_core, passage.folded, folded=True))
        signals = Signals(core_chars=len(promise_core.replace("，", "")), has_target_figure=bool(item.figures),
                          effort=bool(EFFORT.search(item.text)))  # fmt: skip
        names = [] if item.figures else _listed_names(what)  # a target figure is judged by figures
        if names:
            # A list of named projects is addressed wherever the review names one of them, however
            # little else of the promise's wording the passage shares.
            naming = self._passages_naming(names)
            if naming and (best is None or not matched(self._signals_for(best, promise_core), self.settings)):
                signals.names_listed, signals.names_said = len(names), len({k for _, k in naming})
                hits: dict[int, int] = {}
                for n, _ in naming:
                    hits[n] = hits.get(n, 0) + 1
                top = max(hits, key=lambda k: (hits[k], scores.get(k, 0.0)))
                passage = self.passages[top]
                best = (scores.get(top, 0.0), passage, anchor(promise_core, passage.folded, folded=True))
        evidence: list[Evidence] = []
        checks: list[FigureCheck] = []
        for figure in item.figures:
            check, said, signal = self.check_figure(item, figure)
            if said is not None and (
                other := _names_another(item.text, said.text)
                or _elsewhere(item.text, said.text)
                or self._unnamed(bodies, said)
                or _undone(what, said.text)
            ):
                # 16个村被评为“无信访村” is no count of the 无讼村 promised
                check = FigureCheck(
                    **check.model_dump(include={"planned", "planned_value", "unit", "direction"})
                )
                signals.other_name, signal = other, None
            checks.append(check)
            if signal is not None and said is not None:
                signals.figures.append(signal)
                if signal.kind != "periodic":
                    evidence.append(self._evidence(said, scores.get(self._position[said.start], 0.0)))
        if best is not None:
            score, passage, words = best
            signals.score, signals.anchor = score, words
            signals.quoted_anchor = len(words) >= 3 and words in _QUOTED.findall(passage.text)
            # another village, else another programme, else the one a figure's passage named
            signals.other_name = (
                _elsewhere(item.text, passage.text)
                or _names_another(item.text, passage.text)
                or self._unnamed(bodies, passage)
                or _undone(what, passage.text)
                or _another_city(canon(item.text), passage.folded, words)
                or signals.other_name
            )
            signals.word_share = word_share(own_words, passage.folded, folded=True)
            signals.in_problems = passage.kind == SectionKind.PROBLEMS
            own, after = _anchored_clauses(passage.text, words)
            # The clause after counts only when the promise's own clause says nothing either way
            # (…专项行动深入推进，第三批示范创建数量居全国第1位: the second clause is another matter).
            told = own if (DONE.search(own) or VAGUE.search(own) or SHORT.search(own)) else own + after
            signals.done = _says(DONE, told, item.text)
            signals.concrete = _says(CONCRETE, told, item.text)
            signals.vague = bool(VAGUE.search(told))
            signals.short = bool(SHORT.search(told))
            full = bool(item.figures) and all(f.unit == "%" and f.value == 100 for f in item.figures)
            # 覆盖率达到100% met by 实现全覆盖
            covered = full and "覆盖率" in item.text and bool(FULL_COVERAGE.search(own))
            signals.target_met = bool(TARGET_MET.search(own)) or covered
            growth = any(_growth_target(self.earlier.text, f) for f in item.figures)
            signals.share_only = growth and bool(re.search(_SHARE_WORDS, own))
            signals.single = all(f.value <= 1 for f in item.figures)
            signals.coverage_short = bool(FULL_COVERAGE.search(item.text)) and not FULL_CLAIM.search(told)
        places = _places(item.text)
        if places and best is not None:
            said_places = [p for p in places if p in best[1].text]
            signals.places_partly = 0 < len(said_places) < len(places)
        if any("实事" in p for p in item.path) or "实事" in item.text or self._in_listed_paragraph(item):
            signals.list_completed = bool(self.completed_lists)
        things = [] if item.figures else prevented_things(item.text)
        if things:
            kept = next(
                ((n, t) for n in self._review if (t := none_occurred(things, self.passages[n].text))), None
            )
            if kept is not None:
                signals.prevented = kept[1]
                passage = self.passages[kept[0]]
                best = (scores.get(kept[0], 0.0), passage, anchor(promise_core, passage.folded, folded=True))
        return Gathered(signals, evidence, checks, ranked, best)

    def _unnamed(self, named: set[str], passage: Passage) -> str | None:
        """What the passage names instead, when the promise names institutions and it none of them
        (会前学法 promised, 中心组集中学法 reported); None when it names one, or nothing was named."""
        held = self._institutions[self._position[passage.start]]
        if not named or held & named:
            return None
        return min(held) if held else f"no {'、'.join(sorted(named))}"

    def _passages_naming(self, names: list[str]) -> list[tuple[int, int]]:
        """(passage, name) for every review passage that names one of ``names`` (its first characters)."""
        found: list[tuple[int, int]] = []
        for k, name in enumerate(names):
            head = name[:NAME_HEAD]
            found += [(n, k) for n in self._review if head in self.passages[n].folded]
        return found

    @staticmethod
    def _signals_for(best: tuple[float, Passage, str], promise_core: str) -> Signals:
        score, _, words = best
        return Signals(score=score, anchor=words, core_chars=len(promise_core.replace("，", "")))

    def _in_listed_paragraph(self, item: Item) -> bool:
        """The item is one of a list its paragraph introduces (办好“十大重点民生实事”：①…⑧建成…)."""
        text = self.earlier.text
        start = max(text.rfind("\n", 0, item.start) + 1, item.start - 1500)
        return bool(_LIST_INTRO.search(text, start, item.start))

    def commitment(self, item: Item) -> CommitmentVerdict:
        cfg = self.settings
        gathered = self.gather(item)
        signals, evidence, checks, ranked, best = (
            gathered.signals,
            gathered.evidence,
            gathered.checks,
            gathered.ranked,
            gathered.best,
        )
        decision = decide(signals, cfg)
        if decision.status != CommitmentStatus.NOT_REPORTED:
            for n, score in ranked:
                passage = self.passages[n]
                if len(evidence) >= 3 or score < cfg.evidence:
                    break
                if passage.kind == SectionKind.PROBLEMS and not signals.in_problems:
                    continue
                if all(
                    not (e.start <= passage.start < e.end or passage.start <= e.start < passage.end)
                    for e in evidence
                ):
                    evidence.append(self._evidence(passage, score))
            if signals.list_completed and not evidence:
                evidence = [self._evidence(self.completed_lists[0], 0.0)]
            if best is not None and not signals.figures:
                top = self._evidence(best[1], best[0])
                evidence = [top, *[e for e in evidence if e.start != top.start]][:3]
        else:
            evidence = []
        return CommitmentVerdict(
            text=item.text,
            heading=item.heading,
            start=item.start,
            end=item.end,
            section=" > ".join(item.path[:-1]),
            status=decision.status,
            confidence=max(0.05, min(0.99, decision.confidence)),
            reason=f"{decision.rule}: {decision.reason}",
            evidence=evidence[:3],
            figures=checks,
        )

    def figures(self) -> list[FigureChange]:
        """The same measure counted in both years (法治宣传活动 80余场 -> 120场)."""

        def review(report: Report) -> list[tuple[str, Figure]]:
            spans = [(s.start, s.end) for s in report.sections if s.kind in REVIEW_KINDS]
            return [
                (figure_context(report.text, f.start), f)
                for f in figures_of(report)
                if any(a <= f.start < b for a, b in spans)
            ]

        later = review(self.later)
        by_unit: dict[str, list[tuple[int, list[str], Figure]]] = {}
        for i, (c, f) in enumerate(later):
            by_unit.setdefault(unit_family(f.unit), []).append((i, bigrams(c), f))
        out: list[FigureChange] = []
        used: set[int] = set()
        for context, before in review(self.earlier):
            grams = bigrams(context)
            if len({g for g in grams if not g.startswith("~")}) < 2:
                continue
            best = max(
                (
                    (dice(grams, g), i, f)
                    for i, g, f in by_unit.get(unit_family(before.unit), [])
                    if i not in used
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


def compare(earlier: Report, later: Report, settings: Settings | None = None) -> Comparison:
    """Check the commitments made in ``earlier`` (for its plan year) against ``later``."""
    comparer = Comparer(earlier, later, settings)
    verdicts = [comparer.commitment(item) for item in commitments(earlier)]
    summary = Counter(v.status.value for v in verdicts)
    return Comparison(
        entity=later.entity or earlier.entity,
        plan_year=earlier.plan_year,
        earlier_title=earlier.title,
        later_title=later.title,
        commitments=verdicts,
        problems=judge_problems(earlier, later, comparer.passages, comparer.index),
        figures=comparer.figures(),
        reuse=reuse(earlier.text, later.text),
        summary={s.value: summary.get(s.value, 0) for s in CommitmentStatus},
        method_version=METHOD_VERSION,
    )
