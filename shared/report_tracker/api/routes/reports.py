"""Entities, their reports, versions and diffs."""

from __future__ import annotations

from typing import Annotated, Literal

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query

from report_tracker.api.http import (
    PAGE_HEADERS,
    Cursor,
    DocTypeQuery,
    EntityName,
    Limit,
    VersionNumber,
    Year,
    entity_name,
    json_response,
    new_router,
    problems,
    responses,
)
from report_tracker.api.services import Services
from report_tracker.models.api import EntityDetail, EntityPage, ReportList, ReportReading, VersionList
from report_tracker.models.diff import VersionDiff

DIFF_STYLE = (
    "<style>body{font-family:'Noto Sans CJK SC','PingFang SC','Microsoft YaHei',sans-serif;line-height:1.8;"
    "max-width:60em;margin:1em auto;padding:0 1em}ins{background:#d4f8d4;text-decoration:none}"
    "del{background:#fbd0d0}.moved{background:#e0e8ff}</style>"
)


def router(services: Services) -> Router:
    routes = new_router()

    @routes.get(
        "/entities",
        summary="Entities (townships, districts, ...) with archived reports",
        responses=responses(EntityPage, 400, 422),
    )
    def list_entities(
        limit: Limit = 50,
        cursor: Cursor = None,
        q: Annotated[str | None, Query(max_length=100, description="Part of the name or region")] = None,
        region: Annotated[str | None, Query(max_length=100)] = None,
    ) -> EntityPage:
        return services.catalog().entities(limit, cursor, q or None, region or None)

    @routes.get(
        "/entities/<entity>",
        summary="Years, document types, version counts, latest status",
        responses=responses(EntityDetail, 400, 404),
    )
    def get_entity(entity: EntityName) -> EntityDetail:
        return services.catalog().entity(entity_name(entity))

    @routes.get(
        "/entities/<entity>/reports",
        summary="Reports of one entity, by review year",
        responses=responses(ReportList, 400, 404),
    )
    def list_reports(entity: EntityName) -> ReportList:
        return services.catalog().reports(entity_name(entity))

    @routes.get(
        "/entities/<entity>/reports/<year>",
        summary="The reading of a report: metadata, sections, items, figures (addressed by review year)",
        responses=responses(ReportReading, 400, 404, 422),
    )
    def get_report(entity: EntityName, year: Year, doc_type: DocTypeQuery = None) -> ReportReading:
        return services.catalog().reading(entity_name(entity), year, doc_type)

    @routes.get(
        "/entities/<entity>/reports/<year>/versions",
        summary="Every archived version of a report",
        responses=responses(VersionList, 400, 404, 422),
    )
    def list_versions(entity: EntityName, year: Year, doc_type: DocTypeQuery = None) -> VersionList:
        return services.catalog().versions(entity_name(entity), year, doc_type)

    @routes.get(
        "/entities/<entity>/reports/<year>/versions/<number>",
        summary="The reading of one version, with the raw object it came from",
        responses=responses(ReportReading, 400, 404, 422),
    )
    def get_version(
        entity: EntityName, year: Year, number: VersionNumber, doc_type: DocTypeQuery = None
    ) -> ReportReading:
        return services.catalog().reading(entity_name(entity), year, doc_type, number)

    @routes.get(
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
            **problems(400, 404, 422),
        },
    )
    def get_diff(
        entity: EntityName,
        year: Year,
        start: Annotated[int, Query(alias="from", ge=1, le=1_000_000)] = 1,
        end: Annotated[int | None, Query(alias="to", ge=1, le=1_000_000)] = None,
        doc_type: DocTypeQuery = None,
        format: Annotated[Literal["json", "html"], Query()] = "json",
    ) -> Response[str]:
        diff = services.catalog().diff(entity_name(entity), year, doc_type, start, end)
        if format == "html":
            from report_tracker.archive.diff import render_html  # noqa: PLC0415

            page = f"<!DOCTYPE html><meta charset='utf-8'><title>diff</title>{DIFF_STYLE}{render_html(diff)}"
            return Response(
                status_code=200, content_type="text/html; charset=utf-8", body=page, headers=PAGE_HEADERS
            )
        return json_response(diff)

    return routes
