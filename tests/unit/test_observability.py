"""Metrics: disabled means dropped, not kept (Powertools keeps them, then prints them at 100)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aws_lambda_powertools import Metrics

from report_tracker.observability import _EmfProvider


def _handler(metrics: Metrics) -> Any:
    @metrics.log_metrics
    def handler(event: dict[str, Any], context: Any) -> None:
        metrics.add_metric(name="Upload_stored", unit="Count", value=1)

    return handler


def test_disabled_metrics_are_dropped_at_each_flush(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "true")
    metrics = Metrics(provider=_EmfProvider(namespace="Test", service="test"))
    handler = _handler(metrics)
    for _ in range(150):  # past Powertools' auto-flush at 100 values of one metric
        handler({}, None)
    assert capsys.readouterr().out == ""
    assert not metrics.provider.metric_set


def test_enabled_metrics_are_published_once_per_invocation(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "false")
    metrics = Metrics(provider=_EmfProvider(namespace="Test", service="test"))
    handler = _handler(metrics)
    handler({}, None)
    handler({}, None)
    blobs = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [b["Upload_stored"] for b in blobs] == [[1.0], [1.0]]  # each flush starts afresh
    assert blobs[0]["_aws"]["CloudWatchMetrics"][0]["Namespace"] == "Test"
