"""Opaque page cursors: a small JSON value, URL-safe base64 without padding."""

from __future__ import annotations

import base64
import json
from typing import Any

from report_tracker.errors import InvalidRequest

FORGED = "the cursor is not one this API issued"


def pack(value: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(value, ensure_ascii=False).encode()).decode().rstrip("=")


def unpack(cursor: str) -> Any:
    """The value a cursor holds; a 400 (InvalidRequest) when it is not one ``pack`` made."""
    try:
        return json.loads(base64.urlsafe_b64decode((cursor + "=" * (-len(cursor) % 4)).encode()))
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise InvalidRequest(FORGED) from exc
