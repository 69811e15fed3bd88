"""Decoding: round-trips through every supported encoding; random bytes only raise our own error."""

from __future__ import annotations

import codecs
import contextlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from report_tracker.errors import ReportTrackerError
from report_tracker.models.report import UploadHints
from report_tracker.parse import read_report
from report_tracker.reading.decode import decode_text

# Chinese report text: CJK ideographs, full-width punctuation, digits, newlines.
chinese = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5),
        st.sampled_from(list("，。、；：（）“”《》0123456789%\n")),
    ),
    min_size=1,
    max_size=400,
).filter(lambda t: t.strip())


@given(chinese)
@settings(max_examples=150, deadline=None)
def test_round_trip_through_every_encoding(text: str) -> None:
    for encoded in (
        text.encode("utf-8"),
        codecs.BOM_UTF8 + text.encode("utf-8"),
        text.encode("gb18030"),
        text.encode("utf-16"),
    ):
        assert decode_text(encoded).text == text


@given(st.binary(min_size=0, max_size=3000))
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_random_bytes_raise_only_our_error(data: bytes) -> None:
    with contextlib.suppress(ReportTrackerError):
        read_report(data, UploadHints(filename="x.txt"))


def test_invalid_bytes_are_replaced_and_flagged() -> None:
    text = "第一段落说明情况。" * 30
    data = text.encode("utf-8")[:-2] + b"\xff" + text.encode("utf-8")
    decoded = decode_text(data)
    assert "decode_replaced" in decoded.flags or decoded.encoding != "utf-8"
    assert "第一段落说明情况" in decoded.text
