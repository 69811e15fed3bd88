"""Logger, tracer and metrics, created once per container."""

from __future__ import annotations

from aws_lambda_powertools import Logger, Metrics, Tracer

logger = Logger(service="report-tracker")
tracer = Tracer(service="report-tracker")
metrics = Metrics(namespace="ReportTracker", service="report-tracker")
