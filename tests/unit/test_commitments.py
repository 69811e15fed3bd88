"""One commitment per target or measure: how plans are cut into separately checkable units."""

from __future__ import annotations

import pytest

from report_tracker.models.report import Report
from report_tracker.parse import read_text
from report_tracker.tracking.commitments import commitments


def plans(body: str) -> Report:
    return read_text(
        "某镇2024年法治政府建设情况报告\n一、主要举措\n全年开展法治宣传活动80场。\n四、2025年工作计划\n"
        + body
    )


def texts(report: Report) -> list[str]:
    return [c.text for c in commitments(report)]


def test_inline_enumeration_gives_one_commitment_per_clause() -> None:
    report = plans(
        "（一）深化理论武装。一是落实“第一议题”制度。\n二是开展法治实践能力提升专项行动。三是建立学法清单。"
    )
    assert texts(report) == ["落实“第一议题”制度", "开展法治实践能力提升专项行动", "建立学法清单"]
    for c in commitments(report):  # offsets point into the report; the heading is context
        assert report.text[c.start : c.end] == c.text
        assert "深化理论武装" in c.path


def test_sub_headings_lead_and_are_context() -> None:
    report = plans("（二）加强执法队伍建设。组织执法人员培训4次，新增持证执法人员8名。")
    assert texts(report) == ["组织执法人员培训4次", "新增持证执法人员8名"]
    assert [[f.text for f in c.figures] for c in commitments(report)] == [["4次"], ["8名"]]


def test_verb_led_clauses_split_and_aims_stay_with_their_action() -> None:
    report = plans(
        "（三）建设阵地。加快北沿江高铁建设，开工建设水乡旅游线城际铁路。开展“无讼村”创建活动，力争创建3个。"
    )
    assert texts(report) == [
        "加快北沿江高铁建设",
        "开工建设水乡旅游线城际铁路",
        "开展“无讼村”创建活动，力争创建3个",
    ]
    # a brand to polish (擦亮, 叫响, 做强 …) is a measure of its own, not part of the revision before it
    report = plans("（四）优环境。推动修订《某镇优化营商环境办法》，擦亮“马上办”服务品牌。")
    assert texts(report) == ["推动修订《某镇优化营商环境办法》", "擦亮“马上办”服务品牌"]


def test_a_paragraph_of_targets_gives_one_commitment_per_target() -> None:
    report = plans(
        "今年的主要预期目标是：地区生产总值增长5%左右，在实际工作中努力争取更好结果；城镇新增就业80万人以上，"
        "城镇调查失业率5.5%左右；居民收入增长和经济增长同步；粮食产量保持稳定。"
    )
    assert texts(report) == [
        "地区生产总值增长5%左右",
        "城镇新增就业80万人以上",
        "城镇调查失业率5.5%左右",
        "居民收入增长和经济增长同步",
        "粮食产量保持稳定",
    ]


def test_principles_and_introductions_are_not_commitments() -> None:
    report = plans(
        "（一）总体要求。坚持以习近平新时代中国特色社会主义思想为指导，坚持稳中求进工作总基调。\n"
        "（二）重点抓好以下工作：\n1.坚持党的全面领导。\n2.争创省级法治政府建设示范项目1个。\n3.在全县推行涉企行政检查“综合查一次”。"
    )
    assert texts(report) == ["争创省级法治政府建设示范项目1个", "在全县推行涉企行政检查“综合查一次”"]


def test_figure_lists_are_split() -> None:
    report = plans("（四）改善设施。新建改造农村公路1000公里、桥梁50座。")
    assert texts(report) == ["新建改造农村公路1000公里", "桥梁50座"]


def test_a_figure_that_qualifies_the_target_is_not_judged() -> None:
    report = plans(
        "（五）扩大投资。实施500万元以上技改项目1200个左右。\n（六）惠民生。保费由每生每年5元提高至10元。"
        "\n（七）强服务。培育年营业收入超10亿元的龙头企业20家以上。"
    )
    assert [[f.text for f in c.figures] for c in commitments(report)] == [
        ["1200个左右"],
        ["10元"],
        ["20家以上"],
    ]


def test_a_purpose_clause_is_not_part_of_the_measure() -> None:
    report = plans("（八）畅通水运。完成苏南运河全线二级航道建设，让水运优势充分释放，惠及全省人民。")
    assert texts(report) == ["完成苏南运河全线二级航道建设"]


_ITEMS = ["组织执法人员培训4次", "健全合法性审查机制", "开展法治宣传活动20场", "培育法律明白人10名"]
_CN4 = "一二三四"
# Every way the genre numbers the items of its plans
_NUMBERINGS = {
    "（一）": "".join(f"（{c}）{t}。\n" for c, t in zip(_CN4, _ITEMS, strict=True)),
    "(一)": "".join(f"({c}){t}。\n" for c, t in zip(_CN4, _ITEMS, strict=True)),
    "1.": "".join(f"{i + 1}.{t}。\n" for i, t in enumerate(_ITEMS)),
    "1、": "".join(f"{i + 1}、{t}。\n" for i, t in enumerate(_ITEMS)),
    "1．": "".join(f"{i + 1}．{t}。\n" for i, t in enumerate(_ITEMS)),
    "1)": "".join(f"{i + 1}){t}。\n" for i, t in enumerate(_ITEMS)),
    "（1）": "".join(f"（{i + 1}）{t}。\n" for i, t in enumerate(_ITEMS)),
    "(1)": "".join(f"({i + 1}){t}。\n" for i, t in enumerate(_ITEMS)),
    "①": "".join(f"{'①②③④'[i]}{t}。\n" for i, t in enumerate(_ITEMS)),
    "Ⅰ.": "".join(f"{'ⅠⅡⅢⅣ'[i]}.{t}。\n" for i, t in enumerate(_ITEMS)),
    "一是": "重点做好以下工作：" + "".join(f"{c}是{t}；" for c, t in zip(_CN4, _ITEMS, strict=True)) + "\n",
    "一要": "".join(f"{c}要{t}。" for c, t in zip(_CN4, _ITEMS, strict=True)) + "\n",
    "第一，": "".join(f"第{c}，{t}。" for c, t in zip(_CN4, _ITEMS, strict=True)) + "\n",
    "首先": f"首先，{_ITEMS[0]}。其次，{_ITEMS[1]}。再次，{_ITEMS[2]}。最后，{_ITEMS[3]}。\n",
    "paragraphs": "".join(f"{t}。\n" for t in _ITEMS),
}


@pytest.mark.parametrize("style", list(_NUMBERINGS))
def test_each_numbering_style_gives_the_items_without_their_markers(style: str) -> None:
    report = plans(_NUMBERINGS[style] + "三、结语\n特此报告。\n")
    assert texts(report) == _ITEMS


_REVIEW = (
    "白花镇人民政府关于2023年度法治政府建设情况的报告\n一、2023年法治政府建设工作情况\n"
    "（一）加强组织领导。全镇深入学习贯彻习近平法治思想，严格落实重大行政决策程序，全年召开专题会议4次。\n"
    "（二）深化普法宣传。全镇规范行政执法行为，推进矛盾纠纷多元化解，开展普法活动32场。\n"
)
_PROBLEMS = "法治宣传的形式较为单一，群众参与度不高；执法人员专业素质有待提高；基层法治队伍力量薄弱。\n"
_PLANS = (
    "（一）深化学法用法。全年会前学法不少于8次。\n（二）规范行政执法。开展行政执法案卷评查2次。\n"
    "（三）加强普法宣传。开展普法活动40场。\n"
)
_WANT_PROBLEMS = [
    "法治宣传的形式较为单一",
    "群众参与度不高",
    "执法人员专业素质有待提高",
    "基层法治队伍力量薄弱",
]


@pytest.mark.parametrize(
    "layout",
    [
        "二、存在的问题\n" + _PROBLEMS + "三、2024年工作计划\n" + _PLANS,
        # a part named without its number, among numbered ones
        "存在的问题\n" + _PROBLEMS + "三、2024年工作计划\n" + _PLANS,
        "存在的问题和不足\n" + _PROBLEMS + "下一步工作打算\n" + _PLANS,
        # one heading for both, the problems in prose, then the turn to the plans
        "二、存在的问题和下一步计划\n我镇法治政府建设虽然取得一定成效，但仍存在一些不足："
        + _PROBLEMS
        + "下一步，我镇将重点抓好以下工作：\n"
        + _PLANS,
        # no problems heading: the review's last paragraph turns to them
        "同时，我们也清醒地认识到，" + _PROBLEMS + "二、2024年工作安排\n" + _PLANS,
    ],
)
def test_problems_and_plans_are_found_however_the_parts_are_headed(layout: str) -> None:
    from report_tracker.tracking.problems import problem_units

    report = read_text(_REVIEW + layout)
    assert [c.text for c in commitments(report)] == [
        "全年会前学法不少于8次",
        "开展行政执法案卷评查2次",
        "开展普法活动40场",
    ]
    assert [p.text for p in problem_units(report)] == _WANT_PROBLEMS
    # the review keeps its own measures, and no more
    review = [s for s in report.sections if s.kind.value == "measures"]
    assert review and all("单一" not in report.text[s.start : s.end] for s in review)


def test_the_turn_to_the_problems_and_the_resolve_after_them_are_not_problems() -> None:
    from report_tracker.tracking.problems import problem_units

    report = read_text(
        _REVIEW + "在肯定成绩的同时，我们也清醒看到，发展还面临不少困难和挑战。主要是：" + _PROBLEMS.strip()
        + "我们将高度重视，切实加以解决。\n二、2024年工作安排\n" + _PLANS
    )  # fmt: skip
    assert [p.text for p in problem_units(report)] == _WANT_PROBLEMS


@pytest.mark.parametrize(
    "plans",
    [
        # numbered items run together in one paragraph
        "1.深化学法用法，全年会前学法不少于8次。2.规范行政执法，开展案卷评查2次。3.加强普法宣传，开展普法活动40场。",
        "（一）深化学法用法，全年会前学法不少于8次。（二）规范行政执法，开展案卷评查2次。（三）加强普法宣传，开展普法活动40场。",
        # prose: the lead (下一步，我镇将继续…) is no part of the first measure
        "下一步，我镇将继续深化学法用法，全年会前学法不少于8次；规范行政执法，开展案卷评查2次；加强普法宣传，开展普法活动40场。",
    ],
)
def test_plans_in_one_paragraph_give_their_measures(plans: str) -> None:
    report = read_text(_REVIEW + "二、存在的问题\n" + _PROBLEMS + "三、2024年工作计划\n" + plans + "\n")
    assert [c.text for c in commitments(report)] == [
        "深化学法用法", "全年会前学法不少于8次", "规范行政执法", "开展案卷评查2次", "加强普法宣传", "开展普法活动40场",
    ]  # fmt: skip
