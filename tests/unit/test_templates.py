"""County templates: who shares text with whom among one year's reports."""

from __future__ import annotations

import random

from report_tracker.tracking.templates import COMMON, template_shares

TEMPLATE = (
    "坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻县委县政府关于法治政府建设的部署要求，"
    "严格落实党政主要负责人履行推进法治建设第一责任人职责，将法治建设纳入全镇经济社会发展总体规划，"
    "定期听取法治建设工作汇报，研究解决重大问题。"
)


def own_words(seed: int, n: int = 400) -> str:
    """Text no other report contains: random characters from a wide CJK range."""
    rng = random.Random(seed)
    return "".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(n))


def test_reports_built_on_one_template_find_each_other() -> None:
    # Given two towns filling in the county template and one writing its own report
    reports = {
        "甲镇": own_words(1) + TEMPLATE + own_words(2, 100),
        "乙镇": own_words(3) + TEMPLATE + own_words(4, 100),
        "丙乡": own_words(5, 600),
    }

    # When shares are computed over the year
    shares = {s.entity: s for s in template_shares(reports)}

    # Then the two templated reports share a part of their text with each other and nobody else
    assert 0.1 < shares["甲镇"].share < 0.4 and 0.1 < shares["乙镇"].share < 0.4
    assert [p.entity for p in shares["甲镇"].shared_with] == ["乙镇"]
    assert shares["甲镇"].shared_with[0].share == shares["甲镇"].share
    assert shares["丙乡"].share == 0.0 and shares["丙乡"].shared_with == []
    # And the most shared come first
    assert [s.entity for s in template_shares(reports)][-1] == "丙乡"


def test_boilerplate_everyone_writes_names_no_partner() -> None:
    # Given a phrase in more reports than COMMON, and one pair copying a passage besides it
    reports = {f"{i}镇": own_words(100 + i) + TEMPLATE for i in range(COMMON + 1)}
    copied = own_words(999, 120)
    reports["0镇"] += copied
    reports["1镇"] += copied

    shares = {s.entity: s for s in template_shares(reports)}

    # Then the boilerplate counts as shared text, but only the copier is named as a partner
    assert shares["5镇"].share > 0.1 and shares["5镇"].shared_with == []
    assert [p.entity for p in shares["0镇"].shared_with] == ["1镇"]
