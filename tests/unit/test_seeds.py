"""The seed reports read the way seeds.json says a correct reading must."""

from __future__ import annotations

from typing import Any

import pytest

from report_tracker.models.report import ItemKind, Report, SectionKind, UploadHints
from report_tracker.parse import read_report
from tests.conftest import CORPUS, SAMPLES, corpus_available, seed_bytes, state_council_files

SEED_NAMES = [
    "000_6a3c11ae070e1455.txt",
    "001_a72cb30ac0344b96.txt",
    "002_e971b7f1bee3facc.txt",
    "003_534cad1fc4b87e7d.txt",
    "004_6aca4e715bf07a38.txt",
]
pytestmark = pytest.mark.skipif(not corpus_available(), reason="../shared/corpus is not beside this checkout")

_cache: dict[str, Report] = {}


def reading(name: str) -> Report:
    if name not in _cache:
        _cache[name] = read_report(seed_bytes(name), UploadHints(filename=name))
    return _cache[name]


@pytest.mark.parametrize("name", SEED_NAMES)
def test_metadata(name: str, seeds: dict[str, Any]) -> None:
    # Given a seed and what seeds.json says of it
    expected = seeds[name]
    # When it is read
    report = reading(name)
    # Then entity, type and both years are right
    assert report.entity == expected["entity"]
    assert report.doc_type.value == expected["doc_type"]
    assert report.review_year == expected["review_year"]
    assert report.plan_year == expected["plan_year"]
    for part in expected.get("region_contains", []):
        assert part in report.region
    for field in ("published", "index_no", "publisher"):
        if field in expected:
            assert getattr(report, field) == expected[field]


@pytest.mark.parametrize("name", SEED_NAMES)
def test_sections_in_order(name: str, seeds: dict[str, Any]) -> None:
    report = reading(name)
    kinds = [s.kind.value for s in report.sections if s.kind != SectionKind.OTHER]
    assert kinds == seeds[name]["sections"]


@pytest.mark.parametrize("name", SEED_NAMES)
def test_problems_and_commitments(name: str, seeds: dict[str, Any]) -> None:
    # Items are identified by the start of their heading, in order.
    report = reading(name)
    problems = [i.heading for i in report.items(ItemKind.PROBLEM)]
    commitments = [i.heading for i in report.items(ItemKind.COMMITMENT)]
    expected_problems = seeds[name]["problems"]
    expected_commitments = seeds[name]["commitments"]
    assert len(problems) == len(expected_problems)
    assert len(commitments) == len(expected_commitments)
    for got, want in zip(problems, expected_problems, strict=True):
        assert got.startswith(want), (got, want)
    for got, want in zip(commitments, expected_commitments, strict=True):
        assert got.startswith(want), (got, want)


@pytest.mark.parametrize("name", SEED_NAMES)
def test_figures(name: str, seeds: dict[str, Any]) -> None:
    report = reading(name)
    texts = {f.text for s in report.sections for f in s.figures}
    for metric in seeds[name].get("metrics_include", []):
        assert metric in texts


@pytest.mark.parametrize("name", SEED_NAMES)
def test_artefacts_and_flags(name: str, seeds: dict[str, Any]) -> None:
    expected = seeds[name]
    report = reading(name)
    for artefact in expected.get("must_not_contain", []):
        assert artefact not in report.text
    for joined in expected.get("joined_lines", []):
        assert joined in report.text
    if "title_occurrences_in_body" in expected:
        assert report.title is not None
        assert report.text.count(report.title) == expected["title_occurrences_in_body"]
    assert ("placeholders" in report.flags) == expected["placeholders"]
    assert ("truncated" in report.flags) == expected.get("truncated", False)
    assert ("outline" in report.flags) == expected.get("outline_block_detected", False)
    if expected["entity"] is None or expected["review_year"] is None:
        assert "needs_metadata" in report.flags


def test_outline_is_not_counted_twice() -> None:
    # The 【提纲】 block repeats the headings: it is kept aside, not read as sections.
    report = reading("004_6aca4e715bf07a38.txt")
    assert report.outline and "存在问题" in report.outline
    assert "【提纲】" not in report.text
    assert sum(1 for s in report.sections if s.kind == SectionKind.PROBLEMS) == 1


def test_items_carry_offsets_into_the_clean_text() -> None:
    report = reading("000_6a3c11ae070e1455.txt")
    for item in report.items():
        assert report.text[item.start : item.end] == item.text
        for figure in item.figures:
            assert report.text[figure.start : figure.end] == figure.text


def test_offset_map_quotes_the_original() -> None:
    report = reading("003_534cad1fc4b87e7d.txt")
    item = report.items(ItemKind.PROBLEM)[0]
    at = report.original_offset(item.start)
    assert report.original[at : at + 8] == item.text[:8]


def test_upload_hints_override_the_text() -> None:
    hints = UploadHints(entity="唐家镇", year=2019, filename="x.txt")
    report = read_report(seed_bytes("002_e971b7f1bee3facc.txt"), hints)
    assert (report.entity, report.review_year, report.plan_year) == ("唐家镇", 2019, 2020)
    assert report.status.value == "ok"
    assert report.metadata_sources["review_year"] == "hint"


def test_parsed_figures_are_every_figure_of_the_text() -> None:
    # Diffs and comparisons take figures from the parsed sections instead of reading the text
    # again; that is only right if the two are the same, title lines included.
    from report_tracker.understanding.figures import extract_figures, figures_of

    paths = sorted(SAMPLES.glob("*.txt")) + (
        sorted((CORPUS / "seeds").glob("*")) + state_council_files() if corpus_available() else []
    )
    assert len(paths) >= 5
    for path in paths:
        report = read_report(path.read_bytes())
        expected = [(f.start, f.text) for f in extract_figures(report.text)]
        assert [(f.start, f.text) for f in figures_of(report)] == expected, path.name
