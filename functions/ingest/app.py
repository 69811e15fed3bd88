"""IngestFunction: S3 notifications via SQS -> archived, versioned readings.

Partial batch responses: only the messages whose processing raised are reported in
``batchItemFailures``; the rest of the batch is deleted from the queue.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from report_tracker.config import ingest_settings_from_env
from report_tracker.observability import logger, metrics, tracer
from report_tracker.parse import prepare
from report_tracker.services.events import object_events
from report_tracker.services.factory import ingest_service

# Always answer with batchItemFailures, even when every record failed, rather than raising.
processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
settings = ingest_settings_from_env()
prepare()


@tracer.capture_lambda_handler
@logger.inject_lambda_context
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    service = ingest_service(settings)

    def record_handler(record: SQSRecord) -> None:
        for obj in object_events(record.body):
            outcome = service.handle(obj, context.get_remaining_time_in_millis, settings.safety_margin_ms)
            metrics.add_metric(name=f"Upload_{outcome.status.value}", unit="Count", value=1)

    # Each entity's dataset files and the batch's search segment are written once, after the batch.
    with service.batch(context.get_remaining_time_in_millis, settings.safety_margin_ms):
        return process_partial_response(
            event=event, record_handler=record_handler, processor=processor, context=context
        )
