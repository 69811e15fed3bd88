"""AWS clients, created once per container (creating one costs tens of milliseconds).

Plain botocore: the low-level clients are all the data-access layer uses, and importing boto3
adds s3transfer and about 20 ms to every cold start. One session serves every client, so the
endpoint and partition data are loaded once.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

from botocore.config import Config

_CONFIG = Config(retries={"max_attempts": 4, "mode": "standard"}, connect_timeout=5, read_timeout=30)
# Presigned URLs must be SigV4 (botocore may fall back to SigV2 against a custom endpoint),
# which also signs Content-Length, so S3 itself refuses a body of another size.
_S3_CONFIG = _CONFIG.merge(Config(signature_version="s3v4"))


_LOCK = threading.Lock()  # botocore sessions are not safe to share while creating clients


@lru_cache(maxsize=1)
def _session() -> Any:
    import botocore.session  # noqa: PLC0415 - kept off the import path of pure-domain users (CLI parse)

    return botocore.session.get_session()


@lru_cache(maxsize=32)
def client(service: str, region: str, endpoint_url: str | None = None) -> Any:
    config = _S3_CONFIG if service == "s3" else _CONFIG
    with _LOCK:
        return _session().create_client(service, region_name=region, endpoint_url=endpoint_url, config=config)


def credentials() -> Any:
    """The function's credentials (refreshed by botocore as they expire), for signing by hand."""
    with _LOCK:
        return _session().get_credentials()


class LazyClient:
    """A client created at its first use.

    Creating one loads the service's model and endpoint rules (the S3 client costs tens of
    milliseconds), so a request that reads only DynamoDB, the commonest, never builds the S3
    client. Calls go to the one client ``client`` caches per container.
    """

    def __init__(self, service: str, region: str, endpoint_url: str | None = None) -> None:
        self._args = (service, region, endpoint_url)

    def __getattr__(self, name: str) -> Any:
        return getattr(client(*self._args), name)
