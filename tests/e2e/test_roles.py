"""Readers and uploaders through the local stack: `serve --token READ --write-token WRITE`."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from report_tracker.local.stack import LocalStack

pytestmark = pytest.mark.e2e
READ, WRITE = "reader-secret", "writer-secret"


@pytest.fixture(scope="module")
def stack() -> Iterator[LocalStack]:
    with LocalStack(token=READ, write_token=WRITE) as running:
        yield running


def call(stack: LocalStack, method: str, path: str, token: str | None, body: Any = None) -> int:
    headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})}
    data = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
    request = urllib.request.Request(stack.api_url + path, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as resp:
            return int(resp.status)
    except urllib.error.HTTPError as err:
        return int(err.code)


def test_a_reader_reads_and_an_uploader_also_writes(stack: LocalStack) -> None:
    ticket = {"filename": "report.txt", "size": 2000, "entity": "青石镇", "year": 2025}
    completion = {"entity": "青石镇", "year": 2025}
    held = f"/uploads/{'0' * 32}/metadata"
    assert call(stack, "GET", "/entities", READ) == 200
    assert call(stack, "GET", "/entities", None) == 401
    assert call(stack, "GET", "/entities", WRITE) == 200
    assert call(stack, "POST", "/uploads", READ, ticket) == 403
    assert call(stack, "POST", "/uploads", WRITE, ticket) == 201
    assert call(stack, "POST", "/uploads", None, ticket) == 401
    assert call(stack, "PUT", held, READ, completion) == 403
    assert call(stack, "PUT", held, WRITE, completion) == 404  # allowed; there is no such upload
    assert call(stack, "GET", "/", None) == 200  # the viewer's page is open
