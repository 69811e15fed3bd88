"""Exports people open in a spreadsheet: nothing in a cell runs as a formula, Chinese survives Excel."""

from __future__ import annotations

import csv
import io

from report_tracker.api.render import comparison_csv
from report_tracker.models.tracking import CommitmentStatus, CommitmentVerdict, Comparison, Evidence, Reuse


def test_cells_that_would_run_as_formulas_are_quoted() -> None:
    evidence = Evidence(text="=HYPERLINK(\"http://x\")", section="-1+1", start=3, end=9, score=0.8, version=2,
                        link="#/e/x/r/2024/v/2/at/3-9")  # fmt: skip
    verdict = CommitmentVerdict(text="@SUM(A1)", heading="+1", start=0, end=8, section="二、计划",
                                status=CommitmentStatus.FULFILLED, confidence=0.9, reason="completion stated: x",
                                evidence=[evidence], figures=[])  # fmt: skip
    result = Comparison(entity="某镇", plan_year=2024, earlier_title=None, later_title=None, commitments=[verdict],
                        problems=[], figures=[], reuse=Reuse(share=0.0, spans=[]))  # fmt: skip
    text = comparison_csv(result)
    assert text.startswith("\ufeff")
    (row,) = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert row["commitment"] == "'@SUM(A1)" and row["evidence_1"].startswith("'=")
    assert (
        row["entity"] == "某镇"
        and row["evidence_1_start"] == "3"
        and row["evidence_1_link"].startswith("#/e/")
    )
