"""Downloads of a report's reading (the comparison and timeline exports live with their routes)."""

from __future__ import annotations

from typing import Annotated, Literal

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query

from report_tracker.api.http import (
    DocTypeQuery,
    EntityName,
    LangQuery,
    VersionQuery,
    Year,
    attachment,
    entity_name,
    model_json,
    new_router,
    problems,
)
from report_tracker.api.render import reading_csv, reading_markdown
from report_tracker.api.services import Services
from report_tracker.models.api import ReportReading


def router(services: Services) -> Router:
    routes = new_router()

    @routes.get(
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
            **problems(400, 404, 422),
        },
    )
    def export(
        entity: EntityName,
        year: Year,
        format: Annotated[Literal["json", "csv", "md"], Query()] = "json",
        doc_type: DocTypeQuery = None,
        version: VersionQuery = None,
        lang: LangQuery = "zh",
    ) -> Response[str]:
        reading = services.catalog().reading(entity_name(entity), year, doc_type, version)
        if format == "csv":
            body, kind = reading_csv(reading, lang), "text/csv; charset=utf-8"
        elif format == "md":
            body, kind = reading_markdown(reading, lang), "text/markdown; charset=utf-8"
        else:
            body, kind = model_json(reading), "application/json"
        name = f"{reading.entity}-{year}-{reading.doc_type.value}-v{reading.version}.{format}"
        headers = attachment(f"report-{year}-v{reading.version}.{format}", name)
        return Response(status_code=200, content_type=kind, body=body, headers=headers)

    return routes
