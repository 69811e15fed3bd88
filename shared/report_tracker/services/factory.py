"""Wiring: settings -> data-access objects -> services. Cached once per container.

Each factory imports the service it builds, so a function loads only what it serves: the
ingest function never loads the read side, the API never loads the reading pipeline (completing a
held upload queues it for ingest).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache, partial
from typing import TYPE_CHECKING

from report_tracker.config import ApiSettings, IngestSettings, StoreSettings
from report_tracker.dal.clients import LazyClient
from report_tracker.dal.queue import DatasetQueue
from report_tracker.dal.s3 import ArchiveStore, RawStore
from report_tracker.dal.table import ArchiveTable
from report_tracker.errors import NotFound

if TYPE_CHECKING:
    from report_tracker.services.catalog import Catalog
    from report_tracker.services.dataset import DatasetService
    from report_tracker.services.ingest import IngestService
    from report_tracker.services.search_engine import SearchEngine
    from report_tracker.services.uploads import CompletionDesk, UploadDesk


def stores(settings: StoreSettings) -> tuple[RawStore, ArchiveStore, ArchiveTable]:
    s3 = LazyClient("s3", settings.region, settings.endpoint_url)
    ddb = LazyClient("dynamodb", settings.region, settings.endpoint_url)
    return (
        RawStore(s3, settings.raw_bucket),
        ArchiveStore(s3, settings.archive_bucket),
        ArchiveTable(ddb, settings.table_name),
    )


@lru_cache(maxsize=8)
def search_engine(settings: StoreSettings) -> SearchEngine | None:
    """The configured engine; None for the embedded index, which each service makes from its
    archive store."""
    if settings.search_engine != "opensearch" or not settings.search_endpoint:
        return None
    return opensearch_engine(settings.search_endpoint, settings.region, settings.search_index)


def opensearch_engine(endpoint: str, region: str, index: str) -> SearchEngine:
    """The engine over an OpenSearch Serverless collection (functions, and the operator's CLI)."""
    from report_tracker.dal.opensearch import OpenSearchClient  # noqa: PLC0415
    from report_tracker.services.opensearch_engine import OpenSearchEngine  # noqa: PLC0415

    return OpenSearchEngine(OpenSearchClient(endpoint, region), index)


@lru_cache(maxsize=8)
def ingest_service(settings: IngestSettings) -> IngestService:
    from report_tracker.services.ingest import IngestService  # noqa: PLC0415

    raw, archive, table = stores(settings)
    queue = None
    if settings.dataset_queue_url:
        queue = DatasetQueue(
            LazyClient("sqs", settings.region, settings.endpoint_url), settings.dataset_queue_url
        )
    return IngestService(
        raw,
        archive,
        table,
        max_upload_bytes=settings.max_upload_bytes,
        pdf_timeout_seconds=settings.pdf_timeout_seconds,
        dataset_queue=queue,
        search_engine=search_engine(settings),
    )


def dataset_service(settings: StoreSettings) -> DatasetService:
    from report_tracker.services.dataset import DatasetService  # noqa: PLC0415

    _, archive, table = stores(settings)
    return DatasetService(table, archive)


def entity_indexer(settings: StoreSettings) -> Callable[[str], int]:
    """Index one entity's current texts as a segment of their own (the dataset function's retry
    of a segment ingest could not write)."""
    from report_tracker.services.search import index_entity  # noqa: PLC0415

    _, archive, table = stores(settings)
    return partial(index_entity, table, archive, engine=search_engine(settings))


@lru_cache(maxsize=8)
def catalog(settings: ApiSettings) -> Catalog:
    from report_tracker.services.catalog import Catalog  # noqa: PLC0415

    _, archive, table = stores(settings)
    return Catalog(table, archive, settings.raw_bucket, search_engine(settings))


@lru_cache(maxsize=8)
def upload_desk(settings: ApiSettings) -> UploadDesk:
    from report_tracker.services.uploads import UploadDesk  # noqa: PLC0415

    raw, _, _ = stores(settings)
    return UploadDesk(raw, settings.max_upload_bytes)


@lru_cache(maxsize=8)
def completion_desk(settings: ApiSettings) -> CompletionDesk:
    from report_tracker.dal.queue import IngestQueue  # noqa: PLC0415
    from report_tracker.services.uploads import CompletionDesk  # noqa: PLC0415

    if not settings.ingest_queue_url:
        raise NotFound("completing uploads needs INGEST_QUEUE_URL")
    table = stores(settings)[2]
    sqs = LazyClient("sqs", settings.region, settings.endpoint_url)
    return CompletionDesk(table, IngestQueue(sqs, settings.ingest_queue_url))
