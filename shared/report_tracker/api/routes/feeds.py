"""Atom feeds of new reports and new versions, for a feed reader: all entities, or one."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse

from report_tracker.api.http import EntityName, entity_name, new_router, problems
from report_tracker.api.services import Services

ATOM = "application/atom+xml; charset=utf-8"
_ATOM_RESPONSE: OpenAPIResponse = {
    "description": "An Atom 1.0 feed",
    "content": {"application/atom+xml": {"schema": {"type": "string"}}},
}


def router(services: Services) -> Router:
    routes = new_router()

    def base() -> str:
        """The API's own address as the client reached it (links in a feed must be absolute)."""
        event = routes.current_event
        host = event.headers.get("host") or "localhost"
        scheme = event.headers.get("x-forwarded-proto") or (
            "http" if host.startswith("127.0.0.1") else "https"
        )
        return f"{scheme}://{host}/"

    def answer(body: bytes) -> Response[str]:
        return Response(status_code=200, content_type=ATOM, body=body.decode("utf-8"))

    @routes.get(
        "/feed",
        summary="Atom feed of new reports and new versions, all entities",
        responses={200: _ATOM_RESPONSE},
    )
    def feed() -> Response[str]:
        from report_tracker.services.feeds import atom, recent  # noqa: PLC0415

        root = base()
        entries = recent(services.catalog())
        return answer(
            atom(entries, title="report-tracker：新报告与新版本", self_url=root + "feed", viewer_url=root)
        )

    @routes.get(
        "/entities/<entity>/feed",
        summary="Atom feed of one entity's new reports and new versions",
        responses={200: _ATOM_RESPONSE, **problems(400, 404)},
    )
    def entity_feed(entity: EntityName) -> Response[str]:
        from report_tracker.services.feeds import atom, of_entity  # noqa: PLC0415

        name = entity_name(entity)
        root = base()
        entries = of_entity(services.catalog(), name)
        return answer(
            atom(
                entries,
                title=f"{name}：新报告与新版本",
                self_url=f"{root}entities/{entity}/feed",
                viewer_url=root,
            )
        )

    return routes
