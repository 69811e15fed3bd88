"""The verdict on one commitment: a pure function of the signals gathered for it.

Every threshold lives in ``Settings`` (``make eval`` sweeps them); the reason shown with a
verdict is the rule that decided it. Method: docs/method.md ("How a verdict is reached").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from report_tracker.models.tracking import CommitmentStatus


@dataclass(frozen=True)
class Settings:
    match: float = 0.5  # coverage of the promise by a review passage for it to count as addressed
    strong_match: float = 0.7  # coverage at which no anchor is needed
    anchor_chars: int = 4  # the promise's own words (filler removed) found together in the passage
    word_share: float = 0.6  # or: this share of its words (by length) found in the passage, any order
    long_anchor: int = 6  # or: this long a run of its own words together (a named thing: 国家碳计量中心)
    long_anchor_match: float = 0.4  # with a coverage of at least this (or a quoted name: “保交房”)
    word_match: float = 0.35  # with a coverage of at least this
    evidence: float = 0.35  # a passage shown as further evidence
    figure_match: float = 0.5  # wording shared by the words before a planned and a reported figure
    figure_words: float = 0.85  # or: this share of the subject's words in the reported clause
    rate_partial: float = 0.9  # a rate below target but within a tenth of it is partial
    amount_partial: float = 0.5  # an amount from half the target up is partial
    min_confidence: float = 0.35  # below it the archive says not_reported rather than guess


@dataclass
class FigureSignal:
    planned: str
    reported: str
    met: bool
    ratio: float
    kind: str  # rate, amount, or periodic (a multi-year figure: not the year's result)


@dataclass
class Signals:
    """What the comparison found for one commitment in the later report's review."""

    score: float = 0.0  # coverage of the promise by the best passage
    anchor: str = ""  # the longest run of the promise's own words in that passage
    core_chars: int = 0  # length of the promise without filler
    word_share: float = 0.0  # share of the promise's words (by length) in the best passage
    done: bool = False  # the passage reports completion or a result
    concrete: bool = False  # the passage names a concrete action, figure or result
    vague: bool = False  # only general words (稳步推进, 持续加强)
    short: bool = False  # the passage says it was not done (未, 尚未, 推迟)
    in_problems: bool = False  # the best passage is in the problems section
    has_target_figure: bool = False  # the promise carries a figure
    single: bool = False  # every figure it carries is one thing (法治文化广场1处): completion is the count
    effort: bool = False  # the promise is an ongoing effort (推进, 深化, 加强)
    figures: list[FigureSignal] = field(default_factory=list)
    list_completed: bool = False  # a named list it belongs to is reported completed in full
    places_partly: bool = False  # it names places one by one (甲村、乙村) and the review only some
    quoted_anchor: bool = False  # the anchor is a name the passage quotes whole (“保交房”任务完成)
    # the passage names another programme, village or institution, not the one promised (“无信访村”,
    # 中心组 for 会前学法), or "no X" when it names none of the institutions promised
    other_name: str = ""
    coverage_short: bool = False  # it promises full coverage (全覆盖) and the review does not claim it
    share_only: bool = False  # a growth target whose words the review uses only for a share (占…比重)
    target_met: bool = False  # its own clause says the target was met (超额完成全年任务)
    names_listed: int = 0  # named things it lists (京东方…生产线、四川时代…基地等项目)
    names_said: int = 0  # how many of them the review names
    prevented: str = ""  # it promises to prevent this (重特大事故) and the review says none occurred


@dataclass
class Decision:
    status: CommitmentStatus
    confidence: float
    rule: str  # figure met / figure below target / completion stated / progress stated / ...
    reason: str


def matched(s: Signals, cfg: Settings) -> bool:
    """The review speaks of this promise: enough of its wording, and its own words together,
    or one of the things it lists by name."""
    if s.names_said:
        return True
    if s.score >= cfg.strong_match:
        return True
    enough_anchor = len(s.anchor) >= min(cfg.anchor_chars, max(2, s.core_chars))
    if s.score >= cfg.match and enough_anchor:
        return True
    if s.score >= cfg.long_anchor_match and (len(s.anchor) >= cfg.long_anchor or s.quoted_anchor):
        return True  # the rest of the promise is a lead clause or modifiers (深化…行动，初步建成…)
    return s.score >= cfg.word_match and s.word_share >= cfg.word_share


def decide(s: Signals, cfg: Settings) -> Decision:
    """The verdict, and the rule that reached it; below ``min_confidence`` the archive does not guess."""
    decision = _rules(s, cfg)
    if decision.status != CommitmentStatus.NOT_REPORTED and decision.confidence < cfg.min_confidence:
        return Decision(
            CommitmentStatus.NOT_REPORTED,
            0.5,
            "unclear",
            f"only a loose mention ({decision.rule}, confidence {decision.confidence:.2f}): not enough to judge",
        )
    return decision


def _rules(s: Signals, cfg: Settings) -> Decision:
    if s.figures and all(f.kind == "periodic" for f in s.figures):
        return Decision(CommitmentStatus.NOT_REPORTED, 0.6, "not found",
                        "only a multi-year figure speaks of it, not the year's result")  # fmt: skip
    figures = [f for f in s.figures if f.kind != "periodic"]
    if figures:
        missed = [f for f in figures if not f.met]
        if not missed:
            shown = "; ".join(f"target {f.planned}, reported {f.reported}" for f in figures)
            return Decision(CommitmentStatus.FULFILLED, 0.9, "figure met", shown)
        worst = min(missed, key=lambda f: f.ratio)
        floor = cfg.rate_partial if worst.kind == "rate" else cfg.amount_partial
        status = CommitmentStatus.PARTIAL if worst.ratio >= floor else CommitmentStatus.MISSED
        return Decision(
            status, 0.8, "figure below target", f"target {worst.planned}, reported {worst.reported}"
        )
    if s.prevented:
        return Decision(CommitmentStatus.FULFILLED, 0.8, "completion stated",
                        f"the review reports that no {s.prevented} occurred")  # fmt: skip
    if s.list_completed:
        return Decision(
            CommitmentStatus.FULFILLED,
            0.7,
            "completion stated",
            "the list it belongs to is reported completed in full",
        )
    if s.share_only:
        return Decision(CommitmentStatus.NOT_REPORTED, 0.6, "not found",
                        "the review gives a share of it (占…比重), not the growth promised")  # fmt: skip
    if s.other_name and not s.names_said and (s.has_target_figure or matched(s, cfg)):
        if s.other_name.startswith("no "):
            return Decision(CommitmentStatus.NOT_REPORTED, 0.6, "not found",
                            f"the review names {s.other_name}, which was promised")  # fmt: skip
        return Decision(CommitmentStatus.NOT_REPORTED, 0.6, "not found",
                        f"the review speaks of another programme or place ({s.other_name}), not the one named")  # fmt: skip
    if not matched(s, cfg):
        return Decision(CommitmentStatus.NOT_REPORTED, round(0.9 - s.score / 2, 2), "not found",
                        "the review of the later report says nothing specific about it")  # fmt: skip
    confidence = round(min(0.95, 0.35 + s.score / 2 + min(len(s.anchor), 8) / 40), 2)
    if s.short and not s.in_problems:
        return Decision(
            CommitmentStatus.MISSED,
            confidence,
            "shortfall stated",
            "the review says it was not done or was delayed",
        )
    if s.in_problems:
        return Decision(CommitmentStatus.PARTIAL, confidence - 0.1, "shortfall stated",
                        "the later report names it among its problems")  # fmt: skip
    if 0 < s.names_said < s.names_listed:
        return Decision(CommitmentStatus.PARTIAL, confidence - 0.05, "progress stated",
                        f"the review names {s.names_said} of the {s.names_listed} things it lists")  # fmt: skip
    if s.places_partly:
        return Decision(CommitmentStatus.PARTIAL, confidence - 0.05, "progress stated",
                        "the review reports it for some of the places named, not all")  # fmt: skip
    if s.has_target_figure and s.target_met and not s.short:
        return Decision(CommitmentStatus.FULFILLED, confidence, "completion stated",
                        "the review says its target was met, without the figure")  # fmt: skip
    if s.has_target_figure and s.single and s.done:
        return Decision(
            CommitmentStatus.FULFILLED,
            confidence,
            "completion stated",
            "the review reports the one thing promised done",
        )
    if s.has_target_figure and not s.done:
        return Decision(CommitmentStatus.PARTIAL, confidence - 0.1, "progress stated",
                        "progress reported, without a figure comparable to the target")  # fmt: skip
    if s.vague and not s.done:
        return Decision(CommitmentStatus.PARTIAL, confidence - 0.05, "progress stated",
                        "the review says the work went on, in general words only")  # fmt: skip
    if (s.done or s.concrete) and s.coverage_short:
        return Decision(CommitmentStatus.PARTIAL, confidence - 0.05, "progress stated",
                        "reported, but not the full coverage promised")  # fmt: skip
    if s.done or s.concrete:
        if s.has_target_figure:
            return Decision(CommitmentStatus.PARTIAL, confidence - 0.05, "progress stated",
                            "reported, but without a figure comparable to the target")  # fmt: skip
        return Decision(CommitmentStatus.FULFILLED, confidence, "completion stated",
                        "the review reports it done or names a concrete result")  # fmt: skip
    if s.vague or s.effort:
        return Decision(CommitmentStatus.PARTIAL, confidence - 0.05, "progress stated",
                        "the review says the work went on, in general words only")  # fmt: skip
    return Decision(
        CommitmentStatus.PARTIAL, confidence - 0.15, "progress stated", "mentioned without a result"
    )
