"""One commitment per promise: how plans items are cut into separately checkable actions."""

from __future__ import annotations

import re

from report_tracker.models.report import Figure, Item, ItemKind
from report_tracker.tracking.commitments import split_item
from report_tracker.understanding.figures import extract_figures


def item(text: str, start: int = 100) -> Item:
    figures = [
        Figure.model_validate({**f.model_dump(), "start": f.start + start, "end": f.end + start})
        for f in extract_figures(text)
    ]
    heading = re.sub(r"^（[一二三四五六七八九十]）", "", text.split("。", maxsplit=1)[0])
    return Item(kind=ItemKind.COMMITMENT, heading=heading, text=text, start=start,
                end=start + len(text), path=["四、2025年工作计划", "x"], marker="（一）", figures=figures)  # fmt: skip


def texts(units: list[Item]) -> list[str]:
    return [u.text for u in units]


def test_inline_enumeration_gives_one_commitment_per_clause() -> None:
    source = item(
        "（一）深化理论武装。一是落实“第一议题”制度，常学常新。\n二是开展法治实践能力提升专项行动。三是建立学法清单。"
    )
    units = split_item(source)
    assert [u.heading for u in units] == [
        "落实“第一议题”制度，常学常新",
        "开展法治实践能力提升专项行动",
        "建立学法清单",
    ]
    for u in units:  # offsets point into the report, and the item heading stays in the path
        assert source.text[u.start - source.start : u.end - source.start] == u.text
        assert u.path[:2] == source.path


def test_sub_headings_each_start_a_commitment() -> None:
    units = split_item(item(
        "（二）加强执法监督，提升执法水平。加强对执法行为的监督，确保合法规范。"
        "加强执法队伍建设。严格执行行政执法人员资格管理制度。"
    ))  # fmt: skip
    assert texts(units) == [
        "（二）加强执法监督，提升执法水平。加强对执法行为的监督，确保合法规范。",
        "加强执法队伍建设。严格执行行政执法人员资格管理制度。",
    ]
    assert units[0].heading == "加强执法监督，提升执法水平" and units[1].heading == "加强执法队伍建设"


def test_quantified_actions_are_cut_at_their_figures() -> None:
    units = split_item(item("（二）加强执法队伍建设。组织执法人员培训4次，新增持证执法人员8名。"))
    assert texts(units) == ["组织执法人员培训4次", "新增持证执法人员8名。"]
    assert [[f.text for f in u.figures] for u in units] == [["4次"], ["8名"]]
    sentences = split_item(item("（三）建设阵地。建成法治文化广场1个。每个村建设法治宣传栏15块。"))
    assert texts(sentences) == ["建成法治文化广场1个。", "每个村建设法治宣传栏15块。"]


def test_one_action_stays_one_commitment() -> None:
    for text in (
        "（一）创新普法形式。开通“法治青石”微信公众号，全年开展法治宣传活动80场以上。",
        "（五）完善调处机制。建立“一站式”调处中心，调解成功率保持在95%以上。",
        "1、加强队伍建设。认真落实“谁执法谁普法”，加强法治培训，提高行政执法人员的业务能力。",
    ):
        source = item(text)
        assert split_item(source) == [source]
