"""Full-text search, the text shared across one year's reports (county templates), and one report's
recycled passages."""

from __future__ import annotations

from typing import Annotated, Literal

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query

from report_tracker.api.http import (
    Cursor,
    DocTypeQuery,
    EntityFilter,
    EntityName,
    LangQuery,
    ReviewYear,
    Year,
    csv_response,
    entity_name,
    json_response,
    new_router,
    optional_name,
    problems,
    responses,
)
from report_tracker.api.render import search_csv
from report_tracker.api.services import Services
from report_tracker.models.api import SearchPage
from report_tracker.models.report import DocType
from report_tracker.models.tracking import RecycledText, TemplateReport


def router(services: Services) -> Router:
    routes = new_router()

    @routes.get(
        "/search",
        summary="Full-text search over the latest reading of every report (Chinese needs no spaces)",
        description=(
            "Terms separated by spaces must all occur. Items are reports, most hits first, each with up "
            "to three snippets and the offsets of the terms inside them."
        ),
        responses={
            200: {
                "description": "The reports found (format=csv: one row per snippet)",
                "content": {
                    "application/json": {"model": SearchPage},
                    "text/csv": {"schema": {"type": "string"}},
                },
            },
            **problems(400, 422),
        },
    )
    def search(
        q: Annotated[str, Query(min_length=1, max_length=200)],
        entity: Annotated[str | None, Query(max_length=100)] = None,
        year: Annotated[int | None, Query(ge=1949, le=2100, description="Review year")] = None,
        limit: Annotated[int, Query(ge=1, le=100)] = 20,
        cursor: Cursor = None,
        format: Annotated[Literal["json", "csv"], Query()] = "json",
        lang: LangQuery = "zh",
    ) -> Response[str]:
        page = services.search().search(q, limit, cursor, optional_name(entity), year)
        if format == "csv":
            return csv_response(search_csv(page, lang), "search.csv", f"search-{q[:40]}.csv")
        return json_response(page)

    @routes.get(
        "/years/<year>/templates",
        summary="Text shared across entities' reports of one review year (county templates)",
        description=(
            "Every report of the year and document type, most shared first, with the entities it shares "
            "most with. With entity=, also the copied passages it shares with each of them."
        ),
        responses=responses(TemplateReport, 400, 404, 422),
    )
    def get_templates(
        year: ReviewYear,
        doc_type: Annotated[
            DocType | None, Query(description="Default: the entity's, else the most common")
        ] = None,
        entity: EntityFilter = None,
    ) -> TemplateReport:
        return services.templates().year(year, doc_type, optional_name(entity))

    @routes.get(
        "/entities/<entity>/reports/<year>/recycled",
        summary="Other entities' reports of the same year sharing this report's passages",
        description=(
            "Candidates are found by the near-duplicate signatures kept in the search index (MinHash "
            "bands of every passage, figures and own names masked); the best ten are confirmed on their "
            "texts and given with the copied passages, offsets in this report."
        ),
        responses=responses(RecycledText, 400, 404, 422),
    )
    def get_recycled(entity: EntityName, year: Year, doc_type: DocTypeQuery = None) -> RecycledText:
        return services.recycled().report(entity_name(entity), year, doc_type)

    return routes
