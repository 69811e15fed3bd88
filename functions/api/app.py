"""ApiFunction: the HTTP API and viewer (API Gateway HTTP API v2 events)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from report_tracker.api.app import PARKED_SECONDS, create_app
from report_tracker.config import api_settings_from_env
from report_tracker.observability import logger, metrics, tracer
from report_tracker.services.factory import catalog, completion_desk, upload_desk

settings = api_settings_from_env()
app = create_app(
    lambda: catalog(settings),
    completion_factory=lambda: completion_desk(settings),
    upload_factory=lambda: upload_desk(settings),
    cors_origin=settings.cors_allow_origin,
    park=lambda body, kind, disposition: catalog(settings).archive.park_response(
        body, kind, disposition, PARKED_SECONDS
    ),
    local_token=settings.local_token,
    write_token=settings.write_token,
)


@tracer.capture_lambda_handler
@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
