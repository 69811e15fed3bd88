"""Words the comparison needs: spelling variants, filler, and the cues of done / vague / short.

Method: docs/method.md ("How a verdict is reached").
"""

from __future__ import annotations

import re

# Spelling variants common in these reports, mapped to one form before matching.
SYNONYMS: list[tuple[str, str]] = [
    ("法治宣传教育", "法治宣传"), ("普法宣传", "法治宣传"), ("普法", "法治宣传"), ("法制宣传", "法治宣传"),
    ("执法监督", "行政执法"), ("执法队伍", "执法人员"), ("矛盾纠纷", "纠纷"), ("调处", "调解"),
    ("建成", "建设"), ("开通", "建设"), ("聘请", "配备"), ("配齐", "配备"), ("配强", "配备"),
    ("合法性审查", "合法性审核"), ("法制审核", "合法性审核"), ("法治审核", "合法性审核"),
    ("培育", "培养"), ("国内生产总值", "GDP"), ("地区生产总值", "GDP"), ("生产总值", "GDP"),
    ("经济增长", "GDP增长"),
    ("粮食总产量", "粮食产量"), ("粮食年产量", "粮食产量"), ("粮食总产", "粮食产量"),
    ("居民消费价格", "CPI"), ("涨幅", "上涨"),
    ("降幅", "降低"), ("下降", "降低"), ("全覆盖", "覆盖"), ("新增就业", "就业"),
    # Plans promise 新媒体; reviews name the channel they opened.
    ("微信公众号", "新媒体"), ("公众号", "新媒体"), ("抖音号", "新媒体"), ("抖音", "新媒体"),
    ("视频号", "新媒体"), ("短视频", "新媒体"),
]  # fmt: skip
_DROP = re.compile(r"[^\u3400-\u9fffA-Za-z]+")

# Verbs and set phrases every plan uses; the promise is in the nouns around them.
FILLER = re.compile(
    r"进一步|持续|深化|加强|提升|提高|推进|推动|不断|切实|全面|营造|良好|氛围|水平|着力|大力|积极|努力|扎实|"
    r"健全|完善|强化|抓好|做好|坚持|注重|加快|力争|确保|实施|开展|深入|稳步|有序|更好|更加|高质量|建设|发展|"
    r"工作|体系|机制|能力|全省|全市|全区|全县|全镇|我省|我市|一批|打造|支持|促进|落实|优化|扩大|新增|启动|"
    r"组织|布局|实现|保持|完成|继续|达效|见效"
)

DONE = re.compile(
    r"完成|实现|建成|建设了|开通|达到|达|新增|全部|已经|已|落实了|覆盖|累计|共计|取得|提升至|增长|培养|"
    r"投用|投运|投产|获批|批复|落地|组建|出台|印发|举办|成立|挂牌|揭牌|开工|启动建设|动工|竣工|通车|通航|上线|运行|"
    r"入选|认定|创成|获评|荣获|签约|颁布|施行|推出|发布|设立|成功|首个|首批|突破|超过|超|居全国|"
    r"运营|开港|投入使用|成效显现|取得[^，。]{0,6}成效|见效|盘活"
)
CONCRETE = re.compile(
    r"\d|完成|建成|开通|投用|投运|投产|获批|批复|落地|组建|出台|印发|举办|成立|挂牌|揭牌|开工|竣工|通车|"
    r"通航|上线|入选|认定|创成|获评|签约|颁布|施行|推出|发布|设立|首个|首批|破圈|实施了|开展了"
)
VAGUE = re.compile(
    r"稳步推进|有序推进|持续推进|深入推进|扎实推进|统筹推进|加快推进|大力推进|全力推进|正在|逐步|积极推进|不断推进|推进中|"
    r"筹备|谋划|持续加强|积极清理"
)
SHORT = re.compile(r"未能|尚未|未完成|未达|没有|不到位|滞后|推迟|延期|暂缓|搁置|差距较大|未如期")
BLANKET = re.compile(
    r"(?:全面|圆满|顺利|如期|基本|均已|全部|较好)完成|目标任务[^。]{0,6}完成|完成[^。]{0,8}主要目标"
)
# The promise's own clause says its target was met, without the figure (城镇新增就业超额完成全年任务)
TARGET_MET = re.compile(
    r"超额完成|提前完成|完成(?:全年|年度)(?:目标)?任务|完成(?:全年|年度)目标|达到(?:全年|年度)?目标"
)
# A promise of full coverage (实现法律顾问全覆盖), and a review that claims it (全覆盖, 所有, 100%)
FULL_COVERAGE = re.compile(r"全覆盖|全面覆盖|100%覆盖")
FULL_CLAIM = re.compile(r"全覆盖|全面覆盖|全部覆盖|全部|所有|100%|应保尽保|应纳尽纳|无死角")
EFFORT = re.compile(r"^(?:[^，。]{0,4})(?:推进|推动|深化|加强|加大|健全|完善|强化|持续|提升|优化|扩大|深入)")
CEILING = re.compile(r"失业率|价格|CPI|物价|涨幅|上涨|赤字|杠杆率|控制在|事故|发案")
PERIOD = re.compile(
    r"年均|五年|十年|累计|多年|历史|“十四五”|十四五期间|五年来|连续[\d一二三四五六七八九十]+年"
)
AT_MOST = {"以内", "以下", "不超过", "之内"}
# Units counted as the same thing (1200项 projects and 1213个 projects).
# A township counts the same work by different words from one year to the next (普法活动20场 /
# 30余次, 培训4次 / 5期, 积案5件 / 6宗, 阵地3个 / 4处): comparing figures of one subject, they are
# one count. 人次 (attendance) stays apart from 人 (people).
UNIT_FAMILY = {
    "名": "人",
    "位": "人",
    "场次": "场",
    "次": "场",
    "期": "场",
    "轮": "场",
    "人次": "人次",
    "家次": "家次",
    "户": "家",
    "个": "个",
    "项": "个",
    "处": "个",
    "座": "个",
    "宗": "件",
    "起": "件",
    "例": "件",
    "册": "份",
    "本": "份",
    "篇": "条",
}


_FORMS = dict(SYNONYMS)
# One pass, longest variant first (地区生产总值 before 生产总值): the same as replacing in turn.
_VARIANTS = re.compile("|".join(re.escape(v) for v in sorted(_FORMS, key=len, reverse=True)))


def canon(text: str) -> str:
    return _VARIANTS.sub(lambda m: _FORMS[m.group(0)], text)


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


def core(text: str) -> str:
    """The promise without its filler verbs and punctuation (加快组建省国金投资集团 -> 组建省国金投资集团)."""
    return "，".join(p for p in _DROP.split(FILLER.sub("，", canon(text))) if len(p) >= 2)


def promise(text: str) -> list[str]:
    """Bigrams of a commitment without the filler verbs (加强执法监督 -> 执法监督)."""
    return bigrams(FILLER.sub("，", text))


_WORD = re.compile(r"^[\u3400-\u9fffA-Za-z]{2,}$")


def content_words(text: str) -> list[str]:
    """The promise's own words (rjieba segmentation of the canonical text), filler verbs left out.

    Words let a paraphrase match where character runs break: 粮食产量 against 粮食年产量,
    苏南运河全线二级航道 against 苏南运河二级航道…全线通航.
    """
    import rjieba  # noqa: PLC0415 - 0.2 s import, only where commitments are compared

    # Search mode gives the parts of a compound too (粮食产量 -> 粮食, 产量): the parts are kept,
    # the compound dropped, so a reworded compound (粮食年产量) still holds them.
    found = [w for w in rjieba.cut_for_search(canon(text)) if _WORD.match(w)]
    words = set(found)
    seen: dict[str, None] = {}
    for word in found:
        split = any(word[:k] in words and word[k:] in words for k in range(2, len(word) - 1))
        if not split and not FILLER.fullmatch(word):
            seen.setdefault(word, None)
    return list(seen)


def word_share(words: list[str], passage: str, *, folded: bool = False) -> float:
    """Share of the words (by length) that the passage holds, in any order."""
    total = sum(len(w) for w in words)
    folded_text = passage if folded else canon(passage)
    return sum(len(w) for w in words if w in folded_text) / total if total else 0.0


def unit_family(unit: str) -> str:
    return UNIT_FAMILY.get(unit, unit)


def _lexicon(patterns: dict[str, str]) -> dict[str, re.Pattern[str]]:
    return {name: re.compile(pattern) for name, pattern in patterns.items()}


def names_in(lexicon: dict[str, re.Pattern[str]], text: str) -> set[str]:
    """The names of ``lexicon`` (``INSTITUTIONS``, ``ACTIONS``) whose pattern the text holds."""
    return {name for name, pattern in lexicon.items() if pattern.search(text)}


# Institutions of the genre that a township report names by name. Passages on different ones share
# most of their wording (中心组集中学法12次 / 会前学法8次; 法律顾问 / 公共法律服务室), so a promise
# naming one is reported only by a passage naming it (or another of those it names).
INSTITUTIONS = _lexicon(
    {
        "述法": r"述法",
        "会前学法": r"会前(?:集体|专题)?学法|(?:常务|办公)会议?(?:前|上)?(?:集体|专题)?学法",
        "中心组学法": r"中心组",
        "合法性审查": r"合法性审[查核]|合法性[^，。；]{0,6}审[查核]",
        "法律顾问": r"法律顾问|顾问律师",
        "公职律师": r"公职律师",
        "法律明白人": r"法律明白人",
        "学法考试": r"学法[^，。；]{0,6}考试|法律知识[^，。；]{0,6}考试|网上学法|学法用法",
        "案卷评查": r"案卷[^，。；]{0,6}评查|评查[^，。；]{0,10}案卷",
        "民主法治示范": r"民主法治示范|法治示范",
        "信访积案": r"积案",
        "权责清单": r"权责清单|权力清单|责任清单",
        "规范性文件": r"规范性文件",
        "行政复议": r"复议",
        "行政应诉": r"应诉|出庭",
        "法治副校长": r"法治副校长",
        "双随机": r"双随机",
        "法律援助": r"法律援助",
        "公共法律服务": r"公共法律服务",
        "执法资格": r"持证|执法证|执法资格",
    }
)

# Actions whose object the genre also names for other work: a clean-up of 规范性文件 promised is not
# reported by the documents drafted (制定规范性文件5件), nor a hearing attended by a hearing held.
ACTIONS = _lexicon(
    {
        "清理": r"清理|清欠|清偿|清退|拖欠[^，。；]{0,8}(?:解决|化解|偿还|支付)",
        "评查": r"评查",
        "旁听": r"旁听",
        "列席": r"列席",
        "听证": r"听证",
        "备案": r"备案",
    }
)


# A promise to prevent (坚决防范遏制重特大事故发生, 守住不发生规模性返贫底线) is kept where the review
# says none occurred (未发生重大及以上事故): the thing prevented, by its head noun.
PREVENT = re.compile(  # the promise's own head verb, not a programme's name (开展防止返贫就业攻坚行动)
    r"^(?:坚决|牢牢|全力|切实|严格|有效|持续|着力|努力|确保)?(?:防范|遏制|杜绝|防止|避免|严防|守住|不发生)"
)
PREVENTED_THINGS = (
    "事故",
    "群体性事件",
    "返贫",
    "系统性风险",
    "区域性风险",
    "重大风险",
    "疫情",
    "命案",
    "火灾",
)


def prevented_things(promised: str) -> list[str]:
    """The things a promise to prevent names (none when preventing is not its head verb)."""
    return [thing for thing in PREVENTED_THINGS if thing in promised] if PREVENT.search(promised) else []


def none_occurred(things: list[str], passage: str) -> str | None:
    """The first of ``things`` the passage says did not occur (未发生重大及以上事故), or None."""
    for thing in things:
        if re.search(rf"(?:未|没有|不|无|零)(?:发生|出现)[^，。；]{{0,12}}{thing}", passage):
            return thing
    return None
