"""Logger, tracer and metrics, created once per container.

When tracing is off (POWERTOOLS_TRACE_DISABLED, or outside Lambda: tests, the local stack,
``sam local``) the tracer gets a provider that does nothing, so the X-Ray SDK, about a
quarter of a cold start, is never imported. In Lambda with tracing on, Powertools' X-Ray
provider is used as usual.
"""

from __future__ import annotations

import os
from collections.abc import AsyncGenerator, Generator, Sequence
from contextlib import asynccontextmanager, contextmanager
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics.functions import is_metrics_disabled
from aws_lambda_powertools.metrics.provider.cloudwatch_emf.cloudwatch import AmazonCloudWatchEMFProvider
from aws_lambda_powertools.tracing.base import BaseProvider, BaseSegment

_TRUE = {"1", "true", "yes", "on", "y"}


class _NoSegment(BaseSegment):
    def close(self, end_time: int | None = None) -> None:
        return None

    def add_subsegment(self, subsegment: Any) -> None:
        return None

    def remove_subsegment(self, subsegment: Any) -> None:
        return None

    def put_annotation(self, key: str, value: Any) -> None:
        return None

    def put_metadata(self, key: str, value: Any, namespace: str = "default") -> None:
        return None

    def add_exception(self, exception: BaseException, stack: list[Any], remote: bool = False) -> None:
        return None


class _NoTracing(BaseProvider):
    @contextmanager
    def in_subsegment(self, name: str | None = None, **kwargs: Any) -> Generator[BaseSegment, None, None]:
        yield _NoSegment()

    @asynccontextmanager
    async def in_subsegment_async(
        self, name: str | None = None, **kwargs: Any
    ) -> AsyncGenerator[BaseSegment, None]:
        yield _NoSegment()

    def put_annotation(self, key: str, value: Any) -> None:
        return None

    def put_metadata(self, key: str, value: Any, namespace: str = "default") -> None:
        return None

    def patch(self, modules: Sequence[str]) -> None:
        return None

    def patch_all(self) -> None:
        return None


def tracing_disabled() -> bool:
    """Powertools' own rule: disabled by env, or when not running in Lambda (or in sam local)."""
    if os.environ.get("POWERTOOLS_TRACE_DISABLED", "false").strip().lower() in _TRUE:
        return True
    return not os.environ.get("LAMBDA_TASK_ROOT") or bool(os.environ.get("AWS_SAM_LOCAL"))


class _EmfProvider(AmazonCloudWatchEMFProvider):
    """Powertools' EMF provider, except that disabled metrics are dropped at each flush.

    Powertools keeps them when disabled (POWERTOOLS_METRICS_DISABLED, as in the local stack):
    they pile up across invocations, and at 100 values of one metric its own auto-flush prints
    them anyway, ignoring the setting.
    """

    def flush_metrics(self, raise_on_empty_metrics: bool = False) -> None:
        if is_metrics_disabled():
            self.clear_metrics()
            return
        super().flush_metrics(raise_on_empty_metrics=raise_on_empty_metrics)


logger = Logger(service="report-tracker")
tracer = (
    Tracer(service="report-tracker", disabled=True, provider=_NoTracing())
    if tracing_disabled()
    # Only botocore: patching everything X-Ray supports imports a dozen client libraries'
    # patchers (sqlite3, httplib, requests, ...) into every cold start, for calls we never make.
    else Tracer(service="report-tracker", patch_modules=("botocore",))
)
metrics = Metrics(provider=_EmfProvider(namespace="ReportTracker", service="report-tracker"))
