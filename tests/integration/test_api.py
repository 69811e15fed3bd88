"""API contract: status codes, problem+json errors, Chinese in paths, caching headers, OpenAPI."""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import quote

from tests.conftest import SAMPLES, load_event
from tests.integration.conftest import Aws, unique
from tests.integration.test_ingest import sample


def test_health_and_openapi(aws: Aws) -> None:
    status, _, body = aws.get("/health")
    assert status == 200 and body["status"] == "ok"
    status, _, spec = aws.get("/openapi.json")
    assert status == 200 and spec["openapi"].startswith("3.1")
    assert spec["info"]["title"] == "report-tracker API" and spec["info"]["version"]
    for route in ("/entities", "/entities/{entity}/reports/{year}", "/uploads"):
        assert route in spec["paths"]
    # The Swagger UI is registered by the first request for it (it is not worth a cold start)
    for _ in range(2):
        status, _headers, page = aws.get("/docs")
        assert status == 200 and "swagger" in str(page).lower() and "report-tracker API" in str(page)


def test_unknown_route_is_a_problem_404(aws: Aws) -> None:
    status, headers, body = aws.get("/no/such/route")
    assert status == 404
    assert headers["Content-Type"] == "application/problem+json"
    assert body["status"] == 404 and "Traceback" not in json.dumps(body)


def test_invalid_parameters_are_422(aws: Aws) -> None:
    for path in (
        "/entities/房镇镇/reports/abc",
        "/entities/房镇镇/reports/99999",
        "/entities?limit=0",
        "/uploads?status=nope",
    ):
        status, headers, _body = aws.get(path)
        assert status == 422, path
        assert headers["Content-Type"] == "application/problem+json"


def test_missing_report_is_404_with_the_name_unescaped(aws: Aws) -> None:
    status, _, body = aws.get("/entities/不存在镇/reports/2024")
    assert status == 404 and "不存在镇" in body["detail"]
    status, _, body = aws.get("/entities/不存在镇/reports")
    assert status == 404


def test_hostile_values_are_4xx_never_5xx(aws: Aws) -> None:
    hostile = [
        "x" * 5000,
        "%00%01%1f",
        "' OR 1=1 --",
        '{"$ne": null}',
        "..%2F..%2Fetc%2Fpasswd",
        "<script>alert(1)</script>",
    ]
    for value in hostile:
        for path in (
            f"/entities/{value}/reports",
            f"/entities/{value}/reports/2024",
            f"/entities?cursor={value}",
        ):
            status, _, _ = aws.get(path)
            assert 400 <= status < 500, (path, status)


def test_etag_gives_304(aws: Aws) -> None:
    entity = unique("缓存")
    aws.upload(f"inbox/{entity}/2024/a.txt", sample(entity))
    status, headers, _ = aws.get(f"/entities/{entity}/reports/2024")
    assert status == 200 and headers["ETag"] and "max-age" in headers["Cache-Control"]
    status, _, _ = aws.get(f"/entities/{entity}/reports/2024", {"If-None-Match": headers["ETag"]})
    assert status == 304


def test_chinese_is_not_escaped_in_json(aws: Aws) -> None:
    entity = unique("中文")
    aws.upload(f"inbox/{entity}/2024/a.txt", sample(entity))
    event = load_event("api-get-report.json")
    encoded = "/".join(["", "entities", __import__("urllib.parse").parse.quote(entity), "reports", "2024"])
    event["rawPath"] = event["requestContext"]["http"]["path"] = encoded
    result = aws.api.lambda_handler(
        event, __import__("report_tracker.local.stack").local.stack.FakeContext("a", 29)
    )
    assert result["statusCode"] == 200
    assert entity in result["body"] and "\\u" not in result["body"]


def test_entities_paginate_with_opaque_cursors(aws: Aws) -> None:
    for _ in range(3):
        entity = unique("分页")
        aws.upload(f"inbox/{entity}/2024/a.txt", sample(entity))
    seen: list[str] = []
    cursor = None
    for _ in range(100):
        status, _, page = aws.get("/entities?limit=2" + (f"&cursor={cursor}" if cursor else ""))
        assert status == 200 and len(page["items"]) <= 2
        seen.extend(e["entity"] for e in page["items"])
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) >= 3
    assert aws.get("/entities?cursor=bm90LWEtY3Vyc29y")[0] == 400


def test_diff_between_versions(aws: Aws) -> None:
    entity = unique("差异")
    key = f"inbox/{entity}/2024/a.txt"
    aws.upload(key, sample(entity))
    aws.upload(key, sample(entity, edit="法治宣传活动100场"))
    status, _, diff = aws.get(f"/entities/{entity}/reports/2024/diff?from=1&to=2")
    assert status == 200
    assert [(f["before"], f["after"]) for f in diff["significance"]["figures_changed"]] == [
        ("120场", "100场")
    ]
    status, headers, page = aws.get(f"/entities/{entity}/reports/2024/diff?from=1&to=2&format=html")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "<del>2</del>" in page and "<ins>0</ins>" in page
    assert (
        "default-src 'none'" in headers["Content-Security-Policy"]
        and headers["X-Content-Type-Options"] == "nosniff"
    )
    assert aws.get(f"/entities/{entity}/reports/2024/diff?from=1&to=1")[0] == 400
    assert aws.get(f"/entities/{entity}/reports/2024/diff?from=1&to=9")[0] == 404


def two_years(aws: Aws, name: str, inserted: str = "") -> str:
    """A new entity with the 2023 and 2024 sample reports (a year-over-year pair); its name.

    ``inserted`` is added to a commitment and its review in both reports.
    """
    entity = unique(name)
    stem = entity.removesuffix("镇")
    for year, sample_name in ((2023, "qingshi-2023.txt"), (2024, "qingshi-2024.txt")):
        text = (SAMPLES / sample_name).read_text(encoding="utf-8").replace("青石", stem)
        text = text.replace("创新普法形式", "创新普法形式" + inserted)
        aws.upload(f"inbox/{entity}/{year}/report.txt", text.encode("utf-8"))
    return entity


def test_year_over_year_routes(aws: Aws) -> None:
    entity = two_years(aws, "丰年")
    status, _, body = aws.get(f"/entities/{entity}/yoy?year=2024")
    assert status == 200
    assert body["summary"] == {"fulfilled": 5, "partial": 1, "missed": 0, "not_reported": 3}
    assert all({"text", "status", "confidence", "evidence", "figures"} <= set(c) for c in body["commitments"])
    cited = [e for c in body["commitments"] for e in c["evidence"]]
    # Problem verdicts cite the same way: the problem named again, or the result claimed for it
    assert {p["status"] for p in body["problems"] if p["evidence"]} == {"recurring", "resolved_claimed"}
    cited += [e for p in body["problems"] for e in p["evidence"]]
    assert cited and all(e["version"] == body["later_version"] for e in cited)
    assert all(e["link"] == f"#/e/{quote(entity)}/r/2024/v/1/at/{e['start']}-{e['end']}" for e in cited)
    status, headers, page = aws.get(f"/entities/{entity}/yoy?year=2024&format=csv")
    assert status == 200 and headers["Content-Type"].startswith("text/csv") and "not_reported" in page
    assert page.startswith("\ufeff") and "attachment" in headers["Content-Disposition"]  # Excel reads UTF-8
    rows = list(csv.DictReader(io.StringIO(page.removeprefix("\ufeff"))))
    assert {r["entity"] for r in rows} == {entity} and len(rows) == len(body["commitments"])
    done = next(r for r in rows if r["status"] == "fulfilled")
    assert (
        done["evidence_1"] and done["evidence_1_link"].startswith("#/e/") and int(done["evidence_1_end"]) > 0
    )
    status, headers, page = aws.get(f"/entities/{entity}/yoy?year=2024&format=html")
    assert status == 200 and "badge partial" in page and headers["X-Content-Type-Options"] == "nosniff"
    status, _, problem = aws.get(f"/entities/{entity}/yoy?year=2023")
    assert status == 404 and "2023" in problem["detail"]
    status, _, timeline = aws.get(f"/entities/{entity}/timeline")
    assert status == 200 and timeline["years"] == [2023, 2024]
    assert timeline["problems"] and timeline["problems"][0]["years"] == [2023, 2024]


def test_report_text_is_escaped_on_pages(aws: Aws) -> None:
    hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    entity = two_years(aws, "转义", inserted=hostile)
    status, _, page = aws.get(f"/entities/{entity}/yoy?year=2024&format=html")
    assert status == 200 and "<script>" not in page and "<img" not in page and "&lt;script&gt;" in page


def test_needs_metadata_upload_is_completed_without_reupload(aws: Aws) -> None:
    import json as _json

    from report_tracker.local.stack import FakeContext, http_api_event

    # An upload with no entity anywhere: not in the key, not in the text
    text = (
        (SAMPLES / "baisha-2024.txt")
        .read_text(encoding="utf-8")
        .replace("云岭县白沙乡", "")
        .replace("白沙乡", "我乡")
    )
    key = "uploads/unnamed-report.txt"
    aws.upload(key, text.encode("utf-8"))
    status, _, page = aws.get("/uploads?status=needs_metadata&limit=200")
    (pending,) = [u for u in page["items"] if u["raw"]["key"] == key]
    assert "entity" in pending["reason"]
    entity = unique("补录")

    def put(upload_id: str, body: dict[str, object]) -> tuple[int, object]:
        event = http_api_event("PUT", f"/uploads/{upload_id}/metadata", {"content-type": "application/json"},
                               _json.dumps(body, ensure_ascii=False).encode(), "127.0.0.1")  # fmt: skip
        result = aws.api.lambda_handler(event, FakeContext("ApiFunction", 29))
        return result["statusCode"], _json.loads(result["body"])

    # The API only queues it (reading a file is the pipeline's work, not a 29 s API call's)
    status, outcome = put(pending["upload_id"], {"entity": entity, "year": 2024})
    assert status == 202, outcome
    assert outcome["status"] == "queued"  # type: ignore[index]
    assert aws.get(f"/entities/{entity}/reports/2024")[0] == 404
    # Sent twice before ingest gets to it: filed once, the second acknowledged and dropped
    assert put(pending["upload_id"], {"entity": entity, "year": 2024})[0] == 202
    results = aws.drain_queue()
    assert results and all(r == {"batchItemFailures": []} for r in results)
    status, _, record = aws.get(outcome["status_url"])  # type: ignore[index]
    assert [(u["status"], u["version"]) for u in record["items"]] == [("stored", 1)]
    assert aws.get(f"/entities/{entity}/reports/2024")[0] == 200
    # Completing it again is a conflict; an unknown id is 404; a bad body is 422
    assert put(pending["upload_id"], {"entity": entity, "year": 2024})[0] == 409
    assert put("0" * 32, {"entity": entity, "year": 2024})[0] == 404
    assert put(pending["upload_id"], {"entity": entity})[0] == 422


def test_year_over_year_reads_heads_written_before_they_carried_the_latest_keys(aws: Aws) -> None:
    entity = two_years(aws, "旧头")
    status, _, current = aws.get(f"/entities/{entity}/yoy?year=2024")
    assert status == 200
    # Strip the latest keys from both heads, as heads stored by earlier releases are
    table_name = aws.provisioned.tables["ArchiveTable"]
    for year in (2023, 2024):
        aws.ddb.update_item(
            TableName=table_name,
            Key={"PK": {"S": f"E#{entity}"}, "SK": {"S": f"R#{year:04d}#rule_of_law_annual"}},
            UpdateExpression="REMOVE latest_clean_sha256, latest_archive_key",
            ConditionExpression="attribute_exists(latest_clean_sha256)",
        )
    status, _, old_heads = aws.get(f"/entities/{entity}/yoy?year=2024")
    assert status == 200 and old_heads == current
