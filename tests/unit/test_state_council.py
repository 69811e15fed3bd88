"""The State Council 政府工作报告 2019-2025: review section, year semantics, quantified targets."""

from __future__ import annotations

from pathlib import Path

import pytest

from report_tracker.models.report import DocType, ItemKind, SectionKind, UploadHints
from report_tracker.parse import read_report
from tests.conftest import corpus_available, state_council_files

pytestmark = pytest.mark.skipif(not corpus_available(), reason="../shared/corpus is not beside this checkout")

# The quantified targets each report sets for its own year (read from the texts by hand).
TARGETS = {
    2019: ["1100万人以上", "5.5%左右", "4.5%以内", "3%左右"],
    2020: ["900万人以上", "6%左右", "5.5%左右", "3.5%左右"],
    2021: ["6%以上", "1100万人以上", "5.5%左右", "3%左右", "1.3万亿斤以上"],
    2022: ["5.5%左右", "1100万人以上", "5.5%以内", "3%左右", "1.3万亿斤以上"],
    2023: ["5%左右", "1200万人左右", "5.5%左右", "3%左右", "1.3万亿斤以上"],
    2024: ["5%左右", "1200万人以上", "5.5%左右", "3%左右", "1.3万亿斤以上", "2.5%左右"],
    2025: ["5%左右", "5.5%左右", "1200万人以上", "2%左右", "1.4万亿斤左右", "3%左右"],
}


@pytest.mark.parametrize("path", state_council_files(), ids=lambda p: p.name[:4])
def test_reads_a_government_work_report(path: Path) -> None:
    # Given the report titled year Y (a 2024年政府工作报告 reviews 2023 and plans 2024)
    year = int(path.name[:4])
    report = read_report(path.read_bytes(), UploadHints(filename=path.name))
    # Then its type, entity and years are right
    assert report.doc_type == DocType.GOVERNMENT_WORK_REPORT
    assert report.entity == "国务院"
    assert (report.review_year, report.plan_year) == (year - 1, year)
    # And a review section precedes the plans
    kinds = [s.kind for s in report.sections if s.kind != SectionKind.OTHER]
    assert kinds[0] == SectionKind.MEASURES
    assert SectionKind.PLANS in kinds
    # And every quantified target is its own commitment carrying its figure
    commitments = report.items(ItemKind.COMMITMENT)
    single = {f.text for c in commitments if len(c.figures) == 1 for f in c.figures}
    for target in TARGETS[year]:
        assert target in single, f"{target} not extracted as a commitment of {year}"


def test_gdp_target_is_one_commitment_with_value_and_qualifier() -> None:
    path = next(p for p in state_council_files() if p.name.startswith("2024"))
    report = read_report(path.read_bytes(), UploadHints(filename=path.name))
    gdp = [c for c in report.items(ItemKind.COMMITMENT) if c.text.startswith("国内生产总值增长")]
    assert len(gdp) == 1
    (figure,) = gdp[0].figures
    assert (figure.value, figure.unit, figure.qualifier) == (5.0, "%", "左右")
    grain = next(c for c in report.items(ItemKind.COMMITMENT) if c.text.startswith("粮食产量"))
    assert grain.figures[0].value == pytest.approx(1.3e12)
