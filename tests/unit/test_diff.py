"""Version diffs: exact, phrase-like, never degenerate, safe to render."""

from __future__ import annotations

import itertools
import random

import pytest

from report_tracker.archive.diff import VersionDiff, diff_reports, render_html
from report_tracker.models.report import Report
from report_tracker.parse import read_text
from tests.conftest import SAMPLES, corpus_available, seed_bytes, state_council_files


def reading(text: str) -> Report:
    return read_text(text)


def rebuild(diff: VersionDiff) -> tuple[str, str]:
    earlier = "".join(o.text for o in diff.ops if o.op in {"equal", "delete"})
    later = "".join(o.text for o in diff.ops if o.op in {"equal", "insert"})
    return earlier, later


def variants(text: str) -> dict[str, str]:
    rng = random.Random(7)
    paragraphs = text.split("\n")
    body = paragraphs[1:]
    shuffled = body[:]
    rng.shuffle(shuffled)
    edited = text.replace("加强", "进一步加强", 3).replace("100%", "98%")
    return {
        "original": text,
        "edited": edited,
        "reordered": "\n".join([paragraphs[0], *shuffled]),
        "truncated": "\n".join(paragraphs[: max(3, len(paragraphs) // 2)]),
    }


@pytest.mark.skipif(not corpus_available(), reason="../shared/corpus is not beside this checkout")
@pytest.mark.parametrize("name", ["000_6a3c11ae070e1455.txt", "003_534cad1fc4b87e7d.txt"])
def test_every_pair_of_seed_variants_diffs_exactly(name: str) -> None:
    readings = {k: reading(v) for k, v in variants(seed_bytes(name).decode("utf-8")).items()}
    for (na, a), (nb, b) in itertools.permutations(readings.items(), 2):
        diff = diff_reports(a, b)
        assert rebuild(diff) == (a.text, b.text), (na, nb)
        for op in diff.ops:
            if op.op != "insert":
                assert a.text[op.a_start : op.a_end] == op.text
            if op.op != "delete":
                assert b.text[op.b_start : op.b_end] == op.text


@pytest.mark.skipif(not corpus_available(), reason="../shared/corpus is not beside this checkout")
def test_reordered_paragraphs_are_moves_not_a_rewrite() -> None:
    path = next(p for p in state_council_files() if p.name.startswith("2024"))
    text = path.read_text(encoding="utf-8")
    paragraphs = [p for p in text.split("\n") if p.strip()]
    rng = random.Random(1)
    rng.shuffle(paragraphs)
    a, b = reading(text), reading("\n".join(paragraphs))
    diff = diff_reports(a, b)
    assert rebuild(diff) == (a.text, b.text)
    # Without move detection this reads as ~90% rewritten; most of it is moved text.
    assert diff.stats.moved_chars > diff.stats.inserted_chars
    assert diff.stats.changed_share < 0.35


def test_characters_outside_the_bmp_survive() -> None:
    a = reading(
        "𠀀𡈼镇人民政府关于2024年度工作的报告\n一、主要举措\n（一）𡈼家村道路硬化5公里。𠀀溪整治完成。"
    )
    b = reading(
        "𠀀𡈼镇人民政府关于2024年度工作的报告\n一、主要举措\n（一）𡈼家村道路硬化8公里。𠀁溪整治完成。"
    )
    diff = diff_reports(a, b)
    assert rebuild(diff) == (a.text, b.text)
    changed = [o.text for o in diff.ops if o.op != "equal"]
    assert "𠀀" in "".join(changed) and "𠀁" in "".join(changed)
    assert all(not (0xD800 <= ord(c) <= 0xDFFF) for o in diff.ops for c in o.text)


def test_report_text_is_escaped_in_html() -> None:
    a = reading("某镇2024年度报告\n一、主要举措\n（一）开展活动3场。")
    b = reading(
        '某镇2024年度报告\n一、主要举措\n（一）开展活动3场。<script>alert(1)</script><img src=x onerror="x()">'
    )
    page = render_html(diff_reports(a, b))
    assert "<script>" not in page and "<img" not in page
    assert "&lt;script&gt;" in page and "&lt;img src=x onerror=" in page


def test_sample_revision_is_summarised() -> None:
    a = reading((SAMPLES / "qingshi-2024.txt").read_text(encoding="utf-8"))
    b = reading((SAMPLES / "qingshi-2024-revised.txt").read_text(encoding="utf-8"))
    diff = diff_reports(a, b)
    significance = diff.significance
    assert [(f.before, f.after) for f in significance.figures_changed] == [("120场", "100场")]
    assert [h.after for h in significance.hedging] == ["力争"]
    assert len(significance.commitments_reworded) == 1 and not significance.commitments_removed
    # Sections that changed come first: the figure (measures), 力争 (plans), the signature date (closing)
    assert {s.kind for s in diff.sections[:3]} == {"plans", "measures", "other"}
    assert all(s.inserted or s.deleted for s in diff.sections[:3])
    assert 0 < diff.stats.changed_share < 0.05


def test_firm_to_soft_wording_is_flagged() -> None:
    a = reading("某镇2024年度报告\n四、2025年工作计划\n（一）确保全年完成道路硬化10公里。")
    b = reading("某镇2024年度报告\n四、2025年工作计划\n（一）力争全年基本完成道路硬化10公里。")
    hedges = {(h.before, h.after) for h in diff_reports(a, b).significance.hedging}
    assert ("确保", "力争") in hedges
