"""The bigram index finds exactly the texts a substring search finds."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from report_tracker.archive.search_index import IndexedReport, SearchIndex, match_expression, token_stream


def doc(
    report: str, text: str, order: str = "1", version: int = 1, entity: str = "青石镇", year: int = 2024
) -> IndexedReport:
    return IndexedReport(report, entity, year, "rule_of_law_annual", 0, None, version, order, text)


def found(index: SearchIndex, *terms: str, entity: str | None = None, year: int | None = None) -> list[str]:
    expressions = [e for t in terms if (e := match_expression(t))]
    candidates, complete = index.candidates(expressions, entity, year, 100)
    assert complete
    return sorted(c.report for c in candidates)


def test_terms_are_phrases_of_bigrams_and_one_character_is_a_prefix() -> None:
    assert token_stream("依法行政，120场") == "依法 法行 行政 政 12 20 0场 场"
    assert match_expression("法治宣传") == '"法治 治宣 宣传"'
    assert match_expression("法") == '"法" *'
    assert match_expression("。") is None


def test_a_new_text_replaces_the_old_and_a_late_older_one_does_not(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "i.sqlite")
    with index.batch():
        index.put(doc("a", "开展法治宣传活动120场。", order="2"))
        index.put(doc("b", "法治政府建设。", entity="白沙乡", year=2023))
    assert found(index, "法治") == ["a", "b"]
    assert found(index, "法治", entity="白沙乡") == ["b"] and found(index, "法治", year=2024) == ["a"]
    assert found(index, "宣传", "120") == ["a"] and found(index, "宣传", "政府") == []
    with index.batch():
        assert index.put(doc("a", "另一个版本：普法讲座。", order="3", version=2))
        assert not index.put(doc("a", "开展法治宣传活动120场。", order="2"))  # older upload, late
    assert found(index, "宣传") == [] and found(index, "普法") == ["a"]
    with index.batch():
        assert index.remove("a")
    assert found(index, "普法") == [] and index.count() == 1


def test_past_the_cap_the_latest_indexed_are_counted_and_the_answer_says_it_is_partial(
    tmp_path: Path,
) -> None:
    index = SearchIndex(tmp_path / "i.sqlite")
    with index.batch():
        for n in range(5):
            index.put(doc(f"r{n}", f"第{n}份：法治宣传。" if n != 2 else "普法讲座。", entity=f"镇{n}"))
    expressions = [e for t in ("法治",) if (e := match_expression(t))]
    candidates, complete = index.candidates(expressions, None, None, 2)
    assert [c.report for c in candidates] == ["r4", "r3"] and not complete
    candidates, complete = index.candidates(expressions, None, None, 4)
    assert [c.report for c in candidates] == ["r4", "r3", "r1", "r0"] and complete
    candidates, complete = index.candidates(expressions, "镇1", None, 1)
    assert [c.report for c in candidates] == ["r1"] and complete


ALPHABET = "法治宣传政府建设活动12。，"


@settings(max_examples=60, deadline=None)
@given(
    texts=st.lists(st.text(alphabet=ALPHABET, min_size=0, max_size=40), min_size=1, max_size=6),
    term=st.text(alphabet=ALPHABET[:-2], min_size=1, max_size=4),
)
def test_candidates_are_exactly_the_texts_holding_the_term(texts: list[str], term: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        index = SearchIndex(Path(tmp) / "i.sqlite")
        with index.batch():
            for k, text in enumerate(texts):
                index.put(doc(str(k), text))
        assert found(index, term) == sorted(str(k) for k, t in enumerate(texts) if term in t)
        index.close()
