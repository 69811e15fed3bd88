"""The archive table: one DynamoDB table, keys designed for the queries the API makes.

| item            | PK                         | SK                      | GSI1PK / GSI1SK                 | GSI2PK / GSI2SK              |
|-----------------|----------------------------|-------------------------|---------------------------------|------------------------------|
| entity          | E#<entity>                 | #ENTITY                 | ENTITIES / <entity>             |                              |
| report head     | E#<entity>                 | R#<year>#<doc_type>     | YEAR#<year> / <type>#<entity>   |                              |
| version         | R#<entity>#<year>#<type>   | V#<n:06d>               |                                 | CLEAN#<sha256> / <PK>#<SK>   |
| hash guard      | R#<entity>#<year>#<type>   | H#<clean sha256>        |                                 |                              |
| upload          | U#<upload_id>              | #UPLOAD                 | UPLOADS#<status> / <time>#<id>  | RAWKEY#<bucket>/<key> / <id> |
"""

from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from report_tracker.cursors import FORGED, pack, unpack
from report_tracker.errors import Conflict, InvalidRequest, StorageError
from report_tracker.models.archive import (
    TERMINAL_UPLOAD_STATES,
    EntityRecord,
    ReportHead,
    UploadRecord,
    UploadStatus,
    VersionRecord,
)
from report_tracker.models.report import DocType

_KEY_ATTRS = ("PK", "SK", "GSI1PK", "GSI1SK", "GSI2PK", "GSI2SK", "kind")
# An upload record may be (re)written while it has not reached a terminal state.
_TERMINAL_VALUES = {f":t{k}": s.value for k, s in enumerate(sorted(TERMINAL_UPLOAD_STATES))}
_UNFINISHED = f"attribute_not_exists(PK) OR NOT (#s IN ({', '.join(_TERMINAL_VALUES)}))"


# Items are JSON-mode model dumps (str, int, float, bool, list, dict), so the attribute-value
# codec is this small; boto3's TypeSerializer would import boto3 and s3transfer into every cold
# start (about 20 ms) for no gain, and turns numbers into Decimal.
def _to_av(value: Any) -> dict[str, Any]:
    if isinstance(value, str):
        return {"S": value}
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, int):
        return {"N": str(value)}
    if isinstance(value, float):
        if not math.isfinite(value):
            raise TypeError(f"DynamoDB cannot store {value!r}")
        return {"N": repr(value)}
    if isinstance(value, dict):
        return {"M": {str(k): _to_av(v) for k, v in value.items() if v is not None}}
    if isinstance(value, list | tuple):
        return {"L": [_to_av(v) for v in value]}
    if value is None:
        return {"NULL": True}
    raise TypeError(f"no DynamoDB type for {type(value).__name__}")


def _from_av(av: dict[str, Any]) -> Any:
    ((kind, value),) = av.items()
    if kind in {"S", "BOOL"}:
        return value
    if kind == "N":
        return int(value) if value.lstrip("-").isdigit() else float(value)
    if kind == "M":
        return {k: _from_av(v) for k, v in value.items()}
    if kind == "L":
        return [_from_av(v) for v in value]
    if kind == "NULL":
        return None
    raise TypeError(f"unexpected DynamoDB type {kind}")


def _dump(item: dict[str, Any]) -> dict[str, Any]:
    return {k: _to_av(v) for k, v in item.items() if v is not None}


def _load(raw: dict[str, Any]) -> dict[str, Any]:
    return {k: _from_av(v) for k, v in raw.items() if k not in _KEY_ATTRS}


def _plain(model: Any) -> dict[str, Any]:
    data: dict[str, Any] = model.model_dump(mode="json", exclude_none=True)
    return data


def report_pk(entity: str, year: int, doc_type: DocType | str) -> str:
    return f"R#{entity}#{year:04d}#{DocType(doc_type).value}"


def encode_cursor(key: dict[str, Any] | None) -> str | None:
    if not key:
        return None
    return pack(key)


# A GSI1 page's LastEvaluatedKey: the table key and the index key, all strings.
_GSI1_CURSOR_KEYS = frozenset({"PK", "SK", "GSI1PK", "GSI1SK"})


def decode_cursor(
    cursor: str | None, *, keys: frozenset[str] = _GSI1_CURSOR_KEYS, partition: tuple[str, str] | None = None
) -> dict[str, Any] | None:
    """The start key a cursor holds, checked by shape: exactly ``keys``, each a short string
    attribute, and (with ``partition``) inside the partition being listed. Anything else is a
    400, never a malformed query sent to DynamoDB."""
    if not cursor:
        return None
    key = unpack(cursor)
    if not isinstance(key, dict) or set(key) != keys:
        raise InvalidRequest(FORGED)
    for value in key.values():
        if not (isinstance(value, dict) and list(value) == ["S"] and isinstance(value["S"], str)):
            raise InvalidRequest(FORGED)
        if not 0 < len(value["S"]) <= 1200:
            raise InvalidRequest(FORGED)
    if partition is not None and key[partition[0]]["S"] != partition[1]:
        raise InvalidRequest("the cursor belongs to another listing")
    return key


@dataclass
class CommitResult:
    version: int
    duplicate: bool
    latest: bool


class ArchiveTable:
    def __init__(self, ddb: Any, table_name: str) -> None:
        self._ddb = ddb
        self.name = table_name

    # --- uploads ---------------------------------------------------------------------

    def _upload_item(self, record: UploadRecord) -> dict[str, Any]:
        return {
            "PK": f"U#{record.upload_id}",
            "SK": "#UPLOAD",
            "kind": "upload",
            "GSI1PK": f"UPLOADS#{record.status.value}",
            "GSI1SK": f"{record.updated_at}#{record.upload_id}",
            "GSI2PK": f"RAWKEY#{record.raw.bucket}/{record.raw.key}",
            "GSI2SK": record.upload_id,
            **_plain(record),
        }

    def get_upload(self, upload_id: str) -> UploadRecord | None:
        resp = self._call(
            "get_item", Key=_dump({"PK": f"U#{upload_id}", "SK": "#UPLOAD"}), ConsistentRead=True
        )
        item = resp.get("Item")
        return UploadRecord.model_validate(_load(item)) if item else None

    def begin_upload(self, record: UploadRecord) -> tuple[bool, UploadRecord | None]:
        """Record a new attempt unless the upload finished or failed for good.

        Returns whether it was written and the record it replaced (a retry) or the one that
        stopped it. One request where reading the record first took two.
        """
        try:
            resp = self._ddb.put_item(
                TableName=self.name,
                Item=_dump(self._upload_item(record)),
                ConditionExpression=f"({_UNFINISHED}) AND NOT (#s = :f AND #p = :t)",
                ExpressionAttributeNames={"#s": "status", "#p": "permanent"},
                ExpressionAttributeValues=_dump(
                    {**_TERMINAL_VALUES, ":f": UploadStatus.FAILED.value, ":t": True}
                ),
                ReturnValues="ALL_OLD",
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise StorageError(f"DynamoDB put_item failed: {exc}") from exc
            item = exc.response.get("Item")
            return False, UploadRecord.model_validate(_load(item)) if item else None
        old = resp.get("Attributes")
        return True, UploadRecord.model_validate(_load(old)) if old else None

    def put_upload(self, record: UploadRecord, *, unless_terminal: bool = True) -> bool:
        """Write an upload record unless it already reached a terminal state. True if written."""
        kwargs: dict[str, Any] = {"Item": _dump(self._upload_item(record))}
        if unless_terminal:
            kwargs["ConditionExpression"] = _UNFINISHED
            kwargs["ExpressionAttributeNames"] = {"#s": "status"}
            kwargs["ExpressionAttributeValues"] = _dump(_TERMINAL_VALUES)
        try:
            self._call("put_item", **kwargs)
        except Conflict:
            return False
        return True

    def list_uploads(
        self, status: UploadStatus, limit: int, cursor: str | None
    ) -> tuple[list[UploadRecord], str | None]:
        items, next_key = self._query_page(
            IndexName="GSI1",
            KeyConditionExpression="GSI1PK = :p",
            ExpressionAttributeValues=_dump({":p": f"UPLOADS#{status.value}"}),
            ScanIndexForward=False,
            limit=limit,
            cursor=cursor,
        )
        return [UploadRecord.model_validate(_load(i)) for i in items], next_key

    def uploads_for_key(self, bucket: str, key: str) -> list[UploadRecord]:
        items = self._query_all(
            IndexName="GSI2",
            KeyConditionExpression="GSI2PK = :p",
            ExpressionAttributeValues=_dump({":p": f"RAWKEY#{bucket}/{key}"}),
        )
        records = [self.get_upload(i["GSI2SK"]["S"]) for i in items]
        return [r for r in records if r is not None]

    # --- versions ------------------------------------------------------------------

    def commit_version(
        self,
        version: VersionRecord,
        upload: UploadRecord,
        entity: EntityRecord,
        *,
        head: ReportHead | bool | None = False,
        max_attempts: int = 40,
    ) -> CommitResult:
        """Give ``version`` the next number of its report, atomically with the latest pointer.

        One TransactWriteItems with conditions: the version number is free, the clean-text
        hash is new for this report, and the head still has the count we read. A concurrent
        writer makes the head condition fail and we retry with the new count; a repeated
        clean text makes the hash guard fail and the upload is recorded as a duplicate.
        ``head``, when given (None: no head yet), is the caller's fresh read of it, used for the
        first attempt instead of reading it again; a stale one only costs a retry.
        """
        pk = report_pk(version.entity, version.review_year, version.doc_type)
        head_key = {
            "PK": f"E#{version.entity}",
            "SK": f"R#{version.review_year:04d}#{version.doc_type.value}",
        }
        known = head is not False
        for attempt in range(max_attempts):
            if attempt or not known:
                head = self.get_head(version.entity, version.review_year, version.doc_type)
            assert head is None or isinstance(head, ReportHead)
            number = (head.version_count if head else 0) + 1
            is_latest = head is None or version.order_key >= head.latest_order
            stored = version.model_copy(update={"version": number})
            new_head = ReportHead(
                entity=version.entity,
                review_year=version.review_year,
                plan_year=version.plan_year if is_latest or head is None else head.plan_year,
                doc_type=version.doc_type,
                version_count=number,
                latest_version=number if is_latest else head.latest_version,  # type: ignore[union-attr]
                latest_order=version.order_key if is_latest else head.latest_order,  # type: ignore[union-attr]
                title=version.title if is_latest else head.title,  # type: ignore[union-attr]
                status=version.status if is_latest else head.status,  # type: ignore[union-attr]
                flags=version.flags if is_latest else head.flags,  # type: ignore[union-attr]
                updated_at=version.created_at,
                latest_clean_sha256=version.clean_sha256 if is_latest else head.latest_clean_sha256,  # type: ignore[union-attr]
                latest_archive_key=version.archive_key if is_latest else head.latest_archive_key,  # type: ignore[union-attr]
            )
            head_cond: dict[str, Any] = (
                {"ConditionExpression": "attribute_not_exists(PK)"}
                if head is None
                else {
                    "ConditionExpression": "version_count = :n",
                    "ExpressionAttributeValues": _dump({":n": head.version_count}),
                }
            )
            done = upload.model_copy(
                update={
                    "status": UploadStatus.STORED,
                    "version": number,
                    "reason": None,
                    "updated_at": version.created_at,
                }
            )
            transact = [
                {
                    "Put": {
                        "TableName": self.name,
                        "Item": _dump(
                            {
                                "PK": pk,
                                "SK": f"V#{number:06d}",
                                "kind": "version",
                                "GSI2PK": f"CLEAN#{version.clean_sha256}",
                                "GSI2SK": f"{pk}#V#{number:06d}",
                                **_plain(stored),
                            }
                        ),
                        "ConditionExpression": "attribute_not_exists(PK)",
                    }
                },
                {
                    "Put": {
                        "TableName": self.name,
                        "Item": _dump(
                            {"PK": pk, "SK": f"H#{version.clean_sha256}", "kind": "hash", "version": number}
                        ),
                        "ConditionExpression": "attribute_not_exists(PK)",
                    }
                },
                {
                    "Put": {
                        "TableName": self.name,
                        "Item": _dump(
                            {
                                **head_key,
                                "kind": "head",
                                "GSI1PK": f"YEAR#{version.review_year:04d}",
                                "GSI1SK": f"{version.doc_type.value}#{version.entity}",
                                **_plain(new_head),
                            }
                        ),
                        **head_cond,
                    }
                },
                {"Put": {"TableName": self.name, "Item": _dump(self._upload_item(done))}},
                {
                    "Put": {
                        "TableName": self.name,
                        "Item": _dump(
                            {
                                "PK": f"E#{entity.entity}",
                                "SK": "#ENTITY",
                                "kind": "entity",
                                "GSI1PK": "ENTITIES",
                                "GSI1SK": entity.entity,
                                **_plain(entity),
                            }
                        ),
                    }
                },
            ]
            try:
                self._ddb.transact_write_items(TransactItems=transact)
                return CommitResult(number, False, is_latest)
            except ClientError as exc:
                if exc.response.get("Error", {}).get("Code") != "TransactionCanceledException":
                    raise StorageError(f"the index transaction failed: {exc}") from exc
                reasons = [r.get("Code") for r in exc.response.get("CancellationReasons", [])]
                if len(reasons) > 1 and reasons[1] == "ConditionalCheckFailed":
                    existing = self.duplicate_of(pk, version.clean_sha256)
                    return CommitResult(existing or 0, True, False)
                time.sleep(min(0.5, 0.01 * (2 ** min(attempt, 6))) * random.random())  # noqa: S311 - jitter
        raise StorageError(f"could not assign a version number after {max_attempts} attempts (contention)")

    def duplicate_of(self, report_pk_value: str, clean_sha256: str) -> int | None:
        resp = self._call(
            "get_item", Key=_dump({"PK": report_pk_value, "SK": f"H#{clean_sha256}"}), ConsistentRead=True
        )
        item = resp.get("Item")
        return int(_load(item)["version"]) if item else None

    def get_head(self, entity: str, year: int, doc_type: DocType | str) -> ReportHead | None:
        resp = self._call(
            "get_item",
            Key=_dump({"PK": f"E#{entity}", "SK": f"R#{year:04d}#{DocType(doc_type).value}"}),
            ConsistentRead=True,
        )
        item = resp.get("Item")
        return ReportHead.model_validate(_load(item)) if item else None

    def list_reports(self, entity: str, year: int | None = None) -> list[ReportHead]:
        prefix = f"R#{year:04d}#" if year is not None else "R#"
        items = self._query_all(
            KeyConditionExpression="PK = :p AND begins_with(SK, :s)",
            ExpressionAttributeValues=_dump({":p": f"E#{entity}", ":s": prefix}),
        )
        return [ReportHead.model_validate(_load(i)) for i in items]

    def list_reports_of_year(self, year: int, doc_type: DocType | None = None) -> list[ReportHead]:
        """Every entity's report heads for one review year (GSI1), optionally of one type."""
        values: dict[str, str] = {":p": f"YEAR#{year:04d}"}
        condition = "GSI1PK = :p"
        if doc_type is not None:
            values[":s"] = f"{doc_type.value}#"
            condition += " AND begins_with(GSI1SK, :s)"
        items = self._query_all(
            IndexName="GSI1", KeyConditionExpression=condition, ExpressionAttributeValues=_dump(values)
        )
        return [ReportHead.model_validate(_load(i)) for i in items]

    def list_versions(self, entity: str, year: int, doc_type: DocType | str) -> list[VersionRecord]:
        items = self._query_all(
            KeyConditionExpression="PK = :p AND begins_with(SK, :s)",
            ExpressionAttributeValues=_dump({":p": report_pk(entity, year, doc_type), ":s": "V#"}),
        )
        return [VersionRecord.model_validate(_load(i)) for i in items]

    def get_version(
        self, entity: str, year: int, doc_type: DocType | str, number: int
    ) -> VersionRecord | None:
        resp = self._call(
            "get_item", Key=_dump({"PK": report_pk(entity, year, doc_type), "SK": f"V#{number:06d}"})
        )
        item = resp.get("Item")
        return VersionRecord.model_validate(_load(item)) if item else None

    def mark_withdrawn(self, version: VersionRecord, when: str) -> None:
        pk = report_pk(version.entity, version.review_year, version.doc_type)
        self._call(
            "update_item",
            Key=_dump({"PK": pk, "SK": f"V#{version.version:06d}"}),
            UpdateExpression="SET withdrawn = :t, withdrawn_at = :w",
            ExpressionAttributeValues=_dump({":t": True, ":w": when}),
        )

    # --- entities ------------------------------------------------------------------

    def list_entities(self, limit: int, cursor: str | None) -> tuple[list[EntityRecord], str | None]:
        items, next_key = self._query_page(
            IndexName="GSI1",
            KeyConditionExpression="GSI1PK = :p",
            ExpressionAttributeValues=_dump({":p": "ENTITIES"}),
            limit=limit,
            cursor=cursor,
        )
        return [EntityRecord.model_validate(_load(i)) for i in items], next_key

    def get_entity(self, entity: str) -> EntityRecord | None:
        resp = self._call("get_item", Key=_dump({"PK": f"E#{entity}", "SK": "#ENTITY"}))
        item = resp.get("Item")
        return EntityRecord.model_validate(_load(item)) if item else None

    # --- plumbing ------------------------------------------------------------------

    def _call(self, op: str, **kwargs: Any) -> dict[str, Any]:
        try:
            result: dict[str, Any] = getattr(self._ddb, op)(TableName=self.name, **kwargs)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                raise Conflict("the item changed or already exists") from exc
            raise StorageError(f"DynamoDB {op} failed: {exc}") from exc
        return result

    def _query_page(
        self, *, limit: int, cursor: str | None, **kwargs: Any
    ) -> tuple[list[dict[str, Any]], str | None]:
        partition = _load(kwargs["ExpressionAttributeValues"])[":p"]
        start = decode_cursor(cursor, partition=("GSI1PK", partition))
        if start:
            kwargs["ExclusiveStartKey"] = start
        try:
            resp = self._call("query", Limit=limit, **kwargs)
        except StorageError as exc:
            if start and "ValidationException" in exc.message:
                raise InvalidRequest(FORGED) from exc
            raise
        return resp.get("Items", []), encode_cursor(resp.get("LastEvaluatedKey"))

    def _query_all(self, **kwargs: Any) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        while True:
            resp = self._call("query", **kwargs)
            items.extend(resp.get("Items", []))
            if "LastEvaluatedKey" not in resp:
                return items
            kwargs["ExclusiveStartKey"] = resp["LastEvaluatedKey"]
