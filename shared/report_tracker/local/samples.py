"""Upload the project's own sample reports (samples/) into the local stack."""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING

from report_tracker.dal.table import ArchiveTable
from report_tracker.models.archive import TERMINAL_UPLOAD_STATES

if TYPE_CHECKING:
    from report_tracker.local.stack import LocalStack


def upload_samples(stack: LocalStack, timeout: float = 60.0) -> int:
    """Upload samples/ in the order its manifest gives.

    A key the manifest uploads again is a re-published edit: it is put only once the earlier
    upload of that key has been recorded, as an edit published later would be, so the revised
    青石镇 2024 report is version 2 even with several ingest workers running.
    """
    folder = stack.root / "samples"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    s3 = stack.client("s3")
    table = ArchiveTable(stack.client("dynamodb"), stack.provisioned.tables["ArchiveTable"])
    seen: dict[str, int] = {}
    for entry in manifest["uploads"]:
        key = entry["key"]
        if key in seen:
            _wait_recorded(table, stack.raw_bucket, key, seen[key], timeout)
        s3.put_object(Bucket=stack.raw_bucket, Key=key, Body=(folder / entry["file"]).read_bytes())
        seen[key] = seen.get(key, 0) + 1
    return len(manifest["uploads"])


def _wait_recorded(table: ArchiveTable, bucket: str, key: str, count: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = [u for u in table.uploads_for_key(bucket, key) if u.status in TERMINAL_UPLOAD_STATES]
        if len(done) >= count:
            return
        time.sleep(0.1)
    raise TimeoutError(f"the earlier upload of {key} was not recorded within {timeout:.0f} s")
