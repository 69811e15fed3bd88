"""boto3 clients, created once per container (creating one costs tens of milliseconds)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from botocore.config import Config

_CONFIG = Config(retries={"max_attempts": 4, "mode": "standard"}, connect_timeout=5, read_timeout=30)
# Presigned URLs must be SigV4 (botocore may fall back to SigV2 against a custom endpoint),
# which also signs Content-Length, so S3 itself refuses a body of another size.
_S3_CONFIG = _CONFIG.merge(Config(signature_version="s3v4"))


@lru_cache(maxsize=32)
def client(service: str, region: str, endpoint_url: str | None = None) -> Any:
    import boto3  # noqa: PLC0415 - kept off the import path of pure-domain users (CLI parse)

    session = boto3.session.Session()
    config = _S3_CONFIG if service == "s3" else _CONFIG
    return session.client(service, region_name=region, endpoint_url=endpoint_url, config=config)
