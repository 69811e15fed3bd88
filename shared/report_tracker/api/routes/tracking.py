"""Year over year: commitments checked against the next report, and an entity's whole timeline."""

from __future__ import annotations

from typing import Annotated, Literal

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query

from report_tracker.api.http import (
    PAGE_HEADERS,
    EntityName,
    LangQuery,
    csv_response,
    entity_name,
    json_response,
    new_router,
    problems,
)
from report_tracker.api.render import comparison_csv, comparison_html, timeline_csv
from report_tracker.api.services import Services
from report_tracker.models.tracking import Comparison, Timeline


def router(services: Services) -> Router:
    routes = new_router()

    @routes.get(
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
            **problems(400, 404, 422),
        },
    )
    def get_yoy(
        entity: EntityName,
        year: Annotated[
            int, Query(ge=1949, le=2100, description="P: the year the commitments were made for")
        ],
        format: Annotated[Literal["json", "csv", "html"], Query()] = "json",
        lang: LangQuery = "zh",
    ) -> Response[str]:
        result = services.yoy().comparison(entity_name(entity), year)
        if format == "csv":
            return csv_response(
                comparison_csv(result, lang), f"yoy-{year}.csv", f"{result.entity}-{year}-yoy.csv"
            )
        if format == "html":
            return Response(
                status_code=200,
                content_type="text/html; charset=utf-8",
                body=comparison_html(result, lang),
                headers=PAGE_HEADERS,
            )
        return json_response(result)

    @routes.get(
        "/entities/<entity>/timeline",
        summary="All years: commitments per year with statuses, recurring problems, figure series",
        description="format=csv gives one row per figure series point and per problem run.",
        responses={
            200: {
                "description": "The timeline",
                "content": {
                    "application/json": {"model": Timeline},
                    "text/csv": {"schema": {"type": "string"}},
                },
            },
            **problems(400, 404, 422),
        },
    )
    def get_timeline(
        entity: EntityName,
        format: Annotated[Literal["json", "csv"], Query()] = "json",
        lang: LangQuery = "zh",
    ) -> Response[str]:
        result = services.yoy().timeline(entity_name(entity))
        if format == "csv":
            return csv_response(timeline_csv(result, lang), "timeline.csv", f"{result.entity}-timeline.csv")
        return json_response(result)

    return routes
