"""An in-memory stand-in for the part of OpenSearch's REST API the engine uses, as moto is for AWS.

It follows OpenSearch's documented semantics for what we send: ``ngram`` tokenizers over letters
and digits (one position per gram) with a lowercase filter, phrase queries over the analysed
positions, ``term`` filters, ``bool`` should / must_not / filter with ``minimum_should_match``,
field sorts, ``_source`` filtering, strict mappings and external versions (``external_gte``).
Scores are the number of matching ``should`` clauses (OpenSearch weighs them by rarity too).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit


def _grams(text: str, analyzer: dict[str, Any], tokenizers: dict[str, Any]) -> list[str]:
    tokenizer = tokenizers[analyzer["tokenizer"]]
    assert tokenizer["type"] == "ngram" and tokenizer["min_gram"] == tokenizer["max_gram"]
    n = tokenizer["min_gram"]
    keep = {"letter": str.isalpha, "digit": str.isdigit}
    wanted = [keep[k] for k in tokenizer["token_chars"]]
    runs, run = [], ""
    for ch in text:
        if any(f(ch) for f in wanted):
            run += ch
        elif run:
            runs.append(run)
            run = ""
    if run:
        runs.append(run)
    tokens = [r[i : i + n] for r in runs for i in range(len(r) - n + 1)]
    if "lowercase" in analyzer.get("filter", []):
        tokens = [t.lower() for t in tokens]
    return tokens


class FakeCollection:
    def __init__(self) -> None:
        self.indexes: dict[str, dict[str, Any]] = {}  # name -> {"body", "docs": {id: (version, source)}}
        self.requests: list[tuple[str, str]] = []

    def __call__(
        self, method: str, path: str, body: bytes | None, headers: dict[str, str]
    ) -> tuple[int, bytes]:
        self.requests.append((method, path))
        url = urlsplit(path)
        parts = [unquote(p) for p in url.path.strip("/").split("/")]
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        name = parts[0]
        if len(parts) == 1:
            return self._index_op(method, name, body)
        if name not in self.indexes:
            return 404, json.dumps({"error": {"type": "index_not_found_exception"}}).encode()
        index = self.indexes[name]
        if parts[1] == "_bulk":
            assert headers["Content-Type"] == "application/x-ndjson"
            return self._bulk(index, (body or b"").decode())
        if parts[1] == "_search":
            return 200, json.dumps(
                {"hits": {"hits": self._search(index, json.loads(body or b"{}"))}}
            ).encode()
        if parts[1] == "_doc" and method == "GET":
            held = index["docs"].get(parts[2])
            if held is None:
                return 404, json.dumps({"found": False}).encode()
            src = held[1]
            if "_source_includes" in query:
                src = {k: v for k, v in src.items() if k in query["_source_includes"].split(",")}
            return 200, json.dumps({"found": True, "_id": parts[2], "_source": src}).encode()
        raise AssertionError(f"the fake does not serve {method} {path}")

    # --- indexes ---------------------------------------------------------------------

    def _index_op(self, method: str, name: str, body: bytes | None) -> tuple[int, bytes]:
        if method == "HEAD":
            return (200 if name in self.indexes else 404), b""
        if method == "PUT":
            if name in self.indexes:
                return 400, json.dumps({"error": {"type": "resource_already_exists_exception"}}).encode()
            self.indexes[name] = {"body": json.loads(body or b"{}"), "docs": {}}
            return 200, json.dumps({"acknowledged": True}).encode()
        if method == "DELETE":
            if self.indexes.pop(name, None) is None:
                return 404, json.dumps({"error": {"type": "index_not_found_exception"}}).encode()
            return 200, json.dumps({"acknowledged": True}).encode()
        raise AssertionError(method)

    def _bulk(self, index: dict[str, Any], body: str) -> tuple[int, bytes]:
        lines = [json.loads(line) for line in body.splitlines() if line]
        items = []
        mapped = index["body"]["mappings"]["properties"]
        for action, src in zip(lines[::2], lines[1::2], strict=True):
            meta = action["index"]
            if index["body"]["mappings"].get("dynamic") == "strict" and set(src) - set(mapped):
                items.append({"index": {"_id": meta["_id"], "status": 400,
                                        "error": {"type": "strict_dynamic_mapping_exception"}}})  # fmt: skip
                continue
            held = index["docs"].get(meta["_id"])
            assert meta.get("version_type") == "external_gte"
            if held is not None and held[0] > meta["version"]:
                items.append({"index": {"_id": meta["_id"], "status": 409,
                                        "error": {"type": "version_conflict_engine_exception"}}})  # fmt: skip
                continue
            index["docs"][meta["_id"]] = (meta["version"], src)
            items.append({"index": {"_id": meta["_id"], "status": 200 if held else 201}})
        errors = any(i["index"]["status"] >= 300 for i in items)
        return 200, json.dumps({"errors": errors, "items": items}).encode()

    # --- search ----------------------------------------------------------------------

    def _tokens(self, index: dict[str, Any], field: str, text: str) -> list[str]:
        settings = index["body"]["settings"]["analysis"]
        spec = index["body"]["mappings"]["properties"]
        name, _, sub = field.partition(".")
        mapping = spec[name]["fields"][sub] if sub else spec[name]
        return _grams(text, settings["analyzer"][mapping["analyzer"]], settings["tokenizer"])

    def _matches(self, index: dict[str, Any], src: dict[str, Any], clause: dict[str, Any]) -> bool:
        ((kind, arg),) = clause.items()
        if kind == "match_phrase":
            ((field, value),) = arg.items()
            want = self._tokens(index, field, value)
            have = self._tokens(index, field, src[field.partition(".")[0]])
            return bool(want) and any(
                have[i : i + len(want)] == want for i in range(len(have) - len(want) + 1)
            )
        if kind == "term":
            ((field, value),) = arg.items()
            held = src.get(field)
            return value in held if isinstance(held, list) else held == value
        if kind == "bool":
            return self._score(index, src, arg) is not None
        raise AssertionError(kind)

    def _score(self, index: dict[str, Any], src: dict[str, Any], query: dict[str, Any]) -> int | None:
        if not all(self._matches(index, src, c) for c in query.get("filter", [])):
            return None
        if any(self._matches(index, src, c) for c in query.get("must_not", [])):
            return None
        should = sum(self._matches(index, src, c) for c in query.get("should", []))
        if should < query.get("minimum_should_match", 0):
            return None
        return should

    def _search(self, index: dict[str, Any], body: dict[str, Any]) -> list[dict[str, Any]]:
        found = []
        for position, (doc_id, (_, src)) in enumerate(index["docs"].items()):
            score = self._score(index, src, body["query"]["bool"])
            if score is not None:
                found.append((score, position, doc_id, src))
        for spec in reversed(body.get("sort", [])):
            ((field, order),) = spec.items()
            found.sort(key=lambda f: f[3][field], reverse=order == "desc")
        if not body.get("sort"):
            found.sort(key=lambda f: (-f[0], f[1]))
        fields = body.get("_source")
        return [
            {"_id": doc_id, "_score": score,
             "_source": {k: v for k, v in src.items() if fields is None or k in fields}}
            for score, _, doc_id, src in found[: body.get("size", 10)]
        ]  # fmt: skip
