"""Who wrote a report, about which year, for which year, and what kind of report it is."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from report_tracker.models.report import DocType, Section, SectionKind
from report_tracker.reading.clean import CN_DAY as _CN_DAY
from report_tracker.understanding.figures import chinese_number
from report_tracker.understanding.identity import Identity, identify

_C = r"[\u4e00-\u9fff]"
_YEAR_TITLE = re.compile(r"(?P<y>(?:19|20)\d{2})\s*年(?:度)?")
_GOV_REVIEW = re.compile(r"(?P<y>(?:19|20)\d{2})年(?:和今年以来)?工作回顾")
_GOV_DATE = re.compile(r"——\s*(?P<y>(?:19|20)\d{2})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日")
_DATE_CN = re.compile(
    rf"(?P<y>(?:19|20)\d{{2}})\s*年\s*(?P<m>{_CN_DAY})\s*月\s*(?P<d>{_CN_DAY})\s*日"
)  # 2025年1月8日, and 2025年一月八日 as official signatures write it
_DATE_ISO = re.compile(r"(?P<y>(?:19|20)\d{2})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})")
_ORG_LINE = re.compile(rf"^{_C}{{2,30}}(?:人民政府|委员会|党委|办公室|政府|街道办事处)$")


@dataclass
class Metadata:
    entity: str | None = None
    level: str | None = None
    identity: Identity = field(default_factory=Identity)
    region: list[str] = field(default_factory=list)
    doc_type: DocType = DocType.OTHER
    review_year: int | None = None
    plan_year: int | None = None
    published: str | None = None
    publisher: str | None = None
    index_no: str | None = None
    title: str | None = None
    sources: dict[str, str] = field(default_factory=dict)


GWR_HEAD = re.compile(r"政府工作报告|向大会报告(?:政府)?工作|报告政府工作|作政府工作报告")


def detect_doc_type(head: str, *, body: bool = False) -> DocType:
    """Document type from the title or, with ``body``, from the opening lines of an untitled text
    (where 第一责任人职责 is often mentioned in passing, so the annual report's cue comes first)."""
    if GWR_HEAD.search(head):
        return DocType.GOVERNMENT_WORK_REPORT
    if body and re.search(r"法治政府建设", head) and not re.search(r"述法|第一责任人职责情况", head[:80]):
        return DocType.RULE_OF_LAW_ANNUAL
    if "第一责任人" in head and re.search(r"述法|履行|职责", head):
        return DocType.FIRST_RESPONSIBLE_PERSON
    if "述法" in head:
        return DocType.FIRST_RESPONSIBLE_PERSON
    if "示范" in head and re.search(r"创建|汇报", head):
        return DocType.DEMONSTRATION_TOWNSHIP
    if re.search(r"法治政府建设|依法行政|法治建设", head) and re.search(r"报告|情况|总结", head):
        return DocType.RULE_OF_LAW_ANNUAL
    return DocType.OTHER


def title_year_offsets(doc_type: DocType) -> tuple[int, int]:
    """(review, plan) years relative to the year in a report's title, by genre.

    A 2026年政府工作报告 is delivered early in 2026: it reviews 2025 and plans 2026. A
    2024年法治政府建设情况报告 reports on 2024 and plans 2025.
    """
    return (-1, 0) if doc_type == DocType.GOVERNMENT_WORK_REPORT else (0, 1)


_TITLE_LIKE = re.compile(r"报告|汇报|总结|情况|讲话|发言|述法|材料")


def _title(lines: list[str], title_lines: int, table: dict[str, str]) -> str | None:
    """The report's own title: a short heading line, never page debris, a salutation or a speaker line."""
    for key in ("标题", "名称"):
        if table.get(key):
            return table[key].strip()
    picked = [
        line.strip()
        for line in lines[: max(title_lines, 1)]
        if line.strip() and not line.strip().endswith(("：", ":")) and not line.startswith("——")
        and len(line) <= 80 and "各位代表" not in line and _TITLE_LIKE.search(line)
    ]  # fmt: skip
    return " ".join(picked) or None


def _iso(m: re.Match[str]) -> str:
    return f"{int(m.group('y')):04d}-{_number(m.group('m')):02d}-{_number(m.group('d')):02d}"


def _number(written: str) -> int:
    """A month or day in digits or Chinese numerals (八, 十二, 二十一)."""
    return int(written) if written.isdigit() else int(chinese_number(written) or 0)


def read_metadata(
    text: str,
    title_lines: int,
    table: dict[str, str],
    sections: list[Section],
    filename: str | None = None,
) -> Metadata:
    """Metadata as stated by the document itself (table first, then title, then body)."""
    meta = Metadata()
    lines = text.split("\n")
    meta.title = _title(lines, title_lines, table)
    meta.doc_type = detect_doc_type(meta.title) if meta.title else detect_doc_type(text[:300], body=True)
    if meta.doc_type == DocType.OTHER and meta.title:
        meta.doc_type = detect_doc_type(text[:300], body=True)
    if meta.doc_type == DocType.OTHER and GWR_HEAD.search(text[:1500]):
        meta.doc_type = DocType.GOVERNMENT_WORK_REPORT
    meta.sources["doc_type"] = "title"
    if meta.doc_type == DocType.OTHER and filename:
        meta.doc_type = detect_doc_type(filename)
        meta.sources["doc_type"] = "filename"

    found = identify(text, meta.title or "", table)
    meta.entity, meta.level, meta.region, meta.identity = found.entity, found.level, found.region, found
    if found.entity and found.source:
        meta.sources["entity"] = found.source

    _years(meta, text, meta.title or "", sections)
    meta.index_no = table.get("索引号")
    published = (
        table.get("发文日期") or table.get("发布日期") or table.get("成文日期") or table.get("发布时间")
    )
    if (published and (m := _DATE_ISO.search(published) or _DATE_CN.search(published))) or (
        m := _GOV_DATE.search(text[:2000])
    ):
        meta.published = _iso(m)
    elif tail_dates := list(_DATE_CN.finditer(text[-300:])):
        meta.published = _iso(tail_dates[-1])
    meta.publisher = table.get("发布机构") or table.get("发文机关") or _publisher(lines, title_lines)
    return meta


def _publisher(lines: list[str], title_lines: int) -> str | None:
    for line in reversed(lines[-4:]):
        if _ORG_LINE.match(line.strip()):
            return line.strip()
    for line in lines[:title_lines]:
        m = re.match(rf"^(?:中共)?({_C}{{2,30}}?(?:人民政府|委员会|党委))", line)
        if m:
            return m.group(1)
    return None


_SESSION_DATE = re.compile(
    r"(?P<y>(?:19|20)\d{2})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日\s*在[^。\n]{2,30}人民代表大会"
)
_OPENING_YEAR = re.compile(
    r"(?:^|\n)[\s　]*(?P<y>(?:19|20)\d{2})年(?:度)?(?:，|,|以来|是|我|全|在|[\u4e00-\u9fff]{2,6}(?:镇|乡|街道|县|区)(?:在|坚持|以))"
)
_PLAN_HEADING_YEAR = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*年(?:度)?[^。\n]{0,12}(?:任务|重点|目标|计划|安排|思路|打算|工作)"
)


_THIS_YEAR = re.compile(r"今年|本年度")  # 今年以来 too
_PAST_YEAR = re.compile(r"一年来|过去的?一年|去年")


def _year_from_closing_date(text: str) -> int | None:
    """The year an undated annual report reviews, from the date it is signed: one that says 今年以来
    reviews the year it is signed in; one signed late in a year (from October) reviews that year, one
    signed early in the next (to March) the year before, as annual reports are due by then. Between,
    nothing is assumed."""
    dates = list(_DATE_CN.finditer(text[-300:]))
    if not dates:
        return None
    year, month = int(dates[-1].group("y")), _number(dates[-1].group("m"))
    opening = text[:600]
    if _THIS_YEAR.search(opening) and not _PAST_YEAR.search(opening):
        return year
    if month >= 10:
        return year
    return year - 1 if 1 <= month <= 3 else None


def _years(meta: Metadata, text: str, title: str, sections: list[Section]) -> None:
    """Review and plan years from the title, the session date and the section headings."""
    review_offset, plan_offset = title_year_offsets(meta.doc_type)
    titled = _YEAR_TITLE.search(title)
    if titled:
        year = int(titled.group("y"))
        meta.review_year, meta.plan_year = year + review_offset, year + plan_offset
        meta.sources["review_year"] = meta.sources["plan_year"] = "title"
    if meta.doc_type == DocType.GOVERNMENT_WORK_REPORT:
        # Delivered in the first months of the year it plans.
        dated = _SESSION_DATE.search(text[:2000]) or _GOV_DATE.search(text[:2000])
        review = _GOV_REVIEW.search(text)
        if meta.review_year is None and dated:
            meta.review_year, meta.plan_year = int(dated.group("y")) - 1, int(dated.group("y"))
            meta.sources["review_year"] = meta.sources["plan_year"] = "session date"
        if meta.review_year is None and review:
            meta.review_year, meta.plan_year = int(review.group("y")), int(review.group("y")) + 1
            meta.sources["review_year"] = meta.sources["plan_year"] = "review heading"
    if meta.plan_year is None or meta.sources.get("plan_year") != "title":
        for section in sections:
            if section.kind != SectionKind.PLANS:
                continue
            pm = _PLAN_HEADING_YEAR.search(section.heading)
            # The plans are for the year after the one reviewed (a heading naming 2035年远景目标
            # in a 2021 report is the long-range goal, not the year planned).
            if pm and (meta.review_year is None or int(pm.group("y")) == meta.review_year + 1):
                meta.plan_year = int(pm.group("y"))
                meta.sources["plan_year"] = "plans heading"
                if meta.review_year is None:
                    meta.review_year = meta.plan_year - (plan_offset - review_offset)
                    meta.sources["review_year"] = "plans heading"
                break
    # An untitled annual report opens on the year it reports: 2020年，在区委、区政府的正确领导下…
    opening = _OPENING_YEAR.search(text[:600]) if meta.review_year is None else None
    if opening and meta.doc_type != DocType.GOVERNMENT_WORK_REPORT:
        meta.review_year = int(opening.group("y"))
        meta.sources["review_year"] = "opening"
    if meta.review_year is None and meta.doc_type != DocType.GOVERNMENT_WORK_REPORT:
        meta.review_year = _year_from_closing_date(text)
        if meta.review_year is not None:
            meta.sources["review_year"] = "closing date"
    if meta.plan_year is None and meta.review_year is not None:
        meta.plan_year = meta.review_year + (plan_offset - review_offset)
