"""Raw uploads (read-only here) and the archive of clean readings."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from botocore.exceptions import ClientError

from report_tracker.errors import NotFound, StorageError


@dataclass
class RawHead:
    size: int
    version_id: str | None
    last_modified: str
    metadata: dict[str, str]
    content_type: str | None


@dataclass
class RawFetch:
    """An object version being read: its head now, its body when (and if) it is wanted."""

    head: RawHead
    _body: Any

    def read(self) -> bytes:
        data: bytes = self._body.read()
        return data

    def close(self) -> None:
        self._body.close()


def _head_of(resp: dict[str, Any]) -> RawHead:
    modified: datetime = resp.get("LastModified") or datetime.now(UTC)
    return RawHead(
        size=int(resp.get("ContentLength", 0)),
        version_id=resp.get("VersionId") if resp.get("VersionId") not in (None, "null") else None,
        last_modified=modified.astimezone(UTC).isoformat(),
        metadata=dict(resp.get("Metadata") or {}),
        content_type=resp.get("ContentType"),
    )


def _missing(exc: ClientError) -> bool:
    return exc.response.get("Error", {}).get("Code") in {"404", "NoSuchKey", "NoSuchVersion"}


class RawStore:
    """The bucket users upload to. We never write to it from ingest."""

    def __init__(self, s3: Any, bucket: str) -> None:
        self._s3 = s3
        self.bucket = bucket

    def fetch(self, key: str, version_id: str | None = None, etag: str | None = None) -> RawFetch:
        """GetObject of one object version: the head at once, the body left unread until wanted.

        One request where a HeadObject then a GetObject took two. The caller checks the size
        before reading and closes the body when it does not read it. Without a version id the
        event's ETag must match, else the announced version is looked up among the key's versions.
        """
        kwargs: dict[str, str] = {"Bucket": self.bucket, "Key": key}
        if version_id:
            kwargs["VersionId"] = version_id
        elif etag:
            wanted = etag.strip('"')
            kwargs["IfMatch"] = f'"{wanted}"'
        try:
            resp = self._s3.get_object(**kwargs)
        except ClientError as exc:
            if "IfMatch" in kwargs and not _missing(exc):  # overwritten since the event (412)
                announced = self._version_with_etag(key, etag or "")
                return self.fetch(key, announced) if announced else self.fetch(key)
            raise self._read_error(key, exc) from exc
        return RawFetch(_head_of(resp), resp["Body"])

    def read_whole(self, key: str, version_id: str | None = None) -> tuple[RawHead, bytes]:
        """One object version's head and body, with one GetObject."""
        fetched = self.fetch(key, version_id)
        try:
            return fetched.head, fetched.read()
        finally:
            fetched.close()

    def _read_error(self, key: str, exc: ClientError) -> NotFound | StorageError:
        if _missing(exc):
            return NotFound(f"s3://{self.bucket}/{key} does not exist (deleted before it was read)")
        return StorageError(f"could not read s3://{self.bucket}/{key}: {exc}")

    def _version_with_etag(self, key: str, etag: str) -> str | None:
        """The oldest version of ``key`` with this ETag (asked only once the current one differs)."""
        wanted = etag.strip('"')
        try:
            resp = self._s3.list_object_versions(Bucket=self.bucket, Prefix=key)
        except ClientError:
            return None  # unversioned bucket or no permission: fall back to the current object
        matches = [
            v
            for v in resp.get("Versions", [])
            if v.get("Key") == key and str(v.get("ETag", "")).strip('"') == wanted
        ]
        matches.sort(key=lambda v: v.get("LastModified") or datetime.min.replace(tzinfo=UTC))
        version: str | None = matches[0].get("VersionId") if matches else None
        return version if version not in (None, "null") else None

    def presigned_put(
        self, key: str, *, size: int, content_type: str, metadata: dict[str, str], expires: int
    ) -> str:
        """A URL that accepts exactly one PUT of ``size`` bytes with these headers (all signed)."""
        try:
            url: str = self._s3.generate_presigned_url(
                "put_object",
                Params={
                    "Bucket": self.bucket,
                    "Key": key,
                    "Metadata": metadata,
                    "ContentLength": size,
                    "ContentType": content_type,
                },
                ExpiresIn=expires,
            )
        except ClientError as exc:
            raise StorageError(f"could not sign an upload to s3://{self.bucket}: {exc}") from exc
        return url


class Superseded(StorageError):
    """A conditional write lost to another writer: read again and redo."""


class ArchiveStore:
    """Clean readings as JSON, content-addressed so a retried write is the same write."""

    def __init__(self, s3: Any, bucket: str) -> None:
        self._s3 = s3
        self.bucket = bucket

    def put_json(self, key: str, document: dict[str, Any]) -> None:
        body = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        try:
            self._s3.put_object(
                Bucket=self.bucket, Key=key, Body=body, ContentType="application/json; charset=utf-8"
            )
        except ClientError as exc:
            raise StorageError(f"could not write s3://{self.bucket}/{key}: {exc}") from exc

    def get_json(self, key: str) -> dict[str, Any]:
        try:
            body = self._s3.get_object(Bucket=self.bucket, Key=key)["Body"].read()
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in {"404", "NoSuchKey"}:
                raise NotFound(f"archive object {key} is missing") from exc
            raise StorageError(f"could not read s3://{self.bucket}/{key}: {exc}") from exc
        document: dict[str, Any] = json.loads(body)
        return document

    def put_bytes(
        self,
        key: str,
        body: bytes | BinaryIO,
        content_type: str,
        *,
        if_match: str | None = None,
        new: bool = False,
    ) -> str:
        """Write ``body`` (bytes, or a file read as it is sent); with ``if_match`` only over that
        ETag, with ``new`` only where nothing is (S3 conditional writes): ``Superseded`` when
        another writer got there first. The new ETag."""
        extra: dict[str, str] = {"IfMatch": if_match} if if_match else ({"IfNoneMatch": "*"} if new else {})
        try:
            resp = self._s3.put_object(
                Bucket=self.bucket, Key=key, Body=body, ContentType=content_type, **extra
            )
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in {
                "PreconditionFailed",
                "ConditionalRequestConflict",
            }:
                raise Superseded(f"s3://{self.bucket}/{key} changed meanwhile") from exc
            raise StorageError(f"could not write s3://{self.bucket}/{key}: {exc}") from exc
        return str(resp.get("ETag", "")).strip('"')

    def put_file(
        self, key: str, path: Path, content_type: str, *, if_match: str | None = None, new: bool = False
    ) -> str:
        """``put_bytes`` of a file, streamed from disk (an index file may be larger than memory)."""
        with path.open("rb") as body:
            return self.put_bytes(key, body, content_type, if_match=if_match, new=new)

    def download(self, key: str, path: Path) -> None:
        """The object into ``path``, a megabyte at a time (never whole in memory)."""
        try:
            body = self._s3.get_object(Bucket=self.bucket, Key=key)["Body"]
            with path.open("wb") as out:
                for chunk in body.iter_chunks(1 << 20):
                    out.write(chunk)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in {"404", "NoSuchKey"}:
                raise NotFound(f"archive object {key} is missing") from exc
            raise StorageError(f"could not read s3://{self.bucket}/{key}: {exc}") from exc

    def get_bytes(self, key: str) -> bytes:
        try:
            body: bytes = self._s3.get_object(Bucket=self.bucket, Key=key)["Body"].read()
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in {"404", "NoSuchKey"}:
                raise NotFound(f"archive object {key} is missing") from exc
            raise StorageError(f"could not read s3://{self.bucket}/{key}: {exc}") from exc
        return body

    def delete(self, keys: list[str]) -> None:
        for start in range(0, len(keys), 1000):  # DeleteObjects takes up to 1000 keys
            batch = [{"Key": k} for k in keys[start : start + 1000]]
            try:
                self._s3.delete_objects(Bucket=self.bucket, Delete={"Objects": batch, "Quiet": True})
            except ClientError as exc:
                raise StorageError(f"s3://{self.bucket}: the delete failed: {exc}") from exc

    def list_page(
        self, prefix: str, limit: int, after: str | None
    ) -> tuple[list[dict[str, Any]], str | None]:
        """One page of objects under ``prefix`` (Key, Size, ETag) after the key ``after``, and the
        last key given when more follow (S3 lists in key order: a stable keyset cursor)."""
        params: dict[str, Any] = {"Bucket": self.bucket, "Prefix": prefix, "MaxKeys": limit}
        if after:
            params["StartAfter"] = after
        try:
            resp = self._s3.list_objects_v2(**params)
        except ClientError as exc:
            raise StorageError(f"could not list s3://{self.bucket}/{prefix}: {exc}") from exc
        items: list[dict[str, Any]] = resp.get("Contents", [])
        return items, (items[-1]["Key"] if resp.get("IsTruncated") and items else None)

    def signed_get(self, key: str, expires: int = 3600) -> str:
        url: str = self._s3.generate_presigned_url(
            "get_object", Params={"Bucket": self.bucket, "Key": key}, ExpiresIn=expires
        )
        return url

    def list_keys(self, prefix: str) -> list[str]:
        keys: list[str] = []
        try:
            for page in self._s3.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix):
                keys.extend(o["Key"] for o in page.get("Contents", []))
        except ClientError as exc:
            raise StorageError(f"could not list s3://{self.bucket}/{prefix}: {exc}") from exc
        return keys

    def park_response(self, body: bytes, content_type: str, disposition: str | None, expires: int) -> str:
        """Store an answer too large to return through API Gateway; a signed GET URL for it.

        Keyed by its hash (the same answer is parked once); the bucket's lifecycle rule
        deletes ``responses/`` after a day.
        """
        key = f"responses/{hashlib.sha256(body).hexdigest()}"
        params: dict[str, Any] = {"Bucket": self.bucket, "Key": key}
        extra = {"ResponseContentType": content_type}
        if disposition:
            extra["ResponseContentDisposition"] = disposition
        try:
            self._s3.put_object(**params, Body=body, ContentType=content_type)
            url: str = self._s3.generate_presigned_url(
                "get_object", Params={**params, **extra}, ExpiresIn=expires
            )
        except ClientError as exc:
            raise StorageError(f"could not park a large answer in s3://{self.bucket}: {exc}") from exc
        return url
