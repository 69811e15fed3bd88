"""moto's server for the local stack, in a process of its own.

Run as ``python -m report_tracker.local.moto_server PORT``: prints ``ready`` once it listens
and exits when its standard input closes (the local stack holds the other end, so the
server never outlives it). A process of its own gives moto a core: in the stack's process it
competed with the ingest and API handlers for the GIL on every call.

Corrections make moto behave like AWS where the stack depends on it, or as fast as the
stack needs:
- S3 event records carry the object's versionId and a sequencer that grows with every
  event, as S3's do. moto sends neither, so two uploads to one key within a second (HeadObject's
  LastModified has one-second precision) could not be ordered, and the latest version of a
  report depended on which ingest worker finished last.
- Requests are served one at a time, as atomic as the services are. moto's in-memory backends
  are not thread-safe (measured: 16 concurrent TransactWriteItems got duplicate version numbers;
  concurrent ReceiveMessage calls failed with "Set changed size during iteration", and two could
  take the same message). A long poll takes the lock for each look at the queue, not while it
  waits, so it never holds up the request that sends what it waits for.
- A query reads the one partition asked for, on the base table and on an index alike. moto
  filters every item of the table for every query (23 ms per query at 250 uploads, growing);
  DynamoDB reads the partition. For indexes the stand-in keeps a map from index key to items,
  rebuilt by the first index query after any write (one pass, what moto spent on every query).
- Items read are written out with ``json.dumps``. moto serializes every response by walking
  the service model value by value: 40 ms for a page of 50 items, more than the query itself.
  Item reads carry nothing but JSON (binary or dates fall back to moto's serializer).
- SQS looks at its clock cheaply and checks retention against the queue's setting directly.
  moto computed every attribute of the queue (counting all its messages, two datetimes per
  message) for each message received and for each message sent: quadratic in the backlog, a
  fifth of moto's time under a burst of uploads.
- Requests are routed to moto's service app by service, region and target, remembered; moto
  worked the service out afresh from the headers for every request, and re-executed its S3
  URL module for every S3 request.
- A transaction snapshots only the partitions it touches. moto deep-copies every table it
  writes for rollback, so each TransactWriteItems cost time in proportion to everything stored
  (41 ms at 100 uploads, growing). Put, Delete and ConditionCheck replace items rather than
  change them, so a copy of each touched partition's item map restores exactly the same state;
  a transaction with an Update keeps moto's deep copy.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import itertools
import json
import sys
import threading
import time
from collections import defaultdict
from typing import Any


class _NoTableCopies:
    """Stands in for the ``copy`` module inside moto's DynamoDB backend during one transaction:
    moto's snapshot of a table is the live table, so its rollback changes nothing, and the
    partitions the transaction touches are restored instead."""

    @staticmethod
    def deepcopy(table: Any) -> Any:
        return table

    def __getattr__(self, name: str) -> Any:
        return getattr(copy, name)


def _touched_partitions(backend: Any, transact_items: list[dict[str, Any]]) -> list[tuple[Any, Any, Any]]:
    """(table, hash key, copy of its partition or None) for every partition the items write or check."""
    from moto.dynamodb.models.dynamo_type import DynamoType  # noqa: PLC0415

    saved = []
    for op in transact_items:
        ((_, body),) = op.items()
        table = backend.tables.get(body.get("TableName"))
        key = body.get("Key") or body.get("Item") or {}
        if table is None or table.hash_key_attr not in key:
            continue
        hash_key = DynamoType(key[table.hash_key_attr])
        partition = table.items.get(hash_key)
        saved.append(
            (table, hash_key, dict(partition) if table.has_range_key and partition is not None else partition)
        )
    return saved


def cheap_transaction_snapshots() -> None:
    from moto.dynamodb import models  # noqa: PLC0415

    original = models.DynamoDBBackend.transact_write_items
    if getattr(original, "_snapshots_patched", False):
        return

    def transact_write_items(
        self: Any, transact_items: list[dict[str, Any]], *args: Any, **kwargs: Any
    ) -> Any:
        if any("Update" in item for item in transact_items):
            return original(self, transact_items, *args, **kwargs)
        saved = _touched_partitions(self, transact_items)
        models.copy = _NoTableCopies()  # type: ignore[assignment,attr-defined]
        try:
            return original(self, transact_items, *args, **kwargs)
        except BaseException:
            for table, hash_key, partition in reversed(saved):  # the first copy is the state before
                if partition is None:
                    table.items.pop(hash_key, None)
                else:
                    table.items[hash_key] = partition
            raise
        finally:
            models.copy = copy  # type: ignore[attr-defined]

    transact_write_items._snapshots_patched = True  # type: ignore[attr-defined]
    models.DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]


def s3_events_like_aws() -> None:
    from moto.s3 import notifications  # noqa: PLC0415

    original = notifications._get_s3_event
    if getattr(original, "_like_aws", False):
        return
    counter = itertools.count(1)
    lock = threading.Lock()

    def get_s3_event(event_name: str, bucket: Any, key: Any, notification_id: str) -> dict[str, Any]:
        event: dict[str, Any] = original(event_name, bucket, key, notification_id)
        with lock:
            sequencer = f"{next(counter):016X}"
        for record in event["Records"]:
            obj = record["s3"]["object"]
            obj["sequencer"] = sequencer
            version = getattr(key, "version_id", None)
            if version and version != "null":
                obj["versionId"] = version
        return event

    get_s3_event._like_aws = True  # type: ignore[attr-defined]
    notifications._get_s3_event = get_s3_event


# Grows with every write to any table; an index map built at an older generation is stale.
_generation = itertools.count(1)
_current = [0]
_WRITES = (
    "put_item", "update_item", "delete_item", "transact_write_items", "create_table", "delete_table",
    "update_table", "execute_statement", "execute_transaction", "batch_execute_statement",
)  # fmt: skip


def _index_partitions(table: Any) -> dict[str, dict[Any, list[Any]]]:
    """Index name -> value of the index's hash attribute -> items carrying it, in index order.

    In index order (range key, then the table's keys) because moto sorts each answer: a sorted
    run costs its sort one comparison per item instead of n log n DynamoType comparisons.
    """
    cached = table.__dict__.get("_rt_index_partitions")
    if cached is not None and cached[0] == _current[0]:
        return cached[1]  # type: ignore[no-any-return]
    order: dict[str, tuple[str, list[str]]] = {}
    for index in table.all_indexes():
        keys = [k["AttributeName"] for k in index.schema if k["KeyType"] == "HASH"]
        if len(keys) == 1:  # multi-attribute keys are left to moto's own scan
            ranges = [k["AttributeName"] for k in index.schema if k["KeyType"] == "RANGE"]
            order[index.name] = (keys[0], [*ranges, table.hash_key_attr, table.range_key_attr])
    partitions: dict[str, dict[Any, list[Any]]] = {name: defaultdict(list) for name in order}
    for item in table.all_items():
        attrs = getattr(item, "attrs", None) or {}
        for name, (attr, _) in order.items():
            value = attrs.get(attr)
            if value is not None:
                partitions[name][value].append(item)
    for name, (_, sort_attrs) in order.items():
        for items in partitions[name].values():
            with contextlib.suppress(TypeError):  # mixed types under one attribute: moto's sort copes
                items.sort(key=lambda i: tuple(_sort_value(i.attrs.get(a)) for a in sort_attrs if a))
    table._rt_index_partitions = (_current[0], partitions)
    return partitions


def _sort_value(value: Any) -> tuple[bool, Any]:
    return (value is None, None if value is None else value.cast_value)


def partition_queries() -> None:
    from moto.dynamodb.models import DynamoDBBackend  # noqa: PLC0415
    from moto.dynamodb.models.table import Table  # noqa: PLC0415

    original = Table.query
    if getattr(original, "_by_partition", False):
        return

    def query(self: Any, hash_key: Any, *args: Any, **kwargs: Any) -> Any:
        # moto's backend passes index_name as the 8th positional argument (after hash_key).
        index_name = kwargs.get("index_name", args[6] if len(args) > 6 else None)
        if hash_key is None or (not index_name and not self.has_range_key):
            return original(self, hash_key, *args, **kwargs)
        # moto filters all_items() by the key conditions: hand it the partition only (a superset
        # of the answer is enough, its own filter still decides).
        if index_name:
            partitions = _index_partitions(self)
            if index_name not in partitions:
                return original(self, hash_key, *args, **kwargs)
            partition = partitions[index_name].get(hash_key, [])
            self.all_items = lambda: iter(list(partition))
        else:
            self.all_items = lambda: iter(self.items.get(hash_key, {}).values())
        try:
            return original(self, hash_key, *args, **kwargs)
        finally:
            del self.all_items

    def counting(method: Any) -> Any:
        def write(self: Any, *args: Any, **kwargs: Any) -> Any:
            _current[0] = next(_generation)
            try:
                return method(self, *args, **kwargs)
            finally:
                _current[0] = next(_generation)  # also after a rollback restored older tables

        return write

    for name in _WRITES:
        if hasattr(DynamoDBBackend, name):
            setattr(DynamoDBBackend, name, counting(getattr(DynamoDBBackend, name)))
    query._by_partition = True  # type: ignore[attr-defined]
    Table.query = query  # type: ignore[method-assign]


def cheap_sqs() -> None:
    from moto.sqs import models  # noqa: PLC0415
    from moto.sqs.models import Message, SQSBackend  # noqa: PLC0415

    def is_message_valid_based_on_retention_period(self: Any, queue_name: str, message: Any) -> bool:
        retention = int(self.get_queue(queue_name).message_retention_period)
        return bool(retention + message.sent_timestamp / 1000 > time.time())

    SQSBackend.is_message_valid_based_on_retention_period = is_message_valid_based_on_retention_period  # type: ignore[method-assign]
    # The same clock as moto's (milliseconds since the epoch) without building two datetimes per
    # message per look: sending or receiving counts every message of the queue this way.
    Message.visible = property(lambda self: time.time() * 1000 > self.visible_at)  # type: ignore[assignment,method-assign]
    Message.delayed = property(lambda self: time.time() * 1000 < self.delayed_until)  # type: ignore[assignment,method-assign]
    # Every send reads the queue's attributes, converting each attribute name with a regex.
    models.camelcase_to_underscores = functools.lru_cache(maxsize=256)(models.camelcase_to_underscores)  # type: ignore[attr-defined]


def atomic_receive(lock: threading.RLock) -> None:
    """ReceiveMessage looks at the queue under ``lock`` and waits for messages outside it."""
    from moto.sqs.models import SQSBackend  # noqa: PLC0415

    look = SQSBackend.receive_message

    def receive_message(
        self: Any,
        queue_name: str,
        count: int,
        wait_seconds_timeout: int,
        visibility_timeout: int,
        message_attribute_names: list[str] | None = None,
    ) -> Any:
        deadline = time.monotonic() + wait_seconds_timeout
        while True:
            with lock:
                # With no wait moto looks once and returns.
                result = look(self, queue_name, count, 0, visibility_timeout, message_attribute_names)
            remaining = deadline - time.monotonic()
            if result or remaining <= 0:
                return result
            self.get_queue(queue_name).wait_for_messages(min(1.0, remaining))

    SQSBackend.receive_message = receive_message  # type: ignore[method-assign]


def s3_urls_loaded_once() -> None:
    import moto.s3.urls  # noqa: PLC0415
    from moto.s3.models import S3Backend  # noqa: PLC0415

    # moto reloads (re-executes) its S3 URL module on every S3 request, in case environment
    # variables changed since; the stand-in's do not.
    S3Backend._url_module = property(lambda self: moto.s3.urls)  # type: ignore[assignment,method-assign]


def _route_key(environ: dict[str, Any]) -> tuple[str, str, str] | None:
    """What decides moto's service app for our three services; None: let moto work it out."""
    auth = str(environ.get("HTTP_AUTHORIZATION", ""))
    path = str(environ.get("PATH_INFO", ""))
    if not auth.startswith("AWS4-HMAC-SHA256 ") or path.startswith(("/moto-api", "/v20180820/")):
        return None
    try:
        _, _, region, service, _ = auth.split(",", maxsplit=1)[0].split()[1].split("/")
    except (ValueError, IndexError):
        return None
    target = str(environ.get("HTTP_X_AMZ_TARGET", "")).split(".")[0]
    if service not in {"s3", "sqs", "dynamodb"} or "s3-control" in str(environ.get("HTTP_HOST", "")):
        return None
    return service, region, target


def remembered_routes(app: Any) -> None:
    original = app.get_application
    routes: dict[tuple[str, str, str], Any] = {}

    def get_application(environ: dict[str, Any]) -> Any:
        key = _route_key(environ)
        if key is None:
            return original(environ)
        found = routes.get(key)
        if found is None:
            found = routes[key] = original(environ)
        return found

    app.get_application = get_application


_ITEM_READS = frozenset({"GetItem", "Query", "Scan", "BatchGetItem", "TransactGetItems"})


def fast_item_responses(enabled: bool = True) -> None:
    from moto.dynamodb.responses import DynamoHandler  # noqa: PLC0415

    current = DynamoHandler.serialized
    original = getattr(current, "_original", current)
    if not enabled:
        DynamoHandler.serialized = original  # type: ignore[method-assign]
        return
    if current is not original:
        return

    def serialized(self: Any, action_result: Any) -> Any:
        result = action_result.result
        if isinstance(result, dict) and self._get_action() in _ITEM_READS:
            try:
                body = json.dumps(result)
            except TypeError:  # bytes or datetime: moto's serializer knows how
                return original(self, action_result)
            return 200, {"Content-Type": "application/x-amz-json-1.0", **self.response_headers}, body
        return original(self, action_result)

    serialized._original = original  # type: ignore[attr-defined]
    DynamoHandler.serialized = serialized  # type: ignore[method-assign]


def serve(port: int) -> Any:
    """Start moto's server on 127.0.0.1:port in a thread; returns the werkzeug server."""
    from moto.moto_server.werkzeug_app import (  # noqa: PLC0415
        DomainDispatcherApplication,
        MotoRequestHandler,
        create_backend_app,
    )
    from werkzeug.serving import make_server  # noqa: PLC0415

    cheap_transaction_snapshots()
    partition_queries()
    fast_item_responses()
    # Re-entrant: a ReceiveMessage in the query protocol (no target header) is served under
    # the lock and takes it again for each look.
    lock = threading.RLock()
    cheap_sqs()
    atomic_receive(lock)
    s3_urls_loaded_once()
    s3_events_like_aws()
    app = DomainDispatcherApplication(create_backend_app)
    remembered_routes(app)

    def serial(environ: dict[str, Any], start_response: Any) -> Any:
        if environ.get("HTTP_X_AMZ_TARGET") == "AmazonSQS.ReceiveMessage":
            return app(environ, start_response)  # takes the lock for each look (atomic_receive)
        with lock:
            return list(app(environ, start_response))

    server = make_server("127.0.0.1", port, serial, threaded=True, request_handler=MotoRequestHandler)
    threading.Thread(target=server.serve_forever, name="moto", daemon=True).start()
    return server


def main(argv: list[str] | None = None) -> int:
    import logging  # noqa: PLC0415

    args = argv if argv is not None else sys.argv[1:]
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = serve(int(args[0]))
    print("ready", flush=True)
    sys.stdin.read()  # until the local stack closes the pipe (or dies)
    server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
