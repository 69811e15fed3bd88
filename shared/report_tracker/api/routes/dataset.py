"""The dataset researchers load into pandas, R, DuckDB or Athena: its files and their columns."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query

from report_tracker.api.http import Cursor, Limit, json_response, new_router, responses
from report_tracker.api.services import Services
from report_tracker.dataset.schema import TABLES
from report_tracker.models.api import DatasetPage


def router(services: Services) -> Router:
    routes = new_router()

    @routes.get(
        "/dataset",
        summary="The Parquet dataset: every file with a signed URL, and every table's columns",
        description=(
            "Tables: " + ", ".join(TABLES) + ". Files are partitioned by review_year and level; "
            "`report-tracker dataset DIR --api URL` mirrors them, `report-tracker sql` queries them."
        ),
        responses=responses(DatasetPage, 400, 422),
    )
    def dataset(
        limit: Limit = 200,
        cursor: Cursor = None,
        table: Annotated[str | None, Query(max_length=40)] = None,
    ) -> Response[str]:
        from report_tracker.services.dataset import DatasetService  # noqa: PLC0415

        store = services.catalog()
        return json_response(DatasetService(store.table, store.archive).page(limit, cursor, table))

    return routes
