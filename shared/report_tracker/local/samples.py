"""Upload the project's own sample reports (samples/) into the local stack."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from report_tracker.local.stack import LocalStack


def upload_samples(stack: LocalStack) -> int:
    """Upload samples/ in the order its manifest gives (so a re-published edit is version 2)."""
    folder = stack.root / "samples"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    s3 = stack.client("s3")
    for entry in manifest["uploads"]:
        body = (folder / entry["file"]).read_bytes()
        s3.put_object(Bucket=stack.raw_bucket, Key=entry["key"], Body=body)
    return len(manifest["uploads"])
