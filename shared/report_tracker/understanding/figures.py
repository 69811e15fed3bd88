"""Quantities in report text: ``80余场``, ``1.3万亿斤以上``, ``5%左右``, ``6%－6.5%``, ``两千人``."""

from __future__ import annotations

import re
from functools import lru_cache

from report_tracker.models.report import Figure, Report

_SCALES = {"万亿": 1e12, "千亿": 1e11, "百亿": 1e10, "十亿": 1e9, "亿": 1e8, "千万": 1e7, "百万": 1e6,
           "十万": 1e5, "万": 1e4, "千": 1e3}  # fmt: skip
_UNITS = (
    "个百分点|百分点|%|‰|人次|家次|户次|场次|车次|架次|人|名|位|场|次|件|份|家|个|项|条|美元|元|公斤|斤|吨|"
    "千瓦时|千瓦|小时|天|户|套|辆|处|起|期|台|篇|卷|学时|所|批|平方公里|平方米|公里|米|亩|座|间|张|本|册|部|"
    "年|岁|倍|周|种|类|支|只|头|块|节|片|株|棵|宗|笔|单|轮|届|班|团|队|村|镇|乡|县|区|市|省|"
    # computing power (智能算力2万P, 4.8万PFLOPS): a P that begins no word
    "EFLOPS|PFLOPS|PFlops|P(?![A-Za-z0-9])"
)
_CN_DIGITS = "零〇一二两三四五六七八九十百千"
_NUMBER = rf"\d+(?:\.\d+)?|[{_CN_DIGITS}]{{2,}}|[十百千]"
_FIGURE = re.compile(
    rf"(?<![A-Za-z0-9.\-第])"
    rf"(?P<pre>近|约|超过|逾|不少于|不低于|不超过|超)?"
    rf"(?P<num>{_NUMBER})"
    rf"(?:(?P<unit1>%)?\s*(?:[-－~～—–]|至|到)\s*(?P<num2>\d+(?:\.\d+)?))?"
    rf"(?P<scale>万亿|千亿|百亿|十亿|亿|千万|百万|十万|万|千)?"
    rf"(?P<mid>余|多)?"
    rf"(?P<unit>{_UNITS})"
    rf"(?P<post>以上|以下|以内|左右|上下|之内)?"
)
# Units that follow a Chinese numeral far more often as part of a word than as a count.
_CN_UNIT_STOP = {
    "年",
    "届",
    "村",
    "镇",
    "乡",
    "县",
    "区",
    "市",
    "省",
    "类",
    "种",
    "部",
    "本",
    "节",
    "单",
    "周",
}
_ADMIN_UNITS = {"村", "镇", "乡", "县", "区", "市", "省"}


@lru_cache(maxsize=1024)
def chinese_number(text: str) -> float | None:
    """三十 -> 30, 两千 -> 2000 (cn2an, loaded only when a Chinese numeral appears)."""
    import cn2an  # noqa: PLC0415 - 120 ms import, needed by few reports

    try:
        return float(cn2an.cn2an(text.replace("两", "二").replace("〇", "零"), "normal"))
    except (ValueError, KeyError):
        return None


def _to_number(text: str) -> float | None:
    if text[0].isdigit():
        return float(text)
    return chinese_number(text)


# Real reports carry a few hundred figures; this bounds memory on a pathological 20 MB upload
# (each Figure is about 1 KB), and the reading is flagged figures_capped when it is reached.
MAX_FIGURES = 20_000


def extract_figures(text: str, base: int = 0, limit: int = MAX_FIGURES) -> list[Figure]:
    """Every quantity with a unit in ``text`` (at most ``limit``); offsets are shifted by ``base``."""
    figures: list[Figure] = []
    for m in _FIGURE.finditer(text):
        if len(figures) >= limit:
            break
        num_text = m.group("num")
        unit = m.group("unit")
        chinese = not num_text[0].isdigit()
        if unit in _ADMIN_UNITS:
            continue  # 31个村, 两镇: a place count only with 个, which is matched on its own
        if chinese and (unit in _CN_UNIT_STOP or m.group("num2")):
            continue
        if unit == "年" and not chinese and len(num_text) == 4 and not m.group("post"):
            continue  # 2024年 is a date
        number = _to_number(num_text)
        if number is None:
            continue
        scale = _SCALES.get(m.group("scale") or "", 1.0)
        if unit in {"%", "‰", "个百分点", "百分点"}:
            scale = 1.0
        upper = float(m.group("num2")) * scale if m.group("num2") else None
        qualifier = m.group("post") or m.group("mid") or m.group("pre")
        figures.append(
            Figure(
                text=m.group(0)[len(m.group("pre") or "") :],
                number=number,
                value=number * scale,
                unit=unit,
                qualifier=qualifier,
                upper=upper,
                start=base + m.start("num"),
                end=base + m.end(),
            )
        )
    return figures


def figures_of(report: Report) -> list[Figure]:
    """Every figure of a parsed report, in order, without extracting them again.

    Parsing gave each section its figures; only text outside every section (the title lines)
    is read again, and that is a line or two.
    """
    found = {f.start: f for s in report.sections for f in s.figures}
    at = 0
    for start, end in sorted((s.start, s.end) for s in report.sections):
        if start > at:
            found.update((f.start, f) for f in extract_figures(report.text[at:start], base=at))
        at = max(at, end)
    if at < len(report.text):
        found.update((f.start, f) for f in extract_figures(report.text[at:], base=at))
    return sorted(found.values(), key=lambda f: f.start)
