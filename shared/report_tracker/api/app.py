"""The HTTP API (API Gateway HTTP API v2 events) built on Powertools' event handler.

Built by ``create_app`` so that tests and the local server get a fresh resolver over the
stores they choose; the Lambda handler builds one per container.
"""

from __future__ import annotations

import binascii
import hashlib
import hmac
import json
import re
from collections.abc import Callable, Mapping
from functools import lru_cache, partial
from importlib.resources import files
from typing import TYPE_CHECKING, Annotated, Any, Literal
from urllib.parse import quote, unquote

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, CORSConfig, Response
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestUnsupportedContentType,
    RequestValidationError,
)
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel

from report_tracker import __version__
from report_tracker.api.render import comparison_csv, comparison_html, reading_csv, reading_markdown
from report_tracker.errors import (
    Conflict,
    DocumentTooLarge,
    InvalidRequest,
    NotFound,
    PermanentError,
    ReportTrackerError,
    RetryableError,
)
from report_tracker.models.api import (
    EntityDetail,
    EntityPage,
    Health,
    MetadataIn,
    Problem,
    ReportList,
    ReportReading,
    SearchPage,
    UploadOutcome,
    UploadPage,
    UploadRequest,
    UploadTicket,
    VersionList,
)
from report_tracker.models.archive import UploadStatus
from report_tracker.models.diff import VersionDiff
from report_tracker.models.report import PARSER_VERSION, DocType, UploadHints
from report_tracker.models.tracking import Comparison, TemplateReport, Timeline
from report_tracker.observability import logger

# Services are imported by the routes that use them: a cold start loads only the shapes,
# and each request path loads the code it runs (the diff engine, comparison, search).
if TYPE_CHECKING:
    from report_tracker.services.catalog import Catalog
    from report_tracker.services.uploads import CompletionDesk, UploadDesk
    from report_tracker.services.yoy import YoyService

PROBLEM_JSON = "application/problem+json"
# Pages carry report text: no scripts from anywhere, no sniffing, no framing.
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}
# The viewer: its own script and stylesheet only, talking to this API only.
VIEWER_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-cache",
}
_STATIC_FILES = {"index.html", "app.js", "app.css"}
SWAGGER_PATH = "/docs"
API_INFO: dict[str, Any] = {
    "title": "report-tracker API",
    "version": __version__,
    "description": "Archive and change tracker for Chinese local-government annual reports.",
}


@lru_cache(maxsize=8)
def _static(name: str) -> str:
    return (files("report_tracker.api") / "static" / name).read_text(encoding="utf-8")


DIFF_STYLE = (
    "<style>body{font-family:'Noto Sans CJK SC','PingFang SC','Microsoft YaHei',sans-serif;line-height:1.8;"
    "max-width:60em;margin:1em auto;padding:0 1em}ins{background:#d4f8d4;text-decoration:none}"
    "del{background:#fbd0d0}.moved{background:#e0e8ff}</style>"
)
MAX_PARAM_CHARS = 200
MAX_BODY_BYTES = 64 * 1024  # request bodies are small JSON; report files go to S3 directly
MAX_JSON_DEPTH = 20  # our bodies nest 2 levels
# Lambda returns at most 6 MB (6,291,556 bytes) of serialised response; leave room for headers.
MAX_RESPONSE_BYTES = 6_000_000
PARKED_SECONDS = 300
_dumps = partial(json.dumps, ensure_ascii=False, separators=(",", ":"), default=str)


def _problem(status: int, title: str, detail: str | None = None) -> Response[str]:
    body = Problem(title=title, status=status, detail=detail).model_dump_json(exclude_none=True)
    return Response(status_code=status, content_type=PROBLEM_JSON, body=body)


# Checked on the decoded name by _entity (400): the resolver only sees the percent-encoded form.
ENTITY_PATTERN = rf"^(?=.*[^\s\x85])[^\x00-\x1f/\\]{{1,{MAX_PARAM_CHARS}}}$"
_ENTITY_RE = re.compile(ENTITY_PATTERN)
EntityName = Annotated[
    str,
    Path(
        description="The entity's name, e.g. 青石镇 (percent-encoded in the URL).",
        json_schema_extra={"pattern": ENTITY_PATTERN, "maxLength": MAX_PARAM_CHARS},
    ),
]


def _name(value: str) -> str:
    if not _ENTITY_RE.fullmatch(value):
        raise InvalidRequest("the entity name is empty, too long or contains control characters or slashes")
    return value


def _entity(raw: str) -> str:
    """API Gateway hands path parameters over percent-encoded (%E6%88%BF...): decode once."""
    return _name(unquote(raw))


_ERRORS = {
    404: "Not Found",
    400: "Bad Request",
    409: "Conflict",
    422: "Unprocessable Content",
    413: "Content Too Large",
    405: "Method Not Allowed",
    415: "Unsupported Media Type",
    500: "Internal Server Error",
}


class _GuardedResolver(APIGatewayHttpResolver):
    """Refuses a request before routing: Powertools validates (and parses) a body before any middleware.

    So an oversized body is 413 whatever it contains, and without the local token nothing is
    validated or answered but 401.
    """

    def __init__(
        self,
        local_token: str | None,
        park: Callable[[bytes, str, str | None], str] | None = None,
        max_response_bytes: int = MAX_RESPONSE_BYTES,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self._local_token = local_token
        self._park = park
        self._max_response_bytes = max_response_bytes
        self._swagger_pending = True

    def _swagger_on_first_use(self, event: Mapping[str, Any]) -> None:
        # Enabling the Swagger UI imports Powertools' OpenAPI models (a sixth of a cold start), so
        # the route is registered by the first request for it rather than at every cold start.
        if self._swagger_pending and str(event.get("rawPath") or "").endswith(SWAGGER_PATH):
            self._swagger_pending = False
            self.enable_swagger(path=SWAGGER_PATH, **API_INFO)

    def resolve(self, event: Mapping[str, Any], context: LambdaContext) -> dict[str, Any]:
        self._swagger_on_first_use(event)
        refusal = self._refusal(event)
        if refusal is None:
            result = self._fit(_as_problem(super().resolve(event, context)))
        else:
            result = {
                "statusCode": refusal.status,
                "headers": {"Content-Type": PROBLEM_JSON},
                "body": refusal.model_dump_json(exclude_none=True),
                "isBase64Encoded": False,
            }
        if self._cors is not None:
            # The answer depends on the Origin header: shared caches must key on it.
            result.setdefault("headers", {})["Vary"] = "Origin"
        return result

    def _refusal(self, event: Mapping[str, Any]) -> Problem | None:
        headers = {k.lower(): v for k, v in (event.get("headers") or {}).items()}
        if (
            self._local_token is not None
            and not _public(event)
            and not _bearer_matches(headers.get("authorization"), self._local_token)
        ):
            return Problem(
                title="Unauthorized",
                status=401,
                detail="send Authorization: Bearer <token> (printed by `report-tracker serve`)",
            )
        body = str(event.get("body") or "")
        size = _body_bytes(body, bool(event.get("isBase64Encoded")))
        if size > MAX_BODY_BYTES:
            return Problem(
                title=_ERRORS[413],
                status=413,
                detail=f"request bodies are limited to {MAX_BODY_BYTES} bytes ({size} sent); upload files to S3",
            )
        if body and not event.get("isBase64Encoded") and _json_depth(body) > MAX_JSON_DEPTH:
            return Problem(
                title=_ERRORS[400],
                status=400,
                detail=f"the JSON body is nested more than {MAX_JSON_DEPTH} levels deep",
            )
        return None

    def _fit(self, result: dict[str, Any]) -> dict[str, Any]:
        """An answer past the platform's response limit (6 MB on Lambda, counted as the runtime
        serialises it) is parked in S3 and answered with a 303 to a short-lived signed URL."""
        body = result.get("body")
        if not isinstance(body, str) or len(body) * 2 < self._max_response_bytes:
            return result  # even escaped, well under the limit: no need to measure
        if len(json.dumps(body)) <= self._max_response_bytes:
            return result
        headers = result.get("headers") or {}
        if self._park is None or result.get("isBase64Encoded"):
            problem = Problem(
                title=_ERRORS[413],
                status=413,
                detail="the answer is larger than the API can return; ask for an export in pages",
            )
            return {
                "statusCode": 413,
                "headers": {"Content-Type": PROBLEM_JSON},
                "body": problem.model_dump_json(exclude_none=True),
                "isBase64Encoded": False,
            }
        kind = next((v for k, v in headers.items() if k.lower() == "content-type"), "application/json")
        disposition = next((v for k, v in headers.items() if k.lower() == "content-disposition"), None)
        url = self._park(body.encode("utf-8"), kind, disposition)
        logger.info("large answer parked in S3", extra={"bytes": len(body.encode("utf-8"))})
        return {
            "statusCode": 303,
            "headers": {"Location": url, "Cache-Control": "no-store", "Content-Type": PROBLEM_JSON},
            "body": Problem(
                title="See Other",
                status=303,
                detail="the answer is large: fetch it from Location (valid 5 minutes)",
            ).model_dump_json(exclude_none=True),
            "isBase64Encoded": False,
        }

    def allowed_methods(self, path: str) -> list[str]:
        """Methods some route answers on ``path`` (for 405 and its Allow header). Powertools keeps
        its routes in these two lists; tests/integration/test_api_routes.py checks they still do."""
        routes = [*self._static_routes, *self._dynamic_routes]
        return sorted({r.method for r in routes if r.rule.match(path)})


def _public(event: Mapping[str, Any]) -> bool:
    """The viewer's page and assets: served to anyone, so a browser can load the page that then
    asks for a token (the data it shows is what needs one). The template opens the same routes."""
    http = (event.get("requestContext") or {}).get("http") or {}
    path = str(event.get("rawPath") or http.get("path") or "")
    return http.get("method") == "GET" and (path == "/" or path.startswith("/static/"))


def _bearer_matches(header: str | None, token: str) -> bool:
    """``Bearer <token>``, the scheme in any case, the token compared in constant time."""
    scheme, _, given = (header or "").strip().partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())


def _body_bytes(body: str, base64_encoded: bool) -> int:
    """The size in bytes of what the client sent (API Gateway may hand it over as base64)."""
    if base64_encoded:
        return len(body) * 3 // 4 - body[-2:].count("=")
    return len(body.encode("utf-8", "surrogatepass"))


def _json_depth(text: str) -> int:
    """How deeply brackets nest outside strings: a body nested past the parser's recursion limit
    must be a 400 before anything parses it."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > MAX_JSON_DEPTH:
                    return deepest
        elif ch in "]}":
            depth -= 1
    return deepest


def _as_problem(result: dict[str, Any]) -> dict[str, Any]:
    """Every error answer as problem+json, whichever layer produced it (Powertools' own 415/500)."""
    status = int(result.get("statusCode", 200))
    headers = result.setdefault("headers", {})
    kind = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
    if status < 400 or kind.startswith(PROBLEM_JSON):
        return result
    for k in [k for k in headers if k.lower() == "content-type"]:
        del headers[k]
    headers["Content-Type"] = PROBLEM_JSON
    title = _ERRORS.get(status, "Internal Server Error" if status >= 500 else "Bad Request")
    result["body"] = Problem(title=title, status=status, detail=None).model_dump_json(exclude_none=True)
    result["isBase64Encoded"] = False
    return result


def create_app(
    catalog_factory: Callable[[], Catalog],
    *,
    completion_factory: Callable[[], CompletionDesk] | None = None,
    upload_factory: Callable[[], UploadDesk] | None = None,
    cors_origin: str | None = None,
    local_token: str | None = None,
    park: Callable[[bytes, str, str | None], str] | None = None,
    max_response_bytes: int = MAX_RESPONSE_BYTES,
) -> APIGatewayHttpResolver:
    """``park`` stores an answer too large for the platform and returns a URL to fetch it from."""
    cors = CORSConfig(allow_origin=cors_origin, max_age=300) if cors_origin else None
    app = _GuardedResolver(
        local_token,
        park,
        max_response_bytes,
        enable_validation=True,
        serializer=_dumps,
        cors=cors,
    )

    def catalog() -> Catalog:
        return catalog_factory()

    def completions() -> CompletionDesk:
        if completion_factory is None:
            raise NotFound("completing uploads is not enabled on this API")
        return completion_factory()

    def upload_desk() -> UploadDesk:
        if upload_factory is None:
            raise NotFound("uploading over HTTP is not enabled on this API")
        return upload_factory()

    def yoy() -> YoyService:
        from report_tracker.services.yoy import YoyService  # noqa: PLC0415

        store = catalog_factory()
        return YoyService(store.table, store.archive)

    def caching(app: APIGatewayHttpResolver, next_middleware: NextMiddleware) -> Response[Any]:
        response = next_middleware(app)
        if app.current_event.request_context.http.method == "GET" and response.status_code == 200:
            body = response.body if isinstance(response.body, str | bytes) else _dumps(response.body)
            digest = hashlib.sha256(body.encode() if isinstance(body, str) else body).hexdigest()[:32]
            etag = f'"{digest}"'
            response.headers["ETag"] = etag
            response.headers.setdefault("Cache-Control", "private, max-age=5, must-revalidate")
            if app.current_event.headers.get("if-none-match") == etag:
                return Response(status_code=304, headers={"ETag": etag}, body="")
        return response

    app.use(middlewares=[caching])

    @app.exception_handler(NotFound)
    def not_found(exc: NotFound) -> Response[str]:
        return _problem(404, _ERRORS[404], exc.message)

    @app.exception_handler(InvalidRequest)
    def invalid(exc: InvalidRequest) -> Response[str]:
        return _problem(400, _ERRORS[400], exc.message)

    # Powertools' request validation decodes the body before any middleware runs.
    @app.exception_handler(UnicodeDecodeError)
    def undecodable(exc: UnicodeDecodeError) -> Response[str]:
        return _problem(400, _ERRORS[400], "the request body is not UTF-8 text")

    @app.exception_handler(binascii.Error)
    def bad_base64(exc: binascii.Error) -> Response[str]:
        return _problem(400, _ERRORS[400], "the request body is not valid base64")

    @app.exception_handler(DocumentTooLarge)
    def too_large(exc: DocumentTooLarge) -> Response[str]:
        return _problem(413, _ERRORS[413], exc.message)

    @app.exception_handler(Conflict)
    def conflict(exc: Conflict) -> Response[str]:
        return _problem(409, _ERRORS[409], exc.message)

    @app.exception_handler(RequestValidationError)
    def validation(exc: RequestValidationError) -> Response[str]:
        details = "; ".join(
            f"{'.'.join(str(p) for p in err.get('loc', []))}: {err.get('msg')}" for err in exc.errors()
        )
        return _problem(422, _ERRORS[422], details)

    @app.exception_handler(RequestUnsupportedContentType)
    def unsupported(exc: RequestUnsupportedContentType) -> Response[str]:
        return _problem(415, _ERRORS[415], "send the body as application/json")

    @app.exception_handler(RetryableError)
    def storage_error(exc: RetryableError) -> Response[str]:
        logger.exception("storage error")
        return _problem(503, "Service Unavailable", "the archive could not be reached; try again")

    @app.exception_handler(PermanentError)
    def unreadable(exc: PermanentError) -> Response[str]:
        return _problem(422, _ERRORS[422], exc.message)

    @app.exception_handler(ReportTrackerError)
    def service_error(exc: ReportTrackerError) -> Response[str]:
        return _problem(400, _ERRORS[400], exc.message)

    @app.exception_handler(Exception)
    def crash(exc: Exception) -> Response[str]:
        logger.exception("unhandled error")
        return _problem(500, _ERRORS[500], "an unexpected error; it is logged with the request id")

    @app.not_found
    def no_route(exc: Exception) -> Response[str]:
        path = app.current_event.path
        allowed = app.allowed_methods(path)
        if allowed:
            response = _problem(405, _ERRORS[405], f"{path} answers {', '.join(allowed)}")
            response.headers["Allow"] = ", ".join(allowed)
            return response
        return _problem(404, _ERRORS[404], f"no route for {path}")

    @app.get("/", include_in_schema=False)
    def viewer() -> Response[str]:
        return Response(
            status_code=200,
            content_type="text/html; charset=utf-8",
            body=_static("index.html"),
            headers=VIEWER_HEADERS,
        )

    @app.get("/static/<name>", include_in_schema=False)
    def static(name: str) -> Response[str]:
        kind = {"js": "text/javascript; charset=utf-8", "css": "text/css; charset=utf-8"}.get(
            name.rsplit(".", 1)[-1]
        )
        if kind is None or name not in _STATIC_FILES:
            raise NotFound(f"no static file {name}")
        return Response(status_code=200, content_type=kind, body=_static(name), headers=VIEWER_HEADERS)

    @app.get("/health", summary="Liveness and versions")
    def health() -> Health:
        return Health(version=__version__, parser_version=PARSER_VERSION)

    @app.get("/openapi.json", include_in_schema=False)
    def openapi() -> Response[str]:
        return Response(
            status_code=200, content_type="application/json", body=app.get_openapi_json_schema(**API_INFO)
        )

    @app.get(
        "/entities",
        summary="Entities (townships, districts, ...) with archived reports",
        responses=_responses(EntityPage, 400, 422),
    )
    def list_entities(
        limit: Annotated[int, Query(ge=1, le=200)] = 50,
        cursor: Annotated[str | None, Query(max_length=2000)] = None,
        q: Annotated[str | None, Query(max_length=100, description="Part of the name or region")] = None,
        region: Annotated[str | None, Query(max_length=100)] = None,
    ) -> EntityPage:
        return catalog().entities(limit, cursor, q or None, region or None)

    @app.get(
        "/entities/<entity>",
        summary="Years, document types, version counts, latest status",
        responses=_responses(EntityDetail, 400, 404),
    )
    def get_entity(entity: EntityName) -> EntityDetail:
        return catalog().entity(_entity(entity))

    @app.get(
        "/entities/<entity>/reports",
        summary="Reports of one entity, by review year",
        responses=_responses(ReportList, 400, 404),
    )
    def list_reports(entity: EntityName) -> ReportList:
        return catalog().reports(_entity(entity))

    @app.get(
        "/entities/<entity>/reports/<year>",
        summary="The reading of a report: metadata, sections, items, figures (addressed by review year)",
        responses=_responses(ReportReading, 400, 404, 422),
    )
    def get_report(
        entity: EntityName,
        year: Annotated[int, Path(ge=1949, le=2100)],
        doc_type: Annotated[DocType | None, Query()] = None,
    ) -> ReportReading:
        return catalog().reading(_entity(entity), year, doc_type)

    @app.get(
        "/entities/<entity>/reports/<year>/versions",
        summary="Every archived version of a report",
        responses=_responses(VersionList, 400, 404, 422),
    )
    def list_versions(
        entity: EntityName,
        year: Annotated[int, Path(ge=1949, le=2100)],
        doc_type: Annotated[DocType | None, Query()] = None,
    ) -> VersionList:
        return catalog().versions(_entity(entity), year, doc_type)

    @app.get(
        "/entities/<entity>/reports/<year>/versions/<number>",
        summary="The reading of one version, with the raw object it came from",
        responses=_responses(ReportReading, 400, 404, 422),
    )
    def get_version(
        entity: EntityName,
        year: Annotated[int, Path(ge=1949, le=2100)],
        number: Annotated[int, Path(ge=1, le=1_000_000)],
        doc_type: Annotated[DocType | None, Query()] = None,
    ) -> ReportReading:
        return catalog().reading(_entity(entity), year, doc_type, number)

    @app.get(
        "/entities/<entity>/reports/<year>/diff",
        summary="What changed between two versions (any two, not just neighbours)",
        description="JSON by default; format=html gives an escaped inline rendering with <ins>/<del>.",
        responses={
            200: {
                "description": "The diff as JSON, or as an HTML page with format=html",
                "content": {
                    "application/json": {"model": VersionDiff},
                    "text/html": {"schema": {"type": "string"}},
                },
            },
            **_problems(400, 404, 422),
        },
    )
    def get_diff(
        entity: EntityName,
        year: Annotated[int, Path(ge=1949, le=2100)],
        start: Annotated[int, Query(alias="from", ge=1, le=1_000_000)] = 1,
        end: Annotated[int | None, Query(alias="to", ge=1, le=1_000_000)] = None,
        doc_type: Annotated[DocType | None, Query()] = None,
        format: Annotated[Literal["json", "html"], Query()] = "json",
    ) -> Response[str]:
        diff = catalog().diff(_entity(entity), year, doc_type, start, end)
        if format == "html":
            from report_tracker.archive.diff import render_html  # noqa: PLC0415

            page = f"<!DOCTYPE html><meta charset='utf-8'><title>diff</title>{DIFF_STYLE}{render_html(diff)}"
            return Response(
                status_code=200, content_type="text/html; charset=utf-8", body=page, headers=PAGE_HEADERS
            )
        return Response(status_code=200, content_type="application/json", body=model_json(diff))

    @app.get(
        "/entities/<entity>/yoy",
        summary="Promises kept? The commitments made for year P checked against the report on P",
        description="format=csv gives one row per commitment; format=html a readable page.",
        responses={
            200: {
                "description": "The comparison",
                "content": {
                    "application/json": {"model": Comparison},
                    "text/csv": {"schema": {"type": "string"}},
                    "text/html": {"schema": {"type": "string"}},
                },
            },
            **_problems(400, 404, 422),
        },
    )
    def get_yoy(
        entity: EntityName,
        year: Annotated[
            int, Query(ge=1949, le=2100, description="P: the year the commitments were made for")
        ],
        format: Annotated[Literal["json", "csv", "html"], Query()] = "json",
    ) -> Response[str]:
        result = yoy().comparison(_entity(entity), year)
        if format == "csv":
            name = f"{result.entity}-{year}-yoy.csv"
            disposition = f"attachment; filename=\"yoy-{year}.csv\"; filename*=UTF-8''{quote(name)}"
            return Response(
                status_code=200,
                content_type="text/csv; charset=utf-8",
                body=comparison_csv(result),
                headers={"Content-Disposition": disposition},
            )
        if format == "html":
            return Response(
                status_code=200,
                content_type="text/html; charset=utf-8",
                body=comparison_html(result),
                headers=PAGE_HEADERS,
            )
        return Response(status_code=200, content_type="application/json", body=model_json(result))

    @app.get(
        "/entities/<entity>/timeline",
        summary="All years: commitments per year with statuses, recurring problems, figure series",
        responses=_responses(Timeline, 400, 404, 422),
    )
    def get_timeline(entity: EntityName) -> Timeline:
        return yoy().timeline(_entity(entity))

    @app.put(
        "/uploads/<upload_id>/metadata",
        summary="Complete a needs_metadata upload or confirm an identity_conflict one: it is queued to be read",
        description="Answers 202 at once; ingest reads and files the upload. Follow status_url for the outcome.",
        responses={
            202: {"description": "Queued", "content": {"application/json": {"model": UploadOutcome}}},
            **_problems(400, 404, 409, 413, 422),
        },
    )
    def put_metadata(
        upload_id: Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")], body: MetadataIn
    ) -> Response[str]:
        hints = UploadHints(
            entity=body.entity,
            year=body.year,
            region=body.region,
            doc_type=body.doc_type,
            confirmed=body.confirm,
        )
        outcome = completions().request(upload_id, hints)
        headers = {"Location": outcome.status_url} if outcome.status_url else None
        return Response(
            status_code=202, content_type="application/json", body=model_json(outcome), headers=headers
        )

    @app.get(
        "/uploads",
        summary="Uploads by status: what went wrong with which upload and why",
        responses=_responses(UploadPage, 400, 422),
    )
    def list_uploads(
        status: Annotated[
            UploadStatus | None, Query(description="Default failed; with key, filters that key's uploads.")
        ] = None,
        key: Annotated[
            str | None,
            Query(max_length=1100, description="The raw object key (status_url of POST /uploads)."),
        ] = None,
        limit: Annotated[int, Query(ge=1, le=200)] = 50,
        cursor: Annotated[str | None, Query(max_length=2000)] = None,
    ) -> UploadPage:
        if key:
            return catalog().uploads_for_key(key, status)
        return catalog().uploads(status or UploadStatus.FAILED, limit, cursor)

    @app.post(
        "/uploads",
        summary="A presigned S3 PUT URL for one report file; the metadata given travels with the object",
        description=(
            "PUT the file to upload_url with exactly the headers returned (they are signed, Content-Length "
            "included). Ingest then reads it like any upload; poll status_url to see the outcome."
        ),
        responses={
            201: {"description": "Upload ticket", "content": {"application/json": {"model": UploadTicket}}},
            **_problems(400, 413, 422),
        },
    )
    def create_upload(body: UploadRequest) -> Response[str]:
        ticket = upload_desk().ticket(body)
        return Response(status_code=201, content_type="application/json", body=model_json(ticket))

    @app.get(
        "/search",
        summary="Full-text search over the latest reading of every report (Chinese needs no spaces)",
        description=(
            "Terms separated by spaces must all occur. Items are reports, most hits first, each with up "
            "to three snippets and the offsets of the terms inside them."
        ),
        responses=_responses(SearchPage, 400, 422),
    )
    def search(
        q: Annotated[str, Query(min_length=1, max_length=200)],
        entity: Annotated[str | None, Query(max_length=100)] = None,
        year: Annotated[int | None, Query(ge=1949, le=2100, description="Review year")] = None,
        limit: Annotated[int, Query(ge=1, le=100)] = 20,
        cursor: Annotated[str | None, Query(max_length=2000)] = None,
    ) -> SearchPage:
        from report_tracker.services.search import SearchService  # noqa: PLC0415

        store = catalog()
        return SearchService(store.table, store.archive).search(
            q, limit, cursor, _name(entity) if entity else None, year
        )

    @app.get(
        "/years/<year>/templates",
        summary="Text shared across entities' reports of one review year (county templates)",
        description=(
            "Every report of the year and document type, most shared first, with the entities it shares "
            "most with. With entity=, also the copied passages it shares with each of them."
        ),
        responses=_responses(TemplateReport, 400, 404, 422),
    )
    def get_templates(
        year: Annotated[int, Path(ge=1949, le=2100, description="Review year")],
        doc_type: Annotated[
            DocType | None, Query(description="Default: the entity's, else the most common")
        ] = None,
        entity: Annotated[str | None, Query(max_length=MAX_PARAM_CHARS)] = None,
    ) -> TemplateReport:
        from report_tracker.services.templates import TemplateService  # noqa: PLC0415

        store = catalog()
        return TemplateService(store.table, store.archive).year(
            year, doc_type, _name(entity) if entity else None
        )

    @app.get(
        "/entities/<entity>/reports/<year>/export",
        summary="Download a report's reading: json (everything), csv (one row per item) or md",
        responses={
            200: {
                "description": "The reading as an attachment",
                "content": {
                    "application/json": {"model": ReportReading},
                    "text/csv": {"schema": {"type": "string"}},
                    "text/markdown": {"schema": {"type": "string"}},
                },
            },
            **_problems(400, 404, 422),
        },
    )
    def export(
        entity: EntityName,
        year: Annotated[int, Path(ge=1949, le=2100)],
        format: Annotated[Literal["json", "csv", "md"], Query()] = "json",
        doc_type: Annotated[DocType | None, Query()] = None,
        version: Annotated[int | None, Query(ge=1, le=1_000_000)] = None,
    ) -> Response[str]:
        reading = catalog().reading(_entity(entity), year, doc_type, version)
        if format == "csv":
            body, kind = reading_csv(reading), "text/csv; charset=utf-8"
        elif format == "md":
            body, kind = reading_markdown(reading), "text/markdown; charset=utf-8"
        else:
            body, kind = model_json(reading), "application/json"
        name = f"{reading.entity}-{year}-{reading.doc_type.value}-v{reading.version}.{format}"
        disposition = f"attachment; filename=\"report-{year}-v{reading.version}.{format}\"; filename*=UTF-8''{quote(name)}"
        return Response(
            status_code=200, content_type=kind, body=body, headers={"Content-Disposition": disposition}
        )

    return app


@lru_cache(maxsize=1)
def _problem_schema() -> dict[str, Any]:
    # Generated once: every route documents its problems, and generating a JSON schema per route
    # was a sixth of the API's cold start.
    return Problem.model_json_schema()


def _problems(*codes: int) -> dict[int, OpenAPIResponse]:
    schema = _problem_schema()
    return {c: {"description": _ERRORS[c], "content": {PROBLEM_JSON: {"schema": schema}}} for c in codes}


def _responses(model: type[BaseModel], *codes: int) -> dict[int, OpenAPIResponse]:
    """The success model and the problems a route can answer (Powertools drops its own 200 here)."""
    ok: OpenAPIResponse = {"description": "OK", "content": {"application/json": {"model": model}}}
    return {200: ok, **_problems(*codes)}


def model_json(model: BaseModel) -> str:
    return _dumps(model.model_dump(mode="json"))
