"""The resolver's gate: what is refused before routing, and what is done to every answer after.

Powertools validates (and parses) a body before any middleware runs, so the checks that must
come first (scope, body size, nesting) live in ``resolve``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
from aws_lambda_powertools.utilities.typing import LambdaContext

from report_tracker.api.access import Scope, Tokens, jwt_scopes, required_scope
from report_tracker.api.http import PROBLEM_JSON, TITLES
from report_tracker.api.labels import label, preferred
from report_tracker.models.api import Problem
from report_tracker.observability import logger

SWAGGER_PATH = "/docs"
MAX_BODY_BYTES = 64 * 1024  # request bodies are small JSON; report files go to S3 directly
MAX_JSON_DEPTH = 20  # our bodies nest 2 levels
# Lambda returns at most 6 MB (6,291,556 bytes) of serialised response; leave room for headers.
MAX_RESPONSE_BYTES = 6_000_000

Park = Callable[[bytes, str, str | None], str]


class GuardedResolver(APIGatewayHttpResolver):
    """An HTTP API resolver that checks scopes and request size first and fits every answer to
    the platform (problem+json for errors, large answers parked in S3)."""

    def __init__(
        self,
        tokens: Tokens,
        park: Park | None = None,
        max_response_bytes: int = MAX_RESPONSE_BYTES,
        api_info: Mapping[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self._tokens = tokens
        self._park = park
        self._max_response_bytes = max_response_bytes
        self._api_info = dict(api_info or {})
        self._swagger_pending = True

    def _swagger_on_first_use(self, event: Mapping[str, Any]) -> None:
        # Enabling the Swagger UI imports Powertools' OpenAPI models (a sixth of a cold start), so
        # the route is registered by the first request for it rather than at every cold start.
        if self._swagger_pending and str(event.get("rawPath") or "").endswith(SWAGGER_PATH):
            self._swagger_pending = False
            self.enable_swagger(path=SWAGGER_PATH, **self._api_info)

    def resolve(self, event: Mapping[str, Any], context: LambdaContext) -> dict[str, Any]:
        self._swagger_on_first_use(event)
        refusal = self._refusal(event)
        result = (
            self._fit(as_problem(super().resolve(event, context))) if refusal is None else _answer(refusal)
        )
        result = _in_language(result, event)
        if self._cors is not None:
            # The answer depends on the Origin header: shared caches must key on it.
            headers = result.setdefault("headers", {})
            headers["Vary"] = f"Origin, {headers['Vary']}" if headers.get("Vary") else "Origin"
        return result

    def route_of(self, method: str, path: str) -> str | None:
        """The route (as registered, ``/entities/<entity>``) that answers ``method path``."""
        for route in [*self._static_routes, *self._dynamic_routes]:
            if route.method == method.upper() and route.rule.match(path):
                return str(route.path)
        return None

    def allowed_methods(self, path: str) -> list[str]:
        """Methods some route answers on ``path`` (for 405 and its Allow header). Powertools keeps
        its routes in these two lists; tests/integration/test_api_routes.py checks they still do."""
        routes = [*self._static_routes, *self._dynamic_routes]
        return sorted({r.method for r in routes if r.rule.match(path)})

    def _granted(self, event: Mapping[str, Any], needed: Scope) -> frozenset[Scope] | None:
        """The caller's scopes; None when a token is wanted (a 401: none, or not one we know)."""
        if self._tokens.enabled:
            headers = {k.lower(): v for k, v in (event.get("headers") or {}).items()}
            known = self._tokens.granted(headers.get("authorization"))
            if known is None and needed in self._tokens.anonymous:
                return self._tokens.anonymous
            return known
        from_jwt = jwt_scopes(event.get("requestContext") or {})
        # No local tokens and no JWT: IAM (API Gateway authorized the call) or an open local server.
        return frozenset(Scope) if from_jwt is None else from_jwt

    def _refusal(self, event: Mapping[str, Any]) -> Problem | None:
        http = (event.get("requestContext") or {}).get("http") or {}
        method = str(http.get("method") or "GET")
        path = str(event.get("rawPath") or http.get("path") or "/")
        needed = required_scope(method, self.route_of(method, path))
        if needed is not Scope.PUBLIC:
            granted = self._granted(event, needed)
            if granted is None:
                return Problem(
                    title=TITLES[401],
                    status=401,
                    detail="send Authorization: Bearer <token> (printed by `report-tracker serve`)",
                )
            if needed not in granted:
                return Problem(
                    title=TITLES[403], status=403, detail=f"this route needs the {needed.value} scope"
                )
        body = str(event.get("body") or "")
        size = body_bytes(body, bool(event.get("isBase64Encoded")))
        if size > MAX_BODY_BYTES:
            return Problem(
                title=TITLES[413],
                status=413,
                detail=f"request bodies are limited to {MAX_BODY_BYTES} bytes ({size} sent); upload files to S3",
            )
        if body and not event.get("isBase64Encoded") and json_depth(body) > MAX_JSON_DEPTH:
            return Problem(
                title=TITLES[400],
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
            return _answer(
                Problem(
                    title=TITLES[413],
                    status=413,
                    detail="the answer is larger than the API can return; ask for an export in pages",
                )
            )
        kind = next((v for k, v in headers.items() if k.lower() == "content-type"), "application/json")
        disposition = next((v for k, v in headers.items() if k.lower() == "content-disposition"), None)
        encoded = body.encode("utf-8")
        url = self._park(encoded, kind, disposition)
        logger.info("large answer parked in S3", extra={"bytes": len(encoded)})
        answer = _answer(
            Problem(
                title="See Other",
                status=303,
                detail="the answer is large: fetch it from Location (valid 5 minutes)",
            )
        )
        answer["headers"].update({"Location": url, "Cache-Control": "no-store"})
        return answer


def _in_language(result: dict[str, Any], event: Mapping[str, Any]) -> dict[str, Any]:
    """A problem's title in the language the client asks for (Accept-Language); the detail
    stays as written, in English, so a log and a bug report quote the same words."""
    headers = result.get("headers") or {}
    kind = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
    if not str(kind).startswith(PROBLEM_JSON):
        return result
    asked = {k.lower(): v for k, v in (event.get("headers") or {}).items()}.get("accept-language")
    lang = preferred(asked)
    if lang is None:
        return result
    body = json.loads(result.get("body") or "{}")
    body["title"] = label(lang, "problem_title", str(body.get("title", "")))
    result["body"] = json.dumps(body, ensure_ascii=False)
    headers["Content-Language"] = lang
    vary = headers.get("Vary")
    headers["Vary"] = f"{vary}, Accept-Language" if vary else "Accept-Language"
    result["headers"] = headers
    return result


def _answer(problem: Problem) -> dict[str, Any]:
    return {
        "statusCode": problem.status,
        "headers": {"Content-Type": PROBLEM_JSON},
        "body": problem.model_dump_json(exclude_none=True),
        "isBase64Encoded": False,
    }


def body_bytes(body: str, base64_encoded: bool) -> int:
    """The size in bytes of what the client sent (API Gateway may hand it over as base64)."""
    if base64_encoded:
        return len(body) * 3 // 4 - body[-2:].count("=")
    return len(body.encode("utf-8", "surrogatepass"))


def json_depth(text: str) -> int:
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


def as_problem(result: dict[str, Any]) -> dict[str, Any]:
    """Every error answer as problem+json, whichever layer produced it (Powertools' own 415/500)."""
    status = int(result.get("statusCode", 200))
    headers = result.setdefault("headers", {})
    kind = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
    if status < 400 or kind.startswith(PROBLEM_JSON):
        return result
    for k in [k for k in headers if k.lower() == "content-type"]:
        del headers[k]
    headers["Content-Type"] = PROBLEM_JSON
    title = TITLES.get(status, "Internal Server Error" if status >= 500 else "Bad Request")
    result["body"] = Problem(title=title, status=status, detail=None).model_dump_json(exclude_none=True)
    result["isBase64Encoded"] = False
    return result
