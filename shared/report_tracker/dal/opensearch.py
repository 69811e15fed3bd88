"""An OpenSearch Serverless collection over HTTPS, requests signed with SigV4 (service ``aoss``).

botocore signs and sends (its urllib3 session), so no client library is added to the layer: the
engine needs five REST calls (create or drop an index, bulk, search, get a document).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from report_tracker.errors import NotFound

# (method, path with query, body, headers) -> (status, body)
Transport = Callable[[str, str, bytes | None, dict[str, str]], tuple[int, bytes]]


class OpenSearchError(RuntimeError):
    """The collection refused a request (not a missing document or index)."""


class OpenSearchClient:
    def __init__(self, endpoint: str, region: str, transport: Transport | None = None) -> None:
        self.endpoint = endpoint.rstrip("/")
        self.region = region
        self._transport = transport or self._signed

    def call(self, method: str, path: str, body: Any = None, *, ndjson: bool = False) -> Any:
        """The decoded answer; NotFound for a 404, OpenSearchError for any other refusal."""
        if body is None:
            data = None
        elif ndjson:
            data = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in body).encode()
        else:
            data = json.dumps(body, ensure_ascii=False).encode()
        kind = "application/x-ndjson" if ndjson else "application/json"
        status, answer = self._transport(method, path, data, {"Content-Type": kind})
        decoded = json.loads(answer) if answer else {}
        if status == 404:
            raise NotFound(f"OpenSearch {method} {path}: not found")
        if status >= 300:
            raise OpenSearchError(f"OpenSearch {method} {path} answered {status}: {str(decoded)[:300]}")
        return decoded

    def _signed(
        self, method: str, path: str, body: bytes | None, headers: dict[str, str]
    ) -> tuple[int, bytes]:
        from botocore.auth import SigV4Auth  # noqa: PLC0415
        from botocore.awsrequest import AWSRequest  # noqa: PLC0415

        from report_tracker.dal.clients import credentials  # noqa: PLC0415

        headers = {**headers, "x-amz-content-sha256": hashlib.sha256(body or b"").hexdigest()}
        request = AWSRequest(method=method, url=self.endpoint + path, data=body, headers=headers)
        SigV4Auth(credentials(), "aoss", self.region).add_auth(request)
        response = _http().send(request.prepare())
        return response.status_code, response.content


def doc_path(index: str, doc_id: str) -> str:
    return f"/{quote(index)}/_doc/{quote(doc_id, safe='')}"


_SESSION: Any = None


def _http() -> Any:
    global _SESSION  # noqa: PLW0603 - one connection pool per container
    if _SESSION is None:
        from botocore.httpsession import URLLib3Session  # noqa: PLC0415

        _SESSION = URLLib3Session(timeout=30)
    return _SESSION
