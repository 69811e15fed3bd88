"""Year over year: verdicts, evidence and figures on the township genre and the State Council pairs."""

from __future__ import annotations

from pathlib import Path

import pytest

from report_tracker.models.report import Report, UploadHints
from report_tracker.models.tracking import CommitmentStatus, Comparison, ProblemStatus
from report_tracker.parse import read_report
from report_tracker.tracking.compare import compare, reuse
from report_tracker.tracking.evaluate import evaluate
from tests.conftest import CORPUS, ROOT, SAMPLES, corpus_available, seed_bytes

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def read(path: Path) -> Report:
    return read_report(path.read_bytes(), UploadHints(filename=path.name))


def by_heading(result: Comparison, start: str) -> object:
    return next(c for c in result.commitments if c.heading.startswith(start))


@pytest.fixture(scope="module")
def qingshi() -> Comparison:
    return compare(read(SAMPLES / "qingshi-2023.txt"), read(SAMPLES / "qingshi-2024.txt"))


def test_all_four_statuses_with_evidence(qingshi: Comparison) -> None:
    assert qingshi.plan_year == 2024
    statuses = {c.heading: c.status for c in qingshi.commitments}
    assert statuses["创新普法形式"] == CommitmentStatus.FULFILLED
    assert statuses["建设法治文化阵地"] == CommitmentStatus.PARTIAL
    # 推进村级法律顾问全覆盖 bundles two checkable actions; the later report drops both silently
    assert statuses["为全镇15个村聘请法律顾问"] == CommitmentStatus.NOT_REPORTED
    assert statuses["每月到村服务不少于2次"] == CommitmentStatus.NOT_REPORTED
    assert statuses["完善矛盾纠纷调处机制"] == CommitmentStatus.MISSED
    later = read(SAMPLES / "qingshi-2024.txt")
    for verdict in qingshi.commitments:
        for evidence in verdict.evidence:
            assert later.text[evidence.start : evidence.end] == evidence.text  # verbatim, checkable


def test_quantified_targets_are_compared(qingshi: Comparison) -> None:
    done = by_heading(qingshi, "创新普法形式")
    (check,) = [f for f in done.figures if f.reported]  # type: ignore[attr-defined]
    assert (check.planned, check.reported, check.met) == ("80场以上", "120场", True)
    # One item, two quantified actions (培训4次，新增持证执法人员8名): each checked against its own figure
    trained, certified = by_heading(qingshi, "组织执法人员培训"), by_heading(qingshi, "新增持证执法人员")
    assert [(f.planned, f.reported) for f in trained.figures] == [("4次", "4次")]  # type: ignore[attr-defined]
    assert [(f.planned, f.reported) for f in certified.figures] == [("8名", "10名")]  # type: ignore[attr-defined]
    assert trained.status == certified.status == CommitmentStatus.FULFILLED  # type: ignore[attr-defined]
    missed = by_heading(qingshi, "完善矛盾纠纷调处机制")
    assert [(f.planned, f.reported, f.met) for f in missed.figures] == [("95%以上", "91%", False)]  # type: ignore[attr-defined]
    assert "91%" in missed.evidence[0].text  # type: ignore[attr-defined]


def test_problems_recurring_resolved_dropped(qingshi: Comparison) -> None:
    statuses = {p.heading[:8]: p.status for p in qingshi.problems}
    assert statuses["法治宣传形式较为"] == ProblemStatus.RECURRING
    assert statuses["执法人员专业能力"] == ProblemStatus.RESOLVED_CLAIMED
    assert statuses["村级法律顾问作用"] == ProblemStatus.DROPPED


def test_figures_table(qingshi: Comparison) -> None:
    changes = {(f.before, f.after) for f in qingshi.figures}
    assert ("60余场", "120场") in changes
    assert ("96%", "91%") in changes


def test_reuse_share_and_spans() -> None:
    result = reuse(
        "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥" * 2,
        "开头不同。" + "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥",
    )
    assert 0.7 < result.share < 0.9
    assert result.spans and result.spans[0].text.startswith("甲乙丙丁")


@pytest.mark.skipif(not corpus_available(), reason="../shared/corpus is not beside this checkout")
def test_seed_town_next_year() -> None:
    # Given 房镇镇's 2024 report (plans for 2025) and our own 2025 fixture reviewing them:
    # one promise reworded (执法监督 -> 规范行政执法), one silently dropped (法治宣传),
    # one problem repeated word for word, a placeholder left in.
    earlier = read_report(seed_bytes("000_6a3c11ae070e1455.txt"))
    later = read(FIXTURES / "fangzhen-2025.txt")
    assert "placeholders" in later.flags
    result = compare(earlier, later)
    statuses = {c.heading[:6]: c.status for c in result.commitments}
    assert statuses["持续学习习近"] == CommitmentStatus.FULFILLED
    assert statuses["加强执法监督"] in {CommitmentStatus.FULFILLED, CommitmentStatus.PARTIAL}
    assert statuses["加强法治宣传"] == CommitmentStatus.NOT_REPORTED
    # Items bundling actions under sub-headings are checked per action
    assert statuses["加强执法队伍"] == CommitmentStatus.FULFILLED
    assert statuses["加强村（社区"] == CommitmentStatus.FULFILLED
    problems = {p.heading: p.status for p in result.problems}
    assert problems["法治意识有待提高"] == ProblemStatus.RECURRING
    assert problems["法治宣传教育有待加强"] == ProblemStatus.DROPPED


@pytest.mark.skipif(not corpus_available(), reason="../shared/corpus is not beside this checkout")
def test_state_council_pairs_agree_with_hand_labels() -> None:
    result = evaluate(CORPUS, ROOT / "eval" / "state_council_labels.json")
    rows = result["rows"]
    assert isinstance(rows, list) and len(rows) == 32
    # The quantified targets (GDP, jobs, unemployment, CPI, grain, energy) must come out right.
    wrong = [r for r in rows if r["got"] != r["expected"] or not r["figure_ok"]]
    assert not wrong, wrong


@pytest.mark.skipif(not corpus_available(), reason="../shared/corpus is not beside this checkout")
def test_second_seed_town_next_year() -> None:
    # Given 古龙镇's 2024 report (plans for 2025) and our own 2025 fixture reviewing them:
    # training done with figures, 普法 reworded (新媒体 -> 微信公众号) while the same problem is
    # listed again word for word, 源头治理 silently dropped, a placeholder left in.
    earlier = read_report(seed_bytes("001_a72cb30ac0344b96.txt"))
    later = read(FIXTURES / "gulong-2025.txt")
    assert (later.entity, later.review_year) == ("古龙镇", 2025) and "placeholders" in later.flags
    result = compare(earlier, later)
    assert result.plan_year == 2025
    verdicts = {c.heading: c for c in result.commitments}
    assert verdicts["加强队伍建设"].status == CommitmentStatus.FULFILLED
    assert verdicts["加强源头治理"].status == CommitmentStatus.NOT_REPORTED
    assert verdicts["加强源头治理"].evidence == []
    # Claimed as done and listed again as a shortcoming: partial, quoting both
    propaganda = verdicts["创新普法形式"]
    assert propaganda.status == CommitmentStatus.PARTIAL
    assert "微信公众号" in propaganda.evidence[0].text and "主要举措" in propaganda.evidence[0].section
    assert any("法治宣传形式单一" in e.text for e in propaganda.evidence[1:])
    for verdict in result.commitments:
        for evidence in verdict.evidence:
            assert later.text[evidence.start : evidence.end] == evidence.text
    problems = {p.heading: p for p in result.problems}
    assert problems["法治宣传形式单一"].status == ProblemStatus.RECURRING
    assert problems["法治宣传形式单一"].similarity == 1.0
    assert problems["法律素养有待提高"].status == ProblemStatus.RESOLVED_CLAIMED
    assert problems["群众法治意识淡薄"].status == ProblemStatus.DROPPED
