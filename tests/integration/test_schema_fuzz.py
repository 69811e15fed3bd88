"""schemathesis against /openapi.json, in-process: no 5xx, and every response fits the schema.

The operations are driven with hypothesis directly (schemathesis' pytest plugin does not
run under pytest 9); each operation gets its own generated cases, valid and invalid.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from report_tracker.local.stack import HandlerPool, api_wsgi
from tests.integration.conftest import Aws, unique
from tests.integration.test_ingest import sample

EXAMPLES = 30
# What the API promises: no 5xx, only documented status codes, content types and shapes.
# Not "every schema-valid request is accepted": opaque cursors and unknown entities are
# schema-valid strings the server rightly refuses.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


@pytest.fixture(scope="module")
def operations(aws: Aws) -> list[Any]:
    # Some data to find, so generated requests reach more than 404s.
    entity = unique("模糊")
    aws.upload(f"inbox/{entity}/2024/a.txt", sample(entity))
    app = api_wsgi(HandlerPool(lambda: aws.api, 1, first=aws.api))
    schema = schemathesis.openapi.from_wsgi("/openapi.json", app)
    return [result.ok() for result in schema.get_all_operations()]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_api_honours_its_schema(operations: list[Any], mode: GenerationMode) -> None:
    assert len(operations) >= 15  # every documented route is exercised
    exercised = 0
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None
        )
        def run(case: Any) -> None:
            case.call_and_validate(checks=CHECKS)

        try:
            run()
        except Unsatisfiable:
            # A route with nothing to make invalid (no parameters, no body) has no negative cases.
            assert mode == GenerationMode.NEGATIVE, operation.label
            continue
        exercised += 1
    assert exercised >= (len(operations) if mode == GenerationMode.POSITIVE else 12)
