"""``make load`` (second half): the worst uploads we know, each read in a fresh process.

For each input: its size, the wall time and peak memory of reading it, both per MB of upload,
and what became of it. With ``--stack`` the same inputs go through the real path (boto3 ->
S3 -> SQS -> ingest on the embedded stack) and the time is until the upload is recorded.
Prints a table and writes bench/results.json under ``hostile``. Measures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import report
from tests.fixtures.formats import to_docx
from tests.fixtures.hostile import corrupt_docx, docx_of_many_parts, docx_of_small_paragraphs, repeated

MB = 1024 * 1024
SAMPLE = ROOT / "samples" / "qingshi-2024.txt"


def _deep_html(size: int) -> bytes:
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    body = "".join(f"<div><p>{line}</p></div>" for line in lines)
    page = "<html><body>" + "<div>" * 200 + body * max(1, size // len(body.encode())) + "</div>" * 200
    return (page + "</body></html>").encode()


def _tiny_nodes_html(size: int) -> bytes:
    node = "<div><span>法治</span></div>"
    return ("<html><body><div>" + node * (size // len(node.encode())) + "</div></body></html>").encode()


CASES: dict[str, tuple[str, Callable[[], bytes]]] = {
    "txt repeated to 1 MB": ("report.txt", lambda: repeated(SAMPLE.read_bytes(), MB)),
    "txt repeated to 4 MB": ("report.txt", lambda: repeated(SAMPLE.read_bytes(), 4 * MB)),
    "txt repeated to 19.5 MB": ("report.txt", lambda: repeated(SAMPLE.read_bytes(), int(19.5 * MB))),
    "docx, 95 MB of small paragraphs": ("big.docx", lambda: docx_of_small_paragraphs(95 * MB)),
    "docx, 99 XML parts of 1 MB": ("parts.docx", docx_of_many_parts),
    "docx, bad CRC": ("crc.docx", lambda: corrupt_docx(to_docx(SAMPLE.read_text(encoding="utf-8")), "crc")),
    "docx, broken deflate": (
        "deflate.docx",
        lambda: corrupt_docx(to_docx(SAMPLE.read_text(encoding="utf-8")), "deflate"),
    ),
    "html, 200 nested containers, 7 MB": ("deep.html", lambda: _deep_html(7 * MB)),
    "html, 17 MB of tiny nodes": ("tiny.html", lambda: _tiny_nodes_html(17 * MB)),
}


def _read_one(name: str) -> None:
    """Child process: build one input, read it, print what happened as JSON."""
    from report_tracker.errors import ReportTrackerError
    from report_tracker.models.report import UploadHints
    from report_tracker.parse import read_report

    filename, build = CASES[name]
    data = build()
    start = time.perf_counter()
    try:
        report = read_report(data, UploadHints(filename=filename))
        outcome = f"read: {len(report.text):,} chars, {len(report.sections)} sections"
    except ReportTrackerError as exc:
        outcome = f"{type(exc).__name__} ({'permanent' if exc.code != 'retryable' else 'retry'}): {exc.message[:90]}"
    print(json.dumps({"bytes": len(data), "seconds": time.perf_counter() - start, "outcome": outcome}))


def _stack_one(name: str) -> None:
    """Child process: the input through the embedded stack, timed until its upload is recorded."""
    from report_tracker.local.stack import LocalStack

    filename, build = CASES[name]
    data = build()
    with LocalStack() as stack:
        s3 = stack.client("s3")
        key = f"inbox/青石镇/2024/{filename}"  # the sample's own name: read, compared, filed
        start = time.perf_counter()
        s3.put_object(Bucket=stack.raw_bucket, Key=key, Body=data)
        status_url = f"{stack.api_url}/uploads?key={quote(key, safe='')}"
        outcome = "not recorded within 300 s"
        while time.perf_counter() - start < 300:
            with urllib.request.urlopen(status_url, timeout=30) as resp:
                items = [u for u in json.loads(resp.read())["items"] if u["status"] != "processing"]
            if items:
                outcome = f"{items[0]['status']}: {(items[0].get('reason') or '')[:90]}"
                break
            time.sleep(0.2)
    print(json.dumps({"bytes": len(data), "seconds": time.perf_counter() - start, "outcome": outcome}))


def measure(name: str, stack: bool) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--stack-one" if stack else "--one", name]
    with tempfile.TemporaryFile("w+") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.DEVNULL, cwd=ROOT)
        _pid, _status, usage = os.wait4(proc.pid, 0)  # the child's own peak, not the largest so far
        proc.returncode = 0
        out.seek(0)
        last = [line for line in out.read().splitlines() if line.startswith('{"bytes"')][-1]
    peak_mb = usage.ru_maxrss / 1024
    result: dict[str, Any] = json.loads(last)
    size_mb = result["bytes"] / MB
    result.update(
        name=name,
        upload_mb=round(size_mb, 2),
        seconds=round(result["seconds"], 2),
        peak_mb=round(peak_mb),
        seconds_per_mb=round(result["seconds"] / size_mb, 2),
        peak_mb_per_mb=round(peak_mb / size_mb, 1),
    )
    return result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--one")
    parser.add_argument("--stack-one")
    parser.add_argument(
        "--stack", action="store_true", help="through the embedded stack, not the reader alone"
    )
    parser.add_argument("--only", help="only the inputs whose name contains this")
    args = parser.parse_args()
    if args.one:
        _read_one(args.one)
        return 0
    if args.stack_one:
        _stack_one(args.stack_one)
        return 0
    results = [measure(name, args.stack) for name in CASES if not args.only or args.only in name]
    print(f"{'input':38} {'MB':>6} {'s':>7} {'peak MB':>8} {'s/MB':>6} {'MB/MB':>6}  outcome")
    for r in results:
        print(f"{r['name']:38} {r['upload_mb']:6.2f} {r['seconds']:7.2f} {r['peak_mb']:8} "
              f"{r['seconds_per_mb']:6.2f} {r['peak_mb_per_mb']:6.1f}  {r['outcome']}")  # fmt: skip
    by_name = {r["name"]: r["seconds"] for r in results}
    one, four = by_name.get("txt repeated to 1 MB"), by_name.get("txt repeated to 4 MB")
    if one and four:
        print(f"time, 4 MB over 1 MB: {four / one:.1f}x (linear would be 4x)")
    report.store(
        "hostile_stack" if args.stack else "hostile",
        {"measured": time.strftime("%Y-%m-%d"), "inputs": results},
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
