"""The whole system on 127.0.0.1: moto, the template's resources, the ingest dispatcher, the API.

The dispatcher plays the Lambda SQS event source: it long-polls the queue, builds
Lambda-shaped SQS events, calls the real IngestFunction handler and deletes only the
messages not listed in ``batchItemFailures``, so a poison message really is received five
times and then lands in the dead-letter queue (moto applies the redrive policy).
The HTTP server plays API Gateway: each request becomes an HTTP API v2 event for the real
ApiFunction handler.
"""

from __future__ import annotations

import base64
import importlib.util
import os
import queue
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

from werkzeug.serving import WSGIRequestHandler

from report_tracker.local.template import ACCOUNT_ID, Provisioned, load_template, provision

REGION = "us-east-1"
# Locally a failed message becomes visible again after this long instead of the template's
# visibility timeout (720 s), so retries and the DLQ can be watched in seconds.
LOCAL_RETRY_DELAY_SECONDS = 1
# Concurrent ingest invocations and warm API environments (AWS runs up to the functions'
# reserved concurrency).
DISPATCH_WORKERS = 4
DATASET_BATCH = 100  # the dataset function's BatchSize
API_ENVIRONMENTS = 4


def project_root() -> Path:
    """The checkout holding template.yaml and functions/ (the package is installed editable)."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "template.yaml").is_file() and (parent / "functions").is_dir():
            return parent
    cwd = Path.cwd()
    if (cwd / "template.yaml").is_file():
        return cwd
    raise FileNotFoundError("template.yaml not found: run from the project checkout")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class FakeContext:
    """The parts of a Lambda context that Powertools and our handlers use."""

    function_name: str
    timeout_seconds: int
    memory_limit_in_mb: int = 512
    aws_request_id: str = ""

    def __post_init__(self) -> None:
        self.aws_request_id = self.aws_request_id or str(uuid.uuid4())
        self.invoked_function_arn = f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:{self.function_name}"
        self.function_version = "$LATEST"
        self.log_group_name = f"/aws/lambda/{self.function_name}"
        self.log_stream_name = "local"
        self._deadline = time.monotonic() + self.timeout_seconds

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


def load_handler(root: Path, name: str) -> ModuleType:
    """Import functions/<name>/app.py as its own module, exactly the file Lambda runs."""
    path = root / "functions" / name / "app.py"
    spec = importlib.util.spec_from_file_location(f"report_tracker_function_{name}", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


class MotoProcess:
    """moto's server in a child process (see ``report_tracker.local.moto_server``)."""

    def __init__(self, port: int) -> None:
        self.port = port

    def start(self) -> None:
        self._proc = subprocess.Popen(  # noqa: S603 - our own module, fixed argv
            [sys.executable, "-m", "report_tracker.local.moto_server", str(self.port)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self._proc.stdout is not None
        if self._proc.stdout.readline().strip() != "ready":
            self._proc.kill()
            raise RuntimeError(f"moto's server did not start on port {self.port}")

    def stop(self) -> None:
        assert self._proc.stdin is not None
        self._proc.stdin.close()
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()


class LocalStack:
    def __init__(
        self,
        *,
        aws_port: int = 0,
        api_port: int = 0,
        token: str | None = None,
        write_token: str | None = None,
        quiet: bool = True,
        dispatch: bool = True,
        workers: int = DISPATCH_WORKERS,
    ) -> None:
        self.dispatch_enabled = dispatch
        self.workers = max(1, workers)
        self.aws_port = aws_port or free_port()
        self.api_port = api_port or free_port()
        self.token = token
        self.write_token = write_token
        self.quiet = quiet
        self.root = project_root()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._count_lock = threading.Lock()
        self.dispatched = 0

    @property
    def aws_endpoint(self) -> str:
        return f"http://127.0.0.1:{self.aws_port}"

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"

    def client(self, service: str) -> Any:
        import boto3  # noqa: PLC0415

        return boto3.client(
            service,
            region_name=REGION,
            endpoint_url=self.aws_endpoint,
            aws_access_key_id="local",
            aws_secret_access_key="local",  # noqa: S106 - moto accepts any credentials
        )

    def start(self) -> LocalStack:
        import logging  # noqa: PLC0415

        if self.quiet:
            logging.getLogger("werkzeug").setLevel(logging.ERROR)
        self._moto = MotoProcess(self.aws_port)
        self._moto.start()
        # moto keeps its state per process: start from empty, as a fresh AWS account would.
        reset = urllib.request.Request(f"{self.aws_endpoint}/moto-api/reset", method="POST")  # noqa: S310
        urllib.request.urlopen(reset, timeout=10).close()  # noqa: S310 - our own loopback http server
        template = load_template(self.root / "template.yaml")
        self.provisioned: Provisioned = provision(
            template, s3=self.client("s3"), sqs=self.client("sqs"), ddb=self.client("dynamodb"), region=REGION
        )
        self._configure_environment()
        self.ingest = load_handler(self.root, "ingest")
        self.dataset = load_handler(self.root, "dataset")
        self.api = load_handler(self.root, "api")
        self.raw_bucket = self.provisioned.buckets["RawBucket"]
        self.queue_id = self.provisioned.sqs_source("IngestFunction")
        self.queue_url = self.provisioned.queues[self.queue_id]
        self.dlq_url = self.provisioned.queues["IngestDeadLetterQueue"]
        if self.dispatch_enabled:
            # Each worker is one Lambda execution environment: its own handler module (and so
            # its own BatchProcessor), as concurrent Lambda invocations never share one.
            for k in range(self.workers):
                handler = self.ingest if k == 0 else load_handler(self.root, "ingest")
                self._spawn(lambda h=handler: self._dispatch_loop(h), f"ingest-dispatcher-{k}")
            self._spawn(
                lambda: self._dispatch_loop(self.dataset, "DatasetFunction", DATASET_BATCH),
                "dataset-dispatcher",
            )
        self._serve_http()
        return self

    def _configure_environment(self) -> None:
        self._saved_environment = dict(os.environ)
        p = self.provisioned
        os.environ.update(
            {
                "AWS_ENDPOINT_URL": self.aws_endpoint,
                "AWS_ACCESS_KEY_ID": "local",
                "AWS_SECRET_ACCESS_KEY": "local",
                "AWS_DEFAULT_REGION": REGION,
                "AWS_REGION": REGION,
                "RAW_BUCKET": p.buckets["RawBucket"],
                "ARCHIVE_BUCKET": p.buckets["ArchiveBucket"],
                "TABLE_NAME": p.tables["ArchiveTable"],
                "INGEST_QUEUE_URL": p.queues["IngestQueue"],
                "DATASET_QUEUE_URL": p.queues["DatasetQueue"],
                "POWERTOOLS_TRACE_DISABLED": "true",
                "POWERTOOLS_METRICS_DISABLED": "true",
                "POWERTOOLS_METRICS_NAMESPACE": "ReportTracker",
                "POWERTOOLS_SERVICE_NAME": "report-tracker-local",
                "POWERTOOLS_LOG_LEVEL": os.environ.get("POWERTOOLS_LOG_LEVEL", "WARNING"),
            }
        )
        for name, value in (("LOCAL_API_TOKEN", self.token), ("LOCAL_API_WRITE_TOKEN", self.write_token)):
            if value:
                os.environ[name] = value
            else:
                os.environ.pop(name, None)

    def _spawn(self, target: Any, name: str) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    # --- the SQS event source ------------------------------------------------------

    def _dispatch_loop(self, handler: ModuleType, function: str = "IngestFunction", batch: int = 10) -> None:
        sqs = self.client("sqs")
        queue_id = self.provisioned.sqs_source(function)
        url, arn = self.provisioned.queues[queue_id], self.provisioned.queue_arns[queue_id]
        timeout = self.provisioned.timeout(function)
        while not self._stop.is_set():
            messages: list[dict[str, Any]] = []
            try:
                # Up to ``batch`` messages, gathered while more keep coming (a batching window).
                while len(messages) < batch:
                    resp = sqs.receive_message(
                        QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1, AttributeNames=["All"]
                    )
                    if not resp.get("Messages"):
                        break
                    messages += resp["Messages"]
            except Exception:  # the server is going away on shutdown
                if self._stop.is_set():
                    return
                time.sleep(0.5)
                continue
            if messages:
                self.dispatch(sqs, messages, arn, timeout, handler, function)

    def dispatch(
        self,
        sqs: Any,
        messages: list[dict[str, Any]],
        arn: str,
        timeout: int,
        handler: ModuleType | None = None,
        function: str = "IngestFunction",
    ) -> dict[str, Any]:
        event = sqs_event(messages, arn)
        context = FakeContext(function, timeout)
        url = self.provisioned.queues[self.provisioned.sqs_source(function)]
        try:
            result: dict[str, Any] = (handler or self.ingest).lambda_handler(event, context)
        except Exception:
            # A crashed invocation fails the whole batch, as on Lambda.
            result = {"batchItemFailures": [{"itemIdentifier": m["MessageId"]} for m in messages]}
        failed = {f["itemIdentifier"] for f in result.get("batchItemFailures", [])}
        # Batch calls take at most 10 entries.
        retry = [
            {
                "Id": str(i),
                "ReceiptHandle": m["ReceiptHandle"],
                "VisibilityTimeout": LOCAL_RETRY_DELAY_SECONDS,
            }
            for i, m in enumerate(messages)
            if m["MessageId"] in failed
        ]
        done = [
            {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]}
            for i, m in enumerate(messages)
            if m["MessageId"] not in failed
        ]
        for k in range(0, len(retry), 10):
            sqs.change_message_visibility_batch(QueueUrl=url, Entries=retry[k : k + 10])
        for k in range(0, len(done), 10):
            sqs.delete_message_batch(QueueUrl=url, Entries=done[k : k + 10])
        if function == "IngestFunction":
            with self._count_lock:
                self.dispatched += len(messages)
        return result

    # --- the HTTP API --------------------------------------------------------------

    def _serve_http(self) -> None:
        from werkzeug.serving import make_server  # noqa: PLC0415

        pool = api_pool(self.root, first=self.api)
        app = api_wsgi(pool)
        self._http = make_server(
            "127.0.0.1", self.api_port, app, threaded=True, request_handler=_Utf8RequestHandler
        )
        self._spawn(self._http.serve_forever, "http-api")

    def stop(self) -> None:
        self._stop.set()
        if hasattr(self, "_http"):
            self._http.shutdown()
            self._http.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        if hasattr(self, "_moto"):
            self._moto.stop()
        if hasattr(self, "_saved_environment"):
            os.environ.clear()
            os.environ.update(self._saved_environment)

    def __enter__(self) -> LocalStack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def api_pool(root: Path, first: ModuleType | None = None) -> HandlerPool:
    """The API function's environments as the local stack runs them, all started and warmed before
    the first request: an environment imported while another serves could still race it in
    Powertools' and pydantic's shared state (a 422 "query.year: Field required" under load)."""
    return HandlerPool(
        lambda: warmed(load_handler(root, "api")),
        API_ENVIRONMENTS,
        first=warmed(first) if first is not None else None,
        eager=True,
    )


def warmed(module: ModuleType) -> ModuleType:
    """Build every route's request model now, before the environment serves anyone.

    Powertools builds a route's validation model on its first request. Environments are
    threads here, not processes as on Lambda, and two building at once can race: a cold
    environment then answered 422 "query.year: Field required" to a request that had it.
    """
    app = module.app
    for route in [*app._dynamic_routes, *app._static_routes]:  # Powertools has no public hook
        _ = route.dependant, route.body_field
    return module


class HandlerPool:
    """Warm Lambda execution environments of one function: each handles one request at a time.

    Powertools' resolver keeps per-request state on its app object, so a handler module never
    serves two requests at once; like Lambda, the pool adds an environment (a fresh import of
    the handler module, see ``warmed``) when all are busy, up to ``size``, or starts them all at
    once (``eager``). Environments start one at a time.
    """

    def __init__(
        self,
        load: Callable[[], ModuleType],
        size: int,
        first: ModuleType | None = None,
        *,
        eager: bool = False,
    ) -> None:
        self._load = load
        self._size = size
        self._free: queue.SimpleQueue[ModuleType] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._starting = threading.Lock()
        self._count = 0
        if first is not None:
            self._free.put(first)
            self._count = 1
        while eager and self._count < size:
            self._free.put(load())
            self._count += 1

    @contextmanager
    def lease(self) -> Iterator[ModuleType]:
        try:
            module = self._free.get_nowait()
        except queue.Empty:
            with self._lock:
                grow = self._count < self._size
                self._count += grow
            if grow:
                with self._starting:
                    module = self._load()
            else:
                module = self._free.get()
        try:
            yield module
        finally:
            self._free.put(module)


def _percent_encoded(target: str) -> str:
    """A URL part as WSGI hands it over (raw bytes as latin-1) with every non-ASCII byte
    percent-encoded: curl sends Chinese typed in a URL as raw UTF-8, and API Gateway passes it on."""
    return re.sub(r"[\x80-\xff]", lambda m: f"%{ord(m.group()):02X}", target)


class _Utf8RequestHandler(WSGIRequestHandler):
    """http.server splits the request line on any whitespace, and raw UTF-8 in a URL can hold a
    byte that reads as one (法 is E6 B3 95, 宣 E5 AE A3, 传 E4 BC A0: A0 is a no-break space in
    latin-1): percent-encode such bytes before the line is parsed."""

    def parse_request(self) -> bool:
        line: bytes = getattr(self, "raw_requestline", b"")
        self.raw_requestline = re.sub(rb"[\x80-\xff]", lambda m: b"%%%02X" % m.group()[0], line)
        return bool(super().parse_request())


def api_wsgi(pool: HandlerPool) -> Any:
    """A WSGI app playing API Gateway: each request becomes an HTTP API v2 event for a handler."""

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        # The path as sent (still percent-encoded, as API Gateway delivers it); servers differ on
        # whether RAW_URI carries the query, so the query always comes from QUERY_STRING.
        path = str(environ.get("RAW_URI") or environ.get("REQUEST_URI") or "").split("?", 1)[0]
        if not path:
            path = quote(
                environ.get("PATH_INFO", "/").encode("latin-1").decode("utf-8", "replace"), safe="/%"
            )
        query = environ.get("QUERY_STRING", "")
        raw = _percent_encoded(path) + (f"?{_percent_encoded(query)}" if query else "")
        headers = {
            k[5:].replace("_", "-").lower(): str(v) for k, v in environ.items() if k.startswith("HTTP_")
        }
        for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            if environ.get(key):
                headers[key.replace("_", "-").lower()] = str(environ[key])
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        event = http_api_event(
            environ["REQUEST_METHOD"], str(raw), headers, body, str(environ.get("REMOTE_ADDR", "127.0.0.1"))
        )
        with pool.lease() as module:
            result = module.lambda_handler(event, FakeContext("ApiFunction", 29))
        payload = result.get("body") or ""
        data = base64.b64decode(payload) if result.get("isBase64Encoded") else str(payload).encode("utf-8")
        status = int(result.get("statusCode", 200))
        out = [(k, str(v)) for k, v in (result.get("headers") or {}).items()]
        out += [("Set-Cookie", c) for c in result.get("cookies") or []]
        out.append(("Content-Length", str(len(data))))
        start_response(f"{status} {HTTPStatus(status).phrase}", out)
        return [] if environ["REQUEST_METHOD"] == "HEAD" else [data]

    return app


def sqs_event(messages: list[dict[str, Any]], arn: str) -> dict[str, Any]:
    """The Lambda event for SQS messages as ReceiveMessage returns them, as the event source builds it."""
    return {
        "Records": [
            {
                "messageId": m["MessageId"],
                "receiptHandle": m["ReceiptHandle"],
                "body": m["Body"],
                "attributes": m.get("Attributes", {}),
                "messageAttributes": {},
                "md5OfBody": m.get("MD5OfBody", ""),
                "eventSource": "aws:sqs",
                "eventSourceARN": arn,
                "awsRegion": REGION,
            }
            for m in messages
        ]
    }


def http_api_event(
    method: str, target: str, headers: dict[str, str], body: bytes, source_ip: str
) -> dict[str, Any]:
    """An API Gateway HTTP API (payload 2.0) event, the way API Gateway builds it."""
    parts = urlsplit(target)
    query: dict[str, str] = {}
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        query[key] = f"{query[key]},{value}" if key in query else value
    lowered: dict[str, str] = {}
    for key, value in headers.items():
        lowered[key.lower()] = f"{lowered[key.lower()]},{value}" if key.lower() in lowered else value
    try:
        text_body: str | None = body.decode("utf-8") if body else None
        is_b64 = False
    except UnicodeDecodeError:
        text_body, is_b64 = base64.b64encode(body).decode(), True
    now = time.time()
    return {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": parts.path,
        "rawQueryString": parts.query,
        "headers": lowered,
        "queryStringParameters": query or None,
        "requestContext": {
            "accountId": ACCOUNT_ID,
            "apiId": "local",
            "domainName": lowered.get("host", "127.0.0.1"),
            "domainPrefix": "local",
            "http": {
                "method": method.upper(),
                "path": parts.path,
                "protocol": "HTTP/1.1",
                "sourceIp": source_ip,
                "userAgent": lowered.get("user-agent", ""),
            },
            "requestId": str(uuid.uuid4()),
            "routeKey": "$default",
            "stage": "$default",
            "time": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)),
            "timeEpoch": int(now * 1000),
        },
        "body": text_body,
        "pathParameters": None,
        "isBase64Encoded": is_b64,
        "stageVariables": None,
        **(
            {"cookies": cookies}
            if (cookies := [c.strip() for c in lowered.get("cookie", "").split(";") if c.strip()])
            else {}
        ),
    }
