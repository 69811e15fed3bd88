"""The viewer: its page and static assets, served without credentials (the data calls need them)."""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from report_tracker.api.http import new_router
from report_tracker.api.services import Services
from report_tracker.errors import NotFound

# Its own script and stylesheet only, talking to this API only.
VIEWER_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-cache",
}
_KINDS = {
    "js": "text/javascript; charset=utf-8",
    "css": "text/css; charset=utf-8",
    "json": "application/json",
}


@lru_cache(maxsize=16)
def static_text(name: str) -> str | None:
    path = files("report_tracker.api") / "static" / name
    return path.read_text(encoding="utf-8") if "/" not in name and path.is_file() else None


def router(services: Services) -> Router:
    routes = new_router()

    @routes.get("/", include_in_schema=False)
    def viewer() -> Response[str]:
        return Response(
            status_code=200,
            content_type="text/html; charset=utf-8",
            body=static_text("index.html") or "",
            headers=VIEWER_HEADERS,
        )

    @routes.get("/static/<name>", include_in_schema=False)
    def static(name: str) -> Response[str]:
        kind = _KINDS.get(name.rsplit(".", 1)[-1])
        body = static_text(name) if kind else None
        if kind is None or body is None:
            raise NotFound(f"no static file {name}")
        return Response(status_code=200, content_type=kind, body=body, headers=VIEWER_HEADERS)

    return routes
