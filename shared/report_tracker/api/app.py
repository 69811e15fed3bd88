"""The HTTP API (API Gateway HTTP API v2 events) built on Powertools' event handler.

Built by ``create_app`` so that tests and the local server get a fresh resolver over the
stores they choose; the Lambda handler builds one per container. Each resource's routes live in
``api/routes/``; who may call them in ``api/access.py``; the gate every request passes in
``api/guard.py``; the one error mapping in ``api/errors.py``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, CORSConfig, Response
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware

from report_tracker import __version__
from report_tracker.api.access import Tokens
from report_tracker.api.errors import register_errors
from report_tracker.api.guard import MAX_RESPONSE_BYTES, GuardedResolver, Park
from report_tracker.api.http import dumps
from report_tracker.api.routes import dataset, exports, feeds, reports, search, tracking, uploads, viewer
from report_tracker.api.services import Services
from report_tracker.models.api import Health
from report_tracker.models.report import PARSER_VERSION

if TYPE_CHECKING:
    from report_tracker.services.catalog import Catalog
    from report_tracker.services.uploads import CompletionDesk, UploadDesk

PARKED_SECONDS = 300
API_INFO: dict[str, Any] = {
    "title": "report-tracker API",
    "version": __version__,
    "description": "Archive and change tracker for Chinese local-government annual reports.",
}
RESOURCES = (viewer, reports, tracking, uploads, search, exports, feeds, dataset)


def create_app(
    catalog_factory: Callable[[], Catalog],
    *,
    completion_factory: Callable[[], CompletionDesk] | None = None,
    upload_factory: Callable[[], UploadDesk] | None = None,
    cors_origin: str | None = None,
    local_token: str | None = None,
    write_token: str | None = None,
    park: Park | None = None,
    max_response_bytes: int = MAX_RESPONSE_BYTES,
) -> GuardedResolver:
    """``local_token``/``write_token`` are the local server's reader and writer tokens (see
    ``api.access.Tokens``); ``park`` stores an answer too large for the platform and returns a
    URL to fetch it from."""
    cors = CORSConfig(allow_origin=cors_origin, max_age=300) if cors_origin else None
    app = GuardedResolver(
        Tokens(read=local_token, write=write_token),
        park,
        max_response_bytes,
        API_INFO,
        enable_validation=True,
        serializer=dumps,
        cors=cors,
    )
    services = Services(catalog_factory, completion_factory, upload_factory)
    app.use(middlewares=[_etag])
    register_errors(app)
    for resource in RESOURCES:
        app.include_router(resource.router(services))

    @app.get("/health", summary="Liveness and versions")
    def health() -> Health:
        return Health(version=__version__, parser_version=PARSER_VERSION)

    @app.get("/openapi.json", include_in_schema=False)
    def openapi() -> Response[str]:
        return Response(
            status_code=200, content_type="application/json", body=app.get_openapi_json_schema(**API_INFO)
        )

    return app


def _etag(app: APIGatewayHttpResolver, next_middleware: NextMiddleware) -> Response[Any]:
    response = next_middleware(app)
    if app.current_event.request_context.http.method == "GET" and response.status_code == 200:
        body = response.body if isinstance(response.body, str | bytes) else dumps(response.body)
        digest = hashlib.sha256(body.encode() if isinstance(body, str) else body).hexdigest()[:32]
        etag = f'"{digest}"'
        response.headers["ETag"] = etag
        response.headers.setdefault("Cache-Control", "private, max-age=5, must-revalidate")
        if app.current_event.headers.get("if-none-match") == etag:
            return Response(status_code=304, headers={"ETag": etag}, body="")
    return response
