"""DatasetFunction: entities ingest changed, via SQS -> their Parquet dataset files rewritten
(and, where ingest could not write their search segment, their texts indexed again).

Each entity is refreshed once per batch however many of its uploads the batch announces (a
county's burst arrives as one batch). A refresh that raises is reported in ``batchItemFailures``
and retried by SQS, then parked in the dead-letter queue; a message that is not dataset work is
logged and dropped (retrying it cannot help).
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import ValidationError

from report_tracker.config import store_settings_from_env
from report_tracker.models.archive import DatasetWork
from report_tracker.observability import logger, metrics, tracer
from report_tracker.services.factory import dataset_service, entity_indexer

processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
settings = store_settings_from_env()


@tracer.capture_lambda_handler
@logger.inject_lambda_context
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    service, index = dataset_service(settings), entity_indexer(settings)
    refreshed: set[str] = set()
    indexed: set[str] = set()

    def record_handler(record: SQSRecord) -> None:
        try:
            work = DatasetWork.model_validate_json(record.body)
        except ValidationError as exc:
            logger.error(
                "not dataset work: dropped", extra={"message_id": record.message_id, "error": str(exc)}
            )
            metrics.add_metric(name="DatasetMessageDropped", unit="Count", value=1)
            return
        if work.search and work.entity not in indexed:
            index(work.entity)
            indexed.add(work.entity)
            metrics.add_metric(name="SearchSegmentsRetried", unit="Count", value=1)
        if work.entity not in refreshed:
            written = service.refresh(work.entity)
            refreshed.add(work.entity)
            metrics.add_metric(name="DatasetFilesWritten", unit="Count", value=len(written))

    return process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
