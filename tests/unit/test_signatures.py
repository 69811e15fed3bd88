"""Passage signatures: a passage filled in from the same template meets its copy by band key; an
unrelated one does not; the index finds the candidates of a report among other entities' reports."""

from __future__ import annotations

from pathlib import Path

from report_tracker.archive.search_index import IndexedReport, SearchIndex, scope
from report_tracker.tracking.signatures import BANDS, MIN_PASSAGE, band_keys, masked, passages, signatures
from tests.unit.test_templates import TEMPLATE, own_words


def doc(entity: str, text: str, year: int = 2031, order: str = "1") -> IndexedReport:
    return IndexedReport(
        report=f"{entity}\t{year}\trule_of_law_annual", entity=entity, review_year=year,
        doc_type="rule_of_law_annual", doc_rank=0, title=None, version=1, order_key=order, text=text,
    )  # fmt: skip


def test_figures_and_the_entity_own_name_are_masked() -> None:
    assert masked("青石镇 共开展\n法治宣传12场，覆盖3.5万人", "青石镇") == "某共开展法治宣传#场，覆盖#万人"
    assert masked("青石党委研究3次", "青石镇") == "某党委研究#次"
    assert masked("白沙乡研究3次", "白沙乡") == masked("青石镇研究12次", "青石镇")


def test_passages_are_lines_cut_at_sentences_and_short_lines_are_left_out() -> None:
    long_line = "。".join(own_words(i, 60) for i in range(8)) + "。"
    found = passages(f"一、工作开展情况\n{long_line}\n{own_words(9, 30)}", "甲镇")
    assert all(MIN_PASSAGE <= len(p) <= 300 for p in found)
    assert "".join(found[:-1]) == long_line and len(found) >= 3  # cut, nothing lost, heading gone


def test_a_template_passage_filled_in_by_two_towns_shares_its_bands() -> None:
    # Given the same template sentence as two towns filled it in, and an unrelated passage
    one = band_keys(masked(TEMPLATE.replace("全镇", "甲镇") + "全年研究3次。", "甲镇"))
    two = band_keys(masked(TEMPLATE.replace("全镇", "乙镇") + "全年研究11次。", "乙镇"))
    other = band_keys(own_words(7, len(TEMPLATE)))
    # Then the filled-in copies meet in every band, the unrelated text in none
    assert len(one) == BANDS and one == two
    assert not set(one) & set(other)
    # And a copy with a clause edited still meets in at least one band
    edited = band_keys(masked(TEMPLATE.replace("研究解决重大问题", "及时协调解决法治建设中的难题"), "丙镇"))
    assert set(one) & set(edited)


def test_the_index_finds_the_reports_sharing_a_passage_and_forgets_a_replaced_text(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "i.sqlite")
    with index.batch():
        index.put(doc("甲镇", own_words(1) + "\n" + TEMPLATE + "\n" + own_words(2, 100)))
        index.put(doc("乙镇", own_words(3) + "\n" + TEMPLATE + "\n" + own_words(4, 100)))
        index.put(doc("丙乡", own_words(5, 600)))
        index.put(doc("丁镇", TEMPLATE, year=2030))  # another year: not a candidate
    me = index.find("甲镇\t2031\trule_of_law_annual")
    assert me is not None
    bands = index.bands(me.rowid)
    assert [k for _, k in bands] == [
        k for keys in signatures(index.text(me.rowid), "甲镇", scope(me)) for k in keys
    ]

    found = index.sharing(bands, "甲镇", per_key=10)
    assert {c.entity for _, _, c in found} == {"乙镇"}
    assert {p for p, _, _ in found} == {1}  # the template is the second passage

    # When 乙镇's text is replaced by its own words, it shares nothing any more
    with index.batch():
        index.put(doc("乙镇", own_words(6, 600), order="2"))
    assert index.sharing(bands, "甲镇", per_key=10) == []
    # And a key is answered for at most per_key reports
    with index.batch():
        for n in range(5):
            index.put(doc(f"模板{n}镇", TEMPLATE))
    assert len(index.sharing(bands, "甲镇", per_key=2)) == 2 * BANDS
