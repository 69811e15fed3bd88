"""What every route module shares: problem answers, response documentation, parameter types.

The parameter types (entity, year, document type, version) are declared here once, so every
route that takes one validates and documents it the same way.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache, partial
from typing import Annotated, Any, Literal
from urllib.parse import quote, unquote

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from pydantic import BaseModel

from report_tracker.errors import InvalidRequest
from report_tracker.models.api import Problem
from report_tracker.models.report import DocType

PROBLEM_JSON = "application/problem+json"
# Pages carry report text: no scripts from anywhere, no sniffing, no framing.
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}
MAX_PARAM_CHARS = 200
TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    422: "Unprocessable Content",
    500: "Internal Server Error",
    503: "Service Unavailable",
}
dumps = partial(json.dumps, ensure_ascii=False, separators=(",", ":"), default=str)


def problem(status: int, detail: str | None = None, title: str | None = None) -> Response[str]:
    body = Problem(title=title or TITLES[status], status=status, detail=detail).model_dump_json(
        exclude_none=True
    )
    return Response(status_code=status, content_type=PROBLEM_JSON, body=body)


def model_json(model: BaseModel) -> str:
    return dumps(model.model_dump(mode="json"))


def json_response(
    model: BaseModel, status: int = 200, headers: dict[str, str] | None = None
) -> Response[str]:
    return Response(
        status_code=status, content_type="application/json", body=model_json(model), headers=headers
    )


def attachment(ascii_name: str, name: str) -> dict[str, str]:
    """A download header every browser names right: an ASCII fallback and the UTF-8 name."""
    return {"Content-Disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"}


def csv_response(body: str, ascii_name: str, name: str) -> Response[str]:
    """A CSV download (the body carries its byte-order mark: see api.render)."""
    return Response(
        status_code=200,
        content_type="text/csv; charset=utf-8",
        body=body,
        headers=attachment(ascii_name, name),
    )


# Checked on the decoded name by entity_name (400): the resolver only sees the percent-encoded form.
ENTITY_PATTERN = rf"^(?=.*[^\s\x85])[^\x00-\x1f/\\]{{1,{MAX_PARAM_CHARS}}}$"
_ENTITY_RE = re.compile(ENTITY_PATTERN)

EntityName = Annotated[
    str,
    Path(
        description="The entity's name, e.g. 青石镇 (percent-encoded in the URL).",
        json_schema_extra={"pattern": ENTITY_PATTERN, "maxLength": MAX_PARAM_CHARS},
    ),
]
Year = Annotated[int, Path(ge=1949, le=2100)]
ReviewYear = Annotated[int, Path(ge=1949, le=2100, description="Review year")]
VersionNumber = Annotated[int, Path(ge=1, le=1_000_000)]
DocTypeQuery = Annotated[DocType | None, Query()]
LangQuery = Annotated[Literal["zh", "en"], Query(description="Language of the words in a download or page")]
VersionQuery = Annotated[int | None, Query(ge=1, le=1_000_000)]
Limit = Annotated[int, Query(ge=1, le=200)]
Cursor = Annotated[str | None, Query(max_length=2000)]
EntityFilter = Annotated[str | None, Query(max_length=MAX_PARAM_CHARS)]


def checked_name(value: str) -> str:
    if not _ENTITY_RE.fullmatch(value):
        raise InvalidRequest("the entity name is empty, too long or contains control characters or slashes")
    return value


def entity_name(raw: str) -> str:
    """API Gateway hands path parameters over percent-encoded (%E6%88%BF...): decode once."""
    return checked_name(unquote(raw))


def optional_name(value: str | None) -> str | None:
    return checked_name(value) if value else None


@lru_cache(maxsize=1)
def _problem_schema() -> dict[str, Any]:
    # Generated once: every route documents its problems, and generating a JSON schema per route
    # was a sixth of the API's cold start.
    return Problem.model_json_schema()


def problems(*codes: int) -> dict[int, OpenAPIResponse]:
    schema = _problem_schema()
    return {c: {"description": TITLES[c], "content": {PROBLEM_JSON: {"schema": schema}}} for c in codes}


def responses(model: type[BaseModel], *codes: int) -> dict[int, OpenAPIResponse]:
    """The success model and the problems a route can answer (Powertools drops its own 200 here)."""
    ok: OpenAPIResponse = {"description": "OK", "content": {"application/json": {"model": model}}}
    return {200: ok, **problems(*codes)}


def new_router() -> Router:
    return Router()  # type: ignore[no-untyped-call]  # Powertools leaves __init__ unannotated
