"""One exception hierarchy for the project.

``PermanentError`` means retrying cannot help (the upload is recorded as failed and the
message is dropped); ``RetryableError`` means the same input may succeed later (the message
goes back to the queue and, after the redrive limit, to the dead-letter queue).
"""

from __future__ import annotations


class ReportTrackerError(Exception):
    """Base class for every error this project raises on purpose."""

    code = "error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class PermanentError(ReportTrackerError):
    """The input itself is bad; retrying will not help."""

    code = "permanent"


class RetryableError(ReportTrackerError):
    """A dependency failed; the same input may succeed on redelivery."""

    code = "retryable"


class UnreadableDocument(PermanentError):
    """The bytes are not a document we can read (binary, corrupt, bomb, wrong format)."""

    code = "unreadable"


class DocumentTooLarge(PermanentError):
    code = "too_large"


class EmptyDocument(PermanentError):
    code = "empty"


class UnreadableText(PermanentError):
    """The bytes decode to no readable Chinese prose (random binary, mojibake, a scrap of text)."""

    code = "unreadable"


class TimeBudgetExceeded(RetryableError):
    """The invocation ran out of its time budget before this item was committed."""

    code = "time_budget"


class StorageError(RetryableError):
    """S3 or DynamoDB failed in a way that may pass."""

    code = "storage"


class NotFound(ReportTrackerError):
    code = "not_found"


class Conflict(ReportTrackerError):
    code = "conflict"


class InvalidRequest(ReportTrackerError):
    code = "invalid"


class TooBroad(ReportTrackerError):
    """A question one request cannot answer at this archive's size (the answer names where to ask)."""

    code = "too_broad"
