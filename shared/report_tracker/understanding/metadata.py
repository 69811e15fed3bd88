"""Who wrote a report, about which year, for which year, and what kind of report it is."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from report_tracker.models.report import DocType, Section, SectionKind

_C = r"[\u4e00-\u9fff]"
_PROVINCE = rf"(?:{_C}{{2,7}}?(?:省|自治区)|北京市|天津市|上海市|重庆市)"
_CITY = rf"(?:{_C}{{2,6}}?(?:市|地区|自治州|盟))"
_COUNTY = rf"(?:{_C}{{1,6}}?(?:区|县|自治县|旗|县级市))"
_TOWN = rf"(?P<town>{_C}{{2,6}}?(?:镇|乡|街道|苏木))"
_ADMIN_PATH = re.compile(rf"(?P<prov>{_PROVINCE})?(?P<city>{_CITY})?(?P<county>{_COUNTY})?{_TOWN}")
_REGION_ONLY = re.compile(rf"(?P<prov>{_PROVINCE})?(?P<city>{_CITY})?(?P<county>{_COUNTY})")
# Characters that, right before 镇/乡, make a common word rather than a place name.
_NOT_NAME_BEFORE = set("乡城村集街市全我本该各每两三重示建")
_NOT_NAME_PREFIX = {"法治", "示范", "文明", "卫生", "平安", "特色", "重点", "中心", "建制", "生态", "美丽", "旅游",
                    "全国", "各个", "依法", "创建", "城乡", "村镇", "乡镇", "我们", "年度", "本年", "全年",
                    "组织", "加强", "实施", "发展", "推进", "推动", "全面", "建设", "国家", "开展", "落实"}  # fmt: skip
_STRIP_LEADING = re.compile(r"^(?:中共|关于|对|在|了|由|和|与|及|为|将|是|的|等|向|到|于|从|以|把|被)+")
_YEAR_TITLE = re.compile(r"(?P<y>(?:19|20)\d{2})\s*年(?:度)?")
_GOV_REVIEW = re.compile(r"(?P<y>(?:19|20)\d{2})年(?:和今年以来)?工作回顾")
_GOV_DATE = re.compile(r"——\s*(?P<y>(?:19|20)\d{2})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日")
_DATE_CN = re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")
_DATE_ISO = re.compile(r"(?P<y>(?:19|20)\d{2})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})")
_ORG_LINE = re.compile(rf"^{_C}{{2,30}}(?:人民政府|委员会|党委|办公室|政府|街道办事处)$")


@dataclass
class Metadata:
    entity: str | None = None
    region: list[str] = field(default_factory=list)
    doc_type: DocType = DocType.OTHER
    review_year: int | None = None
    plan_year: int | None = None
    published: str | None = None
    publisher: str | None = None
    index_no: str | None = None
    title: str | None = None
    sources: dict[str, str] = field(default_factory=dict)


def detect_doc_type(head: str) -> DocType:
    """Document type from the title and the first lines."""
    if "政府工作报告" in head or "向大会报告政府工作" in head or "报告政府工作" in head:
        return DocType.GOVERNMENT_WORK_REPORT
    if "第一责任人" in head and re.search(r"述法|履行|职责", head):
        return DocType.FIRST_RESPONSIBLE_PERSON
    if "述法" in head:
        return DocType.FIRST_RESPONSIBLE_PERSON
    if "示范" in head and re.search(r"创建|汇报", head):
        return DocType.DEMONSTRATION_TOWNSHIP
    if re.search(r"法治政府建设|依法行政|法治建设", head) and re.search(r"报告|情况|总结", head):
        return DocType.RULE_OF_LAW_ANNUAL
    return DocType.OTHER


def _admin_match(text: str) -> tuple[str | None, list[str]]:
    for m in _ADMIN_PATH.finditer(text):
        town = _STRIP_LEADING.sub("", m.group("town"))
        if not _plausible_town(town, text[m.end() : m.end() + 1]):
            continue
        region = [g for g in (m.group("prov"), m.group("city"), m.group("county")) if g]
        region = [_STRIP_LEADING.sub("", r) for r in region]
        return town, region
    return None, []


def _plausible_town(town: str, following: str) -> bool:
    stem = town[:-2] if town.endswith("街道") else town[:-1]
    if not 2 <= len(stem) <= 4 or (town.endswith("乡") and following == "镇"):
        return False
    if stem[-1] in _NOT_NAME_BEFORE or any(p in stem for p in _NOT_NAME_PREFIX):
        return False
    return not re.search(r"[0-9年度级]", stem)


def _body_entity(text: str) -> str | None:
    """The township named most often in the body (两字名 + 镇/乡/街道)."""
    counts: Counter[str] = Counter()
    for m in re.finditer(rf"(?=({_C}{{2}}(?:镇|乡|街道))(?!村|镇|域|级))", text):
        name = m.group(1)
        stem = name[:2]
        if stem[0] in "在了由和与及为将是的等向到于从以把被对" or not _plausible_town(name, ""):
            continue
        counts[name] += 1
    if not counts:
        return None
    name, n = counts.most_common(1)[0]
    return name if n >= 2 else None


def _region_of(text: str) -> list[str]:
    m = _REGION_ONLY.search(text)
    if not m:
        return []
    return [_STRIP_LEADING.sub("", g) for g in (m.group("prov"), m.group("city"), m.group("county")) if g]


def _iso(m: re.Match[str]) -> str:
    return f"{int(m.group('y')):04d}-{int(m.group('m')):02d}-{int(m.group('d')):02d}"


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
    title = table.get("标题") or " ".join(lines[:title_lines]).strip() or None
    meta.title = title
    head = " ".join(filter(None, [table.get("标题", ""), *lines[: max(title_lines, 1)]]))
    meta.doc_type = detect_doc_type(head)
    if meta.doc_type == DocType.OTHER and filename:
        meta.doc_type = detect_doc_type(filename)
    meta.sources["doc_type"] = "title"

    title_text = " ".join(filter(None, [table.get("标题"), title, table.get("发布机构")]))
    entity, region = _admin_match(title_text)
    if meta.doc_type == DocType.GOVERNMENT_WORK_REPORT and not entity:
        meta.entity = "国务院" if "国务院" in text[:3000] or (filename and "国务院" in filename) else None
        meta.region = _region_of(title_text)
        if meta.entity:
            meta.sources["entity"] = "body"
    elif entity:
        meta.entity, meta.region = entity, region
        meta.sources["entity"] = "title"
    else:
        body_entity = _body_entity(text)
        if body_entity:
            meta.entity = body_entity
            meta.sources["entity"] = "body"
        meta.region = _region_of(title_text)
    if not meta.region and meta.entity:
        m = re.search(rf"({_COUNTY}|{_CITY})(?={re.escape(meta.entity)})", text)
        if m:
            meta.region = [_STRIP_LEADING.sub("", m.group(1))]

    _years(meta, text, title or "", sections, filename)
    meta.index_no = table.get("索引号")
    published = table.get("发文日期") or table.get("发布日期") or table.get("成文日期")
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


def _years(meta: Metadata, text: str, title: str, sections: list[Section], filename: str | None) -> None:
    if meta.doc_type == DocType.GOVERNMENT_WORK_REPORT:
        # A 2024年政府工作报告 reviews 2023 and sets the targets for 2024.
        review = _GOV_REVIEW.search(text)
        dated = _GOV_DATE.search(text[:2000])
        named = _YEAR_TITLE.search(title) or (_YEAR_TITLE.search(filename) if filename else None)
        if review:
            meta.review_year = int(review.group("y"))
            meta.sources["review_year"] = "body"
        elif dated or named:
            found = dated or named
            assert found is not None
            meta.review_year = int(found.group("y")) - 1
            meta.sources["review_year"] = "title"
        if meta.review_year is not None:
            meta.plan_year = meta.review_year + 1
        return
    m = _YEAR_TITLE.search(title)
    if m:
        meta.review_year = int(m.group("y"))
        meta.sources["review_year"] = "title"
    plans = [s for s in sections if s.kind == SectionKind.PLANS]
    for section in plans:
        pm = _YEAR_TITLE.search(section.heading)
        if pm:
            meta.plan_year = int(pm.group("y"))
            meta.sources["plan_year"] = "plans heading"
            break
    if meta.plan_year is None and meta.review_year is not None:
        meta.plan_year = meta.review_year + 1
