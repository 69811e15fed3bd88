"""A target figure against the figure the later report gives for the same subject.

Method: docs/method.md ("Figures"): direction from the qualifier and the subject (以内 and
rates such as 失业率 / 涨幅 are ceilings; 以上 and growth are floors), 左右 a tolerance of 0.3
points for rates and 3% for amounts, units compared after their scale word (万人 -> 人), and a
figure is compared only with one whose preceding words name the same subject.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from report_tracker.models.report import Figure
from report_tracker.tracking.lexicon import AT_MOST, CEILING, canon

RATE_UNITS = {"%", "‰", "个百分点"}


@dataclass
class Outcome:
    met: bool
    ratio: float  # reported / target on the success side (1.0 or more is met)
    kind: str  # "rate" or "amount"


def figure_context(text: str, figure_start: int) -> str:
    """The words right before a figure, within its clause (target name: 城镇新增就业)."""
    head = text[max(0, figure_start - 18) : figure_start]
    head = re.split(r"[，。；：、,;（(]", head)[-1]
    return re.sub(r"^(?:全年|今年|年内|力争|确保|继续|累计|共|开展|组织|保持在|达到|实现|其中)+", "", head)


TRAILING_VERB = re.compile(
    r"(?:保持在|保持|控制在|达到|稳定在|提高到|提升至|不少于|不低于|不超过|超过|分别为|分别|在|为|达|超|突破|增长|下降|降低|上涨)+$"
)


def direction(figure: Figure, context: str) -> str:
    if figure.qualifier in AT_MOST or (CEILING.search(canon(context)) and figure.unit in RATE_UNITS):
        return "at_most"
    return "at_least"


# A reported figure said to go past its number (超4.8万P, 1.8万家以上)
EXCEEDED = {"超过", "超", "逾", "以上", "多", "余", "突破"}


def judge(planned: Figure, reported: float, way: str, reported_qualifier: str | None = None) -> Outcome:
    """Met or not, with the GUIDE's tolerance for 左右 / 上下 and nothing for 以上 / 超过. 超过 is
    strict: the very number reported, not said to be passed, reaches the target without meeting it."""
    rate = planned.unit in RATE_UNITS
    if (
        way == "at_least"
        and planned.qualifier == "超过"
        and abs(reported - planned.value) < 1e-9
        and reported_qualifier not in EXCEEDED
    ):
        return Outcome(False, 0.999, "rate" if rate else "amount")
    approx = planned.qualifier in {"左右", "上下", "约", "近"}
    if way == "at_most":
        ceiling = planned.upper or planned.value
        slack = (0.3 if rate else ceiling * 0.03) if approx else 0.0
        met = reported <= ceiling + slack + 1e-9
        ratio = (ceiling / reported) if reported > 0 else 2.0
        return Outcome(met, ratio, "rate" if rate else "amount")
    target = planned.value
    slack = (0.3 if rate else target * 0.03) if approx else 0.0
    met = reported >= target - slack - 1e-9
    ratio = reported / target if target else (1.0 if reported >= 0 else 0.0)
    return Outcome(met, ratio, "rate" if rate else "amount")
