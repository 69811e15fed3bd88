"""One mapping from errors to answers, for every route: a 5xx only when storage really failed."""

from __future__ import annotations

import binascii

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestUnsupportedContentType,
    RequestValidationError,
)

from report_tracker.api.guard import GuardedResolver
from report_tracker.api.http import problem
from report_tracker.errors import (
    Conflict,
    DocumentTooLarge,
    InvalidRequest,
    NotFound,
    PermanentError,
    ReportTrackerError,
    RetryableError,
    TooBroad,
)
from report_tracker.observability import logger


def register_errors(app: GuardedResolver) -> None:
    @app.exception_handler(NotFound)
    def not_found(exc: NotFound) -> Response[str]:
        return problem(404, exc.message)

    @app.exception_handler(InvalidRequest)
    def invalid(exc: InvalidRequest) -> Response[str]:
        return problem(400, exc.message)

    @app.exception_handler(TooBroad)
    def too_broad(exc: TooBroad) -> Response[str]:
        return problem(422, exc.message)

    # Powertools' request validation decodes the body before any middleware runs.
    @app.exception_handler(UnicodeDecodeError)
    def undecodable(exc: UnicodeDecodeError) -> Response[str]:
        return problem(400, "the request body is not UTF-8 text")

    @app.exception_handler(binascii.Error)
    def bad_base64(exc: binascii.Error) -> Response[str]:
        return problem(400, "the request body is not valid base64")

    @app.exception_handler(DocumentTooLarge)
    def too_large(exc: DocumentTooLarge) -> Response[str]:
        return problem(413, exc.message)

    @app.exception_handler(Conflict)
    def conflict(exc: Conflict) -> Response[str]:
        return problem(409, exc.message)

    @app.exception_handler(RequestValidationError)
    def validation(exc: RequestValidationError) -> Response[str]:
        details = "; ".join(
            f"{'.'.join(str(p) for p in err.get('loc', []))}: {err.get('msg')}" for err in exc.errors()
        )
        return problem(422, details)

    @app.exception_handler(RequestUnsupportedContentType)
    def unsupported(exc: RequestUnsupportedContentType) -> Response[str]:
        return problem(415, "send the body as application/json")

    @app.exception_handler(RetryableError)
    def storage_error(exc: RetryableError) -> Response[str]:
        logger.exception("storage error")
        return problem(503, "the archive could not be reached; try again")

    @app.exception_handler(PermanentError)
    def unreadable(exc: PermanentError) -> Response[str]:
        return problem(422, exc.message)

    @app.exception_handler(ReportTrackerError)
    def service_error(exc: ReportTrackerError) -> Response[str]:
        return problem(400, exc.message)

    @app.exception_handler(Exception)
    def crash(exc: Exception) -> Response[str]:
        logger.exception("unhandled error")
        return problem(500, "an unexpected error; it is logged with the request id")

    @app.not_found
    def no_route(exc: Exception) -> Response[str]:
        path = app.current_event.path
        allowed = app.allowed_methods(path)
        if allowed:
            response = problem(405, f"{path} answers {', '.join(allowed)}")
            response.headers["Allow"] = ", ".join(allowed)
            return response
        return problem(404, f"no route for {path}")
