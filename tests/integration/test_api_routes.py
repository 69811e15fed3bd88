"""Search, export, presigned uploads, body limits and CORS: contracts of the routes added for readers."""

from __future__ import annotations

import base64
import csv
import io
import json
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

import pytest

from report_tracker.api.app import create_app
from report_tracker.local.stack import FakeContext, http_api_event
from tests.integration.conftest import Aws, unique
from tests.integration.test_ingest import sample


def call(aws: Aws, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None) -> Any:
    raw = json.dumps(body, ensure_ascii=False).encode() if body is not None else b""
    event = http_api_event(
        method,
        quote(path, safe="/?=&%"),
        {"content-type": "application/json", **(headers or {})},
        raw,
        "127.0.0.1",
    )
    result = aws.api.lambda_handler(event, FakeContext("ApiFunction", 29))
    text = result.get("body") or ""
    parsed = json.loads(text) if "json" in result["headers"].get("Content-Type", "") and text else text
    return result["statusCode"], result["headers"], parsed


def test_search_finds_chinese_without_spaces_and_highlights_each_term(aws: Aws) -> None:
    # Given two townships; only one of them reports a 调解室 with a distinctive name
    a, b = unique("搜索"), unique("搜索")
    aws.upload(f"inbox/{a}/2024/a.txt", sample(a, edit="法治宣传活动120场，建成枫桥式调解室"))
    aws.upload(f"inbox/{b}/2024/b.txt", sample(b))

    # When searching for a phrase inside a sentence, with no spaces around it
    status, _, page = aws.get("/search?q=枫桥式调解室")

    # Then only that report matches, and the highlight marks exactly the phrase in the snippet
    assert status == 200
    assert [(h["entity"], h["review_year"]) for h in page["items"]] == [(a, 2024)]
    snippet = page["items"][0]["snippets"][0]
    (mark,) = snippet["highlights"]
    assert snippet["text"][mark["start"] : mark["end"]] == "枫桥式调解室"

    # Terms separated by spaces must all occur; full-width digits fold like report text
    assert aws.get(f"/search?q=枫桥式调解室 {a}")[2]["total"] == 1
    assert aws.get("/search?q=枫桥式调解室 没有这个词")[2]["total"] == 0
    # The results download as a spreadsheet: one row per snippet, the document type in words
    status, headers, text = aws.get("/search?q=枫桥式调解室&format=csv")
    assert status == 200 and text.startswith("\ufeff") and "attachment" in headers["Content-Disposition"]
    (row,) = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert (
        row["entity"] == a
        and "枫桥式调解室" in row["snippet"]
        and row["doc_type_words"] == "法治政府建设年度报告"
    )
    status, _, folded = aws.get(f"/search?q=１２０场&entity={a}")
    assert status == 200 and folded["terms"] == ["120场"] and folded["total"] == 1
    # A year narrows the reports searched to that review year's
    assert aws.get("/search?q=枫桥式调解室&year=2024")[2]["total"] == 1
    assert aws.get("/search?q=枫桥式调解室&year=2023")[2]["total"] == 0


def test_search_pages_do_not_overlap_and_cursors_belong_to_their_query(aws: Aws) -> None:
    stem = unique("翻页").removesuffix("镇")
    names = [f"{stem}{i}镇" for i in range(3)]
    for name in names:
        aws.upload(f"inbox/{name}/2024/a.txt", sample(name))
    seen: list[str] = []
    cursor = ""
    for _ in range(10):
        status, _, page = aws.get(f"/search?q={stem}&limit=2{cursor}")
        assert status == 200 and page["total"] == 3
        seen += [h["entity"] for h in page["items"]]
        if not page["next_cursor"]:
            break
        cursor = f"&cursor={page['next_cursor']}"
    assert sorted(seen) == sorted(names)
    other = aws.get(f"/search?q={stem}&limit=1")[2]["next_cursor"]
    assert aws.get(f"/search?q=其他&cursor={other}")[0] == 400
    assert aws.get("/search?q=%20%20")[0] == 400
    assert aws.get("/search")[0] == 422


def test_export_as_json_csv_and_markdown(aws: Aws) -> None:
    entity = unique("导出")
    key = f"inbox/{entity}/2024/a.txt"
    aws.upload(key, sample(entity))
    aws.upload(key, sample(entity, edit="法治宣传活动100场，由___负责"))

    status, headers, reading = aws.get(f"/entities/{entity}/reports/2024/export?format=json")
    assert status == 200 and reading["version"] == 2 and reading["sections"]
    assert "attachment" in headers["Content-Disposition"] and quote(entity) in headers["Content-Disposition"]

    status, headers, text = aws.get(f"/entities/{entity}/reports/2024/export?format=csv&version=1")
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows and {r["version"] for r in rows} == {"1"}
    kinds = {r["section_kind"] for r in rows}
    assert {"plans", "problems"} <= kinds
    # the words come from the viewer's catalogue, in the language asked for (Chinese first)
    assert {"下一步计划", "存在的问题"} <= {r["section_kind_words"] for r in rows}
    english = list(
        csv.DictReader(io.StringIO(aws.get(f"/entities/{entity}/reports/2024/export?format=csv&lang=en")[2]))
    )
    assert {"plans", "problems"} <= {r["section_kind_words"] for r in english}
    assert any("120场" in r["figures"] for r in rows)

    status, headers, md = aws.get(f"/entities/{entity}/reports/2024/export?format=md")
    assert status == 200 and headers["Content-Type"].startswith("text/markdown")
    assert md.startswith("# ") and "## " in md and "`下一步计划`" in md and "法治政府建设年度报告" in md
    assert "`plans`" in aws.get(f"/entities/{entity}/reports/2024/export?format=md&lang=en")[2]
    assert r"\_\_\_" in md and "由___负责" not in md  # redaction marks are not Markdown emphasis
    assert aws.get(f"/entities/{entity}/reports/2024/export?format=pdf")[0] == 422
    assert aws.get(f"/entities/{entity}/reports/2024/export?version=9")[0] == 404


def test_upload_ticket_signs_metadata_and_size(aws: Aws) -> None:
    # Given a request for an upload with Chinese metadata
    entity = unique("上传")
    status, _, ticket = call(
        aws, "POST", "/uploads",
        {"filename": "../../etc/报告 终稿.docx", "size": 1234, "entity": entity, "year": 2024,
         "region": ["云岭县"], "doc_type": "rule_of_law_annual"},
    )  # fmt: skip

    # Then the key files it under the entity and year, and never keeps a path from the name
    assert status == 201, ticket
    assert ticket["key"].startswith(f"inbox/{entity}/2024/") and ticket["key"].endswith("-报告 终稿.docx")
    assert ".." not in ticket["key"]
    # And the metadata and the exact size are signed headers the client must send
    signed = parse_qs(urlsplit(ticket["upload_url"]).query)["X-Amz-SignedHeaders"][0].split(";")
    assert {"content-length", "x-amz-meta-entity", "x-amz-meta-year", "x-amz-meta-doc-type"} <= set(signed)
    assert ticket["headers"]["Content-Length"] == "1234"
    assert unquote(ticket["headers"]["x-amz-meta-entity"]) == entity
    assert ticket["headers"]["x-amz-meta-entity"].isascii()
    assert ticket["status_url"] == f"/uploads?key={quote(ticket['key'], safe='')}"


def test_upload_ticket_refusals(aws: Aws) -> None:
    limit = 200_000  # MAX_UPLOAD_BYTES of the integration environment
    status, headers, problem = call(aws, "POST", "/uploads", {"filename": "a.txt", "size": limit + 1})
    assert status == 413 and headers["Content-Type"] == "application/problem+json"
    assert str(limit) in problem["detail"]
    assert call(aws, "POST", "/uploads", {"filename": "a.txt", "size": limit})[0] == 201
    assert call(aws, "POST", "/uploads", {"filename": "a.txt"})[0] == 422
    assert call(aws, "POST", "/uploads", {"filename": "a.txt", "size": 10, "entity": "a/b"})[0] == 422
    # A body far beyond any ticket request is refused before it is used
    assert call(aws, "POST", "/uploads", {"filename": "a" * 70_000, "size": 10})[0] == 413


def test_uploads_of_one_key_are_listed(aws: Aws) -> None:
    entity = unique("按键")
    key = f"inbox/{entity}/2024/a.txt"
    aws.upload(key, sample(entity))
    aws.upload(key, b"\x00\x01 not a report")
    status, _, page = aws.get(f"/uploads?key={quote(key, safe='')}")
    assert status == 200
    assert sorted(u["status"] for u in page["items"]) == ["failed", "stored"]
    only_failed = aws.get(f"/uploads?key={quote(key, safe='')}&status=failed")[2]["items"]
    assert [u["status"] for u in only_failed] == ["failed"] and only_failed[0]["reason"]


def test_a_body_that_is_not_utf8_is_400_not_a_crash(aws: Aws) -> None:
    event = http_api_event(
        "PUT",
        "/uploads/" + "0" * 32 + "/metadata",
        {"content-type": "application/json"},
        b"\xff\xfe{",
        "127.0.0.1",
    )
    result = aws.api.lambda_handler(event, FakeContext("ApiFunction", 29))
    assert result["statusCode"] == 400 and "UTF-8" in json.loads(result["body"])["detail"]


@pytest.mark.parametrize("origin", ["https://reports.example.org", None])
def test_cors_is_configurable(aws: Aws, origin: str | None) -> None:
    app = create_app(lambda: pytest.fail("no store is needed"), cors_origin=origin)  # type: ignore[arg-type,return-value]

    def send(method: str, headers: dict[str, str]) -> dict[str, Any]:
        event = http_api_event(method, "/health", headers, b"", "127.0.0.1")
        result: dict[str, Any] = app.resolve(event, FakeContext("ApiFunction", 29))  # type: ignore[arg-type]
        return result

    preflight = send(
        "OPTIONS", {"origin": "https://reports.example.org", "access-control-request-method": "GET"}
    )
    plain = send("GET", {"origin": "https://reports.example.org"})
    stranger = send("GET", {"origin": "https://evil.example.com"})
    if origin:
        assert preflight["statusCode"] == 204
        assert preflight["headers"]["Access-Control-Allow-Origin"] == origin
        assert plain["headers"]["Access-Control-Allow-Origin"] == origin
        assert "Access-Control-Allow-Origin" not in stranger["headers"]
    else:
        assert "Access-Control-Allow-Origin" not in plain["headers"]
        assert preflight["statusCode"] == 405
    # Answers depend on Origin only when CORS is on; then caches must key on it
    assert (stranger["headers"].get("Vary") == "Origin") is bool(origin)


def _cursor(data: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "path",
    [
        "/entities?cursor=" + _cursor({"a": {"b": "c"}}),  # a key DynamoDB cannot type
        "/entities?cursor=" + _cursor({"PK": 1}),
        "/entities?cursor="
        + _cursor({k: {"S": "x"} for k in ("PK", "SK", "GSI1PK", "GSI1SK")}),  # another partition
        "/uploads?cursor=" + _cursor({k: {"S": "ENTITIES"} for k in ("PK", "SK", "GSI1PK", "GSI1SK")}),
        "/uploads?cursor=" + _cursor([1, 2]),
        "/uploads?cursor=" + _cursor({k: {"N": "1"} for k in ("PK", "SK", "GSI1PK", "GSI1SK")}),
        "/search?q=法治&cursor=" + _cursor({"after": "x", "q": "法治"}),
        "/entities?cursor=" + "W" * 1999,
    ],
)
def test_forged_cursors_are_400(aws: Aws, path: str) -> None:
    status, headers, problem = call(aws, "GET", path)
    assert status == 400 and headers["Content-Type"] == "application/problem+json"
    assert "cursor" in problem["detail"]


def test_a_wrong_method_is_405_with_allow(aws: Aws) -> None:
    status, headers, problem = call(aws, "DELETE", "/entities")
    assert status == 405 and headers["Allow"] == "GET" and problem["status"] == 405
    status, headers, _ = call(aws, "GET", "/uploads/" + "0" * 32 + "/metadata")
    assert status == 405 and headers["Allow"] == "PUT"
    status, headers, _ = call(aws, "PATCH", "/uploads")
    assert status == 405 and headers["Allow"] == "GET, POST"
    assert call(aws, "DELETE", "/no/such/route")[0] == 404


def test_bodies_are_limited_in_bytes_and_nesting_and_typed(aws: Aws) -> None:
    # 30,000 Chinese characters are 90 KB: over the 64 KB limit though under 64 K characters
    status, _, problem = call(aws, "POST", "/uploads", {"filename": "法" * 30_000, "size": 10})
    assert status == 413 and "bytes" in problem["detail"]
    deep = ("[" * 5000 + "]" * 5000).encode()
    event = http_api_event("POST", "/uploads", {"content-type": "application/json"}, deep, "127.0.0.1")
    result = aws.api.lambda_handler(event, FakeContext("ApiFunction", 29))
    assert result["statusCode"] == 400 and "nested" in json.loads(result["body"])["detail"]
    # brackets inside strings are text, not nesting
    assert call(aws, "POST", "/uploads", {"filename": "[" * 100 + ".txt", "size": 10})[0] == 201
    event = http_api_event("POST", "/uploads", {"content-type": "text/plain"}, b"a.txt", "127.0.0.1")
    result = aws.api.lambda_handler(event, FakeContext("ApiFunction", 29))
    assert result["statusCode"] == 415
    assert result["headers"]["Content-Type"] == "application/problem+json"


def test_an_unexpected_error_is_a_500_problem(aws: Aws, monkeypatch: pytest.MonkeyPatch) -> None:
    from report_tracker.services.catalog import Catalog

    def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("a bug")

    monkeypatch.setattr(Catalog, "entities", broken)
    status, headers, problem = call(aws, "GET", "/entities")
    assert status == 500 and headers["Content-Type"] == "application/problem+json"
    assert "a bug" not in json.dumps(problem)


@pytest.mark.parametrize(
    ("header", "status"),
    [("Bearer s3cret", 200), ("bearer s3cret", 200), ("BEARER  s3cret ", 200), ("Bearer s3cre", 401),
     ("Basic s3cret", 401), ("s3cret", 401), (None, 401)],
)  # fmt: skip
def test_the_local_token_scheme_is_case_insensitive(aws: Aws, header: str | None, status: int) -> None:
    app = create_app(lambda: pytest.fail("no store is needed"), local_token="s3cret")  # type: ignore[arg-type,return-value]
    headers = {"authorization": header} if header else {}
    event = http_api_event("GET", "/health", headers, b"", "127.0.0.1")
    assert app.resolve(event, FakeContext("ApiFunction", 29))["statusCode"] == status  # type: ignore[arg-type]


def test_templates_of_a_year_name_who_shares_text_and_show_the_passages(aws: Aws, monkeypatch: Any) -> None:
    from report_tracker.services import templates
    from tests.conftest import SAMPLES

    # Given two townships filing the same county template, and one writing its own report, for 2031
    a, b, own = unique("模板"), unique("模板"), unique("自写")
    aws.upload(f"inbox/{a}/2031/a.txt", sample(a, year=2031))
    aws.upload(f"inbox/{b}/2031/b.txt", sample(b, year=2031))
    text = (SAMPLES / "baisha-2024.txt").read_text(encoding="utf-8").replace("白沙乡", own)
    aws.upload(f"inbox/{own}/2031/c.txt", text.replace("2024", "2031").replace("2025", "2032").encode())

    # When the year's templates are asked for, about one of the pair
    status, _, body = aws.get(f"/years/2031/templates?entity={quote(a)}")

    # Then the pair share most of their text and name each other first
    assert status == 200, body
    shares = {s["entity"]: s for s in body["shares"]}
    assert body["reports"] == 3 and body["doc_type"] == "rule_of_law_annual"
    assert shares[a]["share"] > 0.6 and shares[a]["shared_with"][0]["entity"] == b
    assert shares[own]["share"] < shares[a]["share"]
    # And the passages copied from the partner are given verbatim, with offsets in the report
    first = body["shared"][0]
    assert first["entity"] == b and first["share"] > 0.6 and first["spans"]
    reading = aws.get(f"/entities/{a}/reports/2031")[2]["text"]
    span = max(first["spans"], key=lambda s: s["end"] - s["start"])
    assert reading[span["start"] : span["end"]] == span["text"]

    # A new version changes what is compared: the stored shares are not reused for it
    cached = aws.s3.list_objects_v2(Bucket=aws.provisioned.buckets["ArchiveBucket"], Prefix="templates/")
    before = {o["Key"] for o in cached.get("Contents", []) if "/2031/" in o["Key"]}
    aws.upload(f"inbox/{a}/2031/a.txt", sample(a, year=2031, edit="法治宣传活动300场"))
    assert aws.get(f"/years/2031/templates?entity={quote(a)}")[0] == 200
    cached = aws.s3.list_objects_v2(Bucket=aws.provisioned.buckets["ArchiveBucket"], Prefix="templates/")
    after = {o["Key"] for o in cached.get("Contents", []) if "/2031/" in o["Key"]}
    assert len(before) == 1 and len(after) == 2

    assert aws.get("/years/1950/templates")[0] == 404
    assert aws.get(f"/years/2031/templates?entity={quote(unique('无'))}")[0] == 404

    # A year with more reports than one request compares: stored shares are still served, a
    # comparison still to make is refused with where to ask instead
    monkeypatch.setattr(templates, "MAX_REPORTS", 2)
    assert aws.get(f"/years/2031/templates?entity={quote(a)}")[0] == 200
    aws.upload(f"inbox/{b}/2031/b.txt", sample(b, year=2031, edit="法治宣传活动310场"))
    status, _, problem = aws.get(f"/years/2031/templates?entity={quote(a)}")
    assert status == 422 and "/recycled" in problem["detail"] and "sentences" in problem["detail"]


def test_a_reports_recycled_passages_are_found_by_signature_and_confirmed_verbatim(aws: Aws) -> None:
    from tests.conftest import SAMPLES

    # Given two townships filing the same template for 2032 (figures differ), and one writing its own
    a, b, own = unique("循环"), unique("循环"), unique("自写")
    aws.upload(f"inbox/{a}/2032/a.txt", sample(a, year=2032))
    aws.upload(f"inbox/{b}/2032/b.txt", sample(b, year=2032, edit="法治宣传活动95场"))
    text = (SAMPLES / "baisha-2024.txt").read_text(encoding="utf-8").replace("2024", "2032")
    text = text.replace("2025", "2033")
    aws.upload(f"inbox/{own}/2032/c.txt", text.replace("白沙乡", own).encode())

    # When a's recycled text is asked for
    status, _, body = aws.get(f"/entities/{quote(a)}/reports/2032/recycled")

    # Then b is the one candidate confirmed, most of a's text shared, passages verbatim with offsets
    assert status == 200, body
    assert body["entity"] == a and body["review_year"] == 2032 and body["passages"] > 5
    assert [s["entity"] for s in body["shared"]] == [b]
    assert body["shared"][0]["share"] > 0.6
    reading = aws.get(f"/entities/{quote(a)}/reports/2032")[2]["text"]
    for span in body["shared"][0]["spans"]:
        assert reading[span["start"] : span["end"]] == span["text"]
    # And the township that wrote its own report shares nothing with them
    assert aws.get(f"/entities/{quote(own)}/reports/2032/recycled")[2]["shared"] == []

    # When b files a new version with its longest paragraphs rewritten, that version is compared
    lines = sample(b, year=2032).decode().splitlines()
    for n in sorted(range(len(lines)), key=lambda i: -len(lines[i]))[:4]:
        lines[n] = "".join(reversed(lines[n]))
    aws.upload(f"inbox/{b}/2032/b.txt", "\n".join(lines).encode())
    assert aws.get(f"/entities/{quote(b)}/reports/2032")[2]["version"] == 2
    again = aws.get(f"/entities/{quote(a)}/reports/2032/recycled")[2]
    assert [s["entity"] for s in again["shared"]] == [b] and again["version"] == 1
    assert again["shared"][0]["share"] < body["shared"][0]["share"] - 0.1

    assert aws.get(f"/entities/{quote(unique('无'))}/reports/2032/recycled")[0] == 404


def test_pages_stay_stable_while_reports_arrive(aws: Aws) -> None:
    # Given entities that match, paged two at a time
    stem = unique("并发").removesuffix("镇")
    first = [f"{stem}{c}镇" for c in "BDF"]
    for name in first:
        aws.upload(f"inbox/{name}/2024/a.txt", sample(name))
    entities: list[str] = []
    hits: list[str] = []
    page = aws.get(f"/entities?limit=2&q={stem}")[2]
    found = aws.get(f"/search?q={stem}&limit=2")[2]
    entities += [e["entity"] for e in page["items"]]
    hits += [h["entity"] for h in found["items"]]

    # When reports of new entities arrive between the pages, sorting before and after the cursor
    for name in (f"{stem}A镇", f"{stem}E镇", f"{stem}G镇"):
        aws.upload(f"inbox/{name}/2024/a.txt", sample(name))
    while page["next_cursor"]:
        page = aws.get(f"/entities?limit=2&q={stem}&cursor={page['next_cursor']}")[2]
        entities += [e["entity"] for e in page["items"]]
    while found["next_cursor"]:
        found = aws.get(f"/search?q={stem}&limit=2&cursor={found['next_cursor']}")[2]
        hits += [h["entity"] for h in found["items"]]

    # Then nothing is given twice, and everything there at the start is given
    for listing in (entities, hits):
        assert len(listing) == len(set(listing))
        assert set(first) <= set(listing)


def test_entity_detail_lists_years_types_versions_and_status(aws: Aws) -> None:
    entity = unique("详情")
    aws.upload(f"inbox/{entity}/2023/a.txt", sample(entity, year=2023))
    aws.upload(f"inbox/{entity}/2024/a.txt", sample(entity))
    aws.upload(f"inbox/{entity}/2024/a.txt", sample(entity, edit="法治宣传活动90场"))
    status, headers, detail = aws.get(f"/entities/{entity}")
    assert status == 200 and headers["ETag"]
    assert detail["entity"] == entity and detail["years"] == [2023, 2024]
    assert detail["doc_types"] == ["rule_of_law_annual"] and detail["region"] == ["云岭县"]
    counts = {r["review_year"]: (r["versions"], r["latest_version"], r["status"]) for r in detail["reports"]}
    assert counts == {2023: (1, 1, "ok"), 2024: (2, 2, "ok")}
    assert aws.get(f"/entities/{unique('无此')}")[0] == 404
    assert aws.get("/entities/%01bad")[0] == 400


def test_the_viewer_page_is_public_and_its_data_is_not(aws: Aws) -> None:
    app = create_app(lambda: pytest.fail("no store is needed"), local_token="s3cret")  # type: ignore[arg-type,return-value]

    def status(method: str, path: str) -> int:
        event = http_api_event(method, path, {}, b"", "127.0.0.1")
        return int(app.resolve(event, FakeContext("ApiFunction", 29))["statusCode"])  # type: ignore[arg-type]

    assert status("GET", "/") == 200 and status("GET", "/static/app.js") == 200
    assert status("GET", "/health") == 401 and status("GET", "/entities") == 401
    assert status("POST", "/") == 401  # only reading the page is open


def test_the_template_opens_only_the_viewer_routes() -> None:
    from report_tracker.local.template import load_template
    from tests.conftest import ROOT

    resources = load_template(ROOT / "template.yaml")["Resources"]
    for name in ("ApiFunction", "JwtApiFunction"):
        events = resources[name]["Properties"]["Events"]
        public = sorted(
            e["Properties"]["Path"]
            for e in events.values()
            if e["Properties"].get("Auth", {}).get("Authorizer") == "NONE"
        )
        assert public == ["/", "/static/{name}"]


def test_a_query_with_more_terms_than_are_searched_is_400(aws: Aws) -> None:
    terms = " ".join(f"词{i}" for i in range(9))
    status, _, problem = call(aws, "GET", f"/search?q={terms}")
    assert status == 400 and "at most 8" in problem["detail"]
    assert call(aws, "GET", "/search?q=" + " ".join(f"词{i}" for i in range(8)))[0] == 200


def test_an_answer_too_large_for_the_platform_is_parked_in_s3(aws: Aws) -> None:
    from report_tracker.services.factory import catalog

    entity = unique("大答")
    aws.upload(f"inbox/{entity}/2024/a.txt", sample(entity))
    store = catalog(aws.api.settings)
    path = quote(f"/entities/{entity}/reports/2024")

    def get(app: Any, route: str) -> dict[str, Any]:
        event = http_api_event("GET", route, {}, b"", "127.0.0.1")
        result: dict[str, Any] = app.resolve(event, FakeContext("ApiFunction", 29))
        return result

    whole = get(create_app(lambda: store), path)
    assert whole["statusCode"] == 200 and len(json.dumps(whole["body"])) > 10_000
    # Over the limit: a 303 to a signed URL of the same answer, stored in the archive bucket
    small = create_app(
        lambda: store,
        park=lambda b, k, d: store.archive.park_response(b, k, d, 300),
        max_response_bytes=10_000,
    )
    parked = get(small, path)
    assert parked["statusCode"] == 303 and parked["headers"]["Cache-Control"] == "no-store"
    url = urlsplit(parked["headers"]["Location"])
    assert "X-Amz-Signature" in url.query or "Signature" in url.query
    key = unquote(url.path).split(f"{store.archive.bucket}/", 1)[-1].lstrip("/")
    stored = aws.s3.get_object(Bucket=store.archive.bucket, Key=key)
    assert json.loads(stored["Body"].read()) == json.loads(whole["body"])
    # An export keeps its download name on the signed URL
    export = get(small, path + "/export?format=json")
    assert export["statusCode"] == 303
    assert "attachment" in unquote(
        parse_qs(urlsplit(export["headers"]["Location"]).query)["response-content-disposition"][0]
    )
    # With nowhere to park it, the answer is a clear 413, never a platform error
    refused = get(create_app(lambda: store, max_response_bytes=10_000), path)
    assert refused["statusCode"] == 413 and refused["headers"]["Content-Type"] == "application/problem+json"
