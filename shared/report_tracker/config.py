"""Settings of each function, validated once from the environment.

Logic never reads ``os.environ``: handlers build these models and pass what is needed.
"""

from __future__ import annotations

import os
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator


class StoreSettings(BaseModel):
    model_config = ConfigDict(frozen=True)

    raw_bucket: str = Field(min_length=3)
    archive_bucket: str = Field(min_length=3)
    table_name: str = Field(min_length=3)
    ingest_queue_url: str | None = None
    endpoint_url: str | None = Field(default=None, description="Set only for the embedded local stack.")
    region: str = "us-east-1"
    # Ingest refuses larger objects; the API refuses to sign uploads of larger files.
    max_upload_bytes: int = Field(default=20 * 1024 * 1024, gt=0)
    # Where search and recycled text are served from (docs/scale.md): the SQLite index in the
    # archive bucket, or an OpenSearch Serverless collection for an archive past what it holds.
    search_engine: Literal["embedded", "opensearch"] = "embedded"
    search_endpoint: str | None = Field(default=None, description="The collection's endpoint (opensearch).")
    search_index: str = Field(default="reports", min_length=1)

    @model_validator(mode="after")
    def _engine_has_endpoint(self) -> Self:
        if self.search_engine == "opensearch" and not self.search_endpoint:
            raise ValueError("SEARCH_ENGINE=opensearch needs SEARCH_ENDPOINT (the collection endpoint)")
        return self


class IngestSettings(StoreSettings):
    # Stop starting new work when less than this is left of the invocation's time.
    safety_margin_ms: int = Field(default=10_000, ge=0)
    pdf_timeout_seconds: float = Field(default=30.0, gt=0)
    dataset_queue_url: str | None = Field(
        default=None,
        description="Where changed entities go for the dataset function; unset: refreshed inline.",
    )


class ApiSettings(StoreSettings):
    cors_allow_origin: str | None = None
    local_token: str | None = Field(default=None, description="The local server's reader bearer token.")
    write_token: str | None = Field(default=None, description="The local server's writer bearer token.")


def _env() -> dict[str, str | None]:
    return {
        "raw_bucket": os.environ.get("RAW_BUCKET"),
        "archive_bucket": os.environ.get("ARCHIVE_BUCKET"),
        "table_name": os.environ.get("TABLE_NAME"),
        "ingest_queue_url": os.environ.get("INGEST_QUEUE_URL") or None,
        "endpoint_url": os.environ.get("AWS_ENDPOINT_URL") or None,
        "region": os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1",
        "search_engine": os.environ.get("SEARCH_ENGINE") or None,
        "search_endpoint": os.environ.get("SEARCH_ENDPOINT") or None,
        "search_index": os.environ.get("SEARCH_INDEX") or None,
    }


def _env_values() -> dict[str, object]:
    values: dict[str, object] = {k: v for k, v in _env().items() if v is not None}
    if os.environ.get("MAX_UPLOAD_BYTES"):
        values["max_upload_bytes"] = int(os.environ["MAX_UPLOAD_BYTES"])
    return values


def ingest_settings_from_env() -> IngestSettings:
    values = _env_values()
    values["dataset_queue_url"] = os.environ.get("DATASET_QUEUE_URL") or None
    return IngestSettings.model_validate(values)


def store_settings_from_env() -> StoreSettings:
    return StoreSettings.model_validate(_env_values())


def api_settings_from_env() -> ApiSettings:
    values = _env_values()
    values["cors_allow_origin"] = os.environ.get("CORS_ALLOW_ORIGIN") or None
    values["local_token"] = os.environ.get("LOCAL_API_TOKEN") or None
    values["write_token"] = os.environ.get("LOCAL_API_WRITE_TOKEN") or None
    return ApiSettings.model_validate(values)
