"""Who wrote a report and which years it covers, read from the text at every level of government."""

from __future__ import annotations

import os

import pytest

from report_tracker.errors import PermanentError, UnreadableText
from report_tracker.models.report import DocType, ReportStatus, UploadHints
from report_tracker.parse import hints_from_key, read_report
from report_tracker.reading.clean import clean_text
from report_tracker.tracking.commitments import commitments
from report_tracker.understanding.identity import resolve
from report_tracker.understanding.names import InvalidName, clean_entity_name

BODY = (
    "一年来，我们坚持以人民为中心，全面完成年度目标任务。全年新增城镇就业1.2万人，建成城市公园3个，"
    "改造老旧小区46个，政务服务事项网上可办率达到98%。法治政府建设扎实推进，行政复议案件办结率100%。\n"
)
PLANS = (
    "今年经济社会发展的主要预期目标是：地区生产总值增长6%左右，城镇新增就业1.3万人以上，"
    "城镇调查失业率控制在5.5%以内，居民消费价格涨幅3%左右。\n"
    "（一）加快城市更新。改造老旧小区50个，开工建设城北污水处理厂，建成社区养老服务中心8个。\n"
    "（二）坚持党的全面领导。深刻领悟“两个确立”的决定性意义，不断提高政治判断力。\n"
)


def speech(title: str, session: str, speaker: str, self_ref: str) -> bytes:
    text = (
        f"{title}\n——2025年1月9日在{session}第十八届人民代表大会第五次会议上\n{speaker}\n各位代表：\n"
        f"现在，我代表{session}人民政府向大会报告工作，请予审议。\n一、2024年工作回顾\n"
        + BODY.replace("我们", f"我们团结带领{self_ref}人民") * 3
        + "二、2025年主要任务\n"
        + PLANS
    )
    return text.encode("utf-8")


def read(data: bytes, **hints: object) -> object:
    return read_report(data, UploadHints(filename="report.txt", **hints))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("title", "session", "speaker", "self_ref", "entity", "level"),
    [
        ("2025年苏州市政府工作报告", "苏州市", "苏州市人民政府市长 吴庆文", "全市", "苏州市", "city"),
        ("2025年湄潭县政府工作报告", "湄潭县", "湄潭县人民政府县长 张明", "全县", "湄潭县", "county"),
        ("政府工作报告", "宁夏回族自治区", "自治区主席 张雨浦", "全区", "宁夏回族自治区", "province"),
    ],
)
def test_government_work_report_identity_at_each_level(
    title: str, session: str, speaker: str, self_ref: str, entity: str, level: str
) -> None:
    report = read(speech(title, session, speaker, self_ref))
    assert (report.entity, report.level) == (entity, level)  # type: ignore[attr-defined]
    # A 2025年政府工作报告 reviews 2024 and plans 2025
    assert (report.review_year, report.plan_year) == (2024, 2025)  # type: ignore[attr-defined]
    assert report.doc_type == DocType.GOVERNMENT_WORK_REPORT  # type: ignore[attr-defined]


def test_short_names_resolve_to_the_official_name_with_its_region() -> None:
    assert resolve("2025年宁夏政府工作报告").entity == "宁夏回族自治区"  # type: ignore[union-attr]
    named = resolve("宜宾市翠屏区李庄镇人民政府")
    assert named is not None and (named.entity, named.region) == ("李庄镇", ["四川省", "宜宾市", "翠屏区"])
    street = resolve("深圳市南山区人民政府粤海街道办事处")
    assert street is not None and (street.entity, street.level) == ("粤海街道", "town")
    # 景德镇 is a city's name, not a township
    assert resolve("景德镇市人民政府").entity == "景德镇市"  # type: ignore[union-attr]


def test_street_report_from_its_title_and_seal() -> None:
    text = (
        "深圳市南山区桃源街道办事处2024年法治政府建设年度报告\n"
        "2024年，桃源街道坚持以习近平法治思想为指导，扎实推进法治政府建设。现将有关情况报告如下：\n"
        "一、主要工作举措及成效\n"
        + BODY
        * 2
        + "二、存在的问题\n执法力量与辖区体量不匹配，执法人员专业能力不足。\n"
        "三、2025年工作计划\n1.开展“法律进企业”活动不少于20场。\n桃源街道办事处\n2025年1月10日\n"
    )
    report = read(text.encode("utf-8"))
    assert (report.entity, report.level, report.region) == (
        "桃源街道",
        "town",
        ["广东省", "深圳市", "南山区"],
    )  # type: ignore[attr-defined]
    assert (report.review_year, report.plan_year, report.doc_type) == (2024, 2025, DocType.RULE_OF_LAW_ANNUAL)  # type: ignore[attr-defined]


def test_state_council_is_named_only_by_its_own_signals() -> None:
    provincial = speech("2025年苏州市政府工作报告", "苏州市", "苏州市人民政府市长 吴庆文", "全市")
    mentions = provincial.decode().replace("一年来", "认真落实党中央、国务院决策部署，一年来").encode()
    assert read(mentions).entity == "苏州市"  # type: ignore[attr-defined]
    national = (
        "政府工作报告\n——2025年3月5日在第十四届全国人民代表大会第三次会议上\n国务院总理 李强\n各位代表：\n"
        "现在，我代表国务院，向大会报告政府工作，请予审议。\n一、2024年工作回顾\n"
        + BODY * 3
        + "二、2025年政府工作任务\n"
        + PLANS
    )
    assert read(national.encode()).entity == "国务院"  # type: ignore[attr-defined]


def test_disagreeing_signals_give_no_entity_but_candidates() -> None:
    text = speech("2025年苏州市政府工作报告", "无锡市", "苏州市人民政府市长 吴庆文", "全市")
    report = read(text)
    assert report.entity is None and report.status == ReportStatus.NEEDS_METADATA  # type: ignore[attr-defined]
    assert {c.entity for c in report.identity_candidates} >= {"苏州市", "无锡市"}  # type: ignore[attr-defined]
    assert "more than one government" in report.status_reason  # type: ignore[attr-defined]


def test_a_hint_that_contradicts_the_text_is_held_until_confirmed() -> None:
    data = speech("2025年苏州市政府工作报告", "苏州市", "苏州市人民政府市长 吴庆文", "全市")
    held = read(data, entity="无锡市", year=2025)
    assert held.status == ReportStatus.IDENTITY_CONFLICT  # type: ignore[attr-defined]
    assert "无锡市" in held.status_reason and "苏州市" in held.status_reason  # type: ignore[attr-defined]
    released = read(data, entity="无锡市", year=2025, confirmed=True)
    assert (released.status, released.entity) == (ReportStatus.OK, "无锡市")  # type: ignore[attr-defined]
    # The year a person gives is the title's year: for a 政府工作报告 it plans that year
    agreed = read(data, entity="苏州", year=2025)
    assert (agreed.status, agreed.entity, agreed.review_year, agreed.plan_year) == (
        ReportStatus.OK,
        "苏州市",
        2024,
        2025,
    )  # type: ignore[attr-defined]
    wrong_year = read(data, entity="苏州市", year=2024)
    assert wrong_year.status == ReportStatus.IDENTITY_CONFLICT and "2024" in wrong_year.status_reason  # type: ignore[attr-defined]


def test_a_text_without_line_breaks_is_segmented_from_its_numbering() -> None:
    text = speech("2025年湄潭县政府工作报告", "湄潭县", "湄潭县人民政府县长 张明", "全县").decode()
    text = text.replace(
        "二、2025年主要任务", "各项事业取得新进展，群众获得感明显增强。" * 60 + "\n二、2025年主要任务"
    )
    one_line = "　　".join(text.split("\n"))  # every line break lost, paragraphs told by layout spaces
    assert "\n" not in one_line and len(one_line) > 1500
    report = read(one_line.encode())
    assert "line_breaks_restored" in report.flags  # type: ignore[attr-defined]
    assert report.entity == "湄潭县" and report.review_year == 2024  # type: ignore[attr-defined]
    assert "plans" not in report.missing and commitments(report)  # type: ignore[attr-defined, arg-type]


def test_web_page_debris_is_cleaned_before_the_title() -> None:
    page = "下载\n打印\n全屏\n收藏\n【字号：\n加大\n还原\n减小\n】\n来源：苏州日报\n时间：2025-01-20\n"
    data = page.encode() + speech("2025年苏州市政府工作报告", "苏州市", "苏州市人民政府市长 吴庆文", "全市")
    report = read(data)
    assert report.title == "2025年苏州市政府工作报告" and "page_debris" in report.flags  # type: ignore[attr-defined]
    assert "下载" not in report.text  # type: ignore[attr-defined]


def test_targets_are_atomic_and_principles_are_context() -> None:
    report = read(speech("2025年苏州市政府工作报告", "苏州市", "苏州市人民政府市长 吴庆文", "全市"))
    texts = [c.text for c in commitments(report)]  # type: ignore[arg-type]
    for target in ("地区生产总值增长6%左右", "城镇新增就业1.3万人以上", "城镇调查失业率控制在5.5%以内"):
        assert target in texts
    assert "开工建设城北污水处理厂" in texts and "改造老旧小区50个" in texts
    assert not [t for t in texts if "坚持党的全面领导" in t or "两个确立" in t]
    assert all(len(list(c.figures)) <= 1 for c in commitments(report))  # type: ignore[arg-type]
    city = next(c for c in commitments(report) if c.text == "改造老旧小区50个")  # type: ignore[arg-type]
    assert "加快城市更新" in city.path  # the heading it sits under is context


@pytest.mark.parametrize("size", [4096, 20000])
def test_random_bytes_fail_with_a_reason(size: int) -> None:
    noise = os.urandom(size)
    for name in ("poison.docx", "poison.txt", "poison.html"):
        with pytest.raises(PermanentError) as caught:  # recorded failed, never retried
            read_report(noise, UploadHints(filename=name))
        assert str(caught.value)


def test_a_scrap_of_text_is_not_a_report() -> None:
    with pytest.raises(UnreadableText, match="fewer than the 200"):
        read_report(
            "青石镇2024年法治政府建设情况报告。全年开展活动12场。".encode(), UploadHints(filename="x.txt")
        )


def test_keys_that_name_no_government_file_none() -> None:
    assert hints_from_key("inbox/2024/x.txt").entity is None
    assert hints_from_key("uploads/2024/x.txt").entity is None
    assert hints_from_key("inbox/青石镇/2024/x.txt").entity == "青石镇"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [("青石镇 ", "青石镇"), ("青\u200b石镇", "青石镇"), ("\u202e青石镇", "青石镇"), ("青石镇\x07", "青石镇")],
)
def test_entity_names_are_cleaned(raw: str, clean: str) -> None:
    assert clean_entity_name(raw) == clean


@pytest.mark.parametrize("bad", ["a/b镇", "镇" * 41, "abc", "\u200b"])
def test_unusable_entity_names_are_refused(bad: str) -> None:
    with pytest.raises(InvalidName):
        clean_entity_name(bad)


def test_debris_lines_keep_their_source_as_metadata() -> None:
    cleaned = clean_text("下载\n打印\n来源：湖北日报\n2026年湖北省政府工作报告\n正文。")
    assert cleaned.metadata.get("来源") == "湖北日报" and "下载" not in cleaned.text


def test_a_town_named_only_in_running_text_keeps_its_whole_name() -> None:
    # No title and no line breaks (the signature glued to the last sentence): the name is read
    # from the body, and 侯家庄乡 is not cut to its last two characters 家庄乡.
    body = (
        "县委依法治县办：2023年，侯家庄乡在县委、县政府的坚强领导下推进法治政府建设。侯家庄乡全年开展法治宣传"
        "活动20场。侯家庄乡制定《侯家庄乡法治宣传教育规划》。侯家庄乡将继续努力。"
        + "全乡深入学习贯彻习近平法治思想，严格落实重大行政决策程序，规范行政执法行为，推进矛盾纠纷多元化解。"
        * 4
        + "侯家庄乡人民政府2024年1月10日"
    )
    report = read_report(body.encode("utf-8"))
    assert report.entity == "侯家庄乡"


def test_a_toolbar_line_before_the_title_is_page_debris() -> None:
    text = (
        "首页 > 政务公开 > 法治政府建设\n【字号：大 中 小】 打印本页 关闭窗口\n"
        "青石镇2023年法治政府建设情况报告\n2023年，青石镇坚持依法行政，全年开展法治宣传活动20场。\n"
        + "全镇深入学习贯彻习近平法治思想，严格落实重大行政决策程序，规范行政执法行为。\n"
        * 4
    )
    report = read_report(text.encode("gbk"))
    assert report.entity == "青石镇" and report.title.startswith("青石镇2023年")
    assert "关闭窗口" not in report.text


def test_a_scenic_ancient_town_and_a_conjunction_are_not_governments() -> None:
    # 李庄古镇 is the town's scenic area, and 市政府和县委 joins two bodies: neither is a government
    town = "2023年，李庄镇坚持依法行政，全镇上下齐心。李庄镇紧扣李庄古镇文旅融合发展。李庄镇推进矛盾纠纷化解。李庄古镇游客增长。"
    county = "2024年，在市委、市政府和县委的坚强领导下，湄潭县推进法治建设，全县上下齐心。湄潭县开展普法。湄潭县规范执法。和县政协民主监督。"
    filler = (
        "全面贯彻落实习近平法治思想，严格落实重大行政决策程序，规范行政执法行为，推进矛盾纠纷多元化解。" * 4
    )
    assert read_report((town + filler).encode()).entity == "李庄镇"
    assert read_report(("县委依法治县办：" + county + filler).encode()).entity == "湄潭县"


def test_a_breadcrumb_glued_to_the_title_and_a_year_in_chinese_digits() -> None:
    # A page scraped with its breadcrumb run into the title (法治政府建设青石街道…); official titles
    # often write the year in Chinese digits (二〇二三年度)
    filler = "全街道深入学习贯彻习近平法治思想，严格落实重大行政决策程序，规范行政执法行为。" * 6
    glued = (
        "当前位置：首页 > 政务公开 > 法治政府建设青石街道2024年法治政府建设年度报告\n"
        "来源：云岭区青石街道办事处　发布日期：2025-01-16\n2024年，全街道坚持依法行政。"
    )
    report = read_report((glued + filler).encode())
    assert (report.entity, report.review_year) == ("青石街道", 2024)
    assert report.metadata_sources["entity"] == "title"
    assert resolve("推进法治建设云溪镇2024年").entity == "云溪镇"  # type: ignore[union-attr]
    assert resolve("全面推进依法治镇") is None
    report = read_report(
        ("云岭县青石镇二〇二三年度法治政府建设情况报告\n" + filler.replace("街道", "镇")).encode()
    )
    assert (report.entity, report.review_year, report.plan_year) == ("青石镇", 2023, 2024)
    assert report.text.startswith("云岭县青石镇2023年度")


def test_a_long_range_goal_in_a_plans_heading_is_not_the_year_planned() -> None:
    # Reviewing 2020 (its review heading), planning 2021, whatever a heading says of 2035
    text = (
        "各位代表：\n现在，我代表苏州市人民政府向大会报告工作，请予审议。\n一、2020年工作回顾\n" + BODY * 3
        + "二、关于十四五规划和2035年远景目标纲要的说明\n" + PLANS + "三、2021年主要任务\n" + PLANS
    )  # fmt: skip
    report = read_report(text.encode())
    assert (report.review_year, report.plan_year) == (2020, 2021)


def test_an_untitled_report_opens_on_its_year_and_a_seal_may_date_itself_in_chinese() -> None:
    body = (
        "全镇深入学习贯彻习近平法治思想，严格落实重大行政决策程序，规范行政执法行为，推进矛盾纠纷多元化解。"
        * 5
    )
    report = read_report(
        (
            "2023年，在县委、县政府的正确领导下，我镇坚持依法行政。\n"
            + body
            + "\n青石镇人民政府\n二〇二四年一月十八日"
        ).encode()
    )
    assert (report.entity, report.review_year, report.plan_year) == ("青石镇", 2023, 2024)
    assert report.metadata_sources["review_year"] == "opening" and report.published == "2024-01-18"
    assert (
        read_report(
            (
                "关于2023年度法治政府建设工作情况的报告\n" + body + "\n青石镇人民政府\n二〇二四年十二月三十日"
            ).encode()
        ).published
        == "2024-12-30"
    )
    # A year in running text further on is not the year reported
    assert (
        read_report(
            ("我镇坚持依法行政。\n" + body + "2023年，全镇开展普法活动。\n" + body).encode()
        ).review_year
        is None
    )


@pytest.mark.parametrize(
    ("opening", "signed", "year"),
    [
        ("今年以来，青石镇坚持依法行政。", "2023年12月20日", 2023),  # 今年 is the year it is signed in
        ("今年以来，青石镇坚持依法行政。", "二〇二三年十二月二十日", 2023),
        ("一年来，青石镇坚持依法行政。", "2024年1月10日", 2023),  # due by March: the year before
        ("青石镇坚持依法行政。", "2023年11月30日", 2023),
        ("一年来，青石镇坚持依法行政。", "2024年6月10日", None),  # mid-year: not assumed
    ],
)
def test_an_undated_report_reviews_the_year_its_signature_implies(
    opening: str, signed: str, year: int | None
) -> None:
    body = (
        "全镇深入学习贯彻习近平法治思想，严格落实重大行政决策程序，规范行政执法行为，推进矛盾纠纷多元化解。"
        * 5
    )
    report = read_report(
        f"青石镇法治政府建设工作情况报告\n{opening}\n{body}\n青石镇人民政府\n{signed}".encode()
    )
    assert report.review_year == year
    if year is not None:
        assert report.plan_year == year + 1 and report.metadata_sources["review_year"] == "closing date"


def test_hard_wrapped_items_page_breaks_and_flattened_headings_are_rejoined_and_cut() -> None:
    # A text cut at a fixed width: a numbered item continues on the next line, also across a page number
    para = "　　全镇深入学习贯彻习近平法治思想，严格落实重大行政决策程序，规范行政执法行为和执法监督。"
    item = "　　1.深入学习宣传贯彻党的二十大精神和习近平法治思想，全年专题学法不少于4次，推动领导干部带头尊法学法。"
    raw = "\n".join(
        [para] * 10
        + [item, "　　2.推进规范化调解室建设，力争矛盾纠纷就地化解率达到95%以上，全年开展普法活动20场。"]
    )
    wrapped = "\n".join(line[i : i + 24] for line in raw.split("\n") for i in range(0, len(line), 24))
    wrapped = wrapped.replace("\n", "\n\n— 1 —\n\n", 1)  # the page ends mid-sentence
    text = clean_text(wrapped).text
    assert text.startswith(para.strip() + "\n")
    assert "全年专题学法不少于4次，推动领导干部" in text
    assert "\n2.推进规范化调解室建设，力争矛盾纠纷就地化解率达到95%以上" in text
    # Lost line breaks: a heading run into its first item, and the seal into the last sentence
    flat = (
        "青石镇2023年法治政府建设情况报告2023年，青石镇坚持依法行政。" + para.strip() * 8
        + "三、2024年工作计划（一）持续优化法治化营商环境1.在全镇推行涉企行政检查“综合查一次”。"
        "2.全年开展普法活动20场。青石镇人民政府2024年1月8日扫一扫在手机打开当前页"
    )  # fmt: skip
    lines = clean_text(flat).text.split("\n")
    assert "（一）持续优化法治化营商环境" in lines and "1.在全镇推行涉企行政检查“综合查一次”。" in lines
    assert "2.全年开展普法活动20场。" in lines and "青石镇人民政府" in lines and "2024年1月8日" in lines


# How reports of the genre head their plans and problems (2024 is the year after the one reviewed).
_PLANS_HEADINGS = (
    "下一步工作打算",
    "下步工作计划",
    "2024年工作思路",
    "下一步工作安排",
    "下一步工作措施",
    "今后工作方向",
    "2024年重点工作",
    "下一步打算",
    "下一步努力方向",
    "2024年工作谋划",
    "下步工作",
    "2024年法治政府建设工作计划",
    "下一阶段工作计划",
    "明年工作设想",
    "2024年度工作重点",
    "下一步工作举措",
    "2024年推进法治政府建设的主要安排",
    "工作展望",
    "下一步工作",
    "2024年工作思路和举措",
    "下一步推进法治政府建设的主要安排",
    "2024年主要工作",
    "下步工作打算",
    "今后工作打算",
    "2024年工作目标",
    "下一步工作重点",
    "2024年的工作计划",
    "下一年度工作计划",
    "2024年法治政府建设工作要点",
    "下一步工作方向",
    "2024年工作展望",
    "2024年度法治政府建设主要安排",
    "下阶段工作打算",
    "2024年努力方向",
    "2024年工作设想",
    "下一步的工作思路和打算",
    "2024年主要任务",
    "下一步措施",
    "2024年工作举措",
    "改进措施",
    "整改措施及下一步工作",
    "2024年工作谋划和打算",
)
_PROBLEMS_HEADINGS = (
    "存在的问题",
    "存在的不足",
    "存在的问题及原因",
    "存在的短板和不足",
    "工作中存在的问题",
    "短板与不足",
    "不足之处",
    "存在问题",
    "问题和不足",
    "存在的困难和问题",
    "面临的困难",
    "薄弱环节",
    "还存在的差距",
    "存在的主要问题和原因分析",
    "工作中的不足",
    "存在的短板弱项",
    "当前存在的困难",
    "存在的困难与不足",
    "需要改进的地方",
    "不足和差距",
    "存在的薄弱环节",
    "主要问题",
)


@pytest.mark.parametrize(
    ("heading", "kind"),
    [(h, "plans") for h in _PLANS_HEADINGS]
    + [(h, "problems") for h in _PROBLEMS_HEADINGS]
    + [("2023年主要举措", "measures")],  # 举措 of the year reviewed
)
def test_section_headings_of_the_genre_name_their_kind(heading: str, kind: str) -> None:
    text = (
        "某镇2023年法治政府建设情况报告\n一、2023年法治政府建设主要举措和成效\n"
        "（一）加强组织领导。召开专题会议4次，开展执法培训3场，全年办理行政复议案件12件。\n"
        "（二）规范行政执法。全面推行行政执法公示制度、执法全过程记录制度和重大执法决定法制审核制度，"
        "全年开展执法检查26次，纠正不规范执法行为5起。\n"
        "（三）化解矛盾纠纷。健全人民调解、行政调解、司法调解联动机制，调处各类纠纷138件，调解成功率98%。\n"
        f"二、{heading}\n"
        "（一）深化依法行政。组织执法人员培训4次，健全合法性审查机制。\n"
        "（二）强化普法宣传。开展法治宣传活动20场，培育法治带头人10名。\n"
    )  # fmt: skip
    report = read_report(text.encode(), UploadHints(filename="r.txt"))
    assert [(s.heading, s.kind.value) for s in report.sections if s.heading == heading] == [(heading, kind)]


@pytest.mark.parametrize(
    "town",
    [
        "王集镇",
        "古城镇",
        "新市镇",
        "长街镇",
        "城关镇",
        "城厢镇",
        "城南街道",
        "全州镇",
        "建设路街道",
        "文明路街道",
        "年丰镇",  # ends in 丰镇, the short name of 丰镇市
    ],
)
def test_common_town_names_that_look_like_words_are_read_from_the_title(town: str) -> None:
    # 集镇, 城镇, 古镇 and 建设 are words of the genre, yet 王集镇, 古城镇 and 建设路街道 are places.
    org = town + ("办事处" if town.endswith("街道") else "人民政府")
    self_ref = "全街道" if town.endswith("街道") else "全镇"
    text = (
        f"{org}关于2023年度法治政府建设情况的报告\n"
        f"2023年，{town}坚持依法行政，推进集镇建设和城镇就业，{self_ref}上下齐心。\n"
        + f"{self_ref}深入学习贯彻习近平法治思想，严格落实重大行政决策程序，规范行政执法行为，推进矛盾纠纷多元化解。\n"
        * 4
    )
    report = read_report(text.encode())
    assert (report.entity, report.review_year) == (town, 2023)


def test_a_year_before_a_short_name_and_a_withheld_name() -> None:
    body = (
        "全市深入学习贯彻习近平法治思想，严格落实重大行政决策程序，规范行政执法行为，推进矛盾纠纷多元化解，健全公共法律服务体系。\n"
        * 6
    )
    # 2023年丰镇市: the year's 年 is not the first character of a township 年丰镇
    report = read_report(("2023年丰镇市法治政府建设情况报告\n" + body).encode())
    assert (report.entity, report.review_year) == ("丰镇市", 2023)
    # 某某镇 is a name withheld (a template or a redacted copy): the uploader must supply it
    report = read_report(("某某镇2023年法治政府建设工作报告\n" + body.replace("全市", "全镇")).encode())
    assert report.entity is None and report.status.value == "needs_metadata"


def test_town_words_in_running_text_are_not_names() -> None:
    # No title: 集镇 and 城镇 in the body name no township, and the one named is found.
    text = (
        "2023年，李庄镇坚持依法行政，全镇上下齐心。推进集镇建设，改造集镇道路，城镇就业稳定。李庄镇开展普法。\n"
        "李庄镇深入学习贯彻习近平法治思想，严格落实重大行政决策程序，规范集镇管理，推进城镇治理。\n"
        "全镇规范行政执法行为，集镇环境持续改善，城镇居民满意度提升，推进矛盾纠纷多元化解。\n"
        "李庄镇健全合法性审查机制，集镇市场秩序良好，城镇燃气安全检查全覆盖，矛盾纠纷就地化解。\n"
        "全镇开展法治宣传活动二十场，集镇商户签订守法经营承诺书，城镇社区建成法治文化阵地三处。\n"
        "李庄镇持续推进基层依法治理，集镇和城镇社区的法律顾问实现全覆盖，群众法治意识明显增强。\n"
    )
    assert read_report(text.encode()).entity == "李庄镇"
