"""Which government wrote a report, read from the signals a person uses.

Strong signals name a government outright: the title, the session line (在湖北省第十四届人民代表大会
第四次会议上), the speaker (湖北省人民政府省长 李殿勋), the self-introduction (我代表上海市人民政府),
the issuing body (a metadata table's 发布机构) and the seal line at the end. Weak signals say only
the level (全省 / 全市 / 全镇 ...) or how often a place is mentioned. Names are checked against the
official division list (``gazetteer``) down to counties; townships and streets are read from the
names the strong signals give, with the suffix that makes them one (镇, 乡, 街道, 苏木).

An entity is given only when the signals agree: one named candidate carries a strong signal, and no
other government (neither above nor below it) carries one too. Otherwise the reading lists the
candidates and says why, and the upload waits for a person (``needs_metadata``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from report_tracker.models.report import IdentityCandidate
from report_tracker.understanding.gazetteer import (
    CITY,
    COUNTY,
    MUNICIPALITIES,
    PROVINCE,
    TOWN,
    Division,
    gazetteer,
)

STATE_COUNCIL = "国务院"
NATIONAL = "national"
_C = r"\u4e00-\u9fff"
_TOWN_NAME = re.compile(
    rf"([{_C}]{{2,5}}?(?:街道|镇|乡|苏木))(?=人民政府|政府|党委|委员会|办事处|关于|（|\(|[0-9２-９]|年|法治|$)"
)
_NOT_TOWN = re.compile(
    r"^(?:乡|镇|村|城市|城镇|全[县市区镇乡省国面年体域]|我|本|该|各|每|示范|法治|文明|特色|重点|中心|建制|城乡|村镇|乡镇|市级|省级|县级|区级)"
)
_ORG_SUFFIX = r"(?:人民政府|政府|街道办事处|办事处|党工委|党委|委员会)"
_AFTER_SHORT = re.compile(r"^(?:人民|政府|省|市|第|全|[0-9]|$)")
_SESSION = re.compile(rf"在?([{_C}]{{2,20}}?)(?:第?[一二三四五六七八九十]{{1,3}}届)人民代表大会")
_SPEAKER = re.compile(
    rf"([{_C}]{{0,20}}?)(?:人民政府)?(?:代理|代)?(总理|省长|主席|市长|区长|县长|旗长|州长|盟长|镇长|乡长)[\s　]*[{_C}·]{{2,8}}"
)
_ON_BEHALF = re.compile(rf"我代表([{_C}]{{1,20}}?)(?:人民政府|政府)|我代表(国务院)")
_SEAL = re.compile(rf"^(?:中共)?([{_C}（）]{{2,30}}?){_ORG_SUFFIX}$")
_SELF = re.compile(r"(?:全|我|本)(省|市|区|县|旗|州|盟|镇|乡|街道)")
_SPEAKER_LEVEL = {"总理": NATIONAL, "省长": PROVINCE, "主席": PROVINCE, "市长": CITY, "州长": CITY, "盟长": CITY,
                  "区长": COUNTY, "县长": COUNTY, "旗长": COUNTY, "镇长": TOWN, "乡长": TOWN}  # fmt: skip
_SELF_LEVEL = {"省": PROVINCE, "市": CITY, "州": CITY, "盟": CITY, "区": COUNTY, "县": COUNTY, "旗": COUNTY,
               "镇": TOWN, "乡": TOWN, "街道": TOWN}  # fmt: skip
STRONG = 3.0


@dataclass
class _Named:
    entity: str
    level: str
    region: list[str]
    division: Division | None = None


@dataclass
class Identity:
    entity: str | None = None
    level: str | None = None
    region: list[str] = field(default_factory=list)
    source: str | None = None
    reason: str | None = None
    candidates: list[IdentityCandidate] = field(default_factory=list)


def resolve(text: str) -> _Named | None:
    """The government a name or an organisation line points to: its deepest unit, with the units above.

    ``宜宾市翠屏区李庄镇人民政府`` -> 李庄镇 in [四川省, 宜宾市, 翠屏区]; ``2025年宁夏政府工作报告`` ->
    宁夏回族自治区; ``湄潭县人民政府`` -> 湄潭县 in [贵州省, 遵义市].
    """
    gaz = gazetteer()
    chain: list[Division] = []
    last_end = 0
    for m in gaz.pattern.finditer(text):
        name = m.group(0)
        full = name in gaz.by_name
        after = text[m.end() : m.end() + 2]
        if not full and not _AFTER_SHORT.match(after):
            continue  # a short name (宁夏, 湄潭) counts only where a name is expected
        before = text[m.start() - 1 : m.start()]
        if (
            not full
            and name[-1] in "镇乡"
            and "\u4e00" <= before <= "\u9fff"
            and before not in "省市县区州盟旗"
        ):
            continue  # 年丰镇: a township's name ending in a county's short name (丰镇)
        if text[m.end() : m.end() + 1] in {"镇", "乡", "街", "村"}:
            break  # 景德镇, 李庄镇: the name continues as a township's
        options = gaz.lookup(name)
        above = chain[-1] if chain else None
        picked = next((d for d in options if above and gaz.path(d)[:-1] and above in gaz.path(d)), None)
        if picked is None:
            picked = options[0] if len(options) == 1 or not chain else None
        if picked is None:
            if not chain and options:
                picked = options[0]
            else:
                continue
        if chain and picked in gaz.path(chain[-1]):
            continue  # a repeated name above the one we hold
        chain.append(picked)
        last_end = m.end()
    town = _town(text[last_end:])
    if town:
        region = [d.name for d in gaz.path(chain[-1])] if chain else []
        return _Named(town, TOWN, region)
    if not chain:
        return None
    deepest = chain[-1]
    path = gaz.path(deepest)
    ambiguous = len(gaz.lookup(deepest.name)) > 1 and len(chain) == 1 and deepest.level == COUNTY
    if ambiguous:
        return _Named(deepest.name, COUNTY, [])  # 南山区 of which city? the name alone is still right
    return _Named(deepest.name, deepest.level, [d.name for d in path[:-1]], deepest)


def _town(text: str) -> str | None:
    # 南山区人民政府粤海街道办事处: the township's name starts after the organisation above it.
    for piece in re.split(r"人民政府|政府|党工委|党委|委员会|中共|关于", text):
        for m in _TOWN_NAME.finditer(piece):
            name = m.group(1)
            if name[0] == "年" and piece[m.start() - 1 : m.start()].isdigit():
                continue  # 2025年丰镇: a year, then a short name
            # 云岭县青石镇 (a county the list does not know, then the township): the township is the last part.
            parts = re.split(r"(?<=[县区市旗])", name)
            if len(parts) > 1 and len(parts[-1]) >= 3:
                name = parts[-1]
            if len(name) >= 3 and not plausible_town(name, titled=True):
                name = _after_phrase_words(name)
            if len(name) >= 3 and plausible_town(name, titled=True):
                return name
    return None


def _after_phrase_words(name: str) -> str:
    """A name with the words before it cut off (法治政府建设粤海街道, a breadcrumb glued to the
    title when the line breaks were lost): no place name holds 建设, 推进, 法治 ..."""
    stem = name[:-2] if name.endswith(("街道", "苏木")) else name[:-1]
    cut = max((stem.rfind(p) + len(p) for p in _NOT_NAME_PART if p in stem), default=0)
    return name[cut:]


# Characters that, right before 镇/乡, make a common word rather than a place name.
_NOT_NAME_BEFORE = set("乡城村集街市全我本该各每两三重示建古小名强")  # 李庄古镇, 特色小镇: not towns
# ... though 王集镇, 古城镇, 新市镇, 长街镇 are common names: a title or seal naming a government
# (王集镇人民政府) may end its name so; a running text's 集镇建设 or 城镇就业 may not.
_NAME_BEFORE_IN_TITLES = set("城集街市古")
_NOT_NAME_PART = ("法治", "示范", "文明", "卫生", "平安", "特色", "重点", "中心", "建制", "生态", "美丽", "旅游",
                  "全国", "各个", "依法", "创建", "城乡", "村镇", "乡镇", "我们", "年度", "本年", "全年", "组织",
                  "加强", "实施", "发展", "推进", "推动", "全面", "建设", "国家", "开展", "落实", "完善")  # fmt: skip


def plausible_town(name: str, *, titled: bool = False) -> bool:
    """Whether ``XX镇`` / ``XX乡`` / ``XX街道`` reads as a place rather than a phrase (示范乡镇, 法治镇).
    ``titled``: the name is that of a government in a title or seal."""
    stem = name[:-2] if name.endswith(("街道", "苏木")) else name[:-1]
    if not 2 <= len(stem) <= 5 or "某" in stem:
        return False  # 某某镇, 某镇: a name withheld, not one
    if name.endswith("路街道") and len(stem) >= 3:
        return not re.search(r"[0-9年度级]", stem)  # named for its road: 建设路街道, 文明路街道
    if _NOT_TOWN.match(name):
        return False
    if stem[-1] in _NOT_NAME_BEFORE and not (titled and stem[-1] in _NAME_BEFORE_IN_TITLES):
        return False
    # 年 opens a name only in a title (年丰镇人民政府; _town drops 2025年丰镇), never inside one
    year_word = "年" in stem[1:] or (stem[0] == "年" and not titled)
    return not any(p in stem for p in _NOT_NAME_PART) and not re.search(r"[0-9度级]", stem) and not year_word


def _accepts(named: _Named, level: str) -> bool:
    """Whether a self-reference (全省, 全市, 全区 ...) fits this government."""
    if named.level == NATIONAL:
        return level == NATIONAL
    if named.level == PROVINCE:
        return (
            level == PROVINCE
            or (named.entity in MUNICIPALITIES and level == CITY)
            or (
                named.entity.endswith("自治区") and level == COUNTY  # 全区 in an autonomous region
            )
        )
    return named.level == level


def _self_levels(text: str) -> Counter[str]:
    counts: Counter[str] = Counter()
    for m in _SELF.finditer(text):
        counts[_SELF_LEVEL[m.group(1)]] += 1
    return counts


def identify(text: str, title: str, table: dict[str, str]) -> Identity:
    """The entity the report's own signals name, or the candidates and why none was chosen."""
    head = text[:1500]
    lines = text.split("\n")
    named: dict[str, _Named] = {}
    support: dict[str, float] = {}
    sources: dict[str, list[str]] = {}
    level_hints: list[str] = []

    def add(found: _Named | None, weight: float, source: str) -> None:
        if found is None:
            return
        named.setdefault(found.entity, found)
        if len(found.region) > len(named[found.entity].region):
            named[found.entity] = found
        support[found.entity] = support.get(found.entity, 0.0) + weight
        sources.setdefault(found.entity, []).append(source)

    state = _Named(STATE_COUNCIL, NATIONAL, [])
    for key in ("发布机构", "发文机关", "标题", "名称"):
        if table.get(key):
            add(resolve(table[key]), STRONG, "metadata table")
    if title:
        add(resolve(title), STRONG, "title")
    if m := _SESSION.search(head):
        add(state if "全国" in m.group(1) else resolve(m.group(1) + "人民政府"), STRONG + 1, "session line")
    for m in _SPEAKER.finditer(head):
        role = m.group(2)
        level_hints.append(_SPEAKER_LEVEL[role])
        if role == "总理":
            add(state, STRONG, "speaker")
        elif m.group(1):
            add(resolve(m.group(1) + "人民政府"), STRONG, "speaker")
        break
    if m := _ON_BEHALF.search(head):
        if m.group(2):
            add(state, STRONG, "self-introduction")
        elif len(m.group(1)) > 1:
            add(resolve(m.group(1) + "人民政府"), STRONG, "self-introduction")
    for seal in (line.strip() for line in lines[-6:]):
        if len(seal) <= 40 and _SEAL.match(seal):
            add(resolve(seal), STRONG, "issuing body")
    if source := table.get("来源"):
        found = resolve(source)
        if found and re.search(_ORG_SUFFIX, source):
            add(found, 2.0, "source line")

    self_levels = _self_levels(text)
    candidates = sorted(named.values(), key=lambda n: -support[n.entity])
    # Ancestors of a named government are its region, not rivals (湖北省 above 武汉市).
    rivals = [
        c for c in candidates if not any(c.entity in other.region for other in candidates if other is not c)
    ]
    strong = [c for c in rivals if support[c.entity] >= STRONG]
    out = Identity(candidates=[_candidate(c, support[c.entity], sources[c.entity]) for c in candidates[:5]])
    if len(strong) > 1:
        names = "、".join(f"{c.entity}（{'、'.join(dict.fromkeys(sources[c.entity]))}）" for c in strong[:3])
        out.reason = f"the text names more than one government: {names}"
        return out
    if strong:
        chosen = strong[0]
        dominant = self_levels.most_common(1)[0][0] if self_levels else None
        if dominant and not _accepts(chosen, dominant) and self_levels[dominant] >= 10:
            supported = sum(v for k, v in self_levels.items() if _accepts(chosen, k))
            if supported * 3 < self_levels[dominant]:
                out.reason = (
                    f"{chosen.entity} is named ({'、'.join(sources[chosen.entity])}), but the text speaks of "
                    f"itself as 全{ {PROVINCE: '省', CITY: '市', COUNTY: '县/区', TOWN: '镇/乡'}.get(dominant, '') }"
                )
                return out
        out.entity, out.level, out.region = (
            chosen.entity,
            chosen.level,
            chosen.region or _region_before(text, chosen),
        )
        out.source = sources[chosen.entity][0]
        return out
    return _from_body(text, self_levels, level_hints, out)


_LEADING_WORDS = re.compile(r"^(?:中共|关于|对|在|了|由|和|与|及|为|将|是|的|等|向|到|于|从|以|把|被)+")


def _region_before(text: str, named: _Named) -> list[str]:
    """The county or city written right before a township's name (云岭县青石镇), when the list has none."""
    if named.level != TOWN:
        return []
    m = re.search(rf"([{_C}]{{2,8}}?(?:县|区|市|旗))(?={re.escape(named.entity)})", text)
    return [_LEADING_WORDS.sub("", m.group(1))] if m else []


_FUNCTION_CHARS = "在了由和与及为将是的等向到于从以把被对"


def _from_body(text: str, self_levels: Counter[str], level_hints: list[str], out: Identity) -> Identity:
    """No government named outright: the one mentioned most, if its level is the text's own."""
    level = level_hints[0] if level_hints else (self_levels.most_common(1)[0][0] if self_levels else None)
    if level is None:
        out.reason = "no title, session line, speaker or issuing body names a government"
        return out
    counts: Counter[str] = Counter()
    found: dict[str, _Named] = {}
    if level == TOWN:
        for m in re.finditer(rf"(?=([{_C}]{{2}}(?:镇|乡|街道))(?![村镇域级区]))", text):
            name = m.group(1)
            if plausible_town(name) and name[0] not in _FUNCTION_CHARS:
                counts[name] += 1
                found.setdefault(name, _Named(name, TOWN, []))
    else:
        gaz = gazetteer()
        for m in gaz.pattern.finditer(text):
            options = gaz.lookup(m.group(0))
            if len(options) != 1:
                continue  # a name several divisions share says nothing on its own
            if len(m.group(0)) == 2 and m.group(0)[0] in _FUNCTION_CHARS:
                continue  # 市政府和县委: a conjunction before 县委, not 和县
            d = options[0]
            named = _Named(d.name, d.level, [p.name for p in gaz.path(d)[:-1]], d)
            if _accepts(named, level):
                counts[d.name] += 1
                found.setdefault(d.name, named)
    if level == TOWN and counts:
        counts, found = _whole_town_names(text, counts, found)
    ranked = counts.most_common(2)
    if ranked:
        out.candidates = out.candidates or [
            _candidate(found[name], float(n), [f"mentioned {n} times"]) for name, n in counts.most_common(5)
        ]
    if ranked and ranked[0][1] >= 3 and (len(ranked) == 1 or ranked[0][1] >= 3 * ranked[1][1]):
        chosen = found[ranked[0][0]]
        out.entity, out.level, out.region, out.source = chosen.entity, chosen.level, chosen.region, "body"
        return out
    out.reason = "no title, session line, speaker or issuing body names a government" + (
        ", and no place is mentioned clearly more often than the others" if ranked else ""
    )
    return out


def _whole_town_names(
    text: str, counts: Counter[str], found: dict[str, _Named]
) -> tuple[Counter[str], dict[str, _Named]]:
    """Names counted by their last two characters and the suffix (家庄乡) grow to the whole name
    (侯家庄乡) where nearly every mention carries the same characters before them."""
    out: Counter[str] = Counter()
    named: dict[str, _Named] = {}
    for name, n in counts.items():
        whole = name
        for extra in (1, 2):
            before: Counter[str] = Counter(
                text[m.start() - extra : m.start()]
                for m in re.finditer(re.escape(name), text)
                if m.start() >= extra
            )
            if not before:
                break
            chars, k = before.most_common(1)[0]
            grown = chars + name
            if k < 0.8 * n or not re.fullmatch(rf"[{_C}]+", chars) or chars[0] in _FUNCTION_CHARS:
                break
            if not plausible_town(grown):
                break
            whole = grown
        out[whole] += n
        named.setdefault(whole, _Named(whole, TOWN, []) if whole != name else found[name])
    return out, named


def _candidate(named: _Named, score: float, signals: list[str]) -> IdentityCandidate:
    return IdentityCandidate(
        entity=named.entity,
        level=named.level,
        region=named.region,
        score=round(score, 2),
        signals=list(dict.fromkeys(signals)),
    )
