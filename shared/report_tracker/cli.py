"""The ``report-tracker`` command: serve the local stack, read a file, compare two files, query the dataset."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import time
from pathlib import Path
from typing import Any

from report_tracker.dataset.schema import TABLES as _TABLES

LOCAL_API = "http://127.0.0.1:8080"


def _parse_cmd(args: argparse.Namespace) -> int:
    from report_tracker.errors import ReportTrackerError  # noqa: PLC0415
    from report_tracker.models.report import DocType, UploadHints  # noqa: PLC0415
    from report_tracker.parse import read_report  # noqa: PLC0415

    path = Path(args.file)
    hints = UploadHints(
        filename=path.name,
        entity=args.entity,
        year=args.year,
        doc_type=DocType(args.doc_type) if args.doc_type else None,
        region=[args.region] if args.region else [],
        confirmed=args.confirm,
    )
    try:
        report = read_report(path.read_bytes(), hints)
    except ReportTrackerError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2
    if args.json:
        data = report.model_dump(mode="json", exclude={"original", "offset_map"} if not args.full else set())
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    print(f"{report.title or path.name}")
    print(f"  entity {report.entity}  region {'/'.join(report.region) or '-'}  type {report.doc_type.value}")
    print(
        f"  review year {report.review_year}  plan year {report.plan_year}  flags {', '.join(report.flags) or '-'}"
    )
    if report.status.value != "ok":
        print(f"  status {report.status.value}: {report.status_reason}")
    for candidate in report.identity_candidates:
        print(f"  candidate {candidate.entity} ({candidate.level}, {', '.join(candidate.signals) or '-'})")
    for part, why in report.missing.items():
        print(f"  no {part}: {why}")
    for section in report.sections:
        print(f"  [{section.kind.value}] {section.heading or '(untitled)'}")
        for item in section.items:
            figures = ", ".join(f.text for f in item.figures)
            print(f"      - {item.heading}" + (f"  ({figures})" if figures else ""))
    return 0


def _compare_cmd(args: argparse.Namespace) -> int:
    from report_tracker.errors import ReportTrackerError  # noqa: PLC0415
    from report_tracker.models.report import UploadHints  # noqa: PLC0415
    from report_tracker.parse import read_report  # noqa: PLC0415
    from report_tracker.tracking.compare import compare  # noqa: PLC0415

    try:
        earlier, later = (
            read_report(Path(f).read_bytes(), UploadHints(filename=Path(f).name))
            for f in (args.earlier, args.later)
        )
    except ReportTrackerError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2
    result = compare(earlier, later)
    if args.json:
        print(result.model_dump_json(indent=2))
        return 0
    print(f"Commitments made for {result.plan_year} in: {result.earlier_title}")
    print(f"checked against: {result.later_title}\n")
    for c in result.commitments:
        print(f"[{c.status.value:>12} {c.confidence:.2f}] {c.heading}")
        for f in c.figures:
            print(f"      target {f.planned} -> reported {f.reported or '-'}")
        if c.evidence:
            print(f"      「{c.evidence[0].text[:80]}」")
    for p in result.problems:
        print(f"[problem {p.status.value}] {p.heading}")
    for change in result.figures:
        print(f"[figure] {change.context}: {change.before} -> {change.after}")
    print(f"\n{result.summary}; text reused from the earlier report: {result.reuse.share:.0%}")
    return 0


def banner(api: str, aws: str, bucket: str, token: str | None = None) -> str:
    """What `make run` prints after starting: every command here is run by
    tests/e2e/test_readme_examples.py against a live stack."""
    auth = f" -H 'Authorization: Bearer {token}'" if token else ""
    return (
        f"\nOpen the viewer: {api}/   (find a township, see its promises and their fate)\n"
        "\nTry:\n"
        f"  curl -s{auth} {api}/entities\n"
        f"  curl -s{auth} '{api}/entities/青石镇/reports'\n"
        f"  curl -s{auth} '{api}/entities/青石镇/yoy?year=2024'     (promises for 2024, checked)\n"
        f"  curl -s{auth} '{api}/entities/青石镇/timeline'          (every year: outcomes, problems, figures)\n"
        f"  curl -s{auth} '{api}/uploads?status=failed'\n"
        f"  curl -s{auth} '{api}/search?q=法治宣传活动'          (full text, no spaces needed)\n"
        f"  curl -s{auth} '{api}/years/2024/templates?entity=青石镇'   (text shared with other towns)\n"
        f"  open '{api}/entities/青石镇/yoy?year=2024&format=html'\n"
        f"  open '{api}/entities/青石镇/reports/2024/diff?from=1&to=2&format=html'\n"
        f"  open {api}/docs for the OpenAPI browser\n"
        "Upload a report (any AWS key works locally):\n"
        f"  AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local aws --endpoint-url {aws} \\\n"
        f"      s3 cp report.txt 's3://{bucket}/inbox/青石镇/2025/report.txt'\n"
        f"  or: report-tracker upload report.txt --endpoint {aws} --bucket {bucket} --prefix inbox/青石镇/2025\n"
        f"  or through the API, no AWS credentials: report-tracker upload report.txt --api {api} --entity 青石镇 --year 2025"
        + (f" --token {token}" if token else "")
        + "\nCtrl-C stops everything."
    )


def _serve_cmd(args: argparse.Namespace) -> int:
    from report_tracker.local.samples import upload_samples  # noqa: PLC0415
    from report_tracker.local.stack import LocalStack  # noqa: PLC0415

    stack = LocalStack(
        aws_port=args.aws_port,
        api_port=args.api_port,
        token=args.token,
        write_token=args.write_token,
        quiet=not args.verbose,
    )
    stack.start()
    stopping = False

    def stop(*_: Any) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    print(f"API: {stack.api_url}")
    print(f"S3 endpoint: {stack.aws_endpoint}")
    print(f"Upload bucket: {stack.raw_bucket}")
    print(f"Ingest queue: {stack.queue_url}")
    print(f"Dead-letter queue: {stack.dlq_url}")
    sys.stdout.flush()
    if not args.no_sample:
        count = upload_samples(stack)
        print(f"Loaded {count} sample reports from samples/ (ingest runs in the background).")
    print(
        banner(stack.api_url, stack.aws_endpoint, stack.raw_bucket, args.write_token or args.token),
        flush=True,
    )
    while not stopping:
        time.sleep(0.2)
    print("stopping...", flush=True)
    stack.stop()
    return 0


def _client(service: str, endpoint: str | None, region: str = "us-east-1") -> Any:
    """A boto3 client for AWS, or for the local stack when ``endpoint`` is given (moto takes any key)."""
    import boto3  # noqa: PLC0415

    local = {"aws_access_key_id": "local", "aws_secret_access_key": "local"} if endpoint else {}
    return boto3.client(service, endpoint_url=endpoint, region_name=region, **local)


def _upload_via_api(args: argparse.Namespace) -> int:
    """POST /uploads for a presigned PUT, PUT the file with exactly the signed headers, then
    follow status_url until ingest has acted on it: what a client without AWS credentials does."""
    import json  # noqa: PLC0415
    import urllib.request  # noqa: PLC0415

    base = args.api.rstrip("/")
    auth = {"Authorization": f"Bearer {args.token}"} if args.token else {}
    failed = 0
    for name in args.files:
        path = Path(name)
        body = path.read_bytes()
        request: dict[str, object] = {"filename": path.name, "size": len(body)}
        request.update(
            {k: v for k, v in (("entity", args.entity), ("year", int(args.year) if args.year else None)) if v}
        )
        post = urllib.request.Request(  # noqa: S310 - the API address the user gave
            f"{base}/uploads",
            data=json.dumps(request, ensure_ascii=False).encode(),
            headers={"Content-Type": "application/json", **auth},
            method="POST",
        )
        with urllib.request.urlopen(post, timeout=30) as resp:  # noqa: S310
            ticket = json.load(resp)
        put = urllib.request.Request(ticket["upload_url"], data=body, headers=ticket["headers"], method="PUT")  # noqa: S310
        urllib.request.urlopen(put, timeout=60).close()  # noqa: S310
        print(f"uploaded {ticket['key']}", flush=True)
        outcome = "still processing: look again at " + base + ticket["status_url"]
        for _ in range(int(args.wait * 2)):
            get = urllib.request.Request(base + ticket["status_url"], headers=auth)  # noqa: S310
            with urllib.request.urlopen(get, timeout=30) as resp:  # noqa: S310
                items = json.load(resp)["items"]
            done = [u for u in items if u["status"] != "processing"]
            if done:
                u = done[0]
                outcome = u["status"] + (f" as version {u['version']}" if u.get("version") else "")
                outcome += f": {u['reason']}" if u.get("reason") else ""
                failed += u["status"] == "failed"
                break
            time.sleep(0.5)
        print(f"  {outcome}", flush=True)
    return 1 if failed else 0


def _upload_cmd(args: argparse.Namespace) -> int:
    if args.api:
        return _upload_via_api(args)
    if not args.bucket:
        print(
            "give --bucket (with AWS credentials) or --api (a presigned upload through the API)",
            file=sys.stderr,
        )
        return 2
    s3 = _client("s3", args.endpoint)
    for name in args.files:
        path = Path(name)
        key = f"{args.prefix.rstrip('/')}/{path.name}" if args.prefix else f"inbox/{path.name}"
        metadata = {k: v for k, v in (("entity", args.entity), ("year", args.year)) if v}
        from urllib.parse import quote  # noqa: PLC0415

        s3.put_object(
            Bucket=args.bucket,
            Key=key,
            Body=path.read_bytes(),
            Metadata={k: quote(str(v)) for k, v in metadata.items()},
        )
        print(f"uploaded s3://{args.bucket}/{key}")
    return 0


def mirror(api: str, target: Path, token: str | None = None) -> tuple[int, int]:
    """Make ``target`` a copy of the API's dataset: fetch new or rewritten files (by ETag), delete
    files the archive no longer has. Returns (files fetched, files in the dataset)."""
    import json  # noqa: PLC0415
    import urllib.request  # noqa: PLC0415
    from urllib.parse import quote  # noqa: PLC0415

    auth = {"Authorization": f"Bearer {token}"} if token else {}
    target.mkdir(parents=True, exist_ok=True)
    state_path = target / ".etags.json"
    state: dict[str, str] = json.loads(state_path.read_text()) if state_path.exists() else {}
    seen: dict[str, str] = {}
    fetched, cursor = 0, None
    while True:
        url = api.rstrip("/") + "/dataset?limit=200" + (f"&cursor={quote(cursor, safe='')}" if cursor else "")
        with urllib.request.urlopen(urllib.request.Request(url, headers=auth), timeout=60) as resp:  # noqa: S310
            page = json.load(resp)
        for item in page["files"]:
            path = target / item["key"]
            seen[item["key"]] = item["etag"]
            if state.get(item["key"]) == item["etag"] and path.exists():
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            with urllib.request.urlopen(item["url"], timeout=120) as resp:  # noqa: S310 - a URL the API signed
                path.write_bytes(resp.read())
            fetched += 1
        cursor = page.get("next_cursor")
        if not cursor:
            break
    for stale in set(state) - set(seen):
        (target / stale).unlink(missing_ok=True)
    state_path.write_text(json.dumps(seen, ensure_ascii=False))
    return fetched, len(seen)


def _dataset_cmd(args: argparse.Namespace) -> int:
    fetched, total = mirror(args.api, Path(args.dir), args.token)
    print(
        f"{total} Parquet file(s) in {args.dir} ({fetched} fetched); query them with report-tracker sql --dir {args.dir}"
    )
    return 0


def _sql_cmd(args: argparse.Namespace) -> int:
    import csv  # noqa: PLC0415

    from report_tracker.dataset.parquet import sql  # noqa: PLC0415

    if args.dir:
        root = Path(args.dir)
    else:
        from urllib.parse import urlsplit  # noqa: PLC0415

        root = (
            Path.home()
            / ".cache"
            / "report-tracker"
            / "dataset"
            / (urlsplit(args.api).netloc.replace(":", "_") or "api")
        )
        mirror(args.api, root, args.token)
    try:
        names, rows = sql(root, args.query)
    except Exception as exc:  # DuckDB's own message names the table or column at fault
        print(f"query failed: {exc}", file=sys.stderr)
        return 1
    if args.csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(names)
        writer.writerows(rows)
        return 0
    cells = [names, *[["" if v is None else str(v) for v in row] for row in rows]]
    widths = [max(_width(r[i]) for r in cells) for i in range(len(names))]
    for k, row in enumerate(cells):
        print("  ".join(v + " " * (w - _width(v)) for v, w in zip(row, widths, strict=True)).rstrip())
        if k == 0:
            print("  ".join("-" * w for w in widths))
    print(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return 0


def _width(text: str) -> int:
    """Columns a string takes in a terminal: CJK characters take two."""
    import unicodedata  # noqa: PLC0415

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _rebuild_search_cmd(args: argparse.Namespace) -> int:
    from report_tracker.dal.s3 import ArchiveStore  # noqa: PLC0415
    from report_tracker.dal.table import ArchiveTable  # noqa: PLC0415
    from report_tracker.services.search import rebuild_index  # noqa: PLC0415

    table = ArchiveTable(_client("dynamodb", args.endpoint, args.region), args.table)
    engine = None
    if args.search_endpoint:
        from report_tracker.services.factory import opensearch_engine  # noqa: PLC0415

        engine = opensearch_engine(args.search_endpoint, args.region, args.search_index)
    count = rebuild_index(table, ArchiveStore(_client("s3", args.endpoint, args.region), args.bucket), engine)
    where = f"the OpenSearch index {args.search_index}" if engine else "the search index"
    print(f"{where} rebuilt from the archive: {count} report(s)")
    return 0


def _redrive_cmd(args: argparse.Namespace) -> int:
    from report_tracker.dal.queue import redrive  # noqa: PLC0415

    sqs = _client("sqs", args.endpoint, args.region)
    moved = redrive(sqs, args.dlq_url, args.queue_url, limit=args.max)
    print(f"moved {moved} message(s) from the dead-letter queue back to the ingest queue")
    return 0


def _reindex_cmd(args: argparse.Namespace) -> int:
    from report_tracker.dal.queue import enqueue_reindex  # noqa: PLC0415

    s3, sqs = _client("s3", args.endpoint, args.region), _client("sqs", args.endpoint, args.region)
    sent = enqueue_reindex(s3, sqs, args.bucket, args.queue_url, args.prefix)
    print(f"queued {sent} object version(s) for re-reading with the current parser")
    while args.wait:
        attrs = sqs.get_queue_attributes(
            QueueUrl=args.queue_url,
            AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        )["Attributes"]
        left = int(attrs["ApproximateNumberOfMessages"]) + int(attrs["ApproximateNumberOfMessagesNotVisible"])
        print(f"  {sent - min(left, sent)}/{sent} done", flush=True)
        if left == 0:
            break
        time.sleep(2)
    return 0


def _aws_options(parser: argparse.ArgumentParser) -> None:
    """Where the AWS calls of an operator's command go: the local stack, or AWS itself."""
    parser.add_argument("--endpoint", default=None, help="the local stack's endpoint; omit for AWS")
    parser.add_argument("--region", default="us-east-1")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="report-tracker", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser(
        "serve", help="run the whole system locally on 127.0.0.1 (moto + dispatcher + API)"
    )
    serve.add_argument("--api-port", type=int, default=8080)
    serve.add_argument("--aws-port", type=int, default=5000)
    serve.add_argument("--no-sample", action="store_true", help="do not upload the sample reports")
    serve.add_argument(
        "--token",
        default=None,
        help="a reader's token: 'Authorization: Bearer TOKEN' reads (and, without --write-token, writes)",
    )
    serve.add_argument(
        "--write-token",
        default=None,
        help="an uploader's token: needed for POST /uploads and every other write",
    )
    serve.add_argument("--verbose", action="store_true")
    serve.set_defaults(func=_serve_cmd)

    parse = sub.add_parser(
        "parse", help="read a local report file with the ingest code and print its reading"
    )
    parse.add_argument("file")
    parse.add_argument("--entity")
    parse.add_argument(
        "--year", type=int, help="the year in the report's title (2025年政府工作报告 -> 2025), as in a key"
    )
    parse.add_argument("--doc-type")
    parse.add_argument("--region")
    parse.add_argument(
        "--confirm", action="store_true", help="file under --entity/--year even where the text names others"
    )
    parse.add_argument("--json", action="store_true", help="print the reading as JSON")
    parse.add_argument(
        "--full", action="store_true", help="with --json: include the original text and offset map"
    )
    parse.set_defaults(func=_parse_cmd)

    cmp = sub.add_parser("compare", help="check the commitments of EARLIER against the review in LATER")
    cmp.add_argument("earlier", help="the report that made the commitments (its plans are for year P)")
    cmp.add_argument("later", help="the report that reviews year P")
    cmp.add_argument("--json", action="store_true")
    cmp.set_defaults(func=_compare_cmd)

    data = sub.add_parser("dataset", help="mirror the Parquet dataset into DIR (only new or rewritten files)")
    data.add_argument("dir")
    data.add_argument(
        "--api", default=LOCAL_API, help=f"the API's address (default: the local stack, {LOCAL_API})"
    )
    data.add_argument("--token", default=None, help="a reader's bearer token, when the API asks for one")
    data.set_defaults(func=_dataset_cmd)

    query = sub.add_parser("sql", help="run SQL (DuckDB) over the dataset: tables " + ", ".join(_TABLES))
    query.add_argument("query")
    query.add_argument("--dir", default=None, help="a dataset mirrored with `report-tracker dataset DIR`")
    query.add_argument("--api", default=LOCAL_API, help="without --dir: mirror from this API first")
    query.add_argument("--token", default=None)
    query.add_argument("--csv", action="store_true", help="print CSV instead of a table")
    query.set_defaults(func=_sql_cmd)

    rsi = sub.add_parser(
        "rebuild-search", help="make the search index again from the archive (every latest text)"
    )
    rsi.add_argument("--bucket", required=True, help="ArchiveBucketName (stack output)")
    rsi.add_argument("--table", required=True, help="ArchiveTableName (stack output)")
    rsi.add_argument(
        "--search-endpoint", help="SearchCollectionEndpoint (stack output, SearchEngine=opensearch)"
    )
    rsi.add_argument("--search-index", default="reports", help="the collection's index (default: reports)")
    _aws_options(rsi)
    rsi.set_defaults(func=_rebuild_search_cmd)

    red = sub.add_parser(
        "redrive", help="move dead-lettered uploads back to the ingest queue (after fixing the cause)"
    )
    red.add_argument("--dlq-url", required=True, help="IngestDeadLetterQueueUrl (stack output)")
    red.add_argument("--queue-url", required=True, help="IngestQueueUrl (stack output)")
    _aws_options(red)
    red.add_argument("--max", type=int, default=10_000)
    red.set_defaults(func=_redrive_cmd)

    rei = sub.add_parser(
        "reindex", help="re-read every stored upload with the current parser, through the ingest queue"
    )
    rei.add_argument("--bucket", required=True, help="the raw (upload) bucket")
    rei.add_argument("--queue-url", required=True, help="IngestQueueUrl")
    rei.add_argument("--prefix", default="")
    _aws_options(rei)
    rei.add_argument("--wait", action="store_true", help="print progress until the queue is drained")
    rei.set_defaults(func=_reindex_cmd)

    upload = sub.add_parser(
        "upload", help="put report files into the upload bucket, or upload them through the API (--api)"
    )
    upload.add_argument("files", nargs="+")
    upload.add_argument("--bucket", default=None, help="the upload bucket (needs AWS credentials)")
    upload.add_argument(
        "--api", default=None, help="the API's address: a presigned upload, no AWS credentials"
    )
    upload.add_argument("--token", default=None, help="with --api: an uploader's bearer token")
    upload.add_argument(
        "--wait", type=float, default=30.0, help="with --api: seconds to wait for the outcome"
    )
    upload.add_argument("--endpoint", default=None, help="S3 endpoint (the local stack's); omit for AWS")
    upload.add_argument("--prefix", default=None, help="key prefix, e.g. inbox/青石镇/2025")
    upload.add_argument("--entity")
    upload.add_argument("--year")
    upload.set_defaults(func=_upload_cmd)

    args = parser.parse_args(argv)
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
