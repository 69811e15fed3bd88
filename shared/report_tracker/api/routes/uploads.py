"""Uploads: presigned PUTs, what happened to each upload, completing the ones that need metadata."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Path, Query

from report_tracker.api.http import Cursor, Limit, json_response, new_router, problems, responses
from report_tracker.api.services import Services
from report_tracker.models.api import MetadataIn, UploadOutcome, UploadPage, UploadRequest, UploadTicket
from report_tracker.models.archive import UploadStatus
from report_tracker.models.report import UploadHints


def router(services: Services) -> Router:
    routes = new_router()

    @routes.put(
        "/uploads/<upload_id>/metadata",
        summary="Complete a needs_metadata upload or confirm an identity_conflict one: it is queued to be read",
        description="Answers 202 at once; ingest reads and files the upload. Follow status_url for the outcome.",
        responses={
            202: {"description": "Queued", "content": {"application/json": {"model": UploadOutcome}}},
            **problems(400, 404, 409, 413, 422),
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
        outcome = services.completions().request(upload_id, hints)
        headers = {"Location": outcome.status_url} if outcome.status_url else None
        return json_response(outcome, 202, headers)

    @routes.get(
        "/uploads",
        summary="Uploads by status: what went wrong with which upload and why",
        responses=responses(UploadPage, 400, 422),
    )
    def list_uploads(
        status: Annotated[
            UploadStatus | None, Query(description="Default failed; with key, filters that key's uploads.")
        ] = None,
        key: Annotated[
            str | None,
            Query(max_length=1100, description="The raw object key (status_url of POST /uploads)."),
        ] = None,
        limit: Limit = 50,
        cursor: Cursor = None,
    ) -> UploadPage:
        if key:
            return services.catalog().uploads_for_key(key, status)
        return services.catalog().uploads(status or UploadStatus.FAILED, limit, cursor)

    @routes.post(
        "/uploads",
        summary="A presigned S3 PUT URL for one report file; the metadata given travels with the object",
        description=(
            "PUT the file to upload_url with exactly the headers returned (they are signed, Content-Length "
            "included). Ingest then reads it like any upload; poll status_url to see the outcome."
        ),
        responses={
            201: {"description": "Upload ticket", "content": {"application/json": {"model": UploadTicket}}},
            **problems(400, 413, 422),
        },
    )
    def create_upload(body: UploadRequest) -> Response[str]:
        return json_response(services.uploads().ticket(body), 201)

    return routes
