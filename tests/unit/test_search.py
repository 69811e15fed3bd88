"""Full-text matching: Chinese substrings, folding, AND of terms, snippets cut at sentence ends."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from report_tracker.archive.search import find_hits, query_terms, snippets

TEXT = (
    "一、主要举措\n（一）加强法治宣传教育。开展法治宣传活动60余场，发放资料3000余份。"
    "组织执法人员培训4次。\n（二）化解矛盾纠纷。调解纠纷120件，调解成功率98%。"
)


def test_terms_are_folded_like_report_text_and_deduplicated() -> None:
    assert query_terms("  １２０件  调解 调解 ") == ["120件", "调解"]
    assert query_terms("   ") == []


def test_every_term_must_occur() -> None:
    hits = find_hits(TEXT, ["调解", "培训"])
    assert hits is not None and [TEXT[a:b] for a, b in hits] == ["培训", "调解", "调解"]
    assert find_hits(TEXT, ["调解", "拆迁"]) is None


def test_snippets_stop_at_sentence_ends_and_mark_the_terms() -> None:
    hits = find_hits(TEXT, ["培训"])
    assert hits is not None
    (snippet,) = snippets(TEXT, hits)
    assert snippet.text == "组织执法人员培训4次。"
    assert TEXT[snippet.start : snippet.start + len(snippet.text)] == snippet.text
    (mark,) = snippet.highlights
    assert snippet.text[mark.start : mark.end] == "培训"


def test_close_hits_share_one_snippet_and_at_most_three_are_given() -> None:
    text = "。".join(f"第{i}段提到调解工作" for i in range(10))
    hits = find_hits(text, ["调解"])
    assert hits is not None and len(hits) == 10
    found = snippets(text, hits, context=4)
    assert len(found) == 3
    assert all(s.text[h.start : h.end] == "调解" for s in found for h in s.highlights)


@given(st.text(alphabet="法治宣传调解。\n ab", max_size=200), st.sampled_from(["法治", "调解", "a"]))
def test_highlights_always_point_at_a_term(text: str, term: str) -> None:
    hits = find_hits(text, [term])
    if hits is None:
        assert term not in text
        return
    for snippet in snippets(text, hits):
        assert text[snippet.start : snippet.start + len(snippet.text)] == snippet.text
        assert snippet.highlights
        assert all(snippet.text[h.start : h.end] == term for h in snippet.highlights)
